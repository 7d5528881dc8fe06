//! Search over every node of the corpus and every participant row, answer first.
//!
//! Build the index once ([`searchable`] for both shells: nodes and participant rows); call
//! [`SearchIndex::run`] on every keystroke. It returns [`Results`]: the best hits, counts of
//! occurrences and places split by document, and what the reader should be told (near matches,
//! glossary pairs), or a [`QueryError`] when the query cannot be honoured.
//!
//! # Matching
//!
//! Query and text are compared in a normal form ([`normalize`]): NFKC, lower case, katakana as
//! hiragana, small kana as full size, `ヴ` as `ブ`, no long vowel marks, spaced-out acronyms
//! closed up. The syntax is fzf's extended search, all of it ([`query`]), with romaji, acronyms
//! and English (the glossary) on top.
//!
//! A fuzzy term matches an entry when it occurs in it as a substring (an *exact* match) or,
//! failing that, scattered: its characters appear in order within a window of at most
//! [`MAX_SCATTER`] × the term's length (normalised characters). Single characters and acronyms
//! only match exactly.
//!
//! The passes, each only when the one before found nothing to show:
//!
//! 1. **Label**: a query that is a node's number, numeral or id (`23`, `VII`, `Ⅶ`, `注1`,
//!    `cri:3`) finds that node first, then the text matches follow.
//! 2. **Exact and fuzzy** over every entry (glossary forms count as exact).
//! 3. **Near** (the typo fallback), only when 1 and 2 find nothing: a term of at least
//!    [`NEAR_MIN_CHARS`] characters may match with one edit — a character more, less or
//!    different, or two neighbours swapped (`GIFTC` finds `GIFCT`, `暴力的過激主議` finds
//!    `暴力的過激主義`). [`Results::notice`] says so.
//!
//! # Ranking
//!
//! One rule, [`compare`], over the [`RankFacts`] of each hit; see its documentation.
//!
//! # Scores
//!
//! [`Hit::score`] is in `[0, 1]` and never increases down the list: `1.0` for a label hit;
//! otherwise a band per quality of match (the tiers of [`compare`]) — contiguous (exact and
//! glossary) `(0.5, 0.99]`, scattered (fuzzy, and English one edit from the glossary) `(0.25,
//! 0.5]`, one edit (near) `(0, 0.25]` — within which the score falls linearly with the hit's position among all
//! of that band's hits (hits the rule ranks equal share a score). It does not depend on
//! `limit`.
//!
//! # Cost
//!
//! [`SearchIndex::new`] normalises every entry once into one string, with a map back to the
//! original characters only for entries where it is not the identity, and for every character
//! the entries it occurs in ([`chars`]). A search reads only the entries that hold every
//! character of some form of each term (with one edit, all but one), tests
//! substrings with `memchr::memmem`, looks for scattered matches only in windows starting at the
//! term's first character, and works out ranges only for the hits it returns.

mod chars;
mod entries;
pub mod glossary;
mod near;
pub mod normalize;
pub mod query;
mod snippet;

use std::cmp::Ordering;
use std::fmt;
use std::ops::Range;

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;
use serde::Serialize;

use crate::corpus::{Corpus, NodeKind, NodeRef};
use chars::{CharIndex, Entries};
use normalize::Normalizer;
use query::{Form, MatchType, Query, Source, Term};

pub use entries::{searchable, searchable_once};
pub use query::QueryError;
pub use snippet::{ELLIPSIS, merge, snippet};

/// A scattered match must fit in a window of at most this many times the term's length.
pub const MAX_SCATTER: usize = 2;

/// The typo fallback only forgives terms at least this long (characters, normalised).
pub const NEAR_MIN_CHARS: usize = 4;

/// An extra searchable entry that is not a node.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Extra {
    /// The id shown for it (`participants:UY`).
    pub id: String,
    /// The document the entry belongs to (`cri`).
    pub doc: String,
    pub text: String,
}

/// What a hit points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    Node(NodeRef),
    /// A row of the participants table (an index into `Participants::rows`).
    Participant(usize),
    /// An index into the extras given to [`SearchIndex::with_extra`].
    Extra(usize),
}

/// How a hit matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MatchKind {
    /// The query is the node's number, numeral or id.
    Label,
    /// Every term occurs as typed (or as its kana reading).
    Exact,
    /// Some term only through the glossary's Japanese (`ransomware` → `ランサムウェア`).
    Glossary,
    /// Some term only scattered.
    Fuzzy,
    /// The typo fallback: some term with one edit.
    Near,
}

impl MatchKind {
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Label => "label",
            Self::Exact => "exact",
            Self::Glossary => "glossary",
            Self::Fuzzy => "fuzzy",
            Self::Near => "near",
        }
    }
}

/// One search result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    #[serde(skip)]
    pub target: Target,
    /// Node id (`g7:23`) or entry id (`participants:UY`).
    pub id: String,
    /// Document id (`g7`).
    pub doc: String,
    /// In `[0, 1]`, never increasing down the list (see the module documentation).
    pub score: f64,
    pub kind: MatchKind,
    /// Every positive term occurs as a contiguous substring (label, exact and glossary hits).
    pub exact: bool,
    /// How many times the query's terms occur in the entry.
    pub occurrences: usize,
    /// Character offsets into the entry's original text, sorted and merged.
    pub ranges: Vec<Range<usize>>,
}

/// Counts for one document (or for the participant rows).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocCount {
    /// `G7`, `CRI`, `participants`.
    pub label: String,
    pub places: usize,
    pub occurrences: usize,
}

/// What a search found: the best hits and what to say about all of them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Results {
    /// The best hits, best first, at most the limit asked for.
    pub hits: Vec<Hit>,
    /// Every matching entry, counted (not only the hits kept).
    pub places: usize,
    /// Every occurrence of the query's terms in them.
    pub occurrences: usize,
    /// The same split by document, in corpus order; participant rows last.
    pub by_doc: Vec<DocCount>,
    /// The typo fallback found these: nothing matched as typed.
    pub near: bool,
    /// The terms the fallback forgave, as typed.
    pub near_terms: Vec<String>,
    /// English terms that found their Japanese: `(ransomware, ランサムウェア)`.
    pub glossary: Vec<(String, String)>,
}

