//! The participants of the Counter Ransomware Initiative meeting, as the CRI press release lists
//! them: who attended the meeting (list A) and who signed the statement on ransom payments
//! (list B), joined with reference data that the documents rely on but do not spell out.
//!
//! Both lists are found in the loaded corpus by general rules (see [`Participants::from_corpus`]),
//! never by node id, so a changed or different document gives an honest answer: other counts, a
//! mismatch between the stated and the parsed total, or no lists at all. The reference data
//! (`data/cri-participants.tsv`, `data/g7-members.tsv`) is embedded as text and parsed at run
//! time; a malformed file is a [`DataError`], never a panic.
//!
//! This module knows nothing of the terminal: it computes rows, filters, sorts, the columns that
//! fit a width and padded cell strings, which the TUI and the CLI both draw from.
//!
//! - `reference.rs`: the reference data and its TSV reader;
//! - `lists.rs`: finding the two lists in the corpus;
//! - `table.rs`: the joined table, its counts and summary;
//! - `mentions.rs`: where a participant is mentioned;
//! - `filter.rs`: filters and sort orders;
//! - `order.rs`: 五十音 order;
//! - `columns.rs`: the columns that fit a width, and each row's cells;
//! - `names.rs`: how names and queries are compared.
//!
//! The rows as search entries are built by `crate::search::searchable`.

mod columns;
mod filter;
mod lists;
mod mentions;
mod names;
mod order;
mod reference;
mod table;

pub use columns::{CHECK, COLUMN_GAP, Column, TableLayout, columns_for_width, join_cells};
pub use filter::{Choice, Filter, ParseNameError, Sort};
pub use mentions::{NameSets, Needles, Normalised, mentions_of, name_ranges};
pub use names::fold;
pub use reference::{DataError, Entry, G7_TSV, G7Entry, Kind, PARTICIPANTS_TSV, ReferenceData};
pub use table::{Counts, ListInfo, NO_LISTS, Participant, Participants};

#[cfg(test)]
mod fixtures;
