//! The cited documents (`R`, or `:refs`): every document the texts cite, in date order (those
//! without a date last), each followed by the places it is cited. Enter on a place jumps there
//! (on a document: its first place), and `n`/`N` then step through its other places.

use std::fmt::Write as _;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};

use super::draw::{empty_list, list};
use super::effect::Effect;
use super::index::{go_to_place, place_row};
use super::keymap::Action;
use super::theme::Theme;
use crate::corpus::Corpus;
use crate::refs::{Citation, Refs};
use crate::text::display::{DisplayOptions, sanitize, truncate};

/// A row of the view: a cited document, or one place it is cited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Row {
    Citation(usize),
    Place(usize, usize),
}

/// The view's state.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CitedState {
    pub rows: Vec<Row>,
    pub selected: usize,
    pub offset: usize,
}

/// A cited document as its row: date (or dashes), name, issuer.
#[must_use]
pub fn citation_row(c: &Citation, width: usize, opts: DisplayOptions) -> String {
    let date = c
        .date
        .map_or_else(|| "----------".to_string(), crate::corpus::Date::iso);
    let mut line = format!(" {date}  {}", c.name);
    if let Some(i) = &c.issuer {
        let _ = write!(line, " ({i})");
    }
    let n = c.places.len();
    let _ = write!(line, " · {n} place{}", if n == 1 { "" } else { "s" });
    truncate(&sanitize(&line, opts), width, opts)
}

impl CitedState {
    #[must_use]
    pub fn new(refs: &Refs) -> Self {
        let rows = refs
            .citations
            .iter()
            .enumerate()
            .flat_map(|(i, c)| {
                std::iter::once(Row::Citation(i))
                    .chain((0..c.places.len()).map(move |j| Row::Place(i, j)))
            })
            .collect();
        CitedState {
            rows,
            selected: 0,
            offset: 0,
        }
    }

    fn move_by(&mut self, delta: isize) {
        let last = self.rows.len().saturating_sub(1);
        self.selected = self.selected.saturating_add_signed(delta).min(last);
    }

    /// Enter: the selected place, or the first place of the selected document.
    #[must_use]
    pub fn open(&self, refs: &Refs) -> Vec<Effect> {
        let (c, j) = match self.rows.get(self.selected) {
            Some(Row::Citation(c)) => (*c, 0),
            Some(Row::Place(c, j)) => (*c, *j),
            None => return vec![Effect::Message("the texts cite no document".into())],
        };
        let cit = &refs.citations[c];
        go_to_place(&cit.name, &cit.places, j)
    }

    /// Carries out an action of the `cited` rows; `page` is how many rows a page moves.
    pub fn update(&mut self, action: Action, refs: &Refs, page: usize) -> Vec<Effect> {
        let page = isize::try_from(page).unwrap_or(1).max(1);
        match action {
            Action::Down => self.move_by(1),
            Action::Up => self.move_by(-1),
            Action::PageDown => self.move_by(page),
            Action::PageUp => self.move_by(-page),
            Action::Top => self.move_by(isize::MIN),
            Action::Bottom => self.move_by(isize::MAX),
            Action::NextNode | Action::PrevNode => {
                // The next (previous) document, skipping its places.
                let forward = action == Action::NextNode;
                let found = if forward {
                    (self.selected + 1..self.rows.len())
                        .find(|&i| matches!(self.rows[i], Row::Citation(_)))
                } else {
                    (0..self.selected)
                        .rev()
                        .find(|&i| matches!(self.rows[i], Row::Citation(_)))
                };
                if let Some(i) = found {
                    self.selected = i;
                }
            }
            Action::Open => return self.open(refs),
            Action::Cancel => return vec![Effect::CloseView],
            _ => {}
        }
        Vec::new()
    }
}

/// Draws the list into `area`.
pub fn render(
    state: &CitedState,
    refs: &Refs,
    corpus: &Corpus,
    theme: &Theme,
    area: Rect,
    buf: &mut Buffer,
) {
    let opts = theme.opts;
    let width = usize::from(area.width);
    if state.rows.is_empty() {
        empty_list(buf, area, "the texts cite no document", opts);
        return;
    }
    list(
        buf,
        area,
        state.rows.len(),
        state.selected,
        state.offset,
        |i| match state.rows[i] {
            Row::Citation(c) => (
                citation_row(&refs.citations[c], width, opts),
                Style::new().add_modifier(Modifier::BOLD),
            ),
            Row::Place(c, j) => (
                place_row(corpus, &refs.citations[c].places[j], width, opts),
                Style::new(),
            ),
        },
    );
}
