//! The participants of the Counter Ransomware Initiative meeting, as the CRI press release lists
//! them: who attended the meeting (list A) and who signed the statement on ransom payments
//! (list B), joined with reference data that the documents rely on but do not spell out.
//!
//! Both lists are found in the loaded corpus by general rules (see [`Participants::from_corpus`]),
//! never by node id, so a changed or different document gives an honest answer: other counts, a
//! mismatch between the stated and the parsed total, or no lists at all. The reference data
//! (`data/cri-participants.tsv`, `data/g7-members.tsv`) is embedded as text and parsed at run
//! time; a malformed file is a [`DataError`], never a panic.
//!
//! This module knows nothing of the terminal: it computes rows, filters, sorts, the columns that
//! fit a width and padded cell strings, which the TUI and the CLI both draw from.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

use serde::Serialize;
use thiserror::Error;
use unicode_normalization::UnicodeNormalization;

use crate::corpus::{Corpus, Document, NodeRef};
use crate::text::display::{DisplayOptions, sanitize, str_width, truncate};
use crate::text::kana::{is_hiragana, is_katakana_like, kata_to_hira};

/// The participants' reference data, as shipped.
pub const PARTICIPANTS_TSV: &str = include_str!("../data/cri-participants.tsv");
/// The G7 members, as shipped.
pub const G7_TSV: &str = include_str!("../data/g7-members.tsv");

const PARTICIPANTS_FILE: &str = "cri-participants.tsv";
const G7_FILE: &str = "g7-members.tsv";

// ---------------------------------------------------------------------------------------------
// Reference data
// ---------------------------------------------------------------------------------------------

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

    fn lookup_index(&self, name: &str) -> Option<usize> {
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

// ---------------------------------------------------------------------------------------------
// Text helpers
// ---------------------------------------------------------------------------------------------

/// A `|`-separated list of names, trimmed, empty ones left out.
fn split_list(s: &str) -> Vec<String> {
    s.split('|')
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(str::to_string)
        .collect()
}

/// The form in which names and queries are compared: NFKC (full-width and half-width forms
/// alike), lower case, katakana as hiragana.
#[must_use]
pub fn fold(s: &str) -> String {
    s.nfkc()
        .flat_map(char::to_lowercase)
        .map(kata_to_hira)
        .collect()
}

/// Whether `needle` occurs in `text` as a word of its own: a name that starts (ends) with
/// katakana must not be preceded (followed) by katakana, and one that starts (ends) with a
/// Latin letter or digit must not be preceded (followed) by one.
fn contains_word(text: &[char], needle: &[char]) -> bool {
    let (Some(&first), Some(&last)) = (needle.first(), needle.last()) else {
        return false;
    };
    if needle.len() > text.len() {
        return false;
    }
    let joins = |edge: char, neighbour: Option<&char>| -> bool {
        neighbour.is_some_and(|&n| {
            (is_katakana_like(edge) && is_katakana_like(n))
                || (edge.is_ascii_alphanumeric() && n.is_ascii_alphanumeric())
        })
    };
    (0..=text.len() - needle.len()).any(|i| {
        text[i..i + needle.len()] == *needle
            && !joins(first, i.checked_sub(1).and_then(|p| text.get(p)))
            && !joins(last, text.get(i + needle.len()))
    })
}

/// The nodes of every document whose text mentions one of `names`, in document order, each
/// once. Text and names are compared after NFKC normalisation, and a name must stand as a word
/// of its own: one that starts (ends) with katakana must not be preceded (followed) by katakana
/// or ー (インド is not found in インドネシア), and one that starts (ends) with a Latin letter or
/// digit must not be preceded (followed) by one (EU is not found in EUROPOL, but is in EU凍結).
#[must_use]
pub fn mentions_of(corpus: &Corpus, names: &[&str]) -> Vec<NodeRef> {
    let texts = normalised_texts(corpus);
    mentions_in(&texts, names)
}

fn normalised_texts(corpus: &Corpus) -> Vec<(NodeRef, Vec<char>)> {
    corpus
        .iter_nodes()
        .map(|(r, n)| (r, n.text.nfkc().collect()))
        .collect()
}

fn mentions_in(texts: &[(NodeRef, Vec<char>)], names: &[&str]) -> Vec<NodeRef> {
    let needles: Vec<Vec<char>> = names
        .iter()
        .map(|n| n.trim().nfkc().collect::<Vec<char>>())
        .filter(|n| !n.is_empty())
        .collect();
    texts
        .iter()
        .filter(|(_, text)| needles.iter().any(|n| contains_word(text, n)))
        .map(|(r, _)| *r)
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Finding the lists
// ---------------------------------------------------------------------------------------------

/// Fewer items than this is not a list of names.
const MIN_LIST_ITEMS: usize = 5;
/// A name longer than this (in characters) is not a name.
const MAX_NAME_CHARS: usize = 20;
/// A node that states a count is short.
const MAX_COUNT_NODE_CHARS: usize = 120;

/// How a stated count is introduced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CountMark {
    /// `計50か国・機関`
    Total,
    /// `注：47か国・機関`
    Note,
    /// `50か国`
    Plain,
}

/// A count of countries stated in a text (`計50か国・機関`, `（注：47か国・機関）`, `５０カ国`).
fn find_count(text: &str) -> Option<(usize, CountMark)> {
    const COUNTERS: [&str; 6] = ["か国", "カ国", "ヶ国", "ヵ国", "ケ国", "箇国"];
    let chars: Vec<char> = text.nfkc().collect();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && chars[i].is_ascii_digit() {
            i += 1;
        }
        let digits: String = chars[start..i].iter().collect();
        let mut j = i;
        while j < chars.len() && chars[j] == ' ' {
            j += 1;
        }
        let after: String = chars[j..chars.len().min(j + 2)].iter().collect();
        if COUNTERS.contains(&after.as_str())
            && let Ok(n) = digits.parse::<usize>()
        {
            let before: String = chars[start.saturating_sub(4)..start].iter().collect();
            let mark = if before.contains('計') {
                CountMark::Total
            } else if before.contains('注') {
                CountMark::Note
            } else {
                CountMark::Plain
            };
            return Some((n, mark));
        }
    }
    None
}

