//! The config file, `$XDG_CONFIG_HOME/kaigi/config.toml`: the long options by their names
//! (`ambiguous = "wide"`, `color = "never"`, `ascii = true`, `tree = false`), a `[keys]` table
//! binding key names to action names, and a `[theme]` table of styles. Read with the toml
//! crate and serde; every problem is one line naming the file, the line and what is wrong.
//!
//! Key names, action names and style names belong to the browser's key table and theme, so
//! they are checked by a [`Vocabulary`] the caller passes in: this module knows nothing of
//! the terminal.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::cli::{Ambiguous, ColorChoice};
use crate::corpus::Encoding;
use crate::text::sanitize;

/// A config file larger than this is refused (a config is a few hundred bytes).
pub const MAX_CONFIG_BYTES: u64 = 1024 * 1024;

/// The settings of the config file: one for each long option of the command line that
/// applies to every command, by the same name. `None` is "not set".
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Settings {
    pub file: Option<Vec<PathBuf>>,
    pub goto: Option<String>,
    pub search: Option<String>,
    pub ambiguous: Option<Ambiguous>,
    pub ascii: Option<bool>,
    pub color: Option<ColorChoice>,
    pub encoding: Option<Encoding>,
    pub pager: Option<bool>,
    pub tree: Option<bool>,
    pub state: Option<bool>,
    /// `[keys]` and `[theme]` as read, before they are checked (then moved to [`Config`]).
    #[serde(default)]
    keys: BTreeMap<Spanned<String>, Spanned<String>>,
    #[serde(default)]
    theme: BTreeMap<Spanned<String>, Spanned<String>>,
}

/// What the caller knows that the config module does not: which keys, actions and styles
/// exist.
pub trait Vocabulary {
    /// Whether `name` is an action the key table knows (`down`, `quit`).
    fn is_action(&self, name: &str) -> bool;
    /// Checks a key name (`ctrl-j`, `x`, `pagedown`): what is wrong with it, if anything.
    ///
    /// # Errors
    /// The key name is not one the key table can bind.
    fn check_key(&self, name: &str) -> Result<(), String>;
    /// Checks a binding of a key and an action that are each known: what is wrong with the
    /// pair, if anything (a key that would be typed where the action acts).
    ///
    /// # Errors
    /// The binding cannot work.
    fn check_binding(&self, key: &str, action: &str) -> Result<(), String> {
        let _ = (key, action);
        Ok(())
    }
    /// Whether `name` is a style of the theme (`heading`, `match`).
    fn is_style(&self, name: &str) -> bool;
    /// Every binding, for the default config file, in groups (a heading, then key name, action
    /// name and what it does for each binding).
    fn bindings(&self) -> Vec<BindingGroup>;
    /// Every style, for the default config file: its name and its default (`"yellow bold"`).
    fn styles(&self) -> Vec<(String, String)>;
}

/// A heading and its bindings (key name, action name, what it does), for the default config.
pub type BindingGroup = (String, Vec<(String, String, String)>);

/// One of the 16 basic colours of a terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BasicColor {
    Black,
    Red,
    Green,
    Yellow,
    Blue,
    Magenta,
    Cyan,
    White,
    BrightBlack,
    BrightRed,
    BrightGreen,
    BrightYellow,
    BrightBlue,
    BrightMagenta,
    BrightCyan,
    BrightWhite,
}

impl BasicColor {
    /// Every colour, with the name the config file uses.
    pub const ALL: [(BasicColor, &'static str); 16] = [
        (Self::Black, "black"),
        (Self::Red, "red"),
        (Self::Green, "green"),
        (Self::Yellow, "yellow"),
        (Self::Blue, "blue"),
        (Self::Magenta, "magenta"),
        (Self::Cyan, "cyan"),
        (Self::White, "white"),
        (Self::BrightBlack, "bright-black"),
        (Self::BrightRed, "bright-red"),
        (Self::BrightGreen, "bright-green"),
        (Self::BrightYellow, "bright-yellow"),
        (Self::BrightBlue, "bright-blue"),
        (Self::BrightMagenta, "bright-magenta"),
        (Self::BrightCyan, "bright-cyan"),
        (Self::BrightWhite, "bright-white"),
    ];

    /// The colour a name stands for (`bright-red`; `gray` and `grey` are `bright-black`).
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "gray" | "grey" => Some(Self::BrightBlack),
            _ => Self::ALL.iter().find(|(_, n)| *n == name).map(|(c, _)| *c),
        }
    }
}

