//! The pages in headless Chromium, driven through chromedriver (Debian packages `chromium`
//! and `chromium-driver`): a morning at the desk, a colleague's page updating live, the
//! phone page flipping to "called", and screenshots of each page.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use seira_server::auth::Role;
use serde_json::json;

use crate::helpers::{PASSWORD, TestApp, spawn_app};

/// A headless Chromium behind its own chromedriver; both end when dropped.
pub(crate) struct Browser {
    pub(crate) client: Client,
    driver: Child,
    _profile: tempfile::TempDir,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

pub(crate) async fn browser() -> Browser {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let driver = Command::new("chromedriver")
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver is installed (scripts/setup installs chromium-driver)");
    let profile = tempfile::tempdir().unwrap();
    let args = [
        "--headless=new".to_owned(),
        "--no-sandbox".into(),
        "--disable-gpu".into(),
        "--disable-dev-shm-usage".into(),
        "--disable-quic".into(),
        "--no-first-run".into(),
        "--disable-background-networking".into(),
        "--disable-component-update".into(),
        "--disable-sync".into(),
        "--window-size=1366,768".into(),
        "--lang=el".into(),
        format!("--user-data-dir={}", profile.path().display()),
    ];
    let mut caps = serde_json::Map::new();
    caps.insert("goog:chromeOptions".into(), json!({ "args": args }));
    let url = format!("http://127.0.0.1:{port}");
    let mut last_error = None;
    for _ in 0..100 {
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        match ClientBuilder::new(connector)
            .capabilities(caps.clone())
            .connect(&url)
            .await
        {
            Ok(client) => {
                return Browser {
                    client,
                    driver,
                    _profile: profile,
                };
            }
            Err(e) => last_error = Some(e),
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("chromedriver did not start: {last_error:?}");
}

/// Runs axe-core (npm, pinned in tests/a11y) on the page as it is now, and fails on any
/// critical or serious violation of WCAG 2.x A and AA or of axe's best practices.
pub(crate) async fn accessible(client: &Client, name: &str) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let axe = std::fs::read_to_string(root.join("tests/a11y/node_modules/axe-core/axe.min.js"))
        .expect("axe-core is installed (scripts/setup runs npm ci in tests/a11y)");
    client.execute(&axe, vec![]).await.unwrap();
    let found = client
        .execute_async(
            "const done = arguments[arguments.length - 1];\
             axe.run(document, { resultTypes: ['violations'] })\
               .then((r) => done(r.violations\
                 .filter((v) => v.impact === 'critical' || v.impact === 'serious')\
                 .map((v) => ({ id: v.id, impact: v.impact, help: v.help,\
                   nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ') + ' ' + n.html.slice(0, 120)) }))))\
               .catch((e) => done([{ id: 'axe-failed', help: String(e) }]));",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        found.as_array().map_or(1, Vec::len),
        0,
        "{name}: accessibility violations (axe-core):\n{}",
        serde_json::to_string_pretty(&found).unwrap()
    );
}

/// Where screenshots go: `target/screenshots`, and with `SEIRA_UPDATE_SCREENSHOTS=1` also
/// `docs/screenshots` (kept in the repository for the README). Every page pictured is also
/// checked with axe-core.
pub(crate) async fn screenshot(client: &Client, name: &str) {
    accessible(client, name).await;
    client
        .execute("window.scrollTo(0, 0)", vec![])
        .await
        .unwrap();
    let png = client.screenshot().await.unwrap();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut dirs = vec![root.join("target/screenshots")];
    if std::env::var_os("SEIRA_UPDATE_SCREENSHOTS").is_some() {
        dirs.push(root.join("docs/screenshots"));
    }
    for dir in dirs {
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("{name}.png")), &png).unwrap();
    }
}

