//! Does the terminal draw East Asian Ambiguous characters one cell wide or two? Asked the way
//! Vim asks: print one ambiguous character at a known place, ask where the cursor went
//! (`ESC [ 6 n`), erase the probe, read the reply with a short timeout. The question goes out
//! just before the first frame and the answer is read just after it, before the event loop
//! reads any input, so the reply is never taken for a key and the first frame does not wait
//! a round trip for it.

use std::io::{self, Write};
use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// How the terminal draws ambiguous characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AmbiguousWidth {
    Narrow,
    Wide,
    /// The terminal did not answer (or answered something else).
    Unknown,
}

impl AmbiguousWidth {
    /// Whether to draw only never-ambiguous characters: when they are wide, or when we could
    /// not find out.
    #[must_use]
    pub fn needs_ascii(self) -> bool {
        self != AmbiguousWidth::Narrow
    }
}

/// The probe: cursor home, one ambiguous character (`▽`, as Vim uses), then the question.
pub const PROBE: &str = "\x1b[H\u{25bd}\x1b[6n";

/// Finds a cursor position report `ESC [ row ; col R` in bytes read from the terminal.
#[must_use]
pub fn parse_cursor_reply(bytes: &[u8]) -> Option<(u16, u16)> {
    let start = bytes.windows(2).position(|w| w == b"\x1b[")?;
    let rest = &bytes[start + 2..];
    let end = rest.iter().position(|&b| b == b'R')?;
    let body = std::str::from_utf8(&rest[..end]).ok()?;
    let (row, col) = body.split_once(';')?;
    Some((row.parse().ok()?, col.parse().ok()?))
}

/// Decides from the reply: the probe was printed at column 1, so the cursor stands at column 2
/// after a narrow character and at column 3 after a wide one.
#[must_use]
pub fn decide(reply: Option<(u16, u16)>) -> AmbiguousWidth {
    match reply {
        Some((_, 2)) => AmbiguousWidth::Narrow,
        Some((_, 3)) => AmbiguousWidth::Wide,
        _ => AmbiguousWidth::Unknown,
    }
}

/// Queues the question (the caller flushes it, with the first frame). The terminal must be in
/// raw mode. The probe is drawn at the top left corner and erased at once. Then [`answer`]
/// reads the reply.
///
/// # Errors
/// Writing to the terminal failed.
pub fn ask(out: &mut impl Write) -> io::Result<()> {
    out.write_all(PROBE.as_bytes())?;
    // Erase the probe: the terminal answers for where the cursor stood when it read the question.
    out.write_all(b"\x1b[H\x1b[2K")
}

/// Waits at most `timeout` for the terminal's answer to [`ask`]; nothing else may be reading
/// standard input meanwhile. Returns the decision and any keys the user typed while we
/// waited, so that none is lost.
#[must_use]
pub fn answer(timeout: Duration) -> (AmbiguousWidth, Vec<KeyEvent>) {
    let bytes = read_until_reply(timeout);
    let (reply, rest) = split_reply(&bytes);
    (decide(reply), typed_ahead(&rest))
}

/// Separates a cursor report from whatever else was read (keys typed ahead).
#[must_use]
pub fn split_reply(bytes: &[u8]) -> (Option<(u16, u16)>, Vec<u8>) {
    let Some(start) = bytes
        .windows(2)
        .position(|w| w == b"\x1b[")
        .filter(|_| parse_cursor_reply(bytes).is_some())
    else {
        return (None, bytes.to_vec());
    };
    let reply = parse_cursor_reply(&bytes[start..]);
    let end = bytes[start..]
        .iter()
        .position(|&b| b == b'R')
        .map_or(bytes.len(), |e| start + e + 1);
    let mut rest = bytes[..start].to_vec();
    rest.extend_from_slice(&bytes[end..]);
    (reply, rest)
}

/// Keys typed while the probe waited: characters, Enter, Tab, Backspace, Esc and Ctrl with a
/// letter. Escape sequences (arrows and the like) typed in that moment are dropped.
#[must_use]
pub fn typed_ahead(bytes: &[u8]) -> Vec<KeyEvent> {
    let text = String::from_utf8_lossy(bytes);
    let mut keys = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let key = match c {
            '\r' | '\n' => KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE),
            '\t' => KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE),
            '\u{7f}' | '\u{8}' => KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE),
            '\u{1b}' => {
                if chars.peek().is_some_and(|&n| n == '[' || n == 'O') {
                    // A sequence: skip to its final byte.
                    chars.next();
                    while chars
                        .next()
                        .is_some_and(|n| !n.is_ascii_alphabetic() && n != '~')
                    {}
                    continue;
                }
                KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)
            }
            c if ('\u{1}'..='\u{1a}').contains(&c) => {
                let letter = char::from_u32(c as u32 + 0x60).unwrap_or('?');
                KeyEvent::new(KeyCode::Char(letter), KeyModifiers::CONTROL)
            }
            c if c.is_control() || c == char::REPLACEMENT_CHARACTER => continue,
            c => KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE),
        };
        keys.push(key);
    }
    keys
}

