//! Participant rows as search entries, so that the search finds rows as well as text.

use super::{Participants, ReferenceData};
use crate::corpus::Corpus;

/// One search entry for each participant row (name, English name, code and aliases), so that
/// a search for `uruguay` finds ウルグアイ's row as well as the text.
#[must_use]
pub fn search_entries(corpus: &Corpus) -> Vec<crate::search::Extra> {
    let Ok(data) = ReferenceData::embedded() else {
        return Vec::new();
    };
    let table = Participants::from_corpus(corpus, &data);
    table
        .rows
        .iter()
        .map(|p| {
            let mut text = p.ja.clone();
            for part in [p.en.as_deref(), p.code.as_deref()].into_iter().flatten() {
                text.push(' ');
                text.push_str(part);
            }
            for a in &p.aliases {
                text.push(' ');
                text.push_str(a);
            }
            crate::search::Extra {
                id: format!(
                    "participants:{}",
                    p.code.clone().unwrap_or_else(|| p.ja.clone())
                ),
                doc: "cri".to_string(),
                text,
            }
        })
        .collect()
}