/// Waits until the element's text contains `text` (30 s at most: the machine may be busy with
/// other tests, the fuzzer among them).
pub(crate) async fn wait_text(client: &Client, css: &str, text: &str) {
    let mut seen = String::new();
    for _ in 0..300 {
        if let Ok(element) = client.find(Locator::Css(css)).await {
            seen = element.text().await.unwrap_or_default();
            if seen.contains(text) {
                return;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let url = client
        .current_url()
        .await
        .map(|u| u.to_string())
        .unwrap_or_default();
    let source = client.source().await.unwrap_or_default();
    panic!("`{css}` should show `{text}`, shows `{seen}` at {url}:\n{source}");
}

/// Clicks the first button whose text is `label` (once it is enabled).
pub(crate) async fn click(client: &Client, label: &str) {
    let xpath = format!("//button[normalize-space(.)='{label}' and not(@disabled)]");
    for _ in 0..300 {
        if let Ok(button) = client.find(Locator::XPath(&xpath)).await
            && button.click().await.is_ok()
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("no enabled button `{label}`");
}

/// Signs in as a staff member: they land on their desk.
async fn sign_in(client: &Client, app: &TestApp, name: &str) {
    sign_in_to(client, app, name, "Γραφείο εξυπηρέτησης").await;
}

/// Signs in and waits for the page the account lands on (its heading).
pub(crate) async fn sign_in_to(client: &Client, app: &TestApp, name: &str, heading: &str) {
    client.goto(&format!("{}/login", app.base)).await.unwrap();
    client
        .find(Locator::Id("username"))
        .await
        .unwrap()
        .send_keys(name)
        .await
        .unwrap();
    client
        .find(Locator::Id("password"))
        .await
        .unwrap()
        .send_keys(PASSWORD)
        .await
        .unwrap();
    click(client, "Σύνδεση").await;
    wait_text(client, "h1", heading).await;
}

/// A flood from the join page, as staff meet it: the rows marked "from a phone", a button that
/// takes the last quarter hour's out at once, and its undo that puts them back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_take_a_flood_of_phone_tickets_out_and_put_it_back_in_the_browser() {
    let config = seira_server::config::Config::embedded();
    let mut chania = config.site_settings(config.site("chania").unwrap());
    for service in &mut chania.services {
        service.phone_join = service.id == "benefits";
    }
    let app =
        crate::helpers::spawn_with(config.with_site(chania).unwrap().always_open(), None).await;
    app.add_user("maria", Role::Staff, Some("chania"), &["chania-1"]);
    app.open_desk("chania-1").await;
    app.issue("benefits", None).await;
    for i in 0..4 {
        let response = reqwest::Client::new()
            .post(format!("{}/api/v1/sites/chania/join", app.base))
            // Four phones (their cookies), one address.
            .header("cookie", format!("seira_phone=phone-{i}"))
            .json(&json!({"service": "benefits", "request_id": format!("flood-{i}")}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), reqwest::StatusCode::CREATED);
    }
    let maria = browser().await;
    sign_in(&maria.client, &app, "maria").await;
    wait_text(&maria.client, "#waiting-table", "από κινητό").await;
    wait_text(
        &maria.client,
        "#phone-flood",
        "Αριθμοί από κινητά σε αναμονή: 4",
    )
    .await;
    screenshot(&maria.client, "desk-phone-flood").await;
    click(
        &maria.client,
        "Αφαίρεση όσων πάρθηκαν τα τελευταία 15 λεπτά",
    )
    .await;
    wait_text(
        &maria.client,
        "#message-text",
        "Αριθμοί από κινητά που αφαιρέθηκαν: 4",
    )
    .await;
    let rows = maria
        .client
        .find_all(Locator::Css("#waiting-table tbody tr"))
        .await
        .unwrap();
    assert_eq!(rows.len(), 1, "the kiosk's ticket stays");
    click(&maria.client, "Αναίρεση").await;
    wait_text(
        &maria.client,
        "#message-text",
        "Αριθμοί που επέστρεψαν στη θέση τους: 4",
    )
    .await;
    wait_text(
        &maria.client,
        "#phone-flood",
        "Αριθμοί από κινητά σε αναμονή: 4",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_morning_at_the_desk_in_the_browser() {
    let app = spawn_app().await;
    app.add_user("maria", Role::Staff, Some("chania"), &["chania-1"]);
    app.add_user("nikos", Role::Staff, Some("chania"), &["chania-2"]);
    let maria = browser().await;
    let nikos = browser().await;
    let phone = browser().await;

    // The sign-in page, in Greek.
    maria
        .client
        .goto(&format!("{}/login", app.base))
        .await
        .unwrap();
    wait_text(&maria.client, "h1", "Σύνδεση προσωπικού").await;
    screenshot(&maria.client, "login").await;
    sign_in(&maria.client, &app, "maria").await;
    sign_in(&nikos.client, &app, "nikos").await;

    // Citizens take tickets at the kiosk; the first in Greek (its phone page is in Greek).
    let (status, first) = app
        .post(
            "/api/v1/sites/chania/tickets",
            "kiosk",
            Some(json!({"service": "benefits", "lang": "el", "request_id": "greek-1"})),
        )
        .await;
    assert_eq!(status, reqwest::StatusCode::CREATED, "{first}");
    let first: seira_protocol::IssuedTicket = serde_json::from_value(first).unwrap();
    app.issue("benefits", Some("elderly")).await;
    app.issue("psychosocial", None).await;
    // Nikos's page counts them without reloading.
    wait_text(
        &nikos.client,
        "#queues li[data-service='benefits'] .count",
        "2",
    )
    .await;

    // Maria opens her desk and calls: the priority ticket comes first (1:2).
    click(&maria.client, "Άνοιγμα γραφείου").await;
    wait_text(&maria.client, "#desk-state", "Ανοιχτό").await;
    click(&maria.client, "Επόμενος").await;
    wait_text(&maria.client, "#ticket-number", "A002").await;
    wait_text(&maria.client, "#message", "Καλέσατε τον αριθμό A002").await;
    wait_text(
        &nikos.client,
        "#queues li[data-service='benefits'] .count",
        "1",
    )
    .await;
    click(&maria.client, "Έναρξη εξυπηρέτησης").await;
    wait_text(&maria.client, "#ticket-state", "Εξυπηρετείται").await;
    screenshot(&maria.client, "desk-quiet").await;

    // She sends the citizen on to the psychologist.
    let transfer = maria.client.find(Locator::Id("transfer-to")).await.unwrap();
    transfer.select_by_value("psychosocial").await.unwrap();
    click(&maria.client, "Μεταφορά").await;
    wait_text(&maria.client, "#in-hand", "Κανένας πολίτης στο γραφείο").await;
    wait_text(
        &nikos.client,
        "#queues li[data-service='psychosocial'] .count",
        "2",
    )
    .await;

    // The holder of A001 follows on the phone; it flips to "called" when Maria calls it.
    phone.client.set_window_size(412, 915).await.unwrap();
    phone
        .client
        .goto(&format!("{}/t/{}", app.base, first.id))
        .await
        .unwrap();
    wait_text(&phone.client, "#status", "Είστε ο επόμενος").await;
    wait_text(&phone.client, "#status", "Πλησιάζει η σειρά σας").await;
    click(&maria.client, "Επόμενος").await;
    wait_text(&maria.client, "#ticket-number", "A001").await;
    wait_text(&phone.client, "#status", "Σας καλούν στο: Γραφείο 1").await;
    screenshot(&phone.client, "phone").await;

    // Start and finish with the keyboard: S starts, D finishes (Α and Ο on a Greek layout).
    maria
        .client
        .find(Locator::Css("body"))
        .await
        .unwrap()
        .send_keys("s")
        .await
        .unwrap();
    wait_text(&maria.client, "#ticket-state", "Εξυπηρετείται").await;
    maria
        .client
        .find(Locator::Css("body"))
        .await
        .unwrap()
        .send_keys("d")
        .await
        .unwrap();
    wait_text(&maria.client, "#message", "Ο αριθμός A001 ολοκληρώθηκε").await;

    // Nothing more for her services: a clear message.
    click(&maria.client, "Επόμενος").await;
    wait_text(&maria.client, "#message", "Κανείς δεν περιμένει").await;

    // A pause needs a reason, and shows it.
    click(&maria.client, "Παύση").await;
    wait_text(&maria.client, "#message", "Γράψτε μια σύντομη αιτία παύσης").await;
    maria
        .client
        .find(Locator::Id("pause-reason"))
        .await
        .unwrap()
        .send_keys("διάλειμμα")
        .await
        .unwrap();
    click(&maria.client, "Παύση").await;
    wait_text(&maria.client, "#desk-state", "Σε παύση (διάλειμμα)").await;
    wait_text(&nikos.client, "#desks", "Σε παύση").await;

    // The kiosk's printer runs out of paper: the desk pages say so, live.
    let (status, _) = app
        .post(
            "/api/v1/sites/chania/devices/heartbeat",
            "kiosk",
            Some(json!({"printer": "paper_out"})),
        )
        .await;
    assert_eq!(status, reqwest::StatusCode::NO_CONTENT);
    wait_text(&nikos.client, "#devices", "ΧΩΡΙΣ ΧΑΡΤΙ").await;

    // The lobby board in a browser.
    phone.client.set_window_size(1920, 1080).await.unwrap();
    phone
        .client
        .goto(&format!("{}/board/chania", app.base))
        .await
        .unwrap();
    wait_text(&phone.client, "#now", "A001").await;
    // A 24-hour clock, as in Greece: never "π.μ." / "μ.μ.".
    let clock = phone
        .client
        .find(Locator::Id("clock"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let time = clock.rsplit(' ').next().unwrap_or_default();
    assert!(
        !clock.contains("μ.μ.")
            && !clock.contains("π.μ.")
            && time.len() == 5
            && time.as_bytes()[2] == b':',
        "{clock}"
    );
    screenshot(&phone.client, "board").await;

    // The English switch.
    maria
        .client
        .goto(&format!("{}/desk?lang=en", app.base))
        .await
        .unwrap();
    wait_text(&maria.client, "h1", "Service desk").await;
    wait_text(&maria.client, "#desk-state", "Paused").await;

    for b in [&maria, &nikos, &phone] {
        b.client.clone().close().await.unwrap();
    }
}

pub(crate) async fn fill(client: &Client, css: &str, value: &str) {
    let input = client.find(Locator::Css(css)).await.unwrap();
    input.clear().await.unwrap();
    input.send_keys(value).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_adds_a_desk_and_a_kiosk_token_in_the_browser() {
    let app = spawn_app().await;
    app.add_user("root", Role::Admin, None, &[]);
    app.add_user("maria", Role::Staff, Some("chania"), &["chania-1"]);
    let admin = browser().await;
    let staff = browser().await;
    // Admins land on the administration page, in sections.
    sign_in_to(&admin.client, &app, "root", "Διαχείριση").await;
    wait_text(&admin.client, "#centre", "Ωράριο").await;
    // Every section's tables have headers, every field a label (axe-core checks each).
    for tab in [
        "services",
        "desks",
        "calling",
        "priorities",
        "news",
        "closures",
        "users",
        "tokens",
    ] {
        admin
            .client
            .find(Locator::Css(&format!("nav.tabs a[data-tab={tab}]")))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        wait_text(
            &admin.client,
            &format!("nav.tabs a[data-tab={tab}][aria-current=page]"),
            "",
        )
        .await;
        accessible(&admin.client, &format!("admin #{tab}")).await;
    }

    // A new service, named in all six kiosk languages: nothing is flagged missing.
    let tab = |name: &'static str| {
        let client = admin.client.clone();
        async move {
            client
                .find(Locator::Css(&format!("nav.tabs a[data-tab={name}]")))
                .await
                .unwrap()
                .click()
                .await
                .unwrap();
        }
    };
    tab("services").await;
    wait_text(&admin.client, "#services", "Επιδόματα").await;
    click(&admin.client, "Προσθήκη υπηρεσίας").await;
    let new = "#services-list > .service:last-of-type";
    wait_text(
        &admin.client,
        "#services-missing",
        "Υπηρεσίες χωρίς όλες τις μεταφράσεις: 1",
    )
    .await;
    fill(&admin.client, &format!("{new} input[data-key=id]"), "legal").await;
    fill(&admin.client, &format!("{new} input[data-key=prefix]"), "N").await;
    for (lang, name) in [
        ("el", "Νομική συμβουλευτική"),
        ("en", "Legal advice"),
        ("ar", "الاستشارة القانونية"),
        ("fa", "مشاوره حقوقی"),
        ("uk", "Юридична консультація"),
        ("sq", "Këshillim ligjor"),
    ] {
        fill(
            &admin.client,
            &format!("{new} input[data-lang={lang}]"),
            name,
        )
        .await;
    }
    admin
        .client
        .find(Locator::Css(&format!("{new} select[data-key=icon]")))
        .await
        .unwrap()
        .select_by_value("mediation")
        .await
        .unwrap();
    wait_text(&admin.client, "#services-missing", "").await;
    screenshot(&admin.client, "admin-services").await;

    // A fifth office for the child psychologist's second room.
    tab("desks").await;
    click(&admin.client, "Προσθήκη γραφείου").await;
    let new = "#desks-list > .desk:last-of-type";
    fill(
        &admin.client,
        &format!("{new} input[data-key=id]"),
        "chania-5",
    )
    .await;
    fill(
        &admin.client,
        &format!("{new} input[data-lang=el]"),
        "Γραφείο 5",
    )
    .await;
    fill(
        &admin.client,
        &format!("{new} input[data-lang=en]"),
        "Office 5",
    )
    .await;
    admin
        .client
        .find(Locator::Css(&format!(
            "{new} li[data-service=children] input"
        )))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    // Monday afternoons too, and Christmas closed.
    tab("centre").await;
    fill(
        &admin.client,
        "input[data-day=mon]",
        "07:30-15:30, 17:00-19:00",
    )
    .await;
    tab("closures").await;
    click(&admin.client, "Προσθήκη ημέρας").await;
    admin
        .client
        .execute(
            "const i = document.querySelector('#closure-rows input[data-key=closed]'); i.value = '2026-12-25';",
            vec![],
        )
        .await
        .unwrap();
    tab("news").await;
    click(&admin.client, "Προσθήκη γραμμής").await;
    fill(
        &admin.client,
        "#news-rows > .news-line:last-of-type input[data-lang=el]",
        "Κλειστά τα Χριστούγεννα",
    )
    .await;
    fill(
        &admin.client,
        "#news-rows > .news-line:last-of-type input[data-lang=ar]",
        "مغلق في عيد الميلاد",
    )
    .await;
    click(&admin.client, "Αποθήκευση ρυθμίσεων").await;
    wait_text(&admin.client, "#message", "Οι ρυθμίσεις αποθηκεύτηκαν").await;
    let (_, desks) = app.get("/api/v1/sites/chania/desks", "admin").await;
    let added = desks
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == "chania-5")
        .unwrap();
    assert_eq!(added["services"], json!(["children"]));
    let (_, settings) = app
        .get("/api/v1/admin/sites/chania/settings", "admin")
        .await;
    assert_eq!(
        settings["settings"]["hours"]["mon"],
        json!(["07:30-15:30", "17:00-19:00"])
    );
    assert_eq!(settings["settings"]["closed_days"], json!(["2026-12-25"]));
    let legal = settings["settings"]["services"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "legal")
        .unwrap();
    assert_eq!(legal["names"]["fa"], "مشاوره حقوقی");
    assert_eq!(legal["icon"], "mediation");
    let news = settings["settings"]["news"].as_array().unwrap();
    assert_eq!(news.last().unwrap()["ar"], "مغلق في عيد الميلاد");
    // The kiosk offers it in Arabic.
    let services = app.client(Some("kiosk")).services("chania").await.unwrap();
    let offered = services.services.iter().find(|s| s.id == "legal").unwrap();
    assert_eq!(offered.names["ar"], "الاستشارة القانونية");

    // A priority category renamed in Ukrainian.
    tab("priorities").await;
    fill(
        &admin.client,
        "#priority-rows > .priority:first-of-type input[data-lang=uk]",
        "Особа з інвалідністю",
    )
    .await;
    click(&admin.client, "Αποθήκευση κατηγοριών").await;
    wait_text(&admin.client, "#message", "Οι ρυθμίσεις αποθηκεύτηκαν").await;
    let services = app.client(Some("kiosk")).services("chania").await.unwrap();
    assert_eq!(services.priorities[0].names["uk"], "Особа з інвалідністю");

    // A wrong change is refused with the reason, in Greek, and nothing changes.
    tab("centre").await;
    fill(&admin.client, "input[data-day=tue]", "15:30-07:30").await;
    click(&admin.client, "Αποθήκευση ρυθμίσεων").await;
    wait_text(&admin.client, "#message", "κλείνει πριν ανοίξει").await;
    fill(&admin.client, "input[data-day=tue]", "07:30-15:30").await;

    // A token for the entrance kiosk, shown once.
    tab("tokens").await;
    let role = admin
        .client
        .find(Locator::Css("#tokens select"))
        .await
        .unwrap();
    role.select_by_value("kiosk").await.unwrap();
    fill(
        &admin.client,
        "#tokens form .field:nth-child(4) input",
        "περίπτερο εισόδου",
    )
    .await;
    click(&admin.client, "Δημιουργία κλειδιού").await;
    wait_text(&admin.client, "#new-token", "δεν θα εμφανιστεί ξανά").await;
    let token = admin
        .client
        .find(Locator::Id("token-value"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap()
        .unwrap();
    let kiosk = seira_protocol::Client::new(&app.base, Some(token)).unwrap();
    assert!(kiosk.services("chania").await.is_ok());
    screenshot(&admin.client, "admin").await;

    // Staff cannot open the page.
    sign_in(&staff.client, &app, "maria").await;
    staff
        .client
        .goto(&format!("{}/admin", app.base))
        .await
        .unwrap();
    wait_text(&staff.client, "main", "μόνο για διαχειριστές").await;

    for b in [&admin, &staff] {
        b.client.clone().close().await.unwrap();
    }
}

/// A manager signs in and lands on the statistics: a month of realistic days (the demo
/// filler), the figures at a glance agreeing with the API, four charts, the tables, and the
/// downloads; then the same page in English.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_manager_reads_the_last_month_in_the_browser() {
    let app = spawn_app().await;
    app.add_user("eleni", Role::Manager, Some("chania"), &[]);
    let config = seira_server::config::Config::embedded();
    let store = seira_server::store::Store::open(&app.db_path).unwrap();
    let last_day: jiff::civil::Date = "2026-11-20".parse().unwrap();
    let made = seira_server::demo::fill(
        &store,
        &config,
        &seira_server::demo::Plan {
            last_day,
            days: 20,
            seed: 7,
        },
    )
    .unwrap();
    assert_eq!(made.days, 20);
    drop(store);

    let browser = browser().await;
    let client = &browser.client;
    client.goto(&format!("{}/login", app.base)).await.unwrap();
    fill(client, "#username", "eleni").await;
    fill(client, "#password", PASSWORD).await;
    click(client, "Σύνδεση").await;
    wait_text(client, "h1", "Στατιστικά").await;

    let period = "from=2026-10-26&to=2026-11-20";
    client
        .goto(&format!("{}/stats?{period}", app.base))
        .await
        .unwrap();
    wait_text(client, ".report-head", "26/10/2026").await;
    let (_, figures) = app
        .get(&format!("/api/v1/stats?site=chania&{period}"), "manager")
        .await;
    let issued = figures["totals"]["issued"].as_u64().unwrap();
    assert!(issued > 300, "a month of a centre: {issued} tickets");
    let kpis = client
        .find(Locator::Css(".kpis"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(kpis.contains(&issued.to_string()), "{kpis}");
    assert!(kpis.contains("Διάμεση αναμονή"), "{kpis}");
    let charts = client
        .find_all(Locator::Css("figure.chart svg"))
        .await
        .unwrap();
    assert_eq!(charts.len(), 4);
    let tables = client
        .find(Locator::Css("main"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for expected in [
        "Ανά υπηρεσία",
        "Επιδόματα και ΚΕΑ",
        "Γραφείο 3",
        "staff-1",
        "Δευτέρα",
        "Χωρίς και με ραντεβού",
        "Αξιοποίηση χρόνου",
    ] {
        assert!(tables.contains(expected), "{expected} on the page");
    }
    // The simulated month has appointments, most kept, some missed.
    let booked = &figures["appointments"][0];
    let (count, came, missed) = (
        booked["booked"].as_u64().unwrap(),
        booked["attended"].as_u64().unwrap(),
        booked["no_show"].as_u64().unwrap(),
    );
    assert!(count > 100 && came > count / 2 && missed > 0, "{booked}");
    let xlsx = client
        .find(Locator::Css("a[href^='/api/v1/stats.xlsx']"))
        .await
        .unwrap()
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    // The download works with the page's session cookie.
    let cookie = client.get_named_cookie("seira_session").await.unwrap();
    let file = app
        .http
        .get(format!("{}{}", app.base, xlsx.replace("&amp;", "&")))
        .header("Cookie", format!("seira_session={}", cookie.value()))
        .send()
        .await
        .unwrap();
    assert_eq!(file.status(), 200);
    assert!(file.bytes().await.unwrap().starts_with(b"PK"));

    // Today, now, follows the queue: a citizen takes a ticket, the panel shows it.
    wait_text(client, "#live-nobody", "Κανείς δεν περιμένει").await;
    app.issue("psychosocial", None).await;
    client
        .execute(
            "document.dispatchEvent(new Event('visibilitychange'))",
            vec![],
        )
        .await
        .unwrap();
    wait_text(client, "#live-rows", "Ψυχοκοινωνική στήριξη").await;

    client.set_window_size(1366, 2600).await.unwrap();
    screenshot(client, "stats").await;
    client
        .goto(&format!("{}/stats?{period}&lang=en", app.base))
        .await
        .unwrap();
    wait_text(client, "h1", "Statistics").await;
    wait_text(client, ".kpis", "Median wait").await;
}

/// The number of rows of the waiting list wholly inside the window, as the user sees it.
async fn rows_in_view(client: &Client) -> u64 {
    client
        .execute(
            "return [...document.querySelectorAll('#waiting-table tbody tr')]\
             .filter(r => r.getBoundingClientRect().bottom <= window.innerHeight).length",
            vec![],
        )
        .await
        .unwrap()
        .as_u64()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_worst_hour_at_the_desk_on_a_laptop() {
    let app = spawn_app().await;
    app.add_user("maria", Role::Staff, Some("chania"), &["chania-1"]);
    let maria = browser().await;
    sign_in(&maria.client, &app, "maria").await;
    // A full morning: twelve waiting for her services, one of them long past its target,
    // and others waiting for the psychologist.
    let start = jiff::Timestamp::now();
    app.set_time(start - jiff::SignedDuration::from_mins(50));
    let early = app.issue("referrals", None).await;
    app.set_time(start);
    for i in 0..11 {
        let service = if i % 3 == 0 { "referrals" } else { "benefits" };
        let priority = (i == 4).then_some("disability");
        app.issue(service, priority).await;
    }
    for _ in 0..3 {
        app.issue("psychosocial", None).await;
    }
    click(&maria.client, "Άνοιγμα γραφείου").await;
    wait_text(&maria.client, "#waiting-table", "B001").await;
    // The list has headers, the next one marked, the overdue one flagged.
    wait_text(&maria.client, "#waiting-table thead", "Αριθμός").await;
    wait_text(&maria.client, "#waiting-table tr.next", "Επόμενος").await;
    wait_text(
        &maria.client,
        "#waiting-table tr.overdue",
        "πάνω από τον στόχο",
    )
    .await;
    wait_text(&maria.client, "#others", "Άλλες υπηρεσίες: 3 σε αναμονή").await;
    let next = maria
        .client
        .find(Locator::Css("#waiting-table tr.next td.num"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    // Enter calls: the row marked next is the one called.
    maria
        .client
        .find(Locator::Css("body"))
        .await
        .unwrap()
        .send_keys("\u{E007}")
        .await
        .unwrap();
    wait_text(&maria.client, "#ticket-number", &next).await;
    assert_eq!(next, early.number, "the overdue ticket goes first");
    click(&maria.client, "Έναρξη εξυπηρέτησης").await;
    wait_text(&maria.client, "#ticket-state", "Εξυπηρετείται").await;
    let rows = rows_in_view(&maria.client).await;
    assert!(rows >= 8, "only {rows} waiting rows fit on 1366×768");
    screenshot(&maria.client, "desk").await;

    // Done and next in one press; then a no-show by mistake, undone.
    click(&maria.client, "Ολοκλήρωση και επόμενος").await;
    wait_text(&maria.client, "#message", "ολοκληρώθηκε· καλέσατε").await;
    click(&maria.client, "Δεν προσήλθε").await;
    wait_text(&maria.client, "#message", "Αναίρεση δυνατή για 15 λεπτά").await;
    let gone = maria
        .client
        .find(Locator::Css("#message-text"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let number = gone.split_whitespace().nth(2).unwrap().to_owned();
    screenshot(&maria.client, "desk-undo").await;
    click(&maria.client, "Αναίρεση").await;
    wait_text(&maria.client, "#message", "είναι ξανά στο γραφείο σας").await;
    wait_text(&maria.client, "#ticket-number", &number).await;

    // A transfer to the psychologist at Office 4 only, keeping the place, with a note.
    click(&maria.client, "Έναρξη εξυπηρέτησης").await;
    wait_text(&maria.client, "#ticket-state", "Εξυπηρετείται").await;
    let to = maria.client.find(Locator::Id("transfer-to")).await.unwrap();
    to.select_by_value("psychosocial").await.unwrap();
    maria
        .client
        .find(Locator::Css("#transfer-more summary"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    maria
        .client
        .find(Locator::Id("transfer-desk"))
        .await
        .unwrap()
        .select_by_value("chania-4")
        .await
        .unwrap();
    fill(&maria.client, "#transfer-note", "θέλει διερμηνέα").await;
    click(&maria.client, "Μεταφορά").await;
    wait_text(&maria.client, "#message", "κρατά τη θέση του").await;
    let (_, queue) = app.get("/api/v1/desks/chania-4/queue", "admin").await;
    let sent = queue["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["ticket"]["number"] == number.as_str())
        .unwrap_or_else(|| panic!("{number} at chania-4: {queue}"));
    assert_eq!(sent["note"], "θέλει διερμηνέα");
    assert_eq!(sent["only_this_desk"], true);
    maria.client.clone().close().await.unwrap();
}

/// Books an appointment at Chios through the API as the admin; its code.
async fn book_at_chios(
    app: &TestApp,
    service: &str,
    desk: &str,
    start: jiff::Timestamp,
    minutes: u32,
) -> String {
    let (status, booked) = app
        .post(
            "/api/v1/sites/chios/appointments",
            "admin",
            Some(
                json!({"service": service, "desk": desk, "start": start.to_string(),
                "minutes": minutes, "request_id": seira_server::auth::new_ticket_id()}),
            ),
        )
        .await;
    assert_eq!(status, reqwest::StatusCode::CREATED, "{booked}");
    booked["code"].as_str().unwrap().to_owned()
}

/// A day of appointments at the biggest centre: the psychologist's, the nurse's and the
/// employment counsellor's books filled; reception books one more on the book page (its
/// contact never shown again), then checks a citizen in at the desk page by code and sees
/// the appointment first in the desk's list and called first.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reception_books_and_checks_in_at_chios_in_the_browser() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let config = seira_server::config::Config::load(&root.join("examples/chios.toml"))
        .unwrap()
        .always_open();
    let app = crate::helpers::spawn_with(config, None).await;
    app.add_user("eleni", Role::Staff, Some("chios"), &[]);
    let nine = TestApp::this_morning() - jiff::SignedDuration::from_hours(1);
    let at = |m: i64| nine + jiff::SignedDuration::from_mins(m);
    app.set_time(at(-90));
    let mut first = String::new();
    for (i, m) in [0, 45, 90, 135, 180].into_iter().enumerate() {
        let code = book_at_chios(&app, "psychosocial", "chios-4", at(m), 45).await;
        if i == 0 {
            first = code;
        }
    }
    for m in [0, 20, 40, 60] {
        book_at_chios(&app, "health", "chios-7", at(m), 20).await;
    }
    book_at_chios(&app, "employment", "chios-5", at(60), 30).await;

    // The server's clock moves in small steps from here: a session idle 30 minutes ends.
    app.set_time(at(-10));
    let b = browser().await;
    let c = &b.client;
    sign_in(c, &app, "eleni").await;
    c.goto(&format!("{}/appointments", app.base)).await.unwrap();
    wait_text(c, "h1", "Βιβλίο ραντεβού").await;
    wait_text(c, "#book", &first).await;
    wait_text(c, "#week", "10 ραντεβού").await;
    // One more, for the employment counsellor at 11:00, with a phone for a reminder.
    c.execute(
        "const s = document.getElementById('new-service'); s.value = 'employment';\
         s.dispatchEvent(new Event('change'));",
        vec![],
    )
    .await
    .unwrap();
    c.execute(
        "document.getElementById('new-time').value = '11:00';",
        vec![],
    )
    .await
    .unwrap();
    fill(c, "#new-contact", "6912345678").await;
    fill(c, "#new-note", "πρώτη συνάντηση").await;
    click(c, "Κλείσιμο ραντεβού").await;
    wait_text(c, "#message", "Κωδικός").await;
    wait_text(c, "#week", "11 ραντεβού").await;
    wait_text(c, "table[data-desk=chios-5]", "11:00").await;
    wait_text(c, "table[data-desk=chios-5]", "πρώτη συνάντηση").await;
    let source = c.source().await.unwrap();
    assert!(
        !source.contains("6912345678"),
        "the contact is never shown again"
    );
    screenshot(c, "book-chios").await;
    // Bookings made elsewhere: the file is checked first, its bad line named.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("kep.csv");
    let day = (nine.to_zoned_datetime(jiff::tz::TimeZone::get("Europe/Athens").unwrap()))
        .date()
        .strftime("%d/%m/%Y")
        .to_string();
    std::fs::write(
        &file,
        format!(
            "date;time;service;reference\n{day};13:00;health;KEP-1\n{day};13:00;nowhere;KEP-2\n"
        ),
    )
    .unwrap();
    c.find(Locator::Id("import-file"))
        .await
        .unwrap()
        .send_keys(&file.display().to_string())
        .await
        .unwrap();
    click(c, "Έλεγχος αρχείου").await;
    wait_text(c, "#import-errors", "Γραμμή 3").await;
    wait_text(c, "#import-report", "1 γραμμές μπορούν").await;

    // Five minutes before nine the first citizen is at reception.
    app.set_time(at(-5));
    c.goto(&format!("{}/desk", app.base)).await.unwrap();
    wait_text(c, "h1", "Γραφείο εξυπηρέτησης").await;
    c.execute(
        "const s = document.getElementById('desk-select'); s.value = 'chios-4';\
         s.dispatchEvent(new Event('change'));",
        vec![],
    )
    .await
    .unwrap();
    wait_text(c, "#appointments-table", "09:45").await;
    let typed = format!("{}-{}", &first[..3], first[3..].to_lowercase());
    fill(c, "#check-in-code", &typed).await;
    click(c, "Προσήλθε").await;
    wait_text(c, "#message", "καλείται πρώτος από τις 09:00").await;
    wait_text(
        c,
        &format!("#appointments-table tr[data-code=\"{first}\"]"),
        "Προσήλθε",
    )
    .await;
    // A walk-in came earlier; from nine the appointment is first in the desk's list.
    app.set_time(at(-4));
    let (status, _) = app
        .post(
            "/api/v1/sites/chios/tickets",
            "admin",
            Some(json!({"service": "psychosocial", "request_id": "walk-in-1"})),
        )
        .await;
    assert_eq!(status, reqwest::StatusCode::CREATED);
    app.set_time(at(0));
    click(c, "Άνοιγμα γραφείου").await;
    wait_text(c, "#waiting-table tr.next", "P001").await;
    screenshot(c, "desk-appointments").await;
    click(c, "Επόμενος").await;
    wait_text(c, "#ticket-number", "P001").await;

    // 10:01: nobody checked in for 09:45 (nor for the nurse's 09:00–09:40): the
    // housekeeping (every 30 s) makes them no-shows and frees their time.
    app.set_time(at(61));
    let mut states = Vec::new();
    for _ in 0..90 {
        let (_, day) = app.get("/api/v1/sites/chios/appointments", "admin").await;
        states = day
            .as_array()
            .unwrap()
            .iter()
            .map(|a| {
                (
                    a["start"].as_str().unwrap().to_owned(),
                    a["service"].as_str().unwrap().to_owned(),
                    a["state"].as_str().unwrap().to_owned(),
                )
            })
            .collect::<Vec<_>>();
        if states.iter().filter(|(_, _, s)| s == "no_show").count() == 4 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let no_shows: Vec<(&str, &str)> = states
        .iter()
        .filter(|(_, _, s)| s == "no_show")
        .map(|(start, service, _)| (start.as_str(), service.as_str()))
        .collect();
    assert_eq!(no_shows.len(), 4, "{states:?}");
    assert!(
        no_shows
            .iter()
            .any(|(start, service)| *service == "psychosocial" && *start == at(45).to_string()),
        "{states:?}"
    );
    // The 09:45 time is free again: another citizen is booked into it at once.
    app.set_time(at(40));
    let rebooked = book_at_chios(&app, "psychosocial", "chios-4", at(45), 45).await;
    assert_eq!(rebooked.len(), 6);
    // The day's statistics: appointments apart from walk-ins, the no-shows counted.
    let day = nine
        .to_zoned_datetime(jiff::tz::TimeZone::get("Europe/Athens").unwrap())
        .date();
    let (_, stats) = app
        .get(
            &format!("/api/v1/stats?site=chios&from={day}&to={day}"),
            "admin",
        )
        .await;
    let total = &stats["appointments"][0];
    assert_eq!(total["booked"], 12, "{total}");
    assert_eq!(total["attended"], 1, "{total}");
    assert_eq!(total["no_show"], 4, "{total}");
    let channels: Vec<(&str, u64)> = stats["by_channel"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| (g["key"].as_str().unwrap(), g["arrivals"].as_u64().unwrap()))
        .collect();
    assert_eq!(channels, [("walk_in", 1), ("appointment", 1)], "{stats}");
}
