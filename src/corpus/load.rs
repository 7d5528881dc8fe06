//! Loading documents: the two embedded in the binary, or files given with `--file`.

use std::io::{self, Read, Seek, Write};
use std::path::Path;
use std::time::SystemTime;

use thiserror::Error;

use super::encoding::{self, Encoding, Found, Passes, Refusal, StreamDecoder};
use super::{Corpus, Document, Parser, parse_document};

/// How much of a file is read at a time, to check it and to parse it: small enough to stay in
/// the processor's cache between the read and the check, large enough that a read costs
/// little.
const CHUNK: usize = 128 * 1024;

/// How much text [`Loader::finish`] parses at a time (never the whole at once: the decoded
/// text is never kept beside the nodes made of it).
const FINISH_STEP: usize = 1 << 20;

/// The documents embedded from `seeds/`: (id, seed name, text).
pub const EMBEDDED: [(&str, &str, &str); 2] = [
    (
        "g7",
        "000_5e00753f0cefcf0c.txt",
        include_str!("../../seeds/000_5e00753f0cefcf0c.txt"),
    ),
    (
        "cri",
        "003_7641033908ca50ac.txt",
        include_str!("../../seeds/003_7641033908ca50ac.txt"),
    ),
];

/// Files larger than this are refused.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// A corpus with less text than this (the two documents, any ordinary file) is small: a file
/// is read once, into memory, and the browser parses it whole before its first frame, lays
/// it out whole before the first key and builds its search index on the spot. A larger one
/// is read from disk a chunk at a time (checked, then parsed a slice at a time between the
/// browser's input checks, its index built on a thread), so that its first screen comes at
/// once and memory holds its text once.
pub const SMALL_FILE_BYTES: usize = 1 << 20;

/// The path that stands for standard input in `--file -`.
pub const STDIN_PATH: &str = "-";

/// The name (and document id) of a document read from standard input.
pub const STDIN_NAME: &str = "stdin";

/// How long a source may stay silent before kaigi says it is waiting for it.
pub const WAIT_NOTICE: std::time::Duration = std::time::Duration::from_secs(1);

/// How files are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LoadOptions {
    /// Read every file in this encoding instead of finding out.
    pub encoding: Option<Encoding>,
}

/// Why a file could not be loaded. Each message names the file and says what is wrong, on
/// one line. Paths are shown as the reader shows text: a control character in a file name
/// never reaches the terminal.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum LoadError {
    #[error("{path}: no such file")]
    NotFound { path: String },
    #[error("{path}: is a directory, not a text file")]
    Directory { path: String },
    #[error("{path}: permission denied")]
    PermissionDenied { path: String },
    #[error("{path}: cannot be read: {reason}")]
    Unreadable { path: String, reason: String },
    #[error("{path}: the file is empty")]
    Empty { path: String },
    #[error("{path}: the file is {size} bytes, larger than the limit of {limit} bytes")]
    TooLarge { path: String, size: u64, limit: u64 },
    /// A source whose size is not known in advance (a device, a pipe) went past the limit.
    #[error("{path}: more than {limit} bytes, larger than the limit of 64 MiB")]
    StreamTooLarge { path: String, limit: u64 },
    /// No encoding tried reads every byte; each is listed with the offset of its first bad byte.
    #[error("{}", undecodable_message(path, tried))]
    NotText {
        path: String,
        tried: Vec<(Encoding, usize)>,
    },
    #[error("{path}: binary data, not text (NUL byte at offset {offset})")]
    Binary { path: String, offset: usize },
    #[error("{path}: standard input can be read only once")]
    StdinTwice { path: String },
    /// The file changed (or could no longer be read) between its check and its parse: what
    /// was read before stays.
    #[error("{path}: {reason}; showing what was read before")]
    Changed { path: String, reason: String },
}

/// Quotes a path for a shell command line, if it needs it.
fn shell_quoted(path: &str) -> String {
    let plain = path
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "/._-+,:@%".contains(c));
    if plain && !path.is_empty() {
        path.to_string()
    } else {
        format!("'{}'", path.replace('\'', r"'\''"))
    }
}

fn undecodable_message(path: &str, tried: &[(Encoding, usize)]) -> String {
    use std::fmt::Write as _;
    let mut parts = tried.iter();
    let mut msg = match parts.next() {
        Some((e, offset)) => format!(
            "{path}: not {} text (invalid byte at offset {offset})",
            e.name()
        ),
        None => format!("{path}: not text"),
    };
    let rest: Vec<String> = parts
        .map(|(e, offset)| format!("{} (at {offset})", e.name()))
        .collect();
    if !rest.is_empty() {
        msg.push_str(", nor ");
        msg.push_str(&rest.join(" or "));
    }
    let guess = crate::corpus::encoding::Undecodable {
        tried: tried.to_vec(),
    }
    .best_guess();
    let input = if path == STDIN_NAME {
        String::new()
    } else {
        format!(" {}", shell_quoted(path))
    };
    let _ = write!(
        msg,
        "; to read what can be read: iconv -c -f {} -t UTF-8{input} | kaigi --file -",
        guess.iconv_name()
    );
    msg
}

/// Parses the embedded documents.
#[must_use]
pub fn load_embedded() -> Corpus {
    Corpus {
        documents: EMBEDDED
            .iter()
            .map(|(id, name, text)| parse_document(id, name, text))
            .collect(),
    }
}

