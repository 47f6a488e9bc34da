//! What the lobby speaker says for a call, in each of the kiosk's six languages: the number
//! in words, the letter by its name, and the desk (in Greek with the right article), so that
//! espeak-ng (or any voice) reads it as a person would. Pure functions, tested word for word.
//!
//! - [`numbers`]: 0–999 in words.
//! - [`letters`]: the Latin letters by their names.

pub mod letters;
pub mod numbers;

/// The languages a call can be said in.
pub const LANGUAGES: [&str; 6] = ["el", "en", "ar", "fa", "uk", "sq"];

/// The announcement of ticket `number` going to `desk` (the desk's name in `lang`), in
/// `lang`; `None` for a language it cannot be said in.
pub fn call(lang: &str, number: &str, desk: &str) -> Option<String> {
    let (letters, value) = split_number(number);
    let letters: Vec<String> = letters.chars().map(|c| letters::name(lang, c)).collect();
    let ticket = format!("{} {}", letters.join(" "), numbers::in_words(lang, value)?);
    let ticket = ticket.trim();
    let desk = words_for_digits(desk, lang);
    Some(match lang {
        "el" => format!("Ο αριθμός {ticket}, {} {desk}.", greek_to(&desk)),
        "en" => format!("Number {ticket}, please go to {desk}."),
        "ar" => format!("الرقم {ticket}، يرجى التوجه إلى {desk}."),
        "fa" => format!("شماره {ticket}، لطفاً به {desk} مراجعه کنید."),
        // Ukrainian and Albanian would decline the desk's name after "to"; said after a
        // colon, as a sign reads, it stays in the form the centre gave it.
        "uk" => format!("Номер {ticket}. Пройдіть, будь ласка: {desk}."),
        "sq" => format!("Numri {ticket}. Ju lutemi shkoni te: {desk}."),
        _ => return None,
    })
}

/// Numbers in a desk's name said as words in `lang` (`Γραφείο 3` → `Γραφείο τρία`), in
/// Western, Arabic-Indic (٣) or Persian (۳) digits alike.
fn words_for_digits(name: &str, lang: &str) -> String {
    name.split(' ')
        .map(|word| {
            let digits: Option<String> = word.chars().map(western_digit).collect();
            digits
                .and_then(|d| d.parse::<u32>().ok())
                .and_then(|n| numbers::in_words(lang, n))
                .unwrap_or_else(|| word.to_owned())
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A digit of any of the three scripts as its Western digit.
fn western_digit(c: char) -> Option<char> {
    match c {
        '0'..='9' => Some(c),
        '\u{0660}'..='\u{0669}' => char::from_digit(c as u32 - 0x0660, 10),
        '\u{06F0}'..='\u{06F9}' => char::from_digit(c as u32 - 0x06F0, 10),
        _ => None,
    }
}

/// "to the" in Greek for a desk's name, by the gender its first word's ending shows:
/// στο Γραφείο / Ιατρείο, στην Αίθουσα / Θυρίδα, στον Σταθμό.
fn greek_to(name: &str) -> &'static str {
    let first = name.split(' ').next().unwrap_or_default().to_lowercase();
    let ends = |suffixes: &[&str]| suffixes.iter().any(|s| first.ends_with(s));
    if ends(&["ος", "ός", "ης", "ής", "ας", "άς", "ών"]) {
        "στον"
    } else if ends(&["α", "ά", "η", "ή", "ου"]) && !ends(&["μα", "ιο", "ίο"]) {
        // The final ν stays before a vowel and before κ, π, τ, ξ, ψ (and γκ, μπ, ντ, τσ, τζ).
        let keeps_n = first.starts_with(|c: char| "αάεέηήιίοόυύωώκπτξψ".contains(c))
            || ["γκ", "μπ", "ντ", "τσ", "τζ"]
                .iter()
                .any(|p| first.starts_with(p));
        if keeps_n { "στην" } else { "στη" }
    } else {
        "στο"
    }
}

/// `A012` → (`A`, 12).
fn split_number(number: &str) -> (String, u32) {
    let letters: String = number.chars().take_while(|c| !c.is_ascii_digit()).collect();
    let digits: String = number.chars().filter_map(western_digit).collect();
    (letters, digits.parse().unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_as_the_lobby_hears_them_in_greek() {
        let table = [
            (
                "A012",
                "Γραφείο 3",
                "Ο αριθμός άλφα δώδεκα, στο Γραφείο τρία.",
            ),
            (
                "H101",
                "Ιατρείο 2",
                "Ο αριθμός ήτα εκατόν ένα, στο Ιατρείο δύο.",
            ),
            (
                "L007",
                "Αίθουσα παιδιών",
                "Ο αριθμός ελ επτά, στην Αίθουσα παιδιών.",
            ),
            ("R040", "Θυρίδα 1", "Ο αριθμός αρ σαράντα, στη Θυρίδα ένα."),
            (
                "B002",
                "Καρέκλα 4",
                "Ο αριθμός βήτα δύο, στην Καρέκλα τέσσερα.",
            ),
        ];
        for (number, desk, said) in table {
            assert_eq!(call("el", number, desk).as_deref(), Some(said));
        }
    }

    /// The same call in every language, the desk's name in that language (Arabic and Farsi
    /// names may write their numbers in their own digits).
    #[test]
    fn one_call_in_every_language() {
        let table = [
            (
                "en",
                "Office 3",
                "Number A twelve, please go to Office three.",
            ),
            (
                "ar",
                "المكتب ٣",
                "الرقم إيه اثنا عشر، يرجى التوجه إلى المكتب ثلاثة.",
            ),
            (
                "fa",
                "دفتر ۳",
                "شماره اِی دوازده، لطفاً به دفتر سه مراجعه کنید.",
            ),
            (
                "uk",
                "Кабінет 3",
                "Номер а дванадцять. Пройдіть, будь ласка: Кабінет три.",
            ),
            (
                "sq",
                "Zyra 3",
                "Numri a dymbëdhjetë. Ju lutemi shkoni te: Zyra tre.",
            ),
        ];
        for (lang, desk, said) in table {
            assert_eq!(call(lang, "A012", desk).as_deref(), Some(said), "{lang}");
        }
        // Bigger numbers, and desks named in Western digits.
        assert_eq!(
            call("ar", "P125", "مكتب 12").as_deref(),
            Some("الرقم پي مئة وخمسة وعشرون، يرجى التوجه إلى مكتب اثنا عشر.")
        );
        assert_eq!(
            call("fa", "H021", "اتاق 2").as_deref(),
            Some("شماره اِچ بیست و یک، لطفاً به اتاق دو مراجعه کنید.")
        );
        assert_eq!(call("xx", "A012", "Office 3"), None);
    }
}
