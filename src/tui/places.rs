//! The places pane: where the reader has been and what they asked to come back to — the jump
//! list (`Ctrl-o`, Backspace, `L`), the marks (`m` and a letter, `'` and a letter, `''`), the
//! list of marks (`:marks`), what `n` and `N` step through, and the state file that keeps the
//! marks and the last position across a restart. The rules are the library's
//! ([`crate::places`]); this module turns keys into [`Effect`]s.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;

use super::draw::{self, put};
use super::effect::{Effect, Jump, Steps};
use super::keymap::Action;
use super::theme::Theme;
use crate::corpus::Corpus;
use crate::places::{JumpList, Marks, Position, Saved, SavedPosition, StateError, Store};
use crate::text::display::{sanitize, str_width, truncate};

/// Where the state file is kept, as the start-up found it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum StateAt {
    /// Nothing is read or written (`--no-state`, and the tests' default).
    #[default]
    Off,
    /// The state folder ([`crate::places::state_dir`]).
    Dir(std::path::PathBuf),
    /// There is none; the note says why, once, in the status line.
    Unavailable(String),
}

/// A two-key command waiting for its second key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pending {
    /// `m`: the next letter names the mark to set.
    SetMark,
    /// `'`: the next letter names the mark to go to (`'` again: before the last jump).
    GoToMark,
}

impl Pending {
    /// What the status line says while the second key is awaited.
    #[must_use]
    pub fn prompt(self) -> &'static str {
        match self {
            Pending::SetMark => "set mark: a letter a-z (Esc cancels)",
            Pending::GoToMark => "go to mark: a-z, or ' again (Esc cancels)",
        }
    }
}

/// The list of marks, open over the reader.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MarkList {
    pub selected: usize,
}

/// The pane's state.
#[derive(Debug, Clone)]
pub struct Places {
    pub jumps: JumpList,
    pub marks: Marks,
    pub pending: Option<Pending>,
    /// What `n` and `N` step through.
    pub steps: Steps,
    pub list: Option<MarkList>,
    /// The tree is being walked (its selection moves the reader): the walk's start is in the
    /// jump list, the rows passed on the way are not.
    walking_tree: bool,
    /// Where the state is kept; `None` with `--no-state` or no state folder.
    store: Option<Store>,
    /// The position read from the state file, kept for saving when nothing is laid out.
    saved_last: Option<SavedPosition>,
}

impl Default for Places {
    fn default() -> Self {
        Places {
            jumps: JumpList::default(),
            marks: Marks::default(),
            pending: None,
            steps: Steps::Search,
            list: None,
            walking_tree: false,
            store: None,
            saved_last: None,
        }
    }
}

impl Places {
    /// Takes over the state file and what it held: the marks (those whose place still
    /// exists) and the last position, which is returned for the reader.
    pub fn restore(
        &mut self,
        store: Store,
        saved: Option<&Saved>,
        corpus: &Corpus,
    ) -> Option<Position> {
        self.store = Some(store);
        let saved = saved?;
        for (&name, at) in &saved.marks {
            if let Some(p) = at.restore(corpus) {
                self.marks.set(name, p);
            }
        }
        self.saved_last.clone_from(&saved.last);
        saved.last.as_ref().and_then(|l| l.restore(corpus))
    }

    /// Whether a state file is kept.
    #[must_use]
    pub fn keeps_state(&self) -> bool {
        self.store.is_some()
    }

    /// The state to write: the marks, `here` (or the position read at start when nothing is
    /// laid out) and the recent searches and gotos.
    #[must_use]
    pub fn saved(
        &self,
        corpus: &Corpus,
        here: Option<Position>,
        searches: Vec<String>,
        gotos: Vec<String>,
    ) -> Saved {
        Saved {
            documents: corpus.documents.iter().map(|d| d.id.clone()).collect(),
            last: here
                .map(|p| p.save(corpus))
                .or_else(|| self.saved_last.clone()),
            marks: self
                .marks
                .iter()
                .map(|(c, p)| (c, p.save(corpus)))
                .collect(),
            searches,
            gotos,
            ..Saved::default()
        }
    }

    /// Writes `saved` to the state file (nothing when none is kept).
    ///
    /// # Errors
    /// The file could not be written, or was unreadable at start and is left alone.
    pub fn save(&self, saved: &Saved) -> Result<(), StateError> {
        match &self.store {
            Some(store) => store.save(saved),
            None => Ok(()),
        }
    }

