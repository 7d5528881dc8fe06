//! Wiring only: parse arguments, read the config file, load documents (errors print before
//! the terminal is touched), then hand over to a subcommand or the browser.

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};
use kaigi::cli::{self, Ambiguous, Args, CliError, Command, settings, term::Term};
use kaigi::config::{self, Location, Vocabulary};
use kaigi::corpus::{Corpus, LoadOptions, STDIN_PATH};
use kaigi::text::sanitize;
use kaigi::tui::keymap::{self, BINDINGS, Context};
use kaigi::tui::{self, App, AppOptions};

/// clap's own messages quote the arguments: shown as the reader shows text, so an argument
/// never reaches the terminal as a control sequence.
fn clap_failure(e: &clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
        let _ = e.print();
        return ExitCode::SUCCESS;
    }
    let text = sanitize(&e.render().to_string(), Default::default());
    let _ = io::stderr().write_all(text.as_bytes());
    ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2))
}

/// The current key table's names for the config file: an action's name is its variant in
/// kebab-case (`HalfPageDown` is `half-page-down`), a key's the label the help shows, in lower
/// case unless it is one character (`Ctrl-d` is `ctrl-d`, `G` is `G`).
struct KeyTable;

fn key_name(key: keymap::Key) -> String {
    let label = key.label();
    if label.chars().count() == 1 {
        label
    } else {
        label.to_ascii_lowercase()
    }
}

fn action_name(action: keymap::Action) -> String {
    let mut name = String::new();
    for (i, c) in format!("{action:?}").chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            name.push('-');
        }
        name.push(c.to_ascii_lowercase());
    }
    name
}

impl Vocabulary for KeyTable {
    fn is_action(&self, name: &str) -> bool {
        BINDINGS.iter().any(|b| action_name(b.action) == name)
    }
    fn check_key(&self, name: &str) -> Result<(), String> {
        let base = name.strip_prefix("ctrl-").unwrap_or(name);
        let named = BINDINGS
            .iter()
            .flat_map(|b| b.keys)
            .any(|&k| key_name(k) == name);
        if named || base.chars().count() == 1 {
            Ok(())
        } else {
            Err(format!(
                "\"{name}\" is not a key name (ctrl-j, x, enter, pagedown …)"
            ))
        }
    }
    fn is_style(&self, name: &str) -> bool {
        STYLES.iter().any(|(n, _)| *n == name)
    }
    fn bindings(&self) -> Vec<(String, String, String)> {
        BINDINGS
            .iter()
            .filter(|b| b.context == Context::Normal)
            .flat_map(|b| {
                b.keys.iter().map(|&k| {
                    (
                        key_name(k),
                        action_name(b.action),
                        b.action.description().to_string(),
                    )
                })
            })
            .collect()
    }
    fn styles(&self) -> Vec<(String, String)> {
        STYLES
            .iter()
            .map(|(n, s)| ((*n).to_string(), (*s).to_string()))
            .collect()
    }
}

/// The styles the theme draws with, and their defaults (src/tui/theme.rs).
const STYLES: [(&str, &str); 10] = [
    ("title", "yellow bold underline"),
    ("meta", "cyan"),
    ("heading", "green bold"),
    ("marker", "yellow bold"),
    ("note", "cyan"),
    ("match", "magenta bold underline"),
    ("bar", "reverse"),
    ("hint-key", "yellow bold"),
    ("message", "cyan bold"),
    ("separator", "bright-black"),
];

fn key_sections() -> Vec<cli::generate::KeySection> {
    let rows = |ctx| {
        keymap::help_rows(ctx)
            .into_iter()
            .map(|(k, d)| (k, d.to_string()))
            .collect()
    };
    vec![
        ("Browsing", rows(Context::Normal)),
        ("Typing after : or /", rows(Context::Input)),
    ]
}

fn main() -> ExitCode {
    let matches = match Args::command().try_get_matches() {
        Ok(m) => m,
        Err(e) => return clap_failure(&e),
    };
    let args = match Args::from_arg_matches(&matches) {
        Ok(a) => a,
        Err(e) => return clap_failure(&e),
    };
    match run(args, &matches) {
        Ok(code) => code,
        Err(e) if e.is_closed_pipe() => ExitCode::SUCCESS,
        Err(e) => {
            let _ = writeln!(io::stderr(), "{}", e.message());
            ExitCode::from(2)
        }
    }
}

