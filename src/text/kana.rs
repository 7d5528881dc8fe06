//! What counts as a Japanese character, and the folds that make two spellings of a Japanese
//! word compare equal: one definition of each, used by the search normaliser, the line breaker,
//! the PDF repairs and the participants.
//!
//! | rule | used by |
//! | --- | --- |
//! | [`is_japanese`]: kana, ideographs, Japanese punctuation, full-width forms | the normaliser (a space next to one means nothing), the repairs (spaces between a spaced-out acronym and Japanese text) |
//! | [`is_kana_or_kanji`]: kana and ideographs only | the line breaker (a number stays with the counter after it: `2023年`) |
//! | [`is_katakana_like`]: what a katakana word is made of | the participants' mention finder (インド is not in インドネシア), the refs recognisers |
//! | [`is_kanji`], [`is_hiragana`]: ideographs; hiragana | the refs recognisers (compound nouns, okurigana) |
//! | [`kata_to_hira`] | the normaliser, the participants' name fold |
//! | [`small_to_full`], [`is_long_vowel_mark`], [`fold_vu`] | the normaliser: ウェ = ウエ, セキュリティー = セキュリティ, ヴァ = バ |

/// Japanese characters next to which a space means nothing: kana, CJK ideographs (all
/// extensions), CJK radicals, Japanese punctuation and symbols, and the half-width and
/// full-width forms.
#[must_use]
pub fn is_japanese(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FDF         // CJK radicals
        | 0x3000..=0x303F       // CJK symbols and punctuation
        | 0x3040..=0x30FF       // kana
        | 0x31F0..=0x31FF       // katakana phonetic extensions
        | 0x3400..=0x4DBF       // CJK extension A
        | 0x4E00..=0x9FFF       // CJK unified ideographs
        | 0xF900..=0xFAFF       // CJK compatibility ideographs
        | 0xFF00..=0xFFEF       // half-width and full-width forms
        | 0x20000..=0x3FFFF) // CJK extensions B and later
}

/// Kana and ideographs: the letters of Japanese text (no punctuation, no full-width forms).
#[must_use]
pub fn is_kana_or_kanji(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF
        | 0x31F0..=0x31FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xF900..=0xFAFF
        | 0x20000..=0x3FFFF)
}

/// CJK ideographs (all extensions) and the ideographic iteration mark `々`: the kanji of a
/// compound noun (the cross-reference, citation and index recognisers read names by it).
#[must_use]
pub fn is_kanji(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3FFFF)
        || c == '々'
}

/// Hiragana, with the voiced sound marks and the hiragana iteration marks (U+3041–U+309F).
#[must_use]
pub fn is_hiragana(c: char) -> bool {
    ('\u{3041}'..='\u{309F}').contains(&c)
}

/// Katakana, the prolonged sound mark and the katakana iteration marks, the phonetic
/// extensions and the half-width katakana: the characters a katakana word is made of (the
/// middle dot `・` separates words and is not one of them).
#[must_use]
pub fn is_katakana_like(c: char) -> bool {
    matches!(c, '\u{30A1}'..='\u{30FA}' | '\u{30FC}'..='\u{30FF}' | '\u{31F0}'..='\u{31FF}' | '\u{FF66}'..='\u{FF9F}')
}

/// Katakana to hiragana (U+30A1–U+30F6 and the iteration marks `ヽヾ`, shifted by 0x60, so
/// `ヴ` → `ゔ`); everything else unchanged. The long vowel mark `ー` stays, and so do `ヷ`–`ヺ`,
/// which have no hiragana.
#[must_use]
pub fn kata_to_hira(c: char) -> char {
    match c as u32 {
        0x30A1..=0x30F6 | 0x30FD..=0x30FE => char::from_u32(c as u32 - 0x60).unwrap_or(c),
        _ => c,
    }
}

