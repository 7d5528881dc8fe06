use super::*;
use crate::corpus::{EMBEDDED, load_embedded, parse_document};
use proptest::prelude::*;

fn embedded() -> (Corpus, Participants) {
    let corpus = load_embedded();
    let data = ReferenceData::embedded().expect("embedded data parses");
    let p = Participants::from_corpus(&corpus, &data);
    (corpus, p)
}

fn cri_text() -> &'static str {
    EMBEDDED
        .iter()
        .find(|(id, _, _)| *id == "cri")
        .map(|(_, _, t)| *t)
        .expect("cri is embedded")
}

fn row<'a>(p: &'a Participants, ja: &str) -> &'a Participant {
    p.rows.iter().find(|r| r.ja == ja).expect("row exists")
}

fn names(p: &Participants, idx: &[usize]) -> Vec<String> {
    idx.iter().map(|&i| p.rows[i].ja.clone()).collect()
}

fn ids(corpus: &Corpus, refs: &[NodeRef]) -> Vec<String> {
    refs.iter().map(|&r| corpus.node(r).id.clone()).collect()
}

#[test]
fn reference_data_parses() {
    let data = ReferenceData::embedded().expect("parses");
    assert_eq!(data.entries.len(), 50);
    assert_eq!(data.g7.len(), 8);
    assert_eq!(data.g7.iter().filter(|g| g.member).count(), 7);
    assert!(!data.is_g7_member("EU"));
    assert!(data.is_g7_member("JP"));
    assert_eq!(
        data.lookup("国際刑事警察機構").map(|e| e.ja.as_str()),
        Some("インターポール")
    );
    assert_eq!(data.lookup("我が国").map(|e| e.ja.as_str()), Some("日本"));
}

#[test]
fn counts_of_both_lists() {
    let (corpus, p) = embedded();
    let a = p.meeting.expect("list A found");
    let b = p.statement.expect("list B found");
    assert_eq!(corpus.node(a.node).id, "cri:annex-1.1");
    assert_eq!(corpus.node(b.node).id, "cri:note-1");
    assert_eq!((a.parsed, a.stated), (50, Some(50)));
    assert_eq!((b.parsed, b.stated), (47, Some(47)));
    assert_eq!(
        a.count_node.map(|r| corpus.node(r).id.clone()).as_deref(),
        Some("cri:annex-1.2")
    );
    assert_eq!(
        b.count_node.map(|r| corpus.node(r).id.clone()).as_deref(),
        Some("cri:note-1")
    );
    assert!(!a.mismatch() && !b.mismatch());
    let c = p.counts();
    assert_eq!(
        (c.a, c.b, c.union, c.both, c.only_a, c.only_b),
        (50, 47, 50, 47, 3, 0)
    );
    let only_a = p.filtered(Filter::OnlyA, Sort::Document, "");
    assert_eq!(
        names(&p, &only_a),
        ["EU", "パプアニューギニア", "ウルグアイ"]
    );
    assert!(p.filtered(Filter::OnlyB, Sort::Document, "").is_empty());
    assert_eq!(
        p.summary(),
        "A 50 · B 47 · both 47 · only A 3 (EU, パプアニューギニア, ウルグアイ) · only B 0"
    );
}

#[test]
fn every_name_is_known_and_clean() {
    let (_, p) = embedded();
    for r in &p.rows {
        assert!(r.is_known(), "{} is not in the reference data", r.ja);
        assert!(!r.ja.contains(['、', '(', '（', '注', ' ']), "{:?}", r.ja);
    }
}

#[test]
fn document_order() {
    let (_, p) = embedded();
    let all = p.filtered(Filter::All, Sort::Document, "");
    assert_eq!(all.len(), 50);
    assert_eq!(p.rows[all[0]].ja, "アルバニア");
    assert_eq!(p.rows[all[49]].ja, "ウルグアイ");
    let uy = row(&p, "ウルグアイ");
    assert_eq!((uy.order_a, uy.order_b), (Some(50), None));
    // B's order differs from A's at the end: ウクライナ comes before アラブ首長国連邦.
    assert_eq!(row(&p, "ウクライナ").order_b, Some(44));
    assert_eq!(row(&p, "米国").order_b, Some(47));
    let b = p.filtered(Filter::B, Sort::Document, "");
    assert_eq!(b.len(), 47);
}

