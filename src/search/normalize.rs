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
//! 3. **Kana folds** ([`crate::text::kana`]): katakana → hiragana (U+30A1–U+30F6 and `ヽヾ`;
//!    `ヷ`–`ヺ` have no hiragana and stay); small kana → full size (`ウェ` = `ウエ`, `ッ` = `ツ`);
//!    `ヴ` → `ぶ`, and `ヴァ ヴィ ヴェ ヴォ` → `ば び べ ぼ`; the long vowel mark `ー` is left out
//!    (`セキュリティー` = `セキュリティ`), its span joined to the character before it so that a
//!    highlighted match still covers it.
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
use unicode_normalization::char::{canonical_combining_class, decompose_compatible};

use crate::text::display::{is_bidi_control, is_invisible_format};
use crate::text::kana::{
    VU_ALONE, fold_vu, is_japanese, is_long_vowel_mark, kata_to_hira, small_to_full,
};

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
    /// Scratch for dropping spaces.
    chars: Vec<char>,
    /// The original span of each normalised character so far, once the map is no longer the
    /// identity (while it is, nothing is recorded).
    starts: Vec<u32>,
    ends: Vec<u32>,
    /// Normalised character `k` came from original character `k` alone, for every `k` so far.
    identity: bool,
    /// Normalised characters so far.
    count: usize,
    /// The last normalised character (`'\0'` at the start).
    last_out: char,
    /// Whether a space was written.
    spaced: bool,
    /// The last normalised character is a `ぶ` that came from `ヴ` (a vowel after it folds).
    vu: bool,
}

/// The state before a push, to take it back.
#[derive(Debug, Clone, Copy)]
struct Mark {
    out_len: usize,
    count: usize,
    spans: usize,
    identity: bool,
    last_out: char,
    spaced: bool,
    vu: bool,
}

/// What [`Normalizer::normalize_into`] appended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Appended {
    /// Number of normalised characters.
    pub chars: usize,
    /// Normalised character `k` is original character `k`, for every `k`: nothing was
    /// appended to the span vectors.
    pub identity: bool,
}

/// The ranges of inert characters (see [`is_inert`]).
const INERT_RANGES: [(u32, u32); 7] = [
    (0x00, 0x7F),     // ASCII
    (0x3001, 0x3003), // 、。〃
    (0x3005, 0x3011), // 々〆〇〈〉《》「」『』【】
    (0x3041, 0x3096), // hiragana
    (0x30A1, 0x30FA), // katakana
    (0x30FB, 0x30FC), // ・ー
    (0x4E00, 0x9FFF), // CJK unified ideographs
];

/// [`INERT_RANGES`] as a bitmap of the Basic Multilingual Plane: one load per character
/// instead of a chain of unpredictable comparisons.
static INERT_BITS: [u64; 1024] = {
    let mut bits = [0u64; 1024];
    let mut r = 0;
    while r < INERT_RANGES.len() {
        let (lo, hi) = INERT_RANGES[r];
        let mut c = lo;
        while c <= hi {
            bits[(c >> 6) as usize] |= 1 << (c & 63);
            c += 1;
        }
        r += 1;
    }
    bits
};

/// Characters that are in NFKC, stay NFKC whatever follows or precedes them, and never compose
/// with a preceding character: they need no normalisation beyond case and kana folding.
#[inline]
#[must_use]
pub fn is_inert(c: char) -> bool {
    let u = c as u32;
    INERT_BITS
        .get((u >> 6) as usize)
        .is_some_and(|w| (w >> (u & 63)) & 1 == 1)
}

/// Whether `c` must join the chunk before it: NFKC may reorder it with, or compose it into,
/// what precedes (its decomposition starts with a combining mark, or with a character that is
/// the second of a composition: `゙`, a Hangul vowel or final jamo). Anywhere else, NFKC of the
/// chunks one by one is NFKC of the whole.
#[must_use]
pub fn continues_chunk(c: char) -> bool {
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
    canonical_combining_class(d) != 0
        || unicode_normalization::is_nfkc_quick(std::iter::once(d))
            == unicode_normalization::IsNormalized::Maybe
}

