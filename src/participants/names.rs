//! How names and queries are compared: folded ([`fold`]), and the kana classes the rules for
//! a name's edges and a reading are made of.

use unicode_normalization::UnicodeNormalization;

/// The form in which names and queries are compared: NFKC (full-width and half-width forms
/// alike), lower case, katakana as hiragana.
#[must_use]
pub fn fold(s: &str) -> String {
    s.nfkc()
        .flat_map(char::to_lowercase)
        .map(katakana_to_hiragana)
        .collect()
}

fn katakana_to_hiragana(c: char) -> char {
    if ('\u{30A1}'..='\u{30F6}').contains(&c) {
        char::from_u32(c as u32 - 0x60).unwrap_or(c)
    } else {
        c
    }
}

pub(super) fn is_hiragana(c: char) -> bool {
    ('\u{3041}'..='\u{309F}').contains(&c)
}

/// Katakana, the prolonged sound mark and the katakana iteration marks: the characters a
/// katakana word is made of (the middle dot `・` separates words and is not one of them).
pub(super) fn is_katakana_like(c: char) -> bool {
    matches!(c, '\u{30A1}'..='\u{30FA}' | '\u{30FC}'..='\u{30FF}' | '\u{31F0}'..='\u{31FF}' | '\u{FF66}'..='\u{FF9F}')
}