/// A small hiragana as its full-size form (`ぇ` → `え`, `っ` → `つ`, `ゃ` → `や`, `ゖ` → `け`);
/// everything else unchanged. Apply after [`kata_to_hira`]. A reader types `ウエ` for `ウェ` and
/// `セキユリテイ` for `セキュリティ`: for search the two are one word.
#[must_use]
pub fn small_to_full(c: char) -> char {
    match c {
        'ぁ' => 'あ',
        'ぃ' => 'い',
        'ぅ' => 'う',
        'ぇ' => 'え',
        'ぉ' => 'お',
        'っ' => 'つ',
        'ゃ' => 'や',
        'ゅ' => 'ゆ',
        'ょ' => 'よ',
        'ゎ' => 'わ',
        'ゕ' => 'か',
        'ゖ' => 'け',
        _ => c,
    }
}

/// The long vowel mark (`ー`, and `ｰ` before NFKC): `サーバー` and `サーバ`, `セキュリティー` and
/// `セキュリティ` are the same word, so search leaves it out.
#[must_use]
pub fn is_long_vowel_mark(c: char) -> bool {
    matches!(c, 'ー' | 'ｰ')
}

/// `ゔ` (ヴ after [`kata_to_hira`]) followed by a full-size vowel (the small vowel already
/// folded by [`small_to_full`]) is read with a `b`: `ゔあ` → `ば` (ヴァイオリン = バイオリン).
/// `None` when the pair does not fold into one character.
#[must_use]
pub fn fold_vu(vowel: char) -> Option<char> {
    match vowel {
        'あ' => Some('ば'),
        'い' => Some('び'),
        'え' => Some('べ'),
        'お' => Some('ぼ'),
        _ => None,
    }
}

/// `ゔ` alone is read `ぶ` (ヴ = ブ).
pub const VU_ALONE: char = 'ぶ';

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_definition_of_a_japanese_character() {
        for c in ['あ', 'ア', 'ー', '漢', '、', '「', 'Ａ', 'ｶ', '𠮷', '⺀'] {
            assert!(is_japanese(c), "{c}");
        }
        for c in ['a', '1', ' ', 'é', '—', '…'] {
            assert!(!is_japanese(c), "{c}");
        }
        // The line breaker's letters are a subset: no punctuation, no full-width forms.
        for c in ['あ', 'ア', '漢', '𠮷'] {
            assert!(is_kana_or_kanji(c), "{c}");
        }
        for c in ['、', '「', 'Ａ', 'a', '（'] {
            assert!(!is_kana_or_kanji(c), "{c}");
        }
        for c in (0u32..0x11_0000).filter_map(char::from_u32) {
            assert!(!is_kana_or_kanji(c) || is_japanese(c), "{c:?}");
        }
    }

    #[test]
    fn katakana_folds_to_hiragana_iteration_marks_included() {
        assert_eq!(kata_to_hira('ア'), 'あ');
        assert_eq!(kata_to_hira('ヴ'), 'ゔ');
        assert_eq!(kata_to_hira('ヶ'), 'ゖ');
        assert_eq!(kata_to_hira('ヽ'), 'ゝ');
        assert_eq!(kata_to_hira('ヾ'), 'ゞ');
        assert_eq!(kata_to_hira('ー'), 'ー');
        assert_eq!(kata_to_hira('ヷ'), 'ヷ');
        assert_eq!(kata_to_hira('a'), 'a');
    }

    #[test]
    fn small_kana_fold_to_full_size() {
        let folded: String = "ぁぃぅぇぉっゃゅょゎゕゖあ"
            .chars()
            .map(small_to_full)
            .collect();
        assert_eq!(folded, "あいうえおつやゆよわかけあ");
        assert!(is_long_vowel_mark('ー'));
        assert!(!is_long_vowel_mark('-'));
        assert_eq!(fold_vu('あ'), Some('ば'));
        assert_eq!(fold_vu('う'), None);
    }

    #[test]
    fn katakana_words() {
        assert!(is_katakana_like('ア') && is_katakana_like('ー') && is_katakana_like('ｱ'));
        assert!(!is_katakana_like('・') && !is_katakana_like('あ'));
        assert!(is_hiragana('ゞ') && !is_hiragana('ア'));
    }
}
