//! Lays documents out into finished lines for a pane of a given width: headers, headings,
//! numbered paragraphs with their number hanging, list items and notes under their markers.
//! The reading pane and `kaigi show` both draw from here, so they always agree.
//!
//! Lines carry roles, not colours: the TUI picks the style. Each span knows which characters
//! of the node's text it shows (a range for a run of ordinary text, the only kind a real
//! document has), so search matches can be highlighted in place.

use std::collections::HashMap;

use crate::corpus::{Corpus, Document, NodeKind, NodeRef};
use crate::text::display::{DisplayOptions, Shown, str_width};
use crate::text::wrap::wrap;

/// What a piece of a line is, for styling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// A document's title.
    Title,
    /// Date, place, issuers, the head line of a block.
    Meta,
    /// A section or annex heading.
    Heading,
    /// A paragraph number, bullet or note marker.
    Marker,
    /// Body text.
    Body,
    /// A note's text.
    Note,
}

/// A run of characters with one role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    pub text: String,
    pub role: Role,
    /// Which character of the node's text each character of `text` shows; empty for
    /// markers, which are not part of the node's text.
    pub src: Src,
}

/// For each shown character of a span, the index of the node's character it shows. Ordinary
/// text shows consecutive characters one for one, kept as a range (16 bytes a span, where an
/// index a character took 8 bytes a character: most of a large file's layout); only a span
/// with a control character (shown as two, `^[`) or a dropped one (a bidi override) keeps an
/// index per character.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Src {
    /// Not part of the node's text (a marker).
    #[default]
    None,
    /// Shown character `k` shows source character `start + k`, for `k < len`.
    Run { start: usize, len: usize },
    /// Any other mapping, one index a shown character.
    Each(Box<[usize]>),
}

impl Src {
    /// The compact form of a per-character mapping.
    #[must_use]
    pub fn from_indices(src: &[usize]) -> Self {
        match src.first() {
            None => Src::None,
            Some(&start) if src.iter().enumerate().all(|(k, &s)| s == start + k) => Src::Run {
                start,
                len: src.len(),
            },
            Some(_) => Src::Each(src.into()),
        }
    }

    /// How many shown characters are mapped.
    #[must_use]
    pub fn len(&self) -> usize {
        match self {
            Src::None => 0,
            Src::Run { len, .. } => *len,
            Src::Each(v) => v.len(),
        }
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The source index of shown character `k`.
    #[must_use]
    pub fn get(&self, k: usize) -> Option<usize> {
        match self {
            Src::None => None,
            Src::Run { start, len } => (k < *len).then(|| start + k),
            Src::Each(v) => v.get(k).copied(),
        }
    }

    #[must_use]
    pub fn first(&self) -> Option<usize> {
        self.get(0)
    }

    #[must_use]
    pub fn last(&self) -> Option<usize> {
        self.len().checked_sub(1).and_then(|k| self.get(k))
    }

    /// Every source index, in the order the characters are shown.
    pub fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.len()).filter_map(|k| self.get(k))
    }
}

/// One finished line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// The node this line shows, or `None` for a blank line.
    pub node: Option<NodeRef>,
    /// Leading blank cells.
    pub indent: usize,
    pub spans: Vec<Span>,
}

impl Line {
    fn blank() -> Self {
        Line {
            node: None,
            indent: 0,
            spans: Vec::new(),
        }
    }

    /// The line as plain text (indent included).
    #[must_use]
    pub fn plain(&self) -> String {
        let mut s = " ".repeat(self.indent);
        for span in &self.spans {
            s.push_str(&span.text);
        }
        s
    }

    /// The display width of the line.
    #[must_use]
    pub fn width(&self) -> usize {
        self.indent + self.spans.iter().map(|s| str_width(&s.text)).sum::<usize>()
    }
}

