//! Which languages espeak-ng can say on this machine.

use std::process::{Command, Stdio};

/// Those of `languages` that espeak-ng has no voice for (Debian's espeak-ng-data carries all
/// six of seira's). An error when espeak-ng cannot be run at all.
///
/// Each language is asked for by saying nothing in it (`-q`, no sound): espeak-ng fails when
/// it has no such voice. A device checks once at start, so that a missing voice is said
/// once in its log rather than at every call.
pub fn voiceless(languages: &[&str]) -> std::io::Result<Vec<String>> {
    let mut missing = Vec::new();
    for lang in languages {
        let status = Command::new("espeak-ng")
            .args(["-v", lang, "-q", "."])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()?;
        if !status.success() {
            missing.push((*lang).to_owned());
        }
    }
    Ok(missing)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The machine's espeak-ng (scripts/debian-packages.txt) says all six kiosk languages,
    /// and a language it has no voice for is named.
    #[test]
    fn espeak_ng_has_a_voice_for_every_language_and_names_a_missing_one() {
        let six = ["el", "en", "ar", "fa", "uk", "sq"];
        assert_eq!(voiceless(&six).unwrap(), Vec::<String>::new());
        assert_eq!(voiceless(&["el", "zz"]).unwrap(), ["zz"]);
    }
}