impl Normalizer {
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Normalises `src`, appending the normalised text to `out` and, unless the map is the
    /// identity (see [`Appended::identity`]), each normalised character's original span to
    /// `starts` / `ends` (char indices into `src`).
    pub fn normalize_into(
        &mut self,
        src: &str,
        out: &mut String,
        starts: &mut Vec<u32>,
        ends: &mut Vec<u32>,
    ) -> Appended {
        let base = out.len();
        let original = self.run(src, out);
        if self.spaced {
            self.drop_spaces(out, base);
        }
        // The identity needs as many normalised characters as original ones.
        if self.identity && self.count != original {
            self.break_identity();
        }
        if !self.identity {
            starts.extend_from_slice(&self.starts);
            ends.extend_from_slice(&self.ends);
        }
        Appended {
            chars: self.count,
            identity: self.identity,
        }
    }

    /// Normalises one string on its own.
    #[must_use]
    pub fn normalize(&mut self, src: &str) -> Normalized {
        let mut text = String::with_capacity(src.len());
        let (mut starts, mut ends) = (Vec::new(), Vec::new());
        let appended = self.normalize_into(src, &mut text, &mut starts, &mut ends);
        let spans = if appended.identity {
            (0..appended.chars).map(|k| k..k + 1).collect()
        } else {
            starts
                .iter()
                .zip(&ends)
                .map(|(&s, &e)| s as usize..e as usize)
                .collect()
        };
        Normalized { text, spans }
    }

    /// Steps 1–4 and the collapsing of whitespace, written to `out`. Returns the number of
    /// original characters.
    fn run(&mut self, src: &str, out: &mut String) -> usize {
        self.chunk.clear();
        self.starts.clear();
        self.ends.clear();
        self.identity = true;
        self.count = 0;
        self.last_out = '\0';
        self.spaced = false;
        self.vu = false;
        // An inert character is written at once (the fast path); should the next character
        // turn out to compose with it after all (a combining mark), the write is taken back and
        // the two go through NFKC together.
        let mut undo: Option<Mark> = None;
        let mut chunk_start = 0u32;
        let mut last = '\0';
        let mut i = 0u32;
        for c in src.chars() {
            if is_inert(c) {
                if !self.chunk.is_empty() {
                    self.flush(out, chunk_start, i);
                }
                undo = Some(self.mark(out));
                self.push_inert(out, c, i);
            } else if let Some(mark) = undo.take().filter(|_| continues_chunk(c)) {
                self.reset(out, mark);
                self.chunk.push(last);
                self.chunk.push(c);
                chunk_start = i - 1;
            } else if !self.chunk.is_empty() && continues_chunk(c) {
                self.chunk.push(c);
            } else {
                self.flush(out, chunk_start, i);
                self.chunk.push(c);
                chunk_start = i;
            }
            last = c;
            i = i.saturating_add(1);
        }
        self.flush(out, chunk_start, i);
        if self.last_out == ' ' {
            // A trailing space goes.
            out.pop();
            self.count -= 1;
            if !self.identity {
                self.starts.pop();
                self.ends.pop();
            }
        }
        i as usize
    }

    fn mark(&self, out: &str) -> Mark {
        Mark {
            out_len: out.len(),
            count: self.count,
            spans: self.starts.len(),
            identity: self.identity,
            last_out: self.last_out,
            spaced: self.spaced,
            vu: self.vu,
        }
    }

    fn reset(&mut self, out: &mut String, m: Mark) {
        out.truncate(m.out_len);
        self.count = m.count;
        self.starts.truncate(m.spans);
        self.ends.truncate(m.spans);
        self.identity = m.identity;
        self.last_out = m.last_out;
        self.spaced = m.spaced;
        self.vu = m.vu;
    }

