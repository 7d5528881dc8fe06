//! A large file in the real binary: its first screen comes before the whole is parsed, keys
//! typed meanwhile are applied in order, and a resize meanwhile ends where a fresh start at
//! that size does. Correctness only: nothing here is timed.

#![allow(clippy::unwrap_used)]

mod common;
#[path = "../benches/support/repeated.rs"]
mod repeated;

use common::{Session, bottom, top};

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
    let path = big_file("order");
    let file = path.to_str().unwrap();
    // `G` needs the whole text and waits for it; everything typed after it waits behind it
    // and is applied in order: `k` after `G`, then `:1234`, two lines, a paragraph, `Z`.
    let keys = "jjjjGk:1234\rjj}Z";
    let mut a = Session::start(&["--file", file], 100, 30);
    a.wait_text("G7内務");
    a.send(keys);
    wait_settled(&a);

    let mut b = Session::start(&["--file", file], 100, 30);
    wait_loaded(&b);
    b.send(keys);
    wait_settled(&b);
    // `:1234`, then two lines and `}`: paragraph 1235 at the top.
    assert!(top(b.parser.lock().unwrap().screen()).contains(":1235"));
    same_screen_then_quit(a, b, "the same screen as keys typed after the reading");
    let _ = std::fs::remove_file(&path);
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

#[test]
fn the_place_kept_in_the_state_file_comes_back_once_a_large_file_is_read() {
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

/// A resize deep in a large file lays out from the reader's place (the text before it comes
/// after, in slices): the same text stays at the top, lines above it are there to scroll back
/// to, and the screen is the one a fresh start at that size shows for the same place.
#[test]
fn a_resize_deep_in_a_large_file_keeps_the_text_at_the_top() {
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
