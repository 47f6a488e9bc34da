//! The kiosk's screen (egui): draws the [`Kiosk`] model and turns touches into its events.
//! Big buttons, a language row, a speaker button, large-text and high-contrast modes. Text in
//! every script through the bundled DejaVu Sans (egui 0.37 shapes Arabic and Farsi itself).

use std::time::Instant;

use egui::{Color32, RichText, TextureHandle, Vec2};
use seira_hardware::TicketContent;
use seira_protocol::{IssuedTicket, PrinterStatus};

use crate::focus::Item;
use crate::model::{CODE_CHARS, CODE_LEN, Command, Event, Kiosk, Nav, Screen, Settings, Touch};
use crate::texts::{icon, is_rtl, messages, name_in, queue_words, visual};
use crate::worker::{Job, Setup, Worker};

/// The kiosk application: the model, the worker, and what is drawn.
pub struct KioskApp {
    pub kiosk: Kiosk,
    worker: Worker,
    server: String,
    has_printer: bool,
    qr: Option<(String, TextureHandle)>,
}

/// The printer's state as the server's devices list says it.
fn printer_status(state: &Result<seira_hardware::PrinterState, String>) -> PrinterStatus {
    use seira_hardware::PrinterState as S;
    match state {
        Ok(S::Ready) => PrinterStatus::Ready,
        Ok(S::PaperNearEnd) => PrinterStatus::PaperNearEnd,
        Ok(S::PaperOut) => PrinterStatus::PaperOut,
        Ok(S::CoverOpen) => PrinterStatus::CoverOpen,
        Ok(S::Offline) | Err(_) => PrinterStatus::Offline,
        Ok(S::Error(_)) => PrinterStatus::Error,
    }
}

/// Fonts: egui's own, with DejaVu Sans behind them for Arabic, Farsi and symbols.
pub fn fonts() -> egui::FontDefinitions {
    let mut fonts = egui::FontDefinitions::default();
    fonts.font_data.insert(
        "dejavu".into(),
        std::sync::Arc::new(egui::FontData::from_static(include_bytes!(
            "../../assets/fonts/DejaVuSans.ttf"
        ))),
    );
    for family in [egui::FontFamily::Proportional, egui::FontFamily::Monospace] {
        fonts
            .families
            .entry(family)
            .or_default()
            .push("dejavu".into());
    }
    fonts
}

impl KioskApp {
    pub fn new(ctx: &egui::Context, mut settings: Settings, setup: Setup) -> KioskApp {
        ctx.set_fonts(fonts());
        // With no printer the kiosk only shows the number (and speaks it).
        settings.printer_required = setup.printer.is_some();
        let has_printer = setup.printer.is_some();
        let repaint = ctx.clone();
        let server = setup.server.trim_end_matches('/').to_owned();
        let run_id = format!("kiosk{}", jiff::Timestamp::now().as_millisecond());
        KioskApp {
            kiosk: Kiosk::new(settings, run_id),
            worker: Worker::start(setup, move || repaint.request_repaint()),
            server,
            has_printer,
            qr: None,
        }
    }

    fn dispatch(&mut self, commands: Vec<Command>) {
        for command in commands {
            let job = match command {
                Command::Issue(request) => Job::Issue(request),
                Command::Void { ticket_id } => Job::Void { ticket_id },
                Command::Speak { text, lang, volume } => Job::Speak { text, lang, volume },
                Command::Print { ticket, lang } => Job::Print {
                    ticket_id: ticket.id.clone(),
                    content: Box::new(self.ticket_content(&ticket, &lang)),
                },
            };
            self.worker.submit(job);
        }
    }

    /// What the paper says, in the citizen's language.
    fn ticket_content(&self, ticket: &IssuedTicket, lang: &str) -> TicketContent {
        let m = messages(lang);
        let services = self.kiosk.services.as_ref();
        let service = services
            .and_then(|s| s.services.iter().find(|x| x.id == ticket.service))
            .map(|s| name_in(&s.names, lang))
            .unwrap_or_else(|| ticket.service.clone());
        let athens = jiff::tz::TimeZone::get("Europe/Athens").unwrap_or(jiff::tz::TimeZone::UTC);
        let issued = ticket.issued_at.to_zoned_datetime(athens);
        TicketContent {
            centre: services
                .map(|s| name_in(&s.site_names, lang))
                .unwrap_or_default(),
            number: ticket.number.clone(),
            service,
            issued: issued.strftime("%d/%m/%Y %H:%M").to_string(),
            queue_line: queue_words(m, ticket).join(" · "),
            track_url: ticket.track_link(&self.server),
            short_link: ticket.printed_link(&self.server),
            footer: services
                .map(|s| name_in(&s.ticket_footer, lang))
                .unwrap_or_default(),
            logo: None,
        }
    }