impl Results {
    /// More matched than the hits kept.
    #[must_use]
    pub fn cut(&self) -> usize {
        self.places.saturating_sub(self.hits.len())
    }

    /// The header of a result list: `32 matches in 18 places: G7 3, CRI 15`, or `no match`.
    #[must_use]
    pub fn header(&self) -> String {
        if self.places == 0 {
            return "no match".to_string();
        }
        let plural =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        let split: Vec<String> = self
            .by_doc
            .iter()
            .map(|d| format!("{} {}", d.label, d.places))
            .collect();
        format!(
            "{} in {}: {}",
            plural(self.occurrences, "match", "matches"),
            plural(self.places, "place", "places"),
            split.join(", ")
        )
    }

    /// What the reader must be told about how the hits were found: near matches, English
    /// found through the glossary. `None` when the hits are what was typed.
    #[must_use]
    pub fn notice(&self) -> Option<String> {
        if self.near {
            return Some(format!(
                "no exact match — showing near matches for {}",
                self.near_terms
                    .iter()
                    .map(|t| format!("“{t}”"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        if self.glossary.is_empty() {
            return None;
        }
        let mut pairs: Vec<String> = Vec::new();
        for (en, ja) in &self.glossary {
            match pairs
                .iter_mut()
                .find(|p| p.starts_with(&format!("{en} → ")))
            {
                Some(p) => {
                    p.push_str(", ");
                    p.push_str(ja);
                }
                None => pairs.push(format!("{en} → {ja}")),
            }
        }
        Some(pairs.join("; "))
    }
}

/// What running a query gives: the results, or why it cannot be run.
pub type Outcome = Result<Results, QueryError>;

/// Which way `n`/`N` wrapped around the results.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wrap {
    /// Past the last hit, back to the first.
    ToTop,
    /// Before the first hit, on to the last.
    ToBottom,
}

impl Wrap {
    /// What to tell the reader (vim's words).
    #[must_use]
    pub fn notice(self) -> &'static str {
        match self {
            Self::ToTop => "search hit BOTTOM, continuing at TOP",
            Self::ToBottom => "search hit TOP, continuing at BOTTOM",
        }
    }
}

/// Where `n` (`forward`) or `N` goes from hit `from` among `len` hits: the next (previous) hit
/// for which `usable` holds (a node, for the reader), wrapping around, and whether it wrapped.
/// `None` when no hit is usable.
#[must_use]
pub fn step(
    len: usize,
    from: usize,
    forward: bool,
    usable: impl Fn(usize) -> bool,
) -> Option<(usize, Option<Wrap>)> {
    if len == 0 {
        return None;
    }
    let from = from.min(len - 1);
    (1..=len).find_map(|k| {
        let (i, wrapped) = if forward {
            let i = from + k;
            (i % len, (i >= len).then_some(Wrap::ToTop))
        } else {
            let wrapped = (k > from).then_some(Wrap::ToBottom);
            ((from + len - k) % len, wrapped)
        };
        usable(i).then_some((i, wrapped))
    })
}

/// One searchable entry.
#[derive(Debug, Clone)]
struct Entry {
    target: Target,
    id: String,
    /// Index into `SearchIndex::docs`.
    doc: usize,
    /// Byte range of the normalised text in `SearchIndex::text`.
    norm: Range<usize>,
    /// Normalised characters.
    chars: usize,
    /// The map from normalised to original characters, or `None` when normalised character
    /// `k` is original character `k`.
    map: Option<MapRef>,
    /// 2 a document title, 1 a section or annex heading, 0 anything else.
    heading: u8,
}

/// The search index: every entry's normalised text and its map back to the original, built
/// once.
pub struct SearchIndex {
    /// Every entry's normalised text, one after the other.
    text: String,
    entries: Vec<Entry>,
    /// Which entries hold which characters, for skipping entries that lack a term's (`None`:
    /// an index for one query, which reads every entry).
    chars: Option<CharIndex>,
    /// The maps of entries whose normalised text is not the original character for character,
    /// run-length encoded: normalised character `k` came from original characters
    /// `k + shift(k) .. k + shift(k) + 1 + widen(k)`, where `shift` and `widen` are the values
    /// of the last change point at or before `k` (`shifts` and `widens`, `(k, value)`, per
    /// entry). Where only a few characters were left out (`ー`, spaces), a few points each.
    shifts: Vec<(u32, i32)>,
    widens: Vec<(u32, u32)>,
    docs: Vec<String>,
    extras: Vec<Extra>,
    /// The participant rows' texts and keys (code, or the Japanese name).
    participants: Vec<(String, String)>,
    /// Normalised labels and ids of nodes: (label, entry).
    labels: Vec<(String, usize)>,
    matcher: SkimMatcherV2,
}

impl fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SearchIndex")
            .field("entries", &self.entries.len())
            .field("text_bytes", &self.text.len())
            .field("map_points", &(self.shifts.len() + self.widens.len()))
            .field(
                "char_index_bytes",
                &self.chars.as_ref().map(CharIndex::bytes),
            )
            .field("docs", &self.docs)
            .field("extras", &self.extras.len())
            .field("participants", &self.participants.len())
            .finish_non_exhaustive()
    }
}

/// A term's match in one entry.
#[derive(Debug, Clone, Copy)]
struct TermMatch {
    /// As a substring (or anchored), not scattered.
    exact: bool,
    /// Only through glossary forms.
    glossary: bool,
    /// Only with one edit.
    near: bool,
    /// Only as an English word one edit from a glossary term (`interpoll`): ranked as a tight
    /// scattered match, labelled near.
    spelled: bool,
    /// Scattered: characters between the matched ones.
    gaps: usize,
    occurrences: usize,
}

/// Where an entry's map lies in `SearchIndex::shifts` and `SearchIndex::extras`.
#[derive(Debug, Clone)]
struct MapRef {
    shifts: Range<usize>,
    widens: Range<usize>,
}

/// The tiers of match quality, best last.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Tier {
    Near,
    Fuzzy,
    Exact,
}

