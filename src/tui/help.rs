//! The `?` help: generated from the key table, every context, the line-editing keys among
//! them, with each action's name beside its description, wrapped to any width of 20 columns
//! or more.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;

use super::draw::put;
use super::effect::Effect;
use super::keymap::{Action, Keymap};
use super::theme::Theme;
use crate::text::display::{str_width, truncate};

/// What the help says before the tables.
pub const INTRO: &str = "Keys move between the tree and the reader only by Tab and Shift-Tab \
(Tab is the same key as Ctrl-i, so forward in the jump list is L or Alt-Right), t (showing the \
tree gives it the keys) and Enter in the tree (back to the reader); the pane with the keys is \
named at the left of the bottom line. Paging keys always page the text. Every jump can be \
undone with Ctrl-o or Backspace. Links are underlined: > and < select the next and previous \
link on screen (w3m and Info use Tab, which is the focus switch here), Enter or Ctrl-] follows \
the selected one, and n then steps through every link of the text. i opens the index of terms \
(as in Info), R the documents the texts cite. After :, a bare number is a paragraph of the \
document on screen (of the other one when this one has none: :23 from the CRI goes to g7:23); \
doc:number (:cri:3) says which, and the line above shows where Enter will go. A paste with no \
line open starts a search with it. Names in brackets are for a config file.";

/// The help overlay's state: how far it is scrolled.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HelpState {
    pub offset: usize,
}

impl HelpState {
    /// Carries out an action of the `help` rows; `None` closes the help.
    #[must_use]
    pub fn update(mut self, action: Option<Action>, page: usize) -> (Option<Self>, Vec<Effect>) {
        match action {
            Some(Action::Down) => self.offset += 1,
            Some(Action::Up) => self.offset = self.offset.saturating_sub(1),
            Some(Action::PageDown) => self.offset += page.max(1),
            Some(Action::PageUp) => self.offset = self.offset.saturating_sub(page.max(1)),
            Some(Action::Quit) => return (None, vec![Effect::Quit]),
            _ => return (None, Vec::new()),
        }
        (Some(self), Vec::new())
    }
}

/// Breaks `text` into lines of at most `width` columns, at spaces where it can (a word
/// longer than a line is cut).
#[must_use]
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let mut word = word;
        loop {
            let sep = usize::from(!line.is_empty());
            if str_width(&line) + sep + str_width(word) <= width {
                if sep == 1 {
                    line.push(' ');
                }
                line.push_str(word);
                break;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                continue;
            }
            // Alone on its line and still too long: cut it where the line ends.
            let mut used = 0;
            let cut = word
                .char_indices()
                .find(|&(_, c)| {
                    used += str_width(c.encode_utf8(&mut [0; 4]));
                    used > width
                })
                .map_or(word.len(), |(i, _)| {
                    i.max(word.chars().next().map_or(1, char::len_utf8))
                });
            lines.push(word[..cut].to_string());
            word = &word[cut..];
            if word.is_empty() {
                break;
            }
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// One line of the help as drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelpLine {
    /// The keys column (padded to its width), empty for a heading or the intro.
    pub keys: String,
    pub text: String,
    pub heading: bool,
}

impl HelpLine {
    fn plain(text: String, heading: bool) -> Self {
        HelpLine {
            keys: String::new(),
            text,
            heading,
        }
    }

    /// The line as it is drawn.
    #[must_use]
    pub fn shown(&self) -> String {
        if self.keys.is_empty() {
            self.text.clone()
        } else {
            format!("{}  {}", self.keys, self.text)
        }
    }
}

