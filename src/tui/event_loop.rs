//! The event loop: reads the terminal's input, hands it to the [`App`], draws a frame when
//! something changed, and runs searches off the drawing thread. The terminal itself (raw mode,
//! the alternate screen, signals, restoring on every way out) is owned by `terminal.rs`.

use std::io::{self, BufWriter, Write};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossterm::event::{self, Event};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::app::App;
use super::clipboard::Clipboard;
use super::probe::{self, AmbiguousWidth, Probe};
use super::screen::Screen;
use super::terminal::{self, Signals};
use super::view;

/// How the browser ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// The user quit.
    Quit,
    /// A signal asked it to stop (its number).
    Signal(i32),
}

/// The thread that runs searches: queries in, results out. Only the newest query waiting is
/// run.
struct SearchWorker {
    jobs: std::sync::mpsc::Sender<(Arc<crate::search::SearchIndex>, String)>,
    results: std::sync::mpsc::Receiver<(String, crate::search::Outcome)>,
}

impl SearchWorker {
    fn start() -> Self {
        let (jobs, worker_in) =
            std::sync::mpsc::channel::<(Arc<crate::search::SearchIndex>, String)>();
        let (worker_out, results) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            while let Ok(mut job) = worker_in.recv() {
                while let Ok(newer) = worker_in.try_recv() {
                    job = newer;
                }
                let outcome = super::search::run(&job.0, &job.1);
                if worker_out.send((job.1, outcome)).is_err() {
                    break;
                }
            }
        });
        SearchWorker { jobs, results }
    }
}

/// How long crossterm is given to hand over the events of input that has arrived. Its reader
/// (built with `use-dev-tty`: plain `poll(2)`, so input that arrives with a resize is never
/// lost, as it was with the edge-triggered default) does not look at all when asked to wait
/// for no time.
const SETTLE: Duration = Duration::from_millis(1);

/// What waiting on the terminal's input found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Input {
    Ready,
    Quiet,
    /// The terminal went away (the SSH connection dropped, the window closed).
    HungUp,
}

/// Waits up to `timeout` for bytes on standard input. A signal (a resize) ends the wait early.
fn wait_for_input(timeout: Duration) -> Input {
    use rustix::event::{PollFd, PollFlags, Timespec, poll};
    let stdin = io::stdin();
    let ts = Timespec {
        tv_sec: i64::try_from(timeout.as_secs()).unwrap_or(0),
        tv_nsec: i64::from(timeout.subsec_nanos()),
    };
    let mut fds = [PollFd::new(&stdin, PollFlags::IN)];
    match poll(&mut fds, Some(&ts)) {
        Ok(0) | Err(rustix::io::Errno::INTR) => Input::Quiet,
        Ok(_) => {
            let got = fds[0].revents();
            if got.intersects(PollFlags::HUP | PollFlags::ERR | PollFlags::NVAL) {
                Input::HungUp
            } else {
                Input::Ready
            }
        }
        Err(_) => Input::HungUp,
    }
}

/// How long to wait for input when there is nothing to draw. Briefly while a search is out,
/// so its results show as soon as they come. The text the first frame did not need is laid out
/// once the terminal has had a moment to take that frame (working at once would compete with
/// it for the CPU), or before the first key, whichever comes first.
fn idle_wait(app: &App, worked: bool) -> Duration {
    if app.has_work() {
        // A large file is read and laid out in slices ([`App::work`]): after the first,
        // one slice a turn, keys looked at between two.
        if worked {
            Duration::ZERO
        } else {
            Duration::from_millis(10)
        }
    } else if app.search.waiting() {
        Duration::from_millis(5)
    } else {
        Duration::from_millis(100)
    }
}

/// How long input must be quiet before a lone `ESC` read by the probe is the Esc key.
const QUIET: Duration = Duration::from_millis(25);

