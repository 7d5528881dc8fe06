//! A large file in the real binary: its first screen comes before the whole is parsed, keys
//! typed meanwhile are applied in order, and a resize meanwhile ends where a fresh start at
//! that size does. Correctness only: nothing here is timed.

#![allow(clippy::unwrap_used)]

mod common;
#[path = "../benches/support/repeated.rs"]
mod repeated;

use common::{Session, bottom, top};

/// One test of this file at a time: each drives a debug build through megabytes of text (the
/// index of terms, the links of the whole text), and side by side on two loaded cores they
/// took longer than the tests' timeout.
fn one_at_a_time() -> std::sync::MutexGuard<'static, ()> {
    static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    // A test that failed while holding it leaves it poisoned; the others still run.
    LOCK.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The communiqué's body 200 times (7 MB): far above the size parsed before the first frame.
fn big_file(name: &str) -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!("kaigi-{name}-{}.txt", std::process::id()));
    std::fs::write(&path, repeated::repeated_text(200)).unwrap();
    path
}

/// The screen as a person sees it: a row's trailing blanks are blank however they were
/// drawn (written as spaces, or erased), which the emulator's text tells apart.
fn visible(contents: &str) -> String {
    contents
        .lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n")
}

/// Waits until the file is wholly read (the location bar shows how far through the text the
/// screen is, not how far the reading has come).
fn wait_loaded(s: &Session) {
    s.wait_for("the whole file read", |sc| {
        let t = top(sc);
        t.contains('%') && !t.contains("reading")
    });
}

/// `Z` is bound to nothing: its hint on the bottom line, the last row a frame writes, says
/// that every key before it has been drawn.
fn wait_settled(s: &Session) {
    s.wait_for("the hint of the last key", |sc| {
        bottom(sc).contains("no key Z")
    });
}

#[test]
fn keys_typed_while_a_large_file_is_read_are_applied_in_order() {
    let _one = one_at_a_time();
    let path = big_file("order");
    let file = path.to_str().unwrap();
    // `G` needs the whole text and waits for it; everything typed after it waits behind it
    // and is applied in order: `k` after `G`, then `:1234`, two lines, a paragraph, `Z`.
    let (a, b) = typed_at_once_and_after(file, "jjjjGk:1234\rjj}Z");
    // `:1234`, then two lines and `}`: paragraph 1235 at the top.
    assert!(top(b.parser.lock().unwrap().screen()).contains(":1235"));
    same_screen_then_quit(a, b, "the same screen as keys typed after the reading");
    let _ = std::fs::remove_file(&path);
}

/// `keys` (ending in `Z`) typed in one write at the first frame, and typed once the file is
/// read: the two sessions, each settled.
fn typed_at_once_and_after(file: &str, keys: &str) -> (Session, Session) {
    let mut a = Session::start(&["--file", file], 100, 30);
    a.wait_text("G7内務");
    a.send(keys);
    wait_settled(&a);

    let mut b = Session::start(&["--file", file], 100, 30);
    wait_loaded(&b);
    b.send(keys);
    wait_settled(&b);
    (a, b)
}