    /// Feeds the model an event and carries out what it asks.
    pub fn handle(&mut self, event: Event) {
        // The printer's state also goes to the staff pages, through the server.
        if let Event::Printer(state) = &event
            && self.has_printer
        {
            self.worker.submit(Job::Heartbeat(printer_status(state)));
        }
        let commands = self.kiosk.handle(event, Instant::now());
        self.dispatch(commands);
    }

    /// Takes what the worker reported, and lets time pass.
    pub fn pump(&mut self) {
        while let Ok(event) = self.worker.events.try_recv() {
            self.handle(event);
        }
        self.handle(Event::Tick);
    }
}

impl eframe::App for KioskApp {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        self.pump();
        ctx.set_zoom_factor(if self.kiosk.large_text { 1.35 } else { 1.0 });
        ctx.set_visuals(if self.kiosk.high_contrast {
            high_contrast()
        } else {
            egui::Visuals::light()
        });
        // Time-based changes (back to the start, retries) need a frame now and then.
        ctx.request_repaint_after(std::time::Duration::from_millis(500));
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        // The whole screen in the panel's colour, not only the part with content.
        let fill = ui.visuals().panel_fill;
        ui.painter().rect_filled(ui.max_rect(), 0.0, fill);
        egui::Frame::central_panel(ui.style()).show(ui, |ui| self.draw(ui));
    }
}

fn high_contrast() -> egui::Visuals {
    let mut v = egui::Visuals::dark();
    v.panel_fill = Color32::BLACK;
    v.override_text_color = Some(Color32::from_rgb(255, 235, 59));
    v.widgets.inactive.weak_bg_fill = Color32::from_gray(30);
    v.widgets.inactive.bg_stroke = egui::Stroke::new(3.0, Color32::WHITE);
    v
}

/// Touch targets of at least 2 cm (80 points at 96 dpi).
const TARGET: f32 = 88.0;

/// The ring around the spoken focus: a deep blue that stands out on the light buttons.
const FOCUS: Color32 = Color32::from_rgb(0, 84, 200);

/// The keypad's meaning of a key (see [`Nav`]): the arrows and the digits of a 12-key pad
/// (8 up, 2 down, 5 the tactile centre, 0 below), as it sends them with Num Lock on or off.
/// 4 and 6 are left out: they are characters of booking codes, which a scanner types.
pub fn nav_of_key(key: egui::Key) -> Option<Nav> {
    use egui::Key as K;
    Some(match key {
        K::ArrowUp | K::ArrowLeft | K::Num8 => Nav::Previous,
        K::ArrowDown | K::ArrowRight | K::Num2 => Nav::Next,
        K::Enter | K::Num5 | K::Space => Nav::Choose,
        K::Num0 | K::Insert => Nav::Repeat,
        K::Plus | K::Equals | K::PageUp => Nav::Louder,
        K::Minus | K::PageDown => Nav::Quieter,
        K::Escape | K::Backspace => Nav::Back,
        _ => return None,
    })
}

impl KioskApp {
    fn draw(&mut self, ui: &mut egui::Ui) {
        let mut touches = Vec::new();
        let lang = self.kiosk.lang.clone();
        let keys = self.keypad(ui);
        self.typed_keys(ui, &mut touches);
        self.top_bar(ui, &mut touches);
        // Right-to-left languages read from the right edge.
        let layout = if is_rtl(&lang) {
            egui::Layout::top_down(egui::Align::Max)
        } else {
            egui::Layout::top_down(egui::Align::Min)
        };
        ui.with_layout(layout, |ui| self.body(ui, &mut touches));
        for touch in touches {
            self.handle(Event::Touch(touch));
        }
        for nav in keys {
            self.handle(Event::Key(nav));
        }
    }

