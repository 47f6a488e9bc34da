//! Reads an ESC/POS byte stream back into what it asks the printer to do: the check of every
//! job in the tests, and the source of ticket previews. It knows the commands seira sends and
//! the status queries; anything else is an error, so a stray byte cannot hide.

use crate::codepage::CodePage;
use crate::commands::{Align, DLE, ESC, GS, LF};

/// One thing a job asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Element {
    Init,
    /// `ESC t n`.
    CodePage(u8),
    Align(Align),
    Size {
        width: u8,
        height: u8,
    },
    Bold(bool),
    /// Text up to a line feed (or the next command), decoded with the job's code page.
    Text(String),
    LineFeed,
    Feed(u8),
    Qr(String),
    Raster {
        width_bytes: u16,
        height: u16,
        rows: Vec<u8>,
    },
    Cut,
    StatusQuery(u8),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("byte {offset}: {what}")]
pub struct ReadError {
    pub offset: usize,
    pub what: String,
}

/// The elements of `bytes`; text is decoded with the page that `numbers` maps the job's
/// `ESC t n` to (pass the profile's Greek pages).
pub fn read(bytes: &[u8], numbers: &[(CodePage, u8)]) -> Result<Vec<Element>, ReadError> {
    let mut out = Vec::new();
    let mut page = CodePage::Pc737;
    let mut i = 0;
    let err = |offset: usize, what: &str| ReadError {
        offset,
        what: what.to_owned(),
    };
    let need = |i: usize, n: usize| -> Result<&[u8], ReadError> {
        bytes
            .get(i..i + n)
            .ok_or_else(|| err(i, "the job ends inside a command"))
    };
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            ESC => {
                let cmd = need(i + 1, 1)?[0];
                match cmd {
                    b'@' => {
                        out.push(Element::Init);
                        i += 2;
                    }
                    b't' => {
                        let n = need(i + 2, 1)?[0];
                        page = numbers
                            .iter()
                            .find(|(_, num)| *num == n)
                            .map(|(p, _)| *p)
                            .ok_or_else(|| {
                                err(
                                    i,
                                    &format!("code page {n} is not a Greek page of this profile"),
                                )
                            })?;
                        out.push(Element::CodePage(n));
                        i += 3;
                    }
                    b'a' => {
                        let align = match need(i + 2, 1)?[0] {
                            0 | b'0' => Align::Left,
                            1 | b'1' => Align::Center,
                            2 | b'2' => Align::Right,
                            _ => return Err(err(i, "unknown alignment")),
                        };
                        out.push(Element::Align(align));
                        i += 3;
                    }
                    b'E' => {
                        out.push(Element::Bold(need(i + 2, 1)?[0] & 1 == 1));
                        i += 3;
                    }
                    b'd' => {
                        out.push(Element::Feed(need(i + 2, 1)?[0]));
                        i += 3;
                    }
                    _ => return Err(err(i, &format!("unknown command ESC {cmd:#04x}"))),
                }
            }
            GS => {
                let cmd = need(i + 1, 1)?[0];
                match cmd {
                    b'!' => {
                        let n = need(i + 2, 1)?[0];
                        out.push(Element::Size {
                            width: (n >> 4) + 1,
                            height: (n & 0x0f) + 1,
                        });
                        i += 3;
                    }
                    b'V' => {
                        let m = need(i + 2, 1)?[0];
                        i += if m >= 65 { 4 } else { 3 };
                        out.push(Element::Cut);
                    }
                    b'(' if need(i + 2, 1)?[0] == b'k' => {
                        let len =
                            u16::from_le_bytes([need(i + 3, 1)?[0], need(i + 4, 1)?[0]]) as usize;
                        let body = need(i + 5, len)?;
                        // cn = 49 (QR); fn 80 stores the data, the rest set it up and print it.
                        if body.len() >= 3 && body[0] == 49 && body[1] == 80 {
                            let data = String::from_utf8_lossy(&body[3..]).into_owned();
                            out.push(Element::Qr(data));
                        }
                        i += 5 + len;
                    }
                    b'v' if need(i + 2, 2)? == [b'0', 0] => {
                        let header = need(i + 4, 4)?;
                        let width_bytes = u16::from_le_bytes([header[0], header[1]]);
                        let height = u16::from_le_bytes([header[2], header[3]]);
                        let size = width_bytes as usize * height as usize;
                        let rows = need(i + 8, size)?.to_vec();
                        out.push(Element::Raster {
                            width_bytes,
                            height,
                            rows,
                        });
                        i += 8 + size;
                    }
                    _ => return Err(err(i, &format!("unknown command GS {cmd:#04x}"))),
                }
            }
            DLE => {
                let what = need(i + 1, 2)?;
                if what[0] != crate::commands::EOT {
                    return Err(err(i, "unknown DLE command"));
                }
                out.push(Element::StatusQuery(what[1]));
                i += 3;
            }
            LF => {
                out.push(Element::LineFeed);
                i += 1;
            }
            _ if b < 0x20 || b == 0x7f => {
                return Err(err(i, &format!("stray control byte {b:#04x}")));
            }
            _ => {
                let end = bytes[i..]
                    .iter()
                    .position(|&c| c < 0x20 || c == 0x7f)
                    .map_or(bytes.len(), |n| i + n);
                let text: String = bytes[i..end]
                    .iter()
                    .map(|&c| {
                        page.decode_byte(c).ok_or_else(|| {
                            err(i, &format!("byte {c:#04x} is not in {}", page.name()))
                        })
                    })
                    .collect::<Result<_, _>>()?;
                out.push(Element::Text(text));
                i = end;
            }
        }
    }
    Ok(out)
}

