//! The index of terms (`i`, as in Info): every acronym with its expansion, every named body,
//! initiative and mechanism, and the participants, narrowed as the reader types (the
//! library's [`Index::narrow`](crate::refs::Index::narrow), search's normal form). Enter on an
//! entry lists its mentions (one mention: goes there, as Info's `i` does); Enter on a mention
//! jumps there, and `n`/`N` then step through the others.

use std::fmt::Write as _;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};

use super::draw::{empty_list, list, put};
use super::effect::{Effect, Highlights, Jump, LineKind, Steps};
use super::keymap::Action;
use super::theme::Theme;
use crate::corpus::Corpus;
use crate::refs::{Place, Refs};
use crate::text::display::{DisplayOptions, sanitize, str_width, truncate};

/// The index view's state.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IndexState {
    pub query: String,
    /// Indices into `refs.index.entries`, as narrowed.
    pub visible: Vec<usize>,
    pub selected: usize,
    pub offset: usize,
    /// The mentions of one entry, when listed: the entry and the selected mention.
    pub mentions: Option<(usize, usize)>,
}

/// Goes to one of `places` and makes them what `n`/`N` step through, with `name` in the
/// status line (`mention 1 of 3 — ICPA`). Used by the index and the cited documents.
#[must_use]
pub fn go_to_place(name: &str, places: &[Place], index: usize) -> Vec<Effect> {
    let Some(p) = places.get(index) else {
        return vec![Effect::Message(format!("{name}: no place in the text"))];
    };
    let stops: Vec<_> = places
        .iter()
        .map(|p| (p.node, vec![p.range.clone()]))
        .collect();
    let mut hl = Highlights::new();
    hl.insert(p.node, vec![p.range.clone()]);
    let n = places.len();
    let mut msg = format!("mention {} of {n} — {name}", index + 1);
    if n > 1 {
        msg.push_str(" · n the next");
    }
    vec![
        Effect::StepThrough(Steps::Mentions {
            name: name.to_string(),
            stops,
            index,
        }),
        Effect::Jump(Jump::Node(p.node, Some(hl))),
        Effect::Message(msg),
    ]
}

/// One place as a row of a list: the node's id and the words around the place.
#[must_use]
pub fn place_row(corpus: &Corpus, place: &Place, width: usize, opts: DisplayOptions) -> String {
    let node = corpus.node(place.node);
    let id_w = 16.min(width / 3);
    let id = format!("{:<id_w$}", truncate(&node.id, id_w, opts));
    let (snippet, _) = crate::search::snippet(
        &node.text,
        std::slice::from_ref(&place.range),
        width.saturating_sub(id_w + 3),
    );
    truncate(&format!("  {id} {}", sanitize(&snippet, opts)), width, opts)
}

impl IndexState {
    /// Every entry, nothing typed.
    #[must_use]
    pub fn new(refs: &Refs) -> Self {
        let mut s = IndexState::default();
        s.set_query(refs, "");
        s
    }

    /// Narrows the entries to what was typed; the selection goes to the best match.
    pub fn set_query(&mut self, refs: &Refs, query: &str) {
        query.clone_into(&mut self.query);
        self.visible = refs.index.narrow(query);
        self.selected = 0;
        self.offset = 0;
        self.mentions = None;
    }

    /// The entry under the selection.
    #[must_use]
    pub fn selected_entry(&self) -> Option<usize> {
        self.visible.get(self.selected).copied()
    }

    /// Moves the selection (in the mentions when they are listed).
    pub fn move_by(&mut self, refs: &Refs, delta: isize) {
        if let Some((e, sel)) = &mut self.mentions {
            let last = refs.index.entries[*e].mentions.len().saturating_sub(1);
            *sel = sel.saturating_add_signed(delta).min(last);
            return;
        }
        let last = self.visible.len().saturating_sub(1);
        self.selected = self.selected.saturating_add_signed(delta).min(last);
    }

    /// Enter: on an entry, lists its mentions (goes to the only one); on a mention, goes there.
    pub fn open(&mut self, refs: &Refs) -> Vec<Effect> {
        if let Some((e, sel)) = self.mentions {
            let t = &refs.index.entries[e];
            return go_to_place(&t.term, &t.mentions, sel);
        }
        let Some(e) = self.selected_entry() else {
            return vec![Effect::Message(format!(
                "no entry matches “{}”",
                self.query
            ))];
        };
        let t = &refs.index.entries[e];
        if t.mentions.len() == 1 {
            return go_to_place(&t.term, &t.mentions, 0);
        }
        self.mentions = Some((e, 0));
        Vec::new()
    }

