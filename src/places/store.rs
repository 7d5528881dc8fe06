//! The state file: the last position, the marks and the recent searches and gotos, kept in
//! `$XDG_STATE_HOME/kaigi/` (default `~/.local/state/kaigi/`), one small versioned JSON file
//! for each set of documents (named by a hash of their text, so a changed file never sends
//! the reader to a wrong place).
//!
//! Nothing here is ever fatal: a file that is missing starts fresh; one that is corrupt,
//! truncated, from a future version, too large or unreadable is ignored with a note, and left
//! alone — it is never overwritten by this run. Writes go to a temporary file in the same
//! folder and are renamed over the old one, so a reader (or a second kaigi exiting at the same
//! moment) sees the old file or the new one, never a torn one.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use serde::{Deserialize, Serialize};

use crate::corpus::Corpus;
use crate::text::display::{DisplayOptions, sanitize};

/// The version this build writes; a file with a higher one is left alone.
pub const CURRENT_VERSION: u32 = 1;
/// A state file is small; anything larger is not one of ours.
pub(super) const MAX_BYTES: u64 = 1 << 20;
/// How many recent searches and gotos are kept (the line editor's history keeps as many).
pub const MAX_RECENT: usize = 100;

/// A position as the file keeps it: the node's id, its place in reading order (to find the
/// nearest node if the id is gone) and the character offset in its text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedPosition {
    pub id: String,
    #[serde(default)]
    pub index: usize,
    #[serde(default)]
    pub offset: usize,
}

/// What the file holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Saved {
    pub version: u32,
    /// The ids of the documents, for a person reading the file.
    #[serde(default)]
    pub documents: Vec<String>,
    #[serde(default)]
    pub last: Option<SavedPosition>,
    #[serde(default)]
    pub marks: BTreeMap<char, SavedPosition>,
    /// Recent searches, oldest first.
    #[serde(default)]
    pub searches: Vec<String>,
    /// Recent gotos, oldest first.
    #[serde(default)]
    pub gotos: Vec<String>,
}

impl Default for Saved {
    fn default() -> Self {
        Saved {
            version: CURRENT_VERSION,
            documents: Vec::new(),
            last: None,
            marks: BTreeMap::new(),
            searches: Vec::new(),
            gotos: Vec::new(),
        }
    }
}

impl Saved {
    /// Keeps only what a well-formed file may hold: marks named `a`–`z`, bounded lists.
    fn tidy(mut self) -> Self {
        self.marks.retain(|&c, _| super::Marks::is_name(c));
        for list in [&mut self.searches, &mut self.gotos] {
            list.retain(|e| !e.trim().is_empty());
            if list.len() > MAX_RECENT {
                let extra = list.len() - MAX_RECENT;
                list.drain(..extra);
            }
        }
        self
    }
}

/// Why the state could not be written.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    #[error("state not saved: {path} was unreadable at start and is left alone")]
    LeftAlone { path: String },
    #[error("state not saved: {path}: {message}")]
    Io { path: String, message: String },
}

impl StateError {
    /// The reason alone, for a status line that already says what was not kept.
    #[must_use]
    pub fn reason(&self) -> String {
        match self {
            StateError::LeftAlone { .. } => "the state file is left alone".into(),
            StateError::Io { message, .. } => message.clone(),
        }
    }
}

/// What opening the state file found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Opened {
    /// No file yet (or no state directory): a fresh start.
    Fresh,
    Loaded(Saved),
    /// A file that cannot be used; the note says why, for the status line.
    Ignored {
        note: String,
    },
}

/// The state file of one set of documents.
#[derive(Debug, Clone)]
pub struct Store {
    path: PathBuf,
    /// False when the file exists but could not be read: it is never overwritten.
    writable: bool,
}

/// The folder state files live in: `$XDG_STATE_HOME/kaigi`, or `$HOME/.local/state/kaigi`.
/// A relative `XDG_STATE_HOME` is ignored, as the XDG spec says (the folders below it are
/// made when first written). A `HOME` that is not a folder is never made: the error is the
/// note to show, once, that places are not kept.
///
/// # Errors
/// Neither variable names a usable folder.
pub fn state_dir(var: impl Fn(&str) -> Option<OsString>) -> Result<PathBuf, String> {
    let absolute = |name: &str| var(name).map(PathBuf::from).filter(|p| p.is_absolute());
    if let Some(base) = absolute("XDG_STATE_HOME") {
        return Ok(base.join("kaigi"));
    }
    let Some(home) = absolute("HOME") else {
        return Err("places are not kept: neither XDG_STATE_HOME nor HOME is set".into());
    };
    if !home.is_dir() {
        return Err(format!(
            "places are not kept: HOME ({}) is not a folder",
            shown(&home)
        ));
    }
    Ok(home.join(".local").join("state").join("kaigi"))
}

