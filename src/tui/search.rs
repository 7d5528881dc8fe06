//! The search pane: the results of `/` as a list (id, section, a snippet with the matched
//! characters highlighted), updated as the query is typed. The search itself runs off the
//! drawing thread (see `event_loop.rs`); this module owns the query, the index, the results
//! and the waiting request, and draws the list.

use std::ops::Range;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, TryRecvError};
use std::time::{Duration, Instant};

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};

use super::draw::{put, scroll_offset};
use super::effect::{Effect, Highlights, Jump, Steps};
use super::keymap::Action;
use super::theme::Theme;
use crate::corpus::{Corpus, NodeRef};
use crate::places::Position;
use crate::search::{Hit, Outcome, SearchIndex, Target, snippet};
use crate::text::display::{push_shown, str_width, truncate};

/// How many results a query keeps.
pub const LIMIT: usize = 500;

/// While the index is built, the results of what was typed are refreshed from the pieces
/// indexed since at most this often (a typed key is answered at once, whatever the time).
pub const REFRESH: Duration = Duration::from_millis(250);

/// Runs a query for the list (at most [`LIMIT`] hits, counted in full).
///
/// # Errors
/// A query kaigi cannot run (the message says why).
pub fn run(index: &SearchIndex, query: &str) -> Outcome {
    index.run(query, LIMIT)
}

/// Builds the index over every node and every participant row.
#[must_use]
pub fn build_index(corpus: &Corpus) -> Arc<SearchIndex> {
    Arc::new(crate::search::searchable(corpus))
}

fn text_bytes(corpus: &Corpus) -> usize {
    corpus
        .iter_nodes()
        .map(|(_, n)| n.text.len())
        .fold(0, usize::saturating_add)
}

/// A query to run, with the index (as far as it is built) to run it on.
#[derive(Debug, Clone)]
pub struct Request {
    pub index: Arc<SearchIndex>,
    pub query: String,
}

/// What a [`Request`] found, and how much of the index it searched.
#[derive(Debug, Clone)]
pub struct Answer {
    pub query: String,
    pub indexed: Indexed,
    pub outcome: Outcome,
}

/// How much of the index a search read: entries, and whether that is all of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Indexed {
    pub entries: usize,
    pub complete: bool,
}

impl Indexed {
    fn of(index: &SearchIndex) -> Self {
        Indexed {
            entries: index.len(),
            complete: index.is_complete(),
        }
    }
}

impl Request {
    /// Runs it (on whichever thread).
    #[must_use]
    pub fn run(&self) -> Answer {
        Answer {
            query: self.query.clone(),
            indexed: Indexed::of(&self.index),
            outcome: run(&self.index, &self.query),
        }
    }
}

/// The search: its index, the query typed, the query its results answer, the results and
/// the request waiting to be run. This is the one owner of all of it: the event loop only
/// carries requests to a worker thread and results back.
///
/// A large corpus's index is built on a thread of its own, in pieces (`crate::search::piece`):
/// each piece is handed over as it is done, and what is typed meanwhile is searched in what is
/// indexed so far (the bar says `indexing… 40%`), the results refreshed as more arrives (at
/// most every [`REFRESH`], and only when they changed), ending with the whole index's.
#[derive(Debug, Default)]
pub struct SearchPane {
    /// The index: built the first time `/` is pressed; while it is built, as far as it has
    /// come.
    index: Option<Arc<SearchIndex>>,
    /// The index being built on its own thread, a piece at a time, the last one whole (a large
    /// corpus, see [`ON_THE_SPOT_BYTES`](super::app::ON_THE_SPOT_BYTES)).
    building: Option<Receiver<Arc<SearchIndex>>>,
    /// `/` was pressed while the text was still being read: once a query is typed, the nodes
    /// read are indexed between the reading's slices ([`SearchPane::index_read`]) and searched,
    /// and the rest is indexed on a thread once the whole is read ([`SearchPane::text_read`]).
    awaiting_text: bool,
    /// The index of the nodes read so far, while the text is read.
    reading: Option<crate::search::Builder>,
    /// What was typed last: the query results are wanted for.
    wanted: String,
    /// The query the hits answer.
    pub query: String,
    /// How much of the index the hits come from.
    answered: Option<Indexed>,
    pub hits: Vec<Hit>,
    /// The results' header: `32 matches in 18 places: G7 3, CRI 15`.
    pub header: String,
    /// How the hits were found, when the reader must be told (near matches, English through
    /// the glossary).
    pub notice: Option<String>,
    /// Why the query cannot be run, when it cannot.
    pub error: Option<String>,
    pub selected: usize,
    /// The first result shown (kept so the list does not jump).
    pub offset: usize,
    /// Where the reader stood when `/` was pressed (Esc goes back there).
    pub origin: Option<Position>,
    /// A query waiting to be handed to the worker.
    pending: Option<String>,
    /// A query handed to the worker whose results have not come back.
    in_flight: Option<String>,
    /// When a query was last handed out (refreshes wait [`REFRESH`] after it).
    handed: Option<Instant>,
    /// More of the index has arrived than the screen says, and when it last said.
    progress_behind: bool,
    progress_shown: Option<Instant>,
}

