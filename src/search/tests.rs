#![allow(clippy::unwrap_used)]

use std::sync::OnceLock;

use proptest::prelude::*;

use super::*;
use crate::corpus::load_embedded;

fn corpus() -> &'static Corpus {
    static CORPUS: OnceLock<Corpus> = OnceLock::new();
    CORPUS.get_or_init(load_embedded)
}

fn index() -> &'static SearchIndex {
    static INDEX: OnceLock<SearchIndex> = OnceLock::new();
    INDEX.get_or_init(|| SearchIndex::new(corpus()))
}

fn ids(hits: &[Hit]) -> Vec<&str> {
    hits.iter().map(|h| h.id.as_str()).collect()
}

fn text_of(hit: &Hit) -> &'static str {
    index().entry_text(corpus(), hit.target).unwrap()
}

/// The original characters behind each of a hit's ranges.
fn highlighted(hit: &Hit) -> Vec<String> {
    let chars: Vec<char> = text_of(hit).chars().collect();
    hit.ranges
        .iter()
        .map(|r| chars[r.clone()].iter().collect())
        .collect()
}

fn find<'a>(hits: &'a [Hit], id: &str) -> Option<&'a Hit> {
    hits.iter().find(|h| h.id == id)
}

#[test]
fn indexes_every_node() {
    let nodes = corpus().iter_nodes().count();
    assert_eq!(index().len(), nodes);
    assert!(!index().is_empty());
    // The document titles are nodes too.
    assert!(ids(&index().search("コミュニケ", 100)).contains(&"g7:title"));
}

#[test]
fn gifct_finds_paragraph_13_near_the_top() {
    let hits = index().search("GIFCT", 10);
    let top: Vec<&str> = ids(&hits).into_iter().take(3).collect();
    assert!(top.contains(&"g7:13"), "{top:?}");
    let hit = find(&hits, "g7:13").unwrap();
    assert!(hit.exact);
    // The paragraph names GIFCT three times: all are highlighted.
    assert_eq!(highlighted(hit), vec!["GIFCT", "GIFCT", "GIFCT"]);
    // Full width and lower case find it too.
    assert!(ids(&index().search("ｇｉｆｃｔ", 10)).contains(&"g7:13"));
    assert!(ids(&index().search("gifct", 10)).contains(&"g7:13"));
}

#[test]
fn icc_finds_paragraph_7() {
    let hits = index().search("ICC", 10);
    let hit = find(&hits, "g7:7").unwrap();
    assert!(hit.exact);
    assert_eq!(highlighted(hit), vec!["ICC", "ICC"]);
}

#[test]
fn ransomware_in_katakana_hiragana_and_romaji() {
    for q in [
        "ランサム",
        "らんさむ",
        "ransamu",
        "RANSAMU",
        "ﾗﾝｻﾑ",
        "ransam",
    ] {
        let hits = index().search(q, usize::MAX);
        for id in ["g7:23", "cri:1", "cri:3", "cri:title"] {
            let hit =
                find(&hits, id).unwrap_or_else(|| panic!("{q}: {id} not in {:?}", ids(&hits)));
            assert!(hit.exact, "{q}: {id}");
            assert!(
                highlighted(hit).iter().all(|h| h.starts_with("ランサ")),
                "{q}: {id}: {:?}",
                highlighted(hit)
            );
        }
    }
    let hits = index().search("ransamuwea", usize::MAX);
    assert!(highlighted(find(&hits, "cri:1").unwrap()).contains(&"ランサムウェア".to_string()));
}

#[test]
fn and_of_terms() {
    let hits = index().search("ランサム 不払い", usize::MAX);
    assert!(!hits.is_empty());
    for hit in &hits {
        let text = text_of(hit);
        assert!(
            text.contains("ランサム") && text.contains("不払い"),
            "{}",
            hit.id
        );
    }
    assert!(ids(&hits).contains(&"cri:4"));
    let h = find(&hits, "cri:4").unwrap();
    assert!(highlighted(h).contains(&"不払い".to_string()));
}

#[test]
fn exact_terms_do_not_scatter() {
    // 「テロ対策」 does not occur; テ…ロ…対…策 scattered might.
    let fuzzy = index().search("テロ対策", usize::MAX);
    let exact = index().search("'テロ対策", usize::MAX);
    for hit in &exact {
        assert!(hit.exact);
        assert!(text_of(hit).contains("テロ対策"));
    }
    assert!(exact.len() <= fuzzy.len());
    // Every exact hit of an ordinary query is also found with '.
    let plain = index().search("ランサム", usize::MAX);
    let quoted = index().search("'ランサム", usize::MAX);
    assert_eq!(ids(&plain), ids(&quoted));
}

