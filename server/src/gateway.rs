//! Messages to citizens over HTTP: a site's message gateway (an SMS provider's API, a mail
//! relay), whose request is made from the site's templates ([`fill`]), and browsers' push
//! services ([`crate::push`] makes those requests); sending either ([`Gateways::send`]).
//! Appointment reminders ([`crate::reminders`]) and near-turn messages ([`crate::alerts`])
//! go through it. The contact is in the request and nowhere else: only the answer's status
//! is ever logged.

use std::time::Duration;

/// The parts of a gateway a request is made from (the same in every kind of message).
#[derive(Debug, Clone, Copy)]
pub struct Templates<'a> {
    pub url: &'a str,
    pub method: &'a str,
    pub body: Option<&'a str>,
    pub content_type: &'a str,
    pub authorization: Option<&'a str>,
}

impl<'a> From<&'a seira_protocol::admin::ReminderGateway> for Templates<'a> {
    fn from(g: &'a seira_protocol::admin::ReminderGateway) -> Self {
        Templates {
            url: &g.url,
            method: &g.method,
            body: g.body.as_deref(),
            content_type: &g.content_type,
            authorization: g.authorization.as_deref(),
        }
    }
}

impl<'a> From<&'a seira_protocol::admin::MessageGateway> for Templates<'a> {
    fn from(g: &'a seira_protocol::admin::MessageGateway) -> Self {
        Templates {
            url: &g.url,
            method: &g.method,
            body: g.body.as_deref(),
            content_type: &g.content_type,
            authorization: g.authorization.as_deref(),
        }
    }
}

/// One request to a gateway or a push service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filled {
    pub method: String,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Option<Vec<u8>>,
}

impl Filled {
    /// The value of header `name`, if the request has it.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body as text (a gateway's body is always text).
    pub fn body_text(&self) -> Option<&str> {
        self.body
            .as_deref()
            .and_then(|b| std::str::from_utf8(b).ok())
    }
}

/// What came of an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sent {
    /// Taken (a 2xx answer).
    Yes,
    /// Not now: not reached, too slow, or refused for a while. Try again later.
    Later,
    /// Never: the address is gone (404, 410: the browser's subscription ended).
    Never,
}

/// Replaces each `{name}` of `template` by its value, encoded by `encode`.
fn replace(template: &str, words: &[(&str, &str)], encode: impl Fn(&str) -> String) -> String {
    words
        .iter()
        .fold(template.to_owned(), |text, (key, value)| {
            text.replace(&format!("{{{key}}}"), &encode(value))
        })
}

