//! `--generate`: the man page and the shell completions, both generated from the clap
//! definition (`clap_mangen`, `clap_complete`), the man page with the browser's keys from the key
//! table.

use std::io::{self, Write};

use clap::CommandFactory;
use roff::{Roff, bold, italic, roman};

use super::{Args, Generate};

/// The browser's keys for the man page: a heading and its rows (keys, what they do).
pub type KeySection = (&'static str, Vec<(String, String)>);

fn section(roff: &mut Roff, title: &str, intro: &str) {
    roff.control("SH", [title]);
    if !intro.is_empty() {
        roff.text([roman(intro)]);
    }
}

fn item(roff: &mut Roff, term: Vec<roff::Inline>, text: &str) {
    roff.control("TP", []);
    roff.text(term);
    roff.text([roman(text)]);
}

/// The man page's own sections: KEYS (from the key table), FILES, ENVIRONMENT, EXIT STATUS.
fn extra_sections(keys: &[KeySection]) -> Roff {
    let mut roff = Roff::new();
    section(
        &mut roff,
        "KEYS",
        "In the browser; ? shows the same table, with the keys the config file bound.",
    );
    for (heading, rows) in keys {
        roff.control("SS", [*heading]);
        for (k, what) in rows {
            item(&mut roff, vec![bold(k.as_str())], what);
        }
    }
    section(&mut roff, "FILES", "");
    item(
        &mut roff,
        vec![italic("$XDG_CONFIG_HOME/kaigi/config.toml")],
        "The config file (by default ~/.config/kaigi/config.toml): every long option by its \
         name, a [keys] table and a [theme] table. kaigi config --default prints one with \
         every setting; --config PATH or KAIGI_CONFIG read another, --no-config none.",
    );
    item(
        &mut roff,
        vec![italic("$XDG_STATE_HOME/kaigi/")],
        "The state directory (by default ~/.local/state/kaigi/): for each set of documents, \
         the last position, the marks and the recent searches and gotos, in one small JSON \
         file. A bad file there is ignored, never fatal.",
    );
    section(&mut roff, "ENVIRONMENT", "");
    for (name, what) in [
        (
            "KAIGI_CONFIG",
            "The config file to read, unless --config or --no-config is given.",
        ),
        (
            "KAIGI_PAGER",
            "The pager for show and outline; else PAGER; else less -R. Empty or cat: none.",
        ),
        ("PAGER", "The pager, when KAIGI_PAGER is not set."),
        (
            "NO_COLOR",
            "When set and not empty, --color auto draws no colour.",
        ),
        (
            "TERM",
            "dumb or unset: the browser refuses (the subcommands work); vt100 and *-mono: no colour.",
        ),
        (
            "TMUX",
            "Inside tmux, the clipboard sequence (OSC 52) is wrapped for tmux.",
        ),
    ] {
        item(&mut roff, vec![bold(name)], what);
    }
    section(
        &mut roff,
        "EXIT STATUS",
        "0 on success; 2 for a bad argument, file, config file or id (one line on stderr \
         naming it); 128 plus the signal's number when a signal ended the browser.",
    );
    roff
}

/// The man page, in roff.
///
/// # Errors
/// Writing failed.
pub fn man(out: &mut dyn Write, keys: &[KeySection]) -> io::Result<()> {
    let man = clap_mangen::Man::new(Args::command());
    man.render_title(out)?;
    man.render_name_section(out)?;
    man.render_synopsis_section(out)?;
    man.render_description_section(out)?;
    man.render_options_section(out)?;
    man.render_subcommands_section(out)?;
    extra_sections(keys).to_writer(out)?;
    man.render_version_section(out)
}

/// Writes what `--generate` asks for.
///
/// # Errors
/// Writing failed.
pub fn generate(what: Generate, out: &mut dyn Write, keys: &[KeySection]) -> io::Result<()> {
    use clap_complete::Shell;
    let shell = match what {
        Generate::Man => return man(out, keys),
        Generate::CompleteBash => Shell::Bash,
        Generate::CompleteZsh => Shell::Zsh,
        Generate::CompleteFish => Shell::Fish,
        Generate::CompleteElvish => Shell::Elvish,
        Generate::CompletePowershell => Shell::PowerShell,
    };
    clap_complete::generate(shell, &mut Args::command(), "kaigi", out);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn man_page_has_keys_and_files() {
        let keys = [(
            "Browsing",
            vec![("q Ctrl-c".to_string(), "quit".to_string())],
        )];
        let mut out = Vec::new();
        man(&mut out, &keys).expect("render");
        let text = String::from_utf8(out).expect("utf-8");
        assert!(
            text.starts_with(".ie") || text.contains(".TH kaigi"),
            "{text}"
        );
        for want in [
            ".SH KEYS",
            ".SS Browsing",
            "\\fBq Ctrl\\-c\\fR",
            ".SH FILES",
            "config.toml",
            ".SH OPTIONS",
        ] {
            assert!(text.contains(want), "{want} missing");
        }
    }

    #[test]
    fn every_shell_gets_a_script() {
        for what in [
            Generate::CompleteBash,
            Generate::CompleteZsh,
            Generate::CompleteFish,
            Generate::CompleteElvish,
            Generate::CompletePowershell,
        ] {
            let mut out = Vec::new();
            generate(what, &mut out, &[]).expect("generate");
            let text = String::from_utf8(out).expect("utf-8");
            assert!(text.contains("encoding"), "{what:?}");
            if matches!(
                what,
                Generate::CompleteBash | Generate::CompleteZsh | Generate::CompleteFish
            ) {
                assert!(
                    text.contains("shift_jis"),
                    "{what:?}: the encodings are offered"
                );
            }
        }
    }
}
