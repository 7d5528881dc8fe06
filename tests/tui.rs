//! The TUI without a terminal: whole-screen snapshots through ratatui's `TestBackend`, and
//! key-driven flows.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use kaigi::corpus::load_embedded;
use kaigi::tui::{App, AppOptions, view};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::Modifier;

mod common;

fn app(w: u16, h: u16) -> App {
    let mut a = App::new(load_embedded(), AppOptions::default());
    a.resize(w, h);
    a
}

/// The screen as text, wide characters once.
fn screen(buf: &Buffer) -> String {
    common::buffer_lines(buf)
        .into_iter()
        .map(|l| l + "\n")
        .collect()
}

fn render(a: &App) -> Buffer {
    let (w, h) = a.size;
    let mut t = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    t.draw(|f| view::render(a, f)).expect("draw");
    t.backend().buffer().clone()
}

/// The location bar: the screen's first line.
fn bar(a: &App) -> String {
    screen(&render(a)).lines().next().unwrap_or("").to_string()
}

fn keys(a: &mut App, s: &str) {
    for c in s.chars() {
        let code = match c {
            '\r' => KeyCode::Enter,
            '\t' => KeyCode::Tab,
            c => KeyCode::Char(c),
        };
        a.handle_key(&KeyEvent::new(code, KeyModifiers::NONE));
    }
}

#[test]
fn first_screen_80x24() {
    insta::assert_snapshot!("first_screen_80x24", screen(&render(&app(80, 24))));
}

#[test]
fn first_screen_40x15() {
    insta::assert_snapshot!("first_screen_40x15", screen(&render(&app(40, 15))));
}

#[test]
fn help_overlay_80x24() {
    let mut a = app(80, 24);
    keys(&mut a, "?");
    let s = screen(&render(&a));
    assert!(
        s.contains("go to an id, number or label (:23, :cri:3, :VII,"),
        "{s}"
    );
    assert!(
        s.contains("Keys move between the tree and the reader only by Tab"),
        "{s}"
    );
    // The help scrolls when it is longer than the screen, down to the line-editing keys.
    keys(&mut a, "                    ");
    let s = screen(&render(&a));
    assert!(s.contains("this help"), "{s}");
    for _ in 0..6 {
        keys(&mut a, "b");
    }
    let mut seen = String::new();
    for _ in 0..12 {
        seen.push_str(&screen(&render(&a)));
        keys(&mut a, " ");
    }
    assert!(
        seen.contains("Alt-b") && seen.contains("[word-left]"),
        "{seen}"
    );
    assert!(
        seen.contains("Ctrl-p") && seen.contains("[history-previous]"),
        "{seen}"
    );
    keys(&mut a, "x");
    assert!(a.help.is_none());
}

#[test]
fn colon_23_shows_paragraph_23() {
    let mut a = app(80, 24);
    keys(&mut a, ":23");
    let s = screen(&render(&a));
    assert!(
        s.lines().last().unwrap_or("").starts_with(":23"),
        "the line being typed is shown: {s}"
    );
    keys(&mut a, "\r");
    let s = screen(&render(&a));
    let reader_top = s.lines().nth(1).unwrap_or("");
    assert!(
        reader_top.contains("23. 我々は、国際カウンターランサムウェア"),
        "{s}"
    );
    assert!(s.lines().next().unwrap_or("").contains("g7:23"));
    insta::assert_snapshot!("after_colon_23", s);
}

#[test]
fn the_location_bar_keeps_the_id_when_the_section_is_long() {
    for w in [80, 60] {
        let mut a = app(w, 24);
        keys(&mut a, ":cri:annex-1.1\r");
        let s = screen(&render(&a));
        let bar = s.lines().next().unwrap_or("");
        assert!(bar.contains("cri:annex-1.1"), "{w}: {bar}");
        assert!(
            bar.contains("1 カウンター") && bar.contains('…'),
            "{w}: {bar}"
        );
        assert!(bar.trim_end().ends_with('%'), "{w}: {bar}");
    }
}

