//! The section tree: documents → sections → paragraphs (→ nested items), with expand and
//! collapse, a selection, and a render function.

use std::collections::HashSet;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::draw::put;
use super::effect::Effect;
use super::keymap::Action;
use super::theme::Theme;
use crate::corpus::{Corpus, NodeRef};
use crate::text::display::{DisplayOptions, sanitize, truncate};

/// What a tree row stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TreeKey {
    Doc(usize),
    Node(NodeRef),
}

/// One visible row. Its label is made when the row is drawn ([`label`]): a tree of ten
/// thousand rows (a 36 MB file) kept each one's as a string, 1.2 MB for the forty on screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub key: TreeKey,
    pub depth: usize,
    pub expandable: bool,
    pub expanded: bool,
}

/// What a row says: a document's title, or a node's label (`23. 我々は…`).
#[must_use]
pub fn label(corpus: &Corpus, key: TreeKey, opts: DisplayOptions) -> String {
    match key {
        TreeKey::Doc(d) => corpus
            .documents
            .get(d)
            .map_or_else(String::new, |doc| sanitize(&doc.title, opts)),
        TreeKey::Node(r) => crate::layout::node_label(corpus, r, opts),
    }
}

/// The tree's state: which rows are open, which is selected, where the view starts.
#[derive(Debug, Clone, Default)]
pub struct TreeState {
    pub expanded: HashSet<TreeKey>,
    pub rows: Vec<Row>,
    pub selected: usize,
    pub offset: usize,
}

fn children(corpus: &Corpus, key: TreeKey) -> Vec<TreeKey> {
    match key {
        TreeKey::Doc(d) => {
            let doc = &corpus.documents[d];
            doc.roots
                .iter()
                .filter(|&&i| !doc.nodes[i].kind.is_header())
                .map(|&i| TreeKey::Node(NodeRef { doc: d, node: i }))
                .collect()
        }
        TreeKey::Node(r) => corpus
            .node(r)
            .children
            .iter()
            .map(|&i| {
                TreeKey::Node(NodeRef {
                    doc: r.doc,
                    node: i,
                })
            })
            .collect(),
    }
}

impl TreeState {
    /// A tree with every document open.
    #[must_use]
    pub fn new(corpus: &Corpus) -> Self {
        let mut s = TreeState::default();
        for d in 0..corpus.documents.len() {
            s.expanded.insert(TreeKey::Doc(d));
        }
        s.rebuild(corpus);
        s
    }

    /// Recomputes the visible rows after expansion changed, keeping the selected key.
    pub fn rebuild(&mut self, corpus: &Corpus) {
        let keep = self.rows.get(self.selected).map(|r| r.key);
        let mut rows = Vec::new();
        for d in 0..corpus.documents.len() {
            self.push(corpus, TreeKey::Doc(d), 0, &mut rows);
        }
        self.rows = rows;
        if let Some(k) = keep
            && let Some(i) = self.rows.iter().position(|r| r.key == k)
        {
            self.selected = i;
        }
        self.selected = self.selected.min(self.rows.len().saturating_sub(1));
    }

    fn push(&self, corpus: &Corpus, key: TreeKey, depth: usize, rows: &mut Vec<Row>) {
        let kids = children(corpus, key);
        let expanded = self.expanded.contains(&key);
        rows.push(Row {
            key,
            depth,
            expandable: !kids.is_empty(),
            expanded,
        });
        if expanded {
            for k in kids {
                self.push(corpus, k, depth + 1, rows);
            }
        }
    }

    #[must_use]
    pub fn selected_key(&self) -> Option<TreeKey> {
        self.rows.get(self.selected).map(|r| r.key)
    }

    /// Moves the selection by `delta` rows, within bounds.
    pub fn move_by(&mut self, delta: isize) {
        let last = self.rows.len().saturating_sub(1);
        self.selected = self.selected.saturating_add_signed(delta).min(last);
    }

