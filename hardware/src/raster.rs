//! Text as a 1-bit image, for what no printer code page holds (Arabic, Farsi, Ukrainian…) and
//! for previews. Text is ordered for display by the Unicode bidirectional algorithm
//! (`unicode-bidi`), shaped by `rustybuzz` (Arabic letters join as they should) and drawn with
//! DejaVu Sans (`ab_glyph`), which is bundled: it has Greek, Cyrillic, Arabic and Persian.

use ab_glyph::{Font, FontRef, GlyphId, PxScale, point};
use unicode_bidi::BidiInfo;

use crate::commands::Align;

static REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
static BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

/// A 1-bit image: `width` a multiple of 8, rows packed with the leftmost dot in the high bit
/// (the layout of `GS v 0`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bitmap {
    pub width: u32,
    pub height: u32,
    pub rows: Vec<u8>,
}

impl Bitmap {
    pub fn new(width: u32, height: u32) -> Bitmap {
        let width = width.div_ceil(8) * 8;
        Bitmap {
            width,
            height,
            rows: vec![0; (width / 8 * height) as usize],
        }
    }

    pub fn width_bytes(&self) -> u16 {
        (self.width / 8) as u16
    }

    pub fn set(&mut self, x: u32, y: u32) {
        if x < self.width && y < self.height {
            let i = (y * self.width / 8 + x / 8) as usize;
            self.rows[i] |= 0x80 >> (x % 8);
        }
    }

    pub fn get(&self, x: u32, y: u32) -> bool {
        x < self.width
            && y < self.height
            && self.rows[(y * self.width / 8 + x / 8) as usize] & (0x80 >> (x % 8)) != 0
    }

    /// How many dots are black (for tests).
    pub fn ink(&self) -> u32 {
        self.rows.iter().map(|b| b.count_ones()).sum()
    }
}

/// One positioned glyph, in pixels from the line's left edge.
struct Placed {
    glyph: u16,
    x: f32,
    y: f32,
}

/// Shapes `text` in visual order at `px`; returns the glyphs and the line's width.
fn shape(text: &str, font_data: &'static [u8], px: f32) -> (Vec<Placed>, f32) {
    let Some(face) = rustybuzz::Face::from_slice(font_data, 0) else {
        return (Vec::new(), 0.0);
    };
    let scale = px / face.units_per_em() as f32;
    let bidi = BidiInfo::new(text, None);
    let mut placed = Vec::new();
    let mut x = 0.0;
    for para in &bidi.paragraphs {
        let line = para.range.clone();
        let (levels, runs) = bidi.visual_runs(para, line);
        for run in runs {
            let rtl = levels[run.start].is_rtl();
            let mut buffer = rustybuzz::UnicodeBuffer::new();
            buffer.push_str(&text[run.clone()]);
            buffer.set_direction(if rtl {
                rustybuzz::Direction::RightToLeft
            } else {
                rustybuzz::Direction::LeftToRight
            });
            let shaped = rustybuzz::shape(&face, &[], buffer);
            for (info, pos) in shaped.glyph_infos().iter().zip(shaped.glyph_positions()) {
                placed.push(Placed {
                    glyph: info.glyph_id as u16,
                    x: x + pos.x_offset as f32 * scale,
                    y: -pos.y_offset as f32 * scale,
                });
                x += pos.x_advance as f32 * scale;
            }
        }
    }
    (placed, x)
}

/// Draws one line of text `px` high into a bitmap `width` dots wide, smaller if it would not
/// fit.
pub fn render_line(text: &str, px: f32, bold: bool, width: u32, align: Align) -> Bitmap {
    render_line_within(text, px, bold, width, align, width)
}

/// The same, with the text itself at most `text_width` dots wide (a printer font's cells).
pub fn render_line_within(
    text: &str,
    px: f32,
    bold: bool,
    width: u32,
    align: Align,
    text_width: u32,
) -> Bitmap {
    let data = if bold { BOLD } else { REGULAR };
    let font = FontRef::try_from_slice(data).expect("the bundled font loads");
    let (mut glyphs, mut line_width) = shape(text, data, px);
    let room = text_width.min(width) as f32;
    let height_px = px;
    let mut px = px;
    if line_width > room && line_width > 0.0 {
        px *= room / line_width * 0.98;
        (glyphs, line_width) = shape(text, data, px);
    }
    let px_for_height = height_px;
    let height = (px_for_height * 1.25).ceil() as u32;
    let mut bitmap = Bitmap::new(width, height);
    let left = match align {
        Align::Left => 0.0,
        Align::Center => ((bitmap.width as f32 - line_width) / 2.0).max(0.0),
        Align::Right => (bitmap.width as f32 - line_width).max(0.0),
    };
    let scaled = font.as_scaled(PxScale::from(px));
    // Smaller text sits on the line's baseline, not at its top.
    let baseline = ab_glyph::ScaleFont::ascent(&font.as_scaled(PxScale::from(px_for_height)));
    let _ = scaled;
    for g in glyphs {
        let glyph = GlyphId(g.glyph).with_scale_and_position(px, point(left + g.x, baseline + g.y));
        if let Some(outline) = font.outline_glyph(glyph) {
            let bounds = outline.px_bounds();
            outline.draw(|x, y, coverage| {
                if coverage >= 0.5 {
                    let px_x = bounds.min.x as i32 + x as i32;
                    let px_y = bounds.min.y as i32 + y as i32;
                    if px_x >= 0 && px_y >= 0 {
                        bitmap.set(px_x as u32, px_y as u32);
                    }
                }
            });
        }
    }
    bitmap
}

