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

/// What can say which links a node's text holds: the whole text's ([`Refs`]) or those found so
/// far ([`SeenLinks`]). Both find them by the one rule, [`links::links_of`], so a link's place
/// among its node's links (what the reader selects and follows) is the same in either.
pub trait NodeLinks {
    /// The links in a node's text, in text order; none for a node not known (yet).
    fn links(&self, r: NodeRef) -> &[Link];
}

impl NodeLinks for Refs {
    fn links(&self, r: NodeRef) -> &[Link] {
        Refs::links(self, r)
    }
}

/// How many nodes' links [`SeenLinks`] keeps before it forgets those off screen: many screens'
/// worth (a screen shows a few dozen nodes), some 40 bytes a node and its links' text: tens
/// of KB, however far the reader goes.
pub const SEEN_NODES: usize = 1024;

/// The links of the nodes asked for so far, found node by node as they come on screen: what a
/// large file underlines and steps through before (or instead of) the whole text's [`Refs`],
/// which takes seconds and megabytes there. The document names are the corpus's, built once
/// ([`DocNames::new`], which reads every node: build it once the text is read); a node's links
/// are [`links::links_of`]'s, as in `Refs`.
#[derive(Debug, Clone, Default)]
pub struct SeenLinks {
    names: DocNames,
    found: std::collections::HashMap<NodeRef, Vec<Link>>,
    /// How many nodes' links to keep before forgetting those off screen.
    cap: usize,
}

impl SeenLinks {
    /// Nothing found yet, keeping up to [`SEEN_NODES`] nodes' links.
    #[must_use]
    pub fn new(names: DocNames) -> Self {
        Self::with_cap(names, SEEN_NODES)
    }

    /// Nothing found yet, keeping up to `cap` nodes' links (and those on screen, however
    /// many).
    #[must_use]
    pub fn with_cap(names: DocNames, cap: usize) -> Self {
        Self {
            names,
            found: std::collections::HashMap::new(),
            cap,
        }
    }

    /// Finds the links of the `nodes` not found yet (those on screen). Past the cap of nodes
    /// kept, the others are forgotten first: found again, the same, if they come back.
    pub fn see(&mut self, corpus: &Corpus, nodes: &[NodeRef]) {
        let new = nodes.iter().filter(|r| !self.found.contains_key(r)).count();
        if new == 0 {
            return;
        }
        if self.found.len() + new > self.cap {
            self.found.retain(|r, _| nodes.contains(r));
        }
        for &r in nodes {
            if !self.found.contains_key(&r) {
                let mut links = links::links_of(corpus, &self.names, r);
                links.shrink_to_fit();
                self.found.insert(r, links);
            }
        }
    }

    /// How many nodes' links are kept.
    #[must_use]
    pub fn len(&self) -> usize {
        self.found.len()
    }

    /// Whether no node's links are kept.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.found.is_empty()
    }

    /// The document names the links were found with (the whole text's `Refs` can take them).
    #[must_use]
    pub fn names(&self) -> &DocNames {
        &self.names
    }
}

impl NodeLinks for SeenLinks {
    fn links(&self, r: NodeRef) -> &[Link] {
        self.found.get(&r).map_or(&[], Vec::as_slice)
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
    /// The pieces of links drawn on laid-out lines ([`pieces`]).
    #[must_use]
    pub fn pieces(&self, text: Render, lines: &[Line], first_line: usize) -> Vec<LinkPiece> {
        pieces(self, text, lines, first_line)
    }
}

/// The pieces of links drawn on laid-out lines, in reading order: what to underline, and what
/// a "next link on screen" key steps through. `first_line` is the index of `lines[0]` in the
/// layout (the top of the pane).
#[must_use]
pub fn pieces(
    known: &(impl NodeLinks + ?Sized),
    text: Render,
    lines: &[Line],
    first_line: usize,
) -> Vec<LinkPiece> {
    let mut out: Vec<LinkPiece> = Vec::new();
    for (k, line) in lines.iter().enumerate() {
        let Some(node) = text.node(line) else {
            continue;
        };
        let links = known.links(node);
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
