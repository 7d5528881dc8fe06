//! kaigi's search scored on the judged query set (`tests/judged/queries.tsv`, relevance judged
//! by reading the texts): floors per kind of query, and the examples of issue 13 by name.
//! `cargo run --example judged` prints the same figures.

#![allow(clippy::unwrap_used)]

#[path = "judged/score.rs"]
mod score;

use std::sync::OnceLock;

use kaigi::search::{Hit, SearchIndex};

fn index() -> &'static SearchIndex {
    static INDEX: OnceLock<SearchIndex> = OnceLock::new();
    INDEX.get_or_init(|| kaigi::search::searchable(&kaigi::corpus::load_embedded()))
}

fn ids(q: &str) -> Vec<String> {
    index()
        .search(q, 50)
        .into_iter()
        .map(|h: Hit| h.id)
        .collect()
}

#[test]
fn the_set_is_large_and_covers_every_kind() {
    let set = score::load(score::QUERIES);
    assert!(set.len() >= 60, "{}", set.len());
    for kind in [
        "label",
        "exact",
        "fuzzy",
        "near",
        "syntax",
        "acronym",
        "glossary",
        "participant",
    ] {
        assert!(set.iter().any(|j| j.kind == kind), "{kind}");
    }
    // Every judged id exists.
    let corpus = kaigi::corpus::load_embedded();
    for j in &set {
        for (id, _) in &j.grades {
            assert!(
                corpus.find_id(id).is_some() || id.starts_with("participants:"),
                "{}: {id}",
                j.query
            );
        }
    }
}

#[test]
fn per_kind_floors() {
    let set = score::load(score::QUERIES);
    let outcomes = score::run(index(), &set);
    let kinds = score::by_kind(&outcomes);
    let misses: Vec<String> = outcomes
        .iter()
        .filter(|o| !o.first_right)
        .map(|o| format!("{} → {:?}", o.judged.query, o.top))
        .collect();
    let (_, ndcg, p1) = kinds["all"];
    assert!(ndcg >= 0.95, "nDCG@10 {ndcg:.3}; misses {misses:#?}");
    assert!(p1 >= 0.95, "P@1 {p1:.3}; misses {misses:#?}");
    for (kind, (_, ndcg, p1)) in &kinds {
        let floor = if kind == "near" { 0.8 } else { 0.9 };
        assert!(*ndcg >= floor, "{kind}: nDCG@10 {ndcg:.3}");
        assert!(*p1 >= floor, "{kind}: P@1 {p1:.3}; misses {misses:#?}");
    }
}

#[test]
fn the_examples_of_issue_13() {
    let first = |q: &str| ids(q).first().cloned().unwrap_or_default();
    assert_eq!(first("ランサムウェア"), "cri:title");
    assert_eq!(first("児童"), "g7:VII");
    assert_eq!(first("詐欺"), "g7:annex-II");
    assert_eq!(first("国際刑事警察機構"), "g7:37");
    assert_eq!(first("23"), "g7:23");
    assert_eq!(first("GIFTC"), "g7:13");
    assert_eq!(first("ランサムウエア"), "cri:title");
    assert_eq!(first("ransomware"), "cri:title");
    let starts = ids("^我々は");
    assert!(!starts.is_empty());
    let corpus = kaigi::corpus::load_embedded();
    for id in &starts {
        let r = corpus.find_id(id).unwrap();
        assert!(corpus.node(r).text.starts_with("我々は"), "{id}");
    }
    let mut or = ids("FATF | REPO");
    or.sort();
    assert_eq!(or, ["g7:32", "g7:9"]);
    let ai = ids("AI");
    assert_eq!(ai.first().map(String::as_str), Some("g7:24"));
    assert!(!ai.iter().any(|id| id.contains("IE")), "{ai:?}");
    let interpol = ids("interpol");
    assert!(
        interpol.iter().take(3).any(|id| id == "g7:37"),
        "{interpol:?}"
    );
}
