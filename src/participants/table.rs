//! The joined table: one row per participant of list A or B, with its reference data and
//! mentions, the counts over the rows and the summary line.

use std::collections::HashMap;

use serde::Serialize;

use super::lists::{FoundList, find_lists, pick_lists};
use super::mentions::{mentions_in, normalised_texts};
use super::names::fold;
use super::reference::{Entry, ReferenceData};
use super::{Filter, Sort};
use crate::corpus::{Corpus, NodeRef};

/// One participant: a name from list A or list B (or both), with its reference data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Participant {
    /// The name as the document writes it (list A's spelling when both lists have it).
    pub ja: String,
    /// Its row of the reference data; for a name the data does not know, a row with only
    /// the name (see [`Entry::unknown`]).
    pub entry: Entry,
    pub g7: bool,
    /// In list A (the meeting's participants).
    pub in_meeting: bool,
    /// In list B (the signatories of the statement).
    pub in_statement: bool,
    /// Position in list A, from 1.
    pub order_a: Option<usize>,
    /// Position in list B, from 1.
    pub order_b: Option<usize>,
    /// Nodes (of every document) whose text mentions the name or an alias, in document order.
    pub mentions: Vec<NodeRef>,
}

impl Participant {
    /// Whether the reference data knows this name.
    #[must_use]
    pub fn is_known(&self) -> bool {
        let e = &self.entry;
        e.en.is_some() || e.code.is_some() || e.reading.is_some()
    }

    /// The reference data's spelling, when the document spells the name otherwise (as one of
    /// its aliases).
    #[must_use]
    pub fn reference_ja(&self) -> Option<&str> {
        Some(self.entry.ja.as_str()).filter(|r| *r != self.ja)
    }

    /// Every name this participant goes by, and is found by in the text: as written, as the
    /// reference data writes it, then the aliases.
    #[must_use]
    pub fn names(&self) -> Vec<&str> {
        std::iter::once(self.ja.as_str())
            .chain(self.reference_ja())
            .chain(self.entry.aliases.iter().map(String::as_str))
            .collect()
    }

    /// Whether a folded query (see [`fold`]) is a substring of the name, reading, English
    /// name, code or an alias.
    fn matches_folded(&self, q: &str) -> bool {
        let e = &self.entry;
        std::iter::once(&self.ja)
            .chain(e.reading.iter())
            .chain(e.en.iter())
            .chain(e.code.iter())
            .chain(e.aliases.iter())
            .chain(e.en_aliases.iter())
            .any(|s| fold(s).contains(q))
    }
}

/// One list as found: where it is, how many names were parsed, and the total the document
/// states for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListInfo {
    /// The node holding the list.
    pub node: NodeRef,
    /// Names parsed from it.
    pub parsed: usize,
    /// The total stated (`計50か国・機関`), if any.
    pub stated: Option<usize>,
    /// The node the stated total was read from.
    pub count_node: Option<NodeRef>,
}

impl ListInfo {
    /// The stated total and the parsed count disagree.
    #[must_use]
    pub fn mismatch(&self) -> bool {
        self.stated.is_some_and(|s| s != self.parsed)
    }

    fn describe(&self, letter: &str) -> String {
        match self.stated {
            Some(s) if s != self.parsed => format!("{letter} {} (stated {s}!)", self.parsed),
            _ => format!("{letter} {}", self.parsed),
        }
    }
}

/// Counts over the rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Counts {
    /// Rows in list A.
    pub a: usize,
    /// Rows in list B.
    pub b: usize,
    pub union: usize,
    pub both: usize,
    pub only_a: usize,
    pub only_b: usize,
    pub new_2023: usize,
    pub g7: usize,
}

/// The participants table.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Participants {
    /// One row per participant: list A's order, then names only in list B in B's order.
    pub rows: Vec<Participant>,
    /// List A, the meeting's participants, when found.
    pub meeting: Option<ListInfo>,
    /// List B, the signatories of the statement, when found.
    pub statement: Option<ListInfo>,
}