    /// A jump is leaving `from`: remember it (the tree walk, if any, has ended).
    pub fn record(&mut self, from: Position) {
        self.walking_tree = false;
        self.jumps.record(from);
    }

    /// The tree's selection moved the reader from `from`: the first move of a walk through
    /// the tree is a jump, the rest of the walk is not.
    pub fn tree_moved(&mut self, from: Option<Position>) {
        if !self.walking_tree
            && let Some(from) = from
        {
            self.jumps.record(from);
        }
        self.walking_tree = true;
    }

    /// A key that is not the tree's: any walk through the tree has ended.
    pub fn end_tree_walk(&mut self) {
        self.walking_tree = false;
    }

    /// Carries out an action of the `places` rows, the reader standing at `here`.
    pub fn update(&mut self, action: Action, here: Option<Position>) -> Vec<Effect> {
        let say = |m: &str| vec![Effect::Message(m.to_string())];
        match action {
            Action::Back | Action::Forward => {
                let Some(here) = here else {
                    return Vec::new();
                };
                let back = action == Action::Back;
                let to = if back {
                    self.jumps.back(here)
                } else {
                    self.jumps.forward(here)
                };
                match to {
                    Some(p) => vec![Effect::Revisit(p)],
                    None if back => say("at the oldest place: nothing to go back to"),
                    None => say("at the newest place: nothing to go forward to"),
                }
            }
            Action::SetMark | Action::GoToMark => {
                let pending = if action == Action::SetMark {
                    Pending::SetMark
                } else {
                    Pending::GoToMark
                };
                self.pending = Some(pending);
                say(pending.prompt())
            }
            _ => Vec::new(),
        }
    }

    /// The key after `m` or `'`.
    pub fn second_key(
        &mut self,
        key: &KeyEvent,
        here: Option<Position>,
        corpus: &Corpus,
    ) -> Vec<Effect> {
        let Some(pending) = self.pending.take() else {
            return Vec::new();
        };
        let say = |m: String| vec![Effect::Message(m)];
        let c = match key.code {
            KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => c,
            KeyCode::Esc => return say("cancelled".into()),
            _ => return say(format!("{} needs a letter a-z", pending_key(pending))),
        };
        match pending {
            Pending::SetMark if Marks::is_name(c) => {
                let Some(here) = here else {
                    return say("nothing on screen to mark".into());
                };
                self.marks.set(c, here);
                let id = &corpus.node(here.node).id;
                let mut out = vec![Effect::Message(format!("mark {c} set at {id}"))];
                if self.store.is_some() {
                    out.push(Effect::SaveState);
                }
                out
            }
            Pending::SetMark => say(format!("marks are named a-z: {} is not one", shown(c))),
            Pending::GoToMark if c == '\'' || c == '`' => match self.jumps.previous() {
                Some(p) => vec![Effect::Jump(Jump::Place(p))],
                None => say("no jump yet: '' returns to where the last jump left".into()),
            },
            Pending::GoToMark => match self.marks.get(c) {
                Some(p) => vec![Effect::Jump(Jump::Place(p))],
                None if Marks::is_name(c) => say(format!("no mark {c}: m{c} sets it")),
                None => say(format!("marks are named a-z: {} is not one", shown(c))),
            },
        }
    }

    /// `:marks`: opens the list, or says there is none.
    pub fn open_list(&mut self) -> Vec<Effect> {
        if self.marks.is_empty() {
            return vec![Effect::Message(
                "no marks yet: m and a letter sets one".into(),
            )];
        }
        self.list = Some(MarkList::default());
        Vec::new()
    }

    /// Carries out an action of the `marks` rows (the list is open).
    pub fn update_list(&mut self, action: Action) -> Vec<Effect> {
        let Some(list) = &mut self.list else {
            return Vec::new();
        };
        let last = self.marks.len().saturating_sub(1);
        match action {
            Action::Down => list.selected = (list.selected + 1).min(last),
            Action::Up => list.selected = list.selected.saturating_sub(1),
            Action::Open => {
                let at = self.marks.iter().nth(list.selected).map(|(_, p)| p);
                self.list = None;
                if let Some(p) = at {
                    return vec![Effect::Jump(Jump::Place(p))];
                }
            }
            _ => self.list = None,
        }
        Vec::new()
    }

