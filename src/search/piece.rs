//! The index is kept in pieces: runs of entries in corpus order, each with its own normalised
//! text, ids, labels, maps and character index. A piece never changes once built, so an index
//! being built can be searched while it grows: [`super::SearchIndex::build_in_pieces`] hands out
//! an index over the pieces built so far after each one (they are shared, not copied), and the
//! search over the first `k` pieces is the search of a corpus of their entries.
//!
//! Everything an entry keeps is a few integers (36 bytes) and ranges into its piece's strings:
//! no `String` per entry. The map back to the original characters is varint-encoded change
//! points, read only for the hits a search returns.

use super::chars::{self, CharIndex};
use super::normalize::Normalizer;
use super::{Sizes, Target};
use crate::corpus::NodeRef;

/// The first piece holds about this much original text, so that the first results come soon
/// after `/`; every piece after it twice the one before, up to [`PIECE_MAX`].
pub const PIECE_FIRST: usize = 256 << 10;
/// The largest piece, in bytes of original text (a piece is closed after the entry that
/// reaches it).
pub const PIECE_MAX: usize = 4 << 20;
/// Entries one piece holds at most: its character index keeps them as 16-bit numbers.
pub const PIECE_ENTRIES: usize = 1 << 16;

const NODE: u8 = 0;
const PARTICIPANT: u8 = 1;
const EXTRA: u8 = 2;
/// With [`NODE`]: the id is kept without the `doc:` before it (every node's id has it).
const PREFIXED: u8 = 4;

/// One searchable entry: where its strings end in its piece's (each begins where the entry
/// before it ends), and what it points at.
#[derive(Debug, Clone, Copy)]
pub(super) struct Entry {
    norm_end: u32,
    /// Normalised characters.
    pub chars: u32,
    id_end: u32,
    label_end: u32,
    map_end: u32,
    /// A node's document, or a participant row's or an extra's index.
    a: u32,
    /// A node's index in its document.
    b: u32,
    /// Index into `SearchIndex::docs`.
    pub doc: u32,
    kind: u8,
    /// 2 a document title, 1 a section or annex heading, 0 anything else.
    pub heading: u8,
}

/// An entry's map: the change points of the shift (`k`, shift) and of the widening (`k`,
/// widening).
pub(super) type Points = (Vec<(u32, i64)>, Vec<(u32, u32)>);

/// Where an entry's map is the identity, nothing is kept for it: an empty list of change
/// points means the same.
#[derive(Debug, Default)]
pub(super) struct Piece {
    text: String,
    entries: Vec<Entry>,
    ids: String,
    /// Normalised node labels (`23`, `vii`); empty for a node without one.
    labels: String,
    /// Change points, varint-encoded (see [`encode_map`]).
    maps: Vec<u8>,
    pub chars: Option<CharIndex>,
}

/// The bytes a piece takes, part by part (allocated capacity).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Bytes {
    pub text: usize,
    pub entries: usize,
    pub ids: usize,
    pub labels: usize,
    pub maps: usize,
    pub chars: usize,
}

impl Bytes {
    #[must_use]
    pub fn total(&self) -> usize {
        self.text + self.entries + self.ids + self.labels + self.maps + self.chars
    }

    pub fn add(&mut self, o: &Bytes) {
        self.text += o.text;
        self.entries += o.entries;
        self.ids += o.ids;
        self.labels += o.labels;
        self.maps += o.maps;
        self.chars += o.chars;
    }
}

