//! Wiring only: parse arguments, read the config file, load documents (errors print before
//! the terminal is touched), then hand over to a subcommand or the browser.

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use kaigi::cli::vocabulary::{self, Browser};
use kaigi::cli::{self, Ambiguous, Args, CliError, Command, settings, term::Term};
use kaigi::config::{self, Location};
use kaigi::corpus::{Corpus, LoadOptions, STDIN_PATH};
use kaigi::text::sanitize;
use kaigi::tui::places::StateAt;
use kaigi::tui::{self, App, AppOptions};

/// clap's own messages quote the arguments: shown as the reader shows text, so an argument
/// never reaches the terminal as a control sequence.
fn clap_failure(e: &clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
        let _ = e.print();
        return ExitCode::SUCCESS;
    }
    let text = sanitize(
        &e.render().to_string(),
        kaigi::text::DisplayOptions::default(),
    );
    let _ = io::stderr().write_all(text.as_bytes());
    ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2))
}

fn main() -> ExitCode {
    let (args, matches) = match cli::parse() {
        Ok(parsed) => parsed,
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
        cli::generate::generate(what, &mut out, &vocabulary::man_sections())?;
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    let location = Location::find(args.config.as_deref(), args.no_config, |k| {
        std::env::var_os(k)
    });
    if let Some(Command::Config { default }) = &args.command {
        let text = if *default {
            settings::default_config(&Browser)
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
    let config = config::load(&location, &Browser)?;
    settings::apply(&mut args, matches, &config.settings);
    let from_stdin = args.files.iter().any(|p| p.as_os_str() == STDIN_PATH);
    let opts = LoadOptions {
        encoding: args.encoding,
    };
    // Every file is read and checked here, before the terminal is touched; a large one is
    // parsed by the browser a slice at a time, after its first screen.
    let (mut corpus, mut loader) = Corpus::open_with(&args.files, opts)?;
    if args.command.is_some() {
        loader.finish(&mut corpus);
        // A file that changed after its check: what was read of it is used, and said.
        for note in loader.take_notes() {
            let _ = writeln!(io::stderr(), "kaigi: {note}");
        }
    } else if args.goto.is_some() {
        loader.finish(&mut corpus);
    }
    if let Some(command) = &args.command {
        // As grep: 0 found, 1 nothing found (an error is 2).
        return Ok(match run_command(&args, command, &corpus, &config)? {
            cli::Status::Done => ExitCode::SUCCESS,
            cli::Status::NoMatch => ExitCode::from(1),
        });
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
        && let Err(e) = corpus.resolve(id, 0)
    {
        return Err(CliError::Goto(e));
    }
    // Before the terminal is touched, so that a bad name or an absent presenter is one line.
    let stage = if let Some(name) = &args.present {
        let p = kaigi::present::local::Presenter::listen(name, std::sync::Arc::new(corpus.clone()))
            .map_err(CliError::Stage)?;
        Some(tui::LocalStage::Present(p))
    } else if let Some(name) = &args.follow {
        let rx = kaigi::present::local::follow(name, std::sync::Arc::new(corpus.clone()))
            .map_err(CliError::Stage)?;
        Some(tui::LocalStage::Follow(rx))
    } else {
        None
    };
    let theme = args.theme(&config);
    let state = if args.no_state {
        StateAt::Off
    } else {
        match kaigi::places::state_dir(|k| std::env::var_os(k)) {
            Ok(dir) => StateAt::Dir(dir),
            Err(note) => StateAt::Unavailable(note),
        }
    };
    let mut app = App::with_loader(
        corpus,
        loader,
        AppOptions {
            theme,
            goto: args.goto.clone(),
            search: args.search.clone(),
            // Laid out for the real size from the start, not once for 80x24 and again.
            size: crossterm::terminal::size().ok(),
            // The config file's [keys] applied, so that the help shows the keys in force.
            keymap: Some(vocabulary::keymap(&config.keys)),
            index: None,
            state,
        },
    );
    if args.tree || args.no_tree {
        app.tree_wanted = Some(args.tree);
    }
    let probe = !args.ascii && args.ambiguous == Ambiguous::Auto;
    let exit = tui::run_with(&mut app, probe, stage);
    // The terminal is restored by now: a state file that could not be written is one line on
    // stderr, and never changes the exit status.
    if let Err(e) = app.save_state() {
        let _ = writeln!(
            io::stderr(),
            "{}",
            kaigi::text::display::sanitize(
                &format!("kaigi: {e}"),
                kaigi::text::display::DisplayOptions::default()
            )
        );
    }
    match exit.map_err(CliError::Terminal)? {
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
fn run_command(
    args: &Args,
    command: &Command,
    corpus: &Corpus,
    config: &config::Config,
) -> Result<cli::Status, CliError> {
    let pageable = matches!(
        command,
        Command::Show { json: false, .. } | Command::Outline { json: false }
    );
    let stdout_tty = io::stdout().is_terminal();
    if pageable && stdout_tty && !args.no_pager {
        let mut text = Vec::new();
        let status = cli::run(args, command, corpus, config, &mut text)?;
        let lines = memchr::memchr_iter(b'\n', &text).count();
        let rows = crossterm::terminal::size().map_or(u16::MAX, |(_, h)| h);
        if let Some(words) = cli::pager::command(|k| std::env::var(k).ok())
            && cli::pager::wanted(stdout_tty, args.no_pager, lines, rows)
            && cli::pager::page(&words, &text)?
        {
            return Ok(status);
        }
        let mut out = io::stdout().lock();
        out.write_all(&text)?;
        out.flush()?;
        return Ok(status);
    }
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let status = cli::run(args, command, corpus, config, &mut out)?;
    out.flush()?;
    Ok(status)
}
