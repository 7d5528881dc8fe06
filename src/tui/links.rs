//! Links in the reader: which one is selected, stepping through the links on screen (`>` and
//! `<`), following the selected one (Enter, as a jump the jump list can undo), and `n`/`N`
//! through every link of the text after following one. The links themselves are found by the
//! library ([`crate::refs`]): the whole text's ([`Refs`]), or on a large file, until those are
//! found, the nodes' on screen ([`refs::SeenLinks`]); this only chooses among those on screen.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::effect::{Effect, Jump, Steps};
use super::reader::ReaderState;
use super::theme::Theme;
use crate::corpus::{Corpus, NodeRef, Resolved};
use crate::refs::{self, NodeLinks, Refs};
use crate::search::{Wrap, step};

/// A link: its node and which of the node's links ([`NodeLinks::links`]: the same link in the
/// whole text's and in those found on screen).
pub type LinkId = (NodeRef, usize);

/// The reader's selected link.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LinkCursor {
    pub selected: Option<LinkId>,
}

/// The lines of the layout on screen.
fn screen(reader: &ReaderState) -> std::ops::Range<usize> {
    let len = reader.layout.lines.len();
    reader.top.min(len)..(reader.top + reader.height).min(len)
}

/// The nodes on screen, each once, in reading order: those whose links are drawn.
#[must_use]
pub fn nodes_on_screen(reader: &ReaderState) -> Vec<NodeRef> {
    let mut out: Vec<NodeRef> = Vec::new();
    for line in &reader.layout.lines[screen(reader)] {
        if let Some(node) = reader.layout.node_of(line)
            && !out.contains(&node)
        {
            out.push(node);
        }
    }
    out
}

/// The links drawn on screen, each once, in reading order.
#[must_use]
pub fn on_screen(known: &dyn NodeLinks, corpus: &Corpus, reader: &ReaderState) -> Vec<LinkId> {
    let lines = screen(reader);
    let mut out: Vec<LinkId> = Vec::new();
    let text = reader.layout.render(corpus);
    for p in refs::pieces(
        known,
        text,
        &reader.layout.lines[lines.clone()],
        lines.start,
    ) {
        if !out.contains(&(p.node, p.link)) {
            out.push((p.node, p.link));
        }
    }
    out
}

/// Every link of the text, in reading order: what `n` steps through after following one.
#[must_use]
pub fn every_link(refs: &Refs, corpus: &Corpus) -> Vec<LinkId> {
    corpus
        .iter_nodes()
        .flat_map(|(r, _)| (0..refs.links(r).len()).map(move |i| (r, i)))
        .collect()
}

/// `links hit BOTTOM, continuing at TOP`, as `n` says it for search results.
fn wrap_notice(w: Wrap) -> &'static str {
    match w {
        Wrap::ToTop => "links hit BOTTOM, continuing at TOP",
        Wrap::ToBottom => "links hit TOP, continuing at BOTTOM",
    }
}

/// A link for the status line, where it goes first so that a narrow line keeps it:
/// `→ g7:annex-I · Enter follows · 附属文書I`.
fn describe(known: &dyn NodeLinks, corpus: &Corpus, (node, i): LinkId) -> String {
    known.links(node).get(i).map_or_else(String::new, |l| {
        format!("→ {} · Enter follows · {}", l.target.id(corpus), l.text)
    })
}

impl LinkCursor {
    /// `>` (`forward`) or `<`: the next (previous) link on screen, wrapping around; from no
    /// selection (or one scrolled off), the first (last) on screen.
    pub fn step(
        &mut self,
        known: &dyn NodeLinks,
        corpus: &Corpus,
        reader: &ReaderState,
        forward: bool,
    ) -> Vec<Effect> {
        let links = on_screen(known, corpus, reader);
        let n = links.len();
        if n == 0 {
            self.selected = None;
            return vec![Effect::Message(
                "no link on screen (links are underlined)".into(),
            )];
        }
        let from = self
            .selected
            .and_then(|s| links.iter().position(|&l| l == s));
        let (next, wrapped) = match from {
            Some(p) => step(n, p, forward, |_| true).unwrap_or((p, None)),
            None if forward => (0, None),
            None => (n - 1, None),
        };
        self.selected = Some(links[next]);
        let mut msg = format!(
            "link {} of {n} on screen {}",
            next + 1,
            describe(known, corpus, links[next])
        );
        if let Some(w) = wrapped {
            msg = format!("{} — {msg}", wrap_notice(w));
        }
        vec![Effect::Message(msg)]
    }

