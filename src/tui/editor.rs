//! The line editor behind `/` and `:`: readline's motions and deletions on one line of text,
//! with no terminal in sight. The key table maps keys to [`Edit`]s; the view draws
//! [`LineEditor::visible`] and puts the terminal's cursor at its column, so an input method
//! composes in place.
//!
//! - Everything moves and deletes by grapheme cluster: a wide character, or a letter and its
//!   combining marks, is one step.
//! - A word, for Alt-b, Alt-f, Alt-d and Ctrl-w, is a run of letters and digits of one script:
//!   kanji, hiragana, katakana, or anything else alphanumeric (Latin, digits, full-width forms).
//!   So Alt-f goes over `ランサムウェア`, then over `攻撃`. Punctuation and spaces separate words.
//! - No control character ever enters the text: typed ones are ignored, pasted newlines and tabs
//!   become spaces, the rest are dropped (with bidirectional and invisible format characters).
//!
//! [`History`] keeps what was entered, as readline and fzf do.

use std::collections::VecDeque;

use serde::{Deserialize, Serialize};
use unicode_segmentation::UnicodeSegmentation;

use crate::text::display::{
    DisplayOptions, char_width, is_bidi_control, is_invisible_format, push_shown, str_width,
};

/// One editing command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Edit {
    /// `Left`, `Ctrl-b`.
    CharLeft,
    /// `Right`, `Ctrl-f`.
    CharRight,
    /// `Alt-b`: to the start of this or the previous word.
    WordLeft,
    /// `Alt-f`: to the end of this or the next word.
    WordRight,
    /// `Home`, `Ctrl-a`.
    Start,
    /// `End`, `Ctrl-e`.
    End,
    /// `Backspace`, `Ctrl-h`.
    DeleteBack,
    /// `Delete`, `Ctrl-d`.
    DeleteForward,
    /// `Ctrl-w`, `Alt-Backspace`: back to the start of the word (as Alt-b moves).
    DeleteWordBack,
    /// `Alt-d`: on to the end of the word (as Alt-f moves).
    DeleteWordForward,
    /// `Ctrl-k`.
    KillToEnd,
    /// `Ctrl-u`.
    KillToStart,
    /// A typed character (a control character is ignored).
    Insert(char),
    /// A bracketed paste.
    Paste(String),
}

/// One line of text and a cursor in it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineEditor {
    text: String,
    /// A byte offset in `text`, always on a character boundary.
    cursor: usize,
}

/// What a character is, for word motions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    /// Spaces, punctuation, symbols: between words.
    Gap,
    Kanji,
    Hiragana,
    Katakana,
    /// Latin letters, digits, and any other letter.
    Other,
}

fn class(c: char) -> Class {
    match c {
        '\u{3005}'..='\u{3007}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{3FFFF}' => Class::Kanji,
        '\u{3041}'..='\u{309F}' => Class::Hiragana,
        '\u{30A1}'..='\u{30FA}'
        | '\u{30FC}'..='\u{30FF}'
        | '\u{31F0}'..='\u{31FF}'
        | '\u{FF66}'..='\u{FF9F}' => Class::Katakana,
        c if c.is_alphanumeric() || c == '_' => Class::Other,
        _ => Class::Gap,
    }
}

/// What of `text` may enter the line: newlines and tabs become spaces (a `\r\n` one space),
/// other control characters and bidirectional or invisible format characters are dropped.
#[must_use]
pub fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push(' ');
            }
            '\n' | '\t' | '\u{2028}' | '\u{2029}' => out.push(' '),
            c if c.is_control() || is_bidi_control(c) || is_invisible_format(c) => {}
            c => out.push(c),
        }
    }
    out
}

impl LineEditor {
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    #[must_use]
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Replaces the text (cleaned as a paste is) and puts the cursor at its end.
    pub fn set_text(&mut self, text: &str) {
        self.text = clean(text);
        self.cursor = self.text.len();
    }

