//! Documents the texts cite, found by rule:
//!
//! - **Dated**: a date (`2023年2月24日`, `令和5年11月2日`) followed by `付け` (or `付`) and a name
//!   that ends, within the clause, in a word for a document: 声明, 宣言, コミュニケ, 行動計画,
//!   行動呼び掛け, コール, 指針 (guiding principles), 規範 (a code of conduct)
//!   (`2023年11月8日付けG7外相声明`).
//! - **Named, without a date**: a compound noun ending in such a word that names something —
//!   it holds Latin letters, digits or katakana before the word (`G7広島首脳コミュニケ`,
//!   `クライストチャーチ・コール`, `ランサムウェア不払声明`), not `一連の声明` or `共同声明` —
//!   together with the modifiers joined to it by の, 及び, のための, と闘う, に関する, に対する
//!   (`2021年児童の性的搾取及び虐待と闘うG7行動計画`).
//!
//! The issuer is read from the name: a Latin group at the start of the name's last compound
//! (`G7`) and the office just before the document word (`首脳`, `外相`): `G7首脳`, `G7外相`,
//! or the group alone (`G7`). Annex headings and a document's title are the document itself,
//! not citations.

use std::collections::BTreeMap;
use std::ops::Range;

use super::Place;
use super::scan::{compound_start, ends_with, is_compound, is_katakana, is_latin, starts_with};
use crate::corpus::repair::find_date;
use crate::corpus::{Corpus, Date, NodeKind, NodeRef};

/// Words that end the name of a document, longest first.
const DOC_WORDS: [&str; 8] = [
    "行動呼び掛け",
    "コミュニケ",
    "行動計画",
    "コール",
    "声明",
    "宣言",
    "指針",
    "規範",
];

/// Offices a document word may follow in an issuer's name, longest first.
const OFFICES: [&str; 7] = [
    "外務大臣",
    "司法大臣",
    "首脳",
    "外相",
    "首相",
    "閣僚",
    "大臣",
];

/// Modifiers that join a name's parts, longest first.
const JOINERS: [&str; 7] = [
    "と闘うための",
    "のための",
    "に関する",
    "に対する",
    "と闘う",
    "及び",
    "の",
];

/// Characters that end a clause: a name never crosses them.
fn ends_clause(c: char) -> bool {
    "、。，．「」『』（）()：:；;！？!?\n".contains(c)
}

/// One citation found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub name: String,
    pub date: Option<Date>,
    pub issuer: Option<String>,
    /// Character offsets of the whole citation (date included) in the text.
    pub range: Range<usize>,
}

/// A cited document with every place it is cited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citation {
    pub name: String,
    pub date: Option<Date>,
    pub issuer: Option<String>,
    pub places: Vec<Place>,
}

/// The document word ending at or after `from`, within the clause: its end.
fn name_end(t: &[char], from: usize) -> Option<usize> {
    let mut i = from;
    while i < t.len() && !ends_clause(t[i]) && i - from < 80 {
        if let Some(w) = doc_word_at(t, i) {
            let end = i + w.chars().count();
            if !continues_noun(t, end) {
                return Some(end);
            }
        }
        i += 1;
    }
    None
}

/// The document word at `i`, if one starts there: a word in katakana (コール) does not start
/// inside a katakana word (アルコール).
fn doc_word_at(t: &[char], i: usize) -> Option<&'static str> {
    DOC_WORDS.iter().copied().find(|w| {
        starts_with(t, i, w) && !(w.starts_with(is_katakana) && i > 0 && is_katakana(t[i - 1]))
    })
}

/// A document word followed by more of a compound noun (`声明参加国`) is not a name's end.
/// A conjunction or 等 after it ends the name all the same.
fn continues_noun(t: &[char], end: usize) -> bool {
    t.get(end).is_some_and(|&c| is_compound(c) && c != '・')
        && !["及び", "並びに", "又は", "等"]
            .iter()
            .any(|w| starts_with(t, end, w))
}

