//! Cross-references, cited documents and the index of terms over the two real documents,
//! asserted whole (a change that drops one shows in the snapshot), and their invariants on any
//! input.

use std::fmt::Write as _;
mod fuzz_checks;

use kaigi::corpus::{Corpus, load_bytes, load_embedded};
use kaigi::refs::{self, Refs, citations::citations_in, terms};
use proptest::prelude::*;

fn corpus() -> Corpus {
    load_embedded()
}

#[test]
fn links_of_both_documents() {
    let c = corpus();
    let refs = Refs::build(&c);
    let mut table = String::new();
    for (r, n) in c.iter_nodes() {
        for l in refs.links(r) {
            let note = l
                .target
                .note(&c)
                .map(|s| format!("  ({s})"))
                .unwrap_or_default();
            let _ = writeln!(
                table,
                "{:<14} {:>3}..{:<3} {} → {}{note}",
                n.id,
                l.range.start,
                l.range.end,
                l.text,
                l.target.id(&c)
            );
        }
    }
    insta::assert_snapshot!("links", table);
}

#[test]
fn following_a_link_goes_to_its_target_and_says_when_only_a_title_is_there() {
    let c = corpus();
    let refs = Refs::build(&c);
    let at = c.find_id("g7:29").expect("g7:29");
    let link = &refs.links(at)[0];
    let f = refs::follow(&c, link);
    assert_eq!(
        f.to,
        kaigi::corpus::Resolved::Node(c.find_id("g7:annex-I").expect("annex"))
    );
    assert_eq!(
        f.note.as_deref(),
        Some("annex I: only its title is in this text")
    );
    let offset = link.range.start + 1;
    assert_eq!(refs.link_at(at, offset), Some(link));
    assert_eq!(refs.link_at(at, 0), None);
    // The CRI annex's (脚注1) is the note (注1).
    let at = c.find_id("cri:annex-3.1").expect("cri:annex-3.1");
    let f = refs::follow(&c, &refs.links(at)[0]);
    assert_eq!(
        f.to,
        kaigi::corpus::Resolved::Node(c.find_id("cri:note-1").expect("note"))
    );
    assert_eq!(f.note, None);
    // Paragraph 23 names the initiative the second document is about.
    let at = c.find_id("g7:23").expect("g7:23");
    assert_eq!(
        refs::follow(&c, &refs.links(at)[0]).to,
        kaigi::corpus::Resolved::Document(1)
    );
}

/// The pieces of links on laid-out lines: where they are drawn, a link broken over two lines
/// in two pieces, and nothing for lines without links.
#[test]
fn link_pieces_on_laid_out_lines() {
    use kaigi::layout::Layout;
    use kaigi::text::display::DisplayOptions;
    let c = corpus();
    let refs = Refs::build(&c);
    for width in [80, 40, 13] {
        let layout = Layout::new(&c, width, DisplayOptions::default());
        let text = layout.render(&c);
        let pieces = refs.pieces(text, &layout.lines, 0);
        // Every link of the corpus is drawn, whole, in reading order.
        let mut seen: Vec<(kaigi::corpus::NodeRef, usize, String)> = Vec::new();
        for p in &pieces {
            let line = text.plain(&layout.lines[p.line]);
            let mut col = 0;
            let shown: String = line
                .chars()
                .filter(|&ch| {
                    let w = kaigi::text::display::char_width(ch);
                    let inside = col >= p.cells.start && col + w <= p.cells.end;
                    col += w;
                    inside
                })
                .collect();
            match seen.last_mut() {
                Some((node, link, text)) if *node == p.node && *link == p.link => {
                    text.push_str(&shown);
                }
                _ => seen.push((p.node, p.link, shown)),
            }
        }
        let want: Vec<(kaigi::corpus::NodeRef, usize, String)> = c
            .iter_nodes()
            .flat_map(|(r, _)| {
                refs.links(r)
                    .iter()
                    .enumerate()
                    .map(move |(i, l)| (r, i, l.text.clone()))
            })
            .collect();
        assert_eq!(seen, want, "width {width}");
    }
    // Offsets: the pieces of a slice are numbered from its first line.
    let layout = Layout::new(&c, 80, DisplayOptions::default());
    let text = layout.render(&c);
    let all = refs.pieces(text, &layout.lines, 0);
    let first = all[0].line;
    let from = refs.pieces(text, &layout.lines[first..], first);
    assert_eq!(from, all);
}