    /// `n` or `N` through a participant's mentions; `None` when they are not what `n` steps
    /// through.
    pub fn step_mention(&mut self, forward: bool) -> Option<Vec<Effect>> {
        let Steps::Mentions { name, stops, index } = &mut self.steps else {
            return None;
        };
        let n = stops.len();
        let Some((next, wrapped)) = crate::search::step(n, *index, forward, |_| true) else {
            return Some(vec![Effect::Message(format!("no mentions of {name}"))]);
        };
        *index = next;
        let (node, ranges) = stops[next].clone();
        let mut hl = super::effect::Highlights::new();
        hl.insert(node, ranges);
        let mut msg = format!("mention {} of {n} — {name}", next + 1);
        // Said first, as vim says it (and as `n` says it after a search).
        if let Some(w) = wrapped {
            let notice = match w {
                crate::search::Wrap::ToTop => "mentions hit BOTTOM, continuing at TOP",
                crate::search::Wrap::ToBottom => "mentions hit TOP, continuing at BOTTOM",
            };
            msg = format!("{notice} — {msg}");
        }
        Some(vec![
            Effect::Jump(Jump::Node(node, Some(hl))),
            Effect::Message(msg),
        ])
    }
}

fn pending_key(p: Pending) -> &'static str {
    match p {
        Pending::SetMark => "m",
        Pending::GoToMark => "'",
    }
}

/// A character as the status line may show it.
fn shown(c: char) -> String {
    sanitize(
        &c.to_string(),
        crate::text::display::DisplayOptions::default(),
    )
}

/// Draws the list of marks into `area`: a title line, then one line a mark (letter, id, the
/// first words of the text), the selected one in reverse video.
pub fn render_list(
    places: &Places,
    list: MarkList,
    corpus: &Corpus,
    theme: &Theme,
    area: Rect,
    buf: &mut Buffer,
) {
    let width = usize::from(area.width);
    let height = usize::from(area.height);
    if width == 0 || height == 0 {
        return;
    }
    let opts = theme.opts;
    put(buf, area.x, area.y, &" ".repeat(width), width, theme.bar());
    let title = truncate(" marks · Enter goes there · Esc closes", width, opts);
    put(buf, area.x, area.y, &title, width, theme.bar());
    let id_w = places
        .marks
        .iter()
        .map(|(_, p)| str_width(&corpus.node(p.node).id))
        .max()
        .unwrap_or(0)
        .min(width / 3);
    let below = Rect {
        y: area.y.saturating_add(1),
        height: area.height.saturating_sub(1),
        ..area
    };
    let marks: Vec<_> = places.marks.iter().collect();
    draw::list(buf, below, marks.len(), list.selected, 0, |i| {
        let (c, p) = marks[i];
        let id = sanitize(&corpus.node(p.node).id, opts);
        let words = sanitize(&p.words(corpus, width), opts);
        let pad = id_w.saturating_sub(str_width(&id));
        let line = format!(" {c}  {id}{}  {words}", " ".repeat(pad));
        (truncate(&line, width, opts), Style::new())
    });
}

#[cfg(test)]
mod tests {
    use super::super::app::{App, AppOptions, Focus};
    use super::super::effect::LineKind;
    use super::*;
    use crate::corpus::load_embedded;
    use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

    fn app() -> App {
        app_with(AppOptions::default())
    }

    fn app_with(options: AppOptions) -> App {
        let mut a = App::new(load_embedded(), options);
        a.resize(80, 24);
        a
    }

    fn press(a: &mut App, code: KeyCode, mods: KeyModifiers) {
        a.handle_key(&KeyEvent::new(code, mods));
    }

    fn typed(a: &mut App, s: &str) {
        for c in s.chars() {
            if c == '\r' {
                press(a, KeyCode::Enter, KeyModifiers::NONE);
            } else {
                press(a, KeyCode::Char(c), KeyModifiers::NONE);
            }
        }
    }

    fn ctrl(a: &mut App, c: char) {
        press(a, KeyCode::Char(c), KeyModifiers::CONTROL);
    }

    fn id(a: &App) -> String {
        a.current_node()
            .map(|r| a.corpus.node(r).id.clone())
            .unwrap_or_default()
    }

