//! One browser session, whatever it runs on: the [`App`], the [`Screen`] its frames go to,
//! the searches it runs off the drawing thread, and the ambiguous-width probe. It is driven
//! from outside — input as events or bytes, the window's size, "the input went quiet" — and
//! decides by itself when to draw, applies what the app asks for and runs its searches. The
//! local terminal's loop (`event_loop.rs`) and every SSH connection (`crate::serve`) drive
//! the same session, so both behave alike by construction.

use std::io::{self, Write};
use std::ops::Range;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::{Duration, Instant};

use crossterm::event::Event;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::app::App;
use super::clipboard::Clipboard;
use super::follow::Request;
use super::input::{Input, InputParser};
use super::probe::{self, AmbiguousWidth, Probe};
use super::screen::Screen;
use super::search::{Answer, Request as SearchRequest};
use super::view;
use crate::places::Position;
use crate::present::{Cue, Link};

/// How long input must be quiet before a lone `ESC` held back is the Esc key.
pub const QUIET: Duration = Duration::from_millis(25);

/// The thread that runs searches: queries in, results out. Only the newest query waiting is
/// run.
struct SearchWorker {
    jobs: Sender<SearchRequest>,
    results: Receiver<Answer>,
}

impl SearchWorker {
    fn start() -> Self {
        let (jobs, worker_in) = channel::<SearchRequest>();
        let (worker_out, results) = channel();
        std::thread::spawn(move || {
            while let Ok(mut job) = worker_in.recv() {
                while let Ok(newer) = worker_in.try_recv() {
                    job = newer;
                }
                if worker_out.send(job.run()).is_err() {
                    break;
                }
            }
        });
        SearchWorker { jobs, results }
    }
}

/// What the session's driver is to do after [`Session::update`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Turn {
    /// Wait for input (at most [`Session::wait`]).
    Wait,
    /// The user quit.
    Quit,
    /// The user asked to suspend (Ctrl-z): only the local terminal can.
    Suspend,
}

/// Where the reader's top was when input started arriving after the last frame: the next
/// frame scrolls the screen instead of redrawing it when only that changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Before {
    top: usize,
    size: (u16, u16),
    tree: bool,
}

/// A browser session over any writer, on an app its driver owns (and keeps after it, to save
/// its state).
pub struct Session<'a, W: Write> {
    pub app: &'a mut App,
    screen: Screen<W>,
    /// The frame drawn last time, reused for the next one.
    spare: Buffer,
    frames: u64,
    /// Where copies go, made at the first frame.
    clipboard: Option<Clipboard>,
    make_clipboard: fn() -> Clipboard,
    /// Started at the first search, so typing never waits for one and start-up does not pay
    /// for it.
    worker: Option<SearchWorker>,
    dirty: bool,
    /// Whether a slice of a large file's work has been done (`App::work`).
    worked: bool,
    before: Option<Before>,
    /// The screen was reset since the last frame: nothing to scroll.
    reset: bool,
    /// The ambiguous-width probe: asked, then waiting for its answer.
    probe_asked: bool,
    probe: Option<Probe>,
    probe_deadline: Duration,
    /// Bytes to events, for a session fed bytes (the probe has its own while it waits).
    input: InputParser,
    /// The stage this session presents on or follows from, if any.
    link: Option<Box<dyn Link>>,
    /// Where the presenter (this session) was last published.
    published: Option<Position>,
}

impl<'a, W: Write> Session<'a, W> {
    /// A session drawing to `writer`; `make_clipboard` says where copies go (asked at the
    /// first frame).
    pub fn new(app: &'a mut App, writer: W, make_clipboard: fn() -> Clipboard) -> Self {
        Session {
            app,
            screen: Screen::new(writer),
            spare: Buffer::empty(Rect::ZERO),
            frames: 0,
            clipboard: None,
            make_clipboard,
            worker: None,
            dirty: true,
            worked: false,
            before: None,
            reset: true,
            probe_asked: false,
            probe: None,
            probe_deadline: probe::DEADLINE,
            input: InputParser::new(),
            link: None,
            published: None,
        }
    }

    /// Joins a stage: `P` presents over `link`, cues given to [`Session::cue`] are followed.
    /// `can_present` is false for a follower that must never send anything.
    #[must_use]
    pub fn with_link(mut self, link: Box<dyn Link>, can_present: bool) -> Self {
        self.link = Some(link);
        self.app.follow.linked = true;
        self.app.follow.can_present = can_present;
        self
    }

