//! The config file meets the command line: every setting is a long option by its name, and
//! an option given on the command line beats the config file. `kaigi config --default`
//! prints every setting and binding, generated from the clap definition and the key table.

use clap::parser::ValueSource;
use clap::{ArgMatches, CommandFactory};

use super::Args;
use crate::config::{Settings, Vocabulary};

/// The settings the config file takes: the long options that apply to every command, by
/// their names (a `--no-X` option is `X = false`). An example value for each.
pub const SETTINGS: [(&str, &str); 12] = [
    ("file", "[\"communique.txt\"]"),
    ("encoding", "\"shift_jis\""),
    ("goto", "\"g7:23\""),
    ("search", "\"ランサム\""),
    ("present", "\"chair\""),
    ("follow", "\"chair\""),
    ("ambiguous", "\"auto\""),
    ("ascii", "false"),
    ("color", "\"auto\""),
    ("tree", "true"),
    ("pager", "true"),
    ("state", "true"),
];

/// Whether the command line gave the argument `id` (at the top or after the subcommand).
fn given(matches: &ArgMatches, id: &str) -> bool {
    let here = matches
        .try_contains_id(id)
        .is_ok_and(|present| present && matches.value_source(id) == Some(ValueSource::CommandLine));
    here || matches.subcommand().is_some_and(|(_, sub)| given(sub, id))
}

/// Fills in what the command line left unsaid from the config file's settings.
pub fn apply(args: &mut Args, matches: &ArgMatches, s: &Settings) {
    // The options only: two of them borrowed at once below.
    let args = &mut args.options;
    if let Some(v) = &s.file
        && !given(matches, "files")
    {
        args.files.clone_from(v);
    }
    if let Some(v) = s.encoding
        && !given(matches, "encoding")
    {
        args.encoding = Some(v);
    }
    if let Some(v) = &s.goto
        && !given(matches, "goto")
    {
        args.goto = Some(v.clone());
    }
    if let Some(v) = &s.search
        && !given(matches, "search")
    {
        args.search = Some(v.clone());
    }
    // One of the two: what the command line says of either beats the file's.
    if !given(matches, "present") && !given(matches, "follow") {
        if let Some(v) = &s.present {
            args.present = Some(v.clone());
        } else if let Some(v) = &s.follow {
            args.follow = Some(v.clone());
        }
    }
    if let Some(v) = s.ambiguous
        && !given(matches, "ambiguous")
    {
        args.ambiguous = v;
    }
    if let Some(v) = s.color
        && !given(matches, "color")
    {
        args.color = v;
    }
    let pair = |yes: &mut bool, no: &mut bool, value: Option<bool>, ids: [&str; 2]| {
        if let Some(v) = value
            && !ids.iter().any(|id| given(matches, id))
        {
            (*yes, *no) = (v, !v);
        }
    };
    pair(
        &mut args.ascii,
        &mut args.no_ascii,
        s.ascii,
        ["ascii", "no_ascii"],
    );
    pair(
        &mut args.tree,
        &mut args.no_tree,
        s.tree,
        ["tree", "no_tree"],
    );
    pair(
        &mut args.pager,
        &mut args.no_pager,
        s.pager,
        ["pager", "no_pager"],
    );
}

/// Writes `text` as TOML comment lines, each paragraph filled to 78 columns.
fn comment(out: &mut String, text: &str) {
    for paragraph in text.lines() {
        let mut line = String::from("#");
        for word in paragraph.split_whitespace() {
            if line.len() > 1
                && crate::text::str_width(&line) + 1 + crate::text::str_width(word) > 78
            {
                out.push_str(&line);
                out.push('\n');
                line = String::from("#");
            }
            line.push(' ');
            line.push_str(word);
        }
        out.push_str(&line);
        out.push('\n');
    }
}

/// A TOML key, quoted when it is not bare.
fn toml_key(key: &str) -> String {
    if !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        key.to_string()
    } else {
        toml::Value::String(key.to_string()).to_string()
    }
}

