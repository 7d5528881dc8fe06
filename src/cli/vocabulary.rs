//! The browser's names for the config file: its actions and keys (from the key table,
//! [`Keymap`]), and its styles (the theme's [`NAMED`]); and the config file's `[keys]` and
//! `[theme]` applied before the browser reads them, so `?` shows the user's keys.

use ratatui::style::{Color, Modifier};

use crate::config::{BasicColor, BindingGroup, KeyBinding, StyleSpec, Vocabulary};
use crate::tui::keymap::{Action, Context, Key, Keymap};
use crate::tui::theme::{Look, Looks, NAMED, Named};

/// The browser's vocabulary, for [`crate::config::load`].
#[derive(Debug, Clone, Copy, Default)]
pub struct Browser;

/// The basic colours as ratatui names them, in the order of [`BasicColor::ALL`].
const COLORS: [(BasicColor, Color); 16] = [
    (BasicColor::Black, Color::Black),
    (BasicColor::Red, Color::Red),
    (BasicColor::Green, Color::Green),
    (BasicColor::Yellow, Color::Yellow),
    (BasicColor::Blue, Color::Blue),
    (BasicColor::Magenta, Color::Magenta),
    (BasicColor::Cyan, Color::Cyan),
    (BasicColor::White, Color::Gray),
    (BasicColor::BrightBlack, Color::DarkGray),
    (BasicColor::BrightRed, Color::LightRed),
    (BasicColor::BrightGreen, Color::LightGreen),
    (BasicColor::BrightYellow, Color::LightYellow),
    (BasicColor::BrightBlue, Color::LightBlue),
    (BasicColor::BrightMagenta, Color::LightMagenta),
    (BasicColor::BrightCyan, Color::LightCyan),
    (BasicColor::BrightWhite, Color::White),
];

/// A config file's style as the theme draws it.
#[must_use]
pub fn look(spec: &StyleSpec) -> Look {
    let fg = spec
        .fg
        .and_then(|c| COLORS.iter().find(|(b, _)| *b == c).map(|(_, r)| *r));
    let mut mods = Modifier::empty();
    for (on, m) in [
        (spec.bold, Modifier::BOLD),
        (spec.underline, Modifier::UNDERLINED),
        (spec.reverse, Modifier::REVERSED),
    ] {
        if on {
            mods |= m;
        }
    }
    Look { fg, mods }
}

/// A look as the config file writes it (`yellow bold underline`, `none`).
#[must_use]
pub fn look_words(look: Look) -> String {
    let mut words: Vec<&str> = Vec::new();
    if let Some(name) = look.fg.and_then(|fg| {
        let basic = COLORS.iter().find(|(_, r)| *r == fg)?.0;
        BasicColor::ALL
            .iter()
            .find(|(b, _)| *b == basic)
            .map(|(_, n)| *n)
    }) {
        words.push(name);
    }
    for (m, word) in [
        (Modifier::BOLD, "bold"),
        (Modifier::UNDERLINED, "underline"),
        (Modifier::REVERSED, "reverse"),
    ] {
        if look.mods.contains(m) {
            words.push(word);
        }
    }
    if words.is_empty() {
        "none".to_string()
    } else {
        words.join(" ")
    }
}

/// The default looks with the config file's `[theme]` over them.
#[must_use]
pub fn looks(theme: &[(String, StyleSpec)]) -> Looks {
    let mut looks = Looks::default();
    for (name, spec) in theme {
        // The config reader has checked every name against the theme's.
        if let Some(which) = Named::from_name(name) {
            looks.set(which, look(spec));
        }
    }
    looks
}

/// A key as the config file writes it: one character as it is (`G`), a named key or a chord
/// in lower case (`pagedown`, `ctrl-d`). [`Key::parse`] reads it back.
#[must_use]
pub fn key_name(key: Key) -> String {
    let label = key.label();
    if label.chars().count() == 1 {
        label
    } else {
        label.to_ascii_lowercase()
    }
}

/// Where typed text goes: a plain character there is typed, not bound.
fn typing(ctx: Context) -> bool {
    matches!(
        ctx,
        Context::Line | Context::SearchLine | Context::GotoLine | Context::Always
    )
}

/// A key that, with no Ctrl or Alt, types a character.
fn types_a_character(key: Key) -> bool {
    use crossterm::event::{KeyCode, KeyModifiers};
    matches!(key.code, KeyCode::Char(_))
        && !key
            .mods
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
}

