//! Bookings made elsewhere (a municipal system, a spreadsheet), read from CSV. The first line
//! names the columns, in any order: `date`, `time`, `service`, `reference`, and if wanted
//! `desk` and `minutes`. Commas or semicolons (as Greek Excel saves); dates as 2026-12-07 or
//! 07/12/2026, times as 09:30, both the site's local time. Every line is read and every bad
//! one reported with its number; what a line asks is checked by the engine, as any booking.

use jiff::Timestamp;
use jiff::civil::{Date, DateTime, Time};
use jiff::tz::TimeZone;
use seira_protocol::ErrorCode;

/// One line asking for an appointment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// Its line in the file (the header is line 1).
    pub line: u32,
    pub start: Timestamp,
    pub service: String,
    pub desk: Option<String>,
    pub minutes: Option<u32>,
    /// The other system's id of the booking: the same again is the same appointment.
    pub reference: String,
}

/// Why a line (or the file) cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    pub line: u32,
    pub error: ErrorCode,
    pub message: String,
}

fn bad(line: u32, message: impl Into<String>) -> LineError {
    LineError {
        line,
        error: ErrorCode::InvalidImport,
        message: message.into(),
    }
}

const REQUIRED: [&str; 4] = ["date", "time", "service", "reference"];

/// Reads the file: each data line as a row or its error; `Err` when the header itself is wrong.
pub fn parse(text: &str, tz: &TimeZone) -> Result<Vec<Result<Row, LineError>>, LineError> {
    let text = text.trim_start_matches('\u{feff}');
    let first = text.lines().next().unwrap_or_default();
    let delimiter = if first.contains(';') && !first.contains(',') {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| bad(1, format!("the first line cannot be read: {e}")))?
        .iter()
        .map(str::to_lowercase)
        .collect();
    let column = |name: &str| headers.iter().position(|h| h == name);
    if let Some(missing) = REQUIRED.iter().find(|c| column(c).is_none()) {
        return Err(bad(
            1,
            format!(
                "the first line must name the columns date, time, service, reference (and if \
                 wanted desk, minutes); `{missing}` is missing"
            ),
        ));
    }
    let at = |name| column(name).unwrap_or(usize::MAX);
    let (date_at, time_at, service_at, reference_at) =
        (at("date"), at("time"), at("service"), at("reference"));
    let (desk_at, minutes_at) = (column("desk"), column("minutes"));
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| line_at(text, p.byte() as usize));
                rows.push(Err(bad(line, format!("cannot be read: {e}"))));
                continue;
            }
        };
        let line = record
            .position()
            .map_or(0, |p| line_at(text, p.byte() as usize));
        if record.iter().all(str::is_empty) {
            continue;
        }
        let field = |i: usize| record.get(i).unwrap_or_default();
        let optional = |i: Option<usize>| i.map(field).filter(|v| !v.is_empty());
        rows.push((|| {
            let date = read_date(field(date_at)).ok_or_else(|| {
                bad(
                    line,
                    format!(
                        "`{}` is not a date (2026-12-07 or 07/12/2026)",
                        field(date_at)
                    ),
                )
            })?;
            let time: Time = field(time_at)
                .parse()
                .ok()
                .filter(|t: &Time| t.second() == 0)
                .ok_or_else(|| bad(line, format!("`{}` is not a time (09:30)", field(time_at))))?;
            let start = DateTime::from_parts(date, time)
                .to_zoned_datetime(tz.clone())
                .map_err(|_| bad(line, "that time is beyond the calendar"))?
                .timestamp();
            let service = field(service_at);
            if service.is_empty() {
                return Err(bad(line, "the service is missing"));
            }
            let reference = field(reference_at);
            if reference.is_empty() || reference.chars().count() > 50 {
                return Err(bad(line, "the reference is 1 to 50 characters"));
            }
            let minutes = match optional(minutes_at) {
                None => None,
                Some(m) => Some(
                    m.parse::<u32>()
                        .map_err(|_| bad(line, format!("`{m}` is not a number of minutes")))?,
                ),
            };
            Ok(Row {
                line,
                start,
                service: service.to_owned(),
                desk: optional(desk_at).map(str::to_owned),
                minutes,
                reference: reference.to_owned(),
            })
        })());
    }
    Ok(rows)
}

