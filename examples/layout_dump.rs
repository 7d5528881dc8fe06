//! Prints every laid-out line (node, indent, each span's role, text and source indices) of
//! the embedded documents and of every saved fuzz input, at widths from 1 to 200, plain and
//! ASCII, plus `lay_out_subtree` and `lay_out_document`: a change to how lines are kept is
//! checked by diffing this output before and after.
//!
//!     cargo run --example layout_dump > /tmp/before.txt
use std::fmt::Write as _;
use std::path::PathBuf;

use kaigi::corpus::{Corpus, load_bytes, load_embedded};
use kaigi::layout::{Layout, Line, Render, lay_out_document, lay_out_subtree};
use kaigi::text::display::DisplayOptions;

const WIDTHS: [usize; 14] = [1, 2, 3, 5, 7, 9, 12, 20, 33, 40, 61, 80, 120, 200];

fn line_text(out: &mut String, text: Render, line: &Line) {
    let _ = write!(
        out,
        "{:?} {}",
        text.node(line).map(|r| (r.doc, r.node)),
        text.indent(line)
    );
    for s in text.spans(line) {
        let src: Vec<usize> = s.src.iter().collect();
        let _ = write!(out, " [{:?} {:?} {:?}]", s.role, s.text, src);
    }
    out.push('\n');
}

fn dump(name: &str, corpus: &Corpus, out: &mut String) {
    for opts in [
        DisplayOptions { ascii: false },
        DisplayOptions { ascii: true },
    ] {
        for w in WIDTHS {
            let layout = Layout::new(corpus, w, opts);
            let _ = writeln!(
                out,
                "== {name} width {w} ascii {} ({} lines)",
                opts.ascii,
                layout.lines.len()
            );
            for l in &layout.lines {
                line_text(out, layout.render(corpus), l);
            }
            let mut starts: Vec<_> = layout.starts().map(|(r, s)| ((r.doc, r.node), s)).collect();
            starts.sort_unstable();
            let _ = writeln!(out, "starts {starts:?} docs {:?}", layout.doc_starts);
            let through: Vec<usize> = (0..=layout.lines.len())
                .step_by(7)
                .map(|e| layout.chars_through(e))
                .collect();
            let _ = writeln!(out, "through {through:?}");
        }
        for w in [1, 9, 40, 80] {
            for d in 0..corpus.documents.len() {
                let _ = writeln!(out, "== {name} document {d} width {w} ascii {}", opts.ascii);
                let lines = lay_out_document(corpus, d, w, opts);
                for l in &lines.lines {
                    line_text(out, lines.render(corpus), l);
                }
            }
            for (r, _) in corpus.iter_nodes().step_by(5) {
                let _ = writeln!(
                    out,
                    "== {name} subtree {:?} width {w} ascii {}",
                    (r.doc, r.node),
                    opts.ascii
                );
                let lines = lay_out_subtree(corpus, r, w, opts);
                for l in &lines.lines {
                    line_text(out, lines.render(corpus), l);
                }
            }
        }
    }
}

fn main() {
    let mut out = String::new();
    dump("embedded", &load_embedded(), &mut out);
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_corpus");
    let mut files = Vec::new();
    for target in ["parse", "wrap", "search"] {
        if let Ok(dir) = std::fs::read_dir(root.join(target)) {
            files.extend(
                dir.filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.is_file()),
            );
        }
    }
    files.sort();
    for file in files {
        let Ok(data) = std::fs::read(&file) else {
            continue;
        };
        let Ok(doc) = load_bytes("fz", "fuzz.txt", &data) else {
            continue;
        };
        let mut corpus = Corpus {
            documents: vec![doc],
        };
        corpus
            .documents
            .extend(load_embedded().documents.get(1).cloned());
        let name = file
            .strip_prefix(&root)
            .unwrap_or(&file)
            .display()
            .to_string();
        dump(&name, &corpus, &mut out);
    }
    print!("{out}");
}
