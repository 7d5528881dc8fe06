//! Drawing: one function that reads the state and fills the frame. No parsing, layout or
//! search happens here.

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use std::fmt::Write as _;

use super::app::{App, Focus, MIN_HEIGHT, MIN_WIDTH, View};
use super::draw::put;
use super::effect::LineKind;
use super::keymap::{Action, HintRank};
use super::participants::{self, ParticipantsState};
use super::theme::Named;
use super::{cited, help, index, links, places, reader, search, tree};
use crate::text::display::{DisplayOptions, sanitize, str_width, truncate};

/// Draws the whole screen, and puts the cursor where text is being typed.
pub fn render(app: &App, frame: &mut Frame) {
    let area = frame.area();
    if let Some((x, y)) = draw(app, area, frame.buffer_mut()) {
        frame.set_cursor_position((x, y));
    }
}

/// Draws the whole screen into a buffer (what `render` does, testable without a terminal).
/// Returns where the terminal's cursor belongs — the insertion point of the line being typed,
/// so an input method composes there — or `None` when it is to be hidden.
pub fn draw(app: &App, area: Rect, buf: &mut Buffer) -> Option<(u16, u16)> {
    if app.too_small() {
        let full = format!("terminal too small (need {MIN_WIDTH}x{MIN_HEIGHT})");
        let width = usize::from(area.width);
        let msg = if str_width(&full) <= width {
            full.as_str()
        } else {
            "too small"
        };
        put(
            buf,
            area.x,
            area.y,
            &truncate(msg, width, app.theme.opts),
            width,
            app.theme.message(),
        );
        return None;
    }
    let g = app.geometry();
    let searching = matches!(&app.prompt.line, Some(l) if l.kind == LineKind::Search);
    match (app.view, &app.participants) {
        _ if searching => {
            search_bar(app, g.bar, buf);
            let body = Rect::new(
                area.x,
                g.bar.y + 1,
                area.width,
                area.height.saturating_sub(2),
            );
            search::render(&app.search, &app.corpus, &app.theme, body, buf);
        }
        (View::Index, _) if app.index.is_some() && app.refs.is_some() => {
            if let (Some(state), Some(refs)) = (&app.index, &app.refs) {
                let n = state.visible.len();
                let sep = separator(app);
                let text = if state.query.is_empty() {
                    format!(" index of terms{sep}{n} entries · type to narrow")
                } else {
                    format!(" index of terms{sep}“{}”{sep}{n}", state.query)
                };
                title_bar(app, &text, g.bar, buf);
                index::render(state, refs, &app.corpus, &app.theme, body(area, g), buf);
            }
        }
        (View::Cited, _) if app.cited.is_some() && app.refs.is_some() => {
            if let (Some(state), Some(refs)) = (&app.cited, &app.refs) {
                let text = format!(
                    " cited documents{}{} · by date · Enter goes to a place",
                    separator(app),
                    refs.citations.len()
                );
                title_bar(app, &text, g.bar, buf);
                cited::render(state, refs, &app.corpus, &app.theme, body(area, g), buf);
            }
        }
        (View::Participants, Some(p)) => {
            participants_bar(app, p, g.bar, buf);
            let body = Rect::new(
                area.x,
                g.bar.y + 1,
                area.width,
                area.height.saturating_sub(2),
            );
            participants::render(p, &app.corpus, &app.theme, body, buf);
        }
        _ => {
            location_bar(app, g.bar, buf);
            if let (Some(t), Some(sep)) = (g.tree, g.separator) {
                let tree_focus = app.focus == Focus::Tree && app.help.is_none();
                tree::render(&app.tree, &app.corpus, tree_focus, &app.theme, t, buf);
                // The tree's edge is a bar in reverse video while it has the keys.
                let style = if tree_focus {
                    app.theme.bar()
                } else {
                    app.theme.separator()
                };
                for y in sep.y..sep.y + sep.height {
                    put(buf, sep.x, y, app.theme.vertical(), 1, style);
                }
            }
            reader::render(&app.reader, &app.corpus, &app.theme, g.reader, buf);
            if let Some(known) = app.known_links() {
                links::render(
                    known,
                    &app.corpus,
                    app.links,
                    &app.reader,
                    &app.theme,
                    g.reader,
                    buf,
                );
            }
            if let Some(list) = app.places.list {
                let body = Rect::new(
                    area.x,
                    g.bar.y + 1,
                    area.width,
                    area.height.saturating_sub(2),
                );
                buf.set_style(body, ratatui::style::Style::reset());
                for y in body.y..body.y + body.height {
                    put(
                        buf,
                        body.x,
                        y,
                        &" ".repeat(usize::from(body.width)),
                        usize::from(body.width),
                        ratatui::style::Style::new(),
                    );
                }
                places::render_list(&app.places, list, &app.corpus, &app.theme, body, buf);
            }
        }
    }
    let cursor = bottom_line(app, g.hint, buf);
    if let Some(state) = app.help {
        help::render(state, &app.keymap, &app.theme, area, buf);
        return None;
    }
    cursor
}