/// Every loaded document laid out for one width.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    pub width: usize,
    pub opts: DisplayOptions,
    pub lines: Vec<Line>,
    /// The first line of each node.
    pub starts: HashMap<NodeRef, usize>,
    /// The first line of each document.
    pub doc_starts: Vec<usize>,
    /// For each document, how many characters of text come before each of its nodes, counted
    /// from the start of the corpus; and the corpus's total. "How far through" is measured in
    /// characters (as `less` measures it in bytes), so it is known before the layout is done.
    chars_before: Vec<Vec<usize>>,
    total_chars: usize,
    /// The next node to lay out, `(document, node)`, while the layout is partial.
    next: Option<(usize, usize)>,
}

impl Layout {
    /// Nothing laid out (width 0), for before the width is known.
    #[must_use]
    pub fn empty(opts: DisplayOptions) -> Self {
        Layout {
            width: 0,
            opts,
            lines: Vec::new(),
            starts: HashMap::new(),
            doc_starts: Vec::new(),
            chars_before: Vec::new(),
            total_chars: 0,
            next: None,
        }
    }

    /// Lays out the whole corpus.
    #[must_use]
    pub fn new(corpus: &Corpus, width: usize, opts: DisplayOptions) -> Self {
        Self::partial(corpus, width, opts, usize::MAX)
    }

    /// Lays out the corpus from its start until there are at least `want` lines (or the
    /// corpus ends); [`finish`](Self::finish) lays out the rest. Lines never change once laid
    /// out, so a screen drawn from the first lines is the screen the whole layout gives. This
    /// is how the first frame avoids waiting for text it does not show.
    #[must_use]
    pub fn partial(corpus: &Corpus, width: usize, opts: DisplayOptions, want: usize) -> Self {
        Self::partial_until(corpus, width, opts, want, None)
    }

    /// As [`partial`](Self::partial), for a corpus still being parsed: nothing from `until`
    /// on (the node that may still change) is laid out.
    #[must_use]
    pub fn partial_until(
        corpus: &Corpus,
        width: usize,
        opts: DisplayOptions,
        want: usize,
        until: Option<NodeRef>,
    ) -> Self {
        let mut layout = Layout {
            width,
            next: Some((0, 0)),
            ..Layout::empty(opts)
        };
        layout.recount(corpus);
        if !corpus.documents.is_empty() {
            layout.doc_starts.push(0);
        }
        layout.extend_until(corpus, want, until);
        layout
    }

    /// Counts the characters before each node again: after the corpus has grown (a file
    /// parsed a slice at a time), so that "how far through" counts the whole.
    pub fn recount(&mut self, corpus: &Corpus) {
        let mut total_chars = 0;
        self.chars_before = corpus
            .documents
            .iter()
            .map(|doc| {
                doc.nodes
                    .iter()
                    .map(|n| {
                        let before = total_chars;
                        total_chars += n.text.chars().count();
                        before
                    })
                    .collect()
            })
            .collect();
        self.total_chars = total_chars;
    }

    /// Lays out whatever [`partial`](Self::partial) left (nothing if the layout is whole).
    pub fn finish(&mut self, corpus: &Corpus) {
        self.extend(corpus, usize::MAX);
    }

    /// Lays out more, until there are at least `want` lines, the corpus ends, or `until` (a
    /// node that may still change, which waits) is reached.
    pub fn extend_until(&mut self, corpus: &Corpus, want: usize, until: Option<NodeRef>) {
        match until {
            None => self.extend(corpus, want),
            Some(stop) => self.extend_before(corpus, want, stop),
        }
    }

    fn extend_before(&mut self, corpus: &Corpus, want: usize, stop: NodeRef) {
        // Node by node, so that the laying out never passes `stop` (nor the end of its
        // document, which would move on to the next, still empty, one).
        while let Some((d, n)) = self.next {
            if (d, n) >= (stop.doc, stop.node) || self.lines.len() >= want {
                return;
            }
            let before = self.lines.len();
            self.extend(corpus, before + 1);
            if self.next == Some((d, n)) {
                return;
            }
        }
    }