    fn message(a: &App) -> &str {
        a.message.as_deref().unwrap_or("")
    }

    #[test]
    fn back_and_forward_along_the_readers_path() {
        let mut a = app();
        typed(&mut a, ":23\r");
        typed(&mut a, "/GIFCT\r");
        assert_eq!(id(&a), "g7:13");
        ctrl(&mut a, 'o');
        assert_eq!(id(&a), "g7:23");
        typed(&mut a, "L");
        assert_eq!(id(&a), "g7:13");
        // Backspace is back, as in w3m; Alt-Left too.
        press(&mut a, KeyCode::Backspace, KeyModifiers::NONE);
        assert_eq!(id(&a), "g7:23");
        // Ctrl-h, which some terminals send for Backspace.
        ctrl(&mut a, 'h');
        assert_eq!(id(&a), "g7:title");
        typed(&mut a, "L");
        press(&mut a, KeyCode::Left, KeyModifiers::ALT);
        assert_eq!(id(&a), "g7:title");
        ctrl(&mut a, 'o');
        assert_eq!(id(&a), "g7:title");
        assert_eq!(message(&a), "at the oldest place: nothing to go back to");
        // Forward (L, Alt-Right, or Ctrl-i where the terminal tells it from Tab).
        press(&mut a, KeyCode::Right, KeyModifiers::ALT);
        assert_eq!(id(&a), "g7:23");
        ctrl(&mut a, 'i');
        assert_eq!(id(&a), "g7:13");
        typed(&mut a, "L");
        assert_eq!(message(&a), "at the newest place: nothing to go forward to");
        // Tab still moves the keys between the panes.
        press(&mut a, KeyCode::Tab, KeyModifiers::NONE);
        assert_eq!(a.focus, Focus::Tree);
        assert_eq!(id(&a), "g7:13");
    }

    #[test]
    fn every_back_key_and_every_forward_key() {
        let back = [
            (KeyCode::Char('o'), KeyModifiers::CONTROL),
            (KeyCode::Backspace, KeyModifiers::NONE),
            (KeyCode::Char('h'), KeyModifiers::CONTROL),
            (KeyCode::Char('H'), KeyModifiers::SHIFT),
            (KeyCode::Left, KeyModifiers::ALT),
        ];
        let forward = [
            (KeyCode::Char('L'), KeyModifiers::SHIFT),
            (KeyCode::Right, KeyModifiers::ALT),
            (KeyCode::Char('i'), KeyModifiers::CONTROL),
        ];
        for (b, f) in back.iter().zip(forward.iter().cycle()) {
            let mut a = app();
            typed(&mut a, ":23\r");
            press(&mut a, b.0, b.1);
            assert_eq!(id(&a), "g7:title", "{b:?}");
            press(&mut a, f.0, f.1);
            assert_eq!(id(&a), "g7:23", "{f:?}");
        }
    }

    #[test]
    fn quote_quote_returns_to_before_the_last_jump_and_back() {
        let mut a = app();
        typed(&mut a, "''");
        assert!(message(&a).starts_with("no jump yet"), "{}", message(&a));
        typed(&mut a, ":23\r:VII\r");
        assert_eq!(id(&a), "g7:VII");
        typed(&mut a, "''");
        assert_eq!(id(&a), "g7:23");
        typed(&mut a, "''");
        assert_eq!(id(&a), "g7:VII");
        // `` ` `` is the same as `'`, as in vim.
        typed(&mut a, "``");
        assert_eq!(id(&a), "g7:23");
    }

    #[test]
    fn g_and_shift_g_are_jumps() {
        let mut a = app();
        typed(&mut a, ":23\rG");
        assert!(id(&a).starts_with("cri:"));
        ctrl(&mut a, 'o');
        assert_eq!(id(&a), "g7:23");
        typed(&mut a, "g");
        assert_eq!(a.reader.top, 0);
        ctrl(&mut a, 'o');
        assert_eq!(id(&a), "g7:23");
        // Scrolling is not a jump: back from a scrolled place goes to the last jump's start.
        typed(&mut a, "jjj");
        let scrolled = a.reader.top;
        ctrl(&mut a, 'o');
        assert!(a.reader.top < scrolled);
        typed(&mut a, "L");
        assert_eq!(
            a.reader.top, scrolled,
            "forward returns to where the reader scrolled"
        );
    }