    /// Enter in the reader: follows the selected link when it is on screen; with none
    /// selected, selects the first on screen (a second Enter follows it). `whole` is the
    /// whole text's links when they are there (what `n` then steps through).
    pub fn follow(
        &mut self,
        known: &dyn NodeLinks,
        whole: Option<&Refs>,
        corpus: &Corpus,
        reader: &ReaderState,
    ) -> Vec<Effect> {
        let links = on_screen(known, corpus, reader);
        match self.selected.filter(|s| links.contains(s)) {
            Some(link) => self.go(known, whole, corpus, link),
            None if links.is_empty() => vec![Effect::Message(
                "no link on screen to follow; Tab moves the keys to the tree".into(),
            )],
            None => self.step(known, corpus, reader, true),
        }
    }

    /// Follows a link: a jump (back returns), the note when the target is not all there, and
    /// from now on `n`/`N` step through the links of the text from this one (on a large
    /// file whose every link is not found yet, from this one once they are: `n` waits).
    fn go(
        &mut self,
        known: &dyn NodeLinks,
        whole: Option<&Refs>,
        corpus: &Corpus,
        link: LinkId,
    ) -> Vec<Effect> {
        let Some(l) = known.links(link.0).get(link.1) else {
            return Vec::new();
        };
        let f = refs::follow(corpus, l);
        let steps = match whole {
            Some(refs) => {
                let stops = every_link(refs, corpus);
                let index = stops.iter().position(|&s| s == link).unwrap_or(0);
                Steps::Links { stops, index }
            }
            None => Steps::LinksFrom(link),
        };
        self.selected = None;
        let jump = match f.to {
            Resolved::Node(r) => Jump::Node(r, None),
            Resolved::Document(d) => Jump::Document(d),
        };
        let msg = f.note.unwrap_or_else(|| {
            format!(
                "{} → {} · Ctrl-o comes back, n the next link",
                l.text,
                l.target.id(corpus)
            )
        });
        vec![
            Effect::StepThrough(steps),
            Effect::Jump(jump),
            Effect::Message(msg),
        ]
    }

    /// `n` or `N` after following a link: the reader goes to the next (previous) link of the
    /// text and selects it (Enter follows it). `None` when links are not what `n` steps
    /// through.
    pub fn step_stops(
        &mut self,
        steps: &mut Steps,
        refs: &Refs,
        corpus: &Corpus,
        forward: bool,
    ) -> Option<Vec<Effect>> {
        // A link followed before every link was found: they are here now, and `n` steps from
        // it among them (its id is the same in both).
        if let Steps::LinksFrom(link) = *steps {
            let stops = every_link(refs, corpus);
            let index = stops.iter().position(|&s| s == link).unwrap_or(0);
            *steps = Steps::Links { stops, index };
        }
        let Steps::Links { stops, index } = steps else {
            return None;
        };
        let n = stops.len();
        let Some((next, wrapped)) = step(n, *index, forward, |_| true) else {
            return Some(vec![Effect::Message("no links in the text".into())]);
        };
        *index = next;
        let link = stops[next];
        self.selected = Some(link);
        let mut msg = format!("link {} of {n} {}", next + 1, describe(refs, corpus, link));
        if let Some(w) = wrapped {
            msg = format!("{} — {msg}", wrap_notice(w));
        }
        Some(vec![
            Effect::Jump(Jump::Node(link.0, None)),
            Effect::Message(msg),
        ])
    }
}

