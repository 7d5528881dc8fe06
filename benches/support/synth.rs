//! A synthetic corpus for benchmarks: the G7 communiqué's paragraphs repeated, renumbered.

use kaigi::corpus::repair::to_roman;
use kaigi::corpus::{Corpus, NodeKind, load_embedded, parse_document};
use std::fmt::Write as _;

/// The G7 communiqué's numbered paragraphs, each on one line.
fn g7_paragraphs() -> Vec<String> {
    let corpus = load_embedded();
    corpus.documents[0]
        .nodes
        .iter()
        .filter(|n| n.kind == NodeKind::Paragraph && n.label().is_some())
        .map(|n| n.text.replace('\n', ""))
        .collect()
}

/// The text of a document made of the G7 communiqué's numbered paragraphs repeated `times`
/// times (one paragraph per line). The parser numbers paragraphs up to 9999, so every 100
/// repetitions start a new section (`I.`, `II.`, …) and the numbering starts again at 1.
pub fn synthetic_text(times: usize) -> String {
    let paragraphs = g7_paragraphs();
    let mut out = String::from("G7内務・安全担当大臣コミュニケ（合成）\n\n");
    let mut k = 0;
    for rep in 0..times {
        if rep % 100 == 0 {
            let section = u32::try_from(rep / 100 + 1).unwrap_or(u32::MAX);
            let _ = write!(out, "\n{}. 本文\n\n", to_roman(section));
            k = 0;
        }
        for p in &paragraphs {
            k += 1;
            let _ = writeln!(out, "{k}. {p}");
        }
    }
    out
}

/// The same paragraphs as [`synthetic_text`], one a line and nothing else: what `fzf` is given.
#[allow(dead_code)] // not every user of this file needs it
pub fn synthetic_lines(times: usize) -> String {
    let paragraphs = g7_paragraphs();
    let mut out = String::new();
    for _ in 0..times {
        for p in &paragraphs {
            out.push_str(p);
            out.push('\n');
        }
    }
    out
}

/// The synthetic document parsed as a corpus.
#[allow(dead_code)] // not every user of this file needs it
pub fn synthetic_corpus(times: usize) -> Corpus {
    Corpus {
        documents: vec![parse_document("syn", "synthetic", &synthetic_text(times))],
    }
}
