//! Where a participant is mentioned: the nodes whose text has one of its names as a word of
//! its own, and where in a node's text those words are. One rule finds both, so what the
//! mentions popup highlights is what made the node a mention.

use std::ops::Range;

use unicode_normalization::UnicodeNormalization;

use super::Participants;
use super::names::is_katakana_like;
use crate::corpus::{Corpus, NodeRef};
use crate::search::normalize::{continues_chunk, is_inert};

/// Where `needle` occurs in `text` as a word of its own: a name that starts (ends) with
/// katakana must not be preceded (followed) by katakana, and one that starts (ends) with a
/// Latin letter or digit must not be preceded (followed) by one. The start of each occurrence.
fn word_starts<'a>(text: &'a [char], needle: &'a [char]) -> impl Iterator<Item = usize> + 'a {
    let last_start = (!needle.is_empty())
        .then(|| text.len().checked_sub(needle.len()))
        .flatten();
    last_start
        .into_iter()
        .flat_map(|end| 0..=end)
        .filter(move |&i| stands_at(text, needle, i))
}

/// Whether `needle` occurs at `i` in `text` as a word of its own (see [`word_starts`]).
fn stands_at(text: &[char], needle: &[char], i: usize) -> bool {
    let joins = |edge: char, neighbour: Option<&char>| -> bool {
        neighbour.is_some_and(|&n| {
            (is_katakana_like(edge) && is_katakana_like(n))
                || (edge.is_ascii_alphanumeric() && n.is_ascii_alphanumeric())
        })
    };
    let (Some(&first), Some(&last)) = (needle.first(), needle.last()) else {
        return false;
    };
    text.get(i..i + needle.len()) == Some(needle)
        && !joins(first, i.checked_sub(1).and_then(|p| text.get(p)))
        && !joins(last, text.get(i + needle.len()))
}

/// `text` in NFKC, as characters. With `spans`, also each normalised character's range of
/// original characters (a character that NFKC makes of several, or several that it makes of
/// one, maps to all of them). NFKC is applied to each run of characters that compose with one
/// another, which gives the same text as NFKC of the whole.
fn nfkc_chars(text: &str, mut spans: Option<&mut Vec<Range<usize>>>) -> Vec<char> {
    let mut out = Vec::with_capacity(text.len() / 2);
    let mut chunk = String::new();
    let mut start = 0;
    let mut flush = |chunk: &mut String, range: Range<usize>, out: &mut Vec<char>| {
        let mut push = |c: char| {
            out.push(c);
            if let Some(s) = spans.as_deref_mut() {
                s.push(range.clone());
            }
        };
        let mut cs = chunk.chars();
        match (cs.next(), cs.next()) {
            // Most characters are already NFKC on their own.
            (Some(c), None) if is_inert(c) => push(c),
            _ => chunk.nfkc().for_each(push),
        }
        chunk.clear();
    };
    for (i, c) in text.chars().enumerate() {
        if !chunk.is_empty() && !continues_chunk(c) {
            flush(&mut chunk, start..i, &mut out);
            start = i;
        }
        chunk.push(c);
    }
    let end = start + chunk.chars().count();
    flush(&mut chunk, start..end, &mut out);
    out
}

/// Names as the finder compares them: trimmed, NFKC, empty ones left out.
fn needles(names: &[&str]) -> Vec<Vec<char>> {
    names
        .iter()
        .map(|n| n.trim().nfkc().collect::<Vec<char>>())
        .filter(|n| !n.is_empty())
        .collect()
}

/// The nodes of every document whose text mentions one of `names`, in document order, each
/// once. Text and names are compared after NFKC normalisation, and a name must stand as a word
/// of its own: one that starts (ends) with katakana must not be preceded (followed) by katakana
/// or ー (インド is not found in インドネシア), and one that starts (ends) with a Latin letter or
/// digit must not be preceded (followed) by one (EU is not found in EUROPOL, but is in EU凍結).
#[must_use]
pub fn mentions_of(corpus: &Corpus, names: &[&str]) -> Vec<NodeRef> {
    let texts = normalised_texts(corpus);
    mentions_in(&texts, names)
}

