//! The figures as a table a manager can take away: CSV (one table, a row per slice) and XLSX
//! (a sheet per breakdown, with numbers as numbers), headed in Greek or English.

use rust_xlsxwriter::{Format, Workbook, XlsxError};

use super::appointments::AppointmentGroup;
use super::figures::{Figures, Group};

/// A slice's name for people: a service's or desk's name in the language, else its key.
pub type Namer<'a> = dyn Fn(Section, &str) -> String + 'a;

/// The breakdowns, in the order they are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Total,
    Service,
    Desk,
    /// People who called (their accounts).
    Staff,
    /// Desk and device tokens that called, apart from people.
    Token,
    Hour,
    Weekday,
    Day,
    /// Walk-ins and appointments apart.
    Channel,
}

impl Section {
    pub const ALL: [Section; 9] = [
        Section::Total,
        Section::Service,
        Section::Desk,
        Section::Staff,
        Section::Token,
        Section::Hour,
        Section::Weekday,
        Section::Day,
        Section::Channel,
    ];

    /// The section's id in the CSV (stable, not translated).
    pub fn id(self) -> &'static str {
        match self {
            Section::Total => "total",
            Section::Service => "service",
            Section::Desk => "desk",
            Section::Staff => "staff",
            Section::Token => "token",
            Section::Hour => "hour",
            Section::Weekday => "weekday",
            Section::Day => "day",
            Section::Channel => "channel",
        }
    }

    /// The sheet's name.
    pub fn title(self, lang: &str) -> &'static str {
        let el = lang != "en";
        match self {
            Section::Total => {
                if el {
                    "Σύνολο"
                } else {
                    "Total"
                }
            }
            Section::Service => {
                if el {
                    "Υπηρεσίες"
                } else {
                    "Services"
                }
            }
            Section::Desk => {
                if el {
                    "Γραφεία"
                } else {
                    "Desks"
                }
            }
            Section::Staff => {
                if el {
                    "Προσωπικό"
                } else {
                    "Staff"
                }
            }
            Section::Token => {
                if el {
                    "Κλειδιά γραφείων-συσκευών"
                } else {
                    "Desk and device tokens"
                }
            }
            Section::Hour => {
                if el {
                    "Ώρες"
                } else {
                    "Hours"
                }
            }
            Section::Weekday => {
                if el {
                    "Ημέρες εβδομάδας"
                } else {
                    "Weekdays"
                }
            }
            Section::Day => {
                if el {
                    "Ημέρες"
                } else {
                    "Days"
                }
            }
            Section::Channel => {
                if el {
                    "Με και χωρίς ραντεβού"
                } else {
                    "Walk-ins, appointments"
                }
            }
        }
    }

    pub fn groups(self, figures: &Figures) -> Vec<&Group> {
        match self {
            Section::Total => vec![&figures.totals],
            Section::Service => figures.by_service.iter().collect(),
            Section::Desk => figures.by_desk.iter().collect(),
            Section::Staff => figures
                .by_staff
                .iter()
                .filter(|g| !figures.staff_tokens.contains(&g.key))
                .collect(),
            Section::Token => figures
                .by_staff
                .iter()
                .filter(|g| figures.staff_tokens.contains(&g.key))
                .collect(),
            Section::Hour => figures.by_hour.iter().collect(),
            Section::Weekday => figures.by_weekday.iter().collect(),
            Section::Day => figures.by_day.iter().collect(),
            Section::Channel => figures.by_channel.iter().collect(),
        }
    }
}

/// The ticket columns after the section, key and name.
const COLUMNS: usize = 21;

fn headers(lang: &str) -> [&'static str; COLUMNS] {
    if lang == "en" {
        [
            "issued",
            "arrivals",
            "served",
            "no-show",
            "cancelled",
            "transferred",
            "open",
            "inaccurate time",
            "waits measured",
            "mean wait (min)",
            "median wait (min)",
            "90th percentile wait (min)",
            "longest wait (min)",
            "services measured",
            "mean service (min)",
            "median service (min)",
            "90th percentile service (min)",
            "within target (%)",
            "rated",
            "mean rating (1-5)",
            "response rate (%)",
        ]
    } else {
        [
            "εκδόθηκαν",
            "αφίξεις",
            "εξυπηρετήθηκαν",
            "δεν προσήλθαν",
            "ακυρώθηκαν",
            "μεταφέρθηκαν",
            "σε εξέλιξη",
            "ανακριβής χρόνος",
            "μετρημένες αναμονές",
            "μέση αναμονή (λεπτά)",
            "διάμεση αναμονή (λεπτά)",
            "αναμονή 90ού εκατοστημορίου (λεπτά)",
            "μέγιστη αναμονή (λεπτά)",
            "μετρημένες εξυπηρετήσεις",
            "μέση εξυπηρέτηση (λεπτά)",
            "διάμεση εξυπηρέτηση (λεπτά)",
            "εξυπηρέτηση 90ού εκατοστημορίου (λεπτά)",
            "εντός στόχου (%)",
            "αξιολογήσεις",
            "μέση αξιολόγηση (1-5)",
            "ποσοστό απάντησης (%)",
        ]
    }
}