    #[test]
    fn marks_set_and_return() {
        let mut a = app();
        typed(&mut a, ":23\rm");
        assert_eq!(a.focus_name(), "mark");
        assert_eq!(message(&a), Pending::SetMark.prompt());
        typed(&mut a, "a");
        assert_eq!(message(&a), "mark a set at g7:23");
        typed(&mut a, ":VII\r'a");
        assert_eq!(id(&a), "g7:23");
        // `''` after a mark: back to VII.
        typed(&mut a, "''");
        assert_eq!(id(&a), "g7:VII");
        typed(&mut a, "'b");
        assert_eq!(message(&a), "no mark b: mb sets it");
        typed(&mut a, "mA");
        assert_eq!(message(&a), "marks are named a-z: A is not one");
        typed(&mut a, "'1");
        assert_eq!(message(&a), "marks are named a-z: 1 is not one");
        // Esc cancels; the next key is an ordinary key again.
        typed(&mut a, "m");
        press(&mut a, KeyCode::Esc, KeyModifiers::NONE);
        assert_eq!(message(&a), "cancelled");
        assert_eq!(a.focus_name(), "reader");
        let top = a.reader.top;
        typed(&mut a, "j");
        assert_eq!(a.reader.top, top + 1);
        press(&mut a, KeyCode::Char('m'), KeyModifiers::NONE);
        press(&mut a, KeyCode::Down, KeyModifiers::NONE);
        assert_eq!(message(&a), "m needs a letter a-z");
        assert_eq!(a.places.marks.len(), 1);
    }

    #[test]
    fn positions_keep_the_same_text_across_a_width_change() {
        let mut a = app();
        typed(&mut a, ":23\rjj");
        let at = a.reader.position().expect("laid out");
        assert!(at.offset > 0, "two lines into ¶23");
        typed(&mut a, "ma:VII\r");
        a.resize(40, 15);
        let first_char_shown = |a: &App| {
            a.reader
                .layout
                .render(&a.corpus)
                .spans(&a.reader.layout.lines[a.reader.top])
                .iter()
                .flat_map(|s| s.src.iter())
                .collect::<Vec<_>>()
        };
        typed(&mut a, "'a");
        assert_eq!(id(&a), "g7:23");
        assert!(
            first_char_shown(&a).contains(&at.offset),
            "the same text at the top"
        );
        // The jump list too: back to VII, then forward again at another width.
        ctrl(&mut a, 'o');
        assert_eq!(id(&a), "g7:VII");
        a.resize(120, 40);
        typed(&mut a, "L");
        assert!(first_char_shown(&a).contains(&at.offset));
    }

    #[test]
    fn a_jump_to_a_node_on_the_line_already_at_the_top_goes_to_its_start() {
        // Found by tests/ssh.rs's resize storm: one line into ¶30, a very wide window (where
        // that line and the first are one), `:30`, and back to 80 columns showed ¶30 from its
        // second line: the place kept across the resize was the old one.
        let mut a = app();
        typed(&mut a, ":30\rj");
        a.resize(500, 200);
        typed(&mut a, ":30\r");
        a.resize(80, 24);
        let start = a
            .reader
            .layout
            .start(a.corpus.find_id("g7:30").expect("id"))
            .expect("laid out");
        assert_eq!(a.reader.top, start);
    }

    #[test]
    fn opening_from_the_tree_is_one_jump() {
        let mut a = app();
        typed(&mut a, ":23\r");
        press(&mut a, KeyCode::Tab, KeyModifiers::NONE);
        typed(&mut a, "jjj\r");
        assert_eq!(a.focus, Focus::Reader);
        assert_ne!(id(&a), "g7:23");
        ctrl(&mut a, 'o');
        assert_eq!(id(&a), "g7:23", "the rows passed on the way are not places");
    }

    /// Opens the mentions of インターポール and jumps to the first.
    fn to_first_interpol_mention(a: &mut App) {
        typed(a, "2/インターポール\r\r\r");
    }

