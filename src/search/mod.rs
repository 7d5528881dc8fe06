//! Fuzzy search over every node of the corpus (and extra entries such as participant rows).
//!
//! Build a [`SearchIndex`] once; call [`SearchIndex::search`] on every keystroke.
//!
//! # Matching
//!
//! Query and text are compared in a normal form ([`normalize`]): NFKC, lower case, katakana as
//! hiragana, spaced-out acronyms closed up. A term written in romaji also matches its kana
//! (`ransamu` finds `ランサム`). The query syntax is fzf's: space-separated terms must all
//! match, `'term` only as a substring, `!term` excludes entries containing it ([`query`]). An
//! empty or all-space query, or one made only of `!` terms, finds nothing (fzf would list every
//! other line; a reader has no use for that).
//!
//! A term matches an entry when it occurs in it as a substring (an *exact* match) or, failing
//! that, scattered: its characters appear in order within a window of at most
//! [`MAX_SCATTER`] × the term's length (normalised characters). A three-character term thus
//! matches at most six characters of text; it cannot pick its characters out of a whole long
//! paragraph. Single characters only match exactly.
//!
//! # Ranking
//!
//! An entry in which every positive term occurs as a substring ranks above every entry in which
//! some term only matched scattered: its score is [`EXACT_BASE`] plus, for each term,
//! `32 × length + 32`, the same for every exact hit of the query, so exact hits come in corpus
//! order. Scattered hits score the sum of their terms' scores (a substring term as above, a
//! scattered one by `SkimMatcherV2` on its tightest window, always less than the substring
//! score), best first, then in corpus order. Every entry that contains the query as a substring
//! is found. A term counts as a substring when its literal or its kana form is one. Corpus order
//! is the documents' nodes in order, then the extras in the order given.
//!
//! # Cost
//!
//! [`SearchIndex::new`] normalises every entry once into one string, with a map back to the
//! original characters only for entries where it is not the identity, and a 256-bit set of each
//! entry's characters. A search skips an entry whose set lacks a character of some term, tests
//! substrings with `memchr::memmem`, looks for scattered matches only in windows starting at the
//! term's first character, runs `SkimMatcherV2` only on such a window, and works out ranges only
//! for the hits it returns.

pub mod normalize;
pub mod query;
mod snippet;

use std::fmt;
use std::ops::Range;

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;
use serde::Serialize;

use crate::corpus::{Corpus, NodeRef};
use normalize::Normalizer;
use query::{CharSet, Form, Query, Term, TermKind};

pub use snippet::{ELLIPSIS, merge, snippet};

/// Added to the score of an entry that contains every positive term as a substring: more than
/// any scattered match can score.
pub const EXACT_BASE: i64 = 1 << 32;

/// A scattered match must fit in a window of at most this many times the term's length.
pub const MAX_SCATTER: usize = 2;

/// Per-character score of a term that occurs as a substring.
const EXACT_PER_CHAR: i64 = 32;
/// Flat bonus of a term that occurs as a substring.
const EXACT_BONUS: i64 = 32;

/// An extra searchable entry that is not a node, such as a participant row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Extra {
    /// `participants:UY`
    pub id: String,
    /// The document the entry belongs to (`cri`).
    pub doc: String,
    pub text: String,
}

/// What a hit points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    Node(NodeRef),
    /// An index into the extras given to [`SearchIndex::with_extra`].
    Extra(usize),
}

/// One search result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hit {
    #[serde(skip)]
    pub target: Target,
    /// Node id (`g7:23`) or extra id.
    pub id: String,
    /// Document id (`g7`).
    pub doc: String,
    pub score: i64,
    /// Every positive term occurs as a contiguous substring (after normalisation).
    pub exact: bool,
    /// Character offsets into the entry's original text, sorted and merged.
    pub ranges: Vec<Range<usize>>,
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
    /// Offset into `starts` / `ends` of the map from normalised to original characters, or
    /// `None` when normalised character `k` is original character `k` (the common case).
    map: Option<usize>,
}

/// The search index: every entry's normalised text and its map back to the original, built
/// once.
pub struct SearchIndex {
    /// Every entry's normalised text, one after the other.
    text: String,
    entries: Vec<Entry>,
    /// Each entry's characters, for skipping entries that lack a term's.
    sets: Vec<CharSet>,
    /// For entries whose map is not the identity: per normalised character, the original
    /// characters it came from (`starts[k]..ends[k]`).
    starts: Vec<u32>,
    ends: Vec<u32>,
    docs: Vec<String>,
    extras: Vec<Extra>,
    matcher: SkimMatcherV2,
}

