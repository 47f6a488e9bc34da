//! TLS on the LAN without a proxy: the certificate the centre was given (`--tls-cert`,
//! `--tls-key`), or one the server makes for the LAN on its first start and keeps beside the
//! database. Staff trust the made one by its fingerprint, which the server prints at every
//! start and devices pin in their files.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use seira_protocol::fingerprint::Fingerprint;

/// What the accept loop needs to speak TLS, and what to tell people about it.
#[derive(Clone)]
pub struct Tls {
    pub config: Arc<rustls::ServerConfig>,
    /// The fingerprint of the server's own certificate (the chain's first).
    pub fingerprint: Fingerprint,
    /// The certificate's file.
    pub cert: PathBuf,
}

#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: rustls::pki_types::pem::Error,
    },
    #[error("{0} holds no certificate")]
    NoCertificate(PathBuf),
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot make a certificate: {0}")]
    Generate(#[from] rcgen::Error),
    #[error("the certificate and key do not make a TLS server: {0}")]
    Rustls(#[from] rustls::Error),
}

/// The file names of the certificate made for the LAN, in its folder.
pub const LAN_CERT: &str = "seira.crt";
pub const LAN_KEY: &str = "seira.key";

impl Tls {
    /// The certificate chain and key of these PEM files.
    pub fn from_files(cert: &Path, key: &Path) -> Result<Tls, TlsError> {
        let read = |path: &Path, source| TlsError::Read {
            path: path.to_owned(),
            source,
        };
        let chain = CertificateDer::pem_file_iter(cert)
            .map_err(|e| read(cert, e))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| read(cert, e))?;
        let key = PrivateKeyDer::from_pem_file(key).map_err(|e| read(key, e))?;
        let first = chain
            .first()
            .ok_or_else(|| TlsError::NoCertificate(cert.to_owned()))?;
        let fingerprint = Fingerprint::of(first.as_ref());
        // ring, as for the reminders (`reminder_sender::client`).
        #[allow(deprecated)]
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()?
            .with_no_client_auth()
            .with_single_cert(chain, key)?;
        // The accept loop speaks HTTP/1.1 only.
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(Tls {
            config: Arc::new(config),
            fingerprint,
            cert: cert.to_owned(),
        })
    }

    /// The certificate made for the LAN in `dir`: made the first time, for `names` (the
    /// machine's host name and addresses, which browsers compare), and kept, so that its
    /// fingerprint stays the one staff and devices trust. The key is readable by its owner
    /// only.
    pub fn for_the_lan(dir: &Path, names: &[String]) -> Result<Tls, TlsError> {
        let cert = dir.join(LAN_CERT);
        let key = dir.join(LAN_KEY);
        if !(cert.exists() && key.exists()) {
            let mut params = rcgen::CertificateParams::new(names.to_vec())?;
            params.distinguished_name = rcgen::DistinguishedName::new();
            params
                .distinguished_name
                .push(rcgen::DnType::CommonName, "seira on the centre's LAN");
            let pair = rcgen::KeyPair::generate()?;
            let made = params.self_signed(&pair)?;
            let write = |path: &Path, text: String, mode: u32| {
                let io = |source| TlsError::Write {
                    path: path.to_owned(),
                    source,
                };
                std::fs::create_dir_all(dir).map_err(io)?;
                let partial = path.with_extension("partial");
                let mut options = std::fs::OpenOptions::new();
                options.write(true).create(true).truncate(true);
                #[cfg(unix)]
                std::os::unix::fs::OpenOptionsExt::mode(&mut options, mode);
                #[cfg(not(unix))]
                let _ = mode;
                let mut file = options.open(&partial).map_err(io)?;
                std::io::Write::write_all(&mut file, text.as_bytes()).map_err(io)?;
                file.sync_all().map_err(io)?;
                std::fs::rename(&partial, path).map_err(io)
            };
            // The key first: a certificate without its key would be kept and fail forever.
            write(&key, pair.serialize_pem(), 0o600)?;
            write(&cert, made.pem(), 0o644)?;
            tracing::info!(cert = %cert.display(), "made a TLS certificate for the LAN");
        }
        Tls::from_files(&cert, &key)
    }
}

/// The fingerprint of the first certificate in a PEM file.
pub fn fingerprint_of(cert: &Path) -> Result<Fingerprint, TlsError> {
    let read = |source| TlsError::Read {
        path: cert.to_owned(),
        source,
    };
    let first = CertificateDer::pem_file_iter(cert)
        .map_err(read)?
        .next()
        .ok_or_else(|| TlsError::NoCertificate(cert.to_owned()))?
        .map_err(read)?;
    Ok(Fingerprint::of(first.as_ref()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lan_certificate_is_made_once_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let names = vec!["localhost".to_owned(), "10.0.0.2".to_owned()];
        let first = Tls::for_the_lan(dir.path(), &names).unwrap();
        let again = Tls::for_the_lan(dir.path(), &names).unwrap();
        assert_eq!(first.fingerprint, again.fingerprint);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(LAN_KEY))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o077, 0, "the key is its owner's only");
        }
    }

    #[test]
    fn a_missing_file_is_named() {
        let e = Tls::from_files(
            Path::new("/nonexistent/c.pem"),
            Path::new("/nonexistent/k.pem"),
        )
        .err()
        .unwrap();
        assert!(e.to_string().contains("/nonexistent/c.pem"), "{e}");
    }
}