/// The issuer a name states: see the module docs.
fn issuer_of(name: &[char]) -> Option<String> {
    let word = DOC_WORDS.iter().find(|w| ends_with(name, name.len(), w))?;
    let before = name.len() - word.chars().count();
    let start = compound_start(name, before);
    let head = &name[start..before];
    let group: String = head
        .iter()
        .take_while(|&&c| is_latin(c))
        .map(|&c| crate::corpus::repair::fullwidth_to_ascii(c))
        .collect();
    if group.is_empty() || !group.starts_with(|c: char| c.is_ascii_uppercase()) {
        return None;
    }
    let office = OFFICES.iter().find(|o| ends_with(head, head.len(), o));
    Some(match office {
        Some(o) => format!("{group}{o}"),
        None => group,
    })
}

/// Whether the compound before the document word names something (see the module docs).
fn names_something(t: &[char], start: usize, word_start: usize) -> bool {
    t[start..word_start]
        .iter()
        .any(|&c| is_latin(c) || (is_katakana(c) && c != 'ー'))
}

/// Extends a name backwards over modifiers joined by [`JOINERS`].
fn extend_back(t: &[char], mut start: usize) -> usize {
    loop {
        let Some(j) = JOINERS.iter().find(|j| ends_with(t, start, j)) else {
            return start;
        };
        let before = start - j.chars().count();
        let s = compound_start(t, before);
        if s == before {
            return start;
        }
        start = s;
    }
}

/// A document word right after `に関する` and a compound that names something, its okurigana
/// kept (`ランサムウェア不払いに関する声明`, the long form of `ランサムウェア不払声明`): where
/// the name starts.
fn about_start(t: &[char], word_start: usize) -> Option<usize> {
    const ABOUT: &str = "に関する";
    if !ends_with(t, word_start, ABOUT) {
        return None;
    }
    let mut end = word_start - ABOUT.chars().count();
    if end >= 2 && t[end - 1] == 'い' && super::scan::is_kanji(t[end - 2]) {
        end -= 1;
    }
    let start = compound_start(t, end);
    (start < end && names_something(t, start, end)).then_some(start)
}

/// What two names of one document share: the name without `に関する` and okurigana, so
/// `ランサムウェア不払いに関する声明` and `ランサムウェア不払声明` are one.
fn same_document(name: &str) -> String {
    name.replace("に関する", "")
        .chars()
        .filter(|&c| !super::scan::is_hiragana(c))
        .collect()
}

/// Every citation in one text, in text order.
#[must_use]
pub fn citations_in(text: &str) -> Vec<Found> {
    let t: Vec<char> = text.chars().collect();
    let mut out: Vec<Found> = Vec::new();
    // Dated citations.
    let mut byte = 0;
    while byte < text.len() {
        let Some((date, r)) = find_date(&text[byte..]) else {
            break;
        };
        let (ds, de) = (byte + r.start, byte + r.end);
        byte = de;
        let date_start = text[..ds].chars().count();
        let mut i = date_start + text[ds..de].chars().count();
        if starts_with(&t, i, "付け") {
            i += 2;
        } else if starts_with(&t, i, "付") {
            i += 1;
        } else {
            continue;
        }
        let Some(end) = name_end(&t, i) else { continue };
        let name: Vec<char> = t[i..end].to_vec();
        out.push(Found {
            issuer: issuer_of(&name),
            name: name.into_iter().collect(),
            date: Some(date),
            range: date_start..end,
        });
    }
    // Named documents without a date.
    let mut undated = Vec::new();
    for i in 0..t.len() {
        let Some(w) = doc_word_at(&t, i) else {
            continue;
        };
        let end = i + w.chars().count();
        if continues_noun(&t, end) || out.iter().any(|f| f.range.contains(&i)) {
            continue;
        }
        // The longest document word at this end (行動計画, not 計画).
        let mut start = compound_start(&t, i);
        if start == i
            && let Some(s) = about_start(&t, i)
        {
            start = s;
        } else if !names_something(&t, start, i) {
            continue;
        }
        let start = extend_back(&t, start);
        let start = super::scan::skip_ordinal(&t, start, i);
        let name: Vec<char> = t[start..end].to_vec();
        undated.push(Found {
            issuer: issuer_of(&name),
            name: name.into_iter().collect(),
            date: None,
            range: start..end,
        });
    }
    // コール inside 行動呼び掛け cannot happen, but a shorter word inside a longer name can
    // (声明 at the end of 共同声明 is the same end): keep one per end.
    undated.dedup_by_key(|f| f.range.end);
    out.extend(undated);
    out.sort_by_key(|f| f.range.start);
    out
}