impl SearchPane {
    /// A search over an index built already.
    #[must_use]
    pub fn with_index(index: Arc<SearchIndex>) -> Self {
        SearchPane {
            index: Some(index),
            ..SearchPane::default()
        }
    }

    /// Opens the search (building the index on first use, on a thread for a large corpus),
    /// the reader standing at `origin`. While the text is still `reading`, the index waits for
    /// it ([`SearchPane::text_read`]).
    pub fn open(&mut self, corpus: &Arc<Corpus>, origin: Option<Position>, reading: bool) {
        self.origin = origin;
        // Built, or being built; but an index of what was read so far is finished now.
        if self.building.is_some() || (self.index.is_some() && !self.awaiting_text) {
            return;
        }
        if reading {
            self.awaiting_text = true;
            return;
        }
        self.awaiting_text = false;
        // The two documents: under a tenth of a millisecond, no thread, no "indexing…"
        // frame; a 35 MB file: a few tenths of a second, on a thread of its own, a piece at a
        // time.
        let begun = self.reading.take();
        if begun.is_none() && text_bytes(corpus) < super::app::ON_THE_SPOT_BYTES {
            self.index = Some(build_index(corpus));
        } else {
            let (tx, rx) = std::sync::mpsc::channel();
            let corpus = Arc::clone(corpus);
            std::thread::spawn(move || {
                let builder = begun.unwrap_or_else(crate::search::Builder::searchable);
                let whole = crate::search::searchable_from(builder, &corpus, |so_far| {
                    let _ = tx.send(Arc::new(so_far.partial()));
                });
                let _ = tx.send(Arc::new(whole));
            });
            self.building = Some(rx);
        }
    }

    /// Whether the nodes read are to be indexed as they are read: `/` was pressed while
    /// reading and a query typed.
    #[must_use]
    pub fn indexes_while_reading(&self) -> bool {
        self.awaiting_text && !self.wanted.trim().is_empty()
    }

    /// While the text is read, and a query is typed: indexes the nodes read (up to `until`,
    /// the first that may still change) until `deadline`; a piece done is searched at once.
    pub fn index_read(&mut self, corpus: &Corpus, until: Option<NodeRef>, deadline: Instant) {
        if !self.indexes_while_reading() {
            return;
        }
        let builder = self
            .reading
            .get_or_insert_with(crate::search::Builder::searchable);
        let mut latest = None;
        builder.push_nodes(
            corpus,
            until,
            &mut || Instant::now() < deadline,
            &mut |so_far| {
                latest = Some(so_far.partial());
            },
        );
        if let Some(index) = latest {
            self.index = Some(Arc::new(index));
            self.progress_behind = true;
        }
    }

    /// The whole text is read: an index `/` asked for meanwhile is built now.
    pub fn text_read(&mut self, corpus: &Arc<Corpus>) {
        if self.awaiting_text {
            self.open(corpus, self.origin, false);
        }
    }

    /// Whether the index is not whole yet (waiting for the text, or being built).
    #[must_use]
    pub fn indexing(&self) -> bool {
        self.awaiting_text || self.building.is_some()
    }

    /// Whether the index waits for the text to be read.
    #[must_use]
    pub fn awaiting_text(&self) -> bool {
        self.awaiting_text
    }

