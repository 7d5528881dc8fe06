//! Made for SSH: any terminal, any size, any input. The real binary in a pty, its screen read
//! through vt100, and the raw bytes it wrote inspected.

#![allow(clippy::unwrap_used)]

mod common;

use std::time::Duration;

use common::{CursorReply, Session};
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use kaigi::corpus::load_embedded;
use kaigi::tui::{App, AppOptions, view};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

/// What the same app, fed the same keys in-process, draws (text only, trailing blanks cut).
fn expected(keys: &[KeyEvent], w: u16, h: u16) -> Vec<String> {
    let mut app = App::new(load_embedded(), AppOptions::default());
    app.resize(w, h);
    for k in keys {
        app.handle_key(k);
    }
    let area = Rect::new(0, 0, w, h);
    let mut buf = Buffer::empty(area);
    view::draw(&app, area, &mut buf);
    common::buffer_lines(&buf)
}

fn shown(s: &Session) -> Vec<String> {
    s.screen_text()
        .lines()
        .map(|l| l.trim_end().to_string())
        .collect()
}

fn wait_screen(s: &Session, want: &[String]) {
    let start = std::time::Instant::now();
    loop {
        let mut got = shown(s);
        got.resize(want.len(), String::new());
        if got == want {
            return;
        }
        assert!(
            start.elapsed() <= common::TIMEOUT,
            "screen differs from a full redraw.\nwant:\n{}\ngot:\n{}",
            want.join("\n"),
            got.join("\n")
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn key(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
}

#[test]
fn scroll_region_updates_match_a_full_redraw() {
    let mut s = Session::start(&[], 80, 24);
    s.wait_text("G7内務");
    let mut sent: Vec<KeyEvent> = Vec::new();
    let steps: Vec<(&str, Vec<KeyEvent>)> = vec![
        ("j", vec![key('j')]),
        ("jjj", vec![key('j'), key('j'), key('j')]),
        ("k", vec![key('k')]),
        (" ", vec![key(' ')]),
        ("b", vec![key('b')]),
        (
            "\x04",
            vec![KeyEvent::new(KeyCode::Char('d'), KeyModifiers::CONTROL)],
        ),
        (
            "\x15",
            vec![KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL)],
        ),
        ("}", vec![key('}')]),
        ("G", vec![key('G')]),
        ("kk", vec![key('k'), key('k')]),
        ("g", vec![key('g')]),
        ("\t", vec![KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE)]),
        ("jjl", vec![key('j'), key('j'), key('l')]),
        ("j", vec![key('j')]),
    ];
    for (typed, events) in steps {
        s.send(typed);
        sent.extend(events);
        wait_screen(&s, &expected(&sent, 80, 24));
    }
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
}

#[test]
fn narrow_terminal_gets_box_drawing() {
    let mut s = Session::start_with(&[], 80, 24, CursorReply::Narrow, &[]);
    s.wait_text("│ G7内務");
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
}

/// The first frame does not wait for the terminal's answer to the probe (over SSH it is a
/// round trip away): it is drawn at once, for the usual narrow terminal, and drawn again in
/// ASCII when the answer says wide or does not come.
fn first_frame_came_before_the_answer(s: &Session) {
    let raw = s.raw.lock().unwrap().clone();
    let text = String::from_utf8_lossy(&raw);
    let probe = text.find("\x1b[6n").expect("the probe was sent");
    let narrow = text.find('│').expect("a frame drawn for a narrow terminal");
    let redraw = text.rfind("\x1b[2J").expect("a full redraw");
    assert!(
        probe < narrow && narrow < redraw,
        "{probe} {narrow} {redraw}"
    );
}

#[test]
fn wide_terminal_gets_ascii() {
    let mut s = Session::start_with(&[], 80, 24, CursorReply::Wide, &[]);
    s.wait_text("| G7内務");
    first_frame_came_before_the_answer(&s);
    // Give a late switch every chance to happen, then check it did not.
    std::thread::sleep(Duration::from_millis(400));
    s.send("G");
    s.wait_text("(注2)");
    let text = s.screen_text();
    assert!(!text.contains('│') && !text.contains('…'), "{text}");
    assert!(
        !text.chars().any(kaigi::text::display::is_ambiguous),
        "{text}"
    );
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
}

#[test]
fn silent_terminal_gets_ascii_without_waiting_for_it() {
    let mut s = Session::start_with(&[], 80, 24, CursorReply::Silent, &[]);
    s.wait_text("| G7内務");
    first_frame_came_before_the_answer(&s);
    s.send(":Ⅶ\r");
    s.wait_text("VII. 児童の性的搾取及び虐待");
    assert!(
        !s.screen_text()
            .chars()
            .any(kaigi::text::display::is_ambiguous)
    );
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
}

#[test]
fn ascii_flag_skips_the_probe() {
    let mut s = Session::start_with(
        &["--ascii", "--goto", "g7:annex-I"],
        80,
        24,
        CursorReply::Narrow,
        &[],
    );
    s.wait_text("附属文書I：テクノロジー");
    assert!(
        !s.raw.lock().unwrap().windows(4).any(|w| w == b"\x1b[6n"),
        "asked the terminal anyway"
    );
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
}

#[test]
fn y_copies_with_osc52() {
    let mut s = Session::start(&["--goto", "g7:23"], 80, 24);
    s.wait_text("23. 我々は");
    s.send("y");
    s.wait_text("copied g7:23");
    let text = &load_embedded();
    let want = {
        use base64::Engine;
        let node = text.node(text.find_id("g7:23").expect("id"));
        base64::engine::general_purpose::STANDARD.encode(node.text.as_bytes())
    };
    let raw = s.raw.lock().unwrap().clone();
    let needle = format!("\x1b]52;c;{want}\x1b\\");
    assert!(
        raw.windows(needle.len()).any(|w| w == needle.as_bytes()),
        "no OSC 52 with the paragraph"
    );
    assert!(
        !raw.windows(7).any(|w| w == b"\x1bPtmux;"),
        "tmux passthrough outside tmux"
    );
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
}

/// Inside tmux, the plain sequence (which tmux takes with `set-clipboard on`) and the one
/// wrapped for passthrough (which tmux 3.3+ passes on only with `allow-passthrough on`).
#[test]
fn y_inside_tmux_sends_the_plain_and_the_wrapped_sequence() {
    // No tmux to ask here: nothing is claimed about its settings.
    let empty = std::env::temp_dir().join(format!("kaigi-no-tmux-{}", std::process::id()));
    std::fs::create_dir_all(&empty).expect("dir");
    let mut s = Session::start_with(
        &["--goto", "cri:note-2"],
        80,
        24,
        CursorReply::Narrow,
        &[
            ("TMUX", "/tmp/tmux-0/default,1,0"),
            ("PATH", empty.to_str().expect("path")),
        ],
    );
    s.wait_text("(注2)");
    s.send("y");
    s.wait_text("copied cri:note-2");
    let text = &load_embedded();
    let b64 = {
        use base64::Engine;
        let node = text.node(text.find_id("cri:note-2").expect("id"));
        base64::engine::general_purpose::STANDARD.encode(node.text.as_bytes())
    };
    let want = format!("\x1b]52;c;{b64}\x1b\\\x1bPtmux;\x1b\x1b]52;c;{b64}\x1b\x1b\\\x1b\\");
    let raw = s.raw.lock().unwrap().clone();
    assert!(
        raw.windows(want.len()).any(|w| w == want.as_bytes()),
        "not the plain sequence followed by the wrapped one"
    );
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
}

fn signal_exit(sig: rustix::process::Signal, code: u32) {
    let mut s = Session::start(&[], 80, 24);
    s.wait_text("G7内務");
    let pid = s.pid().expect("pid");
    let pid = rustix::process::Pid::from_raw(i32::try_from(pid).expect("pid fits")).expect("pid");
    rustix::process::kill_process(pid, sig).expect("kill");
    assert_eq!(s.wait_exit(), code);
    s.assert_restored();
}

#[test]
fn sigterm_restores_the_terminal() {
    signal_exit(rustix::process::Signal::TERM, 143);
}

#[test]
fn sighup_restores_the_terminal() {
    signal_exit(rustix::process::Signal::HUP, 129);
}

#[test]
fn ctrl_c_and_q_restore_the_terminal() {
    for key in ["q", "\x03"] {
        let mut s = Session::start(&[], 80, 24);
        s.wait_text("G7内務");
        s.send(key);
        assert_eq!(s.wait_exit(), 0);
        s.assert_restored();
    }
}

#[test]
fn a_panic_restores_the_terminal() {
    let mut s = Session::start_with(
        &[],
        80,
        24,
        CursorReply::Narrow,
        &[("KAIGI_TEST_PANIC", "1")],
    );
    assert_eq!(s.wait_exit(), 101);
    s.assert_restored();
    s.wait_text("panicking on purpose");
}

#[test]
fn resize_storm() {
    let mut s = Session::start(&["--goto", "g7:30"], 80, 24);
    s.wait_text("30. 我々は");
    for (i, (c, r)) in [
        (1, 1),
        (500, 200),
        (2, 30),
        (40, 15),
        (59, 3),
        (120, 40),
        (20, 5),
        (19, 5),
        (81, 25),
        (3, 200),
    ]
    .iter()
    .cycle()
    .take(40)
    .enumerate()
    {
        s.resize(*c, *r);
        if i % 7 == 0 {
            s.send("j");
        }
    }
    s.resize(80, 24);
    // Still alive, and the screen is exactly a fresh drawing: nothing stale left.
    s.send(":30\r");
    let keys: Vec<KeyEvent> = ":30\r"
        .chars()
        .map(|c| {
            if c == '\r' {
                KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)
            } else {
                key(c)
            }
        })
        .collect();
    wait_screen(&s, &expected(&keys, 80, 24));
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
}

