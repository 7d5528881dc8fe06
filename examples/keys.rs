//! The search line's work on a large file, a key at a time: every prefix of each query run as
//! the browser runs it (the list's limit, counted in full), `KAIGI_REPEAT` times (default 5),
//! the mean per key printed, in this thread's CPU time (`benches/support/cpu.rs`: a loaded
//! machine slows it less than the wall clock). For profiling the search alone:
//!
//!     cargo run --release --example keys -- /tmp/rep1000.txt
use std::time::Instant;

use kaigi::corpus::Corpus;

#[path = "../benches/support/cpu.rs"]
mod cpu;

#[path = "../benches/support/typed.rs"]
mod typed;
use typed::TYPED;

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: keys FILE [QUERY…]");
        std::process::exit(2);
    };
    let queries: Vec<String> = std::env::args().skip(2).collect();
    let queries: Vec<&str> = if queries.is_empty() {
        TYPED.to_vec()
    } else {
        queries.iter().map(String::as_str).collect()
    };
    let repeat: usize = std::env::var("KAIGI_REPEAT")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5)
        .max(1);
    let corpus = match Corpus::load(&[path.into()]) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let t = Instant::now();
    let index = kaigi::tui::search::build_index(&corpus);
    eprintln!("index {:.1} ms", t.elapsed().as_secs_f64() * 1e3);
    let mut worst = 0.0f64;
    for q in queries {
        let mut line = Vec::new();
        let mut typed = String::new();
        for c in q.chars() {
            typed.push(c);
            if typed.trim().is_empty() {
                continue;
            }
            let t = cpu::thread_cpu_ns().unwrap_or(0);
            for _ in 0..repeat {
                let outcome = kaigi::tui::search::run(&index, &typed);
                std::hint::black_box(outcome.ok());
            }
            let spent = cpu::thread_cpu_ns().unwrap_or(0).saturating_sub(t);
            #[allow(clippy::cast_precision_loss)]
            let mean = spent as f64 / 1e6 / repeat as f64;
            worst = worst.max(mean);
            line.push(format!("{mean:.1}"));
        }
        eprintln!("{q:<16} {} ms", line.join(" "));
    }
    eprintln!("worst key (mean of {repeat}, CPU) {worst:.1} ms");
}