    /// The keypad's keys this frame (see [`Nav`]). On the code screen, outside spoken mode,
    /// Enter and Backspace belong to the code (a scanner ends a code with Enter).
    fn keypad(&self, ui: &egui::Ui) -> Vec<Nav> {
        let typing = matches!(self.kiosk.screen, Screen::Code { .. }) && self.kiosk.focus.is_none();
        ui.input(|i| {
            i.events
                .iter()
                .filter_map(|event| match event {
                    // A key held down counts once (no key repeat, EN 301 549 §5.7).
                    egui::Event::Key {
                        key,
                        pressed: true,
                        repeat: false,
                        ..
                    } => match key {
                        egui::Key::Enter | egui::Key::Escape if typing => None,
                        egui::Key::Backspace
                            if matches!(self.kiosk.screen, Screen::Code { .. }) =>
                        {
                            None
                        }
                        key => nav_of_key(*key),
                    },
                    egui::Event::Text(text) => match text.as_str() {
                        "#" => Some(Nav::Louder),
                        "*" => Some(Nav::Quieter),
                        _ => None,
                    },
                    _ => None,
                })
                .collect()
        })
    }

    /// Rings the item the focus is on, in spoken mode, and keeps it on the screen.
    fn ring(&self, ui: &egui::Ui, response: &egui::Response, item: &Item) {
        if self.kiosk.focus.is_none() || self.kiosk.focused().as_ref() != Some(item) {
            return;
        }
        let colour = if self.kiosk.high_contrast {
            Color32::from_rgb(0, 200, 255)
        } else {
            FOCUS
        };
        ui.painter().rect_stroke(
            response.rect.expand(5.0),
            8.0,
            egui::Stroke::new(7.0, colour),
            egui::StrokeKind::Outside,
        );
        response.scroll_to_me(None);
    }

    /// [`KioskApp::ring`] for a button's touch.
    fn ring_touch(&self, ui: &egui::Ui, response: &egui::Response, touch: &Touch) {
        self.ring(ui, response, &Item::Button(touch.clone()));
    }

    fn body(&mut self, ui: &mut egui::Ui, touches: &mut Vec<Touch>) {
        let lang = self.kiosk.lang.clone();
        let m = messages(&lang);
        let t = |key: &str| visual(&m.get(key), &lang);
        ui.add_space(12.0);
        if let Some(blocker) = self.kiosk.blocker()
            && matches!(self.kiosk.screen, Screen::Home | Screen::Priority { .. })
        {
            ui.label(
                RichText::new(t(blocker.message()))
                    .size(34.0)
                    .strong()
                    .color(Color32::from_rgb(163, 36, 27)),
            );
            ui.add_space(12.0);
        }
        match self.kiosk.screen.clone() {
            Screen::Home => self.home(ui, touches),
            Screen::Priority { .. } => self.priority(ui, touches),
            Screen::Code { typed, problem, .. } => self.code(ui, &typed, problem, touches),
            Screen::Issuing { .. } => {
                ui.vertical_centered(|ui| {
                    ui.add_space(80.0);
                    ui.label(RichText::new(t("issuing")).size(48.0));
                });
            }
            Screen::Ticket {
                ticket, printed, ..
            } => self.ticket(ui, &ticket, printed, touches),
            Screen::Failed { message, .. } => {
                ui.vertical_centered(|ui| {
                    ui.add_space(60.0);
                    let said = ui.label(RichText::new(t(message)).size(40.0).strong());
                    self.ring(ui, &said, &Item::Words(m.get(message)));
                    ui.add_space(40.0);
                    let finish = big_button(ui, &t("finish"));
                    self.ring_touch(ui, &finish, &Touch::Finish);
                    if finish.clicked() {
                        touches.push(Touch::Finish);
                    }
                });
            }
            Screen::MoreTime { .. } => self.more_time(ui, touches),
        }
    }

    /// A keyboard, or a barcode/QR scanner that types (USB HID), enters a code: on the start
    /// screen its first character opens the code screen, Enter checks in, Backspace erases.
    fn typed_keys(&self, ui: &egui::Ui, touches: &mut Vec<Touch>) {
        let on_code = matches!(self.kiosk.screen, Screen::Code { .. });
        let on_home = matches!(self.kiosk.screen, Screen::Home) && self.kiosk.takes_appointments();
        if !on_code && !on_home {
            return;
        }
        let mut opened = on_code;
        for event in ui.input(|i| i.events.clone()) {
            match event {
                egui::Event::Text(text) => {
                    for c in text
                        .chars()
                        .filter(|c| CODE_CHARS.contains(c.to_ascii_uppercase()))
                    {
                        if !opened {
                            touches.push(Touch::Appointment);
                            opened = true;
                        }
                        touches.push(Touch::CodeKey(c));
                    }
                }
                egui::Event::Key {
                    key, pressed: true, ..
                } if opened => match key {
                    // In spoken mode Enter chooses the focused key instead (see keypad).
                    egui::Key::Enter if self.kiosk.focus.is_none() => {
                        touches.push(Touch::CodeSubmit)
                    }
                    egui::Key::Backspace => touches.push(Touch::CodeErase),
                    egui::Key::Escape if self.kiosk.focus.is_none() => touches.push(Touch::Back),
                    _ => {}
                },
                _ => {}
            }
        }
    }

