//! Character classes and small readers shared by the recognisers. Everything works on a node's
//! text as a slice of `char`s, so positions are character offsets (as search's ranges are).

use crate::corpus::repair::{fullwidth_to_ascii, roman_to_latin, roman_value};

pub use crate::text::kana::{is_hiragana, is_kanji, is_katakana_like as is_katakana};

/// A Latin letter or digit, ASCII or full-width.
#[must_use]
pub fn is_latin(c: char) -> bool {
    fullwidth_to_ascii(c).is_ascii_alphanumeric()
}

/// A character a Japanese compound noun (a name) is made of: kanji, katakana, Latin letters,
/// digits and the middle dot that joins katakana words.
#[must_use]
pub fn is_compound(c: char) -> bool {
    is_kanji(c) || is_katakana(c) || is_latin(c) || c == '・'
}

/// Whether two neighbouring characters belong to one word: both katakana, or both Latin
/// letters or digits (インド is not in インドネシア, EU is not in EUROPOL, but is in EU凍結). A
/// name matches only where it stands as a word by this rule (as participants' mentions do).
#[must_use]
pub fn joins(a: char, b: char) -> bool {
    (is_katakana(a) && is_katakana(b)) || (is_latin(a) && is_latin(b))
}

/// Whether `chars[at..]` starts with `word`.
#[must_use]
pub fn starts_with(chars: &[char], at: usize, word: &str) -> bool {
    (at..)
        .zip(word.chars())
        .all(|(i, w)| chars.get(i) == Some(&w))
}

/// Whether `chars[..end]` ends with `word`.
#[must_use]
pub fn ends_with(chars: &[char], end: usize, word: &str) -> bool {
    let n = word.chars().count();
    end >= n && starts_with(chars, end - n, word)
}

/// The first of `words` that `chars[at..]` starts with (give longer words first).
#[must_use]
pub fn word_at<'a>(chars: &[char], at: usize, words: &[&'a str]) -> Option<&'a str> {
    words.iter().copied().find(|w| starts_with(chars, at, w))
}

/// A number at `at`: ASCII or full-width digits, a Roman numeral in either alphabet (`VII`,
/// `Ⅶ`, full-width `ＶＩＩ`), or kanji numerals up to 99 (`三`, `十二`). Returns its value and how
/// many characters it took.
#[must_use]
pub fn number_at(chars: &[char], at: usize) -> Option<(u32, usize)> {
    digits_at(chars, at)
        .or_else(|| roman_at(chars, at))
        .or_else(|| kanji_number_at(chars, at))
}

/// ASCII or full-width digits.
#[must_use]
pub fn digits_at(chars: &[char], at: usize) -> Option<(u32, usize)> {
    let mut value: u32 = 0;
    let mut n = 0;
    while let Some(&c) = chars.get(at + n) {
        let a = fullwidth_to_ascii(c);
        let Some(d) = a.to_digit(10).filter(|_| a.is_ascii_digit()) else {
            break;
        };
        value = value.checked_mul(10)?.checked_add(d)?;
        n += 1;
    }
    (n > 0).then_some((value, n))
}

/// A Roman numeral: the longest run of numeral characters that reads as a canonical numeral.
#[must_use]
pub fn roman_at(chars: &[char], at: usize) -> Option<(u32, usize)> {
    let mut n = 0;
    while chars
        .get(at + n)
        .is_some_and(|&c| crate::corpus::repair::is_numeral_char(fullwidth_to_ascii(c)))
    {
        n += 1;
    }
    (1..=n).rev().find_map(|len| {
        let s: String = chars[at..at + len]
            .iter()
            .map(|&c| fullwidth_to_ascii(c))
            .collect();
        let latin = roman_to_latin(&s)?;
        roman_value(&latin).map(|v| (v, len))
    })
}

fn kanji_digit(c: char) -> Option<u32> {
    "〇一二三四五六七八九"
        .chars()
        .position(|k| k == c)
        .and_then(|p| u32::try_from(p).ok())
}

