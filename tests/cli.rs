//! The command line, tested as data: help, JSON output, errors and exit statuses.

mod common;

use std::process::Output;

fn kaigi(args: &[&str]) -> Output {
    common::kaigi_command()
        .args(args)
        .env_remove("NO_COLOR")
        .output()
        .expect("run kaigi")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn temp_file(name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("kaigi-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let p = dir.join(name);
    std::fs::write(&p, bytes).expect("write temp file");
    p
}

#[test]
fn help_lists_the_commands() {
    let o = kaigi(&["--help"]);
    assert!(o.status.success());
    insta::assert_snapshot!("help", stdout(&o));
}

#[test]
fn version() {
    let o = kaigi(&["--version"]);
    assert!(o.status.success());
    assert_eq!(
        stdout(&o).trim(),
        format!("kaigi {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn outline_json_has_every_node() {
    // Walk every node: id, kind, children, and a title or a text.
    fn walk(n: &serde_json::Value, ids: &mut Vec<String>) {
        assert!(
            n["id"].is_string() && n["kind"].is_string() && n["children"].is_array(),
            "{n}"
        );
        assert!(n["title"].is_string() ^ n["text"].is_string(), "{n}");
        ids.push(n["id"].as_str().unwrap_or_default().to_string());
        for c in n["children"].as_array().into_iter().flatten() {
            walk(c, ids);
        }
    }
    let o = kaigi(&["outline", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("valid JSON");
    let docs = v["documents"].as_array().expect("documents");
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[0]["id"], "g7");
    assert_eq!(docs[0]["date"], "2023-12-10");
    assert_eq!(docs[1]["id"], "cri");
    assert_eq!(docs[1]["date"], "2023-11-02");
    assert_eq!(
        docs[1]["title"],
        "「カウンターランサムウェア・イニシアティブ会合」への参加"
    );
    let mut ids = Vec::new();
    for d in docs {
        for c in d["children"].as_array().expect("children") {
            walk(c, &mut ids);
        }
    }
    for want in [
        "g7:1",
        "g7:23",
        "g7:37",
        "g7:VII",
        "g7:annex-II",
        "cri:3",
        "cri:note-1",
        "cri:annex-3.4.4",
        "cri:contact",
    ] {
        assert!(ids.iter().any(|i| i == want), "{want} missing");
    }
    let sec7 = &docs[0]["children"]
        .as_array()
        .expect("children")
        .iter()
        .find(|n| n["id"] == "g7:VII")
        .expect("VII")
        .clone();
    assert_eq!(sec7["kind"], "section");
    assert_eq!(sec7["label"], "VII");
    assert_eq!(sec7["title"], "児童の性的搾取及び虐待");
    assert_eq!(sec7["children"][0]["label"], "26");
}

#[test]
fn outline_text_lists_ids() {
    let o = kaigi(&["outline"]);
    assert!(o.status.success());
    let out = stdout(&o);
    assert!(
        out.lines()
            .next()
            .unwrap_or("")
            .starts_with("g7  G7内務・安全担当大臣コミュニケ  2023-12-10")
    );
    assert!(out.contains("    g7:23  23 我々は、"));
    assert!(
        out.lines()
            .all(|l| unicode_width::UnicodeWidthStr::width(l) <= 80)
    );
}

#[test]
fn show_lays_out_like_the_reader() {
    let o = kaigi(&["show", "g7:23", "--width", "40"]);
    assert!(o.status.success());
    let out = stdout(&o);
    assert!(
        out.starts_with("23. 我々は、国際カウンターランサムウェ\n"),
        "{out}"
    );
    assert!(
        !out.contains('\x1b'),
        "no colour when stdout is not a terminal"
    );
    for l in out.lines() {
        assert!(unicode_width::UnicodeWidthStr::width(l) <= 40, "{l}");
    }
    // The same lines as the library's layout.
    let c = kaigi::corpus::load_embedded();
    let lines = kaigi::layout::lay_out_subtree(
        &c,
        c.find_id("g7:23").expect("id"),
        40,
        kaigi::text::DisplayOptions::default(),
    );
    let want: Vec<String> = lines
        .lines
        .iter()
        .map(|l| lines.render(&c).plain(l))
        .collect();
    assert_eq!(out.lines().collect::<Vec<_>>(), want);
}

#[test]
fn show_accepts_short_ids_and_json() {
    let o = kaigi(&["show", "Ⅶ", "--json", "--width", "60"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(v["id"], "g7:VII");
    assert_eq!(v["kind"], "section");
    assert_eq!(v["lines"][0], "VII. 児童の性的搾取及び虐待");
    let o = kaigi(&["show", "cri"]);
    assert!(stdout(&o).contains("令和5年11月2日"));
}

#[test]
fn show_colour_when_asked() {
    let o = kaigi(&["show", "g7:1", "--color", "always"]);
    assert!(
        stdout(&o).contains("\x1b[1;33m1.\x1b[0m") || stdout(&o).contains("\x1b[1;33m1. \x1b[0m"),
        "{:?}",
        stdout(&o)
    );
}

#[test]
fn unknown_id_fails_clearly() {
    let o = kaigi(&["show", "g7:99"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stderr(&o), "kaigi: no such id: g7:99\n");
    assert!(o.stdout.is_empty());
}

#[test]
fn bad_arguments_fail_with_status_2() {
    let o = kaigi(&["show"]);
    assert_eq!(o.status.code(), Some(2));
    let o = kaigi(&["frobnicate"]);
    assert_eq!(o.status.code(), Some(2));
    let o = kaigi(&["show", "g7:1", "--width", "0"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn file_errors_name_the_file_and_exit_2() {
    let missing = "/no/such/dir/doc.txt";
    let empty = temp_file("empty.txt", b"");
    let latin1 = temp_file("latin1.txt", b"caf\xe9 au lait");
    let binary = temp_file("binary.txt", b"abc\0def");
    let dir = std::env::temp_dir();
    let cases: Vec<(String, String)> = vec![
        (missing.into(), format!("kaigi: {missing}: no such file\n")),
        (
            empty.display().to_string(),
            format!("kaigi: {}: the file is empty\n", empty.display()),
        ),
        (
            latin1.display().to_string(),
            format!(
                "kaigi: {0}: not UTF-8 text (invalid byte at offset 3), nor Shift_JIS (at 3) or \
                 EUC-JP (at 3); to read what can be read: iconv -c -f CP932 -t UTF-8 {0} | kaigi \
                 --file -\n",
                latin1.display()
            ),
        ),
        (
            binary.display().to_string(),
            format!(
                "kaigi: {}: binary data, not text (NUL byte at offset 3)\n",
                binary.display()
            ),
        ),
        (
            dir.display().to_string(),
            format!(
                "kaigi: {}: is a directory, not a text file\n",
                dir.display()
            ),
        ),
    ];
    for (path, want) in cases {
        // Before and after the subcommand, and with no subcommand (the browser never starts).
        for args in [
            vec!["--file", &path, "outline"],
            vec!["outline", "--file", &path],
            vec!["--file", &path],
        ] {
            let o = kaigi(&args);
            assert_eq!(o.status.code(), Some(2), "{args:?}");
            assert_eq!(stderr(&o), want, "{args:?}");
            assert!(
                o.stdout.is_empty(),
                "{args:?}: nothing on stdout, no terminal codes"
            );
        }
    }
}

#[test]
fn file_replaces_embedded_documents() {
    let p = temp_file(
        "Capri Communique.txt",
        "G 7 外務大臣コミュニケ\n2024年4月19日\n\nI. 前文\n\n1. 我々は会合した。\n".as_bytes(),
    );
    let o = kaigi(&[
        "--file",
        p.to_str().expect("utf8 path"),
        "outline",
        "--json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(v["documents"].as_array().map(Vec::len), Some(1));
    assert_eq!(v["documents"][0]["id"], "capri-communique");
    let kids = v["documents"][0]["children"].as_array().expect("children");
    let kinds: Vec<&str> = kids.iter().filter_map(|k| k["kind"].as_str()).collect();
    assert_eq!(kinds, ["title", "dateline", "section"]);
    assert_eq!(kids[2]["id"], "capri-communique:I");
    assert_eq!(kids[2]["children"][0]["id"], "capri-communique:1");
    // The same file twice gets two ids.
    let path = p.to_str().expect("utf8 path");
    let o = kaigi(&["--file", path, "--file", path, "outline", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(v["documents"][1]["id"], "capri-communique-2");
}

#[test]
fn browser_refuses_a_pipe() {
    let o = kaigi(&[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).starts_with("kaigi: the browser needs a terminal"));
}

#[test]
fn closed_pipe_is_not_an_error() {
    use std::io::Read;
    let mut child = common::kaigi_command()
        .args(["outline"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut first = [0u8; 10];
    child
        .stdout
        .as_mut()
        .expect("stdout")
        .read_exact(&mut first)
        .expect("read");
    drop(child.stdout.take());
    let o = child.wait_with_output().expect("wait");
    assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
}

#[test]
fn participants_json_and_filters() {
    let o = kaigi(&["participants", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    let rows = v.as_array().expect("array");
    assert_eq!(rows.len(), 50);
    for r in rows {
        for k in [
            "ja",
            "en",
            "code",
            "kind",
            "in_meeting",
            "in_statement",
            "new_2023",
            "g7",
            "mentions",
        ] {
            assert!(r.get(k).is_some(), "{k} missing in {r}");
        }
    }
    let uy = rows.iter().find(|r| r["code"] == "UY").expect("Uruguay");
    assert_eq!(
        (
            uy["in_meeting"].as_bool(),
            uy["in_statement"].as_bool(),
            uy["new_2023"].as_bool()
        ),
        (Some(true), Some(false), Some(true))
    );
    let count = |only: &str| {
        let o = kaigi(&["participants", "--json", "--only", only]);
        assert!(o.status.success(), "{only}");
        serde_json::from_slice::<serde_json::Value>(&o.stdout)
            .expect("JSON")
            .as_array()
            .map_or(0, Vec::len)
    };
    assert_eq!(
        [
            count("all"),
            count("both"),
            count("a"),
            count("b"),
            count("a-only"),
            count("b-only"),
            count("new"),
            count("g7")
        ],
        [50, 47, 50, 47, 3, 0, 13, 7]
    );
    let o = kaigi(&["participants", "--only", "nope"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn participants_text_answers_a_question() {
    let o = kaigi(&["participants", "--find", "uruguay"]);
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(
        lines[2].starts_with("ウルグアイ         Uruguay              UY       country ✓   ✓"),
        "{out}"
    );
    let o = kaigi(&["participants", "--sort", "gojuon", "--only", "g7"]);
    let out = stdout(&o);
    assert!(
        out.lines().nth(2).unwrap_or("").starts_with("イタリア"),
        "{out}"
    );
}

#[test]
fn search_prints_hits_and_json() {
    let o = kaigi(&["search", "GIFCT"]);
    assert!(o.status.success());
    let out = stdout(&o);
    let ids: Vec<&str> = out
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert!(ids.iter().take(3).any(|&i| i == "g7:13"), "{out}");
    let o = kaigi(&["search", "ランサム", "--json", "--limit", "50"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    let hits = v.as_array().expect("array");
    assert!(hits.iter().any(|h| h["id"] == "g7:23"));
    assert!(hits.iter().any(|h| h["id"] == "cri:1"));
    let c = kaigi::corpus::load_embedded();
    for h in hits {
        for k in ["id", "doc", "score", "snippet", "ranges"] {
            assert!(h.get(k).is_some(), "{k} missing: {h}");
        }
        // Ranges are character offsets into the node's text, and cover the query.
        if let Some(r) = c.find_id(h["id"].as_str().unwrap_or("")) {
            let text: Vec<char> = c.node(r).text.chars().collect();
            let [a, b] = [
                usize::try_from(h["ranges"][0][0].as_u64().unwrap_or(0)).unwrap_or(0),
                usize::try_from(h["ranges"][0][1].as_u64().unwrap_or(0)).unwrap_or(0),
            ];
            let matched: String = text[a..b].iter().collect();
            assert!(matched.contains("ランサム"), "{matched}");
        }
    }
    let o = kaigi(&["search", "ransamu", "--limit", "3"]);
    assert_eq!(stdout(&o).lines().count(), 3);
}

#[test]
fn refs_json_lists_the_cited_documents_in_date_order() {
    let o = kaigi(&["refs", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("valid JSON");
    let rows = v.as_array().expect("an array");
    assert!(rows.len() >= 9, "at least nine cited documents");
    let first = &rows[0];
    assert_eq!(first["name"], "G7首脳声明");
    assert_eq!(first["date"], "2023-02-24");
    assert_eq!(first["issuer"], "G7首脳");
    assert_eq!(first["cited_at"], serde_json::json!(["g7:9"]));
    let dates: Vec<&str> = rows.iter().filter_map(|r| r["date"].as_str()).collect();
    let mut sorted = dates.clone();
    sorted.sort_unstable();
    assert_eq!(dates, sorted);
    // Undated documents have no "date" key at all, and come after the dated ones.
    let hiroshima = rows
        .iter()
        .find(|r| r["name"] == "G7広島首脳コミュニケ")
        .expect("the Hiroshima communiqué");
    assert!(hiroshima.get("date").is_none());
    assert_eq!(hiroshima["cited_at"], serde_json::json!(["g7:6", "g7:20"]));
    let twice = rows
        .iter()
        .find(|r| r["name"] == "G7首脳声明" && r["date"] == "2023-12-06")
        .expect("the statement of 6 December");
    assert_eq!(twice["cited_at"], serde_json::json!(["g7:9", "g7:24"]));
}

#[test]
fn index_json_answers_what_icpa_stands_for() {
    let o = kaigi(&["index", "icpa", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("valid JSON");
    assert_eq!(
        v,
        serde_json::json!([{
            "term": "ICPA",
            "expansion": "ウクライナに対する侵略犯罪の訴追のための国際センター",
            "kind": "acronym",
            "mentions": ["g7:7"],
        }])
    );
    let o = kaigi(&["index", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("valid JSON");
    let rows = v.as_array().expect("an array");
    for r in rows {
        assert!(r["term"].is_string() && r["kind"].is_string() && r["mentions"].is_array());
    }
    let kinds: std::collections::BTreeSet<&str> =
        rows.iter().filter_map(|r| r["kind"].as_str()).collect();
    for k in [
        "acronym",
        "organisation",
        "initiative",
        "task_force",
        "mechanism",
        "participant",
    ] {
        assert!(kinds.contains(k), "no {k} in the index");
    }
}

#[test]
fn refs_and_index_as_text_fit_80_columns() {
    for args in [&["refs"][..], &["index"], &["index", "タスクフォース"]] {
        let o = kaigi(args);
        assert!(o.status.success(), "{}", stderr(&o));
        let out = stdout(&o);
        assert!(!out.is_empty());
        for line in out.lines() {
            assert!(
                kaigi::text::str_width(line) <= 80,
                "{args:?}: {line:?} is wider than 80"
            );
        }
    }
    let out = stdout(&kaigi(&["index", "icpa"]));
    assert_eq!(
        out.trim_end(),
        "ICPA  ウクライナに対する侵略犯罪の訴追のための国際センター  [acronym]  g7:7"
    );
    let out = stdout(&kaigi(&["index", "存在しない"]));
    assert_eq!(out.trim_end(), "no index entry matches");
}

#[test]
fn show_json_has_the_links_of_the_node() {
    let o = kaigi(&["show", "g7:29", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("valid JSON");
    assert_eq!(
        v["links"],
        serde_json::json!([{"range": [523, 528], "text": "附属文書I", "target": "g7:annex-I"}])
    );
    // The range is in characters of the node's text.
    let text: Vec<char> = v["text"].as_str().expect("text").chars().collect();
    assert_eq!(text[523..528].iter().collect::<String>(), "附属文書I");
    let o = kaigi(&["show", "g7:1", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("valid JSON");
    assert_eq!(v["links"], serde_json::json!([]));
}

#[test]
fn show_and_goto_understand_names() {
    let o = kaigi(&["show", "附属文書Ⅱ", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("valid JSON");
    assert_eq!(v["id"], "g7:annex-II");
    let o = kaigi(&["show", "脚注2", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("valid JSON");
    assert_eq!(v["id"], "cri:note-2");
    // Ambiguous: one line listing the candidates, exit 2, nothing on stdout.
    let o = kaigi(&["show", "annex-1"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty());
    assert_eq!(
        stderr(&o).trim_end(),
        "kaigi: annex-1 could be g7:annex-I or cri:annex-1: type one of them"
    );
    let o = kaigi(&["--goto", "annex-1"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn outline_json_never_prints_an_impossible_date() {
    let p = temp_file(
        "impossible-date.txt",
        "\n文書\n2023年2月31日 於：どこか\n\n1. 本文。\n".as_bytes(),
    );
    let path = p.to_str().expect("utf-8 path");
    let o = kaigi(&["--file", path, "outline", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("valid JSON");
    let doc = &v["documents"][0];
    assert_eq!(doc["date"], serde_json::Value::Null);
    // The text stays as it is.
    let text = serde_json::to_string(doc).expect("json");
    assert!(text.contains("2023年2月31日"), "{text}");
}

#[test]
fn search_exits_like_grep() {
    // 0 on a match, 1 on none, 2 on a query that cannot be run.
    assert_eq!(kaigi(&["search", "GIFCT"]).status.code(), Some(0));
    let o = kaigi(&["search", "xyzzyplugh"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).is_empty());
    let o = kaigi(&["search", "xyzzyplugh", "--json"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(stdout(&o).trim(), "[]");
    let o = kaigi(&["search", "^"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.starts_with("kaigi: search: "), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
}

#[test]
fn search_says_when_it_cuts_and_how_it_matched() {
    let o = kaigi(&["search", "ランサムウェア", "--limit", "3"]);
    assert_eq!(stdout(&o).lines().count(), 3);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("… and "), "{err}");
    assert!(err.contains("more (use --limit)"), "{err}");
    assert!(err.contains("matches in") && err.contains("CRI "), "{err}");
    // Nothing is said when nothing is cut.
    let o = kaigi(&["search", "FATF"]);
    assert!(
        o.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    // English through the glossary, and near matches, are said.
    let o = kaigi(&["search", "ransomware", "--limit", "100"]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("ransomware → ランサムウェア"));
    assert!(stdout(&o).starts_with("cri:title"));
    let o = kaigi(&["search", "GIFTC"]);
    assert!(
        String::from_utf8_lossy(&o.stderr)
            .contains("no exact match — showing near matches for “GIFTC”")
    );
}

#[test]
fn search_json_has_a_score_and_a_kind() {
    let o = kaigi(&["search", "23", "--json", "--limit", "100"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    let hits = v.as_array().expect("array");
    assert_eq!(hits[0]["id"], "g7:23");
    assert_eq!(hits[0]["kind"], "label");
    let mut last = f64::INFINITY;
    for h in hits {
        for k in ["id", "doc", "score", "kind", "exact", "snippet", "ranges"] {
            assert!(h.get(k).is_some(), "{k} missing: {h}");
        }
        let s = h["score"].as_f64().expect("a number");
        assert!((0.0..=1.0).contains(&s) && s <= last, "{s} after {last}");
        last = s;
        let kind = h["kind"].as_str().unwrap_or("");
        assert!(
            ["label", "exact", "glossary", "fuzzy", "near"].contains(&kind),
            "{kind}"
        );
    }
    let o = kaigi(&["search", "ransomware", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(v[0]["kind"], "glossary");
    let o = kaigi(&["search", "GIFTC", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(v[0]["kind"], "near");
}