/// Turns a file name into a document id: its stem, lower-cased, anything but letters, digits,
/// `_` and `-` replaced by `-`. Standard input (`-`) is `stdin`.
#[must_use]
pub fn id_from_path(path: &Path) -> String {
    if path.as_os_str() == STDIN_PATH {
        return STDIN_NAME.to_string();
    }
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let id: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let id = id.trim_matches('-').to_string();
    if id.is_empty() { "doc".to_string() } else { id }
}

/// Checks bytes, finds their encoding and parses them as a document.
///
/// # Errors
/// Empty input, a NUL byte, or bytes that no encoding tried reads.
pub fn load_bytes(id: &str, path: &str, bytes: &[u8]) -> Result<Document, LoadError> {
    load_bytes_with(id, path, bytes, LoadOptions::default())
}

/// As [`load_bytes`], with the encoding forced or not by `opts`.
///
/// # Errors
/// As [`load_bytes`].
pub fn load_bytes_with(
    id: &str,
    path: &str,
    bytes: &[u8],
    opts: LoadOptions,
) -> Result<Document, LoadError> {
    let source = Source::Bytes {
        bytes: bytes.to_vec(),
        at: 0,
    };
    parse_whole(id, path, source, opts)
}

/// Checks a source, then parses it whole, a chunk at a time.
fn parse_whole(
    id: &str,
    shown: &str,
    source: Source,
    opts: LoadOptions,
) -> Result<Document, LoadError> {
    let (doc, pending) = open_source(id, shown, source, opts)?;
    let mut corpus = Corpus {
        documents: vec![doc],
    };
    let mut loader = Loader::of(vec![pending]);
    loader.finish(&mut corpus);
    if let Some(note) = loader.notes.into_iter().next() {
        return Err(note);
    }
    Ok(corpus
        .documents
        .pop()
        .unwrap_or_else(|| Document::empty(id, shown)))
}

/// The checks every file passes before anything is shown (not blank, not binary, text in an
/// encoding tried), made a chunk at a time: nothing of the file is kept. Gives the document,
/// empty, and what parses it.
fn open_source(
    id: &str,
    shown: &str,
    mut source: Source,
    opts: LoadOptions,
) -> Result<(Document, Pending), LoadError> {
    let path = || shown.to_string();
    let found = match encoding::check(&mut source, opts.encoding) {
        Ok(Ok(found)) => found,
        Ok(Err(Refusal::Empty)) => return Err(LoadError::Empty { path: path() }),
        Ok(Err(Refusal::Binary(offset))) => {
            return Err(LoadError::Binary {
                path: path(),
                offset,
            });
        }
        Ok(Err(Refusal::NotText(e))) => {
            return Err(LoadError::NotText {
                path: path(),
                tried: e.tried,
            });
        }
        Err(e) => return Err(io_error(shown, &e)),
    };
    let mut doc = Document::empty(id, shown);
    doc.encoding = found.encoding;
    Ok((doc, Pending::new(id, shown, source, found)))
}

/// Reads and parses one file.
///
/// # Errors
/// Any [`LoadError`]: missing, a directory, unreadable, too large, empty, not text, binary.
pub fn load_file(path: &Path) -> Result<Document, LoadError> {
    load_file_as(path, &id_from_path(path))
}

/// Reads and parses one file under a given document id.
///
/// # Errors
/// As [`load_file`].
pub fn load_file_as(path: &Path, id: &str) -> Result<Document, LoadError> {
    load_file_with(path, id, LoadOptions::default())
}

/// A path as messages show it: as the reader shows text, so no control character in it ever
/// reaches the terminal.
#[must_use]
pub fn shown_path(path: &Path) -> String {
    if path.as_os_str() == STDIN_PATH {
        return STDIN_NAME.to_string();
    }
    crate::text::sanitize(
        &path.display().to_string(),
        crate::text::DisplayOptions::default(),
    )
}

/// Reads and parses one file (or standard input, for `-`) under a given document id.
///
/// # Errors
/// As [`load_file`].
pub fn load_file_with(path: &Path, id: &str, opts: LoadOptions) -> Result<Document, LoadError> {
    let shown = shown_path(path);
    let source = Source::open(path, &shown, MAX_FILE_BYTES)?;
    parse_whole(id, &shown, source, opts)
}

/// Reads a whole file, device, FIFO or (for `-`) standard input, but never more than `limit`
/// bytes: reading stops at the first byte past it. A source that has sent nothing for a
/// second (a FIFO with no writer, a terminal) gets a line on stderr saying what is waited for.
///
/// # Errors
/// The source cannot be opened or read, is a directory, or is larger than `limit`.
pub fn read_source(path: &Path, shown: &str, limit: u64) -> Result<Vec<u8>, LoadError> {
    let notice = WaitNotice::start(shown);
    let result = if path.as_os_str() == STDIN_PATH {
        read_bounded(io::stdin().lock(), limit, None).map_err(|e| io_error(shown, &e))
    } else {
        read_path(path, shown, limit)
    };
    drop(notice);
    match result? {
        Bounded::Whole(bytes) => Ok(bytes),
        Bounded::Over(None) => Err(LoadError::StreamTooLarge {
            path: shown.to_string(),
            limit,
        }),
        Bounded::Over(Some(size)) => Err(LoadError::TooLarge {
            path: shown.to_string(),
            size,
            limit,
        }),
    }
}

