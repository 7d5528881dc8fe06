//! Every key binding, in one table: which key asks for which [`Action`] in which [`Context`].
//! The help overlay and the hint line are generated from it, so they never disagree with what
//! the keys do.
//!
//! The table is a runtime value, [`Keymap`], built from [`DEFAULT_ROWS`], so a config file can
//! rebind keys before anything reads it: every action and context has a stable kebab-case name
//! ([`Action::name`], [`Context::name`]) and every key a label that [`Key::parse`] reads back.
//!
//! A row's context says which pane handles it, so a key is found where it is handled:
//! `global` rows by the app, `text` rows by the reader (whichever pane has focus: paging keys
//! always page the text), `tree` rows by the tree when it has focus, `reader` rows by the reader
//! when it has focus, `participants` by that view, `line`, `search-line` and `goto-line` by the
//! line being typed, `help` by the help overlay, and `always` rows by the app in any of them.

use std::fmt;

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

macro_rules! named {
    ($(#[$m:meta])* pub enum $name:ident { $($(#[$vm:meta])* $variant:ident = $text:literal,)* }) => {
        $(#[$m])*
        pub enum $name { $($(#[$vm])* $variant,)* }
        impl $name {
            /// Every value, in the order declared.
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];
            /// The stable kebab-case name (for a config file).
            #[must_use]
            pub fn name(self) -> &'static str {
                match self { $($name::$variant => $text,)* }
            }
            /// The value with this name.
            #[must_use]
            pub fn from_name(name: &str) -> Option<Self> {
                match name { $($text => Some($name::$variant),)* _ => None }
            }
        }
    };
}

named! {
    /// Something the user can ask for.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum Action {
        Quit = "quit",
        Suspend = "suspend",
        Repaint = "repaint",
        Help = "help",
        Down = "down",
        Up = "up",
        HalfPageDown = "half-page-down",
        HalfPageUp = "half-page-up",
        PageDown = "page-down",
        PageUp = "page-up",
        Top = "top",
        Bottom = "bottom",
        NextNode = "next-paragraph",
        PrevNode = "previous-paragraph",
        Collapse = "collapse",
        Expand = "expand",
        Open = "open",
        FocusNext = "focus-next",
        FocusPrev = "focus-previous",
        ToggleTree = "toggle-tree",
        Goto = "goto",
        Search = "search",
        NextMatch = "next-match",
        PrevMatch = "previous-match",
        Copy = "copy",
        CopyCited = "copy-with-citation",
        ShowDocuments = "documents-view",
        ShowParticipants = "participants-view",
        CycleFilter = "next-filter",
        CycleSort = "next-sort",
        Cancel = "cancel",
        Back = "back",
        Forward = "forward",
        SetMark = "set-mark",
        GoToMark = "go-to-mark",
        NextLink = "next-link",
        PrevLink = "previous-link",
        ShowIndex = "index-view",
        ShowCited = "cited-view",
        // The line being typed (`:` and `/`).
        Submit = "accept",
        CharLeft = "char-left",
        CharRight = "char-right",
        WordLeft = "word-left",
        WordRight = "word-right",
        LineStart = "line-start",
        LineEnd = "line-end",
        DeleteBack = "delete-back",
        DeleteForward = "delete-forward",
        DeleteWordBack = "delete-word-back",
        DeleteWordForward = "delete-word-forward",
        KillToEnd = "kill-to-end",
        KillToStart = "kill-to-start",
        HistoryPrev = "history-previous",
        HistoryNext = "history-next",
        SelectNext = "select-next",
        SelectPrev = "select-previous",
    }
}

named! {
    /// Where a binding applies, and so which pane handles it (see the module's docs).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum Context {
        Always = "always",
        Global = "global",
        Text = "text",
        Tree = "tree",
        Reader = "reader",
        Places = "places",
        Marks = "marks",
        Participants = "participants",
        Index = "index",
        Cited = "cited",
        Line = "line",
        SearchLine = "search-line",
        GotoLine = "goto-line",
        Help = "help",
    }
}

impl Context {
    /// The heading of the context's part of the help.
    #[must_use]
    pub fn title(self) -> &'static str {
        match self {
            Self::Always => "anywhere, even while typing",
            Self::Global => "everywhere but a line being typed",
            Self::Text => "the text (whichever pane has focus)",
            Self::Tree => "the tree, when it has focus (Tab)",
            Self::Reader => "the reader, when it has focus",
            Self::Places => "back, forward and marks (the documents view)",
            Self::Marks => "the list of marks (:marks)",
            Self::Participants => "the participants view",
            Self::Index => "the index of terms (i)",
            Self::Cited => "the cited documents (R or :refs)",
            Self::Line => "typing after / or : (as in readline)",
            Self::SearchLine => "typing after / (search, narrow)",
            Self::GotoLine => "typing after :",
            Self::Help => "this help",
        }
    }
}

