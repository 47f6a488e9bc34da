//! The kiosk as a citizen meets it, driven through egui_kittest (widgets found by their
//! labels), against a real server on 127.0.0.1:0 and a real printer link: a file, or a
//! serial line through a socat pseudo-terminal with a scripted printer at the far end.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use seira_hardware::testing::{PAPER_OUT, Pty, READY};
use seira_hardware::{PrinterSpec, Profile};
use seira_kiosk::model::Screen;
use seira_kiosk::{KioskApp, Settings, Setup};
use seira_server::auth::{Role, new_token, token_scope};
use seira_server::config::Config;
use seira_server::store::{self, Store, StoreError};

/// A real server on a free port, on its own runtime thread.
struct Server {
    base: String,
    kiosk_token: String,
    db: PathBuf,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    _dir: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

fn server() -> Server {
    server_for(Config::embedded(), "chania")
}

/// A server for `config`, with a kiosk token of `site`.
fn server_for(config: Config, site: &str) -> Server {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("seira.db");
    let store = Store::open(&db).unwrap();
    let caller = token_scope(
        &config,
        Role::Kiosk,
        Some(site.into()),
        Vec::new(),
        "kiosk".into(),
    )
    .unwrap();
    let (kiosk_token, hash) = new_token();
    store
        .write(|tx| {
            store::insert_token(tx, &hash, &caller, jiff::Timestamp::now())
                .map_err(StoreError::from)
        })
        .unwrap();
    let app = seira_server::App::new(config, store).unwrap().always_open();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let (addr_tx, addr_rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            addr_tx.send(listener.local_addr().unwrap()).unwrap();
            seira_server::run(listener, app, async {
                let _ = stopped.await;
            })
            .await
            .unwrap();
        });
    });
    let addr = addr_rx.recv().unwrap();
    Server {
        base: format!("http://{addr}"),
        kiosk_token,
        db,
        stop: Some(stop),
        _dir: dir,
    }
}

fn setup(server: &str, token: &str, printer: Option<&str>) -> Setup {
    Setup {
        pin: None,
        server: server.into(),
        token: token.into(),
        site: "chania".into(),
        printer: printer.map(|p| p.parse::<PrinterSpec>().unwrap()),
        profile: Profile::named("generic-80").unwrap(),
        printer_timeout: Duration::from_millis(500),
        speech: seira_kiosk::SpeechOutput::Silent,
    }
}

fn kiosk(settings: Settings, setup: Setup) -> Harness<'static, KioskApp> {
    kiosk_sized(settings, setup, (1080.0, 1400.0))
}

fn kiosk_sized(settings: Settings, setup: Setup, size: (f32, f32)) -> Harness<'static, KioskApp> {
    Harness::builder()
        .with_size(egui::Vec2::new(size.0, size.1))
        .build_eframe(move |cc| KioskApp::new(&cc.egui_ctx, settings, setup))
}

/// Steps the UI until `done` holds (10 s at most).
fn wait(harness: &mut Harness<'static, KioskApp>, what: &str, done: impl Fn(&KioskApp) -> bool) {
    let started = Instant::now();
    loop {
        harness.step();
        if done(harness.state()) {
            // A touch changes the state at the end of a frame: draw the new screen.
            harness.step();
            return;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "waited for {what}; screen is {:?}",
            harness.state().kiosk.screen
        );
        std::thread::sleep(Duration::from_millis(30));
    }
}

fn ready(app: &KioskApp) -> bool {
    app.kiosk.services.is_some() && app.kiosk.blocker().is_none()
}

/// Renders the screen to `target/screenshots/NAME.png` (and `docs/screenshots` with
/// `SEIRA_UPDATE_SCREENSHOTS=1`), to be looked at.
fn screenshot(harness: &mut Harness<'static, KioskApp>, name: &str) {
    let image = harness
        .render()
        .expect("the kiosk renders (Vulkan: mesa-vulkan-drivers)");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut dirs = vec![root.join("target/screenshots")];
    if std::env::var_os("SEIRA_UPDATE_SCREENSHOTS").is_some() {
        dirs.push(root.join("docs/screenshots"));
    }
    for dir in dirs {
        std::fs::create_dir_all(&dir).unwrap();
        image.save(dir.join(format!("{name}.png"))).unwrap();
    }
}

