//! An ESC/POS byte stream, built command by command. Only the commands a ticket needs, each
//! as the Epson reference gives it; every other model we target accepts them.

use crate::codepage::CodePage;

pub const ESC: u8 = 0x1b;
pub const GS: u8 = 0x1d;
pub const DLE: u8 = 0x10;
pub const EOT: u8 = 0x04;
pub const LF: u8 = 0x0a;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left = 0,
    Center = 1,
    Right = 2,
}

/// Text a code page cannot hold.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{character}` cannot be printed in {}", .page.name())]
pub struct Unprintable {
    pub character: char,
    pub page: CodePage,
}

/// The bytes of one print job.
#[derive(Debug, Clone)]
pub struct Commands {
    bytes: Vec<u8>,
    page: CodePage,
}

impl Commands {
    /// A job that starts by resetting the printer and selecting `page` as number `number`.
    pub fn new(page: CodePage, number: u8) -> Commands {
        let mut c = Commands {
            bytes: Vec::with_capacity(1024),
            page,
        };
        c.raw(&[ESC, b'@']);
        c.raw(&[ESC, b't', number]);
        c
    }

    pub fn raw(&mut self, bytes: &[u8]) -> &mut Self {
        self.bytes.extend_from_slice(bytes);
        self
    }

    pub fn align(&mut self, align: Align) -> &mut Self {
        self.raw(&[ESC, b'a', align as u8])
    }

    /// Character size, 1–8 times in each direction.
    pub fn size(&mut self, width: u8, height: u8) -> &mut Self {
        let w = width.clamp(1, 8) - 1;
        let h = height.clamp(1, 8) - 1;
        self.raw(&[GS, b'!', (w << 4) | h])
    }

    pub fn bold(&mut self, on: bool) -> &mut Self {
        self.raw(&[ESC, b'E', on as u8])
    }

    /// Text in the job's code page.
    pub fn text(&mut self, text: &str) -> Result<&mut Self, Unprintable> {
        let bytes = self.page.encode(text).map_err(|character| Unprintable {
            character,
            page: self.page,
        })?;
        Ok(self.raw(&bytes))
    }

    /// Text and a line feed.
    pub fn line(&mut self, text: &str) -> Result<&mut Self, Unprintable> {
        self.text(text)?;
        Ok(self.raw(&[LF]))
    }

    pub fn feed(&mut self, lines: u8) -> &mut Self {
        self.raw(&[ESC, b'd', lines])
    }

    /// A QR code (model 2, error correction M) of `data`, modules of `module` dots.
    pub fn qr(&mut self, data: &str, module: u8) -> &mut Self {
        let len = data.len() + 3;
        let (pl, ph) = ((len % 256) as u8, (len / 256) as u8);
        self.raw(&[GS, b'(', b'k', 4, 0, 49, 65, 50, 0]) // model 2
            .raw(&[GS, b'(', b'k', 3, 0, 49, 67, module.clamp(1, 16)]) // module size
            .raw(&[GS, b'(', b'k', 3, 0, 49, 69, 49]) // error correction M
            .raw(&[GS, b'(', b'k', pl, ph, 49, 80, 48])
            .raw(data.as_bytes())
            .raw(&[GS, b'(', b'k', 3, 0, 49, 81, 48]) // print it
    }

    /// A 1-bit raster image (`GS v 0`): rows of `width_bytes` bytes, the high bit leftmost.
    pub fn raster(&mut self, width_bytes: u16, rows: &[u8]) -> &mut Self {
        let height = (rows.len() / width_bytes.max(1) as usize) as u16;
        self.raw(&[GS, b'v', b'0', 0])
            .raw(&width_bytes.to_le_bytes())
            .raw(&height.to_le_bytes())
            .raw(rows)
    }

    /// Feeds to the cutter and cuts, leaving a hinge (partial cut).
    pub fn cut(&mut self) -> &mut Self {
        self.raw(&[GS, b'V', 66, 0])
    }

    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_are_the_documented_bytes() {
        let mut c = Commands::new(CodePage::Pc737, 14);
        c.align(Align::Center)
            .size(2, 3)
            .bold(true)
            .line("Α-1")
            .unwrap()
            .cut();
        assert_eq!(
            c.into_bytes(),
            [
                0x1b, b'@', 0x1b, b't', 14, 0x1b, b'a', 1, 0x1d, b'!', 0x12, 0x1b, b'E', 1, 0x80,
                b'-', b'1', 0x0a, 0x1d, b'V', 66, 0
            ]
        );
    }

    #[test]
    fn qr_declares_its_data_length() {
        let mut c = Commands::new(CodePage::Pc737, 14);
        c.qr("http://x/t/1", 6);
        let bytes = c.into_bytes();
        let store = bytes.windows(3).position(|w| w == [49, 80, 48]).unwrap();
        assert_eq!(bytes[store - 2], 15); // 12 bytes of data + 3
        assert_eq!(&bytes[store + 3..store + 15], b"http://x/t/1");
    }

    #[test]
    fn unprintable_text_is_an_error() {
        let mut c = Commands::new(CodePage::Wpc1253, 47);
        assert_eq!(
            c.text("مرحبا").unwrap_err(),
            Unprintable {
                character: 'م',
                page: CodePage::Wpc1253
            }
        );
    }
}
