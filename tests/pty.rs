//! The real binary in a pseudo-terminal, read through a terminal emulator.

#![allow(clippy::unwrap_used)]

mod common;

use common::{Session, bottom, top};

#[test]
fn starts_shows_the_title_and_quits_cleanly() {
    let mut s = Session::start(&[], 80, 24);
    s.wait_text("G7内務・安全担当大臣コミュニケ");
    s.wait_text("1. 我々、G7内務・安全担当大臣は");
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
    s.assert_restored();
}

#[test]
fn goto_paragraph_by_colon() {
    let mut s = Session::start(&[], 80, 24);
    s.wait_text("G7内務");
    s.send(":23\r");
    s.wait_text("23. 我々は、国際カウンターランサムウェア");
    s.wait_text("g7:23");
    s.send("G");
    s.wait_text("(注2) 国内法及び国内規制に従って。");
    s.send("g");
    s.wait_text("2023年12月10日 於：茨城県水戸市");
    s.send("\x03");
    assert_eq!(s.wait_exit(), 0);
    s.assert_restored();
}

#[test]
fn goto_flag_opens_there() {
    let mut s = Session::start(&["--goto", "cri:note-1"], 80, 24);
    s.wait_text("(注1) アルバニア");
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
}

#[test]
fn participants_view_shows_the_table() {
    let mut s = Session::start(&[], 80, 24);
    s.wait_text("G7内務");
    s.send("2");
    s.wait_text("only A 3 (EU, パプアニューギニア, ウルグアイ)");
    s.wait_text("アルバニア         Albania");
    s.send("/ウルグ");
    s.wait_text("ウルグアイ         Uruguay              UY");
    s.send("\r\r");
    s.wait_text("ウルグアイ — 1 mention");
    s.send("\r");
    // The reader, not the list of mentions (which names the id too).
    s.wait_for("the reader at cri:annex-1.1", |screen| {
        let bar = screen.rows(0, 80).next().unwrap_or_default();
        bar.contains("cri:annex-1.1") && bottom(screen).contains("mention 1 of 1 — ウルグアイ")
    });
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
}

#[test]
fn search_query_enter_shows_the_paragraph() {
    let mut s = Session::start(&[], 80, 24);
    s.wait_text("G7内務");
    s.send("/らんさむ");
    s.wait_text("search › 32 matches in 18 places: G7 3, CRI 15");
    // The answer first (issue 13): the CRI's title, then the headings that name it.
    s.wait_text("cri:title");
    s.send("\x1b[B\r");
    s.wait_text("cri:annex-3 (2 of 18");
    s.send("n");
    s.wait_text("cri:annex-1 (3 of 18");
    // `/` opens an empty line (the last query is one Ctrl-p away).
    s.send("/");
    s.wait_text(" search both documents");
    s.send("\x10");
    s.wait_text("search › 32 matches in 18 places: G7 3, CRI 15");
    // Esc closes the search and leaves the reader where it was.
    s.send("\x1b");
    s.wait_text(" cri › 1 カウンターランサムウェア・イニシアティブ会合参加国・機関 ");
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
}

#[test]
fn search_flag_opens_with_the_query() {
    let mut s = Session::start(&["--search", "GIFCT"], 80, 24);
    s.wait_text("/GIFCT");
    s.wait_text("g7:13");
    s.send("\r");
    s.wait_text("13. テロリスト及び暴力的過激主義者は");
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
}

#[test]
fn enter_in_the_reader_keeps_the_focus_and_space_pages_the_text() {
    // Issue 11: after `:23` Enter, Enter moved the focus to the tree without a sign and Space
    // jumped to the CRI annex. Now Enter is a hint, the hint line names the pane, and Space
    // pages on through the text. (Issue 14: Enter in the reader selects the first link on
    // screen, ¶23's name of the CRI, and says a second Enter follows it; it still moves
    // neither the focus nor the text.)
    let mut s = Session::start(&[], 80, 24);
    s.wait_text("G7内務");
    s.send(":23\r\r");
    s.wait_for("Enter selects a link", |sc| {
        bottom(sc).contains("link 1 of") && bottom(sc).contains("Enter follows")
    });
    s.send("\x1b[C\x1b[Dhl ");
    s.wait_for("the next page of the text", |sc| {
        top(sc).contains("g7:2") && !top(sc).contains("cri")
    });
    s.wait_for("the pane named", |sc| bottom(sc).starts_with(" reader "));
    s.send("\t");
    s.wait_for("the tree named", |sc| bottom(sc).starts_with(" tree "));
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
}