#[test]
fn cited_documents_in_date_order() {
    let c = corpus();
    let mut table = String::new();
    for cit in refs::citations::citations(&c) {
        let _ = writeln!(
            table,
            "{:<10}  {}  [{}]  {}",
            cit.date
                .map_or_else(|| "-".to_string(), kaigi::corpus::Date::iso),
            cit.name,
            cit.issuer.as_deref().unwrap_or("-"),
            refs::place_ids(&c, &cit.places).join(" ")
        );
    }
    insta::assert_snapshot!("citations", table);
}

#[test]
fn the_index_of_terms() {
    let c = corpus();
    let refs = Refs::build(&c);
    let mut table = String::new();
    for e in &refs.index.entries {
        let _ = writeln!(
            table,
            "{}  {}  [{}]  {}",
            e.term,
            e.expansion.as_deref().unwrap_or("-"),
            e.kind.name(),
            refs::place_ids(&c, &e.mentions).join(" ")
        );
    }
    insta::assert_snapshot!("index", table);
}

#[test]
fn what_does_icpa_stand_for() {
    let c = corpus();
    let refs = Refs::build(&c);
    let hits = refs.index.narrow("icpa");
    assert_eq!(hits.len(), 1);
    let e = &refs.index.entries[hits[0]];
    assert_eq!(e.term, "ICPA");
    assert_eq!(
        e.expansion.as_deref(),
        Some("ウクライナに対する侵略犯罪の訴追のための国際センター")
    );
    assert_eq!(refs::place_ids(&c, &e.mentions), ["g7:7"]);
    // The mention's range is the acronym or its expansion in g7:7's text.
    let text: Vec<char> = c.node(e.mentions[0].node).text.chars().collect();
    let shown: String = text[e.mentions[0].range.clone()].iter().collect();
    assert_eq!(
        shown,
        "ウクライナに対する侵略犯罪の訴追のための国際センター"
    );
}

#[test]
fn narrowing_uses_search_normalisation() {
    let c = corpus();
    let refs = Refs::build(&c);
    let terms = |q: &str| -> Vec<String> {
        refs.index
            .narrow(q)
            .into_iter()
            .map(|i| refs.index.entries[i].term.clone())
            .collect()
    };
    // Full-width, lower case, hiragana for katakana, an English name, spaced capitals.
    assert_eq!(terms("ＧＩＦＣＴ"), ["GIFCT"]);
    assert_eq!(terms("g i f c t"), ["GIFCT"]);
    assert!(terms("たすくふぉーす").contains(&"ウクライナ汚職対策タスクフォース".to_string()));
    assert_eq!(terms("uruguay"), ["ウルグアイ"]);
    // The CRI's other spellings are forms of its one entry.
    assert_eq!(terms("国際カウンターランサムウェア"), ["CRI"]);
    assert!(terms("").len() == refs.index.entries.len());
    // Terms that start with what was typed first, then those matched by another form.
    let ic = terms("ic");
    assert_eq!(ic[..3], ["ICC", "ICPA", "ICT"]);
    assert!(ic.contains(&"メキシコ".to_string()), "Mexico: {ic:?}");
    assert!(terms("存在しない語").is_empty());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Every recogniser on any text: no panic, every range inside the text.
    #[test]
    fn recognisers_never_panic(text in "[附属文書ⅠⅡIVX１2３注脚第項章節パラセクション（）()「」、。 ABCGIFTの及び付けタスクフォース機構イニシアティブ年月日声明宣言コール2023令和5-]{0,60}") {
        let n = text.chars().count();
        for f in citations_in(&text) {
            prop_assert!(f.range.start < f.range.end && f.range.end <= n);
        }
        for d in terms::acronyms_in(&text) {
            prop_assert!(d.range.start < d.range.end && d.range.end <= n);
        }
        for x in terms::names_in(&text) {
            prop_assert!(x.range.start < x.range.end && x.range.end <= n);
        }
    }

    /// A whole document of such text next to the real ones: links, citations and index
    /// entries stay inside their nodes' text.
    #[test]
    fn refs_of_any_document(text in "[附属文書ⅠⅡI１2注脚第項章（）()、。\n ABCGIの付けタスクフォース機構年月日声明2023-]{0,80}") {
        if let Ok(doc) = load_bytes("fz", "fz.txt", text.as_bytes()) {
            fuzz_checks::check_refs(&Corpus { documents: vec![doc] }, &text);
        }
    }
}

