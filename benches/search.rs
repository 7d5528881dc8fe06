//! Per-keystroke search and index building, on the two documents and on the G7 paragraphs
//! repeated 100 times.
//!
//! ```text
//! cargo bench --bench search                  # wall time
//! BENCH_CPU_TIME=1 cargo bench --bench search # this thread's CPU time (Linux)
//! ```

use std::hint::black_box;

use criterion::measurement::Measurement;
use criterion::{BenchmarkId, Criterion};
use kaigi::corpus::load_embedded;
use kaigi::search::SearchIndex;

#[path = "support/cpu.rs"]
mod cpu;
#[path = "support/synth.rs"]
mod synth;

/// Queries as typed: exact Japanese, hiragana and romaji for katakana, a Latin acronym, two
/// terms, a term that only matches scattered, an exclusion, one character, a prefix being
/// typed, and one that finds nothing.
const QUERIES: [&str; 10] = [
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
];

fn bench<M: Measurement>(c: &mut Criterion<M>) {
    let embedded = load_embedded();
    let big = synth::synthetic_corpus(100);
    let indexes = [
        ("embedded", SearchIndex::new(&embedded)),
        ("x100", SearchIndex::new(&big)),
    ];
    for (name, index) in &indexes {
        let mut group = c.benchmark_group(format!("search/{name}"));
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
    group.finish();
}

fn main() {
    if std::env::var_os("BENCH_CPU_TIME").is_some() && cpu::available() {
        let mut c = Criterion::default()
            .with_measurement(cpu::ThreadCpuTime)
            .configure_from_args();
        bench(&mut c);
        c.final_summary();
    } else {
        let mut c = Criterion::default().configure_from_args();
        bench(&mut c);
        c.final_summary();
    }
}
