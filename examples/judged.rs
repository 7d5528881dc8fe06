//! kaigi's search scored on the judged query set (`tests/judged/queries.tsv`): nDCG@10 and P@1
//! per kind of query, then every query whose first result is not the answer.
//!
//! ```text
//! cargo run -q --example judged [-- --all]
//! ```

#[path = "../tests/judged/score.rs"]
mod score;

fn main() {
    let all = std::env::args().any(|a| a == "--all");
    let corpus = kaigi::corpus::load_embedded();
    let index = kaigi::search::searchable(&corpus);
    let set = score::load(score::QUERIES);
    let outcomes = score::run(&index, &set);
    println!("| kind | queries | nDCG@10 | P@1 |");
    println!("| --- | ---: | ---: | ---: |");
    for (kind, (n, ndcg, p1)) in score::by_kind(&outcomes) {
        println!("| {kind} | {n} | {ndcg:.3} | {p1:.3} |");
    }
    println!();
    for o in &outcomes {
        if all || !o.first_right || o.ndcg < 0.9 {
            println!(
                "{:<8} {:<24} nDCG {:.2} first {}  got {}",
                o.judged.kind,
                o.judged.query,
                o.ndcg,
                if o.first_right { "ok " } else { "BAD" },
                o.top.join(" ")
            );
        }
    }
}
