//! Where a participant is mentioned: the nodes whose text has one of its names as a word of
//! its own.

use unicode_normalization::UnicodeNormalization;

use super::names::is_katakana_like;
use crate::corpus::{Corpus, NodeRef};

/// Whether `needle` occurs in `text` as a word of its own: a name that starts (ends) with
/// katakana must not be preceded (followed) by katakana, and one that starts (ends) with a
/// Latin letter or digit must not be preceded (followed) by one.
fn contains_word(text: &[char], needle: &[char]) -> bool {
    let (Some(&first), Some(&last)) = (needle.first(), needle.last()) else {
        return false;
    };
    if needle.len() > text.len() {
        return false;
    }
    let joins = |edge: char, neighbour: Option<&char>| -> bool {
        neighbour.is_some_and(|&n| {
            (is_katakana_like(edge) && is_katakana_like(n))
                || (edge.is_ascii_alphanumeric() && n.is_ascii_alphanumeric())
        })
    };
    (0..=text.len() - needle.len()).any(|i| {
        text[i..i + needle.len()] == *needle
            && !joins(first, i.checked_sub(1).and_then(|p| text.get(p)))
            && !joins(last, text.get(i + needle.len()))
    })
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

pub(super) fn normalised_texts(corpus: &Corpus) -> Vec<(NodeRef, Vec<char>)> {
    corpus
        .iter_nodes()
        .map(|(r, n)| (r, n.text.nfkc().collect()))
        .collect()
}

pub(super) fn mentions_in(texts: &[(NodeRef, Vec<char>)], names: &[&str]) -> Vec<NodeRef> {
    let needles: Vec<Vec<char>> = names
        .iter()
        .map(|n| n.trim().nfkc().collect::<Vec<char>>())
        .filter(|n| !n.is_empty())
        .collect();
    texts
        .iter()
        .filter(|(_, text)| needles.iter().any(|n| contains_word(text, n)))
        .map(|(r, _)| *r)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::parse_document;
    use crate::participants::fixtures::*;

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
}
