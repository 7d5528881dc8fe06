//! The parsed corpus: structure of both documents, repairs, ids, and that nothing is lost.

use kaigi::corpus::Resolved;
use kaigi::corpus::{
    Corpus, EMBEDDED, Encoding, LoadError, NodeKind, Repair, load_bytes, load_embedded,
    parse_document,
};

fn corpus() -> Corpus {
    load_embedded()
}

fn node<'a>(c: &'a Corpus, id: &str) -> &'a kaigi::corpus::Node {
    c.node(c.find_id(id).unwrap_or_else(|| panic!("no node {id}")))
}

fn non_ws(s: &str) -> Vec<char> {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn every_character_kept_once_in_order() {
    let c = corpus();
    for ((_, name, text), doc) in EMBEDDED.iter().zip(&c.documents) {
        let rebuilt: String = doc
            .nodes
            .iter()
            .map(|n| [n.source_prefix(), n.text.as_str()].concat())
            .collect();
        assert_eq!(
            non_ws(&rebuilt),
            non_ws(text),
            "{name}: characters lost, added or reordered"
        );
    }
}

#[test]
fn g7_header() {
    let c = corpus();
    let g7 = &c.documents[0];
    assert_eq!(g7.id, "g7");
    assert_eq!(g7.title, "G7内務・安全担当大臣コミュニケ");
    assert_eq!(
        g7.date.map(kaigi::corpus::Date::iso).as_deref(),
        Some("2023-12-10")
    );
    assert_eq!(g7.place.as_deref(), Some("茨城県水戸市"));
}

#[test]
fn g7_sections_and_paragraphs() {
    let c = corpus();
    let g7 = &c.documents[0];
    let sections: Vec<&str> = g7
        .nodes
        .iter()
        .filter(|n| n.kind == NodeKind::Section)
        .map(|n| n.id.as_str())
        .collect();
    assert_eq!(
        sections,
        [
            "g7:I", "g7:II", "g7:III", "g7:IV", "g7:V", "g7:VI", "g7:VII", "g7:VIII"
        ]
    );
    // Section VII is written with the single character Ⅶ in the source.
    let vii = node(&c, "g7:VII");
    assert_eq!(vii.source_prefix(), "Ⅶ.");
    assert_eq!(vii.label(), Some("VII"));
    assert_eq!(vii.text, "児童の性的搾取及び虐待");
    // 37 numbered paragraphs, 1..=37 in order.
    let numbers: Vec<String> = g7
        .nodes
        .iter()
        .filter(|n| n.kind == NodeKind::Paragraph)
        .filter_map(|n| n.label().map(str::to_string))
        .collect();
    let want: Vec<String> = (1..=37).map(|n| n.to_string()).collect();
    assert_eq!(numbers, want);
    // Which paragraph sits in which section.
    let expect = [
        ("I", 1..=5),
        ("II", 6..=9),
        ("III", 10..=14),
        ("IV", 15..=16),
        ("V", 17..=19),
        ("VI", 20..=25),
        ("VII", 26..=29),
        ("VIII", 30..=37),
    ];
    for (sec, range) in expect {
        let s = g7.find(&format!("g7:{sec}")).expect("section");
        let kids: Vec<String> = g7.nodes[s]
            .children
            .iter()
            .map(|&i| g7.nodes[i].id.clone())
            .collect();
        let want: Vec<String> = range.map(|n| format!("g7:{n}")).collect();
        assert_eq!(kids, want, "section {sec}");
    }
}

#[test]
fn g7_annexes() {
    let c = corpus();
    let a1 = node(&c, "g7:annex-I");
    assert_eq!(a1.kind, NodeKind::Annex);
    assert!(a1.text.starts_with("テクノロジー企業に対する"));
    let a2 = node(&c, "g7:annex-II");
    assert!(a2.text.ends_with("G7宣言"));
    assert_eq!(
        a1.parent, None,
        "annexes stand at the top level, after section VIII"
    );
}

#[test]
fn page_breaks_repaired() {
    let c = corpus();
    // Six of the communiqué's paragraphs were split by page breaks.
    let joined: Vec<&str> = c.documents[0]
        .nodes
        .iter()
        .filter(|n| n.repairs().contains(&Repair::JoinedPageBreak))
        .map(|n| n.id.as_str())
        .collect();
    assert_eq!(
        joined,
        ["g7:7", "g7:10", "g7:13", "g7:21", "g7:32", "g7:36"]
    );
    assert!(
        node(&c, "g7:7")
            .text
            .contains("子供を含むウクライナの民間人")
    );
    assert!(
        node(&c, "g7:10")
            .text
            .contains("ハマスは、パレスチナの人々")
    );
    assert!(
        node(&c, "g7:13")
            .text
            .contains("暴力的過激主義コンテンツを特定し")
    );
    assert!(
        node(&c, "g7:21")
            .text
            .contains("必要があることを認識する。我々は")
    );
    assert!(
        node(&c, "g7:32")
            .text
            .contains("特に、犯罪者がデジタル資産")
    );
    assert!(
        node(&c, "g7:36")
            .text
            .contains("継続するとの我々のコミットメントを再確認する。")
    );
}

#[test]
fn spaced_acronyms_closed_up() {
    let c = corpus();
    assert!(node(&c, "g7:13").text.contains("（GIFCT）との協力"));
    assert!(node(&c, "g7:13").text.contains("GIFCTメンバー"));
    assert!(node(&c, "g7:7").text.contains("ICCの捜査"));
    assert!(
        node(&c, "g7:1")
            .text
            .starts_with("我々、G7内務・安全担当大臣は")
    );
    assert!(node(&c, "g7:15").text.contains("G7首脳声明"));
    for (_, n) in c.iter_nodes() {
        assert!(
            !n.text.contains("G I F C T") && !n.text.contains("G 7"),
            "{}",
            n.id
        );
    }
}

#[test]
fn cri_header_and_items() {
    let c = corpus();
    let cri = &c.documents[1];
    assert_eq!(cri.id, "cri");
    assert_eq!(
        cri.date.map(kaigi::corpus::Date::iso).as_deref(),
        Some("2023-11-02")
    );
    assert_eq!(
        cri.issuers,
        ["警察庁", "外務省", "内閣サイバーセキュリティセンター"]
    );
    assert_eq!(
        cri.title,
        "「カウンターランサムウェア・イニシアティブ会合」への参加"
    );
    for n in 1..=5 {
        let p = node(&c, &format!("cri:{n}"));
        assert_eq!(p.kind, NodeKind::Paragraph);
        assert_eq!(p.label(), Some(n.to_string().as_str()));
    }
    assert!(node(&c, "cri:1").text.starts_with("米国時間10月31日"));
    let contact = node(&c, "cri:contact");
    assert_eq!(contact.kind, NodeKind::Block);
    assert_eq!(contact.text.lines().count(), 4);
    assert!(contact.text.ends_with("連絡先 03-3580-3195"));
}

#[test]
fn cri_annex() {
    let c = corpus();
    let annex = node(&c, "cri:annex");
    assert_eq!(annex.kind, NodeKind::Annex);
    assert_eq!(annex.label(), Some("別添"));
    assert_eq!(annex.text, "成果文書等の概要");
    let cri = &c.documents[1];
    let secs: Vec<&str> = annex
        .children
        .iter()
        .map(|&i| cri.nodes[i].id.as_str())
        .collect();
    assert_eq!(secs, ["cri:annex-1", "cri:annex-2", "cri:annex-3"]);
    // Section 1: the participant list and its count line.
    let list = node(&c, "cri:annex-1.1");
    assert!(list.text.starts_with("アルバニア、オーストラリア"));
    assert!(list.text.contains("ウルグアイ"));
    let count = node(&c, "cri:annex-1.2");
    assert_eq!(count.kind, NodeKind::Note);
    assert!(count.text.contains("計50か国・機関"));
    // Section 2: the joint statement's two points.
    assert_eq!(node(&c, "cri:annex-2").children.len(), 2);
    // Section 3: five statements, the fourth with four nested items, then two notes.
    let s3 = node(&c, "cri:annex-3");
    let kids: Vec<&str> = s3
        .children
        .iter()
        .map(|&i| cri.nodes[i].id.as_str())
        .collect();
    assert_eq!(
        kids,
        [
            "cri:annex-3.1",
            "cri:annex-3.2",
            "cri:annex-3.3",
            "cri:annex-3.4",
            "cri:annex-3.5",
            "cri:note-1",
            "cri:note-2"
        ]
    );
    let paying = node(&c, "cri:annex-3.4");
    assert!(paying.text.ends_with("支払うことは："));
    let nested: Vec<&str> = paying
        .children
        .iter()
        .map(|&i| cri.nodes[i].text.as_str())
        .collect();
    assert_eq!(nested.len(), 4, "{nested:?}");
    assert!(nested[2].starts_with("犯罪者が不正活動のために"));
    assert!(nested[3].starts_with("貴方がデータを取り戻す"));
    assert!(
        node(&c, "cri:annex-3.5")
            .text
            .starts_with("我々は、インターポールを含む")
    );
    assert!(node(&c, "cri:note-1").text.contains("注：47か国・機関"));
    assert_eq!(node(&c, "cri:note-2").text, "国内法及び国内規制に従って。");
    assert_eq!(node(&c, "cri:note-1").label(), Some("注1"));
}

#[test]
fn ids_unique_and_resolvable() {
    let c = corpus();
    let mut seen = std::collections::HashSet::new();
    for (r, n) in c.iter_nodes() {
        assert!(seen.insert(n.id.clone()), "duplicate id {}", n.id);
        assert_eq!(c.find_id(&n.id), Some(r));
    }
    let g7_23 = c.find_id("g7:23").expect("g7:23");
    assert_eq!(c.resolve("23", 0).ok(), Some(Resolved::Node(g7_23)));
    assert_eq!(
        c.resolve("3", 1).ok(),
        c.find_id("cri:3").map(Resolved::Node)
    );
    assert_eq!(
        c.resolve("Ⅶ", 0).ok(),
        c.find_id("g7:VII").map(Resolved::Node)
    );
    assert_eq!(
        c.resolve("g7:vii", 1).ok(),
        c.find_id("g7:VII").map(Resolved::Node)
    );
    assert_eq!(c.resolve("cri", 0).ok(), Some(Resolved::Document(1)));
    assert!(c.resolve("nope", 0).is_err());
    assert!(c.resolve("", 0).is_err());
}

#[test]
fn another_document_of_the_same_shape() {
    let text = "\nG 7 外務大臣会合コミュニケ\n2024年4月19日 於：カプリ\n\nⅠ. 前文\n\n1. 我々、G 7外務大臣は、会合した。\n2. 我々は、ロシアの侵略を非難し\n\nつづける。\n\nⅡ. 中東\n\n3. 我々は懸念する。\n";
    let d = parse_document("capri", "capri.txt", text);
    assert_eq!(d.title, "G7外務大臣会合コミュニケ");
    assert_eq!(
        d.date.map(kaigi::corpus::Date::iso).as_deref(),
        Some("2024-04-19")
    );
    assert_eq!(d.place.as_deref(), Some("カプリ"));
    let ids: Vec<&str> = d.nodes.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "capri:title",
            "capri:date",
            "capri:I",
            "capri:1",
            "capri:2",
            "capri:II",
            "capri:3"
        ]
    );
    assert_eq!(d.nodes[4].text, "我々は、ロシアの侵略を非難しつづける。");
}