/// Opening and closing brackets that may wrap a name.
const BRACKETS: [(char, char); 8] = [
    ('「', '」'),
    ('『', '』'),
    ('【', '】'),
    ('〔', '〕'),
    ('(', ')'),
    ('（', '）'),
    ('[', ']'),
    ('“', '”'),
];

/// Punctuation that ends a list or separates its items and is never part of a name.
fn is_list_punct(c: char) -> bool {
    c.is_whitespace() || matches!(c, '。' | '、' | '，' | ',' | '．' | '"' | '\'')
}

/// A name without the punctuation around it: spaces, `。`/`、`, quotes, a pair of brackets
/// around the whole name (`「日本」`), or a bracket whose partner is not in the name (the `（`
/// left over from a cut count). Brackets inside a name (`コンゴ(民主共和国)`) stay.
fn strip_wrapping(mut s: &str) -> &str {
    loop {
        let t = s.trim_matches(is_list_punct);
        let (Some(first), Some(last)) = (t.chars().next(), t.chars().last()) else {
            return t;
        };
        // The partner of a bracket, and whether it is the opening one.
        let partner = |c: char| {
            BRACKETS.iter().find_map(|&(o, cl)| {
                if c == o {
                    Some((cl, true))
                } else if c == cl {
                    Some((o, false))
                } else {
                    None
                }
            })
        };
        let (fl, ll) = (first.len_utf8(), last.len_utf8());
        let stripped = match (partner(first), partner(last)) {
            (Some((p, true)), _) if p == last && t.len() > fl => &t[fl..t.len() - ll],
            (Some((p, _)), _) if !t.contains(p) => &t[fl..],
            (_, Some((p, _))) if !t.contains(p) => &t[..t.len() - ll],
            _ => t,
        };
        if stripped.len() == s.len() {
            return stripped;
        }
        s = stripped;
    }
}

/// The names of a list, and the count stated inside it.
type ParsedList = (Vec<String>, Option<(usize, CountMark)>);