/// How long the probe waits for its answer: [`probe::DEADLINE`], or `KAIGI_PROBE_TIMEOUT_MS`
/// (for the tests, which need a long one to tell "at once" from "at the deadline").
fn probe_deadline() -> Duration {
    std::env::var("KAIGI_PROBE_TIMEOUT_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .map_or(probe::DEADLINE, Duration::from_millis)
}

/// Reads what is waiting on standard input, straight from the descriptor (`Stdin` would
/// buffer bytes). `None` when the terminal is gone.
fn read_terminal() -> Option<Vec<u8>> {
    let mut buf = vec![0u8; 4096];
    match rustix::io::read(io::stdin(), &mut buf) {
        Ok(0) => None,
        Ok(n) => {
            buf.truncate(n);
            Some(buf)
        }
        Err(rustix::io::Errno::INTR | rustix::io::Errno::AGAIN) => Some(Vec::new()),
        Err(_) => None,
    }
}

/// Runs the browser until the user quits or a signal asks it to stop. With `probe_ambiguous`,
/// the terminal is first asked how wide it draws ambiguous characters. The terminal is
/// restored when this returns, on every path; the caller then saves the state
/// ([`App::save_state`]), so that a failure can be told on stderr.
///
/// # Errors
/// Terminal I/O errors.
///
/// # Panics
/// Only on purpose, when `KAIGI_TEST_PANIC` is set (the tests of the panic path).
pub fn run(app: &mut App, probe_ambiguous: bool) -> io::Result<Exit> {
    let signals = Signals::register()?;
    terminal::install_panic_hook();
    // Everything up to the end of the first frame goes out in one write: the terminal (and
    // the SSH connection) wakes once.
    // The guard is declared before the screen so that it is dropped after it: whatever the
    // screen still holds (a reset queued with the last key) goes out before the terminal is
    // restored, never after.
    let _guard: terminal::Guard;
    let mut screen = Screen::new(BufWriter::with_capacity(1 << 16, io::stdout()));
    _guard = terminal::enter(screen.writer())?;
    // Ask how the terminal draws ambiguous characters, but draw the first frame without
    // waiting for the answer (over SSH it is a round trip away): on a terminal that draws them
    // narrow, the usual kind, that frame is already right; on the others the answer, or its
    // absence, brings a redraw with characters that are never ambiguous.
    if probe_ambiguous {
        probe::ask(screen.writer())?;
    }
    let (w, h) = crossterm::terminal::size()?;
    if (w, h) != app.size {
        app.resize(w, h);
    }
    screen.reset()?;
    // The frame drawn last time, reused for the next one.
    let mut spare = Buffer::empty(Rect::ZERO);
    let mut first_frame = true;
    // Where copies go (inside tmux or not), known after the first frame.
    let mut clipboard: Option<Clipboard> = None;
    // Searches run on a worker thread, started at the first search, so typing never waits
    // for one and start-up does not pay for it.
    let mut worker: Option<SearchWorker> = None;
    let test_panic = std::env::var_os("KAIGI_TEST_PANIC").is_some();
    let mut dirty = true;
    let mut scrolled = None;
    // The ambiguous-width probe, while it waits for its answer.
    let mut probe: Option<Probe> = None;
    // Whether a slice of a large file's work has been done ([`App::work`]): the first waits
    // for the terminal to take the first frame, the others follow at once.
    let mut worked = false;
    loop {
        if let Some(sig) = signals.stop() {
            return Ok(Exit::Signal(sig));
        }
        if app.quit {
            return Ok(Exit::Quit);
        }
        if dirty {
            let area = Rect::new(0, 0, app.size.0, app.size.1);
            let mut frame = std::mem::replace(&mut spare, Buffer::empty(Rect::ZERO));
            frame.resize(area);
            frame.reset();
            // A copy: its bytes go out after the frame; when tmux is known to stop them, the
            // status line says so instead of "copied".
            let copied = app.clipboard.take().map(|text| {
                let copied = clipboard
                    .get_or_insert_with(Clipboard::from_env)
                    .copy(&text);
                if let Some(warning) = copied.warning {
                    app.message = Some(warning);
                }
                copied.bytes
            });
            let cursor = view::draw(app, area, &mut frame);
            spare = screen.show(frame, scrolled.take(), cursor)?;
            if let Some(bytes) = copied {
                screen.write_raw(&bytes)?;
            }
            dirty = false;
            if first_frame {
                first_frame = false;
                signals.spawn_watchdog();
                if probe_ambiguous {
                    probe = Some(Probe::new(Instant::now() + probe_deadline()));
                }
                // Inside tmux, ask it now how it passes copies on (off this thread), so that
                // the first `y` need not wait for the answer.
                clipboard.get_or_insert_with(Clipboard::from_env);
            }
            // For the tests of the panic path: a panic after the first frame must still leave
            // the terminal as it was found.
            assert!(!test_panic, "KAIGI_TEST_PANIC is set: panicking on purpose");
        }
        // A large file's search index is built on a thread of its own: once it is here,
        // "indexing…" gives way to the results of what was typed meanwhile.
        if app.poll_search_index() {
            dirty = true;
        }
        if let Some(job) = app.take_search_request() {
            let _ = worker
                .get_or_insert_with(SearchWorker::start)
                .jobs
                .send(job);
        }
        while let Some(Ok((query, outcome))) = worker.as_ref().map(|w| w.results.try_recv()) {
            app.apply_search(&query, outcome);
            dirty = true;
        }
        if std::mem::take(&mut app.repaint) {
            screen.reset()?;
            dirty = true;
        }
        if std::mem::take(&mut app.suspend) {
            screen.writer().flush()?;
            terminal::suspend(screen.writer())?;
            // Back from the shell: the terminal may have changed size, and shows the shell.
            let (w, h) = crossterm::terminal::size()?;
            app.resize(w, h);
            screen.reset()?;
            dirty = true;
        }
        if dirty {
            continue;
        }
        if let Some(p) = &mut probe {
            // Until the terminal answers the probe, its bytes are read here, not by
            // crossterm: every key typed meanwhile is applied at once, and the answer is
            // recognised wherever it comes among them.
            let wait = if p.holds_bytes() {
                QUIET
            } else {
                p.time_left(Instant::now()).min(idle_wait(app, worked))
            };
            let events = match wait_for_input(wait) {
                Input::HungUp => return Ok(Exit::Signal(signal_hook::consts::SIGHUP)),
                Input::Ready => match read_terminal() {
                    Some(bytes) => p.feed(&bytes),
                    None => return Ok(Exit::Signal(signal_hook::consts::SIGHUP)),
                },
                Input::Quiet => {
                    if app.has_work() {
                        worked = true;
                        dirty |= app.work();
                    }
                    p.flush()
                }
            };
            for ev in &events {
                if app.quit {
                    break;
                }
                if !matches!(ev, Event::Resize(..)) {
                    app.handle_event(ev);
                    dirty = true;
                }
            }
            // The answer (or the deadline) acts before the next frame is drawn.
            if p.take_answer(Instant::now())
                .is_some_and(AmbiguousWidth::needs_ascii)
            {
                app.set_ascii(true);
                screen.reset()?;
                dirty = true;
            }
            // Back to crossterm's reader, unless bytes are held that it would never see.
            if p.is_done() {
                probe = None;
            }
            let (w, h) = crossterm::terminal::size()?;
            if signals.take_resized() || (w, h) != app.size {
                app.resize(w, h);
                screen.reset()?;
                dirty = true;
            }
            continue;
        }
        let before = (app.reader.top, app.size, app.tree_visible());
        let laying_out = app.has_work();
        let wait = idle_wait(app, worked);
        // Wait for input on the descriptor ourselves: crossterm's reader spins forever once the
        // terminal is gone (a read of 0 bytes is retried), so it is only asked for events
        // when there are bytes to read.
        let has_event = match wait_for_input(wait) {
            Input::HungUp => return Ok(Exit::Signal(signal_hook::consts::SIGHUP)),
            Input::Ready => event::poll(SETTLE)?,
            Input::Quiet => {
                if laying_out {
                    worked = true;
                    dirty |= app.work();
                } else if app.refs.is_none() && !app.is_large() {
                    // The links are underlined once built: off the first frame, when idle.
                    // (Not for a large file: finding them in all of it holds the keys, `q`
                    // too, for seconds; there they are found at the first link key.)
                    app.refs();
                    dirty = true;
                }
                false
            }
        };
        // Take every event already waiting before drawing again.
        let mut pending = has_event;
        while pending {
            match event::read()? {
                // Handled below, from the terminal's real size.
                Event::Resize(..) => {}
                ev => app.handle_event(&ev),
            }
            pending = !app.quit && event::poll(SETTLE)?;
        }
        // A storm of resizes can lose SIGWINCH-driven events, so the terminal's real size is
        // checked on every turn (one ioctl): the screen always ends at the size it really has.
        let (w, h) = crossterm::terminal::size()?;
        let reset = signals.take_resized() || (w, h) != app.size;
        if reset {
            app.resize(w, h);
            screen.reset()?;
            dirty = true;
        }
        if !has_event {
            continue;
        }
        if !reset && (app.size, app.tree_visible()) == (before.1, before.2) && !app.too_small() {
            let g = app.geometry();
            let delta =
                i64::try_from(app.reader.top).unwrap_or(0) - i64::try_from(before.0).unwrap_or(0);
            scrolled = i32::try_from(delta)
                .ok()
                .map(|d| (g.reader.y..g.reader.y + g.reader.height, d));
        }
        dirty = true;
    }
}