/// Where the hint line puts an action's hint: pinned hints show at every width, the others
/// from the most useful down as room allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum HintRank {
    /// Kept at every width (their labels give way first, keys last).
    Pinned(u8),
    /// Shown when there is room; lower first.
    Optional(u8),
}

impl Action {
    /// What the action does, for the help overlay.
    #[must_use]
    pub fn description(self) -> &'static str {
        match self {
            Self::Quit => "quit",
            Self::Suspend => "suspend kaigi to the shell (fg brings it back)",
            Self::Repaint => "repaint the whole screen",
            Self::Help => "show or close this help",
            Self::Down => "a line down / the next row",
            Self::Up => "a line up / the previous row",
            Self::HalfPageDown => "half a page down",
            Self::HalfPageUp => "half a page up",
            Self::PageDown => "a page down (the last line stays on screen)",
            Self::PageUp => "a page up",
            Self::Top => "go to the top",
            Self::Bottom => "go to the end",
            Self::Collapse => "collapse the row, or go to its parent",
            Self::Expand => "expand the row",
            Self::Open => "open the selected row",
            Self::NextNode => "next paragraph",
            Self::PrevNode => "previous paragraph",
            Self::FocusNext => {
                "move the keys to the other pane (Tab is also Ctrl-i: forward is L or Alt-Right)"
            }
            Self::FocusPrev => "move the keys to the other pane",
            Self::ToggleTree => "show the section tree (with the keys) or hide it",
            Self::Goto => {
                "go to an id, number or label (:23, :cri:3, :VII, :附属文書I, :注1); a bare number is \
                 in the document on screen, or the other one when this one has none; the line \
                 shows where Enter goes"
            }
            Self::Search => "search both documents (participants: narrow); a paste opens / with it",
            Self::NextMatch => "next of what was asked for last: search result or mention",
            Self::PrevMatch => "previous search result or mention",
            Self::Copy => "copy the paragraph at the top (a heading: its whole section)",
            Self::CopyCited => "copy with a citation: title, date, paragraph, text",
            Self::ShowDocuments => "documents view",
            Self::ShowParticipants => "participants view",
            Self::CycleFilter => "next filter",
            Self::CycleSort => "next sort order",
            Self::Cancel => "close / cancel / clear highlights",
            Self::Back => "back to where the last jump left (as vim's Ctrl-o, w3m's Backspace)",
            Self::Forward => "forward again after going back (Ctrl-i is Tab on a terminal)",
            Self::SetMark => "then a letter a-z: set a mark here",
            Self::GoToMark => "then a letter: go to that mark; ' again: before the last jump",
            Self::NextLink => {
                "select the next link on screen (links are underlined; w3m and Info use Tab, \
                 which is the focus switch here)"
            }
            Self::PrevLink => "select the previous link on screen",
            Self::ShowIndex => {
                "the index of terms: type to narrow, Enter for its places (as Info's i)"
            }
            Self::ShowCited => "the documents the texts cite, by date, with where each is cited",
            Self::Submit => "accept: go there, open the first or selected result",
            Self::CharLeft => "a character left",
            Self::CharRight => "a character right",
            Self::WordLeft => "a word left",
            Self::WordRight => "a word right",
            Self::LineStart => "to the start of the line",
            Self::LineEnd => "to the end of the line",
            Self::DeleteBack => "delete the character before the cursor (empty: close)",
            Self::DeleteForward => "delete the character under the cursor",
            Self::DeleteWordBack => "delete the word before the cursor",
            Self::DeleteWordForward => "delete the word after the cursor",
            Self::KillToEnd => "delete to the end of the line",
            Self::KillToStart => "delete to the start of the line",
            Self::HistoryPrev => "an earlier entry",
            Self::HistoryNext => "a later entry",
            Self::SelectNext => "the next result",
            Self::SelectPrev => "the previous result",
        }
    }

    /// What the action does in one context, where that differs from [`description`](Self::description).
    #[must_use]
    pub fn description_in(self, context: Context) -> &'static str {
        match (context, self) {
            (Context::Reader, Self::Open) => {
                "follow the selected link (a jump: Ctrl-o comes back; none selected: select the first)"
            }
            (Context::Index, Self::Open) => {
                "an entry's places (one: go there); on a place, go there"
            }
            (Context::Index, Self::Cancel) => "close the places / back to the text",
            (Context::Index, Self::Search) => "narrow the entries again",
            (Context::Cited, Self::Open) => "go to the place (on a document: its first place)",
            (Context::Cited, Self::Cancel) => "back to the text",
            (Context::Cited, Self::NextNode | Self::PrevNode) => "the next / previous document",
            (Context::Reader, Self::Collapse | Self::Expand) => {
                "tree keys: a hint to press Tab for the tree"
            }
            (Context::Tree, Self::Open) => "show the selected row in the reader, focus it",
            (Context::Participants, Self::Open) => {
                "a participant's mentions; on a mention, jump there"
            }
            (Context::Participants, Self::Cancel) => "close the mentions / clear the narrowing",
            (Context::Participants, Self::Copy) => "copy the participant's row",
            (Context::Text, Self::Cancel) => "clear highlighted matches",
            (Context::Help, Self::Cancel) => "close the help (so does any other key)",
            (Context::Marks, Self::Open) => "go to the selected mark",
            (Context::Marks, Self::Cancel) => "close the list (so does any other key)",
            (Context::Marks, Self::Down | Self::Up) => "the next / previous mark",
            (Context::Help, Self::Down | Self::Up | Self::PageDown | Self::PageUp) => {
                "scroll the help"
            }
            (Context::Line, Self::Cancel) => "cancel (a search puts the reader back)",
            _ => self.description(),
        }
    }

    /// The hint line's label for the action, and where it ranks; `None` for no hint.
    #[must_use]
    pub fn hint(self) -> Option<(&'static str, HintRank)> {
        use HintRank::{Optional, Pinned};
        Some(match self {
            Self::Search => ("search", Pinned(0)),
            Self::ShowParticipants => ("participants", Pinned(1)),
            Self::ShowDocuments => ("documents", Pinned(1)),
            Self::Help => ("help", Pinned(2)),
            Self::Quit => ("quit", Pinned(3)),
            Self::Goto => ("goto", Optional(0)),
            Self::ShowIndex => ("index", Optional(1)),
            Self::NextLink => ("link", Optional(2)),
            Self::FocusNext => ("focus", Optional(1)),
            Self::ToggleTree => ("tree", Optional(1)),
            Self::Open => ("mentions", Optional(1)),
            Self::Copy => ("copy", Optional(2)),
            Self::CycleFilter => ("filter", Optional(3)),
            Self::CycleSort => ("sort", Optional(4)),
            Self::Submit => ("accept", Optional(0)),
            Self::Cancel => ("close", Optional(2)),
            _ => return None,
        })
    }
}

