//! The reference data the documents rely on but do not spell out: English names, ISO codes,
//! kinds, the 2023 new-member marks and aliases (`data/cri-participants.tsv`), and G7
//! membership (`data/g7-members.tsv`), embedded as text and read by header name at run time. A
//! malformed file is a [`DataError`] naming the file and the line, never a panic.

use std::collections::HashMap;

use serde::Serialize;
use thiserror::Error;

use super::names::{fold, is_hiragana};

/// The participants' reference data, as shipped.
pub const PARTICIPANTS_TSV: &str = include_str!("../../data/cri-participants.tsv");
/// The G7 members, as shipped.
pub const G7_TSV: &str = include_str!("../../data/g7-members.tsv");

const PARTICIPANTS_FILE: &str = "cri-participants.tsv";
const G7_FILE: &str = "g7-members.tsv";

/// What is wrong with a reference data file. Each message names the file and, for a row, its
/// line number (1-based, the header being line 1).
#[derive(Debug, Clone, Error, PartialEq, Eq)]
pub enum DataError {
    #[error("{file}: no header line")]
    NoHeader { file: &'static str },
    #[error("{file}: the header has no column `{column}`")]
    MissingColumn {
        file: &'static str,
        column: &'static str,
    },
    #[error("{file} line {line}: {found} columns, expected {expected}")]
    ColumnCount {
        file: &'static str,
        line: usize,
        expected: usize,
        found: usize,
    },
    #[error("{file} line {line}: the column `{column}` is empty")]
    EmptyField {
        file: &'static str,
        line: usize,
        column: &'static str,
    },
    #[error("{file} line {line}: `{value}` in column `{column}` is not {allowed}")]
    BadValue {
        file: &'static str,
        line: usize,
        column: &'static str,
        value: String,
        allowed: &'static str,
    },
    #[error("{file} line {line}: `{name}` is already used on line {first}")]
    Duplicate {
        file: &'static str,
        line: usize,
        name: String,
        first: usize,
    },
}

/// Whether a participant is a country or an organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Country,
    Organization,
}

impl Kind {
    /// The name used in the data and in JSON.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Country => "country",
            Self::Organization => "organization",
        }
    }

    /// A short name for a narrow table cell.
    #[must_use]
    pub fn short(self) -> &'static str {
        match self {
            Self::Country => "country",
            Self::Organization => "org",
        }
    }
}

/// One row of `cri-participants.tsv`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub ja: String,
    /// The reading in hiragana.
    pub reading: Option<String>,
    pub en: Option<String>,
    pub code: Option<String>,
    pub kind: Option<Kind>,
    pub new_2023: bool,
    pub aliases: Vec<String>,
    /// English forms people type (`USA`, `UK`, `Britain`, the ISO alpha-3 code): found by
    /// `--find` and search, never looked for in the Japanese text.
    pub en_aliases: Vec<String>,
}

impl Entry {
    /// The row of a name the reference data does not know: the name and nothing else.
    #[must_use]
    pub fn unknown(ja: &str) -> Self {
        Self {
            ja: ja.to_string(),
            reading: None,
            en: None,
            code: None,
            kind: None,
            new_2023: false,
            aliases: Vec::new(),
            en_aliases: Vec::new(),
        }
    }
}

/// One row of `g7-members.tsv`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct G7Entry {
    pub code: String,
    pub en: String,
    /// `false` for a participant that is not one of the seven (the EU).
    pub member: bool,
}

/// The parsed reference data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferenceData {
    pub entries: Vec<Entry>,
    pub g7: Vec<G7Entry>,
    /// Folded name or alias → index into `entries`.
    index: HashMap<String, usize>,
}

impl ReferenceData {
    /// The data embedded in the binary.
    ///
    /// # Errors
    /// When an embedded file is malformed (a build with edited data).
    pub fn embedded() -> Result<Self, DataError> {
        Self::parse(PARTICIPANTS_TSV, G7_TSV)
    }