/// A list of names in a node's text: the names, and a count stated inside the node (a trailing
/// parenthesised `（注：47か国・機関）`). `None` when the text is not such a list.
///
/// The rule: after removing a trailing parenthesised count, the final `。`/`、` and an
/// introduction ending in a colon (`参加国：`), the text splits on `、` into at least
/// [`MIN_LIST_ITEMS`] items, each of which is a name: at most [`MAX_NAME_CHARS`] characters,
/// without sentence punctuation (`。！？：「」`), and not ending in hiragana (particles and verb
/// endings do: `我々は`, `…を支持する`).
fn parse_list(text: &str) -> Option<ParsedList> {
    // Cheap rejections first: a list has several 、 and no sentence ending inside it (a full
    // stop may only close a bracketed count at the very end).
    text.matches('、').nth(3)?;
    if let Some(stop) = text.find('。') {
        let rest = &text[stop + '。'.len_utf8()..];
        if rest
            .chars()
            .any(|c| !matches!(c, ')' | '）' | '。' | ' ' | '\n'))
        {
            return None;
        }
    }
    let flat = text.replace(['\n', '\r'], " ");
    let mut body = flat.trim().trim_end_matches(['。', '、', ' ', '\u{3000}']);
    let mut count = None;
    if body.ends_with([')', '）'])
        && let Some(open) = body.rfind(['(', '（'])
    {
        let group = &body[open..];
        let inner = group
            .trim_start_matches(['(', '（'])
            .trim_end_matches([')', '）'])
            .trim();
        let found = find_count(inner);
        if found.is_some() || inner.starts_with(['注', '計']) {
            count = found;
            body = body[..open].trim_end();
        }
    }
    let body = strip_wrapping(body);
    // An introduction ending in a colon before the first name: `参加国：アルバニア、…`.
    let first_end = body.find('、').unwrap_or(body.len());
    let body = match body[..first_end].rfind(['：', ':']) {
        Some(colon) => &body[colon + body[colon..].chars().next().map_or(1, char::len_utf8)..],
        None => body,
    };
    let items: Vec<String> = body
        .split(['、', '，'])
        .map(|s| strip_wrapping(s).to_string())
        .filter(|s| !s.is_empty())
        .collect();
    let is_name = |s: &String| {
        s.chars().count() <= MAX_NAME_CHARS
            && !s.contains([
                '。', '！', '？', '!', '?', '：', ':', '「', '」', '『', '』',
            ])
            && !s.chars().last().is_some_and(is_hiragana)
    };
    (items.len() >= MIN_LIST_ITEMS && items.iter().all(is_name)).then_some((items, count))
}

/// A list of names found in the corpus, with what its context says about it.
#[derive(Debug, Clone)]
struct FoundList {
    node: NodeRef,
    names: Vec<String>,
    stated: Option<usize>,
    count_node: Option<NodeRef>,
    mark: Option<CountMark>,
    /// In a note (`(注1)`) or counted as a note (`注：47か国`).
    in_note: bool,
    /// The nearest heading mentions 参加 (`参加国・機関`).
    under_participants_heading: bool,
}

fn siblings(doc: &Document, idx: usize) -> &[usize] {
    match doc.nodes.get(idx).and_then(|n| n.parent) {
        Some(p) => doc.nodes.get(p).map_or(&[][..], |n| &n.children[..]),
        None => &doc.roots[..],
    }
}

fn find_lists(corpus: &Corpus) -> Vec<FoundList> {
    let mut out = Vec::new();
    for (d, doc) in corpus.documents.iter().enumerate() {
        for (idx, node) in doc.nodes.iter().enumerate() {
            if node.kind.is_heading() || node.kind.is_header() {
                continue;
            }
            let Some((names, inline)) = parse_list(&node.text) else {
                continue;
            };
            let here = NodeRef { doc: d, node: idx };
            let heading = doc
                .section_of(idx)
                .and_then(|h| doc.nodes.get(h).map(|n| (n, NodeRef { doc: d, node: h })));
            // Where the total is stated: in the node, in the short node that follows it, or in
            // the heading.
            let sibs = siblings(doc, idx);
            let next = sibs
                .iter()
                .position(|&s| s == idx)
                .and_then(|p| sibs.get(p + 1))
                .and_then(|&s| doc.nodes.get(s).map(|n| (s, n)))
                .filter(|(_, n)| n.text.chars().count() <= MAX_COUNT_NODE_CHARS);
            let (count, count_node) = if let Some(c) = inline {
                (Some(c), Some(here))
            } else if let Some((c, s)) = next.and_then(|(s, n)| find_count(&n.text).map(|c| (c, s)))
            {
                (Some(c), Some(NodeRef { doc: d, node: s }))
            } else if let Some((c, r)) =
                heading.and_then(|(h, r)| find_count(&h.text).map(|c| (c, r)))
            {
                (Some(c), Some(r))
            } else {
                (None, None)
            };
            let label_is_note = node
                .label
                .as_deref()
                .is_some_and(|l| l.starts_with('注') || l.starts_with("脚注"));
            let mark = count.map(|(_, m)| m);
            out.push(FoundList {
                node: here,
                names,
                stated: count.map(|(n, _)| n),
                count_node,
                mark,
                in_note: label_is_note || mark == Some(CountMark::Note),
                under_participants_heading: heading.is_some_and(|(h, _)| h.text.contains("参加")),
            });
        }
    }
    out
}

/// Picks list A (the meeting) and list B (the statement) among the lists found.
fn pick_lists(lists: &[FoundList]) -> (Option<&FoundList>, Option<&FoundList>) {
    let a = lists
        .iter()
        .find(|l| !l.in_note && l.under_participants_heading)
        .or_else(|| {
            lists
                .iter()
                .find(|l| !l.in_note && l.mark == Some(CountMark::Total))
        });
    let b = lists
        .iter()
        .find(|l| l.in_note && a.is_none_or(|a| a.node != l.node));
    (a, b)
}

// ---------------------------------------------------------------------------------------------
// Participants
// ---------------------------------------------------------------------------------------------

