//! The terminal browser: a thin shell over the library.
//!
//! - `keymap.rs`: every key binding, in one table;
//! - `editor.rs`: the line editor behind `/` and `:`, and its history;
//! - `app.rs`: the state and the one `update` every key goes through;
//! - `tree.rs`, `reader.rs`: one module a pane (state and render);
//! - `view.rs`: draws the screen from the state;
//! - `terminal.rs`: enters and leaves raw mode and the alternate screen, signals, watchdog;
//! - `event_loop.rs`: reads input, hands it to the app, draws, runs searches off-thread;
//! - `screen.rs`: puts frames on the terminal with as few bytes as possible;
//! - `input.rs`: terminal input bytes to events, where kaigi reads them itself;
//! - `probe.rs`: asks the terminal how wide ambiguous characters are, losing no key meanwhile;
//! - `clipboard.rs`: OSC 52.

pub mod app;
pub mod clipboard;
pub mod draw;
pub mod editor;
pub mod event_loop;
pub mod input;
pub mod keymap;
pub mod participants;
pub mod probe;
pub mod reader;
pub mod screen;
pub mod search;
pub mod terminal;
pub mod theme;
pub mod tree;
pub mod view;

pub use app::{App, AppOptions};
pub use event_loop::{Exit, run};
