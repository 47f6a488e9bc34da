//! The frame every page shares, and HTML escaping.

use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use serde::Serialize;

use crate::i18n::Messages;

/// Escapes text for HTML content and attribute values.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// JSON for a `<script type="application/json">` block: `<` escaped so it cannot close it.
pub fn json_block<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value)
        .unwrap_or_else(|_| "{}".to_owned())
        .replace('<', "\\u003c")
}

/// A whole page. `context` goes to the page's script; `script` is its file in /assets.
pub struct Page<'a> {
    pub messages: &'a Messages,
    pub title: String,
    pub body: String,
    pub script: Option<&'a str>,
    pub context: Option<String>,
    /// Extra class on `<body>` (e.g. the lobby board's dark theme).
    pub body_class: &'a str,
    /// The languages the switch offers (the staff's two, or the phone pages' six).
    pub languages: &'a [&'a str],
    /// The language switch keeps the page's own path.
    pub path: String,
}

impl Page<'_> {
    pub fn render(self) -> Response {
        let m = self.messages;
        let context = self
            .context
            .map(|c| format!(r#"<script type="application/json" id="ctx">{c}</script>"#))
            .unwrap_or_default();
        let script = self
            .script
            .map(|s| {
                format!(
                    r#"<script src="/assets/common.js" defer></script><script src="/assets/{s}" defer></script>"#
                )
            })
            .unwrap_or_default();
        let separator = if self.path.contains('?') { '&' } else { '?' };
        // Each language by its own name, in its own script and direction.
        let switch: String = self
            .languages
            .iter()
            .map(|&lang| {
                let name = esc(&crate::i18n::public_messages(lang).get("language"));
                let dir = if crate::i18n::right_to_left(lang) { "rtl" } else { "ltr" };
                if lang == m.lang {
                    format!(r#"<span lang="{lang}" dir="{dir}" aria-current="true">{name}</span>"#)
                } else {
                    format!(
                        r#"<a href="{path}{separator}lang={lang}" hreflang="{lang}" lang="{lang}" dir="{dir}">{name}</a>"#,
                        path = esc(&self.path),
                    )
                }
            })
            .collect();
        let dir = if crate::i18n::right_to_left(&m.lang) {
            "rtl"
        } else {
            "ltr"
        };
        let html = format!(
            r##"<!doctype html>
<html lang="{lang}" dir="{dir}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · {app}</title>
<link rel="stylesheet" href="/assets/app.css">
{context}{script}
</head>
<body class="{body_class}">
<a class="skip" href="#main">{skip}</a>
<nav class="lang" aria-label="{languages}">{switch}</nav>
<main id="main">
{body}
</main>
</body>
</html>"##,
            lang = m.lang,
            title = esc(&self.title),
            app = esc(&m.get("app-name")),
            body_class = esc(self.body_class),
            skip = esc(&m.get("skip-to-content")),
            languages = esc(&m.get("choose-language")),
            body = self.body,
        );
        (
            [
                (
                    header::CONTENT_SECURITY_POLICY,
                    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                     connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
                ),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
                // Not `no-referrer`: with it a browser sends `Origin: null` on our own forms.
                (header::REFERRER_POLICY, "same-origin"),
                (header::CACHE_CONTROL, "no-store"),
            ],
            Html(html),
        )
            .into_response()
    }
}