/// Shown by [`Participants::summary`] when no list was found.
pub const NO_LISTS: &str = "no participant lists in the loaded documents";

impl Participants {
    /// Finds the two lists in the corpus and joins them with the reference data.
    ///
    /// A node holds a list when its text, without a trailing parenthesised count, a final
    /// `。`/`、` and an introduction ending in a colon, splits on `、` into at least five names:
    /// items of at most twenty characters, without sentence punctuation (`。！？：「」`), not
    /// ending in hiragana (particles and verb endings do: `我々は`, `…を支持する`). List A is the first list outside a note whose nearest
    /// heading mentions 参加 (`参加国・機関`), or failing that the first one whose total is
    /// introduced by 計; list B is the first list in a note (`(注1)`, or a count introduced by
    /// 注). Each list's stated total is read from the list itself (`（注：47か国・機関）`), from
    /// the short node that follows it (`(計50か国・機関。…)`), or from its heading. A corpus
    /// without such lists gives an empty table.
    #[must_use]
    pub fn from_corpus(corpus: &Corpus, data: &ReferenceData) -> Self {
        #[derive(PartialEq, Eq, Hash)]
        enum Key {
            Entry(usize),
            Name(String),
        }
        let lists = find_lists(corpus);
        let (a, b) = pick_lists(&lists);
        // Normalised only when there is someone to look for: a large corpus without lists
        // should not pay for it.
        let texts = if a.is_some() || b.is_some() {
            normalised_texts(corpus)
        } else {
            Vec::new()
        };

        let key_of = |name: &str| match data.lookup_index(name) {
            Some(i) => Key::Entry(i),
            None => Key::Name(fold(name)),
        };

        let mut rows: Vec<Participant> = Vec::new();
        let mut by_key: HashMap<Key, usize> = HashMap::new();
        for (list, is_a) in [(a, true), (b, false)] {
            let Some(list) = list else { continue };
            for (pos, name) in list.names.iter().enumerate() {
                let key = key_of(name);
                let row = if let Some(&r) = by_key.get(&key) {
                    r
                } else {
                    let entry = match key {
                        Key::Entry(i) => data.entries.get(i),
                        Key::Name(_) => None,
                    };
                    rows.push(new_row(name, entry, data));
                    by_key.insert(key, rows.len() - 1);
                    rows.len() - 1
                };
                let Some(p) = rows.get_mut(row) else { continue };
                if is_a {
                    p.in_meeting = true;
                    p.order_a.get_or_insert(pos + 1);
                } else {
                    p.in_statement = true;
                    p.order_b.get_or_insert(pos + 1);
                }
            }
        }
        for p in &mut rows {
            p.mentions = mentions_in(&texts, &p.names());
        }
        let info = |l: &FoundList| ListInfo {
            node: l.node,
            parsed: l.names.len(),
            stated: l.stated,
            count_node: l.count_node,
        };
        Self {
            rows,
            meeting: a.map(info),
            statement: b.map(info),
        }
    }

    /// No list was found.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Counts over the rows.
    #[must_use]
    pub fn counts(&self) -> Counts {
        let n = |f: &dyn Fn(&Participant) -> bool| self.rows.iter().filter(|p| f(p)).count();
        Counts {
            a: n(&|p| p.in_meeting),
            b: n(&|p| p.in_statement),
            union: self.rows.len(),
            both: n(&|p| p.in_meeting && p.in_statement),
            only_a: n(&|p| p.in_meeting && !p.in_statement),
            only_b: n(&|p| !p.in_meeting && p.in_statement),
            new_2023: n(&|p| p.entry.new_2023),
            g7: n(&|p| p.g7),
        }
    }

