//! Long output through a pager, as git and bat do: `show` and `outline` on a terminal, when
//! taller than the screen, go through `$KAIGI_PAGER`, else `$PAGER`, else `less -R`; never to
//! a pipe, never with `--no-pager`. A pager that cannot start is no error: the text is
//! printed.

use std::io::{self, Write};
use std::process::{Command, Stdio};

/// The pager's command line, from the environment as `env` reads it; `None` for none (a
/// variable set to nothing or to `cat`).
#[must_use]
pub fn command(env: impl Fn(&str) -> Option<String>) -> Option<Vec<String>> {
    let chosen = env("KAIGI_PAGER")
        .or_else(|| env("PAGER"))
        .unwrap_or_else(|| "less -R".to_string());
    let words = shell_words::split(&chosen).ok()?;
    match words.first().map(String::as_str) {
        None | Some("cat") => None,
        Some(_) => Some(words),
    }
}

/// Whether output of `lines` lines should be paged on a screen `rows` tall.
#[must_use]
pub fn wanted(stdout_is_terminal: bool, no_pager: bool, lines: usize, rows: u16) -> bool {
    stdout_is_terminal && !no_pager && lines > usize::from(rows)
}

/// Sends `text` through the pager and waits for it to end. `Ok(false)` when it could not be
/// started (the caller prints the text itself).
///
/// # Errors
/// Waiting for the pager failed.
pub fn page(words: &[String], text: &[u8]) -> io::Result<bool> {
    let Some((program, args)) = words.split_first() else {
        return Ok(false);
    };
    let mut cmd = Command::new(program);
    cmd.args(args).stdin(Stdio::piped());
    // As git does: less quits when the text fits, keeps colour and leaves the text on screen.
    if std::env::var_os("LESS").is_none() {
        cmd.env("LESS", "FRX");
    }
    if std::env::var_os("LV").is_none() {
        cmd.env("LV", "-c");
    }
    let Ok(mut child) = cmd.spawn() else {
        return Ok(false);
    };
    // Ctrl-c in the pager is the pager's: kaigi waits for it rather than leaving it behind
    // with the terminal.
    let ignore = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let registered = [signal_hook::consts::SIGINT, signal_hook::consts::SIGQUIT]
        .map(|sig| signal_hook::flag::register(sig, std::sync::Arc::clone(&ignore)));
    if let Some(mut stdin) = child.stdin.take() {
        // The pager may quit before reading everything: that is the user's choice.
        let _ = stdin.write_all(text);
    }
    let status = child.wait();
    for id in registered.into_iter().flatten() {
        signal_hook::low_level::unregister(id);
    }
    status.map(|_| true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(vars: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |k| {
            vars.iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| (*v).to_string())
        }
    }

    #[test]
    fn chosen_by_environment() {
        let words = |v: Vec<&str>| Some(v.into_iter().map(String::from).collect::<Vec<_>>());
        assert_eq!(command(env(&[])), words(vec!["less", "-R"]));
        assert_eq!(command(env(&[("PAGER", "more")])), words(vec!["more"]));
        assert_eq!(
            command(env(&[("PAGER", "more"), ("KAIGI_PAGER", "bat -p")])),
            words(vec!["bat", "-p"])
        );
        assert_eq!(
            command(env(&[("PAGER", "'/opt/my pager' -x")])),
            words(vec!["/opt/my pager", "-x"])
        );
        assert_eq!(command(env(&[("PAGER", "cat")])), None);
        assert_eq!(
            command(env(&[("KAIGI_PAGER", ""), ("PAGER", "more")])),
            None
        );
    }

    #[test]
    fn only_on_a_terminal_and_when_taller() {
        assert!(wanted(true, false, 25, 24));
        assert!(!wanted(true, false, 24, 24));
        assert!(!wanted(false, false, 400, 24));
        assert!(!wanted(true, true, 400, 24));
    }

    #[test]
    fn a_missing_pager_is_no_error() {
        let words = vec!["/no/such/pager".to_string()];
        assert!(!page(&words, b"text\n").expect("no error"));
    }
}