    /// A cue from the stage.
    pub fn cue(&mut self, cue: Cue) {
        self.app.cue(cue);
        self.dirty = true;
    }

    /// Carries the reader's requests to the stage, and publishes where the presenter is.
    fn stage(&mut self) {
        let Some(link) = &mut self.link else {
            return;
        };
        match self.app.follow.take_request() {
            Some(Request::Present) => {
                let effects = self.app.follow.presented(link.present());
                self.app.apply_all(effects);
                self.published = None;
                self.dirty = true;
            }
            Some(Request::Stop) => {
                link.stop();
                self.published = None;
            }
            None => {}
        }
        if self.app.follow.presenting {
            let at = Position::of_line(&self.app.reader.layout, self.app.reader.top);
            if let Some(at) = at
                && self.published != Some(at)
            {
                link.publish(at);
                self.published = Some(at);
            }
        }
    }

    /// How long the probe waits for its answer (from its first frame on).
    #[must_use]
    pub fn with_probe_deadline(mut self, deadline: Duration) -> Self {
        self.probe_deadline = deadline;
        self
    }

    /// Starts at `size`: queues the probe's question when asked to (the first frame does not
    /// wait for its answer: on a terminal that draws ambiguous characters narrow, the usual
    /// kind, that frame is already right; on the others the answer, or its absence, brings a
    /// redraw with characters that are never ambiguous), and clears the screen.
    ///
    /// # Errors
    /// Writing failed.
    pub fn start(&mut self, size: (u16, u16), ask_probe: bool) -> io::Result<()> {
        if ask_probe {
            probe::ask(self.screen.writer())?;
            self.probe_asked = true;
        }
        if size != self.app.size {
            self.app.resize(size.0, size.1);
        }
        self.reset_screen()
    }

    /// Where the frames go (for what must go out with the next one).
    pub fn writer(&mut self) -> &mut W {
        self.screen.writer()
    }

    /// How many frames were drawn.
    #[must_use]
    pub fn frames(&self) -> u64 {
        self.frames
    }

    /// Whether the probe is waiting: the driver then hands over raw bytes ([`Session::feed`])
    /// rather than events.
    #[must_use]
    pub fn probing(&self) -> bool {
        self.probe.is_some()
    }

    fn reset_screen(&mut self) -> io::Result<()> {
        self.screen.reset()?;
        self.reset = true;
        self.dirty = true;
        Ok(())
    }

    /// Clears the screen and draws it again in full at the next turn (after a suspend, or
    /// when the terminal may show something else).
    ///
    /// # Errors
    /// Writing failed.
    pub fn redraw(&mut self) -> io::Result<()> {
        self.reset_screen()
    }

    /// The window is now this size (a resize, or a check that found it changed): the screen
    /// is drawn again in full.
    ///
    /// # Errors
    /// Writing failed.
    pub fn resize(&mut self, width: u16, height: u16) -> io::Result<()> {
        self.app.resize(width, height);
        self.reset_screen()
    }

    /// Input events, in order; the driver's own resizes are given to [`Session::resize`].
    /// Nothing after a quit is applied.
    pub fn handle_events(&mut self, events: impl IntoIterator<Item = Event>) {
        for ev in events {
            if self.app.quit {
                break;
            }
            if matches!(ev, Event::Resize(..)) {
                continue;
            }
            if self.before.is_none() {
                self.before = Some(Before {
                    top: self.app.reader.top,
                    size: self.app.size,
                    tree: self.app.tree_visible(),
                });
            }
            self.app.handle_event(&ev);
            self.dirty = true;
        }
    }

    /// Bytes read from the terminal (or the channel): to the probe while it waits, to the
    /// session's input parser otherwise.
    ///
    /// # Errors
    /// Writing failed (the probe's answer brings a reset).
    pub fn feed(&mut self, bytes: &[u8]) -> io::Result<()> {
        let events = if let Some(p) = &mut self.probe {
            p.feed(bytes)
        } else {
            let mut got = Vec::new();
            self.input.feed(bytes, &mut got);
            only_events(got)
        };
        self.handle_events(events);
        self.check_probe()
    }

