//! What `TERM` says about the terminal: whether it can move the cursor at all (the browser
//! needs that), and whether it has colour.

/// The kind of terminal `TERM` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Term {
    /// Unset, empty or `dumb` (an Emacs shell buffer, a CI log): no cursor movement.
    Dumb,
    /// A terminal without colour: `vt100`, `vt220`, `*-mono`, `*-m`.
    Mono,
    /// Anything else.
    Colour,
}

impl Term {
    /// Classifies a `TERM` value.
    #[must_use]
    pub fn from_name(term: Option<&str>) -> Self {
        let Some(term) = term.map(str::trim).filter(|t| !t.is_empty()) else {
            return Self::Dumb;
        };
        // terminfo's convention: `-m` and `-mono` are the monochrome variants.
        let mono_suffix = term.ends_with("-mono") || term.ends_with("-m");
        match term {
            "dumb" => Self::Dumb,
            "vt52" | "vt100" | "vt102" | "vt220" | "vt320" => Self::Mono,
            _ if mono_suffix => Self::Mono,
            _ => Self::Colour,
        }
    }

    /// `TERM` from the environment.
    #[must_use]
    pub fn from_env() -> Self {
        Self::from_name(std::env::var("TERM").ok().as_deref())
    }

    /// Whether `--color auto` may colour.
    #[must_use]
    pub fn has_colour(self) -> bool {
        self == Self::Colour
    }

    /// Whether the browser can run (it moves the cursor).
    #[must_use]
    pub fn can_move_cursor(self) -> bool {
        self != Self::Dumb
    }
}

/// What the browser says on a terminal that cannot move the cursor.
pub const DUMB_MESSAGE: &str = "the browser needs a terminal that can move the cursor (TERM is \
     unset or dumb); these work anywhere: kaigi show ID, kaigi search QUERY, kaigi outline, \
     kaigi participants";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_term() {
        for (t, want) in [
            (None, Term::Dumb),
            (Some(""), Term::Dumb),
            (Some("dumb"), Term::Dumb),
            (Some("xterm-mono"), Term::Mono),
            (Some("vt100"), Term::Mono),
            (Some("hp-m"), Term::Mono),
            (Some("xterm-256color"), Term::Colour),
            (Some("screen"), Term::Colour),
            (Some("tmux-256color"), Term::Colour),
            (Some("linux"), Term::Colour),
        ] {
            assert_eq!(Term::from_name(t), want, "{t:?}");
        }
    }
}
