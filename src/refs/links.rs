//! Cross-references found by rule in a node's text: annexes (`附属文書I`, `附属文書Ⅱ`, `別添`),
//! notes (`脚注1`, `(注2)`), paragraphs (`第3項`, `パラ3`), sections (`第Ⅶ章`, `セクション3`) of
//! the same document, and the other loaded documents where the text names them.
//!
//! A document's names are read from the document itself: its title; the name its title quotes
//! (`「カウンターランサムウェア・イニシアティブ会合」への参加` → the quoted name, and without
//! the word for the meeting, `カウンターランサムウェア・イニシアティブ`); that name with the
//! kanji prefix the document itself writes before it (`国際カウンターランサムウェア・…`); and
//! the acronym the document defines for it (`…イニシアティブ(CRI)`). Only names of four or
//! more characters (acronyms: two or more capitals) are used.

use std::ops::Range;

use super::scan::{
    digits_at, ends_with, is_kanji, joins, label_value, number_at, starts_with, word_at,
};
use crate::corpus::{ANNEX_WORDS, Corpus, Document, NodeKind, NodeRef};

/// Words after `第N` that make it a paragraph.
const PARAGRAPH_AFTER: [&str; 3] = ["パラグラフ", "段落", "項"];
/// Words before `N` that make it a paragraph.
const PARAGRAPH_BEFORE: [&str; 3] = ["パラグラフ", "パラ", "段落"];
/// Words after `第N` that make it a section.
const SECTION_AFTER: [&str; 3] = ["セクション", "章", "節"];
/// Words before `N` that make it a section.
const SECTION_BEFORE: [&str; 1] = ["セクション"];
/// The words for a meeting that a quoted title may end with (`「…会合」への参加`).
const MEETING_WORDS: [&str; 3] = ["会合", "会議", "サミット"];

/// Where a link goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    /// A node of the corpus.
    Node(NodeRef),
    /// A whole document (by index).
    Document(usize),
    /// An annex of which the text holds only the title: following it shows the heading and
    /// says so.
    TitleOnly(NodeRef),
}

impl Target {
    /// The id a link goes to (`g7:annex-I`, `cri`).
    #[must_use]
    pub fn id(self, corpus: &Corpus) -> String {
        match self {
            Self::Node(r) | Self::TitleOnly(r) => corpus.node(r).id.clone(),
            Self::Document(d) => corpus.documents[d].id.clone(),
        }
    }

    /// The node or document to show.
    #[must_use]
    pub fn resolved(self) -> crate::corpus::Resolved {
        match self {
            Self::Node(r) | Self::TitleOnly(r) => crate::corpus::Resolved::Node(r),
            Self::Document(d) => crate::corpus::Resolved::Document(d),
        }
    }

    /// What to tell the reader on arrival, if anything: `annex I: only its title is in this
    /// text`.
    #[must_use]
    pub fn note(self, corpus: &Corpus) -> Option<String> {
        match self {
            Self::TitleOnly(r) => {
                let n = corpus.node(r);
                let name = match n.label() {
                    Some(l) if label_value(l).is_some() => format!("annex {l}"),
                    Some(l) => l.to_string(),
                    None => "annex".to_string(),
                };
                Some(format!("{name}: only its title is in this text"))
            }
            _ => None,
        }
    }
}

/// One cross-reference in a node's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// Character offsets into the node's text, `[start, end)`.
    pub range: Range<usize>,
    /// The text of the link, as written.
    pub text: String,
    pub target: Target,
}

/// The names by which each document can be referred to from another (see the module docs), and
/// what a reference inside each document can point at, by label.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocNames {
    /// Per document: its names as characters, longest first.
    names: Vec<Vec<Vec<char>>>,
    /// Per document: its annexes, notes, paragraphs and sections by label.
    targets: Vec<Labels>,
}

/// The first node of each kind and label in one document: what `附属文書Ⅱ`, `注2`, `第3項` and
/// `第Ⅰ章` point at. Built in one pass over the document, so finding a link's target does not
/// read the document again (a reference in every paragraph of a large file made that a pass
/// over the document per reference).
///
/// Kept as sorted node indices, not maps of labels: a large file has a label per paragraph
/// (37,000 at 1000x), and a map of `String`s was 3 MB where these are 4 bytes a label. A
/// label is read back from its node ([`Node::label`](crate::corpus::Node::label)) to compare.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Labels {
    /// Annexes by the value of their label (`I`, `Ⅱ`, `1`): (value, node), by value.
    annex_value: Vec<(u32, u32)>,
    /// Annexes by their label as written (`別添`): nodes, by label.
    annex_word: Vec<u32>,
    /// Notes by label (`注1`): nodes, by label.
    note: Vec<u32>,
    /// Paragraphs by label (`23`): nodes, by label.
    paragraph: Vec<u32>,
    /// Sections by the value of their label (`VII`): (value, node), by value.
    section: Vec<(u32, u32)>,
}