/// One key: a code and the modifiers that must be held (Control and Alt; Shift is part of
/// the character, `G`, or of the code, Shift-Tab).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

const fn k(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        mods: KeyModifiers::NONE,
    }
}
const fn ctrl(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        mods: KeyModifiers::CONTROL,
    }
}
const fn alt(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        mods: KeyModifiers::ALT,
    }
}
const fn code(code: KeyCode) -> Key {
    Key {
        code,
        mods: KeyModifiers::NONE,
    }
}

/// A key that [`Key::parse`] could not read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a key: {0:?} (write keys as x, G, ctrl-d, alt-b, space, enter, pagedown, f1)")]
pub struct BadKey(pub String);

/// Named keys: the label, and the lower-case names `parse` accepts.
const NAMED: &[(KeyCode, &str, &[&str])] = &[
    (KeyCode::Char(' '), "Space", &["space", "spc"]),
    (KeyCode::Enter, "Enter", &["enter", "return", "ret", "cr"]),
    (KeyCode::Esc, "Esc", &["esc", "escape"]),
    (KeyCode::Tab, "Tab", &["tab"]),
    (KeyCode::BackTab, "Shift-Tab", &["shift-tab", "backtab"]),
    (KeyCode::Backspace, "Backspace", &["backspace", "bs"]),
    (KeyCode::Delete, "Delete", &["delete", "del"]),
    (KeyCode::Insert, "Insert", &["insert", "ins"]),
    (KeyCode::Up, "Up", &["up"]),
    (KeyCode::Down, "Down", &["down"]),
    (KeyCode::Left, "Left", &["left"]),
    (KeyCode::Right, "Right", &["right"]),
    (KeyCode::Home, "Home", &["home"]),
    (KeyCode::End, "End", &["end"]),
    (KeyCode::PageUp, "PageUp", &["pageup", "pgup"]),
    (KeyCode::PageDown, "PageDown", &["pagedown", "pgdn"]),
];

