//! The invariants the fuzz targets check, shared by the fuzz targets (`fuzz/fuzz_targets/*.rs`
//! include this file by path) and by `tests/fuzz_regressions.rs`, which replays the saved fuzz
//! inputs under plain `cargo test`.
//!
//! Each `check_*` function takes the raw bytes of one fuzz input and panics when an invariant
//! does not hold. Inputs are plain bytes (no `arbitrary` encoding), so a file in
//! `tests/fuzz_corpus/<target>/` is readable and can be replayed without cargo-fuzz.

#![allow(dead_code)]

use std::collections::HashSet;
use std::ops::Range;
use std::sync::OnceLock;

use kaigi::corpus::{Corpus, Document, load_bytes, load_embedded};
use kaigi::layout::Layout;
use kaigi::search::normalize::{Normalized, normalize};
use kaigi::search::{SearchIndex, snippet};
use kaigi::text::display::{DisplayOptions, str_width};
use kaigi::text::wrap::wrap;

/// A small deterministic number from the input, for a parameter that should vary with it.
fn mix(bytes: &[u8]) -> usize {
    bytes.iter().fold(0usize, |a, &b| {
        a.wrapping_mul(31).wrapping_add(usize::from(b))
    })
}

fn non_ws(s: &str) -> Vec<char> {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// `parse`: arbitrary bytes as a file. Loading never panics; a document that loads has unique
/// node ids, consistent parent and child links, keeps every non-whitespace character of the
/// input in order (`source_prefix` + `text` of each node in arena order), and lays out at a
/// width derived from the input (1..=200) with no line wider than max(width, 2).
pub fn check_parse(data: &[u8]) {
    let Ok(doc) = load_bytes("fz", "fuzz.txt", data) else {
        return;
    };
    let decoded = kaigi::corpus::encoding::decode(data, None)
        .expect("load_bytes accepted bytes no encoding reads");
    // The byte order mark and one U+FEFF after it are dropped, as when a file is loaded.
    let text = &*decoded.text;
    check_document(&doc, text);
    let mut with_cri = Corpus {
        documents: vec![doc],
    };
    with_cri
        .documents
        .extend(embedded().documents.get(1).cloned());
    check_refs(&with_cri, text);
    let Some(doc) = with_cri.documents.into_iter().next() else {
        return;
    };
    let width = 1 + mix(data) % 200;
    check_layout(doc, width);
}

/// The embedded documents, loaded once.
fn embedded() -> &'static Corpus {
    static CORPUS: OnceLock<Corpus> = OnceLock::new();
    CORPUS.get_or_init(load_embedded)
}

/// Cross-references, citations and the index of a corpus: every range lies inside its node's
/// text, links are in order and do not overlap, a link's text is what its range covers, and
/// narrowing the index by any query (here the input's first characters) does not panic.
pub fn check_refs(corpus: &Corpus, input: &str) {
    use kaigi::refs::Refs;
    let refs = Refs::build(corpus);
    let len = |r: kaigi::corpus::NodeRef| corpus.node(r).text.chars().count();
    for (r, node) in corpus.iter_nodes() {
        let chars: Vec<char> = node.text.chars().collect();
        let mut last = 0;
        for l in refs.links(r) {
            assert!(
                l.range.start >= last && l.range.start < l.range.end,
                "{:?}",
                l.range
            );
            assert!(
                l.range.end <= chars.len(),
                "link past the text of {}",
                node.id
            );
            assert_eq!(l.text, chars[l.range.clone()].iter().collect::<String>());
            last = l.range.end;
        }
    }
    for c in &refs.citations {
        for p in &c.places {
            assert!(p.range.start < p.range.end && p.range.end <= len(p.node));
        }
    }
    for e in &refs.index.entries {
        for p in &e.mentions {
            assert!(p.range.start <= p.range.end && p.range.end <= len(p.node));
        }
    }
    let q: String = input.chars().take(4).collect();
    for i in refs.index.narrow(&q) {
        assert!(i < refs.index.entries.len());
    }
}

