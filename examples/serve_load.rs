//! Load benchmark of `kaigi serve`: 50 in-process SSH clients (russh) on loopback, each in
//! its own pty session, scrolling and searching at once. Reports keystroke-to-frame latency
//! (from sending a key to the first bytes of the frame it brings) p50 and p99, and memory per
//! session (the process's resident set before the sessions and with all of them open, the
//! clients' own share included, so an upper bound).
//!
//! `cargo run --release --example serve_load [SESSIONS] [KEYS_EACH]`

#![allow(clippy::unwrap_used)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use kaigi::serve::Access;
use russh::client::Msg;
use russh::{Channel, ChannelMsg};

#[path = "../tests/support/ssh.rs"]
mod ssh;

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

/// Waits until the session has been quiet for a moment (the frame is whole).
async fn settle(ch: &mut Channel<Msg>) {
    while let Ok(Some(_)) = tokio::time::timeout(Duration::from_millis(150), ch.wait()).await {}
}

/// Sends one key and waits for the first data it brings; the time that took (`None` for a
/// key that changes nothing on screen, such as `g` at the top).
async fn key(ch: &mut Channel<Msg>, bytes: &[u8]) -> Option<Duration> {
    let start = Instant::now();
    ch.data_bytes(bytes.to_vec()).await.ok()?;
    loop {
        match tokio::time::timeout(Duration::from_secs(1), ch.wait()).await {
            Ok(Some(ChannelMsg::Data { .. })) => return Some(start.elapsed()),
            Ok(Some(_)) => {}
            _ => return None,
        }
    }
}

/// One client's session: open, then scroll and search, key after key.
async fn reader(
    addr: std::net::SocketAddr,
    n: usize,
    keys: usize,
    up: Arc<tokio::sync::Barrier>,
    go: Arc<tokio::sync::Barrier>,
    done: Arc<tokio::sync::Barrier>,
) -> Vec<Duration> {
    let mut h = ssh::connect(addr).await;
    assert!(
        h.authenticate_none(format!("r{n}"))
            .await
            .unwrap()
            .success()
    );
    let mut ch = ssh::open_pty(&h, 80, 24, false).await;
    settle(&mut ch).await;
    up.wait().await;
    go.wait().await;
    // Scrolling (lines, pages), gotos, and a search typed a character at a time.
    let script: &[&[u8]] = &[
        b"j", b"j", b" ", b"k", b"b", b"/", b"r", b"a", b"n", b"s", b"a", b"m", b"u", b"\r", b"n",
        b"j", b"G", b"g", b":", b"2", b"3", b"\r", b"\x1b[B", b"\x1b[6~",
    ];
    let mut times = Vec::with_capacity(keys);
    for i in 0..keys {
        let k = script[(i + n) % script.len()];
        if let Some(t) = key(&mut ch, k).await {
            times.push(t);
        }
        // A person's pace at most: a key every 20 ms.
        tokio::time::sleep(Duration::from_millis(20)).await;
        // Let the rest of the frame (and any search results) arrive.
        while let Ok(Some(_)) = tokio::time::timeout(Duration::from_millis(1), ch.wait()).await {}
    }
    // Everyone has scrolled and searched: memory is measured now, sessions all open.
    done.wait().await;
    done.wait().await;
    let _ = ch.data_bytes(&b"q"[..]).await;
    settle(&mut ch).await;
    times
}

/// The `per_mille`th of sorted figures (500: the median, 990: p99).
fn pct(sorted: &[Duration], per_mille: usize) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() - 1) * per_mille + 500) / 1000;
    sorted[i.min(sorted.len() - 1)]
}

fn main() {
    let mut args = std::env::args().skip(1);
    let sessions: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(50);
    let keys: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(100);
    let server = ssh::start(Access::Open, Box::new(std::io::sink()), |_| {});
    let addr = server.local_addr();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let before = rss_kib();
    let up = Arc::new(tokio::sync::Barrier::new(sessions + 1));
    let go = Arc::new(tokio::sync::Barrier::new(sessions + 1));
    let done = Arc::new(tokio::sync::Barrier::new(sessions + 1));
    let tasks: Vec<_> = (0..sessions)
        .map(|n| {
            let b = (Arc::clone(&up), Arc::clone(&go), Arc::clone(&done));
            rt.spawn(reader(addr, n, keys, b.0, b.1, b.2))
        })
        .collect();
    rt.block_on(up.wait());
    let open = rss_kib();
    let started = Instant::now();
    rt.block_on(go.wait());
    rt.block_on(done.wait());
    let elapsed = started.elapsed();
    let after = rss_kib();
    assert_eq!(server.sessions(), sessions, "a session ended early");
    rt.block_on(done.wait());
    let mut all: Vec<Duration> = Vec::new();
    for t in tasks {
        all.extend(rt.block_on(t).unwrap());
    }
    all.sort();
    let per_session = |kib: u64| kib.saturating_sub(before) as f64 / 1024.0 / sessions as f64;
    println!(
        "sessions: {sessions}, keys each: {keys}, keys that brought a frame: {}",
        all.len()
    );
    println!(
        "keystroke-to-frame: p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        pct(&all, 500).as_secs_f64() * 1e3,
        pct(&all, 990).as_secs_f64() * 1e3,
        all.last().copied().unwrap_or_default().as_secs_f64() * 1e3
    );
    println!(
        "memory: {:.1} MiB before, {:.2} MiB a session with all open, {:.2} MiB a session after scrolling and searching (clients included)",
        before as f64 / 1024.0,
        per_session(open),
        per_session(after)
    );
    println!("wall time: {:.1} s", elapsed.as_secs_f64());
    drop(server);
}
