//! Queries typed a key at a time in the search line on a large file, for the examples that
//! time it (`examples/keys.rs`: the search's CPU a key; `examples/stages.rs`: each key's search
//! and the frame that shows its results): a katakana word, its romaji reading, two terms, a
//! longer word, a phrase found nowhere (the typo fallback), a term and an exclusion.
pub const TYPED: [&str; 6] = [
    "ランサム",
    "ransamu",
    "安全 協力",
    "サイバー犯罪",
    "存在しない語句",
    "国際協力 !ロシア",
];
