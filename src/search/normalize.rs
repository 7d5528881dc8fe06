//! The normal form that search compares: both the text and the query go through
//! [`Normalizer::normalize_into`], and every normalised character remembers the span of original
//! characters it came from, so that a match can be highlighted in the original text.
//!
//! The steps, in order:
//!
//! 1. **NFKC**, per *chunk*: a chunk is a character with everything that composes with it
//!    (combining marks, a half-width voiced sound mark, Hangul jamo). Every character that NFKC
//!    produces from a chunk maps to the whole chunk (`Ⅶ` → `vii`: three characters, each mapping
//!    to the one `Ⅶ`; `か` + U+3099 → `が`: one character mapping to both).
//! 2. **Case folding** (`char::to_lowercase`).
//! 3. **Katakana → hiragana** (U+30A1–U+30F6 and `ヽヾ`, shifted by 0x60, so `ヴ` → `ゔ`); the long
//!    vowel mark `ー` stays as it is, and so do `ヷ`–`ヺ`, which have no hiragana.
//! 4. **Invisible characters dropped**: zero-width and bidirectional format characters.
//! 5. **Whitespace**: every run of whitespace or control characters becomes one space; leading
//!    and trailing spaces go. A space is then dropped when a neighbour is Japanese (kana, CJK
//!    ideographs and punctuation: Japanese does not separate words with spaces, so any space
//!    there is an artefact), or when both neighbours are single ASCII letters or digits, words
//!    of one character (`G I F C T` → `gifct`, `I C C` → `icc`, `G 7` → `g7`; but `ICC 2023`,
//!    `G 20` and `a cat` keep their space). This is the rule by which the parser closes up
//!    spaced-out acronyms, applied to any text.
//!
//! The fast path: ASCII, kana and the common CJK ideographs and punctuation are already in NFKC
//! and never compose with what precedes them, so they skip the normalisation machinery.

use std::ops::Range;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::{canonical_combining_class, compose, decompose_compatible};

use crate::text::display::{is_bidi_control, is_invisible_format};

/// A normalised character with the span of original characters (char indices) it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Out {
    c: char,
    start: u32,
    end: u32,
}

/// A normalised string with, for each of its characters, the original characters it came from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Normalized {
    pub text: String,
    /// For each character of `text`, the range of original character indices it came from.
    pub spans: Vec<Range<usize>>,
}

/// Reusable scratch buffers for normalising many strings without allocating each time.
#[derive(Debug, Default)]
pub struct Normalizer {
    chunk: String,
    tmp: Vec<Out>,
}

/// Characters that are in NFKC, stay NFKC whatever follows or precedes them, and never compose
/// with a preceding character: they need no normalisation beyond case and kana folding.
#[must_use]
pub fn is_inert(c: char) -> bool {
    matches!(c as u32,
        0x00..=0x7F            // ASCII
        | 0x3001..=0x3003      // 、。〃
        | 0x3005..=0x3011      // 々〆〇〈〉《》「」『』【】
        | 0x3041..=0x3096      // hiragana
        | 0x30A1..=0x30FA      // katakana
        | 0x30FB..=0x30FC      // ・ー
        | 0x4E00..=0x9FFF) // CJK unified ideographs
}

/// Katakana to hiragana; everything else unchanged. The long vowel mark `ー` stays.
#[must_use]
pub fn kata_to_hira(c: char) -> char {
    match c as u32 {
        0x30A1..=0x30F6 | 0x30FD..=0x30FE => char::from_u32(c as u32 - 0x60).unwrap_or(c),
        _ => c,
    }
}

/// Japanese characters next to which a space means nothing.
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

/// Whether `c` must join the chunk that ends with `last` (it composes with it, or it is a
/// combining mark after NFKD).
fn continues_chunk(c: char, last: char) -> bool {
    if is_inert(c) {
        return false;
    }
    let mut first = None;
    decompose_compatible(c, |d| {
        if first.is_none() {
            first = Some(d);
        }
    });
    let Some(d) = first else { return false };
    canonical_combining_class(d) != 0 || compose(last, d).is_some()
}

/// Lower-case and kana folding for one character of an inert chunk.
#[inline]
fn fold_inert(c: char) -> char {
    if c.is_ascii() {
        c.to_ascii_lowercase()
    } else {
        kata_to_hira(c)
    }
}

impl Normalizer {
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Normalises `src`, appending the normalised text to `out` and, for each normalised
    /// character, its original span to `starts` / `ends` (char indices into `src`). Returns the
    /// number of normalised characters appended.
    pub fn normalize_into(
        &mut self,
        src: &str,
        out: &mut String,
        starts: &mut Vec<u32>,
        ends: &mut Vec<u32>,
    ) -> usize {
        self.first_pass(src);
        self.second_pass(out, starts, ends)
    }