/// A name for a set of documents that changes whenever their text does: a hash of every
/// document's id and every node's id, markup and text.
#[must_use]
pub fn corpus_key(corpus: &Corpus) -> String {
    use xxhash_rust::xxh3::Xxh3;
    let mut h = Xxh3::new();
    for doc in &corpus.documents {
        h.update(doc.id.as_bytes());
        h.update(b"\0");
        for n in &doc.nodes {
            for part in [n.id.as_str(), n.source_prefix(), n.text.as_str()] {
                h.update(part.as_bytes());
                h.update(b"\0");
            }
        }
        h.update(b"\x01");
    }
    format!("{:016x}", h.digest())
}

fn shown(path: &Path) -> String {
    sanitize(&path.display().to_string(), DisplayOptions::default())
}

impl Store {
    /// Opens the state file for `key` in `dir` and reads it.
    #[must_use]
    pub fn open(dir: &Path, key: &str) -> (Store, Opened) {
        let path = dir.join(format!("{key}.json"));
        let opened = read(&path);
        let writable = !matches!(opened, Opened::Ignored { .. });
        (Store { path, writable }, opened)
    }

    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether [`save`](Self::save) may write (the file was missing or read cleanly).
    #[must_use]
    pub fn is_writable(&self) -> bool {
        self.writable
    }

    /// Writes the state atomically: a temporary file in the same folder, flushed to disk,
    /// then renamed over the old one.
    ///
    /// # Errors
    /// The file was not readable at start (it is left alone), or the folder or the file could
    /// not be written (read-only or full disk, no home directory).
    pub fn save(&self, saved: &Saved) -> Result<(), StateError> {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        if !self.writable {
            return Err(StateError::LeftAlone {
                path: shown(&self.path),
            });
        }
        let io = |e: std::io::Error| StateError::Io {
            path: shown(&self.path),
            message: e.to_string(),
        };
        let dir = self.path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).map_err(io)?;
        let mut body = serde_json::to_vec_pretty(saved).map_err(|e| StateError::Io {
            path: shown(&self.path),
            message: e.to_string(),
        })?;
        body.push(b'\n');
        let name = self
            .path
            .file_name()
            .map_or_else(|| "state".into(), |n| n.to_string_lossy().into_owned());
        let tmp = dir.join(format!(
            ".{name}.{}.{}.tmp",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        let written = (|| {
            let mut f = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&tmp)?;
            f.write_all(&body)?;
            f.sync_all()?;
            std::fs::rename(&tmp, &self.path)
        })();
        if let Err(e) = written {
            let _ = std::fs::remove_file(&tmp);
            return Err(io(e));
        }
        Ok(())
    }
}

fn read(path: &Path) -> Opened {
    let ignored = |why: &str| Opened::Ignored {
        note: format!("state ignored, {why}: {}", shown(path)),
    };
    let mut file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Opened::Fresh,
        // A missing or unusable folder on the way (HOME that does not exist, a file where a
        // folder should be) is a fresh start too: there is nothing of ours to protect.
        Err(e) if e.kind() == std::io::ErrorKind::NotADirectory => return Opened::Fresh,
        Err(e) => return ignored(&e.to_string()),
    };
    match file.metadata() {
        Ok(m) if m.is_dir() => return ignored("it is a directory"),
        Ok(m) if !m.is_file() => return ignored("not a regular file"),
        Ok(_) => {}
        Err(e) => return ignored(&e.to_string()),
    }
    let mut bytes = Vec::new();
    if let Err(e) = (&mut file).take(MAX_BYTES + 1).read_to_end(&mut bytes) {
        return ignored(&e.to_string());
    }
    if bytes.len() as u64 > MAX_BYTES {
        return ignored("larger than a state file can be");
    }
    let value: serde_json::Value = match serde_json::from_slice(&bytes) {
        Ok(v) => v,
        Err(e) => {
            return {
                let _ = e;
                ignored("not valid JSON")
            };
        }
    };
    match value.get("version").and_then(serde_json::Value::as_u64) {
        Some(v) if v > u64::from(CURRENT_VERSION) => {
            return ignored(&format!(
                "from a newer kaigi (version {v}; this one reads {CURRENT_VERSION})"
            ));
        }
        Some(v) if v >= 1 => {}
        _ => return ignored("no version"),
    }
    match serde_json::from_value::<Saved>(value) {
        Ok(s) => Opened::Loaded(s.tidy()),
        Err(_) => ignored("unexpected contents"),
    }
}