fn prev<T>(v: &[T], i: usize, f: impl Fn(&T) -> u32) -> usize {
    i.checked_sub(1)
        .and_then(|j| v.get(j))
        .map_or(0, |e| f(e) as usize)
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl Piece {
    #[must_use]
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn entry(&self, i: usize) -> &Entry {
        &self.entries[i]
    }

    /// The entry's normalised text.
    pub fn hay(&self, i: usize) -> &str {
        let s = prev(&self.entries, i, |e| e.norm_end);
        let e = self.entries[i].norm_end as usize;
        self.text.get(s..e).unwrap_or("")
    }

    /// The id as kept: without `doc:` when [`Self::prefixed`].
    pub fn id_part(&self, i: usize) -> &str {
        let s = prev(&self.entries, i, |e| e.id_end);
        let e = self.entries[i].id_end as usize;
        self.ids.get(s..e).unwrap_or("")
    }

    /// Whether the id kept lacks the `doc:` before it.
    pub fn prefixed(&self, i: usize) -> bool {
        self.entries[i].kind & PREFIXED != 0
    }

    /// The entry's whole id (`g7:23`).
    pub fn id(&self, i: usize, docs: &[String]) -> String {
        let part = self.id_part(i);
        if self.prefixed(i) {
            let doc = docs
                .get(self.entries[i].doc as usize)
                .map_or("", String::as_str);
            format!("{doc}:{part}")
        } else {
            part.to_string()
        }
    }

    /// The node's normalised label (`""`: none, or not a node).
    pub fn label(&self, i: usize) -> &str {
        let s = prev(&self.entries, i, |e| e.label_end);
        let e = self.entries[i].label_end as usize;
        self.labels.get(s..e).unwrap_or("")
    }

    pub fn is_node(&self, i: usize) -> bool {
        self.entries[i].kind & 3 == NODE
    }

    pub fn target(&self, i: usize) -> Target {
        let e = &self.entries[i];
        match e.kind & 3 {
            NODE => Target::Node(NodeRef {
                doc: e.a as usize,
                node: e.b as usize,
            }),
            PARTICIPANT => Target::Participant(e.a as usize),
            _ => Target::Extra(e.a as usize),
        }
    }

    /// The entry's map: the change points of the shift and of the widening (see
    /// `SearchIndex::to_original`).
    pub fn map(&self, i: usize) -> Points {
        let s = prev(&self.entries, i, |e| e.map_end);
        let e = self.entries[i].map_end as usize;
        decode_map(self.maps.get(s..e).unwrap_or(&[]))
    }

    /// For every entry holding `needle` (`finder`'s), in order, `each(entry, n)` with the
    /// number of its non-overlapping occurrences there: what `finder.find_iter(hay).count()`
    /// gives entry by entry, in one scan of the piece's text (a match that runs from one entry
    /// into the next is none, and the scan goes on from the next entry's start).
    pub fn count_each(
        &self,
        finder: &memchr::memmem::Finder<'_>,
        mut each: impl FnMut(usize, usize),
    ) {
        let text = self.text.as_bytes();
        let len = finder.needle().len();
        if len == 0 {
            return;
        }
        let n = self.entries.len();
        let (mut at, mut j, mut count) = (0usize, 0usize, 0usize);
        'scan: while at < text.len() {
            for off in finder.find_iter(&text[at..]) {
                let s = at + off;
                while j < n && (self.entries[j].norm_end as usize) <= s {
                    if count > 0 {
                        each(j, count);
                        count = 0;
                    }
                    j += 1;
                }
                let Some(entry) = self.entries.get(j) else {
                    break 'scan;
                };
                let end = entry.norm_end as usize;
                if s + len > end {
                    if count > 0 {
                        each(j, count);
                        count = 0;
                    }
                    j += 1;
                    at = end;
                    continue 'scan;
                }
                count += 1;
            }
            break;
        }
        if count > 0 && j < n {
            each(j, count);
        }
    }

    /// What it takes, part by part.
    #[must_use]
    pub fn bytes(&self) -> Bytes {
        Bytes {
            text: self.text.capacity(),
            entries: self.entries.capacity() * std::mem::size_of::<Entry>(),
            ids: self.ids.capacity(),
            labels: self.labels.capacity(),
            maps: self.maps.capacity(),
            chars: self.chars.as_ref().map_or(0, CharIndex::bytes),
        }
    }
}

/// Builds pieces an entry at a time.
#[derive(Debug)]
pub(super) struct PieceBuilder {
    piece: Piece,
    chars: Option<chars::Builder>,
    nz: Normalizer,
    starts: Vec<u32>,
    ends: Vec<u32>,
    /// Original bytes in the piece so far, and how many close it.
    bytes: usize,
    budget: usize,
    sizes: Sizes,
}

impl PieceBuilder {
    /// With `chars`, each piece gets its character index.
    pub fn new(chars: bool, sizes: Sizes) -> Self {
        let mut b = PieceBuilder {
            piece: Piece::default(),
            chars: chars.then(|| chars::Builder::with_all_from(sizes.all_from)),
            nz: Normalizer::new(),
            starts: Vec::new(),
            ends: Vec::new(),
            bytes: 0,
            budget: sizes.first.max(1),
            sizes,
        };
        b.begin();
        b
    }