    /// `l`: opens the selected row.
    pub fn expand(&mut self, corpus: &Corpus) {
        if let Some(row) = self.rows.get(self.selected)
            && row.expandable
            && self.expanded.insert(row.key)
        {
            self.show_subtree(corpus, self.selected);
        }
    }

    /// `h`: closes the selected row, or when it is closed (or a leaf), selects its parent.
    pub fn collapse(&mut self, corpus: &Corpus) {
        let Some(row) = self.rows.get(self.selected).cloned() else {
            return;
        };
        if row.expanded {
            self.expanded.remove(&row.key);
            self.show_subtree(corpus, self.selected);
        } else if row.depth > 0
            && let Some(p) = self.rows[..self.selected]
                .iter()
                .rposition(|r| r.depth < row.depth)
        {
            self.selected = p;
        }
    }

    /// Selects the row of a node, opening its ancestors so that it is visible. Nodes the tree
    /// does not show (header lines) select their document.
    pub fn reveal(&mut self, corpus: &Corpus, r: NodeRef) {
        let doc = &corpus.documents[r.doc];
        let key = if doc.nodes[r.node].kind.is_header() {
            TreeKey::Doc(r.doc)
        } else {
            TreeKey::Node(r)
        };
        // The rows to open, outermost first: only the outermost one newly opened is shown
        // now (the others are inside it), so only its rows are made again.
        let mut opened = None;
        let mut open = |k: TreeKey| {
            if self.expanded.insert(k) && opened.is_none() {
                opened = Some(k);
            }
        };
        open(TreeKey::Doc(r.doc));
        if let TreeKey::Node(_) = key {
            let path = doc.path(r.node);
            for &a in &path[..path.len().saturating_sub(1)] {
                open(TreeKey::Node(NodeRef {
                    doc: r.doc,
                    node: a,
                }));
            }
        }
        if let Some(k) = opened {
            match self.rows.iter().position(|row| row.key == k) {
                Some(at) => self.show_subtree(corpus, at),
                None => self.rebuild(corpus),
            }
        }
        if let Some(i) = self.rows.iter().position(|row| row.key == key) {
            self.selected = i;
        }
    }

    /// After the row at `at` was opened or closed: its rows and those of what it contains are
    /// made again, in place, rather than every row of the tree (ten thousand at 36 MB, milliseconds
    /// at every move into another section). The selection stays on its row.
    fn show_subtree(&mut self, corpus: &Corpus, at: usize) {
        let Some(row) = self.rows.get(at) else {
            return;
        };
        let (key, depth) = (row.key, row.depth);
        // What the row shows now: the rows after it that are deeper.
        let end = self.rows[at + 1..]
            .iter()
            .position(|r| r.depth <= depth)
            .map_or(self.rows.len(), |p| at + 1 + p);
        let mut rows = Vec::new();
        self.push(corpus, key, depth, &mut rows);
        let (old, new) = (end - at, rows.len());
        self.rows.splice(at..end, rows);
        if self.selected >= end {
            self.selected = self.selected + new - old;
        } else if self.selected > at {
            // Inside what was closed: its row, as a rebuild would leave it when the
            // selected row is gone.
            self.selected = at;
        }
        self.selected = self.selected.min(self.rows.len().saturating_sub(1));
    }

    /// Carries out an action of the `tree` rows (the tree has focus). Moving the selection
    /// asks the reader to follow it.
    pub fn update(&mut self, action: Action, corpus: &Corpus) -> Vec<Effect> {
        match action {
            Action::Down => self.move_by(1),
            Action::Up => self.move_by(-1),
            Action::Top => self.selected = 0,
            Action::Bottom => self.selected = self.rows.len().saturating_sub(1),
            Action::Expand => {
                self.expand(corpus);
                return Vec::new();
            }
            Action::Collapse => self.collapse(corpus),
            Action::Open => return vec![Effect::TreeMoved, Effect::FocusReader],
            _ => return Vec::new(),
        }
        vec![Effect::TreeMoved]
    }

