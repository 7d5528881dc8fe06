//! The line at the bottom where `:` and `/` are typed: which line is open, its editor, and the
//! history of each kind. Typing produces [`Effect`]s (the line changed, was accepted or
//! cancelled); what they mean is up to the pane the line is for.

use super::editor::{Edit, History, LineEditor};
use super::effect::{Effect, LineKind};
use super::keymap::{Action, Context};

/// An open line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub kind: LineKind,
    pub editor: LineEditor,
}

impl Line {
    /// What is shown before the text.
    #[must_use]
    pub fn prompt(&self) -> &'static str {
        match self.kind {
            LineKind::Goto => ":",
            LineKind::Search => "/",
            LineKind::Narrow => "narrow: ",
            LineKind::Index => "index: ",
        }
    }

    /// The key table's context for this line.
    #[must_use]
    pub fn context(&self) -> Context {
        match self.kind {
            LineKind::Goto => Context::GotoLine,
            LineKind::Search | LineKind::Narrow | LineKind::Index => Context::SearchLine,
        }
    }
}

/// The line pane: at most one line open, and a history for each kind.
#[derive(Debug, Clone, Default)]
pub struct Prompt {
    pub line: Option<Line>,
    goto: History,
    search: History,
    narrow: History,
    index: History,
}

impl Prompt {
    fn history(&mut self, kind: LineKind) -> &mut History {
        match kind {
            LineKind::Goto => &mut self.goto,
            LineKind::Search => &mut self.search,
            LineKind::Narrow => &mut self.narrow,
            LineKind::Index => &mut self.index,
        }
    }

    /// Opens a line with `text` typed (usually nothing: earlier entries are one key away).
    pub fn open(&mut self, kind: LineKind, text: &str) {
        let mut editor = LineEditor::new();
        editor.set_text(text);
        self.history(kind).reset();
        self.line = Some(Line { kind, editor });
    }

    #[must_use]
    pub fn is_open(&self) -> bool {
        self.line.is_some()
    }

    /// Replaces one history with entries read back (oldest first), as if typed again.
    pub fn restore_history(&mut self, kind: LineKind, entries: Vec<String>) {
        *self.history(kind) = History::from(entries);
    }

    /// The entries of one history, oldest first, for the state file.
    #[must_use]
    pub fn history_entries(&self, kind: LineKind) -> Vec<String> {
        let history = match kind {
            LineKind::Goto => &self.goto,
            LineKind::Search => &self.search,
            LineKind::Narrow => &self.narrow,
            LineKind::Index => &self.index,
        };
        history.entries().map(str::to_string).collect()
    }

    /// The entries of one history, oldest first.
    pub fn entries(&mut self, kind: LineKind) -> Vec<String> {
        self.history(kind).entries().map(str::to_string).collect()
    }

    /// A character typed into the line.
    pub fn type_char(&mut self, c: char) -> Vec<Effect> {
        self.edit(Edit::Insert(c))
    }

    /// A bracketed paste: newlines and tabs become spaces.
    pub fn paste(&mut self, text: &str) -> Vec<Effect> {
        self.edit(Edit::Paste(text.to_string()))
    }

    fn edit(&mut self, edit: Edit) -> Vec<Effect> {
        let Some(line) = &mut self.line else {
            return Vec::new();
        };
        if line.editor.apply(edit) {
            vec![Effect::LineChanged(
                line.kind,
                line.editor.text().to_string(),
            )]
        } else {
            Vec::new()
        }
    }

