//! Wiring only: parse arguments, load documents (errors print before the terminal is touched),
//! then hand over to a subcommand or the browser.

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;
use kaigi::cli::{self, Ambiguous, Args};
use kaigi::corpus::Corpus;
use kaigi::tui::{self, App, AppOptions};

fn fail(msg: &str) -> ExitCode {
    let _ = writeln!(io::stderr(), "kaigi: {msg}");
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let args = Args::parse();
    let corpus = match Corpus::load(&args.files) {
        Ok(c) => c,
        Err(e) => return fail(&e.to_string()),
    };
    if let Some(command) = &args.command {
        let stdout = io::stdout();
        let mut out = io::BufWriter::new(stdout.lock());
        let result =
            cli::run(&args, command, &corpus, &mut out).and_then(|r| out.flush().map(|()| r));
        return match result {
            Ok(Ok(cli::Status::Done)) => ExitCode::SUCCESS,
            Ok(Ok(cli::Status::NoMatch)) => ExitCode::from(1),
            Ok(Err(e)) => fail(&e.0),
            // A reader that went away (`kaigi outline | head`) is not an error.
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
            Err(e) => fail(&e.to_string()),
        };
    }
    if !io::stdout().is_terminal() || !io::stdin().is_terminal() {
        return fail(
            "the browser needs a terminal; for output to a pipe use a subcommand (kaigi --help)",
        );
    }
    if let Some(id) = &args.goto
        && corpus.resolve(id, 0).is_none()
    {
        return fail(&format!(
            "no such id: {}",
            kaigi::text::sanitize(id, Default::default())
        ));
    }
    let theme = tui::theme::Theme {
        color: args.use_color(true),
        opts: args.print_options(),
    };
    let app = App::new(
        corpus,
        AppOptions {
            theme,
            goto: args.goto.clone(),
            search: args.search.clone(),
            // Laid out for the real size from the start, not once for 80x24 and again.
            size: crossterm::terminal::size().ok(),
        },
    );
    let probe = !args.ascii && args.ambiguous == Ambiguous::Auto;
    match tui::run(app, probe) {
        Ok(tui::Exit::Quit) => ExitCode::SUCCESS,
        // Stopped by a signal: the conventional status, 128 + its number.
        Ok(tui::Exit::Signal(n)) => ExitCode::from(u8::try_from(128 + n).unwrap_or(1)),
        Err(e) => fail(&e.to_string()),
    }
}
