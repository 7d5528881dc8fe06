//! The local terminal's loop: waits for the terminal's input and hands it to a
//! [`Session`] (which draws, applies effects and runs searches, as it does for an SSH
//! connection). The terminal itself (raw mode, the alternate screen, signals, restoring on
//! every way out) is owned by `terminal.rs`.

use std::io::{self, BufWriter};
use std::time::Duration;

use crossterm::event;

use std::sync::mpsc::Receiver;

use super::app::App;
use super::clipboard::Clipboard;
use super::keymap::Action;
use super::probe;
use super::session::{Session, Turn};
use super::terminal::{self, Signals};
use crate::present::Cue;
use crate::present::local::{Follower, Presenter};

/// How the browser ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// The user quit.
    Quit,
    /// A signal asked it to stop (its number).
    Signal(i32),
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

/// Presenting to, or following, other kaigi processes on this machine.
pub enum LocalStage {
    /// `--present NAME`: followers connect to this socket.
    Present(Presenter),
    /// `--follow NAME`: the presenter's moves.
    Follow(Receiver<Cue>),
}

/// How often a follower looks for the presenter's moves when nothing else happens.
const FOLLOW_WAIT: Duration = Duration::from_millis(30);

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
    run_with(app, probe_ambiguous, None)
}

/// [`run`], presenting or following over a local socket.
///
/// # Errors
/// Terminal I/O errors.
///
/// # Panics
/// Only on purpose, when `KAIGI_TEST_PANIC` is set (the tests of the panic path).
pub fn run_with(
    app: &mut App,
    probe_ambiguous: bool,
    stage: Option<LocalStage>,
) -> io::Result<Exit> {
    let signals = Signals::register()?;
    terminal::install_panic_hook();
    // Everything up to the end of the first frame goes out in one write: the terminal (and
    // the SSH connection) wakes once.
    // The guard is declared before the session so that it is dropped after it: whatever the
    // screen still holds (a reset queued with the last key) goes out before the terminal is
    // restored, never after.
    let _guard: terminal::Guard;
    let mut session = Session::new(
        app,
        BufWriter::with_capacity(1 << 16, io::stdout()),
        Clipboard::from_env,
    )
    .with_probe_deadline(probe_deadline());
    let mut cues = None;
    match stage {
        Some(LocalStage::Present(p)) => {
            session = session.with_link(Box::new(p), true);
            // Presenting from the start.
            let effects = session.app.follow.update(Action::Present);
            session.app.apply_all(effects);
        }
        Some(LocalStage::Follow(rx)) => {
            session = session.with_link(Box::new(Follower), false);
            cues = Some(rx);
        }
        None => {}
    }
    _guard = terminal::enter(session.writer())?;
    session.start(crossterm::terminal::size()?, probe_ambiguous)?;
    let test_panic = std::env::var_os("KAIGI_TEST_PANIC").is_some();
    let mut watchdog = false;
    loop {
        if let Some(sig) = signals.stop() {
            return Ok(Exit::Signal(sig));
        }
        match session.update()? {
            Turn::Quit => return Ok(Exit::Quit),
            Turn::Suspend => {
                terminal::suspend(session.writer())?;
                // Back from the shell: the terminal may have changed size, and shows the shell.
                let (w, h) = crossterm::terminal::size()?;
                session.resize(w, h)?;
                continue;
            }
            Turn::Wait => {}
        }
        if !watchdog && session.frames() > 0 {
            watchdog = true;
            signals.spawn_watchdog();
        }
        // For the tests of the panic path: a panic after the first frame must still leave
        // the terminal as it was found.
        assert!(!test_panic, "KAIGI_TEST_PANIC is set: panicking on purpose");
        let mut wait = session.wait();
        if let Some(rx) = &cues {
            let mut moved = false;
            for cue in rx.try_iter() {
                session.cue(cue);
                moved = true;
            }
            if moved {
                continue;
            }
            wait = wait.min(FOLLOW_WAIT);
        }
        let input = wait_for_input(wait);
        if input == Input::Ready {
            // The window's size before the bytes that came with it: a resize made before
            // keys were typed is applied before them, wherever the signal went (another
            // thread may take SIGWINCH, and late under load) and whatever the turn was busy
            // with when both came. Keys typed at the new size are what the reader meant
            // there (`kk` after widening the window moves two of the new lines).
            check_size(&mut session, &signals)?;
        }
        if session.probing() {
            // Until the terminal answers the probe, its bytes are read here, not by
            // crossterm: every key typed meanwhile is applied at once, and the answer is
            // recognised wherever it comes among them.
            match input {
                Input::HungUp => return Ok(Exit::Signal(signal_hook::consts::SIGHUP)),
                Input::Ready => match read_terminal() {
                    Some(bytes) => session.feed(&bytes)?,
                    None => return Ok(Exit::Signal(signal_hook::consts::SIGHUP)),
                },
                Input::Quiet => session.quiet()?,
            }
        } else {
            // Wait for input on the descriptor ourselves: crossterm's reader spins forever
            // once the terminal is gone (a read of 0 bytes is retried), so it is only asked
            // for events when there are bytes to read.
            let has_event = match input {
                Input::HungUp => return Ok(Exit::Signal(signal_hook::consts::SIGHUP)),
                Input::Ready => event::poll(SETTLE)?,
                Input::Quiet => {
                    session.quiet()?;
                    false
                }
            };
            // Take every event already waiting before drawing again (resizes are read below,
            // from the terminal's real size).
            let mut pending = has_event;
            while pending {
                session.handle_events([event::read()?]);
                pending = !session.app.quit && event::poll(SETTLE)?;
            }
        }
        check_size(&mut session, &signals)?;
    }
}

/// Resizes the session if the window changed. A storm of resizes can lose SIGWINCH-driven
/// events, so the terminal's real size is read (one ioctl): the screen always ends at the size
/// it really has.
fn check_size<W: io::Write>(session: &mut Session<'_, W>, signals: &Signals) -> io::Result<()> {
    let (w, h) = crossterm::terminal::size()?;
    if signals.take_resized() || (w, h) != session.app.size {
        session.resize(w, h)?;
    }
    Ok(())
}