/// The reading pane as a person sees it: the rows between the location bar (whose percentage
/// counts what has been read) and the bottom line, right of the tree's border.
fn reading_pane(contents: &str) -> String {
    let rows: Vec<&str> = contents.lines().collect();
    rows[1..rows.len().saturating_sub(1)]
        .iter()
        .map(|l| l.split_once('│').map_or(*l, |(_, r)| r).trim_end())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Waits until `a`'s reading pane shows what `b`'s does, then quits both.
fn same_reading_then_quit(mut a: Session, mut b: Session, what: &str) {
    let want = reading_pane(&b.screen_text());
    a.wait_for(what, |sc| reading_pane(&sc.contents()) == want);
    for s in [&mut a, &mut b] {
        s.send("q");
        assert_eq!(s.wait_exit(), 0);
        s.assert_restored();
    }
}

/// Waits until `a` shows what `b` shows (as a person sees it), then quits both.
fn same_screen_then_quit(mut a: Session, mut b: Session, what: &str) {
    let want = visible(&b.screen_text());
    a.wait_for(what, |sc| visible(&sc.contents()) == want);
    for s in [&mut a, &mut b] {
        s.send("q");
        assert_eq!(s.wait_exit(), 0);
        s.assert_restored();
    }
}

#[test]
fn a_resize_while_a_large_file_is_read_ends_as_a_fresh_start_at_that_size() {
    let _one = one_at_a_time();
    let path = big_file("resize");
    let file = path.to_str().unwrap();
    let mut a = Session::start(&["--file", file], 80, 24);
    a.wait_text("G7内務");
    a.resize(120, 40);
    wait_loaded(&a);
    a.send("Z");
    wait_settled(&a);

    let mut b = Session::start(&["--file", file], 120, 40);
    wait_loaded(&b);
    b.send("Z");
    wait_settled(&b);
    same_screen_then_quit(a, b, "the screen of a fresh start at 120x40");
    let _ = std::fs::remove_file(&path);
}

#[test]
fn a_search_typed_while_a_large_file_is_read_runs_once_it_is() {
    let _one = one_at_a_time();
    let path = big_file("search");
    let file = path.to_str().unwrap();
    let mut a = Session::start(&["--file", file], 100, 30);
    a.wait_text("G7内務");
    // `/`, a query and Enter in one write: they wait for the text, then for the index, and
    // the first hit opens.
    a.send("/ランサム\r");
    a.wait_for("the first hit", |sc| bottom(sc).contains("for “ランサム”"));
    a.send("q");
    assert_eq!(a.wait_exit(), 0);
    a.assert_restored();
    let _ = std::fs::remove_file(&path);
}

/// A query typed in one write right after `/` (as a slow link delivers it) while the text is
/// still read, and again right after it is read (the index is built a piece at a time from
/// `/` on, and searched as far as it has come), ends with the list of the same keys typed
/// once the index is whole: no key lost, the last refresh from the whole index.
#[test]
fn a_query_typed_while_the_index_is_built_ends_with_the_whole_index_list() {
    let _one = one_at_a_time();
    let path = big_file("pieces");
    let file = path.to_str().unwrap();
    let query = "ransamu 協力";
    let mut reading = Session::start(&["--file", file], 100, 30);
    reading.wait_text("G7内務");
    reading.send(&format!("/{query}"));
    // The line opens and takes the keys while the text is still read.
    reading.wait_for("the query on the line", |sc| bottom(sc).contains(query));
    let mut early = Session::start(&["--file", file], 100, 30);
    wait_loaded(&early);
    early.send(&format!("/{query}"));

    let mut late = Session::start(&["--file", file], 100, 30);
    wait_loaded(&late);
    late.send("/");
    late.wait_for("the whole index", |sc| {
        let t = top(sc);
        t.contains("search") && !t.contains("indexing") && !t.contains("reading")
    });
    late.send(query);
    late.wait_for("the results", |sc| top(sc).contains("matches in"));
    // The frame may be read in pieces: the top line can be in before the list below it (the
    // test once compared with half a frame). The list is whole once the screen stays still.
    let mut want = visible(&late.screen_text());
    let start = std::time::Instant::now();
    loop {
        std::thread::sleep(std::time::Duration::from_millis(500));
        let now = visible(&late.screen_text());
        if now == want || start.elapsed() > common::TIMEOUT {
            break;
        }
        want = now;
    }
    assert!(!want.contains("indexing"), "{want}");
    for mut s in [reading, early, late] {
        let start = std::time::Instant::now();
        while visible(&s.screen_text()) != want && start.elapsed() < common::TIMEOUT {
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        assert_eq!(
            visible(&s.screen_text()),
            want,
            "the list of the whole index"
        );
        s.send("\x1b");
        s.wait_for("the reader", |sc| !top(sc).contains("search ›"));
        s.send("q");
        assert_eq!(s.wait_exit(), 0);
        s.assert_restored();
    }
    let _ = std::fs::remove_file(&path);
}

#[test]
fn the_place_kept_in_the_state_file_comes_back_once_a_large_file_is_read() {
    let _one = one_at_a_time();
    // The state file is named by the whole text, so it is opened once the file is read: the
    // reader then goes back to where the last session left it.
    let path = big_file("state");
    let file = path.to_str().unwrap();
    let home = std::env::temp_dir().join(format!("kaigi-large-state-{}", std::process::id()));
    let home_s = home.to_str().unwrap();
    let env = [("XDG_STATE_HOME", home_s)];
    let mut a = Session::start_with(
        &["--file", file],
        100,
        30,
        common::CursorReply::Narrow,
        &env,
    );
    wait_loaded(&a);
    a.send(":1234\r");
    a.wait_for("paragraph 1234", |sc| top(sc).contains(":1234"));
    a.send("q");
    assert_eq!(a.wait_exit(), 0);

    let mut b = Session::start_with(
        &["--file", file],
        100,
        30,
        common::CursorReply::Narrow,
        &env,
    );
    b.wait_for("the place of the last session", |sc| {
        top(sc).contains(":1234")
    });
    b.send("q");
    assert_eq!(b.wait_exit(), 0);
    let _ = std::fs::remove_file(&path);
    let _ = std::fs::remove_dir_all(&home);
}

/// The 200x file with one byte changed near its end: no longer text.
fn spoiled_file(name: &str, byte: u8) -> (std::path::PathBuf, usize) {
    let path = std::env::temp_dir().join(format!("kaigi-{name}-{}.txt", std::process::id()));
    let mut bytes = repeated::repeated_text(200).into_bytes();
    // The end of a line (one byte) a little before the end of the file.
    let at = bytes.len() - 1000
        + bytes[bytes.len() - 1000..]
            .iter()
            .position(|&b| b == b'\n')
            .unwrap();
    bytes[at] = byte;
    std::fs::write(&path, bytes).unwrap();
    (path, at)
}

/// A bad byte deep in a large file (7 MB, the byte 1000 from its end) is found before anything
/// is shown: one line naming the file and where, status 2, nothing on standard output —
/// for a subcommand and for the browser alike.
#[test]
fn a_bad_byte_deep_in_a_large_file_is_one_line_and_exit_2() {
    let _one = one_at_a_time();
    let (latin, at) = spoiled_file("deep-latin", 0xFF);
    let (binary, nul) = spoiled_file("deep-nul", 0);
    for (path, want) in [
        (
            &latin,
            format!(
                "kaigi: {}: not UTF-8 text (invalid byte at offset {at})",
                latin.display()
            ),
        ),
        (
            &binary,
            format!(
                "kaigi: {}: binary data, not text (NUL byte at offset {nul})\n",
                binary.display()
            ),
        ),
    ] {
        let file = path.to_str().unwrap();
        for args in [
            vec!["--file", file, "outline"],
            vec!["--file", file, "search", "ランサム"],
        ] {
            let o = common::kaigi_command().args(&args).output().unwrap();
            let err = String::from_utf8_lossy(&o.stderr);
            assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
            assert!(err.starts_with(&want), "{err}");
            assert_eq!(err.lines().count(), 1, "{err}");
            assert!(o.stdout.is_empty());
        }
    }
    let _ = std::fs::remove_file(&latin);
    let _ = std::fs::remove_file(&binary);
}

/// The browser on a large file with a bad byte near its end, in a terminal: the one line
/// and status 2, and the terminal never touched (not one escape sequence written).
#[test]
fn a_bad_byte_deep_in_a_large_file_leaves_the_terminal_untouched() {
    let _one = one_at_a_time();
    let (path, at) = spoiled_file("deep-pty", 0xFF);
    let file = path.to_str().unwrap();
    let mut s = Session::start(&["--file", file], 80, 24);
    assert_eq!(s.wait_exit(), 2);
    let raw = String::from_utf8_lossy(&s.raw.lock().unwrap()).into_owned();
    assert!(
        !raw.contains('\x1b'),
        "an escape sequence was written: {raw:?}"
    );
    assert!(
        raw.starts_with(&format!(
            "kaigi: {file}: not UTF-8 text (invalid byte at offset {at})"
        )),
        "{raw:?}"
    );
    assert_eq!(raw.trim_end().lines().count(), 1, "{raw:?}");
    let _ = std::fs::remove_file(&path);
}

/// A large document on standard input (which cannot be read twice: its bytes are kept) reads
/// as the same file given by name.
#[test]
fn a_large_file_on_standard_input_reads_as_the_file() {
    use std::io::Write as _;
    let _one = one_at_a_time();
    let path = big_file("stdin");
    let file = path.to_str().unwrap();
    let by_name = common::kaigi_command()
        .args(["--file", file, "outline"])
        .output()
        .unwrap();
    assert!(by_name.status.success());
    let mut child = common::kaigi_command()
        .args(["--file", "-", "outline"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let bytes = std::fs::read(&path).unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(&bytes));
    let piped = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert!(
        piped.status.success(),
        "{}",
        String::from_utf8_lossy(&piped.stderr)
    );
    let stem = path.file_stem().unwrap().to_str().unwrap().to_string();
    // The same outline, node for node, but for the document's name (the titles are cut to
    // the columns its length leaves).
    let ids = |out: &[u8], name: &str| -> Vec<String> {
        String::from_utf8_lossy(out)
            .lines()
            .map(|l| {
                l.split_whitespace()
                    .next()
                    .unwrap_or("")
                    .replacen(name, "DOC", 1)
            })
            .collect()
    };
    let (got, want) = (ids(&piped.stdout, "stdin"), ids(&by_name.stdout, &stem));
    assert!(got.len() > 5000, "{} lines", got.len());
    let differ = got.iter().zip(&want).position(|(a, b)| a != b);
    assert!(
        got.len() == want.len() && differ.is_none(),
        "{} against {} lines, first difference at {differ:?}",
        got.len(),
        want.len()
    );
    let _ = std::fs::remove_file(&path);
}

/// A resize deep in a large file lays out from the reader's place (the text before it comes
/// after, in slices): the same text stays at the top, lines above it are there to scroll back
/// to, and the screen is the one a fresh start at that size shows for the same place.
#[test]
fn a_resize_deep_in_a_large_file_keeps_the_text_at_the_top() {
    let _one = one_at_a_time();
    let path = big_file("deep");
    let file = path.to_str().unwrap();
    let mut a = Session::start(&["--file", file], 100, 30);
    wait_loaded(&a);
    a.send(":7000\r");
    a.wait_for("paragraph 7000", |sc| top(sc).contains(":7000"));
    a.resize(70, 24);
    a.resize(120, 40);
    // Two lines up (into the paragraph before) and a key that says every key is drawn, in
    // one write.
    a.send("kkZ");
    wait_settled(&a);

    let mut b = Session::start(&["--file", file], 120, 40);
    wait_loaded(&b);
    b.send(":7000\rkkZ");
    wait_settled(&b);
    assert!(top(b.parser.lock().unwrap().screen()).contains(":6999"));
    // The reading pane and the location bar (the tree's scroll depends on the sizes it had).
    let reading = |contents: &str| -> String {
        contents
            .lines()
            .map(|l| l.split_once('│').map_or(l, |(_, r)| r).trim_end())
            .collect::<Vec<_>>()
            .join("\n")
    };
    let want = reading(&b.screen_text());
    a.wait_for(
        "the text a fresh start at 120x40 shows at the same place",
        |sc| reading(&sc.contents()) == want,
    );
    for s in [&mut a, &mut b] {
        s.send("q");
        assert_eq!(s.wait_exit(), 0);
        s.assert_restored();
    }
    let _ = std::fs::remove_file(&path);
}

/// A resize and the keys typed after it that reach a busy browser together (it was reading a
/// large file, or drawing; over a loaded machine or a slow link): the resize comes first, so
/// the keys move through the lines at the new size, as a fresh start at that size does. Held
/// still with SIGSTOP while it reads, so that both are waiting when it goes on. Before, the
/// keys were applied at the old width and the screen ended a line or more away.
#[test]
fn keys_typed_after_a_resize_that_came_while_busy_move_at_the_new_size() {
    let _one = one_at_a_time();
    let path = big_file("busy");
    let file = path.to_str().unwrap();
    let keys = "jjjjjjjZ";
    let mut a = Session::start(&["--file", file], 100, 30);
    // The first screen, drawn while the rest is read. (On a machine fast enough to have read
    // it all by the time it is seen, the stop finds the browser idle and the test still
    // holds; waiting for "reading" on the location bar would then wait for ever.)
    a.wait_text("G7内務");
    let pid = rustix::process::Pid::from_raw(i32::try_from(a.pid().unwrap()).unwrap()).unwrap();
    rustix::process::kill_process(pid, rustix::process::Signal::STOP).unwrap();
    a.resize(60, 24);
    a.send(keys);
    rustix::process::kill_process(pid, rustix::process::Signal::CONT).unwrap();
    wait_settled(&a);
    wait_loaded(&a);

    let mut b = Session::start(&["--file", file], 60, 24);
    wait_loaded(&b);
    b.send(keys);
    wait_settled(&b);
    same_reading_then_quit(
        a,
        b,
        "the text a fresh start at 60x24 shows after the same keys",
    );
    let _ = std::fs::remove_file(&path);
}

/// Scrolling up after a deep start: `:700` typed at once in a large file (the layout begins a
/// screen before paragraph 700; the text before it is laid out in slices), then lines, pages
/// and paragraphs up, all in one write. The screen is the one the same keys give in a small
/// file of the same text, laid out whole at start: a move up does not stop where the layout
/// began.
#[test]
fn scrolling_up_after_a_deep_start_is_scrolling_up_in_the_whole_text() {
    let _one = one_at_a_time();
    let path = big_file("up");
    let small = std::env::temp_dir().join(format!("kaigi-up-small-{}.txt", std::process::id()));
    // 20 copies: below the 1 MB from which a file is read in slices, so laid out whole.
    let text = repeated::repeated_text(20);
    assert!(text.len() < 1 << 20);
    std::fs::write(&small, text).unwrap();
    let keys = format!(":700\r{}\x1b[5~\x02{{[kZ", "k".repeat(30));
    let mut a = Session::start(&["--file", path.to_str().unwrap()], 80, 24);
    a.wait_text("G7内務");
    a.send(&keys);
    wait_settled(&a);
    let mut b = Session::start(&["--file", small.to_str().unwrap()], 80, 24);
    b.wait_text("G7内務");
    b.send(&keys);
    wait_settled(&b);
    let want = reading_pane(&b.screen_text());
    assert!(!want.contains(":700"), "{want}");
    same_reading_then_quit(a, b, "the screen the same keys give in the whole text");
    let _ = std::fs::remove_file(&path);
    let _ = std::fs::remove_file(&small);
}

#[test]
fn the_index_asked_for_at_once_in_a_large_file_opens_once_its_terms_are_found() {
    let _one = one_at_a_time();
    let path = big_file("index");
    let file = path.to_str().unwrap();
    // `i` at the first frame waits for the text, then for the terms (found on a thread);
    // the query typed after it into the index's line waits behind it.
    let keys = "iICC";
    // The whole frame: its last row (the index's line) is the last it writes, so a screen
    // read while a frame is half written (the reader still below the index) does not count.
    let narrowed = |sc: &vt100::Screen| {
        sc.contents().contains("index of terms")
            && sc.contents().contains("“ICC”")
            && bottom(sc).starts_with("index: ICC")
    };
    let mut a = Session::start(&["--file", file], 100, 30);
    a.wait_text("G7内務");
    a.send(keys);
    a.wait_for("the index narrowed to ICC", narrowed);

    let mut b = Session::start(&["--file", file], 100, 30);
    wait_loaded(&b);
    b.send(keys);
    b.wait_for("the index narrowed to ICC", narrowed);
    assert_eq!(visible(&a.screen_text()), visible(&b.screen_text()));
    for s in [&mut a, &mut b] {
        // Esc closes the index's line and the index; `q` then quits.
        s.send("\x1b");
        s.wait_for("the text again", |sc| {
            !sc.contents().contains("index of terms")
        });
        s.send("q");
        assert_eq!(s.wait_exit(), 0);
        s.assert_restored();
    }
    let _ = std::fs::remove_file(&path);
}

#[test]
fn q_after_a_link_key_in_a_large_file_quits_at_once() {
    let _one = one_at_a_time();
    let path = big_file("linkquit");
    let file = path.to_str().unwrap();
    let mut a = Session::start(&["--file", file], 100, 30);
    a.wait_text("G7内務");
    // `>` waits for the links; `q` does not wait behind it.
    a.send(">q");
    assert_eq!(a.wait_exit(), 0);
    a.assert_restored();
    let _ = std::fs::remove_file(&path);
}

#[test]
fn links_in_a_large_file_are_followed_once_found() {
    let _one = one_at_a_time();
    let path = big_file("links");
    let file = path.to_str().unwrap();
    // `>` at once, Enter on the link it selects, `Z`: the same screen as when typed after
    // everything is found.
    let (a, b) = typed_at_once_and_after(file, ">\rZ");
    same_screen_then_quit(
        a,
        b,
        "the same screen as keys typed after the links are found",
    );
    let _ = std::fs::remove_file(&path);
}

/// Regression: a large file's links were found only when a link key first asked for them (the
/// whole text's, on a thread, the key waiting with "finding links, citations and terms…"),
/// so none was underlined until then. Now the links of the nodes on screen are found as they
/// come on screen once the text is read: the first screen's link is underlined without a
/// key, and `>` then Enter, in one write, follow it at once.
#[test]
fn a_large_files_first_screen_has_its_links_underlined_and_followed_at_once() {
    let _one = one_at_a_time();
    let path = std::env::temp_dir().join(format!("kaigi-firstlink-{}.txt", std::process::id()));
    // The communiqué's first link is in ¶29, below the first screen: ¶1 gets one.
    let text = repeated::repeated_text(200).replacen("\n1. ", "\n1. 附属文書Iに沿って、", 1);
    assert!(text.contains("附属文書Iに沿って"));
    std::fs::write(&path, text).unwrap();
    let mut s = Session::start(&["--file", path.to_str().unwrap()], 80, 24);
    s.wait_for("the link on the first screen underlined", |sc| {
        common::find_in_reader(sc, "附属文書I")
            .is_some_and(|(r, c)| sc.cell(r, c).is_some_and(vt100::Cell::underline))
    });
    s.send(">\r");
    s.wait_for("the annex the link goes to", |sc| {
        bottom(sc).contains("annex I: only its title is in this text")
    });
    let bar = top(s.parser.lock().unwrap().screen());
    assert!(bar.contains("› 附属文書I："), "{bar}");
    let drawn = String::from_utf8_lossy(&s.raw.lock().unwrap()).into_owned();
    assert!(
        !drawn.contains("finding links"),
        "the link keys waited for every link"
    );
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
    s.assert_restored();
    let _ = std::fs::remove_file(&path);
}
