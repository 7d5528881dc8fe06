//! A large file in the real binary: its first screen comes before the whole is parsed, keys
//! typed meanwhile are applied in order, and a resize meanwhile ends where a fresh start at
//! that size does. Correctness only: nothing here is timed.

#![allow(clippy::unwrap_used)]

mod common;
#[path = "../benches/support/repeated.rs"]
mod repeated;

use common::Session;

/// The communiqué's body 200 times (7 MB): far above the size parsed before the first frame.
fn big_file(name: &str) -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!("kaigi-{name}-{}.txt", std::process::id()));
    std::fs::write(&path, repeated::repeated_text(200)).unwrap();
    path
}

fn top(screen: &vt100::Screen) -> String {
    screen.contents().lines().next().unwrap_or("").to_string()
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

fn top_line(contents: &str) -> &str {
    contents.lines().next().unwrap_or("")
}

fn bottom(screen: &vt100::Screen) -> String {
    screen.contents().lines().last().unwrap_or("").to_string()
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
    let want = visible(&b.screen_text());
    // `:1234`, then two lines and `}`: paragraph 1235 at the top.
    assert!(top_line(&want).contains(":1235"), "{want}");
    a.wait_for("the same screen as keys typed after the reading", |sc| {
        visible(&sc.contents()) == want
    });
    for s in [&mut a, &mut b] {
        s.send("q");
        assert_eq!(s.wait_exit(), 0);
        s.assert_restored();
    }
    let _ = std::fs::remove_file(&path);
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
    let want = visible(&b.screen_text());
    a.wait_for("the screen of a fresh start at 120x40", |sc| {
        visible(&sc.contents()) == want
    });
    for s in [&mut a, &mut b] {
        s.send("q");
        assert_eq!(s.wait_exit(), 0);
        s.assert_restored();
    }
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