    /// Carries out an action of the `index` rows; `page` is how many rows a page moves.
    pub fn update(&mut self, action: Action, refs: &Refs, page: usize) -> Vec<Effect> {
        let page = isize::try_from(page).unwrap_or(1).max(1);
        match action {
            Action::Down => self.move_by(refs, 1),
            Action::Up => self.move_by(refs, -1),
            Action::PageDown => self.move_by(refs, page),
            Action::PageUp => self.move_by(refs, -page),
            Action::Top => self.move_by(refs, isize::MIN),
            Action::Bottom => self.move_by(refs, isize::MAX),
            Action::Open => return self.open(refs),
            Action::Search => return vec![Effect::OpenLine(LineKind::Index, self.query.clone())],
            Action::Cancel if self.mentions.is_some() => self.mentions = None,
            Action::Cancel => return vec![Effect::CloseView],
            _ => {}
        }
        Vec::new()
    }
}

/// The header line of an entry: term, expansion, kind and how many mentions.
fn entry_row(refs: &Refs, e: usize, width: usize, opts: DisplayOptions) -> String {
    let t = &refs.index.entries[e];
    let n = t.mentions.len();
    let mut line = format!(" {}", t.term);
    if let Some(x) = &t.expansion {
        let _ = write!(line, "  {x}");
    }
    let tail = format!(
        "  {} · {n} place{}",
        t.kind.name().replace('_', " "),
        if n == 1 { "" } else { "s" }
    );
    let line = sanitize(&line, opts);
    let room = width.saturating_sub(str_width(&tail));
    if str_width(&line) <= room {
        format!("{line}{tail}")
    } else {
        truncate(&line, width, opts)
    }
}

/// The selected entry in full, wrapped to `width`: its term and expansion, its kind and the
/// ids of its places.
fn detail_lines(
    refs: &Refs,
    corpus: &Corpus,
    e: usize,
    width: usize,
    opts: DisplayOptions,
) -> Vec<String> {
    let t = &refs.index.entries[e];
    let mut text = t.term.clone();
    if let Some(x) = &t.expansion {
        let _ = write!(text, ": {x}");
    }
    let ids = crate::refs::place_ids(corpus, &t.mentions);
    let _ = write!(
        text,
        " ({}; {})",
        t.kind.name().replace('_', " "),
        ids.join(", ")
    );
    let text = sanitize(&text, opts);
    crate::text::wrap::wrap_str(
        &text,
        width.saturating_sub(1).max(1),
        width.saturating_sub(3).max(1),
    )
    .into_iter()
    .enumerate()
    .map(|(k, l)| {
        if k == 0 {
            format!(" {l}")
        } else {
            format!("   {l}")
        }
    })
    .collect()
}

/// Draws the index into `area`: the entries, or one entry's mentions under it.
pub fn render(
    state: &IndexState,
    refs: &Refs,
    corpus: &Corpus,
    theme: &Theme,
    area: Rect,
    buf: &mut Buffer,
) {
    let opts = theme.opts;
    let width = usize::from(area.width);
    let height = usize::from(area.height);
    let row = |i: usize| area.y + u16::try_from(i).unwrap_or(u16::MAX);
    if let Some((e, sel)) = state.mentions {
        let t = &refs.index.entries[e];
        put(
            buf,
            area.x,
            area.y,
            &entry_row(refs, e, width, opts),
            width,
            Style::new().add_modifier(Modifier::BOLD),
        );
        let below = Rect {
            y: area.y.saturating_add(1),
            height: area.height.saturating_sub(1),
            ..area
        };
        list(buf, below, t.mentions.len(), sel, 0, |i| {
            (place_row(corpus, &t.mentions[i], width, opts), Style::new())
        });
        return;
    }
    if state.visible.is_empty() {
        empty_list(
            buf,
            area,
            &format!("no entry matches “{}”", state.query),
            opts,
        );
        return;
    }
    // With room below the list, the selected entry in full: a narrow screen cuts the
    // expansion on its row, and the expansion is what `i icpa` is asked for.
    let detail = state
        .selected_entry()
        .map(|e| detail_lines(refs, corpus, e, width, opts))
        .filter(|d| state.visible.len() + 1 + d.len() <= height)
        .unwrap_or_default();
    if !detail.is_empty() {
        let y0 = height - detail.len();
        for (k, line) in detail.iter().enumerate() {
            put(
                buf,
                area.x,
                row(y0 + k),
                line,
                width,
                Style::new().add_modifier(Modifier::BOLD),
            );
        }
    }
    list(
        buf,
        area,
        state.visible.len(),
        state.selected,
        state.offset,
        |i| (entry_row(refs, state.visible[i], width, opts), Style::new()),
    );
}