    /// Parses the two files: `tsv` with the columns `ja, reading, en, code, kind, cri_new_2023,
    /// aliases` and optionally `en_aliases`, `g7_tsv` with `code, en, member`. Columns are found by their header name; blank
    /// lines and lines starting with `#` are skipped; a row may leave out a trailing optional
    /// column.
    ///
    /// # Errors
    /// A missing column, a row with too many or too few columns, an empty required field, a
    /// value that is not allowed (`kind`, `yes`/`no`, a reading not in hiragana), or a name or
    /// alias used twice.
    pub fn parse(tsv: &str, g7_tsv: &str) -> Result<Self, DataError> {
        let mut wanted = vec![
            ("ja", true),
            ("reading", false),
            ("en", false),
            ("code", false),
            ("kind", false),
            ("cri_new_2023", true),
            ("aliases", false),
        ];
        // `en_aliases` is a later column: a file without it is still good.
        let has_en_aliases = tsv
            .lines()
            .find(|l| !l.trim().is_empty() && !l.starts_with('#'))
            .is_some_and(|h| h.split('\t').any(|c| c.trim() == "en_aliases"));
        if has_en_aliases {
            wanted.push(("en_aliases", false));
        }
        let table = Tsv::read(PARTICIPANTS_FILE, tsv, &wanted)?;
        let mut entries = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut first_line: Vec<usize> = Vec::new();
        for row in &table.rows {
            let line = row.line;
            let reading = non_empty(row.get("reading"));
            if let Some(r) = &reading
                && !r.chars().all(|c| is_hiragana(c) || c == 'ー')
            {
                return Err(DataError::BadValue {
                    file: PARTICIPANTS_FILE,
                    line,
                    column: "reading",
                    value: r.clone(),
                    allowed: "hiragana",
                });
            }
            let kind = match row.get("kind") {
                "" => None,
                "country" => Some(Kind::Country),
                "organization" | "organisation" => Some(Kind::Organization),
                other => {
                    return Err(DataError::BadValue {
                        file: PARTICIPANTS_FILE,
                        line,
                        column: "kind",
                        value: other.to_string(),
                        allowed: "`country` or `organization`",
                    });
                }
            };
            let new_2023 = yes_no(
                PARTICIPANTS_FILE,
                line,
                "cri_new_2023",
                row.get("cri_new_2023"),
            )?;
            let entry = Entry {
                ja: row.get("ja").to_string(),
                reading,
                en: non_empty(row.get("en")),
                code: non_empty(row.get("code")),
                kind,
                new_2023,
                aliases: split_list(row.get("aliases")),
                en_aliases: split_list(row.get("en_aliases")),
            };
            let i = entries.len();
            for name in std::iter::once(&entry.ja).chain(&entry.aliases) {
                let key = fold(name);
                if let Some(&j) = index.get(&key) {
                    if j != i {
                        return Err(DataError::Duplicate {
                            file: PARTICIPANTS_FILE,
                            line,
                            name: name.clone(),
                            first: first_line.get(j).copied().unwrap_or(0),
                        });
                    }
                } else {
                    index.insert(key, i);
                }
            }
            entries.push(entry);
            first_line.push(line);
        }

        let table = Tsv::read(
            G7_FILE,
            g7_tsv,
            &[("code", true), ("en", true), ("member", true)],
        )?;
        let mut g7: Vec<G7Entry> = Vec::new();
        let mut g7_lines: Vec<usize> = Vec::new();
        for row in &table.rows {
            let code = row.get("code").to_string();
            if let Some(k) = g7.iter().position(|g| g.code.eq_ignore_ascii_case(&code)) {
                return Err(DataError::Duplicate {
                    file: G7_FILE,
                    line: row.line,
                    name: code,
                    first: g7_lines.get(k).copied().unwrap_or(0),
                });
            }
            g7.push(G7Entry {
                code,
                en: row.get("en").to_string(),
                member: yes_no(G7_FILE, row.line, "member", row.get("member"))?,
            });
            g7_lines.push(row.line);
        }
        Ok(Self { entries, g7, index })
    }

