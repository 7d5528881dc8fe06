//! The search pane: the results of `/` as a list (id, section, a snippet with the matched
//! characters highlighted), updated as the query is typed. The search itself runs off the
//! drawing thread (see `event_loop.rs`); this module owns the query, the index, the results
//! and the waiting request, and draws the list.

use std::ops::Range;
use std::sync::Arc;

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

/// The search: its index, the query typed, the query its results answer, the results and
/// the request waiting to be run. This is the one owner of all of it: the event loop only
/// carries requests to a worker thread and results back.
#[derive(Debug, Default)]
pub struct SearchPane {
    /// Built the first time `/` is pressed.
    index: Option<Arc<SearchIndex>>,
    /// The index being built on its own thread, until it arrives (a large corpus, see
    /// [`ON_THE_SPOT_BYTES`](super::app::ON_THE_SPOT_BYTES)). Keys typed meanwhile edit the line as usual: the query is
    /// run once the index is here.
    building: Option<std::sync::mpsc::Receiver<Arc<SearchIndex>>>,
    /// What was typed last: the query results are wanted for.
    wanted: String,
    /// The query the hits answer.
    pub query: String,
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
    /// the reader standing at `origin`.
    pub fn open(&mut self, corpus: &Arc<Corpus>, origin: Option<Position>) {
        if self.index.is_none() && self.building.is_none() {
            // The two documents: under a tenth of a millisecond, no thread, no "indexing…"
            // frame; a 35 MB file: a quarter of a second, on a thread of its own.
            if text_bytes(corpus) < super::app::ON_THE_SPOT_BYTES {
                self.index = Some(build_index(corpus));
            } else {
                let (tx, rx) = std::sync::mpsc::channel();
                let corpus = Arc::clone(corpus);
                std::thread::spawn(move || {
                    let _ = tx.send(build_index(&corpus));
                });
                self.building = Some(rx);
            }
        }
        self.origin = origin;
    }

    /// Whether the index is being built.
    #[must_use]
    pub fn indexing(&self) -> bool {
        self.building.is_some()
    }

    /// Takes the index if its thread has finished it; true when it has just arrived. With
    /// `wait`, waits for it (Enter, which needs the results).
    pub fn poll_index(&mut self, wait: bool) -> bool {
        let Some(rx) = &self.building else {
            return false;
        };
        let got = if wait {
            rx.recv().ok()
        } else {
            match rx.try_recv() {
                Ok(index) => Some(index),
                Err(std::sync::mpsc::TryRecvError::Empty) => return false,
                Err(std::sync::mpsc::TryRecvError::Disconnected) => None,
            }
        };
        self.building = None;
        // A thread that died without an index (it cannot, short of running out of memory)
        // leaves the search without one: the line says "no match" rather than waiting forever.
        self.index = got;
        self.index.is_some()
    }

    /// The index, once built.
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

    /// Hands the waiting query to whoever runs it, with the index to run it on.
    pub fn take_request(&mut self) -> Option<(Arc<SearchIndex>, String)> {
        self.poll_index(false);
        let index = Arc::clone(self.index.as_ref()?);
        let q = self.pending.take()?;
        self.in_flight = Some(q.clone());
        Some((index, q))
    }

    /// Whether results are on their way.
    #[must_use]
    pub fn waiting(&self) -> bool {
        self.building.is_some() || self.pending.is_some() || self.in_flight.is_some()
    }

    /// Whether the results shown answer what was typed last.
    #[must_use]
    pub fn is_current(&self) -> bool {
        self.query == self.wanted && self.pending.is_none()
    }

    /// Results arrived for `query`; stale ones (the query has changed since) are dropped.
    pub fn apply(&mut self, query: &str, outcome: Outcome) {
        if self.in_flight.as_deref() == Some(query) {
            self.in_flight = None;
        }
        if query != self.wanted {
            return;
        }
        self.query = query.to_string();
        match outcome {
            Ok(results) => {
                self.header = results.header();
                self.notice = results.notice();
                self.error = None;
                self.hits = results.hits;
            }
            Err(e) => {
                self.header.clear();
                self.notice = None;
                self.error = Some(e.to_string());
                self.hits = Vec::new();
            }
        }
        self.selected = 0;
        self.offset = 0;
    }

    /// Runs the query typed last now, on this thread, unless its results are already here
    /// (what Enter does when they have not arrived: nothing typed is lost).
    pub fn run_now(&mut self) {
        if self.is_current() {
            return;
        }
        self.poll_index(true);
        let Some(index) = self.index.clone() else {
            return;
        };
        self.pending = None;
        let q = self.wanted.clone();
        let outcome = run(&index, &q);
        self.apply(&q, outcome);
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
            let msg = crate::text::sanitize(
                "indexing… (what you type is kept; results come when the index is ready)",
                theme.opts,
            );
            put(
                buf,
                area.x,
                area.y,
                &truncate(&msg, width, theme.opts),
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