/// What [`compare`] looks at for one hit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RankFacts {
    /// The query is the node's label or id.
    pub label: bool,
    pub tier: Tier,
    /// Scattered terms: the characters between their matched characters, summed (0 for a
    /// substring).
    pub gaps: usize,
    /// 2 a document title, 1 a section or annex heading, 0 anything else.
    pub heading: u8,
    /// How many of the query's positive terms matched (more than the groups with `|`).
    pub terms: usize,
    pub occurrences: usize,
    /// Normalised characters of the entry.
    pub len: usize,
    /// Corpus order: the documents' nodes in order, then participant rows, then extras.
    pub order: usize,
}

/// The ranking, one rule: `Less` when `a` comes first. In order, the first difference decides:
///
/// 1. a node whose **label or id is the query** (`23` → g7:23, `VII` → the section, `注1` →
///    the note); several such nodes (`3`: g7:3, cri:3, cri:annex-3) in document order, as `:3`
///    would resolve them;
/// 2. **contiguous before scattered** before near: every term as a substring (or through the
///    glossary) beats some term scattered, which beats a typo forgiven; among scattered hits,
///    fewer characters between the matched ones (`ランサムエア` in `ランサムウェア`: one);
/// 3. **headings and titles**: a document's title, then section and annex headings, then the
///    rest (`ランサムウェア` → the CRI's title; `児童` → g7:VII);
/// 4. **centrality**: more of the query's terms (`FATF | REPO`), then more occurrences
///    (`国際刑事警察機構` → g7:37, which names it three times; `UK` → the participant row, which
///    names it as 英国, イギリス and UK, before the lists that name it once), then a shorter
///    text;
/// 5. **document order** (nodes, then participant rows).
#[must_use]
pub fn compare(a: &RankFacts, b: &RankFacts) -> Ordering {
    if a.label && b.label {
        return a.order.cmp(&b.order);
    }
    b.label
        .cmp(&a.label)
        .then(b.tier.cmp(&a.tier))
        .then(a.gaps.cmp(&b.gaps))
        .then(b.heading.cmp(&a.heading))
        .then(b.terms.cmp(&a.terms))
        .then(b.occurrences.cmp(&a.occurrences))
        .then(a.len.cmp(&b.len))
        .then(a.order.cmp(&b.order))
}

/// A matching entry, before it becomes a [`Hit`].
#[derive(Debug, Clone, Copy)]
struct Candidate {
    facts: RankFacts,
    idx: usize,
    kind: MatchKind,
    /// Bit `i`: positive term `i` matched only with one edit.
    forgiven: u64,
}

/// How the passes treat terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pass {
    Normal,
    Near,
}

impl SearchIndex {
    /// Indexes every node of every document.
    #[must_use]
    pub fn new(corpus: &Corpus) -> Self {
        Self::with_extra(corpus, Vec::new())
    }

    /// Indexes every node of every document, then the extra entries.
    #[must_use]
    pub fn with_extra(corpus: &Corpus, extra: Vec<Extra>) -> Self {
        Self::build(corpus, Vec::new(), extra, true)
    }

