//! What the lobby speaker says for a call: the number in words, the letter by its name, and
//! the desk with the right Greek article, so that espeak-ng (or any voice) reads it as a
//! person would. Pure functions, tested word for word.

/// The Greek words for 0–999 (`0` → `μηδέν`).
pub fn greek_number(n: u32) -> String {
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
    let n = n % 1000;
    let (h, rest) = (n / 100, n % 100);
    let mut words = Vec::new();
    if h > 0 {
        // 100 alone is εκατό; with more after it, εκατόν.
        words.push(
            if h == 1 && rest > 0 {
                "εκατόν"
            } else {
                HUNDREDS[h as usize]
            }
            .to_owned(),
        );
    }
    match rest {
        0 => {}
        1..=9 => words.push(UNITS[rest as usize].to_owned()),
        10..=19 => words.push(TEENS[(rest - 10) as usize].to_owned()),
        _ => {
            words.push(TENS[(rest / 10) as usize].to_owned());
            if rest % 10 > 0 {
                words.push(UNITS[(rest % 10) as usize].to_owned());
            }
        }
    }
    words.join(" ")
}

/// The English words for 0–999.
pub fn english_number(n: u32) -> String {
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
    let n = n % 1000;
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

/// How a Greek speaker names a (Latin) ticket letter.
pub fn greek_letter(letter: char) -> String {
    let name = match letter.to_ascii_uppercase() {
        'A' => "άλφα",
        'B' => "βήτα",
        'C' => "σι",
        'D' => "ντι",
        'E' => "έψιλον",
        'F' => "εφ",
        'G' => "τζι",
        'H' => "ήτα",
        'I' => "γιώτα",
        'J' => "τζέι",
        'K' => "κάπα",
        'L' => "ελ",
        'M' => "μι",
        'N' => "νι",
        'O' => "όμικρον",
        'P' => "πι",
        'Q' => "κιου",
        'R' => "αρ",
        'S' => "ες",
        'T' => "ταυ",
        'U' => "γιου",
        'V' => "βι",
        'W' => "ντάμπλιου",
        'X' => "χι",
        'Y' => "ύψιλον",
        'Z' => "ζήτα",
        other => return other.to_string(),
    };
    name.to_owned()
}

/// Digits in a desk's name said as words (`Γραφείο 3` → `Γραφείο τρία`).
fn words_for_digits(name: &str, number: fn(u32) -> String) -> String {
    name.split(' ')
        .map(|word| match word.parse::<u32>() {
            Ok(n) => number(n),
            Err(_) => word.to_owned(),
        })
        .collect::<Vec<_>>()
        .join(" ")
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

/// The Greek announcement of a call: `Ο αριθμός άλφα δώδεκα, στο Γραφείο τρία.`
pub fn greek(number: &str, desk: &str) -> String {
    let (letters, value) = split_number(number);
    let letters: Vec<String> = letters.chars().map(greek_letter).collect();
    format!(
        "Ο αριθμός {} {}, {} {}.",
        letters.join(" "),
        greek_number(value),
        greek_to(desk),
        words_for_digits(desk, greek_number)
    )
}

/// The English announcement of a call: `Number A twelve, please go to Office three.`
pub fn english(number: &str, desk: &str) -> String {
    let (letters, value) = split_number(number);
    let letters: Vec<String> = letters.chars().map(|c| c.to_string()).collect();
    format!(
        "Number {} {}, please go to {}.",
        letters.join(" "),
        english_number(value),
        words_for_digits(desk, english_number)
    )
}

/// `A012` → (`A`, 12).
fn split_number(number: &str) -> (String, u32) {
    let letters: String = number.chars().take_while(|c| !c.is_ascii_digit()).collect();
    let digits: String = number.chars().filter(|c| c.is_ascii_digit()).collect();
    (letters, digits.parse().unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn greek_numbers_in_words() {
        let table = [
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
        ];
        for (n, words) in table {
            assert_eq!(greek_number(n), words, "{n}");
        }
    }

    #[test]
    fn english_numbers_in_words() {
        let table = [
            (0, "zero"),
            (12, "twelve"),
            (40, "forty"),
            (45, "forty-five"),
            (100, "one hundred"),
            (112, "one hundred and twelve"),
        ];
        for (n, words) in table {
            assert_eq!(english_number(n), words, "{n}");
        }
    }

    #[test]
    fn calls_as_the_lobby_hears_them() {
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
            assert_eq!(greek(number, desk), said);
        }
        assert_eq!(
            english("A012", "Office 3"),
            "Number A twelve, please go to Office three."
        );
    }
}