#[test]
fn shift_g_then_g() {
    let mut a = app(80, 24);
    keys(&mut a, "G");
    let s = screen(&render(&a));
    assert!(s.contains("(注2) 国内法及び国内規制に従って。"), "{s}");
    assert!(s.lines().next().unwrap_or("").contains("100%"));
    keys(&mut a, "g");
    let s = screen(&render(&a));
    assert!(
        s.lines()
            .nth(1)
            .unwrap_or("")
            .contains("G7内務・安全担当大臣コミュニケ"),
        "{s}"
    );
}

#[test]
fn headings_and_numbers_are_distinct_without_colour() {
    let a = app(80, 24);
    let buf = render(&a);
    // The title is bold and underlined; section heading and paragraph numbers bold.
    let find = |needle: &str| -> (u16, u16) {
        let s = screen(&buf);
        for (y, line) in s.lines().enumerate() {
            // Only the reading pane, right of the separator.
            let Some(sep) = line.find('│') else {
                continue;
            };
            if let Some(i) = line[sep..].find(needle) {
                let x = unicode_width::UnicodeWidthStr::width(&line[..sep + i]);
                return (u16::try_from(x).unwrap_or(0), u16::try_from(y).unwrap_or(0));
            }
        }
        panic!("{needle} not on screen")
    };
    let (x, y) = find("G7内務・安全担当大臣コミュニケ");
    assert!(
        buf[(x, y)]
            .modifier
            .contains(Modifier::BOLD | Modifier::UNDERLINED)
    );
    let (x, y) = find("I. 前文");
    assert!(buf[(x, y)].modifier.contains(Modifier::BOLD));
    let (x, y) = find("1. 我々");
    assert!(buf[(x, y)].modifier.contains(Modifier::BOLD));
}

#[test]
fn every_size_draws_without_panic() {
    let mut a = app(80, 24);
    for (w, h) in [
        (1, 1),
        (2, 2),
        (19, 4),
        (20, 5),
        (21, 6),
        (59, 20),
        (60, 20),
        (200, 60),
        (500, 200),
        (80, 24),
    ] {
        a.resize(w, h);
        let s = screen(&render(&a));
        if w < 20 || h < 5 {
            let first = s.lines().next().unwrap_or("");
            assert!(
                first.starts_with("terminal too small")
                    || first == "too small"
                    || "too small".starts_with(first.trim_end_matches('…')),
                "{w}x{h}: {s}"
            );
        }
    }
}

#[test]
fn too_small_says_so() {
    let a = app(30, 4);
    let s = screen(&render(&a));
    assert_eq!(s.lines().next(), Some("terminal too small (need 20x5)"));
}

#[test]
fn participants_80x24() {
    let mut a = app(80, 24);
    keys(&mut a, "2");
    let s = screen(&render(&a));
    assert!(
        s.contains(
            "A 50 · B 47 · both 47 · only A 3 (EU, パプアニューギニア, ウルグアイ) · only B 0"
        ),
        "{s}"
    );
    insta::assert_snapshot!("participants_80x24", s);
}

#[test]
fn participants_60x20_drops_columns() {
    let mut a = app(60, 20);
    keys(&mut a, "2");
    let s = screen(&render(&a));
    for line in s.lines() {
        assert!(unicode_width::UnicodeWidthStr::width(line) <= 60);
    }
    insta::assert_snapshot!("participants_60x20", s);
}

#[test]
fn participants_narrow_filter_sort_and_mentions() {
    let mut a = app(80, 24);
    keys(&mut a, "2/uruguay");
    let s = screen(&render(&a));
    assert!(s.contains("ウルグアイ         Uruguay"), "{s}");
    assert!(!s.contains("アルバニア"), "{s}");
    assert!(
        s.lines()
            .last()
            .unwrap_or("")
            .starts_with("narrow: uruguay"),
        "{s}"
    );
    a.handle_key(&KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE));
    let s = screen(&render(&a));
    assert!(
        s.contains("all participants (50)"),
        "Esc clears the narrowing: {s}"
    );
    assert!(
        s.contains("ウルグアイ"),
        "and the selection stays on its row: {s}"
    );
    // f cycles the filter: all -> both -> ...
    keys(&mut a, "f");
    assert!(screen(&render(&a)).contains("(47)"));
    // Enter on INTERPOL lists its mentions; Enter again jumps into the reader.
    keys(&mut a, "/国際刑事警察機構\r\r");
    let s = screen(&render(&a));
    assert!(s.contains("インターポール — 8 mentions"), "{s}");
    keys(&mut a, "\r");
    let s = screen(&render(&a));
    assert!(s.lines().next().unwrap_or("").contains("g7:1"), "{s}");
    assert!(s.contains("1. 我々、G7内務"), "{s}");
    keys(&mut a, "2");
    assert!(screen(&render(&a)).contains("インターポール"));
    keys(&mut a, "1");
    assert!(screen(&render(&a)).contains("1. 我々、G7内務"));
}