    /// The input went quiet: what was held back as the start of a sequence is read as it
    /// stands (a lone `ESC` is the Esc key), and the text the first frame did not need is
    /// laid out.
    ///
    /// # Errors
    /// Writing failed.
    pub fn quiet(&mut self) -> io::Result<()> {
        if self.app.has_work() {
            // The rest of the text (a large file: one slice of it, keys looked at between
            // two; see `App::work`).
            self.worked = true;
            self.dirty |= self.app.work();
        } else if self.app.refs.is_none() && !self.app.is_large() {
            // The links are underlined once built: off the first frame, when idle. (Not for a
            // large file: there they are found on a thread once the text is read, see
            // `App::work`, and the keys that need them wait for them.)
            self.app.refs();
            self.dirty = true;
        }
        let events = if let Some(p) = &mut self.probe {
            p.flush()
        } else {
            let mut got = Vec::new();
            self.input.flush(&mut got);
            only_events(got)
        };
        self.handle_events(events);
        self.check_probe()
    }

    /// The probe's answer (or its deadline) acts before the next frame is drawn; once it is
    /// done and holds no byte, input goes back to the usual reader.
    fn check_probe(&mut self) -> io::Result<()> {
        let Some(p) = &mut self.probe else {
            return Ok(());
        };
        if p.take_answer(Instant::now())
            .is_some_and(AmbiguousWidth::needs_ascii)
        {
            self.app.set_ascii(true);
            self.reset_screen()?;
        }
        if self.probe.as_ref().is_some_and(Probe::is_done) {
            self.probe = None;
        }
        Ok(())
    }

    /// How long to wait for input when there is nothing to draw. Briefly while bytes are held
    /// (a lone `ESC`) or a search is out, so its results show as soon as they come. The text
    /// the first frame did not need is laid out once the terminal has had a moment to take
    /// that frame (working at once would compete with it for the CPU), or before the first
    /// key, whichever comes first.
    #[must_use]
    pub fn wait(&self) -> Duration {
        let idle = if self.app.only_waiting() {
            // The links are being found on a thread: a look now and then, not a busy loop.
            Duration::from_millis(5)
        } else if self.app.has_work() {
            // After the first slice of a large file's work, one slice a turn at once; the
            // first waits for the terminal to take the first frame.
            if self.worked {
                Duration::ZERO
            } else {
                Duration::from_millis(10)
            }
        } else if self.app.search.waiting() {
            Duration::from_millis(5)
        } else {
            Duration::from_millis(100)
        };
        match &self.probe {
            Some(p) if p.holds_bytes() => QUIET,
            Some(p) => p.time_left(Instant::now()).min(idle),
            None if !self.input.is_idle() => QUIET,
            None => idle,
        }
    }

    /// Draws what changed, hands out searches and takes their results, until nothing is left
    /// to do; then says what the driver is to do.
    ///
    /// # Errors
    /// Writing failed.
    pub fn update(&mut self) -> io::Result<Turn> {
        loop {
            if self.app.quit {
                return Ok(Turn::Quit);
            }
            if self.dirty {
                self.draw()?;
            }
            self.stage();
            // A large file's search index is built on a thread of its own: once it is here,
            // "indexing…" gives way to the results of what was typed meanwhile.
            if self.app.poll_search_index() {
                self.dirty = true;
            }
            if let Some(job) = self.app.take_search_request() {
                let _ = self
                    .worker
                    .get_or_insert_with(SearchWorker::start)
                    .jobs
                    .send(job);
            }
            while let Some(Ok(answer)) = self.worker.as_ref().map(|w| w.results.try_recv()) {
                self.dirty |= self.app.apply_search(answer);
            }
            if std::mem::take(&mut self.app.repaint) {
                self.reset_screen()?;
            }
            if std::mem::take(&mut self.app.suspend) {
                self.screen.writer().flush()?;
                return Ok(Turn::Suspend);
            }
            if !self.dirty {
                return Ok(Turn::Wait);
            }
        }
    }