    /// Normalises the pending chunk (original chars `start..end`).
    fn flush(&mut self, out: &mut String, start: u32, end: u32) {
        if self.chunk.is_empty() {
            return;
        }
        let chunk = std::mem::take(&mut self.chunk);
        for n in chunk.nfkc() {
            for l in n.to_lowercase() {
                self.push(out, l, start, end);
            }
        }
        self.chunk = chunk;
        self.chunk.clear();
    }

    /// Appends an inert character that is a chunk on its own (original char `at`).
    #[inline]
    fn push_inert(&mut self, out: &mut String, c: char, at: u32) {
        if c.is_ascii() {
            if c == ' ' || c.is_ascii_control() {
                self.push_space(out, at, at + 1);
            } else {
                self.push_plain(out, c.to_ascii_lowercase(), at, at + 1);
            }
        } else {
            // Inert non-ASCII characters are neither spaces, controls nor invisible.
            self.push_kana(out, c, at, at + 1);
        }
    }

    /// Appends one folded character: invisible characters are dropped, whitespace and
    /// controls collapse into one space (never at the start).
    #[inline]
    fn push(&mut self, out: &mut String, c: char, start: u32, end: u32) {
        if c.is_whitespace() || c.is_control() {
            self.push_space(out, start, end);
        } else if is_invisible_format(c) || is_bidi_control(c) {
            self.break_identity();
        } else {
            self.push_kana(out, c, start, end);
        }
    }

    /// Appends a visible character after the kana folds (step 3).
    #[inline]
    fn push_kana(&mut self, out: &mut String, c: char, start: u32, end: u32) {
        let c = small_to_full(kata_to_hira(c));
        if c.is_ascii() || !matches!(c, 'ー' | 'ｰ' | 'あ'..='ゖ') {
            self.push_plain(out, c, start, end);
            return;
        }
        if is_long_vowel_mark(c) {
            // Left out; the character before it covers it.
            self.break_identity();
            if let Some(last) = self.ends.last_mut() {
                *last = (*last).max(end);
            }
            return;
        }
        if self.vu
            && let Some(b) = fold_vu(c)
        {
            self.break_identity();
            out.pop();
            out.push(b);
            self.last_out = b;
            self.vu = false;
            if let Some(last) = self.ends.last_mut() {
                *last = (*last).max(end);
            }
            return;
        }
        if c == 'ゔ' {
            self.push_plain(out, VU_ALONE, start, end);
            self.vu = true;
            return;
        }
        self.push_plain(out, c, start, end);
    }

    #[inline]
    fn push_space(&mut self, out: &mut String, start: u32, end: u32) {
        if matches!(self.last_out, ' ' | '\0') {
            // Collapsed away, or leading.
            self.break_identity();
            return;
        }
        self.spaced = true;
        self.push_plain(out, ' ', start, end);
    }

    #[inline]
    fn push_plain(&mut self, out: &mut String, c: char, start: u32, end: u32) {
        if self.identity && (start as usize != self.count || end != start + 1) {
            self.break_identity();
        }
        if !self.identity {
            self.starts.push(start);
            self.ends.push(end);
        }
        out.push(c);
        self.count += 1;
        self.last_out = c;
        self.vu = false;
    }

    /// Records the identity map so far explicitly, from now on every span.
    #[cold]
    fn break_identity(&mut self) {
        if self.identity {
            self.identity = false;
            let n = u32::try_from(self.count).unwrap_or(u32::MAX);
            self.starts.extend(0..n);
            self.ends.extend(1..=n);
        }
    }

