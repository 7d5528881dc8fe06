//! Which entries hold which characters: for every character of the normalised text, the
//! entries it occurs in (a sorted list, or a bitmap once that is smaller). A term can only
//! match, exactly or scattered, an entry that holds every character of one of its forms (with
//! one edit, all but one), so a search reads the text of those entries alone: on a large
//! file most entries are skipped without their text being touched.

/// A set of entries, as a bitmap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entries {
    words: Vec<u64>,
}

impl Entries {
    /// No entry of `n`.
    #[must_use]
    pub fn none(n: usize) -> Self {
        Entries {
            words: vec![0; n.div_ceil(64)],
        }
    }

    /// Every entry of `n`.
    #[must_use]
    pub fn all(n: usize) -> Self {
        let mut words = vec![u64::MAX; n.div_ceil(64)];
        if let Some(last) = words.last_mut()
            && !n.is_multiple_of(64)
        {
            *last = (1u64 << (n % 64)) - 1;
        }
        Entries { words }
    }

    #[inline]
    #[must_use]
    pub fn contains(&self, i: usize) -> bool {
        self.words
            .get(i / 64)
            .is_some_and(|w| (w >> (i % 64)) & 1 == 1)
    }

    fn insert(&mut self, i: usize) {
        if self.words.len() <= i / 64 {
            self.words.resize(i / 64 + 1, 0);
        }
        self.words[i / 64] |= 1 << (i % 64);
    }

    /// How many entries it holds.
    #[must_use]
    pub fn count(&self) -> usize {
        self.words.iter().map(|w| w.count_ones() as usize).sum()
    }

    /// Keeps only the entries also in `other`.
    pub fn and(&mut self, other: &Entries) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a &= b;
        }
    }

    /// Adds the entries of `other`.
    pub fn or(&mut self, other: &Entries) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a |= b;
        }
    }

    /// The entries, in order.
    pub fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.words.iter().enumerate().flat_map(|(k, &w)| {
            let mut w = w;
            std::iter::from_fn(move || {
                (w != 0).then(|| {
                    let b = w.trailing_zeros() as usize;
                    w &= w - 1;
                    k * 64 + b
                })
            })
        })
    }
}

/// The entries one character occurs in: a sorted list (in `CharIndex::lists`), a bitmap (in
/// `CharIndex::words`), or every entry (a character nearly every entry holds is not kept:
/// treating it as held by all only lets a few more entries be read, which the search then
/// rejects by their text).
#[derive(Debug, Clone, Copy)]
enum Posting {
    List { at: u32, len: u32 },
    Bits { at: u32 },
    All,
}

/// A character held by all but at most a 32nd of the entries counts as held by all
/// (in a piece of at least [`ALL_FROM`] entries: a small one keeps every character exactly).
const ALL_BUT: usize = 32;
pub const ALL_FROM: usize = 1024;

/// The entries every character occurs in (of at most 65,536 entries: one piece of the index,
/// see `piece.rs`).
#[derive(Debug, Clone, Default)]
pub struct CharIndex {
    entries: usize,
    /// Sorted, each with its posting.
    keys: Box<[char]>,
    postings: Box<[Posting]>,
    lists: Box<[u16]>,
    words: Box<[u64]>,
}

impl CharIndex {
    fn posting(&self, c: char) -> Option<Posting> {
        self.keys
            .binary_search(&c)
            .ok()
            .and_then(|i| self.postings.get(i).copied())
    }

    /// The entries (of those indexed) that `c` occurs in.
    #[must_use]
    pub fn with(&self, c: char) -> Entries {
        match self.posting(c) {
            None => Entries::none(self.entries),
            Some(Posting::All) => Entries::all(self.entries),
            Some(Posting::Bits { at }) => {
                let at = at as usize;
                let n = self.entries.div_ceil(64);
                Entries {
                    words: self.words.get(at..at + n).unwrap_or(&[]).to_vec(),
                }
            }
            Some(Posting::List { at, len }) => {
                let mut out = Entries::none(self.entries);
                let (at, len) = (at as usize, len as usize);
                for &e in self.lists.get(at..at + len).unwrap_or(&[]) {
                    out.insert(usize::from(e));
                }
                out
            }
        }
    }

    /// The entries that hold every one of `chars`.
    #[must_use]
    pub fn holding_all(&self, chars: &[char]) -> Entries {
        let mut out = Entries::all(self.entries);
        let mut seen: Vec<char> = Vec::new();
        for &c in chars {
            if !seen.contains(&c) {
                seen.push(c);
                if !matches!(self.posting(c), Some(Posting::All)) {
                    out.and(&self.with(c));
                }
            }
        }
        out
    }