    /// One line: `A 50 · B 47 · both 47 · only A 3 (EU, パプアニューギニア, ウルグアイ) · only B
    /// 0`. A stated total that differs from the parsed count is shown: `A 49 (stated 50!)`.
    #[must_use]
    pub fn summary(&self) -> String {
        const NAMES_SHOWN: usize = 5;
        let names_of = |f: &dyn Fn(&Participant) -> bool| -> String {
            let names: Vec<&str> = self
                .rows
                .iter()
                .filter(|p| f(p))
                .map(|p| p.ja.as_str())
                .collect();
            match names.len() {
                0 => "0".to_string(),
                n if n <= NAMES_SHOWN => format!("{n} ({})", names.join(", ")),
                n => format!("{n} ({}, …)", names[..NAMES_SHOWN].join(", ")),
            }
        };
        match (&self.meeting, &self.statement) {
            (None, None) => NO_LISTS.to_string(),
            (Some(a), None) => format!("{} · no statement list (注) found", a.describe("A")),
            (None, Some(b)) => format!("no meeting list (参加国) found · {}", b.describe("B")),
            (Some(a), Some(b)) => {
                let c = self.counts();
                format!(
                    "{} · {} · both {} · only A {} · only B {}",
                    a.describe("A"),
                    b.describe("B"),
                    c.both,
                    names_of(&|p| p.in_meeting && !p.in_statement),
                    names_of(&|p| !p.in_meeting && p.in_statement),
                )
            }
        }
    }

    /// Indices into `rows` of the participants that pass `filter` and match `query` (a
    /// case-insensitive substring of the name, reading, English name, code or an alias,
    /// katakana matching hiragana and full-width matching half-width), in `sort` order.
    #[must_use]
    pub fn filtered(&self, filter: Filter, sort: Sort, query: &str) -> Vec<usize> {
        let q = fold(query.trim());
        let mut idx: Vec<usize> = self
            .rows
            .iter()
            .enumerate()
            .filter(|(_, p)| filter.matches(p) && (q.is_empty() || p.matches_folded(&q)))
            .map(|(i, _)| i)
            .collect();
        sort.apply(&self.rows, &mut idx);
        idx
    }
}

