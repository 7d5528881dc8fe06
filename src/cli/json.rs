//! Every shape the CLI prints with `--json`, in one place, and the one writer that makes JSON
//! safe on a terminal.
//!
//! Each shape is described three times for people: by the structs here, by the `*_HELP` texts
//! each subcommand's `--help` shows, and by the README's "JSON shapes". `tests/json_shapes.rs`
//! checks that the three agree with each other and with real output.

use std::fmt::Write as _;
use std::io::{self, Write};

use serde::Serialize;

use crate::corpus::{Corpus, Document, NodeRef, Resolved};
use crate::participants::{Kind, Participants};
use crate::refs;
use crate::search::{Hit, MatchKind};

/// `outline --json`, as `--help` describes it.
pub const OUTLINE_HELP: &str = r#"Print JSON: {"documents":[{"id","title","date","place"?,"issuers"?,"encoding","children":[node]}]}, each node {"id","kind","label"?,"title"?,"text"?,"children":[node]}"#;
/// `show --json`, as `--help` describes it.
pub const SHOW_HELP: &str = r#"Print JSON: {"id","kind","label"?,"text","width","lines":[...],"links":[link]}, each link {"range","text","target"}: range as [start, end) character offsets into the node's text, target a node or document id"#;
/// `search --json`, as `--help` describes it.
pub const SEARCH_HELP: &str = r#"Print JSON: [{"id","doc","score","kind","exact","snippet","ranges"}], score in [0, 1] never increasing down the list, kind one of label, exact, glossary, fuzzy, near, ranges as [start, end) character offsets into the node's text"#;
/// `refs --json`, as `--help` describes it.
pub const REFS_HELP: &str = r#"Print JSON: [{"name","date"?,"issuer"?,"cited_at":[...]}], date ISO 8601, cited_at as node ids"#;
/// `index --json`, as `--help` describes it.
pub const INDEX_HELP: &str = r#"Print JSON: [{"term","expansion"?,"kind","mentions":[...]}], kind one of acronym, organisation, initiative, task_force, mechanism, participant; mentions as node ids"#;
/// `participants --json`, as `--help` describes it.
pub const PARTICIPANTS_HELP: &str = r#"Print JSON: [{"ja","en","code","kind","in_meeting","in_statement","new_2023","g7","mentions"}], mentions as node ids"#;

/// `marks --json`, as `--help` describes it.
pub const MARKS_HELP: &str = r#"Print JSON: {"file"?,"note"?,"last"?:place,"marks":[mark]}, each mark {"mark","id","offset","words"}, each place {"id","offset","words"}; offset in characters into the node's text"#;

/// `marks --json`: the state file, why it was not read (if it was not), the last position
/// and the marks.
#[derive(Debug, Serialize)]
pub struct MarksReport {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last: Option<Place>,
    pub marks: Vec<Mark>,
}

/// A place in the text: the node's id, the character offset into its text, the first words
/// from there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Place {
    pub id: String,
    pub offset: usize,
    pub words: String,
}

/// A mark: its letter and its place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mark {
    pub mark: char,
    #[serde(flatten)]
    pub at: Place,
}

/// A position as `marks` prints it, with `words` characters of its text at most.
#[must_use]
pub fn place(corpus: &Corpus, at: crate::places::Position, words: usize) -> Place {
    Place {
        id: corpus.node(at.node).id.clone(),
        offset: at.offset,
        words: at.words(corpus, words),
    }
}

/// What `marks` reports for the state `opened` from `file` (`None`: there is no state
/// folder, and `note` says why).
#[must_use]
pub fn marks_report(
    corpus: &Corpus,
    file: Option<&std::path::Path>,
    opened: &crate::places::Opened,
    note: Option<String>,
) -> MarksReport {
    use crate::places::Opened;
    let mut report = MarksReport {
        file: file.map(|f| f.display().to_string()),
        note,
        last: None,
        marks: Vec::new(),
    };
    match opened {
        Opened::Fresh => {}
        Opened::Ignored { note } => report.note = Some(note.clone()),
        Opened::Loaded(saved) => {
            report.last = saved
                .last
                .as_ref()
                .and_then(|l| l.restore(corpus))
                .map(|p| place(corpus, p, 40));
            report.marks = saved
                .marks
                .iter()
                .filter_map(|(&c, p)| {
                    Some(Mark {
                        mark: c,
                        at: place(corpus, p.restore(corpus)?, 40),
                    })
                })
                .collect();
        }
    }
    report
}

/// `outline --json`: every document.
#[derive(Debug, Serialize)]
pub struct Outline {
    pub documents: Vec<OutlineDocument>,
}

/// An outline document.
#[derive(Debug, Serialize)]
pub struct OutlineDocument {
    pub id: String,
    pub title: String,
    /// ISO 8601.
    pub date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub issuers: Vec<String>,
    /// The encoding the text was read in: `UTF-8`, `Shift_JIS`, `EUC-JP`, `UTF-16LE`,
    /// `UTF-16BE`.
    pub encoding: &'static str,
    pub children: Vec<OutlineNode>,
}

