//! Replays the saved fuzz inputs in `tests/fuzz_corpus/<target>/` through the same checks as
//! the fuzz targets in `fuzz/` (shared in `tests/fuzz_checks/mod.rs`), so plain `cargo test`
//! keeps every crash the fuzzers found fixed, without cargo-fuzz or a nightly toolchain.

mod fuzz_checks;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;

/// Runs `check` on every file of `tests/fuzz_corpus/<target>/`; fails naming every input that
/// panicked.
fn replay(target: &str, check: fn(&[u8])) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz_corpus")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "{}: no inputs", dir.display());
    let mut failed = Vec::new();
    for file in &files {
        let data = std::fs::read(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        if catch_unwind(AssertUnwindSafe(|| check(&data))).is_err() {
            failed.push(file.display().to_string());
        }
    }
    assert!(
        failed.is_empty(),
        "{} of {} {target} inputs failed:\n{}",
        failed.len(),
        files.len(),
        failed.join("\n")
    );
}

#[test]
fn parse_inputs() {
    replay("parse", fuzz_checks::check_parse);
}

#[test]
fn wrap_inputs() {
    replay("wrap", fuzz_checks::check_wrap);
}

#[test]
fn search_inputs() {
    replay("search", fuzz_checks::check_search);
}

#[test]
fn input_inputs() {
    replay("input", fuzz_checks::check_input);
}
