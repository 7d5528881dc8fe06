//! Rules that repair what PDF extraction did to the text, and small recognisers the parser uses
//! (Roman numerals in both alphabets, dates, sentence ends). Repairs only ever remove whitespace:
//! no other character is dropped, added or changed.

use super::Date;
use crate::text::kana::is_japanese;

/// Latin Roman numerals: `I`…`XXXIX` and beyond, as letters.
const LATIN_NUMERAL_CHARS: &str = "IVXLCDM";

/// The value of one Unicode Roman numeral character (U+2160–U+217F), as Latin letters.
fn numeral_char_latin(c: char) -> Option<&'static str> {
    const UPPER: [&str; 16] = [
        "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "L", "C", "D",
        "M",
    ];
    let code = c as u32;
    match code {
        0x2160..=0x216F => UPPER.get((code - 0x2160) as usize).copied(),
        0x2170..=0x217F => UPPER.get((code - 0x2170) as usize).copied(),
        _ => None,
    }
}

/// Whether a character is a Roman numeral in either alphabet (Latin capitals or U+2160–U+217F).
#[must_use]
pub fn is_numeral_char(c: char) -> bool {
    LATIN_NUMERAL_CHARS.contains(c) || numeral_char_latin(c).is_some()
}

/// Normalises a Roman numeral written in either alphabet to Latin capitals (`Ⅶ` → `VII`,
/// `ⅱ` → `II`). Returns `None` when the string is not a valid numeral.
#[must_use]
pub fn roman_to_latin(s: &str) -> Option<String> {
    if s.is_empty() {
        return None;
    }
    let mut out = String::new();
    for c in s.chars() {
        if let Some(l) = numeral_char_latin(c) {
            out.push_str(l);
        } else if LATIN_NUMERAL_CHARS.contains(c) {
            out.push(c);
        } else {
            return None;
        }
    }
    roman_value(&out).map(|_| out)
}

/// The value of a Latin Roman numeral in canonical form, or `None` if it is not canonical.
#[must_use]
pub fn roman_value(s: &str) -> Option<u32> {
    let val = |c: char| match c {
        'I' => Some(1),
        'V' => Some(5),
        'X' => Some(10),
        'L' => Some(50),
        'C' => Some(100),
        'D' => Some(500),
        'M' => Some(1000),
        _ => None,
    };
    let digits: Vec<u32> = s.chars().map(val).collect::<Option<_>>()?;
    // Subtractive notation: a digit before a larger one is subtracted.
    let mut value = 0i64;
    for (i, &d) in digits.iter().enumerate() {
        if digits.get(i + 1).is_some_and(|&next| next > d) {
            value -= i64::from(d);
        } else {
            value += i64::from(d);
        }
    }
    let value = u32::try_from(value).ok().filter(|&v| v > 0 && v < 4000)?;
    (to_roman(value) == s).then_some(value)
}

/// Canonical Latin Roman numeral for 1..4000.
#[must_use]
pub fn to_roman(mut n: u32) -> String {
    const TABLE: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut s = String::new();
    for (v, r) in TABLE {
        while n >= v {
            s.push_str(r);
            n -= v;
        }
    }
    s
}

/// Normalises a label a user typed or a document wrote: Roman numerals in either alphabet
/// become Latin capitals, full-width digits become ASCII; anything else is kept.
#[must_use]
pub fn normalise_label(s: &str) -> String {
    let s: String = s.chars().map(fullwidth_to_ascii).collect();
    if let Some(latin) = roman_to_latin(&s.to_ascii_uppercase()) {
        // Only upper-case Latin or the Unicode numerals count as numerals when typed in lower case.
        if s.chars().any(|c| numeral_char_latin(c).is_some())
            || s.chars().all(|c| c.is_ascii_uppercase())
            || s.len() <= 4
        {
            return latin;
        }
    }
    s
}

/// Full-width ASCII forms (U+FF01–U+FF5E) to ASCII; other characters unchanged.
#[must_use]
pub fn fullwidth_to_ascii(c: char) -> char {
    let code = c as u32;
    if (0xFF01..=0xFF5E).contains(&code) {
        char::from_u32(code - 0xFEE0).unwrap_or(c)
    } else {
        c
    }
}

