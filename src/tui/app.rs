//! The application: the panes, which one has the keys, and the one place every key and every
//! effect goes through. A key is looked up in the key table for the focused pane's contexts;
//! the row's context names the pane that handles it (`keymap.rs`); that pane's `update`
//! returns [`Effect`]s and [`App::apply`] carries them out. Drawing reads this state and never
//! changes it.

use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::cited::CitedState;
use super::effect::{Effect, Jump, LineKind};
use super::follow::Follow;
use super::help::HelpState;
use super::index::IndexState;
use super::keymap::{Action, Context, Key, Keymap};
use super::links::LinkCursor;
use super::participants::ParticipantsState;
use super::places::{Places, StateAt};
use super::prompt::Prompt;
use super::reader::ReaderState;
use super::search::SearchPane;
use super::theme::Theme;
use super::tree::{TreeKey, TreeState};
use crate::corpus::{Corpus, Loader, NodeRef, Resolved};
use crate::places::{Opened, Position, StateError, Store, corpus_key};
use crate::refs::{DocNames, NodeLinks, Refs, SeenLinks};
use crate::search::SearchIndex;
use std::collections::VecDeque;
use std::sync::mpsc::{Receiver, TryRecvError};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

/// A corpus with less text than this is handled whole: parsed before the first frame, laid
/// out before the first key, its search index built on the spot. A larger one is parsed and
/// laid out a slice at a time between input checks ([`App::work`]), its index built on a
/// thread: its first screen comes at once and keys are answered meanwhile. (One threshold
/// with the loader's, which reads a smaller file once, into memory.)
pub const ON_THE_SPOT_BYTES: usize = crate::corpus::SMALL_FILE_BYTES;

/// How long one slice of [`App::work`] may take: well within a frame, so a key typed
/// meanwhile waits no longer than that.
const SLICE: Duration = Duration::from_millis(8);

/// Bytes parsed between two looks at the clock (a few hundred microseconds of work).
const PARSE_STEP: usize = 64 << 10;

/// Lines laid out between two looks at the clock.
const LAYOUT_STEP: usize = 256;

/// Terminals smaller than this get a one-line message instead of the browser.
pub const MIN_WIDTH: u16 = 20;
pub const MIN_HEIGHT: u16 = 5;
/// Below this width the tree is hidden unless asked for, so the text keeps its width.
pub const NARROW: u16 = 60;

/// Which pane of the documents view has the keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Tree,
    Reader,
}

/// Which view fills the screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Documents,
    Participants,
    /// The index of terms (`i`).
    Index,
    /// The cited documents (`R`, `:refs`).
    Cited,
}

/// Why `:` (or `--goto`) could not go where it was asked: the corpus resolver's error (no such
/// id, or an entry that several places could mean, with its candidates).
pub use crate::corpus::GotoError;

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
    /// The key table (the defaults when not given).
    pub keymap: Option<Keymap>,
    /// A search index built already (a server shares one between its sessions); built at
    /// the first search when not given.
    pub index: Option<Arc<SearchIndex>>,
    /// Where the marks, the last position and the histories are kept (off by default).
    pub state: StateAt,
}

/// The whole state of the browser.
#[derive(Debug)]
pub struct App {
    /// Shared with the threads that build the search index.
    pub corpus: Arc<Corpus>,
    pub theme: Theme,
    pub keymap: Keymap,
    pub focus: Focus,
    pub tree: TreeState,
    pub reader: ReaderState,
    /// The line at the bottom (`:` and `/`) and its histories.
    pub prompt: Prompt,
    pub help: Option<HelpState>,
    pub message: Option<String>,
    pub size: (u16, u16),
    /// The user's choice to show or hide the tree; `None` follows the width.
    pub tree_wanted: Option<bool>,
    /// Text waiting to be sent to the clipboard after the next frame.
    pub clipboard: Option<String>,
    pub view: View,
    /// The participants view, built the first time it is shown.
    pub participants: Option<ParticipantsState>,
    /// The search: query, index, results and the request waiting to be run.
    pub search: SearchPane,
    /// The jump list, the marks, what `n` steps through, and the state file.
    pub places: Places,
    /// Links, citations and the index, built when first needed (after the first frame).
    pub refs: Option<Arc<Refs>>,
    /// The reader's selected link.
    pub links: LinkCursor,
    /// The index view, opened with `i`.
    pub index: Option<IndexState>,
    /// The cited documents view, opened with `R`.
    pub cited: Option<CitedState>,
    /// Where Enter on the goto line will go, as typed so far.
    pub goto_preview: Option<String>,
    pub quit: bool,
    /// Ctrl-z was pressed: the loop suspends, then redraws.
    pub suspend: bool,
    /// The screen is to be cleared and drawn again in full.
    pub repaint: bool,
    /// Presenting and following.
    pub follow: Follow,
    /// The files still being parsed (a large file: see [`ON_THE_SPOT_BYTES`]).
    loader: Option<Loader>,
    /// Whether the corpus is large: parsed and laid out in slices ([`App::work`]).
    large: bool,
    /// Events that arrived while the whole text was not ready, from the first one that
    /// needed it (`G`, `:`, `/`, `n`): applied in order once it is.
    deferred: VecDeque<Event>,
    /// What the first of them waits for.
    waiting_for: Option<Need>,
    /// Where the state file is, while a large file is read (it is named by the whole text).
    pending_state: Option<StateAt>,
    /// A large file's links, citations and index, being built on a thread of their own once
    /// the text is read (a second or more at 35 MB: the keys that need them wait, the rest
    /// act meanwhile).
    refs_building: Option<Receiver<Refs>>,
    /// Links built once for every session of a server ([`App::share_refs`]).
    shared_refs: Option<Arc<OnceLock<Arc<Refs>>>>,
    /// A large file's links of the nodes that came on screen, until (unless) the whole text's
    /// are found: underlined from the first frames after the text is read, and `>`, `<` and
    /// Enter act on them at once. Dropped when `refs` comes.
    seen: Option<SeenLinks>,
    /// The document names those links need (they read every node: tens of milliseconds at
    /// 36 MB), on a thread once the text is read.
    names_building: Option<Receiver<DocNames>>,
}

/// What a key waits for while a large file is read ([`App::work`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Need {
    /// Every node parsed (`G` included: the end is laid out at once, however large the
    /// text, with what comes before it laid out in slices).
    Parse,
    /// The links on screen: the document names found once every node is parsed (or the
    /// whole text's links).
    Links,
    /// The links, citations and index, built on a thread once every node is parsed.
    Refs,
}

/// Words a less or vim user may try, and what kaigi does instead.
fn suggestion(key: &KeyEvent) -> Option<&'static str> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    Some(match (key.code, ctrl) {
        (KeyCode::Char('w' | 'z'), false) => "Space pages down, b up",
        (KeyCode::Char('Z' | 'Q'), false) => "q quits",
        (KeyCode::Char('p' | '%'), false) => "g goes to the top, G to the end, :23 to a paragraph",
        (KeyCode::Char('v'), false) => "kaigi does not edit; y copies the paragraph",
        (KeyCode::Char('-'), false) => "Ctrl-o or Backspace goes back, L forward",
        (KeyCode::Char('&'), false) => "/ searches and highlights every match",
        _ => return None,
    })
}

/// What the goto line shows before anything is typed.
pub const GOTO_HINT: &str = "an id, number or label: 23, cri:3, VII, 附属文書I, 注1, refs, marks";

/// vim's ways to quit, typed after `:`.
fn is_vim_quit(text: &str) -> bool {
    matches!(text.trim(), "q" | "q!" | "qa" | "qa!" | "wq" | "x" | "quit")
}

/// What `make` builds from the corpus, on a thread of its own (a large file's links and
/// names: seconds at 36 MB); the receiver has it when it is done, or is disconnected if the
/// thread died.
fn on_a_thread<T: Send + 'static>(corpus: &Arc<Corpus>, make: fn(&Corpus) -> T) -> Receiver<T> {
    let (tx, rx) = std::sync::mpsc::channel();
    let corpus = Arc::clone(corpus);
    std::thread::spawn(move || {
        let _ = tx.send(make(&corpus));
    });
    rx
}

impl App {
    #[must_use]
    pub fn new(corpus: impl Into<Arc<Corpus>>, options: AppOptions) -> Self {
        Self::with_loader(corpus, Loader::default(), options)
    }