fn search(a: &mut App, q: &str) {
    keys(a, "/");
    keys(a, q);
    a.run_pending_search();
}

#[test]
fn search_lists_results_and_enter_jumps() {
    let mut a = app(80, 24);
    search(&mut a, "ransamu");
    let s = screen(&render(&a));
    assert!(
        s.lines()
            .next()
            .unwrap_or("")
            .contains("search › 32 matches in 18 places: G7 3, CRI 15"),
        "{s}"
    );
    assert!(s.contains("g7:23") && s.contains("cri:1"), "{s}");
    a.handle_key(&KeyEvent::new(KeyCode::Down, KeyModifiers::NONE));
    keys(&mut a, "\r");
    let s = screen(&render(&a));
    assert!(
        s.lines()
            .nth(1)
            .unwrap_or("")
            .contains("3 ランサムウェア不払声明(全文)"),
        "{s}"
    );
    // The matches are highlighted in the reader.
    let buf = render(&a);
    let row: Vec<_> = (26..80).map(|x| buf[(x, 1)].clone()).collect();
    assert!(
        row.iter()
            .any(|c| c.modifier.contains(Modifier::UNDERLINED)),
        "no highlight"
    );
    // n and N step through the results from the reader.
    // (In the order of issue 13: the CRI's title, then its headings.)
    keys(&mut a, "n");
    assert!(
        bar(&a).contains("1 カウンターランサムウェア・イニシアティブ会合参加国"),
        "{}",
        bar(&a)
    );
    keys(&mut a, "NN");
    assert!(bar(&a).contains("cri › cri:title"), "{}", bar(&a));
}

#[test]
fn search_esc_goes_back() {
    let mut a = app(80, 24);
    keys(&mut a, ":30\r");
    search(&mut a, "GIFCT");
    let s = screen(&render(&a));
    assert!(s.lines().nth(1).unwrap_or("").starts_with("g7:13"), "{s}");
    a.handle_key(&KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE));
    assert!(bar(&a).contains("g7:30"));
}

#[test]
fn search_finds_participants_too() {
    let mut a = app(80, 24);
    search(&mut a, "uruguay");
    let s = screen(&render(&a));
    assert!(s.contains("participants:UY"), "{s}");
    // The row names Uruguay and is shorter than the list that names it: first (issue 13).
    keys(&mut a, "\r");
    let s = screen(&render(&a));
    assert!(
        s.lines().next().unwrap_or("").starts_with(" participants"),
        "{s}"
    );
    let selected = s.lines().find(|l| l.contains("Uruguay")).unwrap_or("");
    assert!(selected.starts_with("ウルグアイ"), "{s}");
}

#[test]
fn lists_stay_still_while_the_selection_moves() {
    let mut a = app(80, 24);
    keys(&mut a, "2G");
    let first_row = |a: &App| screen(&render(a)).lines().nth(3).unwrap_or("").to_string();
    let before = first_row(&a);
    keys(&mut a, "kkk");
    assert_eq!(
        first_row(&a),
        before,
        "the table scrolled instead of the selection moving"
    );
    let s = screen(&render(&a));
    assert!(
        s.contains("ウルグアイ"),
        "the last row is still in view: {s}"
    );
}

/// One pane drawn alone into a buffer of its own.
fn pane(w: u16, h: u16, draw: impl FnOnce(ratatui::layout::Rect, &mut Buffer)) -> String {
    let area = ratatui::layout::Rect::new(0, 0, w, h);
    let mut buf = Buffer::empty(area);
    draw(area, &mut buf);
    screen(&buf)
}

