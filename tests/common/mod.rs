//! Drives the real binary in a pseudo-terminal and reads its screen through a terminal
//! emulator (vt100), as a person would see it. Waits on screen conditions, never bare sleeps.

#![allow(dead_code, clippy::unwrap_used)]

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

/// A config directory that does not exist: the programs under test read no config file.
pub const NO_CONFIG_HOME: &str = "/nonexistent/kaigi-test-config-home";

/// The kaigi binary as a command that reads no config file, pager setting or kept state of
/// the machine's user: a test says what it wants.
pub fn kaigi_command() -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_kaigi"));
    for var in ["KAIGI_CONFIG", "KAIGI_PAGER", "PAGER"] {
        cmd.env_remove(var);
    }
    cmd.env("XDG_CONFIG_HOME", NO_CONFIG_HOME);
    cmd.env("XDG_STATE_HOME", fresh_dir("cmd-state"));
    cmd
}

/// How long any screen condition may take before the test fails: a bound for a failure, not a
/// measure of speed (a debug build on a loaded 2-core CI machine took over 20 s for the 7 MB file).
pub const TIMEOUT: Duration = Duration::from_secs(60);

pub struct Session {
    pub parser: Arc<Mutex<vt100::Parser>>,
    pub raw: Arc<Mutex<Vec<u8>>>,
    writer: Arc<Mutex<Box<dyn Write + Send>>>,
    pub child: Box<dyn Child + Send + Sync>,
    master: Box<dyn MasterPty + Send>,
    /// The session's own `XDG_STATE_HOME` (unless the test gave one): kaigi keeps its marks
    /// and last position there, never in the real home, and one session never sees
    /// another's. Removed when the session ends.
    pub state_home: std::path::PathBuf,
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.state_home);
    }
}

/// A folder of its own for each call, under the system's temporary folder (not created).
pub fn fresh_dir(what: &str) -> std::path::PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let d = std::env::temp_dir().join(format!(
        "kaigi-{what}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&d);
    d
}

/// What the pty answers when the program asks where the cursor is (`ESC [ 6 n`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CursorReply {
    /// Answer with the emulator's cursor position: ambiguous characters count one cell.
    Narrow,
    /// Answer as a terminal that draws ambiguous characters two cells wide.
    Wide,
    /// Never answer.
    Silent,
}

impl Session {
    pub fn start(args: &[&str], cols: u16, rows: u16) -> Session {
        Self::start_with(args, cols, rows, CursorReply::Narrow, &[])
    }

    pub fn start_with(
        args: &[&str],
        cols: u16,
        rows: u16,
        reply: CursorReply,
        env: &[(&str, &str)],
    ) -> Session {
        Self::start_program(env!("CARGO_BIN_EXE_kaigi"), args, cols, rows, reply, env)
    }

    /// Runs `program` (kaigi, or something that runs it) in the pty.
    pub fn start_program(
        program: &str,
        args: &[&str],
        cols: u16,
        rows: u16,
        reply: CursorReply,
        env: &[(&str, &str)],
    ) -> Session {
        Self::start_program_without(program, args, cols, rows, reply, env, &[])
    }