fn read_path(path: &Path, shown: &str, limit: u64) -> Result<Bounded, LoadError> {
    // `metadata` does not open the file, so it never blocks on a FIFO; a regular file's
    // reported size refuses it before a byte is read.
    let meta = std::fs::metadata(path).map_err(|e| io_error(shown, &e))?;
    if meta.is_dir() {
        return Err(LoadError::Directory {
            path: shown.to_string(),
        });
    }
    let regular = meta.is_file();
    if regular && meta.len() > limit {
        return Ok(Bounded::Over(Some(meta.len())));
    }
    let file = std::fs::File::open(path).map_err(|e| io_error(shown, &e))?;
    let hint = regular.then_some(meta.len());
    let read = read_bounded(file, limit, hint).map_err(|e| io_error(shown, &e))?;
    Ok(match read {
        // A regular file that grew past the limit since it was measured: its size now.
        Bounded::Over(None) if regular => Bounded::Over(
            std::fs::metadata(path)
                .ok()
                .map(|m| m.len())
                .filter(|&n| n > limit),
        ),
        other => other,
    })
}

/// Where a file's bytes come from, to be checked and then parsed.
#[derive(Debug)]
enum Source {
    /// A regular file, kept open (so that one renamed or deleted meanwhile is still the file
    /// that was checked): read from its start a chunk at a time, to check it and again to
    /// parse it, and never kept whole.
    File {
        file: std::fs::File,
        /// Its size when it was opened (once checked: the bytes the check read).
        len: u64,
        modified: Option<SystemTime>,
        /// Bytes read by the parse so far.
        at: u64,
    },
    /// Bytes that cannot be read twice (standard input, a FIFO, a device), or a small file's
    /// (read once): kept until they are parsed.
    Bytes { bytes: Vec<u8>, at: usize },
}

impl Source {
    /// Opens a file, or reads standard input, a FIFO or a device whole (at most `limit`
    /// bytes). A source that has sent nothing for a second (a FIFO with no writer, a
    /// terminal) gets a line on stderr saying what is waited for.
    fn open(path: &Path, shown: &str, limit: u64) -> Result<Self, LoadError> {
        Self::open_reading_once_under(path, shown, limit, SMALL_FILE_BYTES as u64)
    }

    /// As [`open`](Self::open), a regular file under `small` bytes read into memory.
    fn open_reading_once_under(
        path: &Path,
        shown: &str,
        limit: u64,
        small: u64,
    ) -> Result<Self, LoadError> {
        let bytes = |b| Source::Bytes { bytes: b, at: 0 };
        if path.as_os_str() == STDIN_PATH {
            return read_source(path, shown, limit).map(bytes);
        }
        // `metadata` does not open the file, so it never blocks on a FIFO.
        let meta = std::fs::metadata(path).map_err(|e| io_error(shown, &e))?;
        if meta.is_dir() {
            return Err(LoadError::Directory {
                path: shown.to_string(),
            });
        }
        // A regular file of no size may still have text (`/proc`): read it as a stream.
        if !meta.is_file() || meta.len() == 0 {
            return read_source(path, shown, limit).map(bytes);
        }
        if meta.len() > limit {
            return Err(LoadError::TooLarge {
                path: shown.to_string(),
                size: meta.len(),
                limit,
            });
        }
        let file = std::fs::File::open(path).map_err(|e| io_error(shown, &e))?;
        let meta = file.metadata().map_err(|e| io_error(shown, &e))?;
        let too_large = |size| LoadError::TooLarge {
            path: shown.to_string(),
            size,
            limit,
        };
        if meta.len() > limit {
            return Err(too_large(meta.len()));
        }
        // A small file is parsed whole before anything is shown: read once, into memory,
        // and checked and parsed from there (not read through to be checked, then again to
        // be parsed). It cannot change between the two.
        if meta.len() < small {
            return match read_bounded(&file, limit, Some(meta.len()))
                .map_err(|e| io_error(shown, &e))?
            {
                Bounded::Whole(b) => Ok(bytes(b)),
                // Grown past the limit since it was measured.
                Bounded::Over(_) => Err(too_large(
                    file.metadata().map_or(limit.saturating_add(1), |m| m.len()),
                )),
            };
        }
        Ok(Source::File {
            file,
            len: meta.len(),
            modified: meta.modified().ok(),
            at: 0,
        })
    }

    /// Its size in bytes (a file's: as checked).
    fn len(&self) -> u64 {
        match self {
            Source::File { len, .. } => *len,
            Source::Bytes { bytes, .. } => bytes.len() as u64,
        }
    }

    /// The next bytes from where the parse is, at most `chunk` (none at the end: the checked
    /// size read): a file's read into `buf`, bytes in memory lent as they are.
    fn next_chunk<'a>(&'a mut self, buf: &'a mut Vec<u8>, chunk: usize) -> io::Result<&'a [u8]> {
        match self {
            Source::File { file, len, at, .. } => {
                if *at == 0 {
                    file.rewind()?;
                }
                // No larger than what is left: a buffer is zeroed before it is read into.
                let left = usize::try_from(*len - *at).unwrap_or(usize::MAX);
                buf.resize(chunk.min(left), 0);
                let n = (&*file).take(*len - *at).read(buf)?;
                *at += n as u64;
                Ok(&buf[..n])
            }
            Source::Bytes { bytes, at } => {
                let rest = bytes.get(*at..).unwrap_or_default();
                let n = rest.len().min(chunk);
                *at += n;
                Ok(&rest[..n])
            }
        }
    }