/// A logo from an image file: scaled to at most `max_width` dots wide and 160 high, turned
/// into black and white (dark and opaque pixels print), and centred in a `width`-dot line.
pub fn logo(
    path: &std::path::Path,
    width: u32,
    max_width: u32,
) -> Result<Bitmap, image::ImageError> {
    let image = image::open(path)?;
    let scaled = image.resize(
        max_width.min(width),
        160,
        image::imageops::FilterType::Lanczos3,
    );
    let rgba = scaled.to_rgba8();
    let mut bitmap = Bitmap::new(width, rgba.height());
    let left = (width.saturating_sub(rgba.width())) / 2;
    for (x, y, pixel) in rgba.enumerate_pixels() {
        let [r, g, b, a] = pixel.0;
        let luma = 0.299 * r as f32 + 0.587 * g as f32 + 0.114 * b as f32;
        if a >= 128 && luma < 128.0 {
            bitmap.set(left + x, y);
        }
    }
    Ok(bitmap)
}

/// Whether the bundled font draws every character of `text`.
pub fn can_draw(text: &str) -> bool {
    let font = FontRef::try_from_slice(REGULAR).expect("the bundled font loads");
    text.chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .all(|c| font.glyph_id(c).0 != 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_font_draws_every_script_of_the_kiosk() {
        for text in [
            "Επιδόματα",
            "Benefits",
            "الإعانات",
            "کمک‌هزینه‌ها",
            "Соціальні виплати",
            "Përfitimet sociale",
        ] {
            assert!(can_draw(text), "{text}");
            assert!(
                render_line(text, 24.0, false, 384, Align::Center).ink() > 50,
                "{text} has ink"
            );
        }
    }

    #[test]
    fn right_to_left_text_is_laid_out_from_the_right() {
        // Left-aligned, a Latin word starts at the left edge; an Arabic one is reversed into
        // visual order, so its first (logical) letter ends up at the right of the line.
        let arabic = render_line("مرحبا", 24.0, false, 384, Align::Left);
        let width_used = (0..arabic.width)
            .rev()
            .find(|&x| (0..arabic.height).any(|y| arabic.get(x, y)))
            .unwrap();
        assert!(width_used > 30 && width_used < 200, "{width_used}");
    }

    #[test]
    fn a_long_line_is_drawn_smaller_to_fit_never_cut() {
        let text = "الإعانات ودخل التضامن الاجتماعي: معلومات وطلبات";
        let line = render_line(text, 24.0, true, 384, Align::Center);
        assert_eq!(line.width, 384);
        let inked: Vec<u32> = (0..line.width)
            .filter(|&x| (0..line.height).any(|y| line.get(x, y)))
            .collect();
        assert!(
            inked[0] > 0 && *inked.last().unwrap() < 383,
            "a margin on both sides"
        );
    }

    #[test]
    fn a_logo_becomes_a_centred_black_and_white_image() {
        let dir = std::env::temp_dir().join(format!("seira-logo-{}.png", std::process::id()));
        let mut img = image::RgbaImage::from_pixel(400, 100, image::Rgba([255, 255, 255, 255]));
        for x in 0..400 {
            for y in 40..60 {
                img.put_pixel(x, y, image::Rgba([10, 10, 10, 255]));
            }
        }
        img.save(&dir).unwrap();
        let bitmap = logo(&dir, 384, 256).unwrap();
        assert_eq!(bitmap.width, 384);
        assert!(bitmap.height <= 160);
        assert!(bitmap.get(192, bitmap.height / 2) && !bitmap.get(10, bitmap.height / 2));
        assert!(logo(std::path::Path::new("/nonexistent.png"), 384, 256).is_err());
        let _ = std::fs::remove_file(dir);
    }

    #[test]
    fn arabic_letters_join() {
        // Shaped, the joined word is narrower than its letters drawn apart.
        let joined = shape("سلام", REGULAR, 24.0).1;
        let apart: f32 = "سلام"
            .chars()
            .map(|c| shape(&c.to_string(), REGULAR, 24.0).1)
            .sum();
        assert!(joined < apart, "{joined} < {apart}");
    }
}