    /// The entries that hold every one of `chars` but at most one (counted by position: a
    /// character twice in `chars` and missing is missing twice). Linear in `chars` (a pasted
    /// query may be long): the entries holding the characters before a position, and those
    /// holding the ones after it, are kept as running intersections.
    #[must_use]
    pub fn holding_all_but_one(&self, chars: &[char]) -> Entries {
        let n = self.entries;
        let each: Vec<Entries> = chars.iter().map(|&c| self.with(c)).collect();
        // after[i]: the entries holding every character from position i on.
        let mut after = vec![Entries::all(n); chars.len() + 1];
        for i in (0..chars.len()).rev() {
            let mut e = after[i + 1].clone();
            e.and(&each[i]);
            after[i] = e;
        }
        let mut out = if chars.is_empty() {
            Entries::all(n)
        } else {
            Entries::none(n)
        };
        let mut before = Entries::all(n);
        for (i, e) in each.iter().enumerate() {
            let mut skip = before.clone();
            skip.and(&after[i + 1]);
            out.or(&skip);
            before.and(e);
        }
        out
    }

    /// Bytes it takes (allocated).
    #[must_use]
    pub fn bytes(&self) -> usize {
        self.keys.len() * std::mem::size_of::<char>()
            + self.postings.len() * std::mem::size_of::<Posting>()
            + self.lists.len() * 2
            + self.words.len() * 8
    }
}

/// Builds a [`CharIndex`] an entry at a time; [`Builder::take`] hands it out and starts the
/// next (the scratch tables are kept).
#[derive(Debug)]
pub struct Builder {
    entries: u32,
    /// For characters of the Basic Multilingual Plane: the last entry seen holding it, plus
    /// one (0: none), and its posting's index plus one.
    seen: Vec<u32>,
    slot: Vec<u32>,
    /// Each character's entries, in order.
    postings: Vec<(char, Vec<u16>)>,
    /// The rest of Unicode.
    other: std::collections::HashMap<char, Vec<u16>>,
    /// From how many entries on a character nearly all hold counts as held by all.
    all_from: usize,
}

impl Default for Builder {
    fn default() -> Self {
        Builder::new(0)
    }
}

impl Builder {
    /// A builder for up to 65,536 entries at a time (`_expected` is a hint, unused).
    #[must_use]
    pub fn new(_expected: usize) -> Self {
        Self::with_all_from(ALL_FROM)
    }

    /// A builder that counts a character as held by all from `all_from` entries on.
    #[must_use]
    pub fn with_all_from(all_from: usize) -> Self {
        Builder {
            all_from,
            entries: 0,
            seen: vec![0; 0x1_0000],
            slot: vec![0; 0x1_0000],
            postings: Vec::new(),
            other: std::collections::HashMap::new(),
        }
    }

    /// Adds the next entry, whose normalised text is `text`. Entries past the 65,536th are
    /// counted as holding every character.
    pub fn push(&mut self, text: &str) {
        let e = self.entries;
        self.entries = self.entries.saturating_add(1);
        let Ok(local) = u16::try_from(e) else {
            return;
        };
        for c in text.chars() {
            let u = c as usize;
            if u < 0x1_0000 {
                if self.seen[u] == e + 1 {
                    continue;
                }
                self.seen[u] = e + 1;
                if self.slot[u] == 0 {
                    self.postings.push((c, Vec::new()));
                    self.slot[u] = u32::try_from(self.postings.len()).unwrap_or(u32::MAX);
                }
                if let Some((_, p)) = self.postings.get_mut(self.slot[u] as usize - 1) {
                    p.push(local);
                }
            } else {
                let l = self.other.entry(c).or_default();
                if l.last() != Some(&local) {
                    l.push(local);
                }
            }
        }
    }