    /// Whether every node is laid out.
    #[must_use]
    pub fn is_complete(&self) -> bool {
        self.next.is_none()
    }

    fn extend(&mut self, corpus: &Corpus, want: usize) {
        while let Some((d, n)) = self.next {
            let Some(doc) = corpus.documents.get(d) else {
                self.next = None;
                return;
            };
            if n >= doc.nodes.len() {
                // The next document starts at a rule line with its id and title, between
                // blank lines.
                if let Some(next) = corpus.documents.get(d + 1) {
                    self.lines.push(Line::blank());
                    self.doc_starts.push(self.lines.len());
                    self.lines.push(boundary(next, self.width, self.opts));
                    self.lines.push(Line::blank());
                }
                self.next = Some((d + 1, 0));
                if d + 1 >= corpus.documents.len() {
                    // Whole: the room the vector kept for growing (up to as much again) goes.
                    self.lines.shrink_to_fit();
                }
                continue;
            }
            // Checked only before a node, so that a layout whose last node is laid out is
            // complete.
            if self.lines.len() >= want {
                return;
            }
            let r = NodeRef { doc: d, node: n };
            let prev = n.checked_sub(1).map(|p| doc.nodes[p].kind);
            let first = self.lines.len();
            lay_out_node(doc, d, n, prev, self.width, self.opts, &mut self.lines);
            if let Some(i) = (first..self.lines.len()).find(|&i| self.lines[i].node == Some(r)) {
                self.starts.entry(r).or_insert(i);
            }
            self.next = Some((d, n + 1));
        }
    }

    /// How much of the text is laid out, in percent of its characters.
    #[must_use]
    pub fn percent_laid_out(&self) -> usize {
        let Some((d, n)) = self.next else {
            return 100;
        };
        if self.total_chars == 0 {
            return 100;
        }
        (self.chars_before(NodeRef { doc: d, node: n }) * 100 / self.total_chars).min(100)
    }

    /// How many characters of the corpus's text come before a node.
    #[must_use]
    pub fn chars_before(&self, r: NodeRef) -> usize {
        self.chars_before
            .get(r.doc)
            .and_then(|d| d.get(r.node))
            .copied()
            .unwrap_or(self.total_chars)
    }

    /// Characters of text in the whole corpus.
    #[must_use]
    pub fn total_chars(&self) -> usize {
        self.total_chars
    }

    /// How many characters of the corpus's text are shown on lines before `end`: where a
    /// reader whose screen ends there has read to.
    #[must_use]
    pub fn chars_through(&self, end: usize) -> usize {
        self.lines[..end.min(self.lines.len())]
            .iter()
            .rev()
            .find_map(|l| {
                let r = l.node?;
                let last = l.spans.iter().rev().find_map(|s| s.src.last());
                Some(self.chars_before(r) + last.map_or(0, |i| i + 1))
            })
            .unwrap_or(0)
    }

    /// The node shown at or after a line (before it, at the very end).
    #[must_use]
    pub fn node_at(&self, line: usize) -> Option<NodeRef> {
        self.lines
            .get(line..)
            .and_then(|rest| rest.iter().find_map(|l| l.node))
            .or_else(|| self.lines.iter().rev().find_map(|l| l.node))
    }

    /// The document a line belongs to.
    #[must_use]
    pub fn doc_at(&self, line: usize) -> usize {
        self.doc_starts
            .iter()
            .rposition(|&s| s <= line)
            .unwrap_or(0)
    }
}