    /// A browser over files still to be parsed ([`Corpus::open`]): a small corpus is parsed
    /// whole now; a large one only as far as its first screen, the rest by [`App::work`].
    pub fn with_loader(
        corpus: impl Into<Arc<Corpus>>,
        mut loader: Loader,
        options: AppOptions,
    ) -> Self {
        let mut corpus = corpus.into();
        let large = loader.total_bytes() >= ON_THE_SPOT_BYTES
            || corpus
                .iter_nodes()
                .map(|(_, n)| n.text.len())
                .sum::<usize>()
                >= ON_THE_SPOT_BYTES;
        // `--goto` and `--search` need the whole text before the first frame. (A corpus
        // already parsed is left as it is: shared, by the SSH server's connections, it is
        // never copied here.)
        let whole_first = !large || options.goto.is_some() || options.search.is_some();
        if loader.is_done() {
            // Nothing to read.
        } else if whole_first {
            loader.finish(Arc::make_mut(&mut corpus));
        } else {
            // Enough for any first screen (200x60 cells is under 40 KB of Japanese); more
            // below if the layout finds it short.
            loader.step(Arc::make_mut(&mut corpus), 4 * PARSE_STEP);
        }
        let changed = loader.take_notes();
        let loader = (!loader.is_done()).then_some(loader);
        let theme = options.theme;
        let tree = TreeState::new(&corpus);
        let reader = ReaderState::new(theme.opts);
        let mut app = App {
            corpus,
            theme,
            keymap: options.keymap.unwrap_or_default(),
            focus: Focus::Reader,
            tree,
            reader,
            prompt: Prompt::default(),
            help: None,
            message: None,
            size: (80, 24),
            tree_wanted: None,
            clipboard: None,
            view: View::Documents,
            participants: None,
            search: options
                .index
                .map(SearchPane::with_index)
                .unwrap_or_default(),
            places: Places::default(),
            refs: None,
            links: LinkCursor::default(),
            index: None,
            cited: None,
            goto_preview: None,
            quit: false,
            suspend: false,
            repaint: false,
            follow: Follow::default(),
            loader,
            large,
            deferred: VecDeque::new(),
            waiting_for: None,
            pending_state: None,
            refs_building: None,
            shared_refs: None,
            seen: None,
            names_building: None,
        };
        let (width, height) = options.size.unwrap_or((80, 24));
        // The state file is named by the whole text: a large file still being read opens it
        // once it is read (`loaded`).
        let state = if app.loader.is_some() {
            app.pending_state = Some(options.state);
            StateAt::Off
        } else {
            options.state
        };
        let (restored, note) = app.open_state(state);
        let restored = restored.filter(|_| options.goto.is_none() && options.search.is_none());
        if let Some(at) = restored {
            // Only what the first frame shows, at the place kept (a screen before it and two
            // after); the text around it is laid out after the frame, as at the top.
            app.lay_out(width, height, false);
            if !app.too_small() {
                let until = app.unsettled();
                app.reader.lay_out_through(&app.corpus, at.node, until);
            }
            app.reader.set_position(Some(at));
            app.follow_reader();
        } else if options.goto.is_none() && options.search.is_none() {
            // The first frame shows the top of the text: lay out only that much now and the
            // rest after it is drawn (`finish_layout`), or before the first key at the latest.
            app.lay_out(width, height, false);
        } else {
            app.resize(width, height);
        }
        if let Some(id) = options.goto
            && let Err(e) = app.goto(&id)
        {
            app.message = Some(e.to_string());
        }
        if let Some(q) = options.search {
            app.apply(Effect::OpenLine(LineKind::Search, q));
        }
        if note.is_some() && app.message.is_none() {
            app.message = note;
        }
        app.say_changed(&changed);
        app
    }

    /// A file that changed after it was checked: one line, over anything else.
    fn say_changed(&mut self, notes: &[crate::corpus::LoadError]) {
        if let Some(first) = notes.first() {
            self.message = Some(crate::text::sanitize(&first.to_string(), self.theme.opts));
        }
    }

    /// Reads the state file: the marks and histories are taken in; the last position is
    /// returned, with the note to show once if the file (or the folder) cannot be used.
    fn open_state(&mut self, state: StateAt) -> (Option<Position>, Option<String>) {
        let dir = match state {
            StateAt::Off => return (None, None),
            StateAt::Unavailable(note) => return (None, Some(note)),
            StateAt::Dir(dir) => dir,
        };
        let (store, opened) = Store::open(&dir, &corpus_key(&self.corpus));
        match opened {
            Opened::Loaded(saved) => {
                self.prompt
                    .restore_history(LineKind::Search, saved.searches.clone());
                self.prompt
                    .restore_history(LineKind::Goto, saved.gotos.clone());
                (self.places.restore(store, Some(&saved), &self.corpus), None)
            }
            Opened::Fresh => (self.places.restore(store, None, &self.corpus), None),
            Opened::Ignored { note } => {
                self.places.restore(store, None, &self.corpus);
                (None, Some(note))
            }
        }
    }

    /// Writes the marks, the position and the histories to the state file (nothing with
    /// `--no-state`). Called on setting a mark and by whoever ends the browser.
    ///
    /// # Errors
    /// The file could not be written, or was unreadable at start and is left alone.
    pub fn save_state(&self) -> Result<(), StateError> {
        if !self.places.keeps_state() {
            return Ok(());
        }
        let saved = self.places.saved(
            &self.corpus,
            self.reader.position(),
            self.prompt.history_entries(LineKind::Search),
            self.prompt.history_entries(LineKind::Goto),
        );
        self.places.save(&saved)
    }

    /// Takes the query waiting to be run, with the index to run it on (the event loop runs
    /// it on a worker thread); while the index is built, the query answered again once more
    /// of it is there (see [`SearchPane::take_request`]).
    pub fn take_search_request(&mut self) -> Option<super::search::Request> {
        self.search.take_request(Instant::now())
    }

    /// Takes what the search index's thread has handed over; true when the screen is to
    /// change ("indexing…" gives way to the results or the line's hint, the percentage moves
    /// on: at most every [`REFRESH`](super::search::REFRESH) until the index is whole).
    pub fn poll_search_index(&mut self) -> bool {
        self.search.poll(Instant::now())
    }

    /// Results arrived; stale ones are dropped. True when what is shown changed.
    pub fn apply_search(&mut self, answer: super::search::Answer) -> bool {
        let changed = self.search.apply(answer);
        self.keep_lists_in_view();
        changed
    }