    fn begin(&mut self) {
        // Room for the piece's text at once: normalised text is about as long as the
        // original (the last entry may overshoot; the text is shrunk when the piece closes).
        self.piece
            .text
            .reserve_exact(self.budget + self.budget / 16);
    }

    /// Adds the next entry. `id` is kept without `doc:` when it starts with it.
    #[allow(clippy::too_many_arguments)]
    pub fn push(
        &mut self,
        target: Target,
        id: &str,
        doc: u32,
        doc_id: &str,
        text: &str,
        heading: u8,
        label: Option<&str>,
    ) {
        let p = &mut self.piece;
        let (mut kind, a, b) = match target {
            Target::Node(r) => (NODE, to_u32(r.doc), to_u32(r.node)),
            Target::Participant(i) => (PARTICIPANT, to_u32(i), 0),
            Target::Extra(i) => (EXTRA, to_u32(i), 0),
        };
        match id
            .strip_prefix(doc_id)
            .and_then(|r| r.strip_prefix(':'))
            .filter(|_| kind == NODE && !doc_id.contains(':'))
        {
            Some(local) => {
                kind |= PREFIXED;
                p.ids.push_str(local);
            }
            None => p.ids.push_str(id),
        }
        if let Some(label) = label.filter(|_| kind & 3 == NODE) {
            let l = self.nz.normalize(label).text;
            p.labels.push_str(&l);
        }
        let begin = p.text.len();
        self.starts.clear();
        self.ends.clear();
        let appended = self
            .nz
            .normalize_into(text, &mut p.text, &mut self.starts, &mut self.ends);
        if !appended.identity {
            encode_map(&mut p.maps, &self.starts, &self.ends);
        }
        if let Some(chars) = &mut self.chars {
            chars.push(&p.text[begin..]);
        }
        p.entries.push(Entry {
            norm_end: to_u32(p.text.len()),
            chars: to_u32(appended.chars),
            id_end: to_u32(p.ids.len()),
            label_end: to_u32(p.labels.len()),
            map_end: to_u32(p.maps.len()),
            a,
            b,
            doc,
            kind,
            heading,
        });
        self.bytes += text.len();
    }

    /// Whether the piece is as large as it is to be.
    pub fn is_full(&self) -> bool {
        self.bytes >= self.budget || self.piece.entries.len() >= PIECE_ENTRIES
    }

    /// Closes the piece (`None` when it is empty); the next is twice as large.
    pub fn seal(&mut self) -> Option<Piece> {
        if self.piece.entries.is_empty() {
            return None;
        }
        let mut piece = std::mem::take(&mut self.piece);
        piece.text.shrink_to_fit();
        piece.entries.shrink_to_fit();
        piece.ids.shrink_to_fit();
        piece.labels.shrink_to_fit();
        piece.maps.shrink_to_fit();
        piece.chars = self.chars.as_mut().map(chars::Builder::take);
        self.bytes = 0;
        self.budget = (self.budget * 2).min(self.sizes.max.max(1));
        self.begin();
        Some(piece)
    }
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push(u8::try_from(v & 0x7F).unwrap_or(0) | 0x80);
        v >>= 7;
    }
    out.push(u8::try_from(v).unwrap_or(0));
}

fn get_varint(bytes: &[u8], at: &mut usize) -> Option<u64> {
    let mut v = 0u64;
    let mut shift = 0;
    loop {
        let b = *bytes.get(*at)?;
        *at += 1;
        v |= u64::from(b & 0x7F).checked_shl(shift)?;
        if b & 0x80 == 0 {
            return Some(v);
        }
        shift += 7;
    }
}

