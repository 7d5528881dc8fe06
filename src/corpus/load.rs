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
    let mut check = Check::default();
    check.feed(bytes, true);
    check.verdict(path)?;
    // Checked: this never fails, and never asks std to validate again.
    let text = simdutf8::basic::from_utf8(bytes).unwrap_or("");
    Ok(text.strip_prefix('\u{feff}').unwrap_or(text))
}

/// The checks every file passes, over its bytes in as many pieces as it is read in (a large
/// file is checked in chunks, not held whole before its first screen): blank, not UTF-8 (the
/// first bad byte), or binary (the first NUL byte); in that order, whichever piece found it.
#[derive(Debug, Default)]
struct Check {
    /// Bytes seen so far.
    seen: usize,
    /// Whether every byte so far is ASCII white space.
    blank: bool,
    started: bool,
    nul: Option<usize>,
    bad_utf8: Option<usize>,
    /// The start of a character the last piece cut (at most three bytes).
    carry: Vec<u8>,
}

impl Check {
    /// Checks the next piece; `last` when nothing follows it.
    fn feed(&mut self, piece: &[u8], last: bool) {
        if !self.started {
            self.started = true;
            self.blank = true;
        }
        if self.blank {
            self.blank = piece.iter().all(u8::is_ascii_whitespace);
        }
        if self.nul.is_none() {
            self.nul = memchr::memchr(0, piece).map(|i| self.seen + i);
        }
        if self.bad_utf8.is_none() {
            self.check_utf8(piece, last);
        }
        self.seen += piece.len();
    }

    fn check_utf8(&mut self, piece: &[u8], last: bool) {
        // A character the last piece cut is completed from this one's first bytes.
        let mut rest = piece;
        if !self.carry.is_empty() {
            let take = rest.len().min(4 - self.carry.len());
            let mut joined = std::mem::take(&mut self.carry);
            joined.extend_from_slice(&rest[..take]);
            let at = self.seen - (joined.len() - take);
            match simdutf8::compat::from_utf8(&joined) {
                Ok(_) => rest = &rest[take..],
                Err(e) if e.valid_up_to() > 0 => {
                    let used = e.valid_up_to().saturating_sub(joined.len() - take);
                    rest = &rest[used..];
                }
                Err(e) if e.error_len().is_none() && !last && take == rest.len() => {
                    self.carry = joined;
                    return;
                }
                Err(_) => {
                    self.bad_utf8 = Some(at);
                    return;
                }
            }
        }
        let base = self.seen + (piece.len() - rest.len());
        // SIMD validation: std's is about ten instructions a byte on Japanese text, which was
        // an eighth of the work before the first frame (and 0.1 s of a 36 MB file).
        if let Err(e) = simdutf8::compat::from_utf8(rest) {
            let good = e.valid_up_to();
            if e.error_len().is_none() && !last {
                self.carry = rest[good..].to_vec();
            } else {
                self.bad_utf8 = Some(base + good);
            }
        }
    }

    /// The first problem found, in the order the checks rank them.
    fn verdict(&self, path: &str) -> Result<(), LoadError> {
        let path = path.to_string();
        if !self.started || self.blank {
            return Err(LoadError::Empty { path });
        }
        if let Some(offset) = self.bad_utf8 {
            return Err(LoadError::NotUtf8 { path, offset });
        }
        if !self.carry.is_empty() {
            return Err(LoadError::NotUtf8 {
                path,
                offset: self.seen - self.carry.len(),
            });
        }
        if let Some(offset) = self.nul {
            return Err(LoadError::Binary { path, offset });
        }
        Ok(())
    }
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
        // At most `ids.len()` of the suffixes are taken, so one of the first `len + 1` is free.
        let id = std::iter::once(base.clone())
            .chain((2..=ids.len() + 1).map(|k| format!("{base}-{k}")))
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
        let mut total = 0;
        for (path, id) in files.iter().zip(ids_of(files)) {
            let shown = path.display().to_string();
            let (file, len, bom) = check_file(path, &shown)?;
            total += len - bom;
            documents.push(Document::empty(&id, &shown));
            pending.push(Pending {
                parser: Parser::new(&id),
                file,
                buf: Vec::new(),
                skip: bom,
                eof: false,
                started: false,
            });
        }
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

/// Opens a file and checks it a chunk at a time (as [`check_bytes`] checks bytes), holding
/// no more of it than a chunk: a 60 MB file is not read into memory before its first screen.
/// Returns the file, rewound, its length, and the length of its byte order mark.
fn check_file(path: &Path, shown: &str) -> Result<(std::fs::File, usize, usize), LoadError> {
    use std::io::{Read, Seek};
    let meta = std::fs::metadata(path).map_err(|e| io_error(shown, &e))?;
    if meta.is_dir() {
        return Err(LoadError::Directory {
            path: shown.to_string(),
        });
    }
    let too_large = |size: u64| LoadError::TooLarge {
        path: shown.to_string(),
        size,
        limit: MAX_FILE_BYTES,
    };
    if meta.len() > MAX_FILE_BYTES {
        return Err(too_large(meta.len()));
    }
    let mut file = std::fs::File::open(path).map_err(|e| io_error(shown, &e))?;
    let mut check = Check::default();
    let mut chunk = vec![0u8; CHUNK];
    let mut head = Vec::new();
    loop {
        let n = match file.read(&mut chunk) {
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(io_error(shown, &e)),
        };
        if head.len() < 3 {
            head.extend_from_slice(&chunk[..n.min(3 - head.len())]);
        }
        check.feed(&chunk[..n], n == 0);
        if check.seen as u64 > MAX_FILE_BYTES {
            return Err(too_large(check.seen as u64));
        }
        if n == 0 {
            break;
        }
    }
    check.verdict(shown)?;
    file.rewind().map_err(|e| io_error(shown, &e))?;
    let bom = if head == [0xEF, 0xBB, 0xBF] { 3 } else { 0 };
    Ok((file, check.seen, bom))
}

/// How much of a file is read at a time.
const CHUNK: usize = 1 << 20;

/// One file still being parsed.
#[derive(Debug)]
struct Pending {
    parser: Parser,
    /// The file, checked, read on from where the last window ended.
    file: std::fs::File,
    /// What has been read and not yet parsed (the end of a line cut by the last read).
    buf: Vec<u8>,
    /// Bytes still to drop from the start (a byte order mark).
    skip: usize,
    eof: bool,
    /// Whether its header has been read (its title is known: the line that announces the
    /// document in the layout shows it).
    started: bool,
}

impl Pending {
    /// Reads about `want` more bytes into the buffer (fewer at the end of the file).
    fn read_more(&mut self, want: usize) {
        use std::io::Read;
        let mut chunk = (&mut self.file).take(want as u64);
        match chunk.read_to_end(&mut self.buf) {
            Ok(0) | Err(_) => self.eof = true,
            Ok(_) => {}
        }
    }
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
        let mut want = bytes.clamp(1, CHUNK * 16);
        loop {
            p.read_more(want);
            if p.skip > 0 {
                let n = p.skip.min(p.buf.len());
                p.buf.drain(..n);
                p.skip -= n;
            }
            // To the end of the last whole line read (all of it at the end of the file).
            let cut = if p.eof {
                p.buf.len()
            } else if let Some(i) = memchr::memrchr(b'\n', &p.buf) {
                i + 1
            } else {
                want = want.saturating_mul(2);
                continue;
            };
            // Checked when the file was opened; a window cut after a newline is UTF-8 too.
            // A file changed since is shown as far as it is text, never a reason to stop.
            let window = simdutf8::basic::from_utf8(&p.buf[..cut]).map_or_else(
                |_| String::from_utf8_lossy(&p.buf[..cut]),
                std::borrow::Cow::Borrowed,
            );
            if p.parser.parse(&window, p.eof, doc) {
                p.started = true;
                p.buf.drain(..cut);
                self.read += cut;
                break;
            }
            // The header needs to see further.
            want = want.saturating_mul(2);
        }
        if p.eof
            && p.buf.is_empty()
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

