//! One line of context around a match, for a result list.

use std::ops::Range;

use crate::text::display::char_width;

/// The ellipsis shown where the snippet cuts the text.
pub const ELLIPSIS: char = '…';

/// One line of `text`, at most `width` display cells wide, centred on the first of `ranges`
/// (character offsets into `text`). Newlines, tabs and other control characters become spaces,
/// one for one, so character offsets keep their meaning; where the text is cut, an ellipsis `…`
/// stands at that end. Returns the snippet and the ranges that fall inside it, as character
/// offsets into the snippet (clipped to what is shown, merged and sorted).
///
/// When even the first range is wider than `width`, the snippet starts at the range and shows
/// as much of it as fits.
#[must_use]
pub fn snippet(text: &str, ranges: &[Range<usize>], width: usize) -> (String, Vec<Range<usize>>) {
    let chars: Vec<char> = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let n = chars.len();
    let w = |i: usize| chars.get(i).map_or(0, |&c| char_width(c));
    let total: usize = (0..n).map(w).sum();

    let (lo, hi) = if total <= width {
        (0, n)
    } else {
        let focus = ranges
            .iter()
            .filter(|r| r.start < r.end && r.start < n)
            .min_by_key(|r| r.start)
            .map_or(0..0, |r| r.start..r.end.min(n));
        window(&chars, &w, focus, width)
    };

    let left_cut = lo > 0;
    let right_cut = hi < n;
    let mut out = String::new();
    if left_cut {
        out.push(ELLIPSIS);
    }
    out.extend(&chars[lo..hi]);
    if right_cut && (hi > lo || !left_cut) {
        out.push(ELLIPSIS);
    }
    // Safety net: never wider than asked.
    if crate::text::display::str_width(&out) > width {
        return (String::new(), Vec::new());
    }

    let shift = usize::from(left_cut);
    let mut shown: Vec<Range<usize>> = ranges
        .iter()
        .filter_map(|r| {
            let s = r.start.max(lo);
            let e = r.end.min(hi);
            (s < e).then(|| s - lo + shift..e - lo + shift)
        })
        .collect();
    shown.sort_by_key(|r| r.start);
    (out, merge(shown))
}

/// The characters `lo..hi` to show: the focus range first, then context added on the side that
/// has less, one character at a time, while the line (with its ellipses) still fits.
fn window(
    chars: &[char],
    w: &impl Fn(usize) -> usize,
    focus: Range<usize>,
    width: usize,
) -> (usize, usize) {
    let n = chars.len();
    let fits = |lo: usize, hi: usize, used: usize| {
        used + usize::from(lo > 0) + usize::from(hi < n) <= width
    };
    let (lo, mut hi) = (focus.start, focus.start);
    let mut used = 0;
    // The focus itself, as much as fits.
    while hi < focus.end && fits(lo, hi + 1, used + w(hi)) {
        used += w(hi);
        hi += 1;
    }
    let mut lo = lo;
    let (mut left_w, mut right_w) = (0usize, 0usize);
    loop {
        let can_left = lo > 0 && fits(lo - 1, hi, used + w(lo - 1));
        let can_right = hi < n && fits(lo, hi + 1, used + w(hi));
        match (can_left, can_right) {
            (false, false) => break,
            (true, false) => {
                lo -= 1;
                used += w(lo);
                left_w += w(lo);
            }
            (false, true) => {
                used += w(hi);
                right_w += w(hi);
                hi += 1;
            }
            (true, true) => {
                if left_w <= right_w {
                    lo -= 1;
                    used += w(lo);
                    left_w += w(lo);
                } else {
                    used += w(hi);
                    right_w += w(hi);
                    hi += 1;
                }
            }
        }
    }
    (lo, hi)
}

/// Sorted ranges, overlapping or touching ones merged.
#[must_use]
pub fn merge(sorted: Vec<Range<usize>>) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::with_capacity(sorted.len());
    for r in sorted {
        if r.start >= r.end {
            continue;
        }
        match out.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => out.push(r),
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::single_range_in_vec_init)] // one highlighted range
mod tests {
    use super::*;
    use crate::text::display::str_width;

    fn sliced(s: &str, r: &Range<usize>) -> String {
        s.chars().skip(r.start).take(r.end - r.start).collect()
    }

    #[test]
    fn short_text_is_whole() {
        let (s, r) = snippet("ICC\nの捜査", &[0..3], 40);
        assert_eq!(s, "ICC の捜査");
        assert_eq!(r, vec![0..3]);
    }

    #[test]
    fn long_text_is_centred_on_the_first_range() {
        let text = "あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほ";
        let focus = 15..17; // たち
        let (s, r) = snippet(text, &[focus.clone(), 28..29], 20);
        assert!(str_width(&s) <= 20, "{s}");
        assert!(s.starts_with('…') && s.ends_with('…'), "{s}");
        assert_eq!(r.len(), 1);
        assert_eq!(sliced(&s, &r[0]), "たち");
        // Roughly centred: the focus sits in the middle of the snippet.
        let before = r[0].start;
        let after = s.chars().count() - r[0].end;
        assert!(before.abs_diff(after) <= 1, "{s}");
    }

    #[test]
    fn start_and_end() {
        let text = "abcdefghijklmnopqrstuvwxyz";
        let (s, r) = snippet(text, &[0..2], 10);
        assert_eq!(s, "abcdefghi…");
        assert_eq!(r, vec![0..2]);
        let (s, r) = snippet(text, &[24..26], 10);
        assert_eq!(s, "…rstuvwxyz");
        assert_eq!(sliced(&s, &r[0]), "yz");
        let (s, r) = snippet(text, &[], 10);
        assert_eq!(s, "abcdefghi…");
        assert!(r.is_empty());
    }

    #[test]
    fn tiny_widths() {
        let text = "我々は、国際的な課題を議論し";
        for width in 0..8 {
            let (s, r) = snippet(text, &[5..7], width);
            assert!(str_width(&s) <= width, "{width}: {s}");
            for range in &r {
                assert!(range.end <= s.chars().count());
            }
        }
    }

    #[test]
    fn wide_focus_is_cut() {
        let text = "0123456789abcdefghij";
        let (s, r) = snippet(text, &[5..18], 6);
        assert_eq!(s, "…5678…");
        assert_eq!(r, vec![1..5]);
    }
}
