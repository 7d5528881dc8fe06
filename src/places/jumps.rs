//! The jump list, as a browser's history and vim's jump list: every jump records where the
//! reader was; back (`Ctrl-o`, Backspace) and forward (`Ctrl-i`) walk it; a new jump after
//! going back drops what was ahead. `''` (as in less) returns to where the last jump started.

use super::Position;

/// How many places the list keeps; the oldest go first.
pub const CAPACITY: usize = 100;

/// Where the reader has been.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JumpList {
    entries: Vec<Position>,
    /// Where the reader stands in `entries`; `entries.len()` when at the newest place (which
    /// is not stored until the reader goes back from it).
    cursor: usize,
    /// Where the last jump started, for `''`.
    previous: Option<Position>,
    capacity: usize,
}

impl Default for JumpList {
    fn default() -> Self {
        Self::with_capacity(CAPACITY)
    }
}

impl JumpList {
    /// An empty list that keeps at most `capacity` places (at least 2).
    #[must_use]
    pub fn with_capacity(capacity: usize) -> Self {
        JumpList {
            entries: Vec::new(),
            cursor: 0,
            previous: None,
            capacity: capacity.max(2),
        }
    }

    /// A jump is about to leave `from`: remember it. Places ahead of the reader (after going
    /// back) are dropped, as in a browser; the same place twice in a row is kept once.
    pub fn record(&mut self, from: Position) {
        self.entries.truncate(self.cursor);
        if self.entries.last() != Some(&from) {
            self.entries.push(from);
        }
        self.trim();
        self.cursor = self.entries.len();
        self.previous = Some(from);
    }

    /// Back from `here`: the place before it, or `None` at the oldest.
    pub fn back(&mut self, here: Position) -> Option<Position> {
        if self.cursor >= self.entries.len() {
            // Leaving the newest place: keep it, so that forward comes back to it.
            if self.entries.last() != Some(&here) {
                self.entries.push(here);
                self.trim();
            }
            self.cursor = self.entries.len() - 1;
        } else {
            // Where the reader scrolled to since arriving is where forward returns.
            self.entries[self.cursor] = here;
        }
        if self.cursor == 0 {
            return None;
        }
        self.cursor -= 1;
        self.previous = Some(here);
        Some(self.entries[self.cursor])
    }

    /// Forward from `here` again, after going back; `None` at the newest.
    pub fn forward(&mut self, here: Position) -> Option<Position> {
        if self.cursor + 1 >= self.entries.len() {
            return None;
        }
        self.entries[self.cursor] = here;
        self.cursor += 1;
        self.previous = Some(here);
        Some(self.entries[self.cursor])
    }

    /// Where the last jump (or step back or forward) started: `''` goes there. Going there is
    /// itself a jump, so `''` twice comes back.
    #[must_use]
    pub fn previous(&self) -> Option<Position> {
        self.previous
    }

    /// Every place, oldest first, and the index the reader stands at.
    #[must_use]
    pub fn entries(&self) -> (&[Position], usize) {
        (&self.entries, self.cursor)
    }

    /// How many places the list keeps.
    #[must_use]
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// Whether there is anywhere to go back to.
    #[must_use]
    pub fn can_go_back(&self) -> bool {
        self.cursor > 0
    }

    fn trim(&mut self) {
        while self.entries.len() > self.capacity {
            self.entries.remove(0);
            self.cursor = self.cursor.saturating_sub(1);
        }
    }
}