    /// The index of the entries pushed since the last `take`; the builder starts again empty.
    pub fn take(&mut self) -> CharIndex {
        let n = self.entries as usize;
        let over = n > 0x1_0000;
        let mut all: Vec<(char, Vec<u16>)> = std::mem::take(&mut self.postings);
        all.extend(self.other.drain());
        for (c, _) in &all {
            let u = *c as usize;
            if u < 0x1_0000 {
                self.seen[u] = 0;
                self.slot[u] = 0;
            }
        }
        self.entries = 0;
        all.sort_unstable_by_key(|p| p.0);
        let words_each = n.div_ceil(64);
        let (mut lists_len, mut words_len) = (0usize, 0usize);
        let kind = |len: usize| {
            if over || len >= n || (n >= self.all_from && len + n / ALL_BUT >= n) {
                0 // every entry
            } else if len * 16 > words_each * 64 {
                1 // a bitmap is smaller
            } else {
                2
            }
        };
        for (_, l) in &all {
            match kind(l.len()) {
                1 => words_len += words_each,
                2 => lists_len += l.len(),
                _ => {}
            }
        }
        let mut keys = Vec::with_capacity(all.len());
        let mut postings = Vec::with_capacity(all.len());
        let mut lists = Vec::with_capacity(lists_len);
        let mut words = vec![0u64; words_len];
        let mut w = 0usize;
        for (c, l) in all {
            keys.push(c);
            postings.push(match kind(l.len()) {
                1 => {
                    for &e in &l {
                        words[w + usize::from(e) / 64] |= 1 << (e % 64);
                    }
                    let at = u32::try_from(w).unwrap_or(u32::MAX);
                    w += words_each;
                    Posting::Bits { at }
                }
                2 => {
                    let at = u32::try_from(lists.len()).unwrap_or(u32::MAX);
                    lists.extend_from_slice(&l);
                    Posting::List {
                        at,
                        len: u32::try_from(l.len()).unwrap_or(u32::MAX),
                    }
                }
                _ => Posting::All,
            });
        }
        CharIndex {
            entries: n,
            keys: keys.into_boxed_slice(),
            postings: postings.into_boxed_slice(),
            lists: lists.into_boxed_slice(),
            words: words.into_boxed_slice(),
        }
    }

    #[must_use]
    #[cfg(test)]
    pub fn finish(mut self) -> CharIndex {
        self.take()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(texts: &[&str]) -> CharIndex {
        // Expecting none: every character's list turns into a bitmap early.
        let mut b = Builder::new(texts.len() % 3);
        for t in texts {
            b.push(t);
        }
        b.finish()
    }

    #[test]
    fn finds_the_entries_holding_characters() {
        let ix = index(&["らんさむ", "さむらい", "abc", "", "😀a"]);
        assert_eq!(
            ix.holding_all(&['ら', 'む']).iter().collect::<Vec<_>>(),
            [0, 1]
        );
        assert_eq!(ix.holding_all(&['a']).iter().collect::<Vec<_>>(), [2, 4]);
        assert_eq!(ix.holding_all(&['😀']).iter().collect::<Vec<_>>(), [4]);
        assert_eq!(ix.holding_all(&[]).iter().count(), 5);
        assert_eq!(
            ix.holding_all_but_one(&['ら', 'ん', 'x'])
                .iter()
                .collect::<Vec<_>>(),
            [0]
        );
        assert_eq!(
            ix.holding_all_but_one(&['x', 'x', 'a']).iter().count(),
            0,
            "a character missing twice is two missing"
        );
    }

    proptest::proptest! {
        /// An entry is in `holding_all_but_one` exactly when it lacks at most one position's
        /// character.
        #[test]
        fn holding_all_but_one_is_one_missing_at_most(
            texts in proptest::collection::vec("[abcあ]{0,5}", 0..70),
            chars in proptest::collection::vec(proptest::sample::select(vec!['a', 'b', 'c', 'あ', 'z']), 0..6),
        ) {
            let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
            let ix = index(&refs);
            let got: Vec<usize> = ix.holding_all_but_one(&chars).iter().collect();
            let want: Vec<usize> = (0..texts.len())
                .filter(|&i| chars.iter().filter(|&&c| !texts[i].contains(c)).count() <= 1)
                .collect();
            proptest::prop_assert_eq!(got, want);
        }

        /// An entry is in `holding_all` exactly when it holds every character, whichever way
        /// each character's entries are kept.
        #[test]
        fn holding_all_is_every_character(
            texts in proptest::collection::vec("[abcあい😀]{0,6}", 0..80),
            chars in proptest::collection::vec(proptest::sample::select(vec!['a', 'b', 'c', 'あ', 'い', '😀', 'z']), 0..4),
        ) {
            let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
            let ix = index(&refs);
            let got: Vec<usize> = ix.holding_all(&chars).iter().collect();
            let want: Vec<usize> = (0..texts.len())
                .filter(|&i| chars.iter().all(|&c| texts[i].contains(c)))
                .collect();
            proptest::prop_assert_eq!(got, want);
        }
    }
}
