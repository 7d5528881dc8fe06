//! A participant's mentions seen from the browser: what the reader highlights after a jump to a
//! mention is what the mention finder matched, by the same rule (NFKC, whole words), not a
//! second search of its own.

use std::ops::Range;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use kaigi::corpus::{Corpus, parse_document};
use kaigi::tui::{App, AppOptions};

fn keys(a: &mut App, s: &str) {
    for c in s.chars() {
        let code = match c {
            '\r' => KeyCode::Enter,
            c => KeyCode::Char(c),
        };
        a.handle_key(&KeyEvent::new(code, KeyModifiers::NONE));
    }
}

/// A document that names インド next to インドネシア, and EU full-width and inside EUROPOL.
fn corpus() -> Corpus {
    let text = "### 1 参加国\n\nインド、カナダ、日本、EU、英国、\n\n### 2 会合\n\nインドネシアとインドは、ＥＵ及びEUROPOLと協力した。";
    Corpus {
        documents: vec![parse_document("x", "x.txt", text)],
    }
}

/// The words highlighted in the reader after jumping to `name`'s second mention (the
/// paragraph; the first is the list).
fn highlighted_after_jump(name: &str) -> (Vec<String>, Vec<Range<usize>>, Vec<Range<usize>>) {
    let mut a = App::new(corpus(), AppOptions::default());
    a.resize(80, 24);
    keys(&mut a, &format!("2/{name}\r"));
    let state = a.participants.as_ref().expect("participants view");
    let p = &state.table.rows[state.visible[state.selected]];
    assert_eq!(p.ja, name);
    let names: Vec<String> = p
        .names()
        .iter()
        .map(std::string::ToString::to_string)
        .collect();
    let target = p.mentions[1];
    keys(&mut a, "\rj\r");
    let text = a.corpus.node(target).text.clone();
    let ranges = a
        .reader
        .highlights
        .get(&target)
        .cloned()
        .unwrap_or_default();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let found = kaigi::participants::name_ranges(&text, &names);
    let chars: Vec<char> = text.chars().collect();
    let words = ranges
        .iter()
        .map(|r| chars[r.clone()].iter().collect())
        .collect();
    (words, ranges, found)
}

/// The reader used to search again by raw substring: it highlighted the start of インドネシア
/// and the EU in EUROPOL, and missed the full-width ＥＵ that made the node a mention.
#[test]
fn a_jump_to_a_mention_highlights_the_words_the_finder_matched() {
    let (words, ranges, found) = highlighted_after_jump("インド");
    assert_eq!(words, ["インド"]);
    assert_eq!(ranges, found);
    assert_eq!(ranges, vec![7..10]);
    let (words, ranges, found) = highlighted_after_jump("EU");
    assert_eq!(words, ["ＥＵ"]);
    assert_eq!(ranges, found);
}