    /// How far the index is built, while it is: `Some(40)` for 40%.
    #[must_use]
    pub fn indexing_percent(&self) -> Option<usize> {
        if !self.indexing() {
            return None;
        }
        Some(self.index.as_ref().map_or(0, |i| i.progress().percent()))
    }

    /// Takes what the index's thread has handed over (pieces, or the whole); true when
    /// something arrived. With `wait`, waits for the whole index (Enter, which needs the
    /// results).
    pub fn poll_index(&mut self, wait: bool) -> bool {
        let mut arrived = false;
        while let Some(rx) = &self.building {
            let got = if wait {
                rx.recv().map_err(|_| TryRecvError::Disconnected)
            } else {
                rx.try_recv()
            };
            match got {
                Ok(index) => {
                    arrived = true;
                    self.progress_behind = true;
                    let whole = index.is_complete();
                    self.index = Some(index);
                    if whole {
                        self.building = None;
                    }
                }
                Err(TryRecvError::Empty) => break,
                // A thread that died without the whole index (it cannot, short of running out
                // of memory) leaves the search with what it had: the line answers from that
                // rather than waiting forever.
                Err(TryRecvError::Disconnected) => self.building = None,
            }
        }
        arrived
    }

    /// Takes what the index's thread has handed over; true when the screen is to say so:
    /// the first piece, the whole index, and in between at most every [`REFRESH`] (a frame
    /// for every piece would keep the screen busy for as long as the index is built).
    pub fn poll(&mut self, now: Instant) -> bool {
        self.poll_index(false);
        let due = self.progress_behind
            && (!self.indexing()
                || self
                    .progress_shown
                    .is_none_or(|t| now.duration_since(t) >= REFRESH));
        if due {
            self.progress_behind = false;
            self.progress_shown = Some(now);
        }
        due
    }

    /// The index, once built (while it is built, as far as it has come).
    #[must_use]
    pub fn index(&self) -> Option<&SearchIndex> {
        self.index.as_deref()
    }

    /// What was typed changed: results for it are wanted (for a blank line, none: the
    /// results of the last search stay for `n` and `N`).
    pub fn want(&mut self, query: &str) {
        self.wanted = query.to_string();
        self.pending = (!query.trim().is_empty()).then(|| query.to_string());
    }

    /// What was typed last.
    #[must_use]
    pub fn typed(&self) -> &str {
        &self.wanted
    }

    /// Hands the waiting query to whoever runs it, with the index to run it on. While the
    /// index grows, the query answered is handed out again once more of it is there (not
    /// sooner than [`REFRESH`] after the last, except for the whole index).
    pub fn take_request(&mut self, now: Instant) -> Option<Request> {
        self.poll_index(false);
        let index = Arc::clone(self.index.as_ref()?);
        let have = Indexed::of(&index);
        if self.pending.is_none()
            && self.in_flight.is_none()
            && !self.wanted.trim().is_empty()
            && self.query == self.wanted
            && self.answered.is_some_and(|a| a != have)
            && (have.complete || self.handed.is_none_or(|t| now.duration_since(t) >= REFRESH))
        {
            self.pending = Some(self.wanted.clone());
        }
        let query = self.pending.take()?;
        self.in_flight = Some(query.clone());
        self.handed = Some(now);
        Some(Request { index, query })
    }

    /// Whether results are on their way (or more of the index, which may change them).
    #[must_use]
    pub fn waiting(&self) -> bool {
        self.building.is_some() || self.pending.is_some() || self.in_flight.is_some()
    }

    /// Whether the results shown answer what was typed last, from the whole index.
    #[must_use]
    pub fn is_current(&self) -> bool {
        self.query == self.wanted
            && self.pending.is_none()
            && self.answered.is_some_and(|a| a.complete)
    }

