//! Loading documents: the two embedded in the binary, or files given with `--file`.

use std::path::Path;

use thiserror::Error;

use super::{Corpus, Document, parse_document};

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
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    Ok(parse_document(id, path, text))
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
    load_bytes(id, &shown, &bytes)
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

impl Corpus {
    /// Loads the given files (in order), or the embedded documents when there are none. Ids
    /// that two files would share get a numeric suffix.
    ///
    /// # Errors
    /// The first file that fails to load.
    pub fn load(files: &[std::path::PathBuf]) -> Result<Self, LoadError> {
        if files.is_empty() {
            return Ok(load_embedded());
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
        let documents = files
            .iter()
            .zip(&ids)
            .map(|(path, id)| load_file_as(path, id))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Corpus { documents })
    }
}
