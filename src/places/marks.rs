//! Marks: `m` then a lower-case letter sets one at the current position, `'` then the letter
//! returns to it (as in less and vim).

use std::collections::BTreeMap;

use super::Position;

/// The marks set, by letter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Marks(BTreeMap<char, Position>);

impl Marks {
    /// Whether a character can name a mark: `a` to `z`.
    #[must_use]
    pub fn is_name(c: char) -> bool {
        c.is_ascii_lowercase()
    }

    /// Sets a mark; `false` (and nothing set) when the name is not a lower-case letter.
    pub fn set(&mut self, name: char, at: Position) -> bool {
        if !Self::is_name(name) {
            return false;
        }
        self.0.insert(name, at);
        true
    }

    #[must_use]
    pub fn get(&self, name: char) -> Option<Position> {
        self.0.get(&name).copied()
    }

    /// Every mark, in letter order.
    pub fn iter(&self) -> impl Iterator<Item = (char, Position)> + '_ {
        self.0.iter().map(|(&c, &p)| (c, p))
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    #[must_use]
    pub fn len(&self) -> usize {
        self.0.len()
    }
}