/// An outline node: `title` for headings, `text` for everything else.
#[derive(Debug, Serialize)]
pub struct OutlineNode {
    pub id: String,
    pub kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    pub children: Vec<OutlineNode>,
}

fn outline_node(doc: &Document, idx: usize) -> OutlineNode {
    let n = &doc.nodes[idx];
    let (title, text) = if n.kind.is_heading() {
        (Some(n.text.clone()), None)
    } else {
        (None, Some(n.text.clone()))
    };
    OutlineNode {
        id: n.id.clone(),
        kind: n.kind.name(),
        label: n.label().map(str::to_string),
        title,
        text,
        children: n.children.iter().map(|&c| outline_node(doc, c)).collect(),
    }
}

/// The outline of every document.
#[must_use]
pub fn outline(corpus: &Corpus) -> Outline {
    Outline {
        documents: corpus
            .documents
            .iter()
            .map(|doc| OutlineDocument {
                id: doc.id.clone(),
                title: doc.title.clone(),
                date: doc.date.map(crate::corpus::Date::iso),
                place: doc.place.clone(),
                issuers: doc.issuers.clone(),
                encoding: doc.encoding.name(),
                children: doc.roots.iter().map(|&i| outline_node(doc, i)).collect(),
            })
            .collect(),
    }
}

/// `show --json`: the node and the lines it was laid out into.
#[derive(Debug, Serialize)]
pub struct Show {
    pub id: String,
    pub kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    pub text: String,
    pub width: usize,
    pub lines: Vec<String>,
    /// The cross-references in the node's own text (none for a document).
    pub links: Vec<Link>,
}

/// A cross-reference in `show --json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Link {
    /// `[start, end)` character offsets into the node's text.
    pub range: [usize; 2],
    pub text: String,
    /// The id of the node or document it goes to.
    pub target: String,
}

/// The links in a node's text.
#[must_use]
pub fn links(corpus: &Corpus, r: NodeRef) -> Vec<Link> {
    let names = refs::DocNames::new(corpus);
    refs::links::links_of(corpus, &names, r)
        .iter()
        .map(|l| Link {
            range: [l.range.start, l.range.end],
            text: l.text.clone(),
            target: l.target.id(corpus),
        })
        .collect()
}

/// A cited document in `refs --json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Citation {
    pub name: String,
    /// ISO 8601, when the text gives one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    /// The nodes that cite it, in reading order.
    pub cited_at: Vec<String>,
}

/// `refs --json`.
#[must_use]
pub fn citations(corpus: &Corpus, citations: &[refs::Citation]) -> Vec<Citation> {
    citations
        .iter()
        .map(|c| Citation {
            name: c.name.clone(),
            date: c.date.map(crate::corpus::Date::iso),
            issuer: c.issuer.clone(),
            cited_at: refs::place_ids(corpus, &c.places),
        })
        .collect()
}

/// An entry of `index --json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Term {
    pub term: String,
    /// What an acronym stands for, as the text defines it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expansion: Option<String>,
    pub kind: &'static str,
    /// The nodes that mention it, in reading order.
    pub mentions: Vec<String>,
}

/// `index --json`: the entries `shown` (indices into the index).
#[must_use]
pub fn terms(corpus: &Corpus, index: &refs::Index, shown: &[usize]) -> Vec<Term> {
    shown
        .iter()
        .filter_map(|&i| index.entries.get(i))
        .map(|e| Term {
            term: e.term.clone(),
            expansion: e.expansion.clone(),
            kind: e.kind.name(),
            mentions: refs::place_ids(corpus, &e.mentions),
        })
        .collect()
}

/// What `show` prints for `target` laid out into `lines` at `width`.
#[must_use]
pub fn show(corpus: &Corpus, target: Resolved, lines: &crate::layout::Lines) -> Show {
    let shown = lines.render(corpus);
    let width = lines.width;
    let (id, kind, label, text) = match target {
        Resolved::Document(d) => {
            let doc = &corpus.documents[d];
            (doc.id.clone(), "document", None, doc.title.clone())
        }
        Resolved::Node(r) => {
            let n = corpus.node(r);
            (
                n.id.clone(),
                n.kind.name(),
                n.label().map(str::to_string),
                n.text.clone(),
            )
        }
    };
    Show {
        id,
        kind,
        label,
        text,
        width,
        lines: lines.lines.iter().map(|l| shown.plain(l)).collect(),
        links: match target {
            Resolved::Document(_) => Vec::new(),
            Resolved::Node(r) => links(corpus, r),
        },
    }
}

