//! The terminal benchmark: the real release binary in a pseudo-terminal at 80x24, measured as
//! a user over SSH meets it — time to the first complete frame, bytes of that frame, bytes for
//! a one-line scroll, a page and a search keystroke, and peak memory — next to `less`, `w3m`
//! and `fzf` on the same text in the same run (where they are installed), so a noisy machine
//! still gives fair ratios. Then `kaigi --file BIG search` against `fzf --filter` on the 1000x
//! corpus, and a verdict for each budget. Then large files (`KAIGI_BENCH_LARGE=0` skips
//! them): both shapes of generated document (the communiqué's body repeated, and the one
//! section of `synth.rs`) at 1x, 10x, 100x and 1000x, kaigi next to less and fzf on each:
//! first frame, peak memory per MB, the first `/`, a search keystroke, a resize, and
//! `kaigi search` against `fzf --filter`.
//!
//!     cargo bench --bench terminal
//!
//! Figures and the machine they came from are written down in BENCHMARKS.md.

#![allow(clippy::unwrap_used, clippy::cast_precision_loss)]

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

#[path = "support/repeated.rs"]
mod repeated;
#[path = "support/synth.rs"]
mod synth;

const RUNS: usize = 15;
/// Output quiet for this long ends a frame.
const IDLE: Duration = Duration::from_millis(150);

#[derive(Debug, Clone, Default)]
struct Run {
    first_frame_ms: f64,
    /// When the first byte came (a program that writes its first screen in one write, as
    /// kaigi and less do: when that screen came).
    first_byte_ms: f64,
    first_frame_bytes: usize,
    keys: Vec<(String, usize)>,
    /// For each key: from sending it to the first byte of the answer, and to the last
    /// before the output went quiet.
    key_ms: Vec<(f64, f64)>,
    /// From the resize to the last byte of the redraw.
    resize_ms: Option<f64>,
    peak_kb: u64,
}

/// What one program is asked to do.
struct Program {
    name: &'static str,
    argv: Vec<String>,
    /// (label, bytes to send) measured one after the other.
    keys: Vec<(&'static str, &'static str)>,
    quit: &'static str,
    /// The terminal's size (80x24 unless given).
    size: (u16, u16),
    /// After the keys, resize the terminal to this and time the redraw.
    resize: Option<(u16, u16)>,
    /// Keys sent after the resize (timed and counted as `keys` are).
    after: Vec<(&'static str, &'static str)>,
    /// How long to let the program go on after the last key before its peak memory is read:
    /// work it does between keys, drawing nothing (kaigi's layout of the text before where
    /// `G` began it), ends unseen.
    settle: Duration,
}

impl Program {
    fn new(
        name: &'static str,
        argv: Vec<String>,
        keys: Vec<(&'static str, &'static str)>,
        quit: &'static str,
    ) -> Self {
        Program {
            name,
            argv,
            keys,
            quit,
            size: (80, 24),
            resize: None,
            after: Vec::new(),
            settle: Duration::ZERO,
        }
    }
}

struct Capture {
    bytes: Vec<u8>,
    last: Option<Instant>,
    /// When each read arrived.
    arrivals: Vec<Instant>,
}

/// The first read that arrived at or after `t`.
fn first_after(cap: &Arc<Mutex<Capture>>, t: Instant) -> Option<Instant> {
    cap.lock()
        .unwrap()
        .arrivals
        .iter()
        .copied()
        .find(|&a| a >= t)
}

fn ms(from: Instant, to: Instant) -> f64 {
    to.saturating_duration_since(from).as_secs_f64() * 1000.0
}

fn peak_kb(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        })
        .unwrap_or(0)
}

fn wait_idle(cap: &Arc<Mutex<Capture>>, start: Instant) -> (Instant, usize) {
    let deadline = start + Duration::from_secs(10);
    loop {
        std::thread::sleep(Duration::from_millis(5));
        let c = cap.lock().unwrap();
        if let Some(last) = c.last
            && last.elapsed() >= IDLE
            && last >= start
        {
            return (last, c.bytes.len());
        }
        if Instant::now() > deadline {
            return (c.last.unwrap_or(start), c.bytes.len());
        }
    }
}