#[test]
fn load_errors_name_the_problem() {
    assert_eq!(
        load_bytes("x", "x.txt", b""),
        Err(LoadError::Empty {
            path: "x.txt".into()
        })
    );
    assert_eq!(
        load_bytes("x", "x.txt", b" \n\n "),
        Err(LoadError::Empty {
            path: "x.txt".into()
        })
    );
    assert_eq!(
        load_bytes("x", "x.txt", b"ab\xffcd"),
        Err(LoadError::NotText {
            path: "x.txt".into(),
            tried: vec![
                (Encoding::Utf8, 2),
                (Encoding::ShiftJis, 2),
                (Encoding::EucJp, 2)
            ]
        })
    );
    assert_eq!(
        load_bytes("x", "x.txt", b"ab\0cd"),
        Err(LoadError::Binary {
            path: "x.txt".into(),
            offset: 2
        })
    );
    let e = load_bytes("x", "dir/x.txt", b"\xe3\x81\x82\xff").expect_err("no encoding");
    assert_eq!(
        e.to_string(),
        "dir/x.txt: not UTF-8 text (invalid byte at offset 3), nor Shift_JIS (at 2) or EUC-JP \
         (at 0); to read what can be read: iconv -c -f UTF-8 -t UTF-8 dir/x.txt | kaigi --file -"
    );
    let dir = std::env::temp_dir();
    let e = kaigi::corpus::load_file(&dir).expect_err("a directory");
    assert!(
        e.to_string().ends_with("is a directory, not a text file"),
        "{e}"
    );
    let e =
        kaigi::corpus::load_file(std::path::Path::new("/no/such/file.txt")).expect_err("missing");
    assert_eq!(e.to_string(), "/no/such/file.txt: no such file");
}

