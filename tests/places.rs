//! Back, forward and marks through the real binary in a pseudo-terminal, and the state file
//! that keeps them across a restart — including every way that file can be bad. Keys are
//! written the way a slow SSH link delivers them: several in one write.

#![allow(clippy::unwrap_used)]

mod common;

use std::path::{Path, PathBuf};

use common::{CursorReply, Session, bottom, fresh_dir, top};

fn start(args: &[&str], env: &[(&str, &str)]) -> Session {
    let mut all = vec!["--ambiguous", "narrow"];
    all.extend_from_slice(args);
    Session::start_with(&all, 80, 24, CursorReply::Narrow, env)
}

/// Waits until the location bar names `place`: a node's id (`g7:23 `) or a heading
/// (`VII. `), as the bar shows them.
fn at(s: &Session, place: &str) {
    s.wait_for(&format!("the reader at {place}"), |sc| {
        top(sc).contains(place)
    });
}

fn quit(mut s: Session) {
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
    s.assert_restored();
}

/// Every file in a folder (none when it does not exist).
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            out.push(e.path());
        }
    }
    out.sort();
    out
}

#[test]
fn back_and_forward_along_the_readers_path() {
    let s = start(&[], &[]);
    s.wait_text("G7内務");
    let mut s = s;
    s.send(":23\r/GIFCT\r");
    at(&s, "› g7:13 ");
    s.wait_text("13. テロリスト及び暴力的過激主義者は");
    // Ctrl-o shows paragraph 23 again; L (forward: Ctrl-i is Tab here) returns to 13.
    s.send("\x0f");
    at(&s, "› g7:23 ");
    s.wait_text("23. 我々は、国際カウンターランサムウェア");
    s.send("L");
    at(&s, "› g7:13 ");
    // Backspace (DEL, as terminals send it) is back too, as in w3m; twice reaches the title.
    s.send("\x7f\x7f\x7f");
    s.wait_for("the note at the oldest place", |sc| {
        bottom(sc).contains("at the oldest place")
    });
    s.wait_text("G7内務・安全担当大臣コミュニケ");
    // Alt-Right (as a terminal sends it) goes forward.
    s.send("\x1b[1;3C");
    at(&s, "› g7:23 ");
    quit(s);
}

#[test]
fn marks_and_quote_quote() {
    let mut s = start(&[], &[]);
    s.wait_text("G7内務");
    s.send(":23\rma:VII\r");
    at(&s, "› VII. ");
    s.send("'a");
    at(&s, "› g7:23 ");
    s.send("''");
    at(&s, "› VII. ");
    s.send("''");
    at(&s, "› g7:23 ");
    // A mark that is not set, and a name that is not a letter, say so.
    s.send("'z");
    s.wait_for("no mark z", |sc| {
        bottom(sc).contains("no mark z: mz sets it")
    });
    s.send("m");
    s.wait_for("the pending hint", |sc| bottom(sc).contains("a letter a-z"));
    s.send("\x1b");
    s.wait_for("cancelled", |sc| bottom(sc).contains("cancelled"));
    s.send(":marks\r");
    s.wait_text("marks · Enter goes there");
    s.wait_text(" a  g7:23  我々は、国際カウンター");
    s.send("\r");
    at(&s, "› g7:23 ");
    quit(s);
}

#[test]
fn n_follows_the_mentions_after_a_mention() {
    let mut s = start(&[], &[]);
    s.wait_text("G7内務");
    s.send("2/インターポール\r\r\r");
    s.wait_for("the first mention", |sc| {
        bottom(sc).contains("mention 1 of ") && bottom(sc).contains("インターポール")
    });
    s.send("n");
    s.wait_for("the second mention", |sc| {
        bottom(sc).contains("mention 2 of ")
    });
    s.send("NN");
    s.wait_for("the wrap", |sc| {
        bottom(sc).starts_with("mentions hit TOP, continuing at BOTTOM")
    });
    quit(s);
}

