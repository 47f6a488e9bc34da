//! The managers' charts, drawn as SVG (plotters) into the page and the printed report: the
//! waiting-time distribution, volume and mean wait by hour, arrivals by weekday and hour, and
//! the daily trend. Text is measured with the bundled DejaVu Sans, and drawn by the browser.

use std::sync::Once;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::figures::Figures;

const FONT: &str = "sans-serif";
const INK: RGBColor = RGBColor(0x1b, 0x26, 0x3b);
const BLUE: RGBColor = RGBColor(0x1f, 0x5f, 0xa8);
const AMBER: RGBColor = RGBColor(0xc2, 0x6a, 0x00);
const GRID: RGBColor = RGBColor(0xdd, 0xe3, 0xea);
const SIZE: (u32, u32) = (720, 320);

/// The words on the charts, in the page's language.
pub struct Words<'a> {
    pub waits_title: &'a str,
    pub minutes: &'a str,
    pub tickets: &'a str,
    pub by_hour_title: &'a str,
    pub mean_wait_min: &'a str,
    pub heatmap_title: &'a str,
    /// Monday first.
    pub weekdays: [&'a str; 7],
    pub daily_title: &'a str,
}

fn register_font() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let bytes: &'static [u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");
        if plotters::style::register_font(FONT, FontStyle::Normal, bytes).is_err() {
            tracing::error!("the charts' font did not load");
        }
    });
}