/// One participant: a name from list A or list B (or both), with its reference data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Participant {
    /// The name as the document writes it (list A's spelling when both lists have it).
    pub ja: String,
    pub reading: Option<String>,
    pub en: Option<String>,
    pub code: Option<String>,
    pub kind: Option<Kind>,
    pub new_2023: bool,
    pub g7: bool,
    pub aliases: Vec<String>,
    /// English forms people type (see [`Entry::en_aliases`]).
    pub en_aliases: Vec<String>,
    /// In list A (the meeting's participants).
    pub in_meeting: bool,
    /// In list B (the signatories of the statement).
    pub in_statement: bool,
    /// Position in list A, from 1.
    pub order_a: Option<usize>,
    /// Position in list B, from 1.
    pub order_b: Option<usize>,
    /// Nodes (of every document) whose text mentions the name or an alias, in document order.
    pub mentions: Vec<NodeRef>,
}

impl Participant {
    /// Whether the reference data knows this name.
    #[must_use]
    pub fn is_known(&self) -> bool {
        self.en.is_some() || self.code.is_some() || self.reading.is_some()
    }

    /// Every name this participant goes by: as written, then the aliases.
    #[must_use]
    pub fn names(&self) -> Vec<&str> {
        std::iter::once(self.ja.as_str())
            .chain(self.aliases.iter().map(String::as_str))
            .collect()
    }

    /// Whether a folded query (see [`fold`]) is a substring of the name, reading, English
    /// name, code or an alias.
    fn matches_folded(&self, q: &str) -> bool {
        std::iter::once(&self.ja)
            .chain(self.reading.iter())
            .chain(self.en.iter())
            .chain(self.code.iter())
            .chain(self.aliases.iter())
            .chain(self.en_aliases.iter())
            .any(|s| fold(s).contains(q))
    }
}

/// One list as found: where it is, how many names were parsed, and the total the document
/// states for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListInfo {
    /// The node holding the list.
    pub node: NodeRef,
    /// Names parsed from it.
    pub parsed: usize,
    /// The total stated (`計50か国・機関`), if any.
    pub stated: Option<usize>,
    /// The node the stated total was read from.
    pub count_node: Option<NodeRef>,
}

impl ListInfo {
    /// The stated total and the parsed count disagree.
    #[must_use]
    pub fn mismatch(&self) -> bool {
        self.stated.is_some_and(|s| s != self.parsed)
    }

    fn describe(&self, letter: &str) -> String {
        match self.stated {
            Some(s) if s != self.parsed => format!("{letter} {} (stated {s}!)", self.parsed),
            _ => format!("{letter} {}", self.parsed),
        }
    }
}

/// Counts over the rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Counts {
    /// Rows in list A.
    pub a: usize,
    /// Rows in list B.
    pub b: usize,
    pub union: usize,
    pub both: usize,
    pub only_a: usize,
    pub only_b: usize,
    pub new_2023: usize,
    pub g7: usize,
}

/// The participants table.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Participants {
    /// One row per participant: list A's order, then names only in list B in B's order.
    pub rows: Vec<Participant>,
    /// List A, the meeting's participants, when found.
    pub meeting: Option<ListInfo>,
    /// List B, the signatories of the statement, when found.
    pub statement: Option<ListInfo>,
}

/// Shown by [`Participants::summary`] when no list was found.
pub const NO_LISTS: &str = "no participant lists in the loaded documents";