#[test]
fn filters() {
    let (_, p) = embedded();
    let count = |f| p.filtered(f, Sort::Document, "").len();
    assert_eq!(count(Filter::All), 50);
    assert_eq!(count(Filter::Both), 47);
    assert_eq!(count(Filter::OnlyA), 3);
    assert_eq!(count(Filter::OnlyB), 0);
    assert_eq!(count(Filter::A), 50);
    assert_eq!(count(Filter::B), 47);
    assert_eq!(count(Filter::New2023), 13);
    assert_eq!(count(Filter::G7), 7);
    let c = p.counts();
    assert_eq!((c.new_2023, c.g7), (13, 7));
    let g7 = p.filtered(Filter::G7, Sort::Document, "");
    assert_eq!(
        names(&p, &g7),
        [
            "カナダ",
            "フランス",
            "ドイツ",
            "イタリア",
            "日本",
            "英国",
            "米国"
        ]
    );
    let new = p.filtered(Filter::New2023, Sort::Document, "");
    assert_eq!(p.rows[new[0]].ja, "アルバニア");
    assert!(new.iter().any(|&i| p.rows[i].ja == "インターポール"));
    assert!(!row(&p, "EU").g7);
}

#[test]
fn filter_names_parse_and_cycle() {
    for f in Filter::ALL {
        assert_eq!(Filter::parse(f.name()), Some(f));
        assert_eq!(f.name().parse::<Filter>(), Ok(f));
    }
    for (s, f) in [
        ("both", Filter::Both),
        ("a", Filter::A),
        ("b", Filter::B),
        ("a-only", Filter::OnlyA),
        ("b-only", Filter::OnlyB),
        ("new", Filter::New2023),
        ("g7", Filter::G7),
        ("all", Filter::All),
        ("G7", Filter::G7),
    ] {
        assert_eq!(Filter::parse(s), Some(f), "{s}");
    }
    assert_eq!(Filter::parse("nope"), None);
    let err = "nope".parse::<Filter>().expect_err("unknown");
    assert!(err.to_string().contains("both"), "{err}");
    let mut f = Filter::All;
    for _ in 0..Filter::ALL.len() {
        f = f.cycle();
    }
    assert_eq!(f, Filter::All);
    assert_eq!(Filter::All.cycle(), Filter::Both);
    for s in Sort::ALL {
        assert_eq!(Sort::parse(s.name()), Some(s));
    }
    assert_eq!(Sort::Code.cycle(), Sort::Document);
    assert_eq!(Sort::Document.cycle(), Sort::Gojuon);
}

#[test]
fn sorts() {
    let (_, p) = embedded();
    let first = |s| {
        let idx = p.filtered(Filter::All, s, "");
        assert_eq!(idx.len(), 50);
        p.rows[idx[0]].ja.clone()
    };
    assert_eq!(first(Sort::Document), "アルバニア");
    assert_eq!(first(Sort::Gojuon), "アイルランド");
    assert_eq!(first(Sort::English), "アルバニア");
    assert_eq!(first(Sort::Code), "アラブ首長国連邦");

    let go = p.filtered(Filter::All, Sort::Gojuon, "");
    let go = names(&p, &go);
    let pos = |n: &str| go.iter().position(|x| x == n).expect("present");
    // ー is the vowel it prolongs: おーすとらりあ (おおすとらりあ) before おらんだ.
    assert!(pos("オーストラリア") < pos("オーストリア"));
    assert!(pos("オーストリア") < pos("オランダ"));
    // Voiced kana sort with their unvoiced base: ぎりしゃ between かなだ and くろあちあ.
    assert!(pos("カナダ") < pos("ギリシャ") && pos("ギリシャ") < pos("クロアチア"));
    assert_eq!(go.last().map(String::as_str), Some("ルワンダ"));

    let en = p.filtered(Filter::All, Sort::English, "");
    let en: Vec<&str> = en.iter().filter_map(|&i| p.rows[i].en.as_deref()).collect();
    let mut sorted = en.clone();
    sorted.sort_by_key(|e| e.to_lowercase());
    assert_eq!(en, sorted);
    assert_eq!(en[0], "Albania");

    let code = p.filtered(Filter::All, Sort::Code, "");
    assert_eq!(p.rows[code[0]].code.as_deref(), Some("AE"));
    assert_eq!(p.rows[code[0]].en.as_deref(), Some("United Arab Emirates"));
}

