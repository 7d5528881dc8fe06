//! Presenting and following between kaigi processes on one machine: `kaigi --present NAME`
//! listens on a Unix socket `$XDG_RUNTIME_DIR/kaigi/NAME.sock` (the directory mode 0700, so
//! only this user's processes reach it) and writes where it is, one line a move
//! (`g7:23 0`: the node's id and the character offset, so a follower with its own layout
//! finds the same text); `kaigi --follow NAME` connects, shuts its own writing side at once
//! (a follower never sends anything) and reads those lines.

use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::{Cue, Link};
use crate::corpus::Corpus;
use crate::places::Position;

/// A presenter's name: letters, digits, `-` and `_`, at most 32 (it names a file).
///
/// # Errors
/// Any other name.
pub fn check_name(name: &str) -> Result<(), String> {
    let ok = !name.is_empty()
        && name.len() <= 32
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "presenter name {name:?}: use letters, digits, - and _ (at most 32)"
        ))
    }
}

/// Where the socket of presenter `name` is: `$XDG_RUNTIME_DIR/kaigi/NAME.sock`.
///
/// # Errors
/// A bad name, or no `XDG_RUNTIME_DIR`.
pub fn socket_path(name: &str) -> Result<PathBuf, String> {
    check_name(name)?;
    let dir = std::env::var_os("XDG_RUNTIME_DIR")
        .filter(|d| !d.is_empty())
        .ok_or(
            "presenting between processes needs XDG_RUNTIME_DIR (the user's runtime directory)",
        )?;
    Ok(PathBuf::from(dir)
        .join("kaigi")
        .join(format!("{name}.sock")))
}

/// One position as a line: `ID OFFSET`.
fn encode(corpus: &Corpus, at: Position) -> String {
    format!("{} {}\n", corpus.node(at.node).id, at.offset)
}

/// A line back to a position in this process's corpus (`None` for an id it does not have).
fn decode(corpus: &Corpus, line: &str) -> Option<Position> {
    let (id, offset) = line.trim().split_once(' ')?;
    let node = corpus.find_id(id)?;
    Some(Position {
        node,
        offset: offset.parse().ok()?,
    })
}

type Followers = Arc<Mutex<(Vec<UnixStream>, Option<String>)>>;

/// The presenter's side: followers connect to it; each move goes out to all of them.
pub struct Presenter {
    corpus: Arc<Corpus>,
    path: PathBuf,
    /// Connected followers and the last line sent (a newcomer gets it first).
    followers: Followers,
}

impl Presenter {
    /// Listens as `name`. A socket left by a presenter that is gone is replaced; one that
    /// answers is someone presenting already.
    ///
    /// # Errors
    /// A bad name, no runtime directory, someone presents as `name`, or the socket cannot
    /// be made.
    pub fn listen(name: &str, corpus: Arc<Corpus>) -> Result<Presenter, String> {
        let path = socket_path(name)?;
        let dir = path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let _ = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700));
        if UnixStream::connect(&path).is_ok() {
            return Err(format!("{name} is presenting already ({})", path.display()));
        }
        let _ = std::fs::remove_file(&path);
        let listener = UnixListener::bind(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let followers: Followers = Arc::new(Mutex::new((Vec::new(), None)));
        let f = Arc::clone(&followers);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let _ = stream.set_write_timeout(Some(Duration::from_millis(200)));
                if let Ok(mut g) = f.lock() {
                    let (list, last) = &mut *g;
                    let mut stream = stream;
                    if let Some(line) = last
                        && stream.write_all(line.as_bytes()).is_err()
                    {
                        continue;
                    }
                    list.push(stream);
                }
            }
        });
        Ok(Presenter {
            corpus,
            path,
            followers,
        })
    }

    fn send(&self, line: Option<String>) {
        if let Ok(mut g) = self.followers.lock() {
            let (list, last) = &mut *g;
            if let Some(line) = &line {
                // A follower that does not take the line (gone, or stuck) is dropped.
                list.retain_mut(|s| s.write_all(line.as_bytes()).is_ok());
            } else {
                list.retain_mut(|s| s.write_all(b"end\n").is_ok());
            }
            *last = line;
        }
    }
}

impl Drop for Presenter {
    fn drop(&mut self) {
        self.send(None);
        let _ = std::fs::remove_file(&self.path);
    }
}

impl Link for Presenter {
    fn present(&mut self) -> Result<Option<String>, String> {
        Ok(None)
    }

    fn stop(&mut self) {
        self.send(None);
    }

    fn publish(&mut self, at: Position) {
        self.send(Some(encode(&self.corpus, at)));
    }
}

/// A follower's link: it never sends anything, so it may not present.
pub struct Follower;

impl Link for Follower {
    fn present(&mut self) -> Result<Option<String>, String> {
        Err("a follower cannot present here".into())
    }
    fn stop(&mut self) {}
    fn publish(&mut self, _at: Position) {}
}

/// Connects to presenter `name` and reads their moves on a thread of its own.
///
/// # Errors
/// A bad name, no runtime directory, or nobody presents as `name`.
pub fn follow(name: &str, corpus: Arc<Corpus>) -> Result<Receiver<Cue>, String> {
    let path = socket_path(name)?;
    let stream = UnixStream::connect(&path)
        .map_err(|e| format!("nobody presents as {name} ({}: {e})", path.display()))?;
    // Read-only from here on.
    stream
        .shutdown(std::net::Shutdown::Write)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    let (tx, rx) = channel();
    let name = name.to_string();
    std::thread::spawn(move || read_moves(stream, &name, &corpus, &tx));
    Ok(rx)
}

fn read_moves(stream: UnixStream, name: &str, corpus: &Corpus, tx: &Sender<Cue>) {
    let mut reader = BufReader::new(stream);
    while let Some(line) = read_line(&mut reader) {
        let cue = if line.trim() == "end" {
            Cue::Ended {
                name: name.to_string(),
            }
        } else if let Some(at) = decode(corpus, &line) {
            Cue::At {
                name: name.to_string(),
                at,
            }
        } else {
            continue;
        };
        if tx.send(cue).is_err() {
            return;
        }
    }
    let _ = tx.send(Cue::Ended {
        name: name.to_string(),
    });
}

/// A line of at most 4 KiB (a longer one comes in pieces, which name no node): a presenter
/// cannot make a follower hold an endless line. `None` at the end.
fn read_line(reader: &mut BufReader<UnixStream>) -> Option<String> {
    let mut buf = Vec::new();
    match reader.take(4096).read_until(b'\n', &mut buf) {
        Ok(0) | Err(_) => None,
        Ok(_) => Some(String::from_utf8_lossy(&buf).into_owned()),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::corpus::load_embedded;

    #[test]
    fn names_that_name_no_file_elsewhere() {
        assert!(check_name("chair").is_ok());
        assert!(check_name("a-b_9").is_ok());
        for bad in ["", "../x", "a b", "é", &"x".repeat(33)] {
            assert!(check_name(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn a_position_travels_as_its_id() {
        let corpus = load_embedded();
        let node = corpus.find_id("g7:23").unwrap();
        let at = Position { node, offset: 17 };
        let line = encode(&corpus, at);
        assert_eq!(line, "g7:23 17\n");
        assert_eq!(decode(&corpus, &line), Some(at));
        assert_eq!(decode(&corpus, "nope 1"), None);
        assert_eq!(decode(&corpus, "g7:23"), None);
    }
}
