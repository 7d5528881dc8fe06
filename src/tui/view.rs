//! Drawing: one function that reads the state and fills the frame. No parsing, layout or
//! search happens here.

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::app::{App, Focus, InputKind, MIN_HEIGHT, MIN_WIDTH, View};
use super::draw::put;
use super::keymap::{Action, Context, help_rows, hints};
use super::participants::{self, ParticipantsState};
use super::{reader, search, tree};
use crate::text::display::{sanitize, str_width, truncate};

/// Draws the whole screen.
pub fn render(app: &App, frame: &mut Frame) {
    let area = frame.area();
    draw(app, area, frame.buffer_mut());
}

/// Draws the whole screen into a buffer (what `render` does, testable without a terminal).
pub fn draw(app: &App, area: Rect, buf: &mut Buffer) {
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
        return;
    }
    let g = app.geometry();
    let searching = matches!(&app.input, Some(i) if i.kind == InputKind::Search);
    match (app.view, &app.participants) {
        _ if searching => {
            search_bar(app, g.bar, buf);
            let body = Rect::new(
                area.x,
                g.bar.y + 1,
                area.width,
                area.height.saturating_sub(2),
            );
            search::render(
                &app.search,
                app.index.as_deref(),
                &app.corpus,
                &app.theme,
                body,
                buf,
            );
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
                tree::render(&app.tree, app.focus == Focus::Tree, &app.theme, t, buf);
                for y in sep.y..sep.y + sep.height {
                    put(
                        buf,
                        sep.x,
                        y,
                        app.theme.vertical(),
                        1,
                        app.theme.separator(),
                    );
                }
            }
            reader::render(&app.reader, &app.theme, g.reader, buf);
        }
    }
    bottom_line(app, g.hint, buf);
    if let Some(offset) = app.help {
        help(app, offset, area, buf);
    }
}

/// The top line while searching: the query's results.
fn search_bar(app: &App, area: Rect, buf: &mut Buffer) {
    let width = usize::from(area.width);
    let style = app.theme.bar();
    put(buf, area.x, area.y, &" ".repeat(width), width, style);
    let n = app.search.hits.len();
    let count = if n >= search::LIMIT {
        format!("{n}+")
    } else {
        n.to_string()
    };
    let text = if app.search.query.trim().is_empty() {
        " search both documents".to_string()
    } else {
        let sel = if n == 0 { 0 } else { app.search.selected + 1 };
        format!(
            " search › {count} result{} › {sel}/{count} · Enter opens · Esc goes back",
            if n == 1 { "" } else { "s" }
        )
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
    let width = usize::from(area.width);
    let style = app.theme.bar();
    put(buf, area.x, area.y, &" ".repeat(width), width, style);
    let sep = if app.theme.opts.ascii { " > " } else { " › " };
    let mut text = format!(
        " participants{sep}{} ({}){sep}sort: {}",
        p.filter.describe(),
        p.visible.len(),
        p.sort
    );
    if !p.query.is_empty() {
        text.push_str(&format!("{sep}“{}”", p.query));
    }
    let text = sanitize(&text, app.theme.opts);
    put(
        buf,
        area.x,
        area.y,
        &truncate(&text, width, app.theme.opts),
        width,
        style,
    );
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
            parts.push(format!("{} {}", n.marker, n.one_line()));
        }
        let n = &doc.nodes[r.node];
        if !n.kind.is_heading() {
            parts.push(n.id.clone());
        }
    }
    let opts = app.theme.opts;
    let sep = if opts.ascii { " > " } else { " › " };
    let pct = format!(" {}% ", app.reader.percent());
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

