//! The application state and the one `update` that every key goes through. Drawing reads this
//! state and never changes it.

use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::keymap::{Action, Context, action_for};
use super::participants::ParticipantsState;
use super::reader::ReaderState;
use super::search::SearchState;
use super::theme::Theme;
use super::tree::{TreeKey, TreeState};
use crate::corpus::{Corpus, NodeRef, Resolved};
use crate::search::{Hit, SearchIndex, Target};
use std::sync::Arc;

/// Terminals smaller than this get a one-line message instead of the browser.
pub const MIN_WIDTH: u16 = 20;
pub const MIN_HEIGHT: u16 = 5;
/// Below this width the tree is hidden unless asked for, so the text keeps its width.
pub const NARROW: u16 = 60;

/// Which pane has the keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Tree,
    Reader,
}

/// What a line input is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    /// `:` — an id to go to.
    Goto,
    /// `/` in the participants view — narrows the table as you type.
    Narrow,
    /// `/` in the documents view — searches as you type.
    Search,
}

/// Which view fills the screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Documents,
    Participants,
}

/// A line being typed at the bottom of the screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    pub kind: InputKind,
    pub text: String,
}

/// Where the panes are, for a terminal size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Geometry {
    pub bar: ratatui::layout::Rect,
    pub tree: Option<ratatui::layout::Rect>,
    pub separator: Option<ratatui::layout::Rect>,
    pub reader: ratatui::layout::Rect,
    pub hint: ratatui::layout::Rect,
}

impl Geometry {
    /// Splits the screen: a location bar on top, the tree and the reader, a hint bar below.
    #[must_use]
    pub fn new(width: u16, height: u16, tree: bool) -> Self {
        use ratatui::layout::Rect;
        let body_h = height.saturating_sub(2);
        let (tree_rect, sep, reader_x) = if tree {
            let tw = (width * 3 / 10).clamp(18, 36).min(width.saturating_sub(21));
            (
                Some(Rect::new(0, 1, tw, body_h)),
                Some(Rect::new(tw, 1, 1, body_h)),
                tw + 2,
            )
        } else {
            (None, None, 1)
        };
        Geometry {
            bar: Rect::new(0, 0, width, 1.min(height)),
            tree: tree_rect,
            separator: sep,
            reader: Rect::new(
                reader_x.min(width),
                1,
                width.saturating_sub(reader_x).saturating_sub(1),
                body_h,
            ),
            hint: Rect::new(0, height.saturating_sub(1), width, 1.min(height)),
        }
    }
}

/// Options the TUI starts with.
#[derive(Debug, Clone, Default)]
pub struct AppOptions {
    pub theme: Theme,
    pub goto: Option<String>,
    /// Open with this query already typed after `/`.
    pub search: Option<String>,
    /// The terminal's size at start (80x24 when not given).
    pub size: Option<(u16, u16)>,
}

/// The whole state of the browser.
#[derive(Debug)]
pub struct App {
    pub corpus: Corpus,
    pub theme: Theme,
    pub focus: Focus,
    pub tree: TreeState,
    pub reader: ReaderState,
    pub input: Option<Input>,
    pub help: Option<usize>,
    pub message: Option<String>,
    pub size: (u16, u16),
    /// The user's choice to show or hide the tree; `None` follows the width.
    pub tree_wanted: Option<bool>,
    /// Text waiting to be sent to the clipboard (OSC 52) after the next frame.
    pub clipboard: Option<String>,
    pub view: View,
    /// The participants view, built the first time it is shown.
    pub participants: Option<ParticipantsState>,
    pub search: SearchState,
    /// The search index, built the first time `/` is pressed.
    pub index: Option<Arc<SearchIndex>>,
    /// A query waiting to be run (the terminal loop runs it off the drawing thread).
    pub search_request: Option<String>,
    pub quit: bool,
}