/// The default config file: every setting with its help and an example, every key binding
/// and style, all commented out (so the file changes nothing until a line is uncommented).
#[must_use]
pub fn default_config(vocab: &dyn Vocabulary) -> String {
    use std::fmt::Write as _;
    let cmd = Args::command();
    let mut out = String::new();
    comment(
        &mut out,
        "kaigi's config file: $XDG_CONFIG_HOME/kaigi/config.toml (by default \
         ~/.config/kaigi/config.toml), or the file given with --config PATH or KAIGI_CONFIG. \
         Every setting is a long option by its name; an option on the command line wins. \
         Uncomment a line to use it.",
    );
    for (name, example) in SETTINGS {
        let arg = cmd.get_arguments().find(|a| a.get_long() == Some(name));
        out.push('\n');
        if let Some(arg) = arg {
            comment(
                &mut out,
                &arg.get_help().map(ToString::to_string).unwrap_or_default(),
            );
            let values: Vec<String> = arg
                .get_possible_values()
                .iter()
                .filter(|v| !v.is_hide_set())
                .map(|v| v.get_name().to_string())
                .collect();
            if !values.is_empty() {
                comment(&mut out, &format!("One of: {}.", values.join(", ")));
            }
        }
        let _ = writeln!(out, "# {name} = {example}");
    }
    out.push_str("\n[keys]\n");
    comment(
        &mut out,
        "A key name and the action it runs: \"ctrl-j\" = \"down\", x = \"quit\". The key \
         then runs the action wherever the action acts (the groups below), and nothing else \
         there; the action's other keys keep theirs. A key is one line of this table. ? shows \
         the keys in force. The defaults:",
    );
    for (heading, rows) in vocab.bindings() {
        let _ = writeln!(out, "#\n# {heading}:");
        for (key, action, what) in rows {
            let _ = writeln!(
                out,
                "# {} = {}  # {what}",
                toml_key(&key),
                toml::Value::String(action)
            );
        }
    }
    out.push_str("\n[theme]\n");
    comment(
        &mut out,
        "A style: one of the 16 basic colours (black, red, green, yellow, blue, magenta, \
         cyan, white, or bright- before one), bold, underline, reverse; or \"none\". With \
         --color never (or NO_COLOR) only the attributes are drawn. The defaults:",
    );
    for (name, spec) in vocab.styles() {
        let _ = writeln!(out, "# {} = {}", toml_key(&name), toml::Value::String(spec));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::FromArgMatches;

    fn parse(argv: &[&str]) -> (Args, ArgMatches) {
        let m = Args::command()
            .try_get_matches_from(std::iter::once("kaigi").chain(argv.iter().copied()))
            .expect("valid arguments");
        (Args::from_arg_matches(&m).expect("args"), m)
    }

    fn settings(text: &str) -> Settings {
        toml::from_str(text).expect("settings")
    }

    #[test]
    fn the_command_line_wins() {
        let s = settings(
            "ambiguous = \"wide\"\ncolor = \"never\"\nascii = true\ntree = false\n\
             pager = false\nencoding = \"euc-jp\"\nfile = [\"a.txt\"]\n",
        );
        let (mut a, m) = parse(&[]);
        apply(&mut a, &m, &s);
        assert_eq!(a.ambiguous, super::super::Ambiguous::Wide);
        assert_eq!(a.color, super::super::ColorChoice::Never);
        assert!(a.ascii && a.no_tree && a.no_pager && !a.tree);
        assert_eq!(a.encoding, Some(crate::corpus::Encoding::EucJp));
        assert_eq!(a.files, [std::path::PathBuf::from("a.txt")]);
        // Given on the command line, before or after the subcommand: kept.
        let (mut a, m) = parse(&[
            "outline",
            "--ambiguous",
            "narrow",
            "--color",
            "always",
            "--no-ascii",
            "--tree",
            "--pager",
            "--file",
            "b.txt",
        ]);
        apply(&mut a, &m, &s);
        assert_eq!(a.ambiguous, super::super::Ambiguous::Narrow);
        assert_eq!(a.color, super::super::ColorChoice::Always);
        assert!(!a.ascii && a.tree && !a.no_tree && a.pager && !a.no_pager);
        assert_eq!(a.files, [std::path::PathBuf::from("b.txt")]);
        assert_eq!(a.encoding, Some(crate::corpus::Encoding::EucJp));
    }

    /// Every long option that applies to every command is a setting, under its own name: the
    /// config file cannot fall behind the command line.
    #[test]
    fn every_long_option_is_a_setting() {
        let cmd = Args::command();
        let names: Vec<&str> = SETTINGS.iter().map(|(n, _)| *n).collect();
        for arg in cmd.get_arguments() {
            let Some(long) = arg.get_long() else { continue };
            let own = ["config", "no-config", "generate", "help", "version"];
            if own.contains(&long) {
                continue;
            }
            let name = long.strip_prefix("no-").unwrap_or(long);
            assert!(names.contains(&name), "--{long} has no setting");
        }
        // And every setting, uncommented with its example, is read.
        let text: String = SETTINGS
            .iter()
            .flat_map(|(n, v)| [*n, " = ", *v, "\n"])
            .collect();
        let s = settings(&text);
        assert!(s.file.is_some() && s.encoding.is_some() && s.goto.is_some());
        assert!(s.search.is_some() && s.ambiguous.is_some() && s.ascii.is_some());
        assert!(s.color.is_some() && s.tree.is_some() && s.pager.is_some());
        assert!(s.state.is_some() && s.present.is_some() && s.follow.is_some());
    }
}
