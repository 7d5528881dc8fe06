//! The typo fallback: where a pattern occurs in a text with at most one edit — a character
//! inserted, deleted or substituted, or two neighbours transposed (the optimal string alignment
//! distance, the match free to start and end anywhere in the text).

use std::ops::Range;

use memchr::memmem::Finder;

/// Byte ranges of `hay` that match `pattern` with at most one edit, leftmost first, none
/// overlapping (of overlapping candidates, the longest).
///
/// The same as [`find_plain`], which runs the distance matrix over the whole text; this runs it
/// only around the places where one of the pattern's thirds occurs intact (every match holds
/// one: an edit changes one place, a transposition two neighbours): a window from `2m + 3` characters before such a place (far enough
/// that every alignment of cost one ending in the window starts inside it) to `m + 2` after.
/// Ends near a window's start, whose alignments could start before it, are left to the
/// window that holds their intact third, which starts further back.
#[cfg(test)]
#[must_use]
pub fn find(hay: &str, pattern: &[char]) -> Vec<Range<usize>> {
    Pattern::new(pattern).find(hay)
}

/// A pattern for [`find`], made once for a query: its characters and a searcher for each of
/// its thirds.
#[derive(Debug, Clone)]
pub struct Pattern {
    chars: Vec<char>,
    thirds: Vec<Finder<'static>>,
}

impl Pattern {
    #[must_use]
    pub fn new(pattern: &[char]) -> Self {
        let m = pattern.len();
        let thirds = if m < 3 {
            Vec::new()
        } else {
            let cuts = [0, m / 3, 2 * m / 3, m];
            cuts.windows(2)
                .map(|w| {
                    let piece: String = pattern[w[0]..w[1]].iter().collect();
                    Finder::new(piece.as_bytes()).into_owned()
                })
                .collect()
        };
        Pattern {
            chars: pattern.to_vec(),
            thirds,
        }
    }

    /// See [`find`].
    #[must_use]
    pub fn find(&self, hay: &str) -> Vec<Range<usize>> {
        let m = self.chars.len();
        if m < 3 {
            return find_plain(hay, &self.chars);
        }
        let bytes = hay.as_bytes();
        // Byte windows around every intact third, merged.
        let back = 2 * m + 3;
        let ahead = m + 2;
        let mut windows: Vec<(usize, usize)> = Vec::new();
        for third in &self.thirds {
            let n = third.needle().len();
            for at in third.find_iter(bytes) {
                windows.push((step_back(bytes, at, back), step_ahead(bytes, at + n, ahead)));
            }
        }
        if windows.is_empty() {
            return Vec::new();
        }
        windows.sort_unstable();
        let mut merged: Vec<(usize, usize)> = Vec::new();
        for (s, e) in windows {
            match merged.last_mut() {
                Some(last) if s <= last.1 => last.1 = last.1.max(e),
                _ => merged.push((s, e)),
            }
        }
        let mut found: Vec<(usize, usize, usize, usize)> = Vec::new();
        let mut chars_before = 0usize;
        let mut counted = 0usize;
        for (s, e) in merged {
            chars_before += lead_bytes(&bytes[counted..s]);
            counted = s;
            // Ends whose alignments could start before the window: not this window's to
            // report.
            let min_end = if s == 0 { 0 } else { m + 2 };
            align(&hay[s..e], &self.chars, min_end, &mut |cs, ck, bs, bk| {
                found.push((chars_before + cs, chars_before + ck, s + bs, s + bk));
            });
        }
        longest_leftmost(found)
    }
}

/// [`find`] by the distance matrix over the whole text: the reference it is tested against.
#[must_use]
pub fn find_plain(hay: &str, pattern: &[char]) -> Vec<Range<usize>> {
    let mut found = Vec::new();
    align(hay, pattern, 0, &mut |cs, ck, bs, bk| {
        found.push((cs, ck, bs, bk));
    });
    longest_leftmost(found)
}