impl App {
    #[must_use]
    pub fn new(corpus: Corpus, options: AppOptions) -> Self {
        let theme = options.theme;
        let tree = TreeState::new(&corpus, theme.opts);
        let reader = ReaderState::new(theme.opts);
        let mut app = App {
            corpus,
            theme,
            focus: Focus::Reader,
            tree,
            reader,
            input: None,
            help: None,
            message: None,
            size: (80, 24),
            tree_wanted: None,
            clipboard: None,
            view: View::Documents,
            participants: None,
            search: SearchState::default(),
            index: None,
            search_request: None,
            quit: false,
        };
        let (width, height) = options.size.unwrap_or((80, 24));
        if options.goto.is_none() && options.search.is_none() {
            // The first frame shows the top of the text: lay out only that much now and the
            // rest after it is drawn (`finish_layout`), or before the first key at the latest.
            app.lay_out(width, height, false);
        } else {
            app.resize(width, height);
        }
        if let Some(id) = options.goto
            && let Err(e) = app.goto(&id)
        {
            app.message = Some(e);
        }
        if let Some(q) = options.search {
            app.start_search();
            if let Some(input) = &mut app.input {
                input.text.clone_from(&q);
            }
            app.search_request = Some(q);
        }
        app
    }

    /// `/` in the documents view: opens the search line (building the index on first use).
    pub fn start_search(&mut self) {
        if self.index.is_none() {
            self.index = Some(super::search::build_index(&self.corpus));
        }
        self.search.origin = self.reader.top;
        self.input = Some(Input {
            kind: InputKind::Search,
            text: self.search.query.clone(),
        });
        if !self.search.query.is_empty() {
            self.search_request = Some(self.search.query.clone());
        }
    }

    /// Takes the query waiting to be run, with the index to run it on.
    pub fn take_search_request(&mut self) -> Option<(Arc<SearchIndex>, String)> {
        let q = self.search_request.take()?;
        Some((Arc::clone(self.index.as_ref()?), q))
    }

    /// Results arrived for `query`; stale ones (the query has changed since) are dropped.
    pub fn apply_search(&mut self, query: &str, hits: Vec<Hit>) {
        let current = match &self.input {
            Some(Input {
                kind: InputKind::Search,
                text,
            }) => text.as_str(),
            _ => self.search.query.as_str(),
        };
        if current != query {
            return;
        }
        self.search.query = query.to_string();
        self.search.hits = hits;
        self.search.selected = 0;
        self.search.offset = 0;
    }

    /// Runs a waiting query at once (what the terminal loop does on its worker thread).
    pub fn run_pending_search(&mut self) {
        if let Some((index, q)) = self.take_search_request() {
            let hits = index.search(&q, super::search::LIMIT);
            self.apply_search(&q, hits);
        }
    }

    /// Shows a search hit: a node in the reader with every match highlighted, or a
    /// participant's row.
    fn show_hit(&mut self) {
        let Some(hit) = self.search.selected_hit() else {
            return;
        };
        match hit.target {
            Target::Node(r) => {
                self.view = View::Documents;
                self.reader.highlights = self.search.highlights();
                self.reader.show(r);
                self.follow_reader();
                let (n, total) = (self.search.selected + 1, self.search.hits.len());
                self.message = Some(format!(
                    "{} ({n} of {total} for “{}”; n/N for the others)",
                    self.corpus.node(r).id,
                    self.search.query
                ));
            }
            Target::Participant(row) => {
                let key = self
                    .index
                    .as_ref()
                    .and_then(|ix| ix.participant_key(row))
                    .map(str::to_string)
                    .unwrap_or_default();
                self.show_participants();
                if let Some(p) = &mut self.participants {
                    p.select_key(&key);
                }
            }
            Target::Extra(_) => {}
        }
    }

    /// Whether the tree is on screen.
    #[must_use]
    pub fn tree_visible(&self) -> bool {
        self.tree_wanted.unwrap_or(self.size.0 >= NARROW)
    }

    /// Switches to (or from) characters that are never East Asian Ambiguous, for terminals that
    /// draw them two cells wide. Lays the text out again.
    pub fn set_ascii(&mut self, ascii: bool) {
        if self.theme.opts.ascii == ascii {
            return;
        }
        self.theme.opts.ascii = ascii;
        self.tree.rebuild(&self.corpus, self.theme.opts);
        let (w, h) = self.size;
        self.resize(w, h);
    }

    /// `y`: the node under the reader's cursor (the one at the top) goes to the clipboard.
    fn copy_current(&mut self) {
        let Some(r) = self.current_node() else {
            return;
        };
        let node = self.corpus.node(r);
        let text = crate::text::sanitize(&node.text, crate::text::DisplayOptions::default());
        let label = node
            .label
            .clone()
            .map_or_else(String::new, |l| format!("{l} "));
        self.message = Some(format!(
            "copied {} ({}{} characters) with OSC 52",
            node.id,
            label,
            text.chars().count()
        ));
        self.clipboard = Some(text);
    }

