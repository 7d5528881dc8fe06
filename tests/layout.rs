//! Layout: property tests over arbitrary text and widths, and examples from the documents.

use kaigi::corpus::load_embedded;
use kaigi::layout::{Layout, lay_out_subtree};
use kaigi::text::display::{DisplayOptions, Shown, str_width};
use kaigi::text::wrap::{no_end, no_start, wrap};
use proptest::prelude::*;

/// The whole records of some lines of a layout, to compare with another layout's.
fn records(layout: &Layout, lines: &[kaigi::layout::Line]) -> Vec<kaigi::layout::Record> {
    lines.iter().map(|l| layout.record(l)).collect()
}

fn is_break_space(c: char) -> bool {
    c == ' ' || c == '\u{3000}' || c == '\n'
}

/// Any mix of Japanese, Latin, digits, punctuation, spaces and line feeds.
fn any_text() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        "[ぁ-んァ-ヶ一-龠]{1,6}",
        "[A-Za-z]{1,12}",
        "[0-9]{1,6}",
        "[、。，．・：；？！ー」』）］｝〉》〕】「『（［｛〈《〔【ぁぃぅぇぉっゃゅょァィゥェォッャュョ]",
        "[ \u{3000}\n]",
        "[.,:;!?()\\[\\]-]",
        "[ＡＢＣ０１２Ⅶ①…※]",
    ];
    prop::collection::vec(pieces, 0..60).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// No line wider than the width; every character kept, in order; only breaking spaces
    /// and line feeds dropped, and only at a break.
    #[test]
    fn wrap_fits_and_keeps_everything(text in any_text(), width in 1usize..=200, first in 1usize..=200) {
        let chars: Vec<char> = text.chars().collect();
        let lines = wrap(&chars, first, width);
        let mut next = 0;
        for (k, r) in lines.iter().enumerate() {
            prop_assert!(r.start >= next, "lines overlap");
            prop_assert!(chars[next..r.start].iter().all(|&c| is_break_space(c)), "dropped a character before line {k}");
            let line: String = chars[r.clone()].iter().collect();
            let w = if k == 0 { first } else { width };
            prop_assert!(str_width(&line) <= w || r.len() == 1, "line {k} {line:?} wider than {w}");
            next = r.end;
        }
        prop_assert!(chars[next..].iter().all(|&c| is_break_space(c)), "dropped the end");
    }

    /// The rules of 禁則処理 hold wherever the width leaves room: text made of words (at most
    /// 8 cells) with brackets and punctuation attached where they belong, laid out at 14 cells
    /// or more (room for the longest word with its brackets and a mark).
    #[test]
    fn kinsoku_holds_with_room(
        words in prop::collection::vec(("[「『（]?", "[ぁ-んァ-ヶ一-龠]{1,4}|[A-Za-z]{1,8}|[0-9]{1,4}", "[」』）]?", "[、。・ー]?", "[ ]?"), 1..40),
        width in 14usize..=120,
    ) {
        // Latin words and numbers end at a space, as words do.
        let text: String = words
            .iter()
            .flat_map(|(o, w, c, p, s)| {
                let s = if w.is_ascii() { " " } else { s.as_str() };
                [o.as_str(), w.as_str(), c.as_str(), p.as_str(), s]
            })
            .collect();
        let chars: Vec<char> = text.chars().collect();
        let lines = wrap(&chars, width, width);
        for (k, r) in lines.iter().enumerate() {
            let line: Vec<char> = chars[r.clone()].to_vec();
            if k > 0 {
                prop_assert!(!line.first().is_some_and(|&c| no_start(c)), "line {k} starts with a closing mark: {:?}", line.iter().collect::<String>());
            }
            if k + 1 < lines.len() {
                prop_assert!(!line.last().is_some_and(|&c| no_end(c)), "line {k} ends with an opening bracket");
            }
        }
        // Latin words and numbers are never cut in the middle: no break falls between two
        // ASCII letters or digits that stand together in the text.
        for pair in lines.windows(2) {
            let (a, b) = (&pair[0], &pair[1]);
            if a.end == b.start && a.end > 0 && b.start < chars.len() {
                let (x, y) = (chars[a.end - 1], chars[b.start]);
                prop_assert!(
                    !(x.is_ascii_alphanumeric() && y.is_ascii_alphanumeric()),
                    "word cut between {:?} and {:?}",
                    chars[a.clone()].iter().collect::<String>(),
                    chars[b.clone()].iter().collect::<String>()
                );
            }
        }
    }

    /// Control characters and bidi overrides never reach a drawn line.
    #[test]
    fn shown_text_has_no_controls(text in "\\PC*|[\\x00-\\x1f\\x7f\\u{80}-\\u{9f}\\u{202a}-\\u{202e}\\u{2066}-\\u{2069}a-zあ]{0,40}") {
        let shown = Shown::new(&text, DisplayOptions::default());
        for c in shown.chars {
            prop_assert!(c == '\n' || !c.is_control(), "{c:?}");
            prop_assert!(!kaigi::text::display::is_bidi_control(c), "bidi control {c:?}");
        }
    }

}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// The whole corpus at any width: no line wider than the pane, every character of every
    /// node shown exactly once, in order.
    #[test]
    fn corpus_layout_fits_and_keeps_everything(width in 1usize..=200) {
        let corpus = load_embedded();
        let layout = Layout::new(&corpus, width, DisplayOptions::default());
        let mut shown_src: std::collections::HashMap<kaigi::corpus::NodeRef, Vec<usize>> =
            std::collections::HashMap::default();
        let text = layout.render(&corpus);
        for line in &layout.lines {
            prop_assert!(text.width_of(line) <= width.max(2), "{:?} wider than {width}", text.plain(line));
            if let Some(r) = text.node(line) {
                for span in text.spans(line) {
                    shown_src.entry(r).or_default().extend(span.src.iter());
                }
            }
        }
        for (r, node) in corpus.iter_nodes() {
            let chars: Vec<char> = node.text.chars().collect();
            let want: Vec<usize> = (0..chars.len()).filter(|&i| !chars[i].is_whitespace()).collect();
            let got: Vec<usize> = shown_src.get(&r).map(|v| v.iter().copied().filter(|&i| !chars[i].is_whitespace()).collect()).unwrap_or_default();
            prop_assert_eq!(got, want, "node {}", node.id);
        }
    }

    /// Laying out only the first lines (as the first frame does) and the rest afterwards gives
    /// the very layout that laying out everything at once gives; the first part is at least
    /// as long as asked and is the start of the whole.
    #[test]
    fn partial_layout_then_the_rest_is_the_whole(width in 1usize..=200, want in 0usize..=400, ascii in any::<bool>()) {
        let corpus = load_embedded();
        let opts = DisplayOptions { ascii };
        let whole = Layout::new(&corpus, width, opts);
        let mut part = Layout::partial(&corpus, width, opts, want);
        prop_assert!(part.lines.len() >= want.min(whole.lines.len()));
        prop_assert_eq!(records(&part, &part.lines[..]), records(&whole, &whole.lines[..part.lines.len()]));
        prop_assert_eq!(part.is_complete(), part.lines.len() == whole.lines.len());
        for (r, start) in part.starts() {
            prop_assert_eq!(whole.start(r), Some(start));
        }
        // Where the reader has read to is known before the rest is laid out.
        for end in 0..=part.lines.len() {
            prop_assert_eq!(part.chars_through(end), whole.chars_through(end));
        }
        part.finish(&corpus);
        prop_assert!(part.is_complete());
        prop_assert_eq!(part, whole);
    }
}

