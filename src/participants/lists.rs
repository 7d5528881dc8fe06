//! Finding the two lists in the corpus by general rules, never by node id: a node whose text
//! splits into names, the total stated for it, and which list is the meeting's (A) and which the
//! statement's (B).

use unicode_normalization::UnicodeNormalization;

use super::names::is_hiragana;
use crate::corpus::{Corpus, Document, NodeRef};

/// Fewer items than this is not a list of names.
pub(super) const MIN_LIST_ITEMS: usize = 5;
/// A name longer than this (in characters) is not a name.
const MAX_NAME_CHARS: usize = 20;
/// A node that states a count is short.
const MAX_COUNT_NODE_CHARS: usize = 120;

/// How a stated count is introduced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CountMark {
    /// `計50か国・機関`
    Total,
    /// `注：47か国・機関`
    Note,
    /// `50か国`
    Plain,
}

/// A count of countries stated in a text (`計50か国・機関`, `（注：47か国・機関）`, `５０カ国`).
fn find_count(text: &str) -> Option<(usize, CountMark)> {
    const COUNTERS: [&str; 6] = ["か国", "カ国", "ヶ国", "ヵ国", "ケ国", "箇国"];
    let chars: Vec<char> = text.nfkc().collect();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && chars[i].is_ascii_digit() {
            i += 1;
        }
        let digits: String = chars[start..i].iter().collect();
        let mut j = i;
        while j < chars.len() && chars[j] == ' ' {
            j += 1;
        }
        let after: String = chars[j..chars.len().min(j + 2)].iter().collect();
        if COUNTERS.contains(&after.as_str())
            && let Ok(n) = digits.parse::<usize>()
        {
            let before: String = chars[start.saturating_sub(4)..start].iter().collect();
            let mark = if before.contains('計') {
                CountMark::Total
            } else if before.contains('注') {
                CountMark::Note
            } else {
                CountMark::Plain
            };
            return Some((n, mark));
        }
    }
    None
}

/// Opening and closing brackets that may wrap a name.
const BRACKETS: [(char, char); 8] = [
    ('「', '」'),
    ('『', '』'),
    ('【', '】'),
    ('〔', '〕'),
    ('(', ')'),
    ('（', '）'),
    ('[', ']'),
    ('“', '”'),
];

/// Punctuation that ends a list or separates its items and is never part of a name.
fn is_list_punct(c: char) -> bool {
    c.is_whitespace() || matches!(c, '。' | '、' | '，' | ',' | '．' | '"' | '\'')
}

/// A name without the punctuation around it: spaces, `。`/`、`, quotes, a pair of brackets
/// around the whole name (`「日本」`), or a bracket whose partner is not in the name (the `（`
/// left over from a cut count). Brackets inside a name (`コンゴ(民主共和国)`) stay.
fn strip_wrapping(mut s: &str) -> &str {
    loop {
        let t = s.trim_matches(is_list_punct);
        let (Some(first), Some(last)) = (t.chars().next(), t.chars().last()) else {
            return t;
        };
        // The partner of a bracket, and whether it is the opening one.
        let partner = |c: char| {
            BRACKETS.iter().find_map(|&(o, cl)| {
                if c == o {
                    Some((cl, true))
                } else if c == cl {
                    Some((o, false))
                } else {
                    None
                }
            })
        };
        let (fl, ll) = (first.len_utf8(), last.len_utf8());
        let stripped = match (partner(first), partner(last)) {
            (Some((p, true)), _) if p == last && t.len() > fl => &t[fl..t.len() - ll],
            (Some((p, _)), _) if !t.contains(p) => &t[fl..],
            (_, Some((p, _))) if !t.contains(p) => &t[..t.len() - ll],
            _ => t,
        };
        if stripped.len() == s.len() {
            return stripped;
        }
        s = stripped;
    }
}

/// The names of a list, and the count stated inside it.
type ParsedList = (Vec<String>, Option<(usize, CountMark)>);

/// A list of names in a node's text: the names, and a count stated inside the node (a trailing
/// parenthesised `（注：47か国・機関）`). `None` when the text is not such a list.
///
/// The rule: after removing a trailing parenthesised count, the final `。`/`、` and an
/// introduction ending in a colon (`参加国：`), the text splits on `、` into at least
/// [`MIN_LIST_ITEMS`] items, each of which is a name: at most [`MAX_NAME_CHARS`] characters,
/// without sentence punctuation (`。！？：「」`), and not ending in hiragana (particles and verb
/// endings do: `我々は`, `…を支持する`).
fn parse_list(text: &str) -> Option<ParsedList> {
    // Cheap rejections first: a list has several 、 and no sentence ending inside it (a full
    // stop may only close a bracketed count at the very end).
    text.matches('、').nth(3)?;
    if let Some(stop) = text.find('。') {
        let rest = &text[stop + '。'.len_utf8()..];
        if rest
            .chars()
            .any(|c| !matches!(c, ')' | '）' | '。' | ' ' | '\n'))
        {
            return None;
        }
    }
    let flat = text.replace(['\n', '\r'], " ");
    let mut body = flat.trim().trim_end_matches(['。', '、', ' ', '\u{3000}']);
    let mut count = None;
    if body.ends_with([')', '）'])
        && let Some(open) = body.rfind(['(', '（'])
    {
        let group = &body[open..];
        let inner = group
            .trim_start_matches(['(', '（'])
            .trim_end_matches([')', '）'])
            .trim();
        let found = find_count(inner);
        if found.is_some() || inner.starts_with(['注', '計']) {
            count = found;
            body = body[..open].trim_end();
        }
    }
    let body = strip_wrapping(body);
    // An introduction ending in a colon before the first name: `参加国：アルバニア、…`.
    let first_end = body.find('、').unwrap_or(body.len());
    let body = match body[..first_end].rfind(['：', ':']) {
        Some(colon) => &body[colon + body[colon..].chars().next().map_or(1, char::len_utf8)..],
        None => body,
    };
    let items: Vec<String> = body
        .split(['、', '，'])
        .map(|s| strip_wrapping(s).to_string())
        .filter(|s| !s.is_empty())
        .collect();
    let is_name = |s: &String| {
        s.chars().count() <= MAX_NAME_CHARS
            && !s.contains([
                '。', '！', '？', '!', '?', '：', ':', '「', '」', '『', '』',
            ])
            && !s.chars().last().is_some_and(is_hiragana)
    };
    (items.len() >= MIN_LIST_ITEMS && items.iter().all(is_name)).then_some((items, count))
}

