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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "repair")]
pub enum Repair {
    /// A line after a page break was joined to this node.
    JoinedPageBreak,
    /// Spaced-out Latin letters or digits (`G I F C T`) were closed up.
    ClosedUpAcronym,
    /// An item whose indentation was lost at a page break was put back in its nested list.
    RestoredNesting,
}

/// The repairs applied to a node, as a set. Each is applied at most once and always in the
/// same order (a nesting restored when the item is made, a page break joined while it takes
/// text, acronyms closed up when it can take no more), so the set is the list of them in
/// that order, kept in one byte.
#[derive(Clone, Copy, PartialEq, Eq, Default)]
pub struct Repairs(u8);

impl Repairs {
    /// The order repairs are applied in, which [`iter`](Self::iter) gives.
    const ORDER: [Repair; 3] = [
        Repair::RestoredNesting,
        Repair::JoinedPageBreak,
        Repair::ClosedUpAcronym,
    ];

    fn bit(r: Repair) -> u8 {
        match r {
            Repair::RestoredNesting => 1,
            Repair::JoinedPageBreak => 2,
            Repair::ClosedUpAcronym => 4,
        }
    }

    /// Whether this repair was applied.
    #[must_use]
    pub fn contains(&self, r: &Repair) -> bool {
        self.0 & Self::bit(*r) != 0
    }

    /// Records a repair (once).
    pub fn push(&mut self, r: Repair) {
        self.0 |= Self::bit(r);
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0 == 0
    }

    /// The repairs, in the order they were applied.
    pub fn iter(&self) -> impl Iterator<Item = Repair> + '_ {
        Self::ORDER.into_iter().filter(|r| self.contains(r))
    }
}

impl std::fmt::Debug for Repairs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// One node of a document.
///
/// Its marker, source prefix and label are kept in one allocation (none when all three are
/// empty, as for a plain paragraph), read through [`marker`](Self::marker),
/// [`source_prefix`](Self::source_prefix) and [`label`](Self::label): a large file has tens of
/// thousands of nodes, and three small strings each cost more than their text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// Stable id, unique in the corpus: `g7:23`, `g7:VII`, `cri:annex-3.4.1`.
    pub id: String,
    pub kind: NodeKind,
    /// The marker, the source prefix and the label, one after the other.
    names: Box<str>,
    /// Where the marker ends and the source prefix ends in `names` (the label is the rest).
    marker_end: u32,
    prefix_end: u32,
    has_label: bool,
    repairs: Repairs,
    /// The node's own text (headings: their title), with PDF repairs applied. Hard line
    /// breaks inside a node are `\n`.
    pub text: String,
    pub parent: Option<usize>,
    pub children: Vec<usize>,
    /// Depth below the document (0 for the document's direct children).
    pub depth: usize,
}

impl Node {
    /// A node with no children and no repairs yet.
    #[must_use]
    pub fn new(
        id: String,
        kind: NodeKind,
        names: Names<'_>,
        text: String,
        parent: Option<usize>,
        depth: usize,
    ) -> Self {
        let mut all = String::with_capacity(
            names.marker.len() + names.source_prefix.len() + names.label.map_or(0, str::len),
        );
        all.push_str(names.marker);
        let marker_end = all.len();
        all.push_str(names.source_prefix);
        let prefix_end = all.len();
        if let Some(l) = names.label {
            all.push_str(l);
        }
        Node {
            id,
            kind,
            names: all.into_boxed_str(),
            marker_end: u32::try_from(marker_end).unwrap_or(u32::MAX),
            prefix_end: u32::try_from(prefix_end).unwrap_or(u32::MAX),
            has_label: names.label.is_some(),
            repairs: Repairs::default(),
            text,
            parent,
            children: Vec::new(),
            depth,
        }
    }

    /// The marker to show before the text: `23.`, `VII.`, `・`, `(注1)`.
    #[must_use]
    pub fn marker(&self) -> &str {
        self.names.get(..self.marker_end as usize).unwrap_or("")
    }

    /// The raw markup that preceded the text in the source (`Ⅶ.`, `- 1`, `##`, `(注1)`),
    /// kept so that every character of the source is accounted for.
    #[must_use]
    pub fn source_prefix(&self) -> &str {
        self.names
            .get(self.marker_end as usize..self.prefix_end as usize)
            .unwrap_or("")
    }

    /// The node's number or numeral, normalised: `23`, `VII`, `注1`, `別添`.
    #[must_use]
    pub fn label(&self) -> Option<&str> {
        self.has_label
            .then(|| self.names.get(self.prefix_end as usize..).unwrap_or(""))
    }

    /// The repairs applied to its text.
    #[must_use]
    pub fn repairs(&self) -> Repairs {
        self.repairs
    }

    /// Records a repair applied to its text.
    pub fn repaired(&mut self, r: Repair) {
        self.repairs.push(r);
    }

    /// The node's text on one line: hard breaks become spaces.
    #[must_use]
    pub fn one_line(&self) -> String {
        self.text.replace('\n', " ")
    }

    /// The bytes the node keeps on the heap beside itself (capacity), for the benchmarks.
    #[must_use]
    pub fn heap_bytes(&self) -> usize {
        self.id.capacity()
            + self.names.len()
            + self.text.capacity()
            + self.children.capacity() * std::mem::size_of::<usize>()
    }
}

/// A node's marker, source prefix and label, for [`Node::new`].
#[derive(Debug, Clone, Copy, Default)]
pub struct Names<'a> {
    pub marker: &'a str,
    pub source_prefix: &'a str,
    pub label: Option<&'a str>,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repairs_are_listed_in_the_order_the_parser_applies_them() {
        let mut r = Repairs::default();
        assert!(r.is_empty());
        r.push(Repair::ClosedUpAcronym);
        r.push(Repair::JoinedPageBreak);
        r.push(Repair::JoinedPageBreak);
        assert!(r.contains(&Repair::JoinedPageBreak));
        assert!(!r.contains(&Repair::RestoredNesting));
        assert_eq!(
            r.iter().collect::<Vec<_>>(),
            [Repair::JoinedPageBreak, Repair::ClosedUpAcronym]
        );
        assert_eq!(format!("{r:?}"), "[JoinedPageBreak, ClosedUpAcronym]");
    }

    #[test]
    fn a_node_keeps_its_names_apart() {
        let names = Names {
            marker: "(注1)",
            source_prefix: "（注１）",
            label: Some("注1"),
        };
        let n = Node::new(
            "g7:note-1".into(),
            NodeKind::Note,
            names,
            "t".into(),
            None,
            0,
        );
        assert_eq!(
            (n.marker(), n.source_prefix(), n.label()),
            ("(注1)", "（注１）", Some("注1"))
        );
        // An empty label is not no label; a plain paragraph allocates nothing for them.
        let empty = Names {
            label: Some(""),
            ..Names::default()
        };
        let n = Node::new(
            "a:1".into(),
            NodeKind::Paragraph,
            empty,
            String::new(),
            None,
            0,
        );
        assert_eq!(
            (n.marker(), n.source_prefix(), n.label()),
            ("", "", Some(""))
        );
        let plain = Node::new(
            "a:p1".into(),
            NodeKind::Paragraph,
            Names::default(),
            String::new(),
            None,
            0,
        );
        assert_eq!(plain.label(), None);
        assert_eq!(plain.heap_bytes(), "a:p1".len());
    }
}