    /// Why the file read is not the file checked, if it is not: it ended before its checked
    /// size, or its size or time of change are not what they were.
    fn changed(&self) -> Option<String> {
        let Source::File {
            file,
            len,
            modified,
            at,
        } = self
        else {
            return None;
        };
        if at < len {
            return Some(format!(
                "became shorter while it was read ({at} of {len} bytes)"
            ));
        }
        let now = file.metadata().ok()?;
        if now.len() != *len || now.modified().ok() != *modified {
            return Some("changed while it was read".to_string());
        }
        None
    }
}

/// Fills `buf` from `file` as far as it goes (short only at the end).
fn fill(file: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match file.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

impl Passes for Source {
    fn pass(&mut self, f: &mut dyn FnMut(&[u8]) -> bool) -> io::Result<()> {
        match self {
            Source::Bytes { bytes, .. } => encoding::InMemory {
                bytes,
                chunk: CHUNK,
            }
            .pass(f),
            Source::File { file, len, .. } => {
                file.rewind()?;
                // One buffer, reused: the check keeps nothing. (Reading ahead on a thread of
                // its own, while this one checks, was no faster on a busy machine of two
                // cores, and slower through the terminal: each hand-over waits for the
                // scheduler.)
                let mut buf = vec![0; CHUNK];
                let mut rest = (&*file).take(*len);
                let mut read = 0;
                loop {
                    let n = fill(&mut rest, &mut buf)?;
                    read += n as u64;
                    if n < buf.len() {
                        if n > 0 {
                            f(&buf[..n]);
                        }
                        // A file that shrank since it was measured: what was checked is what
                        // is parsed.
                        *len = read;
                        break;
                    }
                    if !f(&buf) {
                        break;
                    }
                }
                Ok(())
            }
        }
    }
}

/// What a bounded read found.
#[derive(Debug, PartialEq, Eq)]
pub enum Bounded {
    /// Everything there was, within the limit.
    Whole(Vec<u8>),
    /// More than the limit (the size, when it is known).
    Over(Option<u64>),
}

/// Reads at most `limit` + 1 bytes from `reader`: everything when it fits, [`Bounded::Over`]
/// as soon as one byte past the limit has arrived. `size_hint` sizes the buffer (a regular
/// file's length), so a small file is read without growing it and a big stream never holds
/// more than the limit and a byte.
///
/// # Errors
/// Reading failed.
pub fn read_bounded(reader: impl Read, limit: u64, size_hint: Option<u64>) -> io::Result<Bounded> {
    let cap = size_hint.map_or(64 * 1024, |n| n.min(limit).saturating_add(1));
    let mut bytes = Vec::with_capacity(usize::try_from(cap).unwrap_or(64 * 1024));
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Ok(Bounded::Over(None));
    }
    Ok(Bounded::Whole(bytes))
}

