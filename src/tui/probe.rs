//! Does the terminal draw East Asian Ambiguous characters one cell wide or two? Asked the way
//! Vim asks: print one ambiguous character at a known place, ask where the cursor went
//! (`ESC [ 6 n`), erase the probe. The question goes out with the first frame, which does not
//! wait for the answer (over SSH it is a round trip away).
//!
//! Then, until the answer comes or the deadline passes, the event loop reads the terminal's
//! bytes itself and feeds them to a [`Probe`], which hands back at once every key and paste
//! typed meanwhile, in order (so `q` or Ctrl-c quits at once), and resolves on the first
//! well-formed cursor position report anywhere in the stream. Nothing here reads
//! a descriptor: it takes bytes, so the same probe works over any channel.

use std::io::{self, Write};
use std::time::{Duration, Instant};

use crossterm::event::Event;

use super::input::{Input, InputParser};

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
/// raw mode. The probe is drawn at the top left corner and erased at once. Then a [`Probe`]
/// reads the reply.
///
/// # Errors
/// Writing to the terminal failed.
pub fn ask(out: &mut impl Write) -> io::Result<()> {
    out.write_all(PROBE.as_bytes())?;
    // Erase the probe: the terminal answers for where the cursor stood when it read the question.
    out.write_all(b"\x1b[H\x1b[2K")
}

/// How long the probe waits for the answer unless told otherwise: long enough for a terminal
/// a slow link away; nothing waits for it but the choice of border characters.
pub const DEADLINE: Duration = Duration::from_millis(500);

/// The probe under way: the question is out, the answer not yet in.
#[derive(Debug, Clone)]
pub struct Probe {
    input: InputParser,
    deadline: Instant,
    answer: Option<AmbiguousWidth>,
    /// Whether [`Probe::take_answer`] has handed the answer over.
    taken: bool,
}

impl Probe {
    /// A probe whose question was just sent, waiting until `deadline` for the answer.
    #[must_use]
    pub fn new(deadline: Instant) -> Self {
        Probe {
            input: InputParser::new(),
            deadline,
            answer: None,
            taken: false,
        }
    }

    /// Bytes read from the terminal: returns the events among them, in order. The first
    /// well-formed cursor position report is the answer; it and any later one are no event.
    pub fn feed(&mut self, bytes: &[u8]) -> Vec<Event> {
        let mut got = Vec::new();
        self.input.feed(bytes, &mut got);
        self.events(got)
    }

    /// The input went quiet: what was held back as the possible start of a sequence is
    /// read as it stands (a lone `ESC` is the Esc key).
    pub fn flush(&mut self) -> Vec<Event> {
        let mut got = Vec::new();
        self.input.flush(&mut got);
        self.events(got)
    }

    fn events(&mut self, got: Vec<Input>) -> Vec<Event> {
        got.into_iter()
            .filter_map(|i| match i {
                Input::Event(e) => Some(e),
                Input::CursorPosition { row, col } => {
                    self.answer.get_or_insert(decide(Some((row, col))));
                    None
                }
            })
            .collect()
    }

    /// The answer once there is one: from the terminal, or `Unknown` once `now` is past the
    /// deadline.
    pub fn answer(&mut self, now: Instant) -> Option<AmbiguousWidth> {
        if self.answer.is_none() && now >= self.deadline {
            self.answer = Some(AmbiguousWidth::Unknown);
        }
        self.answer
    }

    /// The answer, the first time there is one (see [`Probe::answer`]); `None` after that.
    pub fn take_answer(&mut self, now: Instant) -> Option<AmbiguousWidth> {
        let answer = self.answer(now).filter(|_| !self.taken);
        self.taken |= answer.is_some();
        answer
    }

    /// How long until the deadline.
    #[must_use]
    pub fn time_left(&self, now: Instant) -> Duration {
        self.deadline.saturating_duration_since(now)
    }

    /// Whether the event loop may go back to its usual reader: answered, and no byte held
    /// that the usual reader would never see.
    #[must_use]
    pub fn is_done(&self) -> bool {
        self.answer.is_some() && self.input.is_idle()
    }