/// What a reference asks its document's [`Labels`] for.
#[derive(Debug, Clone, Copy)]
enum Want<'a> {
    AnnexValue(u32),
    AnnexWord(&'a str),
    Note(&'a str),
    Paragraph(&'a str),
    Section(u32),
}

impl Labels {
    fn of(doc: &Document) -> Self {
        let mut l = Self::default();
        for (i, n) in doc.nodes.iter().enumerate() {
            let (Some(label), Ok(i)) = (n.label(), u32::try_from(i)) else {
                continue;
            };
            match n.kind {
                NodeKind::Annex => {
                    if let Some(v) = label_value(label) {
                        l.annex_value.push((v, i));
                    }
                    l.annex_word.push(i);
                }
                NodeKind::Note => l.note.push(i),
                NodeKind::Paragraph => l.paragraph.push(i),
                NodeKind::Section => {
                    if let Some(v) = label_value(label) {
                        l.section.push((v, i));
                    }
                }
                _ => {}
            }
        }
        // The first node of each value or label: sorted stably, so that of equal keys the
        // first in the document comes first, and the rest dropped.
        for by_value in [&mut l.annex_value, &mut l.section] {
            by_value.sort_by_key(|&(v, _)| v);
            by_value.dedup_by_key(|&mut (v, _)| v);
            by_value.shrink_to_fit();
        }
        let label = |i: u32| doc.nodes.get(i as usize).and_then(|n| n.label());
        for by_label in [&mut l.annex_word, &mut l.note, &mut l.paragraph] {
            by_label.sort_by(|&a, &b| label(a).cmp(&label(b)));
            by_label.dedup_by(|a, b| label(*a) == label(*b));
            by_label.shrink_to_fit();
        }
        l
    }

    /// The node `want` names in `doc` (the document these labels were built from).
    fn find(&self, doc: &Document, want: Want<'_>) -> Option<usize> {
        let by_value = |list: &[(u32, u32)], v: u32| {
            list.binary_search_by_key(&v, |&(k, _)| k)
                .ok()
                .map(|k| list[k].1 as usize)
        };
        let by_label = |list: &[u32], l: &str| {
            let label = |i: u32| doc.nodes.get(i as usize).and_then(|n| n.label());
            list.binary_search_by(|&i| label(i).cmp(&Some(l)))
                .ok()
                .map(|k| list[k] as usize)
        };
        match want {
            Want::AnnexValue(v) => by_value(&self.annex_value, v),
            Want::Section(v) => by_value(&self.section, v),
            Want::AnnexWord(w) => by_label(&self.annex_word, w),
            Want::Note(n) => by_label(&self.note, n),
            Want::Paragraph(p) => by_label(&self.paragraph, p),
        }
    }
}

impl DocNames {
    #[must_use]
    pub fn new(corpus: &Corpus) -> Self {
        Self {
            names: corpus.documents.iter().map(names_of).collect(),
            targets: corpus.documents.iter().map(Labels::of).collect(),
        }
    }

    /// The first node of document `d` of `corpus` (the one these names were built from)
    /// that `want` names.
    fn first(&self, corpus: &Corpus, d: usize, want: Want<'_>) -> Option<NodeRef> {
        let node = self.targets.get(d)?.find(corpus.documents.get(d)?, want)?;
        Some(NodeRef { doc: d, node })
    }

    /// The names of document `d`, longest first.
    #[must_use]
    pub fn of(&self, d: usize) -> Vec<String> {
        self.names
            .get(d)
            .map(|ns| ns.iter().map(|n| n.iter().collect()).collect())
            .unwrap_or_default()
    }
}

fn names_of(doc: &Document) -> Vec<Vec<char>> {
    let mut names: Vec<Vec<char>> = Vec::new();
    let title: Vec<char> = doc.title.trim().chars().collect();
    let push = |n: Vec<char>, names: &mut Vec<Vec<char>>| {
        let latin = n.iter().all(|&c| c.is_ascii_uppercase());
        if (n.len() >= 4 || (latin && n.len() >= 2)) && !names.contains(&n) {
            names.push(n);
        }
    };
    let quoted = match (
        title.iter().position(|&c| c == '「'),
        title.iter().position(|&c| c == '」'),
    ) {
        (Some(a), Some(b)) if a < b => Some(title[a + 1..b].to_vec()),
        _ => None,
    };
    push(
        title
            .iter()
            .copied()
            .filter(|&c| c != '「' && c != '」')
            .collect(),
        &mut names,
    );
    if let Some(q) = quoted {
        push(q.clone(), &mut names);
        let len = q.len();
        if let Some(w) = MEETING_WORDS.iter().find(|w| ends_with(&q, len, w)) {
            let core = q[..len - w.chars().count()].to_vec();
            // The core's variants and acronym, as the document itself writes them.
            let mut extra = Vec::new();
            for n in &doc.nodes {
                let t: Vec<char> = n.text.chars().collect();
                for at in find_all(&t, &core) {
                    let mut s = at;
                    while s > 0 && is_kanji(t[s - 1]) && at - s < 4 {
                        s -= 1;
                    }
                    // Each once: a large file writes the name thousands of times.
                    if s < at && (s == 0 || !is_kanji(t[s - 1])) {
                        let v = &t[s..at + core.len()];
                        if !extra.iter().any(|e: &Vec<char>| e == v) {
                            extra.push(v.to_vec());
                        }
                    }
                    if let Some(acr) = bracketed_acronym(&t, at + core.len())
                        && !extra.contains(&acr)
                    {
                        extra.push(acr);
                    }
                }
            }
            push(core, &mut names);
            for e in extra {
                push(e, &mut names);
            }
        }
    }
    names.sort_by_key(|n| std::cmp::Reverse(n.len()));
    names
}

/// `(CRI)` or `（CRI）` at `at`: the capitals inside.
fn bracketed_acronym(t: &[char], at: usize) -> Option<Vec<char>> {
    let open = *t.get(at)?;
    if open != '(' && open != '（' {
        return None;
    }
    let close = t[at + 1..].iter().position(|&c| c == ')' || c == '）')? + at + 1;
    let inner: Vec<char> = t[at + 1..close]
        .iter()
        .copied()
        .filter(|&c| c != ' ')
        .collect();
    (inner.len() >= 2 && inner.iter().all(char::is_ascii_uppercase)).then_some(inner)
}

fn find_all(hay: &[char], needle: &[char]) -> Vec<usize> {
    if needle.is_empty() || needle.len() > hay.len() {
        return Vec::new();
    }
    (0..=hay.len() - needle.len())
        .filter(|&i| hay[i..i + needle.len()] == *needle)
        .collect()
}

/// Whether a match of `name` at `range` stands as a word: a name that starts (ends) with
/// katakana is not preceded (followed) by katakana, one that starts (ends) with a Latin letter
/// not by a Latin letter.
fn stands_alone(t: &[char], range: &Range<usize>) -> bool {
    let before = range.start.checked_sub(1).and_then(|p| t.get(p));
    !before.is_some_and(|&b| joins(b, t[range.start]))
        && !t
            .get(range.end)
            .is_some_and(|&a| joins(t[range.end - 1], a))
}

fn annex_target(
    corpus: &Corpus,
    names: &DocNames,
    d: usize,
    value: Option<u32>,
    word: Option<&str>,
) -> Option<Target> {
    let want = match (value, word) {
        (Some(v), _) => Want::AnnexValue(v),
        (None, Some(w)) => Want::AnnexWord(w),
        (None, None) => return None,
    };
    let r = names.first(corpus, d, want)?;
    Some(if corpus.node(r).children.is_empty() {
        Target::TitleOnly(r)
    } else {
        Target::Node(r)
    })
}

/// A reference to the same document at `i`: its length in characters and its target.
fn local_ref(
    corpus: &Corpus,
    names: &DocNames,
    at: NodeRef,
    t: &[char],
    i: usize,
) -> Option<(usize, Target)> {
    let d = at.doc;
    // Annexes, by the words the parser reads annex headings by: with a number (附属文書I,
    // 附属文書Ⅱ, 附属書１) the annex of that number, without one (別添) the annex so labelled.
    if let Some(w) = word_at(t, i, &ANNEX_WORDS) {
        let after = i + w.chars().count();
        return match number_at(t, after) {
            Some((v, n)) => Some((
                after + n - i,
                annex_target(corpus, names, d, Some(v), None)?,
            )),
            None => Some((after - i, annex_target(corpus, names, d, None, Some(w))?)),
        };
    }
    // Notes: 脚注1, and 注1 where 注 is not the end of a word (注視, 受注).
    let note_len = if starts_with(t, i, "脚注") {
        Some(2)
    } else if t.get(i) == Some(&'注') && !(i > 0 && is_kanji(t[i - 1])) {
        Some(1)
    } else {
        None
    };
    if let Some(len) = note_len
        && let Some((v, n)) = digits_at(t, i + len)
    {
        let label = format!("注{v}");
        let r = names.first(corpus, d, Want::Note(&label))?;
        return Some((len + n, Target::Node(r)));
    }
    // 第N項, 第N章 and friends.
    if t.get(i) == Some(&'第')
        && let Some((v, n)) = number_at(t, i + 1)
    {
        let after = i + 1 + n;
        if let Some(w) = word_at(t, after, &PARAGRAPH_AFTER) {
            return Some((
                after + w.chars().count() - i,
                paragraph(corpus, names, d, v)?,
            ));
        }
        if let Some(w) = word_at(t, after, &SECTION_AFTER) {
            return Some((after + w.chars().count() - i, section(corpus, names, d, v)?));
        }
        return None;
    }
    // パラN, セクションN.
    if let Some(w) = word_at(t, i, &PARAGRAPH_BEFORE) {
        let after = i + w.chars().count();
        let (v, n) = digits_at(t, after)?;
        return Some((after + n - i, paragraph(corpus, names, d, v)?));
    }
    if let Some(w) = word_at(t, i, &SECTION_BEFORE) {
        let after = i + w.chars().count();
        let (v, n) = number_at(t, after)?;
        return Some((after + n - i, section(corpus, names, d, v)?));
    }
    None
}

fn paragraph(corpus: &Corpus, names: &DocNames, d: usize, v: u32) -> Option<Target> {
    let want = v.to_string();
    names
        .first(corpus, d, Want::Paragraph(&want))
        .map(Target::Node)
}

fn section(corpus: &Corpus, names: &DocNames, d: usize, v: u32) -> Option<Target> {
    names.first(corpus, d, Want::Section(v)).map(Target::Node)
}

/// Every link in the text of node `at`, in text order, none overlapping.
#[must_use]
pub fn links_of(corpus: &Corpus, names: &DocNames, at: NodeRef) -> Vec<Link> {
    let Some(node) = corpus
        .documents
        .get(at.doc)
        .and_then(|d| d.nodes.get(at.node))
    else {
        return Vec::new();
    };
    let t: Vec<char> = node.text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < t.len() {
        let found =
            local_ref(corpus, names, at, &t, i).or_else(|| other_document(names, at.doc, &t, i));
        match found {
            Some((len, target)) if len > 0 && i + len <= t.len() => {
                let range = i..i + len;
                out.push(Link {
                    text: t[range.clone()].iter().collect(),
                    range,
                    target,
                });
                i += len;
            }
            _ => i += 1,
        }
    }
    out
}

fn other_document(names: &DocNames, own: usize, t: &[char], i: usize) -> Option<(usize, Target)> {
    names
        .names
        .iter()
        .enumerate()
        .filter(|&(d, _)| d != own)
        .flat_map(|(d, ns)| ns.iter().map(move |n| (d, n)))
        .filter(|(_, n)| i + n.len() <= t.len() && t[i..i + n.len()] == ***n)
        .filter(|(_, n)| stands_alone(t, &(i..i + n.len())))
        .max_by_key(|(_, n)| n.len())
        .map(|(d, n)| (n.len(), Target::Document(d)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::load_bytes;

    /// A corpus of two small documents of the same kind.
    fn corpus(a: &str, b: &str) -> Corpus {
        Corpus {
            documents: vec![
                load_bytes("a", "a.txt", a.as_bytes()).expect("a"),
                load_bytes("b", "b.txt", b.as_bytes()).expect("b"),
            ],
        }
    }

    fn links(c: &Corpus, id: &str) -> Vec<(String, String)> {
        let names = DocNames::new(c);
        let r = c.find_id(id).expect(id);
        links_of(c, &names, r)
            .into_iter()
            .map(|l| (l.text, l.target.id(c)))
            .collect()
    }

    const A: &str = "Aの声明\n\n1. 我々は、附属文書Iに示された措置を促進する。\n2. 附属文書Ⅱ及び附属文書１、並びに附属書２に沿って、第1項及びパラ2、第Ⅰ章を想起する。\n3. 脚注1と(注2)と注視と受注1件。\n\nI. 前文\n\n4. 国際テスト・イニシアティブ及びTI等を通じて。\n\n附属文書Ⅰ：テスト\n\n附属文書Ⅱ：その二\n\n(注1) 一。\n\n(注2) 二。\n";
    const B: &str = "「テスト・イニシアティブ会合」への参加\n\n- 1 国際テスト・イニシアティブ(TI)会合は、行われました。\n- 2 別添を見よ。\n\n## (別添) 概要\n\n### 1 項目\n";

    #[test]
    fn annexes_in_both_alphabets_and_digits() {
        let c = corpus(A, B);
        assert_eq!(
            links(&c, "a:1"),
            [("附属文書I".to_string(), "a:annex-I".to_string())]
        );
        let l = links(&c, "a:2");
        assert_eq!(
            l,
            [
                ("附属文書Ⅱ", "a:annex-II"),
                ("附属文書１", "a:annex-I"),
                ("附属書２", "a:annex-II"),
                ("第1項", "a:1"),
                ("パラ2", "a:2"),
                ("第Ⅰ章", "a:I"),
            ]
            .map(|(a, b)| (a.to_string(), b.to_string()))
        );
    }

    #[test]
    fn notes_but_not_words_ending_in_chu() {
        let c = corpus(A, B);
        assert_eq!(
            links(&c, "a:3"),
            [("脚注1", "a:note-1"), ("注2", "a:note-2")]
                .map(|(a, b)| (a.to_string(), b.to_string()))
        );
    }

    #[test]
    fn the_other_document_by_the_names_it_gives_itself() {
        let c = corpus(A, B);
        assert_eq!(
            DocNames::new(&c).of(1),
            [
                "テスト・イニシアティブ会合への参加",
                "テスト・イニシアティブ会合",
                "国際テスト・イニシアティブ",
                "テスト・イニシアティブ",
                "TI",
            ]
        );
        assert_eq!(
            links(&c, "a:4"),
            [("国際テスト・イニシアティブ", "b"), ("TI", "b")]
                .map(|(a, b)| (a.to_string(), b.to_string()))
        );
        // A document's own names are not links.
        assert!(links(&c, "b:1").is_empty());
        assert_eq!(
            links(&c, "b:2"),
            [("別添".to_string(), "b:annex".to_string())]
        );
    }

    #[test]
    fn an_annex_without_a_body_says_so() {
        let c = corpus(A, B);
        let names = DocNames::new(&c);
        let l = links_of(&c, &names, c.find_id("a:1").expect("a:1"));
        assert_eq!(
            l[0].target.note(&c).as_deref(),
            Some("annex I: only its title is in this text")
        );
        let l = links_of(&c, &names, c.find_id("b:2").expect("b:2"));
        assert_eq!(l[0].target.note(&c), None, "the CRI-style annex has a body");
    }

    #[test]
    fn full_width_numerals_and_kanji_chapters() {
        let c = corpus(
            "T\n\nI. 前文\n\n1. 脚注１、（注２）、第１項、パラグラフ１、第一章、セクションⅠ、附属書Ｉ。\n\n附属書I：題\n\n(注1) 一。\n\n(注2) 二。\n",
            B,
        );
        assert_eq!(
            links(&c, "a:1"),
            [
                ("脚注１", "a:note-1"),
                ("注２", "a:note-2"),
                ("第１項", "a:1"),
                ("パラグラフ１", "a:1"),
                ("第一章", "a:I"),
                ("セクションⅠ", "a:I"),
                ("附属書Ｉ", "a:annex-I"),
            ]
            .map(|(a, b)| (a.to_string(), b.to_string()))
        );
    }

    #[test]
    fn references_to_what_does_not_exist_are_not_links() {
        let c = corpus(
            "T\n\n1. 附属文書Ⅲ、第9項、注7、セクション4、第3回会合。\n",
            B,
        );
        assert!(links(&c, "a:1").is_empty());
    }
}