#[test]
fn slash_opens_an_empty_line_every_time() {
    // Issue 11: `/GIFCT` Enter then `/ICPA` searched for `GIFCTICPA`.
    let mut s = Session::start(&[], 80, 24);
    s.wait_text("G7内務");
    s.send("/GIFCT\r/ICPA\r");
    s.wait_for("paragraph 7", |sc| top(sc).contains("g7:7"));
    s.wait_text("7. 我々は、");
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
}

/// A key with no binding while the `/` or `:` line is open says so on the row above the line,
/// as it does elsewhere, and the line keeps what was typed.
#[test]
fn an_unbound_ctrl_key_in_a_line_is_a_hint_and_the_text_stays() {
    let mut s = Session::start(&[], 80, 24);
    s.wait_text("G7内務");
    let above = |sc: &vt100::Screen| sc.rows(0, 80).nth(22).unwrap_or_default();
    s.send("/GIF\x18");
    s.wait_for("the hint above the search line", |sc| {
        above(sc).contains("no key Ctrl-x — Esc, then ? for help") && bottom(sc).starts_with("/GIF")
    });
    s.send("CT\r");
    s.wait_for("GIFCT found", |sc| top(sc).contains("g7:13"));
    s.send(":2\x1b[15~");
    s.wait_for("the hint above the goto line", |sc| {
        above(sc).contains("no key F5 — Esc, then") && bottom(sc).starts_with(":2")
    });
    s.send("3\r");
    s.wait_for("paragraph 23", |sc| top(sc).contains("g7:23"));
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
    s.assert_restored();
}

#[test]
fn enter_typed_with_the_query_opens_the_first_hit() {
    // Issue 11: `/ランサム` and Enter in one burst did nothing.
    let mut s = Session::start(&[], 80, 24);
    s.wait_text("G7内務");
    s.send("/ランサム\r");
    // The answer first (issue 13): the CRI's title.
    s.wait_for("the first hit", |sc| top(sc).contains("cri:title"));
    s.wait_for("its message", |sc| {
        bottom(sc).contains("cri:title (1 of 18")
    });
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
}

#[test]
fn a_bracketed_paste_starts_the_search_with_newlines_as_spaces() {
    let mut s = Session::start(&[], 80, 24);
    s.wait_text("G7内務");
    s.send("\x1b[200~ランサム\nウェア\x1b[201~");
    s.wait_for("the pasted line", |sc| {
        bottom(sc).starts_with("/ランサム ウェア")
    });
    // Two terms: each occurrence of either counts.
    s.wait_text("search › 64 matches in 18 places: G7 3, CRI 15");
    // Into an open line, a paste is typed text.
    s.send("\x1b[200~\t身代金\x1b[201~");
    s.wait_for("the second paste", |sc| {
        bottom(sc).starts_with("/ランサム ウェア 身代金")
    });
    s.send("\x1bq");
    assert_eq!(s.wait_exit(), 0);
}

#[test]
fn the_cursor_stands_where_text_is_typed() {
    let mut s = Session::start(&[], 80, 24);
    s.wait_text("G7内務");
    assert!(s.parser.lock().unwrap().screen().hide_cursor());
    s.send("/らんさ");
    s.wait_for("the cursor after the typed text", |sc| {
        !sc.hide_cursor() && sc.cursor_position() == (23, 7)
    });
    // Left moves it back over one wide character.
    s.send("\x1b[D");
    s.wait_for("the cursor one character back", |sc| {
        !sc.hide_cursor() && sc.cursor_position() == (23, 5)
    });
    s.send("x");
    s.wait_for("typed in the middle", |sc| {
        bottom(sc).starts_with("/らんxさ")
    });
    s.wait_for("the cursor after x", |sc| sc.cursor_position() == (23, 6));
    s.send("\x1b");
    s.wait_for("the cursor hidden again", vt100::Screen::hide_cursor);
    s.send(":");
    s.wait_for("the cursor on the goto line", |sc| {
        !sc.hide_cursor() && sc.cursor_position() == (23, 1)
    });
    s.send("\x1bq");
    assert_eq!(s.wait_exit(), 0);
}

#[test]
fn esc_and_a_key_in_one_read_are_two_keys() {
    // Issue 11: Esc then q in one read was Alt-q: the search stayed open and took the `q`.
    let mut s = Session::start(&[], 80, 24);
    s.wait_text("G7内務");
    s.send("/GIFCT");
    s.wait_text("search › ");
    s.send("\x1bq");
    assert_eq!(s.wait_exit(), 0);
    s.assert_restored();
}

