//! The documents as a structured corpus: a model that knows nothing of the terminal.
//!
//! A [`Corpus`] holds [`Document`]s; each document owns its [`Node`]s in one arena, in document
//! order, with parent and child links. Every node has a stable id (`g7:23`, `g7:VII`, `cri:3`).

pub mod encoding;
mod goto;
mod load;
mod parse;
pub mod quote;
pub mod repair;

pub use encoding::Encoding;
pub use goto::{Candidate, GotoError};
pub use load::{
    Bounded, EMBEDDED, LoadError, LoadOptions, Loader, MAX_FILE_BYTES, SMALL_FILE_BYTES,
    STDIN_NAME, STDIN_PATH, id_from_path, load_bytes, load_bytes_with, load_embedded, load_file,
    load_file_as, load_file_with, read_bounded, read_source, shown_path,
};
pub use parse::{ANNEX_WORDS, Parser, parse_document};

use serde::Serialize;

/// What a node is. Headings carry a `title`, everything else a `text`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum NodeKind {
    /// The document's title line.
    Title,
    /// The date line (with the place, where one is given).
    Dateline,
    /// One issuing body of a press release.
    Issuer,
    /// A numbered section heading (`I.`, `Ⅶ.`) or a Markdown heading.
    Section,
    /// An annex heading (`附属文書Ⅰ：…`, `(別添) …`).
    Annex,
    /// A paragraph, numbered (`23.`, `- 3 …`) or not.
    Paragraph,
    /// A list item (`- …`), possibly nested.
    Item,
    /// A note (`(注1) …`) or a parenthesised remark such as a count line.
    Note,
    /// A block of short lines introduced by a line ending in a colon (a contact block).
    Block,
}

impl NodeKind {
    /// Headings are shown with a title; other nodes with their text.
    #[must_use]
    pub fn is_heading(self) -> bool {
        matches!(self, Self::Section | Self::Annex)
    }

    /// Nodes that belong to the document's header (shown in the document's own row).
    #[must_use]
    pub fn is_header(self) -> bool {
        matches!(self, Self::Title | Self::Dateline | Self::Issuer)
    }

    /// The lower-case name used in JSON.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Title => "title",
            Self::Dateline => "dateline",
            Self::Issuer => "issuer",
            Self::Section => "section",
            Self::Annex => "annex",
            Self::Paragraph => "paragraph",
            Self::Item => "item",
            Self::Note => "note",
            Self::Block => "block",
        }
    }
}

/// A repair applied to the extracted text of a node.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "repair")]
pub enum Repair {
    /// A line after a page break was joined to this node.
    JoinedPageBreak,
    /// Spaced-out Latin letters or digits (`G I F C T`) were closed up.
    ClosedUpAcronym,
    /// An item whose indentation was lost at a page break was put back in its nested list.
    RestoredNesting,
}

/// One node of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// Stable id, unique in the corpus: `g7:23`, `g7:VII`, `cri:annex-3.4.1`.
    pub id: String,
    pub kind: NodeKind,
    /// The node's number or numeral, normalised: `23`, `VII`, `注1`, `別添`.
    pub label: Option<String>,
    /// The marker to show before the text: `23.`, `VII.`, `・`, `(注1)`.
    pub marker: String,
    /// The raw markup that preceded the text in the source (`Ⅶ.`, `- 1`, `##`, `(注1)`),
    /// kept so that every character of the source is accounted for.
    pub source_prefix: String,
    /// The node's own text (headings: their title), with PDF repairs applied. Hard line
    /// breaks inside a node are `\n`.
    pub text: String,
    pub parent: Option<usize>,
    pub children: Vec<usize>,
    /// Depth below the document (0 for the document's direct children).
    pub depth: usize,
    pub repairs: Vec<Repair>,
}

impl Node {
    /// The node's text on one line: hard breaks become spaces.
    #[must_use]
    pub fn one_line(&self) -> String {
        self.text.replace('\n', " ")
    }
}

/// A date in the Gregorian calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    /// A date that exists in the Gregorian calendar (month 1–12, day within the month, 29
    /// February only in leap years), or `None`.
    #[must_use]
    pub fn new(year: i32, month: u32, day: u32) -> Option<Self> {
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (1..=days)
            .contains(&day)
            .then_some(Self { year, month, day })
    }

    /// ISO 8601 (`2023-12-10`).
    #[must_use]
    pub fn iso(self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// One document: its header facts and its nodes in document order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// `g7`, `cri`, or for a file given with `--file`, derived from the file name.
    pub id: String,
    /// Where the text came from (a seed name or a path), for messages.
    pub source_name: String,
    pub title: String,
    pub date: Option<Date>,
    pub place: Option<String>,
    pub issuers: Vec<String>,
    /// Every node, in document order.
    pub nodes: Vec<Node>,
    /// Indices of the document's top-level nodes.
    pub roots: Vec<usize>,
    /// The encoding the text was read in (the embedded documents are UTF-8).
    pub encoding: Encoding,
}

impl Document {
    /// The index of the node with this id.
    #[must_use]
    pub fn find(&self, id: &str) -> Option<usize> {
        self.nodes.iter().position(|n| n.id == id)
    }

    /// The chain of ancestors of a node, outermost first, the node itself last.
    #[must_use]
    pub fn path(&self, idx: usize) -> Vec<usize> {
        let mut path = vec![idx];
        let mut cur = idx;
        while let Some(p) = self.nodes.get(cur).and_then(|n| n.parent) {
            path.push(p);
            cur = p;
        }
        path.reverse();
        path
    }

    /// The nearest enclosing heading (section or annex) of a node, if any.
    #[must_use]
    pub fn section_of(&self, idx: usize) -> Option<usize> {
        self.path(idx)
            .into_iter()
            .rev()
            .find(|&i| self.nodes[i].kind.is_heading())
    }
}

/// Where a node lives: its document and its index in that document's arena.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeRef {
    pub doc: usize,
    pub node: usize,
}

/// All loaded documents.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Corpus {
    pub documents: Vec<Document>,
}

impl Corpus {
    /// The node behind a reference.
    #[must_use]
    pub fn node(&self, r: NodeRef) -> &Node {
        &self.documents[r.doc].nodes[r.node]
    }

    /// Every node of every document, in reading order.
    pub fn iter_nodes(&self) -> impl Iterator<Item = (NodeRef, &Node)> {
        self.documents.iter().enumerate().flat_map(|(d, doc)| {
            doc.nodes
                .iter()
                .enumerate()
                .map(move |(n, node)| (NodeRef { doc: d, node: n }, node))
        })
    }

    /// Finds a node by its full id (`g7:23`), case-insensitively for the part after the colon.
    #[must_use]
    pub fn find_id(&self, id: &str) -> Option<NodeRef> {
        let id = id.trim();
        for (d, doc) in self.documents.iter().enumerate() {
            if let Some(n) = doc.nodes.iter().position(|n| n.id == id) {
                return Some(NodeRef { doc: d, node: n });
            }
        }
        self.iter_nodes()
            .find(|(_, n)| n.id.eq_ignore_ascii_case(id))
            .map(|(r, _)| r)
    }
}

/// What an id resolves to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolved {
    Document(usize),
    Node(NodeRef),
}
