//! The search pane: the results of `/` as a list (id, section, a snippet with the matched
//! characters highlighted), updated as the query is typed. The search itself runs off the
//! drawing thread (see `terminal.rs`); this module only holds and draws results.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};

use super::draw::{put, scroll_offset};
use super::theme::Theme;
use crate::corpus::{Corpus, NodeRef};
use crate::search::{Hit, SearchIndex, Target, snippet};
use crate::text::display::{push_shown, str_width, truncate};

/// How many results a query keeps.
pub const LIMIT: usize = 500;

/// Builds the index over every node and every participant row.
#[must_use]
pub fn build_index(corpus: &Corpus) -> Arc<SearchIndex> {
    Arc::new(crate::search::searchable(corpus))
}

/// Search results and where the user is in them.
#[derive(Debug, Clone, Default)]
pub struct SearchState {
    /// The query the hits answer.
    pub query: String,
    pub hits: Vec<Hit>,
    pub selected: usize,
    /// The first result shown (kept by the app so the list does not jump).
    pub offset: usize,
    /// Where the reader stood when `/` was pressed (Esc goes back there).
    pub origin: usize,
}

impl SearchState {
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
    pub fn highlights(&self) -> HashMap<NodeRef, Vec<Range<usize>>> {
        self.hits
            .iter()
            .filter_map(|h| match h.target {
                Target::Node(r) => Some((r, h.ranges.clone())),
                Target::Participant(_) | Target::Extra(_) => None,
            })
            .collect()
    }

    /// The next (or previous) hit that is a node, from the selection, wrapping around.
    pub fn step(&mut self, forward: bool) -> Option<NodeRef> {
        let n = self.hits.len();
        for k in 1..=n {
            let i = if forward {
                (self.selected + k) % n
            } else {
                (self.selected + n - k % n) % n
            };
            if let Target::Node(r) = self.hits[i].target {
                self.selected = i;
                return Some(r);
            }
        }
        None
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
                |s| format!("{} {}", doc.nodes[s].marker, doc.nodes[s].one_line()),
            )
        }
        Target::Participant(_) | Target::Extra(_) => "participants".to_string(),
    }
}

/// Draws the result list into `area`.
pub fn render(
    state: &SearchState,
    index: Option<&SearchIndex>,
    corpus: &Corpus,
    theme: &Theme,
    area: Rect,
    buf: &mut Buffer,
) {
    let width = usize::from(area.width);
    let height = usize::from(area.height);
    if height == 0 || width == 0 {
        return;
    }
    let Some(index) = index else {
        return;
    };
    if state.hits.is_empty() {
        let msg = if state.query.trim().is_empty() {
            "type to search both documents: words, 'exact, !exclude; romaji finds kana (ransamu)"
        } else {
            "no match"
        };
        put(
            buf,
            area.x,
            area.y,
            &truncate(msg, width, theme.opts),
            width,
            Style::new(),
        );
        return;
    }
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
