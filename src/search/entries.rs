//! Everything searchable, built once for both shells: every node of every document, then one
//! entry for each participant row (its Japanese and English names, code and aliases), so that a
//! search for `uruguay` finds ウルグアイ's row as well as the text. A participant hit carries
//! [`super::Target::Participant`], the row's index in the participants table.

use super::{Builder, SearchIndex, Sizes};
use crate::corpus::Corpus;
use crate::participants::{Participants, ReferenceData};

/// The index over every node and every participant row. Without usable reference data (an
/// edited build), only the nodes.
#[must_use]
pub fn searchable(corpus: &Corpus) -> SearchIndex {
    searchable_in_pieces(corpus, |_| {})
}

/// [`searchable`], handing out the index as far as it has come after each piece (see
/// [`super::piece`]): what a search of it finds is what a search of a corpus of those
/// entries finds. The participant rows come last.
pub fn searchable_in_pieces(corpus: &Corpus, publish: impl FnMut(&SearchIndex)) -> SearchIndex {
    searchable_from(Builder::searchable(), corpus, publish)
}

/// [`searchable_in_pieces`], going on from what `builder` has indexed already (the nodes read
/// so far of a file still being read).
pub fn searchable_from(
    builder: Builder,
    corpus: &Corpus,
    mut publish: impl FnMut(&SearchIndex),
) -> SearchIndex {
    builder.finish(corpus, || rows(corpus), Vec::new(), &mut publish)
}

/// [`searchable`] for one query (the CLI): without the index of which entries hold which
/// characters, which takes a pass over the whole text to build, as the one query does.
#[must_use]
pub fn searchable_once(corpus: &Corpus) -> SearchIndex {
    SearchIndex::build(
        corpus,
        || rows(corpus),
        Vec::new(),
        false,
        Sizes::default(),
        |_| {},
    )
}

/// The participant rows: `(id, key, text)`.
fn rows(corpus: &Corpus) -> Vec<(String, String, String)> {
    ReferenceData::embedded()
        .map(|data| {
            let table = Participants::from_corpus(corpus, &data);
            table
                .rows
                .iter()
                .map(|p| {
                    let mut text = p.ja.clone();
                    for part in [p.entry.en.as_deref(), p.entry.code.as_deref()]
                        .into_iter()
                        .flatten()
                    {
                        text.push(' ');
                        text.push_str(part);
                    }
                    for a in p.entry.aliases.iter().chain(&p.entry.en_aliases) {
                        text.push(' ');
                        text.push_str(a);
                    }
                    let key = p.entry.code.clone().unwrap_or_else(|| p.ja.clone());
                    (format!("participants:{key}"), key, text)
                })
                .collect()
        })
        .unwrap_or_default()
}