/// A value of a row: a count, minutes (one decimal), or nothing (no measurement).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Cell {
    Count(u64),
    Number(f64),
    Empty,
}

fn minutes(seconds: Option<f64>) -> Cell {
    seconds.map_or(Cell::Empty, |s| Cell::Number((s / 6.0).round() / 10.0))
}

fn cells(g: &Group) -> [Cell; COLUMNS] {
    [
        Cell::Count(g.issued),
        Cell::Count(g.arrivals),
        Cell::Count(g.served),
        Cell::Count(g.no_show),
        Cell::Count(g.cancelled),
        Cell::Count(g.transferred),
        Cell::Count(g.open),
        Cell::Count(g.inaccurate),
        Cell::Count(g.wait.count),
        minutes(g.wait.mean_s),
        minutes(g.wait.median_s),
        minutes(g.wait.p90_s.map(|s| s as f64)),
        minutes(g.wait.max_s.map(|s| s as f64)),
        Cell::Count(g.service.count),
        minutes(g.service.mean_s),
        minutes(g.service.median_s),
        minutes(g.service.p90_s.map(|s| s as f64)),
        percent(g.within_target),
        Cell::Count(g.rated),
        g.rating_mean
            .map_or(Cell::Empty, |r| Cell::Number((r * 10.0).round() / 10.0)),
        percent(g.rating_response),
    ]
}

/// Which breakdown an appointment group's key names: the total, or a service.
pub fn appointment_section(g: &AppointmentGroup) -> Section {
    if g.key == "total" {
        Section::Total
    } else {
        Section::Service
    }
}

/// The appointments' columns (their own sheet; in the CSV, after the others, filled on the
/// `appointments` rows).
fn appointment_headers(lang: &str) -> [&'static str; 12] {
    if lang == "en" {
        [
            "booked",
            "cancelled",
            "attended",
            "late",
            "no-show (appointments)",
            "served (appointments)",
            "booked minutes",
            "median arrival vs start (min)",
            "mean arrival vs start (min)",
            "median wait from start (min)",
            "no-show rate (%)",
            "capacity used (%)",
        ]
    } else {
        [
            "κλεισμένα",
            "ακυρωμένα",
            "προσήλθαν",
            "καθυστέρησαν",
            "δεν προσήλθαν (ραντεβού)",
            "εξυπηρετήθηκαν (ραντεβού)",
            "κλεισμένα λεπτά",
            "διάμεση άφιξη σε σχέση με την ώρα (λεπτά)",
            "μέση άφιξη σε σχέση με την ώρα (λεπτά)",
            "διάμεση αναμονή από την ώρα (λεπτά)",
            "ποσοστό μη προσέλευσης (%)",
            "αξιοποίηση χρόνου (%)",
        ]
    }
}

fn percent(share: Option<f64>) -> Cell {
    share.map_or(Cell::Empty, |s| Cell::Number((s * 1000.0).round() / 10.0))
}

fn appointment_cells(g: &AppointmentGroup) -> [Cell; 12] {
    [
        Cell::Count(g.booked),
        Cell::Count(g.cancelled),
        Cell::Count(g.attended),
        Cell::Count(g.late),
        Cell::Count(g.no_show),
        Cell::Count(g.served),
        Cell::Count(g.booked_minutes),
        minutes(g.arrival.median_s),
        minutes(g.arrival.mean_s),
        minutes(g.wait_from_start.median_s),
        percent(g.no_show_rate),
        percent(g.capacity_used),
    ]
}

/// How a CSV is written for the spreadsheet that opens it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CsvStyle {
    pub separator: u8,
    pub decimal: char,
}

impl CsvStyle {
    /// What Excel and LibreOffice expect in a Greek locale (`;` between fields, decimal
    /// comma), else the English one (`,` and a decimal point).
    pub fn for_lang(lang: &str) -> CsvStyle {
        if lang == "en" {
            CsvStyle {
                separator: b',',
                decimal: '.',
            }
        } else {
            CsvStyle {
                separator: b';',
                decimal: ',',
            }
        }
    }
}

/// A text cell a spreadsheet will not take for a formula: one that starts with `=`, `+`,
/// `-`, `@`, a tab or a carriage return gets a leading apostrophe (OWASP's advice on CSV
/// injection). A name such as `=HYPERLINK(…)` then shows as text.
pub fn neutralise(text: &str) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_owned(),
    }
}