    /// The verdict on bytes read in pieces of `n`.
    fn in_pieces(bytes: &[u8], n: usize) -> Result<(), LoadError> {
        let mut check = Check::default();
        for piece in bytes.chunks(n.max(1)) {
            check.feed(piece, false);
        }
        check.feed(&[], true);
        check.verdict("f")
    }

    fn at_once(bytes: &[u8]) -> Result<(), LoadError> {
        let mut check = Check::default();
        check.feed(bytes, true);
        check.verdict("f")
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
        let Ok((mut corpus, mut loader)) = Corpus::open(&files) else {
            panic!("the files open");
        };
        let mut steps = 0;
        while !loader.step(&mut corpus, 97) {
            steps += 1;
            let Some(at) = loader.unsettled(&corpus) else {
                panic!("unsettled while not done");
            };
            // A document is begun only once its header is read: until then the first
            // document's end is where the layout stops.
            assert!(
                !(corpus.documents[1].title.is_empty() && at.doc == 1),
                "the second document begun before its header was read"
            );
            if at.doc == 0 && corpus.documents[1].title.is_empty() && at.node > 0 {
                assert!(at.node <= corpus.documents[0].nodes.len());
            }
        }
        assert!(steps > 10, "{steps} steps");
        assert_eq!(
            corpus.documents[0],
            parse_document("a", &files[0].display().to_string(), g7)
        );
        assert_eq!(
            corpus.documents[1],
            parse_document("b", &files[1].display().to_string(), &cri)
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    proptest::proptest! {
        /// A file checked a chunk at a time gets the verdict it gets checked whole, whatever
        /// the chunks cut (a character, a NUL, a bad byte), and the verdict std gives.
        #[test]
        fn checked_in_pieces_is_checked_at_once(
            parts in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::strategy::Just(b" ".to_vec()),
                    proptest::strategy::Just("\n".as_bytes().to_vec()),
                    proptest::strategy::Just("我々".as_bytes().to_vec()),
                    proptest::strategy::Just("a😀".as_bytes().to_vec()),
                    proptest::strategy::Just(vec![0u8]),
                    proptest::strategy::Just(vec![0xE3, 0x81]),
                    proptest::strategy::Just(vec![0xFF]),
                    proptest::strategy::Just(vec![0xEF, 0xBB, 0xBF]),
                ],
                0..12,
            ),
            n in 1usize..8,
        ) {
            let bytes = parts.concat();
            let whole = at_once(&bytes);
            proptest::prop_assert_eq!(in_pieces(&bytes, n), at_once(&bytes));
            let std_says = if bytes.iter().all(u8::is_ascii_whitespace) {
                Err(LoadError::Empty { path: "f".into() })
            } else if let Err(e) = std::str::from_utf8(&bytes) {
                Err(LoadError::NotUtf8 { path: "f".into(), offset: e.valid_up_to() })
            } else if let Some(offset) = bytes.iter().position(|&b| b == 0) {
                Err(LoadError::Binary { path: "f".into(), offset })
            } else {
                Ok(())
            };
            proptest::prop_assert_eq!(whole, std_says);
        }
    }
}
