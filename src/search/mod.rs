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
pub mod piece;
pub mod query;
mod snippet;

use std::cmp::Ordering;
use std::fmt;
use std::ops::Range;
use std::sync::Arc;

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;
use serde::Serialize;

use crate::corpus::{Corpus, NodeKind, NodeRef};
use chars::{CharIndex, Entries};
use piece::{Piece, PieceBuilder};
use query::{Form, MatchType, Query, Source, Term};

pub use entries::{searchable, searchable_from, searchable_in_pieces, searchable_once};
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

/// The search index: every entry's normalised text and its map back to the original, in
/// pieces (see [`piece`]), built once; or, while it is built, the pieces built so far.
pub struct SearchIndex {
    pieces: Vec<Arc<Piece>>,
    /// The first entry of each piece (in corpus order), then the number of entries.
    starts: Vec<usize>,
    /// Whether a search reads only the entries that hold a term's characters (the pieces have
    /// character indexes).
    filtered: bool,
    docs: Vec<String>,
    extras: Vec<Extra>,
    /// The participant rows' texts and keys (code, or the Japanese name).
    participants: Vec<(String, String)>,
    /// Bytes of original text indexed, of how many there are (equal once complete).
    done: usize,
    total: usize,
    complete: bool,
    matcher: SkimMatcherV2,
}

impl fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let b = self.bytes();
        f.debug_struct("SearchIndex")
            .field("entries", &self.len())
            .field("pieces", &self.pieces.len())
            .field("complete", &self.complete)
            .field("bytes", &b)
            .field("total_bytes", &b.total())
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
    /// In corpus order (the entry's number), and where it is: its piece and its place there.
    idx: usize,
    piece: u32,
    local: u32,
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

/// What a partial index is handed out with while it is built: how far it has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Bytes of original text indexed.
    pub done: usize,
    pub total: usize,
}

impl Progress {
    /// In whole percent: 100 only when done, 1 once anything is (results from the first
    /// piece of a large file are not from 0% of it).
    #[must_use]
    pub fn percent(&self) -> usize {
        if self.done >= self.total {
            100
        } else if self.done == 0 {
            0
        } else {
            (self.done.saturating_mul(100) / self.total.max(1)).clamp(1, 99)
        }
    }
}

/// The sizes of the pieces and the character index's rule, for building (tests use small
/// ones).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Sizes {
    pub first: usize,
    pub max: usize,
    pub all_from: usize,
}

impl Default for Sizes {
    fn default() -> Self {
        Sizes {
            first: piece::PIECE_FIRST,
            max: piece::PIECE_MAX,
            all_from: chars::ALL_FROM,
        }
    }
}

/// Builds a [`SearchIndex`] in pieces, resumably: the nodes as far as they are settled (a
/// file still being read: [`Builder::push_nodes`] up to the first node that may change, a
/// slice at a time), then the rest, the participant rows and the extras
/// ([`Builder::finish`]). After each piece, `publish` is given the index as far as it has come.
#[derive(Debug)]
pub struct Builder {
    index: SearchIndex,
    b: PieceBuilder,
    /// The next node to index.
    next: NodeRef,
}

impl Builder {
    #[must_use]
    pub(crate) fn new(chars: bool, sizes: Sizes) -> Self {
        Builder {
            index: SearchIndex {
                pieces: Vec::new(),
                starts: vec![0],
                filtered: chars,
                docs: Vec::new(),
                extras: Vec::new(),
                participants: Vec::new(),
                done: 0,
                total: 0,
                complete: false,
                matcher: SkimMatcherV2::default().respect_case(),
            },
            b: PieceBuilder::new(chars, sizes),
            next: NodeRef { doc: 0, node: 0 },
        }
    }

    /// A builder for the index [`searchable`] makes.
    #[must_use]
    pub fn searchable() -> Self {
        Self::new(true, Sizes::default())
    }