    /// Nodes, then participant rows (`(id, key, text)`), then extras; with `chars`, the
    /// index of which entries hold which characters.
    fn build(
        corpus: &Corpus,
        participants: Vec<(String, String, String)>,
        extra: Vec<Extra>,
        chars: bool,
    ) -> Self {
        let bytes: usize = corpus
            .iter_nodes()
            .map(|(_, n)| n.text.len())
            .chain(extra.iter().map(|e| e.text.len()))
            .chain(participants.iter().map(|p| p.2.len()))
            .sum();
        let mut index = Self {
            text: String::with_capacity(bytes),
            entries: Vec::new(),
            chars: None,
            shifts: Vec::new(),
            widens: Vec::new(),
            docs: Vec::new(),
            extras: Vec::new(),
            participants: Vec::new(),
            labels: Vec::new(),
            matcher: SkimMatcherV2::default().respect_case(),
        };
        let mut normalizer = Normalizer::new();
        let mut chars = chars.then(|| {
            chars::Builder::new(corpus.iter_nodes().count() + participants.len() + extra.len())
        });
        for (r, node) in corpus.iter_nodes() {
            let doc = &corpus.documents[r.doc].id;
            let heading = match node.kind {
                NodeKind::Title => 2,
                k if k.is_heading() => 1,
                _ => 0,
            };
            let idx = index.entries.len();
            if let Some(label) = node.label() {
                let l = normalizer.normalize(label).text;
                if !l.is_empty() {
                    index.labels.push((l, idx));
                }
            }
            let id = node.id.to_lowercase();
            if let Some((_, local)) = id.split_once(':') {
                index.labels.push((local.to_string(), idx));
            }
            index.labels.push((id, idx));
            index.push(
                &mut normalizer,
                &mut chars,
                Target::Node(r),
                node.id.clone(),
                doc,
                &node.text,
                heading,
            );
        }
        let cri = corpus
            .documents
            .iter()
            .find(|d| d.id == "cri")
            .map_or_else(|| "cri".to_string(), |d| d.id.clone());
        for (i, (id, key, text)) in participants.into_iter().enumerate() {
            index.push(
                &mut normalizer,
                &mut chars,
                Target::Participant(i),
                id,
                &cri,
                &text,
                0,
            );
            index.participants.push((text, key));
        }
        for (i, e) in extra.iter().enumerate() {
            index.push(
                &mut normalizer,
                &mut chars,
                Target::Extra(i),
                e.id.clone(),
                &e.doc,
                &e.text,
                0,
            );
        }
        index.extras = extra;
        index.chars = chars.map(chars::Builder::finish);
        index.text.shrink_to_fit();
        index.shifts.shrink_to_fit();
        index.widens.shrink_to_fit();
        index
    }

    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        nz: &mut Normalizer,
        chars: &mut Option<chars::Builder>,
        target: Target,
        id: String,
        doc: &str,
        text: &str,
        heading: u8,
    ) {
        let doc = if let Some(d) = self.docs.iter().position(|d| d == doc) {
            d
        } else {
            self.docs.push(doc.to_string());
            self.docs.len() - 1
        };
        let begin = self.text.len();
        let (mut starts, mut ends) = (Vec::new(), Vec::new());
        let appended = nz.normalize_into(text, &mut self.text, &mut starts, &mut ends);
        let map = (!appended.identity).then(|| self.encode_map(&starts, &ends));
        if let Some(chars) = chars {
            chars.push(&self.text[begin..]);
        }
        self.entries.push(Entry {
            target,
            id,
            doc,
            norm: begin..self.text.len(),
            chars: appended.chars,
            map,
            heading,
        });
    }

    /// Run-length encodes one entry's map (see `shifts`).
    fn encode_map(&mut self, starts: &[u32], ends: &[u32]) -> MapRef {
        let (s0, e0) = (self.shifts.len(), self.widens.len());
        let (mut shift, mut extra) = (0i64, 0u32);
        for (k, (&s, &e)) in starts.iter().zip(ends).enumerate() {
            let kk = u32::try_from(k).unwrap_or(u32::MAX);
            let d = i64::from(s) - i64::from(kk);
            if d != shift {
                shift = d;
                self.shifts.push((
                    kk,
                    i32::try_from(d).unwrap_or(if d < 0 { i32::MIN } else { i32::MAX }),
                ));
            }
            let x = e.saturating_sub(s).saturating_sub(1);
            if x != extra {
                extra = x;
                self.widens.push((kk, x));
            }
        }
        MapRef {
            shifts: s0..self.shifts.len(),
            widens: e0..self.widens.len(),
        }
    }

    /// The number of entries.
    #[must_use]
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The extra entries, in the order given.
    #[must_use]
    pub fn extras(&self) -> &[Extra] {
        &self.extras
    }

    /// The key of a participant row (its code, or its Japanese name), for selecting it in the
    /// participants table.
    #[must_use]
    pub fn participant_key(&self, row: usize) -> Option<&str> {
        self.participants.get(row).map(|(_, k)| k.as_str())
    }

    /// The original text of a hit's entry: the node's text, the participant row's or the
    /// extra's.
    #[must_use]
    pub fn entry_text<'a>(&'a self, corpus: &'a Corpus, target: Target) -> Option<&'a str> {
        match target {
            Target::Node(r) => corpus
                .documents
                .get(r.doc)
                .and_then(|d| d.nodes.get(r.node))
                .map(|n| n.text.as_str()),
            Target::Participant(i) => self.participants.get(i).map(|(t, _)| t.as_str()),
            Target::Extra(i) => self.extras.get(i).map(|e| e.text.as_str()),
        }
    }

    /// The best `limit` hits for `query`, best first; nothing for a query that cannot be run
    /// (see [`SearchIndex::run`] for the reason and the counts).
    #[must_use]
    pub fn search(&self, query: &str, limit: usize) -> Vec<Hit> {
        self.run(query, limit).map(|r| r.hits).unwrap_or_default()
    }

    /// Runs a query: the best `limit` hits, best first, with counts over every match. A blank
    /// query finds nothing.
    ///
    /// # Errors
    /// A query kaigi cannot honour ([`QueryError`]).
    pub fn run(&self, query: &str, limit: usize) -> Result<Results, QueryError> {
        let query = Query::parse(query)?;
        Ok(self.run_query(&query, limit))
    }

    /// Runs a parsed query (see [`SearchIndex::run`]).
    #[must_use]
    pub fn run_query(&self, query: &Query, limit: usize) -> Results {
        self.run_filtered(query, limit, self.chars.is_some())
    }

    /// [`Self::run_query`], with `filtered` reading only the entries that hold a term's
    /// characters; without, every entry (the reference the filter is tested against).
    fn run_filtered(&self, query: &Query, limit: usize, filtered: bool) -> Results {
        if query.is_empty() {
            return Results::default();
        }
        let mut found = self.labels_for(query);
        let labelled: Vec<usize> = found.iter().map(|c| c.idx).collect();
        found.extend(
            self.pass(query, Pass::Normal, filtered)
                .into_iter()
                .filter(|c| !labelled.contains(&c.idx)),
        );
        if found.is_empty() {
            found = self.pass(query, Pass::Near, filtered);
        }
        // Only the hits kept need their order: the best `limit` picked out, then sorted (the
        // rule is a total order, so this is the head of the whole list sorted).
        let by = |a: &Candidate, b: &Candidate| compare(&a.facts, &b.facts);
        let top = limit.min(found.len());
        if top < found.len() {
            if top > 0 {
                found.select_nth_unstable_by(top - 1, by);
            }
            found[..top].sort_unstable_by(by);
        } else {
            found.sort_unstable_by(by);
        }
        let scores = scores(&found[..top], &found);
        let mut results = Results {
            near: found.iter().any(|c| c.kind == MatchKind::Near)
                && !found.iter().any(|c| c.facts.tier == Tier::Exact),
            ..Results::default()
        };
        self.count(&found, &mut results);
        if results.near {
            results.near_terms = Self::forgiven(query, &found);
        }
        results.glossary = self.glossary_pairs(query, &found);
        results.hits = found
            .iter()
            .zip(scores)
            .take(limit)
            .map(|(c, score)| {
                let entry = &self.entries[c.idx];
                let pass = if c.kind == MatchKind::Near {
                    Pass::Near
                } else {
                    Pass::Normal
                };
                Hit {
                    target: entry.target,
                    id: entry.id.clone(),
                    doc: self.docs[entry.doc].clone(),
                    score,
                    kind: c.kind,
                    exact: matches!(
                        c.kind,
                        MatchKind::Label | MatchKind::Exact | MatchKind::Glossary
                    ),
                    occurrences: c.facts.occurrences,
                    ranges: if c.kind == MatchKind::Label && c.facts.occurrences == 0 {
                        Vec::new()
                    } else {
                        self.ranges(entry, query, pass)
                    },
                }
            })
            .collect();
        results
    }

    /// Counts places and occurrences, split by document.
    fn count(&self, found: &[Candidate], results: &mut Results) {
        results.places = found.len();
        let mut by: Vec<(usize, bool, usize, usize)> = Vec::new(); // (doc, participant, places, occ)
        for c in found {
            let entry = &self.entries[c.idx];
            results.occurrences += c.facts.occurrences;
            let key = (entry.doc, !matches!(entry.target, Target::Node(_)));
            match by.iter_mut().find(|b| (b.0, b.1) == key) {
                Some(b) => {
                    b.2 += 1;
                    b.3 += c.facts.occurrences;
                }
                None => by.push((key.0, key.1, 1, c.facts.occurrences)),
            }
        }
        by.sort_unstable_by_key(|b| (b.1, b.0));
        results.by_doc = by
            .into_iter()
            .map(|(doc, extra, places, occurrences)| DocCount {
                label: if extra {
                    "participants".to_string()
                } else {
                    self.docs[doc].to_uppercase()
                },
                places,
                occurrences,
            })
            .collect();
    }

    /// Nodes whose label or id is the query, as a reader writes a reference: `23`, `23.`,
    /// `第23項`, `paragraph 23`, `§23`, `VII`, `section Ⅶ`, `annex II`, `(注1)`, `note 1`,
    /// `cri:3`.
    fn labels_for(&self, query: &Query) -> Vec<Candidate> {
        if !query.is_plain() || query.raw.is_empty() {
            return Vec::new();
        }
        let keys = label_keys(&query.raw);
        let mut out: Vec<Candidate> = Vec::new();
        for (label, idx) in &self.labels {
            if keys.iter().any(|k| k == label) && out.iter().all(|c| c.idx != *idx) {
                let mut facts = self.facts(*idx, Tier::Exact, 0, 1, 0);
                facts.label = true;
                let hay = self.hay(&self.entries[*idx]);
                facts.occurrences = query
                    .terms()
                    .flat_map(|t| &t.forms)
                    .map(|f| f.find_iter(hay).count())
                    .sum();
                out.push(Candidate {
                    facts,
                    idx: *idx,
                    kind: MatchKind::Label,
                    forgiven: 0,
                });
            }
        }
        out
    }

    fn hay(&self, entry: &Entry) -> &str {
        &self.text[entry.norm.clone()]
    }

    fn facts(&self, idx: usize, tier: Tier, gaps: usize, terms: usize, occ: usize) -> RankFacts {
        let e = &self.entries[idx];
        RankFacts {
            label: false,
            tier,
            gaps,
            heading: e.heading,
            terms,
            occurrences: occ,
            len: e.chars,
            order: idx,
        }
    }

    /// Every entry the query matches in this pass.
    fn pass(&self, query: &Query, pass: Pass, filtered: bool) -> Vec<Candidate> {
        let chars = self.chars.as_ref().filter(|_| filtered);
        let filter = Filter::new(chars, self.entries.len(), query, pass);
        let mut found = Vec::new();
        // Only the entries that hold the characters of some form of every group's terms:
        // the others are skipped without their text being read.
        'entries: for idx in filter.candidates.iter() {
            let Some(entry) = self.entries.get(idx) else {
                continue;
            };
            let hay = self.hay(entry);
            let row = !matches!(entry.target, Target::Node(_));
            let mut tier = Tier::Exact;
            let mut gaps = 0usize;
            let mut terms = 0usize;
            let mut occ = 0usize;
            let mut glossary = false;
            let mut forgiven = 0u64;
            let mut bit = 0u32;
            let mut ti = 0usize;
            for group in &query.groups {
                let mut ok = false;
                for term in group {
                    let here = filter.here(ti, idx);
                    ti += 1;
                    let this = 1u64.checked_shl(bit).unwrap_or(0);
                    if !term.inverse {
                        bit += 1;
                    }
                    if term.inverse {
                        if Self::match_term(term, here, hay, Pass::Normal).is_none() {
                            ok = true;
                        }
                        continue;
                    }
                    if let Some(m) = Self::match_term(term, here, hay, pass) {
                        ok = true;
                        terms += 1;
                        // A participant row lists the names of one participant: it names
                        // it once, however many of its names match.
                        occ += if row {
                            m.occurrences.min(1)
                        } else {
                            m.occurrences
                        };
                        gaps += m.gaps;
                        glossary |= m.glossary;
                        if m.near || m.spelled {
                            forgiven |= this;
                        }
                        let t = if m.near {
                            Tier::Near
                        } else if m.exact {
                            Tier::Exact
                        } else {
                            Tier::Fuzzy
                        };
                        tier = tier.min(t);
                    }
                }
                if !ok {
                    continue 'entries;
                }
            }
            if pass == Pass::Near && tier != Tier::Near {
                continue;
            }
            let kind = match tier {
                _ if forgiven != 0 => MatchKind::Near,
                Tier::Near => MatchKind::Near,
                Tier::Fuzzy => MatchKind::Fuzzy,
                Tier::Exact if glossary => MatchKind::Glossary,
                Tier::Exact => MatchKind::Exact,
            };
            found.push(Candidate {
                facts: self.facts(idx, tier, gaps, terms, occ),
                idx,
                kind,
                forgiven,
            });
        }
        found
    }

    /// How a positive term matches normalised text, if it does.
    fn match_term(term: &Term, here: Here<'_>, hay: &str, pass: Pass) -> Option<TermMatch> {
        let anchored = match term.kind {
            MatchType::Prefix => Some((true, false)),
            MatchType::Suffix => Some((false, true)),
            MatchType::Equal => Some((true, true)),
            MatchType::Fuzzy | MatchType::Exact => None,
        };
        let exact = |occurrences: usize, glossary: bool| TermMatch {
            exact: true,
            glossary,
            near: false,
            spelled: false,
            gaps: 0,
            occurrences,
        };
        if let Some((prefix, suffix)) = anchored {
            let mut literal = false;
            let mut any = false;
            for f in here.forms(term) {
                if f.anchored_in(hay, prefix, suffix) {
                    any = true;
                    literal |= !matches!(f.source, Source::Glossary(_));
                }
            }
            if any {
                return Some(exact(1, !literal));
            }
        } else {
            // Forms that match at the same place (チェコ and チェコ共和国) count once.
            let mut forms = here.forms(term);
            let (first, second) = (forms.next(), forms.next());
            let (found, literal) = match (first, second) {
                (None, _) => (0, false),
                // One form: its occurrences are distinct already (no list to sort).
                (Some(f), None) => {
                    let n = f.count_in(hay);
                    (n, n > 0 && !matches!(f.source, Source::Glossary(_)))
                }
                (Some(a), Some(b)) => {
                    let mut starts: Vec<usize> = Vec::new();
                    let mut literal = false;
                    for f in [a, b].into_iter().chain(forms) {
                        let before = starts.len();
                        starts.extend(f.find_iter(hay));
                        literal |=
                            starts.len() > before && !matches!(f.source, Source::Glossary(_));
                    }
                    starts.sort_unstable();
                    starts.dedup();
                    (starts.len(), literal)
                }
            };
            if found > 0 {
                return Some(exact(found, !literal));
            }
            if term.scatters() {
                let best = here
                    .forms(term)
                    .filter(|f| !matches!(f.source, Source::Glossary(_)))
                    .filter_map(|form| {
                        let (_, _, span) = scatter_window(hay, form)?;
                        Some(span.saturating_sub(form.chars.len()))
                    })
                    .min();
                if let Some(gaps) = best {
                    return Some(TermMatch {
                        exact: false,
                        glossary: false,
                        near: false,
                        spelled: false,
                        gaps,
                        occurrences: 1,
                    });
                }
            }
            // An English word one edit from a glossary term: its Japanese.
            if term.kind == MatchType::Fuzzy {
                let n: usize = term
                    .near
                    .iter()
                    .enumerate()
                    .filter(|&(i, _)| here.near.get(i).is_some_and(|e| e.contains(here.entry)))
                    .map(|(_, f)| f)
                    .map(|f| f.find_iter(hay).count())
                    .sum();
                if n > 0 {
                    return Some(TermMatch {
                        exact: false,
                        glossary: true,
                        near: false,
                        spelled: true,
                        gaps: 1,
                        occurrences: n,
                    });
                }
            }
        }
        if pass == Pass::Near && term.kind == MatchType::Fuzzy {
            let n = term
                .forms
                .iter()
                .enumerate()
                .filter(|&(i, f)| {
                    is_near_form(f) && here.typo.get(i).is_some_and(|e| e.contains(here.entry))
                })
                .map(|(_, f)| f)
                .map(|f| f.typo.find(hay).len())
                .max()
                .unwrap_or(0);
            if n > 0 {
                return Some(TermMatch {
                    exact: false,
                    glossary: false,
                    near: true,
                    spelled: false,
                    gaps: 0,
                    occurrences: n,
                });
            }
        }
        None
    }

    /// The terms the near pass forgave, as typed.
    fn forgiven(query: &Query, found: &[Candidate]) -> Vec<String> {
        let all = found.iter().fold(0u64, |acc, c| acc | c.forgiven);
        query
            .positive()
            .enumerate()
            .filter(|(i, _)| {
                u32::try_from(*i)
                    .ok()
                    .and_then(|i| 1u64.checked_shl(i))
                    .is_some_and(|b| all & b != 0)
            })
            .map(|(_, t)| t.raw.clone())
            .collect()
    }

    /// The glossary pairs whose Japanese occurs in some hit found only through the glossary
    /// (or, for near matches, through a glossary term one edit away).
    fn glossary_pairs(&self, query: &Query, found: &[Candidate]) -> Vec<(String, String)> {
        let found: Vec<Candidate> = found
            .iter()
            .filter(|c| matches!(c.kind, MatchKind::Glossary | MatchKind::Near))
            .copied()
            .collect();
        let mut out = Vec::new();
        for term in query.positive() {
            for f in term.forms.iter().chain(&term.near) {
                let Source::Glossary(ja) = &f.source else {
                    continue;
                };
                let used = found
                    .iter()
                    .any(|c| f.occurs_in(self.hay(&self.entries[c.idx])));
                if used {
                    out.push((term.raw.clone(), ja.clone()));
                }
            }
        }
        out
    }

    /// The original characters that the positive terms matched in an entry.
    fn ranges(&self, entry: &Entry, query: &Query, pass: Pass) -> Vec<Range<usize>> {
        let hay = self.hay(entry);
        // Matches as byte ranges of the normalised text.
        let mut bytes: Vec<Range<usize>> = Vec::new();
        for term in query.positive() {
            let before = bytes.len();
            let mut plain = before;
            match term.kind {
                MatchType::Prefix | MatchType::Suffix | MatchType::Equal => {
                    let (p, s) = match term.kind {
                        MatchType::Prefix => (true, false),
                        MatchType::Suffix => (false, true),
                        _ => (true, true),
                    };
                    if let Some(f) = term.forms.iter().find(|f| f.anchored_in(hay, p, s)) {
                        let n = f.text.len();
                        bytes.push(if s { hay.len() - n..hay.len() } else { 0..n });
                    }
                }
                MatchType::Fuzzy | MatchType::Exact => {
                    for form in &term.forms {
                        bytes.extend(form.find_iter(hay).map(|s| s..s + form.text.len()));
                    }
                    if bytes.len() == before && term.scatters() {
                        self.scattered_ranges(hay, term, &mut bytes);
                    }
                    plain = bytes.len();
                    if bytes.len() == before && term.kind == MatchType::Fuzzy {
                        for f in &term.near {
                            bytes.extend(f.find_iter(hay).map(|s| s..s + f.text.len()));
                        }
                    }
                }
            }
            if plain == before
                && pass == Pass::Near
                && term.kind == MatchType::Fuzzy
                && let Some(best) = near_forms(term)
                    .map(|f| f.typo.find(hay))
                    .max_by_key(Vec::len)
            {
                bytes.extend(best);
            }
        }
        self.to_char_ranges(entry, hay, &bytes)
    }

    fn scattered_ranges(&self, hay: &str, term: &Term, bytes: &mut Vec<Range<usize>>) {
        let best = term
            .forms
            .iter()
            .filter(|f| !matches!(f.source, Source::Glossary(_)))
            .filter_map(|form| {
                let (ctx, end, _) = scatter_window(hay, form)?;
                let (score, idx) = self.matcher.fuzzy_indices(&hay[ctx..end], &form.text)?;
                Some((score, ctx, end, idx))
            })
            .max_by_key(|&(score, ..)| score);
        if let Some((_, ctx, end, idx)) = best {
            let window: Vec<(usize, char)> = hay[ctx..end].char_indices().collect();
            for i in idx {
                if let Some(&(b, c)) = window.get(i) {
                    bytes.push(ctx + b..ctx + b + c.len_utf8());
                }
            }
        }
    }

    /// Byte ranges of an entry's normalised text to merged character ranges of its original.
    fn to_char_ranges(
        &self,
        entry: &Entry,
        hay: &str,
        bytes: &[Range<usize>],
    ) -> Vec<Range<usize>> {
        let mut points: Vec<usize> = bytes.iter().flat_map(|r| [r.start, r.end]).collect();
        points.sort_unstable();
        points.dedup();
        // A point's character index is the number of characters that start before it: count
        // the lead bytes between one point and the next (no walk over every character).
        let bytes_of = hay.as_bytes();
        let mut char_of = Vec::with_capacity(points.len());
        let (mut at, mut chars) = (0usize, 0usize);
        for &p in &points {
            let p = p.min(bytes_of.len());
            chars += bytes_of[at.min(p)..p]
                .iter()
                .filter(|&&b| b & 0xC0 != 0x80)
                .count();
            at = at.max(p);
            char_of.push(chars);
        }
        let to_char = |b: usize| {
            points
                .binary_search(&b)
                .ok()
                .and_then(|i| char_of.get(i).copied())
        };
        let mut out: Vec<Range<usize>> = bytes
            .iter()
            .filter_map(|r| {
                let (a, b) = (to_char(r.start)?, to_char(r.end)?);
                (a < b).then(|| self.to_original(entry, a..b))
            })
            .collect();
        out.sort_by_key(|r| (r.start, r.end));
        merge(out)
    }

    /// Normalised character range of an entry to original character range.
    fn to_original(&self, entry: &Entry, r: Range<usize>) -> Range<usize> {
        let Some(map) = &entry.map else {
            return r;
        };
        let shift_at = |k: usize| {
            let pts = &self.shifts[map.shifts.clone()];
            let i = pts.partition_point(|&(p, _)| p as usize <= k);
            i.checked_sub(1).map_or(0, |i| i64::from(pts[i].1))
        };
        let widen_at = |k: usize| {
            let pts = &self.widens[map.widens.clone()];
            let i = pts.partition_point(|&(p, _)| p as usize <= k);
            i.checked_sub(1).map_or(0, |i| pts[i].1 as usize)
        };
        let at = |k: usize| {
            usize::try_from(i64::try_from(k).unwrap_or(i64::MAX) + shift_at(k)).unwrap_or(0)
        };
        let last = r.end.saturating_sub(1).max(r.start);
        let s = at(r.start);
        let e = at(last) + 1 + widen_at(last);
        s..e.max(s)
    }
}

