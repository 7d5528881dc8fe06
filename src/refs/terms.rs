//! An index of terms, found by rule:
//!
//! - **Acronyms** as the text defines them: capitals in brackets after a name,
//!   `国際刑事裁判所（ICC）`, `(CRI)`, spaced capitals closed up (`（G I F C T）` → GIFCT). The
//!   expansion is the compound noun before the bracket with the modifiers joined to it by の,
//!   のための, に対する, と闘う (`ウクライナに対する侵略犯罪の訴追のための国際センター`), without a
//!   leading ordinal (`第3回`). When the bracket sits inside a longer name
//!   (`…オリガルヒ（REPO）タスクフォース`) the expansion also runs back over a list joined by `、`.
//!   Brackets that hold anything else — `（以下「…」という。）`, `（注：47か国・機関）`,
//!   `（ユーザーアカウント）`, `(全文)` — define nothing.
//! - **Named organisations, initiatives, task forces and mechanisms**: a compound noun ending in
//!   a word for one (機構, 裁判所, 事務所, 作業部会, 理事会, 委員会, グループ, フォーラム,
//!   センター, 連合, 庁, 省; イニシアティブ, プロセス; タスクフォース; メカニズム) with a name
//!   before it (`G7即応メカニズム`, not `国際的なメカニズム`), or the word followed by its name
//!   (`タスクフォース・クレプトキャプチャー`). A name that an acronym's expansion ends with, or that
//!   ends with one (`国際カウンターランサムウェア・イニシアティブ` and CRI), is a form of the
//!   acronym's entry. Without a head word, a name of three or more katakana words joined by
//!   `・` (`テック・アゲインスト・テロリズム`) is an organisation.
//! - **Participants**, from [`crate::participants`].
//!
//! Each entry lists its mentions across every document: the nodes whose text holds one of its
//! forms as a word, by the participants' rule ([`crate::participants::name_ranges`]). Typing
//! narrows the index in search's normal form ([`crate::search::normalize`]).

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use super::Place;
use super::scan::{
    compound_end, compound_start, ends_with, is_compound, is_hiragana, is_kanji, is_katakana,
    is_latin, skip_ordinal, starts_with,
};
use crate::corpus::repair::fullwidth_to_ascii;
use crate::corpus::{Corpus, NodeRef};
use crate::participants::{NameSets, Needles, Normalised, Participants};
use crate::search::normalize::normalize;

/// What an index entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TermKind {
    Acronym,
    Organisation,
    Initiative,
    TaskForce,
    Mechanism,
    Participant,
}

impl TermKind {
    /// The name used in JSON and in `kaigi index`.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Acronym => "acronym",
            Self::Organisation => "organisation",
            Self::Initiative => "initiative",
            Self::TaskForce => "task_force",
            Self::Mechanism => "mechanism",
            Self::Participant => "participant",
        }
    }
}

/// Words that end the name of something, with what it then is; longest first.
const HEADS: [(&str, TermKind); 17] = [
    ("タスクフォース", TermKind::TaskForce),
    ("イニシアティブ", TermKind::Initiative),
    ("イニシアチブ", TermKind::Initiative),
    ("メカニズム", TermKind::Mechanism),
    ("フォーラム", TermKind::Organisation),
    ("グループ", TermKind::Organisation),
    ("センター", TermKind::Organisation),
    ("プロセス", TermKind::Initiative),
    ("作業部会", TermKind::Organisation),
    ("事務所", TermKind::Organisation),
    ("裁判所", TermKind::Organisation),
    ("理事会", TermKind::Organisation),
    ("委員会", TermKind::Organisation),
    ("機構", TermKind::Organisation),
    ("連合", TermKind::Organisation),
    ("庁", TermKind::Organisation),
    ("省", TermKind::Organisation),
];

/// Modifiers that are part of a name an acronym stands for, longest first.
const JOINERS: [&str; 5] = ["と闘うための", "のための", "に対する", "と闘う", "の"];

