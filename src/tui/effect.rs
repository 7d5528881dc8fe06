//! What a pane asks for, instead of reaching into another pane: each pane's `update` returns
//! effects and [`App`](super::App) carries them out, in order.

use std::collections::HashMap;
use std::ops::Range;

use crate::corpus::NodeRef;
use crate::places::Position;

/// Character ranges to highlight in each node's text.
pub type Highlights = HashMap<NodeRef, Vec<Range<usize>>>;

/// Which line is being typed at the bottom of the screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LineKind {
    /// `:` — an id to go to.
    Goto,
    /// `/` in the documents view — searches as you type.
    Search,
    /// `/` in the participants view — narrows the table as you type.
    Narrow,
    /// `i` — narrows the index of terms as you type.
    Index,
}

/// Where a jump takes the reader.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Jump {
    /// A node's first line at the top, with these matches highlighted (`None` keeps the
    /// highlights as they are).
    Node(NodeRef, Option<Highlights>),
    /// A document's first line at the top.
    Document(usize),
    /// The top of the text (`g`).
    Top,
    /// The end of the text (`G`).
    Bottom,
    /// A place: a mark, `''`.
    Place(Position),
}

/// The stops `n` and `N` step through: whatever the reader asked for last. Following
/// cross-references adds its own kind here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Steps {
    /// The results of the last search (the search pane holds them).
    Search,
    /// The mentions of a participant, each with the words that name it.
    Mentions {
        name: String,
        stops: Vec<(NodeRef, Vec<Range<usize>>)>,
        index: usize,
    },
    /// Every link of the text, after following one (`index` is the one followed).
    Links {
        stops: Vec<(NodeRef, usize)>,
        index: usize,
    },
    /// A link followed before a large file's every link was found (from those on screen):
    /// `n` and `N` wait for every link, then step through them from this one.
    LinksFrom((NodeRef, usize)),
}

/// One thing to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    Quit,
    /// Stop to the shell (Ctrl-z); redraw on return.
    Suspend,
    /// Clear the terminal and draw everything again.
    Repaint,
    /// A one-line message in the status line.
    Message(String),
    /// The reader goes somewhere (the tree follows; the documents view is shown), and the
    /// jump list records where it was.
    Jump(Jump),
    /// Back or forward along the jump list: the reader goes there, the list is not recorded
    /// again (it has walked already).
    Revisit(Position),
    /// From now on `n` and `N` step through these.
    StepThrough(Steps),
    /// Write the state file now (a mark was set).
    SaveState,
    /// The reader scrolled on its own: the tree follows.
    TextMoved,
    /// Show this place at the top of the reader (following a presenter).
    ShowPosition(crate::places::Position),
    /// The tree's selection moved: the reader follows it.
    TreeMoved,
    /// Give the keys to the reader.
    FocusReader,
    /// Text for the clipboard; `what` names it in the message (`g7:23`).
    Copy {
        text: String,
        what: String,
    },
    /// Open a line at the bottom (`text` already typed).
    OpenLine(LineKind, String),
    /// The line's text changed: live lines act at once.
    LineChanged(LineKind, String),
    /// Enter on the line.
    LineSubmitted(LineKind, String),
    /// Esc on the line.
    LineCancelled(LineKind),
    /// Up/Down while typing: move through what the line lists.
    Select(LineKind, isize),
    /// Back from a list view (index, cited documents) to the documents view.
    CloseView,
    /// Show the participants view with this participant (code or Japanese name) selected.
    ShowParticipant(String),
}