    fn top_bar(&self, ui: &mut egui::Ui, touches: &mut Vec<Touch>) {
        let lang = &self.kiosk.lang;
        let m = messages(lang);
        let t = |key: &str| visual(&m.get(key), lang);
        ui.horizontal_wrapped(|ui| {
            for lang in &self.kiosk.settings.languages {
                let name = visual(&messages(lang).get("language"), lang);
                let selected = *lang == self.kiosk.lang;
                let button = egui::Button::selectable(selected, RichText::new(name).size(26.0))
                    .min_size(Vec2::new(150.0, 64.0));
                let response = ui.add(button);
                let touch = Touch::Language(lang.clone());
                self.ring_touch(ui, &response, &touch);
                if response.clicked() {
                    touches.push(touch);
                }
            }
            ui.separator();
            let toggles = [
                (Touch::Speak, None, t("speak"), 26.0),
                (
                    Touch::LargeText,
                    Some(self.kiosk.large_text),
                    t("large-text"),
                    22.0,
                ),
                (
                    Touch::Contrast,
                    Some(self.kiosk.high_contrast),
                    t("contrast"),
                    22.0,
                ),
            ];
            for (touch, on, label, size) in toggles {
                let text = RichText::new(label).size(size);
                let button = match on {
                    Some(on) => egui::Button::selectable(on, text),
                    None => egui::Button::new(text),
                };
                let response = ui.add(button.min_size(Vec2::new(150.0, 64.0)));
                self.ring_touch(ui, &response, &touch);
                if response.clicked() {
                    touches.push(touch);
                }
            }
        });
    }

    fn home(&self, ui: &mut egui::Ui, touches: &mut Vec<Touch>) {
        let lang = &self.kiosk.lang;
        let m = messages(lang);
        let t = |key: &str| visual(&m.get(key), lang);
        let blocked = self.kiosk.blocker().is_some();
        ui.heading(RichText::new(t("welcome")).size(44.0).strong());
        ui.label(RichText::new(t("choose-service")).size(32.0));
        ui.add_space(16.0);
        if self.kiosk.takes_appointments() {
            let label = if is_rtl(lang) {
                format!("{}  {}", t("have-appointment"), icon("appointment"))
            } else {
                format!("{}  {}", icon("appointment"), t("have-appointment"))
            };
            let button = egui::Button::new(RichText::new(label).size(30.0).strong())
                .min_size(Vec2::new(ui.available_width().min(560.0), TARGET));
            let response = ui.add_enabled(!blocked, button);
            self.ring_touch(ui, &response, &Touch::Appointment);
            if response.clicked() {
                touches.push(Touch::Appointment);
            }
            ui.add_space(16.0);
        }
        // Every service on the screen to touch, however many and however long their names:
        // one column while full-height buttons fit, else two or three side by side (text
        // wrapping inside), and only past that a scroll.
        let services = self.kiosk.visible_services();
        let gap = 10.0;
        let room = ui.available_height();
        let fits = |cols: usize, height: f32| {
            services.len().div_ceil(cols) as f32 * (height + gap) <= room
        };
        let cols = (1..=3)
            .find(|&c| fits(c, TARGET + 12.0))
            .or_else(|| (2..=3).find(|&c| fits(c, TARGET)))
            .unwrap_or(3);
        let rows = services.len().div_ceil(cols).max(1);
        // Where the screen has room, taller buttons: larger pictures to choose by.
        let height = (room / rows as f32 - gap).clamp(TARGET, TARGET + 52.0);
        let size = match cols {
            1 => 34.0,
            2 => 30.0,
            _ => 26.0,
        };
        let width = ui.available_width();
        let button_width = (width - gap * (cols as f32 - 1.0)) / cols as f32;
        let row_layout = if is_rtl(lang) {
            egui::Layout::right_to_left(egui::Align::Center)
        } else {
            egui::Layout::left_to_right(egui::Align::Center)
        };
        egui::ScrollArea::vertical().show(ui, |ui| {
            for row in services.chunks(cols) {
                ui.allocate_ui_with_layout(Vec2::new(width, height), row_layout, |ui| {
                    ui.spacing_mut().item_spacing.x = gap;
                    for service in row {
                        let name = name_in(&service.names, lang);
                        let (text, size) = if service.open_now {
                            (name, size)
                        } else {
                            (format!("{name} — {}", m.get("closed-now")), size - 4.0)
                        };
                        let enabled = service.open_now && !blocked;
                        let response = ui
                            .add_enabled_ui(enabled, |ui| {
                                service_button(
                                    ui,
                                    Vec2::new(button_width, height),
                                    (icon(&service.icon), &service.prefix),
                                    &text,
                                    (lang, size),
                                )
                            })
                            .inner;
                        let touch = Touch::Service(service.id.clone());
                        self.ring_touch(ui, &response, &touch);
                        if response.clicked() {
                            touches.push(touch);
                        }
                    }
                });
                ui.add_space(gap);
            }
        });
    }