    /// Runs a waiting query at once (what the event loop does on its worker thread).
    pub fn run_pending_search(&mut self) {
        if let Some(request) = self.take_search_request() {
            self.apply_search(request.run());
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
        let (w, h) = self.size;
        self.resize(w, h);
    }

    /// Whether a hint for this action belongs in the hint line now.
    #[must_use]
    pub fn hint_applies(&self, action: Action) -> bool {
        let docs = self.view == View::Documents;
        if self.places.list.is_some() {
            return matches!(action, Action::Open | Action::Cancel);
        }
        match action {
            Action::Cancel => false,
            Action::FocusNext | Action::FocusPrev => docs && self.tree_visible(),
            Action::ToggleTree => docs && !self.tree_visible(),
            Action::Goto | Action::ShowParticipants | Action::NextLink => docs,
            Action::ShowDocuments | Action::Open => !docs,
            Action::CycleFilter | Action::CycleSort => self.view == View::Participants,
            Action::ShowIndex => self.view != View::Index,
            _ => true,
        }
    }

    /// The contexts of the key table that apply now, the most specific first.
    #[must_use]
    pub fn contexts(&self) -> Vec<Context> {
        if self.help.is_some() {
            return vec![Context::Help];
        }
        if self.places.list.is_some() {
            return vec![Context::Marks, Context::Always];
        }
        if let Some(line) = &self.prompt.line {
            return vec![line.context(), Context::Line, Context::Always];
        }
        self.browse_contexts()
    }

    /// The contexts that apply with no line and no help open.
    #[must_use]
    pub fn browse_contexts(&self) -> Vec<Context> {
        match self.view {
            View::Participants => vec![Context::Participants, Context::Global, Context::Always],
            View::Index => vec![Context::Index, Context::Global, Context::Always],
            View::Cited => vec![Context::Cited, Context::Global, Context::Always],
            View::Documents if self.focus == Focus::Tree && self.tree_visible() => vec![
                Context::Tree,
                Context::Text,
                Context::Places,
                Context::Global,
                Context::Always,
            ],
            View::Documents => vec![
                Context::Reader,
                Context::Text,
                Context::Places,
                Context::Global,
                Context::Always,
            ],
        }
    }

    /// The name of what has the keys, for the hint line.
    #[must_use]
    pub fn focus_name(&self) -> &'static str {
        if self.help.is_some() {
            return "help";
        }
        if self.places.list.is_some() {
            return "marks";
        }
        if self.places.pending.is_some() {
            return "mark";
        }
        if let Some(line) = &self.prompt.line {
            return match line.kind {
                LineKind::Goto => "goto",
                LineKind::Search => "search",
                LineKind::Narrow => "narrow",
                LineKind::Index => "index",
            };
        }
        match self.view {
            View::Participants
                if self
                    .participants
                    .as_ref()
                    .is_some_and(|p| p.mentions.is_some()) =>
            {
                "mentions"
            }
            View::Participants => "participants",
            View::Index if self.index.as_ref().is_some_and(|i| i.mentions.is_some()) => "places",
            View::Index => "index",
            View::Cited => "cited",
            View::Documents if self.focus == Focus::Tree && self.tree_visible() => "tree",
            View::Documents => "reader",
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
        let h = self.geometry().tree.map_or(0, |t| usize::from(t.height));
        if h > 0 {
            self.tree.scroll_afresh(h);
        }
    }

    /// Lays out whatever the first frame did not need (see [`AppOptions`]); nothing when the
    /// layout is already whole. Every key and resize does this first.
    pub fn finish_layout(&mut self) {
        self.finish_reading();
        self.reader.finish_layout(&self.corpus);
    }

    /// Parses whatever of a large file is not parsed yet.
    fn finish_reading(&mut self) {
        if let Some(mut loader) = self.loader.take() {
            loader.finish(Arc::make_mut(&mut self.corpus));
            self.say_changed(&loader.take_notes());
            self.loaded();
        }
    }

    /// The first node that may still change while a file is being parsed.
    fn unsettled(&self) -> Option<NodeRef> {
        self.loader.as_ref().and_then(|l| l.unsettled(&self.corpus))
    }

    /// Parses about `bytes` more; false when nothing was left.
    fn parse_more(&mut self, bytes: usize) -> bool {
        let Some(loader) = &mut self.loader else {
            return false;
        };
        // Nothing else holds the corpus while it is parsed (the search index, the one
        // other holder, waits for the whole), so this never copies it.
        let done = loader.step(Arc::make_mut(&mut self.corpus), bytes);
        let changed = loader.take_notes();
        self.say_changed(&changed);
        if done {
            self.loader = None;
            self.loaded();
        }
        true
    }

    /// The whole text is parsed: the tree shows all of it, "how far through" counts it all.
    fn loaded(&mut self) {
        // A search opened while the text was read builds its index now.
        self.search.text_read(&self.corpus);
        self.tree.rebuild(&self.corpus);
        self.reader.layout.recount(&self.corpus);
        if let Some(state) = self.pending_state.take() {
            let (restored, note) = self.open_state(state);
            // The last place, unless the reader has moved meanwhile.
            if let Some(at) = restored
                && self.reader.top == 0
            {
                let until = self.unsettled();
                self.reader.lay_out_through(&self.corpus, at.node, until);
                self.reader.set_position(Some(at));
            }
            if note.is_some() && self.message.is_none() {
                self.message = note;
            }
        }
        self.follow_reader();
    }

    /// Whether the corpus is large (see [`ON_THE_SPOT_BYTES`]): parsed and laid out in
    /// slices, its search index built on a thread.
    #[must_use]
    pub fn is_large(&self) -> bool {
        self.large
    }

    /// Whether there is work left: text to parse or to lay out, keys waiting for it, or links
    /// (or the names that the links on screen need) being found.
    #[must_use]
    pub fn has_work(&self) -> bool {
        self.unfinished()
            || !self.deferred.is_empty()
            || self.building_refs()
            || self.names_building.is_some()
    }

    /// Whether a large file's links are being found on another thread.
    fn building_refs(&self) -> bool {
        self.refs_building.is_some()
            || (self.large && self.refs.is_none() && self.shared_refs.is_some())
    }

    /// Whether all the work left is a thread's (the links being found): nothing to do in
    /// this one but look now and then whether it is done.
    #[must_use]
    pub fn only_waiting(&self) -> bool {
        !self.unfinished() && (self.building_refs() || self.names_building.is_some())
    }

    /// The links, citations and index from `cell`, which another thread fills (a server
    /// builds them once for all its sessions): taken when there, waited for as a large file's
    /// own are.
    pub fn share_refs(&mut self, cell: Arc<OnceLock<Arc<Refs>>>) {
        self.refs = cell.get().cloned();
        self.shared_refs = Some(cell);
        // A server's sessions use the links it shares, as they come, and nothing else.
        self.seen = None;
        self.names_building = None;
    }

    /// A large file, read: the document names its links on screen are found with, on a
    /// thread of their own (then [`App::find_links_on_screen`] finds those links as nodes come
    /// on screen). Not for a server's session, which waits for the links it shares.
    fn start_names(&mut self) {
        if !self.large
            || self.refs.is_some()
            || self.seen.is_some()
            || self.names_building.is_some()
            || self.loader.is_some()
            || self.shared_refs.is_some()
        {
            return;
        }
        self.names_building = Some(on_a_thread(&self.corpus, DocNames::new));
    }

    /// Takes the document names if their thread has finished them: true when they have just
    /// come (the links on screen are then underlined).
    fn poll_names(&mut self) -> bool {
        let Some(rx) = &self.names_building else {
            return false;
        };
        let names = match rx.try_recv() {
            Ok(names) => names,
            Err(TryRecvError::Empty) => return false,
            // A thread that died without them: built here, rather than keys waiting for ever.
            Err(TryRecvError::Disconnected) => DocNames::new(&self.corpus),
        };
        self.names_building = None;
        if self.refs.is_none() {
            self.seen = Some(SeenLinks::new(names));
        }
        true
    }

    /// Finds the links of the nodes on screen not found yet, when the whole text's are not
    /// there (a large file): before every frame, so that they are underlined in the frame
    /// that first shows them, and before a link key.
    pub fn find_links_on_screen(&mut self) {
        if self.refs.is_some() {
            return;
        }
        if let Some(seen) = &mut self.seen {
            seen.see(&self.corpus, &super::links::nodes_on_screen(&self.reader));
        }
    }

    /// The links to underline and step through: the whole text's, or (a large file, until
    /// those are found) those found on screen; none before either.
    #[must_use]
    pub fn known_links(&self) -> Option<&dyn NodeLinks> {
        match (&self.refs, &self.seen) {
            (Some(refs), _) => Some(&**refs),
            (None, Some(seen)) => Some(seen),
            (None, None) => None,
        }
    }

    /// A large file, read: its links, citations and index, on a thread of their own.
    fn start_refs(&mut self) {
        if self.refs.is_some()
            || self.refs_building.is_some()
            || self.loader.is_some()
            || self.shared_refs.is_some()
        {
            return;
        }
        self.refs_building = Some(on_a_thread(&self.corpus, Refs::build));
    }

    /// Takes the links if their thread has finished them: true when they have just come.
    fn poll_refs(&mut self) -> bool {
        if self.refs.is_none()
            && let Some(refs) = self.shared_refs.as_ref().and_then(|c| c.get())
        {
            self.refs = Some(Arc::clone(refs));
            return true;
        }
        let Some(rx) = &self.refs_building else {
            return false;
        };
        let refs = match rx.try_recv() {
            Ok(refs) => refs,
            Err(TryRecvError::Empty) => return false,
            // A thread that died without them (it cannot, short of running out of memory):
            // built here, rather than keys waiting for ever.
            Err(TryRecvError::Disconnected) => Refs::build(&self.corpus),
        };
        self.refs_building = None;
        self.refs = Some(Arc::new(refs));
        // From now on everything uses the whole text's links (the same ids).
        self.seen = None;
        self.names_building = None;
        true
    }

    /// Whether there is text to parse or to lay out.
    fn unfinished(&self) -> bool {
        self.loader.is_some() || !self.reader.layout.is_complete()
    }

    /// One slice of the work a large file leaves after its first frame (at most [`SLICE`]):
    /// parsing, then laying out. When it is all done, the keys that waited for it are
    /// applied, in order. Returns whether the screen changed.
    pub fn work(&mut self) -> bool {
        if !self.has_work() {
            return false;
        }
        let start = Instant::now();
        let deadline = start + SLICE;
        let reading = self.loader.is_some();
        // A search typed while reading: half the slice indexes what is read, so that it is
        // searched.
        let indexing = self.search.indexes_while_reading();
        let parse_until = if indexing {
            start + SLICE / 2
        } else {
            deadline
        };
        while self.loader.is_some() && Instant::now() < parse_until {
            self.parse_more(PARSE_STEP);
        }
        if indexing && self.loader.is_some() {
            let until = self.unsettled();
            self.search.index_read(&self.corpus, until, deadline);
        }
        let just_read = reading && self.loader.is_none();
        // A key waits for the links (typed while reading, or behind such keys): found now.
        if self.large && self.waiting_for == Some(Need::Refs) {
            self.start_refs();
        }
        // The text is read: the names for the links on screen.
        self.start_names();
        while self.loader.is_none()
            && !self.reader.layout.is_complete()
            && Instant::now() < deadline
        {
            self.reader.lay_out_more(&self.corpus, LAYOUT_STEP);
        }
        // The links underline once they come.
        let links_came = self.poll_names() | self.poll_refs();
        let ready = self.waiting_for.is_some_and(|need| !self.lacks(need));
        if !ready {
            if self.waiting_for.is_some() {
                self.message = Some(self.progress());
                return true;
            }
            // The tree and the location bar fill in once the text is read.
            return just_read || links_came;
        }
        // What the keys waited for is here: they act, in the order they came (one may
        // wait again, for more, and those after it with it).
        self.message = None;
        self.waiting_for = None;
        let waiting = std::mem::take(&mut self.deferred);
        for ev in &waiting {
            self.handle_event(ev);
        }
        true
    }

    /// "reading… 40%" while parsing (and "laying out… 70%" after, while the layout is not
    /// whole): one line for a key that waits.
    #[must_use]
    pub fn progress(&self) -> String {
        let text = match &self.loader {
            Some(l) => format!("reading… {}%", l.percent()),
            None if self.waiting_for == Some(Need::Refs) && self.refs.is_none() => {
                "finding links, citations and terms…".to_string()
            }
            None if self.waiting_for == Some(Need::Links) && self.lacks(Need::Links) => {
                "finding the links on screen…".to_string()
            }
            None => format!("laying out… {}%", self.reader.layout.percent_laid_out()),
        };
        crate::text::sanitize(&text, self.theme.opts)
    }

    /// While a file is being parsed, how far through it the parse is.
    #[must_use]
    pub fn reading_percent(&self) -> Option<usize> {
        self.loader.as_ref().map(Loader::percent)
    }

    /// What an event needs before it can act while a large file is read: the whole text
    /// parsed (going to an id or to the end, Enter on the search line, the participants, a
    /// copy, a paste, which opens the search); `None` for anything else (moving, the tree,
    /// help, quitting, `/` and typing the query: the line opens at once and says how far
    /// the text is read), which acts at once on what is there.
    fn needs(&self, event: &Event) -> Option<Need> {
        let (context, action) = match event {
            Event::Key(key) => self.keymap.lookup(&self.contexts(), key)?,
            Event::Paste(_) => return Some(Need::Parse),
            _ => return None,
        };
        match action {
            // The links on screen (Enter in the reader follows the one selected): found as
            // they come on screen once the text is read.
            Action::Open if context == Context::Reader => Some(Need::Links),
            Action::NextLink | Action::PrevLink => Some(Need::Links),
            // The index and the cited documents, and `n` through every link after following
            // one found on screen: found in the whole text, on a thread.
            Action::ShowIndex | Action::ShowCited => Some(Need::Refs),
            Action::NextMatch | Action::PrevMatch
                if matches!(self.places.steps, super::effect::Steps::LinksFrom(_))
                    && self.refs.is_none() =>
            {
                Some(Need::Refs)
            }
            // The end is where the text ends (laid out at once once it is read, what comes
            // before in slices); a copy on a heading takes its whole section; marks and the
            // jump list are kept in the state file, which is named by the whole text; links,
            // the index and the cited documents are found in the whole text (and kept once
            // found).
            Action::Bottom
            | Action::SetMark
            | Action::GoToMark
            | Action::Back
            | Action::Forward
            | Action::Goto
            | Action::NextMatch
            | Action::PrevMatch
            | Action::ShowParticipants
            | Action::Copy
            | Action::CopyCited => Some(Need::Parse),
            // Enter on the search line goes to a result of the whole text.
            Action::Submit
                if self
                    .prompt
                    .line
                    .as_ref()
                    .is_some_and(|l| l.kind == LineKind::Search) =>
            {
                Some(Need::Parse)
            }
            _ => None,
        }
    }

    /// Whether what `need` asks for is not there yet.
    fn lacks(&self, need: Need) -> bool {
        match need {
            Need::Parse => self.loader.is_some(),
            Need::Links => self.loader.is_some() || (self.refs.is_none() && self.seen.is_none()),
            Need::Refs => self.loader.is_some() || self.refs.is_none(),
        }
    }

    /// Whether an event waits (see [`needs`](Self::needs)): it needs what is not there yet,
    /// or events before it wait (keys are applied in the order they were typed). Quitting
    /// never waits, nor does a resize (the screen always has the terminal's size).
    fn must_wait(&mut self, event: &Event) -> bool {
        if !self.large || matches!(event, Event::Resize(..)) {
            return false;
        }
        if !self.has_work() {
            // All is read and laid out, the links on screen found as they come: only a key
            // that needs every link waits, for the thread that finds them, started by it
            // (they cost memory and seconds at 36 MB: found when first asked for, as the
            // search index is). (Without the links on screen, which cannot be short of a
            // server's session, a link key waits for every link, as it did before them.)
            return match self.needs(event) {
                Some(need @ (Need::Links | Need::Refs)) if self.lacks(need) => {
                    self.start_refs();
                    self.waiting_for = Some(Need::Refs);
                    true
                }
                _ => false,
            };
        }
        if let Event::Key(key) = event
            && self.keymap.lookup(&self.contexts(), key).map(|(_, a)| a) == Some(Action::Quit)
        {
            return false;
        }
        // Behind keys that wait, a key waits too; what it needs is asked when it comes out
        // (the context it acts in is the one the keys before it leave, not today's: Enter
        // after `:1234` is the goto line's, not the reader's link key).
        if !self.deferred.is_empty() {
            return true;
        }
        match self.needs(event) {
            Some(need) if self.lacks(need) => {
                self.waiting_for = self.waiting_for.max(Some(need));
                true
            }
            _ => false,
        }
    }

    /// Before a key: the whole layout for a small corpus (as before: a millisecond); for a
    /// large one, enough lines around the top for any move a key makes (see
    /// [`ReaderState::ready_for_move`](super::reader::ReaderState::ready_for_move)), the rest
    /// still in slices.
    fn ready_for_key(&mut self) {
        if !self.large {
            self.finish_layout();
            return;
        }
        let until = self.unsettled();
        self.reader.ready_for_move(&self.corpus, until);
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
        let until = self.unsettled();
        if whole && !self.large {
            self.reader
                .relayout(&self.corpus, reading_width, self.theme.opts);
        } else if whole {
            // The reader's place and a screen around it first; the rest in slices.
            self.reader
                .relayout_near(&self.corpus, reading_width, self.theme.opts, until);
        } else {
            self.reader
                .layout_first_screen(&self.corpus, reading_width, self.theme.opts, until);
            // A first slice too short for a screen (long lines, a long header): read on.
            while self.reader.layout.lines.len() <= self.reader.height
                && self.parse_more(4 * PARSE_STEP)
            {
                let until = self.unsettled();
                let want = self.reader.height + 1;
                self.reader.layout.extend_until(&self.corpus, want, until);
            }
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
    /// Shows `at` at the top of the reader, in this reader's own layout, in the documents.
    /// Not a jump: the presenter's every move would fill the jump list (starting to follow
    /// is one).
    fn show_position(&mut self, at: crate::places::Position) {
        // Only the text there: the whole layout of a large text would hold the turn (in a
        // served session, past its hang limit).
        self.finish_reading();
        self.view = View::Documents;
        self.reader.lay_out_through(&self.corpus, at.node, None);
        self.reader.set_position(Some(at));
        self.follow_reader();
    }

    /// A cue from the stage (someone presents, moved, stopped, took over).
    pub fn cue(&mut self, cue: crate::present::Cue) {
        if self
            .message
            .as_deref()
            .is_some_and(|m| self.follow.is_note(m))
        {
            self.message = None;
        }
        let effects = self.follow.cue(cue);
        self.apply_all(effects);
        self.follow.take_moved();
    }

    fn follow_reader(&mut self) {
        if let Some(r) = self.reader.current() {
            self.tree.reveal(&self.corpus, r);
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
            Some(TreeKey::Doc(d)) => {
                let until = self.unsettled();
                self.reader.show_doc(d, &self.corpus, until);
            }
            Some(TreeKey::Node(r)) => {
                // A large file's layout may not have reached the node yet (or begun after
                // it, at a resize).
                let until = self.unsettled();
                self.reader.lay_out_through(&self.corpus, r, until);
                self.reader.show(r);
            }
            None => {}
        }
        self.tree_into_view();
    }

    /// Every jump goes through here: the reader moves, the tree follows, the documents view
    /// is shown, and the jump list records where the reader was (when it moved).
    fn jump(&mut self, jump: Jump) {
        let from = self.reader.position();
        self.view = View::Documents;
        match jump {
            Jump::Node(r, highlights) => {
                if let Some(h) = highlights {
                    self.reader.highlights = h;
                }
                // A large file's layout may not have reached the node yet.
                let until = self.unsettled();
                self.reader.lay_out_through(&self.corpus, r, until);
                self.reader.show(r);
            }
            Jump::Document(d) => {
                let until = self.unsettled();
                self.reader.show_doc(d, &self.corpus, until);
            }
            Jump::Top => self.reader.to_top(),
            Jump::Bottom => {
                // The end and a screen before it, at once however large the text.
                self.reader.lay_out_end(&self.corpus);
                self.reader.to_bottom();
            }
            Jump::Place(p) => {
                let until = self.unsettled();
                self.reader.lay_out_through(&self.corpus, p.node, until);
                self.reader.set_position(Some(p));
            }
        }
        self.follow_reader();
        if let Some(from) = from
            && self.reader.position() != Some(from)
        {
            self.places.record(from);
        }
    }

    /// Jumps to what the user typed after `:` (or gave with `--goto`).
    ///
    /// # Errors
    /// [`GotoError`] when the text names nothing.
    pub fn goto(&mut self, input: &str) -> Result<(), GotoError> {
        let prefer = self.reader.layout.doc_at(self.reader.top);
        let jump = match self.corpus.resolve(input, prefer)? {
            Resolved::Document(d) => Jump::Document(d),
            Resolved::Node(r) => Jump::Node(r, None),
        };
        self.jump(jump);
        Ok(())
    }

    /// Shows the participants view, building it on first use.
    pub fn show_participants(&mut self) {
        if self.participants.is_none() {
            self.participants = Some(ParticipantsState::new(&self.corpus));
        }
        self.view = View::Participants;
    }

    /// The links, citations and index, built on first use (the event loop builds them when
    /// idle after the first frame, so the links are underlined before anyone asks).
    pub fn refs(&mut self) -> Arc<Refs> {
        if let Some(refs) = &self.refs {
            return Arc::clone(refs);
        }
        let refs = match &self.shared_refs {
            // Another thread builds them: waited for (a small corpus: milliseconds; a large
            // one's keys wait for them in `work` instead).
            Some(cell) => Arc::clone(cell.get_or_init(|| Arc::new(Refs::build(&self.corpus)))),
            None => Arc::new(Refs::build(&self.corpus)),
        };
        self.refs = Some(Arc::clone(&refs));
        self.seen = None;
        self.names_building = None;
        refs
    }

    /// Shows the index of terms with the narrowing line open.
    fn show_index(&mut self) {
        let refs = self.refs();
        self.index.get_or_insert_with(|| IndexState::new(&refs));
        self.view = View::Index;
    }

    /// Shows the cited documents.
    fn show_cited(&mut self) {
        let refs = self.refs();
        self.cited.get_or_insert_with(|| CitedState::new(&refs));
        self.view = View::Cited;
    }

    /// `>`, `<` and Enter in the reader: the links on screen (a large file's, before every
    /// link is found, those found on screen: at once).
    fn link_action(&mut self, action: Action) -> Vec<Effect> {
        self.find_links_on_screen();
        if self.refs.is_none()
            && let Some(seen) = &self.seen
        {
            let forward = action == Action::NextLink;
            return match action {
                Action::Open => self.links.follow(seen, None, &self.corpus, &self.reader),
                _ => self.links.step(seen, &self.corpus, &self.reader, forward),
            };
        }
        let refs = self.refs();
        match action {
            Action::Open => self
                .links
                .follow(&*refs, Some(&*refs), &self.corpus, &self.reader),
            _ => self.links.step(
                &*refs,
                &self.corpus,
                &self.reader,
                action == Action::NextLink,
            ),
        }
    }

    /// Handles any terminal event.
    pub fn handle_event(&mut self, event: &Event) {
        if self.must_wait(event) {
            self.deferred.push_back(event.clone());
            self.message = Some(self.progress());
            return;
        }
        self.ready_for_key();
        match event {
            Event::Key(key) => self.handle_key(key),
            Event::Resize(w, h) => self.resize(*w, *h),
            Event::Paste(text) => self.paste(text),
            _ => {}
        }
    }

    /// A bracketed paste: typed into the open line; with none open, it opens the search (or,
    /// in the participants view, the narrowing) with the pasted text, as fzf-like tools do.
    pub fn paste(&mut self, text: &str) {
        self.message = None;
        self.help = None;
        self.places.pending = None;
        self.places.list = None;
        if text.is_empty() {
            return;
        }
        if self.prompt.is_open() {
            let effects = self.prompt.paste(text);
            self.apply_all(effects);
        } else {
            let kind = match self.view {
                View::Documents | View::Cited => LineKind::Search,
                View::Participants => LineKind::Narrow,
                View::Index => LineKind::Index,
            };
            self.apply(Effect::OpenLine(kind, text.to_string()));
        }
        self.keep_lists_in_view();
    }

    /// Handles one key.
    pub fn handle_key(&mut self, key: &KeyEvent) {
        if key.kind == KeyEventKind::Release {
            return;
        }
        self.ready_for_key();
        self.message = None;
        if self.places.pending.is_some() {
            let here = self.reader.position();
            let effects = self.places.second_key(key, here, &self.corpus);
            self.apply_all(effects);
            return;
        }
        let contexts = self.contexts();
        let top = self.reader.top;
        match self.keymap.lookup(&contexts, key) {
            Some((context, action)) => self.dispatch(context, action),
            None => self.unbound(key),
        }
        // Moving on one's own pauses following.
        if !self.follow.take_moved() && self.reader.top != top {
            let effects = self.follow.moved_by_reader();
            self.apply_all(effects);
        }
        self.keep_lists_in_view();
    }

    /// A key with no row in the table for the contexts that apply.
    fn unbound(&mut self, key: &KeyEvent) {
        // Esc then a key in one read arrives as Alt and that key: where Alt and the key mean
        // nothing, it is Esc, then the key.
        if key.modifiers.contains(KeyModifiers::ALT) {
            self.handle_key(&KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE));
            let mut plain = *key;
            plain.modifiers.remove(KeyModifiers::ALT);
            self.handle_key(&plain);
            return;
        }
        if self.help.is_some() {
            // Any other key closes the help.
            self.help = None;
            return;
        }
        if self.places.list.is_some() {
            // And the list of marks.
            self.places.list = None;
            return;
        }
        let label = Key {
            code: key.code,
            mods: key.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT),
        }
        .label();
        if self.prompt.is_open() {
            if let KeyCode::Char(c) = key.code
                && !key.modifiers.contains(KeyModifiers::CONTROL)
            {
                let effects = self.prompt.type_char(c);
                self.apply_all(effects);
            } else {
                // The line keeps its text; `?` would be typed into it, so help is one Esc away.
                self.message = Some(format!("no key {label} — Esc, then ? for help"));
            }
            return;
        }
        self.message = Some(match suggestion(key) {
            Some(hint) => format!("no key {label} — {hint}"),
            None => format!("no key {label} — ? for help"),
        });
    }

    /// Rows of a page in the participants table: location bar, summary, header and hint bar.
    fn table_page(&self) -> usize {
        usize::from(self.size.1.saturating_sub(4)).max(1)
    }

    /// Hands an action to the pane its context names, then carries out what it asks.
    pub fn dispatch(&mut self, context: Context, action: Action) {
        if context != Context::Tree {
            self.places.end_tree_walk();
        }
        let effects = match context {
            Context::Help => {
                let page = usize::from(self.size.1.saturating_sub(2));
                let (help, effects) = self.help.unwrap_or_default().update(Some(action), page);
                let max = super::help::max_offset(&self.keymap, self.size.0, self.size.1);
                self.help = help.map(|mut h| {
                    h.offset = h.offset.min(max);
                    h
                });
                effects
            }
            Context::Line | Context::SearchLine | Context::GotoLine => self.prompt.update(action),
            Context::Tree => self.tree.update(action, &self.corpus),
            Context::Places => self.places.update(action, self.reader.position()),
            Context::Marks => self.places.update_list(action),
            Context::Reader
                if matches!(action, Action::Open | Action::NextLink | Action::PrevLink) =>
            {
                self.link_action(action)
            }
            Context::Reader | Context::Text => self.reader.update(context, action, &self.corpus),
            Context::Index => {
                let (page, refs) = (self.table_page(), self.refs());
                match &mut self.index {
                    Some(i) => i.update(action, &refs, page),
                    None => Vec::new(),
                }
            }
            Context::Cited => {
                let (page, refs) = (self.table_page(), self.refs());
                match &mut self.cited {
                    Some(c) => c.update(action, &refs, page),
                    None => Vec::new(),
                }
            }
            Context::Participants => {
                let page = self.table_page();
                match &mut self.participants {
                    Some(p) => p.update(action, &self.corpus, page),
                    None => Vec::new(),
                }
            }
            Context::Global | Context::Always => self.global(action),
        };
        self.apply_all(effects);
    }

    /// The actions of the `global` and `always` rows, which belong to no pane.
    fn global(&mut self, action: Action) -> Vec<Effect> {
        let docs = self.view == View::Documents;
        let say = |m: &str| vec![Effect::Message(m.to_string())];
        match action {
            Action::Quit => vec![Effect::Quit],
            Action::Suspend => vec![Effect::Suspend],
            Action::Repaint => vec![Effect::Repaint],
            Action::Help => {
                self.help = Some(HelpState::default());
                Vec::new()
            }
            Action::Search => {
                let kind = match self.view {
                    View::Documents | View::Cited => LineKind::Search,
                    View::Participants => LineKind::Narrow,
                    View::Index => LineKind::Index,
                };
                vec![Effect::OpenLine(kind, String::new())]
            }
            Action::Goto => vec![Effect::OpenLine(LineKind::Goto, String::new())],
            Action::NextMatch | Action::PrevMatch => {
                let forward = action == Action::NextMatch;
                let links = match &self.refs {
                    Some(refs) => {
                        self.links
                            .step_stops(&mut self.places.steps, refs, &self.corpus, forward)
                    }
                    None => None,
                };
                links
                    .or_else(|| self.places.step_mention(forward))
                    .unwrap_or_else(|| self.search.update(action, &self.corpus))
            }
            Action::FocusNext | Action::FocusPrev if !docs => {
                say("this view has one pane; 1 goes back to the documents")
            }
            Action::FocusNext | Action::FocusPrev => {
                if self.tree_visible() {
                    self.focus = match self.focus {
                        Focus::Tree => Focus::Reader,
                        Focus::Reader => Focus::Tree,
                    };
                    Vec::new()
                } else {
                    say("the tree is hidden: t shows it")
                }
            }
            Action::ToggleTree if !docs => say("t shows the tree in the documents view (1)"),
            Action::ToggleTree => {
                let show = !self.tree_visible();
                self.tree_wanted = Some(show);
                self.focus = if show { Focus::Tree } else { Focus::Reader };
                let (w, h) = self.size;
                self.resize(w, h);
                Vec::new()
            }
            Action::ShowDocuments => {
                self.view = View::Documents;
                Vec::new()
            }
            Action::ShowParticipants => {
                self.show_participants();
                Vec::new()
            }
            Action::ShowIndex => vec![Effect::OpenLine(LineKind::Index, String::new())],
            Action::ShowCited => {
                self.show_cited();
                Vec::new()
            }
            Action::Follow | Action::Present => self.follow.update(action),
            _ => Vec::new(),
        }
    }

    /// Carries out effects, in order.
    pub fn apply_all(&mut self, effects: Vec<Effect>) {
        for e in effects {
            self.apply(e);
        }
    }

    /// Carries out one effect.
    pub fn apply(&mut self, effect: Effect) {
        match effect {
            Effect::Quit => self.quit = true,
            Effect::Suspend => self.suspend = true,
            Effect::Repaint => self.repaint = true,
            Effect::Message(m) => self.message = Some(m),
            Effect::Jump(j) => self.jump(j),
            Effect::Revisit(p) => {
                self.view = View::Documents;
                self.reader.set_position(Some(p));
                self.follow_reader();
            }
            Effect::StepThrough(steps) => self.places.steps = steps,
            Effect::SaveState => {
                if let Err(e) = self.save_state() {
                    self.message = Some(match self.message.take() {
                        Some(m) => format!("{m} — not kept: {}", e.reason()),
                        None => e.to_string(),
                    });
                }
            }
            Effect::TextMoved => self.follow_reader(),
            Effect::ShowPosition(at) => self.show_position(at),
            Effect::TreeMoved => {
                let from = self.reader.position();
                self.reader_follows_tree();
                if self.reader.position() != from {
                    self.places.tree_moved(from);
                }
            }
            Effect::FocusReader => self.focus = Focus::Reader,
            Effect::Copy { text, what } => {
                self.message = Some(super::clipboard::copied_message(
                    &what,
                    text.chars().count(),
                ));
                self.clipboard = Some(text);
            }
            Effect::OpenLine(kind, text) => {
                match kind {
                    LineKind::Search => {
                        let reading = self.loader.is_some();
                        self.search
                            .open(&self.corpus, self.reader.position(), reading);
                    }
                    LineKind::Narrow => self.show_participants(),
                    LineKind::Index => self.show_index(),
                    LineKind::Goto => {}
                }
                self.prompt.open(kind, &text);
                let typed = self
                    .prompt
                    .line
                    .as_ref()
                    .map(|l| l.editor.text().to_string())
                    .unwrap_or_default();
                self.apply(Effect::LineChanged(kind, typed));
            }
            Effect::LineChanged(kind, text) => match kind {
                LineKind::Search => self.search.want(&text),
                LineKind::Narrow => {
                    if let Some(p) = &mut self.participants {
                        p.set_query(&text);
                    }
                }
                LineKind::Index => {
                    let refs = self.refs();
                    if let Some(i) = &mut self.index {
                        i.set_query(&refs, &text);
                    }
                }
                // Where Enter will go.
                LineKind::Goto => {
                    let prefer = self.reader.layout.doc_at(self.reader.top);
                    self.goto_preview = Some(if text.trim().is_empty() {
                        GOTO_HINT.to_string()
                    } else if text.trim() == "refs" {
                        "→ the cited documents (R)".to_string()
                    } else if text.trim() == "marks" {
                        "→ the list of marks".to_string()
                    } else {
                        self.corpus.goto_preview(&text, prefer)
                    });
                }
            },
            Effect::LineSubmitted(kind, text) => match kind {
                LineKind::Goto => {
                    if text.trim().is_empty() {
                        return;
                    }
                    self.goto_preview = None;
                    if text.trim() == "refs" {
                        self.show_cited();
                        return;
                    }
                    if text.trim() == "marks" {
                        let effects = self.places.open_list();
                        self.apply_all(effects);
                        return;
                    }
                    if let Err(e) = self.goto(&text) {
                        if is_vim_quit(&text) {
                            self.quit = true;
                        } else {
                            self.message = Some(e.to_string());
                        }
                    }
                }
                LineKind::Search => {
                    let effects = self.search.submit(&text, &self.corpus);
                    self.apply_all(effects);
                }
                // The narrowed table stays as it is.
                LineKind::Narrow => {}
                LineKind::Index => {
                    let refs = self.refs();
                    let effects = self.index.as_mut().map(|i| i.open(&refs));
                    self.apply_all(effects.unwrap_or_default());
                }
            },
            Effect::LineCancelled(kind) => match kind {
                LineKind::Goto => self.goto_preview = None,
                // Esc while typing in the index: back to the text.
                LineKind::Index => self.view = View::Documents,
                LineKind::Narrow => {
                    if let Some(p) = &mut self.participants {
                        p.set_query("");
                    }
                }
                // Back to where the reader was.
                LineKind::Search => {
                    self.reader.set_position(self.search.origin);
                    self.follow_reader();
                }
            },
            Effect::Select(kind, delta) => match kind {
                LineKind::Search => self.search.move_by(delta),
                LineKind::Narrow => {
                    if let Some(p) = &mut self.participants {
                        p.move_by(delta);
                    }
                }
                LineKind::Index => {
                    let refs = self.refs();
                    if let Some(i) = &mut self.index {
                        i.move_by(&refs, delta);
                    }
                }
                LineKind::Goto => {}
            },
            Effect::CloseView => self.view = View::Documents,
            Effect::ShowParticipant(key) => {
                self.show_participants();
                if let Some(p) = &mut self.participants {
                    p.select_key(&key);
                }
            }
        }
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
        // Location bar and the hint line.
        if let Some(i) = &mut self.index {
            i.offset = scroll_offset(i.selected, i.offset, h.saturating_sub(2));
        }
        if let Some(c) = &mut self.cited {
            c.offset = scroll_offset(c.selected, c.offset, h.saturating_sub(2));
        }
        // Location bar and the search line.
        self.search.offset = scroll_offset(
            self.search.selected,
            self.search.offset,
            h.saturating_sub(2),
        );
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

    /// A large file's links, citations and index are found when a key first needs them, on
    /// their thread, that key waiting for them; not as soon as the text is read (they cost
    /// 7–8 MB at 1000x, for a reader who may never follow a link).
    #[test]
    fn a_large_files_links_are_found_at_the_first_key_that_needs_them() {
        let mut text = String::from("大きな文書\n\n");
        for i in 1..=24_000 {
            text.push_str(&i.to_string());
            text.push_str(". 我々は、ランサムウェアに対する国際協力を進める。\n");
        }
        assert!(text.len() >= ON_THE_SPOT_BYTES);
        let corpus = Corpus {
            documents: vec![crate::corpus::parse_document("big", "big.txt", &text)],
        };
        let mut a = App::new(corpus, AppOptions::default());
        a.resize(80, 24);
        assert!(a.is_large());
        while a.has_work() {
            a.work();
        }
        assert!(a.refs.is_none() && !a.building_refs(), "not found unasked");
        a.handle_event(&Event::Key(key('i')));
        assert!(a.building_refs(), "the index key starts their thread");
        assert_eq!(a.deferred.len(), 1, "and waits for them");
        let start = Instant::now();
        while a.has_work() && start.elapsed() < std::time::Duration::from_secs(120) {
            a.work();
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
        assert!(
            a.refs.is_some() && a.deferred.is_empty(),
            "found, and the key applied"
        );
    }

    /// A large file's links on screen are found as they come on screen, once the text is
    /// read: `>` and Enter act on them at once, without the whole text's; `n` after them
    /// waits for every link, and steps from the one followed, whose id means the same link
    /// in both.
    #[test]
    fn a_large_files_links_on_screen_act_at_once() {
        let mut text = String::from("大きな文書\n\nI. 前文\n\n");
        for i in 1..=20_000 {
            text.push_str(&i.to_string());
            text.push_str(". 我々は、第1項及び附属文書Iに沿って国際協力を進める。\n");
        }
        text.push_str("\n附属文書I：題\n\n1. 本文。\n");
        assert!(text.len() >= ON_THE_SPOT_BYTES);
        let corpus = Corpus {
            documents: vec![crate::corpus::parse_document("big", "big.txt", &text)],
        };
        let mut a = App::new(corpus, AppOptions::default());
        a.resize(80, 24);
        assert!(a.is_large());
        while a.has_work() {
            a.work();
        }
        assert!(a.refs.is_none() && !a.building_refs(), "not found unasked");
        a.find_links_on_screen();
        let known = a.known_links().expect("the links on screen");
        let on = super::super::links::on_screen(known, &a.corpus, &a.reader);
        assert!(on.len() >= 2, "{on:?}");
        let first = on[0];
        let seen_link = known.links(first.0)[first.1].clone();
        assert_eq!(seen_link.text, "第1項");
        a.handle_event(&Event::Key(key('>')));
        assert!(a.deferred.is_empty() && !a.building_refs(), "at once");
        assert_eq!(a.links.selected, Some(first));
        a.handle_event(&Event::Key(KeyEvent::new(
            KeyCode::Enter,
            KeyModifiers::NONE,
        )));
        assert!(
            a.deferred.is_empty() && !a.building_refs(),
            "followed at once"
        );
        assert_eq!(id(&a), "big:1");
        // `n` needs every link: it waits for them, then steps on from the one followed.
        a.handle_event(&Event::Key(key('n')));
        assert!(
            a.building_refs() && a.deferred.len() == 1,
            "n waits for every link"
        );
        let start = Instant::now();
        while a.has_work() && start.elapsed() < std::time::Duration::from_secs(120) {
            a.work();
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
        let refs = a.refs.clone().expect("every link");
        assert!(a.known_links().is_some() && a.deferred.is_empty());
        assert_eq!(
            refs.links(first.0)[first.1],
            seen_link,
            "the same id, the same link"
        );
        let super::super::effect::Steps::Links { stops, index } = &a.places.steps else {
            panic!("n steps through every link: {:?}", a.places.steps);
        };
        assert_eq!(stops[*index - 1], first, "n went on from the link followed");
        assert_eq!(a.links.selected, Some(stops[*index]));
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
    fn a_shared_corpus_is_not_copied() {
        // The SSH server hands every connection the same corpus.
        let corpus = Arc::new(load_embedded());
        let a = App::new(Arc::clone(&corpus), AppOptions::default());
        assert!(Arc::ptr_eq(&a.corpus, &corpus));
    }

    #[test]
    fn start_up_builds_neither_the_search_index_nor_the_participants_table() {
        let mut a = App::new(load_embedded(), AppOptions::default());
        let _ = drawn(&a);
        assert!(
            a.search.index().is_none(),
            "the search index was built before the first `/`"
        );
        assert!(
            a.participants.is_none(),
            "the participants table was built unasked"
        );
        a.handle_key(&key('/'));
        assert!(a.search.index().is_some());
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

    fn press(a: &mut App, code: KeyCode, mods: KeyModifiers) {
        a.handle_key(&KeyEvent::new(code, mods));
    }

    fn enter(a: &mut App) {
        press(a, KeyCode::Enter, KeyModifiers::NONE);
    }

    /// Regression: keys typed before kaigi took the terminal out of cooked mode arrive with
    /// Enter turned into a newline (ICRNL), which reads as Ctrl-j; `:23` then Ctrl-j must still
    /// go to paragraph 23, and in the text Ctrl-j is a line down, as in less.
    #[test]
    fn ctrl_j_accepts_the_line_and_scrolls_the_text() {
        let mut a = app();
        typed(&mut a, ":23");
        press(&mut a, KeyCode::Char('j'), KeyModifiers::CONTROL);
        assert_eq!(id(&a), "g7:23");
        assert!(!a.prompt.is_open(), "the line is closed");
        let top = a.reader.top;
        press(&mut a, KeyCode::Char('j'), KeyModifiers::CONTROL);
        assert_eq!(a.reader.top, top + 1);
    }

    /// The lines of text the reader shows.
    fn shown_lines(a: &App) -> std::ops::Range<usize> {
        a.reader.top..(a.reader.top + a.reader.height).min(a.reader.layout.lines.len())
    }

    #[test]
    fn no_key_but_tab_moves_focus_and_paging_pages_the_text() {
        // Issue 11: Enter, h, l, Left and Right in the reader moved focus to the tree, and
        // Space then paged through tree rows (from ¶23 to the CRI annex).
        let mut a = app();
        typed(&mut a, ":23");
        enter(&mut a);
        for (code, c) in [
            (KeyCode::Enter, ' '),
            (KeyCode::Char('h'), 'h'),
            (KeyCode::Char('l'), 'l'),
            (KeyCode::Left, ' '),
            (KeyCode::Right, ' '),
        ] {
            press(&mut a, code, KeyModifiers::NONE);
            assert_eq!(a.focus, Focus::Reader, "{code:?}");
            assert!(a.message.is_some(), "{c}: no hint");
        }
        assert_eq!(id(&a), "g7:23");
        let before = shown_lines(&a);
        typed(&mut a, " ");
        let after = shown_lines(&a);
        assert_eq!(after.start, before.end - 1, "a page overlaps by one line");
        // With the tree focused, paging keys still page the text.
        press(&mut a, KeyCode::Tab, KeyModifiers::NONE);
        assert_eq!(a.focus, Focus::Tree);
        let top = a.reader.top;
        typed(&mut a, " ");
        assert_eq!(a.reader.top, top + a.reader.page());
        press(&mut a, KeyCode::Char('d'), KeyModifiers::CONTROL);
        assert_eq!(a.reader.top, top + a.reader.page() + a.reader.half_page());
        assert!(id(&a).starts_with("g7:2"), "{}", id(&a));
    }

    #[test]
    fn the_focused_pane_is_named() {
        let mut a = app();
        assert_eq!(a.focus_name(), "reader");
        press(&mut a, KeyCode::Tab, KeyModifiers::NONE);
        assert_eq!(a.focus_name(), "tree");
        typed(&mut a, "/");
        assert_eq!(a.focus_name(), "search");
    }

    #[test]
    fn slash_opens_an_empty_line_with_the_history_one_key_away() {
        // Issue 11: `/GIFCT` Enter, then `/ICPA` searched for `GIFCTICPA`.
        let mut a = app();
        typed(&mut a, "/GIFCT");
        enter(&mut a);
        assert_eq!(id(&a), "g7:13");
        typed(&mut a, "/");
        assert_eq!(a.prompt.line.as_ref().map(|l| l.editor.text()), Some(""));
        typed(&mut a, "ICPA");
        enter(&mut a);
        assert_eq!(id(&a), "g7:7", "{:?}", a.message);
        typed(&mut a, "/");
        press(&mut a, KeyCode::Char('p'), KeyModifiers::CONTROL);
        assert_eq!(
            a.prompt.line.as_ref().map(|l| l.editor.text()),
            Some("ICPA")
        );
        press(&mut a, KeyCode::Char('p'), KeyModifiers::CONTROL);
        assert_eq!(
            a.prompt.line.as_ref().map(|l| l.editor.text()),
            Some("GIFCT")
        );
        press(&mut a, KeyCode::Esc, KeyModifiers::NONE);
        // The goto line: Up is its history.
        typed(&mut a, ":23");
        enter(&mut a);
        typed(&mut a, ":");
        press(&mut a, KeyCode::Up, KeyModifiers::NONE);
        assert_eq!(a.prompt.line.as_ref().map(|l| l.editor.text()), Some("23"));
    }

    #[test]
    fn enter_before_the_results_runs_the_query_then() {
        // Issue 11: `/ランサム` and Enter in one burst did nothing.
        let mut a = app();
        typed(&mut a, "/ランサム");
        assert!(a.search.hits.is_empty(), "no results have arrived");
        enter(&mut a);
        // The answer first (issue 13): the CRI's title.
        assert_eq!(id(&a), "cri:title");
        assert!(a.message.as_deref().is_some_and(|m| m.contains("1 of")));
        // The results that arrive afterwards change nothing.
        a.run_pending_search();
        assert_eq!(id(&a), "cri:title");
        // Nothing found says so.
        typed(&mut a, "/zzzzqqqq");
        enter(&mut a);
        assert_eq!(a.message.as_deref(), Some("no match for “zzzzqqqq”"));
        assert_eq!(id(&a), "cri:title");
        // A query that cannot be run says why.
        typed(&mut a, "/^");
        enter(&mut a);
        assert!(
            a.message
                .as_deref()
                .is_some_and(|m| m.contains("only operators"))
        );
    }

    #[test]
    fn a_paste_starts_the_search_and_newlines_become_spaces() {
        let mut a = app();
        a.handle_event(&Event::Paste("ランサム\nウェア".into()));
        let line = a
            .prompt
            .line
            .as_ref()
            .map(|l| (l.kind, l.editor.text().to_string()));
        assert_eq!(line, Some((LineKind::Search, "ランサム ウェア".into())));
        a.run_pending_search();
        assert!(!a.search.hits.is_empty(), "the results came at once");
        // Into an open line, at the cursor.
        a.handle_event(&Event::Paste("\tG7".into()));
        assert_eq!(
            a.prompt.line.as_ref().map(|l| l.editor.text()),
            Some("ランサム ウェア G7")
        );
    }

    #[test]
    fn the_line_edits_like_readline() {
        let mut a = app();
        typed(&mut a, "/ランサム");
        press(&mut a, KeyCode::Left, KeyModifiers::NONE);
        press(&mut a, KeyCode::Left, KeyModifiers::NONE);
        typed(&mut a, "x");
        let text = |a: &App| a.prompt.line.as_ref().map(|l| l.editor.text().to_string());
        assert_eq!(text(&a).as_deref(), Some("ランxサム"));
        press(&mut a, KeyCode::Char('a'), KeyModifiers::CONTROL);
        press(&mut a, KeyCode::Char('k'), KeyModifiers::CONTROL);
        assert_eq!(text(&a).as_deref(), Some(""));
        typed(&mut a, "ab cd");
        press(&mut a, KeyCode::Char('b'), KeyModifiers::ALT);
        press(&mut a, KeyCode::Char('d'), KeyModifiers::ALT);
        assert_eq!(text(&a).as_deref(), Some("ab "));
    }

    #[test]
    fn esc_then_a_key_in_one_read_is_esc_then_the_key() {
        // Issue 11: the search stayed open and `q` was typed into it.
        let mut a = app();
        typed(&mut a, "/GIFCT");
        press(&mut a, KeyCode::Char('q'), KeyModifiers::ALT);
        assert!(!a.prompt.is_open());
        assert!(a.quit);
    }

    #[test]
    fn copy_says_what_and_how_much_in_words() {
        let mut a = app();
        typed(&mut a, ":23");
        enter(&mut a);
        typed(&mut a, "y");
        let n = a
            .corpus
            .node(a.corpus.find_id("g7:23").expect("id"))
            .text
            .chars()
            .count();
        assert_eq!(
            a.message.as_deref(),
            Some(format!("copied g7:23 — {n} characters").as_str())
        );
        typed(&mut a, ":VI");
        enter(&mut a);
        typed(&mut a, "y");
        let text = a.clipboard.take().unwrap_or_default();
        assert!(text.contains("20. ") && text.contains("25. "), "{text}");
        typed(&mut a, ":23");
        enter(&mut a);
        a.handle_key(&KeyEvent::new(KeyCode::Char('Y'), KeyModifiers::SHIFT));
        let text = a.clipboard.take().unwrap_or_default();
        assert!(
            text.starts_with("G7内務・安全担当大臣コミュニケ（2023-12-10）第23項 [g7:23]\n"),
            "{text}"
        );
    }

    #[test]
    fn an_unbound_key_in_a_line_says_so_and_keeps_the_text() {
        let mut a = app();
        for (open, kind) in [('/', LineKind::Search), (':', LineKind::Goto)] {
            a.handle_key(&key(open));
            typed(&mut a, "2x");
            a.handle_key(&KeyEvent::new(KeyCode::Char('x'), KeyModifiers::CONTROL));
            assert_eq!(
                a.message.as_deref(),
                Some("no key Ctrl-x — Esc, then ? for help"),
                "{kind:?}"
            );
            let line = a.prompt.line.as_ref().expect("the line stays open");
            assert_eq!((line.kind, line.editor.text()), (kind, "2x"));
            a.handle_key(&KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE));
        }
    }

    #[test]
    fn every_unbound_key_says_something() {
        let mut a = app();
        typed(&mut a, "M");
        assert!(
            a.message
                .as_deref()
                .is_some_and(|m| m.starts_with("no key M"))
        );
        typed(&mut a, "x");
        assert_eq!(a.message.as_deref(), Some("no key x — ? for help"));
        typed(&mut a, "z");
        assert_eq!(
            a.message.as_deref(),
            Some("no key z — Space pages down, b up")
        );
        press(&mut a, KeyCode::F(5), KeyModifiers::NONE);
        assert_eq!(a.message.as_deref(), Some("no key F5 — ? for help"));
    }

    #[test]
    fn less_and_vim_keys() {
        let mut a = app();
        for (code, mods, want) in [
            (KeyCode::Char('e'), KeyModifiers::NONE, 1),
            (KeyCode::Char('e'), KeyModifiers::CONTROL, 2),
            (KeyCode::Char('n'), KeyModifiers::CONTROL, 3),
            (KeyCode::Char('y'), KeyModifiers::CONTROL, 2),
            (KeyCode::Char('p'), KeyModifiers::CONTROL, 1),
        ] {
            press(&mut a, code, mods);
            assert_eq!(a.reader.top, want, "{code:?} {mods:?}");
        }
        let half = a.reader.half_page();
        typed(&mut a, "d");
        assert_eq!(a.reader.top, 1 + half);
        typed(&mut a, "u");
        assert_eq!(a.reader.top, 1);
        typed(&mut a, "r");
        assert!(a.repaint);
        press(&mut a, KeyCode::Char('z'), KeyModifiers::CONTROL);
        assert!(a.suspend);
        typed(&mut a, ":q");
        enter(&mut a);
        assert!(a.quit, ":q quits, as in vim");
    }

    #[test]
    fn goto_errors_are_typed() {
        let mut a = app();
        assert_eq!(a.goto("nope"), Err(GotoError::NoSuchId("nope".into())));
        assert_eq!(a.goto("23"), Ok(()));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]
        /// From any position, Space then b comes back (at the very end, where Space cannot
        /// move, it says so); consecutive Spaces show every line.
        #[test]
        fn paging_never_skips_a_line(start in 0usize..2000, height in 5u16..60, width in 20u16..120) {
            let mut a = App::new(load_embedded(), AppOptions::default());
            a.resize(width, height);
            a.reader.top = start.min(a.reader.max_top());
            let from = a.reader.top;
            a.handle_key(&key(' '));
            if a.reader.top == from {
                proptest::prop_assert_eq!(from, a.reader.max_top());
                proptest::prop_assert!(a.message.is_some());
            }
            a.handle_key(&key('b'));
            if from < a.reader.max_top() {
                proptest::prop_assert_eq!(a.reader.top, from);
            }
            let mut seen_to = a.reader.top + a.reader.height;
            let mut last = a.reader.top;
            for _ in 0..a.reader.layout.lines.len() {
                a.handle_key(&key(' '));
                if a.reader.top == last {
                    break;
                }
                proptest::prop_assert!(a.reader.top <= seen_to, "skipped lines {}..{}", seen_to, a.reader.top);
                seen_to = a.reader.top + a.reader.height;
                last = a.reader.top;
            }
            proptest::prop_assert!(seen_to >= a.reader.layout.lines.len());
        }
    }

    #[test]
    fn a_keymap_given_at_start_is_the_one_used() {
        use super::super::keymap::Key;
        let mut map = Keymap::default();
        let x = Key::parse("x").expect("a key");
        map.bind(Context::Text, x, Action::Down);
        let mut a = App::new(
            load_embedded(),
            AppOptions {
                keymap: Some(map),
                ..AppOptions::default()
            },
        );
        a.resize(80, 24);
        typed(&mut a, "xx");
        assert_eq!(a.reader.top, 2);
        assert!(a.message.is_none());
    }

    fn event() -> impl proptest::strategy::Strategy<Value = Event> {
        use proptest::prelude::*;
        let code = prop_oneof![
            proptest::char::any().prop_map(KeyCode::Char),
            Just(KeyCode::Enter),
            Just(KeyCode::Esc),
            Just(KeyCode::Tab),
            Just(KeyCode::BackTab),
            Just(KeyCode::Backspace),
            Just(KeyCode::Delete),
            Just(KeyCode::Left),
            Just(KeyCode::Right),
            Just(KeyCode::Up),
            Just(KeyCode::Down),
            Just(KeyCode::Home),
            Just(KeyCode::End),
            Just(KeyCode::PageUp),
            Just(KeyCode::PageDown),
            (1u8..13).prop_map(KeyCode::F),
        ];
        let keys = "jkq/:?2 1tfsnNyYbdugG}{\rm'`LHa<>iR"
            .chars()
            .map(KeyCode::Char)
            .collect::<Vec<_>>();
        let common = proptest::sample::select(keys);
        let mods = proptest::sample::select(vec![
            KeyModifiers::NONE,
            KeyModifiers::NONE,
            KeyModifiers::CONTROL,
            KeyModifiers::ALT,
            KeyModifiers::SHIFT,
        ]);
        prop_oneof![
            4 => (prop_oneof![code, common], mods).prop_map(|(c, m)| Event::Key(KeyEvent::new(c, m))),
            1 => "\\PC{0,12}|[\n\t\u{1b}a-zア-ン]{0,8}".prop_map(Event::Paste),
            1 => (1u16..200, 1u16..80).prop_map(|(w, h)| Event::Resize(w, h)),
        ]
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
        /// Any sequence of keys, pastes and resizes: no panic, the reader within its text,
        /// the selections within their lists, a frame drawn after each.
        #[test]
        fn any_input_keeps_the_state_whole(events in proptest::collection::vec(event(), 0..40)) {
            let mut a = app();
            for ev in &events {
                a.handle_event(ev);
                // Ctrl-z and quitting are the loop's to carry out.
                a.quit = false;
                a.suspend = false;
                a.run_pending_search();
                let _ = drawn(&a);
                if !a.too_small() {
                    proptest::prop_assert!(a.reader.top < a.reader.layout.lines.len().max(1));
                }
                proptest::prop_assert!(a.tree.selected < a.tree.rows.len().max(1));
                proptest::prop_assert!(a.search.selected < a.search.hits.len().max(1));
                if let Some(i) = &a.index {
                    proptest::prop_assert!(i.selected < i.visible.len().max(1));
                }
                if let Some(c) = &a.cited {
                    proptest::prop_assert!(c.selected < c.rows.len().max(1));
                }
                let (jumps, at) = a.places.jumps.entries();
                proptest::prop_assert!(jumps.len() <= crate::places::JumpList::default().capacity());
                proptest::prop_assert!(at <= jumps.len());
            }
        }
    }

    #[test]
    fn esc_after_a_resize_while_searching_goes_back_to_the_same_text() {
        // Found by the property above: the place to go back to was a line number of the
        // layout before the resize.
        let mut a = app();
        typed(&mut a, ":30");
        enter(&mut a);
        typed(&mut a, "/GIFCT");
        a.resize(41, 5);
        press(&mut a, KeyCode::Esc, KeyModifiers::NONE);
        assert_eq!(id(&a), "g7:30");
        a.resize(200, 60);
        typed(&mut a, "G/x");
        a.resize(81, 5);
        press(&mut a, KeyCode::Esc, KeyModifiers::NONE);
        assert!(a.reader.top < a.reader.layout.lines.len());
    }
}
