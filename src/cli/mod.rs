//! The command line: arguments, and the subcommands that answer without the TUI. A thin shell
//! over the library, like the TUI.

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};
use thiserror::Error;

use crate::corpus::{Corpus, GotoError, LoadError, NodeRef, Resolved};
use crate::layout::{self, Line, Role};
use crate::participants::DataError;
use crate::text::display::{DisplayOptions, sanitize};

pub mod generate;
pub mod json;
pub mod pager;
pub mod serve;
pub mod settings;
pub mod term;
pub mod vocabulary;

/// A keyboard-driven terminal browser for the G7 Interior and Security Ministers' Communiqué
/// (Mito, 2023) and the 2023 Counter Ransomware Initiative press release.
// These doc comments are the --help text people read, not rustdoc: no backticks around paths.
#[allow(clippy::doc_markdown)]
#[derive(Debug, Parser)]
#[command(
    name = "kaigi",
    version,
    about,
    long_about = None,
    after_help = "In the browser, press ? for its keys. More in the man page: \
                  kaigi --generate man > kaigi.1 && man ./kaigi.1"
)]
pub struct Args {
    /// Everything but the subcommand (read through `Deref`: `args.files`).
    #[command(flatten)]
    pub options: Options,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The options of the command line, without the subcommand (see [`parse`]).
#[allow(clippy::doc_markdown)]
#[derive(Debug, clap::Args)]
pub struct Options {
    /// Load documents from this text file instead of the embedded ones (repeatable; `-` is
    /// standard input). UTF-8, UTF-16 with a BOM, Shift_JIS (CP932) and EUC-JP are recognised.
    #[arg(long = "file", value_name = "PATH", global = true)]
    pub files: Vec<PathBuf>,

    /// Read every file in this encoding instead of recognising it.
    #[arg(long, value_name = "ENCODING", global = true, value_parser = encoding_parser())]
    pub encoding: Option<crate::corpus::Encoding>,

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
    #[arg(long, global = true, overrides_with = "no_ascii")]
    pub ascii: bool,

    /// Undo `--ascii` (from the config file).
    #[arg(long, global = true, overrides_with = "ascii")]
    pub no_ascii: bool,

    /// Neither read nor write the kept state (marks, last position, recent searches and gotos,
    /// in $XDG_STATE_HOME/kaigi/) for this run.
    #[arg(long, global = true)]
    pub no_state: bool,

    /// When to use colour (`NO_COLOR` in the environment and a monochrome `TERM` turn `auto`
    /// off).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,

    /// Show the section tree at start, whatever the width.
    #[arg(long, global = true, overrides_with = "no_tree")]
    pub tree: bool,

    /// Hide the section tree at start (`t` shows it).
    #[arg(long, global = true, overrides_with = "tree")]
    pub no_tree: bool,

    /// Page `show` and `outline` when they are taller than the terminal (the default).
    #[arg(long, global = true, overrides_with = "no_pager")]
    pub pager: bool,

    /// Never page: print straight to the terminal.
    #[arg(long, global = true, overrides_with = "pager")]
    pub no_pager: bool,

    /// Read settings from this file instead of `$XDG_CONFIG_HOME/kaigi/config.toml` (also
    /// `KAIGI_CONFIG`).
    #[arg(long, value_name = "PATH", global = true)]
    pub config: Option<PathBuf>,

    /// Read no config file.
    #[arg(long, global = true, conflicts_with = "config")]
    pub no_config: bool,

    /// Print a man page or a shell completion script, and exit.
    #[arg(long, value_enum, value_name = "WHAT")]
    pub generate: Option<Generate>,
}

impl std::ops::Deref for Args {
    type Target = Options;
    fn deref(&self) -> &Options {
        &self.options
    }
}

impl std::ops::DerefMut for Args {
    fn deref_mut(&mut self) -> &mut Options {
        &mut self.options
    }
}

/// The command line, read. A start with options only (the browser: the start that has to be
/// quick) is read by the options alone, without the subcommands: clap builds every
/// subcommand's arguments and copies the thirteen global ones into each before it reads a
/// word, a tenth of the time to the first frame and a tenth of its page faults (see
/// BENCHMARKS.md). Words the options alone do not take (a subcommand, `help`, `--help`,
/// `--version`, a mistake) are read again by the whole command, which says what it says of
/// them: what is printed, and every error, comes from the whole command.
///
/// # Errors
/// The whole command's error: a bad argument, or `--help` and `--version` to print.
pub fn parse() -> Result<(Args, clap::ArgMatches), clap::Error> {
    parse_from(std::env::args_os())
}

/// [`parse`] of these words (the first is the program's name).
///
/// # Errors
/// As [`parse`].
pub fn parse_from<I, T>(words: I) -> Result<(Args, clap::ArgMatches), clap::Error>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    use clap::{Args as _, CommandFactory, FromArgMatches};
    let words: Vec<std::ffi::OsString> = words.into_iter().map(Into::into).collect();
    let options_alone = Options::augment_args(clap::Command::new("kaigi"));
    if let Ok(matches) = options_alone.try_get_matches_from(&words)
        && let Ok(options) = Options::from_arg_matches(&matches)
    {
        let args = Args {
            options,
            command: None,
        };
        return Ok((args, matches));
    }
    let matches = Args::command().try_get_matches_from(&words)?;
    let args = Args::from_arg_matches(&matches)?;
    Ok((args, matches))
}