    #[test]
    fn n_steps_through_mentions_after_a_mention() {
        let mut a = app();
        typed(&mut a, ":23\r");
        to_first_interpol_mention(&mut a);
        let first = id(&a);
        assert!(message(&a).starts_with("mention 1 of "), "{}", message(&a));
        assert!(message(&a).contains("インターポール"));
        typed(&mut a, "n");
        assert!(message(&a).starts_with("mention 2 of "), "{}", message(&a));
        assert_ne!(id(&a), first);
        typed(&mut a, "NN");
        assert!(
            message(&a).starts_with("mentions hit TOP, continuing at BOTTOM — mention "),
            "{}",
            message(&a)
        );
        // The name is highlighted where it is mentioned.
        let here = a.current_node().expect("a node");
        assert!(
            a.reader
                .highlights
                .get(&here)
                .is_some_and(|r| !r.is_empty())
        );
        // Back along the jumps to where the reader was before the mention.
        for _ in 0..4 {
            ctrl(&mut a, 'o');
        }
        assert_eq!(id(&a), "g7:23");
        // A search makes n step through its results again.
        typed(&mut a, "/GIFCT\rn");
        assert!(message(&a).contains("for “GIFCT”"), "{}", message(&a));
    }

    #[test]
    fn the_list_of_marks_jumps_on_enter() {
        let mut a = app();
        typed(&mut a, ":marks\r");
        assert_eq!(message(&a), "no marks yet: m and a letter sets one");
        typed(&mut a, ":23\rmb:VII\rma:cri:3\r:marks\r");
        assert_eq!(a.focus_name(), "marks");
        let drawn = {
            let area = ratatui::layout::Rect::new(0, 0, 80, 24);
            let mut buf = ratatui::buffer::Buffer::empty(area);
            super::super::view::draw(&a, area, &mut buf);
            buffer_text(&buf)
        };
        assert!(drawn.contains(" a  g7:VII"), "{drawn}");
        assert!(
            drawn.contains(" b  g7:23  23. 我々は") || drawn.contains(" b  g7:23   "),
            "{drawn}"
        );
        typed(&mut a, "j\r");
        assert_eq!(id(&a), "g7:23");
        assert!(a.places.list.is_none());
        // Any other key closes it.
        typed(&mut a, ":marks\rx");
        assert!(a.places.list.is_none());
        assert_eq!(id(&a), "g7:23");
    }

    fn buffer_text(buf: &ratatui::buffer::Buffer) -> String {
        let area = buf.area;
        let mut out = String::new();
        for y in area.y..area.y + area.height {
            let mut x = area.x;
            while x < area.x + area.width {
                let sym = buf[(x, y)].symbol();
                out.push_str(sym);
                x += u16::try_from(str_width(sym).max(1)).unwrap_or(1);
            }
            out.push('\n');
        }
        out
    }

