//! Styles. The default palette uses only the 16 basic colours; with colour off, everything that
//! matters is still told apart by bold, underline and reverse video.

use ratatui::style::{Color, Modifier, Style};

use crate::layout::Role;
use crate::text::display::DisplayOptions;

/// How to draw: colour or not, and which characters the terminal can take.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Theme {
    pub color: bool,
    pub opts: DisplayOptions,
}

impl Theme {
    fn fg(self, c: Color) -> Style {
        if self.color {
            Style::new().fg(c)
        } else {
            Style::new()
        }
    }

    /// A role in the reading pane.
    #[must_use]
    // One row per role reads as a table, even where two roles look alike today.
    #[allow(clippy::match_same_arms)]
    pub fn role(self, role: Role) -> Style {
        match role {
            Role::Title => self
                .fg(Color::Yellow)
                .add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            Role::Meta => self.fg(Color::Cyan),
            Role::Heading => self.fg(Color::Green).add_modifier(Modifier::BOLD),
            Role::Marker => self.fg(Color::Yellow).add_modifier(Modifier::BOLD),
            Role::Body => Style::new(),
            Role::Note => self.fg(Color::Cyan),
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
        self.fg(Color::Magenta)
            .add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
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
        Style::new().add_modifier(Modifier::REVERSED)
    }

    /// Keys in the hint bar.
    #[must_use]
    pub fn hint_key(self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }

    /// A message in the hint bar (an error or a confirmation).
    #[must_use]
    pub fn message(self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }

    /// The separator between panes.
    #[must_use]
    pub fn separator(self) -> Style {
        self.fg(Color::DarkGray)
    }

    /// The separator character between panes.
    #[must_use]
    pub fn vertical(self) -> &'static str {
        if self.opts.ascii { "|" } else { "│" }
    }
}
