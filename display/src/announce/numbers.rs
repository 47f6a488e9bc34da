//! Numbers 0–999 in words, in each language the lobby speaks, as a speaker of it reads a
//! ticket's number aloud. A voice given digits reads them its own way (espeak-ng reads
//! "012" in Arabic digit by digit); given words, it says what a person would.

/// The words for `n` (0–999) in `lang`; `None` for a language without its words here.
pub fn in_words(lang: &str, n: u32) -> Option<String> {
    let n = n % 1000;
    Some(match lang {
        "el" => greek(n),
        "en" => english(n),
        "ar" => ARABIC.say(n),
        "fa" => FARSI.say(n),
        "uk" => UKRAINIAN.say(n),
        "sq" => ALBANIAN.say(n),
        _ => return None,
    })
}

/// A language's words for the parts of a number below a thousand.
struct Words {
    zero: &'static str,
    units: [&'static str; 10],
    /// 10–19.
    teens: [&'static str; 10],
    tens: [&'static str; 10],
    hundreds: [&'static str; 10],
    /// The unit before the ten, as Arabic says 21: "one and twenty".
    units_first: bool,
    /// What joins the parts: a space, or a word for "and".
    and: &'static str,
}

impl Words {
    /// `n` (0–999) in these words.
    fn say(&self, n: u32) -> String {
        if n == 0 {
            return self.zero.to_owned();
        }
        let (h, rest) = ((n / 100) as usize, (n % 100) as usize);
        let mut parts: Vec<&str> = Vec::new();
        if h > 0 {
            parts.push(self.hundreds[h]);
        }
        match rest {
            0 => {}
            1..=9 => parts.push(self.units[rest]),
            10..=19 => parts.push(self.teens[rest - 10]),
            _ => {
                let (ten, unit) = (self.tens[rest / 10], self.units[rest % 10]);
                let pair = if self.units_first {
                    [unit, ten]
                } else {
                    [ten, unit]
                };
                parts.extend(pair.into_iter().filter(|w| !w.is_empty()));
            }
        }
        parts.join(self.and)
    }
}

/// Greek, neuter (ο αριθμός … is said of the number as a figure): `εκατόν δώδεκα`.
fn greek(n: u32) -> String {
    const GREEK: Words = Words {
        zero: "μηδέν",
        units: [
            "",
            "ένα",
            "δύο",
            "τρία",
            "τέσσερα",
            "πέντε",
            "έξι",
            "επτά",
            "οκτώ",
            "εννέα",
        ],
        teens: [
            "δέκα",
            "έντεκα",
            "δώδεκα",
            "δεκατρία",
            "δεκατέσσερα",
            "δεκαπέντε",
            "δεκαέξι",
            "δεκαεπτά",
            "δεκαοκτώ",
            "δεκαεννέα",
        ],
        tens: [
            "",
            "",
            "είκοσι",
            "τριάντα",
            "σαράντα",
            "πενήντα",
            "εξήντα",
            "εβδομήντα",
            "ογδόντα",
            "ενενήντα",
        ],
        hundreds: [
            "",
            "εκατό",
            "διακόσια",
            "τριακόσια",
            "τετρακόσια",
            "πεντακόσια",
            "εξακόσια",
            "επτακόσια",
            "οκτακόσια",
            "εννιακόσια",
        ],
        units_first: false,
        and: " ",
    };
    let words = GREEK.say(n);
    // 100 alone is εκατό; with more after it, εκατόν.
    match words.strip_prefix("εκατό ") {
        Some(rest) => format!("εκατόν {rest}"),
        None => words,
    }
}

/// English: `one hundred and twelve`.
fn english(n: u32) -> String {
    const SMALL: [&str; 20] = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ];
    const TENS: [&str; 10] = [
        "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    ];
    let below_hundred = |r: u32| -> String {
        match r {
            0..=19 => SMALL[r as usize].to_owned(),
            _ if r.is_multiple_of(10) => TENS[(r / 10) as usize].to_owned(),
            _ => format!("{}-{}", TENS[(r / 10) as usize], SMALL[(r % 10) as usize]),
        }
    };
    match (n / 100, n % 100) {
        (0, r) => below_hundred(r),
        (h, 0) => format!("{} hundred", SMALL[h as usize]),
        (h, r) => format!("{} hundred and {}", SMALL[h as usize], below_hundred(r)),
    }
}

/// Arabic, counted in the masculine (الرقم is masculine): the unit before the ten, each part
/// after the first joined by و, which is written onto the word it joins: `مئة وخمسة
/// وعشرون`.
const ARABIC: Words = Words {
    zero: "صفر",
    units: [
        "",
        "واحد",
        "اثنان",
        "ثلاثة",
        "أربعة",
        "خمسة",
        "ستة",
        "سبعة",
        "ثمانية",
        "تسعة",
    ],
    teens: [
        "عشرة",
        "أحد عشر",
        "اثنا عشر",
        "ثلاثة عشر",
        "أربعة عشر",
        "خمسة عشر",
        "ستة عشر",
        "سبعة عشر",
        "ثمانية عشر",
        "تسعة عشر",
    ],
    tens: [
        "",
        "",
        "عشرون",
        "ثلاثون",
        "أربعون",
        "خمسون",
        "ستون",
        "سبعون",
        "ثمانون",
        "تسعون",
    ],
    hundreds: [
        "",
        "مئة",
        "مئتان",
        "ثلاثمئة",
        "أربعمئة",
        "خمسمئة",
        "ستمئة",
        "سبعمئة",
        "ثمانمئة",
        "تسعمئة",
    ],
    units_first: true,
    and: " و",
};

/// Farsi: the parts joined by « و »: `صد و بیست و پنج`.
const FARSI: Words = Words {
    zero: "صفر",
    units: [
        "", "یک", "دو", "سه", "چهار", "پنج", "شش", "هفت", "هشت", "نه",
    ],
    teens: [
        "ده",
        "یازده",
        "دوازده",
        "سیزده",
        "چهارده",
        "پانزده",
        "شانزده",
        "هفده",
        "هجده",
        "نوزده",
    ],
    tens: [
        "",
        "",
        "بیست",
        "سی",
        "چهل",
        "پنجاه",
        "شصت",
        "هفتاد",
        "هشتاد",
        "نود",
    ],
    hundreds: [
        "",
        "صد",
        "دویست",
        "سیصد",
        "چهارصد",
        "پانصد",
        "ششصد",
        "هفتصد",
        "هشتصد",
        "نهصد",
    ],
    units_first: false,
    and: " و ",
};

/// Ukrainian, masculine (номер is masculine): `сто двадцять один`.
const UKRAINIAN: Words = Words {
    zero: "нуль",
    units: [
        "",
        "один",
        "два",
        "три",
        "чотири",
        "п'ять",
        "шість",
        "сім",
        "вісім",
        "дев'ять",
    ],
    teens: [
        "десять",
        "одинадцять",
        "дванадцять",
        "тринадцять",
        "чотирнадцять",
        "п'ятнадцять",
        "шістнадцять",
        "сімнадцять",
        "вісімнадцять",
        "дев'ятнадцять",
    ],
    tens: [
        "",
        "",
        "двадцять",
        "тридцять",
        "сорок",
        "п'ятдесят",
        "шістдесят",
        "сімдесят",
        "вісімдесят",
        "дев'яносто",
    ],
    hundreds: [
        "",
        "сто",
        "двісті",
        "триста",
        "чотириста",
        "п'ятсот",
        "шістсот",
        "сімсот",
        "вісімсот",
        "дев'ятсот",
    ],
    units_first: false,
    and: " ",
};

/// Albanian: the parts joined by « e »: `njëqind e njëzet e një`.
const ALBANIAN: Words = Words {
    zero: "zero",
    units: [
        "", "një", "dy", "tre", "katër", "pesë", "gjashtë", "shtatë", "tetë", "nëntë",
    ],
    teens: [
        "dhjetë",
        "njëmbëdhjetë",
        "dymbëdhjetë",
        "trembëdhjetë",
        "katërmbëdhjetë",
        "pesëmbëdhjetë",
        "gjashtëmbëdhjetë",
        "shtatëmbëdhjetë",
        "tetëmbëdhjetë",
        "nëntëmbëdhjetë",
    ],
    tens: [
        "",
        "",
        "njëzet",
        "tridhjetë",
        "dyzet",
        "pesëdhjetë",
        "gjashtëdhjetë",
        "shtatëdhjetë",
        "tetëdhjetë",
        "nëntëdhjetë",
    ],
    hundreds: [
        "",
        "njëqind",
        "dyqind",
        "treqind",
        "katërqind",
        "pesëqind",
        "gjashtëqind",
        "shtatëqind",
        "tetëqind",
        "nëntëqind",
    ],
    units_first: false,
    and: " e ",
};

#[cfg(test)]
mod tests {
    use super::*;

    fn check(lang: &str, table: &[(u32, &str)]) {
        for &(n, words) in table {
            assert_eq!(in_words(lang, n).as_deref(), Some(words), "{lang} {n}");
        }
    }

    #[test]
    fn greek() {
        check(
            "el",
            &[
                (0, "μηδέν"),
                (1, "ένα"),
                (7, "επτά"),
                (10, "δέκα"),
                (11, "έντεκα"),
                (12, "δώδεκα"),
                (13, "δεκατρία"),
                (19, "δεκαεννέα"),
                (20, "είκοσι"),
                (21, "είκοσι ένα"),
                (45, "σαράντα πέντε"),
                (99, "ενενήντα εννέα"),
                (100, "εκατό"),
                (101, "εκατόν ένα"),
                (112, "εκατόν δώδεκα"),
                (200, "διακόσια"),
                (245, "διακόσια σαράντα πέντε"),
                (999, "εννιακόσια ενενήντα εννέα"),
            ],
        );
    }

    #[test]
    fn english() {
        check(
            "en",
            &[
                (0, "zero"),
                (12, "twelve"),
                (40, "forty"),
                (45, "forty-five"),
                (100, "one hundred"),
                (112, "one hundred and twelve"),
            ],
        );
    }

    #[test]
    fn arabic() {
        check(
            "ar",
            &[
                (0, "صفر"),
                (1, "واحد"),
                (2, "اثنان"),
                (10, "عشرة"),
                (11, "أحد عشر"),
                (12, "اثنا عشر"),
                (15, "خمسة عشر"),
                (20, "عشرون"),
                (21, "واحد وعشرون"),
                (45, "خمسة وأربعون"),
                (99, "تسعة وتسعون"),
                (100, "مئة"),
                (101, "مئة وواحد"),
                (112, "مئة واثنا عشر"),
                (125, "مئة وخمسة وعشرون"),
                (200, "مئتان"),
                (340, "ثلاثمئة وأربعون"),
                (999, "تسعمئة وتسعة وتسعون"),
            ],
        );
    }

    #[test]
    fn farsi() {
        check(
            "fa",
            &[
                (0, "صفر"),
                (1, "یک"),
                (12, "دوازده"),
                (18, "هجده"),
                (20, "بیست"),
                (21, "بیست و یک"),
                (45, "چهل و پنج"),
                (100, "صد"),
                (112, "صد و دوازده"),
                (125, "صد و بیست و پنج"),
                (200, "دویست"),
                (305, "سیصد و پنج"),
                (999, "نهصد و نود و نه"),
            ],
        );
    }

    #[test]
    fn ukrainian() {
        check(
            "uk",
            &[
                (0, "нуль"),
                (1, "один"),
                (2, "два"),
                (11, "одинадцять"),
                (12, "дванадцять"),
                (20, "двадцять"),
                (21, "двадцять один"),
                (40, "сорок"),
                (45, "сорок п'ять"),
                (90, "дев'яносто"),
                (100, "сто"),
                (112, "сто дванадцять"),
                (200, "двісті"),
                (999, "дев'ятсот дев'яносто дев'ять"),
            ],
        );
    }

    #[test]
    fn albanian() {
        check(
            "sq",
            &[
                (0, "zero"),
                (1, "një"),
                (10, "dhjetë"),
                (11, "njëmbëdhjetë"),
                (12, "dymbëdhjetë"),
                (19, "nëntëmbëdhjetë"),
                (20, "njëzet"),
                (21, "njëzet e një"),
                (40, "dyzet"),
                (45, "dyzet e pesë"),
                (100, "njëqind"),
                (112, "njëqind e dymbëdhjetë"),
                (121, "njëqind e njëzet e një"),
                (300, "treqind"),
                (999, "nëntëqind e nëntëdhjetë e nëntë"),
            ],
        );
    }

    #[test]
    fn no_words_for_an_unknown_language() {
        assert_eq!(in_words("xx", 3), None);
    }
}