/// Every cited document in the corpus: dated ones in date order, then the others in the order
/// they are first cited; each with every place it is cited, in reading order.
#[must_use]
pub fn citations(corpus: &Corpus) -> Vec<Citation> {
    let mut all: Vec<Citation> = Vec::new();
    // Each citation's position in `all`, by what makes two one (kept rather than made again
    // for every citation already found).
    let mut seen: BTreeMap<(String, Option<Date>), usize> = BTreeMap::new();
    for (r, node) in corpus.iter_nodes() {
        if node.kind == NodeKind::Annex || node.kind.is_header() {
            continue;
        }
        for f in citations_in(&node.text) {
            let place = Place {
                node: r,
                range: f.range.clone(),
            };
            let key = (same_document(&f.name), f.date);
            if let Some(c) = seen.get(&key).and_then(|&i| all.get_mut(i)) {
                // The compact form is the name (the annex's title writes it so).
                if f.name.chars().count() < c.name.chars().count() {
                    c.name = f.name;
                }
                c.places.push(place);
            } else {
                seen.insert(key, all.len());
                all.push(Citation {
                    name: f.name,
                    date: f.date,
                    issuer: f.issuer,
                    places: vec![place],
                });
            }
        }
    }
    // Stable: equal dates keep the order of first citation, undated come last.
    all.sort_by_key(|c| c.date.map_or((1, None), |d| (0, Some(d))));
    all
}