/// Words before a head that do not make a name (`多国間フォーラム`, `関連機構`).
const GENERIC: [&str; 6] = ["多国間", "関連", "各国", "同", "当該", "本"];

/// An acronym defined in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Definition {
    /// The acronym, closed up, in ASCII capitals.
    pub acronym: String,
    pub expansion: String,
    /// Character offsets of the expansion and the bracketed acronym.
    pub range: Range<usize>,
}

/// Every acronym defined in a text, in text order.
#[must_use]
pub fn acronyms_in(text: &str) -> Vec<Definition> {
    let t: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    for (o, &c) in t.iter().enumerate() {
        if c != '(' && c != '（' {
            continue;
        }
        let Some(close) = t[o + 1..]
            .iter()
            .take(24)
            .position(|&c| c == ')' || c == '）')
            .map(|p| p + o + 1)
        else {
            continue;
        };
        let inner: String = t[o + 1..close]
            .iter()
            .filter(|&&c| c != ' ' && c != '\u{3000}')
            .map(|&c| fullwidth_to_ascii(c))
            .collect();
        let ok = (2..=10).contains(&inner.len())
            && inner.starts_with(|c: char| c.is_ascii_uppercase())
            && inner
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
        if !ok {
            continue;
        }
        let attributive = t.get(close + 1).is_some_and(|&c| is_compound(c));
        let Some(start) = expansion_start(&t, o, attributive) else {
            continue;
        };
        let expansion: String = t[start..o].iter().collect();
        if expansion.chars().all(is_latin) {
            continue;
        }
        out.push(Definition {
            acronym: inner,
            expansion,
            range: start..close + 1,
        });
    }
    out
}

fn expansion_start(t: &[char], end: usize, attributive: bool) -> Option<usize> {
    let mut s = compound_start(t, end);
    if s == end {
        return None;
    }
    loop {
        if let Some(j) = JOINERS.iter().find(|j| ends_with(t, s, j)) {
            let before = s - j.chars().count();
            let s2 = compound_start(t, before);
            if s2 < before {
                s = s2;
                continue;
            }
        }
        if attributive && s > 0 && t[s - 1] == '、' {
            let s2 = compound_start(t, s - 1);
            if s2 < s - 1 {
                s = s2;
                continue;
            }
        }
        break;
    }
    let s = skip_ordinal(t, s, end);
    (s < end).then_some(s)
}

/// A named organisation, initiative, task force or mechanism found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    pub name: String,
    pub kind: TermKind,
    pub range: Range<usize>,
}

/// The start of a name ending at `end`: back over compound characters and okurigana (one of
/// え, び, け, り, み after a kanji: `差押え`; not a particle or a verb's ending, and not the
/// け of a date's `付け`), not over a conjunction (及び, 並びに)
/// unless the name is led by Latin letters (`EU凍結及び差押えタスクフォース`).
fn name_start(t: &[char], end: usize) -> usize {
    let mut s = end;
    loop {
        while s > 0 && is_compound(t[s - 1]) {
            s -= 1;
        }
        let okurigana = s >= 2
            && is_hiragana(t[s - 1])
            && "えびけりみ".contains(t[s - 1])
            && is_kanji(t[s - 2])
            && !ends_with(t, s, "付け")
            && !ends_with(t, s, "及び")
            && !ends_with(t, s, "並びに");
        if okurigana {
            s -= 1;
            continue;
        }
        if ends_with(t, s, "及び") && s < end {
            let before = s - 2;
            let s2 = compound_start(t, before);
            if s2 < before && is_latin(t[s2]) && (s2 == 0 || !is_compound(t[s2 - 1])) {
                s = s2;
                continue;
            }
        }
        return s;
    }
}