    fn seal(&mut self, publish: &mut dyn FnMut(&SearchIndex)) -> bool {
        let Some(p) = self.b.seal() else {
            return false;
        };
        let last = self.index.starts.last().copied().unwrap_or(0);
        self.index.starts.push(last + p.len());
        self.index.pieces.push(Arc::new(p));
        publish(&self.index);
        true
    }

    /// Indexes the nodes from the last one indexed up to `until` (not included; `None`: every
    /// node), while `more()` says to go on (it is asked between nodes). True when a piece was
    /// handed out.
    pub fn push_nodes(
        &mut self,
        corpus: &Corpus,
        until: Option<NodeRef>,
        more: &mut dyn FnMut() -> bool,
        publish: &mut dyn FnMut(&SearchIndex),
    ) -> bool {
        let mut sealed = false;
        // Nodes from `until` on may still change; a document still being read may get more
        // of them, so the next is not begun before `until` says this one is done.
        while until.is_none_or(|u| (self.next.doc, self.next.node) < (u.doc, u.node))
            && let Some(doc) = corpus.documents.get(self.next.doc)
        {
            let Some(node) = doc.nodes.get(self.next.node) else {
                if self.next.doc + 1 >= corpus.documents.len() {
                    break;
                }
                self.next = NodeRef {
                    doc: self.next.doc + 1,
                    node: 0,
                };
                continue;
            };
            if !more() {
                break;
            }
            let heading = match node.kind {
                NodeKind::Title => 2,
                k if k.is_heading() => 1,
                _ => 0,
            };
            let d = self.index.doc(&doc.id);
            self.b.push(
                Target::Node(self.next),
                &node.id,
                d,
                &doc.id,
                &node.text,
                heading,
                node.label(),
            );
            self.index.done = self.index.done.saturating_add(node.text.len());
            self.next.node += 1;
            if self.b.is_full() {
                sealed |= self.seal(publish);
            }
        }
        sealed
    }

    /// The index as far as it has come (see [`SearchIndex::partial`]).
    #[must_use]
    pub fn partial(&self) -> SearchIndex {
        self.index.partial()
    }

