//! Text for the terminal, without the terminal: display width, what a character is shown as,
//! and Japanese line breaking.

pub mod display;
pub mod kana;
pub mod wrap;

pub use display::{DisplayOptions, Shown, sanitize, str_width, truncate};
pub use wrap::wrap;