/// The ways a reader may write a reference to a node, normalised like the labels: the query,
/// without brackets and punctuation around it, without a word that says what it is
/// (`paragraph`, `para`, `section`, `第`, `項`, `段落`), with `annex` and `note` read as the ids
/// and labels write them (`annex-ii`, `注1`).
fn label_keys(raw: &str) -> Vec<String> {
    let n = normalize::normalize(raw).text;
    let trim = |s: &str| {
        s.trim_matches(|c: char| {
            c.is_whitespace() || "()[]{}「」『』【】<>.,、。:：・§#№*".contains(c)
        })
        .to_string()
    };
    let mut keys = vec![trim(&n)];
    for (prefix, add) in [
        ("paragraph", ""),
        ("para", ""),
        ("par", ""),
        ("no", ""),
        ("第", ""),
        ("section", ""),
        ("sec", ""),
        ("annex", "annex-"),
        ("附属文書", "annex-"),
        ("note", "注"),
    ] {
        if let Some(rest) = keys[0].strip_prefix(prefix) {
            let rest = trim(rest);
            if !rest.is_empty() {
                keys.push(format!("{add}{rest}"));
            }
        }
    }
    for suffix in ["項", "段落", "パラ", "章", "節", "段"] {
        for k in keys.clone() {
            if let Some(r) = k.strip_suffix(suffix) {
                keys.push(trim(r));
            }
        }
    }
    keys.retain(|k| !k.is_empty());
    keys
}

