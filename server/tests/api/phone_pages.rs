//! The citizens' phone pages in headless Chromium at 360×740, as a phone meets them: the
//! ticket's page in each of the six kiosk languages (Arabic and Farsi right to left) at the
//! largest centre, the near-turn alert (a number typed on the page reaching a local fake
//! gateway, the tab's title changing), and a citizen who joins from the door's QR poster,
//! is called, and rates the visit into the managers' statistics. Every screenshot is checked
//! with axe-core.

use std::path::PathBuf;

use fantoccini::{Client, Locator};
use seira_protocol::IssuedTicket;
use seira_protocol::admin::{MessageGateway, NearTurn};
use seira_server::auth::Role;
use seira_server::config::Config;
use serde_json::json;

use crate::browser::{browser, click, fill, screenshot, wait_text};
use crate::fake_gateway::{self, wait_for};
use crate::helpers::{TestApp, spawn_tweaked, spawn_with};

const PHONE: (u32, u32) = (360, 740);

fn gateway(url: &str) -> MessageGateway {
    MessageGateway {
        url: url.to_owned(),
        method: "POST".into(),
        body: Some(r#"{"to":"{contact}","text":"{text}"}"#.into()),
        content_type: "application/json".into(),
        authorization: None,
    }
}

/// A ticket issued by `who` in `lang`, a millisecond after the one before (so that each has
/// its own place in the line).
async fn issue_in(app: &TestApp, site: &str, who: &str, service: &str, lang: &str) -> IssuedTicket {
    static NEXT: std::sync::atomic::AtomicI64 = std::sync::atomic::AtomicI64::new(1);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    app.set_time(TestApp::this_morning() + jiff::SignedDuration::from_secs(n));
    let (status, body) = app
        .post(
            &format!("/api/v1/sites/{site}/tickets"),
            who,
            Some(json!({"service": service, "lang": lang,
                "request_id": seira_server::auth::new_ticket_id()})),
        )
        .await;
    assert_eq!(status, reqwest::StatusCode::CREATED, "{body}");
    serde_json::from_value(body).unwrap()
}

/// Screenshots of the whole page at the phone's size: its top (checked with axe-core) as
/// `name`, and scrolled to its end as `name-end` (a phone's window cannot be made taller than
/// its screen).
async fn whole_page(client: &Client, name: &str) {
    screenshot(client, name).await;
    client
        .execute(
            "window.scrollTo(0, document.documentElement.scrollHeight)",
            vec![],
        )
        .await
        .unwrap();
    let png = client.screenshot().await.unwrap();
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(format!("{name}-end.png")), png).unwrap();
}