    /// Whether a hint for this action belongs in the hint bar now.
    #[must_use]
    pub fn hint_applies(&self, action: Action) -> bool {
        let docs = self.view == View::Documents;
        match action {
            Action::FocusNext | Action::FocusPrev => docs && self.tree_visible(),
            Action::ToggleTree => docs && !self.tree_visible(),
            Action::Goto | Action::ShowParticipants => docs,
            Action::ShowDocuments | Action::CycleFilter | Action::CycleSort | Action::Open => !docs,
            _ => true,
        }
    }

    /// Whether the terminal is too small for the browser.
    #[must_use]
    pub fn too_small(&self) -> bool {
        self.size.0 < MIN_WIDTH || self.size.1 < MIN_HEIGHT
    }

    #[must_use]
    pub fn geometry(&self) -> Geometry {
        Geometry::new(self.size.0, self.size.1, self.tree_visible())
    }

    /// Adapts to a terminal size: lays the text out again when the reading width changed.
    pub fn resize(&mut self, width: u16, height: u16) {
        self.lay_out(width, height, true);
    }

    /// Lays out whatever the first frame did not need (see [`AppOptions`]); nothing when the
    /// layout is already whole. Every key and resize does this first.
    pub fn finish_layout(&mut self) {
        self.reader.finish_layout(&self.corpus);
    }

    fn lay_out(&mut self, width: u16, height: u16, whole: bool) {
        self.size = (width, height);
        self.keep_lists_in_view();
        if self.too_small() {
            return;
        }
        let g = self.geometry();
        self.reader.height = usize::from(g.reader.height);
        let reading_width = usize::from(g.reader.width).max(1);
        if whole {
            self.reader
                .relayout(&self.corpus, reading_width, self.theme.opts);
        } else {
            self.reader
                .layout_first_screen(&self.corpus, reading_width, self.theme.opts);
        }
        if !self.tree_visible() && self.focus == Focus::Tree {
            self.focus = Focus::Reader;
        }
        self.follow_reader();
    }

    /// The node at the top of the reading pane.
    #[must_use]
    pub fn current_node(&self) -> Option<NodeRef> {
        self.reader.current()
    }

    /// The tree follows the reading position.
    fn follow_reader(&mut self) {
        if let Some(r) = self.reader.current() {
            self.tree.reveal(&self.corpus, r, self.theme.opts);
        }
        self.tree_into_view();
    }

    fn tree_into_view(&mut self) {
        let h = self.geometry().tree.map_or(0, |t| usize::from(t.height));
        self.tree.scroll_into_view(h);
    }

    /// The reader follows the tree's selection.
    fn reader_follows_tree(&mut self) {
        match self.tree.selected_key() {
            Some(TreeKey::Doc(d)) => self.reader.show_doc(d),
            Some(TreeKey::Node(r)) => self.reader.show(r),
            None => {}
        }
        self.tree_into_view();
    }

    /// Jumps to what the user typed after `:` (or gave with `--goto`).
    ///
    /// # Errors
    /// A message saying the id is unknown.
    pub fn goto(&mut self, input: &str) -> Result<(), String> {
        let prefer = self.reader.layout.doc_at(self.reader.top);
        match self.corpus.resolve(input, prefer) {
            Some(Resolved::Document(d)) => {
                self.reader.show_doc(d);
                self.follow_reader();
                Ok(())
            }
            Some(Resolved::Node(r)) => {
                self.reader.show(r);
                self.follow_reader();
                Ok(())
            }
            None => Err(format!("no such id: {}", input.trim())),
        }
    }

    /// Handles any terminal event.
    pub fn handle_event(&mut self, event: &Event) {
        self.finish_layout();
        match event {
            Event::Key(key) => self.handle_key(key),
            Event::Resize(w, h) => self.resize(*w, *h),
            Event::Paste(text) => {
                if let Some(input) = &mut self.input {
                    input.text.extend(text.chars().filter(|c| !c.is_control()));
                }
            }
            _ => {}
        }
    }

    /// Handles one key.
    pub fn handle_key(&mut self, key: &KeyEvent) {
        if key.kind == KeyEventKind::Release {
            return;
        }
        self.finish_layout();
        self.message = None;
        if self.input.is_some() {
            self.handle_input_key(key);
        } else if self.help.is_some() {
            self.handle_help_key(key);
        } else if let Some(action) = action_for(Context::Normal, key) {
            self.update(action);
        }
        self.keep_lists_in_view();
    }

