//! The reading pane: all documents laid out continuously, scrolled like `less`. The layout is
//! computed when the width changes, never per frame.

use std::ops::Range;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::draw::put;
use super::effect::{Effect, Highlights, Jump};
use super::keymap::{Action, Context};
use super::theme::Theme;
use crate::corpus::{Corpus, NodeRef};
use crate::layout::{Layout, Line, Render, Role, Src};
use crate::places::Position;
use crate::text::display::DisplayOptions;

/// The reader's state.
#[derive(Debug, Clone)]
pub struct ReaderState {
    pub layout: Layout,
    /// The first line shown.
    pub top: usize,
    /// Rows in the pane.
    pub height: usize,
    /// Search matches to highlight, as character ranges into each node's text.
    pub highlights: Highlights,
    /// The last page down that the end of the text cut short (from, to): a page up from
    /// there returns to where it started, so Space then `b` always comes back.
    short_page: Option<(usize, usize)>,
    /// The position the top was last put at (a jump, a resize), with the top line and the
    /// width it was put at: while neither has changed, it is the reader's position, so a
    /// narrow layout in between does not round it to the start of a line (80 columns, then
    /// 40, then 80 again shows the same top). Any other move of the top forgets it.
    anchor: Option<(Position, usize, usize)>,
}

impl ReaderState {
    /// A reader with nothing laid out yet: the first [`relayout`](Self::relayout), when the
    /// width is known, lays the text out (once, not twice at start).
    #[must_use]
    pub fn new(opts: DisplayOptions) -> Self {
        ReaderState {
            layout: Layout::empty(opts),
            top: 0,
            height: 1,
            highlights: Highlights::new(),
            short_page: None,
            anchor: None,
        }
    }

    /// Lays the text out again for a new width or new display options, keeping the node at
    /// the top of the pane at the top.
    pub fn relayout(&mut self, corpus: &Corpus, width: usize, opts: DisplayOptions) {
        if self.layout.width == width && self.layout.opts == opts {
            self.finish_layout(corpus);
            return;
        }
        let at = self.position();
        // The old layout goes before the new one is made: two of a large file's at once
        // were its peak of memory.
        self.layout = Layout::empty(opts);
        self.layout = Layout::new(corpus, width, opts);
        self.set_position(at);
    }

    /// As [`relayout`](Self::relayout), for a large corpus: lays out only as far as the
    /// reader's place and a screen past it (nothing from `until` on, a node still being
    /// parsed); [`Layout::extend_until`] does the rest, a slice at a time.
    pub fn relayout_near(
        &mut self,
        corpus: &Corpus,
        width: usize,
        opts: DisplayOptions,
        until: Option<NodeRef>,
    ) {
        if self.layout.width == width && self.layout.opts == opts {
            self.clamp();
            return;
        }
        let at = self.position();
        self.layout = Layout::empty(opts);
        // Begun a screen before the reader's node, so that what is on screen and a screen
        // above it are there at once, however deep the reader is; what comes before is laid
        // out in slices and put in front (`lay_out_more`).
        let begin = at.map_or((0, 0), |p| {
            Layout::begin_before(
                corpus,
                width,
                opts,
                (p.node.doc, p.node.node),
                self.height + 1,
            )
        });
        self.layout = Layout::begin_at(corpus, width, opts, begin, 0, until);
        if let Some(r) = at.map(|p| p.node) {
            self.lay_out_through(corpus, r, until);
        }
        let more = self.layout.lines.len() + self.height + 1;
        self.layout.extend_until(corpus, more, until);
        self.set_position(at);
    }

