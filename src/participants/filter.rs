//! Which rows to show and in what order: [`Filter`] and [`Sort`], each a [`Choice`] that a key
//! cycles through and the command line names.

use std::fmt;
use std::str::FromStr;

use thiserror::Error;

use super::Participant;
use super::order::{GojuonKey, gojuon_key};

/// A closed set of values that one key cycles through and the command line names: a filter or
/// a sort order.
pub trait Choice: Copy + Eq + 'static {
    /// What a value is called in an error message (`filter`).
    const WHAT: &'static str;
    /// Every value, in the order [`Choice::cycle`] visits them.
    const ALL: &'static [Self];

    /// The value's name on the command line.
    fn name(self) -> &'static str;

    /// The value a command-line word names, case-insensitive: its [`Choice::name`] or an alias.
    fn parse(s: &str) -> Option<Self>;

    /// The next value, wrapping around.
    #[must_use]
    fn cycle(self) -> Self {
        let i = Self::ALL.iter().position(|&v| v == self).unwrap_or(0);
        Self::ALL[(i + 1) % Self::ALL.len()]
    }

    /// [`Choice::parse`], or an error that lists every name.
    ///
    /// # Errors
    /// `s` names no value.
    fn from_name(s: &str) -> Result<Self, ParseNameError> {
        Self::parse(s).ok_or_else(|| ParseNameError {
            what: Self::WHAT,
            value: s.to_string(),
            expected: Self::ALL
                .iter()
                .map(|v| v.name())
                .collect::<Vec<_>>()
                .join(", "),
        })
    }
}

/// `FromStr` (for clap) and `Display` from [`Choice`].
macro_rules! choice_std_traits {
    ($($t:ty),*) => {$(
        impl FromStr for $t {
            type Err = ParseNameError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::from_name(s)
            }
        }

        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.name())
            }
        }
    )*};
}

choice_std_traits!(Filter, Sort);

/// Which rows to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Filter {
    #[default]
    All,
    /// In both lists.
    Both,
    /// In list A only.
    OnlyA,
    /// In list B only.
    OnlyB,
    /// In list A.
    A,
    /// In list B.
    B,
    /// New members in 2023.
    New2023,
    /// G7 members.
    G7,
}

impl Filter {
    /// What the filter shows, for a status line.
    #[must_use]
    pub fn describe(self) -> &'static str {
        match self {
            Self::All => "all participants",
            Self::Both => "in both lists",
            Self::OnlyA => "in the meeting only",
            Self::OnlyB => "in the statement only",
            Self::A => "at the meeting (A)",
            Self::B => "signed the statement (B)",
            Self::New2023 => "new in 2023",
            Self::G7 => "G7 members",
        }
    }

    /// Whether a row passes.
    #[must_use]
    pub fn matches(self, p: &Participant) -> bool {
        match self {
            Self::All => true,
            Self::Both => p.in_meeting && p.in_statement,
            Self::OnlyA => p.in_meeting && !p.in_statement,
            Self::OnlyB => !p.in_meeting && p.in_statement,
            Self::A => p.in_meeting,
            Self::B => p.in_statement,
            Self::New2023 => p.entry.new_2023,
            Self::G7 => p.g7,
        }
    }
}

impl Choice for Filter {
    const WHAT: &'static str = "filter";
    const ALL: &'static [Self] = &[
        Self::All,
        Self::Both,
        Self::OnlyA,
        Self::OnlyB,
        Self::A,
        Self::B,
        Self::New2023,
        Self::G7,
    ];

    /// `all`, `both`, `a-only`, `b-only`, `a`, `b`, `new`, `g7`.
    fn name(self) -> &'static str {
        match self {
            Self::All => "all",
            Self::Both => "both",
            Self::OnlyA => "a-only",
            Self::OnlyB => "b-only",
            Self::A => "a",
            Self::B => "b",
            Self::New2023 => "new",
            Self::G7 => "g7",
        }
    }

    /// The names, and `only-a`, `only-b`, `new2023`, `new-2023`.
    fn parse(s: &str) -> Option<Self> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "all" => Self::All,
            "both" => Self::Both,
            "a-only" | "only-a" => Self::OnlyA,
            "b-only" | "only-b" => Self::OnlyB,
            "a" => Self::A,
            "b" => Self::B,
            "new" | "new2023" | "new-2023" => Self::New2023,
            "g7" => Self::G7,
            _ => return None,
        })
    }
}

