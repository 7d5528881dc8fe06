//! Lays documents out into finished lines for a pane of a given width: headers, headings,
//! numbered paragraphs with their number hanging, list items and notes under their markers.
//! The reading pane and `kaigi show` both draw from here, so they always agree.
//!
//! Lines carry roles, not colours: the TUI picks the style. Each span knows which characters
//! of the node's text it shows (a range for a run of ordinary text, the only kind a real
//! document has), so search matches can be highlighted in place.

use std::borrow::Cow;

use crate::corpus::{Corpus, Document, NodeKind, NodeRef};
use crate::text::display::{DisplayOptions, push_shown, str_width};
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
pub struct Span<'c> {
    /// Borrowed from the node's text unless a character is shown otherwise (`^[`).
    pub text: Cow<'c, str>,
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

/// "None" in a line's node or document field.
const NONE: u32 = u32::MAX;

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(NONE - 1)
}

/// Room for the lines of a node or two: when a layout's vector has less, it reserves for
/// the rest of the text ([`Layout::lines_to_come`]).
const ROOM: usize = 64;

/// Bytes past the largest request glibc's allocator may keep on its heap (32 MiB).
const MAPPED: usize = (32 << 20) + (1 << 16);

/// The widest a layout is (a terminal's limit): wider is laid out at this width.
pub const MAX_WIDTH: usize = u16::MAX as usize;

/// Every role, in the order of their numbers in a record's `roles`.
const ROLES: [Role; 6] = [
    Role::Title,
    Role::Meta,
    Role::Heading,
    Role::Marker,
    Role::Body,
    Role::Note,
];

fn role_bits(role: Role) -> u8 {
    role as u8
}

fn role_of(bits: u8) -> Role {
    ROLES.get(usize::from(bits)).copied().unwrap_or(Role::Body)
}

/// One finished line, kept in 16 bytes (7.6 MB for the 476,107 lines of the 36.55 MB
/// repeated-sections file at 100 columns, where a record of every field took 32): its node
/// (numbered across the corpus, mapped back to its document through the layout's table of
/// each document's first number), the first source character and byte it shows, and the rest
/// of the record packed into one word. The text is not kept: [`Render::spans`] makes the
/// spans from the node's text when the line is drawn, borrowed where the shown characters are
/// the source's (every line of a real document).
///
/// The packed word holds what a line of real text needs (an indent under 256 cells, fewer
/// than 8192 shown characters, a marker starting at one of its first seven characters, a
/// source span within a few characters of the shown count, no `^[` cut at its start); a line
/// that needs more (a run of thousands of zero-width characters, an indent near
/// [`MAX_WIDTH`], a long marker wrapped at a narrow width) keeps the rest of its record in
/// the layout's table of wide lines, and the word says where. So a line means something only
/// with the layout (or [`Lines`]) it came from: its accessors are [`Render`]'s and
/// [`Layout`]'s.
#[derive(Debug, Clone, Copy)]
pub struct Line {
    /// The node's number across the corpus, or `NONE` for a blank line or a document's rule
    /// line.
    node: u32,
    /// The first source character the line shows (see [`Record::src_char`]); on a line of no
    /// node, its document (`NONE` for a blank line).
    src_char: u32,
    /// The byte offset of `src_char` in the node's text (see [`Record::src_byte`]).
    src_byte: u32,
    /// With [`WIDE`] set, the index of the rest of the record in the table of wide lines;
    /// otherwise the rest packed (see [`pack`]).
    bits: u32,
}

/// A line whose record did not fit its packed word.
const WIDE: u32 = 1 << 31;
/// The packed word of a line that fits: the text's role in bits 0–2; bit 3 set when the
/// marker's role is [`Role::Heading`] (else [`Role::Marker`]); in bits 4–6, 0 for no marker
/// on the line or the marker's first character on it plus one; the indent in bits 7–14; the
/// shown characters in bits 15–27; and in bits 28–30 the source span's length less the shown
/// characters, plus 4.
const HEADING_MARKER: u32 = 1 << 3;
const MARKER_SHIFT: u32 = 4;
const MARKER_MAX: u32 = 7;
const INDENT_SHIFT: u32 = 7;
const INDENT_MAX: u32 = 0xFF;
const SHOWN_SHIFT: u32 = 15;
const SHOWN_MAX: u32 = 0x1FFF;
const DELTA_SHIFT: u32 = 28;
const DELTA_BIAS: i64 = 4;

/// A line's whole record: what [`Line`] packs, comparable between layouts (see
/// [`Layout::record`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Record {
    /// The document, or `NONE` for a blank line.
    doc: u32,
    /// The node in the document, or `NONE` for a blank line or a document's rule line.
    node: u32,
    /// The first source character (index) and its byte offset in the node's text that the
    /// text shows; `skip` shown characters of it come before the line (a `^[` cut in two).
    /// On a line that shows none of the text, `src_byte` is where its marker ends.
    src_char: u32,
    src_byte: u32,
    /// One past the last source character shown.
    src_end: u32,
    /// How many shown characters of the text the line shows.
    shown: u32,
    /// The first of the marker's shown characters (and the space after it) on the line, or
    /// `NONE`; they run to the marker's end when the line shows text (the marker comes
    /// first), else to `src_byte`.
    marker_start: u32,
    /// Leading cells (at most [`MAX_WIDTH`]).
    indent: u16,
    skip: u8,
    /// The text's role in the low four bits, the marker's in the high four.
    roles: u8,
}

/// The part of a wide line's record its [`Line`] does not hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Wide {
    src_end: u32,
    shown: u32,
    marker_start: u32,
    indent: u16,
    skip: u8,
    roles: u8,
}

/// The packed word for the part of a record past its node and start, if it fits.
fn pack(w: &Wide, src_char: u32) -> Option<u32> {
    let role = u32::from(w.roles & 15);
    let heading = match role_of(w.roles >> 4) {
        Role::Marker => 0,
        Role::Heading => HEADING_MARKER,
        _ => return None,
    };
    let marker = if w.marker_start == NONE {
        0
    } else if w.marker_start < MARKER_MAX {
        w.marker_start + 1
    } else {
        return None;
    };
    let indent = u32::from(w.indent);
    let delta = i64::from(w.src_end) - i64::from(src_char) - i64::from(w.shown) + DELTA_BIAS;
    if w.skip != 0
        || role > 7
        || indent > INDENT_MAX
        || w.shown > SHOWN_MAX
        || !(0..8).contains(&delta)
    {
        return None;
    }
    let delta = u32::try_from(delta).ok()?;
    Some(
        role | heading
            | marker << MARKER_SHIFT
            | indent << INDENT_SHIFT
            | w.shown << SHOWN_SHIFT
            | delta << DELTA_SHIFT,
    )
}

/// The record's part a packed word holds (see [`pack`]).
fn unpack(bits: u32, src_char: u32) -> Wide {
    let marker_role = if bits & HEADING_MARKER == 0 {
        Role::Marker
    } else {
        Role::Heading
    };
    let marker = (bits >> MARKER_SHIFT) & MARKER_MAX;
    let shown = (bits >> SHOWN_SHIFT) & SHOWN_MAX;
    let delta = i64::from((bits >> DELTA_SHIFT) & 7) - DELTA_BIAS;
    let src_end = i64::from(src_char) + i64::from(shown) + delta;
    Wide {
        src_end: u32::try_from(src_end).unwrap_or(0),
        shown,
        marker_start: marker.checked_sub(1).unwrap_or(NONE),
        indent: u16::try_from((bits >> INDENT_SHIFT) & INDENT_MAX).unwrap_or(0),
        skip: 0,
        // The role fits three bits and the marker's is one of two.
        roles: (bits & 7) as u8 | role_bits(marker_role) << 4,
    }
}