/// Reads standard input a byte at a time until a cursor report arrives or the time is up, so
/// that nothing typed after the report is taken from the event reader.
fn read_until_reply(timeout: Duration) -> Vec<u8> {
    use rustix::event::{PollFd, PollFlags, Timespec, poll};
    let stdin = io::stdin();
    let deadline = Instant::now() + timeout;
    let mut got = Vec::new();
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        let ts = Timespec {
            tv_sec: i64::try_from(left.as_secs()).unwrap_or(0),
            tv_nsec: i64::from(left.subsec_nanos()),
        };
        let mut fds = [PollFd::new(&stdin, PollFlags::IN)];
        match poll(&mut fds, Some(&ts)) {
            Ok(0) => break,
            Ok(_) => {}
            Err(rustix::io::Errno::INTR) => continue,
            Err(_) => break,
        }
        // Straight from the descriptor: `Stdin` would buffer bytes that belong to the event
        // reader.
        let mut byte = [0u8; 1];
        match rustix::io::read(&stdin, &mut byte) {
            Ok(1) => got.push(byte[0]),
            _ => break,
        }
        if byte[0] == b'R' && parse_cursor_reply(&got).is_some() || got.len() > 4096 {
            break;
        }
    }
    got
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn narrow_reply() {
        assert_eq!(
            decide(parse_cursor_reply(b"\x1b[1;2R")),
            AmbiguousWidth::Narrow
        );
    }

    #[test]
    fn wide_reply() {
        assert_eq!(
            decide(parse_cursor_reply(b"\x1b[1;3R")),
            AmbiguousWidth::Wide
        );
        assert!(AmbiguousWidth::Wide.needs_ascii());
    }

    #[test]
    fn no_reply_or_garbage() {
        assert_eq!(decide(None), AmbiguousWidth::Unknown);
        assert_eq!(decide(parse_cursor_reply(b"")), AmbiguousWidth::Unknown);
        assert_eq!(
            decide(parse_cursor_reply(b"\x1b[1;xR")),
            AmbiguousWidth::Unknown
        );
        assert_eq!(
            decide(parse_cursor_reply(b"\x1b[1;7R")),
            AmbiguousWidth::Unknown
        );
        assert!(AmbiguousWidth::Unknown.needs_ascii());
        assert!(!AmbiguousWidth::Narrow.needs_ascii());
    }

    #[test]
    fn keys_typed_ahead_are_kept() {
        let (reply, rest) = split_reply(b":2\x1b[1;2R3\r");
        assert_eq!(reply, Some((1, 2)));
        let keys = typed_ahead(&rest);
        let codes: Vec<KeyCode> = keys.iter().map(|k| k.code).collect();
        assert_eq!(
            codes,
            [
                KeyCode::Char(':'),
                KeyCode::Char('2'),
                KeyCode::Char('3'),
                KeyCode::Enter
            ]
        );
        let keys = typed_ahead("\x1b[Aあ\x03\x1b\x7f".as_bytes());
        let codes: Vec<(KeyCode, KeyModifiers)> =
            keys.iter().map(|k| (k.code, k.modifiers)).collect();
        assert_eq!(
            codes,
            [
                (KeyCode::Char('あ'), KeyModifiers::NONE),
                (KeyCode::Char('c'), KeyModifiers::CONTROL),
                (KeyCode::Esc, KeyModifiers::NONE),
                (KeyCode::Backspace, KeyModifiers::NONE)
            ]
        );
        let (reply, rest) = split_reply(b"jj");
        assert_eq!((reply, rest), (None, b"jj".to_vec()));
    }

    #[test]
    fn reply_after_typed_keys() {
        assert_eq!(parse_cursor_reply(b"jj\x1b[12;2R"), Some((12, 2)));
    }

    #[test]
    fn the_probe_character_is_ambiguous() {
        assert!(crate::text::display::is_ambiguous('\u{25bd}'));
    }
}
