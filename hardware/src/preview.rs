//! What a printer would print, drawn from the ESC/POS bytes themselves: a ticket layout can be
//! checked with no printer (`seira print-test --preview out.png`). The bytes are read back by
//! [`crate::reader`], so the preview shows what was sent, not what was meant.

use image::{GrayImage, Luma};
use qrcode::{EcLevel, QrCode};

use crate::commands::Align;
use crate::profile::Profile;
use crate::raster::{Bitmap, render_line, render_line_within};
use crate::reader::{self, Element, ReadError};

/// Blank paper left and right of the printable width, in dots.
const MARGIN: u32 = 24;
/// The height of one line at size 1 (font A with the default line spacing).
const LINE: u32 = 30;

/// The paper a job prints, as a grey image (white paper, black dots).
pub fn preview(job: &[u8], profile: &Profile) -> Result<GrayImage, ReadError> {
    let elements = reader::read(job, profile.greek_pages)?;
    let width = profile.width_dots as u32;
    let mut strips: Vec<Bitmap> = vec![Bitmap::new(width, MARGIN)];
    let (mut align, mut height, mut wide, mut bold) = (Align::Left, 1u8, 1u8, false);
    // Font A cells are 12 dots wide: the text takes at most that much room, as on paper.
    let cells = |text: &str, wide: u8| text.chars().count() as u32 * 12 * wide as u32;
    let mut line = String::new();
    for element in elements {
        match element {
            Element::Align(a) => align = a,
            Element::Size {
                width: w,
                height: h,
            } => (wide, height) = (w, h),
            Element::Bold(b) => bold = b,
            Element::Text(t) => line.push_str(&t),
            Element::LineFeed => {
                let px = 24.0 * height as f32;
                if line.is_empty() {
                    strips.push(Bitmap::new(width, LINE * height as u32));
                } else {
                    strips.push(render_line_within(
                        &line,
                        px,
                        bold,
                        width,
                        align,
                        cells(&line, wide),
                    ));
                }
                line.clear();
            }
            Element::Feed(n) => strips.push(Bitmap::new(width, LINE * n as u32)),
            Element::Qr(data) => strips.push(qr(&data, width, if width >= 576 { 6 } else { 5 })),
            Element::Raster {
                width_bytes,
                height,
                rows,
            } => strips.push(Bitmap {
                width: width_bytes as u32 * 8,
                height: height as u32,
                rows,
            }),
            Element::Cut => strips.push(cut_line(width)),
            Element::Init | Element::CodePage(_) | Element::StatusQuery(_) => {}
        }
    }
    if !line.is_empty() {
        strips.push(render_line(&line, 24.0 * height as f32, bold, width, align));
    }
    Ok(paper(&strips, width))
}

fn qr(data: &str, width: u32, module: u32) -> Bitmap {
    let Ok(code) = QrCode::with_error_correction_level(data.as_bytes(), EcLevel::M) else {
        return Bitmap::new(width, 0);
    };
    let modules = code.width() as u32;
    let colors = code.to_colors();
    let size = modules * module;
    let left = width.saturating_sub(size) / 2;
    let mut bitmap = Bitmap::new(width, size);
    for (i, color) in colors.iter().enumerate() {
        if *color == qrcode::Color::Dark {
            let (mx, my) = (i as u32 % modules, i as u32 / modules);
            for dy in 0..module {
                for dx in 0..module {
                    bitmap.set(left + mx * module + dx, my * module + dy);
                }
            }
        }
    }
    bitmap
}

fn cut_line(width: u32) -> Bitmap {
    let mut bitmap = Bitmap::new(width, 12);
    for x in (0..width).filter(|x| x % 12 < 6) {
        bitmap.set(x, 6);
    }
    bitmap
}

fn paper(strips: &[Bitmap], width: u32) -> GrayImage {
    let height: u32 = strips.iter().map(|s| s.height).sum::<u32>() + MARGIN;
    let mut image = GrayImage::from_pixel(width + 2 * MARGIN, height, Luma([255]));
    let mut top = 0;
    for strip in strips {
        for y in 0..strip.height {
            for x in 0..strip.width.min(width) {
                if strip.get(x, y) {
                    image.put_pixel(MARGIN + x, top + y, Luma([0]));
                }
            }
        }
        top += strip.height;
    }
    image
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::{TicketContent, ticket};

    #[test]
    fn a_preview_is_a_ticket_sized_image_with_ink() {
        let content = TicketContent {
            centre: "Κέντρο Κοινότητας Δήμου Χανίων".into(),
            number: "A012".into(),
            service: "الإعانات".into(),
            issued: "23/11/2026 10:42".into(),
            queue_line: "Μπροστά σας: 3".into(),
            track_url: "http://seira.local/t/abc".into(),
            short_link: "seira.local/t/KX7PQ-4MN2A".into(),
            footer: "Οι υπηρεσίες παρέχονται δωρεάν".into(),
            logo: None,
        };
        let profile = Profile::named("generic-58").unwrap();
        let image = preview(&ticket(&content, &profile).unwrap(), &profile).unwrap();
        assert_eq!(image.width(), 384 + 2 * MARGIN);
        assert!(image.height() > 600, "{}", image.height());
        let ink = image.pixels().filter(|p| p.0[0] == 0).count();
        assert!(ink > 10_000, "{ink}");
    }
}
