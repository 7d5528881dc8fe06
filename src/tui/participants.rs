//! The participants view: the CRI's two lists (countries and organisations) side by side, one
//! row a participant, with filters, sort orders, narrowing by name, and the mentions of a row
//! across both documents. Built on first use, so start-up does not pay for it.

use std::ops::Range;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};

use super::draw::{put, scroll_offset};
use super::effect::{Effect, Highlights, Jump, LineKind, Steps};
use super::keymap::Action;
use super::theme::Theme;
use crate::corpus::{Corpus, NodeRef};
use crate::participants::{
    Choice, Filter, Participants, ReferenceData, Sort, TableLayout, join_cells,
};
use crate::text::display::{sanitize, truncate};

/// The mentions of one participant, shown over the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mentions {
    pub row: usize,
    pub nodes: Vec<NodeRef>,
    pub selected: usize,
}

/// The view's state.
#[derive(Debug, Clone)]
pub struct ParticipantsState {
    pub table: Participants,
    /// Why the table is empty, if it is.
    pub problem: Option<String>,
    pub filter: Filter,
    pub sort: Sort,
    pub query: String,
    /// Indices into `table.rows`, as filtered, narrowed and sorted.
    pub visible: Vec<usize>,
    pub selected: usize,
    pub offset: usize,
    pub mentions: Option<Mentions>,
}

impl ParticipantsState {
    /// Parses the lists out of the loaded documents and joins them with the reference data.
    #[must_use]
    pub fn new(corpus: &Corpus) -> Self {
        let (table, problem) = match ReferenceData::embedded() {
            Ok(data) => {
                let t = Participants::from_corpus(corpus, &data);
                let p = t
                    .is_empty()
                    .then(|| crate::participants::NO_LISTS.to_string());
                (t, p)
            }
            Err(e) => (Participants::default(), Some(e.to_string())),
        };
        let mut s = ParticipantsState {
            table,
            problem,
            filter: Filter::All,
            sort: Sort::Document,
            query: String::new(),
            visible: Vec::new(),
            selected: 0,
            offset: 0,
            mentions: None,
        };
        s.refresh();
        s
    }

    /// Recomputes the visible rows after the filter, sort or query changed, keeping the
    /// selected participant where it can.
    pub fn refresh(&mut self) {
        let keep = self.visible.get(self.selected).copied();
        self.visible = self.table.filtered(self.filter, self.sort, &self.query);
        self.selected = keep
            .and_then(|k| self.visible.iter().position(|&v| v == k))
            .unwrap_or(0);
    }

    pub fn cycle_filter(&mut self) {
        self.filter = self.filter.cycle();
        self.refresh();
    }

    pub fn cycle_sort(&mut self) {
        self.sort = self.sort.cycle();
        self.refresh();
    }

    pub fn set_query(&mut self, q: &str) {
        self.query = q.to_string();
        self.refresh();
    }

    /// Selects the row of a participant by code (or Japanese name), showing every row.
    pub fn select_key(&mut self, key: &str) {
        self.filter = Filter::All;
        self.query.clear();
        self.mentions = None;
        self.refresh();
        if let Some(i) = self.visible.iter().position(|&r| {
            let p = &self.table.rows[r];
            p.entry.code.as_deref() == Some(key) || p.ja == key
        }) {
            self.selected = i;
        }
    }

    /// Moves the selection (in the mentions list when it is open).
    pub fn move_by(&mut self, delta: isize) {
        if let Some(m) = &mut self.mentions {
            let last = m.nodes.len().saturating_sub(1);
            m.selected = m.selected.saturating_add_signed(delta).min(last);
            return;
        }
        let last = self.visible.len().saturating_sub(1);
        self.selected = self.selected.saturating_add_signed(delta).min(last);
    }

    pub fn to_end(&mut self, end: bool) {
        self.move_by(if end { isize::MAX } else { isize::MIN });
    }

    /// The participant under the selection.
    #[must_use]
    pub fn selected_row(&self) -> Option<usize> {
        self.visible.get(self.selected).copied()
    }

    /// `Enter`: opens the mentions of the selected row, or, when they are open, returns the
    /// mention to jump to.
    pub fn open(&mut self) -> Option<NodeRef> {
        if let Some(m) = &self.mentions {
            return m.nodes.get(m.selected).copied();
        }
        let row = self.selected_row()?;
        self.mentions = Some(Mentions {
            row,
            nodes: self.table.rows[row].mentions.clone(),
            selected: 0,
        });
        None
    }