/// Draws the links on screen in the theme's `link` style (by default underlined, so they are
/// seen without colour) and the selected one in `link-selected` (also in reverse video and
/// bold), over what the reader drew into `area`.
pub fn render(
    known: &dyn NodeLinks,
    corpus: &Corpus,
    cursor: LinkCursor,
    reader: &ReaderState,
    theme: &Theme,
    area: Rect,
    buf: &mut Buffer,
) {
    let lines = screen(reader);
    let text = reader.layout.render(corpus);
    let width = usize::from(area.width);
    for p in refs::pieces(
        known,
        text,
        &reader.layout.lines[lines.clone()],
        lines.start,
    ) {
        let (Ok(row), Ok(x)) = (
            u16::try_from(p.line - lines.start),
            u16::try_from(p.cells.start.min(width)),
        ) else {
            continue;
        };
        let end = u16::try_from(p.cells.end.min(width)).unwrap_or(area.width);
        let style = theme.link(cursor.selected == Some((p.node, p.link)));
        if row < area.height && end > x {
            buf.set_style(Rect::new(area.x + x, area.y + row, end - x, 1), style);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::app::{App, AppOptions, View};
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    fn app() -> App {
        let mut a = App::new(crate::corpus::load_embedded(), AppOptions::default());
        a.resize(80, 24);
        a
    }

    fn press(a: &mut App, code: KeyCode, mods: KeyModifiers) {
        a.handle_key(&KeyEvent::new(code, mods));
    }

    fn typed(a: &mut App, s: &str) {
        for c in s.chars() {
            press(a, KeyCode::Char(c), KeyModifiers::NONE);
        }
    }

    fn enter(a: &mut App) {
        press(a, KeyCode::Enter, KeyModifiers::NONE);
    }

    fn id(a: &App) -> String {
        a.current_node()
            .map(|r| a.corpus.node(r).id.clone())
            .unwrap_or_default()
    }

    fn selected_text(a: &App) -> Option<String> {
        let (node, i) = a.links.selected?;
        a.refs.as_ref()?.links(node).get(i).map(|l| l.text.clone())
    }

    #[test]
    fn links_on_screen_step_forward_and_back_and_wrap() {
        let mut a = app();
        // Tall enough for ¶29's annex I and ¶31's annex II.
        a.resize(80, 60);
        typed(&mut a, ":29");
        enter(&mut a);
        let refs = a.refs();
        let on = super::on_screen(&*refs, &a.corpus, &a.reader);
        assert!(on.len() >= 2, "{on:?}");
        typed(&mut a, ">");
        assert_eq!(a.links.selected, Some(on[0]));
        assert!(
            a.message
                .as_deref()
                .is_some_and(|m| m.starts_with("link 1 of")),
            "{:?}",
            a.message
        );
        typed(&mut a, ">");
        assert_eq!(a.links.selected, Some(on[1]));
        typed(&mut a, "<<");
        assert_eq!(
            a.links.selected,
            Some(on[on.len() - 1]),
            "wraps to the last"
        );
        assert!(
            a.message
                .as_deref()
                .is_some_and(|m| m.starts_with("links hit TOP"))
        );
        typed(&mut a, ">");
        assert_eq!(a.links.selected, Some(on[0]), "and back to the first");
        assert_eq!(id(&a), "g7:29", "stepping does not move the text");
    }

    #[test]
    fn no_link_on_screen_says_so() {
        let mut a = app();
        a.resize(80, 6);
        typed(&mut a, "g");
        let refs = a.refs();
        assert!(super::on_screen(&*refs, &a.corpus, &a.reader).is_empty());
        typed(&mut a, ">");
        assert_eq!(a.links.selected, None);
        assert!(
            a.message
                .as_deref()
                .is_some_and(|m| m.starts_with("no link on screen"))
        );
        enter(&mut a);
        assert!(
            a.message
                .as_deref()
                .is_some_and(|m| m.starts_with("no link on screen"))
        );
    }

    #[test]
    fn enter_follows_the_selected_link_and_ctrl_o_comes_back() {
        let mut a = app();
        typed(&mut a, ":29");
        enter(&mut a);
        // Enter with nothing selected selects the first link on screen: ¶29's annex I.
        enter(&mut a);
        assert_eq!(selected_text(&a).as_deref(), Some("附属文書I"));
        assert_eq!(id(&a), "g7:29");
        enter(&mut a);
        assert_eq!(id(&a), "g7:annex-I");
        assert_eq!(
            a.message.as_deref(),
            Some("annex I: only its title is in this text")
        );
        assert_eq!(a.links.selected, None);
        // n steps through the links of the text from the one followed.
        typed(&mut a, "n");
        assert!(
            a.message.as_deref().is_some_and(|m| m.starts_with("link ")),
            "{:?}",
            a.message
        );
        assert!(a.links.selected.is_some());
        press(&mut a, KeyCode::Char('o'), KeyModifiers::CONTROL);
        press(&mut a, KeyCode::Char('o'), KeyModifiers::CONTROL);
        assert_eq!(id(&a), "g7:29");
    }

    #[test]
    fn ctrl_close_bracket_follows_as_in_vim_help() {
        let mut a = app();
        typed(&mut a, ":29");
        enter(&mut a);
        typed(&mut a, ">");
        press(&mut a, KeyCode::Char(']'), KeyModifiers::CONTROL);
        assert_eq!(id(&a), "g7:annex-I");
    }

    #[test]
    fn the_index_narrows_and_an_entry_with_one_place_goes_there() {
        let mut a = app();
        typed(&mut a, "i");
        assert_eq!(a.view, View::Index);
        typed(&mut a, "icpa");
        let refs = a.refs();
        let state = a.index.clone().expect("the index is open");
        let first = &refs.index.entries[state.visible[0]];
        assert_eq!(first.term, "ICPA");
        assert!(
            first
                .expansion
                .as_deref()
                .is_some_and(|e| e.ends_with("国際センター"))
        );
        enter(&mut a);
        assert_eq!(a.view, View::Documents);
        assert_eq!(id(&a), "g7:7");
        // Back returns to where `i` was pressed.
        press(&mut a, KeyCode::Char('o'), KeyModifiers::CONTROL);
        assert_eq!(id(&a), "g7:title");
    }

    #[test]
    fn an_entry_with_several_places_lists_them() {
        let mut a = app();
        typed(&mut a, "i");
        let refs = a.refs();
        let (pos, e) = refs
            .index
            .narrow("")
            .into_iter()
            .enumerate()
            .find(|(_, e)| refs.index.entries[*e].mentions.len() > 1)
            .expect("an entry with several places");
        for _ in 0..pos {
            press(&mut a, KeyCode::Down, KeyModifiers::NONE);
        }
        enter(&mut a);
        assert_eq!(a.index.as_ref().and_then(|i| i.mentions), Some((e, 0)));
        assert_eq!(a.focus_name(), "places");
        typed(&mut a, "j");
        enter(&mut a);
        let want = refs.index.entries[e].mentions[1].node;
        assert_eq!(a.current_node(), Some(want));
        assert!(
            a.message
                .as_deref()
                .is_some_and(|m| m.starts_with("mention 2 of"))
        );
        // Esc in the list closes the places, then the view.
        typed(&mut a, "i");
        press(&mut a, KeyCode::Esc, KeyModifiers::NONE);
        assert_eq!(a.view, View::Documents);
    }

    #[test]
    fn the_cited_documents_in_date_order_and_enter_on_a_place() {
        let mut a = app();
        typed(&mut a, "R");
        assert_eq!(a.view, View::Cited);
        let refs = a.refs();
        let dates: Vec<_> = refs.citations.iter().filter_map(|c| c.date).collect();
        assert!(dates.windows(2).all(|w| w[0] <= w[1]), "{dates:?}");
        assert!(refs.citations.len() >= 9);
        // Down to the first place of the first document.
        typed(&mut a, "j");
        enter(&mut a);
        assert_eq!(a.view, View::Documents);
        assert_eq!(a.current_node(), Some(refs.citations[0].places[0].node));
        // `:refs` opens it too; `}` goes to the next document's row.
        typed(&mut a, ":refs");
        enter(&mut a);
        assert_eq!(a.view, View::Cited);
        typed(&mut a, "}");
        enter(&mut a);
        assert_eq!(a.current_node(), Some(refs.citations[1].places[0].node));
    }

    #[test]
    fn slash_in_the_cited_documents_searches_the_text() {
        // Found by trying it: `/` there opened the participants' narrowing.
        let mut a = app();
        typed(&mut a, "R/");
        assert_eq!(
            a.prompt.line.as_ref().map(|l| l.kind),
            Some(super::super::effect::LineKind::Search)
        );
        assert!(a.participants.is_none());
        press(&mut a, KeyCode::Tab, KeyModifiers::NONE);
        press(&mut a, KeyCode::Esc, KeyModifiers::NONE);
        typed(&mut a, "R");
        press(&mut a, KeyCode::Tab, KeyModifiers::NONE);
        assert_eq!(
            a.message.as_deref(),
            Some("this view has one pane; 1 goes back to the documents")
        );
    }

    #[test]
    fn the_goto_line_previews_where_enter_goes() {
        let mut a = app();
        typed(&mut a, ":3");
        assert_eq!(
            a.goto_preview.as_deref(),
            Some("→ g7:3 (G7内務・安全担当大臣コミュニケ) · also cri:3")
        );
        press(&mut a, KeyCode::Esc, KeyModifiers::NONE);
        typed(&mut a, ":annex-1");
        assert!(
            a.goto_preview
                .as_deref()
                .is_some_and(|p| p.contains("could be g7:annex-I or cri:annex-1"))
        );
        enter(&mut a);
        assert_eq!(id(&a), "g7:title", "an ambiguous entry goes nowhere");
        assert!(
            a.message
                .as_deref()
                .is_some_and(|m| m.contains("type one of them"))
        );
    }
}