    /// Whether bytes are held back, waiting for the rest of a sequence or a quiet moment.
    #[must_use]
    pub fn holds_bytes(&self) -> bool {
        !self.input.is_idle()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    fn key(code: KeyCode) -> Event {
        Event::Key(KeyEvent::new(code, KeyModifiers::NONE))
    }

    fn c(ch: char) -> Event {
        key(KeyCode::Char(ch))
    }

    fn probe() -> (Probe, Instant) {
        let now = Instant::now();
        (Probe::new(now + Duration::from_secs(60)), now)
    }

    #[test]
    fn narrow_and_wide_replies() {
        assert_eq!(decide(Some((1, 2))), AmbiguousWidth::Narrow);
        assert_eq!(decide(Some((1, 3))), AmbiguousWidth::Wide);
        assert_eq!(decide(Some((1, 7))), AmbiguousWidth::Unknown);
        assert_eq!(decide(None), AmbiguousWidth::Unknown);
        assert!(AmbiguousWidth::Wide.needs_ascii());
        assert!(AmbiguousWidth::Unknown.needs_ascii());
        assert!(!AmbiguousWidth::Narrow.needs_ascii());
        let (mut p, now) = probe();
        assert!(p.feed(b"\x1b[1;2R").is_empty());
        assert_eq!(p.answer(now), Some(AmbiguousWidth::Narrow));
        assert!(p.is_done());
        assert_eq!(p.take_answer(now), Some(AmbiguousWidth::Narrow));
        assert_eq!(p.take_answer(now), None);
        assert_eq!(p.answer(now), Some(AmbiguousWidth::Narrow));
    }

    #[test]
    fn keys_typed_ahead_come_out_at_once_and_in_order() {
        let (mut p, now) = probe();
        // An arrow key before the reply is a key, not the reply (the old probe took the first
        // `ESC [` for the answer and lost the arrows).
        assert_eq!(
            p.feed(b":23\r\x1b[B\x1b[B"),
            [
                c(':'),
                c('2'),
                c('3'),
                key(KeyCode::Enter),
                key(KeyCode::Down),
                key(KeyCode::Down)
            ]
        );
        assert_eq!(p.answer(now), None);
        assert!(!p.is_done());
        assert_eq!(p.feed(b"\x1b[12;3Rn"), [c('n')]);
        assert_eq!(p.answer(now), Some(AmbiguousWidth::Wide));
    }

    #[test]
    fn a_paste_before_the_reply_is_kept() {
        let (mut p, now) = probe();
        assert_eq!(
            p.feed("/\x1b[200~ランサム\nウェア\x1b[201~\x1b[1;2R".as_bytes()),
            [c('/'), Event::Paste("ランサム\nウェア".into())]
        );
        assert_eq!(p.answer(now), Some(AmbiguousWidth::Narrow));
    }

    #[test]
    fn a_reply_cut_by_a_read_is_put_together() {
        let (mut p, now) = probe();
        assert_eq!(p.feed(b"j\x1b[1"), [c('j')]);
        assert!(p.holds_bytes());
        assert_eq!(p.feed(b";2"), []);
        assert_eq!(p.feed(b"Rk"), [c('k')]);
        assert_eq!(p.answer(now), Some(AmbiguousWidth::Narrow));
    }

    #[test]
    fn no_reply_by_the_deadline_is_unknown() {
        let now = Instant::now();
        let mut p = Probe::new(now + Duration::from_millis(500));
        assert_eq!(p.answer(now), None);
        assert_eq!(p.time_left(now), Duration::from_millis(500));
        assert_eq!(
            p.answer(now + Duration::from_millis(500)),
            Some(AmbiguousWidth::Unknown)
        );
        assert_eq!(p.time_left(now + Duration::from_secs(1)), Duration::ZERO);
        // A late reply changes nothing, and is no key.
        assert!(p.feed(b"\x1b[1;2R").is_empty());
        assert_eq!(p.answer(now), Some(AmbiguousWidth::Unknown));
    }

    #[test]
    fn malformed_reports_are_not_the_answer() {
        let (mut p, now) = probe();
        assert!(p.feed(b"\x1b[1;xR\x1b[?1;2R\x1b[1;2;3R").len() <= 1);
        assert_eq!(p.answer(now), None);
    }

    #[test]
    fn a_held_escape_keeps_the_probe_going_until_the_input_is_quiet() {
        let (mut p, now) = probe();
        assert!(p.feed(b"\x1b[1;2R\x1b").is_empty());
        assert_eq!(p.answer(now), Some(AmbiguousWidth::Narrow));
        assert!(!p.is_done(), "the Esc would be lost to the usual reader");
        assert_eq!(p.flush(), [key(KeyCode::Esc)]);
        assert!(p.is_done());
    }

    #[test]
    fn the_probe_character_is_ambiguous() {
        assert!(crate::text::display::is_ambiguous('\u{25bd}'));
    }
}