/// A style in the config file: `"yellow bold"`, `"reverse"`, `"bright-cyan underline"`,
/// `"none"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct StyleSpec {
    pub fg: Option<BasicColor>,
    pub bold: bool,
    pub underline: bool,
    pub reverse: bool,
}

impl StyleSpec {
    /// Parses words separated by spaces: at most one colour, and `bold`, `underline`,
    /// `reverse`; `none` alone is no colour and no attribute.
    ///
    /// # Errors
    /// A word that is none of these, or two colours.
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut spec = StyleSpec::default();
        let words: Vec<&str> = text.split_whitespace().collect();
        if words == ["none"] {
            return Ok(spec);
        }
        if words.is_empty() {
            return Err("an empty style (say \"none\" for no colour and no attribute)".into());
        }
        for word in words {
            match word.to_ascii_lowercase().as_str() {
                "bold" => spec.bold = true,
                "underline" | "underlined" => spec.underline = true,
                "reverse" | "reversed" => spec.reverse = true,
                w => match BasicColor::from_name(w) {
                    Some(_) if spec.fg.is_some() => {
                        return Err(format!("two colours in \"{text}\""));
                    }
                    Some(c) => spec.fg = Some(c),
                    None => {
                        return Err(format!(
                            "\"{word}\" is not a colour (black, red, green, yellow, blue, \
                             magenta, cyan, white, or bright- before one) nor bold, underline, \
                             reverse"
                        ));
                    }
                },
            }
        }
        Ok(spec)
    }
}

/// A key bound by the config file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyBinding {
    pub key: String,
    pub action: String,
    pub line: usize,
}

/// The config file, read and checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    /// Where it was read from (`None`: no config file).
    pub path: Option<PathBuf>,
    pub settings: Settings,
    /// `[keys]`, in the order of the file.
    pub keys: Vec<KeyBinding>,
    /// `[theme]`: style name and style.
    pub theme: Vec<(String, StyleSpec)>,
}

/// A bad config file: one line naming the file, the line and the problem.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}{}: {problem}", if *line == 0 { String::new() } else { format!(":{line}") })]
pub struct ConfigError {
    pub path: String,
    /// 1-based; 0 when the problem is the file itself (it cannot be read).
    pub line: usize,
    pub problem: String,
}

/// Where the config file is looked for, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// `--no-config`: none is read.
    Skipped,
    /// Given with `--config` or `KAIGI_CONFIG`: it must exist.
    Given(PathBuf),
    /// The default place: a missing file is no config.
    Default(PathBuf),
    /// No default place could be found (no `$XDG_CONFIG_HOME`, no `$HOME`).
    Nowhere,
}

impl Location {
    /// Decides from `--config`, `--no-config` and the environment (`KAIGI_CONFIG`,
    /// `XDG_CONFIG_HOME`, `HOME`), as read by `env`.
    #[must_use]
    pub fn find(
        flag: Option<&Path>,
        no_config: bool,
        env: impl Fn(&str) -> Option<OsString>,
    ) -> Self {
        if no_config {
            return Self::Skipped;
        }
        if let Some(p) = flag {
            return Self::Given(p.to_path_buf());
        }
        let set = |name: &str| env(name).filter(|v| !v.is_empty());
        if let Some(p) = set("KAIGI_CONFIG") {
            return Self::Given(PathBuf::from(p));
        }
        // As the XDG base directory specification says: a relative XDG_CONFIG_HOME is ignored.
        let base = set("XDG_CONFIG_HOME")
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
            .or_else(|| set("HOME").map(|h| PathBuf::from(h).join(".config")));
        match base {
            Some(b) => Self::Default(b.join("kaigi").join("config.toml")),
            None => Self::Nowhere,
        }
    }