#[path = "../benches/support/repeated.rs"]
mod repeated;

/// Regression: paragraph numbers above 9999 were not read as numbers, so a long document's
/// paragraphs from 10000 on were folded into paragraph 9999's text (one node of megabytes).
#[test]
fn paragraph_numbers_past_9999_are_paragraphs() {
    let text: String = std::iter::once("長い文書\n\nI. 本文\n\n".to_string())
        .chain((1..=12_000).map(|k| format!("{k}. 第{k}項の本文である。\n")))
        .collect();
    let doc = kaigi::corpus::parse_document("long", "long.txt", &text);
    let numbered: Vec<&str> = doc
        .nodes
        .iter()
        .filter(|n| n.kind == kaigi::corpus::NodeKind::Paragraph && n.label().is_some())
        .map(|n| n.id.as_str())
        .collect();
    assert_eq!(numbered.len(), 12_000);
    assert_eq!(numbered.last(), Some(&"long:12000"));
    let n = &doc.nodes[doc.find("long:10001").expect("paragraph 10001")];
    assert_eq!(n.text, "第10001項の本文である。");
}

/// A document that repeats its headings gets the ids it always got (`VII`, `VII-2`, …,
/// `VII-40`) — since the suffix search starts where it last stopped, a thousand copies cost
/// a thousand steps rather than half a million (measured by `cargo bench --bench core`).
#[test]
fn repeated_headings_get_numbered_ids_in_order() {
    let doc = kaigi::corpus::parse_document("rep", "rep.txt", &repeated::repeated_text(40));
    let sevens: Vec<&str> = doc
        .nodes
        .iter()
        .filter(|n| n.kind == kaigi::corpus::NodeKind::Section && n.label() == Some("VII"))
        .map(|n| n.id.as_str())
        .collect();
    let want: Vec<String> = std::iter::once("rep:VII".to_string())
        .chain((2..=40).map(|k| format!("rep:VII-{k}")))
        .collect();
    assert_eq!(sevens, want);
    // Every paragraph number is unique through the copies.
    assert!(doc.find("rep:1480").is_some(), "37 x 40 paragraphs");
    let mut ids: Vec<&str> = doc.nodes.iter().map(|n| n.id.as_str()).collect();
    let all = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), all);
}