/// Every named organisation, initiative, task force and mechanism in a text, in text order.
#[must_use]
pub fn names_in(text: &str) -> Vec<Named> {
    let t: Vec<char> = text.chars().collect();
    let mut out: Vec<Named> = Vec::new();
    let mut i = 0;
    while i < t.len() {
        let Some(&(head, kind)) = HEADS.iter().find(|(h, _)| starts_with(&t, i, h)) else {
            i += 1;
            continue;
        };
        let h_end = i + head.chars().count();
        let katakana_head = head.starts_with(is_katakana);
        // A katakana head is a word of its own: not the end of a longer katakana word.
        if katakana_head && t.get(h_end).is_some_and(|&c| is_katakana(c)) {
            i = h_end;
            continue;
        }
        let mut start = name_start(&t, i);
        let mut end = h_end;
        if start == i {
            // The head first, then its name: タスクフォース・クレプトキャプチャー.
            if t.get(h_end) == Some(&'・') && t.get(h_end + 1).is_some_and(|&c| is_katakana(c)) {
                end = compound_end(&t, h_end);
            } else {
                i = h_end;
                continue;
            }
        }
        start = skip_ordinal(&t, start, i.max(start));
        let modifier: String = t[start..i].iter().collect();
        let long_enough = end - start >= 3;
        if long_enough && !GENERIC.contains(&modifier.as_str()) {
            out.push(Named {
                name: t[start..end].iter().collect(),
                kind,
                range: start..end,
            });
        }
        i = end;
    }
    // A name of three or more katakana words joined by ・ and no head word: a foreign name
    // written word for word (`テック・アゲインスト・テロリズム`), an organisation. Two words
    // are as often a loan phrase (`マネー・ローンダリング`, `ビジネス・モデル`) or a person.
    let mut i = 0;
    while i < t.len() {
        if !is_katakana(t[i]) || (i > 0 && is_compound(t[i - 1])) {
            i += 1;
            continue;
        }
        let (end, words) = katakana_words(&t, i);
        let alone = !t.get(end).is_some_and(|&c| is_compound(c));
        let named = out.iter().any(|n| n.range.start < end && i < n.range.end);
        if words >= 3 && alone && !named {
            out.push(Named {
                name: t[i..end].iter().collect(),
                kind: TermKind::Organisation,
                range: i..end,
            });
        }
        i = end;
    }
    out.sort_by_key(|n| n.range.start);
    out
}

/// The katakana words joined by ・ from `start`: where they end, and how many there are.
fn katakana_words(t: &[char], start: usize) -> (usize, usize) {
    let mut end = start;
    let mut words = 0;
    loop {
        while end < t.len() && is_katakana(t[end]) {
            end += 1;
        }
        words += 1;
        if t.get(end) == Some(&'・') && t.get(end + 1).is_some_and(|&c| is_katakana(c)) {
            end += 1;
        } else {
            return (end, words);
        }
    }
}

/// One entry of the index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// The term as written (an acronym in ASCII capitals).
    pub term: String,
    /// What an acronym stands for, as the text defines it.
    pub expansion: Option<String>,
    pub kind: TermKind,
    /// Other forms it is written in (or known by, for participants: English name, code,
    /// aliases); typing any of them narrows to this entry.
    pub also: Vec<String>,
    /// The first mention in each node that mentions it, in reading order.
    pub mentions: Vec<Place>,
}

/// The index: every entry, sorted by its term in search's normal form (Latin A–Z, then kana
/// in 五十音 order, then kanji).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Index {
    pub entries: Vec<Term>,
    /// Per entry: the normal forms of its term, expansion and other forms.
    keys: Vec<Vec<String>>,
}

/// Compared without middle dots, so `カウンターランサムウェアイニシアティブ` is the same name.
fn key(s: &str) -> String {
    normalize(s).text.replace('・', "")
}

