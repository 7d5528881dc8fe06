//! Scoring kaigi's search against the judged query set in `tests/judged/queries.tsv`:
//! nDCG@10 (graded: 3, 2, 1; gain 2^g − 1) and P@1 (the first hit has the highest grade the
//! query's judgements give). Shared by `tests/search_judged.rs` and `examples/judged.rs`.

#![allow(dead_code)]

use std::collections::BTreeMap;

use kaigi::search::SearchIndex;

/// The judged set, embedded.
pub const QUERIES: &str = include_str!("queries.tsv");

/// One judged query.
#[derive(Debug, Clone)]
pub struct Judged {
    pub kind: String,
    pub query: String,
    pub grades: Vec<(String, u8)>,
}

/// How one query fared.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub judged: Judged,
    pub ndcg: f64,
    pub first_right: bool,
    /// The first ten ids kaigi returned.
    pub top: Vec<String>,
}

/// Parses the set: `kind<TAB>query<TAB>id=grade ...`, `#` comments.
///
/// # Panics
/// On a malformed line (the file is part of the tests).
#[must_use]
pub fn load(text: &str) -> Vec<Judged> {
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            assert_eq!(cols.len(), 3, "bad line: {l}");
            let grades = cols[2]
                .split_whitespace()
                .map(|g| {
                    let (id, grade) = g.rsplit_once('=').unwrap_or_else(|| panic!("{g}"));
                    (
                        id.to_string(),
                        grade.parse().unwrap_or_else(|_| panic!("{g}")),
                    )
                })
                .collect();
            Judged {
                kind: cols[0].to_string(),
                query: cols[1].to_string(),
                grades,
            }
        })
        .collect()
}

fn grade(j: &Judged, id: &str) -> u8 {
    j.grades
        .iter()
        .find(|(g, _)| g == id)
        .map_or(0, |(_, g)| *g)
}

fn dcg(grades: impl Iterator<Item = u8>) -> f64 {
    grades
        .take(10)
        .enumerate()
        .map(|(i, g)| (f64::from(2u32.pow(u32::from(g))) - 1.0) / ((i + 2) as f64).log2())
        .sum()
}

/// nDCG@10 of a ranked list of ids.
#[must_use]
pub fn ndcg(j: &Judged, ranked: &[String]) -> f64 {
    let mut ideal: Vec<u8> = j.grades.iter().map(|(_, g)| *g).collect();
    ideal.sort_unstable_by(|a, b| b.cmp(a));
    let best = dcg(ideal.into_iter());
    if best == 0.0 {
        return 1.0;
    }
    dcg(ranked.iter().map(|id| grade(j, id))) / best
}

/// Runs every judged query.
#[must_use]
pub fn run(index: &SearchIndex, set: &[Judged]) -> Vec<Outcome> {
    set.iter()
        .map(|j| {
            let ranked: Vec<String> = index
                .search(&j.query, 50)
                .into_iter()
                .map(|h| h.id)
                .collect();
            let max = j.grades.iter().map(|(_, g)| *g).max().unwrap_or(0);
            let first_right = ranked.first().is_some_and(|id| grade(j, id) == max);
            Outcome {
                judged: j.clone(),
                ndcg: ndcg(j, &ranked),
                first_right,
                top: ranked.into_iter().take(10).collect(),
            }
        })
        .collect()
}

/// Per kind (and `all`): (queries, mean nDCG@10, P@1).
#[must_use]
pub fn by_kind(outcomes: &[Outcome]) -> BTreeMap<String, (usize, f64, f64)> {
    let mut map: BTreeMap<String, (usize, f64, f64)> = BTreeMap::new();
    for o in outcomes {
        for k in [o.judged.kind.clone(), "all".to_string()] {
            let e = map.entry(k).or_default();
            e.0 += 1;
            e.1 += o.ndcg;
            e.2 += f64::from(u8::from(o.first_right));
        }
    }
    for e in map.values_mut() {
        let n = e.0 as f64;
        e.1 /= n;
        e.2 /= n;
    }
    map
}
