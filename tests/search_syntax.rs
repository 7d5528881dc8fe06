//! fzf's extended-search syntax over the two documents: each query with the ids it must find
//! (as a set), with the meaning `fzf --filter` gives the syntax over one line per node (see
//! `src/search/query.rs`). `cargo run --example fzf_compare` checks the same against a real fzf
//! where one is installed.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;
use std::sync::OnceLock;

use kaigi::search::SearchIndex;

fn index() -> &'static SearchIndex {
    static INDEX: OnceLock<SearchIndex> = OnceLock::new();
    INDEX.get_or_init(|| SearchIndex::new(&kaigi::corpus::load_embedded()))
}

const RANSOM_NOT_INITIATIVE: &str = "g7:22 g7:30 cri:3 cri:4 cri:5 cri:annex-2.2 cri:annex-3 \
                                     cri:annex-3.2 cri:annex-3.3 cri:annex-3.4 cri:annex-3.5";

/// (query, the ids it finds, space-separated).
const CASES: &[(&str, &str)] = &[
    // Plain and quoted terms.
    ("FATF", "g7:32"),
    ("'FATF", "g7:32"),
    ("'テロ対策", "g7:13"),
    ("GIFCT テック", "g7:13"),
    ("ウクライナ 'ICC", "g7:7"),
    // OR, and how it binds.
    ("FATF | REPO", "g7:9 g7:32"),
    ("ICC | FATF | REPO", "g7:7 g7:9 g7:32"),
    ("暗号資産 | 暗号化", "g7:25 g7:32"),
    ("FATF |", "g7:32"),
    ("| FATF", ""),
    ("ICC FATF | REPO", ""),
    // Prefix, suffix, equal.
    ("^デジタル", "g7:32"),
    ("^生成人工知能", "g7:24"),
    ("^ウクライナ", "g7:II g7:6"),
    ("^ウクライナ$", ""),
    ("^前文", "g7:I"),
    ("前文$", "g7:I"),
    ("^前文$", "g7:I"),
    ("支援$", "g7:II"),
    ("(全文)$", "cri:annex-3"),
    ("機関）。$", "cri:note-1"),
    ("^国境を越える組織犯罪$", "g7:VIII"),
    ("^国内法 規制に従って。$", "cri:note-2"),
    ("する。$ 'REPO", "g7:9"),
    ("^我々は FATF", ""),
    ("^我々は$", ""),
    // `'x$` is exact: the quote wins over the dollar.
    ("'GIFCT$", "g7:13"),
    ("FATF$", ""),
    // Inverse terms.
    ("児童 !^我々は", "g7:VII g7:annex-I g7:25"),
    ("'ICC !^ロシア", "g7:7"),
    ("'ICC !^我々は", ""),
    ("ランサムウェア !イニシアティブ", RANSOM_NOT_INITIATIVE),
    ("ランサムウェア !'イニシアティブ", RANSOM_NOT_INITIATIVE),
    ("^カウンター !^カウンターランサムウェア・", "cri:annex-3.1"),
    ("インターポール !^我々は", "cri:annex-1.1 cri:note-1"),
    ("FATF !する。$", "g7:32"),
    ("REPO !する。$", ""),
    ("REPO !'ロシア", ""),
    // Normalisation inside every term: full width, kana, case.
    ("＾デジタル", "g7:32"),
    ("^でじたる", "g7:32"),
    ("'fatf", "g7:32"),
    ("ｆａｔｆ | ｒｅｐｏ", "g7:9 g7:32"),
];

fn found(q: &str) -> BTreeSet<String> {
    index()
        .run(q, usize::MAX)
        .unwrap_or_else(|e| panic!("{q}: {e}"))
        .hits
        .into_iter()
        .map(|h| h.id)
        .collect()
}

#[test]
fn the_table() {
    assert!(CASES.len() >= 30);
    let mut wrong = Vec::new();
    for (q, want) in CASES {
        let want: BTreeSet<String> = want.split_whitespace().map(str::to_string).collect();
        let got = found(q);
        if got != want {
            wrong.push(format!("{q:?}: want {want:?}, got {got:?}"));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn only_inverse_terms_list_everything_else() {
    let all = index().len();
    assert_eq!(found("!FATF").len(), all - 1);
    assert_eq!(found("!FATF !REPO").len(), all - 2);
    assert!(!found("!^我々は").contains("g7:23"));
}

#[test]
fn what_cannot_be_honoured_is_an_error() {
    for q in ["^", "! ' ^", "ー", "'\u{200B}"] {
        let e = index().run(q, 10).unwrap_err();
        assert!(!e.to_string().is_empty(), "{q}");
    }
    // Blank is no query, not an error.
    assert!(index().run("  ", 10).unwrap().hits.is_empty());
}
