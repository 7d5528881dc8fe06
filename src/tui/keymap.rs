//! Every key binding, in one table. The help overlay and the hint bar are generated from it,
//! so they never disagree with what the keys do.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

/// Something the user can ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Quit,
    Down,
    Up,
    HalfPageDown,
    HalfPageUp,
    PageDown,
    PageUp,
    Top,
    Bottom,
    Collapse,
    Expand,
    Open,
    NextNode,
    PrevNode,
    FocusNext,
    FocusPrev,
    ToggleTree,
    Goto,
    Search,
    NextMatch,
    PrevMatch,
    Copy,
    ShowDocuments,
    ShowParticipants,
    CycleFilter,
    CycleSort,
    Help,
    // Line input (`:` and `/`).
    Submit,
    Cancel,
    DeleteChar,
    ClearInput,
    DeleteWord,
}

impl Action {
    /// What the action does, for the help overlay.
    #[must_use]
    pub fn description(self) -> &'static str {
        match self {
            Self::Quit => "quit",
            Self::Down => "scroll down / next row",
            Self::Up => "scroll up / previous row",
            Self::HalfPageDown => "half a page down",
            Self::HalfPageUp => "half a page up",
            Self::PageDown => "a page down",
            Self::PageUp => "a page up",
            Self::Top => "go to the top",
            Self::Bottom => "go to the end",
            Self::Collapse => "collapse (tree) / go to parent",
            Self::Expand => "expand (tree)",
            Self::Open => "open the selected node in the reader / a participant's mentions",
            Self::NextNode => "next paragraph",
            Self::PrevNode => "previous paragraph",
            Self::FocusNext => "focus the other pane",
            Self::FocusPrev => "focus the other pane",
            Self::ToggleTree => "show or hide the section tree",
            Self::Goto => "go to an id or number (:23, :cri:3, :VII)",
            Self::Search => "search both documents / narrow the participants",
            Self::NextMatch => "next search result",
            Self::PrevMatch => "previous search result",
            Self::Copy => "copy the current paragraph (OSC 52)",
            Self::ShowDocuments => "documents view",
            Self::ShowParticipants => "participants view",
            Self::CycleFilter => "participants: next filter",
            Self::CycleSort => "participants: next sort order",
            Self::Help => "show or close this help",
            Self::Submit => "accept",
            Self::Cancel => "close / cancel / clear highlights",
            Self::DeleteChar => "delete a character",
            Self::ClearInput => "clear the line",
            Self::DeleteWord => "delete a word",
        }
    }
}

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// Browsing (documents or participants view).
    Normal,
    /// Typing a line after `:` or `/`.
    Input,
}

/// One key: a code and the modifiers that must be held.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
const fn code(code: KeyCode) -> Key {
    Key {
        code,
        mods: KeyModifiers::NONE,
    }
}

impl Key {
    /// How the key is written in the help and hint bar (ASCII only, never ambiguous).
    #[must_use]
    pub fn label(self) -> String {
        let base = match self.code {
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Enter => "Enter".into(),
            KeyCode::Esc => "Esc".into(),
            KeyCode::Tab => "Tab".into(),
            KeyCode::BackTab => "Shift-Tab".into(),
            KeyCode::Backspace => "Backspace".into(),
            KeyCode::Up => "Up".into(),
            KeyCode::Down => "Down".into(),
            KeyCode::Left => "Left".into(),
            KeyCode::Right => "Right".into(),
            KeyCode::Home => "Home".into(),
            KeyCode::End => "End".into(),
            KeyCode::PageUp => "PageUp".into(),
            KeyCode::PageDown => "PageDown".into(),
            other => format!("{other:?}"),
        };
        if self.mods.contains(KeyModifiers::CONTROL) {
            format!("Ctrl-{base}")
        } else {
            base
        }
    }
}

/// A row of the key table.
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    pub context: Context,
    pub keys: &'static [Key],
    pub action: Action,
    /// Shown in the hint bar, with this short label.
    pub hint: Option<&'static str>,
}

