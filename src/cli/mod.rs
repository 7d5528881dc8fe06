//! The command line: arguments, and the subcommands that answer without the TUI. A thin shell
//! over the library, like the TUI.

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};
use thiserror::Error;

use crate::corpus::{Corpus, LoadError, NodeRef, Resolved};
use crate::layout::{self, Line, Role};
use crate::participants::DataError;
use crate::text::display::{DisplayOptions, sanitize};

pub mod json;
pub mod serve;

/// A keyboard-driven terminal browser for the G7 Interior and Security Ministers' Communiqué
/// (Mito, 2023) and the 2023 Counter Ransomware Initiative press release.
#[derive(Debug, Parser)]
#[command(name = "kaigi", version, about, long_about = None)]
pub struct Args {
    /// Load documents from this UTF-8 text file instead of the embedded ones (repeatable).
    #[arg(long = "file", value_name = "PATH", global = true)]
    pub files: Vec<PathBuf>,

    /// Open the browser at this node: an id (`g7:23`, `cri:3`, `g7:VII`) or a number (`23`).
    #[arg(long, value_name = "ID")]
    pub goto: Option<String>,

    /// Open the browser with this query already typed after `/`.
    #[arg(long, value_name = "QUERY")]
    pub search: Option<String>,

    /// Present as NAME: other kaigi processes of this user may follow (`--follow NAME`).
    #[arg(long, value_name = "NAME", conflicts_with = "follow")]
    pub present: Option<String>,

    /// Follow NAME, who presents with `--present NAME`: F follows, moving pauses, F resumes.
    #[arg(long, value_name = "NAME")]
    pub follow: Option<String>,

    /// How the terminal draws East Asian Ambiguous characters (borders, `Ⅶ`, `…`).
    #[arg(long, value_enum, default_value_t = Ambiguous::Auto, global = true)]
    pub ambiguous: Ambiguous,

    /// Draw only characters that are never ambiguous (same as `--ambiguous wide`).
    #[arg(long, global = true)]
    pub ascii: bool,

    /// When to use colour (`NO_COLOR` in the environment turns `auto` off).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Ambiguous {
    /// Ask the terminal at start (the browser only; printing assumes narrow).
    Auto,
    /// Ambiguous characters take one cell.
    Narrow,
    /// Ambiguous characters take two cells: avoid them.
    Wide,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print the tree of every document: sections, paragraphs, items, notes, with their ids.
    Outline {
        #[arg(long, help = json::OUTLINE_HELP)]
        json: bool,
    },
    /// Print one node (and what it contains) laid out as the reading pane lays it out.
    Show {
        /// The node: `g7:23`, `cri:3`, `g7:VII`, `cri:note-1`, or a document id.
        id: String,
        /// Lay out for a pane this many cells wide (default: the terminal's width, or 80).
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
        width: Option<u16>,
        #[arg(long, help = json::SHOW_HELP)]
        json: bool,
    },
    /// Search both documents and the participants
    ///
    /// Fuzzy and normalised: full-width = half-width, katakana = hiragana, spaces inside
    /// spaced-out acronyms ignored, romaji finds kana (`ransamu`). fzf syntax: `a b` both,
    /// `'exact`, `!exclude`. Exact matches rank first.
    Search {
        /// What to look for.
        query: String,
        /// At most this many results.
        #[arg(long, value_name = "N", default_value_t = 20)]
        limit: usize,
        #[arg(long, help = json::SEARCH_HELP)]
        json: bool,
    },
    /// Print the CRI's two lists side by side: the meeting's participants (A) and the
    /// signatories of the non-payment statement (B).
    Participants {
        #[arg(long, help = json::PARTICIPANTS_HELP)]
        json: bool,
        /// Which rows: all, both, a, b, a-only, b-only, new (joined the CRI in 2023), g7.
        #[arg(long, value_name = "WHICH", default_value = "all")]
        only: crate::participants::Filter,
        /// Order: document, gojuon (五十音), english, code.
        #[arg(long, value_name = "ORDER", default_value = "document")]
        sort: crate::participants::Sort,
        /// Keep rows whose Japanese or English name, code or alias contains this text.
        #[arg(long, value_name = "TEXT", default_value = "")]
        find: String,
    },
    /// Serve the browser over SSH (`ssh -p 2222 host`): one session a connection, keys from
    /// authorized_keys, nothing but the browser.
    Serve(serve::ServeArgs),
}