    /// After a resize: the scroll a fresh start at this size gives for the same rows and
    /// selection (the selection on the last row when it is below the first screen), so that
    /// it depends on what the tree shows and the size, not on the sizes it had before.
    pub fn scroll_afresh(&mut self, height: usize) {
        self.offset = 0;
        self.scroll_into_view(height);
    }

    /// Keeps the selection inside a view of `height` rows.
    pub fn scroll_into_view(&mut self, height: usize) {
        if height == 0 {
            return;
        }
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + height {
            self.offset = self.selected + 1 - height;
        }
        let max = self.rows.len().saturating_sub(height);
        self.offset = self
            .offset
            .min(max.max(self.selected.saturating_sub(height - 1)));
    }
}

/// Draws the tree into `area`.
pub fn render(
    state: &TreeState,
    corpus: &Corpus,
    focused: bool,
    theme: &Theme,
    area: Rect,
    buf: &mut Buffer,
) {
    let width = usize::from(area.width);
    for (i, row) in state
        .rows
        .iter()
        .enumerate()
        .skip(state.offset)
        .take(usize::from(area.height))
    {
        let y = area.y + u16::try_from(i - state.offset).unwrap_or(0);
        let indent = (2 * row.depth).min(width.saturating_sub(4));
        let sign = match (row.expandable, row.expanded) {
            (true, true) => "- ",
            (true, false) => "+ ",
            (false, _) => "  ",
        };
        let text = format!(
            "{}{sign}{}",
            " ".repeat(indent),
            label(corpus, row.key, theme.opts)
        );
        let text = truncate(&text, width, theme.opts);
        let selected = i == state.selected;
        let style = theme.tree_row(row.depth, selected, focused);
        if selected {
            put(buf, area.x, y, &" ".repeat(width), width, style);
        }
        put(buf, area.x, y, &text, width, style);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::load_embedded;
    use proptest::prelude::*;

    /// What a tree made again from scratch shows for the same open rows.
    fn fresh(s: &TreeState, corpus: &Corpus) -> TreeState {
        let mut f = s.clone();
        f.rebuild(corpus);
        f
    }

    proptest! {
        /// Opening, closing and revealing make again only the rows they change: the rows and
        /// the selected row are those of the whole tree made again.
        #[test]
        fn rows_made_in_place_are_the_rows_made_again(
            ops in prop::collection::vec((0u8..5, any::<usize>()), 1..40)
        ) {
            let corpus = load_embedded();
            let nodes: Vec<NodeRef> = corpus.iter_nodes().map(|(r, _)| r).collect();
            let mut s = TreeState::new(&corpus);
            for (op, n) in ops {
                match op {
                    0 => s.expand(&corpus),
                    1 => s.collapse(&corpus),
                    2 => s.reveal(&corpus, nodes[n % nodes.len()]),
                    _ => s.move_by(isize::try_from(n % 41).unwrap_or(0) - 20),
                }
                let f = fresh(&s, &corpus);
                prop_assert_eq!(&s.rows, &f.rows);
                prop_assert_eq!(s.selected_key(), f.selected_key());
            }
        }
    }

    #[test]
    fn revealing_a_node_in_a_closed_section_opens_it_and_selects_the_node() {
        let corpus = load_embedded();
        let mut s = TreeState::new(&corpus);
        let before = s.rows.len();
        let (r, _) = corpus
            .iter_nodes()
            .find(|(r, n)| corpus.documents[r.doc].path(r.node).len() > 2 && !n.kind.is_header())
            .expect("a nested node");
        s.reveal(&corpus, r);
        assert!(s.rows.len() > before);
        assert_eq!(s.selected_key(), Some(TreeKey::Node(r)));
        assert_eq!(s.rows, fresh(&s, &corpus).rows);
    }
}