#[test]
fn the_state_is_restored_by_a_second_start() {
    let home = fresh_dir("restart");
    let env = [("XDG_STATE_HOME", home.to_str().unwrap())];
    let mut s = start(&[], &env);
    s.wait_text("G7内務");
    s.send(":VII\rma/GIFCT\r:23\r");
    at(&s, "› g7:23 ");
    quit(s);
    let written = files(&home.join("kaigi"));
    assert_eq!(written.len(), 1, "{written:?}");
    let mut s = start(&[], &env);
    at(&s, "› g7:23 ");
    s.send("'a");
    at(&s, "› VII. ");
    // The histories: Ctrl-p in the search line, Up in the goto line.
    s.send("/\x10");
    s.wait_text("/GIFCT");
    s.send("\x1b:\x1b[A");
    s.wait_for("the last goto", |sc| bottom(sc).starts_with(":23"));
    s.send("\x1b");
    quit(s);
    // --goto overrides the last position, and the marks are kept.
    let mut s = start(&["--goto", "cri:3"], &env);
    at(&s, "› cri:3 ");
    s.send("'a");
    at(&s, "› VII. ");
    quit(s);
    // SIGTERM saves too (VII was the last place).
    let s = start(&[], &env);
    at(&s, "› VII. ");
    let mut s = s;
    s.send("'a:12\r");
    at(&s, "› g7:12 ");
    let pid = s.pid().unwrap();
    rustix::process::kill_process(
        rustix::process::Pid::from_raw(i32::try_from(pid).unwrap()).unwrap(),
        rustix::process::Signal::TERM,
    )
    .unwrap();
    assert_eq!(s.wait_exit(), 128 + 15);
    s.assert_restored();
    let s = start(&[], &env);
    at(&s, "› g7:12 ");
    quit(s);
    let _ = std::fs::remove_dir_all(&home);
}

#[test]
fn no_state_writes_nothing_and_restores_nothing() {
    let home = fresh_dir("nostate");
    let env = [("XDG_STATE_HOME", home.to_str().unwrap())];
    let mut s = start(&[], &env);
    s.wait_text("G7内務");
    s.send(":VII\rma:23\r");
    at(&s, "› g7:23 ");
    quit(s);
    let before = std::fs::read(&files(&home.join("kaigi"))[0]).unwrap();
    let mut s = start(&["--no-state"], &env);
    s.wait_text("G7内務・安全担当大臣コミュニケ");
    s.send("'a");
    s.wait_for("no mark a", |sc| bottom(sc).contains("no mark a"));
    s.send("mb:30\r");
    at(&s, "› g7:30 ");
    quit(s);
    assert_eq!(files(&home.join("kaigi")).len(), 1);
    assert_eq!(
        std::fs::read(&files(&home.join("kaigi"))[0]).unwrap(),
        before
    );
    // And --no-state with no state folder at all: nothing is made.
    let none = fresh_dir("nostate-none");
    let mut s = start(
        &["--no-state"],
        &[("XDG_STATE_HOME", none.to_str().unwrap())],
    );
    s.wait_text("G7内務");
    s.send("ma");
    s.wait_for("the mark", |sc| bottom(sc).contains("mark a set"));
    quit(s);
    assert!(!none.exists());
    let _ = std::fs::remove_dir_all(&home);
}

/// The state file kaigi reads for the embedded documents, in `home`.
fn state_file(home: &Path) -> PathBuf {
    // The name is the documents' key: learn it from a clean run.
    let probe = fresh_dir("key");
    let s = start(&[], &[("XDG_STATE_HOME", probe.to_str().unwrap())]);
    s.wait_text("G7内務");
    quit(s);
    let name = files(&probe.join("kaigi"))[0]
        .file_name()
        .unwrap()
        .to_owned();
    let _ = std::fs::remove_dir_all(&probe);
    home.join("kaigi").join(name)
}

/// kaigi starts with a bad state file: the note shows, a mark can be set (saying it is not
/// kept), it quits cleanly, and the file is exactly as it was.
fn starts_despite(name: &str, make: impl Fn(&Path), note: &str) {
    let home = fresh_dir(name);
    let file = state_file(&home);
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    make(&file);
    let snapshot = |p: &Path| (p.is_dir(), std::fs::read(p).ok());
    let before = snapshot(&file);
    let mut s = start(&[], &[("XDG_STATE_HOME", home.to_str().unwrap())]);
    s.wait_for(&format!("the note ({name})"), |sc| {
        bottom(sc).contains(note)
    });
    s.wait_text("G7内務");
    s.send("ma");
    s.wait_for("the mark, not kept", |sc| {
        bottom(sc).contains("mark a set") && bottom(sc).contains("not kept")
    });
    quit(s);
    assert_eq!(snapshot(&file), before, "{name}: the bad file was replaced");
    let left = files(file.parent().unwrap());
    assert_eq!(left, vec![file.clone()], "{name}: files left behind");
    let _ = std::fs::remove_dir_all(&home);
}