/// Another document of the same kind, as `--file` would load it: found by the same rules.
#[test]
fn another_document_of_the_same_kind() {
    let text = "\nG 7 外務大臣会合コミュニケ\n2024年4月19日 於：カプリ\n\nⅠ. 前文\n\n1. 我々は、令和6年2月24日付けG7首脳声明を想起し、附属文書Ⅰに沿って、北大西洋条約機構（NATO）と協力する。\n2. 第1項及び脚注1を参照。\n\n附属文書Ⅰ：ウクライナ\n\n3. 我々は支援する。\n\n(注1) 注記。\n";
    let doc = load_bytes("capri", "capri.txt", text.as_bytes()).expect("loads");
    let c = Corpus {
        documents: vec![doc],
    };
    let refs = Refs::build(&c);
    let at = c.find_id("capri:1").expect("capri:1");
    let links: Vec<(String, String)> = refs
        .links(at)
        .iter()
        .map(|l| (l.text.clone(), l.target.id(&c)))
        .collect();
    assert_eq!(
        links,
        [("附属文書Ⅰ".to_string(), "capri:annex-I".to_string())]
    );
    // This annex has a body: following it says nothing more.
    assert_eq!(refs.links(at)[0].target.note(&c), None);
    let at = c.find_id("capri:2").expect("capri:2");
    let ids: Vec<String> = refs.links(at).iter().map(|l| l.target.id(&c)).collect();
    assert_eq!(ids, ["capri:1", "capri:note-1"]);
    let cited: Vec<(String, Option<String>)> = refs
        .citations
        .iter()
        .map(|x| (x.name.clone(), x.date.map(kaigi::corpus::Date::iso)))
        .collect();
    assert_eq!(
        cited,
        [("G7首脳声明".to_string(), Some("2024-02-24".to_string()))]
    );
    let nato = refs.index.find("NATO").expect("NATO in the index");
    assert_eq!(nato.expansion.as_deref(), Some("北大西洋条約機構"));
    assert_eq!(refs::place_ids(&c, &nato.mentions), ["capri:1"]);
}

#[path = "../benches/support/repeated.rs"]
mod repeated;

/// The embedded documents and the communiqué repeated (the shape of the large-file
/// benchmarks: labels repeated in every copy, paragraph numbers unique).
fn corpora() -> Vec<Corpus> {
    let rep = load_bytes("rep", "rep.txt", repeated::repeated_text(4).as_bytes()).expect("rep");
    vec![
        corpus(),
        Corpus {
            documents: vec![rep],
        },
    ]
}

/// Regression for the cost of the refs on a large file (a pass over the document for every
/// reference, a normalisation of every node for every term): the targets found by label are
/// the first node of that kind and label, as a scan of the document finds it.
#[test]
fn a_link_goes_to_the_first_node_of_its_kind_and_label() {
    for c in corpora() {
        let refs = Refs::build(&c);
        let mut seen = 0;
        for (r, _) in c.iter_nodes() {
            for l in refs.links(r) {
                let (refs::Target::Node(to) | refs::Target::TitleOnly(to)) = l.target else {
                    continue;
                };
                seen += 1;
                let target = c.node(to);
                let first = c.documents[to.doc]
                    .nodes
                    .iter()
                    .position(|n| n.kind == target.kind && n.label() == target.label());
                assert_eq!(first, Some(to.node), "{} → {}", l.text, target.id);
            }
        }
        assert!(seen > 0);
    }
}