/// The forms of a term the typo fallback may forgive: its literal and kana forms of at least
/// [`NEAR_MIN_CHARS`] characters (the glossary's Japanese is not a typing).
fn near_forms(term: &Term) -> impl Iterator<Item = &Form> {
    term.forms.iter().filter(|f| is_near_form(f))
}

fn is_near_form(f: &Form) -> bool {
    !matches!(f.source, Source::Glossary(_)) && f.chars.len() >= NEAR_MIN_CHARS
}

/// For one pass of one query: for every term (in [`Query::terms`] order) and every form of
/// it, the entries that hold its characters (`typo`: all but one, in the near pass); and the
/// entries that may match the whole query.
struct Filter {
    forms: Vec<Vec<Entries>>,
    near: Vec<Vec<Entries>>,
    typo: Vec<Vec<Entries>>,
    candidates: Entries,
}

/// What [`Filter`] says of one entry, for one term.
#[derive(Clone, Copy)]
struct Here<'a> {
    forms: &'a [Entries],
    near: &'a [Entries],
    typo: &'a [Entries],
    entry: usize,
}

impl Here<'_> {
    /// The term's forms whose characters the entry holds.
    fn forms<'t>(&self, term: &'t Term) -> impl Iterator<Item = &'t Form> + use<'t, '_> {
        term.forms
            .iter()
            .enumerate()
            .filter(|&(i, _)| self.forms.get(i).is_some_and(|e| e.contains(self.entry)))
            .map(|(_, f)| f)
    }
}

