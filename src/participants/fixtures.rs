//! What the participants' tests share: the embedded corpus's table and ways to name rows and
//! nodes.

use super::{Participant, Participants, ReferenceData};
use crate::corpus::{Corpus, EMBEDDED, NodeRef, load_embedded};

pub(super) fn embedded() -> (Corpus, Participants) {
    let corpus = load_embedded();
    let data = ReferenceData::embedded().expect("embedded data parses");
    let p = Participants::from_corpus(&corpus, &data);
    (corpus, p)
}

pub(super) fn cri_text() -> &'static str {
    EMBEDDED
        .iter()
        .find(|(id, _, _)| *id == "cri")
        .map(|(_, _, t)| *t)
        .expect("cri is embedded")
}

pub(super) fn row<'a>(p: &'a Participants, ja: &str) -> &'a Participant {
    p.rows.iter().find(|r| r.ja == ja).expect("row exists")
}

pub(super) fn names(p: &Participants, idx: &[usize]) -> Vec<String> {
    idx.iter().map(|&i| p.rows[i].ja.clone()).collect()
}

pub(super) fn ids(corpus: &Corpus, refs: &[NodeRef]) -> Vec<String> {
    refs.iter().map(|&r| corpus.node(r).id.clone()).collect()
}