#[test]
fn exclusion() {
    let all = index().search("ランサム", usize::MAX);
    let without = index().search("ランサム !イニシアティブ", usize::MAX);
    assert!(!without.is_empty());
    assert!(without.len() < all.len());
    for hit in &without {
        assert!(!text_of(hit).contains("イニシアティブ"), "{}", hit.id);
    }
    // An exclusion matches its kana form as well.
    let katakana = index().search("ランサム !カウンター", usize::MAX);
    let romaji = index().search("ランサム !kaunta-", usize::MAX);
    assert!(!romaji.is_empty() && romaji.len() < all.len());
    assert_eq!(ids(&romaji), ids(&katakana));
    // Only exclusions: nothing.
    assert!(index().search("!ランサム", usize::MAX).is_empty());
}

#[test]
fn empty_queries_find_nothing() {
    for q in ["", " ", "   ", "\u{3000}", "\t\n", "'", "!", "\u{200B}"] {
        assert!(index().search(q, usize::MAX).is_empty(), "{q:?}");
    }
    assert!(index().search("ランサム", 0).is_empty());
}

#[test]
fn limit_keeps_the_best() {
    let all = index().search("安全", usize::MAX);
    let top = index().search("安全", 5);
    assert_eq!(top.len(), 5);
    assert_eq!(top, all[..5].to_vec());
}

#[test]
fn exact_hits_rank_above_scattered_ones_in_corpus_order() {
    // 国際協力 occurs as such and also scattered (国際的な協力, 国際刑事警察機構が果たす…).
    let hits = index().search("国際協力", usize::MAX);
    let first_scattered = hits.iter().position(|h| !h.exact).unwrap_or(hits.len());
    assert!(hits[..first_scattered].iter().all(|h| h.exact));
    assert!(hits[first_scattered..].iter().all(|h| !h.exact));
    assert!(hits[first_scattered..].iter().all(|h| h.score < EXACT_BASE));
    assert!(
        first_scattered > 0 && first_scattered < hits.len(),
        "{hits:?}"
    );
    // Exact hits in corpus order.
    let order: Vec<(usize, usize)> = hits[..first_scattered]
        .iter()
        .map(|h| match h.target {
            Target::Node(r) => (r.doc, r.node),
            Target::Extra(i) => (usize::MAX, i),
        })
        .collect();
    let mut sorted = order.clone();
    sorted.sort_unstable();
    assert_eq!(order, sorted);
}

#[test]
fn scatter_is_bounded() {
    // Three characters that each occur in many paragraphs, never close together.
    let hits = index().search("我ウ値", usize::MAX);
    assert!(hits.is_empty(), "{:?}", ids(&hits));
    for hit in index().search("テロ対策", usize::MAX) {
        for r in &hit.ranges {
            assert!(r.end - r.start <= 8);
        }
        let first = hit.ranges.first().unwrap().start;
        let last = hit.ranges.last().unwrap().end;
        assert!(
            last - first <= MAX_SCATTER * 4,
            "{}: {:?}",
            hit.id,
            hit.ranges
        );
    }
}

#[test]
fn scattered_ranges_point_at_the_matched_characters() {
    // 暴力的過激主義 → 暴…過激: the scattered term's characters are highlighted one by one.
    let hits = index().search("暴過激", usize::MAX);
    assert!(!hits.is_empty());
    for hit in &hits {
        assert!(!hit.exact);
        let joined: String = highlighted(hit).concat();
        assert_eq!(joined, "暴過激", "{}", hit.id);
    }
}

#[test]
fn ranges_are_sorted_merged_and_inside_the_text() {
    for q in [
        "G7",
        "ICC",
        "ランサム",
        "安全 協力",
        "テロ対策",
        "tero",
        "2023年",
    ] {
        for hit in index().search(q, usize::MAX) {
            let n = text_of(&hit).chars().count();
            assert!(!hit.ranges.is_empty(), "{q}: {}", hit.id);
            for w in hit.ranges.windows(2) {
                assert!(w[0].end < w[1].start, "{q}: {}: {:?}", hit.id, hit.ranges);
            }
            for r in &hit.ranges {
                assert!(r.start < r.end && r.end <= n, "{q}: {}: {:?}", hit.id, r);
            }
        }
    }
}