impl Participants {
    /// Finds the two lists in the corpus and joins them with the reference data.
    ///
    /// A node holds a list when its text, without a trailing parenthesised count, a final
    /// `。`/`、` and an introduction ending in a colon, splits on `、` into at least five names:
    /// items of at most twenty characters, without sentence punctuation (`。！？：「」`), not
    /// ending in hiragana (particles and verb endings do: `我々は`, `…を支持する`). List A is the first list outside a note whose nearest
    /// heading mentions 参加 (`参加国・機関`), or failing that the first one whose total is
    /// introduced by 計; list B is the first list in a note (`(注1)`, or a count introduced by
    /// 注). Each list's stated total is read from the list itself (`（注：47か国・機関）`), from
    /// the short node that follows it (`(計50か国・機関。…)`), or from its heading. A corpus
    /// without such lists gives an empty table.
    #[must_use]
    pub fn from_corpus(corpus: &Corpus, data: &ReferenceData) -> Self {
        let lists = find_lists(corpus);
        let (a, b) = pick_lists(&lists);
        // Normalised only when there is someone to look for: a large corpus without lists
        // should not pay for it.
        let texts = if a.is_some() || b.is_some() {
            normalised_texts(corpus)
        } else {
            Vec::new()
        };

        #[derive(PartialEq, Eq, Hash)]
        enum Key {
            Entry(usize),
            Name(String),
        }
        let key_of = |name: &str| match data.lookup_index(name) {
            Some(i) => Key::Entry(i),
            None => Key::Name(fold(name)),
        };

        let mut rows: Vec<Participant> = Vec::new();
        let mut by_key: HashMap<Key, usize> = HashMap::new();
        for (list, is_a) in [(a, true), (b, false)] {
            let Some(list) = list else { continue };
            for (pos, name) in list.names.iter().enumerate() {
                let key = key_of(name);
                let row = match by_key.get(&key) {
                    Some(&r) => r,
                    None => {
                        let entry = match key {
                            Key::Entry(i) => data.entries.get(i),
                            Key::Name(_) => None,
                        };
                        rows.push(new_row(name, entry, data));
                        by_key.insert(key, rows.len() - 1);
                        rows.len() - 1
                    }
                };
                let Some(p) = rows.get_mut(row) else { continue };
                if is_a {
                    p.in_meeting = true;
                    p.order_a.get_or_insert(pos + 1);
                } else {
                    p.in_statement = true;
                    p.order_b.get_or_insert(pos + 1);
                }
            }
        }
        for p in &mut rows {
            let mut names: Vec<&str> = vec![p.ja.as_str()];
            if let Some(e) = data.lookup(&p.ja)
                && e.ja != p.ja
            {
                names.push(e.ja.as_str());
            }
            names.extend(p.aliases.iter().map(String::as_str));
            p.mentions = mentions_in(&texts, &names);
        }
        let info = |l: &FoundList| ListInfo {
            node: l.node,
            parsed: l.names.len(),
            stated: l.stated,
            count_node: l.count_node,
        };
        Self {
            rows,
            meeting: a.map(info),
            statement: b.map(info),
        }
    }

    /// No list was found.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Counts over the rows.
    #[must_use]
    pub fn counts(&self) -> Counts {
        let n = |f: &dyn Fn(&Participant) -> bool| self.rows.iter().filter(|p| f(p)).count();
        Counts {
            a: n(&|p| p.in_meeting),
            b: n(&|p| p.in_statement),
            union: self.rows.len(),
            both: n(&|p| p.in_meeting && p.in_statement),
            only_a: n(&|p| p.in_meeting && !p.in_statement),
            only_b: n(&|p| !p.in_meeting && p.in_statement),
            new_2023: n(&|p| p.new_2023),
            g7: n(&|p| p.g7),
        }
    }

    /// One line: `A 50 · B 47 · both 47 · only A 3 (EU, パプアニューギニア, ウルグアイ) · only B
    /// 0`. A stated total that differs from the parsed count is shown: `A 49 (stated 50!)`.
    #[must_use]
    pub fn summary(&self) -> String {
        const NAMES_SHOWN: usize = 5;
        let names_of = |f: &dyn Fn(&Participant) -> bool| -> String {
            let names: Vec<&str> = self
                .rows
                .iter()
                .filter(|p| f(p))
                .map(|p| p.ja.as_str())
                .collect();
            match names.len() {
                0 => "0".to_string(),
                n if n <= NAMES_SHOWN => format!("{n} ({})", names.join(", ")),
                n => format!("{n} ({}, …)", names[..NAMES_SHOWN].join(", ")),
            }
        };
        match (&self.meeting, &self.statement) {
            (None, None) => NO_LISTS.to_string(),
            (Some(a), None) => format!("{} · no statement list (注) found", a.describe("A")),
            (None, Some(b)) => format!("no meeting list (参加国) found · {}", b.describe("B")),
            (Some(a), Some(b)) => {
                let c = self.counts();
                format!(
                    "{} · {} · both {} · only A {} · only B {}",
                    a.describe("A"),
                    b.describe("B"),
                    c.both,
                    names_of(&|p| p.in_meeting && !p.in_statement),
                    names_of(&|p| !p.in_meeting && p.in_statement),
                )
            }
        }
    }

    /// Indices into `rows` of the participants that pass `filter` and match `query` (a
    /// case-insensitive substring of the name, reading, English name, code or an alias,
    /// katakana matching hiragana and full-width matching half-width), in `sort` order.
    #[must_use]
    pub fn filtered(&self, filter: Filter, sort: Sort, query: &str) -> Vec<usize> {
        let q = fold(query.trim());
        let mut idx: Vec<usize> = self
            .rows
            .iter()
            .enumerate()
            .filter(|(_, p)| filter.matches(p) && (q.is_empty() || p.matches_folded(&q)))
            .map(|(i, _)| i)
            .collect();
        let rows = &self.rows;
        // Stable sorts: ties (and rows without the key, put last) stay in document order.
        match sort {
            Sort::Document => {}
            Sort::Gojuon => idx.sort_by_cached_key(|&i| {
                rows.get(i)
                    .and_then(|p| p.reading.as_deref())
                    .map_or((true, GojuonKey::default()), |r| (false, gojuon_key(r)))
            }),
            Sort::English => idx.sort_by_cached_key(|&i| {
                rows.get(i)
                    .and_then(|p| p.en.as_deref())
                    .map_or((true, String::new()), |e| (false, e.to_lowercase()))
            }),
            Sort::Code => idx.sort_by_cached_key(|&i| {
                rows.get(i)
                    .and_then(|p| p.code.as_deref())
                    .map_or((true, String::new()), |c| (false, c.to_uppercase()))
            }),
        }
        idx
    }