/// What a layout's lines need besides themselves: the table of wide lines and the first
/// node number of each document.
#[derive(Debug, Clone, Default)]
struct Table {
    wide: Vec<Wide>,
    /// Document `d`'s node `n` is number `bases[d] + n`. A document grows only while those
    /// after it are empty (a file parsed a slice at a time), so the number of a node laid out
    /// never changes; a table made earlier may only have smaller bases for documents with no
    /// lines yet (see [`merge_bases`](Self::merge_bases)).
    bases: Vec<u32>,
    /// Every record pushed, for the tests to check each line against what it was made from.
    #[cfg(test)]
    made: Vec<Record>,
}

impl Table {
    /// The bases of the corpus as it is now.
    fn count_bases(&mut self, corpus: &Corpus) {
        self.bases.clear();
        let mut n: u32 = 0;
        for doc in &corpus.documents {
            self.bases.push(n);
            n = n.saturating_add(to_u32(doc.nodes.len()));
        }
    }

    /// Takes the larger base of each document: the later count (documents only grow).
    fn merge_bases(&mut self, other: &[u32]) {
        if self.bases.len() < other.len() {
            self.bases.resize(other.len(), 0);
        }
        for (b, &o) in self.bases.iter_mut().zip(other) {
            *b = (*b).max(o);
        }
    }

    /// The number of a node across the corpus.
    fn number(&self, r: NodeRef) -> u32 {
        let base = self.bases.get(r.doc).copied().unwrap_or(NONE - 1);
        base.checked_add(to_u32(r.node))
            .filter(|&n| n != NONE)
            .unwrap_or(NONE - 1)
    }

    /// The node a number stands for.
    fn node_ref(&self, number: u32) -> Option<NodeRef> {
        if number == NONE {
            return None;
        }
        // Empty documents share their base with the next: the last document starting at or
        // before the number holds it.
        let d = self
            .bases
            .partition_point(|&b| b <= number)
            .checked_sub(1)?;
        Some(NodeRef {
            doc: d,
            node: (number - self.bases[d]) as usize,
        })
    }

    /// Packs a record onto `lines`.
    fn push(&mut self, lines: &mut Vec<Line>, r: &Record) {
        #[cfg(test)]
        self.made.push(*r);
        let no_node = r.node == NONE;
        let (node, src_char) = if no_node {
            (NONE, r.doc)
        } else {
            (
                self.number(NodeRef {
                    doc: r.doc as usize,
                    node: r.node as usize,
                }),
                r.src_char,
            )
        };
        let wide = Wide {
            src_end: r.src_end,
            shown: r.shown,
            marker_start: r.marker_start,
            indent: r.indent,
            skip: r.skip,
            roles: r.roles,
        };
        // A line of no node shows no text: its source start is 0 (see `record`).
        let start = if no_node { 0 } else { r.src_char };
        let bits = pack(&wide, start).unwrap_or_else(|| {
            // Each entry takes 16 bytes: 2^31 of them would not fit in memory.
            let index = u32::try_from(self.wide.len()).unwrap_or(WIDE - 1) & !WIDE;
            self.wide.push(wide);
            WIDE | index
        });
        lines.push(Line {
            node,
            src_char,
            src_byte: r.src_byte,
            bits,
        });
    }

    /// A line's whole record.
    fn record(&self, l: &Line) -> Record {
        let (doc, node, src_char) = match self.node_ref(l.node) {
            Some(r) => (to_u32(r.doc), to_u32(r.node), l.src_char),
            None if l.node == NONE => (l.src_char, NONE, 0),
            None => (NONE, NONE, 0),
        };
        let w = if l.bits & WIDE == 0 {
            unpack(l.bits, src_char)
        } else {
            self.wide
                .get((l.bits & !WIDE) as usize)
                .copied()
                .unwrap_or(Wide {
                    marker_start: NONE,
                    ..Wide::default()
                })
        };
        Record {
            doc,
            node,
            src_char,
            src_byte: l.src_byte,
            src_end: w.src_end,
            shown: w.shown,
            marker_start: w.marker_start,
            indent: w.indent,
            skip: w.skip,
            roles: w.roles,
        }
    }

    /// The shown characters of a line (without its whole record).
    fn shown(&self, l: &Line) -> u32 {
        if l.bits & WIDE == 0 {
            (l.bits >> SHOWN_SHIFT) & SHOWN_MAX
        } else {
            self.wide
                .get((l.bits & !WIDE) as usize)
                .map_or(0, |w| w.shown)
        }
    }

    fn node(&self, l: &Line) -> Option<NodeRef> {
        self.node_ref(l.node)
    }

    fn first_src(&self, l: &Line) -> Option<usize> {
        (l.node != NONE && self.shown(l) > 0).then_some(l.src_char as usize)
    }

    fn last_src(&self, l: &Line) -> Option<usize> {
        let r = self.record(l);
        (r.node != NONE && r.shown > 0).then(|| (r.src_end as usize).saturating_sub(1))
    }

    /// Puts `other`'s wide lines after this table's, `lines` (other's) pointing at them there.
    fn take_wide(&mut self, other: Table, lines: &mut [Line]) {
        self.merge_bases(&other.bases);
        if other.wide.is_empty() {
            return;
        }
        let shift = to_u32(self.wide.len());
        for l in lines.iter_mut().filter(|l| l.bits & WIDE != 0) {
            l.bits = WIDE | ((l.bits & !WIDE).saturating_add(shift) & !WIDE);
        }
        self.wide.extend(other.wide);
    }

    fn heap_bytes(&self) -> usize {
        self.wide.capacity() * std::mem::size_of::<Wide>() + self.bases.capacity() * 4
    }
}

/// Where a layout's lines go as they are made: the lines and their table.
struct Sink<'a> {
    lines: &'a mut Vec<Line>,
    table: &'a mut Table,
}

impl Sink<'_> {
    fn push(&mut self, r: &Record) {
        self.table.push(self.lines, r);
    }
}

impl Record {
    fn blank() -> Self {
        Record {
            doc: NONE,
            node: NONE,
            src_char: 0,
            src_byte: 0,
            src_end: 0,
            shown: 0,
            marker_start: NONE,
            indent: 0,
            skip: 0,
            roles: role_bits(Role::Body) | role_bits(Role::Marker) << 4,
        }
    }

    fn role(&self) -> Role {
        role_of(self.roles & 15)
    }

    fn marker_role(&self) -> Role {
        role_of(self.roles >> 4)
    }

    fn node(&self) -> Option<NodeRef> {
        (self.node != NONE).then_some(NodeRef {
            doc: self.doc as usize,
            node: self.node as usize,
        })
    }

    /// The line's spans, made from the node's text (`width` and `opts` are the layout's: a
    /// document's rule line is filled to the width).
    fn spans<'c>(&self, corpus: &'c Corpus, width: usize, opts: DisplayOptions) -> Vec<Span<'c>> {
        let Some(r) = self.node() else {
            return match corpus.documents.get(self.doc as usize) {
                Some(doc) if self.doc != NONE => vec![boundary_span(doc, width, opts)],
                _ => Vec::new(),
            };
        };
        let Some(node) = corpus
            .documents
            .get(r.doc)
            .and_then(|d| d.nodes.get(r.node))
        else {
            return Vec::new();
        };
        let mut spans = Vec::with_capacity(2);
        if self.marker_start != NONE {
            let (marker, _) = shown_marker(node.marker(), opts);
            let start = self.marker_start as usize;
            let end = if self.shown > 0 {
                marker.chars().count()
            } else {
                self.src_byte as usize
            };
            let text: String = marker
                .chars()
                .skip(start)
                .take(end.saturating_sub(start))
                .collect();
            spans.push(Span {
                text: Cow::Owned(text),
                role: self.marker_role(),
                src: Src::None,
            });
        }
        if self.shown > 0 {
            let (text, src) = self.text_of(&node.text, opts);
            spans.push(Span {
                text,
                role: self.role(),
                src,
            });
        }
        spans
    }

    /// The shown characters of the node's text on the line, and where each comes from.
    fn text_of<'c>(&self, text: &'c str, opts: DisplayOptions) -> (Cow<'c, str>, Src) {
        let rest = text.get(self.src_byte as usize..).unwrap_or("");
        let (skip, want) = (usize::from(self.skip), self.shown as usize);
        let start = self.src_char as usize;
        // Borrowed when each character shows as itself.
        if skip == 0 {
            let mut taken = 0;
            let mut end = 0;
            let mut verbatim = true;
            for (b, c) in rest.char_indices() {
                if taken == want {
                    break;
                }
                if !shows_as_itself(c, opts) {
                    verbatim = false;
                    break;
                }
                taken += 1;
                end = b + c.len_utf8();
            }
            if verbatim && taken == want {
                return (Cow::Borrowed(&rest[..end]), Src::Run { start, len: want });
            }
        }
        let mut out = String::new();
        let mut src = Vec::with_capacity(want);
        let mut k = 0;
        for (i, c) in rest.chars().enumerate() {
            if k >= skip + want {
                break;
            }
            push_shown(c, opts, &mut |s| {
                if k >= skip && k < skip + want {
                    out.push(s);
                    src.push(start + i);
                }
                k += 1;
            });
        }
        out.shrink_to_fit();
        (Cow::Owned(out), Src::from_indices(&src))
    }
}