    /// Results arrived; stale ones (the query has changed since) are dropped. True when what
    /// is shown changed.
    pub fn apply(&mut self, answer: Answer) -> bool {
        let Answer {
            query,
            indexed,
            outcome,
        } = answer;
        if self.in_flight.as_deref() == Some(query.as_str()) {
            self.in_flight = None;
        }
        if query != self.wanted {
            return false;
        }
        // Results from less of the index than those shown (a refresh overtaken) are older.
        if self.query == query
            && self
                .answered
                .is_some_and(|a| a.complete || a.entries > indexed.entries)
        {
            return false;
        }
        let refresh = self.query == query;
        let (header, notice, error, hits) = match outcome {
            Ok(results) => (results.header(), results.notice(), None, results.hits),
            Err(e) => (String::new(), None, Some(e.to_string()), Vec::new()),
        };
        self.answered = Some(indexed);
        if refresh
            && header == self.header
            && notice == self.notice
            && error == self.error
            && hits == self.hits
        {
            return false;
        }
        // A refresh keeps the selected result selected, when it is still listed.
        let keep = refresh
            .then(|| self.selected_hit().map(|h| h.target))
            .flatten()
            .and_then(|t| hits.iter().position(|h| h.target == t));
        self.query = query;
        self.header = header;
        self.notice = notice;
        self.error = error;
        self.hits = hits;
        self.selected = keep.unwrap_or(0);
        if keep.is_none() {
            self.offset = 0;
        }
        true
    }

    /// Runs the query typed last now, on this thread, on the whole index (waiting for it),
    /// unless its results are already here (what Enter does when they have not arrived:
    /// nothing typed is lost).
    pub fn run_now(&mut self) {
        if self.is_current() {
            return;
        }
        self.poll_index(true);
        let Some(index) = self.index.clone() else {
            return;
        };
        self.pending = None;
        let answer = Request {
            index,
            query: self.wanted.clone(),
        }
        .run();
        self.apply(answer);
    }

    pub fn move_by(&mut self, delta: isize) {
        let last = self.hits.len().saturating_sub(1);
        self.selected = self.selected.saturating_add_signed(delta).min(last);
    }

    #[must_use]
    pub fn selected_hit(&self) -> Option<&Hit> {
        self.hits.get(self.selected)
    }

    /// The matches to highlight in the reader, by node.
    #[must_use]
    pub fn highlights(&self) -> Highlights {
        self.hits
            .iter()
            .filter_map(|h| match h.target {
                Target::Node(r) => Some((r, h.ranges.clone())),
                Target::Participant(_) | Target::Extra(_) => None,
            })
            .collect()
    }

    /// The next (or previous) hit that is a node, from the selection, wrapping around; and
    /// whether it wrapped.
    pub fn step(&mut self, forward: bool) -> Option<(NodeRef, Option<crate::search::Wrap>)> {
        let hits = &self.hits;
        let (i, wrapped) = crate::search::step(hits.len(), self.selected, forward, |i| {
            matches!(hits[i].target, Target::Node(_))
        })?;
        self.selected = i;
        match self.hits[i].target {
            Target::Node(r) => Some((r, wrapped)),
            Target::Participant(_) | Target::Extra(_) => None,
        }
    }

    /// `n` / `N` from the reader.
    pub fn update(&mut self, action: Action, corpus: &Corpus) -> Vec<Effect> {
        match action {
            Action::NextMatch | Action::PrevMatch => {
                if let Some((_, wrapped)) = self.step(action == Action::NextMatch) {
                    let mut effects = self.show_selected(corpus);
                    if let Some(w) = wrapped {
                        // Said first, as vim says it.
                        for e in &mut effects {
                            if let Effect::Message(m) = e {
                                *m = format!("{} — {m}", w.notice());
                            }
                        }
                    }
                    effects
                } else {
                    vec![Effect::Message(
                        "no search results: press / to search".into(),
                    )]
                }
            }
            _ => Vec::new(),
        }
    }

    /// Enter on the search line: the selected result (the first, when the results had not
    /// come yet: the query is run now), or a message that there is none.
    pub fn submit(&mut self, text: &str, corpus: &Corpus) -> Vec<Effect> {
        if text.trim().is_empty() {
            return Vec::new();
        }
        if text != self.wanted {
            self.want(text);
        }
        self.run_now();
        if let Some(e) = &self.error {
            return vec![Effect::Message(e.clone())];
        }
        if self.hits.is_empty() {
            return vec![Effect::Message(format!("no match for “{text}”"))];
        }
        self.show_selected(corpus)
    }