/// Unique ids, consistent links, every non-whitespace character kept in order.
pub fn check_document(doc: &Document, text: &str) {
    let mut ids = HashSet::new();
    for node in &doc.nodes {
        assert!(
            ids.insert(node.id.as_str()),
            "duplicate node id {:?}",
            node.id
        );
    }
    for (i, node) in doc.nodes.iter().enumerate() {
        if let Some(p) = node.parent {
            assert!(p < i, "node {i} has parent {p} after it");
            assert!(
                doc.nodes[p].children.contains(&i),
                "node {i} missing from its parent's children"
            );
            assert_eq!(node.depth, doc.nodes[p].depth + 1, "depth of node {i}");
        } else {
            assert!(doc.roots.contains(&i), "parentless node {i} not a root");
            assert_eq!(node.depth, 0, "depth of root {i}");
        }
        for &c in &node.children {
            assert_eq!(doc.nodes[c].parent, Some(i), "child {c} of {i}");
        }
    }
    let rebuilt: String = doc
        .nodes
        .iter()
        .flat_map(|n| [n.source_prefix(), n.text.as_str()])
        .collect();
    let (got, want) = (non_ws(&rebuilt), non_ws(text));
    if got != want {
        let at = got.iter().zip(&want).take_while(|(a, b)| a == b).count();
        panic!(
            "characters not conserved: first difference at non-whitespace char {at}: \
             parsed {:?}, input {:?}",
            got.get(at..(at + 20).min(got.len()))
                .map(|s| s.iter().collect::<String>()),
            want.get(at..(at + 20).min(want.len()))
                .map(|s| s.iter().collect::<String>()),
        );
    }
}

/// No laid-out line is wider than max(width, 2).
pub fn check_layout(doc: Document, width: usize) {
    let corpus = Corpus {
        documents: vec![doc],
    };
    for opts in [
        DisplayOptions { ascii: false },
        DisplayOptions { ascii: true },
    ] {
        let layout = Layout::new(&corpus, width, opts);
        let text = layout.render(&corpus);
        for line in &layout.lines {
            assert!(
                text.width_of(line) <= width.max(2),
                "width {width}, ascii {}: line {:?} is {} cells",
                opts.ascii,
                text.plain(line),
                text.width_of(line)
            );
        }
    }
}

/// `wrap`: the first two bytes are the widths (0..=255 each, 0 included on purpose), the rest
/// is the text (invalid UTF-8 replaced). Lines are in order and do not overlap; only ' ',
/// U+3000 and '\n' fall outside them; no line is wider than its width (at least 1) unless it
/// holds a single character.
pub fn check_wrap(data: &[u8]) {
    let (first, rest) = match data {
        [a, b, rest @ ..] => (usize::from(*a), (usize::from(*b), rest)),
        _ => return,
    };
    let (rest_w, text) = rest;
    let text = String::from_utf8_lossy(text);
    let chars: Vec<char> = text.chars().collect();
    check_wrap_chars(&chars, first, rest_w);
}

pub fn check_wrap_chars(chars: &[char], first: usize, rest: usize) {
    let is_break_space = |c: char| c == ' ' || c == '\u{3000}' || c == '\n';
    let lines = wrap(chars, first, rest);
    assert!(!lines.is_empty(), "no line at all");
    let mut next = 0;
    for (k, r) in lines.iter().enumerate() {
        assert!(r.start <= r.end, "line {k} is a reversed range {r:?}");
        assert!(
            r.end <= chars.len(),
            "line {k} {r:?} past the end {}",
            chars.len()
        );
        assert!(
            r.start >= next,
            "line {k} {r:?} overlaps the previous line (ends {next})"
        );
        assert!(
            chars[next..r.start].iter().all(|&c| is_break_space(c)),
            "dropped {:?} before line {k}",
            chars[next..r.start].iter().collect::<String>()
        );
        let line: String = chars[r.clone()].iter().collect();
        // `wrap` documents that a width under 1 is taken as 1 (a line always holds at least one
        // character), so a zero width is checked as one cell.
        let w = if k == 0 { first } else { rest }.max(1);
        assert!(
            str_width(&line) <= w || r.len() == 1,
            "line {k} {line:?} is {} cells, wider than {w}",
            str_width(&line)
        );
        next = r.end;
    }
    assert!(
        chars[next..].iter().all(|&c| is_break_space(c)),
        "dropped {:?} at the end",
        chars[next..].iter().collect::<String>()
    );
}