#[test]
fn too_small_says_so() {
    let mut s = Session::start(&[], 15, 3);
    s.wait_text("too small");
    s.resize(80, 24);
    s.wait_text("G7内務");
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
}

#[test]
fn narrow_terminal_hides_the_tree_behind_t() {
    let mut s = Session::start(&[], 50, 20);
    s.wait_text("1. 我々、G7内務");
    assert!(!s.screen_text().contains("+ I. 前文"));
    s.send("t");
    s.wait_text("+ I. 前文");
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
}

/// A document full of things that must never reach a terminal raw.
const HOSTILE: &str = "悪意 \u{1b}]0;pwned-title\u{7}コミュニケ\n2024年1月1日\n\nI. 見出し\u{1b}[2J\n\n1. 本文\u{1b}]52;c;cHduZWQ=\u{7}と\u{202e}逆順\u{202c}と\u{200b}ゼロ幅と\u{9b}31mC1と\u{1b}[31m赤\u{7f}。\n";

fn hostile_file() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("kaigi-ssh-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let p = dir.join("hostile.txt");
    std::fs::write(&p, HOSTILE).expect("write");
    p
}

fn assert_no_document_escapes(raw: &[u8]) {
    // The document's words may be shown, but never its escape sequences, bidi controls,
    // zero-width characters, C1 controls or DEL.
    for bad in [
        &b"\x1b]0;"[..],
        b"\x1b]52;c;cHduZWQ=",
        "見出し\x1b[2J".as_bytes(),
        b"\xe2\x80\xae",
        b"\xe2\x80\x8b",
        b"\xc2\x9b",
        b"\x1b[31m\xe8\xb5\xa4",
        b"\x7f",
    ] {
        assert!(
            !raw.windows(bad.len()).any(|w| w == bad),
            "{:?} reached the terminal",
            String::from_utf8_lossy(bad)
        );
    }
}