/// Where in `text` one of `names` is mentioned, by the rule of [`mentions_of`]: `[start, end)`
/// character offsets into `text` itself (not its normal form), sorted, overlaps merged.
#[must_use]
pub fn name_ranges(text: &str, names: &[&str]) -> Vec<Range<usize>> {
    Normalised::new(text).ranges(&Needles::new(names))
}

/// Names made ready for [`Normalised::ranges`] once, to look for them in many texts.
#[derive(Debug, Clone, Default)]
pub struct Needles(Vec<Vec<char>>);

impl Needles {
    #[must_use]
    pub fn new(names: &[&str]) -> Self {
        Self(needles(names))
    }
}

/// A text in NFKC with the way back to its own characters: normalised once, to look in it for
/// many names ([`name_ranges`] for each of them normalises it again).
#[derive(Debug, Clone, Default)]
pub struct Normalised {
    chars: Vec<char>,
    spans: Vec<Range<usize>>,
}

impl Normalised {
    #[must_use]
    pub fn new(text: &str) -> Self {
        let mut spans = Vec::new();
        let chars = nfkc_chars(text, Some(&mut spans));
        Self { chars, spans }
    }

    /// Where one of `names` is mentioned, as [`name_ranges`] says.
    #[must_use]
    pub fn ranges(&self, names: &Needles) -> Vec<Range<usize>> {
        let (chars, spans) = (&self.chars, &self.spans);
        let mut out: Vec<Range<usize>> = names
            .0
            .iter()
            .flat_map(|n| {
                word_starts(chars, n).map(move |i| spans[i].start..spans[i + n.len() - 1].end)
            })
            .collect();
        out.sort_by_key(|r| (r.start, r.end));
        crate::search::merge(out)
    }

    /// For each group of `sets` named in this text, the first place it is named, as
    /// `ranges(group).first()` says, found in one pass over the text for every group (not one
    /// pass a group). In the groups' order.
    #[must_use]
    pub fn first_of_each(&self, sets: &NameSets) -> Vec<(usize, Range<usize>)> {
        let (chars, spans) = (&self.chars, &self.spans);
        let mut found: Vec<(usize, Range<usize>)> = Vec::new();
        for (i, c) in chars.iter().enumerate() {
            for (g, n) in sets.by_first.get(c).into_iter().flatten() {
                if stands_at(chars, n, i) {
                    found.push((*g, spans[i].start..spans[i + n.len() - 1].end));
                }
            }
        }
        found.sort_by_key(|(g, r)| (*g, r.start, r.end));
        let mut out: Vec<(usize, Range<usize>)> = Vec::new();
        let mut rest = found.as_slice();
        while let Some((g, _)) = rest.first() {
            let n = rest.iter().take_while(|(h, _)| h == g).count();
            let ranges: Vec<Range<usize>> = rest[..n].iter().map(|(_, r)| r.clone()).collect();
            if let Some(first) = crate::search::merge(ranges).into_iter().next() {
                out.push((*g, first));
            }
            rest = &rest[n..];
        }
        out
    }
}

/// Groups of names to look for in many texts at once ([`Normalised::first_of_each`]): each
/// name made ready as [`Needles`] are, filed under its first character.
#[derive(Debug, Clone, Default)]
pub struct NameSets {
    by_first: std::collections::HashMap<char, Vec<(usize, Vec<char>)>>,
}

impl NameSets {
    /// The groups, in order: group `g` is `groups[g]`.
    #[must_use]
    pub fn new(groups: &[Vec<&str>]) -> Self {
        let mut by_first: std::collections::HashMap<char, Vec<(usize, Vec<char>)>> =
            std::collections::HashMap::new();
        for (g, names) in groups.iter().enumerate() {
            for n in needles(names) {
                if let Some(&c) = n.first() {
                    by_first.entry(c).or_default().push((g, n));
                }
            }
        }
        Self { by_first }
    }
}

pub(super) fn normalised_texts(corpus: &Corpus) -> Vec<(NodeRef, Vec<char>)> {
    corpus
        .iter_nodes()
        .map(|(r, n)| (r, nfkc_chars(&n.text, None)))
        .collect()
}

