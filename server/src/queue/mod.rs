//! The queue rules: plain functions with no IO and no clock. Whatever time it is, it comes in as
//! an argument, so every rule can be tested table by table.
//!
//! - [`numbering`]: ticket numbers per site, service and day.
//! - [`calling`]: which waiting ticket a desk calls next.
//! - [`check_in`]: when an appointment may check in, and where its citizen stands then.
//! - [`lifecycle`]: which state changes are possible.
//! - [`estimate`]: the estimated wait of a new ticket.
//! - [`forecast`]: when a waiting ticket will be called, the desks played forward.
//! - [`hours`]: opening hours, and which tickets must be closed at closing time.

pub mod calling;
pub mod check_in;
pub mod estimate;
pub mod forecast;
pub mod hours;
pub mod lifecycle;
pub mod numbering;