/// Whether a character is drawn as itself (one character, the same one).
fn shows_as_itself(c: char, opts: DisplayOptions) -> bool {
    // The common case without a call: printable ASCII and kana or kanji are never replaced.
    if (' '..='~').contains(&c) {
        return true;
    }
    let mut n = 0;
    let mut same = true;
    push_shown(c, opts, &mut |s| {
        n += 1;
        same &= s == c;
    });
    n == 1 && same
}

/// The text of lines: the corpus they show, the width and options they were laid out for, and
/// the table their records are kept with. Everything that draws or prints a line, or asks
/// which node it shows, goes through here.
#[derive(Debug, Clone, Copy)]
pub struct Render<'c> {
    pub corpus: &'c Corpus,
    pub width: usize,
    pub opts: DisplayOptions,
    table: &'c Table,
}

impl<'c> Render<'c> {
    /// A line's spans (see [`Line`]).
    #[must_use]
    pub fn spans(&self, line: &Line) -> Vec<Span<'c>> {
        self.table
            .record(line)
            .spans(self.corpus, self.width, self.opts)
    }

    /// The node a line shows, or `None` for a blank line (or a document's rule line).
    #[must_use]
    pub fn node(&self, line: &Line) -> Option<NodeRef> {
        self.table.node(line)
    }

    /// A line's leading blank cells.
    #[must_use]
    pub fn indent(&self, line: &Line) -> usize {
        usize::from(self.table.record(line).indent)
    }

    /// The first character of the node's text on a line, if it shows any.
    #[must_use]
    pub fn first_src(&self, line: &Line) -> Option<usize> {
        self.table.first_src(line)
    }

    /// The last character of the node's text on a line, if it shows any.
    #[must_use]
    pub fn last_src(&self, line: &Line) -> Option<usize> {
        self.table.last_src(line)
    }

    /// A line as plain text, indent included.
    #[must_use]
    pub fn plain(&self, line: &Line) -> String {
        let mut s = " ".repeat(self.indent(line));
        for span in self.spans(line) {
            s.push_str(&span.text);
        }
        s
    }

    /// A line's display width.
    #[must_use]
    pub fn width_of(&self, line: &Line) -> usize {
        self.indent(line)
            + self
                .spans(line)
                .iter()
                .map(|s| str_width(&s.text))
                .sum::<usize>()
    }
}

/// Lines laid out on their own (a node and what is under it, or one document), with their
/// table.
#[derive(Debug, Clone)]
pub struct Lines {
    pub lines: Vec<Line>,
    pub width: usize,
    pub opts: DisplayOptions,
    table: Table,
}

impl Lines {
    /// The text of these lines (see [`Render`]).
    #[must_use]
    pub fn render<'c>(&'c self, corpus: &'c Corpus) -> Render<'c> {
        Render {
            corpus,
            width: self.width,
            opts: self.opts,
            table: &self.table,
        }
    }
}

/// Every loaded document laid out for one width.
#[derive(Debug, Clone)]
pub struct Layout {
    pub width: usize,
    pub opts: DisplayOptions,
    pub lines: Vec<Line>,
    /// The lines' wide records and the documents' first node numbers (see [`Line`]).
    table: Table,
    /// The first line of each node laid out (see [`start`](Self::start)).
    starts: Starts,
    /// The first line of each document.
    pub doc_starts: Vec<usize>,
    /// For each document, how many characters of text come before each of its nodes, counted
    /// from the start of the corpus; and the corpus's total. "How far through" is measured in
    /// characters (as `less` measures it in bytes), so it is known before the layout is done.
    chars_before: Vec<Vec<usize>>,
    total_chars: usize,
    /// The next node to lay out, `(document, node)`, while the layout is partial.
    next: Option<(usize, usize)>,
    /// Where `lines` begin, `(document, node)`: `(0, 0)` unless the layout began deeper (at
    /// the reader's place after a resize, at the end for `G`).
    begin: (usize, usize),
    /// A layout begun deeper: everything before `begin`, laid out from the start a slice at a
    /// time; [`work`](Self::work) puts it before `lines` once it reaches `begin`. Until then
    /// line numbers count from `begin`, and `doc_starts` gives 0 for the documents that start
    /// before it.
    head: Option<Box<Layout>>,
}

impl Layout {
    /// Nothing laid out (width 0), for before the width is known.
    #[must_use]
    pub fn empty(opts: DisplayOptions) -> Self {
        Layout {
            width: 0,
            opts,
            lines: Vec::new(),
            table: Table::default(),
            starts: Starts::default(),
            doc_starts: Vec::new(),
            chars_before: Vec::new(),
            total_chars: 0,
            next: None,
            begin: (0, 0),
            head: None,
        }
    }

    /// Lays out the corpus from `begin` (a `(document, node)`, the node index up to the
    /// document's length: its end) until there are at least `want` lines (or the corpus
    /// ends, or `until`): what the whole layout shows from there, line for line. What comes
    /// before is laid out by [`work`](Self::work) or [`finish`](Self::finish), which keep the
    /// lines already there and say how far they moved down.
    #[must_use]
    pub fn begin_at(
        corpus: &Corpus,
        width: usize,
        opts: DisplayOptions,
        begin: (usize, usize),
        want: usize,
        until: Option<NodeRef>,
    ) -> Self {
        Self::begin_with(corpus, width, opts, begin, None, want, until)
    }

    fn begin_with(
        corpus: &Corpus,
        width: usize,
        opts: DisplayOptions,
        begin: (usize, usize),
        head: Option<Box<Layout>>,
        want: usize,
        until: Option<NodeRef>,
    ) -> Self {
        // A document's end is the next document's start (the rule line between them is
        // laid out with what comes before), unless it is the corpus's end.
        let begin = if corpus.documents.is_empty() {
            (0, 0)
        } else {
            let (mut d, mut n) = (begin.0.min(corpus.documents.len() - 1), begin.1);
            while n >= corpus.documents[d].nodes.len() && d + 1 < corpus.documents.len() {
                (d, n) = (d + 1, 0);
            }
            (d, n.min(corpus.documents[d].nodes.len()))
        };
        let mut layout = Layout {
            width,
            next: Some(begin),
            begin,
            ..Layout::empty(opts)
        };
        layout.recount(corpus);
        if !corpus.documents.is_empty() {
            layout.doc_starts = vec![0; begin.0 + 1];
        }
        if begin != (0, 0) {
            let mut head = head.unwrap_or_else(|| {
                Box::new(Layout {
                    width,
                    next: Some((0, 0)),
                    doc_starts: vec![0],
                    ..Layout::empty(opts)
                })
            });
            head.head = None;
            layout.head = Some(head);
        }
        layout.extend_until(corpus, want, until);
        layout
    }