    /// The entry whose name or alias is `name` (compared after [`fold`]ing both).
    #[must_use]
    pub fn lookup(&self, name: &str) -> Option<&Entry> {
        self.lookup_index(name).and_then(|i| self.entries.get(i))
    }

    pub(super) fn lookup_index(&self, name: &str) -> Option<usize> {
        self.index.get(&fold(name.trim())).copied()
    }

    /// Whether `code` is one of the seven G7 members (the EU is not).
    #[must_use]
    pub fn is_g7_member(&self, code: &str) -> bool {
        self.g7
            .iter()
            .any(|g| g.member && g.code.eq_ignore_ascii_case(code))
    }
}

fn non_empty(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_string())
}

fn yes_no(
    file: &'static str,
    line: usize,
    column: &'static str,
    v: &str,
) -> Result<bool, DataError> {
    match v {
        "yes" => Ok(true),
        "no" => Ok(false),
        other => Err(DataError::BadValue {
            file,
            line,
            column,
            value: other.to_string(),
            allowed: "`yes` or `no`",
        }),
    }
}

/// A tab-separated table whose columns are looked up by header name.
struct Tsv<'a> {
    rows: Vec<TsvRow<'a>>,
}

struct TsvRow<'a> {
    line: usize,
    fields: Vec<&'a str>,
    columns: HashMap<&'static str, usize>,
}

impl TsvRow<'_> {
    fn get(&self, column: &str) -> &str {
        self.columns
            .get(column)
            .and_then(|&i| self.fields.get(i))
            .map_or("", |f| f.trim())
    }
}

impl<'a> Tsv<'a> {
    /// `wanted`: (column name, required to be non-empty).
    fn read(
        file: &'static str,
        text: &'a str,
        wanted: &[(&'static str, bool)],
    ) -> Result<Self, DataError> {
        let mut lines = text
            .lines()
            .enumerate()
            .map(|(i, l)| (i + 1, l.trim_end_matches('\r')))
            .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'));
        let (_, header) = lines.next().ok_or(DataError::NoHeader { file })?;
        let header: Vec<&str> = header.split('\t').map(str::trim).collect();
        let mut columns = HashMap::new();
        for &(name, _) in wanted {
            let pos = header
                .iter()
                .position(|h| *h == name)
                .ok_or(DataError::MissingColumn { file, column: name })?;
            columns.insert(name, pos);
        }
        // A row may leave out its last column when that one is optional (an editor that trims
        // a trailing tab), nothing else.
        let min_fields = wanted
            .iter()
            .filter(|(_, required)| *required)
            .filter_map(|(name, _)| columns.get(name))
            .map(|&p| p + 1)
            .max()
            .unwrap_or(1)
            .max(header.len().saturating_sub(1));
        let mut rows = Vec::new();
        for (line, l) in lines {
            let fields: Vec<&str> = l.split('\t').collect();
            if fields.len() > header.len() || fields.len() < min_fields {
                return Err(DataError::ColumnCount {
                    file,
                    line,
                    expected: header.len(),
                    found: fields.len(),
                });
            }
            let row = TsvRow {
                line,
                fields,
                columns: columns.clone(),
            };
            for &(name, required) in wanted {
                if required && row.get(name).is_empty() {
                    return Err(DataError::EmptyField {
                        file,
                        line,
                        column: name,
                    });
                }
            }
            rows.push(row);
        }
        Ok(Self { rows })
    }
}

/// A `|`-separated list of names, trimmed, empty ones left out.
fn split_list(s: &str) -> Vec<String> {
    s.split('|')
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

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
            ok(
                "日本\tにほん\tJapan\tJP\tcountry\tno\t\n米国\tべいこく\tUS\tUS\tcountry\tno\t日本\n"
            ),
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

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn parse_never_panics(tsv in any::<String>(), g7 in any::<String>()) {
            let _ = ReferenceData::parse(&tsv, &g7);
            let _ = ReferenceData::parse(&format!("ja\treading\ten\tcode\tkind\tcri_new_2023\taliases\n{tsv}"), G7_TSV);
        }
    }
}
