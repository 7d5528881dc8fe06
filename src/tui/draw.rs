//! Writing finished text into a ratatui buffer. Text here is already laid out and sanitised;
//! this only places it, clipped to a width, so a wide character never straddles the edge.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;

use crate::text::display::{DisplayOptions, sanitize, truncate};

/// Writes `text` at (`x`, `y`), at most `width` cells; returns the cells used.
pub fn put(buf: &mut Buffer, x: u16, y: u16, text: &str, width: usize, style: Style) -> usize {
    let area = buf.area;
    if y < area.y || y >= area.y + area.height || x >= area.x + area.width {
        return 0;
    }
    let room = usize::from(area.x + area.width - x).min(width);
    let end_x = match put_plain(buf, x, y, text, room, style) {
        Some(end_x) => end_x,
        None => buf.set_stringn(x, y, text, room, style).0,
    };
    usize::from(end_x.saturating_sub(x))
}

/// The cells a character takes, if it is a grapheme of its own beside any other such
/// character: printable ASCII, general punctuation (`…`, `›`, `※`), arrows, box drawing and
/// geometric shapes (one cell, as unicode-width counts them), the ideographic space and
/// punctuation, kana, CJK ideographs and the full-width forms (two): nearly everything kaigi
/// draws. `None` for the rest: what joins the character before it (the combining voiced
/// marks U+3099/U+309A, the tone marks U+302A–U+302F, half-width sound marks), controls,
/// emoji and anything not listed.
pub(crate) fn plain_width(c: char) -> Option<usize> {
    match c {
        ' '..='~'
        | '\u{2010}'..='\u{2027}'
        | '\u{2030}'..='\u{205E}'
        | '\u{2190}'..='\u{21FF}'
        | '\u{2500}'..='\u{257F}'
        | '\u{25A0}'..='\u{25FC}' => Some(1),
        '\u{3000}'..='\u{3029}'
        | '\u{3041}'..='\u{3096}'
        | '\u{309B}'..='\u{30FF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{FF01}'..='\u{FF5E}' => Some(2),
        _ => None,
    }
}

