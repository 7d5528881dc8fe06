//! Presenting and following: one reader presents, their position is published, the others
//! may follow it. The [`Stage`] is the hub the sessions of one server share; it only ever
//! carries the presenter's position out, never anything from a follower. Nothing here knows a
//! terminal.

pub mod local;

use std::sync::Mutex;

use crate::places::Position;

/// What the stage tells a session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cue {
    /// `name` presents and stands at `at`.
    At { name: String, at: Position },
    /// `name` stopped presenting (or left).
    Ended { name: String },
    /// This session was presenting; `by` took over.
    TakenOver { by: String },
}

/// How a session reaches the stage (the server's hub, or a local socket).
pub trait Link: Send {
    /// Asks to present; says whom this reader took over from. `Err` says why not (one line
    /// for the status line).
    ///
    /// # Errors
    /// This reader may not present.
    fn present(&mut self) -> Result<Option<String>, String>;
    /// Stops presenting.
    fn stop(&mut self);
    /// The presenter is now here (called only while presenting).
    fn publish(&mut self, at: Position);
}

type Notify = Box<dyn Fn(Cue) + Send>;

struct Member {
    id: u64,
    name: String,
    notify: Notify,
}

#[derive(Default)]
struct Inner {
    members: Vec<Member>,
    /// The presenter's id, and where they are once they said.
    presenter: Option<u64>,
    at: Option<Position>,
}

impl Inner {
    fn name(&self, id: u64) -> String {
        self.members
            .iter()
            .find(|m| m.id == id)
            .map(|m| m.name.clone())
            .unwrap_or_default()
    }

    fn tell_others(&self, except: u64, cue: &Cue) {
        for m in self.members.iter().filter(|m| m.id != except) {
            (m.notify)(cue.clone());
        }
    }
}

/// Who presents, where they are, and who listens. First come presents; the next to present
/// takes over, and the previous presenter is told.
#[derive(Default)]
pub struct Stage {
    inner: Mutex<Inner>,
}

impl Stage {
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    fn with<T>(&self, f: impl FnOnce(&mut Inner) -> T) -> T {
        match self.inner.lock() {
            Ok(mut g) => f(&mut g),
            Err(poisoned) => f(&mut poisoned.into_inner()),
        }
    }

    /// A session joins, named `name`; `notify` is called with every cue for it (it must not
    /// block). It is told at once if someone presents.
    pub fn join(&self, id: u64, name: &str, notify: Notify) {
        self.with(|s| {
            if let (Some(p), Some(at)) = (s.presenter, s.at) {
                notify(Cue::At {
                    name: s.name(p),
                    at,
                });
            }
            s.members.push(Member {
                id,
                name: name.to_string(),
                notify,
            });
        });
    }

    /// A session leaves; if it presented, the others are told it ended.
    pub fn leave(&self, id: u64) {
        self.stop(id);
        self.with(|s| s.members.retain(|m| m.id != id));
    }

    /// `id` presents from now on, at `at` if known; returns the name of the one it took over
    /// from.
    pub fn present(&self, id: u64, at: Option<Position>) -> Option<String> {
        self.with(|s| {
            let previous = s.presenter.filter(|&p| p != id);
            let name = s.name(id);
            if let Some(p) = previous
                && let Some(m) = s.members.iter().find(|m| m.id == p)
            {
                (m.notify)(Cue::TakenOver { by: name.clone() });
            }
            s.presenter = Some(id);
            s.at = at;
            if let Some(at) = at {
                s.tell_others(id, &Cue::At { name, at });
            }
            previous.map(|p| s.name(p))
        })
    }

    /// `id` stops presenting (nothing if it was not).
    pub fn stop(&self, id: u64) {
        self.with(|s| {
            if s.presenter == Some(id) {
                s.presenter = None;
                s.at = None;
                let name = s.name(id);
                s.tell_others(id, &Cue::Ended { name });
            }
        });
    }

    /// The presenter `id` is at `at` now; from anyone else, nothing happens.
    pub fn publish(&self, id: u64, at: Position) {
        self.with(|s| {
            if s.presenter == Some(id) && s.at != Some(at) {
                s.at = Some(at);
                let name = s.name(id);
                s.tell_others(id, &Cue::At { name, at });
            }
        });
    }

    /// Who presents now.
    #[must_use]
    pub fn presenter(&self) -> Option<String> {
        self.with(|s| s.presenter.map(|p| s.name(p)))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::sync::Arc;
    use std::sync::mpsc::{Receiver, channel};

    use super::*;
    use crate::corpus::NodeRef;

    fn member(stage: &Stage, id: u64, name: &str) -> Receiver<Cue> {
        let (tx, rx) = channel();
        let tx = Arc::new(Mutex::new(tx));
        stage.join(
            id,
            name,
            Box::new(move |c| {
                let _ = tx.lock().unwrap().send(c);
            }),
        );
        rx
    }

    fn at(node: usize) -> Position {
        Position::at(NodeRef { doc: 0, node })
    }

    #[test]
    fn the_presenter_reaches_everyone_else_and_no_follower_reaches_anyone() {
        let stage = Stage::new();
        let alice = member(&stage, 1, "alice");
        let bob = member(&stage, 2, "bob");
        assert_eq!(stage.present(1, Some(at(3))), None);
        assert_eq!(
            bob.try_recv().unwrap(),
            Cue::At {
                name: "alice".into(),
                at: at(3)
            }
        );
        // A follower's publish goes nowhere.
        stage.publish(2, at(9));
        assert!(alice.try_recv().is_err());
        stage.publish(1, at(4));
        assert_eq!(
            bob.try_recv().unwrap(),
            Cue::At {
                name: "alice".into(),
                at: at(4)
            }
        );
        // The same place again is not news.
        stage.publish(1, at(4));
        assert!(bob.try_recv().is_err());
        // A latecomer hears where the presenter is.
        let carol = member(&stage, 3, "carol");
        assert!(matches!(carol.try_recv().unwrap(), Cue::At { .. }));
    }

    #[test]
    fn the_next_presenter_takes_over_and_the_previous_one_is_told() {
        let stage = Stage::new();
        let alice = member(&stage, 1, "alice");
        let bob = member(&stage, 2, "bob");
        stage.present(1, Some(at(1)));
        let _ = bob.try_recv();
        assert_eq!(stage.present(2, Some(at(2))), Some("alice".into()));
        assert_eq!(
            alice.try_recv().unwrap(),
            Cue::TakenOver { by: "bob".into() }
        );
        assert!(matches!(alice.try_recv().unwrap(), Cue::At { .. }));
        assert_eq!(stage.presenter(), Some("bob".into()));
        stage.leave(2);
        assert_eq!(alice.try_recv().unwrap(), Cue::Ended { name: "bob".into() });
        assert_eq!(stage.presenter(), None);
    }
}