/// The contexts a binding of `key` to `action` goes into: those where the action has a default
/// binding, but never one where the key would be typed (a plain character for an action of
/// `always` goes to `global`).
fn targets(defaults: &Keymap, key: Key, action: Action) -> Vec<Context> {
    let mut out: Vec<Context> = Vec::new();
    for row in defaults.rows().iter().filter(|r| r.action == action) {
        let ctx = match row.context {
            Context::Always if types_a_character(key) => Context::Global,
            c if typing(c) && types_a_character(key) => continue,
            c => c,
        };
        if !out.contains(&ctx) {
            out.push(ctx);
        }
    }
    if out.is_empty() && !defaults.rows().iter().any(|r| r.action == action) {
        out.push(Context::Global);
    }
    out
}

/// The contexts looked at together with `ctx` (see `App::contexts`): a key bound in `ctx` is
/// taken from all of them, so the new binding is the one that acts.
fn looked_at_with(ctx: Context) -> &'static [Context] {
    use Context as C;
    match ctx {
        C::Always => C::ALL,
        C::Line | C::SearchLine | C::GotoLine => &[C::Line, C::SearchLine, C::GotoLine, C::Always],
        C::Help => &[C::Help],
        C::Marks => &[C::Marks],
        C::Global
        | C::Text
        | C::Tree
        | C::Reader
        | C::Places
        | C::Participants
        | C::Index
        | C::Cited => &[
            C::Global,
            C::Text,
            C::Tree,
            C::Reader,
            C::Places,
            C::Participants,
            C::Index,
            C::Cited,
            C::Always,
        ],
    }
}

/// The key table with the config file's `[keys]` applied: each key runs its action wherever
/// that action is bound by default, and does nothing else there any more. The bindings were
/// checked when the config was read; one that does not parse is left out.
#[must_use]
pub fn keymap(bindings: &[KeyBinding]) -> Keymap {
    let defaults = Keymap::default();
    let mut map = defaults.clone();
    for b in bindings {
        let (Ok(key), Some(action)) = (Key::parse(&b.key), Action::from_name(&b.action)) else {
            continue;
        };
        let targets = targets(&defaults, key, action);
        for &ctx in &targets {
            for &other in looked_at_with(ctx) {
                map.unbind(other, key);
            }
        }
        for &ctx in &targets {
            map.bind(ctx, key, action);
        }
    }
    map
}

impl Vocabulary for Browser {
    fn is_action(&self, name: &str) -> bool {
        Action::from_name(name).is_some()
    }

    fn check_key(&self, name: &str) -> Result<(), String> {
        Key::parse(name).map(|_| ()).map_err(|e| e.to_string())
    }

    fn check_binding(&self, key: &str, action: &str) -> Result<(), String> {
        let (Ok(k), Some(a)) = (Key::parse(key), Action::from_name(action)) else {
            return Ok(());
        };
        if targets(&Keymap::default(), k, a).is_empty() {
            return Err(format!(
                "{key} would be typed, not run, where {action} acts (while typing a line): \
                 bind a ctrl- or alt- key to it"
            ));
        }
        Ok(())
    }

    fn is_style(&self, name: &str) -> bool {
        Named::from_name(name).is_some()
    }

    fn bindings(&self) -> Vec<BindingGroup> {
        let defaults = Keymap::default();
        let mut groups: Vec<(Context, BindingGroup)> = Vec::new();
        for row in defaults.rows() {
            let at = if let Some(i) = groups.iter().position(|(c, _)| *c == row.context) {
                i
            } else {
                groups.push((row.context, (row.context.title().to_string(), Vec::new())));
                groups.len() - 1
            };
            let rows = &mut groups[at].1.1;
            for &key in &row.keys {
                rows.push((
                    key_name(key),
                    row.action.name().to_string(),
                    row.action.description_in(row.context).to_string(),
                ));
            }
        }
        groups.into_iter().map(|(_, g)| g).collect()
    }

    fn styles(&self) -> Vec<(String, String)> {
        NAMED
            .iter()
            .map(|(_, n, l)| ((*n).to_string(), look_words(*l)))
            .collect()
    }
}