    /// Shows the selected hit: a node in the reader with every match highlighted, or a
    /// participant's row.
    fn show_selected(&self, corpus: &Corpus) -> Vec<Effect> {
        let Some(hit) = self.selected_hit() else {
            return Vec::new();
        };
        match hit.target {
            Target::Node(r) => {
                let (n, total) = (self.selected + 1, self.hits.len());
                vec![
                    Effect::StepThrough(Steps::Search),
                    Effect::Jump(Jump::Node(r, Some(self.highlights()))),
                    Effect::Message(format!(
                        "{} ({n} of {total} for “{}”; n/N for the others)",
                        corpus.node(r).id,
                        self.query
                    )),
                ]
            }
            Target::Participant(row) => {
                let key = self
                    .index
                    .as_ref()
                    .and_then(|ix| ix.participant_key(row))
                    .unwrap_or_default()
                    .to_string();
                vec![Effect::ShowParticipant(key)]
            }
            Target::Extra(_) => Vec::new(),
        }
    }
}

/// The text of a hit's entry.
fn hit_text<'a>(index: &'a SearchIndex, corpus: &'a Corpus, hit: &Hit) -> &'a str {
    index.entry_text(corpus, hit.target).unwrap_or("")
}

/// The section a hit lies in, for the list: `VI. サイバー空間…`, or the document's id.
fn section_label(corpus: &Corpus, hit: &Hit) -> String {
    match hit.target {
        Target::Node(r) => {
            let doc = &corpus.documents[r.doc];
            doc.section_of(r.node).map_or_else(
                || doc.id.clone(),
                |s| format!("{} {}", doc.nodes[s].marker(), doc.nodes[s].one_line()),
            )
        }
        Target::Participant(_) | Target::Extra(_) => "participants".to_string(),
    }
}

/// Draws the result list into `area`.
pub fn render(state: &SearchPane, corpus: &Corpus, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let width = usize::from(area.width);
    let height = usize::from(area.height);
    if height == 0 || width == 0 {
        return;
    }
    let Some(index) = state.index() else {
        if state.indexing() {
            let msg = if state.awaiting_text() {
                "reading the text… (what you type is kept; results come once it is read)"
            } else {
                "indexing… (what you type is kept; results come as the text is indexed)"
            };
            put(
                buf,
                area.x,
                area.y,
                &truncate(&crate::text::sanitize(msg, theme.opts), width, theme.opts),
                width,
                Style::new(),
            );
        }
        return;
    };
    if state.hits.is_empty() || state.wanted.trim().is_empty() {
        let msg = if state.wanted.trim().is_empty() {
            "type to search both documents: words, a | b, 'exact, ^start, end$, !exclude; English and romaji find the Japanese (ransomware, ransamu)"
        } else if let Some(e) = &state.error {
            e.as_str()
        } else if state.indexing() {
            "no match so far (the rest of the text is being indexed)"
        } else {
            "no match"
        };
        put(
            buf,
            area.x,
            area.y,
            &truncate(&crate::text::sanitize(msg, theme.opts), width, theme.opts),
            width,
            Style::new(),
        );
        return;
    }
    // How the hits were found, above them, when the reader must be told.
    let (area, height) = match &state.notice {
        Some(n) if height > 1 => {
            put(
                buf,
                area.x,
                area.y,
                &truncate(&crate::text::sanitize(n, theme.opts), width, theme.opts),
                width,
                theme.message(),
            );
            (
                Rect::new(area.x, area.y + 1, area.width, area.height - 1),
                height - 1,
            )
        }
        _ => (area, height),
    };
    let id_w = state
        .hits
        .iter()
        .map(|h| str_width(&h.id))
        .max()
        .unwrap_or(0)
        .min(20)
        .min(width / 3);
    let sec_w = if width >= 70 { 18 } else { 0 };
    let snip_w = width.saturating_sub(id_w + sec_w + 2 + usize::from(sec_w > 0));
    let offset = scroll_offset(state.selected, state.offset, height);
    for (i, hit) in state.hits.iter().enumerate().skip(offset).take(height) {
        let y = area.y + u16::try_from(i - offset).unwrap_or(0);
        let selected = i == state.selected;
        let base = if selected {
            Style::new().add_modifier(Modifier::REVERSED)
        } else {
            Style::new()
        };
        if selected {
            put(buf, area.x, y, &" ".repeat(width), width, base);
        }
        let id = truncate(
            &crate::text::sanitize(&hit.id, theme.opts),
            id_w,
            theme.opts,
        );
        put(buf, area.x, y, &id, id_w, base.patch(theme.hint_key()));
        let mut x = id_w + 1;
        if sec_w > 0 {
            let sec = truncate(
                &crate::text::sanitize(&section_label(corpus, hit), theme.opts),
                sec_w,
                theme.opts,
            );
            put(
                buf,
                area.x + u16::try_from(x).unwrap_or(0),
                y,
                &sec,
                sec_w,
                base.patch(theme.role(crate::layout::Role::Heading)),
            );
            x += sec_w + 1;
        }
        let (snip, ranges) = snippet(hit_text(index, corpus, hit), &hit.ranges, snip_w);
        draw_highlighted(
            &snip,
            &ranges,
            base,
            theme,
            area.x + u16::try_from(x).unwrap_or(0),
            y,
            snip_w,
            buf,
        );
    }
}

