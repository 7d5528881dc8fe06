//! Presenting and following, as the reader sees it: who presents and where, whether this
//! reader follows (or paused by moving on their own), whether this reader presents. `F`
//! follows and resumes (less's "follow" key), `P` presents. The session carries requests to
//! the stage and cues back; this pane only keeps the state and says what to do.

use super::effect::{Effect, Jump};
use super::keymap::Action;
use crate::corpus::Corpus;
use crate::places::Position;
use crate::present::Cue;

/// What the session is to ask the stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Request {
    Present,
    Stop,
}

/// The follow pane's state.
#[derive(Debug, Clone, Default)]
pub struct Follow {
    /// Whether there is a stage at all (a served session, `--present` or `--follow`).
    pub linked: bool,
    /// Whether this reader may ask to present (a follower over a local socket may not).
    pub can_present: bool,
    pub presenting: bool,
    /// The presenter and where they are.
    pub presenter: Option<(String, Position)>,
    pub following: bool,
    pub paused: bool,
    /// For the session to take.
    request: Option<Request>,
    /// The reader was moved by following (not by the reader's own key).
    moved: bool,
    /// The last note this pane put in the status line: news from the stage replaces it.
    note: Option<String>,
}

fn label(corpus: &Corpus, at: Position) -> String {
    corpus.node(at.node).id.clone()
}

impl Follow {
    /// The request waiting for the session.
    pub fn take_request(&mut self) -> Option<Request> {
        self.request.take()
    }

    /// Whether the last move of the reader was following's (cleared by asking).
    pub fn take_moved(&mut self) -> bool {
        std::mem::take(&mut self.moved)
    }

    /// `F` and `P`.
    pub fn update(&mut self, action: Action) -> Vec<Effect> {
        let say = |m: String| vec![Effect::Message(m)];
        match action {
            Action::Follow if !self.linked => {
                say("nobody to follow: over kaigi serve, or with --follow NAME".into())
            }
            Action::Follow if self.presenting => say("you are presenting: P stops".into()),
            Action::Follow => match self.presenter.clone() {
                None => say("nobody is presenting".into()),
                Some((name, at)) if !self.following || self.paused => {
                    let again = self.following;
                    self.following = true;
                    self.paused = false;
                    self.moved = true;
                    let word = if again { "resumed" } else { "following" };
                    let note = format!("{word} {name} — moving on your own pauses");
                    self.note = Some(note.clone());
                    // Starting (or resuming) to follow is a jump: Ctrl-o comes back.
                    vec![Effect::Message(note), Effect::Jump(Jump::Place(at))]
                }
                Some((name, _)) => {
                    self.following = false;
                    say(format!("stopped following {name} — F follows again"))
                }
            },
            Action::Present if !self.linked => {
                say("presenting needs kaigi serve, or --present NAME".into())
            }
            Action::Present if !self.can_present => say("a follower cannot present here".into()),
            Action::Present if self.presenting => {
                self.presenting = false;
                self.request = Some(Request::Stop);
                say("stopped presenting".into())
            }
            Action::Present => {
                self.request = Some(Request::Present);
                self.following = false;
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    /// The reader moved on their own: following pauses.
    pub fn moved_by_reader(&mut self) -> Vec<Effect> {
        if self.following && !self.paused {
            self.paused = true;
            let name = self.presenter.as_ref().map_or("", |p| p.0.as_str());
            let note = format!("paused following {name} — F resumes");
            self.note = Some(note.clone());
            return vec![Effect::Message(note)];
        }
        Vec::new()
    }

    /// A cue from the stage.
    pub fn cue(&mut self, cue: Cue) -> Vec<Effect> {
        match cue {
            Cue::At { name, at } => {
                self.presenter = Some((name, at));
                if self.following && !self.paused {
                    self.moved = true;
                    return vec![Effect::ShowPosition(at)];
                }
                Vec::new()
            }
            Cue::Ended { name } => {
                self.presenter = None;
                self.following = false;
                self.paused = false;
                vec![Effect::Message(format!("{name} stopped presenting"))]
            }
            Cue::TakenOver { by } => {
                self.presenting = false;
                vec![Effect::Message(format!(
                    "{by} is presenting now: you stopped"
                ))]
            }
        }
    }

    /// Whether `message` is this pane's own last note (news from the stage replaces it).
    #[must_use]
    pub fn is_note(&self, message: &str) -> bool {
        self.note.as_deref() == Some(message)
    }

    /// The stage's answer to a request to present.
    pub fn presented(&mut self, result: Result<Option<String>, String>) -> Vec<Effect> {
        match result {
            Ok(previous) => {
                self.presenting = true;
                self.presenter = None;
                let from = previous
                    .map(|p| format!(" (taking over from {p})"))
                    .unwrap_or_default();
                vec![Effect::Message(format!(
                    "presenting{from}: others press F to follow you"
                ))]
            }
            Err(why) => vec![Effect::Message(why)],
        }
    }

    /// The status line's text when nothing else is said: who presents and where.
    #[must_use]
    pub fn status(&self, corpus: &Corpus) -> Option<String> {
        if self.presenting {
            return Some("presenting — P stops".into());
        }
        let (name, at) = self.presenter.as_ref()?;
        let at = label(corpus, *at);
        Some(if self.following && self.paused {
            format!("paused — {name} is at {at} · F resumes")
        } else if self.following {
            format!("following {name} — at {at}")
        } else {
            format!("{name} is presenting — at {at} · F follows")
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::corpus::{NodeRef, load_embedded};

    fn at(node: usize) -> Position {
        Position::at(NodeRef { doc: 0, node })
    }

    fn linked() -> Follow {
        Follow {
            linked: true,
            can_present: true,
            ..Follow::default()
        }
    }

    #[test]
    fn follow_pause_resume() {
        let corpus = load_embedded();
        let mut f = linked();
        assert!(
            f.cue(Cue::At {
                name: "alice".into(),
                at: at(5)
            })
            .is_empty()
        );
        assert!(
            f.status(&corpus)
                .unwrap()
                .starts_with("alice is presenting — at g7:")
        );
        let e = f.update(Action::Follow);
        assert!(e.contains(&Effect::Jump(Jump::Place(at(5)))));
        assert!(f.take_moved());
        assert_eq!(
            f.cue(Cue::At {
                name: "alice".into(),
                at: at(6)
            }),
            vec![Effect::ShowPosition(at(6))]
        );
        assert_eq!(f.moved_by_reader().len(), 1);
        assert!(f.paused);
        assert!(
            f.cue(Cue::At {
                name: "alice".into(),
                at: at(7)
            })
            .is_empty()
        );
        assert!(f.status(&corpus).unwrap().starts_with("paused"));
        let e = f.update(Action::Follow);
        assert!(e.contains(&Effect::Jump(Jump::Place(at(7)))));
        assert!(!f.paused);
    }

    #[test]
    fn unlinked_keys_say_why() {
        let mut f = Follow::default();
        assert!(matches!(
            &f.update(Action::Follow)[..],
            [Effect::Message(_)]
        ));
        assert!(matches!(
            &f.update(Action::Present)[..],
            [Effect::Message(_)]
        ));
        assert_eq!(f.take_request(), None);
    }
}