    /// Where to begin a layout so that at least `lines` lines come before position `at`
    /// (a `(document, node)`; the node index may be the document's length, its end), or the
    /// start of the corpus.
    #[must_use]
    pub fn begin_before(
        corpus: &Corpus,
        width: usize,
        opts: DisplayOptions,
        at: (usize, usize),
        lines: usize,
    ) -> (usize, usize) {
        let Some(last) = corpus.documents.len().checked_sub(1) else {
            return (0, 0);
        };
        let d = at.0.min(last);
        let (mut d, mut n) = (d, at.1.min(corpus.documents[d].nodes.len()));
        let mut count = 0;
        let mut scratch = Vec::new();
        let mut table = Table::default();
        table.count_bases(corpus);
        while count < lines {
            if n == 0 {
                if d == 0 {
                    break;
                }
                // The blank line, the rule line and the blank line between two documents
                // (a layout begins at a node, not between documents).
                d -= 1;
                n = corpus.documents[d].nodes.len();
                count += 3;
                if n == 0 {
                    continue;
                }
            }
            n -= 1;
            let doc = &corpus.documents[d];
            let prev = n.checked_sub(1).map(|p| doc.nodes[p].kind);
            scratch.clear();
            table.wide.clear();
            let mut sink = Sink {
                lines: &mut scratch,
                table: &mut table,
            };
            lay_out_node(doc, d, n, prev, width, opts, &mut sink);
            count += scratch.len();
        }
        (d, n)
    }

    /// Where the corpus ends: the last document's end.
    fn end(corpus: &Corpus) -> (usize, usize) {
        corpus
            .documents
            .len()
            .checked_sub(1)
            .map_or((0, 0), |d| (d, corpus.documents[d].nodes.len()))
    }

    /// Makes sure the end of the corpus and at least `lines` lines before it are laid out,
    /// for `G` (see [`lay_out_near`](Self::lay_out_near)). The corpus must be whole.
    pub fn lay_out_end(&mut self, corpus: &Corpus, lines: usize) {
        self.lay_out_near(corpus, Self::end(corpus), lines, None);
        self.extend(corpus, usize::MAX);
    }

    /// Makes the layout reach `at` (a `(document, node)`) with at least `lines` lines before
    /// it, without laying out all that comes before: when the layout is within that many
    /// lines of it (or has it), it goes on from where it is; otherwise it begins again
    /// `lines` before `at`, what was laid out from the start kept as the part before (see
    /// [`begin_at`](Self::begin_at)); what was laid out after that part is dropped, to be
    /// laid out again when the part before reaches it. Nothing from `until` on is laid out.
    pub fn lay_out_near(
        &mut self,
        corpus: &Corpus,
        at: (usize, usize),
        lines: usize,
        until: Option<NodeRef>,
    ) {
        let Some(next) = self.next else {
            if self.head.is_none() || at >= self.begin {
                return;
            }
            return self.begin_again(corpus, at, lines, until);
        };
        if at < self.begin {
            return self.begin_again(corpus, at, lines, until);
        }
        let begin = Self::begin_before(corpus, self.width, self.opts, at, lines);
        if next < begin {
            self.begin_again(corpus, at, lines, until);
        }
    }

    fn begin_again(
        &mut self,
        corpus: &Corpus,
        at: (usize, usize),
        lines: usize,
        until: Option<NodeRef>,
    ) {
        let begin = Self::begin_before(corpus, self.width, self.opts, at, lines);
        let head = match self.head.take() {
            Some(head) => head,
            None => Box::new(std::mem::replace(self, Layout::empty(self.opts))),
        };
        if begin == (0, 0) || head.next.is_none_or(|n| n >= begin) {
            // The part from the start has reached it: it is the layout.
            let mut head = *head;
            head.lay_out_start_from(self);
            *self = head;
            return;
        }
        *self = Self::begin_with(corpus, head.width, head.opts, begin, Some(head), 0, until);
    }

    /// Lays out about `step` more lines: the part before a layout begun deeper first (and
    /// once it reaches where the layout began, puts it before the lines), then onwards.
    /// Returns how many lines the lines already there moved down (0 unless the part before
    /// was just put in place). The corpus must be whole.
    pub fn work(&mut self, corpus: &Corpus, step: usize) -> usize {
        // The part before keeps no counts of characters: its room is reserved from these,
        // for everything to the end (the lines after it join it there).
        let room = self
            .head
            .as_ref()
            .filter(|h| h.lines.capacity() - h.lines.len() < ROOM)
            .and_then(|h| h.next)
            .map(|from| self.lines_to_come(from));
        if let Some(head) = &mut self.head {
            if let Some(room) = room {
                head.lines.reserve(room);
            }
            let want = head.lines.len().saturating_add(step);
            let stop = NodeRef {
                doc: self.begin.0,
                node: self.begin.1,
            };
            head.extend_until(corpus, want, Some(stop));
            if head.next >= Some(self.begin) || head.next.is_none() {
                return self.join();
            }
            return 0;
        }
        let want = self.lines.len().saturating_add(step);
        self.extend(corpus, want);
        0
    }

    /// For `g` in a layout begun deeper: the part laid out from the start becomes the layout,
    /// and what came after it is laid out again as it goes on.
    pub fn lay_out_start(&mut self) {
        if let Some(head) = self.head.take() {
            let mut head = *head;
            head.lay_out_start_from(self);
            *self = head;
        }
    }

    /// For a move up in a layout begun deeper: lays out at once the nodes just before where
    /// it begins, at least `lines` lines of them (fewer at the start of the corpus), and puts
    /// them in front; the part from the start goes on in slices from where it is (when it is
    /// that near already, it finishes and is put in front). Returns how many lines the lines
    /// already there moved down (0 when the layout began at the start).
    pub fn lay_out_before(&mut self, corpus: &Corpus, lines: usize) -> usize {
        let Some(head) = &mut self.head else {
            return 0;
        };
        let stop = NodeRef {
            doc: self.begin.0,
            node: self.begin.1,
        };
        let (width, opts) = (self.width, self.opts);
        let mut begin = Self::begin_before(corpus, width, opts, self.begin, lines.max(1));
        // A layout begins at a node, not at the rule line between two documents.
        while begin != (0, 0)
            && corpus
                .documents
                .get(begin.0)
                .is_some_and(|d| begin.1 >= d.nodes.len())
        {
            begin = Self::begin_before(corpus, width, opts, begin, 1);
        }
        if head.next.is_none_or(|n| n >= begin) {
            head.extend_until(corpus, usize::MAX, Some(stop));
            return self.join();
        }
        let mut part = Layout {
            width,
            next: Some(begin),
            ..Layout::empty(opts)
        };
        part.extend_until(corpus, usize::MAX, Some(stop));
        let shift = part.lines.len();
        let mut part_lines = part.lines;
        self.table.take_wide(part.table, &mut part_lines);
        // Put in front of the lines in their own vector (its room is reserved to the end),
        // not the lines copied after the part's.
        self.lines.splice(0..0, part_lines);
        self.starts.shift(shift);
        self.starts.append(&part.starts, 0);
        // The documents that start between the new beginning and the old were laid out in
        // the part (it crossed into each once); those after, with the lines already there.
        let mut doc_starts = vec![0; begin.0 + 1];
        doc_starts.extend(part.doc_starts);
        doc_starts.extend(
            self.doc_starts
                .iter()
                .skip(self.begin.0 + 1)
                .map(|s| s + shift),
        );
        self.doc_starts = doc_starts;
        self.begin = begin;
        shift
    }

    /// This part from the start becomes the layout in place of `layout` (it takes its
    /// counts of characters).
    fn lay_out_start_from(&mut self, layout: &mut Layout) {
        if layout.total_chars > 0 || self.chars_before.is_empty() {
            self.chars_before = std::mem::take(&mut layout.chars_before);
            self.total_chars = layout.total_chars;
        }
        self.table.merge_bases(&layout.table.bases);
        self.head = None;
        self.begin = (0, 0);
    }

    /// Whether the layout began deeper and what comes before is not laid out yet.
    #[must_use]
    pub fn has_head(&self) -> bool {
        self.head.is_some()
    }