    pub fn clear(&mut self) {
        self.text.clear();
        self.cursor = 0;
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// The cursor, in characters from the start.
    #[must_use]
    pub fn cursor(&self) -> usize {
        self.text[..self.cursor].chars().count()
    }

    /// The display columns before the cursor (wide characters count two).
    #[must_use]
    pub fn cursor_col(&self) -> usize {
        str_width(&self.text[..self.cursor])
    }

    /// Applies one edit; true when the text changed (a motion alone returns false).
    pub fn apply(&mut self, edit: Edit) -> bool {
        let before = self.text.len();
        match edit {
            Edit::CharLeft => self.cursor = self.prev_boundary(),
            Edit::CharRight => self.cursor = self.next_boundary(),
            Edit::WordLeft => self.cursor = self.word_start(),
            Edit::WordRight => self.cursor = self.word_end(),
            Edit::Start => self.cursor = 0,
            Edit::End => self.cursor = self.text.len(),
            Edit::DeleteBack => return self.delete_to(self.prev_boundary()),
            Edit::DeleteForward => return self.delete_to(self.next_boundary()),
            Edit::DeleteWordBack => return self.delete_to(self.word_start()),
            Edit::DeleteWordForward => return self.delete_to(self.word_end()),
            Edit::KillToEnd => return self.delete_to(self.text.len()),
            Edit::KillToStart => return self.delete_to(0),
            Edit::Insert(c) => {
                let mut buf = [0u8; 4];
                self.insert(&clean(c.encode_utf8(&mut buf)));
            }
            Edit::Paste(text) => self.insert(&clean(&text)),
        }
        self.text.len() != before
    }

    fn insert(&mut self, s: &str) {
        self.text.insert_str(self.cursor, s);
        self.cursor += s.len();
    }

    /// Deletes between the cursor and `to`, leaving the cursor at the start of what went.
    fn delete_to(&mut self, to: usize) -> bool {
        let (a, b) = if to < self.cursor {
            (to, self.cursor)
        } else {
            (self.cursor, to)
        };
        self.text.replace_range(a..b, "");
        self.cursor = a;
        a != b
    }

    /// The grapheme clusters with their byte offsets.
    fn graphemes(&self) -> impl DoubleEndedIterator<Item = (usize, &str)> {
        self.text.grapheme_indices(true)
    }

    fn prev_boundary(&self) -> usize {
        self.graphemes()
            .rev()
            .map(|(i, _)| i)
            .find(|&i| i < self.cursor)
            .unwrap_or(0)
    }

    fn next_boundary(&self) -> usize {
        self.graphemes()
            .map(|(i, g)| i + g.len())
            .find(|&end| end > self.cursor)
            .unwrap_or(self.text.len())
    }

    fn grapheme_class(g: &str) -> Class {
        g.chars().next().map_or(Class::Gap, class)
    }

    /// Back over any gap, then over one run of one class.
    fn word_start(&self) -> usize {
        let mut at = self.cursor;
        let mut run = None;
        for (i, g) in self.graphemes().rev().filter(|&(i, _)| i < self.cursor) {
            let c = Self::grapheme_class(g);
            match run {
                None if c == Class::Gap => {}
                None => run = Some(c),
                Some(r) if r != c => break,
                Some(_) => {}
            }
            at = i;
        }
        if run.is_none() { 0 } else { at }
    }

    /// On over any gap, then over one run of one class.
    fn word_end(&self) -> usize {
        let mut at = self.cursor;
        let mut run = None;
        for (i, g) in self.graphemes().filter(|&(i, _)| i >= self.cursor) {
            let c = Self::grapheme_class(g);
            match run {
                None if c == Class::Gap => {}
                None => run = Some(c),
                Some(r) if r != c => break,
                Some(_) => {}
            }
            at = i + g.len();
        }
        if run.is_none() { self.text.len() } else { at }
    }

    /// The part of the line to draw in `width` cells, as shown on the terminal (with `opts`),
    /// and the cursor's column within it. A line too long for the space scrolls so that the
    /// cursor stays in view, with up to a quarter of the space of text after it; the cursor's
    /// column is always less than `width` (when `width` is not 0).
    #[must_use]
    pub fn visible(&self, width: usize, opts: DisplayOptions) -> (String, usize) {
        if width == 0 {
            return (String::new(), 0);
        }
        // Each grapheme as drawn, with its width and whether it lies before the cursor.
        let cells: Vec<(String, usize, bool)> = self
            .graphemes()
            .map(|(i, g)| {
                let mut shown = String::new();
                for c in g.chars() {
                    push_shown(c, opts, &mut |s| shown.push(s));
                }
                let w = shown.chars().map(char_width).sum();
                (shown, w, i < self.cursor)
            })
            .collect();
        let before: usize = cells.iter().filter(|c| c.2).map(|c| c.1).sum();
        let after: usize = cells.iter().filter(|c| !c.2).map(|c| c.1).sum();
        // Room for the text before the cursor, the cursor's own cell, and some after it.
        let context = after.min(width / 4);
        let room = width - 1 - context.min(width - 1);
        let mut skip = 0;
        let mut skipped = 0;
        while before - skipped > room {
            skipped += cells[skip].1;
            skip += 1;
        }
        let mut out = String::new();
        let mut used = 0;
        for (shown, w, _) in &cells[skip..] {
            if used + w > width {
                break;
            }
            out.push_str(shown);
            used += w;
        }
        (out, before - skipped)
    }
}

/// What was entered on a line, newest last: at most [`History::LIMIT`] entries, no empty
/// one, no entry twice in a row. `older` and `newer` walk it as Up and Down do in readline,
/// and coming back down past the newest restores what was being typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "Vec<String>", into = "Vec<String>")]
pub struct History {
    entries: VecDeque<String>,
    /// The entry shown, while walking.
    pos: Option<usize>,
    /// What was being typed when the walk began.
    draft: String,
}

impl History {
    pub const LIMIT: usize = crate::places::MAX_RECENT;

    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Records an entry (cleaned; ignored when blank or equal to the newest) and ends any walk.
    pub fn push(&mut self, entry: &str) {
        self.pos = None;
        self.draft.clear();
        let entry = clean(entry);
        if entry.trim().is_empty() || self.entries.back() == Some(&entry) {
            return;
        }
        if self.entries.len() == Self::LIMIT {
            self.entries.pop_front();
        }
        self.entries.push_back(entry);
    }

