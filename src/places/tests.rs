use super::*;
use crate::corpus::load_embedded;
use crate::text::display::DisplayOptions;
use proptest::prelude::*;
use std::path::PathBuf;
use std::sync::OnceLock;

fn corpus() -> &'static Corpus {
    static C: OnceLock<Corpus> = OnceLock::new();
    C.get_or_init(load_embedded)
}

fn node(id: &str) -> NodeRef {
    corpus().find_id(id).expect(id)
}

fn pos(id: &str, offset: usize) -> Position {
    Position {
        node: node(id),
        offset,
    }
}

// ---- the jump list ----

#[test]
fn back_and_forward_walk_the_jumps() {
    let mut j = JumpList::default();
    let (p23, p13, pvii) = (pos("g7:23", 0), pos("g7:13", 0), pos("g7:VII", 0));
    // :23 from the title, then a search hit (13), then :VII.
    j.record(pos("g7:title", 0));
    j.record(p23);
    j.record(p13);
    assert_eq!(j.back(pvii), Some(p13));
    assert_eq!(j.back(p13), Some(p23));
    assert_eq!(j.forward(p23), Some(p13));
    assert_eq!(j.forward(p13), Some(pvii));
    assert_eq!(j.forward(pvii), None, "nothing ahead of the newest place");
    assert_eq!(j.back(pvii), Some(p13));
    assert_eq!(j.back(p13), Some(p23));
    assert_eq!(j.back(p23), Some(pos("g7:title", 0)));
    assert_eq!(
        j.back(pos("g7:title", 0)),
        None,
        "nothing before the oldest"
    );
}

#[test]
fn a_new_jump_after_going_back_drops_what_was_ahead() {
    let mut j = JumpList::default();
    j.record(pos("g7:1", 0));
    j.record(pos("g7:2", 0));
    assert_eq!(j.back(pos("g7:3", 0)), Some(pos("g7:2", 0)));
    // From 2, a jump to 30: forward no longer reaches 3.
    j.record(pos("g7:2", 0));
    assert_eq!(j.forward(pos("g7:30", 0)), None);
    assert_eq!(j.back(pos("g7:30", 0)), Some(pos("g7:2", 0)));
    assert_eq!(j.back(pos("g7:2", 0)), Some(pos("g7:1", 0)));
}

#[test]
fn going_back_returns_to_where_the_reader_had_scrolled() {
    let mut j = JumpList::default();
    j.record(pos("g7:1", 0));
    assert_eq!(j.back(pos("g7:5", 40)), Some(pos("g7:1", 0)));
    // Scrolled a little in paragraph 1, then forward, then back: back lands where they left.
    assert_eq!(j.forward(pos("g7:1", 12)), Some(pos("g7:5", 40)));
    assert_eq!(j.back(pos("g7:5", 40)), Some(pos("g7:1", 12)));
}

#[test]
fn consecutive_duplicates_are_kept_once() {
    let mut j = JumpList::default();
    for _ in 0..5 {
        j.record(pos("g7:23", 0));
    }
    assert_eq!(j.entries().0.len(), 1);
    assert_eq!(j.back(pos("g7:23", 0)), None);
}

#[test]
fn the_list_is_bounded() {
    let mut j = JumpList::with_capacity(10);
    let nodes: Vec<NodeRef> = corpus().iter_nodes().map(|(r, _)| r).take(30).collect();
    for &n in &nodes {
        j.record(Position::at(n));
    }
    assert_eq!(j.entries().0.len(), 10);
    let mut steps = 0;
    let mut here = Position::at(nodes[29]);
    while let Some(p) = j.back(here) {
        here = p;
        steps += 1;
    }
    assert_eq!(steps, 9, "the oldest places went first");
    assert_eq!(here, Position::at(nodes[20]));
}

#[test]
fn previous_is_where_the_last_jump_started() {
    let mut j = JumpList::default();
    assert_eq!(j.previous(), None);
    j.record(pos("g7:23", 0));
    assert_eq!(j.previous(), Some(pos("g7:23", 0)));
    // `''` is a jump itself: from 13 back to 23 records 13, so `''` again returns to 13.
    j.record(pos("g7:13", 0));
    assert_eq!(j.previous(), Some(pos("g7:13", 0)));
}