    /// Lays out (if it is not yet) as far as node `r` and two screens past its start.
    pub fn lay_out_through(&mut self, corpus: &Corpus, r: NodeRef, until: Option<NodeRef>) {
        // Far from what is laid out (ahead of it, or before where a layout begun deeper
        // begins): the layout begins again a screen before the node.
        self.layout
            .lay_out_near(corpus, (r.doc, r.node), self.height + 1, until);
        while self.layout.start(r).is_none() {
            let before = (self.layout.lines.len(), self.layout.is_complete());
            let want = self.layout.lines.len() + 1024;
            self.layout.extend_until(corpus, want, until);
            if (self.layout.lines.len(), self.layout.is_complete()) == before {
                break;
            }
        }
        let start = self.layout.start(r).unwrap_or(0);
        self.layout
            .extend_until(corpus, start + 2 * self.height + 2, until);
    }

    /// Where the reader stands, in terms that survive a new layout: the node at the top and
    /// the first character of its text on the top line (see [`Position`]). `None` before
    /// anything is laid out.
    #[must_use]
    pub fn position(&self) -> Option<Position> {
        if let Some((at, top, width)) = self.anchor
            && (top, width) == (self.top, self.layout.width)
        {
            return Some(at);
        }
        Position::of_line(&self.layout, self.top)
    }

    /// Goes back to a [`position`](Self::position), in whatever layout there is now: the line
    /// that shows the same character at the top (the top of the text when the node is not
    /// laid out).
    pub fn set_position(&mut self, at: Option<Position>) {
        self.top = at.and_then(|p| p.line_in(&self.layout)).unwrap_or(0);
        self.clamp();
        self.anchor = at.map(|p| (p, self.top, self.layout.width));
    }

    /// Lays out only what a screen at the top shows, for the first frame; the rest is laid
    /// out by [`finish_layout`](Self::finish_layout) (or by any relayout).
    pub fn layout_first_screen(
        &mut self,
        corpus: &Corpus,
        width: usize,
        opts: DisplayOptions,
        until: Option<NodeRef>,
    ) {
        self.layout = Layout::partial_until(corpus, width, opts, self.height + 1, until);
        self.top = 0;
        self.anchor = None;
    }

    /// Lays out whatever the first screen did not need.
    pub fn finish_layout(&mut self, corpus: &Corpus) {
        let shift = self.layout.finish(corpus);
        self.moved_down(shift);
    }

    /// Lays out about `step` more lines (see [`Layout::work`]), the reader kept on the same
    /// text when the part before a layout begun deeper is put in front.
    pub fn lay_out_more(&mut self, corpus: &Corpus, step: usize) {
        let shift = self.layout.work(corpus, step);
        self.moved_down(shift);
    }

    /// The end of the text and a screen before it laid out, for `G` (see
    /// [`Layout::lay_out_end`]).
    pub fn lay_out_end(&mut self, corpus: &Corpus) {
        self.layout.lay_out_end(corpus, self.height + 1);
        self.clamp();
    }

    /// Before a key, in a large corpus laid out in slices: enough lines below the top for any
    /// move a key makes (a page, half a page, the next paragraph), and, in a layout begun
    /// deeper, as many above it, laid out at once and put in front (a screen's worth takes
    /// microseconds): a move up does what it would in the whole layout, while the rest of
    /// the text before is still laid out in slices. Nothing from `until` on is laid out.
    pub fn ready_for_move(&mut self, corpus: &Corpus, until: Option<NodeRef>) {
        let room = 3 * self.height + 2;
        self.room_above(corpus, room);
        self.layout
            .extend_until(corpus, self.top.saturating_add(room), until);
        // `{` and `}` go to the start of the node before or after the top's, however long
        // the nodes between are.
        let Some(cur) = self.current() else {
            return;
        };
        let laid_out =
            |r: &ReaderState, n: Option<NodeRef>| n.is_none_or(|n| r.layout.start(n).is_some());
        while self.layout.has_head() && !laid_out(self, neighbour(corpus, cur, false)) {
            self.room_above(corpus, self.top + self.height + 1);
        }
        while !laid_out(self, neighbour(corpus, cur, true)) {
            let before = self.layout.lines.len();
            self.layout
                .extend_until(corpus, before + self.height + 1, until);
            if self.layout.lines.len() == before {
                break;
            }
        }
    }

