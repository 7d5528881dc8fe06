//! kaigi: a keyboard-driven terminal browser for two Japanese policy documents.
//!
//! The library is the domain: the documents as a corpus ([`corpus`]), the layout of Japanese
//! text into lines ([`text`], [`layout`]), [`search`] and [`participants`]. It knows nothing of
//! the terminal; the TUI ([`tui`]) and the CLI ([`cli`]) are thin shells over it.

pub mod cli;
pub mod config;
pub mod corpus;
pub mod layout;
pub mod participants;
pub mod places;
pub mod refs;
pub mod search;
pub mod text;
pub mod tui;