fn run(mut args: Args, matches: &clap::ArgMatches) -> Result<ExitCode, CliError> {
    if let Some(what) = args.generate {
        let mut out = io::stdout().lock();
        cli::generate::generate(what, &mut out, &key_sections())?;
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    let location = Location::find(args.config.as_deref(), args.no_config, |k| {
        std::env::var_os(k)
    });
    if let Some(Command::Config { default }) = &args.command {
        let text = if *default {
            settings::default_config(&KeyTable)
        } else {
            match location.path() {
                Some(p) => format!(
                    "{}{}\n",
                    kaigi::corpus::shown_path(p),
                    if p.exists() { "" } else { " (not there)" }
                ),
                None => "no config file\n".to_string(),
            }
        };
        io::stdout().write_all(text.as_bytes())?;
        return Ok(ExitCode::SUCCESS);
    }
    let config = config::load(&location, &KeyTable)?;
    settings::apply(&mut args, matches, &config.settings);
    let from_stdin = args.files.iter().any(|p| p.as_os_str() == STDIN_PATH);
    let opts = LoadOptions {
        encoding: args.encoding,
    };
    let corpus = Corpus::load_with(&args.files, opts)?;
    if let Some(command) = &args.command {
        run_command(&args, command, &corpus)?;
        return Ok(ExitCode::SUCCESS);
    }
    if !Term::from_env().can_move_cursor() {
        return Err(CliError::DumbTerminal);
    }
    if !io::stdout().is_terminal() {
        return Err(CliError::NotATerminal);
    }
    if !io::stdin().is_terminal() {
        // A document piped in (`curl … | kaigi --file -`): keys come from the terminal, as in
        // less and vim.
        if !from_stdin {
            return Err(CliError::PipedStdin);
        }
        keys_from_tty().map_err(CliError::NoTty)?;
    }
    if let Some(id) = &args.goto
        && corpus.resolve(id, 0).is_none()
    {
        return Err(CliError::NoSuchId(id.clone()));
    }
    let theme = tui::theme::Theme {
        color: args.use_color(true),
        opts: args.print_options(),
    };
    let mut app = App::new(
        corpus,
        AppOptions {
            theme,
            goto: args.goto.clone(),
            search: args.search.clone(),
            // Laid out for the real size from the start, not once for 80x24 and again.
            size: crossterm::terminal::size().ok(),
        },
    );
    if args.tree || args.no_tree {
        app.tree_wanted = Some(args.tree);
    }
    let probe = !args.ascii && args.ambiguous == Ambiguous::Auto;
    match tui::run(app, probe).map_err(CliError::Terminal)? {
        tui::Exit::Quit => Ok(ExitCode::SUCCESS),
        // Stopped by a signal: the conventional status, 128 + its number.
        tui::Exit::Signal(n) => Ok(ExitCode::from(u8::try_from(128 + n).unwrap_or(1))),
    }
}

/// Standard input, once the document has been read from it, becomes the controlling
/// terminal: everything that reads keys (the event reader, the loop's poll, the width probe)
/// reads them from there, as vim does after `vim -`.
fn keys_from_tty() -> io::Result<()> {
    let tty = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/tty")?;
    rustix::stdio::dup2_stdin(&tty)?;
    Ok(())
}

/// A subcommand; `show` and `outline` on a terminal go through the pager when taller than it.
fn run_command(args: &Args, command: &Command, corpus: &Corpus) -> Result<(), CliError> {
    let pageable = matches!(
        command,
        Command::Show { json: false, .. } | Command::Outline { json: false }
    );
    let stdout_tty = io::stdout().is_terminal();
    if pageable && stdout_tty && !args.no_pager {
        let mut text = Vec::new();
        cli::run(args, command, corpus, &mut text)?;
        let lines = text.iter().filter(|&&b| b == b'\n').count();
        let rows = crossterm::terminal::size().map_or(u16::MAX, |(_, h)| h);
        if let Some(words) = cli::pager::command(|k| std::env::var(k).ok())
            && cli::pager::wanted(stdout_tty, args.no_pager, lines, rows)
            && cli::pager::page(&words, &text)?
        {
            return Ok(());
        }
        let mut out = io::stdout().lock();
        out.write_all(&text)?;
        out.flush()?;
        return Ok(());
    }
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    cli::run(args, command, corpus, &mut out)?;
    out.flush()?;
    Ok(())
}