    /// The character ranges in a node's text where the participant of `row` is named: the
    /// words that made the node one of its mentions.
    #[must_use]
    pub fn name_ranges(&self, corpus: &Corpus, row: usize, node: NodeRef) -> Vec<Range<usize>> {
        self.table.name_ranges(corpus, row, node)
    }

    /// Carries out an action of the `participants` rows; `page` is how many rows a page
    /// moves.
    pub fn update(&mut self, action: Action, corpus: &Corpus, page: usize) -> Vec<Effect> {
        let page = isize::try_from(page).unwrap_or(1).max(1);
        match action {
            Action::Down => self.move_by(1),
            Action::Up => self.move_by(-1),
            Action::HalfPageDown => self.move_by((page / 2).max(1)),
            Action::HalfPageUp => self.move_by(-(page / 2).max(1)),
            Action::PageDown => self.move_by(page),
            Action::PageUp => self.move_by(-page),
            Action::Top => self.to_end(false),
            Action::Bottom => self.to_end(true),
            Action::CycleFilter => self.cycle_filter(),
            Action::CycleSort => self.cycle_sort(),
            // Esc closes the mentions, or else clears the narrowing.
            Action::Cancel => {
                if self.mentions.is_some() {
                    self.mentions = None;
                } else if !self.query.is_empty() {
                    self.set_query("");
                }
            }
            Action::Search => return vec![Effect::OpenLine(LineKind::Narrow, String::new())],
            Action::Open => {
                if let Some(target) = self.open() {
                    let Some(m) = self.mentions.take() else {
                        return Vec::new();
                    };
                    let stops: Vec<(NodeRef, Vec<Range<usize>>)> = m
                        .nodes
                        .iter()
                        .map(|&r| (r, self.name_ranges(corpus, m.row, r)))
                        .collect();
                    let ranges = stops
                        .get(m.selected)
                        .map(|(_, r)| r.clone())
                        .unwrap_or_default();
                    let name = self.table.rows[m.row].ja.clone();
                    let (index, total) = (m.selected, stops.len());
                    let mut hl = Highlights::new();
                    hl.insert(target, ranges);
                    return vec![
                        Effect::StepThrough(Steps::Mentions {
                            name: name.clone(),
                            stops,
                            index,
                        }),
                        Effect::Jump(Jump::Node(target, Some(hl))),
                        Effect::Message(format!(
                            "mention {} of {total} — {name} (n/N for the others)",
                            index + 1
                        )),
                    ];
                } else if self.mentions.as_ref().is_some_and(|m| m.nodes.is_empty()) {
                    self.mentions = None;
                    return vec![Effect::Message(
                        "not mentioned elsewhere in the loaded documents".into(),
                    )];
                }
            }
            Action::Copy => {
                if let Some(text) = self.row_text() {
                    let what = format!("the row of {}", text.split('\t').next().unwrap_or(""));
                    return vec![Effect::Copy { text, what }];
                }
            }
            _ => {}
        }
        Vec::new()
    }

    /// One line describing the selected row, for the clipboard.
    #[must_use]
    pub fn row_text(&self) -> Option<String> {
        let p = &self.table.rows[self.selected_row()?];
        let mark = |b: bool| if b { "yes" } else { "no" };
        Some(format!(
            "{}\t{}\t{}\t{}\tmeeting:{}\tstatement:{}\tnew-2023:{}\tG7:{}",
            p.ja,
            p.entry.en.as_deref().unwrap_or(""),
            p.entry.code.as_deref().unwrap_or(""),
            p.entry.kind.map_or("", |k| k.name()),
            mark(p.in_meeting),
            mark(p.in_statement),
            mark(p.entry.new_2023),
            mark(p.g7)
        ))
    }
}