/// Every end (character `k` of `hay`, from `min_end` on) where `pattern` aligns with at most
/// one edit, with the start of that alignment: `(start, end)` in characters and in bytes.
fn align(
    hay: &str,
    pattern: &[char],
    min_end: usize,
    found: &mut impl FnMut(usize, usize, usize, usize),
) {
    let m = pattern.len();
    if m == 0 {
        return;
    }
    let text: Vec<(usize, char)> = hay.char_indices().collect();
    let byte_at = |k: usize| text.get(k).map_or(hay.len(), |&(b, _)| b);
    // Columns k-2, k-1 and k of the distance matrix: (cost, the text position the alignment
    // starts at).
    let big = u32::MAX / 2;
    let mut prev2: Vec<(u32, usize)> = vec![(big, 0); m + 1];
    let mut prev: Vec<(u32, usize)> = (0..=m)
        .map(|i| (u32::try_from(i).unwrap_or(big), 0))
        .collect();
    let mut cur: Vec<(u32, usize)> = vec![(0, 0); m + 1];
    for k in 1..=text.len() {
        let c = text[k - 1].1;
        cur[0] = (0, k);
        for i in 1..=m {
            let p = pattern[i - 1];
            let mut best = (prev[i - 1].0 + u32::from(p != c), prev[i - 1].1);
            let extra = (prev[i].0 + 1, prev[i].1);
            let missing = (cur[i - 1].0 + 1, cur[i - 1].1);
            for cand in [extra, missing] {
                if cand.0 < best.0 {
                    best = cand;
                }
            }
            if i >= 2 && k >= 2 && p == text[k - 2].1 && pattern[i - 2] == c {
                let t = (prev2[i - 2].0 + 1, prev2[i - 2].1);
                if t.0 < best.0 {
                    best = t;
                }
            }
            cur[i] = best;
        }
        if cur[m].0 <= 1 && cur[m].1 < k && k >= min_end {
            let s = cur[m].1;
            found(s, k, byte_at(s), byte_at(k));
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
}

/// Of `(start, end)` matches in characters (with their bytes), leftmost first, none
/// overlapping: of overlapping ones, the longest. Byte ranges.
fn longest_leftmost(mut found: Vec<(usize, usize, usize, usize)>) -> Vec<Range<usize>> {
    found.sort_unstable();
    found.dedup();
    let mut out: Vec<(usize, usize, usize, usize)> = Vec::new();
    for f in found {
        match out.last_mut() {
            Some(last) if f.0 < last.1 => {
                if f.1 - f.0 > last.1 - last.0 {
                    *last = f;
                }
            }
            _ => out.push(f),
        }
    }
    out.into_iter().map(|(_, _, s, e)| s..e).collect()
}

/// The number of characters that start in `bytes`.
fn lead_bytes(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b & 0xC0 != 0x80).count()
}

/// The byte offset `n` characters before `at` (or 0).
fn step_back(bytes: &[u8], mut at: usize, mut n: usize) -> usize {
    while n > 0 && at > 0 {
        at -= 1;
        while at > 0 && bytes[at] & 0xC0 == 0x80 {
            at -= 1;
        }
        n -= 1;
    }
    at
}

/// The byte offset `n` characters after `at` (or the end).
fn step_ahead(bytes: &[u8], mut at: usize, mut n: usize) -> usize {
    while n > 0 && at < bytes.len() {
        at += 1;
        while at < bytes.len() && bytes[at] & 0xC0 == 0x80 {
            at += 1;
        }
        n -= 1;
    }
    at
}

/// Whether `pattern` may occur in `hay` with one edit: one of its thirds occurs as it is (an
/// edit changes one place, a transposition two neighbours, so one third is always intact). A
/// cheap test; [`Pattern::find`] looks only around the thirds it finds.
#[cfg(test)]
#[must_use]
pub fn may_occur(hay: &str, pattern: &[char]) -> bool {
    let m = pattern.len();
    if m < 3 {
        return true;
    }
    let cuts = [0, m / 3, 2 * m / 3, m];
    cuts.windows(2).any(|w| {
        let piece: String = pattern[w[0]..w[1]].iter().collect();
        memchr::memmem::find(hay.as_bytes(), piece.as_bytes()).is_some()
    })
}

/// Whether `a` and `b` are at most one edit apart (a character more, less or different, or two
/// neighbours swapped).
#[must_use]
pub fn within_one(a: &[char], b: &[char]) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if long.len() - short.len() > 1 {
        return false;
    }
    let lead = short.iter().zip(long).take_while(|(x, y)| x == y).count();
    if lead == short.len() {
        return true; // equal, or one character added at the end
    }
    if short.len() == long.len() {
        // One substitution, or one transposition of neighbours.
        let rest = |k: usize| short[k..] == long[k..];
        rest(lead + 1)
            || (lead + 1 < short.len()
                && short[lead] == long[lead + 1]
                && short[lead + 1] == long[lead]
                && rest(lead + 2))
    } else {
        short[lead..] == long[lead + 1..]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_edit_apart() {
        let c = |s: &str| s.chars().collect::<Vec<_>>();
        assert!(within_one(&c("interpol"), &c("interpoll")));
        assert!(within_one(&c("ransomwre"), &c("ransomware")));
        assert!(within_one(&c("giftc"), &c("gifct")));
        assert!(within_one(&c("abcd"), &c("abxd")));
        assert!(within_one(&c("abcd"), &c("abcd")));
        assert!(!within_one(&c("abcd"), &c("badc")));
        assert!(!within_one(&c("abcd"), &c("ab")));
        assert!(!within_one(&c("abcd"), &c("axcy")));
    }

    fn near(hay: &str, p: &str) -> Vec<String> {
        let p: Vec<char> = p.chars().collect();
        find(hay, &p)
            .into_iter()
            .map(|r| hay[r].to_string())
            .collect()
    }

    #[test]
    fn one_edit_of_each_kind() {
        // Transposition, deletion, insertion, substitution.
        assert_eq!(near("the (gifct) forum", "giftc"), vec!["gifct"]);
        assert_eq!(
            near("らんさむうえあの", "らんさむえあ"),
            vec!["らんさむうえあ"]
        );
        assert_eq!(near("abcdef", "abxcd"), vec!["abcd"]);
        assert_eq!(
            near("暴力的過激主義者", "暴力的過激主議"),
            vec!["暴力的過激主義"]
        );
        // Two edits: nothing.
        assert!(near("abcdef", "axcxef").is_empty());
        assert!(near("", "abcd").is_empty());
        assert!(find("abc", &[]).is_empty());
    }

    proptest::proptest! {
        /// Running the matrix only around the intact thirds finds what running it over the
        /// whole text finds.
        #[test]
        fn windows_find_what_the_whole_text_finds(
            hay in "[abcdあい語x ]{0,80}",
            p in "[abcdあい語]{3,8}",
        ) {
            let chars: Vec<char> = p.chars().collect();
            proptest::prop_assert_eq!(find(&hay, &chars), find_plain(&hay, &chars));
        }

        /// The cheap test never rules out a text that has a match.
        #[test]
        fn may_occur_never_misses(hay in "[abcd]{0,12}", p in "[abcd]{4,7}") {
            let chars: Vec<char> = p.chars().collect();
            if !find(&hay, &chars).is_empty() {
                proptest::prop_assert!(may_occur(&hay, &chars), "{} in {}", p, hay);
            }
        }
    }

    #[test]
    fn matches_do_not_overlap() {
        let got = near("gifct and gifct", "giftc");
        assert_eq!(got, vec!["gifct", "gifct"]);
    }
}