/// The rule line where a document begins after another: `── cri ·
/// 「カウンターランサムウェア・イニシアティブ会合」への参加 ────`, filled to the width (the title
/// cut short with an ellipsis when it does not fit; `-` instead of `─` in ASCII). It belongs to
/// no node.
#[must_use]
pub fn boundary(doc: &Document, width: usize, opts: DisplayOptions) -> Line {
    let rule = if opts.ascii { '-' } else { '─' };
    let head = format!(
        "{rule}{rule} {} · {} ",
        doc.id,
        doc.title.replace('\n', " ")
    );
    let head = crate::text::sanitize(&head, opts);
    let head = if str_width(&head) <= width {
        head
    } else {
        // Cut short, the title still ends in a space and a piece of the rule.
        let mut cut = crate::text::truncate(&head, width.saturating_sub(3), opts);
        if width >= 3 {
            cut.push(' ');
        }
        cut
    };
    let fill = width.saturating_sub(str_width(&head));
    let mut text = head;
    text.extend(std::iter::repeat_n(rule, fill));
    Line {
        node: None,
        indent: 0,
        spans: vec![Span {
            text,
            role: Role::Meta,
            src: Src::None,
        }],
    }
}

/// Lays out one node and everything below it, as the reading pane shows them.
#[must_use]
pub fn lay_out_subtree(
    corpus: &Corpus,
    r: NodeRef,
    width: usize,
    opts: DisplayOptions,
) -> Vec<Line> {
    let doc = &corpus.documents[r.doc];
    let mut indices = Vec::new();
    collect(doc, r.node, &mut indices);
    let mut lines = Vec::new();
    lay_out_nodes(doc, r.doc, &indices, width, opts, &mut lines);
    lines
}

/// Lays out a whole document.
#[must_use]
pub fn lay_out_document(
    corpus: &Corpus,
    d: usize,
    width: usize,
    opts: DisplayOptions,
) -> Vec<Line> {
    let doc = &corpus.documents[d];
    let all: Vec<usize> = (0..doc.nodes.len()).collect();
    let mut lines = Vec::new();
    lay_out_nodes(doc, d, &all, width, opts, &mut lines);
    lines
}

fn collect(doc: &Document, idx: usize, out: &mut Vec<usize>) {
    out.push(idx);
    for &c in &doc.nodes[idx].children {
        collect(doc, c, out);
    }
}

/// How deep a node sits inside a list (0 for an item whose parent is not an item).
fn list_depth(doc: &Document, idx: usize) -> usize {
    let mut depth = 0;
    let mut cur = doc.nodes[idx].parent;
    while let Some(p) = cur {
        if doc.nodes[p].kind != NodeKind::Item {
            break;
        }
        depth += 1;
        cur = doc.nodes[p].parent;
    }
    depth
}

fn lay_out_nodes(
    doc: &Document,
    d: usize,
    indices: &[usize],
    width: usize,
    opts: DisplayOptions,
    lines: &mut Vec<Line>,
) {
    let mut prev: Option<NodeKind> = None;
    for &idx in indices {
        lay_out_node(doc, d, idx, prev, width, opts, lines);
        prev = Some(doc.nodes[idx].kind);
    }
}

/// Nodes that stand together, without a blank line between two of them in a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Group {
    /// The title, date and issuer lines at the head of a document.
    Header,
    /// List items, at any depth.
    List,
}

/// How a kind of node looks: each kind's row in [`look_of`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Look {
    /// Leading cells for each level of list the node sits in.
    indent_per_level: usize,
    /// Whether the node's marker (`23.`, `VII.`, `・`, `(注1)`) hangs before its text, its
    /// lines aligned under the text's first character.
    marker: bool,
    marker_role: Role,
    role: Role,
    /// Each line of the text laid out on its own: the first in `role`, the others indented
    /// this many cells, in `rest_role`.
    split: Option<(usize, Role)>,
    /// Consecutive nodes of a group stand together; any other node starts after a blank line.
    group: Option<Group>,
}

impl Look {
    const PLAIN: Look = Look {
        indent_per_level: 0,
        marker: false,
        marker_role: Role::Marker,
        role: Role::Body,
        split: None,
        group: None,
    };
}

