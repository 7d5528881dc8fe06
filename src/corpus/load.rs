//! Loading documents: the two embedded in the binary, or files given with `--file`.

use std::io::{self, Read, Write};
use std::path::Path;

use thiserror::Error;

use super::encoding::{Encoding, decode, sniff_bom};
use super::{Corpus, Document, Parser, parse_document};

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
    let (text, encoding) = decode_checked(path, bytes, opts)?;
    let mut doc = parse_document(id, path, &text);
    doc.encoding = encoding;
    Ok(doc)
}

/// The checks every file passes (not blank, not binary, text in an encoding tried), and its
/// text, decoded, a byte order mark dropped.
fn decode_checked(
    path: &str,
    bytes: &[u8],
    opts: LoadOptions,
) -> Result<(String, super::Encoding), LoadError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(LoadError::Empty {
            path: path.to_string(),
        });
    }
    let utf16 = opts
        .encoding
        .or_else(|| sniff_bom(bytes).map(|(e, _)| e))
        .is_some_and(|e| !e.ascii_compatible());
    // A NUL byte means binary data in every encoding but UTF-16 (there, after decoding).
    if !utf16 && let Some(offset) = memchr::memchr(0, bytes) {
        return Err(LoadError::Binary {
            path: path.to_string(),
            offset,
        });
    }
    // UTF-8 is validated with SIMD: std's is about ten instructions a byte on Japanese text,
    // which was an eighth of the work before the first frame.
    let decoded = decode(bytes, opts.encoding).map_err(|e| LoadError::NotText {
        path: path.to_string(),
        tried: e.tried,
    })?;
    if utf16 && let Some(at) = decoded.text.find('\0') {
        // Two bytes a code unit, after the mark.
        let units = decoded.text[..at].encode_utf16().count();
        return Err(LoadError::Binary {
            path: path.to_string(),
            offset: units * 2 + if decoded.bom { 2 } else { 0 },
        });
    }
    if decoded.text.trim().is_empty() {
        return Err(LoadError::Empty {
            path: path.to_string(),
        });
    }
    let encoding = decoded.encoding;
    let text = match decoded.text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => decoded.text.into_owned(),
    };
    Ok((text, encoding))
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
    let bytes = read_source(path, &shown, MAX_FILE_BYTES)?;
    load_bytes_with(id, &shown, &bytes, opts)
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
    /// The first file that fails to load.
    pub fn load_with(files: &[std::path::PathBuf], opts: LoadOptions) -> Result<Self, LoadError> {
        let (mut corpus, mut loader) = Self::open_with(files, opts)?;
        loader.finish(&mut corpus);
        Ok(corpus)
    }

    /// Reads, checks and decodes the given files (or takes the embedded documents), but
    /// parses nothing yet: the [`Loader`] parses them into the corpus a slice at a time, so
    /// that the browser can show a large file's first screen at once (as `less` does) and
    /// read the rest between keys. Every file is read and checked here, so that a bad one is
    /// reported before anything is shown.
    ///
    /// # Errors
    /// The first file that fails to load.
    pub fn open_with(
        files: &[std::path::PathBuf],
        opts: LoadOptions,
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
            let bytes = read_source(path, &shown, MAX_FILE_BYTES)?;
            let (text, encoding) = decode_checked(&shown, &bytes, opts)?;
            let mut doc = Document::empty(id, &shown);
            doc.encoding = encoding;
            documents.push(doc);
            pending.push(Pending {
                parser: Parser::new(id),
                text,
                pos: 0,
                started: false,
            });
        }
        let total = pending.iter().map(|p| p.text.len()).sum();
        pending.reverse();
        Ok((
            Corpus { documents },
            Loader {
                pending,
                total,
                read: 0,
            },
        ))
    }
}

/// One file still being parsed.
#[derive(Debug)]
struct Pending {
    parser: Parser,
    /// The file's text, decoded (dropped once it is parsed).
    text: String,
    /// Where the next window starts.
    pos: usize,
    /// Whether its header has been read (its title is known: the line that announces the
    /// document in the layout shows it).
    started: bool,
}

/// Parses files into a corpus a slice at a time (see [`Corpus::open_with`]). While it is not
/// done, the corpus holds every node read so far: the documents are there, in order, the one
/// being parsed growing at its end (all its nodes but the last final), those after it empty.
#[derive(Debug, Default)]
pub struct Loader {
    /// The files not finished, the next one last.
    pending: Vec<Pending>,
    total: usize,
    read: usize,
}

impl Loader {
    /// Whether every file is parsed.
    #[must_use]
    pub fn is_done(&self) -> bool {
        self.pending.is_empty()
    }

    /// Bytes of text in the files still to parse when they were opened.
    #[must_use]
    pub fn total_bytes(&self) -> usize {
        self.total
    }

    /// How far through the files the parse is, in percent.
    #[must_use]
    pub fn percent(&self) -> usize {
        if self.total == 0 {
            return 100;
        }
        (self.read * 100 / self.total).min(100)
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
            let end = p.pos.saturating_add(want).min(p.text.len());
            // To the end of that line (a newline is one byte: never inside a character).
            let end = memchr::memchr(b'\n', &p.text.as_bytes()[end..])
                .map_or(p.text.len(), |i| end + i + 1);
            let last = end >= p.text.len();
            let window = p.text.get(p.pos..end).unwrap_or("");
            if p.parser.parse(window, last, doc) {
                p.started = true;
                self.read += end - p.pos;
                p.pos = end;
                break;
            }
            // The header needs to see further.
            want = want.saturating_mul(2);
        }
        if p.pos >= p.text.len()
            && let Some(done) = self.pending.pop()
        {
            done.parser.finish(doc);
        }
        self.pending.is_empty()
    }

    /// Parses everything left.
    pub fn finish(&mut self, corpus: &mut Corpus) {
        while !self.step(corpus, usize::MAX) {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