/// The index's mentions, found in one pass a node for every term, are what looking for each
/// term's forms in each node on its own finds ([`kaigi::participants::name_ranges`]).
#[test]
fn the_index_mentions_are_each_terms_first_place_in_each_node() {
    for c in corpora() {
        let refs = Refs::build(&c);
        for e in &refs.index.entries {
            if e.kind == terms::TermKind::Participant {
                continue;
            }
            let forms: Vec<&str> = std::iter::once(e.term.as_str())
                .chain(e.expansion.as_deref())
                .chain(e.also.iter().map(String::as_str))
                .collect();
            let want: Vec<refs::Place> = c
                .iter_nodes()
                .filter_map(|(r, n)| {
                    let range = kaigi::participants::name_ranges(&n.text, &forms)
                        .into_iter()
                        .next()?;
                    Some(refs::Place { node: r, range })
                })
                .collect();
            assert_eq!(e.mentions, want, "{}", e.term);
        }
    }
}

/// The links found node by node as nodes come on screen (a large file's, before the whole
/// text's are found) are `Refs::build`'s, node for node and in the same order (a link's id,
/// its node and its place among the node's links, means the same link in both), whichever
/// screens come in whatever order, and however often the cache forgets and finds again.
#[test]
fn links_found_on_screen_are_the_whole_texts() {
    use kaigi::corpus::NodeRef;
    use kaigi::refs::{DocNames, NodeLinks, SeenLinks};
    for c in corpora() {
        let refs = Refs::build(&c);
        let nodes: Vec<NodeRef> = c.iter_nodes().map(|(r, _)| r).collect();
        for cap in [kaigi::refs::SEEN_NODES, 16] {
            let mut seen = SeenLinks::with_cap(DocNames::new(&c), cap);
            // Screens of 7 nodes down the text, then of 5 up it.
            for screen in nodes.chunks(7).chain(nodes.rchunks(5)) {
                seen.see(&c, screen);
                for &r in screen {
                    assert_eq!(seen.links(r), refs.links(r), "{}", c.node(r).id);
                }
                assert!(seen.len() <= cap.max(screen.len()), "{} kept", seen.len());
            }
        }
        // Every node, each on its own screen: all of them, with a link at all.
        let mut seen = SeenLinks::new(DocNames::new(&c));
        let mut links = 0;
        for &r in &nodes {
            seen.see(&c, &[r]);
            assert_eq!(seen.links(r), refs.links(r), "{}", c.node(r).id);
            links += seen.links(r).len();
        }
        assert!(links > 0);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Screens anywhere in the repeated communiqué, in any order, with a small cache: the
    /// links on each are the whole text's.
    #[test]
    fn links_on_any_screens_are_the_whole_texts(
        screens in proptest::collection::vec((0usize..400, 1usize..40), 1..20),
        cap in 1usize..64,
    ) {
        use kaigi::corpus::NodeRef;
        use kaigi::refs::{DocNames, NodeLinks, SeenLinks};
        static WHOLE: std::sync::OnceLock<(Corpus, Refs)> = std::sync::OnceLock::new();
        let (c, refs) = WHOLE.get_or_init(|| {
            let c = corpora().pop().expect("the repeated corpus");
            let refs = Refs::build(&c);
            (c, refs)
        });
        let nodes: Vec<NodeRef> = c.iter_nodes().map(|(r, _)| r).collect();
        let mut seen = SeenLinks::with_cap(DocNames::new(c), cap);
        for (start, len) in screens {
            let start = start % nodes.len();
            let screen = &nodes[start..(start + len).min(nodes.len())];
            seen.see(c, screen);
            for &r in screen {
                prop_assert_eq!(seen.links(r), refs.links(r));
            }
        }
    }
}