/// Every kind's look, in one table.
const fn look_of(kind: NodeKind) -> Look {
    let p = Look::PLAIN;
    match kind {
        NodeKind::Title => Look {
            role: Role::Title,
            group: Some(Group::Header),
            ..p
        },
        NodeKind::Dateline | NodeKind::Issuer => Look {
            role: Role::Meta,
            group: Some(Group::Header),
            ..p
        },
        NodeKind::Section | NodeKind::Annex => Look {
            marker: true,
            marker_role: Role::Heading,
            role: Role::Heading,
            ..p
        },
        NodeKind::Paragraph => Look { marker: true, ..p },
        NodeKind::Item => Look {
            indent_per_level: 2,
            marker: true,
            group: Some(Group::List),
            ..p
        },
        NodeKind::Note => Look {
            marker: true,
            role: Role::Note,
            ..p
        },
        // The first line heads the block; the others stand under it, indented.
        NodeKind::Block => Look {
            role: Role::Meta,
            split: Some((2, Role::Body)),
            ..p
        },
    }
}

/// Lays out one node, after a blank line unless it belongs with the node before it (`prev`).
fn lay_out_node(
    doc: &Document,
    d: usize,
    idx: usize,
    prev: Option<NodeKind>,
    width: usize,
    opts: DisplayOptions,
    lines: &mut Vec<Line>,
) {
    let node = &doc.nodes[idx];
    let look = look_of(node.kind);
    let together = look.group.is_some() && prev.and_then(|p| look_of(p).group) == look.group;
    if prev.is_some() && !together {
        lines.push(Line::blank());
    }
    let mut block = Block {
        node: NodeRef { doc: d, node: idx },
        indent: look.indent_per_level * list_depth(doc, idx),
        marker: if look.marker { &node.marker } else { "" },
        marker_role: look.marker_role,
        role: look.role,
    };
    let shown = Shown::new(&node.text, opts);
    let Some((rest_indent, rest_role)) = look.split else {
        block.lay_out(&shown, width, opts, lines);
        return;
    };
    let mut start = 0;
    for (k, piece) in shown.chars.split(|&c| c == '\n').enumerate() {
        let part = Shown {
            chars: piece.to_vec(),
            src: shown.src[start..start + piece.len()].to_vec(),
        };
        start += piece.len() + 1;
        if k == 1 {
            block.indent = rest_indent;
            block.role = rest_role;
        }
        block.lay_out(&part, width, opts, lines);
    }
}

/// A node's text as one block: where it starts, the marker that hangs before it, the roles.
#[derive(Debug, Clone, Copy)]
struct Block<'a> {
    node: NodeRef,
    /// Leading cells before the marker (or the text).
    indent: usize,
    /// Empty for none.
    marker: &'a str,
    marker_role: Role,
    role: Role,
}