/// Kanji numerals 1..=99: `三`, `十`, `十二`, `二十三`.
#[must_use]
pub fn kanji_number_at(chars: &[char], at: usize) -> Option<(u32, usize)> {
    let first = *chars.get(at)?;
    if first == '十' {
        let ones = chars.get(at + 1).copied().and_then(kanji_digit);
        return Some(ones.map_or((10, 1), |o| (10 + o, 2)));
    }
    let tens = kanji_digit(first).filter(|&d| d > 0)?;
    if chars.get(at + 1) == Some(&'十') {
        let ones = chars.get(at + 2).copied().and_then(kanji_digit);
        return Some(ones.map_or((tens * 10, 2), |o| (tens * 10 + o, 3)));
    }
    Some((tens, 1))
}

/// The value of a node label that is a number or a numeral (`23`, `VII`, `Ⅱ`, `注1` → none).
#[must_use]
pub fn label_value(label: &str) -> Option<u32> {
    let chars: Vec<char> = label.chars().collect();
    let (v, n) = digits_at(&chars, 0).or_else(|| roman_at(&chars, 0))?;
    (n == chars.len()).then_some(v)
}

/// The start of the compound noun that ends at `end`: back over [`is_compound`] characters.
#[must_use]
pub fn compound_start(chars: &[char], end: usize) -> usize {
    let mut s = end;
    while s > 0 && is_compound(chars[s - 1]) {
        s -= 1;
    }
    s
}

/// The end of the compound noun that starts at `start`.
#[must_use]
pub fn compound_end(chars: &[char], start: usize) -> usize {
    let mut e = start;
    while e < chars.len() && is_compound(chars[e]) {
        e += 1;
    }
    e
}

/// A leading ordinal (`第3回`, `第２`) is not part of a name: the offset after it.
#[must_use]
pub fn skip_ordinal(chars: &[char], start: usize, end: usize) -> usize {
    let mut s = start;
    while s < end && chars[s] == '・' {
        s += 1;
    }
    if chars.get(s) == Some(&'第')
        && let Some((_, n)) = digits_at(chars, s + 1).or_else(|| kanji_number_at(chars, s + 1))
    {
        let mut after = s + 1 + n;
        if chars.get(after) == Some(&'回') {
            after += 1;
        }
        if after < end {
            return after;
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cs(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn numbers_in_every_script() {
        assert_eq!(number_at(&cs("29項"), 0), Some((29, 2)));
        assert_eq!(number_at(&cs("２９項"), 0), Some((29, 2)));
        assert_eq!(number_at(&cs("Ⅱに"), 0), Some((2, 1)));
        assert_eq!(number_at(&cs("IIに"), 0), Some((2, 2)));
        assert_eq!(number_at(&cs("ＩＩに"), 0), Some((2, 2)));
        assert_eq!(number_at(&cs("VIIIの"), 0), Some((8, 4)));
        assert_eq!(number_at(&cs("三章"), 0), Some((3, 1)));
        assert_eq!(number_at(&cs("二十三"), 0), Some((23, 3)));
        assert_eq!(number_at(&cs("十"), 0), Some((10, 1)));
        assert_eq!(number_at(&cs("章"), 0), None);
        assert_eq!(label_value("VII"), Some(7));
        assert_eq!(label_value("23"), Some(23));
        assert_eq!(label_value("注1"), None);
        assert_eq!(label_value("別添"), None);
    }

    #[test]
    fn ordinals_are_skipped() {
        let c = cs("第3回カウンター");
        assert_eq!(skip_ordinal(&c, 0, c.len()), 3);
        let c = cs("・第3回カウンター");
        assert_eq!(skip_ordinal(&c, 0, c.len()), 4);
        let c = cs("第一");
        assert_eq!(skip_ordinal(&c, 0, c.len()), 0);
    }
}