    /// At least `lines` lines above the top (or the start of the text), the layout begun
    /// deeper grown up at once.
    fn room_above(&mut self, corpus: &Corpus, lines: usize) {
        while self.top < lines && self.layout.has_head() {
            let shift = self.layout.lay_out_before(corpus, lines - self.top);
            if shift == 0 {
                break;
            }
            self.moved_down(shift);
        }
    }

    /// The lines moved down by `shift` (the part before them was put in front): the reader
    /// stays on the same text.
    fn moved_down(&mut self, shift: usize) {
        if shift == 0 {
            return;
        }
        self.top += shift;
        if let Some((_, top, _)) = &mut self.anchor {
            *top += shift;
        }
        if let Some((from, to)) = &mut self.short_page {
            *from += shift;
            *to += shift;
        }
    }

    /// The last line that scrolling may bring to the top.
    #[must_use]
    pub fn max_top(&self) -> usize {
        self.layout.lines.len().saturating_sub(self.height.max(1))
    }

    fn clamp(&mut self) {
        self.top = self.top.min(self.layout.lines.len().saturating_sub(1));
    }

    /// Scrolls by `delta` lines, stopping at either end. Never moves the other way: after the
    /// pane grew taller than what is left of the text, the top may stand past the last top
    /// a scroll could bring, and scrolling down then leaves it where it is.
    pub fn scroll(&mut self, delta: isize) {
        let max = self.max_top().max(self.top);
        self.top = self.top.saturating_add_signed(delta).min(max);
        self.anchor = None;
    }

    /// How far a page moves: the pane's height less one line, so the last line of one page
    /// is the first of the next and no line is ever skipped.
    #[must_use]
    pub fn page(&self) -> usize {
        self.height.saturating_sub(1).max(1)
    }

    /// Half a page.
    #[must_use]
    pub fn half_page(&self) -> usize {
        (self.height / 2).max(1)
    }

    /// A page down (`forward`) or up.
    pub fn page_by(&mut self, forward: bool) {
        let page = isize::try_from(self.page()).unwrap_or(1);
        let before = self.top;
        self.anchor = None;
        if forward {
            self.scroll(page);
            let full = before.saturating_add(self.page());
            self.short_page = (self.top != before && self.top < full).then_some((before, self.top));
        } else {
            match self.short_page.take() {
                Some((from, to)) if to == self.top => self.top = from,
                _ => self.scroll(-page),
            }
        }
    }

    /// Carries out an action of the `text` rows (whichever pane has focus) or the `reader`
    /// rows (the reader has focus).
    pub fn update(&mut self, context: Context, action: Action, corpus: &Corpus) -> Vec<Effect> {
        if action != Action::PageUp && action != Action::PageDown {
            self.short_page = None;
        }
        let half = isize::try_from(self.half_page()).unwrap_or(1);
        match (context, action) {
            (Context::Reader, Action::Open) => {
                return vec![Effect::Message(
                    "Enter does nothing in the text yet; Tab moves the keys to the tree".into(),
                )];
            }
            (Context::Reader, Action::Collapse | Action::Expand) => {
                return vec![Effect::Message(
                    "h l Left Right work in the tree: Tab moves the keys there (t shows it)".into(),
                )];
            }
            (_, Action::Down) => self.scroll(1),
            (_, Action::Up) => self.scroll(-1),
            (_, Action::HalfPageDown) => self.scroll(half),
            (_, Action::HalfPageUp) => self.scroll(-half),
            (_, Action::PageDown) => {
                let before = self.top;
                self.page_by(true);
                if self.top == before {
                    return vec![Effect::Message(
                        "the end of the text: b pages back, g goes to the top".into(),
                    )];
                }
            }
            (_, Action::PageUp) => self.page_by(false),
            // Jumps: the jump list remembers where they left.
            (_, Action::Top) => return vec![Effect::Jump(Jump::Top)],
            (_, Action::Bottom) => return vec![Effect::Jump(Jump::Bottom)],
            (_, Action::NextNode | Action::PrevNode) => {
                if let Some(s) = self.neighbour_start(action == Action::NextNode) {
                    self.top = s;
                    self.anchor = None;
                }
            }
            (_, Action::Copy | Action::CopyCited) => {
                let Some(r) = self.current() else {
                    return Vec::new();
                };
                let text = if action == Action::Copy {
                    crate::corpus::quote::plain(corpus, r)
                } else {
                    crate::corpus::quote::cited(corpus, r)
                };
                let text = crate::text::sanitize(&text, DisplayOptions::default());
                return vec![Effect::Copy {
                    text,
                    what: corpus.node(r).id.clone(),
                }];
            }
            (_, Action::Cancel) => {
                self.highlights.clear();
                return Vec::new();
            }
            _ => return Vec::new(),
        }
        vec![Effect::TextMoved]
    }