impl Key {
    /// How the key is written in the help and hint line (ASCII only, never ambiguous);
    /// [`Key::parse`] reads it back.
    #[must_use]
    pub fn label(self) -> String {
        let base = match self.code {
            KeyCode::F(n) => format!("F{n}"),
            KeyCode::Char(c) if c != ' ' => c.to_string(),
            code => NAMED
                .iter()
                .find(|(c, _, _)| *c == code)
                .map_or_else(|| format!("{code:?}"), |(_, label, _)| (*label).to_string()),
        };
        let mut out = String::new();
        if self.mods.contains(KeyModifiers::CONTROL) {
            out.push_str("Ctrl-");
        }
        if self.mods.contains(KeyModifiers::ALT) {
            out.push_str("Alt-");
        }
        out + &base
    }

    /// Reads a key as a config file writes it: `x`, `G`, `ctrl-j`, `alt-b`, `space`, `enter`,
    /// `pagedown`, `f1`, `shift-tab` (names and modifiers in any case; a single character is
    /// taken as it is, so `G` is not `g`).
    ///
    /// # Errors
    /// The text names no key.
    pub fn parse(text: &str) -> Result<Key, BadKey> {
        let bad = || BadKey(text.to_string());
        let mut rest = text;
        let mut mods = KeyModifiers::NONE;
        loop {
            if rest.chars().count() == 1 {
                let c = rest.chars().next().ok_or_else(bad)?;
                if c.is_control() {
                    return Err(bad());
                }
                return Ok(Key {
                    code: KeyCode::Char(c),
                    mods,
                });
            }
            let lower = rest.to_ascii_lowercase();
            if let Some(r) = lower.strip_prefix("ctrl-").or(lower.strip_prefix("c-")) {
                mods |= KeyModifiers::CONTROL;
                rest = &rest[rest.len() - r.len()..];
            } else if let Some(r) = lower.strip_prefix("alt-").or(lower.strip_prefix("m-")) {
                mods |= KeyModifiers::ALT;
                rest = &rest[rest.len() - r.len()..];
            } else {
                if let Some((code, _, _)) = NAMED
                    .iter()
                    .find(|(_, _, names)| names.contains(&lower.as_str()))
                {
                    return Ok(Key { code: *code, mods });
                }
                if let Some(n) = lower.strip_prefix('f').and_then(|n| n.parse::<u8>().ok())
                    && (1..=24).contains(&n)
                {
                    return Ok(Key {
                        code: KeyCode::F(n),
                        mods,
                    });
                }
                return Err(bad());
            }
        }
    }

    /// Whether a key event is this key. Shift is ignored: terminals report `G`, `?` and
    /// Shift-Tab with or without it.
    #[must_use]
    pub fn matches(self, event: &KeyEvent) -> bool {
        self.code == event.code
            && self.mods == event.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT)
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label())
    }
}

/// A row of the key table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    pub context: Context,
    pub keys: Vec<Key>,
    pub action: Action,
}