#[test]
fn a_greek_ticket_in_two_touches_printed_and_on_the_server() {
    let server = server();
    // A serial printer at the far end of a pseudo-terminal: it records the bytes.
    let pty = Pty::new().expect("socat is installed (scripts/setup installs it)");
    let paper = pty.printer(READY);
    let printer = pty.spec();
    let mut h = kiosk(
        Settings::default(),
        setup(&server.base, &server.kiosk_token, Some(&printer)),
    );
    wait(&mut h, "services and printer", ready);
    screenshot(&mut h, "kiosk-home-el");
    h.get_by_label_contains("Επιδόματα και ΚΕΑ").click();
    wait(&mut h, "the priority step", |a| {
        matches!(a.kiosk.screen, Screen::Priority { .. })
    });
    h.get_by_label("Όχι, συνέχεια").click();
    wait(&mut h, "the printed ticket", |a| {
        matches!(a.kiosk.screen, Screen::Ticket { printed: true, .. })
    });
    h.get_by_label("A001");
    // Nobody ahead: "you are next", never "about 0 minutes".
    h.get_by_label_contains("Η σειρά σας έρχεται");
    assert!(h.query_by_label_contains("0 λεπτά").is_none());
    screenshot(&mut h, "kiosk-ticket-el");
    // "Done" goes back to the start.
    h.get_by_label("Τέλος").click();
    wait(&mut h, "home", |a| a.kiosk.screen == Screen::Home);
    // Closing the kiosk and the line hands over what the printer received.
    drop(h);
    drop(pty);
    let bytes = paper.recv_timeout(Duration::from_secs(10)).unwrap();
    let profile = Profile::named("generic-80").unwrap();
    let lines = seira_hardware::reader::lines(
        &seira_hardware::reader::read(&bytes, profile.greek_pages).unwrap(),
    );
    assert!(lines.iter().any(|l| l == "A001"), "{lines:?}");
    assert!(
        lines.iter().any(|l| l.contains("Η σειρά σας έρχεται")),
        "{lines:?}"
    );
    assert!(
        lines.iter().any(|l| l == "Κέντρο Κοινότητας Δήμου Χανίων"),
        "{lines:?}"
    );
    // The server has exactly one ticket.
    let store = Store::open(&server.db).unwrap();
    let count: i64 = store
        .read(|tx| {
            tx.query_row("SELECT COUNT(*) FROM tickets", [], |r| r.get(0))
                .map_err(StoreError::from)
        })
        .unwrap();
    assert_eq!(count, 1);
}

#[test]
fn an_arabic_ticket_with_the_priority_step_and_the_timeout_home() {
    let server = server();
    let settings = Settings {
        home_after: Duration::from_millis(800),
        more_time_for: Duration::from_millis(800),
        ..Settings::default()
    };
    let mut h = kiosk(settings, setup(&server.base, &server.kiosk_token, None));
    wait(&mut h, "services", ready);
    h.get_by_label("العربية").click();
    wait(&mut h, "Arabic", |a| a.kiosk.lang == "ar");
    screenshot(&mut h, "kiosk-home-ar");
    h.get_by_label_contains("الإعانات").click();
    wait(&mut h, "the priority step", |a| {
        matches!(a.kiosk.screen, Screen::Priority { .. })
    });
    h.get_by_label_contains("فأكثر").click();
    wait(&mut h, "the ticket", |a| {
        matches!(a.kiosk.screen, Screen::Ticket { printed: true, .. })
    });
    h.get_by_label("رقمك");
    screenshot(&mut h, "kiosk-ticket-ar");
    // Untouched, it goes back to the start, in Greek. Without a printer the number on the
    // screen is all the citizen has, so it asks whether they need more time first.
    wait(&mut h, "the question", |a| {
        matches!(a.kiosk.screen, Screen::MoreTime { .. })
    });
    wait(&mut h, "home again", |a| {
        a.kiosk.screen == Screen::Home && a.kiosk.lang == "el"
    });
}

#[test]
fn a_server_that_is_down_says_so_and_issues_nothing() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut h = kiosk(
        Settings::default(),
        setup(&format!("http://127.0.0.1:{port}"), "seira_x", None),
    );
    wait(&mut h, "the offline message", |a| {
        a.kiosk.services.is_none() && !a.kiosk.online
    });
    h.get_by_label_contains("Δεν υπάρχει σύνδεση με τον διακομιστή");
}

