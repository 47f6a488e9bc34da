//! Devices reporting in: kiosks (with their printers) and lobby screens.

use seira_protocol::{EventKind, PrinterStatus};

use super::views::DEVICE_ONLINE;
use super::{Ctx, EngineError, Result};
use crate::store;

impl Ctx<'_, '_> {
    /// A kiosk says it is alive; a change of its printer's state is an event for staff.
    pub fn heartbeat(&mut self, site_id: &str, printer: PrinterStatus) -> Result<()> {
        self.site(site_id)?;
        self.forbid_unless(|c| {
            matches!(
                c.role,
                crate::auth::Role::Kiosk | crate::auth::Role::Display
            ) && c.may_read_site(site_id)
        })?;
        let name = self
            .actor
            .map(|c| c.label.clone())
            .ok_or_else(|| EngineError::Forbidden("a heartbeat comes from a device".into()))?;
        let before = store::record_heartbeat(self.tx, site_id, &name, printer, self.now)?;
        if before.printer != Some(printer) || before.silent {
            let detail = format!("{name}: {}", printer.as_str());
            self.record_detail(site_id, EventKind::DeviceChanged, None, None, Some(detail))?;
        }
        Ok(())
    }

    /// Tells staff, once, of each device that stopped reporting (`detail`: "name: silent").
    pub fn mark_silent_devices(&mut self) -> Result<usize> {
        let mut marked = 0;
        for site in &self.config.sites {
            let before = self.now - DEVICE_ONLINE;
            for name in store::mark_silent(self.tx, &site.id, before)? {
                let detail = format!("{name}: silent");
                self.record_detail(&site.id, EventKind::DeviceChanged, None, None, Some(detail))?;
                marked += 1;
            }
        }
        Ok(marked)
    }
}