    /// The path, when there is one.
    #[must_use]
    pub fn path(&self) -> Option<&Path> {
        match self {
            Self::Given(p) | Self::Default(p) => Some(p),
            Self::Skipped | Self::Nowhere => None,
        }
    }
}

/// The line (1-based) a byte offset falls on.
fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    1 + memchr::memchr_iter(b'\n', &text.as_bytes()[..end]).count()
}

/// Reads the config file at `location`. A missing file at the default place is no config;
/// every other problem is an error.
///
/// # Errors
/// The file cannot be read, is not TOML, or says something kaigi does not understand.
pub fn load(location: &Location, vocab: &dyn Vocabulary) -> Result<Config, ConfigError> {
    let (path, must_exist) = match location {
        Location::Skipped | Location::Nowhere => return Ok(Config::default()),
        Location::Given(p) => (p, true),
        Location::Default(p) => (p, false),
    };
    let shown = crate::corpus::shown_path(path);
    if !must_exist && !path.exists() {
        return Ok(Config::default());
    }
    let fail = |line: usize, problem: String| ConfigError {
        path: shown.clone(),
        line,
        problem,
    };
    let bytes = crate::corpus::read_source(path, &shown, MAX_CONFIG_BYTES).map_err(|e| {
        // The load error names the file already; say it once.
        let msg = e.to_string();
        let problem = msg
            .strip_prefix(&format!("{shown}: "))
            .unwrap_or(&msg)
            .to_string();
        ConfigError {
            path: shown.clone(),
            line: 0,
            problem,
        }
    })?;
    let text = std::str::from_utf8(&bytes).map_err(|e| {
        let at = e.valid_up_to();
        fail(
            line_of(&String::from_utf8_lossy(&bytes[..at]), at),
            format!("not UTF-8 (invalid byte at offset {at})"),
        )
    })?;
    let mut config = parse(text, vocab).map_err(|(line, problem)| fail(line, problem))?;
    config.path = Some(path.clone());
    Ok(config)
}