#[test]
fn rows_without_a_key_sort_last() {
    let data = ReferenceData::embedded().expect("parses");
    let text = "### 1 参加国\n\nウルグアイ、ナゾノクニ、アルバニア、カナダ、インド、";
    let corpus = Corpus {
        documents: vec![parse_document("x", "x.txt", text)],
    };
    let p = Participants::from_corpus(&corpus, &data);
    assert_eq!(p.rows.len(), 5);
    let unknown = row(&p, "ナゾノクニ");
    assert!(!unknown.is_known());
    assert_eq!(
        (unknown.en.as_deref(), unknown.code.as_deref()),
        (None, None)
    );
    for s in [Sort::Gojuon, Sort::English, Sort::Code] {
        let idx = p.filtered(Filter::All, s, "");
        assert_eq!(p.rows[idx[4]].ja, "ナゾノクニ", "{s}");
    }
    assert_eq!(p.summary(), "A 5 · no statement list (注) found");
}

#[test]
fn query_narrowing() {
    let (_, p) = embedded();
    let find = |q: &str| names(&p, &p.filtered(Filter::All, Sort::Document, q));
    for q in [
        "uruguay",
        "URUGUAY",
        "UY",
        "uy",
        "ウルグ",
        "うるぐ",
        "ｳﾙｸﾞ",
        "Ｕｒｕｇｕａｙ",
    ] {
        assert!(
            find(q).contains(&"ウルグアイ".to_string()),
            "{q}: {:?}",
            find(q)
        );
    }
    assert_eq!(find("uruguay"), ["ウルグアイ"]);
    assert_eq!(find("国際刑事警察機構"), ["インターポール"]);
    assert_eq!(find("interpol"), ["インターポール"]);
    assert_eq!(find("我が国"), ["日本"]);
    assert_eq!(find("にほん"), ["日本"]);
    assert_eq!(find("  "), find(""));
    assert!(find("zzzz").is_empty());
    // Queries narrow within a filter.
    assert_eq!(
        names(&p, &p.filtered(Filter::OnlyA, Sort::Document, "ウ")),
        ["ウルグアイ"]
    );
}

#[test]
fn mentions_of_interpol() {
    let (corpus, p) = embedded();
    let m = ids(&corpus, &row(&p, "インターポール").mentions);
    for id in [
        "g7:1",
        "g7:14",
        "g7:31",
        "g7:32",
        "g7:37",
        "cri:annex-1.1",
        "cri:annex-3.5",
        "cri:note-1",
    ] {
        assert!(m.contains(&id.to_string()), "{id} missing from {m:?}");
    }
    let mut sorted = row(&p, "インターポール").mentions.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(
        sorted,
        row(&p, "インターポール").mentions,
        "document order, no duplicates"
    );
}

#[test]
fn mentions_of_japan_eu_and_others() {
    let (corpus, p) = embedded();
    let jp = ids(&corpus, &row(&p, "日本").mentions);
    for id in [
        "cri:2",
        "cri:4",
        "cri:5",
        "g7:5",
        "cri:annex-1.1",
        "cri:note-1",
    ] {
        assert!(jp.contains(&id.to_string()), "{id} missing from {jp:?}");
    }
    let eu = ids(&corpus, &row(&p, "EU").mentions);
    assert!(eu.contains(&"g7:9".to_string()), "{eu:?}");
    assert!(eu.contains(&"cri:annex-1.1".to_string()), "{eu:?}");
    assert!(!eu.contains(&"cri:note-1".to_string()), "{eu:?}");
    let ua = ids(&corpus, &row(&p, "ウクライナ").mentions);
    assert!(ua.contains(&"g7:II".to_string()), "headings count: {ua:?}");
    // PNG is only in list A.
    let png = ids(&corpus, &row(&p, "パプアニューギニア").mentions);
    assert_eq!(png, ["cri:annex-1.1"]);
}

#[test]
fn katakana_names_match_whole_words_only() {
    let text = "### 1 国\n\n- 1 インドネシアとの協力。\n- 2 インド太平洋。\n- 3 インド・太平洋。\n- 4 ミニインド。\n- 5 EUROPOLとEU凍結。\n- 6 インドー。";
    let corpus = Corpus {
        documents: vec![parse_document("t", "t.txt", text)],
    };
    let id = |refs: Vec<NodeRef>| ids(&corpus, &refs);
    assert_eq!(id(mentions_of(&corpus, &["インド"])), ["t:2", "t:3"]);
    assert_eq!(id(mentions_of(&corpus, &["EU"])), ["t:5"]);
    assert!(mentions_of(&corpus, &["EURO"]).is_empty());
    assert!(mentions_of(&corpus, &[""]).is_empty());
    assert!(mentions_of(&corpus, &[]).is_empty());
}