    pub fn to_top(&mut self) {
        // A layout begun deeper: its part from the start becomes the layout (what was laid
        // out after it is laid out again in slices).
        self.layout.lay_out_start();
        self.top = 0;
        self.anchor = None;
    }

    pub fn to_bottom(&mut self) {
        self.top = self.max_top();
        self.anchor = None;
    }

    /// Puts a node's first line at the top of the pane.
    pub fn show(&mut self, r: NodeRef) {
        if self.layout.start(r).is_some() {
            self.set_position(Some(Position::at(r)));
        }
    }

    /// Puts a document's first line at the top. In a layout begun deeper, the document's
    /// start and a screen above it are laid out at once, not the whole text before it.
    pub fn show_doc(&mut self, d: usize, corpus: &Corpus, until: Option<NodeRef>) {
        if d == 0 {
            self.to_top();
            return;
        }
        let first = NodeRef { doc: d, node: 0 };
        if corpus
            .documents
            .get(d)
            .is_some_and(|doc| !doc.nodes.is_empty())
        {
            self.lay_out_through(corpus, first, until);
            // Begun at the document's first node: its rule line, before it, is not laid out.
            while self.layout.has_head()
                && self
                    .layout
                    .start(first)
                    .is_some_and(|s| self.layout.doc_starts.get(d).is_none_or(|&rule| rule >= s))
            {
                let shift = self.layout.lay_out_before(corpus, self.height + 1);
                if shift == 0 {
                    break;
                }
                self.moved_down(shift);
            }
        }
        if let Some(&s) = self.layout.doc_starts.get(d) {
            self.top = s;
            self.anchor = None;
        }
    }

    /// The node at the top of the pane.
    #[must_use]
    pub fn current(&self) -> Option<NodeRef> {
        self.layout.node_at(self.top)
    }

    /// The next (or previous) node start after (before) the top line.
    #[must_use]
    pub fn neighbour_start(&self, forward: bool) -> Option<usize> {
        let cur = self.current();
        let mut starts: Vec<usize> = self
            .layout
            .starts()
            .filter(|&(r, _)| Some(r) != cur)
            .map(|(_, s)| s)
            .collect();
        starts.sort_unstable();
        if forward {
            starts.into_iter().find(|&s| s > self.top)
        } else {
            starts.into_iter().rev().find(|&s| s < self.top)
        }
    }

    /// How far through the text the pane is, in percent: the characters of text on and above
    /// its last line against all of them (100 once the end of the text is on screen).
    #[must_use]
    pub fn percent(&self) -> usize {
        let end = self.top + self.height;
        let total = self.layout.total_chars();
        if total == 0 || (self.layout.is_complete() && end >= self.layout.lines.len()) {
            return 100;
        }
        (self.layout.chars_through(end) * 100 / total).min(100)
    }
}

