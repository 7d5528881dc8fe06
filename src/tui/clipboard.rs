//! Copying to the user's own clipboard across SSH with OSC 52, through crossterm's
//! [`CopyToClipboard`]. Terminals send no acknowledgement, so what can be known is checked:
//!
//! - outside tmux, the plain sequence goes to the terminal;
//! - inside tmux (`TMUX` set), the plain sequence, which tmux takes into its buffer and passes
//!   to the outer terminal with `set-clipboard on`, and the same wrapped for passthrough, which
//!   tmux 3.3 and later pass on only with `allow-passthrough on`. tmux itself is asked once,
//!   off the drawing thread and for at most [`TMUX_TIMEOUT`], which of the two it lets
//!   through; when it says neither, the status line says so, with the line that opens the way
//!   (and tmux is asked again at the next copy, since the user may have followed it).
//!
//! Nothing here writes to the terminal: [`Clipboard::copy`] returns the bytes, so a session
//! over another channel copies the same way.

use std::process::{Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use crossterm::Command as _;
use crossterm::clipboard::CopyToClipboard;

/// How long tmux is given to say how it is set.
pub const TMUX_TIMEOUT: Duration = Duration::from_millis(300);

/// The line for `~/.tmux.conf` that lets a program inside tmux reach the clipboard.
pub const TMUX_FIX: &str = "set -g set-clipboard on";

/// What tmux said about the two ways a copy can leave it (`None`: it did not say).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TmuxSettings {
    /// `set-clipboard`: `on`, `external` or `off`.
    pub set_clipboard: Option<String>,
    /// `allow-passthrough`: `on`, `all` or `off` (tmux 3.3 and later).
    pub allow_passthrough: Option<String>,
}

impl TmuxSettings {
    /// Whether tmux is known to let neither the plain nor the wrapped sequence out. An option
    /// tmux did not report is taken as open: before 3.3 there is no `allow-passthrough`, and
    /// passthrough always works.
    #[must_use]
    pub fn blocks_copying(&self) -> bool {
        let plain = self.set_clipboard.as_deref().is_none_or(|v| v == "on");
        let wrapped = self
            .allow_passthrough
            .as_deref()
            .is_none_or(|v| v == "on" || v == "all");
        !plain && !wrapped
    }
}

/// The OSC 52 sequence that puts `text` on the clipboard, as crossterm writes it.
#[must_use]
pub fn osc52(text: &str) -> String {
    let mut s = String::new();
    // Writing to a String cannot fail.
    let _ = CopyToClipboard::to_clipboard_from(text.as_bytes()).write_ansi(&mut s);
    s
}

/// `seq` wrapped for tmux's passthrough: `DCS tmux; <seq with every ESC doubled> ST`.
#[must_use]
pub fn tmux_passthrough(seq: &str) -> String {
    format!("\x1bPtmux;{}\x1b\\", seq.replace('\x1b', "\x1b\x1b"))
}

/// The status line after a copy: `copied g7:23 — 196 characters`.
#[must_use]
pub fn copied_message(what: &str, chars: usize) -> String {
    let unit = if chars == 1 {
        "character"
    } else {
        "characters"
    };
    format!("copied {what} — {chars} {unit}")
}

/// What a copy sends, and what the user should be told besides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Copied {
    /// The bytes to write to the terminal.
    pub bytes: String,
    /// When the copy is known not to arrive: why, and what to do.
    pub warning: Option<String>,
}

/// Where copies go: the terminal, or the terminal through tmux.
#[derive(Debug)]
pub struct Clipboard {
    tmux: Option<TmuxAnswer>,
    /// Whether tmux can be asked again (the real one, not settings given by a test).
    live: bool,
}

/// tmux's answer, asked for in the background and kept once it came.
#[derive(Debug)]
enum TmuxAnswer {
    Waiting(Receiver<TmuxSettings>, Instant),
    Known(TmuxSettings),
    /// To be asked again at the next copy.
    Stale,
}

impl Clipboard {
    /// A terminal with no tmux in between.
    #[must_use]
    pub fn plain() -> Self {
        Clipboard {
            tmux: None,
            live: false,
        }
    }

    /// Inside tmux, which has already said how it is set (for tests and other channels).
    #[must_use]
    pub fn in_tmux(settings: TmuxSettings) -> Self {
        Clipboard {
            tmux: Some(TmuxAnswer::Known(settings)),
            live: false,
        }
    }

    /// For this process: inside tmux when `TMUX` is set, and then tmux is asked at once, on
    /// another thread, how it is set.
    #[must_use]
    pub fn from_env() -> Self {
        if std::env::var_os("TMUX").is_none() {
            return Self::plain();
        }
        Clipboard {
            tmux: Some(ask_in_background()),
            live: true,
        }
    }

    /// What tmux said, waiting for it at most until [`TMUX_TIMEOUT`] after it was asked.
    fn tmux_settings(&mut self) -> Option<&TmuxSettings> {
        let answer = self.tmux.as_mut()?;
        if let TmuxAnswer::Stale = answer {
            *answer = ask_in_background();
        }
        if let TmuxAnswer::Waiting(rx, asked) = answer {
            let left = TMUX_TIMEOUT.saturating_sub(asked.elapsed());
            *answer = TmuxAnswer::Known(rx.recv_timeout(left).unwrap_or_default());
        }
        match answer {
            TmuxAnswer::Known(s) => Some(s),
            TmuxAnswer::Waiting(..) | TmuxAnswer::Stale => None,
        }
    }

