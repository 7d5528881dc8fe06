//! The terminal browser: a thin shell over the library.
//!
//! - `keymap.rs`: every key binding, in one table;
//! - `app.rs`: the state and the one `update` every key goes through;
//! - `tree.rs`, `reader.rs`: one module a pane (state and render);
//! - `view.rs`: draws the screen from the state;
//! - `terminal.rs`: enters and leaves raw mode and the alternate screen.

pub mod app;
pub mod draw;
pub mod keymap;
pub mod reader;
pub mod terminal;
pub mod theme;
pub mod tree;
pub mod view;

pub use app::{App, AppOptions};
pub use terminal::run;