/// Draws into an SVG string; a chart that fails says so instead of breaking the page.
fn svg(draw: impl FnOnce(&DrawingArea<SVGBackend<'_>, Shift>) -> Result<(), String>) -> String {
    register_font();
    let mut out = String::new();
    let result = {
        let root = SVGBackend::with_string(&mut out, SIZE).into_drawing_area();
        draw(&root).and_then(|()| root.present().map_err(|e| e.to_string()))
    };
    match result {
        Ok(()) => out,
        Err(e) => {
            tracing::error!("a chart failed: {e}");
            String::new()
        }
    }
}

fn caption(text: &str) -> (&str, TextStyle<'static>) {
    (text, (FONT, 17).into_font().color(&INK))
}

/// Waits per bar of the distribution.
pub fn waits(f: &Figures, w: &Words<'_>) -> String {
    let labels: Vec<String> = f
        .wait_histogram
        .iter()
        .map(|b| match b.to_min {
            Some(to) => format!("{}–{}", b.from_min, to),
            None => format!("{}+", b.from_min),
        })
        .collect();
    let counts: Vec<u64> = f.wait_histogram.iter().map(|b| b.count).collect();
    let top = counts.iter().copied().max().unwrap_or(0).max(1);
    svg(|root| {
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let (title, style) = caption(w.waits_title);
        let mut chart = ChartBuilder::on(root)
            .caption(title, style)
            .margin(12)
            .x_label_area_size(44)
            .y_label_area_size(52)
            .build_cartesian_2d((0..labels.len()).into_segmented(), 0..top + top / 10 + 1)
            .map_err(|e| e.to_string())?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(GRID)
            .x_desc(w.minutes)
            .y_desc(w.tickets)
            .x_labels(labels.len())
            .x_label_formatter(&|x| match x {
                SegmentValue::CenterOf(i) => labels.get(*i).cloned().unwrap_or_default(),
                _ => String::new(),
            })
            .label_style((FONT, 13))
            .axis_desc_style((FONT, 14))
            .draw()
            .map_err(|e| e.to_string())?;
        chart
            .draw_series(
                Histogram::vertical(&chart)
                    .style(BLUE.filled())
                    .margin(6)
                    .data(counts.iter().enumerate().map(|(i, &c)| (i, c))),
            )
            .map_err(|e| e.to_string())?;
        Ok(())
    })
}

/// Arrivals per hour (bars) and their mean wait (line, right axis), over the hours that had any.
pub fn by_hour(f: &Figures, w: &Words<'_>) -> String {
    let busy: Vec<usize> = (0..24).filter(|&h| f.by_hour[h].arrivals > 0).collect();
    let (first, last) = match (busy.first(), busy.last()) {
        (Some(&a), Some(&b)) => (a.min(8), b.max(15)),
        _ => (8, 15),
    };
    let hours = &f.by_hour[first..=last];
    bars_and_line(
        w.by_hour_title,
        w,
        hours.iter().map(|g| g.key.clone()).collect(),
        hours.iter().map(|g| g.arrivals).collect(),
        hours
            .iter()
            .map(|g| g.wait.mean_s.map(|s| s / 60.0))
            .collect(),
    )
}

/// Arrivals by weekday and hour: darker is busier, with the count in each cell.
pub fn heatmap(f: &Figures, w: &Words<'_>) -> String {
    let busy: Vec<usize> = (0..24)
        .filter(|&h| f.heatmap.iter().any(|row| row[h] > 0))
        .collect();
    let (first, last) = match (busy.first(), busy.last()) {
        (Some(&a), Some(&b)) => (a.min(8), b.max(15)),
        _ => (8, 15),
    };
    let top = f
        .heatmap
        .iter()
        .flatten()
        .copied()
        .max()
        .unwrap_or(0)
        .max(1);
    svg(|root| {
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let (title, style) = caption(w.heatmap_title);
        // Rows are centred on whole numbers, Monday (6) on top down to Sunday (0), so that
        // each weekday's label sits in the middle of its row.
        let mut chart = ChartBuilder::on(root)
            .caption(title, style)
            .margin(12)
            .x_label_area_size(30)
            .y_label_area_size(90)
            .build_cartesian_2d(first as f64..last as f64 + 1.0, -0.5..6.5)
            .map_err(|e| e.to_string())?;
        chart
            .configure_mesh()
            .disable_mesh()
            .x_labels(last - first + 2)
            .x_label_formatter(&|h: &f64| format!("{:02}", h.round() as i64))
            .y_labels(7)
            .y_label_formatter(&|d: &f64| {
                if (d - d.round()).abs() > 0.01 {
                    return String::new();
                }
                usize::try_from(6 - d.round() as i64)
                    .ok()
                    .and_then(|i| w.weekdays.get(i))
                    .map(|s| s.to_string())
                    .unwrap_or_default()
            })
            .label_style((FONT, 13))
            .draw()
            .map_err(|e| e.to_string())?;
        let cells = (0..7).flat_map(|day| (first..=last).map(move |h| (day, h)));
        let row = |day: usize| 6.0 - day as f64;
        chart
            .draw_series(cells.clone().map(|(day, h)| {
                let count = f.heatmap[day][h];
                let share = count as f64 / top as f64;
                // From pale to deep blue; an empty hour stays near white.
                let colour = if count == 0 {
                    RGBColor(0xf6, 0xf8, 0xfb)
                } else {
                    let mix = |pale: u8, deep: u8| {
                        (f64::from(pale) + (f64::from(deep) - f64::from(pale)) * share) as u8
                    };
                    RGBColor(mix(0xd8, 0x12), mix(0xe6, 0x3c), mix(0xf5, 0x78))
                };
                let (x, y) = (h as f64, row(day));
                Rectangle::new([(x, y - 0.48), (x + 0.98, y + 0.48)], colour.filled())
            }))
            .map_err(|e| e.to_string())?;
        let centre = Pos::new(HPos::Center, VPos::Center);
        chart
            .draw_series(
                cells
                    .filter(|&(day, h)| f.heatmap[day][h] > 0)
                    .map(|(day, h)| {
                        let count = f.heatmap[day][h];
                        let ink = if count as f64 / top as f64 > 0.5 {
                            WHITE
                        } else {
                            BLACK
                        };
                        Text::new(
                            count.to_string(),
                            (h as f64 + 0.49, row(day)),
                            (FONT, 13).into_font().color(&ink).pos(centre),
                        )
                    }),
            )
            .map_err(|e| e.to_string())?;
        Ok(())
    })
}

/// Tickets per day (bars) and the day's mean wait (line, right axis).
pub fn daily(f: &Figures, w: &Words<'_>) -> String {
    let days = &f.by_day;
    // A label every few days (`11-03`), so that they do not run into each other.
    let step = days.len().div_ceil(8).max(1);
    bars_and_line(
        w.daily_title,
        w,
        days.iter()
            .enumerate()
            .map(|(i, d)| {
                if i % step == 0 {
                    d.key.get(5..).unwrap_or(&d.key).to_owned()
                } else {
                    String::new()
                }
            })
            .collect(),
        days.iter().map(|d| d.arrivals).collect(),
        days.iter()
            .map(|d| d.wait.mean_s.map(|s| s / 60.0))
            .collect(),
    )
}

/// Counts as bars (left axis) and minutes as a line (right axis) over the same slices, each
/// slice named by its label (an empty label: nothing under it).
fn bars_and_line(
    title: &str,
    w: &Words<'_>,
    labels: Vec<String>,
    bars: Vec<u64>,
    line: Vec<Option<f64>>,
) -> String {
    let n = labels.len().max(1);
    let top = bars.iter().copied().max().unwrap_or(0).max(1);
    let top_line = line.iter().flatten().copied().fold(10.0_f64, f64::max);
    svg(|root| {
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let (title, style) = caption(title);
        let mut chart = ChartBuilder::on(root)
            .caption(title, style)
            .margin(12)
            .x_label_area_size(36)
            .y_label_area_size(52)
            .right_y_label_area_size(52)
            .build_cartesian_2d((0..n).into_segmented(), 0..top + top / 10 + 1)
            .map_err(|e| e.to_string())?
            .set_secondary_coord(0.0..n as f64, 0.0..top_line * 1.15);
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(GRID)
            .y_desc(w.tickets)
            .x_labels(n)
            .x_label_formatter(&|x| match x {
                SegmentValue::CenterOf(i) => labels.get(*i).cloned().unwrap_or_default(),
                _ => String::new(),
            })
            .label_style((FONT, 12))
            .axis_desc_style((FONT, 14))
            .draw()
            .map_err(|e| e.to_string())?;
        chart
            .configure_secondary_axes()
            .y_desc(w.mean_wait_min)
            .label_style((FONT, 13))
            .axis_desc_style((FONT, 14))
            .draw()
            .map_err(|e| e.to_string())?;
        let margin = match n {
            0..=20 => 6,
            21..=40 => 3,
            _ => 1,
        };
        chart
            .draw_series(
                bars.iter()
                    .enumerate()
                    .map(|(i, &count)| bar(i, count, margin)),
            )
            .map_err(|e| e.to_string())?;
        let points: Vec<(f64, f64)> = line
            .iter()
            .enumerate()
            .filter_map(|(i, v)| v.map(|v| (i as f64 + 0.5, v)))
            .collect();
        chart
            .draw_secondary_series(LineSeries::new(points.clone(), AMBER.stroke_width(3)))
            .map_err(|e| e.to_string())?;
        if n <= 24 {
            chart
                .draw_secondary_series(points.iter().map(|&p| Circle::new(p, 4, AMBER.filled())))
                .map_err(|e| e.to_string())?;
        }
        Ok(())
    })
}

/// One bar over segment `i` of a segmented axis.
fn bar(i: usize, height: u64, margin: u32) -> Rectangle<(SegmentValue<usize>, u64)> {
    let mut bar = Rectangle::new(
        [
            (SegmentValue::Exact(i), 0),
            (SegmentValue::Exact(i + 1), height),
        ],
        BLUE.mix(0.75).filled(),
    );
    bar.set_margin(0, 0, margin, margin);
    bar
}

/// Whether there is anything to draw.
pub fn has_data(f: &Figures) -> bool {
    f.totals.arrivals > 0
}
