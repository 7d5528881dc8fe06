//! Which entries hold which characters: for every character of the normalised text, the
//! entries it occurs in (a sorted list, or a bitmap once that is smaller). A term can only
//! match, exactly or scattered, an entry that holds every character of one of its forms (with
//! one edit, all but one), so a search reads the text of those entries alone: on a large
//! file most entries are skipped without their text being touched.

use std::collections::HashMap;

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

/// The entries one character occurs in.
#[derive(Debug, Clone)]
enum Posting {
    List(Box<[u32]>),
    Bits(Entries),
}

/// The entries every character occurs in.
#[derive(Debug, Clone, Default)]
pub struct CharIndex {
    entries: usize,
    postings: HashMap<char, Posting>,
}

impl CharIndex {
    /// The entries (of those indexed) that `c` occurs in.
    #[must_use]
    pub fn with(&self, c: char) -> Entries {
        let mut out = Entries::none(self.entries);
        match self.postings.get(&c) {
            None => {}
            Some(Posting::Bits(b)) => out.or(b),
            Some(Posting::List(l)) => {
                for &e in l {
                    out.insert(e as usize);
                }
            }
        }
        out
    }

    /// The entries that hold every one of `chars`.
    #[must_use]
    pub fn holding_all(&self, chars: &[char]) -> Entries {
        let mut out = Entries::all(self.entries);
        let mut seen: Vec<char> = Vec::new();
        for &c in chars {
            if !seen.contains(&c) {
                seen.push(c);
                out.and(&self.with(c));
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

    /// Bytes it takes (about).
    #[must_use]
    pub fn bytes(&self) -> usize {
        self.postings
            .values()
            .map(|p| match p {
                Posting::List(l) => l.len() * 4 + 16,
                Posting::Bits(b) => b.words.len() * 8 + 24,
            })
            .sum::<usize>()
            + self.postings.len() * 8
    }
}

/// Builds a [`CharIndex`] an entry at a time.
#[derive(Debug)]
pub struct Builder {
    entries: u32,
    /// How many entries are coming: a character's list becomes a bitmap as soon as the bitmap
    /// is the smaller, so the lists never take much more than the index they make.
    expected: usize,
    /// For characters of the Basic Multilingual Plane: the last entry seen holding it, plus
    /// one (0: none), and its posting's index plus one.
    seen: Vec<u32>,
    slot: Vec<u32>,
    postings: Vec<(char, Growing)>,
    /// The rest of Unicode.
    other: HashMap<char, Growing>,
}

/// A posting being built.
#[derive(Debug)]
enum Growing {
    List(Vec<u32>),
    Bits(Entries),
}

impl Growing {
    /// Adds entry `e` (no smaller than any before).
    fn add(&mut self, e: u32, expected: usize) {
        match self {
            Growing::Bits(b) => b.insert(e as usize),
            Growing::List(l) => {
                if l.last() == Some(&e) {
                    return;
                }
                l.push(e);
                if l.len() * 32 > expected.max(64) {
                    let mut b = Entries::none(expected);
                    for &x in l.iter() {
                        b.insert(x as usize);
                    }
                    *self = Growing::Bits(b);
                }
            }
        }
    }

    fn finish(self, n: usize) -> Posting {
        match self {
            Growing::Bits(mut b) => {
                b.words.resize(n.div_ceil(64), 0);
                Posting::Bits(b)
            }
            Growing::List(l) => Posting::List(l.into_boxed_slice()),
        }
    }
}

impl Default for Builder {
    fn default() -> Self {
        Builder::new(0)
    }
}

impl Builder {
    /// A builder for about `expected` entries (more may come: they are kept all the same).
    #[must_use]
    pub fn new(expected: usize) -> Self {
        Builder {
            entries: 0,
            expected,
            seen: vec![0; 0x1_0000],
            slot: vec![0; 0x1_0000],
            postings: Vec::new(),
            other: HashMap::new(),
        }
    }

    /// Adds the next entry, whose normalised text is `text`.
    pub fn push(&mut self, text: &str) {
        let e = self.entries;
        self.entries = self.entries.saturating_add(1);
        let expected = self.expected;
        for c in text.chars() {
            let u = c as usize;
            if u < 0x1_0000 {
                if self.seen[u] == e + 1 {
                    continue;
                }
                self.seen[u] = e + 1;
                if self.slot[u] == 0 {
                    self.postings.push((c, Growing::List(Vec::new())));
                    self.slot[u] = u32::try_from(self.postings.len()).unwrap_or(u32::MAX);
                }
                if let Some((_, p)) = self.postings.get_mut(self.slot[u] as usize - 1) {
                    p.add(e, expected);
                }
            } else {
                self.other
                    .entry(c)
                    .or_insert_with(|| Growing::List(Vec::new()))
                    .add(e, expected);
            }
        }
    }

    #[must_use]
    pub fn finish(self) -> CharIndex {
        let n = self.entries as usize;
        let postings = self
            .postings
            .into_iter()
            .chain(self.other)
            .map(|(c, p)| (c, p.finish(n)))
            .collect();
        CharIndex {
            entries: n,
            postings,
        }
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