#[test]
fn a_printer_out_of_paper_greys_the_kiosk_out() {
    let server = server();
    let pty = Pty::new().expect("socat is installed (scripts/setup installs it)");
    let _printer = pty.printer(PAPER_OUT);
    let mut h = kiosk(
        Settings::default(),
        setup(&server.base, &server.kiosk_token, Some(&pty.spec())),
    );
    wait(&mut h, "the printer's state", |a| {
        matches!(
            a.kiosk.printer,
            Some(Ok(seira_hardware::PrinterState::PaperOut))
        )
    });
    h.get_by_label_contains("Ο εκτυπωτής δεν λειτουργεί");
    // Touching a service does nothing.
    h.get_by_label_contains("Επιδόματα και ΚΕΑ").click();
    for _ in 0..5 {
        h.step();
    }
    assert_eq!(h.state().kiosk.screen, Screen::Home);
    screenshot(&mut h, "kiosk-paper-out-el");
    // Staff learn it from the server.
    let store = Store::open(&server.db).unwrap();
    let started = Instant::now();
    loop {
        let printer: String = store
            .read(|tx| {
                tx.query_row(
                    "SELECT COALESCE((SELECT printer FROM devices LIMIT 1), '')",
                    [],
                    |r| r.get(0),
                )
                .map_err(StoreError::from)
            })
            .unwrap();
        if printer == "paper_out" {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the heartbeat reached the server"
        );
        h.step();
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The largest configuration (Chios: seven services with long names) in Arabic, on a 720p
/// touch screen and a portrait one: every service is on the screen to touch.
#[test]
fn the_biggest_centre_in_arabic_fits_a_small_and_a_portrait_screen() {
    let config =
        Config::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/chios.toml"))
            .unwrap();
    let server = server_for(config, "chios");
    for (name, size) in [
        ("kiosk-chios-ar-720p", (1280.0, 720.0)),
        ("kiosk-chios-ar-portrait", (1080.0, 1920.0)),
    ] {
        let mut setup = setup(&server.base, &server.kiosk_token, None);
        setup.site = "chios".into();
        let mut h = kiosk_sized(Settings::default(), setup, size);
        wait(&mut h, "services", ready);
        h.get_by_label("العربية").click();
        wait(&mut h, "Arabic", |a| a.kiosk.lang == "ar");
        for service in [
            "الإعانات",
            "الإحالة",
            "الإرشاد",
            "والاجتماعي",
            "التعليمي",
            "الممرض",
            "الوساطة",
        ] {
            let button = h.get_by_label_contains(service);
            let rect = button.rect();
            assert!(
                rect.min.y >= 0.0 && rect.max.y <= size.1 && rect.max.x <= size.0,
                "{name}: `{service}` is off the screen at {rect:?}"
            );
        }
        screenshot(&mut h, name);
    }
}

/// Books an appointment at `site` for `service` at the next 5-minute mark (check-in is open
/// from 10 minutes before), through the engine's door as the command line would; its code.
fn book_now(server: &Server, config: &Config, site: &str, service: &str) -> String {
    let store = Store::open(&server.db).unwrap();
    let now = jiff::Timestamp::now();
    let step = 5 * 60 * 1000;
    let start =
        jiff::Timestamp::from_millisecond((now.as_millisecond() / step + 1) * step).unwrap();
    let config = config.clone().always_open();
    let operator = seira_server::auth::Caller::operator();
    store
        .write(|tx| {
            let mut ctx = seira_server::engine::Ctx::new(tx, &config, now, Some(&operator));
            let (booked, _) = ctx.book(
                site,
                &seira_protocol::NewAppointment {
                    service: service.into(),
                    desk: None,
                    start,
                    minutes: 45,
                    request_id: format!("kiosk-test-{service}"),
                    contact: None,
                    note: None,
                },
            )?;
            Ok::<_, seira_server::engine::EngineError>(booked.code)
        })
        .unwrap()
}

/// A citizen who reads Arabic checks in for the psychologist at the biggest centre on a 720p
/// kiosk: "I have an appointment", the code on the screen's keypad (one wrong character
/// first, corrected after the server said it is unknown), then the ticket with the time of
/// the appointment. A scanner that types the next code checks in from the start screen.
#[test]
fn an_appointment_is_checked_in_at_the_kiosk_by_its_code_in_arabic() {
    let config =
        Config::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/chios.toml"))
            .unwrap();
    let server = server_for(config.clone(), "chios");
    let code = book_now(&server, &config, "chios", "psychosocial");
    let mut setup = setup(&server.base, &server.kiosk_token, None);
    setup.site = "chios".into();
    let size = (1280.0, 720.0);
    let mut h = kiosk_sized(Settings::default(), setup.clone(), size);
    wait(&mut h, "services", ready);
    h.get_by_label("العربية").click();
    wait(&mut h, "Arabic", |a| a.kiosk.lang == "ar");
    h.get_by_label_contains("موعد").click();
    wait(&mut h, "the code screen", |a| {
        matches!(a.kiosk.screen, Screen::Code { .. })
    });
    // Five right, the last wrong.
    let wrong = if code.ends_with('X') { 'Y' } else { 'X' };
    for c in code[..5].chars().chain([wrong]) {
        h.get_by_label(&c.to_string()).click();
        h.step();
    }
    screenshot(&mut h, "kiosk-chios-ar-code");
    h.get_by_label("تأكيد").click();
    wait(&mut h, "unknown code", |a| {
        matches!(
            a.kiosk.screen,
            Screen::Code {
                problem: Some("code-unknown"),
                ..
            }
        )
    });
    h.get_by_label_contains("العثور");
    screenshot(&mut h, "kiosk-chios-ar-code-unknown");
    h.get_by_label_contains("مسح").click();
    h.step();
    h.get_by_label(&code[5..]).click();
    h.step();
    h.get_by_label("تأكيد").click();
    wait(&mut h, "the ticket", |a| {
        matches!(a.kiosk.screen, Screen::Ticket { printed: true, .. })
    });
    h.get_by_label("P001");
    h.get_by_label_contains("موعدك");
    // On a 720p screen too, the "Done" button is whole on the screen.
    let finish = seira_kiosk::texts::messages("ar").get("finish");
    let rect = h.get_by_label(&finish).rect();
    assert!(rect.max.y <= size.1, "Done is off the screen at {rect:?}");
    screenshot(&mut h, "kiosk-chios-ar-checked-in");
    drop(h);

    // A scanner types the code and Enter on the start screen.
    let second = book_now(&server, &config, "chios", "health");
    let mut h = kiosk_sized(Settings::default(), setup, size);
    wait(&mut h, "services", ready);
    h.event(egui::Event::Text(second.to_lowercase()));
    h.step();
    h.key_press(egui::Key::Enter);
    wait(&mut h, "the scanned ticket", |a| {
        matches!(a.kiosk.screen, Screen::Ticket { printed: true, .. })
    });
    h.get_by_label("H001");
    h.get_by_label_contains("Το ραντεβού σας είναι στις");
}

/// Presses `key` on the keypad and draws the frames it takes; what the kiosk said then.
fn press(h: &mut Harness<'static, KioskApp>, key: egui::Key) -> String {
    h.key_press(key);
    h.step();
    h.step();
    h.state()
        .kiosk
        .last_spoken
        .clone()
        .map(|(text, _)| text)
        .unwrap_or_default()
}

/// The kiosk without sight, at the biggest centre on a 720p screen: a USB keypad alone (the
/// arrows, and the digits of a 12-key pad) reaches Arabic, the first service and "no
/// priority", each step said in Arabic, to a ticket printed on a serial printer; the focus is
/// ringed on the screen (pictured).
#[test]
fn a_keypad_alone_gives_an_arabic_ticket_each_step_spoken() {
    let config =
        Config::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/chios.toml"))
            .unwrap();
    let server = server_for(config, "chios");
    let pty = Pty::new().expect("socat is installed (scripts/setup installs it)");
    let paper = pty.printer(READY);
    let mut setup = setup(&server.base, &server.kiosk_token, Some(&pty.spec()));
    setup.site = "chios".into();
    let mut h = kiosk_sized(Settings::default(), setup, (1280.0, 720.0));
    wait(&mut h, "services and printer", ready);
    // The first key starts spoken mode: how to use it, then the first item.
    let said = press(&mut h, egui::Key::ArrowDown);
    assert!(said.starts_with("Φωνητική λειτουργία."), "{said}");
    assert!(said.ends_with("Ελληνικά"), "{said}");
    // 2 moves down on a 12-key pad: English, then Arabic, each in its own voice.
    assert_eq!(press(&mut h, egui::Key::Num2), "English");
    assert_eq!(press(&mut h, egui::Key::ArrowDown), "العربية");
    assert_eq!(h.state().kiosk.last_spoken.clone().unwrap().1, "ar");
    // The tactile 5 chooses.
    press(&mut h, egui::Key::Num5);
    assert_eq!(h.state().kiosk.lang, "ar");
    // Down past the other languages and the appointment button, to the first service.
    let mut said = String::new();
    for _ in 0..20 {
        said = press(&mut h, egui::Key::ArrowDown);
        if matches!(
            h.state().kiosk.focused(),
            Some(seira_kiosk::focus::Item::Button(
                seira_kiosk::model::Touch::Service(_)
            ))
        ) {
            break;
        }
    }
    assert!(said.starts_with("A. الإعانات"), "said in Arabic: {said}");
    screenshot(&mut h, "kiosk-chios-ar-keypad-focus");
    // 8 goes back up one, and down again; 0 repeats.
    press(&mut h, egui::Key::Num8);
    assert_eq!(press(&mut h, egui::Key::Num2), said);
    assert_eq!(press(&mut h, egui::Key::Num0), said);
    let said = press(&mut h, egui::Key::Enter);
    assert!(
        matches!(h.state().kiosk.screen, Screen::Priority { .. }),
        "{said}"
    );
    assert_eq!(said, "هل تحتاج إلى أولوية؟ لا، متابعة");
    screenshot(&mut h, "kiosk-chios-ar-keypad-priority");
    press(&mut h, egui::Key::Enter);
    wait(&mut h, "the printed ticket", |a| {
        matches!(a.kiosk.screen, Screen::Ticket { printed: true, .. })
    });
    let said = h.state().kiosk.last_spoken.clone().unwrap();
    assert!(said.0.starts_with("رقمك هو A001"), "{said:?}");
    assert_eq!(said.1, "ar");
    screenshot(&mut h, "kiosk-chios-ar-keypad-ticket");
    drop(h);
    drop(pty);
    let bytes = paper.recv_timeout(Duration::from_secs(10)).unwrap();
    assert!(
        bytes.len() > 1000,
        "a ticket was printed: {} bytes",
        bytes.len()
    );
    // The server holds it, in Arabic: the lobby will say it in Arabic too.
    let store = Store::open(&server.db).unwrap();
    let (number, lang): (String, String) = store
        .read(|tx| {
            tx.query_row("SELECT number, lang FROM tickets", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .map_err(StoreError::from)
        })
        .unwrap();
    assert_eq!((number.as_str(), lang.as_str()), ("A001", "ar"));
}

/// A slow reader is asked before the screen times out, in the language on screen (pictured
/// in Ukrainian); one touch gives more time, unanswered it goes back to the start.
#[test]
fn the_kiosk_asks_for_more_time_before_it_times_out() {
    let server = server();
    let settings = Settings {
        idle_after: Duration::from_millis(600),
        more_time_for: Duration::from_millis(900),
        ..Settings::default()
    };
    let mut h = kiosk_sized(
        settings,
        setup(&server.base, &server.kiosk_token, None),
        (1366.0, 768.0),
    );
    wait(&mut h, "services", ready);
    h.get_by_label("Українська").click();
    wait(&mut h, "Ukrainian", |a| a.kiosk.lang == "uk");
    h.get_by_label_contains("Соціальні виплати").click();
    wait(&mut h, "the priority step", |a| {
        matches!(a.kiosk.screen, Screen::Priority { .. })
    });
    wait(&mut h, "the question", |a| {
        matches!(a.kiosk.screen, Screen::MoreTime { .. })
    });
    h.get_by_label_contains("Вам потрібно більше часу?");
    assert!(
        h.state()
            .kiosk
            .last_spoken
            .as_ref()
            .is_some_and(
                |(text, lang)| text.starts_with("Вам потрібно більше часу?") && lang == "uk"
            ),
        "asked aloud too"
    );
    screenshot(&mut h, "kiosk-more-time-uk");
    h.get_by_label("Так, мені потрібно більше часу").click();
    wait(&mut h, "the priority step again", |a| {
        matches!(a.kiosk.screen, Screen::Priority { .. })
    });
    // Unanswered the next time, back to the start, in Greek.
    wait(&mut h, "home", |a| {
        a.kiosk.screen == Screen::Home && a.kiosk.lang == "el"
    });
}