/// The rows between the top line and the bottom line.
fn body(area: Rect, g: super::app::Geometry) -> Rect {
    Rect::new(
        area.x,
        g.bar.y + 1,
        area.width,
        area.height.saturating_sub(2),
    )
}

/// What separates the parts of a top line (`›`, which is East Asian Ambiguous, or `>`).
fn separator(app: &App) -> &'static str {
    if app.theme.opts.ascii { " > " } else { " › " }
}

/// A top line that says what a list view shows.
fn title_bar(app: &App, text: &str, area: Rect, buf: &mut Buffer) {
    let width = usize::from(area.width);
    let style = app.theme.bar();
    put(buf, area.x, area.y, &" ".repeat(width), width, style);
    let text = sanitize(text, app.theme.opts);
    put(
        buf,
        area.x,
        area.y,
        &truncate(&text, width, app.theme.opts),
        width,
        style,
    );
}

/// The top line while searching: the query's results.
fn search_bar(app: &App, area: Rect, buf: &mut Buffer) {
    let width = usize::from(area.width);
    let style = app.theme.bar();
    put(buf, area.x, area.y, &" ".repeat(width), width, style);
    let n = app.search.hits.len();
    // While the index is built, the results are of what is indexed so far: the bar says how
    // far that is.
    let progress = if app.search.awaiting_text() {
        Some(format!(
            "reading… {}%",
            app.reading_percent().unwrap_or(100)
        ))
    } else {
        app.search
            .indexing_percent()
            .map(|p| format!("indexing… {p}%"))
    };
    let text = if let Some(p) = progress
        .as_ref()
        .filter(|_| app.search.index().is_none() || app.search.typed().trim().is_empty())
    {
        format!(" search › {p}")
    } else if app.search.typed().trim().is_empty() {
        " search both documents".to_string()
    } else if let Some(e) = &app.search.error {
        format!(" search › {e}")
    } else if n == 0 {
        " search › no match".to_string()
    } else {
        // `32 matches in 18 places: G7 3, CRI 15`; the list keeps the best LIMIT.
        let shown = if n >= search::LIMIT {
            format!("{n}+")
        } else {
            n.to_string()
        };
        format!(
            " search › {} › {}/{shown} · Enter opens · Esc goes back",
            app.search.header,
            app.search.selected + 1
        )
    };
    let text = match (&progress, text.strip_prefix(" search ›")) {
        (Some(p), Some(rest)) if !rest.starts_with(&format!(" {p}")) => {
            format!(" search › {p} ›{rest}")
        }
        _ => text,
    };
    put(
        buf,
        area.x,
        area.y,
        &truncate(&sanitize(&text, app.theme.opts), width, app.theme.opts),
        width,
        style,
    );
}

/// The top line of the participants view: filter, sort, how many rows.
fn participants_bar(app: &App, p: &ParticipantsState, area: Rect, buf: &mut Buffer) {
    let sep = separator(app);
    let mut text = format!(
        " participants{sep}{} ({}){sep}sort: {}",
        p.filter.describe(),
        p.visible.len(),
        p.sort
    );
    if !p.query.is_empty() {
        let _ = write!(text, "{sep}“{}”", p.query);
    }
    title_bar(app, &text, area, buf);
}