/// What the page says of itself: its language, direction, and whether it is wider than the
/// phone (a sideways scroll).
async fn layout(client: &Client) -> (String, String, bool) {
    let v = client
        .execute(
            "return [document.documentElement.lang, document.documentElement.dir, \
             document.documentElement.scrollWidth > window.innerWidth];",
            vec![],
        )
        .await
        .unwrap();
    (
        v[0].as_str().unwrap().to_owned(),
        v[1].as_str().unwrap().to_owned(),
        v[2].as_bool().unwrap(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_phone_page_in_six_languages_at_the_largest_centre() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let (url, _received) = fake_gateway::start(0).await;
    let config = Config::load(&root.join("examples/chios.toml")).unwrap();
    let mut chios = config.site_settings(config.site("chios").unwrap());
    chios.near_turn.gateway = Some(gateway(&url));
    let config = config
        .with_site(chios)
        .unwrap()
        .always_open()
        .allowing_gateway_at(crate::fake_gateway::HOST);
    let app = spawn_with(config, None).await;
    // A full morning: nine ahead of the first language's ticket.
    for _ in 0..9 {
        issue_in(&app, "chios", "admin", "benefits", "el").await;
    }
    let phone = browser().await;
    phone
        .client
        .set_window_size(PHONE.0, PHONE.1)
        .await
        .unwrap();
    let expected = [
        ("el", "ltr", "Μπροστά σας: 9", "Εκτιμώμενη αναμονή"),
        ("en", "ltr", "Ahead of you: 10", "Estimated wait"),
        ("ar", "rtl", "أمامك: 11", "الانتظار المتوقع"),
        ("fa", "rtl", "نفرات جلوی شما: 12", "زمان انتظار تخمینی"),
        ("uk", "ltr", "Перед вами: 13", "Орієнтовне очікування"),
        ("sq", "ltr", "Para jush: 14", "Pritja e parashikuar"),
    ];
    for (lang, dir, ahead, wait) in expected {
        let ticket = issue_in(&app, "chios", "admin", "benefits", lang).await;
        phone
            .client
            .goto(&format!("{}/t/{}", app.base, ticket.id))
            .await
            .unwrap();
        wait_text(&phone.client, "#status", ahead).await;
        wait_text(&phone.client, "#status", wait).await;
        let form = phone.client.find(Locator::Id("phone")).await.unwrap();
        assert!(
            form.is_displayed().await.unwrap(),
            "{lang}: the number can be typed"
        );
        let (page_lang, page_dir, too_wide) = layout(&phone.client).await;
        assert_eq!((page_lang.as_str(), page_dir.as_str()), (lang, dir));
        assert!(
            !too_wide,
            "{lang}: the page is wider than a 360-pixel phone"
        );
        if matches!(lang, "ar" | "uk") {
            whole_page(&phone.client, &format!("phone-{lang}")).await;
        } else {
            screenshot(&phone.client, &format!("phone-{lang}")).await;
        }
    }
    // The switch: from Arabic to Albanian and back to Greek, on the same ticket.
    phone
        .client
        .find(Locator::Css("nav.lang a[hreflang=el]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_text(&phone.client, "#status", "Μπροστά σας: 14").await;
    assert_eq!(layout(&phone.client).await.0, "el");
    phone.client.clone().close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_number_typed_on_the_phone_page_gets_the_near_turn_message() {
    let (url, received) = fake_gateway::start(0).await;
    let config = Config::embedded();
    let mut chania = config.site_settings(config.site("chania").unwrap());
    chania.near_turn = NearTurn {
        ahead: 1,
        minutes: 0,
        gateway: Some(gateway(&url)),
    };
    let config = config
        .with_site(chania)
        .unwrap()
        .always_open()
        .allowing_gateway_at(crate::fake_gateway::HOST);
    let app = spawn_tweaked(config, None, |app| {
        app.with_alerts_every(std::time::Duration::from_millis(100))
    })
    .await;
    app.open_desk("chania-1").await;
    for _ in 0..2 {
        issue_in(&app, "chania", "kiosk", "benefits", "el").await;
    }
    let ticket = issue_in(&app, "chania", "kiosk", "benefits", "el").await;
    let phone = browser().await;
    phone
        .client
        .set_window_size(PHONE.0, PHONE.1)
        .await
        .unwrap();
    phone
        .client
        .goto(&format!("{}/t/{}", app.base, ticket.id))
        .await
        .unwrap();
    wait_text(&phone.client, "#status", "Μπροστά σας: 2").await;
    click(&phone.client, "Ήχος και δόνηση σε αυτή τη σελίδα").await;
    wait_text(&phone.client, "#sound-on", "Ο ήχος είναι ενεργός").await;
    fill(&phone.client, "#phone", "69 1234 5678").await;
    click(&phone.client, "Στείλτε μου SMS").await;
    wait_text(&phone.client, "#text-saved", "Θα σας στείλουμε SMS").await;
    whole_page(&phone.client, "phone-alerts").await;
    assert!(received.lock().unwrap().is_empty(), "not near yet");

    // Desk 1 calls the first: one ahead, near. The message goes; the page says so itself.
    app.call_next("chania-1", "staff1").await.unwrap();
    wait_for(&received, 1).await;
    let body: serde_json::Value = serde_json::from_str(&received.lock().unwrap()[0].2).unwrap();
    assert_eq!(body["to"], "+306912345678");
    assert!(
        body["text"].as_str().unwrap().contains(&ticket.number),
        "{body}"
    );
    wait_text(&phone.client, "#status", "Πλησιάζει η σειρά σας").await;
    let title = phone.client.title().await.unwrap();
    assert!(title.starts_with("Πλησιάζει η σειρά σας"), "{title}");
    whole_page(&phone.client, "phone-near").await;
    phone.client.clone().close().await.unwrap();
}

/// The door's poster, as staff print it (its QR code and the day's code, checked with
/// axe-core), and the phone that scans it: an Arabic reader takes a number with the code the
/// QR code carries; without it the page says, in Arabic, to scan the poster at the door.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_doors_poster_lets_a_phone_at_the_door_take_a_number() {
    let config = Config::embedded();
    let mut chania = config.site_settings(config.site("chania").unwrap());
    for service in &mut chania.services {
        service.phone_join = service.id == "benefits";
    }
    chania.phone_joining.door_code = true;
    let app = spawn_with(config.with_site(chania).unwrap().always_open(), None).await;
    app.add_user("maria", Role::Staff, Some("chania"), &["chania-1"]);
    let staff = browser().await;
    crate::browser::sign_in_to(&staff.client, &app, "maria", "Γραφείο εξυπηρέτησης").await;
    staff
        .client
        .goto(&format!("{}/join/chania/poster", app.base))
        .await
        .unwrap();
    wait_text(&staff.client, "h1", "Κέντρο Κοινότητας").await;
    let code = staff
        .client
        .find(Locator::Id("door-code"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(code.len(), 4, "{code}");
    screenshot(&staff.client, "poster").await;

    let phone = browser().await;
    phone
        .client
        .set_window_size(PHONE.0, PHONE.1)
        .await
        .unwrap();
    // Without the code (the address passed around): told to scan the poster at the door.
    phone
        .client
        .goto(&format!("{}/join/chania?lang=ar", app.base))
        .await
        .unwrap();
    phone
        .client
        .find(Locator::Css("button.join[data-service=benefits]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_text(&phone.client, "#join-message", "رمز QR").await;
    // With the code the QR code carries: a number.
    phone
        .client
        .goto(&format!("{}/join/chania?door={code}&lang=ar", app.base))
        .await
        .unwrap();
    phone
        .client
        .find(Locator::Css("button.join[data-service=benefits]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_text(&phone.client, "#number", "A001").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_citizen_joins_from_a_phone_is_called_and_rates_the_visit() {
    let config = Config::embedded();
    let mut chania = config.site_settings(config.site("chania").unwrap());
    for service in &mut chania.services {
        service.phone_join = service.id != "children";
    }
    let config = config
        .with_site(chania)
        .unwrap()
        .always_open()
        .allowing_gateway_at(crate::fake_gateway::HOST);
    let app = spawn_with(config, None).await;
    app.add_user("dimitra", Role::Manager, Some("chania"), &[]);
    app.open_desk("chania-1").await;
    let phone = browser().await;
    phone
        .client
        .set_window_size(PHONE.0, PHONE.1)
        .await
        .unwrap();
    phone
        .client
        .goto(&format!("{}/join/chania?lang=fa", app.base))
        .await
        .unwrap();
    wait_text(&phone.client, "h1", "گرفتن نوبت").await;
    screenshot(&phone.client, "join-fa").await;
    let (lang, dir, too_wide) = layout(&phone.client).await;
    assert_eq!(
        (lang.as_str(), dir.as_str(), too_wide),
        ("fa", "rtl", false)
    );
    phone
        .client
        .find(Locator::Css("button.join[data-service=benefits]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    // The ticket's own page, in the language the citizen read the poster in.
    wait_text(&phone.client, "#status", "نفر بعدی شما هستید").await;
    let number = phone
        .client
        .find(Locator::Id("number"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(number, "A001");

    // Called, served and done at desk 1: the page asks for a rating, once.
    let called = app.call_next("chania-1", "staff1").await.unwrap();
    assert_eq!(called.number, "A001");
    wait_text(&phone.client, "#status", "لطفاً بروید به").await;
    let title = phone.client.title().await.unwrap();
    assert!(title.starts_with("نوبت شماست"), "{title}");
    app.act(&called.id, "start", "staff1").await;
    app.act(&called.id, "done", "staff1").await;
    wait_text(&phone.client, "#feedback", "مراجعه امروز شما چطور بود").await;
    whole_page(&phone.client, "phone-rating").await;
    phone
        .client
        .find(Locator::Css("#feedback .score[data-score='4']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_text(&phone.client, "#thanks", "از نظر شما سپاسگزاریم").await;

    // The manager's statistics page counts it.
    let manager = app.signed_in("dimitra").await;
    let html = manager
        .get(format!("{}/stats?lang=en", app.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Citizens&#39; mean rating"), "{html}");
    assert!(
        html.contains("4.0 (1)"),
        "the rating reached the statistics"
    );
    phone.client.clone().close().await.unwrap();
}

/// The page's own code asks for notifications, registers its service worker, subscribes with
/// the server's key and hands the subscription over; the push arrives at a local push
/// service, sealed for the browser. Only the browser's push service itself is stood in for
/// (Chromium's is Google's, out of reach here): `PushManager.subscribe` answers with a
/// subscription to the local one, with keys the test holds, and the permission is granted
/// as a citizen's tap would grant it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_phone_allows_notifications_and_the_push_arrives() {
    let (push_url, pushed) = crate::fake_push::start().await;
    let config = Config::embedded();
    let mut chania = config.site_settings(config.site("chania").unwrap());
    chania.near_turn = NearTurn {
        ahead: 1,
        minutes: 0,
        gateway: None,
    };
    let config = config
        .with_site(chania)
        .unwrap()
        .always_open()
        .allowing_gateway_at(crate::fake_gateway::HOST)
        .allowing_push_to(&push_url);
    let app = spawn_tweaked(config, None, |app| {
        app.with_alerts_every(std::time::Duration::from_millis(100))
    })
    .await;
    app.open_desk("chania-1").await;
    for _ in 0..2 {
        issue_in(&app, "chania", "kiosk", "benefits", "sq").await;
    }
    let ticket = issue_in(&app, "chania", "kiosk", "benefits", "sq").await;
    let (_, key) = app.get("/api/v1/push/key", "").await;
    let server_key = key["key"].as_str().unwrap().to_owned();
    let phone = browser().await;
    phone
        .client
        .set_window_size(PHONE.0, PHONE.1)
        .await
        .unwrap();
    phone
        .client
        .goto(&format!("{}/t/{}", app.base, ticket.id))
        .await
        .unwrap();
    wait_text(&phone.client, "#status", "Para jush: 2").await;
    let keys = crate::fake_push::BrowserKeys::new();
    phone
        .client
        .execute(
            "const [endpoint, keys] = arguments;\
             Notification.requestPermission = async () => 'granted';\
             PushManager.prototype.subscribe = async function (options) {\
               window.seiraKeyLength = options.applicationServerKey.byteLength;\
               return { endpoint, toJSON: () => ({ endpoint, expirationTime: null, keys }) };\
             };",
            vec![json!(format!("{push_url}sq-phone")), keys.json()],
        )
        .await
        .unwrap();
    click(&phone.client, "Më njoftoni në këtë telefon").await;
    wait_text(&phone.client, "#push-on", "Do të njoftoheni").await;
    let length = phone
        .client
        .execute("return window.seiraKeyLength;", vec![])
        .await
        .unwrap();
    assert_eq!(length, 65, "subscribed with the server's P-256 key");
    let worker = phone
        .client
        .execute_async(
            "const done = arguments[0];\
             navigator.serviceWorker.getRegistration('/t/').then((r) => done(r ? r.scope : null));",
            vec![],
        )
        .await
        .unwrap();
    assert!(
        worker.as_str().is_some_and(|s| s.ends_with("/t/")),
        "the service worker serves the ticket pages: {worker}"
    );
    whole_page(&phone.client, "phone-push").await;

    app.call_next("chania-1", "staff1").await.unwrap();
    crate::fake_push::wait_for(&pushed, 1).await;
    let (headers, body) = pushed.lock().unwrap()[0].clone();
    let notice = keys.read(&headers, &body, &server_key);
    assert!(
        notice["title"]
            .as_str()
            .unwrap()
            .starts_with("Radha juaj po afron"),
        "{notice}"
    );
    wait_text(&phone.client, "#status", "Radha juaj po afron").await;
    phone.client.clone().close().await.unwrap();
}
