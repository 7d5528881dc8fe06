//! Links, the index of terms and the goto preview through the real binary in a
//! pseudo-terminal. Keys are written the way a slow SSH link delivers them: several in one
//! write.

#![allow(clippy::unwrap_used)]

mod common;

use common::{CursorReply, Session, bottom, top};

/// Starts kaigi and waits for its first screen.
fn start() -> Session {
    sized(80, 24)
}

fn sized(cols: u16, rows: u16) -> Session {
    let s = Session::start_with(
        &["--ambiguous", "narrow"],
        cols,
        rows,
        CursorReply::Narrow,
        &[],
    );
    s.wait_text("G7内務");
    s
}

fn quit(mut s: Session) {
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
    s.assert_restored();
}

#[test]
fn a_link_is_drawn_underlined_and_the_selected_one_in_reverse() {
    // Tall enough for the end of ¶29, where its link is.
    let mut s = sized(80, 30);
    s.send(":29\r");
    s.wait_for("¶29's link underlined", |sc| {
        common::find_in_reader(sc, "附属文書I")
            .is_some_and(|(r, c)| sc.cell(r, c).is_some_and(vt100::Cell::underline))
    });
    // The text around it is not.
    s.wait_for("plain text not underlined", |sc| {
        common::find_in_reader(sc, "附属文書I")
            .is_some_and(|(r, c)| c > 1 && sc.cell(r, c - 2).is_some_and(|x| !x.underline()))
    });
    s.send(">");
    s.wait_for("the selected link in reverse", |sc| {
        common::find_in_reader(sc, "附属文書I").is_some_and(|(r, c)| {
            sc.cell(r, c)
                .is_some_and(|x| x.inverse() && x.underline() && x.bold())
        })
    });
    quit(s);
}

/// `[theme]` names the links' looks: here a link is bold and not underlined, the selected one
/// underlined and not reversed (with colour off, so only the attributes tell).
#[test]
fn the_links_looks_come_from_the_theme() {
    let dir = common::fresh_dir("link-theme");
    std::fs::create_dir_all(&dir).unwrap();
    let config = dir.join("config.toml");
    std::fs::write(
        &config,
        "[theme]\nlink = \"bold\"\nlink-selected = \"underline\"\n",
    )
    .unwrap();
    let mut s = Session::start_with(
        &[
            "--ambiguous",
            "narrow",
            "--color",
            "never",
            "--config",
            config.to_str().unwrap(),
        ],
        80,
        30,
        CursorReply::Narrow,
        &[],
    );
    s.wait_text("G7内務");
    s.send(":29\r");
    s.wait_for("¶29's link bold, not underlined", |sc| {
        common::find_in_reader(sc, "附属文書I").is_some_and(|(r, c)| {
            sc.cell(r, c)
                .is_some_and(|x| x.bold() && !x.underline() && !x.inverse())
        })
    });
    s.send(">");
    s.wait_for("the selected link underlined, not reversed", |sc| {
        common::find_in_reader(sc, "附属文書I").is_some_and(|(r, c)| {
            sc.cell(r, c)
                .is_some_and(|x| x.underline() && !x.inverse() && !x.bold())
        })
    });
    quit(s);
}

#[test]
fn follow_paragraph_29s_link_to_annex_i_and_come_back() {
    let mut s = start();
    // Enter selects the first link on screen, a second Enter follows it.
    s.send(":29\r\r\r");
    s.wait_for("the note on arrival", |sc| {
        bottom(sc).contains("annex I: only its title is in this text")
    });
    s.wait_for("annex I at the top", |sc| top(sc).contains("附属文書"));
    s.send("\x0f");
    s.wait_for("back at ¶29", |sc| top(sc).contains("g7:29"));
    quit(s);
}

#[test]
fn i_icpa_enter_goes_to_paragraph_7() {
    let mut s = start();
    s.send("iicpa");
    s.wait_for("the expansion on screen", |sc| {
        sc.contents().contains("ICPA") && sc.contents().contains("国際センター")
    });
    s.send("\r");
    s.wait_for("¶7", |sc| top(sc).contains("g7:7 "));
    quit(s);
}

/// What a careful reader of g7:13 and g7:24 expects to find: Tech Against Terrorism in the
/// index, and the Hiroshima Process's guiding principles (指針) and code of conduct (規範)
/// among the cited documents, each leading to its paragraph.
#[test]
fn the_index_and_the_cited_documents_hold_what_the_text_names() {
    let mut s = start();
    s.send("iテック");
    s.wait_for("the entry and its place", |sc| {
        sc.contents().contains("テック・アゲインスト・テロリズム")
            && sc.contents().contains("g7:13")
    });
    s.send("\r");
    s.wait_for("¶13", |sc| top(sc).contains("g7:13 "));
    // The cited documents, stepped by document (`}`) to the code of conduct (the twelfth).
    s.send("R}}}}}}}}}}}");
    s.wait_for("the code of conduct, selected", |sc| {
        sc.contents().contains("広島プロセス国際指針")
            && sc.contents().contains("広島プロセス国際行動規範")
    });
    s.send("\r");
    s.wait_for("¶24", |sc| top(sc).contains("g7:24 "));
    quit(s);
}

#[test]
fn the_goto_line_shows_where_3_goes() {
    let mut s = start();
    s.send(":3");
    s.wait_text("→ g7:3 (G7内務・安全担当大臣コミュニケ) · also cri:3");
    s.send("\x1b:cri:3");
    s.wait_text("→ cri:3 (");
    s.send("\x1b");
    quit(s);
}

/// The preview stands on the goto line itself, right of what is typed: the reader's last row
/// (which may hold the very number the reader is about to type) stays in view.
#[test]
fn the_goto_preview_hides_no_line_of_the_text() {
    for (cols, rows, want) in [
        (
            80,
            24,
            "→ g7:3 (G7内務・安全担当大臣コミュニケ) · also cri:3",
        ),
        (40, 15, "→ g7:3 · also cri:3"),
    ] {
        let mut s = sized(cols, rows);
        let last_row = |sc: &vt100::Screen| {
            sc.rows(0, cols)
                .nth(usize::from(rows - 2))
                .unwrap_or_default()
        };
        let before = std::cell::RefCell::new(String::new());
        s.wait_for("the first screen's text", |sc| {
            *before.borrow_mut() = last_row(sc);
            !before.borrow().trim().is_empty()
        });
        s.send(":3");
        s.wait_for(
            "the preview on the goto line, the text's last row kept",
            |sc| {
                let b = bottom(sc);
                b.starts_with(":3 ")
                    && b.trim_end().ends_with(want)
                    && last_row(sc) == *before.borrow()
            },
        );
        s.send("\x1b");
        quit(s);
    }
}

#[test]
fn r_lists_the_cited_documents_and_enter_goes_to_a_place() {
    let mut s = start();
    s.send("R");
    s.wait_for("the cited documents", |sc| {
        top(sc).contains("cited documents")
    });
    s.wait_text("2023-02-24");
    s.send("j\r");
    s.wait_for("the reader at a place", |sc| top(sc).contains("g7:"));
    quit(s);
}