    /// The entry before the one shown (the newest, at first), remembering `current` as what
    /// was being typed. `None` when there is nothing older.
    pub fn older(&mut self, current: &str) -> Option<&str> {
        let pos = match self.pos {
            None => {
                let last = self.entries.len().checked_sub(1)?;
                self.draft = current.to_string();
                last
            }
            Some(0) => return None,
            Some(p) => p - 1,
        };
        self.pos = Some(pos);
        self.entries.get(pos).map(String::as_str)
    }

    /// The entry after the one shown, or, past the newest, what was being typed. `None` when
    /// not walking.
    pub fn newer(&mut self) -> Option<&str> {
        let pos = self.pos?;
        if pos + 1 < self.entries.len() {
            self.pos = Some(pos + 1);
            self.entries.get(pos + 1).map(String::as_str)
        } else {
            self.pos = None;
            Some(&self.draft)
        }
    }

    /// Ends a walk without entering anything.
    pub fn reset(&mut self) {
        self.pos = None;
        self.draft.clear();
    }

    #[must_use]
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entries, oldest first.
    pub fn entries(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(String::as_str)
    }
}

/// A history read from disk keeps the same rules as one built by `push`.
impl From<Vec<String>> for History {
    fn from(entries: Vec<String>) -> Self {
        let mut h = History::new();
        for e in &entries {
            h.push(e);
        }
        h
    }
}

impl From<History> for Vec<String> {
    fn from(h: History) -> Self {
        h.entries.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const PLAIN: DisplayOptions = DisplayOptions { ascii: false };

    /// An editor with `text`, the cursor where `|` is.
    fn ed(marked: &str) -> LineEditor {
        let at = marked.find('|').expect("a | marks the cursor");
        let mut e = LineEditor::new();
        e.set_text(&marked.replace('|', ""));
        e.cursor = at;
        e
    }

    /// The editor's text with `|` at the cursor.
    fn shown(e: &LineEditor) -> String {
        format!("{}|{}", &e.text[..e.cursor], &e.text[e.cursor..])
    }

    fn after(marked: &str, edits: &[Edit]) -> String {
        let mut e = ed(marked);
        for edit in edits {
            e.apply(edit.clone());
        }
        shown(&e)
    }

    #[test]
    fn char_motions() {
        assert_eq!(after("ab|c", &[Edit::CharLeft]), "a|bc");
        assert_eq!(after("|abc", &[Edit::CharLeft]), "|abc");
        assert_eq!(after("ab|c", &[Edit::CharRight]), "abc|");
        assert_eq!(after("abc|", &[Edit::CharRight]), "abc|");
        assert_eq!(after("ラン|サム", &[Edit::CharLeft]), "ラ|ンサム");
        assert_eq!(after("ab|c", &[Edit::Start]), "|abc");
        assert_eq!(after("a|bc", &[Edit::End]), "abc|");
    }

    #[test]
    fn a_letter_and_its_marks_are_one_step() {
        // e + combining acute; か + combining dakuten.
        assert_eq!(after("e\u{301}|x", &[Edit::CharLeft]), "|e\u{301}x");
        assert_eq!(after("|e\u{301}x", &[Edit::CharRight]), "e\u{301}|x");
        assert_eq!(after("か\u{3099}|", &[Edit::DeleteBack]), "|");
        assert_eq!(after("|か\u{3099}あ", &[Edit::DeleteForward]), "|あ");
        // A flag is two code points, one cluster.
        assert_eq!(after("🇯🇵|", &[Edit::DeleteBack]), "|");
    }

    #[test]
    fn deletions() {
        let mut e = ed("ab|c");
        assert!(e.apply(Edit::DeleteBack));
        assert_eq!(shown(&e), "a|c");
        assert!(e.apply(Edit::DeleteForward));
        assert_eq!(shown(&e), "a|");
        assert!(!e.apply(Edit::DeleteForward));
        assert!(e.apply(Edit::DeleteBack));
        assert!(!e.apply(Edit::DeleteBack));
        assert_eq!(shown(&e), "|");
        assert_eq!(after("ab|cd", &[Edit::KillToEnd]), "ab|");
        assert_eq!(after("ab|cd", &[Edit::KillToStart]), "|cd");
        assert!(!ed("ab|").apply(Edit::KillToEnd));
    }

    #[test]
    fn motions_do_not_change_the_text() {
        let mut e = ed("ab|c");
        for m in [
            Edit::CharLeft,
            Edit::CharRight,
            Edit::WordLeft,
            Edit::WordRight,
            Edit::Start,
            Edit::End,
        ] {
            assert!(!e.apply(m));
        }
    }

    #[test]
    fn words_as_readline() {
        assert_eq!(after("|foo bar", &[Edit::WordRight]), "foo| bar");
        assert_eq!(after("foo| bar", &[Edit::WordRight]), "foo bar|");
        assert_eq!(after("foo bar|", &[Edit::WordLeft]), "foo |bar");
        assert_eq!(after("foo |bar", &[Edit::WordLeft]), "|foo bar");
        assert_eq!(after("fo|o  bar", &[Edit::WordLeft]), "|foo  bar");
        assert_eq!(after("  |  ", &[Edit::WordRight]), "    |");
        assert_eq!(after("  |  ", &[Edit::WordLeft]), "|    ");
        assert_eq!(after("G7 2023-11|", &[Edit::WordLeft]), "G7 2023-|11");
        assert_eq!(after("foo bar|", &[Edit::DeleteWordBack]), "foo |");
        assert_eq!(after("foo bar  |", &[Edit::DeleteWordBack]), "foo |");
        assert_eq!(after("|foo bar", &[Edit::DeleteWordForward]), "| bar");
        assert_eq!(after("foo| bar", &[Edit::DeleteWordForward]), "foo|");
    }

    #[test]
    fn japanese_words_are_runs_of_one_script() {
        let s = "|ランサムウェア攻撃への対処";
        assert_eq!(after(s, &[Edit::WordRight]), "ランサムウェア|攻撃への対処");
        assert_eq!(
            after(s, &[Edit::WordRight, Edit::WordRight]),
            "ランサムウェア攻撃|への対処"
        );
        assert_eq!(
            after(s, &[Edit::WordRight, Edit::WordRight, Edit::WordRight]),
            "ランサムウェア攻撃への|対処"
        );
        assert_eq!(
            after("ランサムウェア攻撃|", &[Edit::WordLeft]),
            "ランサムウェア|攻撃"
        );
        assert_eq!(
            after("ランサムウェア攻撃|", &[Edit::DeleteWordBack]),
            "ランサムウェア|"
        );
        // Punctuation separates; the long vowel mark belongs to katakana; 々 to kanji.
        assert_eq!(
            after("|サイバー、我々は", &[Edit::WordRight]),
            "サイバー|、我々は"
        );
        assert_eq!(
            after("サイバー|、我々は", &[Edit::WordRight]),
            "サイバー、我々|は"
        );
        assert_eq!(after("|GIFCTの", &[Edit::WordRight]), "GIFCT|の");
    }

    #[test]
    fn insert_and_paste() {
        let mut e = ed("a|c");
        assert!(e.apply(Edit::Insert('b')));
        assert_eq!(shown(&e), "ab|c");
        assert!(!e.apply(Edit::Insert('\x1b')));
        assert!(!e.apply(Edit::Insert('\u{202e}')));
        assert!(e.apply(Edit::Paste("x\ny\tz\r\nw\x1b[2J\u{7}".into())));
        assert_eq!(shown(&e), "abx y z w[2J|c");
        assert!(!e.apply(Edit::Paste("\x00\x1b".into())));
    }

    #[test]
    fn set_text_is_cleaned_and_the_cursor_goes_to_the_end() {
        let mut e = LineEditor::new();
        e.set_text("a\x1b\nb");
        assert_eq!(e.text(), "a b");
        assert_eq!(e.cursor(), 3);
        e.clear();
        assert_eq!((e.text(), e.cursor()), ("", 0));
        assert!(e.is_empty());
    }

    #[test]
    fn columns_count_wide_characters_twice() {
        let e = ed("aラン|サム");
        assert_eq!(e.cursor(), 3);
        assert_eq!(e.cursor_col(), 5);
        assert_eq!(ed("e\u{301}|").cursor_col(), 1);
    }

    #[test]
    fn a_short_line_is_drawn_whole() {
        let e = ed("ab|c");
        assert_eq!(e.visible(10, PLAIN), ("abc".into(), 2));
        assert_eq!(ed("ランサム|").visible(9, PLAIN), ("ランサム".into(), 8));
        assert_eq!(e.visible(0, PLAIN), (String::new(), 0));
    }

    #[test]
    fn a_long_line_scrolls_to_keep_the_cursor_in_view() {
        let text = "abcdefghijklmnopqrstuvwxyz";
        // Cursor at the end: the end of the text, with the cursor's cell free.
        let e = ed(&format!("{text}|"));
        assert_eq!(e.visible(8, PLAIN), ("tuvwxyz".into(), 7));
        // Cursor at the start: the start.
        let e = ed(&format!("|{text}"));
        assert_eq!(e.visible(8, PLAIN), ("abcdefgh".into(), 0));
        // In the middle: a quarter of the space shows what follows the cursor.
        let e = ed("abcdefghijklm|nopqrstuvwxyz");
        assert_eq!(e.visible(8, PLAIN), ("ijklmnop".into(), 5));
        // Wide characters are never cut in half.
        let e = ed("ランサムウェア|");
        let (s, x) = e.visible(7, PLAIN);
        assert_eq!((s.as_str(), x), ("ウェア", 6));
        let e = ed("|ランサムウェア");
        assert_eq!(e.visible(7, PLAIN), ("ランサ".into(), 0));
    }

    #[test]
    fn visible_uses_the_shown_form() {
        let e = ed("Ⅶ|");
        assert_eq!(
            e.visible(10, DisplayOptions { ascii: true }),
            ("VII".into(), 3)
        );
        assert_eq!(e.visible(10, PLAIN), ("Ⅶ".into(), 1));
    }

    #[test]
    fn history_walks_and_restores_the_draft() {
        let mut h = History::new();
        h.push("GIFCT");
        h.push("ICPA");
        assert_eq!(h.older("draft"), Some("ICPA"));
        assert_eq!(h.older("ignored"), Some("GIFCT"));
        assert_eq!(h.older("ignored"), None);
        assert_eq!(h.newer(), Some("ICPA"));
        assert_eq!(h.newer(), Some("draft"));
        assert_eq!(h.newer(), None);
        // A new walk remembers the new draft.
        assert_eq!(h.older("other"), Some("ICPA"));
        assert_eq!(h.newer(), Some("other"));
    }

    #[test]
    fn history_keeps_no_blank_no_repeat_and_at_most_the_limit() {
        let mut h = History::new();
        assert_eq!(h.older("x"), None);
        assert_eq!(h.newer(), None);
        h.push("");
        h.push("   ");
        assert!(h.is_empty());
        h.push("a");
        h.push("a");
        h.push("b");
        h.push("a");
        assert_eq!(h.entries().collect::<Vec<_>>(), ["a", "b", "a"]);
        for i in 0..250 {
            h.push(&i.to_string());
        }
        assert_eq!(h.len(), History::LIMIT);
        assert_eq!(h.entries().next(), Some("150"));
        assert_eq!(h.entries().last(), Some("249"));
    }

    #[test]
    fn history_round_trips_through_serde_and_a_bad_file_keeps_the_rules() {
        let mut h = History::new();
        h.push("ランサム");
        h.push(":23");
        let json = serde_json::to_string(&h).expect("serializes");
        assert_eq!(json, r#"["ランサム",":23"]"#);
        let back: History = serde_json::from_str(&json).expect("deserializes");
        assert_eq!(back, h);
        let many: Vec<String> = (0..300).map(|i| format!("q{i}")).collect();
        let mut raw: Vec<String> = vec![String::new(), "x".into(), "x".into(), "\x1b[2J".into()];
        raw.extend(many);
        let h: History = serde_json::from_value(serde_json::json!(raw)).expect("deserializes");
        assert_eq!(h.len(), History::LIMIT);
        assert!(h.entries().all(|e| !e.chars().any(char::is_control)));
    }

    fn any_char() -> impl Strategy<Value = char> {
        prop_oneof![
            any::<char>(),
            prop::sample::select(vec![
                'a',
                ' ',
                '-',
                'ラ',
                'ー',
                '攻',
                'の',
                '、',
                '\u{301}',
                '\u{3099}',
                '\u{200d}',
                '\u{1f1ef}',
                '\u{1f1f5}',
                '\n',
                '\t',
                '\x1b',
                '\u{7f}',
                '\u{9b}',
                '\u{202e}',
                'Ⅶ',
            ]),
        ]
    }

    fn any_edit() -> impl Strategy<Value = Edit> {
        prop_oneof![
            Just(Edit::CharLeft),
            Just(Edit::CharRight),
            Just(Edit::WordLeft),
            Just(Edit::WordRight),
            Just(Edit::Start),
            Just(Edit::End),
            Just(Edit::DeleteBack),
            Just(Edit::DeleteForward),
            Just(Edit::DeleteWordBack),
            Just(Edit::DeleteWordForward),
            Just(Edit::KillToEnd),
            Just(Edit::KillToStart),
            any_char().prop_map(Edit::Insert),
            any_char().prop_map(Edit::Insert),
            any_char().prop_map(Edit::Insert),
            prop::collection::vec(any_char(), 0..8)
                .prop_map(|cs| Edit::Paste(cs.into_iter().collect())),
        ]
    }

    proptest! {
        #[test]
        fn any_edits_keep_the_editor_sound(
            edits in prop::collection::vec(any_edit(), 0..60),
            width in 0usize..30,
        ) {
            let mut e = LineEditor::new();
            for edit in edits {
                let before = e.text.clone();
                let changed = e.apply(edit);
                prop_assert_eq!(changed, e.text != before);
                prop_assert!(e.cursor <= e.text.len());
                prop_assert!(e.text.is_char_boundary(e.cursor));
                prop_assert_eq!(e.cursor(), e.text[..e.cursor].chars().count());
                prop_assert_eq!(e.cursor_col(), str_width(&e.text[..e.cursor]));
                prop_assert!(!e.text.chars().any(|c| c.is_control() || is_bidi_control(c)));
                let (s, x) = e.visible(width, PLAIN);
                prop_assert!(str_width(&s) <= width);
                prop_assert!(width == 0 || x < width);
                prop_assert!(x <= str_width(&s));
            }
        }

        #[test]
        fn a_paste_inserts_no_control_character(text in ".*", at in 0usize..10) {
            let mut e = LineEditor::new();
            e.set_text("ランサム");
            for _ in 0..at {
                e.apply(Edit::CharLeft);
            }
            e.apply(Edit::Paste(text));
            prop_assert!(!e.text().chars().any(char::is_control));
        }

        #[test]
        fn char_motions_visit_every_cluster(text in ".{0,12}") {
            let mut e = LineEditor::new();
            e.set_text(&text);
            let clusters = e.text().graphemes(true).count();
            let mut n = 0;
            while e.cursor != 0 {
                prop_assert!(!e.apply(Edit::CharLeft));
                n += 1;
            }
            prop_assert_eq!(n, clusters);
        }
    }
}