    fn priority(&self, ui: &mut egui::Ui, touches: &mut Vec<Touch>) {
        let lang = &self.kiosk.lang;
        let m = messages(lang);
        let t = |key: &str| visual(&m.get(key), lang);
        ui.heading(RichText::new(t("priority-question")).size(40.0).strong());
        ui.add_space(16.0);
        let width = ui.available_width();
        let categories: Vec<_> = self
            .kiosk
            .services
            .iter()
            .flat_map(|s| s.priorities.iter())
            .collect();
        // Most people need no priority: that choice comes first, and largest, as large as
        // the screen leaves once the categories and "back" have their room; on a small
        // screen the categories give up a little height first (never under 64 points).
        let spacing = ui.spacing().item_spacing.y;
        let room = ui.available_height() - 20.0 - 14.0 - TARGET - 5.0 * spacing;
        let n = categories.len() as f32;
        let per_category = |height: f32| n * (height + 10.0 + spacing);
        let none_height = (room - per_category(TARGET)).clamp(TARGET, TARGET + 40.0);
        let category_height = if n > 0.0 {
            ((room - none_height) / n - 10.0 - spacing).clamp(64.0, TARGET)
        } else {
            TARGET
        };
        let none = egui::Button::new(RichText::new(t("no-priority")).size(42.0).strong())
            .min_size(Vec2::new(width, none_height));
        let response = ui.add(none);
        self.ring_touch(ui, &response, &Touch::Priority(None));
        if response.clicked() {
            touches.push(Touch::Priority(None));
        }
        ui.add_space(20.0);
        for category in categories {
            let button = egui::Button::new(
                RichText::new(visual(&name_in(&category.names, lang), lang)).size(30.0),
            )
            .min_size(Vec2::new(width, category_height));
            let response = ui.add(button);
            let touch = Touch::Priority(Some(category.id.clone()));
            self.ring_touch(ui, &response, &touch);
            if response.clicked() {
                touches.push(touch);
            }
            ui.add_space(10.0);
        }
        ui.add_space(14.0);
        let back = big_button(ui, &t("back"));
        self.ring_touch(ui, &back, &Touch::Back);
        if back.clicked() {
            touches.push(Touch::Back);
        }
    }

    /// "Do you need more time?": one large "yes" (any touch or key gives it too), and a
    /// way to start again.
    fn more_time(&self, ui: &mut egui::Ui, touches: &mut Vec<Touch>) {
        let lang = &self.kiosk.lang;
        let m = messages(lang);
        let t = |key: &str| visual(&m.get(key), lang);
        let width = ui.available_width();
        ui.vertical_centered(|ui| {
            ui.add_space(40.0);
            ui.label(
                RichText::new(lines(ui, &m.get("more-time"), lang, 44.0, width))
                    .size(44.0)
                    .strong(),
            );
            ui.add_space(32.0);
            let yes = egui::Button::new(RichText::new(t("more-time-yes")).size(40.0).strong())
                .min_size(Vec2::new(width.min(720.0), TARGET + 40.0));
            let response = ui.add(yes);
            self.ring_touch(ui, &response, &Touch::MoreTime);
            if response.clicked() {
                touches.push(Touch::MoreTime);
            }
            ui.add_space(24.0);
            let again = big_button(ui, &t("start-again"));
            self.ring_touch(ui, &again, &Touch::Finish);
            if again.clicked() {
                touches.push(Touch::Finish);
            }
        });
    }