/// The help's lines for a width.
#[must_use]
pub fn lines(keymap: &Keymap, width: usize) -> Vec<HelpLine> {
    let mut out: Vec<HelpLine> = wrap(INTRO, width)
        .into_iter()
        .map(|l| HelpLine::plain(l, false))
        .collect();
    let sections = keymap.help_sections();
    let key_w = sections
        .iter()
        .flat_map(|(_, rows)| rows.iter().map(|(k, _, _)| str_width(k)))
        .max()
        .unwrap_or(0)
        .min(width / 3)
        .max(1);
    let desc_w = width.saturating_sub(key_w + 2).max(1);
    for (title, rows) in sections {
        if rows.is_empty() {
            continue;
        }
        out.push(HelpLine::plain(String::new(), false));
        for l in wrap(title, width) {
            out.push(HelpLine::plain(l, true));
        }
        for (keys, desc, name) in rows {
            let keys = wrap(&keys, key_w);
            let desc = wrap(&format!("{desc} [{name}]"), desc_w);
            for i in 0..keys.len().max(desc.len()) {
                let k = keys.get(i).map_or("", String::as_str);
                let pad = key_w.saturating_sub(str_width(k));
                out.push(HelpLine {
                    keys: format!("{k}{}", " ".repeat(pad)),
                    text: desc.get(i).cloned().unwrap_or_default(),
                    heading: false,
                });
            }
        }
    }
    out
}

/// How wide the help is drawn on a screen `width` columns wide.
fn box_width(width: u16) -> usize {
    usize::from(width).min(90)
}

/// The furthest the help scrolls on a screen of this size.
#[must_use]
pub fn max_offset(keymap: &Keymap, width: u16, height: u16) -> usize {
    let inner = box_width(width).saturating_sub(2);
    lines(keymap, inner)
        .len()
        .saturating_sub(usize::from(height).saturating_sub(1))
}

/// Draws the help over `area`.
pub fn render(state: HelpState, keymap: &Keymap, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let w = box_width(area.width);
    let h = usize::from(area.height);
    if w < 4 || h < 3 {
        return;
    }
    let x0 = area.x + u16::try_from((usize::from(area.width) - w) / 2).unwrap_or(0);
    let style = theme.bar();
    for y in 0..h {
        let yy = area.y + u16::try_from(y).unwrap_or(0);
        // A blank cell either side, so no wide character is left cut in half by the edge.
        let left = x0.saturating_sub(1).max(area.x);
        let margin = (usize::from(x0 - left) + w + 1).min(usize::from(area.x + area.width - left));
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
    let inner = w.saturating_sub(2);
    let all = lines(keymap, inner);
    let body_h = h.saturating_sub(1);
    let offset = state.offset.min(all.len().saturating_sub(body_h));
    let more = if offset + body_h < all.len() {
        "Space: more; "
    } else {
        ""
    };
    let title = format!(" keys ({more}other keys close) ");
    put(
        buf,
        x0 + 1,
        area.y,
        &truncate(&title, inner, theme.opts),
        inner,
        style.add_modifier(Modifier::BOLD),
    );
    for (i, line) in all.iter().skip(offset).take(body_h).enumerate() {
        let y = area.y + 1 + u16::try_from(i).unwrap_or(0);
        let s = if line.heading {
            style.add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
        } else {
            style
        };
        put(
            buf,
            x0 + 1,
            y,
            &truncate(&line.shown(), inner, theme.opts),
            inner,
            s,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_keeps_every_word_within_the_width() {
        let text = "search both documents (participants: narrow); a paste opens / with it";
        for width in 1..40 {
            let lines = wrap(text, width);
            for l in &lines {
                assert!(str_width(l) <= width, "{width}: {l:?}");
            }
            let joined: String = lines.concat().chars().filter(|c| *c != ' ').collect();
            let want: String = text.chars().filter(|c| *c != ' ').collect();
            assert_eq!(joined, want, "{width}");
        }
    }

    #[test]
    fn every_description_is_whole_at_20_columns() {
        let map = Keymap::default();
        let lines = lines(&map, 18);
        assert!(lines.iter().all(|l| str_width(&l.shown()) <= 18));
        let text: String = lines
            .iter()
            .map(|l| l.text.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        let squeeze = |s: &str| s.split_whitespace().collect::<String>();
        let words = squeeze(&text);
        for (_, rows) in map.help_sections() {
            for (_, desc, name) in rows {
                assert!(
                    words.contains(&squeeze(&format!("{desc} [{name}]"))),
                    "{desc} cut"
                );
            }
        }
        assert!(words.contains(&squeeze(INTRO)));
    }
}
