//! Where speech goes: `--sound device|none|files:DIR` on the kiosk and the display.

use std::path::PathBuf;

/// Where a device's speech goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output {
    /// The default sound device.
    Device,
    /// Each thing said as `0001.wav`, with its words in `0001.txt`: for checking a device
    /// without speakers, and for the tests.
    Files(PathBuf),
    /// No sound at all.
    Silent,
}

impl std::str::FromStr for Output {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "device" => Ok(Output::Device),
            "none" => Ok(Output::Silent),
            _ => match s.strip_prefix("files:") {
                Some(dir) if !dir.is_empty() => Ok(Output::Files(dir.into())),
                _ => Err(format!(
                    "unknown sound output {s:?}: use device, none or files:DIR"
                )),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outputs_parse_and_a_wrong_one_says_the_choices() {
        assert_eq!("device".parse(), Ok(Output::Device));
        assert_eq!("none".parse(), Ok(Output::Silent));
        assert_eq!(
            "files:/tmp/x".parse(),
            Ok(Output::Files(PathBuf::from("/tmp/x")))
        );
        for wrong in ["files:", "speaker", ""] {
            let error = wrong.parse::<Output>().unwrap_err();
            assert!(error.contains("device, none or files:DIR"), "{error}");
        }
    }
}
