//! Putting frames on the terminal with as few bytes as possible: over SSH every byte is
//! latency. Like ratatui's `Terminal`, this keeps the last frame and writes only the cells that
//! changed (`Buffer::diff`). Unlike it, when the reader scrolled it first asks the terminal to
//! scroll those rows itself (a scroll region, `ESC [ t ; b r` + `ESC [ n S`), which turns a
//! one-line scroll from a repaint of the pane into one new line plus what else changed — and
//! it does so only when that writes fewer cells.
//!
//! The cells are written here too, not by ratatui's crossterm backend: that backend moves the
//! cursor before every cell that follows a wide character (it assumes each cell advances one
//! column), which triples the bytes of Japanese text. Here the cursor is tracked by display
//! width, and each change of style is one combined SGR sequence.

use std::io::{self, Write};
use std::ops::Range;

use crossterm::terminal::{Clear, ClearType};
use crossterm::{cursor, queue};
use ratatui::buffer::{Buffer, Cell};
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier};
use unicode_width::UnicodeWidthStr;

/// What scrolling the terminal itself costs, in cells' worth of bytes.
const SCROLL_COST: usize = 8;

/// The terminal side of drawing: the last frame shown and the writer.
pub struct Screen<W: Write> {
    out: W,
    /// What the terminal shows; `None` after a clear (blank).
    prev: Option<Buffer>,
    /// Where the cursor is shown, if it is (it is hidden otherwise).
    cursor: Option<(u16, u16)>,
}

/// The cells of a frame that differ from a blank screen, as a diff against a blank buffer
/// would give them, without allocating that buffer (on a first frame, the pages a blank
/// 80x24 buffer and the list of changes would touch cost more than drawing).
fn non_blank(next: &Buffer) -> impl Iterator<Item = (u16, u16, &Cell)> {
    let area = next.area;
    let blank = Cell::default();
    let mut covered = 0usize;
    next.content
        .iter()
        .enumerate()
        .filter_map(move |(i, cell)| {
            let i = u16::try_from(i).unwrap_or(u16::MAX);
            let (x, y) = (
                area.x + i % area.width.max(1),
                area.y + i / area.width.max(1),
            );
            if x == area.x {
                covered = 0;
            }
            if covered > 0 {
                covered -= 1;
                return None;
            }
            covered = symbol_width(cell.symbol()).saturating_sub(1);
            (*cell != blank).then_some((x, y, cell))
        })
}

/// Rows shifted by `delta` lines: content moves up for a positive delta (scrolling down
/// through the text), leaving blank rows where nothing came in.
#[must_use]
pub fn shift_rows(buf: &Buffer, rows: Range<u16>, delta: i32) -> Buffer {
    let mut out = buf.clone();
    let area = buf.area;
    let width = usize::from(area.width);
    let top = rows.start.max(area.y);
    let bottom = rows.end.min(area.y + area.height);
    for y in top..bottom {
        let src = i32::from(y) + delta;
        let dst_start = usize::from(y - area.y) * width;
        if src >= i32::from(top) && src < i32::from(bottom) {
            let src_start = usize::try_from(src - i32::from(area.y)).unwrap_or(0) * width;
            let row: Vec<Cell> = buf.content[src_start..src_start + width].to_vec();
            out.content[dst_start..dst_start + width].clone_from_slice(&row);
        } else {
            for c in &mut out.content[dst_start..dst_start + width] {
                *c = Cell::default();
            }
        }
    }
    out
}

/// The escape sequence that scrolls rows `rows` (0-based, end exclusive) by `delta`.
#[must_use]
pub fn scroll_sequence(rows: &Range<u16>, delta: i32) -> String {
    let n = delta.unsigned_abs();
    let dir = if delta > 0 { 'S' } else { 'T' };
    format!(
        "\x1b[0m\x1b[{};{}r\x1b[{n}{dir}\x1b[r",
        rows.start + 1,
        rows.end
    )
}