pub(super) fn mentions_in(texts: &[(NodeRef, Vec<char>)], names: &[&str]) -> Vec<NodeRef> {
    let needles = needles(names);
    texts
        .iter()
        .filter(|(_, text)| {
            needles
                .iter()
                .any(|n| word_starts(text, n).next().is_some())
        })
        .map(|(r, _)| *r)
        .collect()
}

impl Participants {
    /// Where in `node`'s text the participant of `row` is named (see [`name_ranges`]): empty
    /// for a node that is not one of its mentions, or a row out of range.
    #[must_use]
    pub fn name_ranges(&self, corpus: &Corpus, row: usize, node: NodeRef) -> Vec<Range<usize>> {
        let (Some(p), Some(n)) = (
            self.rows.get(row),
            corpus
                .documents
                .get(node.doc)
                .and_then(|d| d.nodes.get(node.node)),
        ) else {
            return Vec::new();
        };
        name_ranges(&n.text, &p.names())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::parse_document;
    use crate::participants::fixtures::*;
    use proptest::prelude::*;

    #[test]
    fn mentions_of_interpol() {
        let (corpus, p) = embedded();
        let m = ids(&corpus, &row(&p, "インターポール").mentions);
        for id in [
            "g7:1",
            "g7:14",
            "g7:31",
            "g7:32",
            "g7:37",
            "cri:annex-1.1",
            "cri:annex-3.5",
            "cri:note-1",
        ] {
            assert!(m.contains(&id.to_string()), "{id} missing from {m:?}");
        }
        let mut sorted = row(&p, "インターポール").mentions.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(
            sorted,
            row(&p, "インターポール").mentions,
            "document order, no duplicates"
        );
    }

    #[test]
    fn mentions_of_japan_eu_and_others() {
        let (corpus, p) = embedded();
        let jp = ids(&corpus, &row(&p, "日本").mentions);
        for id in [
            "cri:2",
            "cri:4",
            "cri:5",
            "g7:5",
            "cri:annex-1.1",
            "cri:note-1",
        ] {
            assert!(jp.contains(&id.to_string()), "{id} missing from {jp:?}");
        }
        let eu = ids(&corpus, &row(&p, "EU").mentions);
        assert!(eu.contains(&"g7:9".to_string()), "{eu:?}");
        assert!(eu.contains(&"cri:annex-1.1".to_string()), "{eu:?}");
        assert!(!eu.contains(&"cri:note-1".to_string()), "{eu:?}");
        let ua = ids(&corpus, &row(&p, "ウクライナ").mentions);
        assert!(ua.contains(&"g7:II".to_string()), "headings count: {ua:?}");
        // PNG is only in list A.
        let png = ids(&corpus, &row(&p, "パプアニューギニア").mentions);
        assert_eq!(png, ["cri:annex-1.1"]);
    }

    #[test]
    fn katakana_names_match_whole_words_only() {
        let text = "### 1 国\n\n- 1 インドネシアとの協力。\n- 2 インド太平洋。\n- 3 インド・太平洋。\n- 4 ミニインド。\n- 5 EUROPOLとEU凍結。\n- 6 インドー。";
        let corpus = Corpus {
            documents: vec![parse_document("t", "t.txt", text)],
        };
        let id = |refs: Vec<NodeRef>| ids(&corpus, &refs);
        assert_eq!(id(mentions_of(&corpus, &["インド"])), ["t:2", "t:3"]);
        assert_eq!(id(mentions_of(&corpus, &["EU"])), ["t:5"]);
        assert!(mentions_of(&corpus, &["EURO"]).is_empty());
        assert!(mentions_of(&corpus, &[""]).is_empty());
        assert!(mentions_of(&corpus, &[]).is_empty());
    }

    #[test]
    fn india_is_not_found_inside_longer_words() {
        let (corpus, p) = embedded();
        let m = ids(&corpus, &row(&p, "インド").mentions);
        assert_eq!(m, ["cri:annex-1.1", "cri:note-1"]);
    }

    /// The text of `ranges` in `text`.
    fn words(text: &str, ranges: &[Range<usize>]) -> Vec<String> {
        let chars: Vec<char> = text.chars().collect();
        ranges
            .iter()
            .map(|r| chars[r.clone()].iter().collect())
            .collect()
    }

    #[test]
    fn ranges_are_words_in_the_original_text() {
        let text = "インドネシアとインド、ＥＵとEUROPOL。ｶﾞﾎﾞﾝ";
        // インド inside インドネシア is not a word of its own; ＥＵ is EU after NFKC, and the
        // range is of the full-width letters as written.
        assert_eq!(name_ranges(text, &["インド"]), vec![7..10]);
        assert_eq!(words(text, &name_ranges(text, &["EU"])), ["ＥＵ"]);
        // Half-width kana with separate voicing marks: ｶﾞﾎﾞﾝ is ガボン, five characters as written.
        assert_eq!(name_ranges(text, &["ガボン"]), vec![22..27]);
        assert!(name_ranges(text, &["", "  "]).is_empty());
        // Overlapping names merge.
        assert_eq!(name_ranges("米国時間", &["米国", "国時"]), vec![0..3]);
    }

    #[test]
    fn a_node_is_a_mention_exactly_where_it_has_ranges() {
        let (corpus, p) = embedded();
        for (r, part) in p.rows.iter().enumerate() {
            let names = part.names();
            let wanted: Vec<String> = names.iter().map(|n| n.trim().nfkc().collect()).collect();
            for (node, n) in corpus.iter_nodes() {
                let ranges = p.name_ranges(&corpus, r, node);
                assert_eq!(
                    !ranges.is_empty(),
                    part.mentions.contains(&node),
                    "{} in {}",
                    part.ja,
                    n.id
                );
                for w in words(&n.text, &ranges) {
                    let w: String = w.nfkc().collect();
                    assert!(
                        wanted.iter().any(|n| w.contains(n.as_str())),
                        "{w} is not a name of {}",
                        part.ja
                    );
                }
            }
        }
        assert!(
            p.name_ranges(&corpus, 999, NodeRef { doc: 0, node: 0 })
                .is_empty()
        );
        let r = p.rows.iter().position(|x| x.ja == "日本").expect("日本");
        assert!(
            p.name_ranges(&corpus, r, NodeRef { doc: 9, node: 0 })
                .is_empty()
        );
    }

    #[test]
    fn jamo_make_one_syllable() {
        let mut spans = Vec::new();
        let chars = nfkc_chars("\u{1100}\u{1161}\u{11A8}が", Some(&mut spans));
        assert_eq!(chars, ['\u{AC01}', 'が']);
        assert_eq!(spans, [0..3, 3..4]);
    }

    /// Characters that compose, reorder or change under NFKC, next to ones that do not.
    fn nfkc_alphabet() -> impl Strategy<Value = String> {
        let chars: Vec<char> = "かカｶﾞﾟ\u{3099}\u{309A}は\u{1100}\u{1161}\u{11A8}\u{AC00}e\u{301}\u{323}\u{300}Åｱ①㈱ＡA 　・ー"
            .chars()
            .collect();
        proptest::collection::vec(proptest::sample::select(chars), 0..12)
            .prop_map(|v| v.into_iter().collect())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        /// NFKC chunk by chunk is NFKC of the whole (a Hangul final jamo after a vowel once
        /// started a chunk of its own), and every character maps to original characters.
        #[test]
        fn chunked_nfkc_is_nfkc(text in nfkc_alphabet()) {
            let mut spans = Vec::new();
            let chars = nfkc_chars(&text, Some(&mut spans));
            prop_assert_eq!(chars.iter().collect::<String>(), text.nfkc().collect::<String>());
            prop_assert_eq!(spans.len(), chars.len());
            let n = text.chars().count();
            for s in &spans {
                prop_assert!(s.start < s.end && s.end <= n);
            }
        }

        #[test]
        fn ranges_find_what_the_finder_finds(text in nfkc_alphabet(), name in nfkc_alphabet()) {
            let ranges = name_ranges(&text, &[&name]);
            let normal: Vec<char> = text.nfkc().collect();
            let found = needles(&[&name]).iter().any(|n| word_starts(&normal, n).next().is_some());
            prop_assert_eq!(!ranges.is_empty(), found);
            let n = text.chars().count();
            for r in &ranges {
                prop_assert!(r.start < r.end && r.end <= n);
            }
        }
    }
}