    /// Step 5: drops the spaces that mean nothing from `out[base..]`.
    fn drop_spaces(&mut self, out: &mut String, base: usize) {
        self.break_identity();
        self.chars.clear();
        self.chars.extend(out[base..].chars());
        let alnum =
            |chars: &[char], k: usize| chars.get(k).is_some_and(char::is_ascii_alphanumeric);
        // Length of the run of ASCII alphanumerics ending just before position `k` (in the
        // text before spaces are dropped).
        let mut left_run = 0usize;
        let mut w = 0;
        for k in 0..self.chars.len() {
            let c = self.chars[k];
            if c == ' ' {
                // After collapsing, a space has a non-space neighbour on each side.
                let prev = k.checked_sub(1).map(|p| self.chars[p]);
                let next = self.chars.get(k + 1).copied();
                let drop = match (prev, next) {
                    (Some(p), Some(q)) => {
                        if is_japanese(p) || is_japanese(q) {
                            true
                        } else {
                            // Both neighbours single ASCII letters or digits.
                            left_run == 1 && alnum(&self.chars, k + 1) && !alnum(&self.chars, k + 2)
                        }
                    }
                    _ => true,
                };
                left_run = 0;
                if drop {
                    continue;
                }
            } else if c.is_ascii_alphanumeric() {
                left_run += 1;
            } else {
                left_run = 0;
            }
            self.chars[w] = c;
            self.starts[w] = self.starts[k];
            self.ends[w] = self.ends[k];
            w += 1;
        }
        self.chars.truncate(w);
        self.starts.truncate(w);
        self.ends.truncate(w);
        self.count = w;
        out.truncate(base);
        out.extend(self.chars.iter());
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
        assert_eq!(norm("ランサム"), "らんさむ");
        assert_eq!(norm("ｶﾞｲﾄﾞﾗｲﾝ"), "がいどらいん");
        assert_eq!(norm("ひらがな"), "ひらがな");
        assert_eq!(norm("ヽヾ"), "ゝゞ");
    }

    #[test]
    fn spelling_variants_fold() {
        // Small and full-size kana.
        assert_eq!(norm("ランサムウェア"), "らんさむうえあ");
        assert_eq!(norm("ランサムウエア"), norm("ランサムウェア"));
        assert_eq!(norm("セキュリテイ"), norm("セキュリティ"));
        assert_eq!(norm("ヶ所"), "け所");
        // ヴ and ブ; ヴァ and バ.
        assert_eq!(norm("ヴァーチャル"), "ばちやる");
        assert_eq!(norm("ヴァイオリン"), norm("バイオリン"));
        assert_eq!(norm("ヴ"), "ぶ");
        assert_eq!(norm("ヴゥ"), "ぶう");
        // Long vowel marks.
        assert_eq!(norm("セキュリティー"), norm("セキュリティ"));
        assert_eq!(norm("サーバー"), "さば");
        assert_eq!(norm("ー"), "");
        assert_eq!(norm("ｻｰﾊﾞｰ"), "さば");
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
        assert_eq!(norm("ランサム ウェア"), "らんさむうえあ");
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
    fn folded_kana_map_back() {
        // A left-out ー is covered by the character before it.
        let src = "xサーバー犯罪";
        let n = normalize(src);
        assert_eq!(n.text, "xさば犯罪");
        assert_eq!(orig(src, &n, 1..3), "サーバー");
        assert_eq!(orig(src, &n, 2..3), "バー");
        // ヴァ: one normalised character for two.
        let src = "ヴァイオリン";
        let n = normalize(src);
        assert_eq!(n.text, "ばいおりん");
        assert_eq!(orig(src, &n, 0..1), "ヴァ");
        assert_eq!(orig(src, &n, 1..2), "イ");
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

    /// A final jamo composes with the syllable that a leading and a vowel jamo make: one
    /// chunk, as NFKC of the whole has it (it used to start a chunk of its own: `각`, two
    /// characters).
    #[test]
    fn hangul_jamo_compose_into_one_syllable() {
        assert_eq!(norm("\u{1100}\u{1161}\u{11A8}"), "\u{AC01}");
        assert_eq!(norm("x\u{1100}\u{1161}\u{11A8}y"), "x\u{AC01}y");
    }
}
