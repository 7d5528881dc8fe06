//! The CLI's edges: the `--json` shapes as the README documents them, as each subcommand's
//! `--help` describes them and as the binary prints them, all three the same; and error lines
//! that carry nothing a terminal would obey.

mod common;

use std::collections::BTreeSet;

use serde_json::Value;

fn kaigi(args: &[&str]) -> std::process::Output {
    common::kaigi_command()
        .args(args)
        .output()
        .expect("run kaigi")
}

/// A shape as the README writes it: `{"id","label"?,"children":[node]}`, `[{...}]`, `[...]`.
#[derive(Debug, Clone, PartialEq)]
enum Shape {
    /// Fields in order: name, may be absent, the shape of the value.
    Object(Vec<(String, bool, Shape)>),
    Array(Box<Shape>),
    /// A name for another shape (`node`), defined by the next span.
    Named(String),
    /// `...`, or a field without `:`: anything.
    Any,
}

struct Parser<'a> {
    s: &'a [u8],
    at: usize,
}

impl Parser<'_> {
    fn eat(&mut self, c: u8) -> bool {
        if self.s.get(self.at) == Some(&c) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, c: u8) {
        assert!(
            self.eat(c),
            "expected {:?} at {} in {}",
            c as char,
            self.at,
            String::from_utf8_lossy(self.s)
        );
    }

    fn value(&mut self) -> Shape {
        if self.eat(b'{') {
            let mut fields = Vec::new();
            loop {
                self.expect(b'"');
                let start = self.at;
                while self.s.get(self.at).is_some_and(|&c| c != b'"') {
                    self.at += 1;
                }
                let name = String::from_utf8_lossy(&self.s[start..self.at]).into_owned();
                self.expect(b'"');
                let optional = self.eat(b'?');
                let shape = if self.eat(b':') {
                    self.value()
                } else {
                    Shape::Any
                };
                fields.push((name, optional, shape));
                if !self.eat(b',') {
                    break;
                }
            }
            self.expect(b'}');
            Shape::Object(fields)
        } else if self.eat(b'[') {
            let inner = if self.s[self.at..].starts_with(b"...") {
                self.at += 3;
                Shape::Any
            } else {
                self.value()
            };
            self.expect(b']');
            Shape::Array(Box::new(inner))
        } else {
            let start = self.at;
            while self.s.get(self.at).is_some_and(u8::is_ascii_lowercase) {
                self.at += 1;
            }
            assert!(self.at > start, "a shape at {start}");
            Shape::Named(String::from_utf8_lossy(&self.s[start..self.at]).into_owned())
        }
    }
}

fn parse(span: &str) -> Shape {
    let mut p = Parser {
        s: span.as_bytes(),
        at: 0,
    };
    let shape = p.value();
    assert_eq!(p.at, span.len(), "trailing text in {span}");
    shape
}

/// The shapes in a text: every bracketed run that starts `{"`, `[{` or `["`, in order.
fn shapes_in(text: &str) -> Vec<String> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i + 1 < b.len() {
        let opens = matches!((b[i], b[i + 1]), (b'{' | b'[', b'"') | (b'[', b'{'));
        if !opens {
            i += 1;
            continue;
        }
        let mut depth = 0usize;
        let mut j = i;
        while j < b.len() {
            match b[j] {
                b'{' | b'[' => depth += 1,
                b'}' | b']' => depth -= 1,
                _ => {}
            }
            j += 1;
            if depth == 0 {
                break;
            }
        }
        out.push(text[i..j].to_string());
        i = j;
    }
    out
}

/// The README's bullet for `command --json`, from its first line to the next bullet.
fn readme_bullet(command: &str) -> String {
    let readme = include_str!("../README.md");
    let head = format!("- `{command} --json`:");
    let start = readme
        .find(&head)
        .unwrap_or_else(|| panic!("README documents `{command} --json`"));
    let rest = &readme[start + head.len()..];
    let end = rest
        .find("\n- ")
        .or_else(|| rest.find("\n\n"))
        .unwrap_or(rest.len());
    rest[..end].to_string()
}

/// What `command --help` says after `--json`.
fn help_for_json(command: &str) -> String {
    let o = kaigi(&[command, "--help"]);
    assert!(o.status.success());
    let help = String::from_utf8_lossy(&o.stdout).into_owned();
    let at = help.find("--json").expect("--json in help");
    let rest = &help[at..];
    // The option's description runs to the next blank line.
    rest[..rest.find("\n\n").unwrap_or(rest.len())].to_string()
}