/// Stopping just before, at or after a document's start or the corpus's end: the places
/// where a partial layout has to pick up exactly where it left off.
#[test]
fn partial_layout_at_the_edges() {
    let corpus = load_embedded();
    let opts = DisplayOptions::default();
    for width in [1, 20, 80, 154, 200] {
        let whole = Layout::new(&corpus, width, opts);
        let mut edges = whole.doc_starts.clone();
        edges.push(whole.lines.len());
        for edge in edges {
            for want in edge.saturating_sub(3)..=edge + 3 {
                let mut part = Layout::partial(&corpus, width, opts, want);
                assert_eq!(
                    part.is_complete(),
                    part.lines.len() == whole.lines.len(),
                    "width {width}, want {want}"
                );
                part.finish(&corpus);
                assert_eq!(part, whole, "width {width}, want {want}");
            }
        }
    }
}

#[test]
fn chars_through_counts_the_text_above() {
    let corpus = load_embedded();
    let layout = Layout::new(&corpus, 80, DisplayOptions::default());
    let total: usize = corpus
        .iter_nodes()
        .map(|(_, n)| n.text.chars().count())
        .sum();
    assert_eq!(layout.total_chars(), total);
    assert_eq!(layout.chars_through(0), 0);
    assert_eq!(layout.chars_through(layout.lines.len()), total);
    let mut last = 0;
    for end in 0..=layout.lines.len() {
        let through = layout.chars_through(end);
        assert!(through >= last, "went back at line {end}");
        last = through;
    }
}