    /// As [`Session::start_program`], with the variables in `unset` removed from the
    /// environment.
    pub fn start_program_without(
        program: &str,
        args: &[&str],
        cols: u16,
        rows: u16,
        reply: CursorReply,
        env: &[(&str, &str)],
        unset: &[&str],
    ) -> Session {
        let pty = native_pty_system();
        let pair = pty
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("openpty");
        let mut cmd = CommandBuilder::new(program);
        cmd.args(args);
        cmd.env("TERM", "xterm-256color");
        cmd.env_remove("NO_COLOR");
        // No config file of the machine's user: a test says what it wants.
        for var in ["KAIGI_CONFIG", "KAIGI_PAGER", "PAGER"] {
            cmd.env_remove(var);
        }
        cmd.env("XDG_CONFIG_HOME", NO_CONFIG_HOME);
        let state_home = fresh_dir("pty-state");
        cmd.env("XDG_STATE_HOME", &state_home);
        for (k, v) in env {
            cmd.env(k, v);
            // portable-pty starts the program in HOME unless told otherwise.
            if *k == "HOME" {
                cmd.cwd(std::env::temp_dir());
            }
        }
        for k in unset {
            cmd.env_remove(k);
        }
        let child = pair.slave.spawn_command(cmd).expect("spawn kaigi");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("reader");
        let writer: Arc<Mutex<Box<dyn Write + Send>>> =
            Arc::new(Mutex::new(pair.master.take_writer().expect("writer")));
        let parser = Arc::new(Mutex::new(vt100::Parser::new(rows, cols, 0)));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let (p, r, answer) = (Arc::clone(&parser), Arc::clone(&raw), Arc::clone(&writer));
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            loop {
                match reader.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        let chunk = &buf[..n];
                        r.lock().unwrap().extend_from_slice(chunk);
                        let mut guard = p.lock().unwrap();
                        // vt100 panics on a wide character in a one-column screen, which a
                        // frame drawn just before a resize to 1x1 can bring. A terminal clips
                        // it; here the emulator starts again blank at its size (kaigi redraws
                        // in full after every resize).
                        let drew = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                            let parser = &mut *guard;
                            // Answer ESC[6n the way the chosen terminal would, after drawing
                            // what came before it.
                            let mut rest = chunk;
                            while let Some(pos) = find(rest, b"\x1b[6n") {
                                parser.process(&rest[..pos]);
                                let (row, col) = parser.screen().cursor_position();
                                let reply = match reply {
                                    CursorReply::Narrow => {
                                        Some(format!("\x1b[{};{}R", row + 1, col + 1))
                                    }
                                    CursorReply::Wide => {
                                        Some(format!("\x1b[{};{}R", row + 1, col + 2))
                                    }
                                    CursorReply::Silent => None,
                                };
                                if let Some(reply) = reply {
                                    let mut w = answer.lock().unwrap();
                                    let _ = w.write_all(reply.as_bytes());
                                    let _ = w.flush();
                                }
                                rest = &rest[pos + 4..];
                            }
                            parser.process(rest);
                        }));
                        if drew.is_err() {
                            let (rows, cols) = guard.screen().size();
                            *guard = vt100::Parser::new(rows, cols, 0);
                        }
                    }
                }
            }
        });
        Session {
            parser,
            raw,
            writer,
            child,
            master: pair.master,
            state_home,
        }
    }

    pub fn send(&mut self, s: &str) {
        let mut w = self.writer.lock().unwrap();
        w.write_all(s.as_bytes()).expect("write to pty");
        w.flush().expect("flush pty");
    }

    pub fn screen_text(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    pub fn bytes_so_far(&self) -> usize {
        self.raw.lock().unwrap().len()
    }

    /// Waits until the screen satisfies `cond`; panics with the screen after the timeout.
    pub fn wait_for(&self, what: &str, cond: impl Fn(&vt100::Screen) -> bool) {
        let start = Instant::now();
        loop {
            {
                let parser = self.parser.lock().unwrap();
                if cond(parser.screen()) {
                    return;
                }
            }
            assert!(
                start.elapsed() <= TIMEOUT,
                "timed out waiting for {what}; screen:\n{}",
                self.screen_text()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn wait_text(&self, needle: &str) {
        self.wait_for(needle, |s| s.contents().contains(needle));
    }

    /// Waits for the program to exit and returns its exit code.
    pub fn wait_exit(&mut self) -> u32 {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                // Let the reader thread drain the last bytes.
                std::thread::sleep(Duration::from_millis(100));
                return status.exit_code();
            }
            if start.elapsed() > TIMEOUT {
                let _ = self.child.kill();
                panic!("kaigi did not exit; screen:\n{}", self.screen_text());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn resize(&mut self, cols: u16, rows: u16) {
        self.master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("resize");
        self.parser
            .lock()
            .unwrap()
            .screen_mut()
            .set_size(rows, cols);
    }

    pub fn pid(&self) -> Option<u32> {
        self.child.process_id()
    }

    /// The terminal is as it was found: main screen, cursor shown.
    pub fn assert_restored(&self) {
        let parser = self.parser.lock().unwrap();
        let screen = parser.screen();
        assert!(!screen.alternate_screen(), "still on the alternate screen");
        assert!(!screen.hide_cursor(), "cursor left hidden");
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The first line of the screen (the location bar).
pub fn top(screen: &vt100::Screen) -> String {
    let (_, cols) = screen.size();
    screen.rows(0, cols).next().unwrap_or_default()
}

/// The last line of the screen (the status or hint line).
pub fn bottom(screen: &vt100::Screen) -> String {
    let (rows, cols) = screen.size();
    screen
        .rows(0, cols)
        .nth(usize::from(rows).saturating_sub(1))
        .unwrap_or_default()
}

/// A ratatui buffer as the lines a person would read: each wide character once, trailing
/// blanks trimmed.
pub fn buffer_lines(buf: &ratatui::buffer::Buffer) -> Vec<String> {
    let area = buf.area;
    (area.y..area.y + area.height)
        .map(|y| {
            let mut line = String::new();
            let mut x = area.x;
            while x < area.x + area.width {
                let sym = buf[(x, y)].symbol();
                line.push_str(sym);
                x += u16::try_from(unicode_width::UnicodeWidthStr::width(sym).max(1)).unwrap_or(1);
            }
            line.trim_end().to_string()
        })
        .collect()
}

/// Whether bytes written to a terminal set a colour (SGR 30-37, 40-47, 90-97, 100-107, 38, 48).
pub fn has_colour(raw: &[u8]) -> bool {
    let s = String::from_utf8_lossy(raw);
    s.split("\x1b[").skip(1).any(|seq| {
        let params: String = seq
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == ';')
            .collect();
        seq[params.len()..].starts_with('m')
            && params.split(';').any(|p| {
                matches!(
                    p.parse::<u32>(),
                    Ok(30..=37 | 40..=47 | 90..=97 | 100..=107 | 38 | 48)
                )
            })
    })
}

/// Where in the reading pane (right of the tree, from column 26 at 80 columns) a text starts,
/// as (row, column): the first such place, rows from the top.
pub fn find_in_reader(screen: &vt100::Screen, needle: &str) -> Option<(u16, u16)> {
    let (rows, cols) = screen.size();
    (0..rows).find_map(|r| {
        // Cells from the reader's first column; a wide character is one string in two cells.
        let cells: Vec<(u16, &str)> = (26..cols)
            .map(|c| {
                (
                    c,
                    screen
                        .cell(r, c)
                        .map(vt100::Cell::contents)
                        .unwrap_or_default(),
                )
            })
            .collect();
        let line: String = cells.iter().map(|(_, s)| *s).collect();
        let byte = line.find(needle)?;
        let mut seen = 0;
        cells.iter().find_map(|(c, s)| {
            // Not the empty second cell of the wide character before it.
            let found = (seen == byte && !s.is_empty()).then_some((r, *c));
            seen += s.len();
            found
        })
    })
}