    /// Indexes the nodes left, then the participant rows (`(id, key, text)`) and the extras:
    /// the whole index.
    pub fn finish(
        mut self,
        corpus: &Corpus,
        participants: impl FnOnce() -> Vec<(String, String, String)>,
        extra: Vec<Extra>,
        publish: &mut dyn FnMut(&SearchIndex),
    ) -> SearchIndex {
        self.index.total = corpus
            .iter_nodes()
            .map(|(_, n)| n.text.len())
            .chain(extra.iter().map(|e| e.text.len()))
            .fold(0, usize::saturating_add);
        self.push_nodes(corpus, None, &mut || true, publish);
        let cri = corpus
            .documents
            .iter()
            .find(|d| d.id == "cri")
            .map_or_else(|| "cri".to_string(), |d| d.id.clone());
        for (i, (id, key, text)) in participants().into_iter().enumerate() {
            let doc = self.index.doc(&cri);
            self.b
                .push(Target::Participant(i), &id, doc, &cri, &text, 0, None);
            self.index.participants.push((text, key));
            if self.b.is_full() {
                self.seal(publish);
            }
        }
        for (i, e) in extra.iter().enumerate() {
            let doc = self.index.doc(&e.doc);
            self.b
                .push(Target::Extra(i), &e.id, doc, &e.doc, &e.text, 0, None);
            self.index.done = self.index.done.saturating_add(e.text.len());
            if self.b.is_full() {
                self.seal(publish);
            }
        }
        // The last piece: the index is returned whole rather than handed out.
        self.seal(&mut |_| {});
        let mut index = self.index;
        index.extras = extra;
        index.participants.shrink_to_fit();
        index.done = index.total;
        index.complete = true;
        index
    }
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
        Self::build(corpus, Vec::new, extra, true, Sizes::default(), |_| {})
    }

    /// Nodes, then participant rows (`(id, key, text)`, made once the nodes are indexed),
    /// then extras; with `chars`, the index of which entries hold which characters. After
    /// each piece, `publish` is given the index as far as it has come (the pieces are shared
    /// with it, not copied).
    pub(crate) fn build(
        corpus: &Corpus,
        participants: impl FnOnce() -> Vec<(String, String, String)>,
        extra: Vec<Extra>,
        chars: bool,
        sizes: Sizes,
        mut publish: impl FnMut(&SearchIndex),
    ) -> Self {
        Builder::new(chars, sizes).finish(corpus, participants, extra, &mut publish)
    }

    /// The index of a document's id in `docs`, added when new.
    fn doc(&mut self, id: &str) -> u32 {
        let d = if let Some(d) = self.docs.iter().position(|d| d == id) {
            d
        } else {
            self.docs.push(id.to_string());
            self.docs.len() - 1
        };
        u32::try_from(d).unwrap_or(u32::MAX)
    }

    /// The index as far as it has come: the pieces built, shared.
    #[must_use]
    pub fn partial(&self) -> SearchIndex {
        SearchIndex {
            pieces: self.pieces.clone(),
            starts: self.starts.clone(),
            filtered: self.filtered,
            docs: self.docs.clone(),
            extras: Vec::new(),
            participants: self.participants.clone(),
            done: self.done,
            total: self.total,
            complete: false,
            matcher: SkimMatcherV2::default().respect_case(),
        }
    }

    /// The first `k` pieces alone (for tests: a partial index as the builder hands it out).
    #[cfg(test)]
    fn first_pieces(&self, k: usize) -> SearchIndex {
        let mut p = self.partial();
        p.pieces.truncate(k);
        p.starts.truncate(k + 1);
        p
    }

    /// Whether every entry is indexed.
    #[must_use]
    pub fn is_complete(&self) -> bool {
        self.complete
    }

    /// How far the building has come.
    #[must_use]
    pub fn progress(&self) -> Progress {
        Progress {
            done: self.done,
            total: self.total,
        }
    }

    /// How many pieces it has.
    #[must_use]
    pub fn pieces(&self) -> usize {
        self.pieces.len()
    }

    /// The bytes it takes, part by part (allocated capacity of the pieces; the extras and
    /// participant rows are not counted).
    #[must_use]
    pub fn bytes(&self) -> piece::Bytes {
        let mut b = piece::Bytes::default();
        for p in &self.pieces {
            b.add(&p.bytes());
        }
        b
    }

    /// The number of entries.
    #[must_use]
    pub fn len(&self) -> usize {
        self.starts.last().copied().unwrap_or(0)
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
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
        self.run_filtered(query, limit, self.filtered)
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
                let (piece, local) = self.at(c);
                let pass = if c.kind == MatchKind::Near {
                    Pass::Near
                } else {
                    Pass::Normal
                };
                Hit {
                    target: piece.target(local),
                    id: piece.id(local, &self.docs),
                    doc: self
                        .docs
                        .get(piece.entry(local).doc as usize)
                        .cloned()
                        .unwrap_or_default(),
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
                        self.ranges(piece, local, query, pass)
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
            let (piece, local) = self.at(c);
            results.occurrences += c.facts.occurrences;
            let key = (piece.entry(local).doc as usize, !piece.is_node(local));
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
                    self.docs
                        .get(doc)
                        .map_or_else(String::new, |d| d.to_uppercase())
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
        let docs: Vec<String> = self.docs.iter().map(|d| d.to_lowercase()).collect();
        let mut out: Vec<Candidate> = Vec::new();
        for (p, piece) in self.pieces.iter().enumerate() {
            let base = self.starts[p];
            for local in 0..piece.len() {
                if !piece.is_node(local) || !keys.iter().any(|k| is_label(piece, local, &docs, k)) {
                    continue;
                }
                let idx = base + local;
                let mut facts = Self::facts(piece, local, idx, Tier::Exact, 0, 1, 0);
                facts.label = true;
                let hay = piece.hay(local);
                facts.occurrences = query
                    .terms()
                    .flat_map(|t| &t.forms)
                    .map(|f| f.find_iter(hay).count())
                    .sum();
                out.push(Candidate {
                    facts,
                    idx,
                    piece: u32::try_from(p).unwrap_or(u32::MAX),
                    local: u32::try_from(local).unwrap_or(u32::MAX),
                    kind: MatchKind::Label,
                    forgiven: 0,
                });
            }
        }
        out
    }

    /// A candidate's piece and its place in it.
    fn at(&self, c: &Candidate) -> (&Piece, usize) {
        (&self.pieces[c.piece as usize], c.local as usize)
    }

    fn facts(
        piece: &Piece,
        local: usize,
        idx: usize,
        tier: Tier,
        gaps: usize,
        terms: usize,
        occ: usize,
    ) -> RankFacts {
        let e = piece.entry(local);
        RankFacts {
            label: false,
            tier,
            gaps,
            heading: e.heading,
            terms,
            occurrences: occ,
            len: e.chars as usize,
            order: idx,
        }
    }

    /// Every entry the query matches in this pass.
    fn pass(&self, query: &Query, pass: Pass, filtered: bool) -> Vec<Candidate> {
        let mut found = Vec::new();
        for (p, piece) in self.pieces.iter().enumerate() {
            self.pass_piece(query, pass, filtered, p, piece, &mut found);
        }
        found
    }

    /// [`Self::pass`] over one piece.
    fn pass_piece(
        &self,
        query: &Query,
        pass: Pass,
        filtered: bool,
        p: usize,
        piece: &Piece,
        found: &mut Vec<Candidate>,
    ) {
        let chars = piece.chars.as_ref().filter(|_| filtered);
        let filter = Filter::new(chars, piece.len(), query, pass);
        let base = self.starts[p];
        // One term of one form, counted plainly, in most of the piece's entries (a query of a
        // character or two as it is first typed): one scan of the piece's text rather than
        // one search an entry. (Not without the filter: that is the reference the tests hold
        // this to.)
        let holding = filter.candidates.count();
        found.reserve(holding);
        if filtered
            && pass == Pass::Normal
            && let Some(form) = single_scan(query)
            && holding * 2 >= piece.len()
        {
            let glossary = matches!(form.source, Source::Glossary(_));
            let kind = if glossary {
                MatchKind::Glossary
            } else {
                MatchKind::Exact
            };
            piece.count_each(&form.finder, |local, n| {
                let idx = base + local;
                let occ = if piece.is_node(local) { n } else { n.min(1) };
                found.push(Candidate {
                    facts: Self::facts(piece, local, idx, Tier::Exact, 0, 1, occ),
                    idx,
                    piece: u32::try_from(p).unwrap_or(u32::MAX),
                    local: u32::try_from(local).unwrap_or(u32::MAX),
                    kind,
                    forgiven: 0,
                });
            });
            return;
        }
        // Only the entries that hold the characters of some form of every group's terms:
        // the others are skipped without their text being read.
        'entries: for local in filter.candidates.iter() {
            if local >= piece.len() {
                continue;
            }
            let idx = base + local;
            let hay = piece.hay(local);
            let row = !piece.is_node(local);
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
                    let here = filter.here(ti, local);
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
                facts: Self::facts(piece, local, idx, tier, gaps, terms, occ),
                idx,
                piece: u32::try_from(p).unwrap_or(u32::MAX),
                local: u32::try_from(local).unwrap_or(u32::MAX),
                kind,
                forgiven,
            });
        }
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
                let used = found.iter().any(|c| {
                    let (piece, local) = self.at(c);
                    f.occurs_in(piece.hay(local))
                });
                if used {
                    out.push((term.raw.clone(), ja.clone()));
                }
            }
        }
        out
    }

    /// The original characters that the positive terms matched in an entry.
    fn ranges(&self, piece: &Piece, local: usize, query: &Query, pass: Pass) -> Vec<Range<usize>> {
        let hay = piece.hay(local);
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
        to_char_ranges(piece, local, hay, &bytes)
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
}