#[test]
fn hostile_text_never_reaches_the_terminal_raw() {
    let p = hostile_file();
    let mut s = Session::start(&["--file", p.to_str().expect("path")], 100, 24);
    s.wait_text("悪意 ^[]0;pwned-title^Gコミュニケ");
    s.wait_text("見出し^[[2J");
    s.wait_text("と逆順と");
    s.wait_text("<U+009B>31mC1と^[[31m赤");
    s.wait_text("^?。");
    s.send("y");
    s.wait_text("copied");
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
    assert_no_document_escapes(&s.raw.lock().unwrap());
}

#[test]
fn hostile_text_in_cli_output() {
    let p = hostile_file();
    let path = p.to_str().expect("path");
    for args in [
        vec!["outline"],
        vec!["show", "hostile"],
        vec!["show", "hostile:1", "--color", "always"],
    ] {
        let o = common::kaigi_command()
            .args(["--file", path])
            .args(&args)
            .output()
            .expect("run");
        assert!(o.status.success(), "{args:?}");
        assert_no_document_escapes(&o.stdout);
    }
    for args in [
        vec!["outline", "--json"],
        vec!["show", "hostile:1", "--json"],
    ] {
        let o = common::kaigi_command()
            .args(["--file", path])
            .args(&args)
            .output()
            .expect("run");
        assert!(o.status.success());
        assert!(
            !o.stdout.iter().any(|&b| b == 0x1b || b == 0x7f),
            "{args:?}: raw control in JSON"
        );
        assert_no_document_escapes(&o.stdout);
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("valid JSON");
        // Escaped, not lost: the value round-trips to the original text.
        let all = v.to_string();
        assert!(
            all.contains("\\u001b]52;c;cHduZWQ=") || all.contains("]52;c;cHduZWQ="),
            "{all}"
        );
    }
}