#[test]
fn the_keys_of_less_and_vim_work_and_no_key_is_silent() {
    let mut s = Session::start(&["--goto", "g7:23"], 80, 24);
    s.wait_text("23. 我々は");
    s.send("M");
    s.wait_for("a hint for M", |sc| bottom(sc).starts_with("no key M"));
    s.send("x");
    s.wait_for("a hint for x", |sc| {
        bottom(sc).starts_with("no key x — ? for help")
    });
    // Ctrl-e, e, Ctrl-n a line down each; Ctrl-y, Ctrl-p up.
    s.send("\x05e\x0e");
    s.wait_for("three lines down", |sc| {
        sc.contents()
            .lines()
            .nth(1)
            .unwrap_or("")
            .contains("保全及び入手するため")
            || !sc
                .contents()
                .lines()
                .nth(1)
                .unwrap_or("")
                .contains("23. 我々は")
    });
    s.send("\x19\x10\x19");
    s.wait_for("back at 23", |sc| {
        sc.contents()
            .lines()
            .nth(1)
            .unwrap_or("")
            .contains("23. 我々は")
    });
    // d and u: half a page down and back.
    s.send("d");
    s.wait_for("half a page down", |sc| {
        !sc.contents()
            .lines()
            .nth(1)
            .unwrap_or("")
            .contains("23. 我々は")
    });
    s.send("u");
    s.wait_for("half a page up", |sc| {
        sc.contents()
            .lines()
            .nth(1)
            .unwrap_or("")
            .contains("23. 我々は")
    });
    // Ctrl-l repaints in full.
    let before = s.bytes_so_far();
    s.send("\x0c");
    s.wait_for("a full repaint", |_| true);
    let start = std::time::Instant::now();
    loop {
        let raw = s.raw.lock().unwrap()[before..].to_vec();
        if String::from_utf8_lossy(&raw).contains("\x1b[2J")
            && String::from_utf8_lossy(&raw).contains("23. ")
        {
            break;
        }
        assert!(start.elapsed() < common::TIMEOUT, "no repaint after Ctrl-l");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    s.send(":q\r");
    assert_eq!(s.wait_exit(), 0);
}

#[test]
fn at_40_columns_the_hints_keep_search_and_participants() {
    // Issue 11: at 40 columns the hint line dropped `/ search` and `2 countries`.
    let mut s = Session::start(&[], 40, 15);
    s.wait_text("G7内務");
    s.wait_for("the hint line", |sc| {
        let b = bottom(sc);
        b.contains("/ search") && b.contains("2 participants") && b.contains('?') && b.contains('q')
    });
    s.send("?");
    s.wait_text("only by Tab and Shift-Tab");
    s.send("q");
    s.wait_for("the help closed", |sc| {
        !sc.contents().contains("only by Tab")
    });
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
}

#[test]
fn ctrl_z_restores_the_terminal_and_comes_back_redrawn() {
    let mut s = Session::start(&["--goto", "g7:23"], 80, 24);
    s.wait_text("23. 我々は");
    let before = s.bytes_so_far();
    s.send("\x1a");
    // The terminal is handed back (main screen, cursor shown), then, continued, the browser
    // enters it again and draws everything. (In this pty the process group has no shell to
    // stop it for: the kernel drops SIGTSTP, so the process continues at once.)
    let start = std::time::Instant::now();
    loop {
        let raw = String::from_utf8_lossy(&s.raw.lock().unwrap()[before..]).into_owned();
        if let Some(left) = raw.find("\x1b[?1049l")
            && raw[left..].contains("\x1b[?25h")
            && let Some(back) = raw[left..].find("\x1b[?1049h")
            && raw[left + back..].contains("我々は、国際カウンター")
        {
            break;
        }
        assert!(
            start.elapsed() < common::TIMEOUT,
            "not restored and redrawn: {raw:?}"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    s.wait_text("23. 我々は");
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
    s.assert_restored();
}

#[test]
fn a_burst_of_keys_a_paste_and_enter_in_one_write() {
    // A slow link delivers all of this in one read: `:23` Enter, Down Down, `/`, a
    // bracketed paste, Enter; then `n` and Esc Esc q.
    let mut s = Session::start(&[], 80, 24);
    s.wait_text("G7内務");
    s.send(":23\r\x1b[B\x1b[B/\x1b[200~GIFCT\x1b[201~\r");
    s.wait_for("the hit of the pasted query", |sc| {
        top(sc).contains("g7:13")
    });
    s.wait_for("its message", |sc| {
        bottom(sc).contains("(1 of 1 for “GIFCT”")
    });
    s.send("n\x1b\x1bq");
    assert_eq!(s.wait_exit(), 0);
    s.assert_restored();
}

/// `--present NAME` and `--follow NAME` between two processes: the follower sees the note,
/// follows with F at its own width, pauses on its own `j`, resumes with F; the presenter
/// quitting ends it. A name nobody presents as is one clear line and a non-zero exit.
#[test]
fn present_and_follow_between_two_processes() {
    let dir = std::env::temp_dir().join(format!("kaigi-rt-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let rt = dir.to_str().unwrap();
    let env = [("XDG_RUNTIME_DIR", rt)];

    let mut nobody = Session::start_with(
        &["--follow", "nobody"],
        80,
        24,
        common::CursorReply::Narrow,
        &env,
    );
    assert_ne!(nobody.wait_exit(), 0);
    assert!(
        nobody.screen_text().contains("nobody presents as nobody"),
        "{}",
        nobody.screen_text()
    );

    let mut presenter = Session::start_with(
        &["--present", "chair"],
        80,
        24,
        common::CursorReply::Narrow,
        &env,
    );
    presenter.wait_text("presenting");
    let mut follower = Session::start_with(
        &["--follow", "chair"],
        44,
        20,
        common::CursorReply::Narrow,
        &env,
    );
    follower.wait_text("G7");
    presenter.send(":23\r");
    follower.wait_text("chair is presenting — at g7:23");
    follower.send("F");
    follower.wait_for("paragraph 23 at the top", |s| {
        s.contents()
            .lines()
            .nth(1)
            .is_some_and(|l| l.trim_start().starts_with("23."))
    });
    presenter.send(":VII\r");
    follower.wait_for("section VII at the top", |s| {
        s.contents()
            .lines()
            .nth(1)
            .is_some_and(|l| l.contains("VII. 児童"))
    });
    follower.send("j");
    follower.wait_text("paused following chair");
    presenter.send(":23\r");
    follower.wait_text("is at g7:23 · F resumes");
    follower.send("F");
    follower.wait_for("paragraph 23 again", |s| {
        s.contents()
            .lines()
            .nth(1)
            .is_some_and(|l| l.trim_start().starts_with("23."))
    });
    presenter.send("q");
    assert_eq!(presenter.wait_exit(), 0);
    follower.wait_text("chair stopped presenting");
    follower.send("q");
    assert_eq!(follower.wait_exit(), 0);
    assert!(
        !dir.join("kaigi/chair.sock").exists(),
        "the socket is left behind"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// The tree's scroll after resizes is a function of what it shows and the size, not of the
/// sizes it had: 80x24, 40x15 (the tree hidden), 120x40 and back to 80x24 show the screen a
/// fresh start at 80x24 shows at the same place, the tree's rows too.
#[test]
fn the_tree_after_several_resizes_is_the_tree_of_a_fresh_start() {
    // Jumps down the text, each opening a section, so that the tree is longer than its
    // pane at 80x24 but not at 120x40.
    for place in [
        ":5\r:15\r:25\r:35\r:cri:3\r",
        ":12\r:22\r:32\r:annex-II\r",
        ":30\r",
    ] {
        let mut a = Session::start(&[], 80, 24);
        a.wait_text("G7内務");
        a.send(place);
        a.wait_for("the jump", |sc| !top(sc).contains("G7内務・安全"));
        for (w, h) in [(40, 15), (120, 40), (80, 24)] {
            a.resize(w, h);
            a.send("Z");
            a.wait_for("the hint at the new size", |sc| {
                sc.size() == (h, w) && bottom(sc).contains("no key Z")
            });
            a.send("\x0c");
            a.wait_for("the hint gone", |sc| !bottom(sc).contains("no key Z"));
        }
        a.send("Z");
        let mut b = Session::start(&[], 80, 24);
        b.wait_text("G7内務");
        b.send(place);
        b.send("Z");
        b.wait_for("the hint", |sc| bottom(sc).contains("no key Z"));
        // As a person sees it: trailing blanks written or erased alike.
        let visible = |t: &str| t.lines().map(str::trim_end).collect::<Vec<_>>().join("\n");
        let want = visible(&b.screen_text());
        a.wait_for("the screen of a fresh start at 80x24", |sc| {
            visible(&sc.contents()) == want
        });
        for s in [&mut a, &mut b] {
            s.send("q");
            assert_eq!(s.wait_exit(), 0);
        }
    }
}