    fn draw(&mut self) -> io::Result<()> {
        let app = &mut *self.app;
        let area = Rect::new(0, 0, app.size.0, app.size.1);
        let mut frame = std::mem::replace(&mut self.spare, Buffer::empty(Rect::ZERO));
        frame.resize(area);
        frame.reset();
        // A copy: its bytes go out after the frame; when tmux is known to stop them, the
        // status line says so instead of "copied".
        let make = self.make_clipboard;
        let copied = app.clipboard.take().map(|text| {
            let copied = self.clipboard.get_or_insert_with(make).copy(&text);
            if let Some(warning) = copied.warning {
                app.message = Some(warning);
            }
            copied.bytes
        });
        // A large file's links of the nodes coming on screen, found now: underlined in this
        // frame (a few nodes' text; nothing once found, nor once the whole text's are there).
        app.find_links_on_screen();
        let scrolled = self.scrolled();
        let cursor = view::draw(self.app, area, &mut frame);
        self.spare = self.screen.show(frame, scrolled, cursor)?;
        if let Some(bytes) = copied {
            self.screen.write_raw(&bytes)?;
        }
        self.dirty = false;
        self.before = None;
        self.reset = false;
        self.frames += 1;
        if self.frames == 1 {
            if self.probe_asked {
                self.probe = Some(Probe::new(Instant::now() + self.probe_deadline));
            }
            // Inside tmux, ask it now how it passes copies on (off this thread), so that the
            // first `y` need not wait for the answer.
            self.clipboard.get_or_insert_with(make);
        }
        Ok(())
    }

    /// Which rows the reader scrolled since the last frame, and by how much, when nothing
    /// else about the screen's shape changed.
    fn scrolled(&self) -> Option<(Range<u16>, i32)> {
        let before = self.before?;
        let app = &*self.app;
        if self.reset
            || (app.size, app.tree_visible()) != (before.size, before.tree)
            || app.too_small()
        {
            return None;
        }
        let g = app.geometry();
        let delta =
            i64::try_from(app.reader.top).unwrap_or(0) - i64::try_from(before.top).unwrap_or(0);
        i32::try_from(delta)
            .ok()
            .map(|d| (g.reader.y..g.reader.y + g.reader.height, d))
    }
}

fn only_events(got: Vec<Input>) -> Vec<Event> {
    got.into_iter()
        .filter_map(|i| match i {
            Input::Event(e) => Some(e),
            Input::CursorPosition { .. } => None,
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::corpus::load_embedded;
    use crate::tui::AppOptions;

    fn app() -> App {
        App::new(load_embedded(), AppOptions::default())
    }

    fn session(app: &mut App) -> Session<'_, Vec<u8>> {
        let mut s = Session::new(app, Vec::new(), Clipboard::plain);
        s.start((80, 24), false).unwrap();
        s
    }

    #[test]
    fn bytes_in_a_frame_out() {
        let mut app = app();
        let mut s = session(&mut app);
        assert_eq!(s.update().unwrap(), Turn::Wait);
        assert_eq!(s.frames(), 1);
        s.writer().clear();
        // A goto and an arrow key in one read, as a slow link delivers them.
        s.feed(b":23\r\x1b[B").unwrap();
        assert_eq!(s.update().unwrap(), Turn::Wait);
        assert_eq!(s.frames(), 2);
        assert!(!s.writer().is_empty());
        let top = s.app.reader.top;
        assert!(top > 0);
        s.feed(b"q").unwrap();
        assert_eq!(s.update().unwrap(), Turn::Quit);
    }

    #[test]
    fn a_lone_escape_waits_for_quiet() {
        let mut app = app();
        let mut s = session(&mut app);
        s.update().unwrap();
        s.feed(b"/ab").unwrap();
        s.update().unwrap();
        assert!(s.app.prompt.is_open());
        s.feed(b"\x1b").unwrap();
        assert_eq!(s.wait(), QUIET);
        s.quiet().unwrap();
        s.update().unwrap();
        assert!(!s.app.prompt.is_open());
    }

    #[test]
    fn a_resize_draws_in_full_at_the_new_size() {
        let mut app = app();
        let mut s = session(&mut app);
        s.update().unwrap();
        s.resize(40, 15).unwrap();
        s.update().unwrap();
        assert_eq!(s.app.size, (40, 15));
        assert_eq!(s.frames(), 2);
    }

    #[test]
    fn the_probe_answer_among_keys() {
        let mut app = app();
        let mut s = Session::new(&mut app, Vec::new(), Clipboard::plain);
        s.start((80, 24), true).unwrap();
        assert!(String::from_utf8_lossy(s.writer()).contains("\x1b[6n"));
        s.update().unwrap();
        assert!(s.probing());
        // `j`, the answer (a wide ambiguous character: column 3), `j`.
        s.feed(b"j\x1b[1;3Rj").unwrap();
        s.update().unwrap();
        assert!(!s.probing());
        assert!(s.app.theme.opts.ascii);
        // Both keys acted (the ASCII layout may put the same text on another line).
        assert!(s.app.reader.top >= 2);
    }
}