    fn tempdir(name: &str) -> std::path::PathBuf {
        let d = std::env::temp_dir().join(format!("kaigi-app-state-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        d
    }

    fn with_state(dir: &std::path::Path) -> AppOptions {
        AppOptions {
            state: StateAt::Dir(dir.to_path_buf()),
            ..AppOptions::default()
        }
    }

    #[test]
    fn marks_position_and_histories_survive_a_restart() {
        let dir = tempdir("restart");
        let mut a = app_with(with_state(&dir));
        typed(&mut a, ":VII\rma");
        // Setting a mark writes the file at once.
        assert_eq!(std::fs::read_dir(&dir).expect("written").count(), 1);
        typed(&mut a, "/GIFCT\r:23\rjj");
        let at = a.reader.position();
        a.save_state().expect("saved");
        let mut b = app_with(with_state(&dir));
        assert_eq!(b.reader.position(), at, "the last position");
        typed(&mut b, ":VIII\r'a");
        assert_eq!(id(&b), "g7:VII");
        typed(&mut b, "/");
        ctrl(&mut b, 'p');
        assert_eq!(
            b.prompt.line.as_ref().map(|l| l.editor.text()),
            Some("GIFCT")
        );
        press(&mut b, KeyCode::Esc, KeyModifiers::NONE);
        typed(&mut b, ":");
        press(&mut b, KeyCode::Up, KeyModifiers::NONE);
        assert_eq!(
            b.prompt.line.as_ref().map(|l| l.editor.text()),
            Some("VIII")
        );
        // --goto wins over the last position; the marks are still there.
        let c = app_with(AppOptions {
            goto: Some("cri:3".into()),
            ..with_state(&dir)
        });
        assert_eq!(id(&c), "cri:3");
        assert!(c.places.marks.get('a').is_some());
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// The place kept in the state file comes back with only a screen around it laid out
    /// before the first frame (not the whole text: that was two thirds of a returning
    /// reader's start); once the rest is laid out, it is still the place, and the screen is
    /// the one a whole layout shows there.
    #[test]
    fn a_restored_place_is_laid_out_around_it_first() {
        let dir = tempdir("around");
        let mut a = app_with(with_state(&dir));
        typed(&mut a, ":cri:3\rjj");
        let at = a.reader.position();
        a.save_state().expect("saved");
        let drawn = |app: &App| {
            let area = ratatui::layout::Rect::new(0, 0, 80, 24);
            let mut buf = ratatui::buffer::Buffer::empty(area);
            super::super::view::draw(app, area, &mut buf);
            buffer_text(&buf)
        };
        let whole = drawn(&a);
        let mut b = App::new(
            load_embedded(),
            AppOptions {
                size: Some((80, 24)),
                ..with_state(&dir)
            },
        );
        assert_eq!(b.reader.position(), at);
        assert!(
            !b.reader.layout.is_complete(),
            "the whole text laid out first"
        );
        let first = drawn(&b);
        b.finish_layout();
        assert!(b.reader.layout.is_complete());
        assert_eq!(b.reader.position(), at);
        assert_eq!(drawn(&b), whole);
        // The location bar's percentage is known before the rest: only the tree may differ.
        assert_eq!(first.lines().next(), whole.lines().next());
        let reader = |s: &str| {
            s.lines()
                .map(|l| l.chars().skip(26).collect::<String>())
                .collect::<Vec<_>>()
        };
        assert_eq!(reader(&first), reader(&whole), "{first}");
        typed(&mut b, "k");
        typed(&mut a, "k");
        assert_eq!(drawn(&b), drawn(&a));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn without_state_nothing_is_read_or_written() {
        let dir = tempdir("off");
        let mut a = app_with(with_state(&dir));
        typed(&mut a, ":VII\rma");
        let mut off = app();
        assert!(off.places.marks.is_empty());
        assert_eq!(id(&off), "g7:title");
        typed(&mut off, "mb");
        assert_eq!(message(&off), "mark b set at g7:title");
        off.save_state().expect("nothing to do");
        let (_, opened) = Store::open(&dir, &crate::places::corpus_key(&off.corpus));
        let crate::places::Opened::Loaded(s) = opened else {
            panic!("{opened:?}")
        };
        assert_eq!(s.marks.keys().collect::<Vec<_>>(), vec![&'a']);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_bad_state_file_is_a_note_and_is_left_alone() {
        let dir = tempdir("bad");
        std::fs::create_dir_all(&dir).expect("dir");
        let key = crate::places::corpus_key(&load_embedded());
        let path = dir.join(format!("{key}.json"));
        std::fs::write(&path, b"{\"version\": 1, \"marks\": [").expect("write");
        let mut a = app_with(with_state(&dir));
        assert!(
            message(&a).starts_with("state ignored, not valid JSON: /"),
            "{}",
            message(&a)
        );
        // Shown once.
        typed(&mut a, "j");
        assert!(a.message.is_none());
        typed(&mut a, "ma");
        assert!(
            message(&a) == "mark a set at g7:date — not kept: the state file is left alone",
            "{}",
            message(&a)
        );
        assert!(a.save_state().is_err());
        assert_eq!(
            std::fs::read(&path).expect("kept"),
            b"{\"version\": 1, \"marks\": ["
        );
        // No state folder at all: the note, and the browser as usual.
        let b = app_with(AppOptions {
            state: StateAt::Unavailable("places are not kept: HOME (/x) is not a folder".into()),
            ..AppOptions::default()
        });
        assert_eq!(
            message(&b),
            "places are not kept: HOME (/x) is not a folder"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_paste_while_a_mark_is_pending_is_not_a_mark() {
        let mut a = app();
        typed(&mut a, "m");
        a.handle_event(&Event::Paste("a".into()));
        assert!(a.places.marks.is_empty());
        assert_eq!(
            a.prompt.line.as_ref().map(|l| l.kind),
            Some(LineKind::Search)
        );
    }
}