#[test]
fn india_is_not_found_inside_longer_words() {
    let (corpus, p) = embedded();
    let m = ids(&corpus, &row(&p, "インド").mentions);
    assert_eq!(m, ["cri:annex-1.1", "cri:note-1"]);
}

#[test]
fn stated_total_mismatch_is_reported() {
    let data = ReferenceData::embedded().expect("parses");
    let text = cri_text().replace("ウクライナ、ウルグアイ、", "ウクライナ、");
    assert_ne!(text, cri_text());
    let corpus = Corpus {
        documents: vec![parse_document("cri", "modified.txt", &text)],
    };
    let p = Participants::from_corpus(&corpus, &data);
    let a = p.meeting.expect("list A");
    assert_eq!((a.parsed, a.stated), (49, Some(50)));
    assert!(a.mismatch());
    let s = p.summary();
    assert!(s.starts_with("A 49 (stated 50!) · B 47 ·"), "{s}");
    assert!(s.contains("only A 2 (EU, パプアニューギニア)"), "{s}");

    let text = cri_text().replace("（注：47か国・機関）", "（注：48か国・機関）");
    let corpus = Corpus {
        documents: vec![parse_document("cri", "modified.txt", &text)],
    };
    let p = Participants::from_corpus(&corpus, &data);
    assert!(p.summary().contains("B 47 (stated 48!)"), "{}", p.summary());
}

#[test]
fn only_in_b_rows_come_last() {
    let data = ReferenceData::embedded().expect("parses");
    let text = cri_text().replace("英国、米国（注", "英国、米国、ナゾノクニ（注");
    let corpus = Corpus {
        documents: vec![parse_document("cri", "modified.txt", &text)],
    };
    let p = Participants::from_corpus(&corpus, &data);
    assert_eq!(p.rows.len(), 51);
    let last = p.rows.last().expect("rows");
    assert_eq!(
        (last.ja.as_str(), last.order_b, last.in_meeting),
        ("ナゾノクニ", Some(48), false)
    );
    assert!(
        p.summary().ends_with("only B 1 (ナゾノクニ)"),
        "{}",
        p.summary()
    );
}

#[test]
fn no_lists_gives_an_empty_table() {
    let data = ReferenceData::embedded().expect("parses");
    let corpus = load_embedded();
    let g7_only = Corpus {
        documents: corpus
            .documents
            .into_iter()
            .filter(|d| d.id == "g7")
            .collect(),
    };
    let p = Participants::from_corpus(&g7_only, &data);
    assert!(p.is_empty());
    assert_eq!((p.meeting, p.statement), (None, None));
    assert_eq!(p.summary(), NO_LISTS);
    assert!(p.filtered(Filter::All, Sort::Gojuon, "x").is_empty());
    let empty = Participants::from_corpus(&Corpus::default(), &data);
    assert!(empty.is_empty());
}

#[test]
fn list_rule() {
    assert!(parse_list("我々は、自由、民主主義、法の支配、人権を支持する。").is_none());
    assert!(
        parse_list("アルバニア、カナダ、日本。").is_none(),
        "too few"
    );
    let (names, count) =
        parse_list("参加国：「アルバニア」、カナダ、日本、ＥＵ、米国（計5か国・機関）。")
            .expect("list");
    assert_eq!(names, ["アルバニア", "カナダ", "日本", "ＥＵ", "米国"]);
    assert_eq!(count, Some((5, CountMark::Total)));
    let (names, count) =
        parse_list("「日本」、コンゴ(民主共和国)、（米国）、『英国』、カナダ、").expect("list");
    assert_eq!(
        names,
        ["日本", "コンゴ(民主共和国)", "米国", "英国", "カナダ"]
    );
    assert_eq!(count, None);
    assert_eq!(strip_wrapping("（"), "");
    assert_eq!(strip_wrapping(" 「EU」。"), "EU");
    assert_eq!(strip_wrapping("米国（"), "米国");
    assert_eq!(
        find_count("(計50か国・機関。アンダーラインは…)"),
        Some((50, CountMark::Total))
    );
    assert_eq!(
        find_count("（注：４７カ国・機関）"),
        Some((47, CountMark::Note))
    );
    assert_eq!(find_count("2023年に10か国"), Some((10, CountMark::Plain)));
    assert_eq!(find_count("99999999999999999999999か国"), None);
    assert_eq!(find_count("計か国"), None);
}

