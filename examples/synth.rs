//! Prints the synthetic benchmark document: the G7 paragraphs repeated N times (default 1000).
//!
//! ```text
//! cargo run -q --release --example synth -- 1000 > /tmp/g7x1000.txt
//! ```

#[path = "../benches/support/synth.rs"]
mod synth;

use std::io::Write;

fn main() {
    let times = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1000);
    let text = synth::synthetic_text(times);
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}