/// Parses a run of ASCII or full-width digits at the start of `s`; returns the value and the
/// number of bytes it took.
#[must_use]
pub fn leading_number(s: &str) -> Option<(u32, usize)> {
    let mut value: u32 = 0;
    let mut used = 0;
    for c in s.chars() {
        let d = fullwidth_to_ascii(c);
        match d.to_digit(10) {
            Some(v) if d.is_ascii_digit() => {
                value = value.checked_mul(10)?.checked_add(v)?;
                used += c.len_utf8();
            }
            _ => break,
        }
    }
    (used > 0).then_some((value, used))
}

/// Japanese era names and the Gregorian year before each era's first year.
const ERAS: [(&str, i32); 4] = [
    ("令和", 2018),
    ("平成", 1988),
    ("昭和", 1925),
    ("大正", 1911),
];

/// Finds a date written `2023年12月10日` or `令和5年11月2日` (also `元年`) in a line; returns it
/// with the byte range it occupies.
#[must_use]
pub fn find_date(line: &str) -> Option<(Date, std::ops::Range<usize>)> {
    for (start, _) in line.char_indices() {
        let rest = &line[start..];
        let (year, after_year) =
            if let Some((era, base)) = ERAS.iter().find(|(era, _)| rest.starts_with(era)) {
                let r = &rest[era.len()..];
                if let Some(r2) = r.strip_prefix('元') {
                    (base + 1, rest.len() - r2.len())
                } else {
                    // An era year too large for a date is no date here; a later one may be.
                    let Some((year, used)) = leading_number(r).and_then(|(n, used)| {
                        let year = base.checked_add(i32::try_from(n).ok()?)?;
                        Some((year, used))
                    }) else {
                        continue;
                    };
                    (year, rest.len() - r.len() + used)
                }
            } else if let Some((n, used)) = leading_number(rest) {
                if used < 4
                    || (start > 0
                        && line[..start]
                            .chars()
                            .last()
                            .is_some_and(|c| leading_number(&c.to_string()).is_some()))
                {
                    continue;
                }
                let Ok(year) = i32::try_from(n) else {
                    continue;
                };
                (year, used)
            } else {
                continue;
            };
        let r = &rest[after_year..];
        let Some(r) = r.strip_prefix('年') else {
            continue;
        };
        let Some((month, mu)) = leading_number(r) else {
            continue;
        };
        let Some(r2) = r[mu..].strip_prefix('月') else {
            continue;
        };
        let Some((day, du)) = leading_number(r2) else {
            continue;
        };
        let Some(r3) = r2[du..].strip_prefix('日') else {
            continue;
        };
        // A date that does not exist (2月31日, 13月, 0日) is no date; its text stays as it is.
        let Some(date) = Date::new(year, month, day) else {
            continue;
        };
        let end = line.len() - r3.len();
        return Some((date, start..end));
    }
    None
}

/// Whether text ends a sentence (so a following line after a page break is a new block).
#[must_use]
pub fn ends_sentence(text: &str) -> bool {
    text.trim_end()
        .chars()
        .last()
        .is_some_and(|c| "。．.！？!?」』）)".contains(c))
}

/// Whether text ends with a colon that introduces what follows (`…お問い合わせ先：`, `…は：`).
#[must_use]
pub fn ends_with_colon(text: &str) -> bool {
    text.trim_end().ends_with(['：', ':'])
}

/// Whether a list item opens with its own topic (`我々は、…`, `…メンバーは(脚注1)、…`): such
/// an item is a statement of its own rather than the completion of a sentence that a colon
/// introduced.
#[must_use]
pub fn has_topic(text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    chars
        .windows(2)
        .any(|w| w[0] == 'は' && matches!(w[1], '、' | '，' | '(' | '（'))
}

