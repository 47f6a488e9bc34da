//! Importing bookings made elsewhere: every line of the file booked through the same door as
//! a booking from the page, each in its own savepoint; with a dry run, or any bad line,
//! nothing stays (the whole import is rolled back) and the report says what each line would
//! do. The same reference again is the same appointment, so a file can be imported twice.

use seira_protocol::{
    ErrorCode, ImportLineError, ImportReport, ImportedAppointment, NewAppointment,
};

use super::{Ctx, EngineError, Result};
use crate::import::{self, Row};

impl Ctx<'_, '_> {
    /// Books each row (`Err` rows are reported as they are).
    pub fn import_appointments(
        &mut self,
        site_id: &str,
        rows: Vec<std::result::Result<Row, import::LineError>>,
        dry_run: bool,
    ) -> Result<ImportReport> {
        let site = self.site(site_id)?;
        self.forbid_unless(|c| c.may_manage_queue(site_id))?;
        self.tx.execute_batch("SAVEPOINT import")?;
        let events_before = self.events.len();
        let mut report = ImportReport {
            dry_run,
            appointments: Vec::new(),
            errors: Vec::new(),
        };
        for row in rows {
            let row = match row {
                Ok(row) => row,
                Err(e) => {
                    report.errors.push(ImportLineError {
                        line: e.line,
                        error: e.error.as_str().to_owned(),
                        message: e.message,
                    });
                    continue;
                }
            };
            let minutes = row.minutes.or_else(|| {
                site.service(&row.service)
                    .and_then(|s| s.appointment_slot)
                    .map(|d| d.as_mins() as u32)
            });
            let request = NewAppointment {
                service: row.service.clone(),
                desk: row.desk.clone(),
                start: row.start,
                minutes: minutes.unwrap_or(0),
                request_id: import::request_id(&row.reference),
                contact: None,
                note: None,
            };
            // A line that fails leaves nothing behind: its own savepoint.
            self.tx.execute_batch("SAVEPOINT import_line")?;
            let events = self.events.len();
            match self.book(site_id, &request) {
                Ok((appointment, created)) => {
                    self.tx.execute_batch("RELEASE import_line")?;
                    report.appointments.push(ImportedAppointment {
                        line: row.line,
                        reference: row.reference,
                        existing: !created,
                        appointment,
                    });
                }
                Err(EngineError::Store(e)) => return Err(EngineError::Store(e)),
                Err(e) => {
                    self.tx
                        .execute_batch("ROLLBACK TO import_line; RELEASE import_line")?;
                    self.events.truncate(events);
                    let (code, message) = described(&e);
                    report.errors.push(ImportLineError {
                        line: row.line,
                        error: code.as_str().to_owned(),
                        message,
                    });
                }
            }
        }
        if dry_run || !report.errors.is_empty() {
            self.tx
                .execute_batch("ROLLBACK TO import; RELEASE import")?;
            self.events.truncate(events_before);
        } else {
            self.tx.execute_batch("RELEASE import")?;
        }
        report.errors.sort_by_key(|e| e.line);
        Ok(report)
    }
}

/// The error code and words of a refused line, as the API would answer them.
fn described(e: &EngineError) -> (ErrorCode, String) {
    let code = match e {
        EngineError::NotFound { .. } => ErrorCode::NotFound,
        EngineError::Missing { code, .. }
        | EngineError::Conflict { code, .. }
        | EngineError::Invalid { code, .. }
        | EngineError::TooMany { code, .. } => *code,
        EngineError::Transition(_) => ErrorCode::InvalidTransition,
        EngineError::InvalidSettings { .. } => ErrorCode::InvalidSettings,
        EngineError::Forbidden(_) => ErrorCode::Forbidden,
        EngineError::Store(_) => ErrorCode::Internal,
    };
    (code, e.to_string())
}