impl Filter {
    /// Without `chars`, every entry may hold every form.
    fn new(chars: Option<&CharIndex>, n: usize, query: &Query, pass: Pass) -> Self {
        let holding = |f: &Form| chars.map_or_else(|| Entries::all(n), |c| c.holding_all(&f.chars));
        let mut filter = Filter {
            forms: Vec::new(),
            near: Vec::new(),
            typo: Vec::new(),
            candidates: Entries::all(n),
        };
        for group in &query.groups {
            // A group with an inverse term may match any entry.
            let mut group_may = (!group.iter().any(|t| t.inverse)).then(|| Entries::none(n));
            for term in group {
                let forms: Vec<Entries> = term.forms.iter().map(holding).collect();
                let near: Vec<Entries> = term.near.iter().map(holding).collect();
                let typo: Vec<Entries> = if pass == Pass::Near && term.kind == MatchType::Fuzzy {
                    term.forms
                        .iter()
                        .map(|f| {
                            if is_near_form(f) {
                                chars.map_or_else(
                                    || Entries::all(n),
                                    |c| c.holding_all_but_one(&f.chars),
                                )
                            } else {
                                Entries::none(n)
                            }
                        })
                        .collect()
                } else {
                    Vec::new()
                };
                if let Some(may) = &mut group_may {
                    for e in &forms {
                        may.or(e);
                    }
                    if term.kind == MatchType::Fuzzy {
                        for e in near.iter().chain(&typo) {
                            may.or(e);
                        }
                    }
                }
                filter.forms.push(forms);
                filter.near.push(near);
                filter.typo.push(typo);
            }
            if let Some(may) = &group_may {
                filter.candidates.and(may);
            }
        }
        filter
    }