    /// The participants table and the search results scroll only as far as the selection
    /// needs, so the list stays still while the selection moves within it.
    fn keep_lists_in_view(&mut self) {
        use super::draw::scroll_offset;
        let h = usize::from(self.size.1);
        if let Some(p) = &mut self.participants {
            // Location bar, summary, header and hint bar.
            p.offset = scroll_offset(p.selected, p.offset, h.saturating_sub(4));
        }
        // Location bar and the search line.
        self.search.offset = scroll_offset(
            self.search.selected,
            self.search.offset,
            h.saturating_sub(2),
        );
    }

    fn handle_help_key(&mut self, key: &KeyEvent) {
        match action_for(Context::Normal, key) {
            Some(Action::Down) => self.help = self.help.map(|o| o + 1),
            Some(Action::Up) => self.help = self.help.map(|o| o.saturating_sub(1)),
            Some(Action::Quit) if key.modifiers.contains(KeyModifiers::CONTROL) => self.quit = true,
            _ => self.help = None,
        }
    }

    fn handle_input_key(&mut self, key: &KeyEvent) {
        let Some(input) = &mut self.input else {
            return;
        };
        let before = input.text.clone();
        match action_for(Context::Input, key) {
            Some(Action::Submit) => {
                if let Some(input) = self.input.take() {
                    self.input_submitted(input);
                }
                return;
            }
            Some(Action::Cancel) => {
                if let Some(input) = self.input.take() {
                    self.input_cancelled(&input);
                }
                return;
            }
            Some(Action::DeleteChar) => {
                if input.text.pop().is_none() {
                    if let Some(input) = self.input.take() {
                        self.input_cancelled(&input);
                    }
                    return;
                }
            }
            Some(Action::ClearInput) => input.text.clear(),
            Some(Action::DeleteWord) => {
                let trimmed = input.text.trim_end().len();
                input.text.truncate(trimmed);
                let cut = input.text.rfind(' ').map_or(0, |i| i + 1);
                input.text.truncate(cut);
            }
            Some(Action::Down) => self.input_moved(1),
            Some(Action::Up) => self.input_moved(-1),
            Some(_) => {}
            None => {
                if let KeyCode::Char(c) = key.code
                    && !key
                        .modifiers
                        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
                    && !c.is_control()
                {
                    input.text.push(c);
                }
            }
        }
        if let Some(input) = &self.input
            && input.text != before
        {
            let (kind, text) = (input.kind, input.text.clone());
            self.input_changed(kind, &text);
        }
    }

    /// The line being typed changed: live inputs act at once.
    fn input_changed(&mut self, kind: InputKind, text: &str) {
        match kind {
            InputKind::Goto => {}
            InputKind::Narrow => {
                if let Some(p) = &mut self.participants {
                    p.set_query(text);
                }
            }
            InputKind::Search => self.search_request = Some(text.to_string()),
        }
    }

    /// `Down`/`Up` while typing: moves through what the input shows.
    fn input_moved(&mut self, delta: isize) {
        match (self.input.as_ref().map(|i| i.kind), &mut self.participants) {
            (Some(InputKind::Narrow), Some(p)) => p.move_by(delta),
            (Some(InputKind::Search), _) => self.search.move_by(delta),
            _ => {}
        }
    }

    fn input_submitted(&mut self, input: Input) {
        match input.kind {
            InputKind::Goto => {
                if !input.text.trim().is_empty()
                    && let Err(e) = self.goto(&input.text)
                {
                    self.message = Some(e);
                }
            }
            // The narrowed table stays as it is.
            InputKind::Narrow => {}
            InputKind::Search => {
                self.search.query = input.text;
                self.show_hit();
            }
        }
    }

    fn input_cancelled(&mut self, input: &Input) {
        match input.kind {
            InputKind::Goto => {}
            InputKind::Narrow => {
                if let Some(p) = &mut self.participants {
                    p.set_query("");
                }
            }
            // Back to where the reader was.
            InputKind::Search => {
                self.reader.top = self.search.origin;
                self.follow_reader();
            }
        }
    }

    fn half_page(&self) -> isize {
        isize::try_from(self.reader.height / 2).unwrap_or(1).max(1)
    }

    fn page(&self) -> isize {
        isize::try_from(self.reader.height.saturating_sub(1))
            .unwrap_or(1)
            .max(1)
    }

