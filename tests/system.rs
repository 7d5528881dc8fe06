//! kaigi on a real system: files in the usual Japanese encodings, any source bounded,
//! standard input, clean errors, TERM, the config file, the man page and completions, the
//! pager.

#![allow(clippy::unwrap_used)]

mod common;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::{CursorReply, Session, TIMEOUT};
use kaigi::corpus::{EMBEDDED, Encoding, load_bytes, load_file_as};

const KAIGI: &str = env!("CARGO_BIN_EXE_kaigi");

fn kaigi_cmd(args: &[&str]) -> Command {
    let mut cmd = common::kaigi_command();
    cmd.args(args).env_remove("NO_COLOR");
    cmd
}

fn kaigi(args: &[&str]) -> Output {
    kaigi_cmd(args).output().expect("run kaigi")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kaigi-system-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).expect("write");
    p
}

fn encode(text: &str, enc: Encoding) -> Vec<u8> {
    let utf16 = |le: bool| {
        let mut out = if le {
            vec![0xFF, 0xFE]
        } else {
            vec![0xFE, 0xFF]
        };
        for u in text.encode_utf16() {
            out.extend(if le { u.to_le_bytes() } else { u.to_be_bytes() });
        }
        out
    };
    let with = |e: &'static encoding_rs::Encoding| {
        let (bytes, _, unmappable) = e.encode(text);
        assert!(!unmappable, "{} cannot encode the text", e.name());
        bytes.into_owned()
    };
    match enc {
        Encoding::Utf8 => [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
        Encoding::ShiftJis => with(encoding_rs::SHIFT_JIS),
        Encoding::EucJp => with(encoding_rs::EUC_JP),
        Encoding::Utf16Le => utf16(true),
        Encoding::Utf16Be => utf16(false),
    }
}

/// Each seed in each encoding, loaded from a file, has the nodes of its UTF-8 load, character
/// for character.
#[test]
fn every_encoding_of_both_seeds_keeps_every_character() {
    let dir = temp_dir("enc");
    for (id, name, text) in EMBEDDED {
        let want = load_bytes(id, name, text.as_bytes()).expect("utf-8 seed");
        for enc in Encoding::ALL {
            let p = write(
                &dir,
                &format!("{id}-{}.txt", enc.arg_name()),
                &encode(text, enc),
            );
            let got = load_file_as(&p, id).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(got.encoding, enc, "{id} in {}", enc.name());
            assert_eq!(got.nodes.len(), want.nodes.len(), "{id} in {}", enc.name());
            for (g, w) in got.nodes.iter().zip(&want.nodes) {
                assert_eq!((&g.id, &g.text), (&w.id, &w.text), "{id} in {}", enc.name());
            }
            assert_eq!((&got.title, got.date), (&want.title, want.date));
        }
    }
}