fn new_row(name: &str, entry: Option<&Entry>, data: &ReferenceData) -> Participant {
    let entry = entry.map_or_else(|| Entry::unknown(name), Entry::clone);
    Participant {
        ja: name.to_string(),
        g7: entry.code.as_deref().is_some_and(|c| data.is_g7_member(c)),
        entry,
        in_meeting: false,
        in_statement: false,
        order_a: None,
        order_b: None,
        mentions: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::{load_embedded, parse_document};
    use crate::participants::fixtures::*;
    use crate::participants::lists::MIN_LIST_ITEMS;
    use crate::participants::*;
    use crate::text::display::{DisplayOptions, str_width};
    use proptest::prelude::*;

    #[test]
    fn counts_of_both_lists() {
        let (corpus, p) = embedded();
        let a = p.meeting.expect("list A found");
        let b = p.statement.expect("list B found");
        assert_eq!(corpus.node(a.node).id, "cri:annex-1.1");
        assert_eq!(corpus.node(b.node).id, "cri:note-1");
        assert_eq!((a.parsed, a.stated), (50, Some(50)));
        assert_eq!((b.parsed, b.stated), (47, Some(47)));
        assert_eq!(
            a.count_node.map(|r| corpus.node(r).id.clone()).as_deref(),
            Some("cri:annex-1.2")
        );
        assert_eq!(
            b.count_node.map(|r| corpus.node(r).id.clone()).as_deref(),
            Some("cri:note-1")
        );
        assert!(!a.mismatch() && !b.mismatch());
        let c = p.counts();
        assert_eq!(
            (c.a, c.b, c.union, c.both, c.only_a, c.only_b),
            (50, 47, 50, 47, 3, 0)
        );
        let only_a = p.filtered(Filter::OnlyA, Sort::Document, "");
        assert_eq!(
            names(&p, &only_a),
            ["EU", "パプアニューギニア", "ウルグアイ"]
        );
        assert!(p.filtered(Filter::OnlyB, Sort::Document, "").is_empty());
        assert_eq!(
            p.summary(),
            "A 50 · B 47 · both 47 · only A 3 (EU, パプアニューギニア, ウルグアイ) · only B 0"
        );
    }

    #[test]
    fn every_name_is_known_and_clean() {
        let (_, p) = embedded();
        for r in &p.rows {
            assert!(r.is_known(), "{} is not in the reference data", r.ja);
            assert!(!r.ja.contains(['、', '(', '（', '注', ' ']), "{:?}", r.ja);
        }
    }

    #[test]
    fn each_row_holds_its_reference_entry() {
        // The reference data is one type: a known row carries the data's own entry, an
        // unknown one an entry with only its name.
        let (_, p) = embedded();
        let data = ReferenceData::embedded().expect("embedded data parses");
        for r in &p.rows {
            assert_eq!(Some(&r.entry), data.lookup(&r.ja), "{}", r.ja);
            assert_eq!(r.reference_ja().is_some(), r.entry.ja != r.ja);
        }
        let corpus = Corpus {
            documents: vec![parse_document(
                "x",
                "x.txt",
                "### 1 参加国\n\nナゾノクニ、アルバニア、カナダ、インド、ウルグアイ、",
            )],
        };
        let p = Participants::from_corpus(&corpus, &data);
        let unknown = row(&p, "ナゾノクニ");
        assert_eq!(unknown.entry, Entry::unknown("ナゾノクニ"));
        assert_eq!(unknown.reference_ja(), None);
        assert_eq!(unknown.names(), ["ナゾノクニ"]);
    }

    #[test]
    fn document_order() {
        let (_, p) = embedded();
        let all = p.filtered(Filter::All, Sort::Document, "");
        assert_eq!(all.len(), 50);
        assert_eq!(p.rows[all[0]].ja, "アルバニア");
        assert_eq!(p.rows[all[49]].ja, "ウルグアイ");
        let uy = row(&p, "ウルグアイ");
        assert_eq!((uy.order_a, uy.order_b), (Some(50), None));
        // B's order differs from A's at the end: ウクライナ comes before アラブ首長国連邦.
        assert_eq!(row(&p, "ウクライナ").order_b, Some(44));
        assert_eq!(row(&p, "米国").order_b, Some(47));
        let b = p.filtered(Filter::B, Sort::Document, "");
        assert_eq!(b.len(), 47);
    }

    #[test]
    fn query_narrowing() {
        let (_, p) = embedded();
        let find = |q: &str| names(&p, &p.filtered(Filter::All, Sort::Document, q));
        for q in [
            "uruguay",
            "URUGUAY",
            "UY",
            "uy",
            "ウルグ",
            "うるぐ",
            "ｳﾙｸﾞ",
            "Ｕｒｕｇｕａｙ",
        ] {
            assert!(
                find(q).contains(&"ウルグアイ".to_string()),
                "{q}: {:?}",
                find(q)
            );
        }
        assert_eq!(find("uruguay"), ["ウルグアイ"]);
        assert_eq!(find("国際刑事警察機構"), ["インターポール"]);
        assert_eq!(find("interpol"), ["インターポール"]);
        assert_eq!(find("我が国"), ["日本"]);
        assert_eq!(find("にほん"), ["日本"]);
        assert_eq!(find("  "), find(""));
        assert!(find("zzzz").is_empty());
        // Queries narrow within a filter.
        assert_eq!(
            names(&p, &p.filtered(Filter::OnlyA, Sort::Document, "ウ")),
            ["ウルグアイ"]
        );
    }

    #[test]
    fn stated_total_mismatch_is_reported() {
        let data = ReferenceData::embedded().expect("parses");
        let text = cri_text().replace("ウクライナ、ウルグアイ、", "ウクライナ、");
        assert_ne!(text, cri_text());
        let corpus = Corpus {
            documents: vec![parse_document("cri", "modified.txt", &text)],
        };
        let p = Participants::from_corpus(&corpus, &data);
        let a = p.meeting.expect("list A");
        assert_eq!((a.parsed, a.stated), (49, Some(50)));
        assert!(a.mismatch());
        let s = p.summary();
        assert!(s.starts_with("A 49 (stated 50!) · B 47 ·"), "{s}");
        assert!(s.contains("only A 2 (EU, パプアニューギニア)"), "{s}");

        let text = cri_text().replace("（注：47か国・機関）", "（注：48か国・機関）");
        let corpus = Corpus {
            documents: vec![parse_document("cri", "modified.txt", &text)],
        };
        let p = Participants::from_corpus(&corpus, &data);
        assert!(p.summary().contains("B 47 (stated 48!)"), "{}", p.summary());
    }

    #[test]
    fn only_in_b_rows_come_last() {
        let data = ReferenceData::embedded().expect("parses");
        let text = cri_text().replace("英国、米国（注", "英国、米国、ナゾノクニ（注");
        let corpus = Corpus {
            documents: vec![parse_document("cri", "modified.txt", &text)],
        };
        let p = Participants::from_corpus(&corpus, &data);
        assert_eq!(p.rows.len(), 51);
        let last = p.rows.last().expect("rows");
        assert_eq!(
            (last.ja.as_str(), last.order_b, last.in_meeting),
            ("ナゾノクニ", Some(48), false)
        );
        assert!(
            p.summary().ends_with("only B 1 (ナゾノクニ)"),
            "{}",
            p.summary()
        );
    }

    #[test]
    fn no_lists_gives_an_empty_table() {
        let data = ReferenceData::embedded().expect("parses");
        let corpus = load_embedded();
        let g7_only = Corpus {
            documents: corpus
                .documents
                .into_iter()
                .filter(|d| d.id == "g7")
                .collect(),
        };
        let p = Participants::from_corpus(&g7_only, &data);
        assert!(p.is_empty());
        assert_eq!((p.meeting, p.statement), (None, None));
        assert_eq!(p.summary(), NO_LISTS);
        assert!(p.filtered(Filter::All, Sort::Gojuon, "x").is_empty());
        let empty = Participants::from_corpus(&Corpus::default(), &data);
        assert!(empty.is_empty());
    }

    fn fragment() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("、".to_string()),
            Just("。".to_string()),
            Just("\n".to_string()),
            Just("\n\n".to_string()),
            Just("### 1 参加国・機関\n".to_string()),
            Just("(注1) ".to_string()),
            Just("- ".to_string()),
            Just("（注：47か国・機関）".to_string()),
            Just("(計50か国・機関。".to_string()),
            Just(")".to_string()),
            Just("（".to_string()),
            Just("：".to_string()),
            Just("999999999999999999999か国".to_string()),
            Just("ー".to_string()),
            Just("インド".to_string()),
            Just("EU".to_string()),
            Just("アルバニア".to_string()),
            Just("我が国".to_string()),
            "[ア-ンa-zA-Z0-9あ-ん日本国]{0,6}",
            any::<String>(),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn from_corpus_never_panics(parts in prop::collection::vec(fragment(), 0..40), query in any::<String>(), width in 0usize..100) {
            let text: String = parts.concat();
            let data = ReferenceData::embedded().expect("parses");
            let corpus = Corpus { documents: vec![parse_document("p", "p.txt", &text)] };
            let p = Participants::from_corpus(&corpus, &data);
            let _ = p.summary();
            let l = TableLayout::for_width(width);
            for &f in Filter::ALL {
                for &s in Sort::ALL {
                    let idx = p.filtered(f, s, &query);
                    for &i in &idx {
                        let cells = p.render_row(i, &l.columns, &l.widths, DisplayOptions::default());
                        prop_assert!(str_width(&join_cells(&cells)) <= width);
                    }
                }
            }
            if let Some(a) = p.meeting {
                prop_assert!(a.parsed >= MIN_LIST_ITEMS);
            }
        }
    }
}