    /// Shows the participants view, building it on first use.
    pub fn show_participants(&mut self) {
        if self.participants.is_none() {
            self.participants = Some(ParticipantsState::new(&self.corpus));
        }
        self.view = View::Participants;
    }

    /// Actions as the participants view understands them; `None` when the action is not the
    /// view's own.
    fn update_participants(&mut self, action: Action) -> Option<()> {
        let page = isize::try_from(self.size.1.saturating_sub(4))
            .unwrap_or(1)
            .max(1);
        let p = self.participants.as_mut()?;
        match action {
            Action::Down => p.move_by(1),
            Action::Up => p.move_by(-1),
            Action::HalfPageDown => p.move_by(page / 2),
            Action::HalfPageUp => p.move_by(-page / 2),
            Action::PageDown => p.move_by(page),
            Action::PageUp => p.move_by(-page),
            Action::Top => p.to_end(false),
            Action::Bottom => p.to_end(true),
            Action::CycleFilter => p.cycle_filter(),
            Action::NextMatch | Action::PrevMatch => {}
            Action::CycleSort => p.cycle_sort(),
            Action::Cancel => p.mentions = None,
            Action::Search => {
                let text = p.query.clone();
                self.input = Some(Input {
                    kind: InputKind::Narrow,
                    text,
                });
            }
            Action::Open => {
                if let Some(target) = p.open() {
                    let ranges = p
                        .mentions
                        .as_ref()
                        .map(|m| p.name_ranges(&self.corpus, m.row, target))
                        .unwrap_or_default();
                    p.mentions = None;
                    self.view = View::Documents;
                    self.reader.highlights.clear();
                    self.reader.highlights.insert(target, ranges);
                    self.reader.show(target);
                    self.follow_reader();
                } else if p.mentions.as_ref().is_some_and(|m| m.nodes.is_empty()) {
                    p.mentions = None;
                    self.message = Some("not mentioned elsewhere in the loaded documents".into());
                }
            }
            Action::Copy => {
                if let Some(text) = p.row_text() {
                    self.message = Some(format!(
                        "copied the row of {} with OSC 52",
                        text.split('\t').next().unwrap_or("")
                    ));
                    self.clipboard = Some(text);
                }
            }
            _ => return None,
        }
        Some(())
    }

    /// Carries out an action.
    pub fn update(&mut self, action: Action) {
        if self.view == View::Participants && self.update_participants(action).is_some() {
            return;
        }
        let opts = self.theme.opts;
        let tree_focus = self.focus == Focus::Tree && self.tree_visible();
        match action {
            Action::Quit => self.quit = true,
            Action::Help => self.help = Some(0),
            Action::Goto => {
                self.input = Some(Input {
                    kind: InputKind::Goto,
                    text: String::new(),
                })
            }
            Action::FocusNext | Action::FocusPrev => {
                if self.tree_visible() {
                    self.focus = if self.focus == Focus::Tree {
                        Focus::Reader
                    } else {
                        Focus::Tree
                    };
                } else {
                    self.message = Some("the tree is hidden: press t to show it".into());
                }
            }
            Action::ToggleTree => {
                let show = !self.tree_visible();
                self.tree_wanted = Some(show);
                self.focus = if show { Focus::Tree } else { Focus::Reader };
                let (w, h) = self.size;
                self.resize(w, h);
            }
            Action::Down
            | Action::Up
            | Action::HalfPageDown
            | Action::HalfPageUp
            | Action::PageDown
            | Action::PageUp
                if tree_focus =>
            {
                let h = self
                    .geometry()
                    .tree
                    .map_or(1, |t| isize::try_from(t.height).unwrap_or(1).max(1));
                let delta = match action {
                    Action::Down => 1,
                    Action::Up => -1,
                    Action::HalfPageDown => h / 2,
                    Action::HalfPageUp => -h / 2,
                    Action::PageDown => h - 1,
                    _ => 1 - h,
                };
                self.tree.move_by(delta);
                self.reader_follows_tree();
            }
            Action::Top | Action::Bottom if tree_focus => {
                self.tree.selected = if action == Action::Top {
                    0
                } else {
                    self.tree.rows.len().saturating_sub(1)
                };
                self.reader_follows_tree();
            }
            Action::Down => self.scroll(1),
            Action::Up => self.scroll(-1),
            Action::HalfPageDown => self.scroll(self.half_page()),
            Action::HalfPageUp => self.scroll(-self.half_page()),
            Action::PageDown => self.scroll(self.page()),
            Action::PageUp => self.scroll(-self.page()),
            Action::Top => {
                self.reader.to_top();
                self.follow_reader();
            }
            Action::Bottom => {
                self.reader.to_bottom();
                self.follow_reader();
            }
            Action::NextNode | Action::PrevNode => {
                if let Some(s) = self.reader.neighbour_start(action == Action::NextNode) {
                    self.reader.top = s;
                    self.follow_reader();
                }
            }
            Action::Expand if tree_focus => {
                self.tree.expand(&self.corpus, opts);
                self.tree_into_view();
            }
            Action::Collapse if tree_focus => {
                self.tree.collapse(&self.corpus, opts);
                self.reader_follows_tree();
            }
            Action::Open if tree_focus => {
                self.reader_follows_tree();
                self.focus = Focus::Reader;
            }
            Action::Expand | Action::Collapse | Action::Open => {
                if self.tree_visible() {
                    self.focus = Focus::Tree;
                }
            }
            Action::Copy => self.copy_current(),
            Action::ShowParticipants => self.show_participants(),
            Action::ShowDocuments => self.view = View::Documents,
            // Esc in the documents view clears highlighted matches.
            Action::Cancel => self.reader.highlights.clear(),
            Action::Search => self.start_search(),
            Action::NextMatch | Action::PrevMatch => {
                if self.search.step(action == Action::NextMatch).is_some() {
                    self.show_hit();
                } else {
                    self.message = Some("no search results: press / to search".into());
                }
            }
            Action::CycleFilter
            | Action::CycleSort
            | Action::Submit
            | Action::DeleteChar
            | Action::ClearInput
            | Action::DeleteWord => {}
        }
    }