/// The key table: one row a binding.
#[rustfmt::skip]
pub const BINDINGS: &[Binding] = &[
    Binding { context: Context::Normal, keys: &[k('j'), code(KeyCode::Down)], action: Action::Down, hint: None },
    Binding { context: Context::Normal, keys: &[k('k'), code(KeyCode::Up)], action: Action::Up, hint: None },
    Binding { context: Context::Normal, keys: &[ctrl('d')], action: Action::HalfPageDown, hint: None },
    Binding { context: Context::Normal, keys: &[ctrl('u')], action: Action::HalfPageUp, hint: None },
    Binding { context: Context::Normal, keys: &[k(' '), code(KeyCode::PageDown), ctrl('f')], action: Action::PageDown, hint: None },
    Binding { context: Context::Normal, keys: &[code(KeyCode::PageUp), k('b'), ctrl('b')], action: Action::PageUp, hint: None },
    Binding { context: Context::Normal, keys: &[k('g'), code(KeyCode::Home)], action: Action::Top, hint: None },
    Binding { context: Context::Normal, keys: &[k('G'), code(KeyCode::End)], action: Action::Bottom, hint: None },
    Binding { context: Context::Normal, keys: &[k('h'), code(KeyCode::Left)], action: Action::Collapse, hint: None },
    Binding { context: Context::Normal, keys: &[k('l'), code(KeyCode::Right)], action: Action::Expand, hint: None },
    Binding { context: Context::Normal, keys: &[code(KeyCode::Enter)], action: Action::Open, hint: Some("mentions") },
    Binding { context: Context::Normal, keys: &[k('}'), k(']')], action: Action::NextNode, hint: None },
    Binding { context: Context::Normal, keys: &[k('{'), k('[')], action: Action::PrevNode, hint: None },
    Binding { context: Context::Normal, keys: &[code(KeyCode::Tab)], action: Action::FocusNext, hint: Some("pane") },
    Binding { context: Context::Normal, keys: &[code(KeyCode::BackTab)], action: Action::FocusPrev, hint: None },
    Binding { context: Context::Normal, keys: &[k('t')], action: Action::ToggleTree, hint: Some("tree") },
    Binding { context: Context::Normal, keys: &[k(':')], action: Action::Goto, hint: Some("goto") },
    Binding { context: Context::Normal, keys: &[k('/')], action: Action::Search, hint: Some("search") },
    Binding { context: Context::Normal, keys: &[k('n')], action: Action::NextMatch, hint: None },
    Binding { context: Context::Normal, keys: &[k('N')], action: Action::PrevMatch, hint: None },
    Binding { context: Context::Normal, keys: &[k('y')], action: Action::Copy, hint: Some("copy") },
    Binding { context: Context::Normal, keys: &[k('1')], action: Action::ShowDocuments, hint: Some("documents") },
    Binding { context: Context::Normal, keys: &[k('2')], action: Action::ShowParticipants, hint: Some("countries") },
    Binding { context: Context::Normal, keys: &[k('f')], action: Action::CycleFilter, hint: Some("filter") },
    Binding { context: Context::Normal, keys: &[k('s')], action: Action::CycleSort, hint: Some("sort") },
    Binding { context: Context::Normal, keys: &[code(KeyCode::Esc)], action: Action::Cancel, hint: None },
    Binding { context: Context::Normal, keys: &[k('?')], action: Action::Help, hint: Some("help") },
    Binding { context: Context::Normal, keys: &[k('q'), ctrl('c')], action: Action::Quit, hint: Some("quit") },
    Binding { context: Context::Input, keys: &[code(KeyCode::Enter)], action: Action::Submit, hint: Some("accept") },
    Binding { context: Context::Input, keys: &[code(KeyCode::Esc), ctrl('c')], action: Action::Cancel, hint: Some("cancel") },
    Binding { context: Context::Input, keys: &[code(KeyCode::Backspace), ctrl('h')], action: Action::DeleteChar, hint: None },
    Binding { context: Context::Input, keys: &[ctrl('u')], action: Action::ClearInput, hint: None },
    Binding { context: Context::Input, keys: &[ctrl('w')], action: Action::DeleteWord, hint: None },
    Binding { context: Context::Input, keys: &[code(KeyCode::Down), ctrl('n')], action: Action::Down, hint: None },
    Binding { context: Context::Input, keys: &[code(KeyCode::Up), ctrl('p')], action: Action::Up, hint: None },
];

