//! The terminal browser: a thin shell over the library.
//!
//! - `keymap.rs`: every key in every context, in one table (a runtime [`keymap::Keymap`]);
//!   a row's context names the pane that handles it;
//! - `app.rs`: the panes, the focus, and the one place keys are routed and effects applied;
//! - `effect.rs`: what a pane's `update` asks for instead of reaching into another pane;
//! - one module a pane, each with its state, an `update` and a render function: `tree.rs`,
//!   `reader.rs`, `search.rs` (the one owner of the query, index and waiting request),
//!   `participants.rs`, `links.rs` (the selected link, `>`/`<`, following), `index.rs` (the
//!   index of terms, `i`), `cited.rs` (the cited documents, `R`), `places.rs` (the jump list, marks, what `n` steps through, the state
//!   file), `help.rs`, `prompt.rs` (the line at the bottom, over `editor.rs`);
//! - `view.rs`: draws the screen from the state, and says where the cursor goes;
//! - `terminal.rs`: enters and leaves raw mode and the alternate screen, signals, watchdog;
//! - `event_loop.rs`: reads input, hands it to the app, draws, runs searches off-thread;
//! - `screen.rs`: puts frames on the terminal with as few bytes as possible;
//! - `input.rs`: terminal input bytes to events, where kaigi reads them itself;
//! - `probe.rs`: asks the terminal how wide ambiguous characters are, losing no key meanwhile;
//! - `clipboard.rs`: OSC 52.

pub mod app;
pub mod cited;
pub mod clipboard;
pub mod draw;
pub mod editor;
pub mod effect;
pub mod event_loop;
pub mod help;
pub mod index;
pub mod input;
pub mod keymap;
pub mod links;
pub mod participants;
pub mod places;
pub mod probe;
pub mod prompt;
pub mod reader;
pub mod screen;
pub mod search;
pub mod terminal;
pub mod theme;
pub mod tree;
pub mod view;

pub use app::{App, AppOptions};
pub use event_loop::{Exit, run};