fn show(id: &str, width: usize) -> String {
    let c = load_embedded();
    let r = c.find_id(id).expect("id");
    let lines = lay_out_subtree(&c, r, width, DisplayOptions::default());
    let text = lines.render(&c);
    lines
        .lines
        .iter()
        .map(|l| text.plain(l))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn paragraph_7_at_40_cells() {
    insta::assert_snapshot!("g7_7_at_40", show("g7:7", 40));
}

#[test]
fn paragraph_13_at_80_cells() {
    insta::assert_snapshot!("g7_13_at_80", show("g7:13", 80));
}

#[test]
fn cri_statement_at_40_cells() {
    insta::assert_snapshot!("cri_annex_3_at_40", show("cri:annex-3", 40));
}

#[test]
fn section_heading_and_hanging_indent_at_80() {
    let text = show("g7:VII", 80);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "VII. 児童の性的搾取及び虐待");
    assert!(lines[2].starts_with("26. 我々は、"));
    assert!(lines[3].starts_with("    ") && !lines[3].starts_with("     "));
}

#[test]
fn ascii_mode_has_no_ambiguous_characters() {
    let c = load_embedded();
    let layout = Layout::new(&c, 80, DisplayOptions { ascii: true });
    let text = layout.render(&c);
    let all: String = layout.lines.iter().map(|l| text.plain(l)).collect();
    assert!(all.contains("附属文書I："));
    assert!(!all.chars().any(kaigi::text::display::is_ambiguous));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(40))]

    /// A layout made a slice at a time while the document is still being parsed (never past
    /// the node that may still change), then finished, is the layout of the whole document:
    /// what a large file shows before it is read is what it shows after.
    #[test]
    fn a_layout_made_while_parsing_is_the_whole_layout(
        width in 1usize..=120,
        windows in prop::collection::vec(1usize..40, 1..20),
        wants in prop::collection::vec(0usize..60, 1..20),
    ) {
        use kaigi::corpus::{Corpus, Document, NodeRef, Parser, parse_document};
        let text = kaigi::corpus::EMBEDDED[0].2;
        let opts = DisplayOptions::default();
        let whole = Corpus { documents: vec![parse_document("g7", "g7", text)] };
        let want_layout = Layout::new(&whole, width, opts);

        let mut corpus = Corpus { documents: vec![Document::empty("g7", "g7")] };
        let mut parser = Parser::new("g7");
        let mut layout: Option<Layout> = None;
        let (mut start, mut end) = (0, 0);
        let mut k = 0;
        loop {
            for _ in 0..windows[k % windows.len()] {
                end = text[end..].find('\n').map_or(text.len(), |i| end + i + 1);
            }
            let last = end >= text.len();
            if parser.parse(&text[start..end], last, &mut corpus.documents[0]) {
                start = end;
            }
            let until = (!last).then(|| NodeRef { doc: 0, node: corpus.documents[0].nodes.len().saturating_sub(1) });
            let want = wants[k % wants.len()];
            match &mut layout {
                None => layout = Some(Layout::partial_until(&corpus, width, opts, want, until)),
                Some(l) => {
                    let more = l.lines.len() + want;
                    l.extend_until(&corpus, more, until);
                }
            }
            k += 1;
            if last && start == end {
                break;
            }
        }
        parser.finish(&mut corpus.documents[0]);
        prop_assert_eq!(&corpus, &whole);
        let mut layout = layout.expect("a layout");
        layout.recount(&corpus);
        layout.finish(&corpus);
        prop_assert_eq!(layout, want_layout);
    }
}