fn extras() -> Vec<Extra> {
    vec![
        Extra {
            id: "participants:UY".into(),
            doc: "cri".into(),
            text: "ウルグアイ Uruguay UY".into(),
        },
        Extra {
            id: "x:spaced".into(),
            doc: "x".into(),
            text: "連携する G I F C T 及び I C C と Ｇ　７ 第Ⅶ章".into(),
        },
    ]
}

#[test]
fn extras_are_searched() {
    let index = SearchIndex::with_extra(corpus(), extras());
    assert_eq!(index.len(), corpus().iter_nodes().count() + 2);
    let hits = index.search("uruguay", 10);
    // The row, and (through the kana form うるぐあ of the romaji reading) the annex that lists
    // ウルグアイ; extras come after the nodes.
    assert_eq!(ids(&hits), vec!["cri:annex-1.1", "participants:UY"]);
    let hit = find(&hits, "participants:UY").unwrap();
    assert_eq!(hit.target, Target::Extra(0));
    assert_eq!(hit.doc, "cri");
    assert_eq!(
        index.entry_text(corpus(), hit.target),
        Some("ウルグアイ Uruguay UY")
    );
    assert_eq!(
        ids(&index.search("uruguay uy", 10)),
        vec!["participants:UY"]
    );
    assert!(ids(&index.search("うるぐあい", 10)).contains(&"participants:UY"));
    assert!(ids(&index.search("uruguai", 10)).contains(&"participants:UY"));
}

#[test]
fn spaced_text_matches_closed_up_queries() {
    let index = SearchIndex::with_extra(corpus(), extras());
    let text = &index.extras()[1].text;
    let cases = [
        ("GIFCT", "G I F C T"),
        ("ICC", "I C C"),
        ("G7", "Ｇ　７"),
        ("g７", "Ｇ　７"),
        ("VII", "Ⅶ"),
        ("第vii章", "第Ⅶ章"),
        ("ⅶ", "Ⅶ"),
    ];
    for (q, want) in cases {
        let hits = index.search(q, usize::MAX);
        let hit = find(&hits, "x:spaced").unwrap_or_else(|| panic!("{q}"));
        assert!(hit.exact, "{q}");
        let chars: Vec<char> = text.chars().collect();
        let got: Vec<String> = hit
            .ranges
            .iter()
            .map(|r| chars[r.clone()].iter().collect())
            .collect();
        assert_eq!(got, vec![want.to_string()], "{q}");
    }
}

#[test]
fn hits_serialise_their_ranges() {
    let hits = index().search("GIFCT", 1);
    let v = serde_json::to_value(&hits[0]).unwrap();
    assert_eq!(v["ranges"][0]["start"], hits[0].ranges[0].start);
}

