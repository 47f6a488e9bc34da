//! What a centre's monitoring scrapes at `/metrics` (Prometheus / OpenMetrics text, through
//! the `prometheus-client` crate): requests by route and status and their latencies, events
//! by kind (tickets issued and called among them), open event streams; and at each scrape,
//! who waits per service, devices online, the database's size. Counts only: nothing personal.

use std::sync::atomic::{AtomicI64, Ordering};

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    /// The route's pattern (`/api/v1/desks/{desk}/call-next`), never the address itself.
    pub route: String,
    pub method: String,
    pub status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RouteLabels {
    pub route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct KindLabels {
    pub kind: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ServiceLabels {
    pub site: String,
    pub service: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct SiteLabels {
    pub site: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct PrinterLabels {
    pub site: String,
    pub device: String,
    pub state: String,
}

/// The server's metrics.
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RouteLabels, Histogram>,
    events: Family<KindLabels, Counter>,
    streams: Gauge,
    waiting: Family<ServiceLabels, Gauge>,
    devices_online: Family<SiteLabels, Gauge>,
    database_bytes: Gauge,
    printers: Family<PrinterLabels, Gauge>,
    last_backup: Gauge,
    /// The streams open now (kept apart from the gauge, which is set from it).
    open_streams: AtomicI64,
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("seira");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register("http_requests", "HTTP requests answered", requests.clone());
        let latency = Family::<RouteLabels, Histogram>::new_with_constructor(|| {
            // 1 ms to 2.5 s: a call is a few ms, a year's statistics about a second.
            Histogram::new([
                0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
            ])
        });
        registry.register(
            "http_request_duration_seconds",
            "Time to answer, by route",
            latency.clone(),
        );
        let events = Family::<KindLabels, Counter>::default();
        registry.register(
            "events",
            "Events committed, by kind (ticket_issued, ticket_called…)",
            events.clone(),
        );
        let streams = Gauge::default();
        registry.register("event_streams", "Event streams open now", streams.clone());
        let waiting = Family::<ServiceLabels, Gauge>::default();
        registry.register("waiting", "Citizens waiting, by service", waiting.clone());
        let devices_online = Family::<SiteLabels, Gauge>::default();
        registry.register(
            "devices_online",
            "Kiosks and displays heard from within 65 s",
            devices_online.clone(),
        );
        let database_bytes = Gauge::default();
        registry.register(
            "database_bytes",
            "The database file with its WAL",
            database_bytes.clone(),
        );
        let printers = Family::<PrinterLabels, Gauge>::default();
        registry.register(
            "printer",
            "Each device's printer as it last reported (1 for its state)",
            printers.clone(),
        );
        // A time rather than an age, as Prometheus has it: the age is `time() - this`, and an
        // alert on it fires for a centre that has no backup at all (0) too.
        let last_backup = Gauge::default();
        registry.register(
            "last_backup_timestamp_seconds",
            "When the newest backup beside the database was made, in Unix seconds (0: none)",
            last_backup.clone(),
        );
        Metrics {
            registry,
            printers,
            last_backup,
            requests,
            latency,
            events,
            streams,
            waiting,
            devices_online,
            database_bytes,
            open_streams: AtomicI64::new(0),
        }
    }
}

impl Metrics {
    pub fn request(&self, route: &str, method: &str, status: u16, seconds: f64) {
        self.requests
            .get_or_create(&RequestLabels {
                route: route.to_owned(),
                method: method.to_owned(),
                status,
            })
            .inc();
        self.latency
            .get_or_create(&RouteLabels {
                route: route.to_owned(),
            })
            .observe(seconds);
    }

    pub fn event(&self, kind: &str) {
        self.events
            .get_or_create(&KindLabels {
                kind: kind.to_owned(),
            })
            .inc();
    }

    /// An event stream opened: the returned guard counts it until it is dropped.
    pub fn stream_opened(self: &std::sync::Arc<Self>) -> StreamGuard {
        let now = self.open_streams.fetch_add(1, Ordering::SeqCst) + 1;
        self.streams.set(now);
        StreamGuard(self.clone())
    }

    /// The text for a scrape, with the figures of now.
    pub fn encode(&self, now: &Snapshot) -> String {
        self.waiting.clear();
        for (site, service, count) in &now.waiting {
            self.waiting
                .get_or_create(&ServiceLabels {
                    site: site.clone(),
                    service: service.clone(),
                })
                .set(*count);
        }
        self.devices_online.clear();
        for (site, count) in &now.devices_online {
            self.devices_online
                .get_or_create(&SiteLabels { site: site.clone() })
                .set(*count);
        }
        self.database_bytes.set(now.database_bytes);
        self.printers.clear();
        for (site, device, state) in &now.printers {
            self.printers
                .get_or_create(&PrinterLabels {
                    site: site.clone(),
                    device: device.clone(),
                    state: state.clone(),
                })
                .set(1);
        }
        self.last_backup.set(now.last_backup.unwrap_or(0));
        let mut text = String::new();
        let _ = prometheus_client::encoding::text::encode(&mut text, &self.registry);
        text
    }
}

/// What a scrape reads from the database and the disk.
#[derive(Debug, Default)]
pub struct Snapshot {
    pub waiting: Vec<(String, String, i64)>,
    pub devices_online: Vec<(String, i64)>,
    pub database_bytes: i64,
    /// (site, device, printer state) of each device that has reported.
    pub printers: Vec<(String, String, String)>,
    /// When the newest backup was made, in Unix seconds; `None` when there is none.
    pub last_backup: Option<i64>,
}

/// Counts an open event stream until dropped.
pub struct StreamGuard(std::sync::Arc<Metrics>);

impl Drop for StreamGuard {
    fn drop(&mut self) {
        let now = self.0.open_streams.fetch_sub(1, Ordering::SeqCst) - 1;
        self.0.streams.set(now);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_has_every_family_with_its_labels() {
        let m = std::sync::Arc::new(Metrics::default());
        m.request("/api/v1/desks/{desk}/call-next", "POST", 200, 0.003);
        m.event("ticket_issued");
        let guard = m.stream_opened();
        let text = m.encode(&Snapshot {
            waiting: vec![("chania".into(), "benefits".into(), 4)],
            devices_online: vec![("chania".into(), 2)],
            database_bytes: 4096,
            printers: vec![("chania".into(), "chania-kiosk".into(), "paper_out".into())],
            last_backup: Some(1_790_000_000),
        });
        for expected in [
            r#"seira_http_requests_total{route="/api/v1/desks/{desk}/call-next",method="POST",status="200"} 1"#,
            r#"seira_events_total{kind="ticket_issued"} 1"#,
            "seira_event_streams 1",
            r#"seira_waiting{site="chania",service="benefits"} 4"#,
            r#"seira_devices_online{site="chania"} 2"#,
            "seira_database_bytes 4096",
            r#"seira_printer{site="chania",device="chania-kiosk",state="paper_out"} 1"#,
            "seira_last_backup_timestamp_seconds 1790000000",
            "seira_http_request_duration_seconds_bucket",
        ] {
            assert!(text.contains(expected), "{expected} in\n{text}");
        }
        drop(guard);
        let none = m.encode(&Snapshot::default());
        assert!(none.contains("seira_event_streams 0"));
        assert!(
            none.contains("seira_last_backup_timestamp_seconds 0"),
            "{none}"
        );
    }
}
