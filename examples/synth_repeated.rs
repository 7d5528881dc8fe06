//! Prints the repeated-sections benchmark document: the G7 communiqué's body N times (default
//! 1000), paragraphs numbered on through the copies.
//!
//! ```text
//! cargo run -q --release --example synth_repeated -- 1000 > /tmp/rep1000.txt
//! ```

#[path = "../benches/support/repeated.rs"]
mod repeated;

use std::io::Write;

fn main() {
    let times = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1000);
    let text = repeated::repeated_text(times);
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}