#[test]
fn a_bad_state_file_is_a_note_never_a_failure() {
    starts_despite(
        "corrupt",
        |f| std::fs::write(f, b"{\"version\": 1, \"marks\": {\"a\": ").unwrap(),
        "state ignored, not valid JSON",
    );
    starts_despite(
        "truncated",
        |f| {
            std::fs::write(
                f,
                &br#"{"version":1,"last":{"id":"g7:23","index":40,"offset":0}}"#[..30],
            )
            .unwrap();
        },
        "state ignored, not valid JSON",
    );
    starts_despite(
        "future",
        |f| std::fs::write(f, br#"{"version": 99, "marks": "elsewhere"}"#).unwrap(),
        "state ignored, from a newer kaigi (version 99",
    );
    starts_despite(
        "directory",
        |f| std::fs::create_dir(f).unwrap(),
        "state ignored, it is a directory",
    );
    starts_despite(
        "hostile",
        |f| std::fs::write(f, b"\x1b]52;c;aGk=\x07\x1b[2J").unwrap(),
        "state ignored, not valid JSON",
    );
}

/// With `--search` the search line takes the bottom row; the note about a bad state file
/// stands on the row above it, the line and its query untouched, until the next key.
#[test]
fn with_search_at_start_the_bad_state_note_shows_above_the_line() {
    let home = fresh_dir("search-note");
    let file = state_file(&home);
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(&file, b"{garbage").unwrap();
    let mut s = start(
        &["--search", "GIFCT"],
        &[("XDG_STATE_HOME", home.to_str().unwrap())],
    );
    s.wait_for("the note above the search line", |sc| {
        let rows: Vec<String> = sc.rows(0, 80).collect();
        rows[22].contains("state ignored, not valid JSON") && rows[23].starts_with("/GIFCT")
    });
    s.send("x");
    s.wait_for("the note gone at the next key, the line kept", |sc| {
        let rows: Vec<String> = sc.rows(0, 80).collect();
        !rows[22].contains("state ignored") && rows[23].starts_with("/GIFCTx")
    });
    s.send("\x1b");
    quit(s);
    assert_eq!(std::fs::read(&file).unwrap(), b"{garbage");
    let _ = std::fs::remove_dir_all(&home);
}

#[test]
fn no_home_and_read_only_places_are_notes() {
    // A HOME that does not exist, XDG_STATE_HOME unset (empty is unset): a note, nothing made.
    let gone = fresh_dir("gone-home");
    let mut s = start(
        &[],
        &[("HOME", gone.to_str().unwrap()), ("XDG_STATE_HOME", "")],
    );
    s.wait_for("the note", |sc| {
        bottom(sc).contains("places are not kept: HOME") && bottom(sc).contains("is not a folder")
    });
    s.send("ma:23\r'a");
    at(&s, "› g7:title");
    quit(s);
    assert!(!gone.exists(), "HOME was made");
    // Read-only places: under /proc nothing can be made, even by root; a file where the
    // folder should be. The mark says it is not kept; the exit is clean.
    let file = fresh_dir("file-as-folder");
    std::fs::write(&file, "x").unwrap();
    for home in [PathBuf::from("/proc/self"), file.clone()] {
        let mut s = start(&[], &[("XDG_STATE_HOME", home.to_str().unwrap())]);
        s.wait_text("G7内務");
        s.send("ma");
        s.wait_for("the mark, not kept", |sc| {
            bottom(sc).contains("mark a set") && bottom(sc).contains("not kept")
        });
        s.send("q");
        assert_eq!(s.wait_exit(), 0, "{}", home.display());
        s.assert_restored();
        // The failure at exit is one line on the terminal, after it was restored.
        s.wait_text("kaigi: state not saved:");
    }
    assert_eq!(std::fs::read(&file).unwrap(), b"x");
    let _ = std::fs::remove_file(&file);
}

#[test]
fn two_processes_exiting_at_once_leave_a_whole_file() {
    let home = fresh_dir("race");
    let env = [("XDG_STATE_HOME", home.to_str().unwrap())];
    let mut a = start(&[], &env);
    let mut b = start(&[], &env);
    a.wait_text("G7内務");
    b.wait_text("G7内務");
    a.send(":VII\rma");
    b.send(":23\rmb");
    a.wait_for("a's mark", |sc| bottom(sc).contains("mark a set"));
    b.wait_for("b's mark", |sc| bottom(sc).contains("mark b set"));
    a.send("q");
    b.send("q");
    assert_eq!(a.wait_exit(), 0);
    assert_eq!(b.wait_exit(), 0);
    let left = files(&home.join("kaigi"));
    assert_eq!(left.len(), 1, "{left:?}");
    let v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&left[0]).unwrap()).expect("a whole JSON file");
    let last = v["last"]["id"].as_str().unwrap();
    assert!(last == "g7:VII" || last == "g7:23", "{v}");
    let _ = std::fs::remove_dir_all(&home);
}