/// Closes up acronyms and numbers that PDF extraction spaced out: a run of two or more single
/// Latin letters or digits separated by single spaces (`G I F C T`, `I C C`, `G 7`) is joined,
/// and so are the spaces between such a run and Japanese text next to it (`G 7 内務` →
/// `G7内務`). Words of two or more letters are never touched. Only spaces are removed.
#[must_use]
pub fn close_up_acronyms(text: &str) -> (String, bool) {
    // Every removable space is judged from the characters around it, in one pass over the
    // spaces: it lies inside a run (a single on either side), or just outside a run with
    // Japanese on its other side. Singles are ASCII, which never occurs inside a multi-byte
    // character, so their neighbours can be read as bytes.
    let bytes = text.as_bytes();
    let single = |q: usize| {
        bytes.get(q).is_some_and(u8::is_ascii_alphanumeric)
            && (q == 0 || !bytes[q - 1].is_ascii_alphanumeric())
            && !bytes.get(q + 1).is_some_and(u8::is_ascii_alphanumeric)
    };
    let space = |q: usize| bytes.get(q) == Some(&b' ');
    let removed: Vec<usize> = memchr::memchr_iter(b' ', bytes)
        .filter(|&p| {
            let inside = p >= 1 && single(p - 1) && single(p + 1);
            let before_run = single(p + 1)
                && space(p + 2)
                && single(p + 3)
                && text[..p].chars().next_back().is_some_and(is_japanese);
            let after_run = p >= 3
                && single(p - 1)
                && space(p - 2)
                && single(p - 3)
                && text[p + 1..].chars().next().is_some_and(is_japanese);
            inside || before_run || after_run
        })
        .collect();
    if removed.is_empty() {
        return (text.to_owned(), false);
    }
    let mut out = String::with_capacity(text.len());
    let mut from = 0;
    for p in removed {
        out.push_str(&text[from..p]);
        from = p + 1;
    }
    out.push_str(&text[from..]);
    (out, true)
}

/// Joins a continuation line to the text before it: Japanese joins without a space, Latin
/// words and numbers keep one.
pub fn join_continuation(text: &mut String, next: &str) {
    let last = text.chars().last();
    let first = next.chars().next();
    if let (Some(a), Some(b)) = (last, first)
        && (a.is_ascii_alphanumeric() || a.is_ascii_punctuation())
        && b.is_ascii_alphanumeric()
    {
        text.push(' ');
    }
    text.push_str(next);
}

#[cfg(test)]
mod tests {
    /// The first implementation (a run at a time over the characters), kept as the reference
    /// the one-pass version is checked against.
    fn close_up_reference(text: &str) -> String {
        let chars: Vec<char> = text.chars().collect();
        let n = chars.len();
        let single = |i: usize| {
            chars[i].is_ascii_alphanumeric()
                && (i == 0 || !chars[i - 1].is_ascii_alphanumeric())
                && (i + 1 >= n || !chars[i + 1].is_ascii_alphanumeric())
        };
        let mut remove = vec![false; n];
        let mut i = 0;
        while i < n {
            if !single(i) {
                i += 1;
                continue;
            }
            let (start, mut end, mut j) = (i, i, i);
            while j + 2 < n && chars[j + 1] == ' ' && single(j + 2) {
                j += 2;
                end = j;
            }
            if end > start {
                let mut k = start;
                while k < end {
                    remove[k + 1] = true;
                    k += 2;
                }
                if start >= 2 && chars[start - 1] == ' ' && is_japanese(chars[start - 2]) {
                    remove[start - 1] = true;
                }
                if end + 2 < n && chars[end + 1] == ' ' && is_japanese(chars[end + 2]) {
                    remove[end + 1] = true;
                }
            }
            i = end + 1;
        }
        chars
            .iter()
            .zip(&remove)
            .filter(|(_, r)| !**r)
            .map(|(c, _)| *c)
            .collect()
    }

    proptest::proptest! {
        #[test]
        fn close_up_matches_the_reference(text in "[A-Za-z0-9 あ漢、（）ＡＢ.\\-]{0,40}") {
            let (got, changed) = close_up_acronyms(&text);
            proptest::prop_assert_eq!(&got, &close_up_reference(&text));
            proptest::prop_assert_eq!(changed, got != text);
        }
    }

    use super::*;

    #[test]
    fn numerals_in_both_alphabets() {
        assert_eq!(roman_to_latin("Ⅶ").as_deref(), Some("VII"));
        assert_eq!(roman_to_latin("VII").as_deref(), Some("VII"));
        assert_eq!(roman_to_latin("Ⅰ").as_deref(), Some("I"));
        assert_eq!(roman_to_latin("ⅱ").as_deref(), Some("II"));
        assert_eq!(roman_to_latin("IIII"), None);
        assert_eq!(roman_to_latin("VX"), None);
        assert_eq!(roman_to_latin("ABC"), None);
        assert_eq!(roman_value("XIV"), Some(14));
        assert_eq!(roman_value("MCMXCIV"), Some(1994));
        assert_eq!(normalise_label("Ⅶ"), "VII");
        assert_eq!(normalise_label("vii"), "VII");
        assert_eq!(normalise_label("２３"), "23");
        assert_eq!(normalise_label("annex-I"), "annex-I");
    }

