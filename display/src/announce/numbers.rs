//! Numbers 0–999 in words, in each language the lobby speaks, as a speaker of it reads a
//! ticket's number aloud. A voice given digits reads them its own way (espeak-ng reads
//! "012" in Arabic digit by digit); given words, it says what a person would.

/// The words for `n` (0–999) in `lang`; `None` for a language without its words here.
pub fn in_words(lang: &str, n: u32) -> Option<String> {
    let n = n % 1000;
    Some(match lang {
        "el" => greek(n),
        "en" => english(n),
        "ar" => arabic(n),
        "fa" => farsi(n),
        "uk" => ukrainian(n),
        "sq" => albanian(n),
        _ => return None,
    })
}

/// Greek, neuter (ο αριθμός … is said of the number as a figure): `εκατόν δώδεκα`.
fn greek(n: u32) -> String {
    const UNITS: [&str; 10] = [
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
    ];
    const TEENS: [&str; 10] = [
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
    ];
    const TENS: [&str; 10] = [
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
    ];
    const HUNDREDS: [&str; 10] = [
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
    ];
    if n == 0 {
        return "μηδέν".into();
    }
    let (h, rest) = (n / 100, n % 100);
    let mut words = Vec::new();
    if h > 0 {
        // 100 alone is εκατό; with more after it, εκατόν.
        words.push(if h == 1 && rest > 0 {
            "εκατόν"
        } else {
            HUNDREDS[h as usize]
        });
    }
    match rest {
        0 => {}
        1..=9 => words.push(UNITS[rest as usize]),
        10..=19 => words.push(TEENS[(rest - 10) as usize]),
        _ => {
            words.push(TENS[(rest / 10) as usize]);
            if rest % 10 > 0 {
                words.push(UNITS[(rest % 10) as usize]);
            }
        }
    }
    words.join(" ")
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

/// Arabic, counted in the masculine (الرقم is masculine): the units before the tens, each
/// part after the first joined by و, which is written onto the word it joins: `مئة وخمسة
/// وعشرون`.
fn arabic(n: u32) -> String {
    const UNITS: [&str; 10] = [
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
    ];
    const TEENS: [&str; 10] = [
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
    ];
    const TENS: [&str; 10] = [
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
    ];
    const HUNDREDS: [&str; 10] = [
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
    ];
    if n == 0 {
        return "صفر".into();
    }
    let (h, rest) = (n / 100, n % 100);
    let mut parts: Vec<&str> = Vec::new();
    if h > 0 {
        parts.push(HUNDREDS[h as usize]);
    }
    match rest {
        0 => {}
        1..=9 => parts.push(UNITS[rest as usize]),
        10..=19 => parts.push(TEENS[(rest - 10) as usize]),
        _ => {
            if rest % 10 > 0 {
                parts.push(UNITS[(rest % 10) as usize]);
            }
            parts.push(TENS[(rest / 10) as usize]);
        }
    }
    joined(&parts, " و")
}

/// Farsi: the parts joined by « و »: `صد و بیست و پنج`.
fn farsi(n: u32) -> String {
    const UNITS: [&str; 10] = [
        "", "یک", "دو", "سه", "چهار", "پنج", "شش", "هفت", "هشت", "نه",
    ];
    const TEENS: [&str; 10] = [
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
    ];
    const TENS: [&str; 10] = [
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
    ];
    const HUNDREDS: [&str; 10] = [
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
    ];
    if n == 0 {
        return "صفر".into();
    }
    let (h, rest) = (n / 100, n % 100);
    let mut parts: Vec<&str> = Vec::new();
    if h > 0 {
        parts.push(HUNDREDS[h as usize]);
    }
    match rest {
        0 => {}
        1..=9 => parts.push(UNITS[rest as usize]),
        10..=19 => parts.push(TEENS[(rest - 10) as usize]),
        _ => {
            parts.push(TENS[(rest / 10) as usize]);
            if rest % 10 > 0 {
                parts.push(UNITS[(rest % 10) as usize]);
            }
        }
    }
    joined(&parts, " و ")
}

/// Ukrainian, masculine (номер is masculine): `сто двадцять один`.
fn ukrainian(n: u32) -> String {
    const UNITS: [&str; 10] = [
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
    ];
    const TEENS: [&str; 10] = [
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
    ];
    const TENS: [&str; 10] = [
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
    ];
    const HUNDREDS: [&str; 10] = [
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
    ];
    if n == 0 {
        return "нуль".into();
    }
    let (h, rest) = (n / 100, n % 100);
    let mut parts: Vec<&str> = Vec::new();
    if h > 0 {
        parts.push(HUNDREDS[h as usize]);
    }
    match rest {
        0 => {}
        1..=9 => parts.push(UNITS[rest as usize]),
        10..=19 => parts.push(TEENS[(rest - 10) as usize]),
        _ => {
            parts.push(TENS[(rest / 10) as usize]);
            if rest % 10 > 0 {
                parts.push(UNITS[(rest % 10) as usize]);
            }
        }
    }
    parts.join(" ")
}

/// Albanian: the parts joined by « e »: `njëqind e njëzet e një`.
fn albanian(n: u32) -> String {
    const UNITS: [&str; 10] = [
        "", "një", "dy", "tre", "katër", "pesë", "gjashtë", "shtatë", "tetë", "nëntë",
    ];
    const TENS: [&str; 10] = [
        "",
        "dhjetë",
        "njëzet",
        "tridhjetë",
        "dyzet",
        "pesëdhjetë",
        "gjashtëdhjetë",
        "shtatëdhjetë",
        "tetëdhjetë",
        "nëntëdhjetë",
    ];
    const HUNDREDS: [&str; 10] = [
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
    ];
    if n == 0 {
        return "zero".into();
    }
    let (h, rest) = (n / 100, n % 100);
    let mut parts: Vec<String> = Vec::new();
    if h > 0 {
        parts.push(HUNDREDS[h as usize].to_owned());
    }
    match rest {
        0 => {}
        1..=9 => parts.push(UNITS[rest as usize].to_owned()),
        10 => parts.push(TENS[1].to_owned()),
        // 11–19: the unit, "mbë", ten: njëmbëdhjetë.
        11..=19 => parts.push(format!("{}mbëdhjetë", UNITS[(rest - 10) as usize])),
        _ => {
            parts.push(TENS[(rest / 10) as usize].to_owned());
            if rest % 10 > 0 {
                parts.push(UNITS[(rest % 10) as usize].to_owned());
            }
        }
    }
    parts.join(" e ")
}

/// `parts` joined by `and`, which ends where the next part begins (Arabic writes و onto it).
fn joined(parts: &[&str], and: &str) -> String {
    let mut out = String::new();
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            out.push_str(and);
        }
        out.push_str(part);
    }
    out
}

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
