//! A ticket's (Latin) letter by its name in each language the lobby speaks: what a speaker
//! of it says when reading "A" off the board. A voice given the bare letter may read it as
//! a word of its own alphabet, or not at all.

/// The name of `letter` in `lang`; the letter itself where the language has no name for it.
pub fn name(lang: &str, letter: char) -> String {
    let letter = letter.to_ascii_uppercase();
    let Some(i) = letter
        .is_ascii_uppercase()
        .then(|| usize::from(letter as u8 - b'A'))
    else {
        return letter.to_string();
    };
    let names: &[&str; 26] = match lang {
        "el" => &GREEK,
        "ar" => &ARABIC,
        "fa" => &FARSI,
        "uk" => &UKRAINIAN,
        "sq" => &ALBANIAN,
        // English voices say a capital letter by its name.
        _ => return letter.to_string(),
    };
    names[i].to_owned()
}

/// As Greeks name Latin letters: by the Greek letter where there is one (άλφα, βήτα…), else
/// as they say them from English.
const GREEK: [&str; 26] = [
    "άλφα",
    "βήτα",
    "σι",
    "ντι",
    "έψιλον",
    "εφ",
    "τζι",
    "ήτα",
    "γιώτα",
    "τζέι",
    "κάπα",
    "ελ",
    "μι",
    "νι",
    "όμικρον",
    "πι",
    "κιου",
    "αρ",
    "ες",
    "ταυ",
    "γιου",
    "βι",
    "ντάμπλιου",
    "χι",
    "ύψιλον",
    "ζήτα",
];

/// As Arabic speakers name Latin letters (from English); P keeps its own sound (پي), which
/// the Arabic voice says, so that B and P are not the same word.
const ARABIC: [&str; 26] = [
    "إيه",
    "بي",
    "سي",
    "دي",
    "إي",
    "إف",
    "جي",
    "إتش",
    "آي",
    "جيه",
    "كيه",
    "إل",
    "إم",
    "إن",
    "أو",
    "پي",
    "كيو",
    "آر",
    "إس",
    "تي",
    "يو",
    "في",
    "دبليو",
    "إكس",
    "واي",
    "زد",
];

/// As Farsi speakers name Latin letters (from English).
const FARSI: [&str; 26] = [
    "اِی",
    "بی",
    "سی",
    "دی",
    "ای",
    "اِف",
    "جی",
    "اِچ",
    "آی",
    "جِی",
    "کِی",
    "اِل",
    "اِم",
    "اِن",
    "اُو",
    "پی",
    "کیو",
    "آر",
    "اِس",
    "تی",
    "یو",
    "وی",
    "دابلیو",
    "اِکس",
    "وای",
    "زِد",
];

/// The names Ukrainian schools give the Latin letters.
const UKRAINIAN: [&str; 26] = [
    "а",
    "бе",
    "це",
    "де",
    "е",
    "еф",
    "ге",
    "ха",
    "і",
    "йот",
    "ка",
    "ель",
    "ем",
    "ен",
    "о",
    "пе",
    "ку",
    "ер",
    "ес",
    "те",
    "у",
    "ве",
    "дубль-ве",
    "ікс",
    "ігрек",
    "зет",
];

/// The Albanian alphabet's own names (W, not in it, is "double v").
const ALBANIAN: [&str; 26] = [
    "a",
    "bë",
    "cë",
    "dë",
    "e",
    "ef",
    "gë",
    "hë",
    "i",
    "jë",
    "kë",
    "el",
    "em",
    "en",
    "o",
    "pë",
    "që",
    "er",
    "es",
    "të",
    "u",
    "vë",
    "vë e dyfishtë",
    "iks",
    "y",
    "zë",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_by_their_names() {
        let table = [
            ("el", 'A', "άλφα"),
            ("el", 'p', "πι"),
            ("en", 'A', "A"),
            ("ar", 'A', "إيه"),
            ("ar", 'B', "بي"),
            ("ar", 'P', "پي"),
            ("ar", 'H', "إتش"),
            ("fa", 'A', "اِی"),
            ("fa", 'R', "آر"),
            ("uk", 'A', "а"),
            ("uk", 'H', "ха"),
            ("uk", 'L', "ель"),
            ("sq", 'A', "a"),
            ("sq", 'Q', "që"),
            ("sq", 'R', "er"),
            ("ar", '7', "7"),
            ("xx", 'A', "A"),
        ];
        for (lang, letter, said) in table {
            assert_eq!(name(lang, letter), said, "{lang} {letter}");
        }
    }
}