/// The default key table, one row a binding.
#[rustfmt::skip]
pub const DEFAULT_ROWS: &[(Context, &[Key], Action)] = {
    use Action as A;
    use Context as C;
    use KeyCode as K;
    &[
        (C::Always, &[ctrl('z')], A::Suspend),
        (C::Always, &[ctrl('l')], A::Repaint),
        (C::Global, &[k('/')], A::Search),
        (C::Global, &[k(':')], A::Goto),
        (C::Global, &[k('n')], A::NextMatch),
        (C::Global, &[k('N')], A::PrevMatch),
        (C::Global, &[code(K::Tab)], A::FocusNext),
        (C::Global, &[code(K::BackTab)], A::FocusPrev),
        (C::Global, &[k('t')], A::ToggleTree),
        (C::Global, &[k('1')], A::ShowDocuments),
        (C::Global, &[k('2')], A::ShowParticipants),
        (C::Global, &[k('i')], A::ShowIndex),
        (C::Global, &[k('R')], A::ShowCited),
        (C::Global, &[k('r')], A::Repaint),
        (C::Global, &[k('?')], A::Help),
        (C::Global, &[k('q'), ctrl('c')], A::Quit),
        (C::Text, &[k('j'), code(K::Down), k('e'), ctrl('e'), ctrl('n'), ctrl('j')], A::Down),
        (C::Text, &[k('k'), code(K::Up), ctrl('y'), ctrl('p')], A::Up),
        (C::Text, &[k('d'), ctrl('d')], A::HalfPageDown),
        (C::Text, &[k('u'), ctrl('u')], A::HalfPageUp),
        (C::Text, &[k(' '), code(K::PageDown), ctrl('f')], A::PageDown),
        (C::Text, &[k('b'), code(K::PageUp), ctrl('b')], A::PageUp),
        (C::Text, &[k('g'), code(K::Home)], A::Top),
        (C::Text, &[k('G'), code(K::End)], A::Bottom),
        (C::Text, &[k('}'), k(']')], A::NextNode),
        (C::Text, &[k('{'), k('[')], A::PrevNode),
        (C::Text, &[k('y')], A::Copy),
        (C::Text, &[k('Y')], A::CopyCited),
        (C::Text, &[code(K::Esc)], A::Cancel),
        (C::Tree, &[k('j'), code(K::Down)], A::Down),
        (C::Tree, &[k('k'), code(K::Up)], A::Up),
        (C::Tree, &[k('g'), code(K::Home)], A::Top),
        (C::Tree, &[k('G'), code(K::End)], A::Bottom),
        (C::Tree, &[k('h'), code(K::Left)], A::Collapse),
        (C::Tree, &[k('l'), code(K::Right)], A::Expand),
        (C::Tree, &[code(K::Enter)], A::Open),
        (C::Reader, &[code(K::Enter), ctrl(']')], A::Open),
        (C::Reader, &[k('>')], A::NextLink),
        (C::Reader, &[k('<')], A::PrevLink),
        (C::Reader, &[k('h'), code(K::Left)], A::Collapse),
        (C::Reader, &[k('l'), code(K::Right)], A::Expand),
        (C::Places, &[ctrl('o'), code(K::Backspace), ctrl('h'), k('H'), Key { code: K::Left, mods: KeyModifiers::ALT }], A::Back),
        (C::Places, &[k('L'), Key { code: K::Right, mods: KeyModifiers::ALT }, ctrl('i')], A::Forward),
        (C::Places, &[k('m')], A::SetMark),
        (C::Places, &[k('\''), k('`')], A::GoToMark),
        (C::Marks, &[k('j'), code(K::Down), ctrl('n')], A::Down),
        (C::Marks, &[k('k'), code(K::Up), ctrl('p')], A::Up),
        (C::Marks, &[code(K::Enter)], A::Open),
        (C::Marks, &[code(K::Esc), k('q')], A::Cancel),
        (C::Participants, &[k('j'), code(K::Down), k('e'), ctrl('e'), ctrl('n'), ctrl('j')], A::Down),
        (C::Participants, &[k('k'), code(K::Up), ctrl('y'), ctrl('p')], A::Up),
        (C::Participants, &[k('d'), ctrl('d')], A::HalfPageDown),
        (C::Participants, &[k('u'), ctrl('u')], A::HalfPageUp),
        (C::Participants, &[k(' '), code(K::PageDown), ctrl('f')], A::PageDown),
        (C::Participants, &[k('b'), code(K::PageUp), ctrl('b')], A::PageUp),
        (C::Participants, &[k('g'), code(K::Home)], A::Top),
        (C::Participants, &[k('G'), code(K::End)], A::Bottom),
        (C::Participants, &[code(K::Enter)], A::Open),
        (C::Participants, &[k('f')], A::CycleFilter),
        (C::Participants, &[k('s')], A::CycleSort),
        (C::Participants, &[k('y')], A::Copy),
        (C::Participants, &[code(K::Esc)], A::Cancel),
        (C::Index, &[k('j'), code(K::Down), ctrl('n')], A::Down),
        (C::Index, &[k('k'), code(K::Up), ctrl('p')], A::Up),
        (C::Index, &[k(' '), code(K::PageDown), ctrl('f')], A::PageDown),
        (C::Index, &[k('b'), code(K::PageUp), ctrl('b')], A::PageUp),
        (C::Index, &[k('g'), code(K::Home)], A::Top),
        (C::Index, &[k('G'), code(K::End)], A::Bottom),
        (C::Index, &[code(K::Enter)], A::Open),
        (C::Index, &[k('/')], A::Search),
        (C::Index, &[code(K::Esc)], A::Cancel),
        (C::Cited, &[k('j'), code(K::Down), ctrl('n')], A::Down),
        (C::Cited, &[k('k'), code(K::Up), ctrl('p')], A::Up),
        (C::Cited, &[k(' '), code(K::PageDown), ctrl('f')], A::PageDown),
        (C::Cited, &[k('b'), code(K::PageUp), ctrl('b')], A::PageUp),
        (C::Cited, &[k('g'), code(K::Home)], A::Top),
        (C::Cited, &[k('G'), code(K::End)], A::Bottom),
        (C::Cited, &[k('}'), k(']')], A::NextNode),
        (C::Cited, &[k('{'), k('[')], A::PrevNode),
        (C::Cited, &[code(K::Enter)], A::Open),
        (C::Cited, &[code(K::Esc)], A::Cancel),
        // Ctrl-j is a newline: what Enter becomes when typed before kaigi took the terminal out of
        // cooked mode (ICRNL), and readline's accept-line.
        (C::Line, &[code(K::Enter), ctrl('j')], A::Submit),
        (C::Line, &[code(K::Esc), ctrl('c'), ctrl('g')], A::Cancel),
        (C::Line, &[code(K::Left), ctrl('b')], A::CharLeft),
        (C::Line, &[code(K::Right), ctrl('f')], A::CharRight),
        (C::Line, &[alt('b')], A::WordLeft),
        (C::Line, &[alt('f')], A::WordRight),
        (C::Line, &[code(K::Home), ctrl('a')], A::LineStart),
        (C::Line, &[code(K::End), ctrl('e')], A::LineEnd),
        (C::Line, &[code(K::Backspace), ctrl('h')], A::DeleteBack),
        (C::Line, &[code(K::Delete), ctrl('d')], A::DeleteForward),
        (C::Line, &[ctrl('w'), Key { code: K::Backspace, mods: KeyModifiers::ALT }], A::DeleteWordBack),
        (C::Line, &[alt('d')], A::DeleteWordForward),
        (C::Line, &[ctrl('k')], A::KillToEnd),
        (C::Line, &[ctrl('u')], A::KillToStart),
        (C::SearchLine, &[code(K::Down)], A::SelectNext),
        (C::SearchLine, &[code(K::Up)], A::SelectPrev),
        (C::SearchLine, &[ctrl('p')], A::HistoryPrev),
        (C::SearchLine, &[ctrl('n')], A::HistoryNext),
        (C::GotoLine, &[code(K::Up), ctrl('p')], A::HistoryPrev),
        (C::GotoLine, &[code(K::Down), ctrl('n')], A::HistoryNext),
        (C::Help, &[k('j'), code(K::Down)], A::Down),
        (C::Help, &[k('k'), code(K::Up)], A::Up),
        (C::Help, &[k(' '), code(K::PageDown)], A::PageDown),
        (C::Help, &[k('b'), code(K::PageUp)], A::PageUp),
        (C::Help, &[ctrl('c')], A::Quit),
        (C::Help, &[code(K::Esc), k('?'), k('q')], A::Cancel),
    ]
};