/// A list of names found in the corpus, with what its context says about it.
#[derive(Debug, Clone)]
pub(super) struct FoundList {
    pub(super) node: NodeRef,
    pub(super) names: Vec<String>,
    pub(super) stated: Option<usize>,
    pub(super) count_node: Option<NodeRef>,
    mark: Option<CountMark>,
    /// In a note (`(注1)`) or counted as a note (`注：47か国`).
    in_note: bool,
    /// The nearest heading mentions 参加 (`参加国・機関`).
    under_participants_heading: bool,
}

fn siblings(doc: &Document, idx: usize) -> &[usize] {
    match doc.nodes.get(idx).and_then(|n| n.parent) {
        Some(p) => doc.nodes.get(p).map_or(&[][..], |n| &n.children[..]),
        None => &doc.roots[..],
    }
}

pub(super) fn find_lists(corpus: &Corpus) -> Vec<FoundList> {
    let mut out = Vec::new();
    for (d, doc) in corpus.documents.iter().enumerate() {
        for (idx, node) in doc.nodes.iter().enumerate() {
            if node.kind.is_heading() || node.kind.is_header() {
                continue;
            }
            let Some((names, inline)) = parse_list(&node.text) else {
                continue;
            };
            let here = NodeRef { doc: d, node: idx };
            let heading = doc
                .section_of(idx)
                .and_then(|h| doc.nodes.get(h).map(|n| (n, NodeRef { doc: d, node: h })));
            // Where the total is stated: in the node, in the short node that follows it, or in
            // the heading.
            let sibs = siblings(doc, idx);
            let next = sibs
                .iter()
                .position(|&s| s == idx)
                .and_then(|p| sibs.get(p + 1))
                .and_then(|&s| doc.nodes.get(s).map(|n| (s, n)))
                .filter(|(_, n)| n.text.chars().count() <= MAX_COUNT_NODE_CHARS);
            let (count, count_node) = if let Some(c) = inline {
                (Some(c), Some(here))
            } else if let Some((c, s)) = next.and_then(|(s, n)| find_count(&n.text).map(|c| (c, s)))
            {
                (Some(c), Some(NodeRef { doc: d, node: s }))
            } else if let Some((c, r)) =
                heading.and_then(|(h, r)| find_count(&h.text).map(|c| (c, r)))
            {
                (Some(c), Some(r))
            } else {
                (None, None)
            };
            let label_is_note = node
                .label()
                .is_some_and(|l| l.starts_with('注') || l.starts_with("脚注"));
            let mark = count.map(|(_, m)| m);
            out.push(FoundList {
                node: here,
                names,
                stated: count.map(|(n, _)| n),
                count_node,
                mark,
                in_note: label_is_note || mark == Some(CountMark::Note),
                under_participants_heading: heading.is_some_and(|(h, _)| h.text.contains("参加")),
            });
        }
    }
    out
}

/// Picks list A (the meeting) and list B (the statement) among the lists found.
pub(super) fn pick_lists(lists: &[FoundList]) -> (Option<&FoundList>, Option<&FoundList>) {
    let a = lists
        .iter()
        .find(|l| !l.in_note && l.under_participants_heading)
        .or_else(|| {
            lists
                .iter()
                .find(|l| !l.in_note && l.mark == Some(CountMark::Total))
        });
    let b = lists
        .iter()
        .find(|l| l.in_note && a.is_none_or(|a| a.node != l.node));
    (a, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_rule() {
        assert!(parse_list("我々は、自由、民主主義、法の支配、人権を支持する。").is_none());
        assert!(
            parse_list("アルバニア、カナダ、日本。").is_none(),
            "too few"
        );
        let (names, count) =
            parse_list("参加国：「アルバニア」、カナダ、日本、ＥＵ、米国（計5か国・機関）。")
                .expect("list");
        assert_eq!(names, ["アルバニア", "カナダ", "日本", "ＥＵ", "米国"]);
        assert_eq!(count, Some((5, CountMark::Total)));
        let (names, count) =
            parse_list("「日本」、コンゴ(民主共和国)、（米国）、『英国』、カナダ、").expect("list");
        assert_eq!(
            names,
            ["日本", "コンゴ(民主共和国)", "米国", "英国", "カナダ"]
        );
        assert_eq!(count, None);
        assert_eq!(strip_wrapping("（"), "");
        assert_eq!(strip_wrapping(" 「EU」。"), "EU");
        assert_eq!(strip_wrapping("米国（"), "米国");
        assert_eq!(
            find_count("(計50か国・機関。アンダーラインは…)"),
            Some((50, CountMark::Total))
        );
        assert_eq!(
            find_count("（注：４７カ国・機関）"),
            Some((47, CountMark::Note))
        );
        assert_eq!(find_count("2023年に10か国"), Some((10, CountMark::Plain)));
        assert_eq!(find_count("99999999999999999999999か国"), None);
        assert_eq!(find_count("計か国"), None);
    }
}