/// The line a record starting at `byte` is on. The reader's own count puts a record that
/// follows blank lines on the first of them; the file's line is what a person looks for.
fn line_at(text: &str, byte: usize) -> u32 {
    let before = text.get(..byte).unwrap_or(text);
    let blank = text
        .get(byte..)
        .unwrap_or_default()
        .chars()
        .take_while(|c| matches!(c, '\r' | '\n'))
        .filter(|&c| c == '\n')
        .count();
    (1 + before.matches('\n').count() + blank) as u32
}

fn read_date(text: &str) -> Option<Date> {
    if let Ok(date) = text.parse::<Date>() {
        return Some(date);
    }
    let mut parts = text.split(['/', '.']);
    let (d, m, y) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?).ok()
}

/// The request id of an imported booking: the reference, made safe, so that importing the
/// same file again books nothing twice. Characters a request id cannot hold are written as
/// their code, so two references never meet; one too long for a request id is hashed.
pub fn request_id(reference: &str) -> String {
    let mut id = String::from("import-");
    for c in reference.chars() {
        if c.is_ascii_alphanumeric() || c == '-' {
            id.push(c);
        } else {
            id.push_str(&format!("_{:x}", u32::from(c)));
        }
    }
    if id.len() > 64 {
        use sha2::Digest;
        let hash = sha2::Sha256::digest(reference.as_bytes());
        id = format!("import_{}", &hex::encode(hash)[..40]);
    }
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    fn athens() -> TimeZone {
        TimeZone::get("Europe/Athens").unwrap()
    }

    #[test]
    fn every_line_is_read_or_reported_with_its_number() {
        let text = "\u{feff}Date;Time;Service;Desk;Minutes;Reference\n\
                    07/12/2026;09:30;psychosocial;chania-3;45;KEP-1\n\
                    2026-12-07;10:15;health;;;KEP-2\n\
                    \n\
                    31/02/2026;10:00;health;;;KEP-3\n\
                    2026-12-07;25:00;health;;;KEP-4\n\
                    2026-12-07;11:00;;;;KEP-5\n\
                    2026-12-07;11:00;health;;half;KEP-6\n\
                    2026-12-07;11:00;health;;;\n";
        let rows = parse(text, &athens()).unwrap();
        let first = rows[0].as_ref().unwrap();
        assert_eq!(first.line, 2);
        assert_eq!(first.start, "2026-12-07T07:30:00Z".parse().unwrap());
        assert_eq!(
            (
                first.desk.as_deref(),
                first.minutes,
                first.reference.as_str()
            ),
            (Some("chania-3"), Some(45), "KEP-1")
        );
        let second = rows[1].as_ref().unwrap();
        assert_eq!((second.desk.as_deref(), second.minutes), (None, None));
        let errors: Vec<u32> = rows
            .iter()
            .filter_map(|r| r.as_ref().err().map(|e| e.line))
            .collect();
        assert_eq!(errors, [5, 6, 7, 8, 9], "{rows:?}");
    }

    #[test]
    fn a_header_without_the_needed_columns_is_refused() {
        let e = parse("date,time,service\n2026-12-07,09:00,health\n", &athens()).unwrap_err();
        assert_eq!(e.line, 1);
        assert!(
            e.message.contains("`reference` is missing"),
            "{}",
            e.message
        );
    }

    #[test]
    fn references_become_request_ids_that_never_meet() {
        assert_eq!(request_id("KEP-12"), "import-KEP-12");
        assert_ne!(request_id("a/b"), request_id("a_b"));
        assert!(seira_protocol::RequestId::parse(&request_id("Αίτηση 5/12")).is_ok());
        let long = "Αίτηση αριθμός 2026/12345 της Κοινωνικής Υπηρεσίας";
        assert!(seira_protocol::RequestId::parse(&request_id(long)).is_ok());
        assert_ne!(request_id(long), request_id(&long.replace('5', "6")));
    }
}