/// Appends `;` and the SGR parameters of a colour; nothing for the terminal's default.
fn push_color(out: &mut String, c: Color, background: bool) {
    use std::fmt::Write as _;
    let base: u8 = if background { 40 } else { 30 };
    let code = match c {
        Color::Reset => return,
        Color::Black => base,
        Color::Red => base + 1,
        Color::Green => base + 2,
        Color::Yellow => base + 3,
        Color::Blue => base + 4,
        Color::Magenta => base + 5,
        Color::Cyan => base + 6,
        Color::Gray => base + 7,
        Color::DarkGray => base + 60,
        Color::LightRed => base + 61,
        Color::LightGreen => base + 62,
        Color::LightYellow => base + 63,
        Color::LightBlue => base + 64,
        Color::LightMagenta => base + 65,
        Color::LightCyan => base + 66,
        Color::White => base + 67,
        // Writing to a String cannot fail.
        Color::Indexed(i) => {
            let _ = write!(out, ";{};5;{i}", base + 8);
            return;
        }
        Color::Rgb(r, g, b) => {
            let _ = write!(out, ";{};2;{r};{g};{b}", base + 8);
            return;
        }
    };
    let _ = write!(out, ";{code}");
}

/// One SGR sequence that sets exactly this style from any previous one.
#[must_use]
pub fn sgr(fg: Color, bg: Color, m: Modifier) -> String {
    let mut out = String::with_capacity(24);
    out.push_str("\x1b[0");
    for (flag, code) in [
        (Modifier::BOLD, ";1"),
        (Modifier::DIM, ";2"),
        (Modifier::ITALIC, ";3"),
        (Modifier::UNDERLINED, ";4"),
        (Modifier::SLOW_BLINK, ";5"),
        (Modifier::REVERSED, ";7"),
        (Modifier::HIDDEN, ";8"),
        (Modifier::CROSSED_OUT, ";9"),
    ] {
        if m.contains(flag) {
            out.push_str(code);
        }
    }
    push_color(&mut out, fg, false);
    push_color(&mut out, bg, true);
    out.push('m');
    out
}

/// The columns a cell's symbol takes. Most cells hold one printable ASCII character or one
/// kana, ideograph or punctuation mark, which need no table lookup.
fn symbol_width(sym: &str) -> usize {
    match sym.as_bytes() {
        [b] if (0x20..0x7f).contains(b) => 1,
        // One character of three bytes (not three of one).
        [b, _, _] if *b >= 0xE0 => sym
            .chars()
            .next()
            .and_then(super::draw::plain_width)
            .unwrap_or_else(|| sym.width()),
        _ => sym.width(),
    }
}

/// Writes changed cells, moving the cursor only where it is not already.
fn draw_cells<'a>(
    out: &mut impl Write,
    cells: impl Iterator<Item = (u16, u16, &'a Cell)>,
) -> io::Result<()> {
    let mut at: Option<(u16, u16)> = None;
    let mut style = (Color::Reset, Color::Reset, Modifier::empty());
    for (x, y, cell) in cells {
        if at != Some((x, y)) {
            write!(out, "\x1b[{};{}H", y + 1, x + 1)?;
        }
        let want = (cell.fg, cell.bg, cell.modifier);
        if want != style {
            out.write_all(sgr(want.0, want.1, want.2).as_bytes())?;
            style = want;
        }
        let sym = cell.symbol();
        out.write_all(sym.as_bytes())?;
        let w = u16::try_from(symbol_width(sym).max(1)).unwrap_or(1);
        at = Some((x.saturating_add(w), y));
    }
    if style != (Color::Reset, Color::Reset, Modifier::empty()) {
        out.write_all(b"\x1b[0m")?;
    }
    Ok(())
}

impl<W: Write> Screen<W> {
    pub fn new(writer: W) -> Self {
        Screen {
            out: writer,
            prev: None,
            cursor: None,
        }
    }

    /// Forgets what is on screen and clears it: the next frame is drawn in full.
    ///
    /// # Errors
    /// Writing to the terminal failed.
    pub fn reset(&mut self) -> io::Result<()> {
        queue!(self.out, cursor::Hide, Clear(ClearType::All))?;
        self.prev = None;
        self.cursor = None;
        Ok(())
    }