    /// The code screen: what to type, the code so far in large boxes, and a keypad of the
    /// code's own characters (sized to the screen, never under 56 points a key).
    fn code(
        &self,
        ui: &mut egui::Ui,
        typed: &str,
        problem: Option<&'static str>,
        touches: &mut Vec<Touch>,
    ) {
        let lang = &self.kiosk.lang;
        let m = messages(lang);
        let t = |key: &str| visual(&m.get(key), lang);
        ui.heading(RichText::new(t("type-code")).size(40.0).strong());
        ui.label(RichText::new(t("code-hint")).size(26.0));
        let shown: String = (0..CODE_LEN)
            .map(|i| typed.chars().nth(i).unwrap_or('_'))
            .map(|c| format!("{c} "))
            .collect();
        ui.vertical_centered(|ui| {
            ui.label(
                RichText::new(shown.trim_end())
                    .size(72.0)
                    .strong()
                    .family(egui::FontFamily::Monospace),
            );
        });
        if let Some(problem) = problem {
            ui.label(
                RichText::new(t(problem))
                    .size(28.0)
                    .strong()
                    .color(Color32::from_rgb(163, 36, 27)),
            );
        }
        ui.add_space(8.0);
        let gap = 8.0;
        let cols = 9;
        let rows = 4.0;
        let key_h = ((ui.available_height() - rows * gap) / rows).clamp(56.0, TARGET);
        let width = ui.available_width();
        let key_w = (width - gap * (cols as f32 - 1.0)) / cols as f32;
        let chars: Vec<char> = CODE_CHARS.chars().collect();
        // The code is Latin: its keys run left to right in every language.
        for row in chars.chunks(cols) {
            ui.allocate_ui_with_layout(
                Vec2::new(width, key_h),
                egui::Layout::left_to_right(egui::Align::Center),
                |ui| {
                    ui.spacing_mut().item_spacing.x = gap;
                    for &c in row {
                        let key =
                            egui::Button::new(RichText::new(c.to_string()).size(36.0).strong());
                        let response = ui.add_sized(Vec2::new(key_w, key_h), key);
                        self.ring_touch(ui, &response, &Touch::CodeKey(c));
                        if response.clicked() {
                            touches.push(Touch::CodeKey(c));
                        }
                    }
                    if row.len() < cols {
                        let erase = egui::Button::new(
                            RichText::new(format!("⌫ {}", t("erase"))).size(26.0),
                        );
                        let span =
                            key_w * (cols - row.len()) as f32 + gap * (cols - row.len() - 1) as f32;
                        let response = ui.add_sized(Vec2::new(span, key_h), erase);
                        self.ring_touch(ui, &response, &Touch::CodeErase);
                        if response.clicked() {
                            touches.push(Touch::CodeErase);
                        }
                    }
                },
            );
            ui.add_space(gap);
        }
        ui.allocate_ui_with_layout(
            Vec2::new(width, key_h),
            egui::Layout::left_to_right(egui::Align::Center),
            |ui| {
                ui.spacing_mut().item_spacing.x = gap;
                let back = egui::Button::new(RichText::new(t("back")).size(30.0));
                let response = ui.add_sized(Vec2::new(width * 0.3, key_h), back);
                self.ring_touch(ui, &response, &Touch::Back);
                if response.clicked() {
                    touches.push(Touch::Back);
                }
                let ready = typed.chars().count() == CODE_LEN;
                let submit = egui::Button::new(RichText::new(t("check-in")).size(34.0).strong());
                let response = ui.add_enabled_ui(ready, |ui| {
                    ui.add_sized(Vec2::new(width * 0.7 - gap, key_h), submit)
                });
                self.ring_touch(ui, &response.inner, &Touch::CodeSubmit);
                if response.inner.clicked() {
                    touches.push(Touch::CodeSubmit);
                }
            },
        );
    }