/// One entry's map, run-length encoded: normalised character `k` came from original
/// characters `k + shift(k) .. k + shift(k) + 1 + widen(k)`, where `shift` and `widen` are the
/// values of the last change point at or before `k`. Written as the number of shift points,
/// then each as (`k` since the point before, the shift zigzag-encoded), then each widen point
/// as (`k` since the point before, the widening): a few bytes where a character or two was
/// left out.
fn encode_map(out: &mut Vec<u8>, starts: &[u32], ends: &[u32]) {
    let mut shifts: Vec<(u32, i64)> = Vec::new();
    let mut widens: Vec<(u32, u32)> = Vec::new();
    let (mut shift, mut extra) = (0i64, 0u32);
    for (k, (&s, &e)) in starts.iter().zip(ends).enumerate() {
        let kk = to_u32(k);
        let d = i64::from(s) - i64::from(kk);
        if d != shift {
            shift = d;
            shifts.push((kk, d));
        }
        let x = e.saturating_sub(s).saturating_sub(1);
        if x != extra {
            extra = x;
            widens.push((kk, x));
        }
    }
    put_varint(out, shifts.len() as u64);
    let mut last = 0u32;
    for (k, d) in shifts {
        put_varint(out, u64::from(k - last));
        put_varint(out, ((d << 1) ^ (d >> 63)).cast_unsigned());
        last = k;
    }
    let mut last = 0u32;
    for (k, x) in widens {
        put_varint(out, u64::from(k - last));
        put_varint(out, u64::from(x));
        last = k;
    }
}

fn decode_map(bytes: &[u8]) -> Points {
    let mut at = 0;
    let (mut shifts, mut widens) = (Vec::new(), Vec::new());
    let Some(n) = get_varint(bytes, &mut at) else {
        return (shifts, widens);
    };
    let mut k = 0u32;
    for _ in 0..n {
        let (Some(dk), Some(z)) = (get_varint(bytes, &mut at), get_varint(bytes, &mut at)) else {
            break;
        };
        k = k.saturating_add(u32::try_from(dk).unwrap_or(u32::MAX));
        let d = (z >> 1).cast_signed() ^ -(z & 1).cast_signed();
        shifts.push((k, d));
    }
    let mut k = 0u32;
    while at < bytes.len() {
        let (Some(dk), Some(x)) = (get_varint(bytes, &mut at), get_varint(bytes, &mut at)) else {
            break;
        };
        k = k.saturating_add(u32::try_from(dk).unwrap_or(u32::MAX));
        widens.push((k, u32::try_from(x).unwrap_or(u32::MAX)));
    }
    (shifts, widens)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    proptest::proptest! {
        /// One scan of a piece counts in each entry what a search of that entry alone counts,
        /// matches that run from one entry into the next counting for neither.
        #[test]
        fn one_scan_counts_what_each_entry_holds(
            texts in proptest::collection::vec("[abあ]{0,6}", 0..40),
            needle in "[abあ]{1,3}",
        ) {
            let mut b = PieceBuilder::new(true, Sizes::default());
            for (i, t) in texts.iter().enumerate() {
                b.push(Target::Extra(i), "x", 0, "x", t, 0, None);
            }
            let Some(piece) = b.seal() else { return Ok(()) };
            let finder = memchr::memmem::Finder::new(needle.as_bytes());
            let mut got = Vec::new();
            piece.count_each(&finder, |i, n| got.push((i, n)));
            let want: Vec<(usize, usize)> = (0..piece.len())
                .map(|i| (i, finder.find_iter(piece.hay(i).as_bytes()).count()))
                .filter(|&(_, n)| n > 0)
                .collect();
            proptest::prop_assert_eq!(got, want);
        }

        /// A map read back is the change points it was written from.
        #[test]
        fn a_map_reads_back(spans in proptest::collection::vec((0u32..5, 0u32..4), 0..60)) {
            let (mut starts, mut ends) = (Vec::new(), Vec::new());
            let mut at = 0u32;
            for (skip, width) in spans {
                at += skip;
                starts.push(at);
                ends.push(at + 1 + width);
                at += 1;
            }
            let mut bytes = Vec::new();
            encode_map(&mut bytes, &starts, &ends);
            let (shifts, widens) = decode_map(&bytes);
            for k in 0..starts.len() {
                let kk = u32::try_from(k).unwrap();
                let shift = shifts.iter().rev().find(|p| p.0 <= kk).map_or(0, |p| p.1);
                let widen = widens.iter().rev().find(|p| p.0 <= kk).map_or(0, |p| p.1);
                proptest::prop_assert_eq!(i64::from(kk) + shift, i64::from(starts[k]));
                proptest::prop_assert_eq!(starts[k] + 1 + widen, ends[k]);
            }
        }
    }
}
