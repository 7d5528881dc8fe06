//! Styles. The default palette uses only the 16 basic colours; with colour off, everything that
//! matters is still told apart by bold, underline and reverse video.
//!
//! The styles a user may change (the config file's `[theme]`) are named in [`NAMED`], with
//! their defaults: that one table feeds the drawing, `kaigi config --default` and the check of
//! a config file.

use ratatui::style::{Color, Modifier, Style};

use crate::layout::Role;
use crate::text::display::DisplayOptions;

/// A style that can be named in `[theme]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Named {
    Title,
    Meta,
    Heading,
    Marker,
    Note,
    Match,
    Bar,
    HintKey,
    Message,
    Separator,
    Link,
    LinkSelected,
}

/// A colour (drawn only when colour is on) and attributes (always drawn).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Look {
    pub fg: Option<Color>,
    pub mods: Modifier,
}

impl Look {
    const fn new(fg: Option<Color>, mods: Modifier) -> Self {
        Look { fg, mods }
    }
}

const B: Modifier = Modifier::BOLD;
const U: Modifier = Modifier::UNDERLINED;
const NONE: Modifier = Modifier::empty();

/// Every named style: its name in the config file and its default look.
pub const NAMED: [(Named, &str, Look); 12] = [
    (
        Named::Title,
        "title",
        Look::new(Some(Color::Yellow), B.union(U)),
    ),
    (Named::Meta, "meta", Look::new(Some(Color::Cyan), NONE)),
    (Named::Heading, "heading", Look::new(Some(Color::Green), B)),
    (Named::Marker, "marker", Look::new(Some(Color::Yellow), B)),
    (Named::Note, "note", Look::new(Some(Color::Cyan), NONE)),
    (
        Named::Match,
        "match",
        Look::new(Some(Color::Magenta), B.union(U)),
    ),
    (Named::Bar, "bar", Look::new(None, Modifier::REVERSED)),
    (
        Named::HintKey,
        "hint-key",
        Look::new(Some(Color::Yellow), B),
    ),
    (Named::Message, "message", Look::new(Some(Color::Cyan), B)),
    (
        Named::Separator,
        "separator",
        Look::new(Some(Color::DarkGray), NONE),
    ),
    // Drawn over the text's own style: underlined so a link is seen without colour; the
    // selected one (`>`, `<`) also in reverse video.
    (Named::Link, "link", Look::new(None, U)),
    (
        Named::LinkSelected,
        "link-selected",
        Look::new(None, U.union(Modifier::REVERSED).union(B)),
    ),
];

impl Named {
    /// The style with this name in the config file.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        NAMED
            .iter()
            .find(|(_, n, _)| *n == name)
            .map(|(s, _, _)| *s)
    }

    fn index(self) -> usize {
        NAMED.iter().position(|(s, _, _)| *s == self).unwrap_or(0)
    }
}

/// The looks in force: the defaults, with the config file's `[theme]` over them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Looks([Look; NAMED.len()]);

impl Default for Looks {
    fn default() -> Self {
        Looks(NAMED.map(|(_, _, look)| look))
    }
}

impl Looks {
    /// Replaces one style.
    pub fn set(&mut self, which: Named, look: Look) {
        self.0[which.index()] = look;
    }

    #[must_use]
    pub fn get(&self, which: Named) -> Look {
        self.0[which.index()]
    }
}

/// How to draw: colour or not, which characters the terminal can take, and the looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Theme {
    pub color: bool,
    pub opts: DisplayOptions,
    pub looks: Looks,
}

impl Theme {
    fn fg(self, c: Color) -> Style {
        if self.color {
            Style::new().fg(c)
        } else {
            Style::new()
        }
    }

    /// A named style as it is drawn now: its attributes always, its colour when colour is on.
    #[must_use]
    pub fn named(self, which: Named) -> Style {
        let look = self.looks.get(which);
        let style = Style::new().add_modifier(look.mods);
        match look.fg {
            Some(c) if self.color => style.fg(c),
            _ => style,
        }
    }

    /// A role in the reading pane.
    #[must_use]
    pub fn role(self, role: Role) -> Style {
        match role {
            Role::Title => self.named(Named::Title),
            Role::Meta => self.named(Named::Meta),
            Role::Heading => self.named(Named::Heading),
            Role::Marker => self.named(Named::Marker),
            Role::Body => Style::new(),
            Role::Note => self.named(Named::Note),
        }
    }

    /// The current node's marker in the reader.
    #[must_use]
    pub fn current_marker(self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
    }

    /// A search match in the reader or a list.
    #[must_use]
    pub fn matched(self) -> Style {
        self.named(Named::Match)
    }

    /// A tree row.
    #[must_use]
    pub fn tree_row(self, depth: usize, selected: bool, focused: bool) -> Style {
        let base = if depth == 0 {
            self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
        } else if depth == 1 {
            self.fg(Color::Green)
        } else {
            Style::new()
        };
        match (selected, focused) {
            (true, true) => base.add_modifier(Modifier::REVERSED),
            (true, false) => base.add_modifier(Modifier::UNDERLINED | Modifier::BOLD),
            _ => base,
        }
    }

    /// The location bar at the top.
    #[must_use]
    pub fn bar(self) -> Style {
        self.named(Named::Bar)
    }

    /// Keys in the hint bar.
    #[must_use]
    pub fn hint_key(self) -> Style {
        self.named(Named::HintKey)
    }

    /// A message in the hint bar (an error or a confirmation).
    #[must_use]
    pub fn message(self) -> Style {
        self.named(Named::Message)
    }

    /// A link in the reader (`selected`: the one `Enter` follows).
    #[must_use]
    pub fn link(self, selected: bool) -> Style {
        self.named(if selected {
            Named::LinkSelected
        } else {
            Named::Link
        })
    }

    /// The separator between panes.
    #[must_use]
    pub fn separator(self) -> Style {
        self.named(Named::Separator)
    }

    /// The separator character between panes.
    #[must_use]
    pub fn vertical(self) -> &'static str {
        if self.opts.ascii { "|" } else { "│" }
    }
}