/// Byte ranges of an entry's normalised text to merged character ranges of its original.
fn to_char_ranges(
    piece: &Piece,
    local: usize,
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
    let (shifts, widens) = piece.map(local);
    let mut out: Vec<Range<usize>> = bytes
        .iter()
        .filter_map(|r| {
            let (a, b) = (to_char(r.start)?, to_char(r.end)?);
            (a < b).then(|| to_original(&shifts, &widens, a..b))
        })
        .collect();
    out.sort_by_key(|r| (r.start, r.end));
    merge(out)
}

/// Normalised character range of an entry to original character range, by its map's change
/// points (none: the identity).
fn to_original(shifts: &[(u32, i64)], widens: &[(u32, u32)], r: Range<usize>) -> Range<usize> {
    let shift_at = |k: usize| {
        let i = shifts.partition_point(|&(p, _)| p as usize <= k);
        i.checked_sub(1).map_or(0, |i| shifts[i].1)
    };
    let widen_at = |k: usize| {
        let i = widens.partition_point(|&(p, _)| p as usize <= k);
        i.checked_sub(1).map_or(0, |i| widens[i].1 as usize)
    };
    let at = |k: usize| {
        usize::try_from(
            i64::try_from(k)
                .unwrap_or(i64::MAX)
                .saturating_add(shift_at(k)),
        )
        .unwrap_or(0)
    };
    let last = r.end.saturating_sub(1).max(r.start);
    let s = at(r.start);
    let e = at(last) + 1 + widen_at(last);
    s..e.max(s)
}