impl fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SearchIndex")
            .field("entries", &self.entries.len())
            .field("text_bytes", &self.text.len())
            .field("mapped_chars", &self.starts.len())
            .field("docs", &self.docs)
            .field("extras", &self.extras.len())
            .finish_non_exhaustive()
    }
}

/// A term's match in one entry.
#[derive(Debug, Clone, Copy)]
struct TermMatch {
    exact: bool,
    score: i64,
}

/// A matching entry, before it becomes a [`Hit`].
#[derive(Debug, Clone, Copy)]
struct Candidate {
    score: i64,
    idx: usize,
    exact: bool,
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
        let bytes: usize = corpus
            .iter_nodes()
            .map(|(_, n)| n.text.len())
            .chain(extra.iter().map(|e| e.text.len()))
            .sum();
        let mut index = Self {
            text: String::with_capacity(bytes),
            entries: Vec::new(),
            sets: Vec::new(),
            starts: Vec::new(),
            ends: Vec::new(),
            docs: Vec::new(),
            extras: Vec::new(),
            matcher: SkimMatcherV2::default().respect_case(),
        };
        let mut normalizer = Normalizer::new();
        for (r, node) in corpus.iter_nodes() {
            let doc = &corpus.documents[r.doc].id;
            index.push(
                &mut normalizer,
                Target::Node(r),
                node.id.clone(),
                doc,
                &node.text,
            );
        }
        for (i, e) in extra.iter().enumerate() {
            index.push(
                &mut normalizer,
                Target::Extra(i),
                e.id.clone(),
                &e.doc,
                &e.text,
            );
        }
        index.extras = extra;
        index.text.shrink_to_fit();
        index.starts.shrink_to_fit();
        index.ends.shrink_to_fit();
        index
    }

    fn push(&mut self, nz: &mut Normalizer, target: Target, id: String, doc: &str, text: &str) {
        let doc = match self.docs.iter().position(|d| d == doc) {
            Some(d) => d,
            None => {
                self.docs.push(doc.to_string());
                self.docs.len() - 1
            }
        };
        let begin = self.text.len();
        let map_off = self.starts.len();
        let appended = nz.normalize_into(text, &mut self.text, &mut self.starts, &mut self.ends);
        let map = (!appended.identity).then_some(map_off);
        self.sets.push(CharSet::of(&self.text[begin..]));
        self.entries.push(Entry {
            target,
            id,
            doc,
            norm: begin..self.text.len(),
            map,
        });
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

    /// The original text of a hit's entry: the node's text or the extra's.
    #[must_use]
    pub fn entry_text<'a>(&'a self, corpus: &'a Corpus, target: Target) -> Option<&'a str> {
        match target {
            Target::Node(r) => corpus
                .documents
                .get(r.doc)
                .and_then(|d| d.nodes.get(r.node))
                .map(|n| n.text.as_str()),
            Target::Extra(i) => self.extras.get(i).map(|e| e.text.as_str()),
        }
    }

    /// The best `limit` entries for `query`, best first (see the module documentation for the
    /// rules). An empty or all-space query, or one with only `!` terms, finds nothing.
    #[must_use]
    pub fn search(&self, query: &str, limit: usize) -> Vec<Hit> {
        let query = Query::parse(query);
        if query.is_empty() || limit == 0 {
            return Vec::new();
        }
        let positive: Vec<&Term> = query.positive().collect();
        let negative: Vec<&Term> = query.negative().collect();
        let all_exact_score: i64 = positive.iter().map(|t| exact_score(t)).sum();

        let mut found: Vec<Candidate> = Vec::new();
        'entries: for (idx, (entry, &set)) in self.entries.iter().zip(&self.sets).enumerate() {
            if !positive.iter().all(|t| t.candidates(set).next().is_some()) {
                continue;
            }
            let hay = &self.text[entry.norm.clone()];
            let mut score = 0;
            let mut exact = true;
            for term in &positive {
                match self.match_term(term, set, hay) {
                    Some(m) => {
                        score += m.score;
                        exact &= m.exact;
                    }
                    None => continue 'entries,
                }
            }
            if negative
                .iter()
                .any(|t| t.candidates(set).any(|f| f.occurs_in(hay)))
            {
                continue;
            }
            if exact {
                score = EXACT_BASE + all_exact_score;
            }
            found.push(Candidate { score, idx, exact });
        }

        let order = |a: &Candidate, b: &Candidate| b.score.cmp(&a.score).then(a.idx.cmp(&b.idx));
        if found.len() > limit {
            found.select_nth_unstable_by(limit, order);
            found.truncate(limit);
        }
        found.sort_unstable_by(order);

        found
            .into_iter()
            .map(|c| {
                let entry = &self.entries[c.idx];
                Hit {
                    target: entry.target,
                    id: entry.id.clone(),
                    doc: self.docs[entry.doc].clone(),
                    score: c.score,
                    exact: c.exact,
                    ranges: self.ranges(entry, &positive),
                }
            })
            .collect()
    }

    /// How a positive term matches normalised text, if it does.
    fn match_term(&self, term: &Term, set: CharSet, hay: &str) -> Option<TermMatch> {
        if term.candidates(set).any(|f| f.occurs_in(hay)) {
            return Some(TermMatch {
                exact: true,
                score: exact_score(term),
            });
        }
        if term.kind == TermKind::Exact {
            return None;
        }
        let cap = exact_score(term) - 1;
        term.candidates(set)
            .filter_map(|form| {
                let (ctx, end) = scatter_window(hay, form)?;
                self.matcher.fuzzy_match(&hay[ctx..end], &form.text)
            })
            .max()
            .map(|s| TermMatch {
                exact: false,
                score: s.clamp(1, cap),
            })
    }

    /// The original characters that the positive terms matched in an entry.
    fn ranges(&self, entry: &Entry, positive: &[&Term]) -> Vec<Range<usize>> {
        let hay = &self.text[entry.norm.clone()];
        // Matches as byte ranges of the normalised text.
        let mut bytes: Vec<Range<usize>> = Vec::new();
        for term in positive {
            if term.occurs_in(hay) {
                for form in &term.forms {
                    occurrences(hay, form, &mut bytes);
                }
                continue;
            }
            let best = term
                .forms
                .iter()
                .filter_map(|form| {
                    let (ctx, end) = scatter_window(hay, form)?;
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
        // Byte offsets to normalised char offsets, in one pass.
        let mut points: Vec<usize> = bytes.iter().flat_map(|r| [r.start, r.end]).collect();
        points.sort_unstable();
        points.dedup();
        let mut char_of = Vec::with_capacity(points.len());
        let mut next = points.iter().peekable();
        for (ci, (b, _)) in hay
            .char_indices()
            .chain(std::iter::once((hay.len(), '\0')))
            .enumerate()
        {
            while next.peek().is_some_and(|&&p| p <= b) {
                next.next();
                char_of.push(ci);
            }
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
        match entry.map {
            None => r,
            Some(off) => {
                let s = self.starts.get(off + r.start).copied().unwrap_or(0) as usize;
                let e = self.ends.get(off + r.end - 1).copied().unwrap_or(0) as usize;
                s..e.max(s)
            }
        }
    }
}

/// Every occurrence of a form in `hay`, overlapping ones included, as byte ranges.
fn occurrences(hay: &str, form: &Form, out: &mut Vec<Range<usize>>) {
    let len = form.text.len();
    let step = form.chars.first().map_or(1, |c| c.len_utf8());
    let mut at = 0;
    while let Some(found) = hay.get(at..).and_then(|h| form.finder.find(h.as_bytes())) {
        let s = at + found;
        out.push(s..s + len);
        at = s + step;
    }
}

/// The score of a term that occurs as a substring.
fn exact_score(term: &Term) -> i64 {
    i64::try_from(term.len())
        .unwrap_or(i64::MAX / 64)
        .saturating_mul(EXACT_PER_CHAR)
        .saturating_add(EXACT_BONUS)
}

/// The tightest window of `hay` (byte range, starting one character before the first match for
/// context) in which the form's characters occur in order, spanning at most
/// [`MAX_SCATTER`] × its length in characters.
fn scatter_window(hay: &str, form: &Form) -> Option<(usize, usize)> {
    let p = &form.chars;
    let (&first, rest) = p.split_first()?;
    if rest.is_empty() {
        return None; // a single character matches only as a substring
    }
    let max_span = MAX_SCATTER * p.len();
    let mut best: Option<(usize, usize, usize)> = None; // (span, start, end)
    for (s, _) in hay.match_indices(first) {
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
            Some(_) => {}
            // Ran out of text: no later start can complete either.
            None if span <= max_span => break,
            None => {}
        }
    }
    let (_, s, e) = best?;
    let ctx = hay[..s].char_indices().next_back().map_or(s, |(b, _)| b);
    Some((ctx, e))
}

#[cfg(test)]
mod tests;
