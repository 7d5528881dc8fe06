//! The search pipeline from the command line, for trying queries and for timing:
//!
//! ```text
//! cargo run -q --example search -- [--file PATH]... [--limit N] [--width W] [--plain] QUERY
//! ```
//!
//! Loads the files (or the embedded documents), builds the index, searches and prints one JSON
//! object per hit (`--plain`: `id<TAB>snippet`). Timings go to stderr.

use std::io::Write;
use std::time::Instant;

#[path = "../benches/support/cpu.rs"]
mod cpu;

/// Wall time and this thread's CPU time (when the kernel tells it).
fn now() -> (Instant, Option<u64>) {
    (Instant::now(), cpu::thread_cpu_ns())
}

fn phase(a: (Instant, Option<u64>), b: (Instant, Option<u64>)) -> String {
    let wall = (b.0 - a.0).as_secs_f64() * 1e3;
    match (a.1, b.1) {
        (Some(x), Some(y)) => format!("{wall:.1} ms (cpu {:.1} ms)", (y - x) as f64 / 1e6),
        _ => format!("{wall:.1} ms"),
    }
}

fn main() {
    let mut files = Vec::new();
    let mut limit = usize::MAX;
    let mut width = 60;
    let mut plain = false;
    let mut query = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--file" => files.extend(args.next().map(std::path::PathBuf::from)),
            "--limit" => limit = args.next().and_then(|s| s.parse().ok()).unwrap_or(limit),
            "--width" => width = args.next().and_then(|s| s.parse().ok()).unwrap_or(width),
            "--plain" => plain = true,
            _ => query = Some(a),
        }
    }
    let Some(query) = query else {
        eprintln!("usage: search [--file PATH]... [--limit N] [--width W] [--plain] QUERY");
        std::process::exit(2);
    };
    let t0 = now();
    let corpus = match kaigi::corpus::Corpus::load(&files) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    };
    let t1 = now();
    // As the CLI builds it: for one query, no character index.
    let index = kaigi::search::searchable_once(&corpus);
    let t2 = now();
    let hits = index.search(&query, limit);
    let t3 = now();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for hit in &hits {
        let text = index.entry_text(&corpus, hit.target).unwrap_or("");
        let json = kaigi::cli::json::search_hit(hit, text, width);
        let line = if plain {
            format!("{}\t{}", json.id, json.snippet)
        } else {
            serde_json::to_string(&json).unwrap_or_default()
        };
        if writeln!(out, "{line}").is_err() {
            return;
        }
    }
    let _ = out.flush();
    let t4 = now();
    eprintln!(
        "entries {}  hits {}  load+parse {}  index {}  search {}  print {}",
        index.len(),
        hits.len(),
        phase(t0, t1),
        phase(t1, t2),
        phase(t2, t3),
        phase(t3, t4),
    );
}