/// Checks `value` against `shape`, collecting into `seen` every optional field that appeared
/// (as `path`), and into `optional` every optional field the shape has.
fn check(
    value: &Value,
    shape: &Shape,
    named: &[(String, Shape)],
    path: &str,
    seen: &mut BTreeSet<String>,
    optional: &mut BTreeSet<String>,
) {
    match shape {
        Shape::Any => {}
        Shape::Named(name) => {
            let (_, s) = named
                .iter()
                .find(|(n, _)| n == name)
                .unwrap_or_else(|| panic!("`{name}` is not defined"));
            check(value, s, named, name, seen, optional);
        }
        Shape::Array(inner) => {
            let items = value
                .as_array()
                .unwrap_or_else(|| panic!("{path}: an array"));
            for v in items {
                check(v, inner, named, &format!("{path}[]"), seen, optional);
            }
        }
        Shape::Object(fields) => {
            let obj = value
                .as_object()
                .unwrap_or_else(|| panic!("{path}: an object, got {value}"));
            for key in obj.keys() {
                assert!(
                    fields.iter().any(|(n, _, _)| n == key),
                    "{path}: `{key}` is printed but not documented"
                );
            }
            for (name, opt, s) in fields {
                let here = format!("{path}.{name}");
                if *opt {
                    optional.insert(here.clone());
                }
                match obj.get(name) {
                    Some(v) => {
                        seen.insert(here.clone());
                        check(v, s, named, &here, seen, optional);
                    }
                    None => assert!(*opt, "{here} missing in {value}"),
                }
            }
        }
    }
}

/// The README's shapes for `command`: the first is the output's, each further one is named
/// by the word before it (`each node {...}`).
fn documented(command: &str) -> (Vec<String>, Shape, Vec<(String, Shape)>) {
    let bullet = readme_bullet(command);
    let spans: Vec<String> = bullet
        .split('`')
        .skip(1)
        .step_by(2)
        .filter(|s| s.contains('"'))
        .map(str::to_string)
        .collect();
    assert!(!spans.is_empty(), "no shape in the README for {command}");
    let root = parse(&spans[0]);
    let mut named = Vec::new();
    for span in &spans[1..] {
        let before = &bullet[..bullet.find(span.as_str()).unwrap_or(0)];
        let name = before
            .trim_end_matches(['`', ' '])
            .rsplit(' ')
            .next()
            .unwrap_or("")
            .to_string();
        named.push((name, parse(span)));
    }
    (spans, root, named)
}

#[test]
fn help_gives_the_shapes_the_readme_gives() {
    for command in [
        "outline",
        "show",
        "search",
        "participants",
        "marks",
        "refs",
        "index",
    ] {
        let (spans, _, _) = documented(command);
        assert_eq!(
            shapes_in(&help_for_json(command)),
            spans,
            "`kaigi {command} --help` and the README describe --json differently"
        );
    }
}

#[test]
fn real_output_has_every_documented_field() {
    let runs: [(&str, &[&[&str]]); 6] = [
        ("outline", &[&["outline", "--json"]]),
        (
            "show",
            &[
                &["show", "g7:VII", "--json"],
                &["show", "cri:note-1", "--json"],
                &["show", "g7", "--json"],
                &["show", "g7:29", "--json"],
            ],
        ),
        (
            "search",
            &[&["search", "ランサム", "--json", "--limit", "50"]],
        ),
        ("participants", &[&["participants", "--json"]]),
        ("refs", &[&["refs", "--json"]]),
        ("index", &[&["index", "--json"]]),
    ];
    for (command, arg_lists) in runs {
        let (_, root, named) = documented(command);
        let mut seen = BTreeSet::new();
        let mut optional = BTreeSet::new();
        for args in arg_lists {
            let o = kaigi(args);
            assert!(o.status.success(), "{args:?}");
            let v: Value = serde_json::from_slice(&o.stdout).expect("JSON");
            check(&v, &root, &named, command, &mut seen, &mut optional);
        }
        // An optional field is still a field: some output shows it.
        for field in &optional {
            assert!(seen.contains(field), "{field} never printed");
        }
    }
}