impl Index {
    /// Builds the index of a corpus, with the participants of `table`.
    #[must_use]
    pub fn build(corpus: &Corpus, table: &Participants) -> Self {
        let mut entries: Vec<Term> = Vec::new();
        // What the loops below compare, kept rather than made again for each name found: the
        // terms already in (by key), the acronyms' expansions (by key, in entry order) and
        // the key of each name found. A large file names the same things thousands of times.
        let mut terms: HashSet<String> = HashSet::new();
        let mut expansions: Vec<(usize, String)> = Vec::new();
        let mut keys: HashMap<String, String> = HashMap::new();
        let mut defined: HashMap<NodeRef, Vec<Range<usize>>> = HashMap::new();
        for (r, n) in corpus.iter_nodes() {
            for d in acronyms_in(&n.text) {
                defined.entry(r).or_default().push(d.range.clone());
                terms.insert(key(&d.acronym));
                if entries.iter().any(|e| e.term == d.acronym) {
                    continue;
                }
                expansions.push((entries.len(), key(&d.expansion)));
                entries.push(Term {
                    term: d.acronym,
                    expansion: Some(d.expansion),
                    kind: TermKind::Acronym,
                    also: Vec::new(),
                    mentions: Vec::new(),
                });
            }
        }
        for (r, n) in corpus.iter_nodes() {
            for named in names_in(&n.text) {
                let inside = defined.get(&r).is_some_and(|ranges| {
                    ranges.iter().any(|range| {
                        range.start <= named.range.start && named.range.end <= range.end
                    })
                });
                let k = keys
                    .entry(named.name.clone())
                    .or_insert_with(|| key(&named.name));
                let acronym = expansions
                    .iter()
                    .find(|(_, x)| x.ends_with(k.as_str()) || k.ends_with(x.as_str()))
                    .map(|&(e, _)| e);
                if let Some(e) = acronym {
                    let e = &mut entries[e];
                    if !e.also.contains(&named.name) && e.expansion.as_deref() != Some(&named.name)
                    {
                        e.also.push(named.name);
                    }
                    continue;
                }
                if inside || terms.contains(k.as_str()) {
                    continue;
                }
                terms.insert(k.clone());
                entries.push(Term {
                    term: named.name,
                    expansion: None,
                    kind: named.kind,
                    also: Vec::new(),
                    mentions: Vec::new(),
                });
            }
        }
        let forms: Vec<Vec<&str>> = entries
            .iter()
            .map(|e| {
                std::iter::once(e.term.as_str())
                    .chain(e.expansion.as_deref())
                    .chain(e.also.iter().map(String::as_str))
                    .collect()
            })
            .collect();
        let forms = NameSets::new(&forms);
        let mut found: Vec<Vec<Place>> = vec![Vec::new(); entries.len()];
        // Participants: the nodes each is mentioned in, gathered by node, so that each node's
        // text is normalised once for all the names looked for in it.
        let names: Vec<Needles> = table
            .rows
            .iter()
            .map(|p| Needles::new(&p.names()))
            .collect();
        let mut mentioned: HashMap<NodeRef, Vec<usize>> = HashMap::new();
        for (row, p) in table.rows.iter().enumerate() {
            for &r in &p.mentions {
                mentioned.entry(r).or_default().push(row);
            }
        }
        let mut places: HashMap<(usize, NodeRef), Range<usize>> = HashMap::new();
        for (r, n) in corpus.iter_nodes() {
            let text = Normalised::new(&n.text);
            for (e, range) in text.first_of_each(&forms) {
                found[e].push(Place { node: r, range });
            }
            for &row in mentioned.get(&r).into_iter().flatten() {
                let range = text.ranges(&names[row]).into_iter().next().unwrap_or(0..0);
                places.insert((row, r), range);
            }
        }
        for (e, mentions) in entries.iter_mut().zip(found) {
            e.mentions = mentions;
        }
        for (row, p) in table.rows.iter().enumerate() {
            // Where the participants module found the name (or an alias) in each node.
            let places = p
                .mentions
                .iter()
                .map(|&r| Place {
                    node: r,
                    range: places.get(&(row, r)).cloned().unwrap_or(0..0),
                })
                .collect();
            let mut also: Vec<String> = p.entry.aliases.clone();
            also.extend(p.entry.en.iter().cloned());
            also.extend(p.entry.code.iter().cloned());
            also.extend(p.entry.reading.iter().cloned());
            entries.push(Term {
                term: p.ja.clone(),
                expansion: None,
                kind: TermKind::Participant,
                also,
                mentions: places,
            });
        }
        entries.sort_by_cached_key(|e| (key(&e.term), e.kind));
        let keys = entries
            .iter()
            .map(|e| {
                std::iter::once(&e.term)
                    .chain(e.expansion.iter())
                    .chain(e.also.iter())
                    .map(|s| key(s))
                    .collect()
            })
            .collect();
        Self { entries, keys }
    }

