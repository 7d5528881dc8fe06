//! The typo fallback: where a pattern occurs in a text with at most one edit — a character
//! inserted, deleted or substituted, or two neighbours transposed (the optimal string alignment
//! distance, the match free to start and end anywhere in the text).

use std::ops::Range;

/// Byte ranges of `hay` that match `pattern` with at most one edit, leftmost first, none
/// overlapping (of overlapping candidates, the longest).
#[must_use]
pub fn find(hay: &str, pattern: &[char]) -> Vec<Range<usize>> {
    let m = pattern.len();
    if m == 0 {
        return Vec::new();
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
    let mut found: Vec<(usize, usize)> = Vec::new();
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
        if cur[m].0 <= 1 && cur[m].1 < k {
            found.push((cur[m].1, k));
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    found.sort_unstable();
    let mut out: Vec<(usize, usize)> = Vec::new();
    for (s, e) in found {
        match out.last_mut() {
            Some(last) if s < last.1 => {
                if e - s > last.1 - last.0 {
                    *last = (s, e);
                }
            }
            _ => out.push((s, e)),
        }
    }
    out.into_iter()
        .map(|(s, e)| byte_at(s)..byte_at(e))
        .collect()
}

/// Whether `pattern` may occur in `hay` with one edit: one of its thirds occurs as it is (an
/// edit changes one place, a transposition two neighbours, so one third is always intact). A
/// cheap test before [`find`].
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