impl Block<'_> {
    /// Lays out `shown` (the node's text, or a line of it) with the marker hanging before it.
    fn lay_out(&self, shown: &Shown, width: usize, opts: DisplayOptions, lines: &mut Vec<Line>) {
        let (r, marker_role, role) = (self.node, self.marker_role, self.role);
        let marker = crate::text::sanitize(self.marker, opts);
        let marker_w = str_width(&marker);
        // A space after a marker, unless it ends with a full-width character (`・`, `：`).
        let gap = usize::from(
            marker
                .chars()
                .last()
                .is_some_and(|c| crate::text::display::char_width(c) == 1),
        );
        // Too narrow for a hanging indent: the marker and the text flow as one.
        let base = if width >= self.indent + 8 {
            self.indent
        } else {
            0
        };
        let hang = base + marker_w + gap;
        if width < hang + 4 {
            let mut chars: Vec<char> = marker.chars().collect();
            let mut src = vec![usize::MAX; chars.len()];
            if gap == 1 {
                chars.push(' ');
                src.push(usize::MAX);
            }
            chars.extend_from_slice(&shown.chars);
            src.extend_from_slice(&shown.src);
            let flat = Shown { chars, src };
            for range in wrap(&flat.chars, width, width) {
                let mut spans = Vec::new();
                let mut i = range.start;
                while i < range.end {
                    let is_marker = flat.src[i] == usize::MAX;
                    let j = (i..range.end)
                        .find(|&k| (flat.src[k] == usize::MAX) != is_marker)
                        .unwrap_or(range.end);
                    spans.push(Span {
                        text: text_of(&flat.chars[i..j]),
                        role: if is_marker { marker_role } else { role },
                        src: if is_marker {
                            Src::None
                        } else {
                            Src::from_indices(&flat.src[i..j])
                        },
                    });
                    i = j;
                }
                spans.shrink_to_fit();
                lines.push(Line {
                    node: Some(r),
                    indent: 0,
                    spans,
                });
            }
            return;
        }
        let ranges = wrap(&shown.chars, width - hang, width - hang);
        for (k, range) in ranges.into_iter().enumerate() {
            let mut spans = Vec::new();
            let indent = if k == 0 {
                if !marker.is_empty() {
                    spans.push(Span {
                        text: format!("{marker}{}", " ".repeat(gap)),
                        role: marker_role,
                        src: Src::None,
                    });
                }
                base
            } else {
                hang
            };
            if !range.is_empty() {
                spans.push(Span {
                    text: text_of(&shown.chars[range.clone()]),
                    role,
                    src: Src::from_indices(&shown.src[range]),
                });
            }
            // A vector that grew by pushing holds room for four spans; a line has one or
            // two, and a large file has hundreds of thousands of lines.
            spans.shrink_to_fit();
            lines.push(Line {
                node: Some(r),
                indent,
                spans,
            });
        }
    }
}

/// Characters as a string that holds no spare room (collecting them grows a string by
/// doubling: a line of Japanese kept a third more than its bytes).
fn text_of(chars: &[char]) -> String {
    let mut s = String::with_capacity(chars.iter().map(|c| c.len_utf8()).sum());
    s.extend(chars);
    s
}

/// A node on one line: its number or marker and its text (the tree's rows, `outline`).
#[must_use]
pub fn node_label(corpus: &Corpus, r: NodeRef, opts: DisplayOptions) -> String {
    let node = corpus.node(r);
    let text = node.one_line();
    let head = match (&node.label, node.kind) {
        (Some(l), crate::corpus::NodeKind::Section) if node.marker.ends_with('.') => {
            format!("{l}.")
        }
        (Some(l), crate::corpus::NodeKind::Paragraph) => l.clone(),
        _ => node.marker.clone(),
    };
    let gap = if head
        .chars()
        .last()
        .is_some_and(|c| crate::text::display::char_width(c) == 1)
    {
        " "
    } else {
        ""
    };
    let s = format!("{head}{gap}{text}");
    crate::text::sanitize(&s, opts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::load_embedded;

    #[test]
    fn paragraph_number_hangs() {
        let c = load_embedded();
        let r = c.find_id("g7:23").expect("g7:23");
        let lines = lay_out_subtree(&c, r, 40, DisplayOptions::default());
        assert!(lines[0].plain().starts_with("23. 我々は、"));
        for l in &lines[1..] {
            assert!(
                l.plain().starts_with("    ") && !l.plain().starts_with("     "),
                "{:?}",
                l.plain()
            );
            assert!(l.width() <= 40);
        }
    }

    #[test]
    fn whole_corpus_fits_every_width() {
        let c = load_embedded();
        for w in [1, 2, 5, 10, 40, 80, 200] {
            let layout = Layout::new(&c, w, DisplayOptions::default());
            for l in &layout.lines {
                assert!(l.width() <= w.max(2), "width {w}: {:?}", l.plain());
            }
        }
    }
}
