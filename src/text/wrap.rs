//! Japanese line breaking: where a line may end (UAX #14 via unicode-linebreak, tightened by
//! the rules of 禁則処理), and first-fit filling by display width.
//!
//! UAX #14 already forbids a break before closing brackets and punctuation and after opening
//! brackets, and treats small kana and `ー` strictly. On top of it this module enforces the
//! explicit lists below (so that no class assignment can let one slip), keeps a number together
//! with the Japanese counter after it (`2023年`, `50か国`), and when a run cannot fit on a line
//! breaks it by width, still keeping the rules where the width leaves room.

use std::sync::OnceLock;

use unicode_linebreak::{BreakOpportunity, linebreaks};

use super::display::char_width;
use super::kana::is_kana_or_kanji;

/// Characters that must not start a line (行頭禁則).
const NO_START: &str = "、。，．・：；？！ー」』）］｝〉》〕】〙〗〟’”｠»\
ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ\
ゝゞヽヾ々〻‐゠–〜～…‥,.:;!?)]}%";

/// Characters that must not end a line (行末禁則).
const NO_END: &str = "「『（［｛〈《〔【〘〖〝‘“｟«([{";

/// Whether `c` may not start a line.
#[must_use]
pub fn no_start(c: char) -> bool {
    static SORTED: OnceLock<Vec<char>> = OnceLock::new();
    in_list(&SORTED, NO_START, c)
}

/// Whether `c` may not end a line.
#[must_use]
pub fn no_end(c: char) -> bool {
    static SORTED: OnceLock<Vec<char>> = OnceLock::new();
    in_list(&SORTED, NO_END, c)
}

/// Whether `c` is in `list`, looked up in its sorted characters: a scan of the string for
/// every character laid out was a fifth of start-up.
fn in_list(sorted: &OnceLock<Vec<char>>, list: &str, c: char) -> bool {
    sorted
        .get_or_init(|| {
            let mut chars: Vec<char> = list.chars().collect();
            chars.sort_unstable();
            chars.dedup();
            chars
        })
        .binary_search(&c)
        .is_ok()
}

/// For each position `i` in `0..=chars.len()`: may a line break before `chars[i]`?
/// Position 0 and `len` are never marked; mandatory breaks are returned separately.
fn opportunities(chars: &[char]) -> (Vec<bool>, Vec<bool>) {
    let n = chars.len();
    let mut allowed = vec![false; n + 1];
    let mut mandatory = vec![false; n + 1];
    let s: String = chars.iter().collect();
    // Byte offset -> char index.
    let mut char_at = vec![0usize; s.len() + 1];
    for (ci, (bi, _)) in s.char_indices().enumerate() {
        char_at[bi] = ci;
    }
    char_at[s.len()] = n;
    for (byte, op) in linebreaks(&s) {
        let i = char_at[byte];
        if i == 0 || i >= n {
            continue;
        }
        match op {
            BreakOpportunity::Mandatory => mandatory[i] = true,
            BreakOpportunity::Allowed => allowed[i] = true,
        }
    }
    for i in 1..n {
        if mandatory[i] {
            continue;
        }
        let (before, after) = (chars[i - 1], chars[i]);
        if no_start(after) || no_end(before) || (before.is_ascii_digit() && is_kana_or_kanji(after))
        {
            allowed[i] = false;
        }
    }
    (allowed, mandatory)
}

/// Lays `chars` out into lines: the first line has `first` cells, the others `rest`. Returns
/// each line as a range of indices into `chars`, with the spaces and line feeds at a break left
/// out. Every other character is in exactly one line, in order.
///
/// A line holds at least one character, so a width under 2 still makes progress; no line is
/// wider than its width unless that width is smaller than one wide character.
#[must_use]
pub fn wrap(chars: &[char], first: usize, rest: usize) -> Vec<std::ops::Range<usize>> {
    let n = chars.len();
    let widths: Vec<usize> = chars.iter().map(|&c| char_width(c)).collect();
    let (allowed, mandatory) = opportunities(chars);
    let is_space = |c: char| c == ' ' || c == '\u{3000}' || c == '\n';

    let mut lines = Vec::new();
    let mut start = 0;
    while start < n {
        let avail = if lines.is_empty() { first } else { rest }.max(1);
        // Walk forward keeping the last place a break is allowed that still fits.
        let mut w = 0;
        let mut end = start;
        let mut last_ok: Option<usize> = None;
        let mut hard = None;
        while end < n {
            if end > start && mandatory[end] {
                hard = Some(end);
                break;
            }
            if end > start && allowed[end] {
                last_ok = Some(end);
            }
            let c = chars[end];
            // Trailing spaces never count against the width.
            if !is_space(c) && w + widths[end] > avail {
                break;
            }
            w += widths[end];
            end += 1;
        }
        let cut = if let Some(h) = hard {
            h
        } else if end >= n {
            n
        } else if let Some(ok) = last_ok {
            ok
        } else {
            emergency_cut(chars, start, end)
        };
        // The line's content: trailing spaces and line feeds left out.
        let mut content_end = cut;
        while content_end > start && is_space(chars[content_end - 1]) {
            content_end -= 1;
        }
        lines.push(start..content_end);
        // UAX #14 breaks after spaces and line feeds, so the next line starts with text.
        start = cut;
    }
    if lines.is_empty() {
        lines.push(0..0);
    }
    lines
}