/// A value that is not one of the allowed names.
#[derive(Debug, Clone, Error, PartialEq, Eq)]
#[error("unknown {what} `{value}` (expected one of: {expected})")]
pub struct ParseNameError {
    pub what: &'static str,
    pub value: String,
    pub expected: String,
}

/// The order of the rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Sort {
    /// List A's order, then list B's.
    #[default]
    Document,
    /// 五十音 by reading; rows without a reading last.
    Gojuon,
    /// By English name; rows without one last.
    English,
    /// By code; rows without one last.
    Code,
}

impl Choice for Sort {
    const WHAT: &'static str = "sort";
    const ALL: &'static [Self] = &[Self::Document, Self::Gojuon, Self::English, Self::Code];

    /// `document`, `gojuon`, `english`, `code`.
    fn name(self) -> &'static str {
        match self {
            Self::Document => "document",
            Self::Gojuon => "gojuon",
            Self::English => "english",
            Self::Code => "code",
        }
    }

    /// The names, and `doc`, `kana`, `reading`, `en`.
    fn parse(s: &str) -> Option<Self> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "document" | "doc" => Self::Document,
            "gojuon" | "kana" | "reading" => Self::Gojuon,
            "english" | "en" => Self::English,
            "code" => Self::Code,
            _ => return None,
        })
    }
}

impl Sort {
    /// Puts `idx` (indices into `rows`) in this order.
    pub(super) fn apply(self, rows: &[Participant], idx: &mut [usize]) {
        // Stable sorts: ties (and rows without the key, put last) stay in document order.
        match self {
            Sort::Document => {}
            Sort::Gojuon => idx.sort_by_cached_key(|&i| {
                rows.get(i)
                    .and_then(|p| p.entry.reading.as_deref())
                    .map_or((true, GojuonKey::default()), |r| (false, gojuon_key(r)))
            }),
            Sort::English => idx.sort_by_cached_key(|&i| {
                rows.get(i)
                    .and_then(|p| p.entry.en.as_deref())
                    .map_or((true, String::new()), |e| (false, e.to_lowercase()))
            }),
            Sort::Code => idx.sort_by_cached_key(|&i| {
                rows.get(i)
                    .and_then(|p| p.entry.code.as_deref())
                    .map_or((true, String::new()), |c| (false, c.to_uppercase()))
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::{Corpus, parse_document};
    use crate::participants::fixtures::*;
    use crate::participants::*;

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
        for &f in Filter::ALL {
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
        for &s in Sort::ALL {
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
        let en: Vec<&str> = en
            .iter()
            .filter_map(|&i| p.rows[i].entry.en.as_deref())
            .collect();
        let mut sorted = en.clone();
        sorted.sort_by_key(|e| e.to_lowercase());
        assert_eq!(en, sorted);
        assert_eq!(en[0], "Albania");

        let code = p.filtered(Filter::All, Sort::Code, "");
        assert_eq!(p.rows[code[0]].entry.code.as_deref(), Some("AE"));
        assert_eq!(
            p.rows[code[0]].entry.en.as_deref(),
            Some("United Arab Emirates")
        );
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
            (unknown.entry.en.as_deref(), unknown.entry.code.as_deref()),
            (None, None)
        );
        for s in [Sort::Gojuon, Sort::English, Sort::Code] {
            let idx = p.filtered(Filter::All, s, "");
            assert_eq!(p.rows[idx[4]].ja, "ナゾノクニ", "{s}");
        }
        assert_eq!(p.summary(), "A 5 · no statement list (注) found");
    }
}