/// Where one document ends and the next begins: a rule line with the next document's id and
/// title, between blank lines, as wide as the pane; in ASCII when ambiguous characters are wide.
#[test]
fn a_rule_line_where_the_next_document_begins() {
    let corpus = load_embedded();
    for (width, ascii) in [(80, false), (80, true), (40, false), (12, false), (1, true)] {
        let opts = DisplayOptions { ascii };
        let layout = Layout::new(&corpus, width, opts);
        let at = layout.doc_starts[1];
        let rule = &layout.lines[at];
        let shown = layout.render(&corpus);
        assert_eq!(layout.node_of(rule), None, "the rule belongs to no node");
        assert_eq!(
            shown.width_of(rule),
            width,
            "the rule fills the pane at {width}"
        );
        assert_eq!(shown.plain(&layout.lines[at - 1]), "");
        assert_eq!(shown.plain(&layout.lines[at + 1]), "");
        assert_eq!(layout.doc_at(at), 1);
        assert_eq!(layout.doc_at(at - 1), 0);
        let text = shown.plain(rule);
        assert!(!ascii || !text.contains(['─', '·']), "{text}");
        if width == 80 {
            let want = if ascii {
                "-- cri . 「カウンターランサムウェア・イニシアティブ会合」への参加 "
            } else {
                "── cri · 「カウンターランサムウェア・イニシアティブ会合」への参加 "
            };
            assert!(text.starts_with(want), "{text}");
        }
    }
    // One document: no rule.
    let one = kaigi::corpus::Corpus {
        documents: vec![corpus.documents[0].clone()],
    };
    let layout = Layout::new(&one, 80, DisplayOptions::default());
    let text = layout.render(&one);
    assert!(
        layout
            .lines
            .iter()
            .all(|l| !text.plain(l).starts_with("──"))
    );
}

/// Text with everything that is not shown as itself: controls (`^[`), C1 controls
/// (`<U+0085>`), bidi and zero-width characters (dropped), tabs, ambiguous characters
/// (replaced in ASCII), among Japanese and Latin words, spaces and line feeds.
fn hostile_text() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        "[ぁ-んァ-ヶ一-龠]{1,6}",
        "[A-Za-z]{1,12}",
        "[ \u{3000}\n]",
        "[\\x00-\\x1f\\x7f\\u{80}-\\u{9f}]",
        "[\u{202a}-\u{202e}\u{2066}-\u{2069}\u{200b}-\u{200d}\u{ad}\u{feff}]",
        "[Ⅶ①…※→±°─]",
    ];
    prop::collection::vec(pieces, 0..60).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// A line keeps no text, only where its node's text is: the spans it gives are the node's
    /// shown characters (what [`Shown`] makes of the text, the one rule for how a character
    /// is drawn) taken in order, each with the source character it shows; borrowed from the
    /// node's text exactly when every character on the line is shown as itself.
    #[test]
    fn spans_are_the_nodes_shown_text_in_order(
        body in hostile_text(),
        width in 1usize..=90,
        ascii in any::<bool>(),
    ) {
        use std::borrow::Cow;
        let opts = DisplayOptions { ascii };
        let text = format!("タイトル\n\n1. {body}\n\n2. 次\n");
        let doc = kaigi::corpus::parse_document("t", "t", &text);
        let corpus = kaigi::corpus::Corpus { documents: vec![doc] };
        let layout = Layout::new(&corpus, width, opts);
        let render = layout.render(&corpus);
        let mut next = std::collections::HashMap::<kaigi::corpus::NodeRef, usize>::new();
        for line in &layout.lines {
            let Some(r) = render.node(line) else { continue };
            let node = corpus.node(r);
            let shown = Shown::new(&node.text, opts);
            for span in render.spans(line) {
                let src: Vec<usize> = span.src.iter().collect();
                if src.is_empty() {
                    continue;
                }
                let chars: Vec<char> = span.text.chars().collect();
                prop_assert_eq!(chars.len(), src.len());
                let at = next.entry(r).or_default();
                let from = (*at..shown.chars.len())
                    .find(|&j| shown.src[j] == src[0] && shown.chars[j..].starts_with(&chars)
                        && shown.src[j..j + chars.len()] == src[..])
                    .ok_or_else(|| TestCaseError::fail(format!("{:?} not in order in {:?}", span.text, node.text)))?;
                *at = from + chars.len();
                let verbatim = chars.iter().zip(&src).all(|(&c, &s)| node.text.chars().nth(s) == Some(c))
                    && src.windows(2).all(|w| w[1] == w[0] + 1);
                prop_assert_eq!(matches!(span.text, Cow::Borrowed(_)), verbatim, "{:?}", span.text);
                prop_assert_eq!(render.first_src(line), Some(src[0]));
                prop_assert_eq!(render.last_src(line), src.last().copied());
            }
        }
    }
}