/// Prints "waiting for input on …" once, if the read it watches takes longer than
/// [`WAIT_NOTICE`]; dropping it (the read is over) stops it.
struct WaitNotice {
    done: Option<std::sync::mpsc::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl WaitNotice {
    fn start(shown: &str) -> Self {
        let (done, wait) = std::sync::mpsc::channel::<()>();
        let what = shown.to_string();
        let thread = std::thread::spawn(move || {
            if let Err(std::sync::mpsc::RecvTimeoutError::Timeout) = wait.recv_timeout(WAIT_NOTICE)
            {
                let _ = writeln!(io::stderr(), "kaigi: waiting for input on {what}…");
            }
        });
        WaitNotice {
            done: Some(done),
            thread: Some(thread),
        }
    }
}

impl Drop for WaitNotice {
    fn drop(&mut self) {
        drop(self.done.take());
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn io_error(path: &str, e: &io::Error) -> LoadError {
    use std::io::ErrorKind;
    let path = path.to_string();
    match e.kind() {
        ErrorKind::NotFound => LoadError::NotFound { path },
        ErrorKind::PermissionDenied => LoadError::PermissionDenied { path },
        ErrorKind::IsADirectory => LoadError::Directory { path },
        _ => LoadError::Unreadable {
            path,
            reason: e.to_string(),
        },
    }
}

impl Corpus {
    /// Loads the given files (in order), or the embedded documents when there are none. Ids
    /// that two files would share get a numeric suffix.
    ///
    /// # Errors
    /// The first file that fails to load.
    pub fn load(files: &[std::path::PathBuf]) -> Result<Self, LoadError> {
        Self::load_with(files, LoadOptions::default())
    }

    /// As [`Corpus::load`], reading files as `opts` says. `-` is standard input, which can be
    /// given once.
    ///
    /// # Errors
    /// The first file that fails to load, or that changed between its check and its parse.
    pub fn load_with(files: &[std::path::PathBuf], opts: LoadOptions) -> Result<Self, LoadError> {
        let (mut corpus, mut loader) = Self::open_with(files, opts)?;
        loader.finish(&mut corpus);
        // A file that changed after its check: an error here, where nothing is shown to say it.
        match loader.take_notes().into_iter().next() {
            Some(note) => Err(note),
            None => Ok(corpus),
        }
    }

    /// Opens and checks the given files (or takes the embedded documents), but parses
    /// nothing yet: the [`Loader`] reads them again and parses them into the corpus a slice at
    /// a time, so that the browser can show a large file's first screen at once (as `less`
    /// does) and read the rest between keys. Every file is read through and checked here, a
    /// chunk at a time, so that a bad one is reported before anything is shown; nothing of a
    /// large regular file is kept but the open file (a small one, under [`SMALL_FILE_BYTES`],
    /// is read once and its bytes kept, as standard input's, a FIFO's and a device's, which
    /// cannot be read twice).
    ///
    /// # Errors
    /// The first file that fails to load.
    pub fn open_with(
        files: &[std::path::PathBuf],
        opts: LoadOptions,
    ) -> Result<(Self, Loader), LoadError> {
        Self::open_reading_once_under(files, opts, SMALL_FILE_BYTES as u64)
    }

    /// As [`open_with`](Self::open_with), regular files under `small` bytes read into memory
    /// (the tests read small files from disk too).
    fn open_reading_once_under(
        files: &[std::path::PathBuf],
        opts: LoadOptions,
        small: u64,
    ) -> Result<(Self, Loader), LoadError> {
        if files.is_empty() {
            return Ok((load_embedded(), Loader::default()));
        }
        if files.iter().filter(|p| p.as_os_str() == STDIN_PATH).count() > 1 {
            return Err(LoadError::StdinTwice {
                path: STDIN_NAME.to_string(),
            });
        }
        let mut ids: Vec<String> = Vec::new();
        for path in files {
            let base = id_from_path(path);
            // At most `ids.len()` of the suffixes are taken, so one of the first `len + 1` is free.
            let id = std::iter::once(base.clone())
                .chain((2..=ids.len() + 1).map(|k| format!("{base}-{k}")))
                .find(|c| !ids.contains(c))
                .unwrap_or(base);
            ids.push(id);
        }
        let mut documents = Vec::new();
        let mut pending = Vec::new();
        for (path, id) in files.iter().zip(&ids) {
            let shown = shown_path(path);
            let source = Source::open_reading_once_under(path, &shown, MAX_FILE_BYTES, small)?;
            let (doc, p) = open_source(id, &shown, source, opts)?;
            documents.push(doc);
            pending.push(p);
        }
        Ok((Corpus { documents }, Loader::of(pending)))
    }
}

/// One file still being parsed: its source, read again a chunk at a time, and the text decoded
/// from it that is not parsed yet (from a line's start: a window and a chunk at most).
#[derive(Debug)]
struct Pending {
    parser: Parser,
    shown: String,
    source: Source,
    decoder: StreamDecoder,
    encoding: Encoding,
    /// Bytes of byte order mark still to skip.
    bom: usize,
    /// Bytes of byte order mark the file begins with.
    bom_len: usize,
    /// The chunk read last, and how much is read at a time.
    raw: Vec<u8>,
    chunk: usize,
    /// What an encoding other than UTF-8 decodes to, before it joins `text`.
    scratch: String,
    /// Text decoded and not parsed yet.
    text: String,
    /// Nothing more will join `text`: the source is read to its end (or stopped).
    eof: bool,
    /// Whether the text's first character, if U+FEFF, is still to be dropped.
    first: bool,
    /// Whether its header has been read (its title is known: the line that announces the
    /// document in the layout shows it).
    started: bool,
}

impl Pending {
    fn new(id: &str, shown: &str, source: Source, found: Found) -> Self {
        Pending {
            parser: Parser::new(id),
            shown: shown.to_string(),
            source,
            decoder: StreamDecoder::new(found.encoding),
            encoding: found.encoding,
            bom: found.bom,
            bom_len: found.bom,
            raw: Vec::new(),
            chunk: CHUNK,
            scratch: String::new(),
            text: String::new(),
            eof: false,
            first: true,
            started: false,
        }
    }

    /// The end of the next window (about `want` bytes of text, to the end of a line) and
    /// whether it is the last, reading and decoding chunks until the text reaches that far.
    /// Returns the raw bytes read for it too.
    fn window(&mut self, want: usize, notes: &mut Vec<LoadError>) -> (usize, bool, u64) {
        let mut read = 0;
        loop {
            let from = want.min(self.text.len());
            // A newline is one byte in UTF-8: never inside a character.
            let end = memchr::memchr(b'\n', &self.text.as_bytes()[from..]).map(|i| from + i + 1);
            match end {
                Some(end) if end < self.text.len() || self.eof => {
                    return (end, self.eof && end == self.text.len(), read);
                }
                None if self.eof => return (self.text.len(), true, read),
                _ => read += self.read_more(notes),
            }
        }
    }

    /// Reads and decodes one more chunk; returns how many bytes it read. Anything that shows
    /// the file is not what was checked (an error, a byte that cannot be read, a NUL, an end
    /// too soon) ends the text there, with a note.
    fn read_more(&mut self, notes: &mut Vec<LoadError>) -> u64 {
        let stop = |reason: String, notes: &mut Vec<LoadError>| {
            notes.push(LoadError::Changed {
                path: self.shown.clone(),
                reason,
            });
        };
        let raw = match self.source.next_chunk(&mut self.raw, self.chunk) {
            Ok(raw) => raw,
            Err(e) => {
                stop(format!("could no longer be read ({e})"), notes);
                self.eof = true;
                return 0;
            }
        };
        let n = raw.len();
        let skip = self.bom.min(n);
        self.bom -= skip;
        let last = n == 0;
        let before = self.text.len();
        let text = &mut self.text;
        let fed = self
            .decoder
            .feed(&raw[skip..], last, &mut self.scratch, |s| {
                text.push_str(s);
            });
        if let Err(at) = fed {
            stop(
                format!(
                    "changed while it was read: no longer {} text (at byte {})",
                    self.encoding.name(),
                    at + self.bom_len
                ),
                notes,
            );
            self.eof = true;
        }
        if let Some(at) = memchr::memchr(0, &self.text.as_bytes()[before..]) {
            self.text.truncate(before + at);
            stop(
                "changed while it was read: a NUL byte now".to_string(),
                notes,
            );
            self.eof = true;
        }
        if self.first && !self.text.is_empty() {
            self.first = false;
            if self.text.starts_with('\u{feff}') {
                self.text.drain(..'\u{feff}'.len_utf8());
            }
        }
        if last {
            if !self.eof
                && let Some(reason) = self.source.changed()
            {
                stop(reason, notes);
            }
            self.eof = true;
        }
        n as u64
    }
}

/// Parses files into a corpus a slice at a time (see [`Corpus::open_with`]). While it is not
/// done, the corpus holds every node read so far: the documents are there, in order, the one
/// being parsed growing at its end (all its nodes but the last final), those after it empty.
#[derive(Debug, Default)]
pub struct Loader {
    /// The files not finished, the next one last.
    pending: Vec<Pending>,
    total: u64,
    read: u64,
    /// What went wrong while parsing (a file that changed since it was checked), to be said.
    notes: Vec<LoadError>,
}

impl Loader {
    fn of(mut pending: Vec<Pending>) -> Self {
        let total = pending.iter().map(|p| p.source.len()).sum();
        pending.reverse();
        Loader {
            pending,
            total,
            read: 0,
            notes: Vec::new(),
        }
    }

    /// Reads every file `bytes` at a time when it is parsed (tests: chunks that cut
    /// characters).
    #[cfg(test)]
    fn read_in_chunks_of(&mut self, bytes: usize) {
        for p in &mut self.pending {
            p.chunk = bytes.max(1);
        }
    }

    /// What went wrong since this was last asked: a file that changed or could no longer be
    /// read after it was checked (what was read of it before stays), one line each.
    pub fn take_notes(&mut self) -> Vec<LoadError> {
        std::mem::take(&mut self.notes)
    }

    /// Whether every file is parsed.
    #[must_use]
    pub fn is_done(&self) -> bool {
        self.pending.is_empty()
    }

    /// Bytes in the files still to parse when they were opened.
    #[must_use]
    pub fn total_bytes(&self) -> usize {
        usize::try_from(self.total).unwrap_or(usize::MAX)
    }

    /// How far through the files the parse is, in percent.
    #[must_use]
    pub fn percent(&self) -> usize {
        if self.total == 0 {
            return 100;
        }
        usize::try_from((self.read * 100 / self.total).min(100)).unwrap_or(100)
    }

    /// The first node that may still change: the last node of the document being parsed
    /// (or that document's start, when it has none yet). `None` when everything is parsed.
    #[must_use]
    pub fn unsettled(&self, corpus: &Corpus) -> Option<super::NodeRef> {
        let p = self.pending.last()?;
        let doc = corpus.documents.len() - self.pending.len();
        // Before its header is read, the document is not begun: the previous one ends there.
        if !p.started
            && let Some(prev) = doc.checked_sub(1)
        {
            let nodes = corpus.documents.get(prev).map_or(0, |d| d.nodes.len());
            return Some(super::NodeRef {
                doc: prev,
                node: nodes,
            });
        }
        let nodes = corpus.documents.get(doc).map_or(0, |d| d.nodes.len());
        Some(super::NodeRef {
            doc,
            node: nodes.saturating_sub(1),
        })
    }

    /// Parses about `bytes` more (whole lines) into `corpus`. Returns whether everything is
    /// parsed.
    pub fn step(&mut self, corpus: &mut Corpus, bytes: usize) -> bool {
        let doc_index = corpus.documents.len() - self.pending.len();
        let Some(p) = self.pending.last_mut() else {
            return true;
        };
        let Some(doc) = corpus.documents.get_mut(doc_index) else {
            self.pending.clear();
            return true;
        };
        let mut want = bytes.max(1);
        loop {
            let (end, last, read) = p.window(want, &mut self.notes);
            self.read += read;
            let window = p.text.get(..end).unwrap_or("");
            if p.parser.parse(window, last, doc) {
                p.started = true;
                p.text.drain(..end);
                break;
            }
            // The header needs to see further.
            want = want.saturating_mul(2);
        }
        if p.eof
            && p.text.is_empty()
            && let Some(done) = self.pending.pop()
        {
            done.parser.finish(doc);
        }
        self.pending.is_empty()
    }

    /// Parses everything left.
    pub fn finish(&mut self, corpus: &mut Corpus) {
        while !self.step(corpus, FINISH_STEP) {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::encoding::tests::encoded;

    #[test]
    fn bounded_read_stops_one_byte_past_the_limit() {
        let read = |n: usize, limit: u64| read_bounded(io::Cursor::new(vec![b'a'; n]), limit, None);
        assert_eq!(read(10, 10).ok(), Some(Bounded::Whole(vec![b'a'; 10])));
        assert_eq!(read(11, 10).ok(), Some(Bounded::Over(None)));
        assert_eq!(read(0, 10).ok(), Some(Bounded::Whole(Vec::new())));
        // An endless source ends too, having read the limit and one byte.
        let mut counted = Counted(0);
        assert_eq!(
            read_bounded(&mut counted, 1000, Some(0)).ok(),
            Some(Bounded::Over(None))
        );
        assert_eq!(counted.0, 1001);
    }

    /// An endless reader that counts what it gave.
    struct Counted(u64);

    impl Read for Counted {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            buf.fill(b'x');
            self.0 += buf.len() as u64;
            Ok(buf.len())
        }
    }

    #[test]
    fn paths_are_shown_safely() {
        assert_eq!(shown_path(Path::new("a\x1b]0;x\x07.txt")), "a^[]0;x^G.txt");
        assert_eq!(shown_path(Path::new("-")), "stdin");
        assert_eq!(id_from_path(Path::new("-")), "stdin");
        assert_eq!(shell_quoted("/tmp/a b'c"), r"'/tmp/a b'\''c'");
        assert_eq!(shell_quoted("/tmp/ok-1.txt"), "/tmp/ok-1.txt");
    }

    #[test]
    fn utf16_nul_is_binary_after_decoding() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "ab\0c".encode_utf16() {
            bytes.extend(u.to_le_bytes());
        }
        assert_eq!(
            load_bytes("x", "x.txt", &bytes).err(),
            Some(LoadError::Binary {
                path: "x.txt".into(),
                offset: 6
            })
        );
    }

    /// Two files (one with a byte order mark and CRLF line ends) parsed a few bytes at a
    /// time are the files parsed whole, and while they are read the layout is never asked
    /// to pass into a document whose header is not read yet.
    #[test]
    fn files_parsed_a_slice_at_a_time_are_parsed_whole() {
        let dir = std::env::temp_dir().join(format!("kaigi-loader-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap_or_default();
        let g7 = EMBEDDED[0].2;
        let cri = EMBEDDED[1].2.replace('\n', "\r\n");
        let (a, b) = (dir.join("a.txt"), dir.join("b.txt"));
        std::fs::write(&a, g7).unwrap_or_default();
        std::fs::write(&b, format!("\u{feff}{cri}")).unwrap_or_default();
        let files = vec![a, b];
        let Ok((mut corpus, mut loader)) = Corpus::open_with(&files, LoadOptions::default()) else {
            panic!("the files open");
        };
        let mut steps = 0;
        while !loader.step(&mut corpus, 97) {
            steps += 1;
            let Some(at) = loader.unsettled(&corpus) else {
                panic!("unsettled while not done");
            };
            // A document is begun only once its header is read.
            assert!(
                !(corpus.documents[1].title.is_empty() && at.doc == 1),
                "the second document begun before its header was read"
            );
        }
        assert!(steps > 10, "{steps} steps");
        let whole = |p: &std::path::Path, id: &str| load_file_as(p, id).ok();
        assert_eq!(Some(&corpus.documents[0]), whole(&files[0], "a").as_ref());
        assert_eq!(Some(&corpus.documents[1]), whole(&files[1], "b").as_ref());
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// A temporary folder of its own for each test.
    fn scratch_dir(what: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("kaigi-{what}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap_or_default();
        dir
    }

    /// Opens `files` and parses them, reading `chunk` bytes at a time and parsing `step`; read
    /// from disk twice (checked, then parsed) with `from_disk`, else once into memory.
    fn parse_in_chunks(
        files: &[std::path::PathBuf],
        chunk: usize,
        step: usize,
        from_disk: bool,
    ) -> (Corpus, Vec<LoadError>) {
        let small = if from_disk { 0 } else { u64::MAX };
        let Ok((mut corpus, mut loader)) =
            Corpus::open_reading_once_under(files, LoadOptions::default(), small)
        else {
            panic!("the files open");
        };
        loader.read_in_chunks_of(chunk);
        while !loader.step(&mut corpus, step) {}
        (corpus, loader.take_notes())
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(24))]

        /// The press release in every encoding, read (from disk, or once into memory) in
        /// chunks of any size (so that chunks cut characters: two, three and four bytes long)
        /// and parsed in windows of any size, is the text parsed whole.
        #[test]
        fn a_file_read_in_chunks_of_any_size_is_parsed_whole(
            chunk in 1usize..700,
            step in 1usize..3000,
            which in 0usize..5,
            from_disk: bool,
        ) {
            let encoding = Encoding::ALL[which];
            // A character outside the BMP too (four bytes in UTF-8, a surrogate pair in
            // UTF-16), where the encoding has it.
            let extra = if encoding.ascii_compatible() && encoding != Encoding::Utf8 { "" } else { "\n\n𠮷野家の𠮷。\n" };
            let text = format!("{}{extra}", EMBEDDED[1].2);
            let dir = scratch_dir(&format!("chunks-{which}-{chunk}-{step}"));
            let path = dir.join("cri.txt");
            std::fs::write(&path, encoded(&text, encoding)).unwrap_or_default();
            let (corpus, notes) =
                parse_in_chunks(std::slice::from_ref(&path), chunk, step, from_disk);
            let mut want = parse_document("cri", &shown_path(&path), &text);
            want.encoding = encoding;
            let _ = std::fs::remove_dir_all(&dir);
            proptest::prop_assert!(notes.is_empty(), "{notes:?}");
            proptest::prop_assert_eq!(&corpus.documents[0], &want);
        }
    }

    /// A file larger than a chunk, a character cut by the first chunk's end, in each
    /// encoding: checked and parsed as it is.
    #[test]
    fn a_character_across_the_chunk_boundary_is_read() {
        let dir = scratch_dir("boundary");
        for encoding in Encoding::ALL {
            for shift in 0..4 {
                // The title, then lines of Japanese long enough to pass the first chunk.
                let mut text = format!("表題{}\n\n", "a".repeat(shift));
                while text.len() < 3 * CHUNK {
                    text.push_str(
                        "我々は、国際カウンターランサムウェア・イニシアティブを支持する。\n\n",
                    );
                }
                let path = dir.join(format!("{}-{shift}.txt", encoding.arg_name()));
                std::fs::write(&path, encoded(&text, encoding)).unwrap_or_default();
                let got = load_file_as(&path, "x");
                let mut want = parse_document("x", &shown_path(&path), &text);
                want.encoding = encoding;
                assert_eq!(got.as_ref().ok(), Some(&want), "{encoding:?} {shift}");
            }
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// A file that changes between its check and its parse never panics: what was read
    /// before stays, and one note says so. One deleted meanwhile is read whole (it is open).
    #[test]
    fn a_file_that_changes_after_its_check_keeps_what_was_read() {
        let dir = scratch_dir("changes");
        let text = EMBEDDED[0].2;
        // Read from disk again for the parse, as a large file is (a small one is read once).
        let open = |path: &std::path::PathBuf| {
            Corpus::open_reading_once_under(std::slice::from_ref(path), LoadOptions::default(), 0)
        };
        let path = dir.join("g7.txt");
        let rewrite = |bytes: &[u8]| {
            // In place (the same file, opened by kaigi), as an editor that truncates does.
            let mut f = std::fs::OpenOptions::new()
                .write(true)
                .truncate(true)
                .open(&path)
                .unwrap_or_else(|e| panic!("{e}"));
            f.write_all(bytes).unwrap_or_default();
        };
        let half = &text.as_bytes()[..text.len() / 2];
        let mut nul = text.as_bytes().to_vec();
        // A line's end (one byte), so that the text stays UTF-8 around it.
        let newline = text.len() / 2 + text[text.len() / 2..].find('\n').unwrap_or(0);
        nul[newline] = 0;
        let mut latin1 = text.as_bytes().to_vec();
        latin1[text.len() / 2] = 0xFF;
        let longer = format!("{text}\n\n追記。\n");
        let cases: [(&[u8], &str); 4] = [
            (half, "became shorter while it was read"),
            (&nul, "changed while it was read: a NUL byte"),
            (&latin1, "changed while it was read: no longer UTF-8 text"),
            (longer.as_bytes(), "changed while it was read"),
        ];
        for (now, says) in cases {
            std::fs::write(&path, text).unwrap_or_default();
            let Ok((mut corpus, mut loader)) = open(&path) else {
                panic!("opens");
            };
            loader.read_in_chunks_of(512);
            loader.step(&mut corpus, 100);
            rewrite(now);
            loader.finish(&mut corpus);
            let notes = loader.take_notes();
            assert_eq!(notes.len(), 1, "{says}: {notes:?}");
            let line = notes[0].to_string();
            assert!(line.contains(says), "{line}");
            assert!(line.ends_with("; showing what was read before"), "{line}");
            assert!(!line.contains('\n'));
            let doc = &corpus.documents[0];
            assert!(!doc.nodes.is_empty(), "{says}: what was read stays");
            assert!(doc.nodes.iter().all(|n| !n.text.contains('\0')));
        }
        // Deleted after its check: still the file that was opened, read whole, no note.
        std::fs::write(&path, text).unwrap_or_default();
        let Ok((mut corpus, mut loader)) = open(&path) else {
            panic!("opens");
        };
        let _ = std::fs::remove_file(&path);
        loader.finish(&mut corpus);
        assert!(loader.take_notes().is_empty());
        assert_eq!(
            corpus.documents[0],
            parse_document("g7", &shown_path(&path), text)
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// A small file is read once: what changes on disk after it was opened is not seen, and
    /// nothing is said.
    #[test]
    fn a_small_file_is_read_once() {
        let dir = scratch_dir("small");
        let text = EMBEDDED[0].2;
        let path = dir.join("g7.txt");
        std::fs::write(&path, text).unwrap_or_default();
        let Ok((mut corpus, mut loader)) =
            Corpus::open_with(std::slice::from_ref(&path), LoadOptions::default())
        else {
            panic!("opens");
        };
        std::fs::write(&path, &text.as_bytes()[..text.len() / 2]).unwrap_or_default();
        loader.finish(&mut corpus);
        assert!(loader.take_notes().is_empty());
        assert_eq!(
            corpus.documents[0],
            parse_document("g7", &shown_path(&path), text)
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// A file of many chunks: read whole, in UTF-8 and in `Shift_JIS` (found on a second
    /// pass), and a NUL near its start found.
    #[test]
    fn a_file_of_many_chunks_is_checked_as_any() {
        let dir = scratch_dir("ahead");
        let mut text = String::from("表題\n\n");
        while text.len() < 40 * CHUNK {
            text.push_str("我々は、国際カウンターランサムウェア・イニシアティブを支持する。\n\n");
        }
        for encoding in [Encoding::Utf8, Encoding::ShiftJis] {
            let path = dir.join(format!("{}.txt", encoding.arg_name()));
            let bytes = encoded(&text, encoding);
            assert!(bytes.len() > 20 * CHUNK);
            std::fs::write(&path, &bytes).unwrap_or_default();
            let got = load_file_as(&path, "x");
            let mut want = parse_document("x", &shown_path(&path), &text);
            want.encoding = encoding;
            assert_eq!(got.as_ref().ok(), Some(&want), "{encoding:?}");
            let mut nul = bytes;
            nul[10] = 0;
            std::fs::write(&path, &nul).unwrap_or_default();
            assert_eq!(
                load_file_as(&path, "x").err(),
                Some(LoadError::Binary {
                    path: shown_path(&path),
                    offset: 10
                })
            );
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