    /// The rows at `indices` as JSON objects, with mentions as node ids.
    #[must_use]
    pub fn to_json_rows(&self, corpus: &Corpus, indices: &[usize]) -> Vec<JsonRow> {
        indices
            .iter()
            .filter_map(|&i| self.rows.get(i))
            .map(|p| JsonRow {
                ja: p.ja.clone(),
                en: p.en.clone(),
                code: p.code.clone(),
                kind: p.kind,
                in_meeting: p.in_meeting,
                in_statement: p.in_statement,
                new_2023: p.new_2023,
                g7: p.g7,
                mentions: p
                    .mentions
                    .iter()
                    .filter_map(|r| {
                        corpus
                            .documents
                            .get(r.doc)
                            .and_then(|d| d.nodes.get(r.node))
                            .map(|n| n.id.clone())
                    })
                    .collect(),
            })
            .collect()
    }

    /// The cells of row `row` for the columns `cols`, each cut to and padded to its width in
    /// `widths` (display cells), made safe to show. A row out of range gives blank cells.
    #[must_use]
    pub fn render_row(
        &self,
        row: usize,
        cols: &[Column],
        widths: &[usize],
        opts: DisplayOptions,
    ) -> Vec<String> {
        cols.iter()
            .enumerate()
            .map(|(i, &c)| {
                let w = widths.get(i).copied().unwrap_or(0);
                let text = self
                    .rows
                    .get(row)
                    .map_or(String::new(), |p| cell_text(p, c));
                fit(&text, w, opts)
            })
            .collect()
    }
}

fn new_row(name: &str, entry: Option<&Entry>, data: &ReferenceData) -> Participant {
    let code = entry.and_then(|e| e.code.clone());
    Participant {
        ja: name.to_string(),
        reading: entry.and_then(|e| e.reading.clone()),
        en: entry.and_then(|e| e.en.clone()),
        g7: code.as_deref().is_some_and(|c| data.is_g7_member(c)),
        code,
        kind: entry.and_then(|e| e.kind),
        new_2023: entry.is_some_and(|e| e.new_2023),
        aliases: entry.map(|e| e.aliases.clone()).unwrap_or_default(),
        en_aliases: entry.map(|e| e.en_aliases.clone()).unwrap_or_default(),
        in_meeting: false,
        in_statement: false,
        order_a: None,
        order_b: None,
        mentions: Vec::new(),
    }
}

/// A participant as the CLI prints it in JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JsonRow {
    pub ja: String,
    pub en: Option<String>,
    pub code: Option<String>,
    pub kind: Option<Kind>,
    pub in_meeting: bool,
    pub in_statement: bool,
    pub new_2023: bool,
    pub g7: bool,
    /// Node ids (`g7:37`, `cri:annex-1.1`).
    pub mentions: Vec<String>,
}

// ---------------------------------------------------------------------------------------------
// Gojūon ordering
// ---------------------------------------------------------------------------------------------

/// A reading's sort key in 五十音 order: first the kana without voicing marks, small kana as
/// large and ー as the vowel it prolongs; then, to break ties, the marks themselves.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
struct GojuonKey {
    base: Vec<char>,
    marks: Vec<u8>,
}

fn gojuon_key(reading: &str) -> GojuonKey {
    let mut key = GojuonKey::default();
    for c in fold(reading).chars() {
        if c == 'ー' {
            let v = key.base.last().and_then(|&p| vowel_of(p)).unwrap_or(c);
            key.base.push(v);
            key.marks.push(1);
            continue;
        }
        let (base, mark) = plain_kana(c);
        key.base.push(base);
        key.marks.push(mark);
    }
    key
}

/// A kana without its voicing mark or smallness, and which it had (0 none, 1 small, 2 dakuten,
/// 3 handakuten).
fn plain_kana(c: char) -> (char, u8) {
    const SMALL: &str = "ぁぃぅぇぉっゃゅょゎゕゖ";
    const LARGE: &str = "あいうえおつやゆよわかけ";
    if let Some(i) = SMALL.chars().position(|s| s == c) {
        return (LARGE.chars().nth(i).unwrap_or(c), 1);
    }
    let mut d = c.to_string().nfd().collect::<Vec<char>>().into_iter();
    match (d.next(), d.next()) {
        (Some(b), Some('\u{3099}')) => (b, 2),
        (Some(b), Some('\u{309A}')) => (b, 3),
        _ => (c, 0),
    }
}