/// Draws `text` with the characters in `ranges` highlighted, every character made safe.
#[allow(clippy::too_many_arguments)]
fn draw_highlighted(
    text: &str,
    ranges: &[Range<usize>],
    base: Style,
    theme: &Theme,
    x: u16,
    y: u16,
    width: usize,
    buf: &mut Buffer,
) {
    let mut used = 0;
    for (i, c) in text.chars().enumerate() {
        let hit = ranges.iter().any(|r| r.contains(&i));
        let style = if hit {
            base.patch(theme.matched())
        } else {
            base
        };
        let mut shown = String::new();
        push_shown(c, theme.opts, &mut |s| shown.push(s));
        let w = str_width(&shown);
        if used + w > width {
            break;
        }
        put(
            buf,
            x + u16::try_from(used).unwrap_or(0),
            y,
            &shown,
            w,
            style,
        );
        used += w;
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::search::{SearchIndex, Sizes};

    /// The embedded documents' index in small pieces, and what the builder handed out on the
    /// way.
    fn built() -> (Vec<Arc<SearchIndex>>, Arc<SearchIndex>) {
        let corpus = crate::corpus::load_embedded();
        let mut handed = Vec::new();
        let sizes = Sizes {
            first: 2_000,
            max: 8_000,
            all_from: 4,
        };
        let whole = SearchIndex::build(&corpus, Vec::new, Vec::new(), true, sizes, |so_far| {
            handed.push(Arc::new(so_far.partial()));
        });
        assert!(handed.len() >= 3, "{} pieces handed out", handed.len());
        (handed, Arc::new(whole))
    }

    fn building() -> (SearchPane, std::sync::mpsc::Sender<Arc<SearchIndex>>) {
        let (tx, rx) = std::sync::mpsc::channel();
        let pane = SearchPane {
            building: Some(rx),
            ..SearchPane::default()
        };
        (pane, tx)
    }

    #[test]
    fn results_come_from_what_is_indexed_and_are_refreshed_until_the_whole() {
        let (handed, whole) = built();
        let (mut pane, tx) = building();
        let t0 = Instant::now();
        pane.want("の");
        assert!(pane.take_request(t0).is_none(), "nothing indexed yet");
        assert_eq!(pane.indexing_percent(), Some(0));
        tx.send(Arc::clone(&handed[0])).unwrap();
        let r = pane.take_request(t0).expect("the typed query, at once");
        assert_eq!(r.index.len(), handed[0].len());
        assert!(pane.apply(r.run()));
        assert!(!pane.hits.is_empty());
        assert!(!pane.is_current(), "the results are of part of the index");
        let p = pane.indexing_percent().unwrap();
        assert!(p < 100, "{p}%");
        // More arrives: not refreshed before REFRESH has passed since the last request.
        tx.send(Arc::clone(&handed[1])).unwrap();
        assert!(pane.take_request(t0 + REFRESH / 2).is_none());
        let r = pane
            .take_request(t0 + REFRESH)
            .expect("refreshed once REFRESH has passed");
        assert_eq!(r.index.len(), handed[1].len());
        pane.apply(r.run());
        // A key typed is answered at once, whatever the time.
        pane.want("のは");
        let r = pane
            .take_request(t0 + REFRESH)
            .expect("a typed key at once");
        pane.apply(r.run());
        // The whole index: answered at once, and then the results are current.
        tx.send(Arc::clone(&whole)).unwrap();
        let r = pane
            .take_request(t0 + REFRESH)
            .expect("the whole index, at once");
        assert!(r.index.is_complete());
        pane.apply(r.run());
        assert!(pane.is_current());
        assert!(!pane.indexing());
        assert_eq!(pane.hits, run(&whole, "のは").unwrap().hits);
        assert!(
            pane.take_request(t0 + REFRESH * 9).is_none(),
            "nothing more to run"
        );
    }

    #[test]
    fn the_percentage_is_redrawn_at_most_every_refresh_and_at_the_whole_index() {
        let (handed, whole) = built();
        let (mut pane, tx) = building();
        let t0 = Instant::now();
        assert!(!pane.poll(t0), "nothing arrived");
        tx.send(Arc::clone(&handed[0])).unwrap();
        assert!(pane.poll(t0), "the first piece, at once");
        tx.send(Arc::clone(&handed[1])).unwrap();
        assert!(!pane.poll(t0 + REFRESH / 2), "too soon after the last");
        assert!(pane.poll(t0 + REFRESH), "then once REFRESH has passed");
        assert!(!pane.poll(t0 + REFRESH * 3), "nothing new since");
        tx.send(Arc::clone(&handed[2])).unwrap();
        tx.send(Arc::clone(&whole)).unwrap();
        assert!(pane.poll(t0 + REFRESH * 3), "the whole index, at once");
        assert!(!pane.indexing());
    }

    #[test]
    fn a_refresh_that_changes_nothing_says_so_and_keeps_the_selection() {
        let (handed, _) = built();
        let (mut pane, _tx) = building();
        pane.index = Some(Arc::clone(&handed[0]));
        pane.want("我々");
        let r = pane.take_request(Instant::now()).unwrap();
        assert!(pane.apply(r.run()));
        pane.move_by(1);
        let selected = pane.selected_hit().map(|h| h.target);
        // The same answer again (as from a piece that held no match).
        let again = Request {
            index: Arc::clone(&handed[0]),
            query: "我々".into(),
        };
        let mut answer = again.run();
        answer.indexed.entries += 1;
        assert!(!pane.apply(answer), "nothing changed on screen");
        assert_eq!(pane.selected_hit().map(|h| h.target), selected);
        // Results from less of the index than those shown are dropped.
        let mut older = again.run();
        older.indexed.entries = 0;
        older.outcome = Ok(crate::search::Results::default());
        assert!(!pane.apply(older));
        assert!(!pane.hits.is_empty());
    }

    /// Regression: once the text was read, the index of what had been read while reading
    /// was kept as it was, never finished (the bar said `reading… 100%` for good).
    #[test]
    fn the_index_of_what_was_read_is_finished_once_the_text_is() {
        let corpus = Arc::new(crate::corpus::load_embedded());
        let mut pane = SearchPane::default();
        pane.open(&corpus, None, true);
        assert!(pane.awaiting_text() && pane.indexing());
        assert!(!pane.indexes_while_reading(), "nothing typed yet");
        pane.want("協力");
        assert!(pane.indexes_while_reading());
        let far = Instant::now() + Duration::from_secs(60);
        pane.index_read(&corpus, Some(NodeRef { doc: 1, node: 0 }), far);
        // What was read, as an index of its own (the builder's first piece is larger than
        // the two documents: handed out here as the test's stand-in).
        pane.index = Some(Arc::new(
            pane.reading
                .as_ref()
                .map(crate::search::Builder::partial)
                .unwrap(),
        ));
        pane.text_read(&corpus);
        assert!(!pane.awaiting_text());
        pane.run_now();
        assert!(pane.index().is_some_and(SearchIndex::is_complete));
        assert!(!pane.indexing());
        assert_eq!(pane.hits, run(&build_index(&corpus), "協力").unwrap().hits);
    }

    #[test]
    fn enter_while_the_index_is_built_goes_to_the_whole_index_result() {
        let (handed, whole) = built();
        let (mut pane, tx) = building();
        tx.send(Arc::clone(&handed[0])).unwrap();
        pane.want("協力");
        let r = pane.take_request(Instant::now()).unwrap();
        pane.apply(r.run());
        tx.send(Arc::clone(&whole)).unwrap();
        pane.run_now();
        assert!(pane.is_current());
        assert_eq!(pane.hits, run(&whole, "協力").unwrap().hits);
    }
}