proptest! {
    /// Whatever the sequence of jumps and steps, the list never grows past its bound, back
    /// then forward returns to the same place, and nothing panics.
    #[test]
    fn jump_list_invariants(ops in proptest::collection::vec((0u8..3, 0usize..60), 0..300)) {
        let nodes: Vec<NodeRef> = corpus().iter_nodes().map(|(r, _)| r).take(60).collect();
        let mut j = JumpList::with_capacity(20);
        let mut here = Position::at(nodes[0]);
        for (op, n) in ops {
            let target = Position::at(nodes[n % nodes.len()]);
            match op {
                0 => { j.record(here); here = target; }
                1 => if let Some(p) = j.back(here) {
                    let back_from = here;
                    prop_assert_eq!(j.forward(p), Some(back_from));
                    here = back_from;
                },
                _ => if let Some(p) = j.forward(here) { here = p; },
            }
            prop_assert!(j.entries().0.len() <= 21);
            let (entries, cursor) = j.entries();
            prop_assert!(cursor <= entries.len());
        }
    }
}

// ---- marks ----

#[test]
fn marks_are_lower_case_letters() {
    let mut m = Marks::default();
    assert!(m.set('a', pos("g7:23", 0)));
    assert!(!m.set('A', pos("g7:1", 0)));
    assert!(!m.set('\'', pos("g7:1", 0)));
    assert!(!m.set('あ', pos("g7:1", 0)));
    assert_eq!(m.get('a'), Some(pos("g7:23", 0)));
    assert_eq!(m.get('b'), None);
    assert!(m.set('a', pos("g7:VII", 0)), "setting again moves the mark");
    assert_eq!(m.iter().collect::<Vec<_>>(), vec![('a', pos("g7:VII", 0))]);
}

// ---- positions and layout ----

#[test]
fn a_position_keeps_the_same_text_on_screen_at_another_width() {
    let c = corpus();
    let wide = Layout::new(c, 76, DisplayOptions::default());
    let narrow = Layout::new(c, 30, DisplayOptions::default());
    // Every line of the wide layout: its position, shown at the narrow width, is the line
    // holding the same first character.
    for line in 0..wide.lines.len() {
        let Some(p) = Position::of_line(&wide, line) else {
            continue;
        };
        let at = p.line_in(&narrow).expect("laid out");
        assert_eq!(
            narrow.node_of(&narrow.lines[at]),
            Some(p.node),
            "line {line}"
        );
        let shown: Vec<usize> = narrow
            .render(c)
            .spans(&narrow.lines[at])
            .iter()
            .flat_map(|s| s.src.iter())
            .collect();
        if p.offset > 0 {
            assert!(
                shown.contains(&p.offset),
                "line {line}: offset {} not on narrow line {at} ({shown:?})",
                p.offset
            );
        }
        // And back: the narrow line's position is at or before the character.
        let back = Position::of_line(&narrow, at).expect("a position");
        assert_eq!(back.node, p.node);
        assert!(back.offset <= p.offset);
    }
}

#[test]
fn positions_survive_the_state_file() {
    let c = corpus();
    let p = pos("g7:23", 17);
    let saved = p.save(c);
    assert_eq!(saved.id, "g7:23");
    assert_eq!(saved.restore(c), Some(p));
    // An id that no longer exists: the node at the same place in reading order.
    let gone = SavedPosition {
        id: "g7:999".into(),
        index: saved.index,
        offset: 5,
    };
    assert_eq!(gone.restore(c), Some(pos("g7:23", 0)));
    let far = SavedPosition {
        id: "nope".into(),
        index: 1_000_000,
        offset: 0,
    };
    let last = c.iter_nodes().last().map(|(r, _)| Position::at(r));
    assert_eq!(far.restore(c), last);
    assert_eq!(far.restore(&Corpus::default()), None);
    // An offset past the end of the text (the text changed) is clamped.
    let long = SavedPosition {
        id: "g7:23".into(),
        index: 0,
        offset: usize::MAX,
    };
    let len = c.node(node("g7:23")).text.chars().count();
    assert_eq!(long.restore(c), Some(pos("g7:23", len)));
}

// ---- the state file ----

fn tempdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!(
        "kaigi-state-{name}-{}-{:?}",
        std::process::id(),
        std::thread::current().id()
    ));
    let _ = std::fs::remove_dir_all(&d);
    d
}

