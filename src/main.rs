//! Wiring only: parse arguments, load documents (errors print before the terminal is touched),
//! then hand over to a subcommand or the browser.

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;
use kaigi::cli::{self, Ambiguous, Args, CliError};
use kaigi::corpus::Corpus;
use kaigi::tui::places::StateAt;
use kaigi::tui::{self, App, AppOptions};

fn main() -> ExitCode {
    match run(&Args::parse()) {
        Ok(code) => code,
        Err(e) if e.is_closed_pipe() => ExitCode::SUCCESS,
        Err(e) => {
            let _ = writeln!(io::stderr(), "{}", e.message());
            ExitCode::from(2)
        }
    }
}

fn run(args: &Args) -> Result<ExitCode, CliError> {
    // Every file is read and checked here, before the terminal is touched; a large one is
    // parsed by the browser a slice at a time, after its first screen.
    let (mut corpus, mut loader) = Corpus::open(&args.files)?;
    if args.command.is_some() || args.goto.is_some() {
        loader.finish(&mut corpus);
    }
    if let Some(command) = &args.command {
        let stdout = io::stdout();
        let mut out = io::BufWriter::new(stdout.lock());
        let status = cli::run(args, command, &corpus, &mut out)?;
        out.flush()?;
        // As grep: 0 found, 1 nothing found (an error is 2).
        return Ok(match status {
            cli::Status::Done => ExitCode::SUCCESS,
            cli::Status::NoMatch => ExitCode::from(1),
        });
    }
    if !io::stdout().is_terminal() || !io::stdin().is_terminal() {
        return Err(CliError::NotATerminal);
    }
    if let Some(id) = &args.goto
        && let Err(e) = corpus.resolve(id, 0)
    {
        return Err(CliError::Goto(e));
    }
    let theme = tui::theme::Theme {
        color: args.use_color(true),
        opts: args.print_options(),
    };
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
            keymap: None,
            state,
        },
    );
    let probe = !args.ascii && args.ambiguous == Ambiguous::Auto;
    let exit = tui::run(&mut app, probe);
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