/// Lines of every shape the parser knows, for generated documents: headings of each kind
/// (repeated, so ids collide), numbered paragraphs (numbers repeated too), nested items,
/// notes, text that does or does not end a sentence or open a list with a colon, contact
/// blocks, parenthesised remarks, spaced-out acronyms, hard breaks, CRLF and blank lines.
const SHAPES: &[&str] = &[
    "",
    "",
    "G7内務・安全担当大臣会合コミュニケ",
    "2023年12月10日 於：水戸",
    "I. 前文",
    "Ⅶ. 児童の性的搾取",
    "II. ウクライナとの連帯",
    "## (別添) 成果文書等の概要",
    "### 1 カウンターランサムウェア",
    "# 見出し",
    "附属文書Ⅰ：テクノロジー",
    "別添 参加国",
    "1. 我々は、協力を強化する。",
    "2. 我々は、G I F C T と連携し",
    "23. 生成人工知能（AI）を含む",
    "- 項目である。",
    "- 3 番号付きの項目：",
    "  - 入れ子の項目",
    "    - さらに深い項目",
    "・中黒の項目",
    "(注1) 注記である。",
    "（注２）全角の注記",
    "※ 米印の注記",
    "(計50の国・機関)",
    "問い合わせ先：",
    "内閣官房 電話 03-0000-0000",
    "我々は、以下を確認する：",
    "ページをまたいで続く文",
    "文が終わる。",
    "ハードブレイクの行  ",
    "CRLFの行\r",
    "A B C D の略語",
    "　全角空白で始まる行",
];