#[test]
fn malformed_data_is_an_error() {
    let header = "ja\treading\ten\tcode\tkind\tcri_new_2023\taliases\n";
    let ok = |body: &str| ReferenceData::parse(&format!("{header}{body}"), G7_TSV);
    assert!(ok("日本\tにほん\tJapan\tJP\tcountry\tno\t我が国\n").is_ok());
    // The trailing optional column may be left out.
    assert!(ok("日本\tにほん\tJapan\tJP\tcountry\tno\n").is_ok());
    assert!(matches!(
        ok("日本\tにほん\tJapan\n"),
        Err(DataError::ColumnCount {
            line: 2,
            found: 3,
            ..
        })
    ));
    assert!(matches!(
        ok("日本\tにほん\tJapan\tJP\tcountry\tno\tx\textra\n"),
        Err(DataError::ColumnCount { found: 8, .. })
    ));
    assert!(matches!(
        ok("日本\tにほん\tJapan\tJP\tstate\tno\t\n"),
        Err(DataError::BadValue { column: "kind", .. })
    ));
    assert!(matches!(
        ok("日本\tにほん\tJapan\tJP\tcountry\tmaybe\t\n"),
        Err(DataError::BadValue {
            column: "cri_new_2023",
            ..
        })
    ));
    assert!(matches!(
        ok("日本\tニホン\tJapan\tJP\tcountry\tno\t\n"),
        Err(DataError::BadValue {
            column: "reading",
            ..
        })
    ));
    assert!(matches!(
        ok("\tにほん\tJapan\tJP\tcountry\tno\t\n"),
        Err(DataError::EmptyField { column: "ja", .. })
    ));
    assert!(matches!(
        ok("日本\tにほん\tJapan\tJP\tcountry\tno\t\n米国\tべいこく\tUS\tUS\tcountry\tno\t日本\n"),
        Err(DataError::Duplicate {
            line: 3,
            first: 2,
            ..
        })
    ));
    assert!(matches!(
        ReferenceData::parse("", G7_TSV),
        Err(DataError::NoHeader { .. })
    ));
    assert!(matches!(
        ReferenceData::parse("ja\treading\n", G7_TSV),
        Err(DataError::MissingColumn { column: "en", .. })
    ));
    assert!(matches!(
        ReferenceData::parse(PARTICIPANTS_TSV, "code\ten\tmember\nJP\tJapan\tsometimes\n"),
        Err(DataError::BadValue {
            file: "g7-members.tsv",
            line: 2,
            ..
        })
    ));
    let err = ok("日本\tにほん\tJapan\n").expect_err("error");
    assert_eq!(
        err.to_string(),
        "cri-participants.tsv line 2: 3 columns, expected 7"
    );
    // CRLF line ends, comments and blank lines are fine.
    let crlf = format!("{header}# a comment\r\n\r\n日本\tにほん\tJapan\tJP\tcountry\tno\t\r\n")
        .replace('\n', "\r\n");
    assert_eq!(
        ReferenceData::parse(&crlf, G7_TSV).map(|d| d.entries.len()),
        Ok(1)
    );
}

#[test]
fn columns_shrink_with_the_width() {
    assert_eq!(
        columns_for_width(200),
        [
            Column::Ja,
            Column::En,
            Column::Code,
            Column::Kind,
            Column::A,
            Column::B,
            Column::New,
            Column::G7
        ]
    );
    assert_eq!(columns_for_width(80), columns_for_width(200));
    assert!(!columns_for_width(60).contains(&Column::Kind));
    assert!(columns_for_width(60).contains(&Column::G7));
    // English is shortened before G7 goes.
    let l = TableLayout::for_width(50);
    assert!(l.columns.contains(&Column::G7));
    assert!(l.widths[1] < Column::En.full_width());
    assert_eq!(
        columns_for_width(40),
        [Column::Ja, Column::En, Column::A, Column::B, Column::New]
    );
    assert_eq!(
        columns_for_width(30),
        [Column::Ja, Column::A, Column::B, Column::New]
    );
    assert_eq!(columns_for_width(22), [Column::Ja, Column::A, Column::B]);
    assert_eq!(columns_for_width(3), [Column::Ja]);
    assert!(columns_for_width(0).is_empty());
    let mut previous = 0;
    for w in 0..=120 {
        let l = TableLayout::for_width(w);
        assert_eq!(l.columns.len(), l.widths.len());
        assert!(l.total_width() <= w, "width {w}: {l:?}");
        assert!(
            l.columns.len() >= previous,
            "columns only come back as the width grows"
        );
        previous = l.columns.len();
        if w >= 22 {
            assert_eq!(
                l.widths[0],
                Column::Ja.full_width(),
                "names stay whole at {w}"
            );
        }
        if w > 0 {
            assert_eq!(l.columns[0], Column::Ja);
        }
    }
}