    fn ticket(
        &mut self,
        ui: &mut egui::Ui,
        ticket: &IssuedTicket,
        printed: bool,
        touches: &mut Vec<Touch>,
    ) {
        let lang = self.kiosk.lang.clone();
        let m = messages(&lang);
        let v = |text: String| visual(&text, &lang);
        let service = self
            .kiosk
            .services
            .as_ref()
            .and_then(|s| s.services.iter().find(|x| x.id == ticket.service))
            .map(|s| name_in(&s.names, &lang))
            .unwrap_or_default();
        let url = ticket.track_link(&self.server);
        let texture = self.qr_texture(ui.ctx(), &url);
        // A 720p or laptop screen has less room: the number and the QR code shrink a little,
        // so the "Done" button stays on the screen.
        let k = (ui.available_height() / 720.0).clamp(0.65, 1.0);
        ui.vertical_centered(|ui| {
            ui.label(RichText::new(v(m.get("your-number"))).size(36.0));
            let number = ui.label(RichText::new(&ticket.number).size(150.0 * k).strong());
            self.ring(ui, &number, &Item::Words(self.kiosk.screen_words()));
            ui.label(RichText::new(v(service.clone())).size(32.0).strong());
            ui.add_space(8.0);
            for line in queue_words(m, ticket) {
                ui.label(RichText::new(v(line)).size(30.0));
            }
            if let Some(texture) = texture {
                ui.add(egui::Image::new(&texture).fit_to_exact_size(Vec2::splat(180.0 * k)));
            }
            if self.kiosk.print_unconfirmed {
                ui.label(
                    RichText::new(v(m.get("print-unconfirmed")))
                        .size(30.0)
                        .strong()
                        .color(Color32::from_rgb(163, 36, 27)),
                );
            } else {
                ui.label(RichText::new(v(m.get("take-ticket"))).size(28.0));
            }
            ui.add_space(16.0);
            let finish = egui::Button::new(RichText::new(v(m.get("finish"))).size(32.0))
                .min_size(Vec2::new(320.0, TARGET));
            let response = ui.add_enabled(printed, finish);
            self.ring_touch(ui, &response, &Touch::Finish);
            if response.clicked() {
                touches.push(Touch::Finish);
            }
        });
    }

    /// The QR code of the phone page, as a texture (made once per ticket).
    fn qr_texture(&mut self, ctx: &egui::Context, url: &str) -> Option<TextureHandle> {
        if let Some((cached, texture)) = &self.qr
            && cached == url
        {
            return Some(texture.clone());
        }
        let code = qrcode::QrCode::new(url.as_bytes()).ok()?;
        let width = code.width();
        let border = 2;
        let size = width + 2 * border;
        let mut pixels = vec![Color32::WHITE; size * size];
        for (i, color) in code.to_colors().iter().enumerate() {
            if *color == qrcode::Color::Dark {
                let (x, y) = (i % width + border, i / width + border);
                pixels[y * size + x] = Color32::BLACK;
            }
        }
        let image = egui::ColorImage::new([size, size], pixels);
        let texture = ctx.load_texture("ticket-qr", image, egui::TextureOptions::NEAREST);
        self.qr = Some((url.to_owned(), texture.clone()));
        Some(texture)
    }
}

/// A service's button: its picture and the letter that is on the ticket and the board, large
/// enough to choose by without reading (at the reading side: left, or right in Arabic and
/// Farsi), then the name, broken into lines and made smaller until it fits.
fn service_button(
    ui: &mut egui::Ui,
    size: Vec2,
    (picture, letter): (&str, &str),
    name: &str,
    (lang, text_size): (&str, f32),
) -> egui::Response {
    let (rect, response) = ui.allocate_exact_size(size, egui::Sense::click());
    let label = format!("{letter} {name}");
    let enabled = ui.is_enabled();
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, enabled, &label));
    if !ui.is_rect_visible(rect) {
        return response;
    }
    let visuals = ui.style().interact(&response);
    let painter = ui.painter();
    painter.rect(
        rect,
        visuals.corner_radius,
        visuals.weak_bg_fill,
        visuals.bg_stroke,
        egui::StrokeKind::Inside,
    );
    // An open service's name in the strong colour, as egui draws strong text.
    let colour = if ui.is_enabled() {
        ui.visuals().strong_text_color()
    } else {
        visuals.text_color()
    };
    let rtl = is_rtl(lang);
    // The badge: the picture over the letter, as tall as the button allows.
    let badge_width = (size.y * 1.1).min(size.x * 0.4);
    let badge = if rtl {
        egui::Rect::from_min_size(
            egui::pos2(rect.max.x - badge_width, rect.min.y),
            Vec2::new(badge_width, size.y),
        )
    } else {
        egui::Rect::from_min_size(rect.min, Vec2::new(badge_width, size.y))
    };
    let glyph = (size.y * 0.45).min(64.0);
    painter.text(
        egui::pos2(badge.center().x - glyph * 0.55, badge.center().y),
        egui::Align2::CENTER_CENTER,
        picture,
        egui::FontId::proportional(glyph),
        colour,
    );
    painter.text(
        egui::pos2(badge.center().x + glyph * 0.55, badge.center().y),
        egui::Align2::CENTER_CENTER,
        letter,
        egui::FontId::proportional(glyph),
        colour,
    );
    // The name beside it, start-aligned, in lines that fit its room.
    let pad = 12.0;
    let room = egui::Rect::from_min_max(
        egui::pos2(
            if rtl { rect.min.x + pad } else { badge.max.x },
            rect.min.y + 4.0,
        ),
        egui::pos2(
            if rtl { badge.min.x } else { rect.max.x - pad },
            rect.max.y - 4.0,
        ),
    );
    let mut size = text_size;
    let galley = loop {
        let text = lines(ui, name, lang, size, room.width());
        let mut job = egui::text::LayoutJob::simple(
            text,
            egui::FontId::proportional(size),
            colour,
            f32::INFINITY,
        );
        job.halign = if rtl {
            egui::Align::RIGHT
        } else {
            egui::Align::LEFT
        };
        let galley = ui.fonts_mut(|f| f.layout_job(job));
        if galley.size().y <= room.height() || size <= 16.0 {
            break galley;
        }
        size -= 2.0;
    };
    let x = if rtl { room.max.x } else { room.min.x };
    let y = room.center().y - galley.size().y / 2.0;
    ui.painter().galley(egui::pos2(x, y), galley, colour);
    response
}

