//! The estimated wait a citizen is told: the site's open desks played forward by the calling
//! rules (`queue/forecast.rs`), as the ticket, the phone page and the kiosk's list say it.

use jiff::SignedDuration;
use reqwest::StatusCode;

use crate::helpers::{athens, spawn_app};

#[tokio::test]
async fn the_wait_follows_the_desks_order_of_services_and_the_desks_open() {
    let app = spawn_app().await;
    let start = athens("2026-11-16 09:00");
    app.set_time(start);
    // Chania's desk 1 calls benefits before referrals; no service measured yet, so each
    // ticket takes its configured time (benefits 15, referrals 20 minutes) and two minutes
    // around it.
    app.open_desk("chania-1").await;
    for i in 0..3 {
        app.set_time(start + SignedDuration::from_secs(i));
        app.issue("benefits", None).await;
    }
    app.set_time(start + SignedDuration::from_secs(3));
    let referral = app.issue("referrals", None).await;
    assert_eq!(referral.position, 0, "nobody ahead in its own line");
    assert_eq!(
        referral.estimated_wait_s,
        3 * 17 * 60,
        "the three benefits tickets go first at the only desk"
    );
    let track = |id: String| {
        let app = &app;
        async move {
            let (status, body) = app.get(&format!("/api/v1/tickets/{id}/track"), "").await;
            assert_eq!(status, StatusCode::OK, "{body}");
            body
        }
    };
    assert_eq!(
        track(referral.id.clone()).await["estimated_wait_s"],
        3 * 17 * 60
    );
    // What the kiosk lists for a referrals ticket taken now: behind that one too.
    let (status, services) = app.get("/api/v1/sites/chania/services", "kiosk").await;
    assert_eq!(status, StatusCode::OK, "{services}");
    let referrals = services["services"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "referrals")
        .unwrap();
    assert_eq!(
        referrals["estimated_wait_s"],
        (3 * 17 + 22) * 60,
        "{referrals}"
    );

    // Desk 2 opens and calls the oldest first: two benefits go at once, and the referral
    // when the first desk is free again.
    app.open_desk("chania-2").await;
    let tracked = track(referral.id.clone()).await;
    assert_eq!(tracked["estimated_wait_s"], 17 * 60, "{tracked}");
    assert_eq!(
        tracked["wait_range_s"],
        serde_json::Value::Null,
        "one measure: no range"
    );
}