#[test]
fn rendered_rows_fit_their_widths() {
    let (_, p) = embedded();
    assert!(!crate::text::display::is_ambiguous('✓'));
    for opts in [
        DisplayOptions { ascii: false },
        DisplayOptions { ascii: true },
    ] {
        for w in [0, 1, 5, 12, 22, 30, 40, 50, 60, 67, 80, 120] {
            let l = TableLayout::for_width(w);
            let header = l.header(opts);
            assert!(str_width(&join_cells(&header)) <= w);
            for i in 0..p.rows.len() {
                let cells = p.render_row(i, &l.columns, &l.widths, opts);
                for (cell, &cw) in cells.iter().zip(&l.widths) {
                    assert_eq!(str_width(cell), cw, "{cell:?} at {w}");
                }
                assert_eq!(str_width(&join_cells(&cells)), l.total_width());
            }
        }
    }
    let l = TableLayout::for_width(80);
    let i = p
        .rows
        .iter()
        .position(|r| r.ja == "パプアニューギニア")
        .expect("row");
    let cells = p.render_row(i, &l.columns, &l.widths, DisplayOptions::default());
    assert_eq!(
        join_cells(&cells),
        "パプアニューギニア Papua New Guinea     PG       country ✓   ✓     "
    );
    // Out of range: blank cells, no panic.
    let blank = p.render_row(999, &l.columns, &l.widths, DisplayOptions::default());
    assert!(blank.iter().all(|c| c.trim().is_empty()));
}

#[test]
fn names_with_controls_are_made_safe() {
    let data = ReferenceData::embedded().expect("parses");
    let text = "### 1 参加国\n\nア\u{1b}[2Jル、カナダ、インド、日本、米国、";
    let corpus = Corpus {
        documents: vec![parse_document("x", "x.txt", text)],
    };
    let p = Participants::from_corpus(&corpus, &data);
    let l = TableLayout::for_width(80);
    let cells = p.render_row(0, &l.columns, &l.widths, DisplayOptions::default());
    assert!(!cells[0].contains('\u{1b}'), "{:?}", cells[0]);
}

fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("、".to_string()),
        Just("。".to_string()),
        Just("\n".to_string()),
        Just("\n\n".to_string()),
        Just("### 1 参加国・機関\n".to_string()),
        Just("(注1) ".to_string()),
        Just("- ".to_string()),
        Just("（注：47か国・機関）".to_string()),
        Just("(計50か国・機関。".to_string()),
        Just(")".to_string()),
        Just("（".to_string()),
        Just("：".to_string()),
        Just("999999999999999999999か国".to_string()),
        Just("ー".to_string()),
        Just("インド".to_string()),
        Just("EU".to_string()),
        Just("アルバニア".to_string()),
        Just("我が国".to_string()),
        "[ア-ンa-zA-Z0-9あ-ん日本国]{0,6}",
        any::<String>(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn from_corpus_never_panics(parts in prop::collection::vec(fragment(), 0..40), query in any::<String>(), width in 0usize..100) {
        let text: String = parts.concat();
        let data = ReferenceData::embedded().expect("parses");
        let corpus = Corpus { documents: vec![parse_document("p", "p.txt", &text)] };
        let p = Participants::from_corpus(&corpus, &data);
        let _ = p.summary();
        let l = TableLayout::for_width(width);
        for f in Filter::ALL {
            for s in Sort::ALL {
                let idx = p.filtered(f, s, &query);
                for &i in &idx {
                    let cells = p.render_row(i, &l.columns, &l.widths, DisplayOptions::default());
                    prop_assert!(str_width(&join_cells(&cells)) <= width);
                }
            }
        }
        if let Some(a) = p.meeting {
            prop_assert!(a.parsed >= MIN_LIST_ITEMS);
        }
    }

    #[test]
    fn parse_never_panics(tsv in any::<String>(), g7 in any::<String>()) {
        let _ = ReferenceData::parse(&tsv, &g7);
        let _ = ReferenceData::parse(&format!("ja\treading\ten\tcode\tkind\tcri_new_2023\taliases\n{tsv}"), G7_TSV);
    }
}