    /// The bytes that put `text` on the clipboard, and a warning when tmux is known to stop
    /// them.
    pub fn copy(&mut self, text: &str) -> Copied {
        let seq = osc52(text);
        let Some(settings) = self.tmux_settings() else {
            return Copied {
                bytes: seq,
                warning: None,
            };
        };
        let warning = settings
            .blocks_copying()
            .then(|| format!("tmux stops the copy: add \"{TMUX_FIX}\" to ~/.tmux.conf"));
        // Once told, the user may change tmux's settings: ask again at the next copy.
        if warning.is_some() && self.live {
            self.tmux = Some(TmuxAnswer::Stale);
        }
        Copied {
            bytes: format!("{seq}{}", tmux_passthrough(&seq)),
            warning,
        }
    }
}

/// Asks tmux on another thread; the answer is waited for when a copy needs it.
fn ask_in_background() -> TmuxAnswer {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(ask_tmux(TMUX_TIMEOUT));
    });
    TmuxAnswer::Waiting(rx, Instant::now())
}

/// Asks the tmux server this process runs under for its two clipboard options, each in its
/// own `tmux show-options -gv`, together within `timeout`.
#[must_use]
pub fn ask_tmux(timeout: Duration) -> TmuxSettings {
    let deadline = Instant::now() + timeout;
    let spawn = |option: &str| {
        Command::new("tmux")
            .args(["show-options", "-gv", option])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .ok()
    };
    let clipboard = spawn("set-clipboard");
    let passthrough = spawn("allow-passthrough");
    TmuxSettings {
        set_clipboard: clipboard.and_then(|c| finish(c, deadline)),
        allow_passthrough: passthrough.and_then(|c| finish(c, deadline)),
    }
}

/// The first line a child printed, if it succeeded by the deadline; killed if not.
fn finish(mut child: std::process::Child, deadline: Instant) -> Option<String> {
    loop {
        match child.try_wait() {
            Ok(Some(status)) if status.success() => break,
            Ok(None) if Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(5));
            }
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
        }
    }
    let mut out = String::new();
    std::io::Read::read_to_string(&mut child.stdout.take()?, &mut out).ok()?;
    let value = out.lines().next()?.trim();
    (!value.is_empty()).then(|| value.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(clipboard: Option<&str>, passthrough: Option<&str>) -> TmuxSettings {
        TmuxSettings {
            set_clipboard: clipboard.map(str::to_string),
            allow_passthrough: passthrough.map(str::to_string),
        }
    }

    #[test]
    fn plain_sequence() {
        // "hi" is aGk= in base64; crossterm ends the sequence with ST.
        assert_eq!(osc52("hi"), "\x1b]52;c;aGk=\x1b\\");
        assert_eq!(osc52("ランサム"), "\x1b]52;c;44Op44Oz44K144Og\x1b\\");
        let c = Clipboard::plain().copy("hi");
        assert_eq!(c.bytes, "\x1b]52;c;aGk=\x1b\\");
        assert_eq!(c.warning, None);
    }

    #[test]
    fn inside_tmux_both_the_plain_and_the_wrapped_sequence() {
        let c = Clipboard::in_tmux(settings(Some("on"), Some("off"))).copy("hi");
        assert_eq!(
            c.bytes,
            "\x1b]52;c;aGk=\x1b\\\x1bPtmux;\x1b\x1b]52;c;aGk=\x1b\x1b\\\x1b\\"
        );
        assert_eq!(c.warning, None);
    }

    #[test]
    fn tmux_that_lets_nothing_out_is_named_with_the_fix() {
        for (clip, pass) in [(Some("external"), Some("off")), (Some("off"), Some("off"))] {
            let c = Clipboard::in_tmux(settings(clip, pass)).copy("hi");
            assert_eq!(
                c.warning.as_deref(),
                Some("tmux stops the copy: add \"set -g set-clipboard on\" to ~/.tmux.conf"),
                "{clip:?} {pass:?}"
            );
            // Sent all the same: the settings may change before the next copy.
            assert!(c.bytes.starts_with("\x1b]52;c;aGk="));
        }
        for (clip, pass) in [
            (Some("on"), Some("off")),
            (Some("external"), Some("on")),
            (Some("off"), Some("all")),
            // tmux before 3.3: no allow-passthrough, and passthrough works.
            (Some("external"), None),
            // tmux did not answer: nothing is claimed.
            (None, None),
        ] {
            assert!(!settings(clip, pass).blocks_copying(), "{clip:?} {pass:?}");
        }
    }

    #[test]
    fn message_in_words() {
        assert_eq!(
            copied_message("g7:23", 196),
            "copied g7:23 — 196 characters"
        );
        assert_eq!(copied_message("cri:1", 1), "copied cri:1 — 1 character");
    }

    #[test]
    fn hostile_text_stays_inside_the_base64() {
        let s = osc52("\x1b]0;pwned\x07\u{202e}");
        assert_eq!(
            s.matches('\x1b').count(),
            2,
            "only the sequence's own ESC and ST"
        );
        assert!(!s.contains('\x07'));
        let wrapped = tmux_passthrough(&s);
        assert!(wrapped.starts_with("\x1bPtmux;") && wrapped.ends_with("\x1b\\"));
    }
}