/// The nodes a citation is cited at.
#[must_use]
pub fn cited_nodes(c: &Citation) -> Vec<NodeRef> {
    let mut v: Vec<NodeRef> = c.places.iter().map(|p| p.node).collect();
    v.dedup();
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(String, Option<String>, Option<String>)> {
        citations_in(text)
            .into_iter()
            .map(|f| (f.name, f.date.map(Date::iso), f.issuer))
            .collect()
    }

    fn one(
        name: &str,
        date: Option<&str>,
        issuer: Option<&str>,
    ) -> (String, Option<String>, Option<String>) {
        (
            name.to_string(),
            date.map(str::to_string),
            issuer.map(str::to_string),
        )
    }

    #[test]
    fn dated_citations_from_the_communique() {
        let s = "表明した、2023年11月8日付けG7外相声明に加えて、2023年2月24日付けG7首脳声明、2023年5月19日付けウクライナに関するG7首脳声明、及び2023年12月6日付けG7首脳声明を想起し、再確認する。";
        assert_eq!(
            found(s),
            [
                one("G7外相声明", Some("2023-11-08"), Some("G7外相")),
                one("G7首脳声明", Some("2023-02-24"), Some("G7首脳")),
                one(
                    "ウクライナに関するG7首脳声明",
                    Some("2023-05-19"),
                    Some("G7首脳")
                ),
                one("G7首脳声明", Some("2023-12-06"), Some("G7首脳")),
            ]
        );
        assert_eq!(
            found("2023年4月18日付けG7外相コミュニケを、"),
            [one("G7外相コミュニケ", Some("2023-04-18"), Some("G7外相"))]
        );
        assert_eq!(
            found(
                "2023年10月30日付け広島AIプロセスに関するG7首脳声明及び2023年12月6日付けG7首脳声明を歓迎し"
            ),
            [
                one(
                    "広島AIプロセスに関するG7首脳声明",
                    Some("2023-10-30"),
                    Some("G7首脳")
                ),
                one("G7首脳声明", Some("2023-12-06"), Some("G7首脳")),
            ]
        );
    }

    #[test]
    fn variants_era_full_width_and_fu() {
        assert_eq!(
            found("令和5年11月2日付け警察庁声明を想起"),
            [one("警察庁声明", Some("2023-11-02"), None)]
        );
        assert_eq!(
            found("２０２３年１２月６日付G７首脳宣言を"),
            [one("G７首脳宣言", Some("2023-12-06"), Some("G7首脳"))]
        );
    }

    #[test]
    fn named_documents_without_a_date() {
        assert_eq!(
            found("G7広島首脳コミュニケを想起しつつ"),
            [one("G7広島首脳コミュニケ", None, Some("G7首脳"))]
        );
        assert_eq!(
            found(
                "我々は、2021年児童の性的搾取及び虐待と闘うG7行動計画に対する我々のコミットメント"
            ),
            [one(
                "2021年児童の性的搾取及び虐待と闘うG7行動計画",
                None,
                Some("G7")
            )]
        );
        assert_eq!(
            found(
                "我々はまた、オンライン上のテロ及び暴力的過激主義コンテンツの撲滅に関するクライストチャーチ・コールへの支持"
            ),
            [one(
                "オンライン上のテロ及び暴力的過激主義コンテンツの撲滅に関するクライストチャーチ・コール",
                None,
                None
            )]
        );
        assert_eq!(
            found("3 ランサムウェア不払声明(全文)"),
            [one("ランサムウェア不払声明", None, None)]
        );
    }

    #[test]
    fn guiding_principles_and_a_code_of_conduct_are_documents() {
        // g7:24 cites the Hiroshima Process's two documents by name, one after the other.
        assert_eq!(
            found(
                "全てのAI関係者向け及び高度なAIシステムを開発する組織向けの広島プロセス国際指針、並びに高度なAIシステムを開発する組織向けの広島プロセス国際行動規範で求められた行動を優先する。"
            ),
            [
                one("広島プロセス国際指針", None, None),
                one("広島プロセス国際行動規範", None, None)
            ]
        );
        // 指針 as a plain word names nothing.
        assert!(found("共通の原則及び価値を指針として、直面する").is_empty());
    }

    #[test]
    fn the_long_form_of_a_name_with_ni_kansuru() {
        assert_eq!(
            found(
                "また、今回、我が国も参加したランサムウェア不払いに関する声明を通じて、声明参加国は"
            ),
            [one("ランサムウェア不払いに関する声明", None, None)]
        );
        // Nothing named before に関する: no citation.
        assert!(found("これに関する声明を出した").is_empty());
        assert!(found("支払いに関する声明").is_empty());
    }

    #[test]
    fn both_forms_of_the_non_payment_statement_are_one_document() {
        let corpus = crate::corpus::load_embedded();
        let all = citations(&corpus);
        let ids = |c: &Citation| -> Vec<String> {
            cited_nodes(c)
                .into_iter()
                .map(|r| corpus.node(r).id.clone())
                .collect()
        };
        let statement: Vec<&Citation> = all
            .iter()
            .filter(|c| c.name.starts_with("ランサムウェア不払"))
            .collect();
        assert_eq!(statement.len(), 1, "{statement:?}");
        assert_eq!(statement[0].name, "ランサムウェア不払声明");
        assert_eq!(ids(statement[0]), ["cri:4", "cri:annex-3"]);
    }

    #[test]
    fn what_is_not_a_citation() {
        // Dates that are not followed by 付け, and documents that are not named.
        assert!(found("2023年10月7日に始まった攻撃、2019年5月の採択以来").is_empty());
        assert!(found("G7による一連の声明を想起し").is_empty());
        assert!(found("会合後に発出された共同声明では").is_empty());
        assert!(found("声明を通じて、声明参加国は").is_empty());
        assert!(found("GIFCT及び加盟企業に呼び掛ける").is_empty());
        assert!(found("アルコール及びG7タバコ").is_empty());
        // A date with 付け but no document word in the clause.
        assert!(found("2023年12月6日付けで、声明").is_empty());
        // An impossible date is no date.
        assert!(
            found("2023年2月31日付けG7首脳声明")
                .iter()
                .all(|f| f.1.is_none())
        );
    }
}