/// Every node text with the char count, for the proptests.
fn texts() -> &'static Vec<(String, String)> {
    static TEXTS: OnceLock<Vec<(String, String)>> = OnceLock::new();
    TEXTS.get_or_init(|| {
        corpus()
            .iter_nodes()
            .filter(|(_, n)| !n.text.trim().is_empty())
            .map(|(_, n)| (n.id.clone(), n.text.clone()))
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Nothing that a substring search would find is missed.
    #[test]
    fn every_substring_finds_its_node(pick in any::<prop::sample::Index>(), a in any::<prop::sample::Index>(), len in 1usize..24) {
        let (id, text) = pick.get(texts());
        let chars: Vec<char> = text.chars().collect();
        let start = a.index(chars.len());
        let end = (start + len).min(chars.len());
        let sub: String = chars[start..end].iter().collect();
        // `!` and `'` at the start of a word are query syntax.
        prop_assume!(!sub.contains(['!', '\'', '！', '＇']));
        prop_assume!(!normalize::normalize(&sub).text.trim().is_empty());
        let hits = index().search(&sub, usize::MAX);
        let hit = hits.iter().find(|h| &h.id == id);
        prop_assert!(hit.is_some(), "{:?} not found by {:?}", id, sub);
        let hit = hit.unwrap();
        prop_assert!(hit.exact, "{:?} not exact for {:?}", id, sub);
        prop_assert!(hit.score >= EXACT_BASE);
        prop_assert!(!hit.ranges.is_empty());
    }

    /// A substring's hit highlights exactly that text when the substring is a single word.
    #[test]
    fn ranges_slice_the_original(pick in any::<prop::sample::Index>(), a in any::<prop::sample::Index>(), len in 2usize..12) {
        let (id, text) = pick.get(texts());
        let chars: Vec<char> = text.chars().collect();
        let start = a.index(chars.len());
        let end = (start + len).min(chars.len());
        let sub: String = chars[start..end].iter().collect();
        prop_assume!(!sub.contains(['!', '\'', '！', '＇']) && !sub.chars().any(char::is_whitespace));
        let norm = normalize::normalize(&sub).text;
        prop_assume!(!norm.is_empty());
        let hits = index().search(&sub, usize::MAX);
        let hit = hits.iter().find(|h| &h.id == id).unwrap();
        // Every highlighted stretch normalises to (a repetition of) the query's literal or kana
        // form.
        let query = query::Query::parse(&sub);
        let forms: Vec<&str> = query.terms[0].forms.iter().map(|f| f.text.as_str()).collect();
        for r in &hit.ranges {
            let shown: String = chars[r.clone()].iter().collect();
            let n = normalize::normalize(&shown).text;
            prop_assert!(forms.iter().any(|f| n.contains(f)), "{:?}: {:?} highlights {:?}", id, sub, shown);
        }
        prop_assert!(hit.ranges.iter().any(|r| r.start <= start && end <= r.end), "{:?}: {:?}", sub, hit.ranges);
    }

    #[test]
    fn search_never_panics(q in "\\PC{0,12}|[\\x00-\\x20\u{300}-\u{36f}\u{3099}\u{309a}\u{ff9e}\u{1f600}-\u{1f64f}!' a-zA-Zアーン]{0,16}", limit in 0usize..50) {
        let hits = index().search(&q, limit);
        prop_assert!(hits.len() <= limit);
        for hit in &hits {
            let n = text_of(hit).chars().count();
            for r in &hit.ranges {
                prop_assert!(r.start < r.end && r.end <= n);
            }
            let (s, rs) = snippet(text_of(hit), &hit.ranges, 40);
            prop_assert!(crate::text::display::str_width(&s) <= 40);
            for r in rs {
                prop_assert!(r.end <= s.chars().count());
            }
        }
    }

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,40}|[\\x00-\\x20\u{300}-\u{36f}\u{3099}\u{ff9e}\u{ff76}\u{2160}-\u{216f}a-zA-Z0-9 ]{0,40}", q in "[a-zA-Z0-9 \u{3099}\u{ff76}\u{2160}]{0,6}") {
        let extra = vec![Extra { id: "x".into(), doc: "x".into(), text: text.clone() }];
        let index = SearchIndex::with_extra(&Corpus::default(), extra);
        let n = text.chars().count();
        for hit in index.search(&q, usize::MAX) {
            for r in &hit.ranges {
                prop_assert!(r.start < r.end && r.end <= n);
            }
        }
        // The text itself, as one word, always finds itself.
        let word: String = text.chars().filter(|c| !c.is_whitespace() && !c.is_control() && !matches!(c, '!' | '\'' | '！' | '＇')).collect();
        if !normalize::normalize(&word).text.is_empty() && word == text {
            prop_assert_eq!(index.search(&word, 1).len(), 1);
        }
    }
}

#[test]
fn long_queries_are_cut_and_cheap() {
    let long = "の".repeat(10_000);
    let q = query::Query::parse(&long);
    assert_eq!(q.terms[0].len(), query::MAX_QUERY_CHARS);
    let started = std::time::Instant::now();
    assert!(index().search(&long, 10).is_empty());
    let words = "安全 ".repeat(5_000);
    assert!(!index().search(&words, 10).is_empty());
    // Generous: a debug build on a loaded machine.
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
}

#[test]
fn the_index_can_be_built_and_shared_across_threads() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<SearchIndex>();
    send_sync::<Hit>();
}

#[test]
fn operators_are_read_from_what_was_typed() {
    // `‼` decomposes to `!!` under NFKC but is a character to find, not an exclusion.
    let extra = vec![Extra {
        id: "x".into(),
        doc: "x".into(),
        text: "注意‼".into(),
    }];
    let index = SearchIndex::with_extra(&Corpus::default(), extra);
    assert_eq!(index.search("‼", 10).len(), 1);
    // The full-width forms of the operators and of the space still work.
    let q = query::Query::parse("国際協力\u{3000}！ロシア ＇テロ");
    let kinds: Vec<query::TermKind> = q.terms.iter().map(|t| t.kind).collect();
    assert_eq!(
        kinds,
        [
            query::TermKind::Fuzzy,
            query::TermKind::Exclude,
            query::TermKind::Exact
        ]
    );
}