/// The bottom line: the line being typed, a message, or the key hints.
fn bottom_line(app: &App, area: Rect, buf: &mut Buffer) {
    let width = usize::from(area.width);
    let opts = app.theme.opts;
    if let Some(input) = &app.input {
        let prompt = match input.kind {
            InputKind::Goto => ":",
            InputKind::Narrow => "narrow: ",
            InputKind::Search => "/",
        };
        let text = sanitize(&input.text, opts);
        // Keep the end of a long line in view.
        let mut shown = format!("{prompt}{text}");
        while str_width(&shown) + 1 > width && !shown.is_empty() {
            shown.remove(0);
        }
        let used = put(
            buf,
            area.x,
            area.y,
            &shown,
            width,
            ratatui::style::Style::new(),
        );
        if used < width {
            put(
                buf,
                area.x + u16::try_from(used).unwrap_or(0),
                area.y,
                " ",
                1,
                app.theme.current_marker(),
            );
        }
        return;
    }
    if let Some(msg) = &app.message {
        put(
            buf,
            area.x,
            area.y,
            &truncate(&sanitize(msg, opts), width, opts),
            width,
            app.theme.message(),
        );
        return;
    }
    // `? help  q quit` always show, at the right; the others fill from the left as room allows.
    let all: Vec<(String, &str, Action)> = hints(Context::Normal)
        .into_iter()
        .filter(|(_, _, a)| app.hint_applies(*a))
        .collect();
    let piece_w = |key: &str, label: &str| str_width(key) + 1 + str_width(label) + 2;
    let pinned: Vec<&(String, &str, Action)> = all
        .iter()
        .filter(|(_, _, a)| matches!(a, Action::Help | Action::Quit))
        .collect();
    let pinned_w: usize = pinned.iter().map(|(k, l, _)| piece_w(k, l)).sum();
    let mut x = 0usize;
    let mut draw_hint = |x: usize, key: &str, label: &str| {
        let ax = area.x + u16::try_from(x).unwrap_or(0);
        let kw = put(
            buf,
            ax,
            area.y,
            key,
            width.saturating_sub(x),
            app.theme.hint_key(),
        );
        let lx = ax + u16::try_from(kw + 1).unwrap_or(0);
        put(
            buf,
            lx,
            area.y,
            label,
            width.saturating_sub(x + kw + 1),
            ratatui::style::Style::new(),
        );
    };
    for (key, label, action) in &all {
        if matches!(action, Action::Help | Action::Quit) {
            continue;
        }
        let w = piece_w(key, label);
        if x + w + pinned_w > width {
            break;
        }
        draw_hint(x, key, label);
        x += w;
    }
    let mut px = width.saturating_sub(pinned_w).max(x);
    for (key, label, _) in pinned {
        if px + str_width(key) + 1 + str_width(label) > width {
            break;
        }
        draw_hint(px, key, label);
        px += piece_w(key, label);
    }
}

/// The help overlay, generated from the key table.
fn help(app: &App, offset: usize, area: Rect, buf: &mut Buffer) {
    let rows = help_rows(Context::Normal);
    let key_w = rows.iter().map(|(k, _)| str_width(k)).max().unwrap_or(0);
    let desc_w = rows.iter().map(|(_, d)| str_width(d)).max().unwrap_or(0);
    let w = (key_w + desc_w + 6).min(usize::from(area.width));
    let h = (rows.len() + 4).min(usize::from(area.height));
    let x0 = area.x + u16::try_from((usize::from(area.width) - w) / 2).unwrap_or(0);
    let y0 = area.y + u16::try_from((usize::from(area.height) - h) / 2).unwrap_or(0);
    let style = app.theme.bar();
    for y in 0..h {
        let yy = y0 + u16::try_from(y).unwrap_or(0);
        // A blank cell either side, so no wide character is left cut in half by the edge.
        let left = x0.saturating_sub(1).max(area.x);
        let margin = usize::from(x0 - left) + w + 1;
        put(
            buf,
            left,
            yy,
            &" ".repeat(margin),
            margin,
            ratatui::style::Style::new(),
        );
        put(buf, x0, yy, &" ".repeat(w), w, style);
    }
    let title = " keys (j/k scroll, any other key closes) ";
    put(
        buf,
        x0 + 1,
        y0,
        &truncate(title, w.saturating_sub(2), app.theme.opts),
        w.saturating_sub(2),
        style,
    );
    let body_h = h.saturating_sub(3);
    let offset = offset.min(rows.len().saturating_sub(body_h));
    for (i, (keys, desc)) in rows.iter().skip(offset).take(body_h).enumerate() {
        let y = y0 + 2 + u16::try_from(i).unwrap_or(0);
        let line = format!("{keys:<key_w$}  {desc}");
        put(
            buf,
            x0 + 2,
            y,
            &truncate(&line, w.saturating_sub(4), app.theme.opts),
            w.saturating_sub(4),
            style,
        );
    }
}
