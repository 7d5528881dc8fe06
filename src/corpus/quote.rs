//! The text of a node as a reader copies it: a paragraph's text; a heading's whole section
//! (the heading, then every node under it, each with its marker); and the same with a
//! citation a reader can paste into meeting notes.

use super::{Corpus, NodeRef};
use std::fmt::Write as _;

/// The nodes under `r`, in document order (not `r` itself).
fn descendants(corpus: &Corpus, r: NodeRef, out: &mut Vec<NodeRef>) {
    for &c in &corpus.node(r).children {
        let child = NodeRef {
            doc: r.doc,
            node: c,
        };
        out.push(child);
        descendants(corpus, child, out);
    }
}

fn with_marker(corpus: &Corpus, r: NodeRef) -> String {
    let n = corpus.node(r);
    if n.marker().is_empty() {
        n.text.clone()
    } else {
        format!("{} {}", n.marker(), n.text)
    }
}

/// What `y` copies: a paragraph's own text, or for a heading its whole section, one node a
/// line, each with its marker (`VI.`, `20.`, `-`).
#[must_use]
pub fn plain(corpus: &Corpus, r: NodeRef) -> String {
    let node = corpus.node(r);
    if !node.kind.is_heading() {
        return node.text.clone();
    }
    let mut nodes = vec![r];
    descendants(corpus, r, &mut nodes);
    nodes
        .into_iter()
        .map(|n| with_marker(corpus, n))
        .collect::<Vec<_>>()
        .join("\n")
}

/// What `Y` copies: the document's title and date, the node's number and id, then the text
/// as [`plain`] gives it.
///
/// ```text
/// G7内務・安全担当大臣コミュニケ（2023-12-10）第23項 [g7:23]
/// 我々は、国際カウンターランサムウェア・イニシアティブ等の…
/// ```
#[must_use]
pub fn cited(corpus: &Corpus, r: NodeRef) -> String {
    let doc = &corpus.documents[r.doc];
    let node = corpus.node(r);
    let mut head = doc.title.replace('\n', " ");
    if let Some(d) = doc.date {
        let _ = write!(head, "（{}）", d.iso());
    }
    match (node.label(), node.kind.is_heading()) {
        (Some(l), false) if l.chars().all(|c| c.is_ascii_digit()) => {
            let _ = write!(head, "第{l}項");
        }
        (Some(l), _) => head.push_str(l),
        (None, _) => {}
    }
    format!("{head} [{}]\n{}", node.id, plain(corpus, r))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::load_embedded;

    #[test]
    fn a_paragraph_is_its_text() {
        let c = load_embedded();
        let r = c.find_id("g7:23").expect("id");
        assert_eq!(plain(&c, r), c.node(r).text);
    }

    #[test]
    fn a_heading_is_its_whole_section() {
        let c = load_embedded();
        let r = c.find_id("g7:VI").expect("id");
        let text = plain(&c, r);
        assert!(
            text.starts_with("VI. サイバー空間の安全の確保\n20. "),
            "{text}"
        );
        for id in ["g7:20", "g7:23", "g7:25"] {
            let n = c.node(c.find_id(id).expect("id"));
            assert!(text.contains(&n.text), "{id} missing");
        }
        let next = c.node(c.find_id("g7:26").expect("id"));
        assert!(!text.contains(&next.text), "the next section crept in");
    }

    #[test]
    fn a_citation_names_title_date_and_number() {
        let c = load_embedded();
        let r = c.find_id("g7:23").expect("id");
        let text = cited(&c, r);
        let first = text.lines().next().unwrap_or("");
        assert!(
            first.starts_with("G7内務・安全担当大臣コミュニケ"),
            "{first}"
        );
        assert!(first.contains("2023-12-10"), "{first}");
        assert!(first.ends_with("第23項 [g7:23]"), "{first}");
        assert!(text.ends_with(&c.node(r).text));
    }
}