#[test]
fn pane_tree_alone() {
    let mut a = app(80, 24);
    keys(&mut a, ":23\r");
    let s = pane(30, 16, |area, buf| {
        kaigi::tui::tree::render(&a.tree, &a.corpus, true, &a.theme, area, buf);
    });
    insta::assert_snapshot!("pane_tree", s);
}

#[test]
fn pane_search_list() {
    let mut a = app(80, 24);
    search(&mut a, "ransamu");
    a.handle_key(&KeyEvent::new(KeyCode::Down, KeyModifiers::NONE));
    let s = pane(80, 8, |area, buf| {
        kaigi::tui::search::render(&a.search, &a.corpus, &a.theme, area, buf);
    });
    // The answer first (issue 13): the CRI's title, then the headings that name it.
    assert!(s.contains("cri:title") && s.contains("cri:annex-3"), "{s}");
    insta::assert_snapshot!("pane_search_list", s);
}

#[test]
fn pane_help_at_40_and_20_columns() {
    let a = app(80, 24);
    for (w, h) in [(40, 15), (20, 12)] {
        let s = pane(w, h, |area, buf| {
            kaigi::tui::help::render(
                kaigi::tui::help::HelpState::default(),
                &a.keymap,
                &a.theme,
                area,
                buf,
            );
        });
        for line in s.lines() {
            assert!(
                unicode_width::UnicodeWidthStr::width(line) <= usize::from(w),
                "{line}"
            );
        }
        insta::assert_snapshot!(format!("pane_help_{w}x{h}"), s);
    }
}

#[test]
fn pane_mentions_popup() {
    let mut a = app(80, 24);
    keys(&mut a, "2/国際刑事警察機構\r\r");
    let p = a.participants.as_ref().expect("the participants view");
    assert!(p.mentions.is_some());
    let s = pane(80, 14, |area, buf| {
        kaigi::tui::participants::render(p, &a.corpus, &a.theme, area, buf);
    });
    assert!(s.contains("インターポール — 8 mentions"), "{s}");
    insta::assert_snapshot!("pane_mentions_popup", s);
}

#[test]
fn ascii_mode_80x24() {
    let mut a = app(80, 24);
    a.set_ascii(true);
    keys(&mut a, ":VII\r");
    let s = screen(&render(&a));
    assert!(
        !s.chars().any(kaigi::text::display::is_ambiguous),
        "an ambiguous character in ASCII mode: {s}"
    );
    insta::assert_snapshot!("ascii_mode_80x24", s);
}

#[test]
fn the_line_being_typed_puts_the_cursor_at_the_insertion_point() {
    let mut a = app(80, 24);
    keys(&mut a, "/らんさむ");
    let area = ratatui::layout::Rect::new(0, 0, 80, 24);
    let mut buf = Buffer::empty(area);
    assert_eq!(view::draw(&a, area, &mut buf), Some((9, 23)));
    a.handle_key(&KeyEvent::new(KeyCode::Home, KeyModifiers::NONE));
    assert_eq!(view::draw(&a, area, &mut buf), Some((1, 23)));
    a.handle_key(&KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE));
    assert_eq!(view::draw(&a, area, &mut buf), None);
}

#[test]
fn the_hint_line_keeps_search_help_quit_and_the_view_switch_at_every_width() {
    for w in 20..=120u16 {
        let a = app(w, 15);
        let s = screen(&render(&a));
        let hint = s.lines().last().unwrap_or("").to_string();
        for key in ["/", "2", "?", "q"] {
            assert!(
                hint.split_whitespace().any(|piece| piece == key),
                "{w}: {key} missing from {hint:?}"
            );
        }
        assert!(unicode_width::UnicodeWidthStr::width(hint.as_str()) <= usize::from(w));
        // With the tree shown, the pane that has the keys is named too.
        let mut b = app(w, 15);
        if !b.tree_visible() {
            keys(&mut b, "t");
        }
        let s = screen(&render(&b));
        let hint = s.lines().last().unwrap_or("");
        let name = format!(" {} ", b.focus_name());
        assert!(hint.starts_with(&name), "{w}: {hint:?}");
        for key in ["/", "2", "?", "q"] {
            assert!(hint.split_whitespace().any(|p| p == key), "{w}: {hint:?}");
        }
        if w >= 40 {
            assert!(
                hint.contains("/ search") && hint.contains("2 participants"),
                "{w}: {hint}"
            );
        }
    }
}

