//! The release build on x86-64 Linux links the functions that run before the first frame side
//! by side, first in the code (lld's `--symbol-ordering-file`, with `data/startup.order`,
//! made by `benches/support/startup_order.py`): the first frame then reads a few pages of the
//! binary instead of pages scattered over its 4 MB of code. Names the code no longer has are
//! skipped by the linker, so a stale list costs only the pages it would have saved. Nothing
//! else is built here.

use std::env;
use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=data/startup.order");
    println!("cargo:rerun-if-changed=src/build.rs");
    println!("cargo:rerun-if-env-changed=CARGO_ENCODED_RUSTFLAGS");
    println!("cargo:rerun-if-env-changed=RUSTC_LINKER");
    let var = |k: &str| env::var(k).unwrap_or_default();
    // The toolchain's own linker there is lld; a build that chose another linker (whose
    // flags may differ) is left as it is.
    let chose_linker = env::var_os("RUSTC_LINKER").is_some()
        || var("CARGO_ENCODED_RUSTFLAGS")
            .split('\x1f')
            .any(|f| f.contains("linker") || f.contains("fuse-ld"));
    if var("TARGET") != "x86_64-unknown-linux-gnu"
        || var("PROFILE") != "release"
        || chose_linker
        || !links_with_lld()
    {
        return;
    }
    let order = Path::new(&var("CARGO_MANIFEST_DIR")).join("data/startup.order");
    let map = Path::new(&var("OUT_DIR")).join("kaigi.map");
    // `-Wl,` splits its argument at commas: a path with one is not handed over.
    let fits = |p: &Path| p.to_str().is_some_and(|s| !s.contains(','));
    if !order.is_file() || !fits(&order) || !fits(&map) {
        return;
    }
    println!(
        "cargo:rustc-link-arg-bins=-Wl,--symbol-ordering-file={}",
        order.display()
    );
    println!("cargo:rustc-link-arg-bins=-Wl,--no-warn-symbol-ordering");
    // The linker's map of this build (its sections by address), from which
    // `startup_order.py` names the code the first frame ran: the symbols' names hold a hash
    // of the build's settings, so the list is made from a build like the one it is for.
    println!("cargo:rustc-link-arg-bins=-Wl,-Map={}", map.display());
}

/// Whether the compiler links with its own lld by default on x86-64 Linux: from Rust 1.90 on
/// (before, it was the system's `ld`, which has no `--symbol-ordering-file`).
fn links_with_lld() -> bool {
    let rustc = env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let Ok(out) = std::process::Command::new(rustc).arg("--version").output() else {
        return false;
    };
    // "rustc 1.95.0 (59807616e 2026-04-14)"
    let text = String::from_utf8_lossy(&out.stdout);
    let mut parts = text
        .split_whitespace()
        .nth(1)
        .unwrap_or("")
        .split(['.', '-'])
        .map(|n| n.parse::<u32>().unwrap_or(0));
    let (major, minor) = (parts.next().unwrap_or(0), parts.next().unwrap_or(0));
    (major, minor) >= (1, 90)
}