    #[test]
    fn dates_western_and_era() {
        let (d, r) = find_date("2023年12月10日 於：茨城県水戸市").expect("date");
        assert_eq!(d.iso(), "2023-12-10");
        assert_eq!(r.start, 0);
        assert_eq!(
            find_date("令和5年11月2日").map(|x| x.0.iso()).as_deref(),
            Some("2023-11-02")
        );
        assert_eq!(
            find_date("平成元年1月8日").map(|x| x.0.iso()).as_deref(),
            Some("1989-01-08")
        );
        assert_eq!(
            find_date("令和５年１１月２日")
                .map(|x| x.0.iso())
                .as_deref(),
            Some("2023-11-02")
        );
        assert_eq!(find_date("2023年13月1日"), None);
        // Dates that do not exist.
        assert_eq!(find_date("2023年2月31日"), None);
        assert_eq!(find_date("2023年2月29日"), None);
        assert_eq!(find_date("2023年4月31日"), None);
        assert_eq!(find_date("2023年0月1日"), None);
        assert_eq!(find_date("2023年1月0日"), None);
        assert_eq!(find_date("令和5年2月30日"), None);
        assert_eq!(
            find_date("2024年2月29日").map(|x| x.0.iso()).as_deref(),
            Some("2024-02-29")
        );
        assert_eq!(find_date("1900年2月29日"), None);
        assert_eq!(
            find_date("2000年2月29日").map(|x| x.0.iso()).as_deref(),
            Some("2000-02-29")
        );
        // An impossible date before a real one on the same line: the real one is found.
        assert_eq!(
            find_date("2023年2月31日と2023年3月1日")
                .map(|x| x.0.iso())
                .as_deref(),
            Some("2023-03-01")
        );
        assert_eq!(find_date("警察庁"), None);
        // An era year past the range of a date is not one (and does not overflow); its digits
        // still read as a Western year, and a date later on the line is still found.
        assert_eq!(
            find_date("令和2147483647年1月1日").map(|x| (x.0.year, x.1)),
            Some((2_147_483_647, 6..27))
        );
        assert_eq!(
            find_date("令和4294967295年1月1日 2023年12月10日")
                .map(|x| x.0.iso())
                .as_deref(),
            Some("2023-12-10")
        );
    }

    #[test]
    fn acronyms_close_up() {
        assert_eq!(close_up_acronyms("G 7 内務").0, "G7内務");
        assert_eq!(close_up_acronyms("（G I F C T）との").0, "（GIFCT）との");
        assert_eq!(close_up_acronyms("G I F C Tメンバー").0, "GIFCTメンバー");
        assert_eq!(close_up_acronyms("この、I C C の捜査").0, "この、ICCの捜査");
        assert_eq!(close_up_acronyms("G 7首脳声明").0, "G7首脳声明");
        // Words and lone letters are left alone.
        assert_eq!(
            close_up_acronyms("EU凍結 and A B"),
            ("EU凍結 and AB".to_string(), true)
        );
        assert_eq!(close_up_acronyms("the EU is").0, "the EU is");
        assert_eq!(
            close_up_acronyms("連絡先 03-3580-3195").0,
            "連絡先 03-3580-3195"
        );
        assert_eq!(
            close_up_acronyms("担当者 山口勇参事官").0,
            "担当者 山口勇参事官"
        );
    }

    #[test]
    fn joins() {
        let mut s = "子供を含む".to_string();
        join_continuation(&mut s, "ウクライナの");
        assert_eq!(s, "子供を含むウクライナの");
        let mut s = "the".to_string();
        join_continuation(&mut s, "end");
        assert_eq!(s, "the end");
    }

    #[test]
    fn topics() {
        assert!(has_topic("我々は、インターポールを含む"));
        assert!(has_topic("メンバーは(脚注1)、ランサムウェア"));
        assert!(!has_topic(
            "犯罪者が不正活動のために使用できる資金を提供する。"
        ));
        assert!(!has_topic("貴方がデータを取り戻すことを保証しない。"));
    }
}