/// `marks --json` reads the state folder: run it on one with marks and a last position, on
/// one with a bad file (the note), and with no state folder at all.
#[test]
fn marks_output_has_every_documented_field() {
    let home = std::env::temp_dir().join(format!("kaigi-cli-marks-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&home);
    let marks = |env: &[(&str, &str)]| {
        let mut cmd = common::kaigi_command();
        cmd.args(["marks", "--json"]);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let o = cmd.output().expect("run kaigi");
        assert!(
            o.status.success(),
            "{env:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        serde_json::from_slice::<Value>(&o.stdout).expect("JSON")
    };
    let good = home.join("good");
    let bad = home.join("bad");
    let fresh = marks(&[("XDG_STATE_HOME", good.to_str().expect("path"))]);
    let file = std::path::PathBuf::from(fresh["file"].as_str().expect("the file's path"));
    let name = file.file_name().expect("a name");
    std::fs::create_dir_all(good.join("kaigi")).expect("dir");
    std::fs::write(
        good.join("kaigi").join(name),
        r#"{"version":1,"last":{"id":"g7:23","index":40,"offset":12},
            "marks":{"a":{"id":"g7:VII"},"b":{"id":"gone","index":3}}}"#,
    )
    .expect("state");
    std::fs::create_dir_all(bad.join("kaigi")).expect("dir");
    std::fs::write(bad.join("kaigi").join(name), "{").expect("state");
    let runs = [
        fresh,
        marks(&[("XDG_STATE_HOME", good.to_str().expect("path"))]),
        marks(&[("XDG_STATE_HOME", bad.to_str().expect("path"))]),
        marks(&[("XDG_STATE_HOME", ""), ("HOME", "/nonexistent-kaigi")]),
    ];
    assert_eq!(runs[1]["last"]["id"], "g7:23");
    assert_eq!(runs[1]["last"]["offset"], 12);
    assert_eq!(runs[1]["marks"][0]["mark"], "a");
    assert_eq!(runs[1]["marks"][0]["id"], "g7:VII");
    assert!(
        runs[2]["note"]
            .as_str()
            .is_some_and(|n| n.contains("not valid JSON"))
    );
    assert!(runs[3].get("file").is_none());
    // The same as text: one line a place, the last position first.
    let o = common::kaigi_command()
        .arg("marks")
        .env("XDG_STATE_HOME", &good)
        .output()
        .expect("run kaigi");
    let text = String::from_utf8_lossy(&o.stdout);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("file  /"), "{text}");
    assert!(lines[1].starts_with("last  g7:23   12  "), "{text}");
    assert!(lines[2].starts_with("a     g7:VII   0  "), "{text}");
    let (_, root, named) = documented("marks");
    let mut seen = BTreeSet::new();
    let mut optional = BTreeSet::new();
    for v in &runs {
        check(v, &root, &named, "marks", &mut seen, &mut optional);
    }
    for field in &optional {
        assert!(seen.contains(field), "{field} never printed");
    }
    let _ = std::fs::remove_dir_all(&home);
}

#[test]
fn the_shape_reader_reads_what_the_readme_writes() {
    assert_eq!(
        shapes_in(r#"Print JSON: [{"a","b"?}], ranges as [start, end) offsets, {"c":[x]}"#),
        [r#"[{"a","b"?}]"#, r#"{"c":[x]}"#]
    );
    assert_eq!(
        parse(r#"{"a","b"?,"c":[...],"d":[n]}"#),
        Shape::Object(vec![
            ("a".into(), false, Shape::Any),
            ("b".into(), true, Shape::Any),
            ("c".into(), false, Shape::Array(Box::new(Shape::Any))),
            (
                "d".into(),
                false,
                Shape::Array(Box::new(Shape::Named("n".into())))
            ),
        ])
    );
}

/// A file name is the user's text: an escape in it reaches stderr as `^[`, not as a colour.
#[test]
fn error_lines_carry_no_control_sequences() {
    let o = kaigi(&["--file", "/no/such/\x1b[31mred\x07", "outline"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(err, "kaigi: /no/such/^[[31mred^G: no such file\n");
    let o = kaigi(&["show", "g7:\x1b]52;c;aGk=\x07"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&o.stderr),
        "kaigi: no such id: g7:^[]52;c;aGk=^G\n"
    );
}

/// The README's lists of `--only` and `--sort` values are the values the CLI takes.
#[test]
fn readme_lists_every_filter_and_sort() {
    use kaigi::participants::{Choice, Filter, Sort};
    let readme = include_str!("../README.md");
    let listed = |option: &str| -> BTreeSet<String> {
        let head = format!("`{option}` takes ");
        let at = readme.find(&head).unwrap_or_else(|| panic!("{head}")) + head.len();
        let rest = &readme[at..];
        rest[..rest.find([';', '.']).unwrap_or(rest.len())]
            .split('`')
            .skip(1)
            .step_by(2)
            .map(str::to_string)
            .collect()
    };
    let names = |all: &[&str]| {
        all.iter()
            .map(std::string::ToString::to_string)
            .collect::<BTreeSet<_>>()
    };
    let filters: Vec<&str> = Filter::ALL.iter().map(|f| f.name()).collect();
    let sorts: Vec<&str> = Sort::ALL.iter().map(|s| s.name()).collect();
    assert_eq!(listed("--only"), names(&filters));
    assert_eq!(listed("--sort"), names(&sorts));
}