/// The top line: where the reader is (document › section › node) and how far through.
fn location_bar(app: &App, area: Rect, buf: &mut Buffer) {
    let width = usize::from(area.width);
    let style = app.theme.bar();
    put(buf, area.x, area.y, &" ".repeat(width), width, style);
    let mut parts = Vec::new();
    if let Some(r) = app.current_node() {
        let doc = &app.corpus.documents[r.doc];
        parts.push(doc.id.clone());
        if let Some(s) = doc.section_of(r.node) {
            let n = &doc.nodes[s];
            parts.push(format!("{} {}", n.marker(), n.one_line()));
        }
        let n = &doc.nodes[r.node];
        if !n.kind.is_heading() {
            parts.push(n.id.clone());
        }
    }
    let opts = app.theme.opts;
    let sep = if opts.ascii { " > " } else { " › " };
    // While a large file is read, how far the reading has come (the tree fills in too).
    let pct = match app.reading_percent() {
        Some(p) => sanitize(&format!(" reading… {p}% "), app.theme.opts),
        None => format!(" {}% ", app.reader.percent()),
    };
    let room = width.saturating_sub(str_width(&pct));
    let mut parts: Vec<String> = parts.iter().map(|p| sanitize(p, opts)).collect();
    // Short of room, the section's title gives way first: the node's id is what the bar is
    // for (`g7:23`, `cri:annex-1.1`).
    if parts.len() == 3 {
        let others = 1 + str_width(&parts[0]) + str_width(&parts[2]) + 2 * str_width(sep);
        let section_room = room.saturating_sub(others);
        if str_width(&parts[1]) > section_room && section_room >= 6 {
            parts[1] = truncate(&parts[1], section_room, opts);
        }
    }
    let left = format!(" {}", parts.join(sep));
    put(
        buf,
        area.x,
        area.y,
        &truncate(&left, room, app.theme.opts),
        room,
        style,
    );
    if width > str_width(&pct) {
        let x = area.x + u16::try_from(width - str_width(&pct)).unwrap_or(0);
        put(buf, x, area.y, &pct, str_width(&pct), style);
    }
}

/// The bottom line: the line being typed (returning where the cursor goes), a message, or the
/// key hints.
fn bottom_line(app: &App, area: Rect, buf: &mut Buffer) -> Option<(u16, u16)> {
    let width = usize::from(area.width);
    let opts = app.theme.opts;
    if let Some(line) = &app.prompt.line {
        let prompt = line.prompt();
        let pw = str_width(prompt).min(width.saturating_sub(1));
        put(
            buf,
            area.x,
            area.y,
            prompt,
            pw,
            ratatui::style::Style::new(),
        );
        let (text, col) = line.editor.visible(width - pw, opts);
        let x = area.x + u16::try_from(pw).unwrap_or(0);
        put(
            buf,
            x,
            area.y,
            &text,
            width - pw,
            ratatui::style::Style::new(),
        );
        // A message while the line is open (a note from the start, a key with no binding)
        // stands on the row above it until the next key, so the line keeps its text.
        if let Some(msg) = &app.message
            && area.y > 1
        {
            let y = area.y - 1;
            put(
                buf,
                area.x,
                y,
                &" ".repeat(width),
                width,
                app.theme.message(),
            );
            let msg = truncate(&sanitize(msg, opts), width, opts);
            put(buf, area.x, y, &msg, width, app.theme.message());
        }
        // Where Enter will go, on the line itself at its right end (as vim's ruler), in the
        // room the typed text leaves: it hides no line of the text, and it gives way to what
        // is typed.
        if line.kind == LineKind::Goto
            && let Some(preview) = &app.goto_preview
        {
            let used = pw + str_width(&text).max(col + 1);
            let room = width.saturating_sub(used + 2);
            if let Some(shown) = preview_in(&sanitize(preview, opts), room, opts) {
                let px = area.x + u16::try_from(width - str_width(&shown)).unwrap_or(0);
                put(buf, px, area.y, &shown, room, app.theme.named(Named::Meta));
            }
        }
        return Some((x + u16::try_from(col).unwrap_or(0), area.y));
    }
    if let Some(msg) = app
        .message
        .clone()
        .or_else(|| app.follow.status(&app.corpus))
    {
        put(
            buf,
            area.x,
            area.y,
            &truncate(&sanitize(&msg, opts), width, opts),
            width,
            app.theme.message(),
        );
        return None;
    }
    hint_line(app, area, buf);
    None
}

