//! Per-keystroke search and index building, on the two documents and on the G7 paragraphs
//! repeated 100 and 1000 times (3,700 and 37,000 paragraphs, 3.6 and 36 MB).
//!
//! ```text
//! cargo bench --bench search                  # criterion, wall time
//! BENCH_CPU_TIME=1 cargo bench --bench search # this thread's CPU time (Linux), a table
//! ```
//!
//! On a machine shared with other busy processes, wall time measures the load as much as the
//! code. The CPU-time mode reads the kernel's account of this thread's CPU time, which may only
//! advance every few milliseconds: it times blocks of calls at least 40 ms long and reports,
//! per call, the median and the fastest of 15 blocks.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion};
use kaigi::corpus::load_embedded;
use kaigi::search::SearchIndex;

#[path = "support/cpu.rs"]
mod cpu;
#[path = "support/synth.rs"]
mod synth;

/// Queries as typed: exact Japanese, hiragana and romaji for katakana, a Latin acronym, two
/// terms, a term that only matches scattered, an exclusion, one character, a prefix being
/// typed, one that finds nothing (and so runs the typo fallback, issue 13), fzf's OR and
/// prefix, a number (the label pass); then the passes measured separately: English through
/// the glossary, and typos that only the fallback finds.
const QUERIES: [&str; 17] = [
    "ランサム",
    "らんさむ",
    "ransamu",
    "GIFCT",
    "安全 協力",
    "テロ対策",
    "国際協力 !ロシア",
    "サ",
    "サイバ",
    "存在しない語句",
    "FATF | REPO",
    "^我々は",
    "23",
    // Glossary pass.
    "ransomware",
    "child sexual exploitation and abuse",
    // Typo fallback.
    "GIFTC",
    "暴力的過激主議",
];

fn bench(c: &mut Criterion) {
    let embedded = load_embedded();
    let big = synth::synthetic_corpus(100);
    let huge = synth::synthetic_corpus(1000);
    let indexes = [
        ("embedded", SearchIndex::new(&embedded)),
        ("x100", SearchIndex::new(&big)),
        ("x1000", SearchIndex::new(&huge)),
    ];
    for (name, index) in &indexes {
        let mut group = c.benchmark_group(format!("search/{name}"));
        if *name == "x1000" {
            // Tens of milliseconds a call: fewer samples, or this group alone takes minutes.
            group
                .sample_size(10)
                .measurement_time(std::time::Duration::from_secs(3));
        }
        for q in QUERIES {
            group.bench_with_input(BenchmarkId::from_parameter(q), &q, |b, q| {
                b.iter(|| index.search(black_box(q), 200));
            });
        }
        group.finish();
    }
    let mut group = c.benchmark_group("index");
    group.sample_size(20);
    group.bench_function("embedded", |b| {
        b.iter(|| SearchIndex::new(black_box(&embedded)));
    });
    group.bench_function("x100", |b| b.iter(|| SearchIndex::new(black_box(&big))));
    group.sample_size(10);
    group.bench_function("x1000", |b| b.iter(|| SearchIndex::new(black_box(&huge))));
    group.finish();
}

/// CPU time per call of `f`: (median, fastest) over 15 blocks of calls, in nanoseconds.
fn cpu_per_call(mut f: impl FnMut()) -> Option<(f64, f64)> {
    const BLOCK_NS: u64 = 40_000_000;
    let mut block = |k: u64| -> Option<u64> {
        let start = cpu::thread_cpu_ns()?;
        for _ in 0..k {
            f();
        }
        Some(cpu::thread_cpu_ns()?.saturating_sub(start))
    };
    let mut k = 1u64;
    while block(k)? < BLOCK_NS && k < 1 << 24 {
        k *= 2;
    }
    let mut per_call = Vec::new();
    for _ in 0..15 {
        per_call.push(block(k)? as f64 / k as f64);
    }
    per_call.sort_by(f64::total_cmp);
    Some((per_call[per_call.len() / 2], per_call[0]))
}

fn show(ns: f64) -> String {
    if ns < 1e6 {
        format!("{:.1} µs", ns / 1e3)
    } else {
        format!("{:.2} ms", ns / 1e6)
    }
}

fn cpu_table() {
    let embedded = load_embedded();
    let big = synth::synthetic_corpus(100);
    let huge = synth::synthetic_corpus(1000);
    println!("| benchmark | entries | median CPU per call | fastest block |");
    println!("| --- | --- | --- | --- |");
    for (name, corpus) in [("embedded", &embedded), ("x100", &big), ("x1000", &huge)] {
        let index = SearchIndex::new(corpus);
        for q in QUERIES {
            let mut hits = 0;
            if let Some((median, min)) =
                cpu_per_call(|| hits = index.search(black_box(q), 200).len())
            {
                println!(
                    "| search/{name}/`{q}` ({hits} hits) | {} | {} | {} |",
                    index.len(),
                    show(median),
                    show(min)
                );
            }
        }
        if let Some((median, min)) = cpu_per_call(|| drop(black_box(SearchIndex::new(corpus)))) {
            println!(
                "| index/{name} | {} | {} | {} |",
                index.len(),
                show(median),
                show(min)
            );
        }
    }
}

fn main() {
    if std::env::var_os("BENCH_CPU_TIME").is_some() && cpu::available() {
        cpu_table();
    } else {
        let mut c = Criterion::default().configure_from_args();
        bench(&mut c);
        c.final_summary();
    }
}