    /// Shows a frame. `scrolled` says which rows the reader scrolled and by how much, if it did;
    /// `cursor` where the terminal's cursor is to be shown (at the insertion point of a line
    /// being typed, so an input method composes there), or `None` to hide it.
    /// Returns the frame shown before, to draw the next one in without allocating.
    ///
    /// # Errors
    /// Writing to the terminal failed.
    pub fn show(
        &mut self,
        next: Buffer,
        scrolled: Option<(Range<u16>, i32)>,
        cursor: Option<(u16, u16)>,
    ) -> io::Result<Buffer> {
        // A shown cursor would be seen hopping over the cells being drawn.
        if self.cursor.is_some() && (cursor != self.cursor || self.prev.as_ref() != Some(&next)) {
            self.out.write_all(b"\x1b[?25l")?;
            self.cursor = None;
        }
        let prev = match self.prev.take() {
            Some(prev) if prev.area == next.area => prev,
            Some(_) => {
                self.reset()?;
                Buffer::empty(Rect::ZERO)
            }
            None => Buffer::empty(Rect::ZERO),
        };
        if prev.area == next.area {
            let mut base = None;
            if let Some((rows, delta)) = scrolled
                && delta != 0
                && delta.unsigned_abs() < u32::from(rows.end.saturating_sub(rows.start))
            {
                let shifted = shift_rows(&prev, rows.clone(), delta);
                if shifted.diff(&next).len() + SCROLL_COST < prev.diff(&next).len() {
                    self.out
                        .write_all(scroll_sequence(&rows, delta).as_bytes())?;
                    base = Some(shifted);
                }
            }
            let base = base.as_ref().unwrap_or(&prev);
            draw_cells(&mut self.out, base.diff(&next).into_iter())?;
        } else {
            // A blank screen: everything that is not blank is drawn.
            draw_cells(&mut self.out, non_blank(&next))?;
        }
        if let Some((x, y)) = cursor
            && self.cursor != cursor
        {
            write!(self.out, "\x1b[{};{}H\x1b[?25h", y + 1, x + 1)?;
            self.cursor = cursor;
        }
        self.out.flush()?;
        self.prev = Some(next);
        Ok(prev)
    }

    /// Where the frames go, for sequences that must go out with the next one.
    pub fn writer(&mut self) -> &mut W {
        &mut self.out
    }