/// The key table for the man page: one section a context, each row the keys and what they do
/// (with the action's name, as the config file writes it).
#[must_use]
pub fn man_sections() -> Vec<super::generate::KeySection> {
    Keymap::default()
        .help_sections()
        .into_iter()
        .filter(|(_, rows)| !rows.is_empty())
        .map(|(title, rows)| {
            (
                title,
                rows.into_iter()
                    .map(|(keys, what, name)| (keys, format!("{what} ({name})")))
                    .collect(),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    fn binding(key: &str, action: &str) -> KeyBinding {
        KeyBinding {
            key: key.into(),
            action: action.into(),
            line: 1,
        }
    }

    fn press(c: char, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), mods)
    }

    const BROWSING: [Context; 4] = [
        Context::Reader,
        Context::Text,
        Context::Global,
        Context::Always,
    ];

    #[test]
    fn a_rebinding_acts_and_takes_the_key_from_its_old_action() {
        let map = keymap(&[binding("x", "quit"), binding("j", "top")]);
        let none = KeyModifiers::NONE;
        assert_eq!(
            map.lookup(&BROWSING, &press('x', none)),
            Some((Context::Global, Action::Quit))
        );
        assert_eq!(
            map.lookup(&BROWSING, &press('j', none)),
            Some((Context::Text, Action::Top))
        );
        // The other keys of the old actions still work.
        assert_eq!(
            map.lookup(&BROWSING, &press('q', none)),
            Some((Context::Global, Action::Quit))
        );
        assert_eq!(
            map.lookup(&BROWSING, &KeyEvent::new(KeyCode::Down, none)),
            Some((Context::Text, Action::Down))
        );
    }

    #[test]
    fn a_chord_reaches_every_context_of_its_action() {
        let map = keymap(&[binding("ctrl-j", "down")]);
        let j = press('j', KeyModifiers::CONTROL);
        for ctx in [
            Context::Text,
            Context::Tree,
            Context::Participants,
            Context::Help,
        ] {
            assert_eq!(map.lookup(&[ctx], &j), Some((ctx, Action::Down)), "{ctx:?}");
        }
    }

    #[test]
    fn typed_characters_stay_typed() {
        // `x` for an action of the line would make x impossible to type: refused.
        assert!(Browser.check_binding("x", "accept").is_err());
        assert!(Browser.check_binding("ctrl-x", "accept").is_ok());
        // A plain character for an `always` action goes to `global`, not to the line.
        let map = keymap(&[binding("x", "repaint")]);
        let x = press('x', KeyModifiers::NONE);
        assert_eq!(map.lookup(&[Context::Line, Context::Always], &x), None);
        assert_eq!(
            map.lookup(&[Context::Global], &x),
            Some((Context::Global, Action::Repaint))
        );
    }

    #[test]
    fn every_default_binding_is_named_so_that_it_reads_back() {
        let rows: Vec<(String, String, String)> = Browser
            .bindings()
            .into_iter()
            .flat_map(|(_, r)| r)
            .collect();
        assert!(rows.iter().any(|(k, a, _)| k == "G" && a == "bottom"));
        assert!(
            rows.iter()
                .any(|(k, a, _)| k == "ctrl-d" && a == "half-page-down")
        );
        for (key, action, _) in rows {
            assert!(Browser.check_key(&key).is_ok(), "{key}");
            assert!(Browser.is_action(&action), "{action}");
        }
    }

    #[test]
    fn man_sections_list_every_bound_key() {
        let sections = man_sections();
        assert!(sections.iter().any(|(_, rows)| {
            rows.iter()
                .any(|(keys, what)| keys == "q Ctrl-c" && what.ends_with("(quit)"))
        }));
    }
}

#[cfg(test)]
mod style_tests {
    use super::*;

    /// Every default look, written as `config --default` writes it and read back as a config
    /// file's `[theme]` reads it, is the same look: the defaults have one home, the theme.
    #[test]
    fn default_looks_round_trip_through_the_config_words() {
        for (_, name, look) in NAMED {
            let words = look_words(look);
            let spec = StyleSpec::parse(&words).expect(name);
            assert_eq!(super::look(&spec), look, "{name}: {words}");
        }
        assert_eq!(look_words(NAMED[0].2), "yellow bold underline");
    }

    #[test]
    fn a_theme_entry_replaces_one_look() {
        let spec = StyleSpec::parse("bright-cyan underline").expect("style");
        let l = looks(&[("heading".to_string(), spec)]);
        assert_eq!(
            l.get(Named::Heading),
            Look {
                fg: Some(Color::LightCyan),
                mods: Modifier::UNDERLINED
            }
        );
        assert_eq!(l.get(Named::Title), Looks::default().get(Named::Title));
    }
}