/// How many programs the bench has started, for each run's own state folder.
static RUNS_STARTED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

fn run_once(p: &Program) -> Run {
    let pty = native_pty_system();
    let pair = pty
        .openpty(PtySize {
            rows: p.size.1,
            cols: p.size.0,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut cmd = CommandBuilder::new(&p.argv[0]);
    cmd.args(&p.argv[1..]);
    cmd.env("TERM", "xterm-256color");
    cmd.env("LANG", "C.UTF-8");
    cmd.env("LESSCHARSET", "utf-8");
    // Every run a first-time reader's: kaigi keeps the last place of each text in its state
    // folder, and a run that opened where the one before it left off (after `G`: the end) drew
    // another first frame, and gave a `G` with nothing to do.
    let state = std::env::temp_dir().join(format!(
        "kaigi-bench-state-{}-{}",
        std::process::id(),
        RUNS_STARTED.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&state);
    cmd.env("XDG_STATE_HOME", &state);
    let spawned = Instant::now();
    let mut child = pair.slave.spawn_command(cmd).unwrap();
    drop(pair.slave);
    let pid = child.process_id().unwrap_or(0);
    let mut reader = pair.master.try_clone_reader().unwrap();
    let writer = Arc::new(Mutex::new(pair.master.take_writer().unwrap()));
    let cap = Arc::new(Mutex::new(Capture {
        bytes: Vec::new(),
        last: None,
        arrivals: Vec::new(),
    }));
    let (c2, w2) = (Arc::clone(&cap), Arc::clone(&writer));
    std::thread::spawn(move || {
        let mut buf = [0u8; 16384];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            // The time the bytes arrived, taken before anything else: answering the query
            // below must not count as the program's time.
            let arrived = Instant::now();
            {
                let mut c = c2.lock().unwrap();
                c.bytes.extend_from_slice(&buf[..n]);
                c.last = Some(arrived);
                c.arrivals.push(arrived);
            }
            // Answer a cursor-position query as a terminal whose ambiguous characters are narrow.
            if buf[..n].windows(4).any(|w| w == b"\x1b[6n") {
                let mut w = w2.lock().unwrap();
                let _ = w.write_all(b"\x1b[1;2R");
                let _ = w.flush();
            }
        }
    });
    let (first_at, first_bytes) = wait_idle(&cap, spawned);
    let mut run = Run {
        first_frame_ms: first_at.duration_since(spawned).as_secs_f64() * 1000.0,
        first_byte_ms: first_after(&cap, spawned).map_or(0.0, |t| ms(spawned, t)),
        first_frame_bytes: first_bytes,
        ..Run::default()
    };
    let send = |run: &mut Run, label: &str, keys: &str| {
        let before = cap.lock().unwrap().bytes.len();
        let sent = Instant::now();
        {
            let mut w = writer.lock().unwrap();
            w.write_all(keys.as_bytes()).unwrap();
            w.flush().unwrap();
        }
        let (last, after) = wait_idle(&cap, sent);
        run.keys.push((label.to_string(), after - before));
        let first = first_after(&cap, sent).unwrap_or(last);
        run.key_ms.push((ms(sent, first), ms(sent, last)));
    };
    for (label, keys) in &p.keys {
        send(&mut run, label, keys);
    }
    if let Some((cols, rows)) = p.resize {
        let sent = Instant::now();
        pair.master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let (last, _) = wait_idle(&cap, sent);
        run.resize_ms = Some(ms(sent, last));
    }
    for (label, keys) in &p.after {
        send(&mut run, label, keys);
    }
    std::thread::sleep(p.settle);
    run.peak_kb = peak_kb(pid);
    {
        let mut w = writer.lock().unwrap();
        let _ = w.write_all(p.quit.as_bytes());
        let _ = w.flush();
    }
    let end = Instant::now() + Duration::from_secs(3);
    while Instant::now() < end {
        if let Ok(Some(_)) = child.try_wait() {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let _ = child.kill();
    let _ = std::fs::remove_dir_all(&state);
    run
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(0.0)
}

fn which(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH")?
        .to_str()?
        .split(':')
        .map(|d| Path::new(d).join(name))
        .find(|p| p.is_file())
}

#[derive(Debug, Default)]
struct Summary {
    /// Each run's first-frame time, in the order the runs took turns.
    first_each: Vec<f64>,
    first_byte_ms: f64,
    first_bytes: f64,
    keys: Vec<(String, f64)>,
    /// Per key, the medians of [`Run::key_ms`].
    key_ms: Vec<(f64, f64)>,
    resize_ms: Option<f64>,
    peak_kb: f64,
}

/// Runs every program `RUNS` times, taking turns (kaigi, less, w3m, kaigi, ...), so that a
/// moment of load on the machine falls on all of them alike.
fn measure_all(programs: &[Program]) -> Vec<Summary> {
    measure_all_n(programs, RUNS)
}

fn measure_all_n(programs: &[Program], n: usize) -> Vec<Summary> {
    let mut runs: Vec<Vec<Run>> = programs.iter().map(|_| Vec::new()).collect();
    for _ in 0..n {
        for (p, r) in programs.iter().zip(&mut runs) {
            r.push(run_once(p));
        }
    }
    programs
        .iter()
        .zip(runs)
        .map(|(p, r)| summarise(p, &r))
        .collect()
}

impl Summary {
    fn first_ms(&self) -> f64 {
        median(self.first_each.clone())
    }
}

fn summarise(p: &Program, runs: &[Run]) -> Summary {
    let keys = p
        .keys
        .iter()
        .enumerate()
        .map(|(i, (label, _))| {
            (
                (*label).to_string(),
                median(runs.iter().map(|r| r.keys[i].1 as f64).collect()),
            )
        })
        .collect();
    let key_ms = (0..p.keys.len() + p.after.len())
        .map(|i| {
            (
                median(runs.iter().map(|r| r.key_ms[i].0).collect()),
                median(runs.iter().map(|r| r.key_ms[i].1).collect()),
            )
        })
        .collect();
    Summary {
        first_each: runs.iter().map(|r| r.first_frame_ms).collect(),
        first_byte_ms: median(runs.iter().map(|r| r.first_byte_ms).collect()),
        first_bytes: median(runs.iter().map(|r| r.first_frame_bytes as f64).collect()),
        keys,
        key_ms,
        resize_ms: p
            .resize
            .map(|_| median(runs.iter().filter_map(|r| r.resize_ms).collect())),
        peak_kb: median(runs.iter().map(|r| r.peak_kb as f64).collect()),
    }
}

/// The 1000x corpus of the search benchmark (`benches/support/synth.rs`) as a document, and
/// the same paragraphs one a line for fzf.
fn big_corpus(times: usize, dir: &Path) -> (PathBuf, PathBuf) {
    let (d, l) = (dir.join("big.txt"), dir.join("big-lines.txt"));
    std::fs::write(&d, synth::synthetic_text(times)).unwrap();
    std::fs::write(&l, synth::synthetic_lines(times)).unwrap();
    (d, l)
}

/// The median wall time of `RUNS` runs, and the lines the command printed (its hits).
fn time_command(argv: &[&str], stdin: Option<&Path>) -> (f64, usize) {
    time_command_n(argv, stdin, RUNS)
}

fn time_command_n(argv: &[&str], stdin: Option<&Path>, n: usize) -> (f64, usize) {
    let mut times = Vec::new();
    let mut lines = 0;
    for _ in 0..n {
        let mut cmd = std::process::Command::new(argv[0]);
        cmd.args(&argv[1..]).stdout(std::process::Stdio::piped());
        if let Some(f) = stdin {
            cmd.stdin(std::fs::File::open(f).unwrap());
        }
        let t = Instant::now();
        let out = cmd.output().unwrap();
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        lines = memchr::memchr_iter(b'\n', &out.stdout).count();
    }
    (median(times), lines)
}

fn main() {
    // `cargo bench` passes `--bench`; other arguments (filters) are not used here.
    // `KAIGI_BENCH_KAIGI` measures another build instead (an earlier one, for a before and
    // after in the same conditions).
    let kaigi_bin =
        std::env::var("KAIGI_BENCH_KAIGI").unwrap_or_else(|_| env!("CARGO_BIN_EXE_kaigi").into());
    let kaigi = kaigi_bin.as_str();
    let g7 = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds/000_5e00753f0cefcf0c.txt");
    let g7 = g7.to_str().unwrap().to_string();
    let mut programs = vec![
        Program::new(
            "kaigi",
            vec![kaigi.into(), "--file".into(), g7.clone()],
            vec![
                ("line", "j"),
                ("line again", "j"),
                ("page", " "),
                ("open search", "/"),
                ("search key", "r"),
                ("search key again", "a"),
            ],
            "\x1b\x1bq",
        ),
        Program::new(
            "kaigi --ambiguous narrow",
            vec![
                kaigi.into(),
                "--ambiguous".into(),
                "narrow".into(),
                "--file".into(),
                g7.clone(),
            ],
            vec![("line", "j"), ("line again", "j"), ("page", " ")],
            "q",
        ),
        Program::new(
            "kaigi (tree hidden: t)",
            vec![kaigi.into(), "--file".into(), g7.clone()],
            vec![
                ("hide tree", "t"),
                ("line", "j"),
                ("line again", "j"),
                ("page", " "),
            ],
            "q",
        ),
    ];
    if let Some(less) = which("less") {
        programs.push(Program::new(
            "less",
            vec![less.to_string_lossy().into(), g7.clone()],
            vec![("line", "j"), ("line again", "j"), ("page", " ")],
            "q",
        ));
    }
    if let Some(w3m) = which("w3m") {
        programs.push(Program::new(
            "w3m",
            vec![
                w3m.to_string_lossy().into(),
                "-T".into(),
                "text/plain".into(),
                g7.clone(),
            ],
            vec![("line", "J"), ("line again", "J"), ("page", " ")],
            "qy",
        ));
    }
    if let Some(fzf) = which("fzf") {
        // fzf reads the lines to choose from on its standard input: `sh` redirects it and
        // `exec`s fzf, so the shell costs its own start (about a millisecond) and no more.
        programs.push(Program::new(
            "fzf",
            vec![
                "/bin/sh".into(),
                "-c".into(),
                "exec \"$0\" < \"$1\"".into(),
                fzf.to_string_lossy().into(),
                g7.clone(),
            ],
            vec![("search key", "r"), ("search key again", "a")],
            "\x1b",
        ));
    }
    println!("terminal benchmark: 80x24, the G7 communiqué, median of {RUNS} runs\n");
    println!(
        "{:<24} {:>11} {:>12} {:>10}  keys (bytes written)",
        "program", "first ms", "first bytes", "peak KiB"
    );
    let mut results = Vec::new();
    for (p, s) in programs.iter().zip(measure_all(&programs)) {
        let keys: Vec<String> = s.keys.iter().map(|(l, b)| format!("{l} {b:.0}")).collect();
        println!(
            "{:<24} {:>11.2} {:>12.0} {:>10.0}  {}",
            p.name,
            s.first_ms(),
            s.first_bytes,
            s.peak_kb,
            keys.join(", ")
        );
        results.push((p.name, s));
    }
    let get = |name: &str| results.iter().find(|(n, _)| *n == name).map(|(_, s)| s);
    let key = |s: &Summary, label: &str| s.keys.iter().find(|(l, _)| l == label).map(|(_, b)| *b);
    let ratio = |a: f64, b: f64| a / b.max(0.001);
    let mut verdicts = Vec::new();
    if let Some(k) = get("kaigi") {
        if let Some(b) = key(k, "search key again") {
            println!(
                "kaigi: one keystroke typed into the search line: {b:.0} bytes (the line, the \
                 cursor at the insertion point, and the results it changes)"
            );
        }
        // What each peer is compared on besides the first frame and memory.
        for (peer, label, what) in [
            ("less", "line again", "one-line scroll"),
            ("w3m", "line again", "one-line scroll"),
            ("fzf", "search key again", "search keystroke"),
        ] {
            if let Some(o) = get(peer) {
                let bytes = |s: &Summary| key(s, label).unwrap_or(0.0);
                println!(
                    "kaigi / {peer}: first frame {:.2}x, memory {:.2}x, {what} {:.2}x",
                    ratio(k.first_ms(), o.first_ms()),
                    ratio(k.peak_kb, o.peak_kb),
                    ratio(bytes(k), bytes(o).max(1.0))
                );
            }
        }
        if let Some(o) = get("less") {
            // Runs took turns, so run i of kaigi and run i of less met the same moment of
            // the machine: compare them in pairs.
            let pairs: Vec<f64> = k
                .first_each
                .iter()
                .zip(&o.first_each)
                .map(|(a, b)| a - b)
                .collect();
            let (ahead, n) = (pairs.iter().filter(|d| **d <= 0.0).count(), pairs.len());
            let diff = median(pairs);
            println!(
                "kaigi - less, run by run: median {diff:+.2} ms; kaigi first in {ahead} of {n}"
            );
            verdicts.push(verdict(
                "first frame no later than less's",
                first_frame_verdict(ahead, n),
                &format!(
                    "{:.2} ms against {:.2} ms; {diff:+.2} ms run by run, kaigi first in {ahead} of {n}",
                    k.first_ms(),
                    o.first_ms()
                ),
            ));
        }
        if let Some(o) = get("w3m") {
            let (ours, theirs) = (
                key(k, "line again").unwrap_or(0.0),
                key(o, "line again").unwrap_or(0.0),
            );
            verdicts.push(verdict(
                "one-line scroll no more bytes than w3m's",
                word(ours <= theirs),
                &format!("{ours:.0} B against {theirs:.0} B"),
            ));
        }
        let peak = results
            .iter()
            .filter(|(n, _)| n.starts_with("kaigi"))
            .map(|(_, s)| s.peak_kb)
            .fold(0.0, f64::max);
        verdicts.push(verdict(
            "peak memory under 8 MB",
            word(peak < 8.0 * 1024.0),
            &format!("{:.1} MB at most", peak / 1024.0),
        ));
    }

    // Search at 1000x: the CLI against fzf --filter on the same paragraphs.
    let dir = std::env::temp_dir().join(format!("kaigi-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (doc, lines) = big_corpus(1000, &dir);
    let size = std::fs::metadata(&doc).map_or(0, |m| m.len());
    println!(
        "\nsearch on the 1000x corpus ({} MB, median of {RUNS} runs):",
        size / 1_000_000
    );
    let doc_s = doc.to_str().unwrap();
    let (k, k_hits) = time_command(
        &[
            kaigi,
            "--file",
            doc_s,
            "search",
            "ランサム",
            "--limit",
            "100000",
        ],
        None,
    );
    println!("  kaigi --file BIG search ランサム --limit 100000   {k:>8.1} ms   {k_hits} hits");
    if let Some(fzf) = which("fzf") {
        let (f, f_hits) = time_command(
            &[fzf.to_str().unwrap(), "--filter", "ランサム"],
            Some(&lines),
        );
        println!(
            "  fzf --filter ランサム < lines                   {f:>8.1} ms   {f_hits} lines   (kaigi / fzf = {:.2}x)",
            k / f.max(0.001)
        );
        verdicts.push(verdict(
            "search at 1000x faster than fzf --filter",
            word(k < f),
            &format!("{k:.0} ms against {f:.0} ms"),
        ));
    }
    if std::env::var("KAIGI_BENCH_LARGE").as_deref() != Ok("0") {
        large_files(kaigi, &dir, &mut verdicts);
    }
    let _ = std::fs::remove_dir_all(&dir);
    println!("\nbudgets (the ones this benchmark can judge; the rest are in BENCHMARKS.md):");
    for v in verdicts {
        println!("  {v}");
    }
}

/// Whether kaigi's first frame is no later than less's, by a sign test on the runs taken in
/// turns: "met" when kaigi was first in at least half of them, "NOT MET" when it was later in
/// so many that chance would explain it less than once in fifty (one-sided binomial,
/// p = 1/2), "parity" in between — a difference the machine's noise can make.
fn first_frame_verdict(first: usize, runs: usize) -> &'static str {
    let later = runs - first;
    // P(X >= later) for X ~ Binomial(runs, 1/2).
    let tail: f64 = (later..=runs).map(|k| binomial(runs, k)).sum::<f64>()
        / 2f64.powi(i32::try_from(runs).unwrap_or(i32::MAX));
    if 2 * first >= runs {
        "met"
    } else if tail < 0.02 {
        "NOT MET"
    } else {
        "parity"
    }
}

fn binomial(n: usize, k: usize) -> f64 {
    (0..k).fold(1.0, |acc, i| acc * (n - i) as f64 / (i + 1) as f64)
}

fn word(met: bool) -> &'static str {
    if met { "met" } else { "NOT MET" }
}

fn verdict(budget: &str, word: &str, figures: &str) -> String {
    format!("{budget:<44} {word:<8} {figures}")
}

/// Writes a generated document of `times` copies.
type Generator = fn(usize) -> String;

/// Runs of each program at each size of the large-file table: fewer than the first
/// frame's, each being seconds long at 1000x.
const LARGE_RUNS: usize = 5;

/// Both shapes of large document at 1x to 1000x, kaigi next to less (first frame) and fzf
/// (`--filter`), at 120x40. The figures that should not grow with the size: the first frame
/// against less's, peak memory per MB of file, the first `/`, a search keystroke, a resize.
fn large_files(kaigi: &str, dir: &Path, verdicts: &mut Vec<String>) {
    let less = which("less");
    let fzf = which("fzf");
    println!(
        "\nlarge files, 120x40, median of {LARGE_RUNS} runs taking turns (first frame: the first \
         byte, which both programs write with their whole first screen; `/ open`: to the first \
         byte of the line; `1st res`: the first key typed, to its results (the index built \
         meanwhile); `key`: the next key, and the resize, to the last byte of the redraw; `G`: \
         after the resize, to the end, drawn at once, the text before it laid out after; peak memory \
         once that is done):"
    );
    println!(
        "{:<9} {:>5} {:>6}  {:>8} {:>8} {:>6}  {:>8} {:>6}  {:>7} {:>8} {:>7} {:>7} {:>7}  {:>9} {:>9} {:>6}",
        "shape",
        "x",
        "MB",
        "kaigi",
        "less",
        "ratio",
        "peak MB",
        "/MB",
        "/ open",
        "1st res",
        "key",
        "resize",
        "G",
        "search",
        "fzf",
        "ratio"
    );
    let shapes: [(&str, Generator); 2] = [
        ("repeated", repeated::repeated_text),
        ("synth", synth::synthetic_text),
    ];
    for (shape, generate) in shapes {
        for times in [1usize, 10, 100, 1000] {
            let file = dir.join(format!("{shape}-{times}.txt"));
            std::fs::write(&file, generate(times)).unwrap();
            let mb = std::fs::metadata(&file).map_or(0, |m| m.len()) as f64 / 1e6;
            let f = file.to_str().unwrap().to_string();
            let mut programs = vec![Program {
                size: (120, 40),
                resize: Some((100, 40)),
                ..Program::new(
                    "kaigi",
                    vec![kaigi.into(), "--file".into(), f.clone()],
                    vec![
                        ("open search", "/"),
                        ("search key", "r"),
                        ("search key again", "a"),
                        ("close", "\x1b\x1b"),
                    ],
                    "q",
                )
            }];
            // After the resize, `G`, which lays out the end at once and the text before it
            // between keys: the peak of memory is taken once that is done (it draws nothing:
            // a wait longer than it takes at 1000x), with everything built (text, layout,
            // search index).
            programs[0].after = vec![("end", "G")];
            programs[0].settle = Duration::from_millis(if times >= 1000 { 4000 } else { 1000 });
            if let Some(less) = &less {
                programs.push(Program {
                    size: (120, 40),
                    ..Program::new(
                        "less",
                        vec![less.to_string_lossy().into(), f.clone()],
                        vec![],
                        "q",
                    )
                });
            }
            let results = measure_all_n(&programs, LARGE_RUNS);
            let k = &results[0];
            let l = results.get(1);
            let (search, _) = time_command_n(
                &[
                    kaigi,
                    "--file",
                    &f,
                    "search",
                    "ランサム",
                    "--limit",
                    "100000",
                ],
                None,
                LARGE_RUNS,
            );
            let fz = fzf.as_ref().map(|z| {
                time_command_n(
                    &[z.to_str().unwrap(), "--filter", "ランサム"],
                    Some(&file),
                    LARGE_RUNS,
                )
                .0
            });
            let less_ms = l.map_or(0.0, |l| l.first_byte_ms);
            let first_ratio = k.first_byte_ms / less_ms.max(0.001);
            // Megabytes of 10^6 bytes, as the file's size is counted (KiB / 1024 would be MiB,
            // 4.9% less: a ratio of MiB to MB read 3.04x where it is 3.18x).
            let peak_mb = k.peak_kb * 1024.0 / 1e6;
            let open = k.key_ms.first().copied().unwrap_or_default();
            // The later of the two search keys (the first may wait for the index).
            let key = k.key_ms.get(2).map_or(0.0, |t| t.1);
            let resize = k.resize_ms.unwrap_or(0.0);
            println!(
                "{shape:<9} {times:>5} {mb:>6.1}  {:>8.1} {:>8.1} {:>5.1}x  {peak_mb:>8.1} {:>6.2}  {:>7.1} {:>8.1} {key:>7.1} {resize:>7.1} {:>7.1}  {search:>9.1} {:>9} {:>6}",
                k.first_byte_ms,
                less_ms,
                first_ratio,
                peak_mb / mb.max(0.001),
                open.0,
                k.key_ms.get(1).map_or(0.0, |t| t.1),
                k.key_ms.get(4).map_or(0.0, |t| t.1),
                fz.map_or_else(|| "-".to_string(), |f| format!("{f:.1}")),
                fz.map_or_else(
                    || "-".to_string(),
                    |f| format!("{:.2}x", search / f.max(0.001))
                ),
            );
            if times == 1000 && shape == "repeated" {
                if l.is_some() {
                    verdicts.push(verdict(
                        "1000x: first frame no more than 5x less's",
                        word(first_ratio <= 5.0),
                        &format!(
                            "{:.1} ms against {less_ms:.1} ms ({first_ratio:.1}x)",
                            k.first_byte_ms
                        ),
                    ));
                }
                verdicts.push(verdict(
                    "1000x: peak memory no more than 3x the file",
                    word(peak_mb <= 3.0 * mb),
                    &format!(
                        "{peak_mb:.0} MB for {mb:.0} MB ({:.2}x)",
                        peak_mb / mb.max(0.001)
                    ),
                ));
                if let Some(f) = fz {
                    verdicts.push(verdict(
                        "1000x: kaigi search no slower than fzf --filter",
                        word(search <= f),
                        &format!("{search:.0} ms against {f:.0} ms"),
                    ));
                }
                verdicts.push(verdict(
                    "1000x: first / and a search key within 16 ms",
                    word(open.0 <= 16.0 && key <= 16.0),
                    &format!("/ {:.1} ms, key {key:.1} ms", open.0),
                ));
                verdicts.push(verdict(
                    "1000x: a resize redrawn within 100 ms",
                    word(resize <= 100.0),
                    &format!("{resize:.1} ms"),
                ));
            }
            let _ = std::fs::remove_file(&file);
        }
    }
}
