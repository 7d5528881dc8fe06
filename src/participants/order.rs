//! 五十音 order for readings.

use unicode_normalization::UnicodeNormalization;

use super::names::fold;

/// A reading's sort key in 五十音 order: first the kana without voicing marks, small kana as
/// large and ー as the vowel it prolongs; then, to break ties, the marks themselves.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct GojuonKey {
    base: Vec<char>,
    marks: Vec<u8>,
}

pub(super) fn gojuon_key(reading: &str) -> GojuonKey {
    let mut key = GojuonKey::default();
    for c in fold(reading).chars() {
        if c == 'ー' {
            let v = key.base.last().and_then(|&p| vowel_of(p)).unwrap_or(c);
            key.base.push(v);
            key.marks.push(1);
            continue;
        }
        let (base, mark) = plain_kana(c);
        key.base.push(base);
        key.marks.push(mark);
    }
    key
}

/// A kana without its voicing mark or smallness, and which it had (0 none, 1 small, 2 dakuten,
/// 3 handakuten).
fn plain_kana(c: char) -> (char, u8) {
    const SMALL: &str = "ぁぃぅぇぉっゃゅょゎゕゖ";
    const LARGE: &str = "あいうえおつやゆよわかけ";
    if let Some(i) = SMALL.chars().position(|s| s == c) {
        return (LARGE.chars().nth(i).unwrap_or(c), 1);
    }
    let mut d = c.to_string().nfd().collect::<Vec<char>>().into_iter();
    match (d.next(), d.next()) {
        (Some(b), Some('\u{3099}')) => (b, 2),
        (Some(b), Some('\u{309A}')) => (b, 3),
        _ => (c, 0),
    }
}

fn vowel_of(c: char) -> Option<char> {
    const ROWS: [(char, &str); 5] = [
        ('あ', "あかさたなはまやらわ"),
        ('い', "いきしちにひみり"),
        ('う', "うくすつぬふむゆる"),
        ('え', "えけせてねへめれ"),
        ('お', "おこそとのほもよろを"),
    ];
    ROWS.iter()
        .find(|(_, row)| row.contains(c))
        .map(|(v, _)| *v)
}
