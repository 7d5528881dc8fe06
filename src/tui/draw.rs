//! Writing finished text into a ratatui buffer. Text here is already laid out and sanitised;
//! this only places it, clipped to a width, so a wide character never straddles the edge.

use ratatui::buffer::Buffer;
use ratatui::style::Style;

/// Writes `text` at (`x`, `y`), at most `width` cells; returns the cells used.
pub fn put(buf: &mut Buffer, x: u16, y: u16, text: &str, width: usize, style: Style) -> usize {
    let area = buf.area;
    if y < area.y || y >= area.y + area.height || x >= area.x + area.width {
        return 0;
    }
    let room = usize::from(area.x + area.width - x).min(width);
    let (end_x, _) = buf.set_stringn(x, y, text, room, style);
    usize::from(end_x.saturating_sub(x))
}

/// Writes one row of a list: a selected row is filled to `width` in reverse video (on top of
/// `style`), so the selection shows without colour.
pub fn list_row(
    buf: &mut Buffer,
    x: u16,
    y: u16,
    text: &str,
    width: usize,
    style: Style,
    selected: bool,
) {
    let style = if selected {
        style.add_modifier(ratatui::style::Modifier::REVERSED)
    } else {
        style
    };
    if selected {
        put(buf, x, y, &" ".repeat(width), width, style);
    }
    put(buf, x, y, text, width, style);
}

/// Where the list starts so that the selection is visible.
#[must_use]
pub fn scroll_offset(selected: usize, offset: usize, height: usize) -> usize {
    if height == 0 {
        return 0;
    }
    if selected < offset {
        selected
    } else if selected >= offset + height {
        selected + 1 - height
    } else {
        offset
    }
}
