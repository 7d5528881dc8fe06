//! kaigi's search next to `fzf --filter` over the same lines (one line per node, its text),
//! printing where the two disagree. Needs fzf on the PATH (`apt-get install fzf`); without it,
//! says so and exits 0. Tests never need it.
//!
//! ```text
//! cargo run -q --example fzf_compare [-- QUERY...]
//! ```
//!
//! Without queries it runs the syntax cases of `tests/search_syntax.rs` and the judged set's
//! syntax queries. Expected differences: kaigi folds kana, width and case in every term
//! (fzf's smart case makes `FATF` case-sensitive and knows no kana), adds romaji, glossary and
//! acronym rules, and bounds scattered matches.

use std::collections::{BTreeSet, HashMap};
use std::io::Write;
use std::process::{Command, Stdio};

const QUERIES: &[&str] = &[
    "FATF",
    "'FATF",
    "'テロ対策",
    "GIFCT テック",
    "FATF | REPO",
    "ICC | FATF | REPO",
    "暗号資産 | 暗号化",
    "FATF |",
    "| FATF",
    "^デジタル",
    "^ウクライナ",
    "^ウクライナ$",
    "^前文$",
    "支援$",
    "(全文)$",
    "^国境を越える組織犯罪$",
    "する。$ 'REPO",
    "'GIFCT$",
    "児童 !^我々は",
    "'ICC !^ロシア",
    "ランサムウェア !イニシアティブ",
    "ランサムウェア !'イニシアティブ",
    "^カウンター !^カウンターランサムウェア・",
    "インターポール !^我々は",
    "^我々は",
    "する。$",
    "!^我々は",
    "'らんさむ",
    "ランサム",
    "AI",
];

fn main() {
    let corpus = kaigi::corpus::load_embedded();
    let index = kaigi::search::SearchIndex::new(&corpus);
    let mut lines = String::new();
    let mut by_line: HashMap<String, Vec<String>> = HashMap::new();
    for (_, n) in corpus.iter_nodes() {
        let line = n.text.replace(['\n', '\r'], " ");
        lines.push_str(&line);
        lines.push('\n');
        by_line.entry(line).or_default().push(n.id.clone());
    }
    let args: Vec<String> = std::env::args().skip(1).collect();
    let queries: Vec<String> = if args.is_empty() {
        QUERIES.iter().map(|q| (*q).to_string()).collect()
    } else {
        args
    };
    let mut agree = 0;
    for q in &queries {
        let Some(fzf) = fzf_filter(q, &lines) else {
            println!("fzf not found: install it (apt-get install fzf) to compare");
            return;
        };
        let theirs: BTreeSet<String> = fzf
            .lines()
            .flat_map(|l| by_line.get(l).cloned().unwrap_or_default())
            .collect();
        let ours: BTreeSet<String> = match index.run(q, usize::MAX) {
            Ok(r) => r.hits.into_iter().map(|h| h.id).collect(),
            Err(e) => {
                println!("{q:?}: kaigi: {e}; fzf: {} lines", theirs.len());
                continue;
            }
        };
        if ours == theirs {
            agree += 1;
            continue;
        }
        let only_ours: Vec<&String> = ours.difference(&theirs).collect();
        let only_fzf: Vec<&String> = theirs.difference(&ours).collect();
        println!("{q:?}: only kaigi {only_ours:?}; only fzf {only_fzf:?}");
    }
    println!("{agree} of {} queries agree", queries.len());
}

/// `fzf --filter QUERY` over `input`, or `None` when fzf cannot be run.
fn fzf_filter(query: &str, input: &str) -> Option<String> {
    let mut child = Command::new("fzf")
        .args(["--filter", query])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    child.stdin.take()?.write_all(input.as_bytes()).ok()?;
    let out = child.wait_with_output().ok()?;
    String::from_utf8(out.stdout).ok()
}