    /// Whether the layout has reached the end of the corpus.
    #[must_use]
    pub fn reaches_end(&self) -> bool {
        self.next.is_none()
    }

    /// Puts the part before `begin` in front of the lines; returns its length.
    fn join(&mut self) -> usize {
        let Some(head) = self.head.take() else {
            return 0;
        };
        let head = *head;
        let shift = head.lines.len();
        let mut table = head.table;
        table.take_wide(std::mem::take(&mut self.table), &mut self.lines);
        self.table = table;
        let mut lines = head.lines;
        lines.append(&mut self.lines);
        self.lines = lines;
        let mut starts = head.starts;
        starts.append(&self.starts, shift);
        self.starts = starts;
        let d = self.begin.0;
        let mut doc_starts = head.doc_starts;
        doc_starts.truncate(d + 1);
        doc_starts.extend(self.doc_starts.iter().skip(d + 1).map(|s| s + shift));
        self.doc_starts = doc_starts;
        self.begin = (0, 0);
        if self.next.is_none() {
            self.lines.shrink_to_fit();
        }
        shift
    }

    /// The bytes the layout keeps (lines, the table of node starts, the counts of characters
    /// before each node), for the benchmarks.
    #[must_use]
    pub fn heap_bytes(&self) -> usize {
        self.lines.capacity() * std::mem::size_of::<Line>()
            + self.table.heap_bytes()
            + self.starts.heap_bytes()
            + self.doc_starts.capacity() * 8
            + self
                .chars_before
                .iter()
                .map(|v| v.capacity() * 8)
                .sum::<usize>()
            + self.head.as_ref().map_or(0, |h| h.heap_bytes())
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

    /// Lays out whatever [`partial`](Self::partial) left (nothing if the layout is whole),
    /// the part before a layout begun deeper included; returns how many lines the lines
    /// already there moved down (see [`work`](Self::work)).
    pub fn finish(&mut self, corpus: &Corpus) -> usize {
        self.extend(corpus, usize::MAX);
        let mut shift = 0;
        while self.head.is_some() {
            shift += self.work(corpus, usize::MAX);
        }
        shift
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

    /// The first line of a node, if it is laid out.
    #[must_use]
    pub fn start(&self, r: NodeRef) -> Option<usize> {
        self.starts.get(r)
    }

    /// The first line of every node laid out, in reading order.
    pub fn starts(&self) -> impl Iterator<Item = (NodeRef, usize)> + '_ {
        self.starts.iter()
    }

    /// The text of this layout's lines (see [`Render`]).
    #[must_use]
    pub fn render<'c>(&'c self, corpus: &'c Corpus) -> Render<'c> {
        Render {
            corpus,
            width: self.width,
            opts: self.opts,
            table: &self.table,
        }
    }

    /// The node a line of this layout shows, or `None` for a blank line (or a document's
    /// rule line).
    #[must_use]
    pub fn node_of(&self, line: &Line) -> Option<NodeRef> {
        self.table.node(line)
    }

    /// The first character of the node's text on a line of this layout, if it shows any.
    #[must_use]
    pub fn first_src(&self, line: &Line) -> Option<usize> {
        self.table.first_src(line)
    }

    /// A line's whole record, to compare lines of two layouts.
    #[must_use]
    pub fn record(&self, line: &Line) -> Record {
        self.table.record(line)
    }

    /// Whether every node is laid out.
    #[must_use]
    pub fn is_complete(&self) -> bool {
        self.next.is_none() && self.head.is_none()
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
                if d + 1 < corpus.documents.len() {
                    let table = &mut self.table;
                    table.push(&mut self.lines, &Record::blank());
                    self.doc_starts.push(self.lines.len());
                    table.push(&mut self.lines, &boundary(d + 1));
                    table.push(&mut self.lines, &Record::blank());
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
            if self.lines.capacity() - self.lines.len() < ROOM {
                self.lines.reserve(self.lines_to_come((d, n)));
            }
            // A document's first number is final once it has a node (those before it are
            // whole), so the bases are counted again only at a document's start.
            if n == 0 || self.table.bases.len() != corpus.documents.len() {
                self.table.count_bases(corpus);
            }
            let r = NodeRef { doc: d, node: n };
            let number = self.table.number(r);
            let prev = n.checked_sub(1).map(|p| doc.nodes[p].kind);
            let first = self.lines.len();
            let mut sink = Sink {
                lines: &mut self.lines,
                table: &mut self.table,
            };
            lay_out_node(doc, d, n, prev, self.width, self.opts, &mut sink);
            if let Some(i) = (first..self.lines.len()).find(|&i| self.lines[i].node == number) {
                self.starts.set(r, i);
            }
            self.next = Some((d, n + 1));
        }
    }

    /// About how many lines the text from `from` (a `(document, node)`) to the end takes, a
    /// little more rather than less: every node a blank line and its characters two cells
    /// each (CJK) on lines a little narrower than the width. The lines are reserved once for
    /// the rest of the text rather than grown by doubling: each doubling copies them and,
    /// once the allocator keeps such sizes on its heap, leaves the old copy there as a hole
    /// (about 5 MB at 1000x for each layout of the whole). Room never filled is never
    /// touched, so it costs no memory, and the vector is cut to its length at the end.
    fn lines_to_come(&self, from: (usize, usize)) -> usize {
        let cells = self.width.saturating_sub(4).max(1);
        let after = self
            .chars_before
            .iter()
            .enumerate()
            .skip(from.0)
            .flat_map(|(d, v)| v.iter().skip(if d == from.0 { from.1 } else { 0 }))
            .copied()
            .chain(std::iter::once(self.total_chars));
        let mut lines = ROOM;
        let mut last: Option<usize> = None;
        for c in after {
            if let Some(p) = last {
                lines += 2 + c.saturating_sub(p) * 2 / cells;
            }
            last = Some(c);
        }
        let lines = lines + lines / 16;
        // A large file's lines get a mapping of their own: past 32 MiB glibc's allocator
        // always maps a request apart from its heap (below, once something that large has
        // been freed, it keeps such sizes on the heap), so that when they are dropped (a
        // resize) their memory goes back to the system rather than staying a hole in the
        // heap; nothing of the room is resident until it is written.
        if lines * std::mem::size_of::<Line>() >= MAPPED / 8 {
            lines.max(MAPPED / std::mem::size_of::<Line>())
        } else {
            lines
        }
    }

    /// How much of the text is laid out, in percent of its characters.
    #[must_use]
    pub fn percent_laid_out(&self) -> usize {
        if self.is_complete() || self.total_chars == 0 {
            return 100;
        }
        let at = |p: Option<(usize, usize)>| {
            p.map_or(self.total_chars, |(doc, node)| {
                self.chars_before(NodeRef { doc, node })
            })
        };
        let mut done = at(self.next) - at(Some(self.begin)).min(at(self.next));
        if let Some(head) = &self.head {
            done += at(head.next).min(at(Some(self.begin)));
        }
        (done * 100 / self.total_chars).min(100)
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
                let r = self.table.node(l)?;
                let last = self.table.last_src(l);
                Some(self.chars_before(r) + last.map_or(0, |i| i + 1))
            })
            .unwrap_or(0)
    }

    /// The node shown at or after a line (before it, at the very end).
    #[must_use]
    pub fn node_at(&self, line: usize) -> Option<NodeRef> {
        self.lines
            .get(line..)
            .and_then(|rest| rest.iter().find_map(|l| self.table.node(l)))
            .or_else(|| self.lines.iter().rev().find_map(|l| self.table.node(l)))
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

/// Equal when the lines are the same records (however each table numbers its wide lines)
/// and everything else is equal.
impl PartialEq for Layout {
    fn eq(&self, other: &Self) -> bool {
        self.width == other.width
            && self.opts == other.opts
            && self.lines.len() == other.lines.len()
            && self
                .lines
                .iter()
                .zip(&other.lines)
                .all(|(a, b)| self.table.record(a) == other.table.record(b))
            && self.starts == other.starts
            && self.doc_starts == other.doc_starts
            && self.chars_before == other.chars_before
            && self.total_chars == other.total_chars
            && self.next == other.next
            && self.begin == other.begin
            && self.head == other.head
    }
}

impl Eq for Layout {}

/// The first line of each node laid out: for each document, a line number for each node
/// (`NONE` for one not laid out), 4 bytes a node where a table of pairs took 25.
#[derive(Debug, Clone, Default)]
struct Starts(Vec<Vec<u32>>);

impl Starts {
    fn get(&self, r: NodeRef) -> Option<usize> {
        let s = *self.0.get(r.doc)?.get(r.node)?;
        (s != NONE).then_some(s as usize)
    }

    /// Records a node's first line (the first recorded stays).
    fn set(&mut self, r: NodeRef, line: usize) {
        if self.0.len() <= r.doc {
            self.0.resize_with(r.doc + 1, Vec::new);
        }
        let doc = &mut self.0[r.doc];
        if doc.len() <= r.node {
            doc.resize(r.node + 1, NONE);
        }
        if doc[r.node] == NONE {
            doc[r.node] = to_u32(line);
        }
    }

    /// Adds `other`'s starts, `shift` lines further down.
    fn append(&mut self, other: &Starts, shift: usize) {
        for (d, doc) in other.0.iter().enumerate() {
            for (n, &s) in doc.iter().enumerate() {
                if s != NONE {
                    self.set(NodeRef { doc: d, node: n }, s as usize + shift);
                }
            }
        }
        for doc in &mut self.0 {
            doc.shrink_to_fit();
        }
    }

    /// Every start `by` lines further down.
    fn shift(&mut self, by: usize) {
        for s in self.0.iter_mut().flatten() {
            if *s != NONE {
                *s = to_u32(*s as usize + by);
            }
        }
    }

    fn iter(&self) -> impl Iterator<Item = (NodeRef, usize)> + '_ {
        self.0.iter().enumerate().flat_map(|(d, doc)| {
            doc.iter()
                .enumerate()
                .filter(|&(_, &s)| s != NONE)
                .map(move |(n, &s)| (NodeRef { doc: d, node: n }, s as usize))
        })
    }

    fn heap_bytes(&self) -> usize {
        self.0.capacity() * std::mem::size_of::<Vec<u32>>()
            + self.0.iter().map(|d| d.capacity() * 4).sum::<usize>()
    }
}