/// Draws the view into `area` (everything between the location bar and the hint bar).
pub fn render(
    state: &ParticipantsState,
    corpus: &Corpus,
    theme: &Theme,
    area: Rect,
    buf: &mut Buffer,
) {
    let width = usize::from(area.width);
    if area.height == 0 {
        return;
    }
    let opts = theme.opts;
    let mut y = area.y;
    // The summary over the table.
    let summary = sanitize(&state.table.summary(), opts);
    put(
        buf,
        area.x,
        y,
        &truncate(&summary, width, opts),
        width,
        theme.message(),
    );
    y += 1;
    if let Some(problem) = &state.problem {
        if y < area.y + area.height {
            put(
                buf,
                area.x,
                y,
                &truncate(problem, width, opts),
                width,
                Style::new(),
            );
        }
        return;
    }
    let layout = TableLayout::for_width(width);
    if y < area.y + area.height {
        let header = join_cells(&layout.header(opts));
        put(
            buf,
            area.x,
            y,
            &header,
            width,
            theme
                .role(crate::layout::Role::Heading)
                .add_modifier(Modifier::UNDERLINED),
        );
        y += 1;
    }
    let rows_h = usize::from((area.y + area.height).saturating_sub(y));
    let offset = scroll_offset(state.selected, state.offset, rows_h);
    for (i, &row) in state.visible.iter().enumerate().skip(offset).take(rows_h) {
        let line = join_cells(
            &state
                .table
                .render_row(row, &layout.columns, &layout.widths, opts),
        );
        let selected = i == state.selected;
        let style = if selected {
            Style::new().add_modifier(Modifier::REVERSED)
        } else {
            Style::new()
        };
        let ry = y + u16::try_from(i - offset).unwrap_or(0);
        if selected {
            put(buf, area.x, ry, &" ".repeat(width), width, style);
        }
        put(buf, area.x, ry, &line, width, style);
    }
    if state.visible.is_empty() && y < area.y + area.height {
        let msg = format!(
            "no participant matches “{}” ({})",
            state.query,
            state.filter.describe()
        );
        put(
            buf,
            area.x,
            y,
            &truncate(&sanitize(&msg, opts), width, opts),
            width,
            Style::new(),
        );
    }
    if let Some(m) = &state.mentions {
        mentions_popup(state, m, corpus, theme, area, buf);
    }
}

fn mentions_popup(
    state: &ParticipantsState,
    m: &Mentions,
    corpus: &Corpus,
    theme: &Theme,
    area: Rect,
    buf: &mut Buffer,
) {
    let opts = theme.opts;
    let w = usize::from(area.width).saturating_sub(4).max(1);
    let h = usize::from(area.height)
        .saturating_sub(2)
        .clamp(1, m.nodes.len() + 2);
    let x0 = area.x + 2.min(area.width);
    let y0 = area.y + 1.min(area.height);
    let style = theme.bar();
    let p = &state.table.rows[m.row];
    for yy in 0..h {
        let ry = y0 + u16::try_from(yy).unwrap_or(0);
        put(
            buf,
            x0.saturating_sub(1),
            ry,
            &" ".repeat(w + 2),
            w + 2,
            Style::new(),
        );
        put(buf, x0, ry, &" ".repeat(w), w, style);
    }
    let n = m.nodes.len();
    let title = format!(
        " {} — {n} mention{} (Enter jumps, Esc closes) ",
        p.ja,
        if n == 1 { "" } else { "s" }
    );
    put(
        buf,
        x0,
        y0,
        &truncate(&sanitize(&title, opts), w, opts),
        w,
        style.add_modifier(Modifier::BOLD),
    );
    let list_h = h.saturating_sub(1);
    let offset = scroll_offset(m.selected, 0, list_h);
    for (i, &r) in m.nodes.iter().enumerate().skip(offset).take(list_h) {
        let node = corpus.node(r);
        let id_w = 16.min(w / 3);
        let id = format!("{:<id_w$}", truncate(&node.id, id_w, opts));
        let ranges = state.name_ranges(corpus, m.row, r);
        let (snippet, _) = crate::search::snippet(&node.text, &ranges, w.saturating_sub(id_w + 2));
        let line = format!(" {id} {}", sanitize(&snippet, opts));
        let ry = y0 + 1 + u16::try_from(i - offset).unwrap_or(0);
        let s = if i == m.selected {
            style
                .add_modifier(Modifier::BOLD)
                .remove_modifier(Modifier::REVERSED)
        } else {
            style
        };
        put(buf, x0, ry, &truncate(&line, w, opts), w, s);
    }
}