    /// Normalises one string on its own.
    #[must_use]
    pub fn normalize(&mut self, src: &str) -> Normalized {
        let mut text = String::with_capacity(src.len());
        let (mut starts, mut ends) = (Vec::new(), Vec::new());
        self.normalize_into(src, &mut text, &mut starts, &mut ends);
        let spans = starts
            .iter()
            .zip(&ends)
            .map(|(&s, &e)| s as usize..e as usize)
            .collect();
        Normalized { text, spans }
    }

    /// Steps 1–4 and the collapsing of whitespace into `self.tmp`.
    fn first_pass(&mut self, src: &str) {
        self.tmp.clear();
        self.chunk.clear();
        let mut chunk_start = 0u32;
        let mut last = '\0';
        let mut i = 0u32;
        for c in src.chars() {
            if self.chunk.is_empty() || !continues_chunk(c, last) {
                self.flush(chunk_start, i);
                chunk_start = i;
            }
            self.chunk.push(c);
            last = c;
            i = i.saturating_add(1);
        }
        self.flush(chunk_start, i);
        if self.tmp.last().is_some_and(|o| o.c == ' ') {
            self.tmp.pop();
        }
    }

    /// Normalises the pending chunk (original chars `start..end`) into `self.tmp`.
    fn flush(&mut self, start: u32, end: u32) {
        let mut chars = self.chunk.chars();
        let (Some(first), rest) = (chars.next(), chars.next()) else {
            return;
        };
        let tmp = &mut self.tmp;
        if rest.is_none() && is_inert(first) {
            push(tmp, fold_inert(first), start, end);
        } else {
            for n in self.chunk.nfkc() {
                for l in n.to_lowercase() {
                    push(tmp, kata_to_hira(l), start, end);
                }
            }
        }
        self.chunk.clear();
    }

    /// Step 5 (which spaces go), writing the result out.
    fn second_pass(&self, out: &mut String, starts: &mut Vec<u32>, ends: &mut Vec<u32>) -> usize {
        let tmp = &self.tmp;
        let alnum = |k: usize| tmp.get(k).is_some_and(|o| o.c.is_ascii_alphanumeric());
        // Length of the run of ASCII alphanumerics ending just before the current position (in
        // the text before spaces are dropped).
        let mut left_run = 0usize;
        let mut count = 0;
        for (k, o) in tmp.iter().enumerate() {
            if o.c == ' ' {
                // After collapsing, a space always has a non-space neighbour on each side.
                let prev = k.checked_sub(1).and_then(|p| tmp.get(p)).map(|o| o.c);
                let next = tmp.get(k + 1).map(|o| o.c);
                let drop = match (prev, next) {
                    (Some(p), Some(n)) => {
                        if is_japanese(p) || is_japanese(n) {
                            true
                        } else if alnum(k - 1) && alnum(k + 1) {
                            let right_run = tmp[k + 1..]
                                .iter()
                                .take(2)
                                .take_while(|o| o.c.is_ascii_alphanumeric())
                                .count();
                            left_run == 1 && right_run == 1
                        } else {
                            false
                        }
                    }
                    _ => true,
                };
                left_run = 0;
                if drop {
                    continue;
                }
            } else if o.c.is_ascii_alphanumeric() {
                left_run += 1;
            } else {
                left_run = 0;
            }
            out.push(o.c);
            starts.push(o.start);
            ends.push(o.end);
            count += 1;
        }
        count
    }
}

/// Appends one folded character: invisible characters are dropped, whitespace and controls
/// collapse into one space (never at the start).
#[inline]
fn push(tmp: &mut Vec<Out>, c: char, start: u32, end: u32) {
    if c.is_whitespace() || c.is_control() {
        if tmp.last().is_none_or(|o| o.c == ' ') {
            return;
        }
        tmp.push(Out { c: ' ', start, end });
    } else if is_invisible_format(c) || is_bidi_control(c) {
    } else {
        tmp.push(Out { c, start, end });
    }
}

