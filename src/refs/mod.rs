//! What the texts point at, found by rule so that it works on any document of the same kind:
//! cross-references ([`links`]), the documents they cite ([`citations`]) and an index of terms
//! ([`terms`]). Like the rest of the library this knows nothing of the terminal.
//!
//! Build a [`Refs`] once for a corpus (it reads every node, so build it when first needed, as
//! the search index is); the TUI asks it for the links of a node ([`Refs::links`]) or the
//! pieces of links on the lines on screen ([`Refs::pieces`]: what to underline, and the order a
//! next-link key steps through), follows one ([`follow`]: where to go and what to say, as a jump
//! for the jump list), lists [`Refs::citations`] (each with its [`Place`]s) and narrows the
//! [`Refs::index`] as the reader types ([`terms::Index::narrow`]); an entry's mentions are
//! [`Place`]s too. Ranges are character offsets into a node's text, as search's are, and as the
//! layout's `Span::src` counts.

pub mod citations;
pub mod links;
mod scan;
pub mod terms;

use std::ops::Range;

use crate::corpus::{Corpus, NodeRef, Resolved};
use crate::layout::{Line, Render};
use crate::participants::{Participants, ReferenceData};
use crate::text::display::char_width;

pub use citations::Citation;
pub use links::{DocNames, Link, Target};
pub use terms::{Index, Term, TermKind};

/// A place in the text: a node and a character range in its text.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Place {
    pub node: NodeRef,
    /// Character offsets into the node's text, `[start, end)`.
    pub range: Range<usize>,
}

/// The ids of the nodes of `places`, each once, in the order given.
#[must_use]
pub fn place_ids(corpus: &Corpus, places: &[Place]) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    for p in places {
        let id = &corpus.node(p.node).id;
        if ids.last() != Some(id) {
            ids.push(id.clone());
        }
    }
    ids
}

/// Links, citations and the index of one corpus.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Refs {
    pub names: DocNames,
    /// Per document, per node: its links.
    links: Vec<Vec<Vec<Link>>>,
    pub citations: Vec<Citation>,
    pub index: Index,
}

impl Refs {
    /// Everything for `corpus`, with the participants joined to the embedded reference data
    /// (without it, when that data does not parse: the index then lacks only participants).
    #[must_use]
    pub fn build(corpus: &Corpus) -> Self {
        let table = ReferenceData::embedded()
            .map(|data| Participants::from_corpus(corpus, &data))
            .unwrap_or_default();
        Self::with_participants(corpus, &table)
    }

    /// Everything for `corpus`, with the participants of `table` in the index.
    #[must_use]
    pub fn with_participants(corpus: &Corpus, table: &Participants) -> Self {
        let names = DocNames::new(corpus);
        let links = corpus
            .documents
            .iter()
            .enumerate()
            .map(|(d, doc)| {
                (0..doc.nodes.len())
                    .map(|node| links::links_of(corpus, &names, NodeRef { doc: d, node }))
                    .collect()
            })
            .collect();
        Self {
            names,
            links,
            citations: citations::citations(corpus),
            index: Index::build(corpus, table),
        }
    }

    /// The links in a node's text, in text order.
    #[must_use]
    pub fn links(&self, r: NodeRef) -> &[Link] {
        self.links
            .get(r.doc)
            .and_then(|d| d.get(r.node))
            .map_or(&[], Vec::as_slice)
    }

    /// The link covering character `offset` of a node's text, if any.
    #[must_use]
    pub fn link_at(&self, r: NodeRef, offset: usize) -> Option<&Link> {
        self.links(r).iter().find(|l| l.range.contains(&offset))
    }
}

/// One piece of a link as drawn: a link broken over two lines is two pieces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkPiece {
    /// The line's index (`first_line` + its position in the slice given).
    pub line: usize,
    pub node: NodeRef,
    /// Which of the node's links ([`Refs::links`]).
    pub link: usize,
    /// The display cells it covers on the line, `[start, end)`, counted from the line's start.
    pub cells: Range<usize>,
}

impl Refs {
    /// The pieces of links drawn on laid-out lines, in reading order: what to underline, and
    /// what a "next link on screen" key steps through. `first_line` is the index of
    /// `lines[0]` in the layout (the top of the pane).
    #[must_use]
    pub fn pieces(&self, text: Render, lines: &[Line], first_line: usize) -> Vec<LinkPiece> {
        let mut out: Vec<LinkPiece> = Vec::new();
        for (k, line) in lines.iter().enumerate() {
            let Some(node) = text.node(line) else {
                continue;
            };
            let links = self.links(node);
            if links.is_empty() {
                continue;
            }
            let mut col = text.indent(line);
            for span in text.spans(line) {
                for (j, c) in span.text.chars().enumerate() {
                    let w = char_width(c);
                    let src = span.src.get(j);
                    if let Some(link) =
                        src.and_then(|s| links.iter().position(|l| l.range.contains(&s)))
                    {
                        match out.last_mut() {
                            Some(p)
                                if p.line == first_line + k
                                    && p.link == link
                                    && p.node == node
                                    && p.cells.end == col =>
                            {
                                p.cells.end = col + w;
                            }
                            _ => out.push(LinkPiece {
                                line: first_line + k,
                                node,
                                link,
                                cells: col..col + w,
                            }),
                        }
                    }
                    col += w;
                }
            }
        }
        out
    }
}

/// Where following a link goes: what to show, and a note for the status line when the target
/// is not all there (`annex I: only its title is in this text`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Follow {
    pub to: Resolved,
    pub note: Option<String>,
}

/// Follows a link.
#[must_use]
pub fn follow(corpus: &Corpus, link: &Link) -> Follow {
    Follow {
        to: link.target.resolved(),
        note: link.target.note(corpus),
    }
}
