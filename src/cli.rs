//! The command line: arguments, and the subcommands that answer without the TUI. A thin shell
//! over the library, like the TUI.

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};
use serde::Serialize;

use crate::corpus::{Corpus, Document, Node, NodeRef, Resolved};
use crate::layout::{self, Line, Role};
use crate::text::display::{DisplayOptions, sanitize};

pub mod generate;
pub mod pager;
pub mod settings;
pub mod term;

/// A keyboard-driven terminal browser for the G7 Interior and Security Ministers' Communiqué
/// (Mito, 2023) and the 2023 Counter Ransomware Initiative press release.
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

    /// How the terminal draws East Asian Ambiguous characters (borders, `Ⅶ`, `…`).
    #[arg(long, value_enum, default_value_t = Ambiguous::Auto, global = true)]
    pub ambiguous: Ambiguous,

    /// Draw only characters that are never ambiguous (same as `--ambiguous wide`).
    #[arg(long, global = true, overrides_with = "no_ascii")]
    pub ascii: bool,

    /// Undo `--ascii` (from the config file).
    #[arg(long, global = true, overrides_with = "ascii")]
    pub no_ascii: bool,

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

    #[command(subcommand)]
    pub command: Option<Command>,
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

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print the tree of every document: sections, paragraphs, items, notes, with their ids.
    Outline {
        /// Print JSON: {"documents":[{"id","title","date","children":[...]}]}.
        #[arg(long)]
        json: bool,
    },
    /// Print one node (and what it contains) laid out as the reading pane lays it out.
    Show {
        /// The node: `g7:23`, `cri:3`, `g7:VII`, `cri:note-1`, or a document id.
        id: String,
        /// Lay out for a pane this many cells wide (default: the terminal's width, or 80).
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
        width: Option<u16>,
        /// Print JSON: {id, kind, label, text, lines}.
        #[arg(long)]
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
        /// Print JSON: [{id, doc, score, snippet, ranges}], ranges as character offsets into
        /// the node's text.
        #[arg(long)]
        json: bool,
    },
    /// Print the CRI's two lists side by side: the meeting's participants (A) and the
    /// signatories of the non-payment statement (B).
    Participants {
        /// Print JSON: [{ja, en, code, kind, in_meeting, in_statement, new_2023, g7, mentions}].
        #[arg(long)]
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

/// A failure a subcommand reports: a one-line message and exit status 2.
#[derive(Debug)]
pub struct CliError(pub String);

/// An outline node in JSON.
#[derive(Debug, Serialize)]
pub struct OutlineNode {
    pub id: String,
    pub kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    pub children: Vec<OutlineNode>,
}

/// An outline document in JSON.
#[derive(Debug, Serialize)]
pub struct OutlineDocument {
    pub id: String,
    pub title: String,
    pub date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub issuers: Vec<String>,
    /// The encoding the text was read in: `UTF-8`, `Shift_JIS`, `EUC-JP`, `UTF-16LE`,
    /// `UTF-16BE`.
    pub encoding: &'static str,
    pub children: Vec<OutlineNode>,
}

#[derive(Debug, Serialize)]
pub struct Outline {
    pub documents: Vec<OutlineDocument>,
}

fn outline_node(doc: &Document, idx: usize) -> OutlineNode {
    let n: &Node = &doc.nodes[idx];
    let (title, text) = if n.kind.is_heading() {
        (Some(n.text.clone()), None)
    } else {
        (None, Some(n.text.clone()))
    };
    OutlineNode {
        id: n.id.clone(),
        kind: n.kind.name(),
        label: n.label.clone(),
        title,
        text,
        children: n.children.iter().map(|&c| outline_node(doc, c)).collect(),
    }
}

/// The outline of every document.
#[must_use]
pub fn outline(corpus: &Corpus) -> Outline {
    Outline {
        documents: corpus
            .documents
            .iter()
            .map(|doc| OutlineDocument {
                id: doc.id.clone(),
                title: doc.title.clone(),
                date: doc.date.map(crate::corpus::Date::iso),
                place: doc.place.clone(),
                issuers: doc.issuers.clone(),
                encoding: doc.encoding.name(),
                children: doc.roots.iter().map(|&i| outline_node(doc, i)).collect(),
            })
            .collect(),
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
    corpus.resolve(id, 0).ok_or_else(|| {
        CliError(format!(
            "no such id: {}",
            sanitize(id.trim(), DisplayOptions { ascii: false })
        ))
    })
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

/// `show --json`.
#[derive(Debug, Serialize)]
pub struct ShowJson {
    pub id: String,
    pub kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    pub text: String,
    pub width: usize,
    pub lines: Vec<String>,
}

/// JSON that is safe on a terminal: serde_json escapes C0 controls; this also escapes DEL,
/// C1 controls (`U+009B` is CSI on some terminals), bidirectional and invisible format
/// characters as `\uXXXX`. The result is the same JSON value.
#[must_use]
pub fn safe_json(value: &impl Serialize) -> String {
    let raw =
        serde_json::to_string_pretty(value).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"));
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        let risky = c == '\u{7f}'
            || ('\u{80}'..='\u{9f}').contains(&c)
            || crate::text::display::is_bidi_control(c)
            || crate::text::display::is_invisible_format(c)
            || matches!(c, '\u{2028}' | '\u{2029}');
        if risky {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// Writes [`safe_json`] and a newline.
///
/// # Errors
/// Writing failed.
pub fn write_json(out: &mut dyn Write, value: &impl Serialize) -> io::Result<()> {
    writeln!(out, "{}", safe_json(value))
}

/// Runs a subcommand, writing to `out`.
///
/// # Errors
/// A [`CliError`] for an unknown id; I/O errors are returned as they are.
pub fn run(
    args: &Args,
    command: &Command,
    corpus: &Corpus,
    out: &mut dyn Write,
) -> Result<Result<(), CliError>, io::Error> {
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
        Command::Outline { json } => {
            if *json {
                write_json(out, &outline(corpus))?;
            } else {
                for line in outline_text(corpus, term_width(), opts) {
                    writeln!(out, "{line}")?;
                }
            }
        }
        Command::Show { id, width, json } => {
            let target = match resolve_for_show(corpus, id) {
                Ok(t) => t,
                Err(e) => return Ok(Err(e)),
            };
            let width = width.map_or_else(term_width, usize::from);
            let lines = show_lines(corpus, target, width, opts);
            if *json {
                let (id, kind, label, text) = match target {
                    Resolved::Document(d) => {
                        let doc = &corpus.documents[d];
                        (doc.id.clone(), "document", None, doc.title.clone())
                    }
                    Resolved::Node(r) => {
                        let n = corpus.node(r);
                        (n.id.clone(), n.kind.name(), n.label.clone(), n.text.clone())
                    }
                };
                let j = ShowJson {
                    id,
                    kind,
                    label,
                    text,
                    width,
                    lines: lines.iter().map(Line::plain).collect(),
                };
                write_json(out, &j)?;
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
                let rows: Vec<crate::search::JsonHit> = hits
                    .iter()
                    .map(|h| h.to_json(index.entry_text(corpus, h.target).unwrap_or(""), 60))
                    .collect();
                write_json(out, &rows)?;
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
            let data = match crate::participants::ReferenceData::embedded() {
                Ok(d) => d,
                Err(e) => return Ok(Err(CliError(format!("reference data: {e}")))),
            };
            let table = crate::participants::Participants::from_corpus(corpus, &data);
            let rows = table.filtered(*only, *sort, find);
            if *json {
                write_json(out, &table.to_json_rows(corpus, &rows))?;
            } else {
                for line in participants_text(&table, &rows, term_width(), opts) {
                    writeln!(out, "{line}")?;
                }
            }
        }
        Command::Config { .. } => {
            return Ok(Err(CliError(
                "kaigi config is answered before the documents are loaded".into(),
            )));
        }
    }
    Ok(Ok(()))
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