/// The printed lines of a job: text joined up to each line feed.
pub fn lines(elements: &[Element]) -> Vec<String> {
    let mut lines = Vec::new();
    let mut current = String::new();
    for e in elements {
        match e {
            Element::Text(t) => current.push_str(t),
            Element::LineFeed => lines.push(std::mem::take(&mut current)),
            _ => {}
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::{TicketContent, ticket};
    use crate::profile::Profile;

    #[test]
    fn a_ticket_reads_back_to_its_content() {
        let content = TicketContent {
            centre: "Κέντρο Κοινότητας Δήμου Χανίων".into(),
            number: "A012".into(),
            service: "Ψυχοκοινωνική στήριξη".into(),
            issued: "23/11/2026 10:42".into(),
            queue_line: "Μπροστά σας: 3".into(),
            track_url: "http://seira.local/t/abc".into(),
            short_link: "seira.local/t/KX7PQ-4MN2A".into(),
            footer: "Οι υπηρεσίες παρέχονται δωρεάν".into(),
            logo: None,
        };
        for name in Profile::ALL {
            let profile = Profile::named(name).unwrap();
            let elements = read(&ticket(&content, &profile).unwrap(), profile.greek_pages).unwrap();
            let lines = lines(&elements);
            for expected in [
                "A012",
                "Ψυχοκοινωνική στήριξη",
                "23/11/2026 10:42",
                "Μπροστά σας: 3",
            ] {
                assert!(
                    lines.iter().any(|l| l == expected),
                    "{name}: {expected} in {lines:?}"
                );
            }
            assert!(elements.contains(&Element::Qr("http://seira.local/t/abc".into())));
            assert_eq!(elements.last(), Some(&Element::Cut));
            assert!(elements.contains(&Element::Size {
                width: if profile.width_dots >= 576 { 8 } else { 6 },
                height: if profile.width_dots >= 576 { 8 } else { 6 }
            }));
        }
    }

    #[test]
    fn stray_bytes_are_errors() {
        assert!(read(&[0x1b, b'Z'], &[]).is_err());
        assert!(read(&[0x07], &[]).is_err());
        assert!(
            read(&[0x1d, b'(', b'k', 10, 0, 1], &[]).is_err(),
            "truncated"
        );
    }
}