/// Parses the text of a config file.
///
/// # Errors
/// The line and the problem (made safe to print: it may quote the file).
pub fn parse(text: &str, vocab: &dyn Vocabulary) -> Result<Config, (usize, String)> {
    let safe = |s: &str| sanitize(s, crate::text::DisplayOptions::default());
    let mut raw: Settings = toml::from_str(text).map_err(|e| {
        let line = e.span().map_or(1, |s| line_of(text, s.start));
        // toml's messages may run over lines (a snippet of the file): the first says it.
        let msg = e.message().lines().next().unwrap_or("not TOML").to_string();
        (line, safe(&msg))
    })?;
    let mut keys = Vec::new();
    let mut by_line: Vec<(usize, &Spanned<String>, &Spanned<String>)> = raw
        .keys
        .iter()
        .map(|(k, v)| (line_of(text, k.span().start), k, v))
        .collect();
    by_line.sort_by_key(|(line, _, _)| *line);
    for (line, key, action) in by_line {
        vocab
            .check_key(key.get_ref())
            .map_err(|problem| (line, safe(&format!("[keys] {problem}"))))?;
        if !vocab.is_action(action.get_ref()) {
            return Err((
                line_of(text, action.span().start),
                safe(&format!(
                    "[keys] \"{}\" is not an action (kaigi config --default lists them)",
                    action.get_ref()
                )),
            ));
        }
        vocab
            .check_binding(key.get_ref(), action.get_ref())
            .map_err(|problem| (line, safe(&format!("[keys] {problem}"))))?;
        keys.push(KeyBinding {
            key: key.get_ref().clone(),
            action: action.get_ref().clone(),
            line,
        });
    }
    let mut theme = Vec::new();
    for (name, value) in &raw.theme {
        if !vocab.is_style(name.get_ref()) {
            return Err((
                line_of(text, name.span().start),
                safe(&format!(
                    "[theme] \"{}\" is not a style (kaigi config --default lists them)",
                    name.get_ref()
                )),
            ));
        }
        let spec = StyleSpec::parse(value.get_ref()).map_err(|problem| {
            (
                line_of(text, value.span().start),
                safe(&format!("[theme] {}: {problem}", name.get_ref())),
            )
        })?;
        theme.push((name.get_ref().clone(), spec));
    }
    raw.keys.clear();
    raw.theme.clear();
    Ok(Config {
        path: None,
        settings: raw,
        keys,
        theme,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Words;

    impl Vocabulary for Words {
        fn is_action(&self, name: &str) -> bool {
            ["down", "quit"].contains(&name)
        }
        fn check_key(&self, name: &str) -> Result<(), String> {
            if ["x", "ctrl-j"].contains(&name) {
                Ok(())
            } else {
                Err(format!("\"{name}\" is not a key"))
            }
        }
        fn is_style(&self, name: &str) -> bool {
            name == "heading"
        }
        fn bindings(&self) -> Vec<BindingGroup> {
            vec![(
                "anywhere".into(),
                vec![("x".into(), "quit".into(), "quit".into())],
            )]
        }
        fn styles(&self) -> Vec<(String, String)> {
            vec![("heading".into(), "green bold".into())]
        }
    }

    #[test]
    fn settings_keys_and_theme() {
        let text = "ambiguous = \"wide\"\ncolor = \"never\"\nascii = true\ntree = false\n\
                    encoding = \"shift_jis\"\nfile = [\"a.txt\"]\n\n[keys]\nx = \"quit\"\n\
                    \"ctrl-j\" = \"down\"\n\n[theme]\nheading = \"bright-cyan bold\"\n";
        let c = parse(text, &Words).expect("valid");
        assert_eq!(c.settings.ambiguous, Some(Ambiguous::Wide));
        assert_eq!(c.settings.color, Some(ColorChoice::Never));
        assert_eq!(c.settings.ascii, Some(true));
        assert_eq!(c.settings.tree, Some(false));
        assert_eq!(c.settings.encoding, Some(Encoding::ShiftJis));
        assert_eq!(c.settings.file, Some(vec![PathBuf::from("a.txt")]));
        assert_eq!(
            c.keys,
            [
                KeyBinding {
                    key: "x".into(),
                    action: "quit".into(),
                    line: 9
                },
                KeyBinding {
                    key: "ctrl-j".into(),
                    action: "down".into(),
                    line: 10
                }
            ]
        );
        assert_eq!(
            c.theme,
            [(
                "heading".to_string(),
                StyleSpec {
                    fg: Some(BasicColor::BrightCyan),
                    bold: true,
                    ..StyleSpec::default()
                }
            )]
        );
    }

    fn error(text: &str) -> (usize, String) {
        parse(text, &Words).expect_err("invalid")
    }

    #[test]
    fn every_error_names_its_line() {
        let (line, msg) = error("color = \"never\"\nfrobnicate = 1\n");
        assert_eq!(line, 2);
        assert!(msg.contains("unknown field `frobnicate`"), "{msg}");
        let (line, msg) = error("\n\nambiguous = \"wider\"\n");
        assert_eq!(line, 3);
        assert!(msg.contains("wider") && msg.contains("narrow"), "{msg}");
        let (line, msg) = error("ascii = \"yes\"\n");
        assert_eq!(line, 1);
        assert!(msg.contains("boolean"), "{msg}");
        let (line, msg) = error("color = \"never\"\ncolor = \n");
        assert_eq!(line, 2, "{msg}");
        let (line, msg) = error("[keys]\nx = \"quit\"\nz = \"down\"\n");
        assert_eq!((line, msg.as_str()), (3, "[keys] \"z\" is not a key"));
        let (line, msg) = error("[keys]\nx = \"fly\"\n");
        assert_eq!(line, 2);
        assert!(msg.contains("\"fly\" is not an action"), "{msg}");
        let (line, msg) = error("[theme]\nheading = \"purple\"\n");
        assert_eq!(line, 2);
        assert!(msg.contains("\"purple\" is not a colour"), "{msg}");
        let (line, msg) = error("[theme]\n\nbody = \"red\"\n");
        assert_eq!(line, 3);
        assert!(msg.contains("\"body\" is not a style"), "{msg}");
        let (line, _) = error("[frob]\na = 1\n");
        assert_eq!(line, 1);
    }

    #[test]
    fn errors_quote_the_file_safely() {
        let (_, msg) = error("[keys]\nx = \"\\u001b]0;PWNED\\u0007\"\n");
        assert!(!msg.contains('\x1b') && !msg.contains('\x07'), "{msg:?}");
        assert!(msg.contains("^[]0;PWNED^G"), "{msg}");
    }

    proptest::proptest! {
        /// Any text: a config or one line's problem, never a panic, and never a control
        /// character in the problem.
        #[test]
        fn any_text_parses_or_fails_on_a_line(text in "(?s).{0,200}") {
            if let Err((line, problem)) = parse(&text, &Words) {
                proptest::prop_assert!(line >= 1 && line <= text.lines().count().max(1) + 1);
                proptest::prop_assert!(!problem.chars().any(char::is_control));
            }
        }

        #[test]
        fn config_like_text_never_panics(
            lines in proptest::collection::vec(
                "(\\[(keys|theme)\\]|[a-z\\-\"]{0,10} = (\"[a-z \\-]{0,12}\"|true|1|\\[\\]))",
                0..8,
            )
        ) {
            let text = lines.join("\n");
            if let Err((line, _)) = parse(&text, &Words) {
                proptest::prop_assert!(line >= 1 && line <= lines.len().max(1) + 1);
            }
        }
    }

    #[test]
    fn styles_parse() {
        assert_eq!(StyleSpec::parse("none"), Ok(StyleSpec::default()));
        let s = StyleSpec::parse("Reverse underline red").expect("style");
        assert_eq!(
            (s.fg, s.bold, s.underline, s.reverse),
            (Some(BasicColor::Red), false, true, true)
        );
        assert!(StyleSpec::parse("red blue").is_err());
        assert!(StyleSpec::parse("").is_err());
        assert_eq!(
            StyleSpec::parse("grey").map(|s| s.fg),
            Ok(Some(BasicColor::BrightBlack))
        );
    }

    #[test]
    fn location_follows_flags_then_environment() {
        let env = |vars: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                vars.iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| OsString::from(v))
            }
        };
        let all = env(&[
            ("KAIGI_CONFIG", "/k.toml"),
            ("XDG_CONFIG_HOME", "/xdg"),
            ("HOME", "/home/u"),
        ]);
        assert_eq!(Location::find(None, true, all), Location::Skipped);
        assert_eq!(
            Location::find(Some(Path::new("/c.toml")), false, all),
            Location::Given("/c.toml".into())
        );
        assert_eq!(
            Location::find(None, false, all),
            Location::Given("/k.toml".into())
        );
        assert_eq!(
            Location::find(
                None,
                false,
                env(&[("XDG_CONFIG_HOME", "/xdg"), ("HOME", "/h")])
            ),
            Location::Default("/xdg/kaigi/config.toml".into())
        );
        assert_eq!(
            Location::find(
                None,
                false,
                env(&[("XDG_CONFIG_HOME", "rel"), ("HOME", "/h")])
            ),
            Location::Default("/h/.config/kaigi/config.toml".into())
        );
        assert_eq!(Location::find(None, false, env(&[])), Location::Nowhere);
    }

    #[test]
    fn a_missing_default_file_is_no_config() {
        let loc = Location::Default("/no/such/dir/kaigi/config.toml".into());
        assert_eq!(load(&loc, &Words), Ok(Config::default()));
        let loc = Location::Given("/no/such/dir/kaigi/config.toml".into());
        let e = load(&loc, &Words).expect_err("given, so it must exist");
        assert_eq!(
            e.to_string(),
            "/no/such/dir/kaigi/config.toml: no such file"
        );
    }
}