impl Args {
    /// Display options for printing: ASCII when asked or when ambiguous characters are wide.
    #[must_use]
    pub fn print_options(&self) -> DisplayOptions {
        DisplayOptions {
            ascii: self.ascii || self.ambiguous == Ambiguous::Wide,
        }
    }

    /// Whether to colour output going to a stream.
    #[must_use]
    pub fn use_color(&self, is_terminal: bool) -> bool {
        match self.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        }
    }
}

/// Why kaigi stops with exit status 2 (see [`CliError::message`]).
#[derive(Debug, Error)]
pub enum CliError {
    /// A file given with `--file` could not be loaded.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// `show ID` or `--goto ID` with an id no document has.
    #[error("no such id: {0}")]
    NoSuchId(String),
    /// The embedded participants' reference data is malformed.
    #[error("reference data: {0}")]
    ReferenceData(#[from] DataError),
    /// The browser was started with stdin or stdout not a terminal.
    #[error("the browser needs a terminal; for output to a pipe use a subcommand (kaigi --help)")]
    NotATerminal,
    /// Writing a subcommand's output failed.
    #[error("{0}")]
    Output(#[from] io::Error),
    /// The browser failed.
    #[error("{0}")]
    Terminal(io::Error),
    /// `kaigi serve` could not start (or its listener failed).
    #[error("serve: {0}")]
    Serve(String),
    /// `--present` or `--follow` could not start.
    #[error("{0}")]
    Stage(String),
}

impl CliError {
    /// The line for stderr: `kaigi: ` and the error, with anything from a file name or an
    /// argument that a terminal would take as a control sequence shown as text (`^[`).
    #[must_use]
    pub fn message(&self) -> String {
        sanitize(&format!("kaigi: {self}"), DisplayOptions::default())
    }

    /// A reader that went away (`kaigi outline | head`): not an error.
    #[must_use]
    pub fn is_closed_pipe(&self) -> bool {
        matches!(self, Self::Output(e) if e.kind() == io::ErrorKind::BrokenPipe)
    }
}

/// The outline as text: one node a line, indented, with its id and the start of its text.
#[must_use]
pub fn outline_text(corpus: &Corpus, width: usize, opts: DisplayOptions) -> Vec<String> {
    let mut out = Vec::new();
    for (d, doc) in corpus.documents.iter().enumerate() {
        let date = doc
            .date
            .map(|d| format!("  {}", d.iso()))
            .unwrap_or_default();
        out.push(sanitize(&format!("{}  {}{date}", doc.id, doc.title), opts));
        for (i, n) in doc.nodes.iter().enumerate() {
            let head = crate::layout::node_label(corpus, NodeRef { doc: d, node: i }, opts);
            let line = format!("{}{}  {}", "  ".repeat(n.depth + 1), n.id, head);
            out.push(crate::text::truncate(&sanitize(&line, opts), width, opts));
        }
    }
    out
}

/// Resolves an id for `show`.
///
/// # Errors
/// An unknown id.
pub fn resolve_for_show(corpus: &Corpus, id: &str) -> Result<Resolved, CliError> {
    corpus
        .resolve(id, 0)
        .ok_or_else(|| CliError::NoSuchId(id.trim().to_string()))
}

/// The lines `show` prints.
#[must_use]
pub fn show_lines(
    corpus: &Corpus,
    target: Resolved,
    width: usize,
    opts: DisplayOptions,
) -> Vec<Line> {
    match target {
        Resolved::Document(d) => layout::lay_out_document(corpus, d, width, opts),
        Resolved::Node(r) => layout::lay_out_subtree(corpus, r, width, opts),
    }
}

fn ansi(role: Role) -> &'static str {
    match role {
        Role::Title => "\x1b[1;4;33m",
        Role::Meta | Role::Note => "\x1b[36m",
        Role::Heading => "\x1b[1;32m",
        Role::Marker => "\x1b[1;33m",
        Role::Body => "",
    }
}

/// A laid-out line for printing, coloured or not.
#[must_use]
pub fn render_line(line: &Line, color: bool) -> String {
    if !color {
        return line.plain();
    }
    let mut s = " ".repeat(line.indent);
    for span in &line.spans {
        let code = ansi(span.role);
        if code.is_empty() {
            s.push_str(&span.text);
        } else {
            s.push_str(code);
            s.push_str(&span.text);
            s.push_str("\x1b[0m");
        }
    }
    s
}

/// Runs a subcommand, writing to `out`.
///
/// # Errors
/// An unknown id, malformed reference data, or writing failed.
pub fn run(
    args: &Args,
    command: &Command,
    corpus: &Corpus,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let stdout_tty = io::stdout().is_terminal();
    let opts = args.print_options();
    let term_width = || {
        if stdout_tty {
            crossterm::terminal::size().map_or(80, |(w, _)| usize::from(w))
        } else {
            80
        }
    };
    match command {
        Command::Serve(s) => serve::run(args, s, corpus, out)?,
        Command::Outline { json } => {
            if *json {
                json::write(out, &json::outline(corpus))?;
            } else {
                for line in outline_text(corpus, term_width(), opts) {
                    writeln!(out, "{line}")?;
                }
            }
        }
        Command::Show { id, width, json } => {
            let target = resolve_for_show(corpus, id)?;
            let width = width.map_or_else(term_width, usize::from);
            let lines = show_lines(corpus, target, width, opts);
            if *json {
                json::write(out, &json::show(corpus, target, width, &lines))?;
            } else {
                let color = args.use_color(stdout_tty);
                for line in &lines {
                    writeln!(out, "{}", render_line(line, color))?;
                }
            }
        }
        Command::Search { query, limit, json } => {
            let index = crate::search::SearchIndex::with_extra(
                corpus,
                crate::participants::search_entries(corpus),
            );
            let hits = index.search(query, *limit);
            let width = term_width();
            if *json {
                let rows: Vec<json::SearchHit> = hits
                    .iter()
                    .map(|h| {
                        json::search_hit(h, index.entry_text(corpus, h.target).unwrap_or(""), 60)
                    })
                    .collect();
                json::write(out, &rows)?;
            } else {
                let color = args.use_color(stdout_tty);
                let id_w = hits
                    .iter()
                    .map(|h| crate::text::str_width(&h.id))
                    .max()
                    .unwrap_or(0)
                    .min(24);
                for h in &hits {
                    let text = index.entry_text(corpus, h.target).unwrap_or("");
                    let head = format!("{:<id_w$}  {:>5}  ", sanitize(&h.id, opts), h.score);
                    let room = width.saturating_sub(crate::text::str_width(&head));
                    let (snippet, ranges) = crate::search::snippet(text, &h.ranges, room);
                    writeln!(out, "{head}{}", highlight(&snippet, &ranges, color, opts))?;
                }
            }
        }
        Command::Participants {
            json,
            only,
            sort,
            find,
        } => {
            let data = crate::participants::ReferenceData::embedded()?;
            let table = crate::participants::Participants::from_corpus(corpus, &data);
            let rows = table.filtered(*only, *sort, find);
            if *json {
                json::write(out, &json::participant_rows(&table, corpus, &rows))?;
            } else {
                for line in participants_text(&table, &rows, term_width(), opts) {
                    writeln!(out, "{line}")?;
                }
            }
        }
    }
    Ok(())
}

/// A snippet made safe, with its matches in bold reverse video when colour is on.
fn highlight(
    snippet: &str,
    ranges: &[std::ops::Range<usize>],
    color: bool,
    opts: DisplayOptions,
) -> String {
    let mut out = String::new();
    let mut inside = false;
    for (i, c) in snippet.chars().enumerate() {
        let hit = color && ranges.iter().any(|r| r.contains(&i));
        if hit != inside {
            out.push_str(if hit { "\x1b[1;35m" } else { "\x1b[0m" });
            inside = hit;
        }
        crate::text::display::push_shown(c, opts, &mut |s| out.push(s));
    }
    if inside {
        out.push_str("\x1b[0m");
    }
    out
}

/// The participants table as text: the summary, a header, one line a row.
#[must_use]
pub fn participants_text(
    table: &crate::participants::Participants,
    rows: &[usize],
    width: usize,
    opts: DisplayOptions,
) -> Vec<String> {
    use crate::participants::{TableLayout, join_cells};
    let mut out = vec![crate::text::truncate(
        &sanitize(&table.summary(), opts),
        width,
        opts,
    )];
    if table.is_empty() {
        return out;
    }
    let layout = TableLayout::for_width(width);
    out.push(join_cells(&layout.header(opts)).trim_end().to_string());
    for &r in rows {
        out.push(
            join_cells(&table.render_row(r, &layout.columns, &layout.widths, opts))
                .trim_end()
                .to_string(),
        );
    }
    out
}