/// A row of the help: the keys, the description, the action's name.
pub type HelpRow = (String, &'static str, &'static str);

/// The key table in use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keymap {
    rows: Vec<Binding>,
}

impl Default for Keymap {
    fn default() -> Self {
        Keymap {
            rows: DEFAULT_ROWS
                .iter()
                .map(|&(context, keys, action)| Binding {
                    context,
                    keys: keys.to_vec(),
                    action,
                })
                .collect(),
        }
    }
}

impl Keymap {
    /// Every row, in table order.
    #[must_use]
    pub fn rows(&self) -> &[Binding] {
        &self.rows
    }

    /// Binds `key` to `action` in `context`, taking it from whatever it did there before.
    pub fn bind(&mut self, context: Context, key: Key, action: Action) {
        self.unbind(context, key);
        if let Some(row) = self
            .rows
            .iter_mut()
            .find(|b| b.context == context && b.action == action)
        {
            row.keys.push(key);
        } else {
            self.rows.push(Binding {
                context,
                keys: vec![key],
                action,
            });
        }
    }

    /// Makes `key` do nothing in `context`.
    pub fn unbind(&mut self, context: Context, key: Key) {
        for row in self.rows.iter_mut().filter(|b| b.context == context) {
            row.keys.retain(|&k| k != key);
        }
    }

    /// The action a key asks for, looking in `contexts` in order, with the context that had
    /// it. Key releases are ignored (presses and repeats count).
    #[must_use]
    pub fn lookup(&self, contexts: &[Context], event: &KeyEvent) -> Option<(Context, Action)> {
        if event.kind == KeyEventKind::Release {
            return None;
        }
        contexts.iter().find_map(|&ctx| {
            self.rows
                .iter()
                .filter(|b| b.context == ctx)
                .find(|b| b.keys.iter().any(|key| key.matches(event)))
                .map(|b| (ctx, b.action))
        })
    }

    /// The first key bound to an action in any of `contexts`.
    #[must_use]
    pub fn key_for(&self, contexts: &[Context], action: Action) -> Option<Key> {
        contexts.iter().find_map(|&ctx| {
            self.rows
                .iter()
                .find(|b| b.context == ctx && b.action == action)
                .and_then(|b| b.keys.first().copied())
        })
    }

