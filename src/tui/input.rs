//! Terminal input bytes to events, for the moments when kaigi reads the terminal itself
//! rather than through crossterm's reader: while the ambiguous-width probe waits (its answer
//! arrives among the keys typed ahead), and over a channel that is not the process's own
//! terminal. It reads what crossterm reads, into the same events, so a key means the same
//! before and after the probe:
//!
//! - UTF-8 characters (an upper-case letter carries SHIFT), Ctrl with a letter
//!   (`0x01..=0x1a`, so `0x08` is Ctrl-h and `0x0a` Ctrl-j, as in raw mode), Enter (`\r`), Tab,
//!   Backspace (`0x7f`), Ctrl-Space (`0x00`), Ctrl-4..7 (`0x1c..=0x1f`);
//! - Esc alone, and Alt with a key (`ESC` then the key);
//! - CSI and SS3 keys: arrows, Home/End, Insert/Delete, PageUp/PageDown, F1-F12, with xterm's
//!   modifier parameter (`ESC [ 1 ; 5 C` is Ctrl-Right), Shift-Tab (`ESC [ Z`), focus reports;
//! - bracketed paste (`ESC [ 200 ~ … ESC [ 201 ~`) as one [`Event::Paste`];
//! - the cursor position report `ESC [ row ; col R`, which is not a key.
//!
//! Bytes of a sequence cut by a read are kept for the next, so how the bytes are split into
//! reads never changes what they mean; [`InputParser::flush`] says no more is coming soon (a
//! lone `ESC` is then the Esc key). Unknown sequences, invalid UTF-8 and C1 controls are
//! dropped; nothing here panics on any input.

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

/// What the terminal sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Event(Event),
    /// A cursor position report, 1-based, as sent.
    CursorPosition {
        row: u16,
        col: u16,
    },
}

/// A pasted text longer than this is cut (the rest of it is read and dropped).
pub const PASTE_LIMIT: usize = 1 << 20;
/// A control sequence longer than this is not one.
const MAX_SEQUENCE: usize = 64;
const PASTE_START: &[u8] = b"\x1b[200~";
const PASTE_END: &[u8] = b"\x1b[201~";
const ESC: u8 = 0x1b;

/// Turns terminal input bytes into [`Input`]s, across reads.
#[derive(Debug, Default, Clone)]
pub struct InputParser {
    /// Bytes of an unfinished sequence or character.
    pending: Vec<u8>,
    /// Inside a bracketed paste: what was pasted so far.
    paste: Option<Vec<u8>>,
}

/// One step of parsing the start of a buffer.
enum Step {
    /// `n` bytes make this (or nothing worth reporting).
    Done(Option<Input>, usize),
    /// A bracketed paste starts after `n` bytes.
    PasteStart(usize),
    /// The buffer ends inside a sequence or a character.
    More,
}

// Every decoder arm returns an `Option`; this one always has a key.
#[allow(clippy::unnecessary_wraps)]
fn key(code: KeyCode, modifiers: KeyModifiers) -> Option<Input> {
    Some(Input::Event(Event::Key(KeyEvent::new(code, modifiers))))
}

fn char_key(c: char) -> Option<Input> {
    let m = if c.is_uppercase() {
        KeyModifiers::SHIFT
    } else {
        KeyModifiers::NONE
    };
    key(KeyCode::Char(c), m)
}

/// xterm's modifier parameter: 1 + a bit mask.
fn modifiers(param: u16) -> KeyModifiers {
    let mask = param.saturating_sub(1);
    [
        (1, KeyModifiers::SHIFT),
        (2, KeyModifiers::ALT),
        (4, KeyModifiers::CONTROL),
        (8, KeyModifiers::SUPER),
        (16, KeyModifiers::HYPER),
        (32, KeyModifiers::META),
    ]
    .into_iter()
    .filter(|(bit, _)| mask & bit != 0)
    .fold(KeyModifiers::NONE, |m, (_, k)| m | k)
}

