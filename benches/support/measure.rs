//! What the examples that measure a large file stage by stage share: a figure from
//! `/proc/self/status` (the resident set, its peak) and the node they go deep to.

/// The figure after `key` (`VmRSS:`, `VmHWM:`) in KiB (Linux; 0 elsewhere).
pub fn status(key: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix(key))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

/// The id of the node 80% of the way through the corpus (by count of nodes).
pub fn deep_id(corpus: &kaigi::corpus::Corpus) -> String {
    let deep = corpus.iter_nodes().count() * 8 / 10;
    corpus
        .iter_nodes()
        .nth(deep)
        .map(|(_, n)| n.id.clone())
        .unwrap_or_default()
}