/// One CSV table: `section,key,name,…` then a row per slice of each breakdown. UTF-8 with a
/// byte-order mark, so that Excel reads the Greek right on a double click.
pub fn csv(
    figures: &Figures,
    lang: &str,
    style: CsvStyle,
    name: &Namer<'_>,
) -> Result<Vec<u8>, csv::Error> {
    let mut out = csv::WriterBuilder::new()
        .delimiter(style.separator)
        .from_writer("\u{feff}".as_bytes().to_vec());
    let (section, key, label) = if lang == "en" {
        ("section", "key", "name")
    } else {
        ("ενότητα", "κλειδί", "όνομα")
    };
    let mut header = vec![section, key, label];
    header.extend(headers(lang));
    header.extend(appointment_headers(lang));
    out.write_record(&header)?;
    let text = |c: &Cell| match c {
        Cell::Count(n) => n.to_string(),
        Cell::Number(x) => format!("{x:.1}").replace('.', &style.decimal.to_string()),
        Cell::Empty => String::new(),
    };
    let none = [Cell::Empty; 12];
    for section in Section::ALL {
        for group in section.groups(figures) {
            let mut record = vec![
                section.id().to_owned(),
                neutralise(&group.key),
                neutralise(&name(section, &group.key)),
            ];
            record.extend(cells(group).iter().map(text));
            record.extend(none.iter().map(text));
            out.write_record(&record)?;
        }
    }
    // The appointments' rows: the ticket columns empty, their own filled. The total's name
    // is the total's; each service's its own.
    for group in &figures.appointments {
        let mut record = vec![
            "appointments".to_owned(),
            neutralise(&group.key),
            neutralise(&name(appointment_section(group), &group.key)),
        ];
        record.extend([Cell::Empty; COLUMNS].iter().map(text));
        record.extend(appointment_cells(group).iter().map(text));
        out.write_record(&record)?;
    }
    out.into_inner().map_err(|e| e.into_error().into())
}

struct SheetFormats {
    bold: Format,
    wrap: Format,
    one_decimal: Format,
}

/// One sheet: the period on top, the headers, a named row per slice, numbers as numbers.
fn sheet(
    book: &mut Workbook,
    title: &str,
    period: &str,
    lang: &str,
    headers: &[&str],
    rows: Vec<(String, Vec<Cell>)>,
    f: &SheetFormats,
) -> Result<(), XlsxError> {
    let sheet = book.add_worksheet();
    sheet.set_name(title)?;
    sheet.write_with_format(0, 0, period, &f.bold)?;
    let first = if lang == "en" { "name" } else { "όνομα" };
    sheet.write_with_format(2, 0, first, &f.wrap)?;
    for (i, h) in headers.iter().enumerate() {
        sheet.write_with_format(2, i as u16 + 1, *h, &f.wrap)?;
    }
    sheet.set_row_height(2, 45)?;
    sheet.set_column_width(0, 32)?;
    for (r, (name, cells)) in rows.into_iter().enumerate() {
        let row = r as u32 + 3;
        sheet.write(row, 0, name)?;
        for (i, cell) in cells.iter().enumerate() {
            let col = i as u16 + 1;
            match *cell {
                Cell::Count(n) => {
                    sheet.write_number(row, col, n as f64)?;
                }
                Cell::Number(x) => {
                    sheet.write_number_with_format(row, col, x, &f.one_decimal)?;
                }
                Cell::Empty => {}
            }
        }
    }
    sheet.set_freeze_panes(3, 1)?;
    Ok(())
}

/// A workbook: a sheet per breakdown, numbers as numbers, the period on top of each.
pub fn xlsx(figures: &Figures, lang: &str, name: &Namer<'_>) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let period = format!(
        "{} · {} – {} · {}",
        figures.site, figures.from, figures.to, figures.time_zone
    );
    let formats = SheetFormats {
        bold: Format::new().set_bold(),
        wrap: Format::new().set_bold().set_text_wrap(),
        one_decimal: Format::new().set_num_format("0.0"),
    };
    for section in Section::ALL {
        let rows = section
            .groups(figures)
            .into_iter()
            .map(|g| (name(section, &g.key), cells(g).to_vec()))
            .collect();
        let title = section.title(lang);
        sheet(
            &mut book,
            title,
            &period,
            lang,
            &headers(lang),
            rows,
            &formats,
        )?;
    }
    if !figures.appointments.is_empty() {
        let rows = figures
            .appointments
            .iter()
            .map(|g| {
                (
                    name(appointment_section(g), &g.key),
                    appointment_cells(g).to_vec(),
                )
            })
            .collect();
        let title = if lang == "en" {
            "Appointments"
        } else {
            "Ραντεβού"
        };
        sheet(
            &mut book,
            title,
            &period,
            lang,
            &appointment_headers(lang),
            rows,
            &formats,
        )?;
    }
    book.save_to_buffer()
}