/// A hit in `search --json`: `ranges` are `[start, end)` character offsets into the node's (or
/// entry's) text; the snippet is one line of context for people.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchHit {
    pub id: String,
    pub doc: String,
    /// In [0, 1], never increasing down the list (see `crate::search`, "Scores").
    pub score: f64,
    pub kind: MatchKind,
    pub exact: bool,
    pub snippet: String,
    pub ranges: Vec<[usize; 2]>,
}

/// `hit` with a snippet of `text` (the entry's original text) `width` cells wide.
#[must_use]
pub fn search_hit(hit: &Hit, text: &str, width: usize) -> SearchHit {
    let (snippet, _) = crate::search::snippet(text, &hit.ranges, width);
    SearchHit {
        id: hit.id.clone(),
        doc: hit.doc.clone(),
        score: hit.score,
        kind: hit.kind,
        exact: hit.exact,
        snippet,
        ranges: hit.ranges.iter().map(|r| [r.start, r.end]).collect(),
    }
}

/// A participant in `participants --json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ParticipantRow {
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

/// The rows of `table` at `indices` (out-of-range ones skipped), with mentions as node ids.
#[must_use]
pub fn participant_rows(
    table: &Participants,
    corpus: &Corpus,
    indices: &[usize],
) -> Vec<ParticipantRow> {
    indices
        .iter()
        .filter_map(|&i| table.rows.get(i))
        .map(|p| ParticipantRow {
            ja: p.ja.clone(),
            en: p.entry.en.clone(),
            code: p.entry.code.clone(),
            kind: p.entry.kind,
            in_meeting: p.in_meeting,
            in_statement: p.in_statement,
            new_2023: p.entry.new_2023,
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

/// JSON that is safe on a terminal: `serde_json` escapes C0 controls; this also escapes DEL,
/// C1 controls (`U+009B` is CSI on some terminals), bidirectional and invisible format
/// characters as `\uXXXX`. The result is the same JSON value.
#[must_use]
pub fn safe_json(value: &impl Serialize) -> String {
    let raw =
        serde_json::to_string_pretty(value).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"));
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        let risky = c == '\u{7f}'
            || ('\u{80}'..='\u{9f}').contains(&c)
            || crate::text::display::is_bidi_control(c)
            || crate::text::display::is_invisible_format(c)
            || matches!(c, '\u{2028}' | '\u{2029}');
        if risky {
            let _ = write!(out, "\\u{:04x}", c as u32);
        } else {
            out.push(c);
        }
    }
    out
}

/// Writes [`safe_json`] and a newline.
///
/// # Errors
/// Writing failed.
pub fn write(out: &mut dyn Write, value: &impl Serialize) -> io::Result<()> {
    writeln!(out, "{}", safe_json(value))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::participants::{Filter, ReferenceData, Sort};
    use crate::search::SearchIndex;

    #[test]
    fn search_hits() {
        let corpus = crate::corpus::load_embedded();
        let index = SearchIndex::new(&corpus);
        let hits = index.search("GIFCT", 1);
        let text = index.entry_text(&corpus, hits[0].target).unwrap_or("");
        let json = search_hit(&hits[0], text, 30);
        assert_eq!(json.id, "g7:13");
        assert!(crate::text::display::str_width(&json.snippet) <= 30);
        assert!(json.score > 0.5 && json.score <= 1.0);
        assert_eq!(json.kind, MatchKind::Exact);
        // Ranges point into the node's text, not the snippet (the first is the Japanese name
        // the glossary gives for GIFCT, the second the acronym).
        let [s, e] = json.ranges[1];
        let matched: String = text.chars().skip(s).take(e - s).collect();
        assert_eq!(matched, "GIFCT");
        assert!(json.snippet.contains("グローバル"));
        let v = serde_json::to_value(&json).expect("serialises");
        assert_eq!(v["id"], "g7:13");
        assert_eq!(v["doc"], "g7");
        assert_eq!(v["kind"], "exact");
    }

    #[test]
    fn participant_rows_as_json() {
        let corpus = crate::corpus::load_embedded();
        let data = ReferenceData::embedded().expect("parses");
        let p = Participants::from_corpus(&corpus, &data);
        let idx = p.filtered(Filter::All, Sort::Document, "interpol");
        let rows = participant_rows(&p, &corpus, &idx);
        let v = serde_json::to_value(&rows).expect("serialises");
        let o = &v[0];
        assert_eq!(o["ja"], "インターポール");
        assert_eq!(o["en"], "INTERPOL");
        assert_eq!(o["code"], "INTERPOL");
        assert_eq!(o["kind"], "organization");
        assert_eq!(o["in_meeting"], true);
        assert_eq!(o["in_statement"], true);
        assert_eq!(o["new_2023"], true);
        assert_eq!(o["g7"], false);
        assert_eq!(o["mentions"][0], "g7:1");
        let keys: Vec<&String> = o.as_object().expect("object").keys().collect();
        assert_eq!(keys.len(), 9);
        // Out-of-range indices are skipped, not a panic.
        assert!(participant_rows(&p, &corpus, &[999]).is_empty());
    }
}