/// The key a CSI or SS3 sequence ends with, for the finals that name one.
fn final_key(b: u8) -> Option<KeyCode> {
    Some(match b {
        b'A' => KeyCode::Up,
        b'B' => KeyCode::Down,
        b'C' => KeyCode::Right,
        b'D' => KeyCode::Left,
        b'H' => KeyCode::Home,
        b'F' => KeyCode::End,
        b'P' => KeyCode::F(1),
        b'Q' => KeyCode::F(2),
        b'R' => KeyCode::F(3),
        b'S' => KeyCode::F(4),
        _ => return None,
    })
}

/// The key of `ESC [ n ~`.
fn tilde_key(n: u16) -> Option<KeyCode> {
    Some(match n {
        1 | 7 => KeyCode::Home,
        2 => KeyCode::Insert,
        3 => KeyCode::Delete,
        4 | 8 => KeyCode::End,
        5 => KeyCode::PageUp,
        6 => KeyCode::PageDown,
        11..=15 => KeyCode::F(u8::try_from(n - 10).ok()?),
        17..=21 => KeyCode::F(u8::try_from(n - 11).ok()?),
        23..=26 => KeyCode::F(u8::try_from(n - 12).ok()?),
        _ => return None,
    })
}

/// A plain byte or a UTF-8 character at the start of `buf` (which does not start with ESC).
fn plain(buf: &[u8]) -> Step {
    let Some(&b) = buf.first() else {
        return Step::More;
    };
    let ctrl = |c: char| key(KeyCode::Char(c), KeyModifiers::CONTROL);
    let item = match b {
        b'\r' => key(KeyCode::Enter, KeyModifiers::NONE),
        b'\t' => key(KeyCode::Tab, KeyModifiers::NONE),
        0x7f => key(KeyCode::Backspace, KeyModifiers::NONE),
        0x00 => ctrl(' '),
        0x01..=0x1a => ctrl(char::from(b - 1 + b'a')),
        0x1c..=0x1f => ctrl(char::from(b - 0x1c + b'4')),
        0x20..=0x7e => char_key(char::from(b)),
        _ => return utf8(buf),
    };
    Step::Done(item, 1)
}

fn utf8(buf: &[u8]) -> Step {
    let need = match buf[0] {
        0xc2..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xf4 => 4,
        _ => return Step::Done(None, 1),
    };
    if buf.len() < need {
        // Wait for the rest only if what came so far can still be a character.
        return match std::str::from_utf8(buf) {
            Err(e) if e.error_len().is_none() => Step::More,
            _ => Step::Done(None, 1),
        };
    }
    match std::str::from_utf8(&buf[..need]) {
        // C1 controls (U+0080..U+009F) are no key any keyboard types: dropped.
        Ok(s) => Step::Done(
            s.chars()
                .next()
                .filter(|c| !c.is_control())
                .and_then(char_key),
            need,
        ),
        Err(_) => Step::Done(None, 1),
    }
}