/// The node before (or after) `r` in reading order, across documents.
fn neighbour(corpus: &Corpus, r: NodeRef, forward: bool) -> Option<NodeRef> {
    let docs = &corpus.documents;
    if forward {
        if r.node + 1 < docs.get(r.doc)?.nodes.len() {
            return Some(NodeRef {
                node: r.node + 1,
                ..r
            });
        }
        (r.doc + 1..docs.len())
            .find(|&d| !docs[d].nodes.is_empty())
            .map(|doc| NodeRef { doc, node: 0 })
    } else {
        if r.node > 0 {
            return Some(NodeRef {
                node: r.node - 1,
                ..r
            });
        }
        (0..r.doc).rev().find_map(|d| {
            docs[d]
                .nodes
                .len()
                .checked_sub(1)
                .map(|node| NodeRef { doc: d, node })
        })
    }
}

/// Splits a span's characters into runs that are or are not inside `ranges` (source offsets).
fn split_matches<'a>(text: &'a str, src: &Src, ranges: &[Range<usize>]) -> Vec<(&'a str, bool)> {
    if ranges.is_empty() || src.is_empty() {
        return vec![(text, false)];
    }
    let mut out = Vec::new();
    let mut start_byte = 0;
    let mut state = None;
    for (k, (b, _)) in text.char_indices().enumerate() {
        let inside = src
            .get(k)
            .is_some_and(|s| ranges.iter().any(|r| r.contains(&s)));
        if state != Some(inside) {
            if let Some(prev) = state
                && b > start_byte
            {
                out.push((&text[start_byte..b], prev));
            }
            start_byte = b;
            state = Some(inside);
        }
    }
    out.push((&text[start_byte..], state.unwrap_or(false)));
    out
}

#[allow(clippy::too_many_arguments)]
fn draw_line(
    text: Render,
    line: &Line,
    current: bool,
    highlights: Option<&Vec<Range<usize>>>,
    theme: &Theme,
    area: Rect,
    y: u16,
    buf: &mut Buffer,
) {
    let width = usize::from(area.width);
    let mut x = text.indent(line);
    for span in text.spans(line) {
        if x >= width {
            break;
        }
        let base = theme.role(span.role);
        let style = if current && span.role == Role::Marker {
            theme.current_marker()
        } else {
            base
        };
        let no_ranges = Vec::new();
        for (piece, hit) in split_matches(&span.text, &span.src, highlights.unwrap_or(&no_ranges)) {
            let s = if hit {
                style.patch(theme.matched())
            } else {
                style
            };
            let sx = area.x + u16::try_from(x).unwrap_or(u16::MAX);
            x += put(buf, sx, y, piece, width - x.min(width), s);
        }
    }
}