    /// Carries out an action of the `line`, `search-line` or `goto-line` rows.
    pub fn update(&mut self, action: Action) -> Vec<Effect> {
        let Some(line) = &mut self.line else {
            return Vec::new();
        };
        let kind = line.kind;
        let edit = match action {
            Action::Submit => {
                let text = line.editor.text().to_string();
                self.line = None;
                self.history(kind).push(&text);
                return vec![Effect::LineSubmitted(kind, text)];
            }
            Action::Cancel => {
                self.line = None;
                self.history(kind).reset();
                return vec![Effect::LineCancelled(kind)];
            }
            // Backspace on an empty line closes it, as in less and vim.
            Action::DeleteBack if line.editor.is_empty() => {
                self.line = None;
                self.history(kind).reset();
                return vec![Effect::LineCancelled(kind)];
            }
            Action::SelectNext => return vec![Effect::Select(kind, 1)],
            Action::SelectPrev => return vec![Effect::Select(kind, -1)],
            Action::HistoryPrev | Action::HistoryNext => {
                let current = line.editor.text().to_string();
                let history = self.history(kind);
                let entry = if action == Action::HistoryPrev {
                    history.older(&current)
                } else {
                    history.newer()
                };
                let Some(entry) = entry.map(str::to_string) else {
                    return Vec::new();
                };
                if let Some(line) = &mut self.line {
                    line.editor.set_text(&entry);
                }
                return if entry == current {
                    Vec::new()
                } else {
                    vec![Effect::LineChanged(kind, entry)]
                };
            }
            Action::CharLeft => Edit::CharLeft,
            Action::CharRight => Edit::CharRight,
            Action::WordLeft => Edit::WordLeft,
            Action::WordRight => Edit::WordRight,
            Action::LineStart => Edit::Start,
            Action::LineEnd => Edit::End,
            Action::DeleteBack => Edit::DeleteBack,
            Action::DeleteForward => Edit::DeleteForward,
            Action::DeleteWordBack => Edit::DeleteWordBack,
            Action::DeleteWordForward => Edit::DeleteWordForward,
            Action::KillToEnd => Edit::KillToEnd,
            Action::KillToStart => Edit::KillToStart,
            _ => return Vec::new(),
        };
        self.edit(edit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(p: &mut Prompt, s: &str) -> Vec<Effect> {
        s.chars().flat_map(|c| p.type_char(c)).collect()
    }

    #[test]
    fn each_line_opens_empty_and_keeps_its_history() {
        let mut p = Prompt::default();
        p.open(LineKind::Search, "");
        typed(&mut p, "GIFCT");
        assert_eq!(
            p.update(Action::Submit),
            vec![Effect::LineSubmitted(LineKind::Search, "GIFCT".into())]
        );
        p.open(LineKind::Search, "");
        assert_eq!(p.line.as_ref().map(|l| l.editor.text()), Some(""));
        assert_eq!(
            typed(&mut p, "I").last(),
            Some(&Effect::LineChanged(LineKind::Search, "I".into()))
        );
        p.update(Action::KillToStart);
        assert_eq!(
            p.update(Action::HistoryPrev),
            vec![Effect::LineChanged(LineKind::Search, "GIFCT".into())]
        );
        // Down past the newest brings back what was typed.
        assert_eq!(
            p.update(Action::HistoryNext),
            vec![Effect::LineChanged(LineKind::Search, String::new())]
        );
        // The goto line has its own.
        p.update(Action::Cancel);
        p.open(LineKind::Goto, "");
        assert!(p.update(Action::HistoryPrev).is_empty());
    }

    #[test]
    fn backspace_on_an_empty_line_closes_it() {
        let mut p = Prompt::default();
        p.open(LineKind::Goto, "");
        typed(&mut p, "2");
        assert_eq!(
            p.update(Action::DeleteBack),
            vec![Effect::LineChanged(LineKind::Goto, String::new())]
        );
        assert_eq!(
            p.update(Action::DeleteBack),
            vec![Effect::LineCancelled(LineKind::Goto)]
        );
        assert!(!p.is_open());
    }

    #[test]
    fn a_paste_is_typed_text() {
        let mut p = Prompt::default();
        p.open(LineKind::Search, "");
        assert_eq!(
            p.paste("ランサム\nウェア\t攻撃"),
            vec![Effect::LineChanged(
                LineKind::Search,
                "ランサム ウェア 攻撃".into()
            )]
        );
    }
}
