//! Where the reader is and has been: positions in the text, the jump list (back and
//! forward), marks, and the small state file that keeps them across a restart.
//!
//! - [`Position`]: a node and a character offset in its text — the same text stays on screen
//!   when the layout changes width, because a position never counts lines;
//! - `jumps.rs`: the jump list (`Ctrl-o` / `Ctrl-i`, `''`, Backspace);
//! - `marks.rs`: `m` + letter, `'` + letter;
//! - `store.rs`: the state file in `$XDG_STATE_HOME/kaigi/`, written atomically, never fatal.

mod jumps;
mod marks;
mod store;

pub use jumps::JumpList;
pub use marks::Marks;
pub use store::{
    CURRENT_VERSION, MAX_RECENT, Opened, Saved, SavedPosition, StateError, Store, corpus_key,
    state_dir,
};

use crate::corpus::{Corpus, NodeRef};
use crate::layout::Layout;

/// A place in the text: a node and the index of the first character of its text that is shown
/// at the top of the screen (0 for the node's first line, marker included).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Position {
    pub node: NodeRef,
    pub offset: usize,
}

impl Position {
    /// The top of a node.
    #[must_use]
    pub fn at(node: NodeRef) -> Self {
        Position { node, offset: 0 }
    }

    /// The position a layout line shows: its node and the first character of the node's text
    /// on it. A blank line stands for the next node's start (or the last node, at the end).
    #[must_use]
    pub fn of_line(layout: &Layout, line: usize) -> Option<Self> {
        let Some(l) = layout.lines.get(line) else {
            return layout.node_at(line).map(Position::at);
        };
        let Some(node) = layout.node_of(l) else {
            return layout.node_at(line).map(Position::at);
        };
        let start = layout.start(node).unwrap_or(line);
        if start >= line {
            return Some(Position::at(node));
        }
        let offset = layout.first_src(l).unwrap_or(0);
        Some(Position { node, offset })
    }

    /// The layout line that shows this position: the line of the node holding the character
    /// at `offset` (the node's last line if the text is shorter now), or `None` when the node
    /// is not laid out.
    #[must_use]
    pub fn line_in(self, layout: &Layout) -> Option<usize> {
        let start = layout.start(self.node)?;
        if self.offset == 0 {
            return Some(start);
        }
        let mut best = start;
        for (i, l) in layout.lines.iter().enumerate().skip(start) {
            let node = layout.node_of(l);
            if node != Some(self.node) {
                // Blank lines inside a node's block are skipped, a new node ends it.
                if node.is_some() {
                    break;
                }
                continue;
            }
            let first = layout.first_src(l);
            match first {
                Some(f) if f <= self.offset => best = i,
                Some(_) => break,
                None => {}
            }
        }
        Some(best)
    }

    /// The first words of the text from this position, on one line: at most `max` characters
    /// (an ellipsis marks a cut), spaces and line breaks collapsed. For lists of marks.
    #[must_use]
    pub fn words(self, corpus: &Corpus, max: usize) -> String {
        let node = corpus.node(self.node);
        let mut out = String::new();
        let mut count = 0;
        let mut space = false;
        for c in node.text.chars().skip(self.offset) {
            if c.is_whitespace() {
                space = !out.is_empty();
                continue;
            }
            if count + usize::from(space) >= max {
                out.push('…');
                return out;
            }
            if space {
                out.push(' ');
                count += 1;
                space = false;
            }
            out.push(c);
            count += 1;
        }
        if out.is_empty() && self.offset == 0 {
            return node.marker().to_string();
        }
        out
    }

    /// The node's id and its place in reading order, for the state file.
    #[must_use]
    pub fn save(self, corpus: &Corpus) -> SavedPosition {
        let index = corpus
            .iter_nodes()
            .position(|(r, _)| r == self.node)
            .unwrap_or(0);
        SavedPosition {
            id: corpus.node(self.node).id.clone(),
            index,
            offset: self.offset,
        }
    }
}

impl SavedPosition {
    /// Finds the saved place again: by id; if no node has that id any more, the node at the
    /// same place in reading order (the nearest that exists), at its top; `None` only for an
    /// empty corpus.
    #[must_use]
    pub fn restore(&self, corpus: &Corpus) -> Option<Position> {
        if let Some(node) = corpus.find_id(&self.id) {
            let len = corpus.node(node).text.chars().count();
            return Some(Position {
                node,
                offset: self.offset.min(len),
            });
        }
        let count = corpus.iter_nodes().count();
        let index = self.index.min(count.checked_sub(1)?);
        corpus.iter_nodes().nth(index).map(|(r, _)| Position::at(r))
    }
}

#[cfg(test)]
mod tests;
