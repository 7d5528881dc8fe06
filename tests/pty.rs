//! The real binary in a pseudo-terminal, read through a terminal emulator.

mod common;

use common::Session;

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
        bar.contains("cri:annex-1.1") && screen.contents().contains("2 countries")
    });
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
}

#[test]
fn search_query_enter_shows_the_paragraph() {
    let mut s = Session::start(&[], 80, 24);
    s.wait_text("G7内務");
    s.send("/らんさむ");
    s.wait_text("search › 18 results");
    // The answer first (issue 13): the CRI's title, then the headings that name it.
    s.wait_text("cri:title");
    s.send("\x1b[B\r");
    s.wait_text("cri:annex-3 (2 of 18");
    s.send("n");
    s.wait_text("cri:annex-1 (3 of 18");
    s.send("/");
    s.wait_text("search › 18 results");
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
