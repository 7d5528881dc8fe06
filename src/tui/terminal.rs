//! The one place that owns the terminal: raw mode and the alternate screen are entered here
//! ([`enter`]) and left here ([`restore`]), on every way out — a normal quit, an error, a
//! panic, SIGTERM, SIGHUP, SIGINT or SIGQUIT. The event loop that runs in between is
//! `event_loop.rs`; nothing here reads keys or draws.

use std::io::{self, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use crossterm::event::{DisableBracketedPaste, EnableBracketedPaste};
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use crossterm::{cursor, execute, queue};

/// Enters raw mode, and queues the alternate screen, bracketed paste and a hidden cursor on
/// `out` (the caller flushes them, with the first frame: the terminal wakes once). The
/// returned [`Guard`] restores the terminal when dropped.
///
/// # Errors
/// Raw mode could not be entered, or writing failed.
pub fn enter(out: &mut impl Write) -> io::Result<Guard> {
    set_up(out)?;
    Ok(Guard)
}

fn set_up(out: &mut impl Write) -> io::Result<()> {
    enable_raw_mode()?;
    queue!(
        out,
        EnterAlternateScreen,
        EnableBracketedPaste,
        cursor::Hide
    )
}

/// Ctrl-z: puts the terminal back as it was, stops the process as a shell expects (SIGTSTP),
/// and when it is continued (`fg`, SIGCONT) enters raw mode and the alternate screen again on
/// `out` (the caller redraws everything, at the terminal's size then).
///
/// # Errors
/// The signal could not be raised, or the terminal could not be entered again.
pub fn suspend(out: &mut impl Write) -> io::Result<()> {
    restore();
    signal_hook::low_level::raise(signal_hook::consts::SIGTSTP)?;
    set_up(out)
}

/// Puts the terminal back as it was found. Safe to call more than once.
pub fn restore() {
    let mut out = io::stdout();
    let _ = execute!(
        out,
        DisableBracketedPaste,
        LeaveAlternateScreen,
        cursor::Show
    );
    let _ = disable_raw_mode();
    let _ = out.flush();
}

/// Restores the terminal when dropped, whatever path leaves the event loop.
#[must_use = "the terminal is restored when the guard is dropped"]
pub struct Guard;

impl Drop for Guard {
    fn drop(&mut self) {
        restore();
    }
}

/// Restores the terminal before a panic's message is printed (install after any other hook).
pub fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
    }));
}

/// The signals the browser listens for: one that asks it to stop (its number, 0 for none),
/// and whether the window was resized since last asked.
#[derive(Debug, Clone)]
pub struct Signals {
    stop: Arc<AtomicUsize>,
    resized: Arc<AtomicBool>,
}

impl Signals {
    /// Registers SIGTERM, SIGHUP, SIGINT and SIGQUIT (which ask to stop) and SIGWINCH.
    ///
    /// # Errors
    /// A handler could not be registered.
    pub fn register() -> io::Result<Self> {
        let stop = Arc::new(AtomicUsize::new(0));
        for sig in [
            signal_hook::consts::SIGTERM,
            signal_hook::consts::SIGHUP,
            signal_hook::consts::SIGINT,
            signal_hook::consts::SIGQUIT,
        ] {
            signal_hook::flag::register_usize(
                sig,
                Arc::clone(&stop),
                usize::try_from(sig).unwrap_or(0),
            )?;
        }
        // Any resize, even one that ends at the size it started from, may have changed what
        // the terminal shows: the loop redraws in full after each.
        let resized = Arc::new(AtomicBool::new(false));
        signal_hook::flag::register(signal_hook::consts::SIGWINCH, Arc::clone(&resized))?;
        Ok(Signals { stop, resized })
    }

    /// The signal that asked the browser to stop, if one did.
    #[must_use]
    pub fn stop(&self) -> Option<i32> {
        match self.stop.load(Ordering::Relaxed) {
            0 => None,
            sig => Some(i32::try_from(sig).unwrap_or(0)),
        }
    }

    /// Whether the window was resized since the last call.
    #[must_use]
    pub fn take_resized(&self) -> bool {
        self.resized.swap(false, Ordering::Relaxed)
    }

    /// Once a stop signal has arrived, the loop has a second to end cleanly; if it is stuck
    /// (in a library that does not return), the terminal is restored and the process ends
    /// from here.
    pub fn spawn_watchdog(&self) {
        let signal = Arc::clone(&self.stop);
        std::thread::spawn(move || {
            loop {
                std::thread::sleep(Duration::from_millis(100));
                let sig = signal.load(Ordering::Relaxed);
                if sig != 0 {
                    std::thread::sleep(Duration::from_secs(1));
                    restore();
                    std::process::exit(128 + i32::try_from(sig).unwrap_or(0));
                }
            }
        });
    }
}