    /// The hints for `contexts`: the first key of each action that has a hint, its label and
    /// rank, each action once.
    #[must_use]
    pub fn hints(&self, contexts: &[Context]) -> Vec<(String, &'static str, HintRank, Action)> {
        let mut out: Vec<(String, &'static str, HintRank, Action)> = Vec::new();
        for &ctx in contexts {
            for b in self.rows.iter().filter(|b| b.context == ctx) {
                if let (Some((label, rank)), Some(key)) = (b.action.hint(), b.keys.first())
                    && !out.iter().any(|h| h.3 == b.action)
                {
                    out.push((key.label(), label, rank, b.action));
                }
            }
        }
        out
    }

    /// The help: for each context, its title and one row a binding (keys, description,
    /// action name). Rows with no key left are not shown.
    #[must_use]
    pub fn help_sections(&self) -> Vec<(&'static str, Vec<HelpRow>)> {
        let order = [
            Context::Global,
            Context::Always,
            Context::Text,
            Context::Reader,
            Context::Tree,
            Context::Places,
            Context::Marks,
            Context::Participants,
            Context::Index,
            Context::Cited,
            Context::Line,
            Context::SearchLine,
            Context::GotoLine,
            Context::Help,
        ];
        order
            .iter()
            .map(|&ctx| {
                let rows = self
                    .rows
                    .iter()
                    .filter(|b| b.context == ctx && !b.keys.is_empty())
                    .map(|b| {
                        let keys: Vec<String> = b.keys.iter().map(|k| k.label()).collect();
                        (
                            keys.join(" "),
                            b.action.description_in(ctx),
                            b.action.name(),
                        )
                    })
                    .collect();
                (ctx.title(), rows)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    fn act(ctx: &[Context], code: KeyCode, mods: KeyModifiers) -> Option<Action> {
        Keymap::default()
            .lookup(ctx, &press(code, mods))
            .map(|(_, a)| a)
    }

    const READER: &[Context] = &[
        Context::Reader,
        Context::Text,
        Context::Global,
        Context::Always,
    ];

    #[test]
    fn keys_resolve() {
        let none = KeyModifiers::NONE;
        let c = KeyModifiers::CONTROL;
        assert_eq!(act(READER, KeyCode::Char('j'), none), Some(Action::Down));
        assert_eq!(act(READER, KeyCode::Down, none), Some(Action::Down));
        assert_eq!(
            act(READER, KeyCode::Char('G'), KeyModifiers::SHIFT),
            Some(Action::Bottom)
        );
        assert_eq!(
            act(READER, KeyCode::Char('d'), c),
            Some(Action::HalfPageDown)
        );
        assert_eq!(act(READER, KeyCode::Char('c'), c), Some(Action::Quit));
        assert_eq!(act(READER, KeyCode::Char('m'), none), None);
        assert_eq!(
            act(READER, KeyCode::BackTab, KeyModifiers::SHIFT),
            Some(Action::FocusPrev)
        );
    }

    #[test]
    fn the_keys_less_and_vim_hands_know() {
        let none = KeyModifiers::NONE;
        let c = KeyModifiers::CONTROL;
        for (code, mods, want) in [
            (KeyCode::Char('e'), none, Action::Down),
            (KeyCode::Char('e'), c, Action::Down),
            (KeyCode::Char('n'), c, Action::Down),
            (KeyCode::Char('y'), c, Action::Up),
            (KeyCode::Char('p'), c, Action::Up),
            (KeyCode::Char('y'), none, Action::Copy),
            (KeyCode::Char('Y'), KeyModifiers::SHIFT, Action::CopyCited),
            (KeyCode::Char('d'), none, Action::HalfPageDown),
            (KeyCode::Char('u'), none, Action::HalfPageUp),
            (KeyCode::Char('l'), c, Action::Repaint),
            (KeyCode::Char('r'), none, Action::Repaint),
            (KeyCode::Char('z'), c, Action::Suspend),
        ] {
            assert_eq!(act(READER, code, mods), Some(want), "{code:?} {mods:?}");
        }
    }

    #[test]
    fn typing_reaches_the_line_first() {
        // In a line, letters are not bound: they are typed.
        let line = &[Context::SearchLine, Context::Line, Context::Always];
        for c in ['j', 'q', 'G', '/', ':', '?', ' ', 'y', 'e', 'n'] {
            assert_eq!(act(line, KeyCode::Char(c), KeyModifiers::NONE), None, "{c}");
        }
        assert_eq!(
            act(line, KeyCode::Esc, KeyModifiers::NONE),
            Some(Action::Cancel)
        );
        assert_eq!(
            act(line, KeyCode::Char('b'), KeyModifiers::ALT),
            Some(Action::WordLeft)
        );
        assert_eq!(
            act(line, KeyCode::Backspace, KeyModifiers::ALT),
            Some(Action::DeleteWordBack)
        );
        // Search: Up/Down move the results, Ctrl-p/Ctrl-n the history; goto: both history.
        assert_eq!(
            act(line, KeyCode::Down, KeyModifiers::NONE),
            Some(Action::SelectNext)
        );
        assert_eq!(
            act(line, KeyCode::Char('p'), KeyModifiers::CONTROL),
            Some(Action::HistoryPrev)
        );
        let goto = &[Context::GotoLine, Context::Line, Context::Always];
        assert_eq!(
            act(goto, KeyCode::Up, KeyModifiers::NONE),
            Some(Action::HistoryPrev)
        );
    }

    #[test]
    fn no_key_bound_twice_in_a_context() {
        let map = Keymap::default();
        for &ctx in Context::ALL {
            let keys: Vec<Key> = map
                .rows()
                .iter()
                .filter(|b| b.context == ctx)
                .flat_map(|b| b.keys.iter().copied())
                .collect();
            for (i, a) in keys.iter().enumerate() {
                assert!(
                    !keys[i + 1..].contains(a),
                    "{} bound twice in {ctx:?}",
                    a.label()
                );
            }
        }
    }

    #[test]
    fn action_and_context_names_round_trip() {
        for &a in Action::ALL {
            assert_eq!(Action::from_name(a.name()), Some(a));
            assert!(
                a.name().chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{}",
                a.name()
            );
        }
        for &c in Context::ALL {
            assert_eq!(Context::from_name(c.name()), Some(c));
        }
        assert_eq!(
            Action::from_name("half-page-down"),
            Some(Action::HalfPageDown)
        );
        assert_eq!(Action::from_name("nope"), None);
    }

    #[test]
    fn key_labels_round_trip() {
        for b in Keymap::default().rows() {
            for &key in &b.keys {
                assert_eq!(Key::parse(&key.label()), Ok(key), "{}", key.label());
            }
        }
        for n in 1..=12 {
            let key = code(KeyCode::F(n));
            assert_eq!(Key::parse(&key.label()), Ok(key));
        }
    }

    #[test]
    fn keys_parse_as_a_config_writes_them() {
        for (text, want) in [
            ("ctrl-j", ctrl('j')),
            ("Ctrl-J", ctrl('J')),
            ("x", k('x')),
            ("G", k('G')),
            ("-", k('-')),
            ("space", k(' ')),
            ("enter", code(KeyCode::Enter)),
            ("alt-b", alt('b')),
            ("M-b", alt('b')),
            ("pagedown", code(KeyCode::PageDown)),
            ("PgDn", code(KeyCode::PageDown)),
            ("f1", code(KeyCode::F(1))),
            ("shift-tab", code(KeyCode::BackTab)),
            (
                "ctrl-alt-x",
                Key {
                    code: KeyCode::Char('x'),
                    mods: KeyModifiers::CONTROL | KeyModifiers::ALT,
                },
            ),
            ("あ", k('あ')),
        ] {
            assert_eq!(Key::parse(text), Ok(want), "{text}");
        }
        for bad in ["", "ctrl-", "f0", "f99", "nokey", "\u{1b}", "ctrl-nokey"] {
            assert!(Key::parse(bad).is_err(), "{bad:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn parse_never_panics_and_labels_read_back(s in "\\PC{0,12}") {
            if let Ok(key) = Key::parse(&s) {
                proptest::prop_assert_eq!(Key::parse(&key.label()), Ok(key));
            }
        }
    }

    #[test]
    fn a_rebound_key_moves() {
        let mut map = Keymap::default();
        map.bind(Context::Text, k('x'), Action::Down);
        map.bind(Context::Text, k('j'), Action::Quit);
        let j = press(KeyCode::Char('j'), KeyModifiers::NONE);
        assert_eq!(
            map.lookup(&[Context::Text], &j),
            Some((Context::Text, Action::Quit))
        );
        let x = press(KeyCode::Char('x'), KeyModifiers::NONE);
        assert_eq!(
            map.lookup(&[Context::Text], &x),
            Some((Context::Text, Action::Down))
        );
        map.unbind(Context::Text, k('x'));
        assert_eq!(map.lookup(&[Context::Text], &x), None);
    }

    #[test]
    fn help_lists_every_binding_and_the_line_keys() {
        let map = Keymap::default();
        let sections = map.help_sections();
        let rows: Vec<_> = sections.iter().flat_map(|(_, r)| r.iter()).collect();
        assert_eq!(rows.len(), map.rows().len());
        assert!(
            rows.iter()
                .any(|(k, d, n)| k == "q Ctrl-c" && *d == "quit" && *n == "quit")
        );
        assert!(
            rows.iter()
                .any(|(k, _, n)| k == "Alt-b" && *n == "word-left")
        );
        assert!(rows.iter().any(|(k, _, _)| k == "Ctrl-w Alt-Backspace"));
    }
}