/// [`Buffer::set_stringn`] for text of [`plain_width`] characters only, placed a character
/// at a time: the grapheme segmenter that `set_stringn` runs over every character was two
/// fifths of drawing the first frame. The cells are the same (property test); `None`, and
/// nothing drawn, for any other text.
fn put_plain(
    buf: &mut Buffer,
    x: u16,
    y: u16,
    text: &str,
    room: usize,
    style: Style,
) -> Option<u16> {
    if !text.chars().all(|c| plain_width(c).is_some()) {
        return None;
    }
    let mut x = x;
    let mut left = room;
    for (i, c) in text.char_indices() {
        let w = plain_width(c).unwrap_or(1);
        let Some(l) = left.checked_sub(w) else {
            break;
        };
        left = l;
        buf[(x, y)]
            .set_symbol(&text[i..i + c.len_utf8()])
            .set_style(style);
        // The cell a wide character covers is emptied, as `set_stringn` does.
        if w == 2 {
            buf[(x + 1, y)].reset();
        }
        x += u16::try_from(w).unwrap_or(1);
    }
    Some(x)
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

/// What a list view draws when it has no rows: one line saying why (`the texts cite no
/// document`, `no entry matches “x”`), made harmless and cut to the area.
pub fn empty_list(buf: &mut Buffer, area: Rect, note: &str, opts: DisplayOptions) {
    let width = usize::from(area.width);
    let note = truncate(&sanitize(note, opts), width, opts);
    put(buf, area.x, area.y, &note, width, Style::new());
}

/// Draws a list of `len` rows into `area`, starting at `offset` or further down so that the
/// selected row is in view (see [`scroll_offset`]); `row(i)` gives row `i`'s text and style,
/// and the selected row is drawn by [`list_row`].
pub fn list(
    buf: &mut Buffer,
    area: Rect,
    len: usize,
    selected: usize,
    offset: usize,
    mut row: impl FnMut(usize) -> (String, Style),
) {
    let width = usize::from(area.width);
    let height = usize::from(area.height);
    let offset = scroll_offset(selected, offset, height);
    for i in (offset..len).take(height) {
        let (text, style) = row(i);
        let y = area.y + u16::try_from(i - offset).unwrap_or(u16::MAX);
        list_row(buf, area.x, y, &text, width, style, i == selected);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::style::Modifier;

    fn rows(buf: &Buffer) -> Vec<String> {
        let a = buf.area;
        (a.y..a.y + a.height)
            .map(|y| {
                (a.x..a.x + a.width)
                    .map(|x| buf[(x, y)].symbol())
                    .collect::<String>()
                    .trim_end()
                    .to_string()
            })
            .collect()
    }

    #[test]
    fn the_plain_characters_are_one_grapheme_each_of_the_width_said() {
        use unicode_segmentation::UnicodeSegmentation;
        use unicode_width::UnicodeWidthStr;
        for c in (0..=0xFFFF_u32).filter_map(char::from_u32) {
            let Some(w) = plain_width(c) else {
                continue;
            };
            let s = c.to_string();
            assert_eq!(s.width(), w, "{c:?}");
            assert!(!s.contains(char::is_control), "{c:?}");
            // Beside any other plain character (and itself), still a grapheme of its own.
            for d in ['a', '。', 'ア', 'か', '漢', '！', '…', '│', '‼', c] {
                let pair = format!("{c}{d}{c}");
                assert_eq!(pair.graphemes(true).count(), 3, "{c:?} {d:?}");
            }
        }
    }

    proptest::proptest! {
        /// Text placed a character at a time leaves the cells `set_stringn` leaves, whatever
        /// the text (the plain path, or the fallback for combining marks, controls, emoji,
        /// half-width kana) and however little room there is.
        #[test]
        fn put_draws_what_set_stringn_draws(
            text in "[a-z 。、「」ー〜アかガ漢字０-９ＡＢ…›│▸※‼\u{3099}\u{309A}\u{301F}\u{303F}\u{0301}\u{200D}\u{FF9E}ｶ👍\t\x1b]{0,30}",
            x in 0u16..12,
            room in 0usize..40,
        ) {
            let area = Rect::new(0, 0, 24, 1);
            let style = Style::new().add_modifier(Modifier::BOLD);
            let mut ours = Buffer::empty(area);
            // What was there before: the cells a wide character covers are emptied.
            ours.set_string(0, 0, "x".repeat(24), Style::new());
            let mut theirs = ours.clone();
            let used = put(&mut ours, x, 0, &text, room, style);
            let room = usize::from(24 - x).min(room);
            let (end, _) = theirs.set_stringn(x, 0, &text, room, style);
            proptest::prop_assert_eq!(&ours, &theirs);
            proptest::prop_assert_eq!(used, usize::from(end - x));
        }
    }

    #[test]
    fn a_list_scrolls_to_its_selection_and_reverses_it_alone() {
        let area = Rect::new(2, 1, 6, 3);
        let mut buf = Buffer::empty(Rect::new(0, 0, 10, 5));
        list(&mut buf, area, 10, 7, 0, |i| {
            (format!("r{i}"), Style::new())
        });
        let shown = rows(&buf);
        assert_eq!(shown[1..4], ["  r5", "  r6", "  r7"]);
        assert!(shown[0].is_empty() && shown[4].is_empty());
        for x in 2..8 {
            assert!(
                buf[(x, 3)].modifier.contains(Modifier::REVERSED),
                "the whole row"
            );
            assert!(!buf[(x, 2)].modifier.contains(Modifier::REVERSED));
        }
        assert!(
            !buf[(8, 3)].modifier.contains(Modifier::REVERSED),
            "not past the area"
        );
    }

    #[test]
    fn a_short_list_keeps_its_offset_and_an_empty_one_says_why() {
        let area = Rect::new(0, 0, 12, 4);
        let mut buf = Buffer::empty(area);
        list(&mut buf, area, 2, 0, 0, |i| (format!("r{i}"), Style::new()));
        assert_eq!(rows(&buf), ["r0", "r1", "", ""]);
        let mut buf = Buffer::empty(area);
        empty_list(
            &mut buf,
            area,
            "no entry matches “\x1b[2J”",
            DisplayOptions::default(),
        );
        let line = &rows(&buf)[0];
        assert!(!line.contains('\x1b'), "{line:?}");
        assert!(line.starts_with("no entry"), "{line:?}");
    }
}
