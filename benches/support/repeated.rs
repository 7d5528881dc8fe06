//! A large document of the communiqué's own shape: the G7 seed's header once, then its body —
//! the eight sections, 37 paragraphs and two annexes — repeated, with the paragraphs numbered
//! on through the copies so that every number is unique. Unlike `synth.rs` (one section,
//! paragraphs only), it repeats headings, so it exercises id assignment for repeated labels.

use std::fmt::Write as _;
const G7: &str = include_str!("../../seeds/000_5e00753f0cefcf0c.txt");

/// `times` copies of the communiqué's body under one header.
#[allow(dead_code)] // not every user of this file needs it
pub fn repeated_text(times: usize) -> String {
    let start = G7
        .find("\nI. ")
        .or_else(|| G7.find("\nI．"))
        .map_or(0, |i| i + 1);
    let (head, body) = G7.split_at(start);
    let mut out = String::with_capacity(head.len() + body.len() * times);
    out.push_str(head);
    let mut k = 0u32;
    for _ in 0..times {
        for line in body.split_inclusive('\n') {
            let digits = line.bytes().take_while(u8::is_ascii_digit).count();
            match line[digits..].strip_prefix(". ") {
                Some(rest) if digits > 0 => {
                    k += 1;
                    let _ = write!(out, "{k}. {rest}");
                }
                _ => out.push_str(line),
            }
        }
        if !out.ends_with('\n') {
            out.push('\n');
        }
    }
    out
}