/// `search`: the input is a query, optionally followed by a NUL byte and a document's text
/// (invalid UTF-8 replaced in the query). The query's normal form maps back in bounds and in
/// order; searching the embedded corpus (and the document, when one is given) never panics;
/// every hit's ranges lie within its entry's text, sorted, non-empty and disjoint; a snippet
/// of each hit fits its width.
pub fn check_search(data: &[u8]) {
    static EMBEDDED: OnceLock<(Corpus, SearchIndex)> = OnceLock::new();
    let (query, doc) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], Some(&data[i + 1..])),
        None => (data, None),
    };
    let query = String::from_utf8_lossy(query);
    check_normalized(&query, &normalize(&query));
    let width = mix(data) % 120;

    let (corpus, index) = EMBEDDED.get_or_init(|| {
        let corpus = load_embedded();
        let index = SearchIndex::new(&corpus);
        (corpus, index)
    });
    check_hits(corpus, index, &query, width);

    if let Some(doc) = doc {
        let text = String::from_utf8_lossy(doc);
        check_normalized(&text, &normalize(&text));
        let Ok(doc) = load_bytes("fz", "fuzz.txt", doc) else {
            return;
        };
        let corpus = Corpus {
            documents: vec![doc],
        };
        let index = SearchIndex::new(&corpus);
        check_hits(&corpus, &index, &query, width);
    }
}

/// One span per normalised character, each a non-empty range of original characters, in
/// order.
pub fn check_normalized(src: &str, n: &Normalized) {
    let len = src.chars().count();
    assert_eq!(
        n.spans.len(),
        n.text.chars().count(),
        "one span per normalised character"
    );
    let mut prev: Option<&Range<usize>> = None;
    for (k, s) in n.spans.iter().enumerate() {
        assert!(
            s.start < s.end && s.end <= len,
            "span {k} {s:?} out of bounds (source has {len} chars)"
        );
        if let Some(p) = prev {
            assert!(
                p.start <= s.start && p.end <= s.end,
                "span {k} {s:?} goes back before {p:?}"
            );
        }
        prev = Some(s);
    }
}

fn check_hits(corpus: &Corpus, index: &SearchIndex, query: &str, width: usize) {
    let hits = index.search(query, 50);
    assert!(hits.len() <= 50, "more hits than the limit");
    for hit in &hits {
        let text = index
            .entry_text(corpus, hit.target)
            .expect("a hit's entry has a text");
        let len = text.chars().count();
        let mut end = 0;
        for (k, r) in hit.ranges.iter().enumerate() {
            assert!(
                r.start < r.end && r.end <= len,
                "hit {} range {r:?} outside its text of {len} chars",
                hit.id
            );
            assert!(
                k == 0 || r.start > end,
                "hit {} ranges not sorted and merged: {:?}",
                hit.id,
                hit.ranges
            );
            end = r.end;
        }
        let (shown, ranges) = snippet(text, &hit.ranges, width);
        assert!(
            str_width(&shown) <= width,
            "snippet {shown:?} wider than {width}"
        );
        let shown_len = shown.chars().count();
        for r in &ranges {
            assert!(
                r.start < r.end && r.end <= shown_len,
                "snippet range {r:?} outside {shown:?}"
            );
        }
    }
}

/// `input`: arbitrary bytes as terminal input. `InputParser` never panics; the events do not
/// depend on how the bytes are split into reads (all at once, cut at a point derived from the
/// input, one byte at a time); no key is a control character; a paste is at most
/// `PASTE_LIMIT` bytes of input (3 bytes of text for each invalid byte replaced).
pub fn check_input(data: &[u8]) {
    use kaigi::tui::input::{Input, InputParser, PASTE_LIMIT};
    let run = InputParser::parse_reads;
    let whole = run(&[data]);
    let at = mix(data) % (data.len() + 1);
    assert_eq!(run(&[&data[..at], &data[at..]]), whole, "cut at {at}");
    let bytes: Vec<&[u8]> = data.chunks(1).collect();
    assert_eq!(run(&bytes), whole, "one byte a read");
    for i in &whole {
        match i {
            Input::Event(crossterm::event::Event::Key(k)) => {
                assert!(
                    !matches!(k.code, crossterm::event::KeyCode::Char(c) if c.is_control()),
                    "{k:?}"
                );
            }
            Input::Event(crossterm::event::Event::Paste(s)) => {
                assert!(s.len() <= 3 * PASTE_LIMIT);
            }
            _ => {}
        }
    }
}