    /// Writes raw bytes (an OSC 52 sequence) after the frame.
    ///
    /// # Errors
    /// Writing to the terminal failed.
    pub fn write_raw(&mut self, s: &str) -> io::Result<()> {
        self.out.write_all(s.as_bytes())?;
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn buf(lines: &[&str]) -> Buffer {
        Buffer::with_lines(lines.iter().copied())
    }

    /// A writer whose bytes the test can read.
    #[derive(Clone, Default)]
    struct Shared(std::rc::Rc<std::cell::RefCell<Vec<u8>>>);

    impl Write for Shared {
        fn write(&mut self, b: &[u8]) -> io::Result<usize> {
            self.0.borrow_mut().extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    impl Shared {
        fn take(&self) -> String {
            String::from_utf8_lossy(&std::mem::take(&mut *self.0.borrow_mut())).into_owned()
        }
    }

    proptest::proptest! {
        /// A frame on a blank screen is drawn from exactly the cells a diff against a blank
        /// buffer gives.
        #[test]
        fn full_draw_is_a_diff_against_blank(
            lines in proptest::collection::vec("[a-z あ-ん、。Ⅶ…]{0,12}", 1..6),
            styled in proptest::collection::vec(proptest::bool::ANY, 0..40),
        ) {
            let mut next = buf(&lines.iter().map(String::as_str).collect::<Vec<_>>());
            for (i, &on) in styled.iter().enumerate() {
                let w = usize::from(next.area.width.max(1));
                let (x, y) = (i % w, i / w);
                if on && x < usize::from(next.area.width) && y < usize::from(next.area.height) {
                    let pos = (u16::try_from(x).unwrap_or(0), u16::try_from(y).unwrap_or(0));
                    next[pos].set_style(ratatui::style::Style::new().reversed());
                }
            }
            let want: Vec<(u16, u16, String)> = Buffer::empty(next.area)
                .diff(&next)
                .into_iter()
                .map(|(x, y, c)| (x, y, c.symbol().to_string()))
                .collect();
            let got: Vec<(u16, u16, String)> =
                non_blank(&next).map(|(x, y, c)| (x, y, c.symbol().to_string())).collect();
            proptest::prop_assert_eq!(got, want);
        }
    }

    #[test]
    fn shift_moves_rows_up_and_blanks_the_bottom() {
        let b = buf(&["top", "aaa", "bbb", "ccc", "bot"]);
        let s = shift_rows(&b, 1..4, 1);
        assert_eq!(s, buf(&["top", "bbb", "ccc", "   ", "bot"]));
        let s = shift_rows(&b, 1..4, -1);
        assert_eq!(s, buf(&["top", "   ", "aaa", "bbb", "bot"]));
    }

    #[test]
    fn one_sgr_per_style() {
        assert_eq!(
            sgr(Color::Reset, Color::Reset, Modifier::empty()),
            "\x1b[0m"
        );
        assert_eq!(
            sgr(
                Color::Yellow,
                Color::Reset,
                Modifier::BOLD | Modifier::UNDERLINED
            ),
            "\x1b[0;1;4;33m"
        );
        assert_eq!(
            sgr(Color::DarkGray, Color::Blue, Modifier::REVERSED),
            "\x1b[0;7;90;44m"
        );
        assert_eq!(
            sgr(Color::Indexed(208), Color::Rgb(1, 2, 3), Modifier::empty()),
            "\x1b[0;38;5;208;48;2;1;2;3m"
        );
        assert_eq!(
            sgr(Color::White, Color::LightCyan, Modifier::DIM),
            "\x1b[0;2;97;106m"
        );
    }

    proptest::proptest! {
        /// The ASCII shortcut gives the width unicode-width gives, for any symbol.
        #[test]
        fn symbol_width_agrees_with_unicode_width(
            sym in "\\PC{0,3}|[\\x00-\\x7f]|[\\u{2000}-\\u{26FF}\\u{2FF0}-\\u{30FF}\\u{4E00}-\\u{9FFF}\\u{FF00}-\\u{FFEF}]{1,2}"
        ) {
            proptest::prop_assert_eq!(symbol_width(&sym), sym.width());
        }
    }

    #[test]
    fn wide_characters_need_no_cursor_moves() {
        let out = Shared::default();
        let mut s = Screen::new(out.clone());
        s.show(buf(&["我々は、国際"]), None, None).expect("draw");
        let written = out.take();
        assert_eq!(written.matches('H').count(), 1, "{written:?}");
        assert!(written.ends_with("\x1b[1;1H我々は、国際"), "{written:?}");
    }

    #[test]
    fn sequence_uses_one_based_margins() {
        assert_eq!(
            scroll_sequence(&(1..23), 1),
            "\x1b[0m\x1b[2;23r\x1b[1S\x1b[r"
        );
        assert_eq!(
            scroll_sequence(&(1..23), -2),
            "\x1b[0m\x1b[2;23r\x1b[2T\x1b[r"
        );
    }

    #[test]
    fn scrolling_is_used_only_when_it_saves() {
        let a = buf(&[
            "bar",
            "我々は、国際カ",
            "ウンターランサ",
            "ムウェア・イニ",
            "シアティブ等の",
            "hnt",
        ]);
        let b = buf(&[
            "bar",
            "ウンターランサ",
            "ムウェア・イニ",
            "シアティブ等の",
            "フォーラムを通",
            "hnt",
        ]);
        let out = Shared::default();
        let mut s = Screen::new(out.clone());
        s.show(a, None, None).expect("draw");
        out.take();
        s.show(b, Some((1..5, 1)), None).expect("draw");
        let written = out.take();
        assert!(written.contains("\x1b[2;5r\x1b[1S"), "{written:?}");
        // Only the new line is written.
        assert!(
            written.contains("フォーラムを通") && !written.contains("ウンター"),
            "{written:?}"
        );
        // A change that is not a scroll is drawn plainly.
        let c = buf(&[
            "bar",
            "xxxxxxxxxxxxxx",
            "ムウェア・イニ",
            "シアティブ等の",
            "フォーラムを通",
            "hnt",
        ]);
        s.show(c, Some((1..5, 3)), None).expect("draw");
        let written = out.take();
        assert!(!written.contains("r\x1b["), "{written:?}");
    }
}
