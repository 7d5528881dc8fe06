//! How each character of a document is shown: control characters as visible placeholders
//! (as `less` shows `^[`), bidirectional and zero-width format characters dropped, and — for
//! terminals that draw East Asian Ambiguous characters two cells wide — a replacement made of
//! characters that are never ambiguous.
//!
//! No text from a file ever reaches the terminal as a control sequence: everything that is
//! drawn or printed goes through [`Shown`].

use unicode_width::UnicodeWidthChar;

/// Display options that depend on the terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct DisplayOptions {
    /// Avoid every East Asian Ambiguous character (the terminal draws them wide, or `--ascii`).
    pub ascii: bool,
}

/// A string made safe to show, with the source character each shown character came from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Shown {
    /// The characters to draw.
    pub chars: Vec<char>,
    /// For each drawn character, the index of the source character it shows.
    pub src: Vec<usize>,
}

impl Shown {
    /// Maps `text` to what is drawn for it.
    #[must_use]
    pub fn new(text: &str, opts: DisplayOptions) -> Self {
        let mut out = Shown::default();
        for (i, c) in text.chars().enumerate() {
            push_shown(c, opts, &mut |s| {
                out.chars.push(s);
                out.src.push(i);
            });
        }
        out
    }

    #[must_use]
    pub fn as_string(&self) -> String {
        self.chars.iter().collect()
    }
}

/// Bidirectional controls: never drawn.
#[must_use]
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Invisible format characters that terminals disagree about: never drawn.
#[must_use]
pub fn is_invisible_format(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}' | '\u{180E}' | '\u{200B}'..='\u{200D}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFB}'
    )
}

/// A replacement, made of characters that are never ambiguous, for an East Asian Ambiguous
/// character the documents or the interface use.
// One row per kind of character reads as a table, even where two rows give the same text.
#[allow(clippy::match_same_arms)]
fn ascii_replacement(c: char) -> Option<&'static str> {
    const ROMAN: [&str; 16] = [
        "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "L", "C", "D",
        "M",
    ];
    const CIRCLED: [&str; 20] = [
        "(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)", "(8)", "(9)", "(10)", "(11)", "(12)",
        "(13)", "(14)", "(15)", "(16)", "(17)", "(18)", "(19)", "(20)",
    ];
    let code = c as u32;
    if (0x2160..=0x216F).contains(&code) {
        return ROMAN.get((code - 0x2160) as usize).copied();
    }
    if (0x2170..=0x217F).contains(&code) {
        return ROMAN.get((code - 0x2170) as usize).copied();
    }
    if (0x2460..=0x2473).contains(&code) {
        return CIRCLED.get((code - 0x2460) as usize).copied();
    }
    Some(match c {
        '…' => "...",
        '‥' => "..",
        '※' => "*",
        '○' | '◯' => "o",
        '●' => "*",
        '■' | '□' | '◆' | '◇' => "#",
        '△' | '▲' | '▽' | '▼' => "^",
        '→' => "->",
        '←' => "<-",
        '↑' => "^",
        '↓' => "v",
        '×' => "x",
        '÷' => "/",
        '°' => "o",
        '±' => "+-",
        '§' => "S",
        '¶' => "P",
        '·' => ".",
        '—' | '―' | '─' | '━' => "-",
        '–' => "-",
        '│' | '┃' => "|",
        '┌' | '┐' | '└' | '┘' | '├' | '┤' | '┬' | '┴' | '┼' => "+",
        '‘' | '’' => "'",
        '“' | '”' => "\"",
        '★' | '☆' => "*",
        _ => return None,
    })
}

/// Whether a character is East Asian Ambiguous (narrow by unicode-width's default rule, wide
/// by its CJK rule).
#[must_use]
pub fn is_ambiguous(c: char) -> bool {
    c.width() != c.width_cjk()
}

