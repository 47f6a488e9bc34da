//! Where the server may send a request of its own (a site's message gateway): never back into
//! this machine (loopback), to the link-local network (where clouds keep their metadata
//! service, `169.254.169.254`), to a multicast or unspecified address — unless the server's
//! own file names the host (`internal_gateway_hosts`), for a gateway that really runs there.
//! A municipal network's private ranges are allowed: that is where an SMS relay may live.
//!
//! An address written in the URL is checked before the request ([`check_url`]); a name is
//! checked on what it resolves to, at every connection ([`Guarded`]), so that a name that
//! later resolves inside is refused too.

use std::future::Future;
use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use hyper_util::client::legacy::connect::dns::{GaiResolver, Name};

/// The IPv6 address of a cloud's metadata service (AWS), outside link-local.
const METADATA_V6: Ipv6Addr = Ipv6Addr::new(0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x254);

/// Names that always mean this machine or a metadata service.
fn inside_name(host: &str) -> bool {
    host == "localhost"
        || host.ends_with(".localhost")
        || host == "metadata"
        || host == "metadata.google.internal"
}

/// Whether `ip` is this machine, the link-local network, a metadata service, or no address
/// a gateway can be at.
pub fn is_inside(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(a) => {
            a.is_loopback()
                || a.is_link_local()
                || a.is_unspecified()
                || a.is_broadcast()
                || a.is_multicast()
        }
        IpAddr::V6(a) => {
            a.is_loopback()
                || a.is_unspecified()
                || a.is_multicast()
                || (a.segments()[0] & 0xffc0) == 0xfe80
                || a == METADATA_V6
                || a.to_ipv4_mapped()
                    .is_some_and(|v4| is_inside(IpAddr::V4(v4)))
        }
    }
}

/// Why a destination was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    #[error("not an http:// or https:// address with a host")]
    NotAUrl,
    #[error(
        "`{0}` is this machine, its link-local network or a metadata service: name it in the server's internal_gateway_hosts if a gateway really runs there"
    )]
    Inside(String),
}

/// The hosts named in `allowed` (as written in the URL, any case) may be inside.
fn allows(allowed: &[String], host: &str) -> bool {
    allowed.iter().any(|a| a.eq_ignore_ascii_case(host))
}

/// Whether a request to `url` may go, as far as its text tells: its host is a name (checked
/// again when it resolves), or an address that is not inside, or one `allowed` names.
pub fn check_url(url: &str, allowed: &[String]) -> Result<(), Refused> {
    let parsed = url::Url::parse(url).map_err(|_| Refused::NotAUrl)?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(Refused::NotAUrl);
    }
    let host = parsed.host().ok_or(Refused::NotAUrl)?;
    let written = parsed.host_str().unwrap_or_default();
    let inside = match host {
        url::Host::Domain(name) => inside_name(&name.to_ascii_lowercase()),
        url::Host::Ipv4(a) => is_inside(IpAddr::V4(a)),
        url::Host::Ipv6(a) => is_inside(IpAddr::V6(a)),
    };
    let bare = written.trim_start_matches('[').trim_end_matches(']');
    if inside && !allows(allowed, written) && !allows(allowed, bare) {
        return Err(Refused::Inside(written.to_owned()));
    }
    Ok(())
}

/// The system's resolver, refusing a name that resolves inside unless `allowed` names it.
#[derive(Clone)]
pub struct Guarded {
    inner: GaiResolver,
    allowed: Arc<Vec<String>>,
}

impl Guarded {
    pub fn new(allowed: Vec<String>) -> Self {
        Guarded {
            inner: GaiResolver::new(),
            allowed: Arc::new(allowed),
        }
    }
}

type Resolved = std::vec::IntoIter<SocketAddr>;

impl tower_service::Service<Name> for Guarded {
    type Response = Resolved;
    type Error = std::io::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Resolved, std::io::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), std::io::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, name: Name) -> Self::Future {
        let host = name.as_str().to_owned();
        let allowed = allows(&self.allowed, &host);
        let resolving = self.inner.call(name);
        Box::pin(async move {
            let addresses: Vec<SocketAddr> = resolving.await?.collect();
            let inside = inside_name(&host.to_ascii_lowercase())
                || addresses.iter().any(|a| is_inside(a.ip()));
            if inside && !allowed {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::PermissionDenied,
                    Refused::Inside(host),
                ));
            }
            Ok(addresses.into_iter())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_inside_are_refused_unless_named() {
        let none: &[String] = &[];
        for inside in [
            "http://127.0.0.1:9000/send",
            "http://169.254.169.254/latest/meta-data/",
            "http://[::1]/",
            "http://[fe80::1]/",
            "http://[fd00:ec2::254]/",
            "http://[::ffff:127.0.0.1]/",
            "http://0.0.0.0/",
            "http://localhost:8080/",
            "https://metadata.google.internal/computeMetadata/v1/",
        ] {
            assert!(
                matches!(check_url(inside, none), Err(Refused::Inside(_))),
                "{inside}"
            );
        }
        for outside in [
            "https://sms.example.gr/api/send?to={contact}",
            "http://10.0.0.7/sms",
            "http://192.168.1.20:8080/",
            "https://[2001:db8::1]/",
        ] {
            assert_eq!(check_url(outside, none), Ok(()), "{outside}");
        }
        assert_eq!(
            check_url("ftp://sms.example.gr/", none),
            Err(Refused::NotAUrl)
        );
        let named = ["127.0.0.1".to_owned(), "::1".to_owned()];
        assert_eq!(check_url("http://127.0.0.1:9000/send", &named), Ok(()));
        assert_eq!(check_url("http://[::1]:9000/send", &named), Ok(()));
        assert!(check_url("http://169.254.169.254/", &named).is_err());
    }

    #[tokio::test]
    async fn a_name_that_resolves_inside_is_refused_unless_named() {
        use tower_service::Service;
        let name = |host: &str| host.parse::<Name>().unwrap();
        let mut guarded = Guarded::new(Vec::new());
        let refused = guarded.call(name("localhost")).await.err().unwrap();
        assert_eq!(refused.kind(), std::io::ErrorKind::PermissionDenied);
        let mut allowing = Guarded::new(vec!["localhost".to_owned()]);
        let found: Vec<_> = allowing.call(name("localhost")).await.unwrap().collect();
        assert!(found.iter().all(|a| a.ip().is_loopback()), "{found:?}");
    }
}