fn big_button(ui: &mut egui::Ui, text: &str) -> egui::Response {
    ui.add(egui::Button::new(RichText::new(text).size(30.0)).min_size(Vec2::new(280.0, TARGET)))
}

/// `text` broken into lines that fit `width` at `size`, each line in visual order. Breaking
/// comes first: a right-to-left line put in visual order and then wrapped by egui would
/// start with its last words.
fn lines(ui: &egui::Ui, text: &str, lang: &str, size: f32, width: f32) -> String {
    let measure = |line: &str| {
        ui.ctx().fonts_mut(|fonts| {
            fonts
                .layout_no_wrap(
                    visual(line, lang),
                    egui::FontId::proportional(size),
                    Color32::BLACK,
                )
                .size()
                .x
        })
    };
    let mut out: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        let candidate = if line.is_empty() {
            word.to_owned()
        } else {
            format!("{line} {word}")
        };
        if line.is_empty() || measure(&candidate) <= width {
            line = candidate;
        } else {
            out.push(std::mem::replace(&mut line, word.to_owned()));
        }
    }
    out.push(line);
    out.iter()
        .map(|l| visual(l.trim(), lang))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod right_to_left_on_screen {
    /// The characters of a laid-out line, left to right on screen.
    fn on_screen(text: &str) -> String {
        let ctx = egui::Context::default();
        ctx.set_fonts(super::fonts());
        let mut out = String::new();
        let mut output = ctx.run_ui(Default::default(), |_ui| {});
        output.textures_delta.clear();
        ctx.fonts_mut(|fonts| {
            let galley = fonts.layout_no_wrap(
                text.to_owned(),
                egui::FontId::proportional(30.0),
                egui::Color32::BLACK,
            );
            for row in &galley.rows {
                let mut glyphs: Vec<_> = row
                    .glyphs
                    .iter()
                    .filter(|g| !g.uv_rect.is_nothing() || g.chr == ' ')
                    .map(|g| (g.pos.x, g.chr))
                    .collect();
                glyphs.sort_by(|a, b| a.0.total_cmp(&b.0));
                out.extend(glyphs.iter().map(|g| g.1));
                out.push('|');
            }
        });
        out
    }

    /// The line as a reader meets it, right to left: the screen's characters reversed.
    fn read_right_to_left(text: &str, lang: &str) -> String {
        on_screen(&super::visual(text, lang))
            .trim_end_matches('|')
            .chars()
            .rev()
            .collect()
    }

    #[test]
    fn right_to_left_lines_read_in_order_with_numbers_and_punctuation_in_place() {
        // Read right to left, the screen gives back the sentence as written; only the
        // digits come out reversed, because on screen they run left to right, as they must.
        assert_eq!(read_right_to_left("أمامك: 12", "ar"), "أمامك: 21");
        assert_eq!(read_right_to_left("نحو 10 دقيقة", "ar"), "نحو 01 دقيقة");
        assert_eq!(read_right_to_left("پیش از شما: 3", "fa"), "پیش از شما: 3");
        assert_eq!(read_right_to_left("خذ تذكرتك.", "ar"), "خذ تذكرتك.");
    }
}