/// `ESC [ …` at the start of `buf`.
fn csi(buf: &[u8]) -> Step {
    let Some(len) = buf[2..]
        .iter()
        .position(|b| !(0x20..=0x3f).contains(b))
        .map(|i| i + 2)
    else {
        return if buf.len() > MAX_SEQUENCE {
            Step::Done(None, buf.len())
        } else {
            Step::More
        };
    };
    let fin = buf[len];
    if !(0x40..=0x7e).contains(&fin) {
        // Not a sequence after all: drop the introducer, read on from the odd byte.
        return Step::Done(None, len);
    }
    let params = &buf[2..len];
    let n = len + 1;
    if buf[..n] == *PASTE_START {
        return Step::PasteStart(n);
    }
    // Private (`?`, `<`, `>`, `=`) and intermediate bytes: nothing a key sends here.
    if !params
        .iter()
        .all(|b| b.is_ascii_digit() || *b == b';' || *b == b':')
    {
        return Step::Done(None, n);
    }
    let text = std::str::from_utf8(params).unwrap_or_default();
    // Each parameter's first sub-parameter; an empty one is absent.
    let nums: Option<Vec<Option<u16>>> = if text.is_empty() {
        Some(Vec::new())
    } else {
        text.split(';')
            .map(|p| match p.split(':').next().unwrap_or_default() {
                "" => Some(None),
                d => d.parse::<u16>().ok().map(Some),
            })
            .collect()
    };
    let Some(nums) = nums else {
        return Step::Done(None, n);
    };
    let param = |i: usize| nums.get(i).copied().flatten();
    let mods = modifiers(param(1).unwrap_or(1));
    let item = match fin {
        // With parameters, `R` is a cursor report (xterm's Shift-F3 looks the same, as in
        // crossterm); only `row ; col`, both numbers from 1, is a well-formed one.
        b'R' if !nums.is_empty() => match (nums.as_slice(), params.contains(&b':')) {
            ([Some(row), Some(col)], false) if *row > 0 && *col > 0 => {
                Some(Input::CursorPosition {
                    row: *row,
                    col: *col,
                })
            }
            _ => None,
        },
        b'Z' if nums.is_empty() => key(KeyCode::BackTab, KeyModifiers::SHIFT),
        b'I' if nums.is_empty() => Some(Input::Event(Event::FocusGained)),
        b'O' if nums.is_empty() => Some(Input::Event(Event::FocusLost)),
        b'~' => param(0).and_then(tilde_key).and_then(|k| key(k, mods)),
        f => final_key(f).and_then(|k| key(k, mods)),
    };
    Step::Done(item, n)
}

/// One step at the start of `buf` (not empty).
fn step(buf: &[u8]) -> Step {
    if buf[0] != ESC {
        return plain(buf);
    }
    match buf.get(1) {
        None => Step::More,
        Some(b'[') => csi(buf),
        Some(b'O') => match buf.get(2) {
            None => Step::More,
            Some(&f) => Step::Done(final_key(f).and_then(|k| key(k, KeyModifiers::NONE)), 3),
        },
        // Esc, then whatever the second ESC starts.
        Some(&ESC) => Step::Done(key(KeyCode::Esc, KeyModifiers::NONE), 1),
        Some(_) => match plain(&buf[1..]) {
            Step::Done(Some(Input::Event(Event::Key(mut k))), n) => {
                k.modifiers |= KeyModifiers::ALT;
                Step::Done(Some(Input::Event(Event::Key(k))), n + 1)
            }
            Step::More => Step::More,
            // ESC before a byte that is no key: the Esc key, then read on.
            _ => Step::Done(key(KeyCode::Esc, KeyModifiers::NONE), 1),
        },
    }
}

impl InputParser {
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether nothing is held: no unfinished sequence, no paste under way.
    #[must_use]
    pub fn is_idle(&self) -> bool {
        self.pending.is_empty() && self.paste.is_none()
    }

    /// Everything in `reads`, one after the other, then quiet: what a whole input means.
    #[must_use]
    pub fn parse_reads(reads: &[&[u8]]) -> Vec<Input> {
        let mut p = InputParser::new();
        let mut out = Vec::new();
        for r in reads {
            p.feed(r, &mut out);
        }
        p.flush(&mut out);
        out
    }

    /// Parses the bytes of one read, appending what they complete to `out`.
    pub fn feed(&mut self, bytes: &[u8], out: &mut Vec<Input>) {
        if let Some(paste) = &mut self.paste {
            paste.extend_from_slice(bytes);
            self.end_paste(out);
        } else {
            self.pending.extend_from_slice(bytes);
        }
        self.parse(out, false);
    }

    /// No more input is coming soon: what is held is read as it stands (a lone `ESC` is the
    /// Esc key; an unfinished sequence is dropped). A paste under way waits for its end.
    pub fn flush(&mut self, out: &mut Vec<Input>) {
        self.parse(out, true);
    }