fn document_text(picks: &[usize]) -> String {
    let mut s = String::new();
    for &k in picks {
        s.push_str(SHAPES[k % SHAPES.len()]);
        s.push('\n');
    }
    s
}

/// Feeds `text` to a parser in windows of `sizes` lines (cycling), as the browser's loader
/// does, checking after each that every node but the last already is the whole parse's.
fn parse_in_windows(
    text: &str,
    sizes: &[usize],
    whole: &kaigi::corpus::Document,
) -> Result<kaigi::corpus::Document, String> {
    let mut parser = kaigi::corpus::Parser::new(&whole.id);
    let mut doc = kaigi::corpus::Document::empty(&whole.id, &whole.source_name);
    let mut start = 0;
    let mut end = 0;
    for &n in sizes.iter().cycle() {
        // `n` more lines (a window may be empty).
        for _ in 0..n {
            end = text[end..].find('\n').map_or(text.len(), |i| end + i + 1);
        }
        let last = end >= text.len();
        if !parser.parse(&text[start..end], last, &mut doc) {
            // The header needs a longer window.
            continue;
        }
        start = end;
        if doc.title != whole.title {
            return Err(format!("title {:?} after {start} bytes", doc.title));
        }
        let nodes = &doc.nodes;
        for (k, node) in nodes.iter().enumerate().take(nodes.len().saturating_sub(1)) {
            let done = &whole.nodes[k];
            let got = (
                &node.id,
                node.kind,
                node.label(),
                node.marker(),
                &node.text,
                node.parent,
                node.depth,
                node.repairs(),
            );
            let want = (
                &done.id,
                done.kind,
                done.label(),
                done.marker(),
                &done.text,
                done.parent,
                done.depth,
                done.repairs(),
            );
            if got != want {
                return Err(format!(
                    "node {k} after {start} bytes: {got:?} against {want:?}"
                ));
            }
        }
        if last {
            break;
        }
    }
    parser.finish(&mut doc);
    Ok(doc)
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]

    /// A document parsed in windows of any sizes is the document parsed at once, and every
    /// node the parser has passed (all but the last) already is what the whole parse gives:
    /// what the browser shows before the parse ends never changes after.
    #[test]
    fn parsed_in_slices_is_parsed_at_once(
        picks in proptest::collection::vec(0usize..1000, 0..120),
        sizes in proptest::collection::vec(0usize..12, 1..40),
        trailing_newline in proptest::bool::ANY,
    ) {
        proptest::prop_assume!(sizes.iter().any(|&n| n > 0));
        let mut text = document_text(&picks);
        if !trailing_newline {
            text.pop();
        }
        let whole = parse_document("d", "d.txt", &text);
        let sliced = parse_in_windows(&text, &sizes, &whole);
        proptest::prop_assert_eq!(sliced, Ok(whole));
    }
}

#[test]
fn parsed_in_slices_the_repeated_communique_is_parsed_at_once() {
    let text = include_str!("../seeds/000_5e00753f0cefcf0c.txt").repeat(3);
    let whole = parse_document("g7", "g7.txt", &text);
    assert_eq!(parse_in_windows(&text, &[7, 1, 30], &whole), Ok(whole));
    let cri = include_str!("../seeds/003_7641033908ca50ac.txt");
    let whole = parse_document("cri", "cri.txt", cri);
    assert_eq!(parse_in_windows(cri, &[1, 2, 3], &whole), Ok(whole));
}