#[test]
fn outline_says_which_encoding() {
    let dir = temp_dir("outline-enc");
    let sjis = write(
        &dir,
        "g7-sjis.txt",
        &encode(EMBEDDED[0].2, Encoding::ShiftJis),
    );
    let euc = write(&dir, "cri-euc.txt", &encode(EMBEDDED[1].2, Encoding::EucJp));
    let (sjis, euc) = (sjis.to_str().unwrap(), euc.to_str().unwrap());
    let o = kaigi(&["--file", sjis, "--file", euc, "outline"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let headers: Vec<&str> = out.lines().filter(|l| !l.starts_with(' ')).collect();
    assert_eq!(
        headers,
        [
            "g7-sjis  G7内務・安全担当大臣コミュニケ  2023-12-10  (Shift_JIS)",
            "cri-euc  「カウンターランサムウェア・イニシアティブ会合」への参加  2023-11-02  (EUC-JP)"
        ]
    );
    let o = kaigi(&["--file", sjis, "outline", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(v["documents"][0]["encoding"], "Shift_JIS");
    let o = kaigi(&["outline", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(v["documents"][0]["encoding"], "UTF-8");
}

#[test]
fn encoding_can_be_forced() {
    let dir = temp_dir("forced");
    let text = EMBEDDED[1].2;
    let sjis = write(&dir, "cri.txt", &encode(text, Encoding::ShiftJis));
    let sjis = sjis.to_str().unwrap();
    // Forced wrong: refused, with the encoding named.
    let o = kaigi(&["--file", sjis, "--encoding", "euc-jp", "outline"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.starts_with(&format!(
            "kaigi: {sjis}: not EUC-JP text (invalid byte at offset "
        )),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
    // UTF-16 without a byte order mark is read only when asked for.
    let le = encode(text, Encoding::Utf16Le);
    let bare = write(&dir, "cri16.txt", &le[2..]);
    let bare = bare.to_str().unwrap();
    let o = kaigi(&["--file", bare, "outline"]);
    assert_eq!(o.status.code(), Some(2), "NUL bytes: binary");
    let o = kaigi(&["outline", "--file", bare, "--encoding", "utf-16le"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).starts_with("cri16  「カウンターランサムウェア"));
    let o = kaigi(&["--file", sjis, "--encoding", "latin1", "outline"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn undecodable_file_says_what_was_tried_and_how_to_convert() {
    let dir = temp_dir("undecodable");
    let p = write(&dir, "mixed.txt", b"\x82\xa0 abc \xff\xfe\xfd");
    let p = p.to_str().unwrap();
    let o = kaigi(&["--file", p, "outline"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("not UTF-8 text (invalid byte at offset 0)"),
        "{err}"
    );
    assert!(err.contains("Shift_JIS") && err.contains("EUC-JP"), "{err}");
    assert!(
        err.contains(&format!("iconv -c -f CP932 -t UTF-8 {p} | kaigi --file -")),
        "{err}"
    );
}

fn max_child_rss_kib() -> i64 {
    nix::sys::resource::getrusage(nix::sys::resource::UsageWho::RUSAGE_CHILDREN)
        .map_or(0, |u| u.max_rss())
}

/// /dev/zero reports a size of 0: the limit must hold while reading, not only by the size.
#[test]
fn dev_zero_is_bounded() {
    let start = Instant::now();
    let o = kaigi(&["--file", "/dev/zero", "outline"]);
    let took = start.elapsed();
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "kaigi: /dev/zero: more than 67108864 bytes, larger than the limit of 64 MiB\n"
    );
    assert!(o.stdout.is_empty());
    // Generous bounds: it takes a few hundredths of a second and about 70 MB.
    assert!(took < Duration::from_secs(10), "{took:?}");
    let rss = max_child_rss_kib();
    assert!(rss < 100 * 1024, "{rss} KiB");
}

fn fifo(dir: &Path, name: &str) -> PathBuf {
    let p = dir.join(name);
    let _ = std::fs::remove_file(&p);
    rustix::fs::mkfifoat(rustix::fs::CWD, &p, rustix::fs::Mode::from_raw_mode(0o600))
        .expect("mkfifo");
    p
}

/// Reads `from` until `needle` has arrived (or the timeout).
fn read_until(from: &mut impl Read, needle: &str) -> String {
    let start = Instant::now();
    let mut got = Vec::new();
    let mut buf = [0u8; 256];
    while !String::from_utf8_lossy(&got).contains(needle) {
        assert!(start.elapsed() < TIMEOUT, "no {needle:?} in {got:?}");
        match from.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => got.extend_from_slice(&buf[..n]),
        }
    }
    String::from_utf8_lossy(&got).into_owned()
}

/// A FIFO with no writer: kaigi says it is waiting, then reads what a writer sends.
#[test]
fn fifo_without_a_writer_says_it_is_waiting() {
    let dir = temp_dir("fifo");
    let p = fifo(&dir, "doc.fifo");
    let path = p.to_str().unwrap();
    let mut child = kaigi_cmd(&["--file", path, "outline"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut err = child.stderr.take().unwrap();
    let said = read_until(&mut err, "\n");
    assert_eq!(said, format!("kaigi: waiting for input on {path}…\n"));
    let mut w = std::fs::OpenOptions::new()
        .write(true)
        .open(&p)
        .expect("writer");
    w.write_all(EMBEDDED[1].2.as_bytes()).expect("write");
    drop(w);
    let o = child.wait_with_output().expect("wait");
    assert!(o.status.success());
    assert!(stdout(&o).starts_with("doc  「カウンターランサムウェア"));
}

/// A FIFO that never stops: the limit holds.
#[test]
fn endless_fifo_is_bounded() {
    let dir = temp_dir("fifo-endless");
    let p = fifo(&dir, "zero.fifo");
    let child = kaigi_cmd(&["--file", p.to_str().unwrap(), "outline"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let writer = std::thread::spawn(move || {
        let mut w = std::fs::OpenOptions::new()
            .write(true)
            .open(&p)
            .expect("writer");
        let chunk = vec![b'a'; 1 << 16];
        // Ends when kaigi stops reading (EPIPE).
        while w.write_all(&chunk).is_ok() {}
    });
    let o = child.wait_with_output().expect("wait");
    writer.join().expect("writer");
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("larger than the limit of 64 MiB"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn stdin_is_a_document() {
    let run = |input: &[u8], args: &[&str]| {
        let mut child = kaigi_cmd(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn");
        let mut stdin = child.stdin.take().unwrap();
        let input = input.to_vec();
        let feeder = std::thread::spawn(move || {
            let _ = stdin.write_all(&input);
        });
        let o = child.wait_with_output().expect("wait");
        feeder.join().expect("feeder");
        o
    };
    let o = run(
        &encode(EMBEDDED[0].2, Encoding::EucJp),
        &["--file", "-", "outline"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.starts_with("stdin  G7内務・安全担当大臣コミュニケ  2023-12-10  (EUC-JP)\n"),
        "{out}"
    );
    assert!(out.contains("    stdin:23  23 我々は、"));
    let o = run(
        EMBEDDED[0].2.as_bytes(),
        &["show", "stdin:23", "--file", "-"],
    );
    assert!(stdout(&o).starts_with("23. 我々は、国際"), "{}", stderr(&o));
    // Errors name it `stdin`, and it can be read only once.
    let o = run(b"", &["--file", "-", "outline"]);
    assert_eq!(stderr(&o), "kaigi: stdin: the file is empty\n");
    let o = run(b"x", &["--file", "-", "--file", "-", "outline"]);
    assert_eq!(
        stderr(&o),
        "kaigi: stdin: standard input can be read only once\n"
    );
}

/// Text from the command line never reaches the terminal raw in an error.
#[test]
fn errors_escape_what_the_user_typed() {
    let hostile = "nope\x1b]0;PWNED\x07.txt";
    for args in [
        vec!["--file", hostile, "outline"],
        vec!["show", hostile],
        vec!["--goto", hostile],
        vec!["--color", hostile],
        vec!["--config", hostile, "outline"],
        vec!["--encoding", hostile, "outline"],
    ] {
        let o = kaigi(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = stderr(&o);
        assert!(
            !err.contains('\x1b') && !err.contains('\x07'),
            "{args:?}: {err:?}"
        );
    }
    let o = kaigi(&["--file", hostile, "outline"]);
    assert_eq!(stderr(&o), "kaigi: nope^[]0;PWNED^G.txt: no such file\n");
    let o = kaigi(&["--config", hostile, "outline"]);
    assert_eq!(stderr(&o), "kaigi: nope^[]0;PWNED^G.txt: no such file\n");
}

fn config_file(name: &str, text: &str) -> PathBuf {
    write(&temp_dir("config"), name, text.as_bytes())
}

/// Every kind of bad config: one line naming the file and the line, exit 2, nothing on stdout.
#[test]
fn every_config_error_names_file_and_line() {
    for (text, line, says) in [
        (
            "color = \"never\"\nfrobnicate = true\n",
            2,
            "unknown field `frobnicate`",
        ),
        ("\nambiguous = \"wider\"\n", 2, "unknown variant `wider`"),
        (
            "ascii = \"yes\"\n",
            1,
            "invalid type: string \"yes\", expected a boolean",
        ),
        ("color = \"never\"\n[keys\n", 2, ""),
        (
            "color = \"never\"\ncolor = \"always\"\n",
            2,
            "duplicate key",
        ),
        (
            "[keys]\nx = \"fly\"\n",
            2,
            "[keys] \"fly\" is not an action",
        ),
        ("[keys]\n\"ctrl-\" = \"quit\"\n", 2, "not a key: \"ctrl-\""),
        (
            "[keys]\n\n\nx = \"accept\"\n",
            4,
            "x would be typed, not run",
        ),
        (
            "[theme]\nheading = \"purple\"\n",
            2,
            "\"purple\" is not a colour",
        ),
        ("[theme]\nbody = \"red\"\n", 2, "\"body\" is not a style"),
        ("encoding = \"latin1\"\n", 1, "unknown variant `latin1`"),
    ] {
        let p = config_file("bad.toml", text);
        let path = p.to_str().unwrap();
        for args in [
            vec!["--config", path, "outline"],
            vec!["--config", path],
            vec!["show", "23", "--config", path],
        ] {
            let o = kaigi(&args);
            assert_eq!(o.status.code(), Some(2), "{text:?} {args:?}");
            let err = stderr(&o);
            assert!(
                err.starts_with(&format!("kaigi: {path}:{line}: ")),
                "{text:?}: {err}"
            );
            assert!(err.contains(says), "{text:?}: {err}");
            assert_eq!(err.lines().count(), 1, "{text:?}: {err}");
            assert!(o.stdout.is_empty());
        }
    }
    // Not UTF-8, and a config file given that is not there.
    let p = config_file("latin1.toml", "");
    std::fs::write(&p, b"color = \"n\xe9ver\"\n").expect("write");
    let o = kaigi(&["--config", p.to_str().unwrap(), "outline"]);
    assert!(stderr(&o).contains(":1: not UTF-8"), "{}", stderr(&o));
    let o = kaigi_cmd(&["outline"])
        .env("KAIGI_CONFIG", "/no/such/kaigi.toml")
        .output()
        .expect("run");
    assert_eq!(stderr(&o), "kaigi: /no/such/kaigi.toml: no such file\n");
}

#[test]
fn config_settings_apply_and_the_command_line_wins() {
    let home = temp_dir("xdg");
    std::fs::create_dir_all(home.join("kaigi")).expect("dir");
    write(
        &home.join("kaigi"),
        "config.toml",
        b"color = \"always\"\nambiguous = \"wide\"\n",
    );
    let run = |args: &[&str]| {
        kaigi_cmd(args)
            .env("XDG_CONFIG_HOME", &home)
            .output()
            .expect("run")
    };
    let colour = |o: &Output| o.stdout.contains(&0x1b);
    // The default place is read: colour to a pipe, and ASCII (ambiguous = wide: outline's
    // cut lines end in "..." rather than "…").
    let o = run(&["show", "g7:VII"]);
    assert!(colour(&o), "{}", stderr(&o));
    let o = run(&["outline"]);
    assert!(stdout(&o).contains("...") && !stdout(&o).contains('…'));
    // The command line wins; --no-config and KAIGI_CONFIG are obeyed.
    assert!(!colour(&run(&["show", "g7:VII", "--color", "never"])));
    let o = run(&["outline", "--ambiguous", "narrow"]);
    assert!(stdout(&o).contains('…'));
    let o = run(&["--no-config", "show", "g7:VII"]);
    assert!(!colour(&o));
    let other = config_file("other.toml", "color = \"never\"\n");
    let o = kaigi_cmd(&["show", "g7:VII"])
        .env("XDG_CONFIG_HOME", &home)
        .env("KAIGI_CONFIG", &other)
        .output()
        .expect("run");
    assert!(!colour(&o));
    // `kaigi config` says which file it reads.
    let o = run(&["config"]);
    assert_eq!(
        stdout(&o),
        format!("{}\n", home.join("kaigi/config.toml").display())
    );
}

/// The default config is a valid config that changes nothing, and every line of it, once
/// uncommented, is valid too.
#[test]
fn default_config_lists_everything_and_is_valid() {
    let o = kaigi(&["config", "--default"]);
    assert!(o.status.success());
    let text = stdout(&o);
    for want in [
        "# ambiguous = \"auto\"",
        "# color = \"auto\"",
        "# ascii = false",
        "# tree = true",
        "# encoding = \"shift_jis\"",
        "[keys]",
        "# q = \"quit\"",
        "# ctrl-d = \"half-page-down\"",
        "[theme]",
        "# heading = \"green bold\"",
    ] {
        assert!(text.lines().any(|l| l.starts_with(want)), "{want} missing");
    }
    let p = config_file("default.toml", &text);
    let o = kaigi(&["--config", p.to_str().unwrap(), "show", "23"]);
    assert!(o.status.success(), "{}", stderr(&o));
    // Uncomment every setting and binding line (one binding a key, so the first of each).
    let mut seen = std::collections::HashSet::new();
    let uncommented: String = text
        .lines()
        .map(|l| {
            let body = l.strip_prefix("# ").unwrap_or(l);
            let is_entry = body.contains(" = ") && !body.starts_with(char::is_uppercase)
                || body.starts_with("G =");
            let key = body.split(" = ").next().unwrap_or("").to_string();
            if l.starts_with("# ") && is_entry && seen.insert(key) && !body.starts_with("file") {
                format!("{}\n", body.split("  #").next().unwrap_or(""))
            } else if l.starts_with('[') {
                format!("{l}\n")
            } else {
                String::new()
            }
        })
        .collect();
    let p = config_file("uncommented.toml", &uncommented);
    let o = kaigi(&["--config", p.to_str().unwrap(), "show", "23"]);
    assert!(o.status.success(), "{uncommented}\n{}", stderr(&o));
}

/// `[keys]` in the config file: the help shows the new key, and the key works.
#[test]
fn a_key_bound_in_the_config_shows_in_help_and_works() {
    let p = config_file("keys.toml", "[keys]\nx = \"quit\"\n\"ctrl-j\" = \"down\"\n");
    // Tall enough for the help's first section on one screen.
    let mut s = Session::start(&["--config", p.to_str().unwrap()], 100, 60);
    s.wait_text("G7内務");
    s.send("?");
    s.wait_text("q Ctrl-c x");
    s.send("\x1b");
    s.wait_for("help closed", |sc| !sc.contents().contains("q Ctrl-c x"));
    // Ctrl-j scrolls as j does.
    s.send("\n");
    s.wait_for("a line down", |sc| {
        sc.contents()
            .lines()
            .nth(1)
            .is_some_and(|l| l.contains("2023年12月10日"))
    });
    s.send("x");
    assert_eq!(s.wait_exit(), 0);
    s.assert_restored();
}

#[test]
fn man_page_and_completions() {
    let o = kaigi(&["--generate", "man"]);
    assert!(o.status.success());
    let man = stdout(&o);
    assert!(man.lines().any(|l| l.starts_with(".TH kaigi")), "{man}");
    for want in [
        ".SH KEYS",
        ".SH FILES",
        "config.toml",
        "XDG_STATE_HOME",
        ".SH OPTIONS",
    ] {
        assert!(man.contains(want), "{want} missing");
    }
    // Every binding's keys, from the key table (read back from roff's escapes).
    let plain = man
        .replace("\\-", "-")
        .replace("\\(aq", "'")
        .replace("\\*(Aq", "'")
        .replace("\\(ga", "`")
        .replace("\\&", "")
        .replace("\\e", "\\");
    for (_, rows) in kaigi::tui::keymap::Keymap::default().help_sections() {
        for (keys, _, name) in rows {
            assert!(plain.contains(&keys), "{keys} missing from KEYS");
            assert!(plain.contains(&format!("({name})")), "{name}");
        }
    }
    let o = kaigi(&["--generate", "complete-bash"]);
    assert!(stdout(&o).contains("_kaigi()"), "{}", stdout(&o));
    for shell in ["zsh", "fish", "elvish", "powershell"] {
        let o = kaigi(&["--generate", &format!("complete-{shell}")]);
        assert!(
            o.status.success() && stdout(&o).contains("kaigi"),
            "{shell}"
        );
    }
    let o = kaigi(&["--help"]);
    let help = stdout(&o);
    assert!(
        help.trim_end()
            .lines()
            .last()
            .unwrap_or("")
            .contains("press ?")
            && help.contains("--generate man"),
        "{help}"
    );
}

fn no_escape_byte(s: &Session) -> bool {
    !s.raw.lock().unwrap().contains(&0x1b)
}

/// TERM=dumb or unset: the browser says why it cannot run, names what works, and writes no
/// escape byte.
#[test]
fn dumb_terminal_is_refused_plainly() {
    for (set, unset) in [(vec![("TERM", "dumb")], vec![]), (vec![], vec!["TERM"])] {
        let mut s =
            Session::start_program_without(KAIGI, &[], 80, 24, CursorReply::Narrow, &set, &unset);
        s.wait_text("can move the cursor");
        assert_eq!(s.wait_exit(), 2);
        let screen = s.screen_text();
        for cmd in ["show", "search", "outline", "participants"] {
            assert!(screen.contains(&format!("kaigi {cmd}")), "{screen}");
        }
        assert!(no_escape_byte(&s), "{set:?} {unset:?}");
    }
    // LANG=C is no reason to refuse.
    let mut s = Session::start_with(
        &[],
        80,
        24,
        CursorReply::Narrow,
        &[("LANG", "C"), ("LC_ALL", "C")],
    );
    s.wait_text("G7内務");
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
}

#[test]
fn mono_terminal_gets_no_colour() {
    let mut s = Session::start_with(&[], 80, 24, CursorReply::Narrow, &[("TERM", "xterm-mono")]);
    s.wait_text("G7内務");
    s.send("/ランサム");
    s.wait_text("search › ");
    s.wait_text("g7:23");
    // Enter: the reader with every match highlighted (bold and underlined, no colour).
    s.send("\r");
    s.wait_text("1 of ");
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
    assert!(
        !common::has_colour(&s.raw.lock().unwrap()),
        "colour on a mono terminal"
    );
    // The same session on a colour terminal has colour (the check can fail).
    let mut s = Session::start(&[], 80, 24);
    s.wait_text("G7内務");
    s.send("q");
    s.wait_exit();
    assert!(common::has_colour(&s.raw.lock().unwrap()));
    // And `show` to a mono terminal.
    let mut s = Session::start_with(
        &["show", "g7:1", "--no-pager"],
        80,
        24,
        CursorReply::Narrow,
        &[("TERM", "vt100")],
    );
    s.wait_text("1.");
    s.wait_exit();
    assert!(no_escape_byte(&s));
}

/// When this test binary is started with `KAIGI_TEST_PIPE` set, it is a helper: it runs kaigi
/// with the rest of its environment and a pipe for standard input carrying the file named by
/// `KAIGI_TEST_PIPE`, as `cat FILE | kaigi …` would, in the terminal it was started in.
#[test]
fn pipe_helper() {
    let Some(file) = std::env::var_os("KAIGI_TEST_PIPE") else {
        return;
    };
    let args: Vec<String> = std::env::var("KAIGI_TEST_ARGS")
        .unwrap_or_default()
        .split_whitespace()
        .map(String::from)
        .collect();
    let mut child = Command::new(KAIGI)
        .args(&args)
        .stdin(Stdio::piped())
        .spawn()
        .expect("spawn kaigi");
    let mut stdin = child.stdin.take().unwrap();
    stdin
        .write_all(&std::fs::read(file).expect("read"))
        .expect("write");
    drop(stdin);
    let status = child.wait().expect("wait");
    std::process::exit(status.code().unwrap_or(1));
}

/// `cat DOC | kaigi ARGS` in a pty, through [`pipe_helper`].
fn piped(doc: &Path, args: &str) -> Session {
    let me = std::env::current_exe().expect("test binary");
    Session::start_program(
        me.to_str().unwrap(),
        &[
            "--exact",
            "pipe_helper",
            "--nocapture",
            "--test-threads",
            "1",
        ],
        80,
        24,
        CursorReply::Narrow,
        &[
            ("KAIGI_TEST_PIPE", doc.to_str().unwrap()),
            ("KAIGI_TEST_ARGS", args),
        ],
    )
}

/// `cat doc | kaigi --file -`: the browser shows the piped document and takes its keys from
/// the terminal.
#[test]
fn browser_reads_a_piped_document_and_keys_from_the_terminal() {
    let dir = temp_dir("piped");
    let doc = write(&dir, "doc.txt", &encode(EMBEDDED[1].2, Encoding::ShiftJis));
    let mut s = piped(&doc, "--file -");
    s.wait_text("カウンターランサムウェア");
    s.send(":3\r");
    s.wait_text("stdin:3");
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
    s.assert_restored();
    // Without --file -, a piped stdin is refused with a hint.
    let mut s = piped(&doc, "");
    s.wait_text("--file -");
    assert_ne!(s.wait_exit(), 0);
}

/// A pager that records what it is given: a shell script of builtins only.
fn fake_pager(dir: &Path, name: &str) -> (PathBuf, PathBuf) {
    let out = dir.join(format!("{name}.out"));
    let _ = std::fs::remove_file(&out);
    let script = dir.join(name);
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nwhile IFS= read -r line; do printf '%s\\n' \"$line\"; done > '{}'\n",
            out.display()
        ),
    )
    .expect("script");
    let mut perm = std::fs::metadata(&script).expect("meta").permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perm, 0o755);
    std::fs::set_permissions(&script, perm).expect("chmod");
    (script, out)
}

#[test]
fn long_output_goes_through_the_pager() {
    let dir = temp_dir("pager");
    let (kaigi_pager, kaigi_out) = fake_pager(&dir, "kaigi-pager");
    let (pager, pager_out) = fake_pager(&dir, "pager");
    let want = stdout(&kaigi(&["show", "g7", "--width", "80"]));
    // KAIGI_PAGER first, then PAGER.
    let mut s = Session::start_with(
        &["show", "g7", "--color", "never"],
        80,
        24,
        CursorReply::Narrow,
        &[
            ("KAIGI_PAGER", kaigi_pager.to_str().unwrap()),
            ("PAGER", pager.to_str().unwrap()),
        ],
    );
    assert_eq!(s.wait_exit(), 0);
    assert_eq!(std::fs::read_to_string(&kaigi_out).expect("paged"), want);
    assert!(!pager_out.exists());
    let mut s = Session::start_with(
        &["outline"],
        80,
        24,
        CursorReply::Narrow,
        &[("PAGER", pager.to_str().unwrap())],
    );
    assert_eq!(s.wait_exit(), 0);
    let paged = std::fs::read_to_string(&pager_out).expect("paged");
    assert!(paged.starts_with("g7  G7内務"), "{paged}");
    std::fs::remove_file(&pager_out).expect("rm");
    // Short output, --no-pager, and a pipe: no pager.
    for args in [vec!["show", "g7:23"], vec!["show", "g7", "--no-pager"]] {
        let mut s = Session::start_with(
            &args,
            80,
            24,
            CursorReply::Narrow,
            &[("PAGER", pager.to_str().unwrap())],
        );
        s.wait_exit();
        assert!(!pager_out.exists(), "{args:?}");
    }
    let o = kaigi_cmd(&["show", "g7"])
        .env("PAGER", &pager)
        .output()
        .expect("run");
    assert_eq!(stdout(&o), want);
    assert!(!pager_out.exists());
    // A pager that cannot start: printed straight.
    let mut s = Session::start_with(
        &["show", "g7", "--color", "never"],
        80,
        24,
        CursorReply::Narrow,
        &[("PAGER", "/no/such/pager")],
    );
    assert_eq!(s.wait_exit(), 0);
    assert!(s.screen_text().contains("37."), "{}", s.screen_text());
}

/// `[theme]` in the config file changes how the reader draws: a heading in reverse video, the
/// title without its default underline — attributes drawn with colour off too.
#[test]
fn a_theme_in_the_config_is_drawn() {
    let p = config_file(
        "theme.toml",
        "[theme]\nheading = \"red reverse\"\ntitle = \"none\"\n",
    );
    let mut s = Session::start(
        &["--config", p.to_str().unwrap(), "--color", "never"],
        80,
        24,
    );
    s.wait_text("前文");
    s.wait_for("the heading in reverse, the title plain", |sc| {
        let (Some((hr, hc)), Some((tr, tc))) = (
            common::find_in_reader(sc, "前文"),
            common::find_in_reader(sc, "G7内務"),
        ) else {
            return false;
        };
        let heading = sc.cell(hr, hc).is_some_and(vt100::Cell::inverse);
        let title = sc
            .cell(tr, tc)
            .is_some_and(|c| !c.underline() && !c.bold() && !c.inverse());
        heading && title
    });
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
    // Without the config, the same title is bold and underlined, the heading not reversed.
    let mut s = Session::start(&["--no-config", "--color", "never"], 80, 24);
    s.wait_text("前文");
    s.wait_for("the default looks", |sc| {
        let (Some((hr, hc)), Some((tr, tc))) = (
            common::find_in_reader(sc, "前文"),
            common::find_in_reader(sc, "G7内務"),
        ) else {
            return false;
        };
        sc.cell(hr, hc).is_some_and(|c| !c.inverse() && c.bold())
            && sc.cell(tr, tc).is_some_and(|c| c.underline() && c.bold())
    });
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
}