fn vowel_of(c: char) -> Option<char> {
    const ROWS: [(char, &str); 5] = [
        ('あ', "あかさたなはまやらわ"),
        ('い', "いきしちにひみり"),
        ('う', "うくすつぬふむゆる"),
        ('え', "えけせてねへめれ"),
        ('お', "おこそとのほもよろを"),
    ];
    ROWS.iter()
        .find(|(_, row)| row.contains(c))
        .map(|(v, _)| *v)
}

// ---------------------------------------------------------------------------------------------
// Filters and sorts
// ---------------------------------------------------------------------------------------------

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
    /// Every filter, in [`Filter::cycle`] order.
    pub const ALL: [Filter; 8] = [
        Self::All,
        Self::Both,
        Self::OnlyA,
        Self::OnlyB,
        Self::A,
        Self::B,
        Self::New2023,
        Self::G7,
    ];

    /// The CLI value (`all`, `both`, `a-only`, `b-only`, `a`, `b`, `new`, `g7`), case-insensitive;
    /// `only-a`, `only-b` and `new2023` are accepted too.
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
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

    /// The CLI value.
    #[must_use]
    pub fn name(self) -> &'static str {
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

    /// The next filter, wrapping around.
    #[must_use]
    pub fn cycle(self) -> Self {
        let i = Self::ALL.iter().position(|&f| f == self).unwrap_or(0);
        Self::ALL[(i + 1) % Self::ALL.len()]
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
            Self::New2023 => p.new_2023,
            Self::G7 => p.g7,
        }
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

impl FromStr for Filter {
    type Err = ParseNameError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s).ok_or_else(|| ParseNameError {
            what: "filter",
            value: s.to_string(),
            expected: Self::ALL.map(Self::name).join(", "),
        })
    }
}

impl fmt::Display for Filter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
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

impl Sort {
    /// Every sort, in [`Sort::cycle`] order.
    pub const ALL: [Sort; 4] = [Self::Document, Self::Gojuon, Self::English, Self::Code];

    /// `document` (`doc`), `gojuon` (`kana`, `reading`), `english` (`en`), `code`,
    /// case-insensitive.
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "document" | "doc" => Self::Document,
            "gojuon" | "kana" | "reading" => Self::Gojuon,
            "english" | "en" => Self::English,
            "code" => Self::Code,
            _ => return None,
        })
    }

    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Document => "document",
            Self::Gojuon => "gojuon",
            Self::English => "english",
            Self::Code => "code",
        }
    }

    /// The next sort, wrapping around.
    #[must_use]
    pub fn cycle(self) -> Self {
        let i = Self::ALL.iter().position(|&s| s == self).unwrap_or(0);
        Self::ALL[(i + 1) % Self::ALL.len()]
    }
}

impl FromStr for Sort {
    type Err = ParseNameError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s).ok_or_else(|| ParseNameError {
            what: "sort",
            value: s.to_string(),
            expected: Self::ALL.map(Self::name).join(", "),
        })
    }
}

impl fmt::Display for Sort {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

// ---------------------------------------------------------------------------------------------
// Table columns
// ---------------------------------------------------------------------------------------------

/// A column of the participants table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Column {
    Ja,
    En,
    Code,
    Kind,
    /// In list A.
    A,
    /// In list B.
    B,
    /// New in 2023.
    New,
    G7,
}

/// Cells between two columns.
pub const COLUMN_GAP: usize = 1;
/// What a boolean cell shows when true (not East Asian Ambiguous: one cell everywhere).
pub const CHECK: &str = "✓";

impl Column {
    /// The header text.
    #[must_use]
    pub fn header(self) -> &'static str {
        match self {
            Self::Ja => "Name",
            Self::En => "English",
            Self::Code => "Code",
            Self::Kind => "Kind",
            Self::A => "A",
            Self::B => "B",
            Self::New => "New",
            Self::G7 => "G7",
        }
    }

    /// The width that shows every value of the reference data in full: the longest Japanese
    /// name (パプアニューギニア, 18 cells), English name (United Arab Emirates, 20), code
    /// (INTERPOL, 8), kind (`country`, 7), and the header of the narrow columns.
    #[must_use]
    pub fn full_width(self) -> usize {
        match self {
            Self::Ja => 18,
            Self::En => 20,
            Self::Code => 8,
            Self::Kind => 7,
            Self::A | Self::B => 1,
            Self::New => 3,
            Self::G7 => 2,
        }
    }
}

