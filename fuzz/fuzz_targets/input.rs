//! Fuzz target `input`: see `check_input` in `tests/fuzz_checks/mod.rs` for what it checks.

#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/fuzz_checks/mod.rs"]
mod fuzz_checks;

fuzz_target!(|data: &[u8]| fuzz_checks::check_input(data));