    /// The entries that match what the reader typed: the query, in search's normal form
    /// (middle dots ignored), is part of the term, its expansion or another form. Terms that
    /// start with the query come first, then terms that contain it, then entries matched by
    /// their expansion or another form (`ic`: ICC, ICPA, ICT before `Mexico`'s メキシコ); index
    /// order within each. An empty query keeps every entry, in index order.
    #[must_use]
    pub fn narrow(&self, query: &str) -> Vec<usize> {
        let q = key(query.trim());
        let mut hits: Vec<(u8, usize)> = (0..self.entries.len())
            .filter_map(|i| {
                let keys = &self.keys[i];
                let term = keys.first().map_or("", String::as_str);
                let class = if term.starts_with(&q) {
                    0
                } else if term.contains(&q) {
                    1
                } else if keys.iter().any(|k| k.contains(&q)) {
                    2
                } else {
                    return None;
                };
                Some((class, i))
            })
            .collect();
        hits.sort_unstable();
        hits.into_iter().map(|(_, i)| i).collect()
    }

    /// The entry whose term is exactly `term` (in normal form).
    #[must_use]
    pub fn find(&self, term: &str) -> Option<&Term> {
        let k = key(term);
        self.entries.iter().find(|e| key(&e.term) == k)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn acr(text: &str) -> Vec<(String, String)> {
        acronyms_in(text)
            .into_iter()
            .map(|d| (d.acronym, d.expansion))
            .collect()
    }

    fn pair(a: &str, b: &str) -> (String, String) {
        (a.to_string(), b.to_string())
    }

    #[test]
    fn acronyms_from_the_real_sentences() {
        assert_eq!(
            acr(
                "我々は、2023年の議長国である日本の下で、G7ローマ・リヨン・グループ（RLG）による、テロリズム"
            ),
            [pair("RLG", "G7ローマ・リヨン・グループ")]
        );
        assert_eq!(
            acr(
                "ウクライナ当局並びに国際刑事裁判所（ICC）及び欧州司法機構におけるウクライナに対する侵略犯罪の訴追のための国際センター（ICPA）のような"
            ),
            [
                pair("ICC", "国際刑事裁判所"),
                pair(
                    "ICPA",
                    "ウクライナに対する侵略犯罪の訴追のための国際センター"
                ),
            ]
        );
        assert_eq!(
            acr(
                "我々は、テロ対策のためのグローバル・インターネット・フォーラム（G I F C T）との協力"
            ),
            [pair(
                "GIFCT",
                "テロ対策のためのグローバル・インターネット・フォーラム"
            )]
        );
        assert_eq!(
            acr("「トラベル・ルール」を含む暗号資産に関する金融活動作業部会（FATF）基準"),
            [pair("FATF", "金融活動作業部会")]
        );
        assert_eq!(
            acr("また、海外直接投資及び情報通信技術（ICT）の供給等"),
            [pair("ICT", "情報通信技術")]
        );
        assert_eq!(
            acr("生成人工知能（AI）を含む"),
            [pair("AI", "生成人工知能")]
        );
        assert_eq!(
            acr("高めるために、ロシアの支配層、代理勢力、オリガルヒ（REPO）タスクフォースを通じて"),
            [pair("REPO", "ロシアの支配層、代理勢力、オリガルヒ")]
        );
        assert_eq!(
            acr("第3回カウンターランサムウェア・イニシアティブ(CRI)会合において"),
            [pair("CRI", "カウンターランサムウェア・イニシアティブ")]
        );
    }

    #[test]
    fn acronym_variants() {
        // Full-width capitals and brackets, ASCII brackets, spaced letters.
        assert_eq!(
            acr("国際刑事裁判所（ＩＣＣ）"),
            [pair("ICC", "国際刑事裁判所")]
        );
        assert_eq!(
            acr("国際刑事裁判所(I C C)"),
            [pair("ICC", "国際刑事裁判所")]
        );
        assert_eq!(
            acr("主要国首脳会議（G7）で"),
            [pair("G7", "主要国首脳会議")]
        );
    }

    #[test]
    fn brackets_that_define_nothing() {
        assert!(acr("この文書（以下「本文書」という。）は").is_empty());
        assert!(acr("米国（注：47か国・機関）。").is_empty());
        assert!(acr("取引口座（ユーザーアカウント）に関する").is_empty());
        assert!(acr("不払声明(全文)").is_empty());
        assert!(acr("メンバーは(脚注1)、").is_empty());
        assert!(acr("（例：市民社会、学界）").is_empty());
        assert!(acr("（ICC）だけ").is_empty(), "no name before the bracket");
        assert!(acr("組織（A）").is_empty(), "one letter is not an acronym");
    }

    fn names(text: &str) -> Vec<(String, TermKind)> {
        names_in(text)
            .into_iter()
            .map(|n| (n.name, n.kind))
            .collect()
    }

    #[test]
    fn named_things_from_the_real_sentences() {
        use TermKind::*;
        assert_eq!(
            names(
                "我々は、外務、財務及び刑事司法のカウンターパートと連携して、EU凍結及び差押えタスクフォース、また、タスクフォース・クレプトキャプチャーと合わせて"
            ),
            [
                ("EU凍結及び差押えタスクフォース".to_string(), TaskForce),
                (
                    "タスクフォース・クレプトキャプチャー".to_string(),
                    TaskForce
                ),
            ]
        );
        assert_eq!(
            names("内務担当欧州委員及び国際刑事警察機構事務総長と共に"),
            [("国際刑事警察機構".to_string(), Organisation)]
        );
        assert_eq!(
            names("上でG7の連携を強化するため、G7即応メカニズムへの支持"),
            [("G7即応メカニズム".to_string(), Mechanism)]
        );
        assert_eq!(
            names(
                "G7司法大臣の「ウクライナ汚職対策タスクフォース」の発足を歓迎し、また、腐敗対策に関連した支援を提供する場合、タスクフォースとの相乗効果"
            ),
            [("ウクライナ汚職対策タスクフォース".to_string(), TaskForce)]
        );
        assert_eq!(
            names("関連する国連安全保障理事会決議の下で"),
            [("国連安全保障理事会".to_string(), Organisation)]
        );
        assert_eq!(
            names(
                "GIFCTメンバーを拡大すること、並びにテック・アゲインスト・テロリズムと連携して、小規模プラットフォームが"
            ),
            [("テック・アゲインスト・テロリズム".to_string(), Organisation)]
        );
        // A head word after the dotted words keeps its own rule and kind.
        assert_eq!(
            names("G7ローマ・リヨン・グループの"),
            [("G7ローマ・リヨン・グループ".to_string(), Organisation)]
        );
    }

    #[test]
    fn what_is_not_a_name() {
        assert!(names("国際的なメカニズムの取組").is_empty());
        assert!(names("FATFによるイニシアチブと").is_empty());
        assert!(names("フランスのイニシアチブを歓迎").is_empty());
        assert!(names("その他の多国間フォーラムを通じた").is_empty());
        assert!(names("反省する").is_empty());
        // Two katakana words are a loan phrase or a person, not a name by themselves.
        assert!(names("マネー・ローンダリング及びビジネス・モデル").is_empty());
        assert!(names("イーホル・クリメンコ内務大臣").is_empty());
        assert!(names("ソーシャルメディア・プラットフォーム・").is_empty());
        assert!(names("迅速な回復に係るメカニズムが存在する").is_empty());
        assert_eq!(
            names("2023年10月30日付け広島AIプロセスに関する")[0].0,
            "広島AIプロセス"
        );
    }
}