/// Whether a key event matches a key of the table. Shift is ignored: terminals report `G`,
/// `?` and Shift-Tab with or without it.
fn matches(key: Key, event: &KeyEvent) -> bool {
    key.code == event.code
        && key.mods == event.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT)
}

/// The action a key asks for in a context, if any. Key releases and repeats of a release are
/// ignored (only presses and repeats count).
#[must_use]
pub fn action_for(context: Context, event: &KeyEvent) -> Option<Action> {
    if event.kind == KeyEventKind::Release {
        return None;
    }
    BINDINGS
        .iter()
        .filter(|b| b.context == context)
        .find(|b| b.keys.iter().any(|&key| matches(key, event)))
        .map(|b| b.action)
}

/// The hint bar for a context: `Tab pane  : goto  / search  ? help  q quit`, with the action
/// each hint is for (so the caller can leave out what is not available now).
#[must_use]
pub fn hints(context: Context) -> Vec<(String, &'static str, Action)> {
    BINDINGS
        .iter()
        .filter(|b| b.context == context)
        .filter_map(|b| b.hint.map(|h| (b.keys[0].label(), h, b.action)))
        .collect()
}

/// The help text: one row a binding, `keys` and description.
#[must_use]
pub fn help_rows(context: Context) -> Vec<(String, &'static str)> {
    BINDINGS
        .iter()
        .filter(|b| b.context == context)
        .map(|b| {
            let keys: Vec<String> = b.keys.iter().map(|k| k.label()).collect();
            (keys.join(" "), b.action.description())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    #[test]
    fn keys_resolve() {
        let n = Context::Normal;
        assert_eq!(
            action_for(n, &press(KeyCode::Char('j'), KeyModifiers::NONE)),
            Some(Action::Down)
        );
        assert_eq!(
            action_for(n, &press(KeyCode::Down, KeyModifiers::NONE)),
            Some(Action::Down)
        );
        assert_eq!(
            action_for(n, &press(KeyCode::Char('G'), KeyModifiers::SHIFT)),
            Some(Action::Bottom)
        );
        assert_eq!(
            action_for(n, &press(KeyCode::Char('d'), KeyModifiers::CONTROL)),
            Some(Action::HalfPageDown)
        );
        assert_eq!(
            action_for(n, &press(KeyCode::Char('c'), KeyModifiers::CONTROL)),
            Some(Action::Quit)
        );
        assert_eq!(
            action_for(n, &press(KeyCode::Char('d'), KeyModifiers::NONE)),
            None
        );
        assert_eq!(
            action_for(n, &press(KeyCode::BackTab, KeyModifiers::SHIFT)),
            Some(Action::FocusPrev)
        );
    }

    #[test]
    fn typing_reaches_input_first() {
        // In a line input, letters are not bound: they are typed.
        let i = Context::Input;
        for c in ['j', 'q', 'G', '/', ':', '?', ' '] {
            assert_eq!(
                action_for(i, &press(KeyCode::Char(c), KeyModifiers::NONE)),
                None,
                "{c}"
            );
        }
        assert_eq!(
            action_for(i, &press(KeyCode::Esc, KeyModifiers::NONE)),
            Some(Action::Cancel)
        );
    }

    #[test]
    fn no_key_bound_twice_in_a_context() {
        for ctx in [Context::Normal, Context::Input] {
            let keys: Vec<Key> = BINDINGS
                .iter()
                .filter(|b| b.context == ctx)
                .flat_map(|b| b.keys.iter().copied())
                .collect();
            for (i, a) in keys.iter().enumerate() {
                assert!(!keys[i + 1..].contains(a), "{:?} bound twice", a.label());
            }
        }
    }

    #[test]
    fn help_lists_every_binding() {
        let rows = help_rows(Context::Normal);
        assert!(rows.iter().any(|(k, d)| k == "q Ctrl-c" && *d == "quit"));
        assert_eq!(
            rows.len(),
            BINDINGS
                .iter()
                .filter(|b| b.context == Context::Normal)
                .count()
        );
    }
}