/// Equal when the same nodes start at the same lines (however far each table was sized).
impl PartialEq for Starts {
    fn eq(&self, other: &Self) -> bool {
        self.iter().eq(other.iter())
    }
}

impl Eq for Starts {}

/// The rule line where document `d` begins after another: `── cri ·
/// 「カウンターランサムウェア・イニシアティブ会合」への参加 ────`, filled to the width (the title
/// cut short with an ellipsis when it does not fit; `-` instead of `─` in ASCII). It belongs to
/// no node.
fn boundary(d: usize) -> Record {
    Record {
        doc: to_u32(d),
        roles: role_bits(Role::Meta) | role_bits(Role::Marker) << 4,
        ..Record::blank()
    }
}

/// The text of a document's rule line (see [`boundary`]).
fn boundary_span(doc: &Document, width: usize, opts: DisplayOptions) -> Span<'static> {
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
    Span {
        text: Cow::Owned(text),
        role: Role::Meta,
        src: Src::None,
    }
}

/// Lays out one node and everything below it, as the reading pane shows them.
#[must_use]
pub fn lay_out_subtree(corpus: &Corpus, r: NodeRef, width: usize, opts: DisplayOptions) -> Lines {
    let doc = &corpus.documents[r.doc];
    let mut indices = Vec::new();
    collect(doc, r.node, &mut indices);
    lines_of(corpus, r.doc, &indices, width, opts)
}

/// Lays out a whole document.
#[must_use]
pub fn lay_out_document(corpus: &Corpus, d: usize, width: usize, opts: DisplayOptions) -> Lines {
    let all: Vec<usize> = (0..corpus.documents[d].nodes.len()).collect();
    lines_of(corpus, d, &all, width, opts)
}

/// Lays out nodes of document `d` on their own.
fn lines_of(
    corpus: &Corpus,
    d: usize,
    indices: &[usize],
    width: usize,
    opts: DisplayOptions,
) -> Lines {
    let mut out = Lines {
        lines: Vec::new(),
        width,
        opts,
        table: Table::default(),
    };
    out.table.count_bases(corpus);
    let mut sink = Sink {
        lines: &mut out.lines,
        table: &mut out.table,
    };
    lay_out_nodes(&corpus.documents[d], d, indices, width, opts, &mut sink);
    out
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
    lines: &mut Sink,
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
    lines: &mut Sink,
) {
    let node = &doc.nodes[idx];
    let look = look_of(node.kind);
    let together = look.group.is_some() && prev.and_then(|p| look_of(p).group) == look.group;
    if prev.is_some() && !together {
        lines.push(&Record::blank());
    }
    let mut block = Block {
        node: NodeRef { doc: d, node: idx },
        indent: look.indent_per_level * list_depth(doc, idx),
        marker: if look.marker { node.marker() } else { "" },
        marker_role: look.marker_role,
        role: look.role,
    };
    let shown = NodeText::new(&node.text, opts);
    let mut at = SrcCursor::default();
    let Some((rest_indent, rest_role)) = look.split else {
        block.lay_out(&shown, 0, &shown.chars, width, opts, &mut at, lines);
        return;
    };
    let mut start = 0;
    for (k, piece) in shown.chars.split(|&c| c == '\n').enumerate() {
        if k == 1 {
            block.indent = rest_indent;
            block.role = rest_role;
        }
        block.lay_out(&shown, start, piece, width, opts, &mut at, lines);
        start += piece.len() + 1;
    }
}

/// A node's text as it is shown: the characters, and for each the source character it shows
/// (kept only when some character is not shown as itself: a real document's text never is).
struct NodeText<'a> {
    text: &'a str,
    chars: Vec<char>,
    /// Empty when shown character `k` is source character `k` for every `k`.
    src: Vec<usize>,
    identity: bool,
}

impl<'a> NodeText<'a> {
    fn new(text: &'a str, opts: DisplayOptions) -> Self {
        let mut chars = Vec::with_capacity(text.len());
        let mut src = Vec::new();
        let mut identity = true;
        for (i, c) in text.chars().enumerate() {
            if identity && shows_as_itself(c, opts) {
                chars.push(c);
                continue;
            }
            if identity {
                identity = false;
                src.extend(0..chars.len());
            }
            push_shown(c, opts, &mut |s| {
                chars.push(s);
                src.push(i);
            });
        }
        NodeText {
            text,
            chars,
            src,
            identity,
        }
    }

    /// The source character shown character `k` shows, and how many shown characters of it
    /// come before `k`.
    fn source_of(&self, k: usize) -> (usize, usize) {
        if self.identity {
            return (k, 0);
        }
        let s = self.src[k];
        let skip = self.src[..k].iter().rev().take_while(|&&x| x == s).count();
        (s, skip)
    }
}

/// A walk through a node's text from character to byte offsets, forward only (lines come in
/// order).
#[derive(Debug, Default)]
struct SrcCursor {
    char: usize,
    byte: usize,
}