#[test]
fn search_says_how_it_matched_why_it_cannot_and_when_n_wraps() {
    // English through the glossary: said above the list.
    let mut a = app(80, 24);
    search(&mut a, "ransomware");
    let s = screen(&render(&a));
    assert!(
        s.lines()
            .nth(1)
            .unwrap_or("")
            .contains("ransomware → ランサムウェア"),
        "{s}"
    );
    assert!(
        s.lines().nth(2).unwrap_or("").starts_with("cri:title"),
        "{s}"
    );
    // A typo: near matches, said so.
    let mut a = app(80, 24);
    search(&mut a, "GIFTC");
    let s = screen(&render(&a));
    assert!(
        s.contains("no exact match — showing near matches for “GIFTC”"),
        "{s}"
    );
    assert!(s.contains("g7:13"), "{s}");
    // A query that cannot be run: why, not an empty list.
    let mut a = app(80, 24);
    search(&mut a, "^");
    let s = screen(&render(&a));
    assert!(s.contains("is only operators"), "{s}");
    // n past the last result says that it wrapped, as vim does.
    let mut a = app(80, 24);
    search(&mut a, "FATF | REPO");
    keys(&mut a, "\r");
    let s = screen(&render(&a));
    assert!(s.contains("g7:32 (1 of 2"), "{s}");
    keys(&mut a, "n");
    let s = screen(&render(&a));
    assert!(
        s.contains("g7:9 (2 of 2") && !s.contains("search hit"),
        "{s}"
    );
    keys(&mut a, "n");
    let s = screen(&render(&a));
    assert!(
        s.contains("search hit BOTTOM, continuing at TOP — g7:32 (1 of 2"),
        "{s}"
    );
    keys(&mut a, "N");
    let s = screen(&render(&a));
    assert!(
        s.contains("search hit TOP, continuing at BOTTOM — g7:9 (2 of 2"),
        "{s}"
    );
}

#[test]
fn index_of_terms_80x24_and_40x15() {
    for (w, h) in [(80, 24), (40, 15)] {
        let mut a = app(w, h);
        keys(&mut a, "i");
        insta::assert_snapshot!(format!("index_{w}x{h}"), screen(&render(&a)));
        keys(&mut a, "icpa");
        insta::assert_snapshot!(format!("index_icpa_{w}x{h}"), screen(&render(&a)));
    }
}

#[test]
fn index_places_of_an_entry_80x24_and_40x15() {
    for (w, h) in [(80, 24), (40, 15)] {
        let mut a = app(w, h);
        keys(&mut a, "iRLG\r");
        insta::assert_snapshot!(format!("index_places_{w}x{h}"), screen(&render(&a)));
    }
}

#[test]
fn cited_documents_80x24_and_40x15() {
    for (w, h) in [(80, 24), (40, 15)] {
        let mut a = app(w, h);
        keys(&mut a, "R");
        insta::assert_snapshot!(format!("cited_{w}x{h}"), screen(&render(&a)));
    }
}

#[test]
fn goto_preview_80x24_and_40x15() {
    for (w, h) in [(80, 24), (40, 15)] {
        let mut a = app(w, h);
        keys(&mut a, ":3");
        insta::assert_snapshot!(format!("goto_preview_{w}x{h}"), screen(&render(&a)));
    }
}

#[test]
fn a_selected_link_is_underlined_and_reversed_in_the_buffer() {
    let mut a = app(80, 24);
    keys(&mut a, ":29\r>");
    let buf = render(&a);
    let (node, i) = a.links.selected.expect("a link selected");
    assert_eq!(a.refs().links(node)[i].text, "附属文書I");
    let cells: Vec<_> = buf
        .content
        .iter()
        .filter(|c| {
            c.modifier
                .contains(Modifier::UNDERLINED | Modifier::REVERSED)
        })
        .map(|c| c.symbol().to_string())
        .collect();
    assert_eq!(cells.concat(), "附属文書I");
    insta::assert_snapshot!("link_selected_80x24", screen(&buf));
}