/// The goto preview in `room` cells: whole when it fits, else without the document's title
/// in brackets (so `→ g7:3 · also cri:3` stays whole on a narrow screen), else cut; nothing
/// when fewer than a few cells are left (the typed text comes first).
fn preview_in(preview: &str, room: usize, opts: DisplayOptions) -> Option<String> {
    const LEAST: usize = 8;
    if room < LEAST {
        return None;
    }
    if str_width(preview) <= room {
        return Some(preview.to_string());
    }
    let short = match (preview.find(" ("), preview.find(')')) {
        (Some(open), Some(close)) if open < close => {
            format!("{}{}", &preview[..open], &preview[close + ')'.len_utf8()..])
        }
        _ => preview.to_string(),
    };
    Some(truncate(&short, room, opts))
}

/// One piece of the hint line: a key and what it does (the label may be dropped for room).
struct Piece {
    key: String,
    label: String,
    show_label: bool,
}

impl Piece {
    fn width(&self) -> usize {
        str_width(&self.key)
            + if self.show_label {
                1 + str_width(&self.label)
            } else {
                0
            }
    }
}

fn pieces_width(pieces: &[Piece]) -> usize {
    pieces.iter().map(|p| p.width() + 2).sum::<usize>()
}

/// The key hints, generated from the key table: the pane that has the keys at the left, the
/// pinned hints (`/`, the view switch, `?`, `q`) at the right at every width (their labels
/// give way before their keys), the others in between as room allows.
fn hint_line(app: &App, area: Rect, buf: &mut Buffer) {
    let width = usize::from(area.width);
    let other = if app.focus == Focus::Tree {
        "reader"
    } else {
        "tree"
    };
    let mut hints: Vec<(String, &str, HintRank, Action)> = app
        .keymap
        .hints(&if app.places.list.is_some() {
            app.contexts()
        } else {
            app.browse_contexts()
        })
        .into_iter()
        .filter(|h| app.hint_applies(h.3))
        .collect();
    hints.sort_by_key(|h| h.2);
    let piece = |(key, label, _, action): &(String, &str, HintRank, Action)| Piece {
        key: key.clone(),
        label: if *action == Action::FocusNext {
            other.to_string()
        } else if *action == Action::Open
            && (app.places.list.is_some()
                || app.view == View::Cited
                || app.index.as_ref().is_some_and(|i| i.mentions.is_some()))
        {
            "go there".to_string()
        } else if *action == Action::Open && app.view == View::Index {
            "places".to_string()
        } else {
            (*label).to_string()
        },
        show_label: true,
    };
    let mut pinned: Vec<Piece> = hints
        .iter()
        .filter(|h| matches!(h.2, HintRank::Pinned(_)))
        .map(piece)
        .collect();
    let name = format!(" {} ", app.focus_name());
    // With two panes on screen, which one has the keys is as important as the pinned hints.
    let two_panes = app.view == View::Documents && app.tree_visible();
    let name_w = if two_panes { str_width(&name) + 2 } else { 0 };
    for i in (0..pinned.len()).rev() {
        if pieces_width(&pinned) + name_w <= width + 2 {
            break;
        }
        pinned[i].show_label = false;
    }
    let pinned_w = pieces_width(&pinned).saturating_sub(2);
    let mut x = 0usize;
    if str_width(&name) + 2 + pinned_w <= width {
        put(buf, area.x, area.y, &name, width, app.theme.bar());
        x = str_width(&name) + 2;
    }
    let mut draw_piece = |x: usize, p: &Piece| {
        let ax = area.x + u16::try_from(x).unwrap_or(0);
        let kw = put(
            buf,
            ax,
            area.y,
            &p.key,
            width.saturating_sub(x),
            app.theme.hint_key(),
        );
        if p.show_label {
            let lx = ax + u16::try_from(kw + 1).unwrap_or(0);
            put(
                buf,
                lx,
                area.y,
                &p.label,
                width.saturating_sub(x + kw + 1),
                ratatui::style::Style::new(),
            );
        }
    };
    for h in hints
        .iter()
        .filter(|h| matches!(h.2, HintRank::Optional(_)))
    {
        let p = piece(h);
        if x + p.width() + 2 + pinned_w > width {
            continue;
        }
        draw_piece(x, &p);
        x += p.width() + 2;
    }
    let mut px = width.saturating_sub(pinned_w).max(x);
    for p in &pinned {
        if px + p.width() > width {
            break;
        }
        draw_piece(px, p);
        px += p.width() + 2;
    }
}