fn encoding_parser() -> impl clap::builder::TypedValueParser<Value = crate::corpus::Encoding> {
    use crate::corpus::Encoding;
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(Encoding::ALL.map(Encoding::arg_name)).try_map(
        |s: String| Encoding::from_arg_name(&s).ok_or_else(|| format!("unknown encoding {s}")),
    )
}

/// What `--generate` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Generate {
    /// The man page (roff), with the browser's keys and the files kaigi reads.
    Man,
    CompleteBash,
    CompleteZsh,
    CompleteFish,
    CompleteElvish,
    CompletePowershell,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Ambiguous {
    /// Ask the terminal at start (the browser only; printing assumes narrow).
    Auto,
    /// Ambiguous characters take one cell.
    Narrow,
    /// Ambiguous characters take two cells: avoid them.
    Wide,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[allow(clippy::doc_markdown)] // --help text, as for `Args`
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
    /// Normalised: full-width = half-width, katakana = hiragana, small kana = full size, ー
    /// ignored, romaji finds kana (`ransamu`), English finds the Japanese terms of the glossary
    /// (`ransomware`). fzf's syntax: `a b` both, `a | b` either, `'exact`, `^prefix`, `suffix$`,
    /// `!exclude`, `!^prefix`, `!suffix$`. A query that is a node's number or id (`23`, `VII`)
    /// finds that node first. Exit status: 0 found, 1 nothing found, 2 an error.
    Search {
        /// What to look for.
        query: String,
        /// At most this many results.
        #[arg(long, value_name = "N", default_value_t = 20)]
        limit: usize,
        #[arg(long, help = json::SEARCH_HELP)]
        json: bool,
    },
    /// List the marks and the last position kept for these documents
    ///
    /// Kept in $XDG_STATE_HOME/kaigi/ (default ~/.local/state/kaigi/): the letter, the id, the
    /// character offset into the node's text and the first words from there.
    Marks {
        #[arg(long, help = json::MARKS_HELP)]
        json: bool,
    },
    /// List the documents the texts cite, in date order, with every place each is cited
    Refs {
        #[arg(long, help = json::REFS_HELP)]
        json: bool,
    },
    /// Print the index of terms (acronyms, organisations, participants…) with their mentions
    ///
    /// Every acronym with what it stands for as the text defines it, every named
    /// organisation, initiative, task force and mechanism, and the participants; each with the
    /// nodes that mention it. `kaigi index icpa` answers "what does ICPA stand for?".
    Index {
        /// Keep entries whose term, expansion or other name contains this (normalised as search
        /// does: `icpa` finds ICPA, `らんさむ` finds ランサム).
        query: Option<String>,
        #[arg(long, help = json::INDEX_HELP)]
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
    /// Say where the config file is read from; with `--default`, print a config file with
    /// every setting and key binding, commented out.
    Config {
        /// Print the default config file.
        #[arg(long)]
        default: bool,
    },
}

impl Args {
    /// Display options for printing: ASCII when asked or when ambiguous characters are wide.
    #[must_use]
    pub fn print_options(&self) -> DisplayOptions {
        DisplayOptions {
            ascii: self.ascii || self.ambiguous == Ambiguous::Wide,
        }
    }

    /// How the browser draws, locally or served: colour on a terminal, the display options,
    /// and the config file's `[theme]` over the default looks.
    #[must_use]
    pub fn theme(&self, config: &crate::config::Config) -> crate::tui::theme::Theme {
        crate::tui::theme::Theme {
            color: self.use_color(true),
            opts: self.print_options(),
            looks: vocabulary::looks(&config.theme),
        }
    }

    /// Whether to colour output going to a stream.
    #[must_use]
    pub fn use_color(&self, is_terminal: bool) -> bool {
        match self.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                is_terminal
                    && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    && term::Term::from_env().has_colour()
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
    /// `show ID` or `--goto ID` with an id no document has, or one that several could mean.
    #[error(transparent)]
    Goto(#[from] GotoError),
    /// The embedded participants' reference data is malformed.
    #[error("reference data: {0}")]
    ReferenceData(#[from] DataError),
    /// `marks` with `--no-state`.
    #[error("marks: --no-state reads no state, so there is nothing to list")]
    NoState,
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
    /// The config file is bad (it names itself and the line).
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    /// `TERM` is unset or `dumb`: the browser cannot move the cursor.
    #[error("{}", term::DUMB_MESSAGE)]
    DumbTerminal,
    /// Standard input is a pipe, but no document is read from it.
    #[error("the browser reads keys from a terminal; to read a document from a pipe, say --file -")]
    PipedStdin,
    /// The document came from standard input and the terminal cannot be opened for keys.
    #[error("the browser needs a terminal for its keys: /dev/tty: {0}")]
    NoTty(io::Error),
    /// A subcommand that is answered before the documents are loaded reached [`run`].
    #[error("kaigi {0} is answered before the documents are loaded")]
    AnsweredEarlier(&'static str),
    /// A search query kaigi cannot run as typed (only operators, nothing to look for).
    #[error("search: {0}")]
    Query(#[from] crate::search::QueryError),
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
        // The encoding is said when the text was converted to read it.
        let encoding = if doc.encoding == crate::corpus::Encoding::Utf8 {
            String::new()
        } else {
            format!("  ({})", doc.encoding.name())
        };
        out.push(sanitize(
            &format!("{}  {}{date}{encoding}", doc.id, doc.title),
            opts,
        ));
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
    corpus.resolve(id, 0).map_err(CliError::Goto)
}

/// The lines `show` prints.
#[must_use]
pub fn show_lines(
    corpus: &Corpus,
    target: Resolved,
    width: usize,
    opts: DisplayOptions,
) -> layout::Lines {
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
pub fn render_line(text: layout::Render, line: &Line, color: bool) -> String {
    if !color {
        return text.plain(line);
    }
    let mut s = " ".repeat(text.indent(line));
    for span in text.spans(line) {
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
    config: &crate::config::Config,
    out: &mut dyn Write,
) -> Result<Status, CliError> {
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
        Command::Serve(s) => serve::run(args, s, corpus, config, out)?,
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
                json::write(out, &json::show(corpus, target, &lines))?;
            } else {
                let color = args.use_color(stdout_tty);
                let text = lines.render(corpus);
                for line in &lines.lines {
                    writeln!(out, "{}", render_line(text, line, color))?;
                }
            }
        }
        Command::Search { query, limit, json } => {
            let index = crate::search::searchable_once(corpus);
            let results = match index.run(query, *limit) {
                Ok(r) => r,
                Err(e) => return Err(CliError::Query(e)),
            };
            let color = args.use_color(stdout_tty);
            write_search(
                &index,
                corpus,
                &results,
                *json,
                term_width(),
                color,
                opts,
                out,
            )?;
            let mut err = io::stderr().lock();
            for line in search_notes(&results, opts) {
                writeln!(err, "{line}")?;
            }
            if results.hits.is_empty() {
                return Ok(Status::NoMatch);
            }
        }
        Command::Marks { json } => {
            if args.no_state {
                return Err(CliError::NoState);
            }
            let (file, opened, note) = match crate::places::state_dir(|k| std::env::var_os(k)) {
                Ok(dir) => {
                    let (store, opened) =
                        crate::places::Store::open(&dir, &crate::places::corpus_key(corpus));
                    (Some(store.path().to_path_buf()), opened, None)
                }
                Err(note) => (None, crate::places::Opened::Fresh, Some(note)),
            };
            let report = json::marks_report(corpus, file.as_deref(), &opened, note);
            if *json {
                json::write(out, &report)?;
            } else {
                for line in marks_text(&report, term_width(), opts) {
                    writeln!(out, "{line}")?;
                }
            }
        }
        Command::Refs { json } => {
            let citations = crate::refs::citations::citations(corpus);
            if *json {
                json::write(out, &json::citations(corpus, &citations))?;
            } else {
                for line in refs_text(corpus, &citations, term_width(), opts) {
                    writeln!(out, "{line}")?;
                }
            }
        }
        Command::Index { query, json } => {
            let refs = crate::refs::Refs::build(corpus);
            let shown = refs.index.narrow(query.as_deref().unwrap_or(""));
            if *json {
                json::write(out, &json::terms(corpus, &refs.index, &shown))?;
            } else {
                for line in index_text(corpus, &refs.index, &shown, term_width(), opts) {
                    writeln!(out, "{line}")?;
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
        Command::Config { .. } => return Err(CliError::AnsweredEarlier("config")),
    }
    Ok(Status::Done)
}

/// How a subcommand that ran ended: the exit status, as grep's (0 found, 1 nothing found; a
/// [`CliError`] is 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Done,
    /// `search` found nothing: exit status 1.
    NoMatch,
}

/// `search`'s hits on stdout: one line a hit (`id  score  snippet`) or the JSON array.
///
/// # Errors
/// Writing failed.
#[allow(clippy::too_many_arguments)]
pub fn write_search(
    index: &crate::search::SearchIndex,
    corpus: &Corpus,
    results: &crate::search::Results,
    json: bool,
    width: usize,
    color: bool,
    opts: DisplayOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let hits = &results.hits;
    if json {
        let rows: Vec<json::SearchHit> = hits
            .iter()
            .map(|h| json::search_hit(h, index.entry_text(corpus, h.target).unwrap_or(""), 60))
            .collect();
        return json::write(out, &rows);
    }
    let id_w = hits
        .iter()
        .map(|h| crate::text::str_width(&h.id))
        .max()
        .unwrap_or(0)
        .min(24);
    for h in hits {
        let text = index.entry_text(corpus, h.target).unwrap_or("");
        let head = format!("{:<id_w$}  {:.2}  ", sanitize(&h.id, opts), h.score);
        let room = width.saturating_sub(crate::text::str_width(&head));
        let (snippet, ranges) = crate::search::snippet(text, &h.ranges, room);
        writeln!(out, "{head}{}", highlight(&snippet, &ranges, color, opts))?;
    }
    Ok(())
}

/// `marks` as text: the state file, a note if it was not read, then one line a place (the
/// last position, then each mark): name, id, offset, the first words.
#[must_use]
pub fn marks_text(report: &json::MarksReport, width: usize, opts: DisplayOptions) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(file) = &report.file {
        out.push(format!("file  {}", sanitize(file, opts)));
    }
    if let Some(note) = &report.note {
        out.push(format!("note  {}", sanitize(note, opts)));
    }
    let mut rows: Vec<(String, &str, usize, &str)> = Vec::new();
    if let Some(l) = &report.last {
        rows.push(("last".into(), &l.id, l.offset, &l.words));
    }
    for m in &report.marks {
        rows.push((m.mark.to_string(), &m.at.id, m.at.offset, &m.at.words));
    }
    if rows.is_empty() {
        out.push("no marks and no last position kept yet".into());
    }
    let id_w = rows
        .iter()
        .map(|r| crate::text::str_width(r.1))
        .max()
        .unwrap_or(0);
    let off_w = rows
        .iter()
        .map(|r| r.2.to_string().len())
        .max()
        .unwrap_or(0);
    for (name, id, offset, words) in rows {
        let id = sanitize(id, opts);
        let pad = id_w.saturating_sub(crate::text::str_width(&id));
        let line = format!(
            "{name:<4}  {id}{}  {offset:>off_w$}  {}",
            " ".repeat(pad),
            sanitize(words, opts)
        );
        out.push(crate::text::truncate(&line, width, opts));
    }
    out
}

/// `kaigi refs` as text: per cited document, its date (or a dash) and name, then its issuer
/// and the places it is cited, indented under the name.
#[must_use]
pub fn refs_text(
    corpus: &Corpus,
    citations: &[crate::refs::Citation],
    width: usize,
    opts: DisplayOptions,
) -> Vec<String> {
    let mut out = Vec::new();
    if citations.is_empty() {
        out.push("no cited documents found".to_string());
    }
    for c in citations {
        let date = c
            .date
            .map_or_else(|| "—".to_string(), crate::corpus::Date::iso);
        let head = format!("{date:<10}  {}", c.name);
        out.push(crate::text::truncate(&sanitize(&head, opts), width, opts));
        let ids = crate::refs::place_ids(corpus, &c.places).join(", ");
        let detail = match &c.issuer {
            Some(i) => format!("{:12}{i} · cited at {ids}", ""),
            None => format!("{:12}cited at {ids}", ""),
        };
        out.push(crate::text::truncate(&sanitize(&detail, opts), width, opts));
    }
    out
}

/// `kaigi index` as text: one line an entry, `term  expansion  kind  where`.
#[must_use]
pub fn index_text(
    corpus: &Corpus,
    index: &crate::refs::Index,
    shown: &[usize],
    width: usize,
    opts: DisplayOptions,
) -> Vec<String> {
    if shown.is_empty() {
        return vec!["no index entry matches".to_string()];
    }
    shown
        .iter()
        .filter_map(|&i| index.entries.get(i))
        .map(|e| {
            let ids = crate::refs::place_ids(corpus, &e.mentions);
            let place = match ids.len() {
                0 => "not mentioned".to_string(),
                1..=3 => ids.join(", "),
                n => format!("{} … ({n} places)", ids[..3].join(", ")),
            };
            let expansion = e
                .expansion
                .as_deref()
                .map(|x| format!("  {x}"))
                .unwrap_or_default();
            let line = format!("{}{expansion}  [{}]  {place}", e.term, e.kind.name());
            crate::text::truncate(&sanitize(&line, opts), width, opts)
        })
        .collect()
}

/// What `search` says on stderr: how the hits were found (near matches, English through the
/// glossary) and, when `--limit` cut them, how many more there are.
#[must_use]
pub fn search_notes(results: &crate::search::Results, opts: DisplayOptions) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(n) = results.notice() {
        lines.push(sanitize(&format!("kaigi: {n}"), opts));
    }
    let cut = results.cut();
    if cut > 0 {
        lines.push(sanitize(
            &format!("… and {cut} more (use --limit); {}", results.header()),
            opts,
        ));
    }
    lines
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

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use clap::{CommandFactory, FromArgMatches};
    use proptest::prelude::*;

    /// What the whole command makes of `words`: the arguments, with where each top-level
    /// option's value came from (the config file fills in what the command line did not
    /// give), or the error it prints.
    fn whole(words: &[String]) -> Result<String, (clap::error::ErrorKind, String)> {
        let said = |e: clap::Error| (e.kind(), e.render().to_string());
        let m = Args::command().try_get_matches_from(words).map_err(said)?;
        let args = Args::from_arg_matches(&m).map_err(said)?;
        Ok(described(&args, &m))
    }

    fn described(args: &Args, m: &clap::ArgMatches) -> String {
        let sources: Vec<String> = Args::command()
            .get_arguments()
            .map(|a| format!("{}={:?}", a.get_id(), m.value_source(a.get_id().as_str())))
            .collect();
        format!("{args:?} {sources:?}")
    }

    fn parsed(words: &[String]) -> Result<String, (clap::error::ErrorKind, String)> {
        parse_from(words)
            .map(|(args, m)| described(&args, &m))
            .map_err(|e| (e.kind(), e.render().to_string()))
    }

    #[test]
    fn options_alone_are_read_without_the_subcommands() {
        let words = |s: &str| -> Vec<String> { s.split(' ').map(String::from).collect() };
        let (args, _) = parse_from(words("kaigi --file a.txt --ascii --search show")).unwrap();
        assert!(args.command.is_none());
        assert_eq!(args.files, vec![PathBuf::from("a.txt")]);
        assert_eq!(args.search.as_deref(), Some("show"));
        let (args, _) = parse_from(words("kaigi show 23 --file a.txt")).unwrap();
        assert!(matches!(args.command, Some(Command::Show { .. })));
        assert_eq!(args.files, vec![PathBuf::from("a.txt")]);
        let e = parse_from(words("kaigi --help")).unwrap_err();
        assert_eq!(e.kind(), clap::error::ErrorKind::DisplayHelp);
        // The whole command's help, with its subcommands.
        assert!(e.render().to_string().contains("outline"), "{}", e.render());
    }

    proptest! {
        /// Whatever the words, reading options alone first changes nothing: the same
        /// arguments and sources, or the same error, as the whole command's.
        #[test]
        fn reading_options_alone_first_changes_nothing(
            picked in proptest::collection::vec(0usize..40, 0..7)
        ) {
            const WORDS: [&str; 40] = [
                "--file", "a.txt", "-", "--encoding", "shift-jis", "utf-8", "--goto", "23",
                "--search", "show", "--present", "--follow", "me", "--ambiguous", "wide",
                "narrow", "--ascii", "--no-ascii", "--no-state", "--color", "never", "--tree",
                "--no-tree", "--pager", "--no-pager", "--config", "--no-config", "--generate",
                "man", "outline", "search", "ランサム", "--json", "--limit", "3", "help",
                "--help", "--version", "--", "--file=b.txt",
            ];
            let mut words = vec!["kaigi".to_string()];
            words.extend(picked.iter().map(|&i| WORDS[i].to_string()));
            prop_assert_eq!(parsed(&words), whole(&words));
        }
    }
}