/// Draws the visible lines.
pub fn render(state: &ReaderState, corpus: &Corpus, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let current = state.current();
    let text = state.layout.render(corpus);
    for (row, line) in state
        .layout
        .lines
        .iter()
        .skip(state.top)
        .take(usize::from(area.height))
        .enumerate()
    {
        let y = area.y + u16::try_from(row).unwrap_or(0);
        let node = text.node(line);
        let is_current = node.is_some() && node == current;
        let hl = node.and_then(|n| state.highlights.get(&n));
        draw_line(text, line, is_current, hl, theme, area, y, buf);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::load_embedded;

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]
        /// A resize anywhere (the layout begun a screen before the reader's node, the rest
        /// laid out in slices and put in front): the reader's place survives, at once and once
        /// the pieces are joined, and its screen is the screen a fresh layout at that width
        /// gives for the same place.
        #[test]
        fn a_resize_anywhere_keeps_the_place_and_the_screen(
            start in 0usize..3000,
            from_w in 1usize..120,
            to_w in 1usize..120,
            height in 1usize..50,
            step in 1usize..2000,
        ) {
            let corpus = load_embedded();
            let opts = DisplayOptions::default();
            let mut r = ReaderState::new(opts);
            r.height = height;
            r.relayout(&corpus, from_w, opts);
            r.top = start.min(r.max_top());
            let at = r.position();
            let top = r.top;
            r.relayout_near(&corpus, to_w, opts, None);
            proptest::prop_assert_eq!(r.position(), at);
            if to_w == from_w {
                // Nothing to lay out again: the screen stays as it is, to the line (a top on
                // the blank line between two nodes too, which a fresh layout puts at the
                // next node).
                proptest::prop_assert_eq!(r.top, top);
                return Ok(());
            }
            let mut fresh = ReaderState::new(opts);
            fresh.height = height;
            fresh.relayout(&corpus, to_w, opts);
            fresh.set_position(at);
            let screen = |r: &ReaderState| r.layout.lines.iter().skip(r.top).take(r.height).map(|l| r.layout.record(l)).collect::<Vec<_>>();
            let first = screen(&r);
            proptest::prop_assert_eq!(&first, &screen(&fresh));
            while !r.layout.is_complete() {
                r.lay_out_more(&corpus, step);
                proptest::prop_assert_eq!(&screen(&r), &first);
            }
            proptest::prop_assert_eq!(r.position(), at);
            proptest::prop_assert_eq!(r.top, fresh.top);
            proptest::prop_assert_eq!(&r.layout, &fresh.layout);
        }
    }

    fn a_move() -> impl proptest::strategy::Strategy<Value = Action> {
        use proptest::prelude::Just;
        proptest::prop_oneof![
            Just(Action::Up),
            Just(Action::Down),
            Just(Action::HalfPageUp),
            Just(Action::HalfPageDown),
            Just(Action::PageUp),
            Just(Action::PageDown),
            Just(Action::PrevNode),
            Just(Action::NextNode),
        ]
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
        /// Any moves from a deep start (a far goto, the tree, a mark: the layout begun a screen
        /// before the node, the text before it laid out in slices between keys) are the same
        /// moves in the whole layout: the same screen, the same place, the same top once the
        /// lines before are counted; a move up never stops where the layout began.
        #[test]
        fn any_moves_from_a_deep_start_are_the_moves_in_the_whole_layout(
            doc in 0usize..2,
            at in 0usize..2000,
            width in 1usize..120,
            height in 1usize..40,
            moves in proptest::collection::vec((a_move(), 0usize..300), 0..40),
        ) {
            let corpus = load_embedded();
            let opts = DisplayOptions::default();
            let r = NodeRef { doc, node: at % corpus.documents[doc].nodes.len() };
            let mut whole = ReaderState::new(opts);
            whole.height = height;
            whole.relayout(&corpus, width, opts);
            whole.show(r);
            // As a large file's reader goes there: from its first screen.
            let mut deep = ReaderState::new(opts);
            deep.height = height;
            deep.layout = Layout::partial(&corpus, width, opts, height + 1);
            deep.lay_out_through(&corpus, r, None);
            deep.show(r);
            let screen = |r: &ReaderState| {
                r.layout.lines.iter().skip(r.top).take(r.height).map(|l| r.layout.record(l)).collect::<Vec<_>>()
            };
            let same = |deep: &ReaderState, whole: &ReaderState| -> Result<(), proptest::test_runner::TestCaseError> {
                proptest::prop_assert_eq!(screen(deep), screen(whole));
                proptest::prop_assert_eq!(deep.position(), whole.position());
                let (n, s) = deep.layout.starts().next().unwrap_or((r, 0));
                proptest::prop_assert_eq!(deep.top + (whole.layout.start(n).unwrap_or(0) - s), whole.top);
                Ok(())
            };
            same(&deep, &whole)?;
            for (action, step) in moves {
                deep.ready_for_move(&corpus, None);
                whole.update(Context::Reader, action, &corpus);
                deep.update(Context::Reader, action, &corpus);
                same(&deep, &whole)?;
                if step > 0 {
                    deep.lay_out_more(&corpus, step);
                    same(&deep, &whole)?;
                }
            }
        }
    }

    /// Going to a document's start (`:cri`, its row in the tree) from a layout begun deeper:
    /// the screen of the whole layout, with its rule line at the top, and the text before
    /// still to be laid out in slices (it was all laid out at once, a freeze in a large file).
    #[test]
    fn a_documents_start_from_a_deep_start_without_the_text_before() {
        let corpus = load_embedded();
        let opts = DisplayOptions::default();
        let mut whole = ReaderState::new(opts);
        whole.height = 10;
        whole.relayout(&corpus, 50, opts);
        whole.show_doc(1, &corpus, None);
        let screen = |r: &ReaderState| {
            r.layout.lines[r.top..r.top + r.height]
                .iter()
                .map(|l| r.layout.record(l))
                .collect::<Vec<_>>()
        };
        let last = corpus.documents[1].nodes.len() - 1;
        // Begun at the document's last node, and at its first (the rule line before it not
        // laid out).
        for node in [last, 0] {
            let mut deep = ReaderState::new(opts);
            deep.height = 10;
            deep.layout = Layout::begin_at(&corpus, 50, opts, (1, node), 30, None);
            deep.show_doc(1, &corpus, None);
            assert_eq!(screen(&deep), screen(&whole), "begun at node {node}");
            assert!(deep.layout.has_head(), "the text before waits for slices");
            deep.finish_layout(&corpus);
            assert_eq!(deep.top, whole.top);
        }
    }

    /// The case the property above found (it compared the screen with a fresh layout's): a
    /// resize to the same width with the top on the blank line between two nodes. Nothing is
    /// laid out again and the top stays on that line; a fresh layout at the same place puts
    /// the next node at the top, one line on.
    #[test]
    fn a_resize_to_the_same_width_keeps_the_place() {
        let corpus = load_embedded();
        let opts = DisplayOptions::default();
        let mut r = ReaderState::new(opts);
        r.height = 1;
        r.relayout(&corpus, 72, opts);
        r.top = 479.min(r.max_top());
        assert!(
            r.layout.node_of(&r.layout.lines[r.top]).is_none(),
            "a blank line at the top"
        );
        let at = r.position();
        r.relayout_near(&corpus, 72, opts, None);
        assert_eq!(r.position(), at);
        assert_eq!(r.top, 479.min(r.max_top()));
    }

    /// `G` on a layout made only a little way from the start: the end is there at once, the
    /// screen the whole layout's last; `g` after it goes to the start with nothing to wait for.
    #[test]
    fn the_end_at_once_and_back_to_the_start() {
        let corpus = load_embedded();
        let opts = DisplayOptions::default();
        let mut whole = ReaderState::new(opts);
        whole.height = 20;
        whole.relayout(&corpus, 50, opts);
        whole.to_bottom();
        let mut r = ReaderState::new(opts);
        r.height = 20;
        r.layout = Layout::partial(&corpus, 50, opts, 30);
        r.lay_out_end(&corpus);
        r.to_bottom();
        assert!(r.layout.has_head(), "began again near the end");
        let screen = |r: &ReaderState| {
            r.layout.lines[r.top..]
                .iter()
                .map(|l| r.layout.record(l))
                .collect::<Vec<_>>()
        };
        assert_eq!(screen(&r), screen(&whole));
        r.lay_out_more(&corpus, 100);
        assert_eq!(screen(&r), screen(&whole));
        r.to_top();
        assert_eq!(r.top, 0);
        assert!(!r.layout.has_head());
        assert_eq!(
            r.position(),
            Some(Position::at(NodeRef { doc: 0, node: 0 }))
        );
        r.finish_layout(&corpus);
        assert_eq!(r.layout, whole.layout);
    }

    #[test]
    #[allow(clippy::single_range_in_vec_init)]
    fn splits_by_source_ranges() {
        let run = Src::Run { start: 0, len: 6 };
        let parts = split_matches("abcdef", &run, &[2..4]);
        assert_eq!(parts, vec![("ab", false), ("cd", true), ("ef", false)]);
        assert_eq!(
            split_matches("ab", &Src::None, &[0..1]),
            vec![("ab", false)]
        );
        // `^[` shows one source character as two: both are inside its match.
        let each = Src::from_indices(&[0, 1, 1, 2]);
        assert!(matches!(each, Src::Each(_)));
        assert_eq!(
            split_matches("a^[b", &each, &[1..2]),
            vec![("a", false), ("^[", true), ("b", false)]
        );
    }
}