/// Whether `key` (normalised, from [`label_keys`]) names a node: its label, its id or the id's
/// part after `doc:` (ids compared in lower case; `docs` are the documents' ids in lower case).
fn is_label(piece: &Piece, local: usize, docs: &[String], key: &str) -> bool {
    if key == piece.label(local) {
        return true;
    }
    let part = piece.id_part(local);
    if piece.prefixed(local) {
        // The id is `doc:part`, the document's id without a `:`.
        if is_lower_of(key, part) {
            return true;
        }
        let doc = docs
            .get(piece.entry(local).doc as usize)
            .map_or("", String::as_str);
        return key
            .strip_prefix(doc)
            .and_then(|r| r.strip_prefix(':'))
            .is_some_and(|r| is_lower_of(r, part));
    }
    let id = part.to_lowercase();
    key == id || id.split_once(':').is_some_and(|(_, local)| key == local)
}

/// `key == s.to_lowercase()`, without a copy for an ASCII `s`.
fn is_lower_of(key: &str, s: &str) -> bool {
    if s.is_ascii() {
        key.len() == s.len()
            && key
                .bytes()
                .zip(s.bytes())
                .all(|(a, b)| a == b.to_ascii_lowercase())
    } else {
        key == s.to_lowercase()
    }
}

/// The one form of a query's one term, when a match is exactly an occurrence of it counted
/// plainly: no other term, no other form, nothing scattered, no English one edit away.
fn single_scan(query: &Query) -> Option<&Form> {
    let [group] = query.groups.as_slice() else {
        return None;
    };
    let [term] = group.as_slice() else {
        return None;
    };
    let [form] = term.forms.as_slice() else {
        return None;
    };
    let plain = match term.kind {
        MatchType::Exact => true,
        MatchType::Fuzzy => (form.chars.len() == 1 || !term.scatters()) && term.near.is_empty(),
        MatchType::Prefix | MatchType::Suffix | MatchType::Equal => false,
    };
    (plain && !term.inverse && form.counts_plainly()).then_some(form)
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