/// Normalises one string (a convenience over [`Normalizer::normalize`]).
#[must_use]
pub fn normalize(src: &str) -> Normalized {
    Normalizer::new().normalize(src)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(s: &str) -> String {
        normalize(s).text
    }

    /// The original text behind a range of normalised characters.
    fn orig(src: &str, n: &Normalized, r: Range<usize>) -> String {
        let s = n.spans[r.start].start;
        let e = n.spans[r.end - 1].end;
        src.chars().skip(s).take(e - s).collect()
    }

    #[test]
    fn full_width_and_case() {
        assert_eq!(norm("ＧＩＦＣＴ"), "gifct");
        assert_eq!(norm("Ｇ７"), "g7");
        assert_eq!(norm("２０２３年"), "2023年");
        assert_eq!(norm("（ICC）"), "(icc)");
        assert_eq!(norm("Interpol"), "interpol");
        assert_eq!(norm("ÉCOLE"), "école");
    }

    #[test]
    fn katakana_becomes_hiragana() {
        assert_eq!(norm("ランサムウェア"), "らんさむうぇあ");
        assert_eq!(norm("ヴァーチャル"), "ゔぁーちゃる");
        assert_eq!(norm("ヶ所"), "ゖ所");
        assert_eq!(norm("ｶﾞｲﾄﾞﾗｲﾝ"), "がいどらいん");
        assert_eq!(norm("ー"), "ー");
        assert_eq!(norm("ひらがな"), "ひらがな");
    }

    #[test]
    fn spaced_acronyms_close_up() {
        assert_eq!(norm("G I F C T"), "gifct");
        assert_eq!(norm("I C C の捜査"), "iccの捜査");
        assert_eq!(norm("G 7 内務"), "g7内務");
        assert_eq!(norm("G 20"), "g 20");
        assert_eq!(norm("xx G I F C T yy"), "xx gifct yy");
        assert_eq!(norm("a cat"), "a cat");
        assert_eq!(norm("ICC 2023"), "icc 2023");
        assert_eq!(norm("the  cat\n\tsat"), "the cat sat");
        assert_eq!(norm("  lead and trail  "), "lead and trail");
        assert_eq!(norm("ランサム ウェア"), "らんさむうぇあ");
        assert_eq!(norm("Ｇ　７"), "g7");
    }

    #[test]
    fn invisible_characters_drop() {
        assert_eq!(norm("ab\u{200B}c\u{202E}d"), "abcd");
        assert_eq!(norm("ab\u{1b}cd"), "ab cd");
        assert_eq!(norm("a\u{1b}b"), "ab");
    }

    #[test]
    fn expansions_map_back() {
        let src = "第Ⅶ章";
        let n = normalize(src);
        assert_eq!(n.text, "第vii章");
        assert_eq!(orig(src, &n, 1..4), "Ⅶ");
        assert_eq!(orig(src, &n, 2..3), "Ⅶ");
        assert_eq!(orig(src, &n, 4..5), "章");
        let src = "㈱テスト";
        let n = normalize(src);
        assert_eq!(n.text, "(株)てすと");
        assert_eq!(orig(src, &n, 1..2), "㈱");
        assert_eq!(orig(src, &n, 3..6), "テスト");
        let src = "ﬁle";
        let n = normalize(src);
        assert_eq!(n.text, "file");
        assert_eq!(orig(src, &n, 2..4), "le");
    }

    #[test]
    fn compositions_map_back() {
        // か + combining voiced sound mark: one normalised character for two original ones.
        let src = "まか\u{3099}ん";
        let n = normalize(src);
        assert_eq!(n.text, "まがん");
        assert_eq!(orig(src, &n, 1..2), "か\u{3099}");
        assert_eq!(orig(src, &n, 2..3), "ん");
        // Half-width katakana with a half-width voiced mark.
        let src = "xｶﾞy";
        let n = normalize(src);
        assert_eq!(n.text, "xがy");
        assert_eq!(orig(src, &n, 1..2), "ｶﾞ");
        // e + combining acute.
        let src = "Cafe\u{301}!";
        let n = normalize(src);
        assert_eq!(n.text, "café!");
        assert_eq!(orig(src, &n, 3..4), "e\u{301}");
    }

    #[test]
    fn spaced_acronym_maps_back() {
        let src = "xx G I F C T yy";
        let n = normalize(src);
        assert_eq!(n.text, "xx gifct yy");
        assert_eq!(orig(src, &n, 3..8), "G I F C T");
        assert_eq!(orig(src, &n, 4..6), "I F");
    }

    #[test]
    fn inert_characters_are_nfkc_and_never_compose_with_what_precedes() {
        for c in (0u32..0x11_0000).filter_map(char::from_u32) {
            if is_inert(c) {
                let s = c.to_string();
                assert_eq!(s.nfkc().collect::<String>(), s, "{c:?} is not NFKC");
            }
            // No canonical decomposition has an inert character after its first character.
            let mut parts = Vec::new();
            unicode_normalization::char::decompose_canonical(c, |d| parts.push(d));
            assert!(
                parts.iter().skip(1).all(|&d| !is_inert(d)),
                "{c:?} decomposes into {parts:?}"
            );
        }
    }
}
