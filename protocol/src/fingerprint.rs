//! A certificate's SHA-256 fingerprint, as staff read it off the server (`SHA256:AB:CD:…`)
//! and type it into a device's file: the device then trusts exactly that certificate, which
//! needs no certificate authority on a centre's LAN.

use std::fmt;

use sha2::{Digest, Sha256};

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Fingerprint([u8; 32]);

impl Fingerprint {
    /// The fingerprint of a certificate in DER.
    pub fn of(der: &[u8]) -> Fingerprint {
        Fingerprint(Sha256::digest(der).into())
    }

    /// `SHA256:AB:CD:…`, or the 64 hex digits alone, with or without colons or spaces, in
    /// either case: as people copy it.
    pub fn parse(text: &str) -> Result<Fingerprint, String> {
        let t = text.trim();
        let t = t
            .strip_prefix("SHA256:")
            .or_else(|| t.strip_prefix("sha256:"))
            .unwrap_or(t);
        let digits: String = t
            .chars()
            .filter(|c| !matches!(c, ':' | ' ' | '-'))
            .collect();
        let bad = || format!("{text:?} is not a SHA-256 fingerprint (SHA256: and 32 hex pairs)");
        if digits.len() != 64 || !digits.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(bad());
        }
        let mut bytes = [0u8; 32];
        for (i, b) in bytes.iter_mut().enumerate() {
            *b = u8::from_str_radix(&digits[2 * i..2 * i + 2], 16).map_err(|_| bad())?;
        }
        Ok(Fingerprint(bytes))
    }
}

impl fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SHA256:")?;
        for (i, b) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(":")?;
            }
            write!(f, "{b:02X}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn it_reads_back_what_it_writes_and_what_people_copy() {
        let f = Fingerprint::of(b"a certificate");
        let shown = f.to_string();
        assert!(
            shown.starts_with("SHA256:") && shown.len() == 7 + 32 * 3 - 1,
            "{shown}"
        );
        assert_eq!(Fingerprint::parse(&shown).unwrap(), f);
        let plain = shown[7..].replace(':', "").to_lowercase();
        assert_eq!(Fingerprint::parse(&plain).unwrap(), f);
        let spaced = format!("  {}  ", shown[7..].replace(':', " "));
        assert_eq!(Fingerprint::parse(&spaced).unwrap(), f);
        assert!(Fingerprint::parse("SHA256:AB:CD").is_err());
        assert!(Fingerprint::parse(&"zz".repeat(32)).is_err());
    }
}