fn form_encode(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

/// The request for these words (`name → value`): placeholders percent-encoded in the
/// address, and in the body as the content type needs them (JSON string content,
/// form-encoded, or as they are).
pub fn fill(templates: Templates<'_>, words: &[(&str, &str)]) -> Filled {
    let content_type = templates.content_type.to_ascii_lowercase();
    let body = templates.body.map(|body| {
        if content_type.contains("json") {
            replace(body, words, |v| {
                let quoted = serde_json::to_string(v).unwrap_or_default();
                quoted[1..quoted.len().saturating_sub(1).max(1)].to_owned()
            })
        } else if content_type.contains("x-www-form-urlencoded") {
            replace(body, words, form_encode)
        } else {
            replace(body, words, str::to_owned)
        }
    });
    let mut headers = Vec::new();
    if body.is_some() {
        headers.push(("content-type".to_owned(), templates.content_type.to_owned()));
    }
    if let Some(authorization) = templates.authorization {
        headers.push(("authorization".to_owned(), authorization.to_owned()));
    }
    Filled {
        method: templates.method.to_owned(),
        url: replace(templates.url, words, form_encode),
        headers,
        body: body.map(String::into_bytes),
    }
}

/// How long one attempt may take.
const TIMEOUT: Duration = Duration::from_secs(10);

type Https = hyper_util::client::legacy::Client<
    hyper_rustls::HttpsConnector<
        hyper_util::client::legacy::connect::HttpConnector<crate::destination::Guarded>,
    >,
    http_body_util::Full<axum::body::Bytes>,
>;

/// The client of the gateways: HTTPS through rustls with ring (its own provider: nothing
/// global that other clients of the process would meet) and the system's trusted
/// certificates, or plain HTTP on the centre's own network. Never to this machine or a
/// metadata service unless the server's file names the host ([`crate::destination`]).
#[derive(Clone)]
pub struct Gateways {
    client: Https,
    /// Hosts inside that may be gateways all the same (`internal_gateway_hosts`).
    allowed: Vec<String>,
    /// What the log calls the messages (`reminder`, `near-turn message`).
    what: &'static str,
}

impl Gateways {
    pub fn new(what: &'static str, allowed: Vec<String>) -> Result<Gateways, std::io::Error> {
        // ring has no post-quantum key exchange (hence the deprecation); aws-lc-rs, which
        // has, needs cmake and a far longer build, for a message that says a time and a code.
        #[allow(deprecated)]
        let provider = rustls::crypto::ring::default_provider();
        let mut http = hyper_util::client::legacy::connect::HttpConnector::new_with_resolver(
            crate::destination::Guarded::new(allowed.clone()),
        );
        http.enforce_http(false);
        let connector = hyper_rustls::HttpsConnectorBuilder::new()
            .with_provider_and_native_roots(provider)?
            .https_or_http()
            .enable_http1()
            .wrap_connector(http);
        let client =
            hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
                .build(connector);
        Ok(Gateways {
            client,
            allowed,
            what,
        })
    }

    /// One attempt. Only the status is logged: the address and the body hold the contact.
    pub async fn send(&self, request: &Filled) -> Sent {
        let what = self.what;
        let method = if request.method == "GET" {
            axum::http::Method::GET
        } else {
            axum::http::Method::POST
        };
        let mut builder = axum::http::Request::builder()
            .method(method)
            .uri(&request.url)
            .header(axum::http::header::USER_AGENT, "seira");
        for (name, value) in &request.headers {
            builder = builder.header(name.as_str(), value.as_str());
        }
        if let Err(refused) = crate::destination::check_url(&request.url, &self.allowed) {
            // The reason names the host, never the address's path or query (the contact).
            tracing::warn!(reason = %refused, "{what}: not sent");
            return Sent::Never;
        }
        let body = request.body.clone().unwrap_or_default();
        let Ok(http_request) =
            builder.body(http_body_util::Full::new(axum::body::Bytes::from(body)))
        else {
            tracing::warn!("{what}: the address is not a valid URL");
            return Sent::Never;
        };
        match tokio::time::timeout(TIMEOUT, self.client.request(http_request)).await {
            Ok(Ok(response)) if response.status().is_success() => Sent::Yes,
            Ok(Ok(response)) => {
                let status = response.status().as_u16();
                tracing::warn!(status, "{what}: refused");
                if matches!(status, 404 | 410) {
                    Sent::Never
                } else {
                    Sent::Later
                }
            }
            Ok(Err(_)) => {
                tracing::warn!("{what}: not reached");
                Sent::Later
            }
            Err(_) => {
                tracing::warn!("{what}: no answer in time");
                Sent::Later
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const WORDS: &[(&str, &str)] = &[
        ("contact", "+30 6912 345678"),
        ("code", "KX7PQ4"),
        ("service", "Ψυχοκοινωνική \"στήριξη\""),
        ("place", "Κυδωνίας 29 & Γραφείο 3"),
    ];

    fn templates<'a>(content_type: &'a str, body: &'a str) -> Templates<'a> {
        Templates {
            url: "https://sms.example/send?to={contact}&ref={code}",
            method: "POST",
            body: Some(body),
            content_type,
            authorization: Some("Bearer k"),
        }
    }

    #[test]
    fn placeholders_are_encoded_as_each_part_needs() {
        let json = fill(
            templates(
                "application/json",
                r#"{"to":"{contact}","text":"{service}, {place}. {code}"}"#,
            ),
            WORDS,
        );
        assert_eq!(
            json.url,
            "https://sms.example/send?to=%2B30+6912+345678&ref=KX7PQ4"
        );
        let body: serde_json::Value = serde_json::from_str(json.body_text().unwrap()).unwrap();
        assert_eq!(body["to"], "+30 6912 345678");
        assert_eq!(
            body["text"],
            "Ψυχοκοινωνική \"στήριξη\", Κυδωνίας 29 & Γραφείο 3. KX7PQ4"
        );
        let form = fill(
            templates(
                "application/x-www-form-urlencoded",
                "to={contact}&text={place}",
            ),
            WORDS,
        );
        assert_eq!(
            form.body_text(),
            Some(
                "to=%2B30+6912+345678&text=%CE%9A%CF%85%CE%B4%CF%89%CE%BD%CE%AF%CE%B1%CF%82+29+%26+%CE%93%CF%81%CE%B1%CF%86%CE%B5%CE%AF%CE%BF+3"
            )
        );
        let plain = fill(templates("text/plain", "{code} {unknown}"), WORDS);
        assert_eq!(plain.body_text(), Some("KX7PQ4 {unknown}"));
        assert_eq!(plain.header("Authorization"), Some("Bearer k"));
        assert_eq!(plain.header("content-type"), Some("text/plain"));
    }
}