#[test]
fn no_color_means_no_colour() {
    for (args, env) in [
        (vec![], vec![("NO_COLOR", "1")]),
        (vec!["--color", "never"], vec![]),
    ] {
        let mut s = Session::start_with(&args, 80, 24, CursorReply::Narrow, &env);
        s.wait_text("G7内務");
        s.send("\t");
        s.send("jj");
        std::thread::sleep(Duration::from_millis(200));
        s.send("q");
        assert_eq!(s.wait_exit(), 0);
        let raw = s.raw.lock().unwrap().clone();
        assert!(
            !common::has_colour(&raw),
            "{args:?} {env:?}: colour written"
        );
        // Selection still shows, by reverse video.
        assert!(
            String::from_utf8_lossy(&raw).contains("\x1b[0;7m")
                || String::from_utf8_lossy(&raw).contains(";7m")
        );
    }
    let mut s = Session::start(&[], 80, 24);
    s.wait_text("G7内務");
    s.send("q");
    s.wait_exit();
    assert!(
        common::has_colour(&s.raw.lock().unwrap()),
        "colour by default"
    );
}

#[test]
fn too_large_file_is_refused() {
    let dir = std::env::temp_dir().join(format!("kaigi-big-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let p = dir.join("big.txt");
    let f = std::fs::File::create(&p).expect("create");
    f.set_len(kaigi::corpus::MAX_FILE_BYTES + 1)
        .expect("sparse file");
    let o = common::kaigi_command()
        .args(["--file", p.to_str().expect("path"), "outline"])
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(
        err,
        format!(
            "kaigi: {}: the file is 67108865 bytes, larger than the limit of 67108864 bytes\n",
            p.display()
        )
    );
    let _ = std::fs::remove_file(&p);
}

/// The terminal really goes away (every descriptor of the pty's master side closed, as when an
/// SSH connection drops): kaigi must end promptly, not spin.
#[test]
fn hang_up_ends_the_program() {
    use portable_pty::{PtySize, native_pty_system};
    use std::io::Read;
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 24,
            cols: 80,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("pty");
    let mut cmd = portable_pty::CommandBuilder::new(env!("CARGO_BIN_EXE_kaigi"));
    cmd.args(["--ambiguous", "narrow", "--no-state"]);
    cmd.env("TERM", "xterm-256color");
    cmd.env_remove("KAIGI_CONFIG");
    cmd.env("XDG_CONFIG_HOME", common::NO_CONFIG_HOME);
    let mut child = pair.slave.spawn_command(cmd).expect("spawn");
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().expect("reader");
    // Read until the first frame is complete, then close this end too.
    let seen = std::thread::spawn(move || {
        let mut all = Vec::new();
        let mut buf = [0u8; 4096];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            all.extend_from_slice(&buf[..n]);
            if String::from_utf8_lossy(&all).contains("quit") {
                break;
            }
        }
        all.len()
    })
    .join()
    .expect("reader thread");
    assert!(seen > 0);
    drop(pair.master);
    let start = std::time::Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("try_wait") {
            assert!(!status.success() || status.exit_code() == 0, "{status:?}");
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "kaigi kept running after the terminal went away"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// What the same app, fed the same events in-process with every search run at once, draws.
fn expected_events(events: &[Event], w: u16, h: u16) -> Vec<String> {
    let mut app = App::new(load_embedded(), AppOptions::default());
    app.resize(w, h);
    for e in events {
        app.handle_event(e);
        while let Some(request) = app.take_search_request() {
            app.apply_search(request.run());
        }
    }
    let area = Rect::new(0, 0, w, h);
    let mut buf = Buffer::empty(area);
    view::draw(&app, area, &mut buf);
    common::buffer_lines(&buf)
}

fn ev(code: KeyCode) -> Event {
    Event::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn typed(text: &str) -> Vec<Event> {
    text.chars()
        .map(|c| match c {
            '\r' => ev(KeyCode::Enter),
            c if c.is_uppercase() => {
                Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::SHIFT))
            }
            c => ev(KeyCode::Char(c)),
        })
        .collect()
}

/// A session whose terminal answers the probe only when the test says so, with a deadline
/// far beyond any test's patience: whatever the test sees before it answers happened while
/// the probe waited.
fn start_unanswered() -> Session {
    let s = Session::start_with(
        &[],
        80,
        24,
        CursorReply::Silent,
        &[("KAIGI_PROBE_TIMEOUT_MS", "600000")],
    );
    s.wait_text("│ G7内務");
    s
}

/// The probe's question was put at the top left corner: a narrow terminal answers column 2.
const NARROW_ANSWER: &str = "\x1b[1;2R";

#[test]
fn a_whole_session_typed_before_the_answer_is_applied_in_order() {
    let mut s = start_unanswered();
    // One write: a congested link delivers it in one read.
    s.send(":23\r\x1b[B\x1b[B/ランサム\rn\x1b");
    let mut events = typed(":23\r");
    events.extend([ev(KeyCode::Down), ev(KeyCode::Down)]);
    events.extend(typed("/ランサム\rn"));
    events.push(ev(KeyCode::Esc));
    wait_screen(&s, &expected_events(&events, 80, 24));
    // The answer comes late, and among keys: narrow, so box drawing stays.
    s.send(&format!("{NARROW_ANSWER}j"));
    events.extend(typed("j"));
    let want = expected_events(&events, 80, 24);
    assert!(want.iter().any(|l| l.contains('│')));
    wait_screen(&s, &want);
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
    s.assert_restored();
}

#[test]
fn an_arrow_key_before_the_answer_is_a_key_and_the_answer_still_counts() {
    let mut s = start_unanswered();
    s.send(&format!("\x1b[B\x1b[6~{NARROW_ANSWER}\x1b[B"));
    let events = [ev(KeyCode::Down), ev(KeyCode::PageDown), ev(KeyCode::Down)];
    let want = expected_events(&events, 80, 24);
    assert!(want.iter().any(|l| l.contains('│')));
    wait_screen(&s, &want);
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
}

#[test]
fn a_paste_before_the_answer_is_kept() {
    let mut s = start_unanswered();
    s.send("/\x1b[200~ランサム\nウェア\x1b[201~");
    let mut events = typed("/");
    events.push(Event::Paste("ランサム\nウェア".into()));
    wait_screen(&s, &expected_events(&events, 80, 24));
    s.send(NARROW_ANSWER);
    s.send("\x1b");
    events.push(ev(KeyCode::Esc));
    wait_screen(&s, &expected_events(&events, 80, 24));
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
}

/// Quitting while the probe waits ends the program at once, not at the probe's deadline (ten
/// minutes here; the session gives up far sooner).
#[test]
fn quitting_during_a_silent_probe_is_immediate() {
    for key in ["q", "\x03"] {
        let mut s = start_unanswered();
        s.send(key);
        assert_eq!(s.wait_exit(), 0, "{key:?}");
        s.assert_restored();
    }
    let mut s = start_unanswered();
    let pid = s.pid().expect("pid");
    let pid = rustix::process::Pid::from_raw(i32::try_from(pid).expect("pid fits")).expect("pid");
    rustix::process::kill_process(pid, rustix::process::Signal::TERM).expect("kill");
    assert_eq!(s.wait_exit(), 143);
    s.assert_restored();
}

/// Not a test on its own: with `KAIGI_TEST_JOB_SHELL` set, this test binary plays the part of a
/// shell with job control for [`ctrl_z_suspends_and_sigcont_redraws`]. kaigi runs in its own
/// process group, in the terminal's foreground, with this process as its parent in another
/// group of the same session, so a stop signal stops it (a process group with no such parent
/// is orphaned, and the kernel ignores SIGTSTP there, as it should). Its pid goes to the file
/// named by the variable.
#[test]
fn job_control_shell() {
    use std::os::unix::process::CommandExt;
    let Some(pid_file) = std::env::var_os("KAIGI_TEST_JOB_SHELL") else {
        return;
    };
    let mut child = common::kaigi_command()
        .process_group(0)
        .spawn()
        .expect("spawn kaigi");
    let pid =
        rustix::process::Pid::from_raw(i32::try_from(child.id()).expect("pid fits")).expect("pid");
    rustix::termios::tcsetpgrp(std::io::stdin(), pid).expect("give kaigi the terminal");
    // Had it touched the terminal before it was in the foreground, it was stopped for it.
    let _ = rustix::process::kill_process(pid, rustix::process::Signal::CONT);
    // Written whole, then renamed: the test never reads half a pid.
    let part = std::path::PathBuf::from(&pid_file).with_extension("part");
    std::fs::write(&part, child.id().to_string()).expect("pid file");
    std::fs::rename(&part, &pid_file).expect("pid file");
    let status = child.wait().expect("wait");
    std::process::exit(status.code().unwrap_or(1));
}

/// The state letter of a process in `/proc/PID/stat` (`T`: stopped).
fn process_state(pid: u32) -> Option<char> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    stat.rsplit_once(") ")?.1.chars().next()
}

#[test]
fn ctrl_z_suspends_and_sigcont_redraws() {
    let dir = std::env::temp_dir().join(format!("kaigi-jobs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let pid_file = dir.join("kaigi.pid");
    let _ = std::fs::remove_file(&pid_file);
    let shell = std::env::current_exe().expect("this test binary");
    let mut s = Session::start_program(
        shell.to_str().expect("path"),
        &["--exact", "job_control_shell", "--test-threads=1"],
        80,
        24,
        CursorReply::Narrow,
        &[("KAIGI_TEST_JOB_SHELL", pid_file.to_str().expect("path"))],
    );
    s.wait_text("│ G7内務");
    // The shell writes the pid once kaigi runs; kaigi may draw before it does.
    let start = std::time::Instant::now();
    let pid: u32 = loop {
        if let Some(pid) = std::fs::read_to_string(&pid_file)
            .ok()
            .and_then(|p| p.trim().parse().ok())
        {
            break pid;
        }
        assert!(start.elapsed() < common::TIMEOUT, "no pid from the shell");
        std::thread::sleep(Duration::from_millis(20));
    };
    s.send("\x1a");
    let start = std::time::Instant::now();
    while process_state(pid) != Some('T') {
        assert!(
            start.elapsed() < common::TIMEOUT,
            "Ctrl-z did not stop kaigi: {:?}",
            process_state(pid)
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    // The terminal as it was found: main screen, cursor shown, no bracketed paste (the bytes
    // that say so were written before the stop, and may still be on their way here).
    s.wait_for("the terminal as it was", |sc| {
        !sc.alternate_screen() && !sc.hide_cursor() && !sc.bracketed_paste()
    });
    // The window changes while kaigi is stopped; `fg` sends SIGCONT.
    s.resize(90, 30);
    let pid = rustix::process::Pid::from_raw(i32::try_from(pid).expect("pid fits")).expect("pid");
    rustix::process::kill_process(pid, rustix::process::Signal::CONT).expect("SIGCONT");
    s.wait_for("the browser again", vt100::Screen::alternate_screen);
    wait_screen(&s, &expected(&[], 90, 30));
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
    s.assert_restored();
}
