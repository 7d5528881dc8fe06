//! Loading documents: the two embedded in the binary, or files given with `--file`.

use std::path::Path;

use thiserror::Error;

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

/// Why a file could not be loaded. Each message names the file and says what is wrong, on
/// one line.
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
    #[error("{path}: not UTF-8 text (invalid byte at offset {offset})")]
    NotUtf8 { path: String, offset: usize },
    #[error("{path}: binary data, not text (NUL byte at offset {offset})")]
    Binary { path: String, offset: usize },
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
/// `_` and `-` replaced by `-`.
#[must_use]
pub fn id_from_path(path: &Path) -> String {
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

/// Checks bytes and parses them as a document.
///
/// # Errors
/// Empty input, a NUL byte, or bytes that are not UTF-8.
pub fn load_bytes(id: &str, path: &str, bytes: &[u8]) -> Result<Document, LoadError> {
    let text = check_bytes(path, bytes)?;
    Ok(parse_document(id, path, text))
}

/// The checks every file passes before it is parsed: not empty, UTF-8, no NUL byte. Returns
/// the text, a byte order mark dropped.
fn check_bytes<'a>(path: &str, bytes: &'a [u8]) -> Result<&'a str, LoadError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(LoadError::Empty {
            path: path.to_string(),
        });
    }
    // SIMD validation: std's is about ten instructions a byte on Japanese text, which was an
    // eighth of the work before the first frame (and 0.1 s of a 36 MB file). Only when it
    // fails is std asked where.
    let text = simdutf8::basic::from_utf8(bytes).or_else(|_| {
        std::str::from_utf8(bytes).map_err(|e| LoadError::NotUtf8 {
            path: path.to_string(),
            offset: e.valid_up_to(),
        })
    })?;
    if let Some(offset) = memchr::memchr(0, bytes) {
        return Err(LoadError::Binary {
            path: path.to_string(),
            offset,
        });
    }
    Ok(text.strip_prefix('\u{feff}').unwrap_or(text))
}

/// Reads and parses one file.
///
/// # Errors
/// Any [`LoadError`]: missing, a directory, unreadable, too large, empty, not UTF-8, binary.
pub fn load_file(path: &Path) -> Result<Document, LoadError> {
    load_file_as(path, &id_from_path(path))
}

/// Reads and parses one file under a given document id.
///
/// # Errors
/// As [`load_file`].
pub fn load_file_as(path: &Path, id: &str) -> Result<Document, LoadError> {
    let shown = path.display().to_string();
    let bytes = read_file(path, &shown)?;
    load_bytes(id, &shown, &bytes)
}

/// Reads a file that is not a directory and not larger than [`MAX_FILE_BYTES`].
fn read_file(path: &Path, shown: &str) -> Result<Vec<u8>, LoadError> {
    let shown = shown.to_string();
    let meta = std::fs::metadata(path).map_err(|e| io_error(&shown, &e))?;
    if meta.is_dir() {
        return Err(LoadError::Directory { path: shown });
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(LoadError::TooLarge {
            path: shown,
            size: meta.len(),
            limit: MAX_FILE_BYTES,
        });
    }
    let bytes = std::fs::read(path).map_err(|e| io_error(&shown, &e))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(LoadError::TooLarge {
            path: shown,
            size: bytes.len() as u64,
            limit: MAX_FILE_BYTES,
        });
    }
    Ok(bytes)
}

fn io_error(path: &str, e: &std::io::Error) -> LoadError {
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

/// The ids of the given files: each file's [`id_from_path`], a numeric suffix where two
/// would share one.
fn ids_of(files: &[std::path::PathBuf]) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    for path in files {
        let base = id_from_path(path);
        let id = std::iter::once(base.clone())
            .chain((2..).map(|k| format!("{base}-{k}")))
            .find(|c| !ids.contains(c))
            .unwrap_or(base);
        ids.push(id);
    }
    ids
}

impl Corpus {
    /// Loads the given files (in order), or the embedded documents when there are none. Ids
    /// that two files would share get a numeric suffix.
    ///
    /// # Errors
    /// The first file that fails to load.
    pub fn load(files: &[std::path::PathBuf]) -> Result<Self, LoadError> {
        let (mut corpus, mut loader) = Self::open(files)?;
        loader.finish(&mut corpus);
        Ok(corpus)
    }

    /// Reads and checks the given files (or takes the embedded documents), but parses
    /// nothing yet: the [`Loader`] parses them into the corpus a slice at a time, so that
    /// the browser can show a large file's first screen at once (as `less` does) and read
    /// the rest between keys. Every file is read and checked here, so that a bad one is
    /// reported before anything is shown.
    ///
    /// # Errors
    /// The first file that fails to read or check.
    pub fn open(files: &[std::path::PathBuf]) -> Result<(Self, Loader), LoadError> {
        if files.is_empty() {
            return Ok((load_embedded(), Loader::default()));
        }
        let mut documents = Vec::new();
        let mut pending = Vec::new();
        for (path, id) in files.iter().zip(ids_of(files)) {
            let shown = path.display().to_string();
            let bytes = read_file(path, &shown)?;
            let text = check_bytes(&shown, &bytes)?;
            let start = bytes.len() - text.len();
            documents.push(Document::empty(&id, &shown));
            pending.push(Pending {
                parser: Parser::new(&id),
                bytes,
                pos: start,
            });
        }
        let total = pending.iter().map(|p| p.bytes.len() - p.pos).sum();
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
    /// The file, checked: UTF-8 without NUL bytes.
    bytes: Vec<u8>,
    /// Where the next window starts.
    pos: usize,
}

/// Parses files into a corpus a slice at a time (see [`Corpus::open`]). While it is not
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
        self.pending.last()?;
        let doc = corpus.documents.len() - self.pending.len();
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
            let end = p.pos.saturating_add(want).min(p.bytes.len());
            // To the end of that line.
            let end = memchr::memchr(b'\n', &p.bytes[end..]).map_or(p.bytes.len(), |i| end + i + 1);
            let last = end >= p.bytes.len();
            // Checked whole when the file was opened; a window cut after a newline is
            // UTF-8 too, so this never fails (and would only lose the window's text if it did).
            let window = simdutf8::basic::from_utf8(&p.bytes[p.pos..end]).unwrap_or("");
            if p.parser.parse(window, last, doc) {
                self.read += end - p.pos;
                p.pos = end;
                break;
            }
            // The header needs to see further.
            want = want.saturating_mul(2);
        }
        if p.pos >= p.bytes.len()
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