/// A run with no allowed break is wider than the line: cut it by width. The cut is the last
/// place before `end` (the first character that does not fit) that, in order of preference,
/// keeps the rules of 禁則処理 and does not split a Latin word or number; else keeps the rules;
/// else falls at `end`. Something always stays on the line.
fn emergency_cut(chars: &[char], start: usize, end: usize) -> usize {
    let end = end.max(start + 1);
    if end >= chars.len() {
        return end;
    }
    let kinsoku_ok = |cut: usize| !(no_start(chars[cut]) || no_end(chars[cut - 1]));
    let mid_word =
        |cut: usize| chars[cut - 1].is_ascii_alphanumeric() && chars[cut].is_ascii_alphanumeric();
    let candidates = (start + 1..=end).rev();
    candidates
        .clone()
        .find(|&c| kinsoku_ok(c) && !mid_word(c))
        .or_else(|| candidates.clone().find(|&c| kinsoku_ok(c)))
        .unwrap_or(end)
}

/// Convenience: wraps a string and returns the lines as strings.
#[must_use]
pub fn wrap_str(text: &str, first: usize, rest: usize) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    wrap(&chars, first, rest)
        .into_iter()
        .map(|r| chars[r].iter().collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::display::str_width;

    #[test]
    fn the_lists_are_looked_up_exactly() {
        assert!(NO_START.chars().all(no_start) && NO_END.chars().all(no_end));
        for c in "あ漢字aZ0 「".chars() {
            assert!(!no_start(c), "{c}");
        }
        for c in "あ漢字aZ0 」。".chars() {
            assert!(!no_end(c), "{c}");
        }
    }

    #[test]
    fn fills_lines_first_fit() {
        let lines = wrap_str(
            "我々は、国際カウンターランサムウェア・イニシアティブ等のフォーラムを通じた",
            20,
            20,
        );
        for l in &lines[..lines.len() - 1] {
            assert!(str_width(l) >= 18, "line not filled: {l:?}");
        }
        assert!(lines.iter().all(|l| str_width(l) <= 20));
    }

    #[test]
    fn no_line_starts_with_closing_punctuation() {
        // Width 8 would put 、 at the start of line 2 without the rules.
        let lines = wrap_str("我々は国際的、協力する。", 8, 8);
        for l in &lines {
            let first = l.chars().next().expect("non-empty");
            assert!(!no_start(first), "{lines:?}");
        }
        assert_eq!(lines.concat(), "我々は国際的、協力する。");
    }

    #[test]
    fn no_line_ends_with_opening_bracket() {
        let lines = wrap_str("あいう「テロ」と", 8, 8);
        for l in &lines {
            assert!(!no_end(l.chars().last().expect("non-empty")), "{lines:?}");
        }
    }

    #[test]
    fn small_kana_and_long_vowel_stay() {
        for w in 4..12 {
            for l in wrap_str("カウンターランサムウェアのイニシアティブ", w, w)
            {
                let c = l.chars().next().expect("non-empty");
                assert!(!"ーァィゥェォッャュョ".contains(c), "width {w}: {l:?}");
            }
        }
    }

    #[test]
    fn latin_words_and_numbers_kept_whole() {
        let lines = wrap_str("金融活動作業部会（FATF）基準の2023年のICPA", 10, 10);
        let joined = lines.join("|");
        assert!(
            !joined.contains("FA|TF") && !joined.contains("20|23") && !joined.contains("IC|PA"),
            "{joined}"
        );
        assert!(!joined.contains("2023|年"), "{joined}");
    }

    #[test]
    fn hard_breaks_and_spaces() {
        assert_eq!(wrap_str("ab\ncd", 10, 10), vec!["ab", "cd"]);
        assert_eq!(wrap_str("hello world", 5, 5), vec!["hello", "world"]);
        assert_eq!(wrap_str("", 5, 5), vec![""]);
    }

    #[test]
    fn hanging_widths() {
        let lines = wrap_str("あいうえおかきくけこさしすせそ", 6, 10);
        assert_eq!(str_width(&lines[0]), 6);
        assert_eq!(str_width(&lines[1]), 10);
    }

    #[test]
    fn wide_chars_never_split_or_overflow() {
        for w in 2..9 {
            for l in wrap_str("全角文字だけの行", w, w) {
                assert!(str_width(&l) <= w);
            }
        }
    }
}