/// A line is a compact record, not a copy of its text: the 400,000 lines of a 36 MB file
/// at 120 columns in 12.8 MB.
#[test]
fn a_line_is_a_small_record() {
    assert_eq!(std::mem::size_of::<kaigi::layout::Line>(), 16);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(60))]

    /// A layout begun anywhere (any node of either document, or a document's end), grown by
    /// slices of any size and completed, is the layout made from the start; before it is
    /// complete its lines are the whole layout's lines from where it began, and a line's
    /// place in the text (node and character) is the same in both.
    #[test]
    fn a_layout_begun_anywhere_is_the_whole_layout(
        width in 1usize..=120,
        ascii in any::<bool>(),
        doc in 0usize..2,
        at in 0usize..2000,
        want in 0usize..80,
        steps in prop::collection::vec(1usize..400, 1..8),
    ) {
        use kaigi::places::Position;
        let corpus = load_embedded();
        let opts = DisplayOptions { ascii };
        let whole = Layout::new(&corpus, width, opts);
        let begin = (doc, at % (corpus.documents[doc].nodes.len() + 1));
        let mut part = Layout::begin_at(&corpus, width, opts, begin, want, None);
        // The end of the first document is where the second begins.
        let (doc, begin) = if begin == (0, corpus.documents[0].nodes.len()) {
            (1, (1, 0))
        } else {
            (doc, begin)
        };
        // Where the part begins in the whole layout.
        let offset = if begin.1 < corpus.documents[doc].nodes.len() {
            let r = kaigi::corpus::NodeRef { doc, node: begin.1 };
            let first = whole.start(r).expect("laid out");
            // The blank line before the node, if any, belongs to it.
            if first > 0 && whole.node_of(&whole.lines[first - 1]).is_none() && begin.1 > 0 { first - 1 } else { first }
        } else {
            whole.lines.len()
        };
        prop_assert!(part.lines.len() >= want.min(whole.lines.len() - offset));
        prop_assert_eq!(records(&part, &part.lines[..]), records(&whole, &whole.lines[offset..offset + part.lines.len()]));
        // (The blank and rule lines at the very end of a partial layout stand for the node
        // before them, not yet for the one after.)
        let last_node_line = part.lines.iter().rposition(|l| part.node_of(l).is_some()).map_or(0, |i| i + 1);
        for i in 0..last_node_line {
            let p = Position::of_line(&part, i);
            prop_assert_eq!(p, Position::of_line(&whole, offset + i), "line {}", i);
        }
        let mut moved = 0;
        let mut k = 0;
        while !part.is_complete() {
            moved += part.work(&corpus, steps[k % steps.len()]);
            k += 1;
        }
        prop_assert_eq!(moved, offset);
        prop_assert_eq!(part, whole);
    }

    /// `G` on a layout partly made from the start: the end and a screen before it are there
    /// at once, line for line the whole layout's; completed, it is the whole layout.
    #[test]
    fn the_end_laid_out_first_is_the_whole_layouts_end(
        width in 1usize..=120,
        first in 0usize..3000,
        screen in 1usize..60,
        steps in prop::collection::vec(1usize..400, 1..8),
    ) {
        let corpus = load_embedded();
        let opts = DisplayOptions::default();
        let whole = Layout::new(&corpus, width, opts);
        let mut part = Layout::partial(&corpus, width, opts, first);
        part.lay_out_end(&corpus, screen);
        prop_assert!(part.reaches_end());
        let n = part.lines.len();
        prop_assert!(n >= screen.min(whole.lines.len()));
        prop_assert_eq!(records(&part, &part.lines[..]), records(&whole, &whole.lines[whole.lines.len() - n..]));
        // Completed by slices, or at once (`finish`, as before a key that needs it all).
        if steps.len() % 2 == 0 {
            let mut k = 0;
            while !part.is_complete() {
                part.work(&corpus, steps[k % steps.len()]);
                k += 1;
            }
        } else {
            part.finish(&corpus);
        }
        prop_assert_eq!(part, whole);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(60))]

    /// Going to any node (a goto, the tree, a mark) from a layout made a little way from the
    /// start, or begun deeper after a resize: the node is laid out without all that comes
    /// before, line for line the whole layout's, and the layout completed is the whole
    /// layout.
    #[test]
    fn a_layout_reaches_any_node_without_what_comes_before(
        width in 1usize..=120,
        first in 0usize..3000,
        deeper in proptest::option::of((0usize..2, 0usize..2000)),
        to in (0usize..2, 0usize..2000),
        screen in 1usize..60,
        steps in prop::collection::vec(1usize..400, 1..8),
    ) {
        let corpus = load_embedded();
        let opts = DisplayOptions::default();
        let whole = Layout::new(&corpus, width, opts);
        let node = |(d, n): (usize, usize)| (d, n % corpus.documents[d].nodes.len());
        let mut part = match deeper {
            Some(at) => Layout::begin_at(&corpus, width, opts, node(at), first, None),
            None => Layout::partial(&corpus, width, opts, first),
        };
        let (d, n) = node(to);
        let r = kaigi::corpus::NodeRef { doc: d, node: n };
        part.lay_out_near(&corpus, (d, n), screen, None);
        while part.start(r).is_none() {
            let more = part.lines.len() + 1;
            part.extend_until(&corpus, more, None);
        }
        let at = part.start(r).expect("laid out");
        let offset = whole.start(r).expect("laid out") - at;
        prop_assert_eq!(records(&part, &part.lines[..]), records(&whole, &whole.lines[offset..offset + part.lines.len()]));
        let mut k = 0;
        while !part.is_complete() {
            part.work(&corpus, steps[k % steps.len()]);
            k += 1;
        }
        prop_assert_eq!(part, whole);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(60))]

    /// A move up in a layout begun deeper (`Layout::lay_out_before`, any number of lines at a
    /// time, between slices of the part from the start): the lines put in front are the
    /// whole layout's lines just before, every node's start is the whole layout's less how
    /// far the layout still begins after the start, and completed it is the whole layout.
    #[test]
    fn the_text_just_before_a_deep_beginning_is_laid_out_at_once(
        width in 1usize..=120,
        ascii in any::<bool>(),
        doc in 0usize..2,
        at in 0usize..2000,
        want in 0usize..80,
        moves in prop::collection::vec((0usize..300, 0usize..400), 1..10),
    ) {
        let corpus = load_embedded();
        let opts = DisplayOptions { ascii };
        let whole = Layout::new(&corpus, width, opts);
        let begin = (doc, at % corpus.documents[doc].nodes.len());
        let mut part = Layout::begin_at(&corpus, width, opts, begin, want, None);
        // Where the part begins in the whole layout (see the property above).
        let r = kaigi::corpus::NodeRef { doc, node: begin.1 };
        let first = whole.start(r).expect("laid out");
        let mut offset = if first > 0 && whole.node_of(&whole.lines[first - 1]).is_none() && begin.1 > 0 {
            first - 1
        } else {
            first
        };
        for (lines, step) in moves {
            let before = part.lines.len();
            let shift = part.lay_out_before(&corpus, lines);
            prop_assert!(shift <= offset);
            prop_assert_eq!(part.lines.len(), before + shift);
            prop_assert!(shift >= lines.min(offset), "{} lines asked, {} laid out", lines, shift);
            offset -= shift;
            prop_assert_eq!(records(&part, &part.lines[..]), records(&whole, &whole.lines[offset..offset + part.lines.len()]));
            for (r, s) in part.starts() {
                prop_assert_eq!(whole.start(r), Some(s + offset));
            }
            prop_assert_eq!(part.has_head(), offset > 0);
            if step > 0 {
                let shift = part.work(&corpus, step);
                prop_assert!(shift == 0 || shift == offset);
                offset -= shift;
            }
        }
        while !part.is_complete() {
            offset -= part.work(&corpus, 100);
        }
        prop_assert_eq!(offset, 0);
        prop_assert_eq!(part, whole);
    }
}
