//! Reaching citizens where they wait: the ticket's link under the site's public address.

use seira_server::config::Config;

use crate::helpers::spawn_with;

fn with_public_url(url: &str) -> Result<Config, seira_server::config::ConfigErrors> {
    let config = Config::embedded().always_open();
    let chania = config.site("chania").unwrap();
    let mut settings = config.site_settings(chania);
    settings.public_url = Some(url.to_owned());
    config.with_site(settings)
}

#[tokio::test]
async fn a_ticket_links_to_the_sites_public_address_and_others_to_the_server() {
    let config = with_public_url("https://oura.chania.gr/").unwrap();
    let app = spawn_with(config, None).await;
    let ticket = app.issue("benefits", None).await;
    assert_eq!(
        ticket.track_url,
        format!("https://oura.chania.gr/t/{}", ticket.id)
    );
    assert_eq!(
        ticket.track_link("http://10.0.0.2:8080"),
        ticket.track_url,
        "the kiosk prints the public address"
    );
    // Souda has none: its tickets carry the path, which the kiosk puts after its server.
    let souda = app.issue_at("souda", "souda_kiosk", "health", None).await;
    assert_eq!(souda.track_url, format!("/t/{}", souda.id));
    // The phone page answers at the path the public address passes on.
    let page = app
        .http
        .get(format!("{}/t/{}", app.base, ticket.id))
        .send()
        .await
        .unwrap();
    assert!(page.status().is_success());
}

#[test]
fn a_public_address_that_is_not_one_is_refused_in_both_languages() {
    let errors = with_public_url("oura.chania.gr").err().unwrap().to_string();
    assert!(errors.contains("public_url"), "{errors}");
}

#[tokio::test]
async fn the_printed_short_link_opens_the_same_ticket_however_it_is_typed() {
    let config = with_public_url("https://oura.chania.gr").unwrap();
    let app = spawn_with(config, None).await;
    let ticket = app.issue("benefits", None).await;
    let code = ticket
        .short_url
        .strip_prefix("https://oura.chania.gr/t/")
        .expect("under the public address")
        .to_owned();
    assert_eq!(code.len(), 11, "two groups of five: {code}");
    assert_eq!(
        ticket.printed_link("http://10.0.0.2:8080"),
        format!("oura.chania.gr/t/{code}")
    );
    for typed in [code.clone(), code.to_lowercase(), code.replace('-', "")] {
        let (status, view) = app.get(&format!("/api/v1/tickets/{typed}/track"), "").await;
        assert_eq!(status, reqwest::StatusCode::OK, "{typed}: {view}");
        assert_eq!(view["number"], ticket.number.as_str());
        let page = app
            .http
            .get(format!("{}/t/{typed}", app.base))
            .send()
            .await
            .unwrap();
        assert!(page.status().is_success(), "{typed}");
        assert!(page.text().await.unwrap().contains(&ticket.number));
    }
    let (status, _) = app.get("/api/v1/tickets/KX7PQ-4MN2A/track", "").await;
    assert_eq!(
        status,
        reqwest::StatusCode::NOT_FOUND,
        "a code nobody was given"
    );
}