/// The English column is cut (with an ellipsis) down to this width before it is dropped.
const EN_MIN_WIDTH: usize = 10;

/// Column sets from the widest to the narrowest: Kind goes first, then (after English has
/// been shortened) G7, Code, English and New. Name, A and B always stay.
const STAGES: [&[Column]; 6] = [
    &[
        Column::Ja,
        Column::En,
        Column::Code,
        Column::Kind,
        Column::A,
        Column::B,
        Column::New,
        Column::G7,
    ],
    &[
        Column::Ja,
        Column::En,
        Column::Code,
        Column::A,
        Column::B,
        Column::New,
        Column::G7,
    ],
    &[
        Column::Ja,
        Column::En,
        Column::Code,
        Column::A,
        Column::B,
        Column::New,
    ],
    &[Column::Ja, Column::En, Column::A, Column::B, Column::New],
    &[Column::Ja, Column::A, Column::B, Column::New],
    &[Column::Ja, Column::A, Column::B],
];

/// The columns that fit in `width` cells and their widths. Their sum plus one gap between
/// each pair never exceeds `width`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableLayout {
    pub columns: Vec<Column>,
    pub widths: Vec<usize>,
}

impl TableLayout {
    #[must_use]
    pub fn for_width(width: usize) -> Self {
        let gaps = |n: usize| n.saturating_sub(1) * COLUMN_GAP;
        for (stage, cols) in STAGES.iter().enumerate() {
            let full: usize = cols.iter().map(|c| c.full_width()).sum::<usize>() + gaps(cols.len());
            // English may shrink once Kind is gone.
            let shrink = if stage > 0 && cols.contains(&Column::En) {
                Column::En.full_width() - EN_MIN_WIDTH
            } else {
                0
            };
            if full.saturating_sub(shrink) <= width {
                let cut = full.saturating_sub(width);
                let widths = cols
                    .iter()
                    .map(|&c| {
                        if c == Column::En {
                            c.full_width() - cut.min(shrink)
                        } else {
                            c.full_width()
                        }
                    })
                    .collect();
                return Self {
                    columns: cols.to_vec(),
                    widths,
                };
            }
        }
        // Narrower than the narrowest stage: the name takes what A and B leave, then all.
        let ab = Column::A.full_width() + Column::B.full_width() + 2 * COLUMN_GAP;
        if width > ab {
            Self {
                columns: vec![Column::Ja, Column::A, Column::B],
                widths: vec![width - ab, Column::A.full_width(), Column::B.full_width()],
            }
        } else if width > 0 {
            Self {
                columns: vec![Column::Ja],
                widths: vec![width],
            }
        } else {
            Self {
                columns: Vec::new(),
                widths: Vec::new(),
            }
        }
    }

    /// Cells used, gaps included.
    #[must_use]
    pub fn total_width(&self) -> usize {
        self.widths.iter().sum::<usize>() + self.widths.len().saturating_sub(1) * COLUMN_GAP
    }

    /// The header cells, padded.
    #[must_use]
    pub fn header(&self, opts: DisplayOptions) -> Vec<String> {
        self.columns
            .iter()
            .zip(&self.widths)
            .map(|(c, &w)| fit(c.header(), w, opts))
            .collect()
    }
}

/// The columns that fit in `width` cells (see [`TableLayout::for_width`]).
#[must_use]
pub fn columns_for_width(width: usize) -> Vec<Column> {
    TableLayout::for_width(width).columns
}

/// Cells joined into one line with [`COLUMN_GAP`] between them.
#[must_use]
pub fn join_cells(cells: &[String]) -> String {
    cells.join(&" ".repeat(COLUMN_GAP))
}

fn cell_text(p: &Participant, c: Column) -> String {
    let check = |b: bool| if b { CHECK } else { "" }.to_string();
    match c {
        Column::Ja => p.ja.clone(),
        Column::En => p.en.clone().unwrap_or_default(),
        Column::Code => p.code.clone().unwrap_or_default(),
        Column::Kind => p.kind.map_or("", Kind::short).to_string(),
        Column::A => check(p.in_meeting),
        Column::B => check(p.in_statement),
        Column::New => check(p.new_2023),
        Column::G7 => check(p.g7),
    }
}

/// `text` made safe, cut to `width` display cells and padded with spaces to exactly `width`.
fn fit(text: &str, width: usize, opts: DisplayOptions) -> String {
    let one_line = text.replace(['\n', '\r'], " ");
    let mut s = truncate(&sanitize(&one_line, opts), width, opts);
    let w = str_width(&s);
    if w < width {
        s.push_str(&" ".repeat(width - w));
    }
    s
}

#[cfg(test)]
mod tests;