    fn scroll(&mut self, delta: isize) {
        self.reader.scroll(delta);
        self.follow_reader();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::load_embedded;

    fn app() -> App {
        let mut a = App::new(load_embedded(), AppOptions::default());
        a.resize(80, 24);
        a
    }

    fn key(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
    }

    fn typed(a: &mut App, s: &str) {
        for c in s.chars() {
            a.handle_key(&key(c));
        }
    }

    fn id(a: &App) -> String {
        a.current_node()
            .map(|r| a.corpus.node(r).id.clone())
            .unwrap_or_default()
    }

    #[test]
    fn starts_in_reader_at_the_title() {
        let a = app();
        assert_eq!(a.focus, Focus::Reader);
        assert_eq!(a.reader.top, 0);
        assert_eq!(id(&a), "g7:title");
    }

    #[test]
    fn colon_jumps_to_paragraph() {
        let mut a = app();
        typed(&mut a, ":23");
        a.handle_key(&KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
        assert_eq!(id(&a), "g7:23");
        // The tree follows.
        let sel = a.tree.selected_key();
        assert_eq!(
            sel,
            Some(TreeKey::Node(a.corpus.find_id("g7:23").expect("id")))
        );
        for (input, want) in [
            (":cri:3", "cri:3"),
            (":VII", "g7:VII"),
            (":Ⅶ", "g7:VII"),
            (":cri", "cri:date"),
        ] {
            typed(&mut a, input);
            a.handle_key(&KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
            assert_eq!(id(&a), want, "{input}");
        }
    }

    #[test]
    fn unknown_id_says_so() {
        let mut a = app();
        typed(&mut a, ":nope");
        a.handle_key(&KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
        assert_eq!(a.message.as_deref(), Some("no such id: nope"));
        assert_eq!(a.reader.top, 0);
    }

    #[test]
    fn g_and_shift_g() {
        let mut a = app();
        a.handle_key(&KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT));
        assert_eq!(a.reader.top, a.reader.max_top());
        assert!(id(&a).starts_with("cri:"));
        typed(&mut a, "g");
        assert_eq!(a.reader.top, 0);
    }

    #[test]
    fn j_scrolls_and_k_comes_back() {
        let mut a = app();
        typed(&mut a, "jjj");
        assert_eq!(a.reader.top, 3);
        typed(&mut a, "kkkkk");
        assert_eq!(a.reader.top, 0);
    }

    #[test]
    fn tree_selection_scrolls_reader() {
        let mut a = app();
        a.handle_key(&KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE));
        assert_eq!(a.focus, Focus::Tree);
        typed(&mut a, "j"); // first section
        assert_eq!(id(&a), "g7:I");
        typed(&mut a, "l"); // expand it
        typed(&mut a, "j");
        assert_eq!(id(&a), "g7:1");
        typed(&mut a, "h"); // leaf: go to parent
        assert_eq!(id(&a), "g7:I");
        typed(&mut a, "h"); // collapse
        assert!(
            !a.tree
                .expanded
                .contains(&TreeKey::Node(a.corpus.find_id("g7:I").expect("id")))
        );
    }

    #[test]
    fn every_paragraph_reachable_by_keys() {
        let mut a = app();
        let mut seen = std::collections::HashSet::new();
        for _ in 0..400 {
            seen.insert(id(&a));
            a.handle_key(&key('}'));
        }
        for (_, n) in a.corpus.iter_nodes() {
            assert!(seen.contains(&n.id), "{} never reached", n.id);
        }
    }

    #[test]
    fn resize_keeps_the_reading_position() {
        let mut a = app();
        typed(&mut a, ":30");
        a.handle_key(&KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
        for (w, h) in [(200, 60), (40, 15), (1, 1), (500, 200), (80, 24)] {
            a.resize(w, h);
        }
        assert_eq!(id(&a), "g7:30");
    }

    fn drawn(a: &App) -> ratatui::buffer::Buffer {
        let area = ratatui::layout::Rect::new(0, 0, a.size.0, a.size.1);
        let mut buf = ratatui::buffer::Buffer::empty(area);
        super::super::view::draw(a, area, &mut buf);
        buf
    }

    #[test]
    fn start_up_builds_neither_the_search_index_nor_the_participants_table() {
        let mut a = App::new(load_embedded(), AppOptions::default());
        let _ = drawn(&a);
        assert!(
            a.index.is_none(),
            "the search index was built before the first `/`"
        );
        assert!(
            a.participants.is_none(),
            "the participants table was built unasked"
        );
        a.handle_key(&key('/'));
        assert!(a.index.is_some());
        a.handle_key(&KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE));
        a.handle_key(&key('2'));
        assert!(a.participants.is_some());
    }

    #[test]
    fn the_first_frame_needs_only_the_first_screen_laid_out() {
        for (w, h) in [
            (80, 24),
            (40, 15),
            (200, 60),
            (20, 5),
            (1, 1),
            (500, 200),
            (60, 3),
        ] {
            let mut a = App::new(
                load_embedded(),
                AppOptions {
                    size: Some((w, h)),
                    ..AppOptions::default()
                },
            );
            if (w, h) == (80, 24) {
                assert!(!a.reader.layout.is_complete(), "laid out everything");
            }
            let first = drawn(&a);
            a.finish_layout();
            assert!(a.too_small() || a.reader.layout.is_complete());
            assert_eq!(first, drawn(&a), "{w}x{h}");
        }
        // Any key lays out the rest before it is handled.
        let mut a = App::new(load_embedded(), AppOptions::default());
        a.handle_key(&key('G'));
        assert!(a.reader.layout.is_complete());
        assert_eq!(a.reader.top, a.reader.max_top());
    }

    #[test]
    fn percent_grows_through_the_text_and_ends_at_100() {
        let mut a = app();
        let mut last = a.reader.percent();
        assert!(last < 5, "{last}");
        while a.reader.top < a.reader.max_top() {
            a.handle_key(&key('j'));
            let p = a.reader.percent();
            assert!(p >= last && p <= 100, "{last} then {p}");
            last = p;
        }
        assert_eq!(last, 100);
    }

    #[test]
    fn scrolling_down_never_goes_up() {
        let mut a = app();
        typed(&mut a, ":30");
        a.handle_key(&KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
        // Taller than what is left of the text: the top now stands past the last top a
        // scroll could bring.
        a.resize(500, 200);
        let top = a.reader.top;
        assert!(top > a.reader.max_top());
        for c in ['j', ' '] {
            a.handle_key(&key(c));
            assert_eq!(a.reader.top, top, "{c}");
        }
        assert_eq!(id(&a), "g7:30");
        a.handle_key(&key('k'));
        assert_eq!(a.reader.top, top - 1);
    }

    #[test]
    fn narrow_hides_tree_and_t_shows_it() {
        let mut a = app();
        a.resize(50, 20);
        assert!(!a.tree_visible());
        typed(&mut a, "t");
        assert!(a.tree_visible());
        assert_eq!(a.focus, Focus::Tree);
    }
}