fn sample() -> Saved {
    let c = corpus();
    let mut s = Saved {
        documents: vec!["g7".into(), "cri".into()],
        last: Some(pos("g7:23", 3).save(c)),
        ..Saved::default()
    };
    s.marks.insert('a', pos("g7:VII", 0).save(c));
    s.searches.push("ランサム".into());
    s.gotos.push("23".into());
    s
}

#[test]
fn saved_then_opened_again() {
    let dir = tempdir("roundtrip");
    let (store, opened) = Store::open(&dir, "abc");
    assert_eq!(opened, Opened::Fresh);
    store.save(&sample()).expect("saved");
    let (_, opened) = Store::open(&dir, "abc");
    assert_eq!(opened, Opened::Loaded(sample()));
    // Nothing but the file is left behind (no temporary files).
    let names: Vec<_> = std::fs::read_dir(&dir)
        .expect("dir")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(names, vec![std::ffi::OsString::from("abc.json")]);
    let _ = std::fs::remove_dir_all(&dir);
}

fn ignored_and_left_alone(name: &str, contents: &[u8], why: &str) {
    let dir = tempdir(name);
    std::fs::create_dir_all(&dir).expect("dir");
    let path = dir.join("k.json");
    std::fs::write(&path, contents).expect("write");
    let (store, opened) = Store::open(&dir, "k");
    match opened {
        Opened::Ignored { note } => assert!(note.contains(why), "{name}: {note}"),
        other => panic!("{name}: {other:?}"),
    }
    assert!(!store.is_writable());
    assert!(matches!(
        store.save(&sample()),
        Err(StateError::LeftAlone { .. })
    ));
    assert_eq!(std::fs::read(&path).expect("still there"), contents);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_bad_file_is_ignored_and_never_overwritten() {
    let good = serde_json::to_vec(&sample()).expect("json");
    ignored_and_left_alone(
        "corrupt",
        b"{\"version\": 1, \"marks\": [}",
        "not valid JSON",
    );
    ignored_and_left_alone("truncated", &good[..good.len() / 2], "not valid JSON");
    ignored_and_left_alone("empty", b"", "not valid JSON");
    ignored_and_left_alone(
        "future",
        b"{\"version\": 7, \"whatever\": true}",
        "from a newer kaigi (version 7",
    );
    ignored_and_left_alone("noversion", b"{\"last\": null}", "no version");
    ignored_and_left_alone(
        "shape",
        b"{\"version\": 1, \"marks\": {\"a\": 3}}",
        "unexpected contents",
    );
    ignored_and_left_alone("binary", &[0xff, 0xfe, 0, 1, 2], "not valid JSON");
    let huge = vec![b' '; usize::try_from(super::store::MAX_BYTES + 10).expect("fits")];
    ignored_and_left_alone("huge", &huge, "larger than");
}

#[test]
fn a_directory_where_the_file_should_be() {
    let dir = tempdir("isdir");
    std::fs::create_dir_all(dir.join("k.json")).expect("dir");
    let (store, opened) = Store::open(&dir, "k");
    assert!(matches!(opened, Opened::Ignored { .. }), "{opened:?}");
    assert!(store.save(&sample()).is_err());
    assert!(dir.join("k.json").is_dir(), "left as it was");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn marks_with_names_that_are_not_letters_are_dropped() {
    let dir = tempdir("tidy");
    std::fs::create_dir_all(&dir).expect("dir");
    std::fs::write(
        dir.join("k.json"),
        r#"{"version":1,"marks":{"a":{"id":"g7:1"},"Z":{"id":"g7:2"},"1":{"id":"g7:3"}},"searches":["", "  ", "x"]}"#,
    )
    .expect("write");
    let (_, opened) = Store::open(&dir, "k");
    let Opened::Loaded(s) = opened else {
        panic!("{opened:?}")
    };
    assert_eq!(s.marks.keys().collect::<Vec<_>>(), vec![&'a']);
    assert_eq!(s.searches, vec!["x".to_string()]);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_folder_that_cannot_be_written_is_an_error_not_a_panic() {
    // /proc refuses new files even to root.
    for dir in [
        PathBuf::from("/proc/kaigi-no-such/state"),
        PathBuf::from("/proc/self/kaigi"),
    ] {
        let (store, opened) = Store::open(&dir, "k");
        assert_eq!(opened, Opened::Fresh, "{}", dir.display());
        let err = store.save(&sample()).expect_err("cannot write there");
        assert!(
            err.to_string().starts_with("state not saved: /proc/"),
            "{err}"
        );
    }
    // A file where the folder should be.
    let parent = tempdir("fileasdir");
    std::fs::create_dir_all(&parent).expect("dir");
    std::fs::write(parent.join("kaigi"), "x").expect("file");
    let (store, opened) = Store::open(&parent.join("kaigi"), "k");
    assert_eq!(opened, Opened::Fresh);
    assert!(store.save(&sample()).is_err());
    let _ = std::fs::remove_dir_all(&parent);
}

#[test]
fn writers_at_the_same_moment_leave_a_whole_file() {
    let dir = tempdir("race");
    let versions: Vec<Saved> = (0..8)
        .map(|i| {
            let mut s = sample();
            for k in 0..=i {
                s.searches
                    .push(format!("query {i} {k} {}", "x".repeat(300)));
            }
            s
        })
        .collect();
    std::thread::scope(|scope| {
        for s in &versions {
            let dir = dir.clone();
            scope.spawn(move || {
                let (store, _) = Store::open(&dir, "k");
                for _ in 0..20 {
                    let _ = store.save(s);
                }
            });
        }
    });
    let (_, opened) = Store::open(&dir, "k");
    let Opened::Loaded(s) = opened else {
        panic!("torn: {opened:?}")
    };
    assert!(versions.contains(&s));
    let left: Vec<_> = std::fs::read_dir(&dir)
        .expect("dir")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(left.len(), 1, "temporary files left: {left:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_state_folder_follows_xdg() {
    let env = |pairs: &'static [(&'static str, &'static str)]| {
        move |k: &str| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| std::ffi::OsString::from(v))
        }
    };
    assert_eq!(
        state_dir(env(&[("XDG_STATE_HOME", "/x/state"), ("HOME", "/home/u")])),
        Ok(PathBuf::from("/x/state/kaigi"))
    );
    assert_eq!(
        state_dir(env(&[("HOME", "/")])),
        Ok(PathBuf::from("/.local/state/kaigi"))
    );
    assert_eq!(
        state_dir(env(&[("XDG_STATE_HOME", "relative"), ("HOME", "/")])),
        Ok(PathBuf::from("/.local/state/kaigi")),
        "a relative XDG_STATE_HOME is ignored"
    );
    assert_eq!(
        state_dir(env(&[("XDG_STATE_HOME", ""), ("HOME", "/")])),
        Ok(PathBuf::from("/.local/state/kaigi")),
        "an empty one too"
    );
    // A HOME that does not exist is never made: a note, and no state.
    let gone = state_dir(env(&[("HOME", "/nonexistent-kaigi-home")]));
    assert_eq!(
        gone,
        Err("places are not kept: HOME (/nonexistent-kaigi-home) is not a folder".into())
    );
    assert!(state_dir(env(&[])).is_err());
}

#[test]
fn the_key_changes_with_the_text() {
    let c = corpus();
    let k = corpus_key(c);
    assert_eq!(k.len(), 16);
    assert_eq!(k, corpus_key(&c.clone()), "stable");
    let mut changed = c.clone();
    changed.documents[0].nodes[5].text.push('。');
    assert_ne!(k, corpus_key(&changed));
    let mut one = c.clone();
    one.documents.truncate(1);
    assert_ne!(k, corpus_key(&one));
}

#[test]
fn recent_lists_read_back_are_bounded() {
    let dir = tempdir("bounded");
    std::fs::create_dir_all(&dir).expect("dir");
    let many: Vec<String> = (0..150).map(|i| i.to_string()).collect();
    let body = serde_json::json!({"version": 1, "gotos": many});
    std::fs::write(dir.join("k.json"), body.to_string()).expect("write");
    let (_, opened) = Store::open(&dir, "k");
    let Opened::Loaded(s) = opened else {
        panic!("{opened:?}")
    };
    assert_eq!(s.gotos.len(), MAX_RECENT);
    assert_eq!(s.gotos.last().map(String::as_str), Some("149"));
    let _ = std::fs::remove_dir_all(&dir);
}