    fn parse(&mut self, out: &mut Vec<Input>, flush: bool) {
        let mut at = 0;
        while at < self.pending.len() && self.paste.is_none() {
            match step(&self.pending[at..]) {
                Step::Done(item, n) => {
                    out.extend(item);
                    at += n;
                }
                Step::PasteStart(n) => {
                    let rest = self.pending.split_off(at + n);
                    self.pending.clear();
                    at = 0;
                    self.paste = Some(rest);
                    // Bytes after the paste's end, if it came, are put back in `pending`.
                    self.end_paste(out);
                }
                Step::More if flush => {
                    let left = &self.pending[at..];
                    if left == [ESC] {
                        out.extend(key(KeyCode::Esc, KeyModifiers::NONE));
                    }
                    // A sequence cut off is dropped whole; a partial character too.
                    at = if left[0] == ESC {
                        self.pending.len()
                    } else {
                        at + 1
                    };
                }
                Step::More => break,
            }
        }
        self.pending.drain(..at.min(self.pending.len()));
    }

    /// Ends the paste under way if its end has come; what follows it is parsed as input.
    fn end_paste(&mut self, out: &mut Vec<Input>) {
        let Some(paste) = &mut self.paste else {
            return;
        };
        if let Some(end) = paste.windows(PASTE_END.len()).position(|w| w == PASTE_END) {
            let rest = paste.split_off(end + PASTE_END.len());
            paste.truncate(end.min(PASTE_LIMIT));
            let text = String::from_utf8_lossy(paste).into_owned();
            out.push(Input::Event(Event::Paste(text)));
            self.paste = None;
            // What came after the paste goes before anything still pending (nothing is).
            self.pending.splice(0..0, rest);
        } else if paste.len() > PASTE_LIMIT + PASTE_END.len() {
            // Keep the first PASTE_LIMIT bytes and the tail that may begin the end marker.
            let tail = paste.len() - (PASTE_END.len() - 1);
            paste.drain(PASTE_LIMIT..tail);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn parse_all(reads: &[&[u8]]) -> Vec<Input> {
        InputParser::parse_reads(reads)
    }

    fn k(code: KeyCode, m: KeyModifiers) -> Input {
        Input::Event(Event::Key(KeyEvent::new(code, m)))
    }

    fn c(ch: char) -> Input {
        k(KeyCode::Char(ch), KeyModifiers::NONE)
    }

    const NONE: KeyModifiers = KeyModifiers::NONE;

    #[test]
    fn characters_and_control_keys() {
        assert_eq!(
            parse_all(&["aラ\r\t\x7f\x08\x01\x1a\x00\x1c".as_bytes()]),
            [
                c('a'),
                c('ラ'),
                k(KeyCode::Enter, NONE),
                k(KeyCode::Tab, NONE),
                k(KeyCode::Backspace, NONE),
                k(KeyCode::Char('h'), KeyModifiers::CONTROL),
                k(KeyCode::Char('a'), KeyModifiers::CONTROL),
                k(KeyCode::Char('z'), KeyModifiers::CONTROL),
                k(KeyCode::Char(' '), KeyModifiers::CONTROL),
                k(KeyCode::Char('4'), KeyModifiers::CONTROL),
            ]
        );
        assert_eq!(
            parse_all(&[b"A"]),
            [k(KeyCode::Char('A'), KeyModifiers::SHIFT)]
        );
    }

    #[test]
    fn escape_sequences() {
        let ctrl = KeyModifiers::CONTROL;
        assert_eq!(
            parse_all(&[b"\x1b[A\x1b[B\x1b[1;5C\x1bOD\x1b[H\x1b[4~\x1b[5;3~\x1b[Z\x1bOP\x1b[24~"]),
            [
                k(KeyCode::Up, NONE),
                k(KeyCode::Down, NONE),
                k(KeyCode::Right, ctrl),
                k(KeyCode::Left, NONE),
                k(KeyCode::Home, NONE),
                k(KeyCode::End, NONE),
                k(KeyCode::PageUp, KeyModifiers::ALT),
                k(KeyCode::BackTab, KeyModifiers::SHIFT),
                k(KeyCode::F(1), NONE),
                k(KeyCode::F(12), NONE),
            ]
        );
        assert_eq!(
            parse_all(&[b"\x1bf\x1b\x7f"]),
            [
                k(KeyCode::Char('f'), KeyModifiers::ALT),
                k(KeyCode::Backspace, KeyModifiers::ALT),
            ]
        );
    }

    #[test]
    fn esc_alone_waits_for_a_quiet_moment() {
        let mut p = InputParser::new();
        let mut out = Vec::new();
        p.feed(b"\x1b", &mut out);
        assert!(out.is_empty() && !p.is_idle());
        p.flush(&mut out);
        assert_eq!(out, [k(KeyCode::Esc, NONE)]);
        assert!(p.is_idle());
        assert_eq!(
            parse_all(&[b"\x1b\x1b"]),
            [k(KeyCode::Esc, NONE), k(KeyCode::Esc, NONE)]
        );
    }

    #[test]
    fn a_sequence_cut_by_a_read_is_kept() {
        assert_eq!(
            parse_all(&[
                b"j\x1b",
                b"[",
                b"1;5",
                b"A",
                "\u{3042}".as_bytes()[..2].as_ref(),
                &"\u{3042}".as_bytes()[2..]
            ]),
            [c('j'), k(KeyCode::Up, KeyModifiers::CONTROL), c('あ')]
        );
    }

    #[test]
    fn cursor_reports_anywhere_and_only_well_formed() {
        assert_eq!(
            parse_all(&[b"\x1b[A\x1b[12;2Rj"]),
            [
                k(KeyCode::Up, NONE),
                Input::CursorPosition { row: 12, col: 2 },
                c('j')
            ]
        );
        // Not reports: a third number, a private marker, zero, a sub-parameter.
        assert!(parse_all(&[b"\x1b[1;2;3R\x1b[?1;2R\x1b[0;2R\x1b[1:1;2R"]).is_empty());
        // F3 with no parameters.
        assert_eq!(parse_all(&[b"\x1b[R"]), [k(KeyCode::F(3), NONE)]);
    }

    #[test]
    fn bracketed_paste() {
        assert_eq!(
            parse_all(&["x\x1b[200~ランサム\r\nb\x1b[A\x1b[201~y".as_bytes()]),
            [
                c('x'),
                Input::Event(Event::Paste("ランサム\r\nb\x1b[A".into())),
                c('y')
            ]
        );
        // Split anywhere, the end marker too.
        let all = "\x1b[200~a\x1b[201~q".as_bytes();
        for cut in 0..all.len() {
            assert_eq!(
                parse_all(&[&all[..cut], &all[cut..]]),
                [Input::Event(Event::Paste("a".into())), c('q')],
                "{cut}"
            );
        }
        // A paste with no end yet is not flushed away.
        let mut p = InputParser::new();
        let mut out = Vec::new();
        p.feed(b"\x1b[200~abc", &mut out);
        p.flush(&mut out);
        assert!(out.is_empty() && !p.is_idle());
    }

    #[test]
    fn a_huge_paste_is_bounded() {
        let mut p = InputParser::new();
        let mut out = Vec::new();
        p.feed(PASTE_START, &mut out);
        let chunk = vec![b'a'; 1 << 16];
        for _ in 0..40 {
            p.feed(&chunk, &mut out);
        }
        assert!(p.paste.as_ref().is_some_and(|v| v.len() <= PASTE_LIMIT + 6));
        p.feed(PASTE_END, &mut out);
        match out.as_slice() {
            [Input::Event(Event::Paste(s))] => assert_eq!(s.len(), PASTE_LIMIT),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn junk_is_dropped_and_reading_goes_on() {
        assert_eq!(
            parse_all(&[b"\xff\x80a\x1b[?25h\x1b[<0;1;2Mb\x1b[99~c\x1bOXd\xe3\x81e"]),
            [c('a'), c('b'), c('c'), c('d'), c('e')]
        );
        // A runaway sequence ends.
        let mut long = b"\x1b[".to_vec();
        long.extend(std::iter::repeat_n(b'1', 100));
        assert_eq!(parse_all(&[&long, b"j"]), [c('j')]);
    }

    /// The bytes a terminal sends for a key (the subset this parser reads back exactly).
    fn encode(i: &Input) -> Vec<u8> {
        match i {
            Input::CursorPosition { row, col } => format!("\x1b[{row};{col}R").into_bytes(),
            Input::Event(Event::Paste(s)) => [PASTE_START, s.as_bytes(), PASTE_END].concat(),
            Input::Event(Event::Key(k)) => {
                let alt = k.modifiers.contains(KeyModifiers::ALT);
                let m = 1
                    + u8::from(k.modifiers.contains(KeyModifiers::SHIFT))
                    + 2 * u8::from(alt)
                    + 4 * u8::from(k.modifiers.contains(KeyModifiers::CONTROL));
                let csi = |f: char| {
                    if m == 1 {
                        format!("\x1b[{f}")
                    } else {
                        format!("\x1b[1;{m}{f}")
                    }
                };
                let tilde = |n: u8| {
                    if m == 1 {
                        format!("\x1b[{n}~")
                    } else {
                        format!("\x1b[{n};{m}~")
                    }
                };
                let s = match k.code {
                    KeyCode::Char(c) if k.modifiers.contains(KeyModifiers::CONTROL) => {
                        let b = match c {
                            ' ' => 0,
                            '4'..='7' => c as u8 - b'4' + 0x1c,
                            _ => c as u8 - b'a' + 1,
                        };
                        String::from(char::from(b))
                    }
                    KeyCode::Char(c) => c.to_string(),
                    KeyCode::Enter => "\r".into(),
                    KeyCode::Tab => "\t".into(),
                    KeyCode::Backspace => "\x7f".into(),
                    KeyCode::Esc => "\x1b".into(),
                    KeyCode::BackTab => "\x1b[Z".into(),
                    KeyCode::Up => csi('A'),
                    KeyCode::Down => csi('B'),
                    KeyCode::Right => csi('C'),
                    KeyCode::Left => csi('D'),
                    KeyCode::Home => csi('H'),
                    KeyCode::End => csi('F'),
                    KeyCode::Insert => tilde(2),
                    KeyCode::Delete => tilde(3),
                    KeyCode::PageUp => tilde(5),
                    KeyCode::PageDown => tilde(6),
                    KeyCode::F(n @ 1..=4) => csi(char::from(b'P' + n - 1)),
                    KeyCode::F(n) => {
                        tilde([0, 0, 0, 0, 0, 15, 17, 18, 19, 20, 21, 23, 24][n as usize])
                    }
                    _ => unreachable!(),
                };
                let plain_char = matches!(
                    k.code,
                    KeyCode::Char(_) | KeyCode::Enter | KeyCode::Tab | KeyCode::Backspace
                );
                if alt && plain_char {
                    format!("\x1b{s}").into_bytes()
                } else {
                    s.into_bytes()
                }
            }
            Input::Event(_) => unreachable!(),
        }
    }

    fn any_input() -> impl Strategy<Value = Input> {
        let mods = prop::sample::select(vec![
            NONE,
            KeyModifiers::SHIFT,
            KeyModifiers::CONTROL,
            KeyModifiers::ALT,
            KeyModifiers::CONTROL | KeyModifiers::SHIFT,
        ]);
        let special = (
            prop::sample::select(vec![
                KeyCode::Up,
                KeyCode::Down,
                KeyCode::Left,
                KeyCode::Right,
                KeyCode::Home,
                KeyCode::End,
                KeyCode::Insert,
                KeyCode::Delete,
                KeyCode::PageUp,
                KeyCode::PageDown,
                KeyCode::F(1),
                KeyCode::F(4),
                KeyCode::F(5),
                KeyCode::F(12),
            ]),
            mods,
        )
            .prop_map(|(c, m)| k(c, m));
        let chars = any::<char>()
            .prop_filter("printable", |c| !c.is_control())
            .prop_map(|ch| {
                let m = if ch.is_uppercase() {
                    KeyModifiers::SHIFT
                } else {
                    NONE
                };
                k(KeyCode::Char(ch), m)
            });
        let alt =
            prop::char::range('a', 'z').prop_map(|ch| k(KeyCode::Char(ch), KeyModifiers::ALT));
        let ctrl = prop::char::range('a', 'z')
            .prop_filter("not Tab, Enter", |c| !matches!(c, 'i' | 'm'))
            .prop_map(|ch| k(KeyCode::Char(ch), KeyModifiers::CONTROL));
        let fixed = prop::sample::select(vec![
            k(KeyCode::Enter, NONE),
            k(KeyCode::Tab, NONE),
            k(KeyCode::Backspace, NONE),
            k(KeyCode::BackTab, KeyModifiers::SHIFT),
            k(KeyCode::Esc, NONE),
            k(KeyCode::Char(' '), KeyModifiers::CONTROL),
        ]);
        let paste = "[^\x1b]{0,20}".prop_map(|s| Input::Event(Event::Paste(s)));
        let report =
            (1u16..500, 1u16..500).prop_map(|(row, col)| Input::CursorPosition { row, col });
        prop_oneof![special, chars, alt, ctrl, fixed, paste, report]
    }

    proptest! {
        #[test]
        fn any_bytes_in_any_reads_never_panic(
            bytes in prop::collection::vec(any::<u8>(), 0..300),
            cuts in prop::collection::vec(0usize..300, 0..10),
        ) {
            let mut p = InputParser::new();
            let mut out = Vec::new();
            let mut at = 0;
            let mut cuts = cuts;
            cuts.sort_unstable();
            for cut in cuts {
                let cut = cut.min(bytes.len()).max(at);
                p.feed(&bytes[at..cut], &mut out);
                at = cut;
            }
            p.feed(&bytes[at..], &mut out);
            p.flush(&mut out);
            for i in &out {
                if let Input::Event(Event::Paste(s)) = i {
                    prop_assert!(s.len() <= PASTE_LIMIT * 3);
                }
            }
        }

        #[test]
        fn how_bytes_are_split_into_reads_changes_nothing(
            bytes in prop::collection::vec(
                prop_oneof![any::<u8>(), Just(0x1b), Just(b'['), Just(b'~'), Just(b'2')],
                0..200,
            ),
            cut in any::<prop::sample::Index>(),
        ) {
            let whole = parse_all(&[&bytes]);
            let at = cut.index(bytes.len() + 1);
            prop_assert_eq!(&parse_all(&[&bytes[..at], &bytes[at..]]), &whole);
            let one_by_one: Vec<&[u8]> = bytes.chunks(1).collect();
            prop_assert_eq!(&parse_all(&one_by_one), &whole);
            for i in &whole {
                if let Input::Event(Event::Key(k)) = i {
                    prop_assert!(!matches!(k.code, KeyCode::Char(c) if c.is_control()));
                }
            }
        }

        #[test]
        fn encoded_keys_decode_back_in_any_split(
            inputs in prop::collection::vec(any_input(), 0..30),
            cuts in prop::collection::vec(any::<prop::sample::Index>(), 0..8),
        ) {
            // A lone Esc is the Esc key only once the input goes quiet: the test flushes after
            // it, as the loop does after a quiet moment.
            let mut p = InputParser::new();
            let mut out = Vec::new();
            let mut stream: Vec<u8> = Vec::new();
            let mut chunks: Vec<(Vec<u8>, bool)> = Vec::new();
            for i in &inputs {
                stream.extend(encode(i));
                if *i == k(KeyCode::Esc, NONE) {
                    chunks.push((std::mem::take(&mut stream), true));
                }
            }
            chunks.push((stream, false));
            for (bytes, quiet) in chunks {
                let mut at = 0;
                let mut points: Vec<usize> = cuts.iter().map(|c| c.index(bytes.len() + 1)).collect();
                points.sort_unstable();
                for cut in points {
                    p.feed(&bytes[at..cut], &mut out);
                    at = cut;
                }
                p.feed(&bytes[at..], &mut out);
                if quiet {
                    p.flush(&mut out);
                }
            }
            p.flush(&mut out);
            prop_assert_eq!(out, inputs);
            prop_assert!(p.is_idle());
        }
    }
}