impl SrcCursor {
    /// The byte offset of character `target` of `text`.
    fn byte_of(&mut self, text: &str, target: usize) -> usize {
        if target < self.char {
            *self = SrcCursor::default();
        }
        for c in text[self.byte..].chars() {
            if self.char >= target {
                break;
            }
            self.char += 1;
            self.byte += c.len_utf8();
        }
        self.byte
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
    /// A line of the node showing marker characters `marker` and the shown characters
    /// `text` (absolute in the node's shown text).
    #[allow(clippy::too_many_arguments)]
    fn line(
        &self,
        shown: &NodeText,
        indent: usize,
        marker: std::ops::Range<usize>,
        text: std::ops::Range<usize>,
        at: &mut SrcCursor,
    ) -> Record {
        let (src_char, skip, src_end) = if text.is_empty() {
            (0, 0, 0)
        } else {
            let (first, skip) = shown.source_of(text.start);
            let (last, _) = shown.source_of(text.end - 1);
            (first, skip, last + 1)
        };
        let src_byte = if text.is_empty() {
            marker.end
        } else {
            at.byte_of(shown.text, src_char)
        };
        Record {
            doc: to_u32(self.node.doc),
            node: to_u32(self.node.node),
            src_char: to_u32(src_char),
            src_byte: to_u32(src_byte),
            src_end: to_u32(src_end),
            shown: to_u32(text.len()),
            marker_start: if marker.is_empty() {
                NONE
            } else {
                to_u32(marker.start)
            },
            indent: u16::try_from(indent).unwrap_or(u16::MAX),
            skip: u8::try_from(skip).unwrap_or(u8::MAX),
            roles: role_bits(self.role) | role_bits(self.marker_role) << 4,
        }
    }

    /// Lays out `piece` (the node's shown text, or a line of it, starting at shown character
    /// `offset`) with the marker hanging before it.
    #[allow(clippy::too_many_arguments)]
    fn lay_out(
        &self,
        shown: &NodeText,
        offset: usize,
        piece: &[char],
        width: usize,
        opts: DisplayOptions,
        at: &mut SrcCursor,
        lines: &mut Sink,
    ) {
        let width = width.min(MAX_WIDTH);
        let (marker, gap) = shown_marker(self.marker, opts);
        let marker_w = str_width(&marker) - gap;
        let head = marker.chars().count();
        // Too narrow for a hanging indent: the marker and the text flow as one.
        let base = if width >= self.indent + 8 {
            self.indent
        } else {
            0
        };
        let hang = base + marker_w + gap;
        if width < hang + 4 {
            let mut flat: Vec<char> = marker.chars().collect();
            flat.extend_from_slice(piece);
            for range in wrap(&flat, width, width) {
                let m = range.start.min(head)..range.end.min(head);
                let t = range.start.max(head) - head + offset..range.end.max(head) - head + offset;
                lines.push(&self.line(shown, 0, m, t, at));
            }
            return;
        }
        let ranges = wrap(piece, width - hang, width - hang);
        for (k, range) in ranges.into_iter().enumerate() {
            let (indent, m) = if k == 0 {
                (base, 0..head)
            } else {
                (hang, 0..0)
            };
            let t = range.start + offset..range.end + offset;
            lines.push(&self.line(shown, indent, m, t, at));
        }
    }
}

/// A node's marker as shown (`23.`, `VII.`, `・`), with the space that follows it unless it
/// ends with a full-width character (`・`, `：`); and that space's width (0 or 1).
fn shown_marker(marker: &str, opts: DisplayOptions) -> (String, usize) {
    let mut shown = crate::text::sanitize(marker, opts);
    let gap = usize::from(
        shown
            .chars()
            .last()
            .is_some_and(|c| crate::text::display::char_width(c) == 1),
    );
    if gap == 1 {
        shown.push(' ');
    }
    (shown, gap)
}

/// A node on one line: its number or marker and its text (the tree's rows, `outline`).
#[must_use]
pub fn node_label(corpus: &Corpus, r: NodeRef, opts: DisplayOptions) -> String {
    let node = corpus.node(r);
    let text = node.one_line();
    let head = match (node.label(), node.kind) {
        (Some(l), crate::corpus::NodeKind::Section) if node.marker().ends_with('.') => {
            format!("{l}.")
        }
        (Some(l), crate::corpus::NodeKind::Paragraph) => l.to_string(),
        _ => node.marker().to_string(),
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
        let text = lines.render(&c);
        assert!(text.plain(&lines.lines[0]).starts_with("23. 我々は、"));
        for l in &lines.lines[1..] {
            let plain = text.plain(l);
            assert!(
                plain.starts_with("    ") && !plain.starts_with("     "),
                "{plain:?}"
            );
            assert!(text.width_of(l) <= 40);
        }
    }

    #[test]
    fn node_starts_compare_by_what_they_hold() {
        let r = |doc, node| NodeRef { doc, node };
        let mut a = Starts::default();
        a.set(r(0, 2), 5);
        a.set(r(0, 2), 9);
        a.set(r(1, 0), 12);
        let mut b = Starts::default();
        b.set(r(1, 0), 12);
        b.set(r(0, 40), 1);
        assert_ne!(a, b);
        // A table sized further (for nodes not laid out) is the same table.
        let mut wide = Starts(vec![vec![NONE; 41]]);
        wide.set(r(0, 2), 5);
        wide.append(&Starts(vec![Vec::new(), vec![12]]), 0);
        assert_eq!(wide, a);
        assert_eq!(a.get(r(0, 2)), Some(5));
        assert_eq!(a.get(r(0, 1)), None);
        assert_eq!(a.get(r(7, 0)), None);
        assert_eq!(a.iter().collect::<Vec<_>>(), [(r(0, 2), 5), (r(1, 0), 12)]);
        let mut shifted = Starts::default();
        shifted.append(&a, 3);
        assert_eq!(shifted.get(r(1, 0)), Some(15));
    }

    #[test]
    fn lines_are_reserved_for_the_rest_of_the_text_once() {
        let c = load_embedded();
        let mut layout = Layout::partial(&c, 40, DisplayOptions::default(), 10);
        let want = layout.lines_to_come((0, 0));
        layout.finish(&c);
        assert!(
            want >= layout.lines.len(),
            "{want} for {}",
            layout.lines.len()
        );
        assert_eq!(layout.lines.capacity(), layout.lines.len());
        assert_eq!(layout, Layout::new(&c, 40, DisplayOptions::default()));
    }

    #[test]
    fn whole_corpus_fits_every_width() {
        let c = load_embedded();
        for w in [1, 2, 5, 10, 40, 80, 200] {
            let layout = Layout::new(&c, w, DisplayOptions::default());
            let text = layout.render(&c);
            for l in &layout.lines {
                assert!(
                    text.width_of(l) <= w.max(2),
                    "width {w}: {:?}",
                    text.plain(l)
                );
            }
        }
    }

    /// A record of a line showing text: document 1's node 3, 40 characters from character 10.
    fn text_line() -> Record {
        Record {
            doc: 1,
            node: 3,
            src_char: 10,
            src_byte: 30,
            src_end: 50,
            shown: 40,
            marker_start: NONE,
            indent: 4,
            skip: 0,
            roles: role_bits(Role::Body) | role_bits(Role::Marker) << 4,
        }
    }

    /// A record packed and read back, and whether it took the table of wide lines.
    fn round_trip(r: &Record) -> (Record, bool) {
        let mut table = Table::default();
        table.count_bases(&load_embedded());
        let mut lines = Vec::new();
        table.push(&mut lines, r);
        (table.record(&lines[0]), !table.wide.is_empty())
    }

    #[test]
    fn a_line_is_16_bytes() {
        assert_eq!(std::mem::size_of::<Line>(), 16);
    }

    #[test]
    fn a_line_of_real_text_is_packed() {
        for r in [
            text_line(),
            Record {
                marker_start: 0,
                roles: role_bits(Role::Heading) | role_bits(Role::Heading) << 4,
                indent: 255,
                shown: SHOWN_MAX,
                src_end: 10 + SHOWN_MAX,
                ..text_line()
            },
            Record::blank(),
            boundary(1),
        ] {
            assert_eq!(round_trip(&r), (r, false));
        }
    }

    /// The offsets of a line deep in a 64 MiB paragraph are kept in the line itself.
    #[test]
    fn a_line_far_into_a_huge_paragraph_is_packed() {
        let r = Record {
            src_char: 60 << 20,
            src_byte: 180 << 20,
            src_end: (60 << 20) + 40,
            ..text_line()
        };
        assert_eq!(round_trip(&r), (r, false));
    }

    #[test]
    fn an_indent_past_255_cells_is_kept_wide() {
        for indent in [256, 4000, u16::MAX] {
            let r = Record {
                indent,
                ..text_line()
            };
            assert_eq!(round_trip(&r), (r, true));
        }
    }

    /// A run of zero-width characters: thousands of shown characters on one line.
    #[test]
    fn a_line_of_thousands_of_characters_is_kept_wide() {
        for shown in [SHOWN_MAX + 1, 100_000, 64 << 20] {
            let r = Record {
                shown,
                src_end: 10 + shown,
                ..text_line()
            };
            assert_eq!(round_trip(&r), (r, true));
        }
    }

    /// A marker wrapped at a narrow width: the line starts at its eighth character or later.
    #[test]
    fn a_marker_starting_past_its_seventh_character_is_kept_wide() {
        for (start, wide) in [(6, false), (7, true), (300, true)] {
            let r = Record {
                marker_start: start,
                ..text_line()
            };
            assert_eq!(round_trip(&r), (r, wide), "{start}");
            let r = Record {
                src_char: 0,
                src_byte: start + 1,
                src_end: 0,
                shown: 0,
                marker_start: start,
                ..text_line()
            };
            assert_eq!(round_trip(&r), (r, wide), "{start} without text");
        }
    }

    /// Controls shown as two (`^[`) and characters not shown (a bidi override): a source span
    /// more than a few characters from the shown count.
    #[test]
    fn a_source_span_far_from_the_shown_count_is_kept_wide() {
        for (end, wide) in [(53, false), (54, true), (46, false), (45, true), (0, true)] {
            let r = Record {
                src_end: end,
                ..text_line()
            };
            assert_eq!(round_trip(&r), (r, wide), "{end}");
        }
    }

    #[test]
    fn a_line_starting_inside_a_shown_control_is_kept_wide() {
        let r = Record {
            skip: 1,
            ..text_line()
        };
        assert_eq!(round_trip(&r), (r, true));
    }

    #[test]
    fn a_marker_in_another_role_is_kept_wide() {
        let r = Record {
            roles: role_bits(Role::Body) | role_bits(Role::Note) << 4,
            ..text_line()
        };
        assert_eq!(round_trip(&r), (r, true));
    }

    /// Nodes are numbered across the corpus; an empty document shares its first number with
    /// the next, which holds the node.
    #[test]
    fn node_numbers_map_back_across_documents() {
        let c = load_embedded();
        let mut empty = c.documents[0].clone();
        empty.nodes.clear();
        empty.roots.clear();
        let corpus = Corpus {
            documents: vec![
                c.documents[0].clone(),
                empty.clone(),
                c.documents[1].clone(),
                empty,
            ],
        };
        let mut table = Table::default();
        table.count_bases(&corpus);
        for (d, doc) in corpus.documents.iter().enumerate() {
            for node in [0, doc.nodes.len().saturating_sub(1)] {
                if doc.nodes.is_empty() {
                    continue;
                }
                let r = NodeRef { doc: d, node };
                assert_eq!(table.node_ref(table.number(r)), Some(r));
            }
        }
        assert_eq!(table.node_ref(NONE), None);
        assert_eq!(Table::default().node_ref(0), None);
    }

    /// Every line of `layout` is the record it was made from, in order (its table logged them
    /// when it was laid out from the start).
    fn lines_are_their_records(made: &[Record], layout: &Layout) -> Result<(), String> {
        if made.len() != layout.lines.len() {
            return Err(format!(
                "{} lines for {} records",
                layout.lines.len(),
                made.len()
            ));
        }
        for (i, (l, r)) in layout.lines.iter().zip(made).enumerate() {
            if layout.table.record(l) != *r {
                return Err(format!(
                    "line {i}: {:?} made from {r:?}",
                    layout.table.record(l)
                ));
            }
        }
        Ok(())
    }

    /// A list nested `levels` deep, each item one space further in than the one before.
    fn deep_list(levels: usize) -> String {
        use std::fmt::Write as _;
        let mut out = String::new();
        for k in 0..levels {
            let _ = writeln!(out, "{}- 深{k}", " ".repeat(k));
        }
        out
    }

    fn hostile_piece() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        prop_oneof![
            "[ぁ-んァ-ヶ一-龠]{1,6}",
            "[A-Za-z]{1,12}",
            "[ \u{3000}\n]",
            "[\\x00-\\x1f\\x7f\\u{80}-\\u{9f}]{1,12}",
            "[\u{202a}-\u{202e}\u{2066}-\u{2069}\u{200b}-\u{200d}\u{ad}\u{feff}]{1,12}",
            "[\u{300}-\u{36f}]{1,20}",
            (1usize..9000).prop_map(|n| "\u{301}".repeat(n)),
            "[Ⅶ①…※→±°─]",
        ]
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

        /// Each line packed into 16 bytes reads back as the record it was made from, however
        /// hostile the text (zero-width runs, controls, bidi overrides, CJK, combining marks),
        /// the markers, the list depth or the width; a layout begun deeper and completed, or
        /// grown upwards, is made of the same records (its tables of wide lines joined).
        #[test]
        fn a_packed_line_is_the_record_it_was_made_from(
            body in proptest::collection::vec(hostile_piece(), 0..30),
            depth in 0usize..3,
            width in proptest::prop_oneof![1usize..=12, 13usize..=300, 60_000usize..=70_000],
            ascii in proptest::prelude::any::<bool>(),
            begin in 0usize..40,
            up in 1usize..30,
        ) {
            let body = body.concat();
            let opts = DisplayOptions { ascii };
            let deep = deep_list(depth * 70 + 1);
            let text = format!(
                "タイトル\n\n999999. {body}\n\n- {body}\n  - 項目\n\nⅦ. 見出し{body}\n\n{deep}\n(注1) {body}\n"
            );
            let doc = crate::corpus::parse_document("t", "t", &text);
            let mut empty = doc.clone();
            empty.nodes.clear();
            empty.roots.clear();
            let corpus = Corpus { documents: vec![doc.clone(), empty, doc] };
            let whole = Layout::new(&corpus, width, opts);
            lines_are_their_records(&whole.table.made, &whole).map_err(proptest::test_runner::TestCaseError::fail)?;
            let at = (begin % 3, begin / 3);
            let mut part = Layout::begin_at(&corpus, width, opts, at, 5, None);
            part.lay_out_before(&corpus, up);
            part.finish(&corpus);
            lines_are_their_records(&whole.table.made, &part).map_err(proptest::test_runner::TestCaseError::fail)?;
            for (d, doc) in corpus.documents.iter().enumerate() {
                for n in (0..doc.nodes.len()).step_by(3) {
                    let lines = lay_out_subtree(&corpus, NodeRef { doc: d, node: n }, width, opts);
                    for (i, l) in lines.lines.iter().enumerate() {
                        proptest::prop_assert_eq!(lines.table.record(l), lines.table.made[i]);
                    }
                }
            }
        }
    }

    /// The overflow paths end to end: a run of 10,000 combining marks on one line, a list
    /// 140 levels deep (indents past 255 cells), a paragraph number wrapped one cell a line.
    #[test]
    fn hostile_lines_are_kept_wide_and_drawn_the_same() {
        let deep = deep_list(140);
        let text = format!(
            "タイトル\n\n1. a{}b\n\n{deep}\n999999. 本文\n",
            "\u{301}".repeat(10_000)
        );
        let corpus = Corpus {
            documents: vec![crate::corpus::parse_document("t", "t", &text)],
        };
        for width in [1, 40, 400] {
            let layout = Layout::new(&corpus, width, DisplayOptions::default());
            assert!(!layout.table.wide.is_empty(), "width {width}");
            lines_are_their_records(&layout.table.made, &layout).expect("records");
            let render = layout.render(&corpus);
            let longest = layout
                .lines
                .iter()
                .map(|l| {
                    render
                        .spans(l)
                        .iter()
                        .map(|s| s.text.chars().count())
                        .sum::<usize>()
                })
                .max();
            assert!(longest >= Some(10_000), "width {width}: {longest:?}");
            if width == 400 {
                assert!(layout.lines.iter().any(|l| render.indent(l) > 255));
            }
        }
    }
}