    fn here(&self, term: usize, entry: usize) -> Here<'_> {
        Here {
            forms: self.forms.get(term).map_or(&[], Vec::as_slice),
            near: self.near.get(term).map_or(&[], Vec::as_slice),
            typo: self.typo.get(term).map_or(&[], Vec::as_slice),
            entry,
        }
    }
}

/// Each kept candidate's score (see the module documentation), in the order of `found` (the
/// head of `all` sorted; `all` is every candidate, for the size of each band).
fn scores(found: &[Candidate], all: &[Candidate]) -> Vec<f64> {
    let band = |c: &Candidate| match (c.facts.label, c.facts.tier) {
        (true, _) => (1.0, 1.0),
        (false, Tier::Exact) => (0.99, 0.5),
        (false, Tier::Fuzzy) => (0.5, 0.25),
        (false, Tier::Near) => (0.25, 0.0),
    };
    let mut out = Vec::with_capacity(found.len());
    let mut i = 0;
    while i < found.len() {
        let (hi, lo) = band(&found[i]);
        let mut j = i;
        while j < found.len() && band(&found[j]) == (hi, lo) {
            j += 1;
        }
        let n = all.iter().filter(|c| band(c) == (hi, lo)).count() as f64;
        let mut first_equal = i;
        for k in i..j {
            if k > i && compare(&found[k].facts, &found[k - 1].facts) != Ordering::Equal {
                first_equal = k;
            }
            let pos = (first_equal - i) as f64;
            out.push(hi - (hi - lo) * pos / n);
        }
        i = j;
    }
    out
}

/// The tightest window of `hay` (byte range, starting one character before the first match for
/// context) in which the form's characters occur in order, spanning at most
/// [`MAX_SCATTER`] × its length in characters; and that span, in characters.
fn scatter_window(hay: &str, form: &Form) -> Option<(usize, usize, usize)> {
    let p = &form.chars;
    let (&first, rest) = p.split_first()?;
    if rest.is_empty() {
        return None; // a single character matches only as a substring
    }
    let max_span = MAX_SCATTER * p.len();
    let mut best: Option<(usize, usize, usize)> = None; // (span, start, end)
    for s in form.first.find_iter(hay.as_bytes()) {
        let mut j = 0;
        let mut span = 1;
        let mut end = None;
        let after = s + first.len_utf8();
        if hay.len() - after < rest.len() {
            break; // fewer bytes left than characters needed
        }
        for (off, c) in hay[after..].char_indices() {
            span += 1;
            if span > max_span {
                break;
            }
            if c == rest[j] {
                j += 1;
                if j == rest.len() {
                    end = Some(after + off + c.len_utf8());
                    break;
                }
            }
        }
        match end {
            Some(e) if best.is_none_or(|(b, ..)| span < b) => {
                best = Some((span, s, e));
                if span == p.len() + 1 {
                    break; // one gap character: nothing tighter that is not a substring
                }
            }
            // Ran out of text: no later start can complete either.
            None if span <= max_span => break,
            Some(_) | None => {}
        }
    }
    let (span, s, e) = best?;
    let ctx = hay[..s].char_indices().next_back().map_or(s, |(b, _)| b);
    Some((ctx, e, span))
}

#[cfg(test)]
mod tests;