/// Calls `emit` for each character to draw for `c`.
pub fn push_shown(c: char, opts: DisplayOptions, emit: &mut impl FnMut(char)) {
    match c {
        '\n' => emit('\n'),
        '\t' | '\u{2028}' | '\u{2029}' => emit(' '),
        c if (c as u32) < 0x20 => {
            emit('^');
            emit(char::from_u32(c as u32 + 0x40).unwrap_or('?'));
        }
        '\u{7F}' => {
            emit('^');
            emit('?');
        }
        c if ('\u{80}'..='\u{9F}').contains(&c) => {
            for ch in format!("<U+{:04X}>", c as u32).chars() {
                emit(ch);
            }
        }
        c if is_bidi_control(c) || is_invisible_format(c) => {}
        c if opts.ascii && is_ambiguous(c) => {
            if let Some(r) = ascii_replacement(c) {
                r.chars().for_each(emit);
            } else {
                // Any other ambiguous character: shown by its code, never ambiguous.
                for ch in format!("<U+{:04X}>", c as u32).chars() {
                    emit(ch);
                }
            }
        }
        c => emit(c),
    }
}

/// A string made safe for the terminal (see [`push_shown`]).
#[must_use]
pub fn sanitize(text: &str, opts: DisplayOptions) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        push_shown(c, opts, &mut |s| out.push(s));
    }
    out
}

/// The display width of one character as drawn (controls never reach here).
#[must_use]
pub fn char_width(c: char) -> usize {
    c.width().unwrap_or(0)
}

/// The display width of a string of drawn characters.
#[must_use]
pub fn str_width(s: &str) -> usize {
    s.chars().map(char_width).sum()
}

/// Cuts a one-line string to at most `width` cells, ending with an ellipsis when cut.
#[must_use]
pub fn truncate(s: &str, width: usize, opts: DisplayOptions) -> String {
    if str_width(s) <= width {
        return s.to_string();
    }
    let ellipsis = if opts.ascii { "..." } else { "…" };
    let ew = str_width(ellipsis);
    if width < ew {
        return ".".repeat(width);
    }
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = char_width(c);
        if w + cw > width - ew {
            break;
        }
        out.push(c);
        w += cw;
    }
    out.push_str(ellipsis);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLAIN: DisplayOptions = DisplayOptions { ascii: false };
    const ASCII: DisplayOptions = DisplayOptions { ascii: true };

    #[test]
    fn controls_become_visible() {
        assert_eq!(sanitize("a\x1b[2Jb", PLAIN), "a^[[2Jb");
        assert_eq!(sanitize("\x1b]0;title\x07", PLAIN), "^[]0;title^G");
        assert_eq!(sanitize("x\u{7f}\u{9b}y", PLAIN), "x^?<U+009B>y");
        assert_eq!(sanitize("a\tb", PLAIN), "a b");
    }

    #[test]
    fn bidi_and_zero_width_dropped() {
        assert_eq!(
            sanitize("abc\u{202E}def\u{200B}g\u{2066}", PLAIN),
            "abcdefg"
        );
    }

    #[test]
    fn ascii_mode_replaces_ambiguous() {
        assert_eq!(sanitize("Ⅶ. 児童", ASCII), "VII. 児童");
        assert_eq!(sanitize("附属文書Ⅱ", ASCII), "附属文書II");
        assert_eq!(sanitize("※①…", ASCII), "*(1)...");
        assert_eq!(sanitize("Ⅶ", PLAIN), "Ⅶ");
        for c in sanitize("Ⅶ※①…─│┌αΩ", ASCII).chars() {
            assert!(!is_ambiguous(c), "{c:?} is ambiguous");
        }
    }

    #[test]
    fn shown_maps_back_to_source() {
        let s = Shown::new("a\x1bb", PLAIN);
        assert_eq!(s.as_string(), "a^[b");
        assert_eq!(s.src, vec![0, 1, 1, 2]);
    }

    #[test]
    fn truncation_fits() {
        assert_eq!(truncate("我々は、国際", 7, PLAIN), "我々は…");
        assert_eq!(truncate("我々は、国際", 7, ASCII), "我々...");
        assert_eq!(truncate("abc", 3, PLAIN), "abc");
        assert!(str_width(&truncate("我々は、国際", 1, PLAIN)) <= 1);
    }
}
