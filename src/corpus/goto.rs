//! What a reader types after `:` (or gives with `--goto`), resolved to a node or a document.
//!
//! Accepted: a document id (`g7`, `cri`); a full id (`g7:23`, `cri:annex-3.4.2`); a short id
//! (`23`, `VII`, `Ⅶ`, `annex-I`, `note-1`, `title`); and names as the text writes them:
//! annexes `附属文書I`, `附属文書Ⅱ`, `附属書１`, `別添`; notes `注1`, `脚注2`, `(注1)`; paragraphs
//! `第23項`, `パラ23`, `¶23`; sections `第7章`, `セクションVII`. Any of these may follow a
//! document id (`g7:附属文書I`). Digits may be full-width, numerals in either alphabet.
//!
//! **The rule for a short id in several documents** (a bare number `3`, `title`, `note-1`):
//! when it means the same kind of thing in each (paragraph 3 of each document), it means the
//! one in the document on screen, and the preview names the others (`→ g7:3 (…) · also
//! cri:3`). When what was typed means different things in different documents — `annex-1` is
//! the G7 communiqué's annex I and the CRI annex's section 1 — it is ambiguous: the candidates
//! are listed and nothing is picked.

use std::fmt::Write as _;
use thiserror::Error;

use super::repair::{fullwidth_to_ascii, normalise_label};
use super::{Corpus, NodeKind, NodeRef, Resolved};

/// A target that an ambiguous entry could mean.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub id: String,
    pub to: Resolved,
}

/// Why an entry goes nowhere.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum GotoError {
    /// Nothing was typed.
    #[error("type an id, a number or a name (23, VII, 附属文書I, 注1, cri:3)")]
    Empty,
    /// Nothing has this id or name.
    #[error("no such id: {0}")]
    NoSuchId(String),
    /// The entry means different things in different documents.
    #[error("{input} could be {}: type one of them", list(candidates))]
    Ambiguous {
        input: String,
        candidates: Vec<Candidate>,
    },
}

fn list(candidates: &[Candidate]) -> String {
    let ids: Vec<&str> = candidates.iter().map(|c| c.id.as_str()).collect();
    match ids.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => ids.join(""),
    }
}

/// One way of reading what was typed.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Want {
    /// A short id (`23`, `VII`, `annex-3.4.2`): `{doc}:{id}`.
    Id(String),
    /// A numbered paragraph.
    Paragraph(u32),
    /// A section; `roman` when typed as a Roman numeral (matches only sections numbered so).
    Section { value: u32, roman: bool },
    /// An annex by its number.
    Annex(u32),
    /// An annex by its word (`別添`).
    AnnexWord(String),
    /// A note by its number.
    Note(u32),
}

/// Annex words as ids write them (`annex-1`, `annex 1`), after the parser's.
const ANNEX_IDS: [&str; 2] = ["annex-", "annex"];

/// A whole string as a number: ASCII or full-width digits, or a Roman numeral in either
/// alphabet. Returns the value and whether it was a numeral.
fn whole_number(s: &str) -> Option<(u32, bool)> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    let ascii: String = s.chars().map(fullwidth_to_ascii).collect();
    if ascii.chars().all(|c| c.is_ascii_digit()) {
        return ascii.parse().ok().map(|v| (v, false));
    }
    let latin = normalise_label(&ascii);
    super::repair::roman_value(&latin).map(|v| (v, true))
}

fn wants(local: &str) -> Vec<Want> {
    let mut out = vec![Want::Id(normalise_label(local))];
    let s = local.trim();
    let t = s
        .trim_start_matches(['(', '（'])
        .trim_end_matches([')', '）']);
    if let Some((v, roman)) = whole_number(s) {
        if roman {
            out.push(Want::Section { value: v, roman });
        } else {
            out.push(Want::Paragraph(v));
        }
        return out;
    }
    let lower = t.to_lowercase();
    for w in super::ANNEX_WORDS.iter().chain(&ANNEX_IDS) {
        if let Some(rest) = lower.strip_prefix(w) {
            if let Some((v, _)) = whole_number(rest.trim_start_matches([' ', '-'])) {
                out.push(Want::Annex(v));
                return out;
            }
            if rest.is_empty() && super::ANNEX_WORDS.contains(w) {
                out.push(Want::AnnexWord((*w).to_string()));
                return out;
            }
        }
    }
    for w in ["脚注", "注", "note-", "note "] {
        if let Some(rest) = lower.strip_prefix(w)
            && let Some((v, false)) = whole_number(rest)
        {
            out.push(Want::Note(v));
            return out;
        }
    }
    let inner = |prefix: &str, suffixes: &[&str]| -> Option<&str> {
        let r = t.strip_prefix(prefix)?;
        suffixes.iter().find_map(|x| r.strip_suffix(x))
    };
    if let Some(n) = inner("第", &["項", "段落", "パラグラフ"])
        .or_else(|| inner("パラ", &[""]))
        .or_else(|| inner("¶", &[""]))
        && let Some((v, false)) = whole_number(n)
    {
        out.push(Want::Paragraph(v));
    }
    if let Some(n) = inner("第", &["章", "節", "セクション"]).or_else(|| inner("セクション", &[""]))
        && let Some((v, _)) = whole_number(n)
    {
        out.push(Want::Section {
            value: v,
            roman: false,
        });
    }
    out
}

fn label_number(label: Option<&str>) -> Option<(u32, bool)> {
    let l = label?;
    whole_number(l).filter(|_| !l.is_empty())
}

impl Corpus {
    /// Resolves what a user types after `:` or `--goto` (see the module docs for what is
    /// accepted and the rule for a short id in several documents); `prefer_doc` is the
    /// document on screen.
    ///
    /// # Errors
    /// [`GotoError::Empty`], [`GotoError::NoSuchId`], or [`GotoError::Ambiguous`] with the
    /// candidates in reading order.
    pub fn resolve(&self, input: &str, prefer_doc: usize) -> Result<Resolved, GotoError> {
        let input = input.trim();
        if input.is_empty() {
            return Err(GotoError::Empty);
        }
        let doc_named = |s: &str| {
            self.documents.iter().position(|d| d.id == s).or_else(|| {
                self.documents
                    .iter()
                    .position(|d| d.id.eq_ignore_ascii_case(s))
            })
        };
        if let Some(d) = doc_named(input) {
            return Ok(Resolved::Document(d));
        }
        if let Some(r) = self.find_id(input) {
            return Ok(Resolved::Node(r));
        }
        // A marker as the text prints it may end in a full stop or a colon (`23.`, `附属文書Ⅰ：`).
        let trimmed = input.trim_end_matches(['.', '．', ':', '：']).trim_end();
        if let Some(d) = doc_named(trimmed) {
            return Ok(Resolved::Document(d));
        }
        let (docs, local): (Vec<usize>, &str) = match trimmed.split_once([':', '：']) {
            Some((d, l)) => match doc_named(d.trim()) {
                Some(d) => (vec![d], l),
                None => return Err(GotoError::NoSuchId(input.to_string())),
            },
            None => ((0..self.documents.len()).collect(), trimmed),
        };
        let wants = wants(local);
        // Every node some reading finds, with the readings that found it.
        let mut found: Vec<(NodeRef, Vec<usize>)> = Vec::new();
        for &d in &docs {
            for (w, want) in wants.iter().enumerate() {
                for r in self.matching(d, want) {
                    match found.iter_mut().find(|(f, _)| *f == r) {
                        Some((_, ws)) => ws.push(w),
                        None => found.push((r, vec![w])),
                    }
                }
            }
        }
        found.sort_by_key(|(r, _)| *r);
        match found.len() {
            0 => Err(GotoError::NoSuchId(input.to_string())),
            1 => Ok(Resolved::Node(found[0].0)),
            _ => {
                let one_per_doc = found.windows(2).all(|w| w[0].0.doc != w[1].0.doc);
                let shared = (0..wants.len()).any(|w| found.iter().all(|(_, ws)| ws.contains(&w)));
                if one_per_doc && shared {
                    let pick = found
                        .iter()
                        .find(|(r, _)| r.doc == prefer_doc)
                        .unwrap_or(&found[0]);
                    Ok(Resolved::Node(pick.0))
                } else {
                    Err(GotoError::Ambiguous {
                        input: input.to_string(),
                        candidates: found
                            .iter()
                            .map(|(r, _)| Candidate {
                                id: self.node(*r).id.clone(),
                                to: Resolved::Node(*r),
                            })
                            .collect(),
                    })
                }
            }
        }
    }

    /// The nodes of document `d` that one reading of the input finds.
    fn matching(&self, d: usize, want: &Want) -> Vec<NodeRef> {
        let doc = &self.documents[d];
        let at = |node| NodeRef { doc: d, node };
        match want {
            Want::Id(local) => {
                let wanted = format!("{}:{local}", doc.id);
                doc.nodes
                    .iter()
                    .position(|n| n.id == wanted)
                    .or_else(|| {
                        doc.nodes
                            .iter()
                            .position(|n| n.id.eq_ignore_ascii_case(&wanted))
                    })
                    .map(at)
                    .into_iter()
                    .collect()
            }
            _ => doc
                .nodes
                .iter()
                .enumerate()
                .filter(|(_, n)| {
                    let num = label_number(n.label());
                    match want {
                        Want::Paragraph(v) => {
                            n.kind == NodeKind::Paragraph && num == Some((*v, false))
                        }
                        Want::Section { value, roman } => {
                            n.kind == NodeKind::Section
                                && num.is_some_and(|(x, r)| x == *value && (r || !roman))
                        }
                        Want::Annex(v) => {
                            n.kind == NodeKind::Annex && num.is_some_and(|(x, _)| x == *v)
                        }
                        Want::AnnexWord(w) => {
                            n.kind == NodeKind::Annex && n.label() == Some(w.as_str())
                        }
                        Want::Note(v) => {
                            n.kind == NodeKind::Note && n.label() == Some(format!("注{v}").as_str())
                        }
                        Want::Id(_) => false,
                    }
                })
                .map(|(i, _)| at(i))
                .collect(),
        }
    }

    /// The line the TUI shows under `:` as the reader types: where Enter will go
    /// (`→ g7:3 (G7内務・安全担当大臣コミュニケ) · also cri:3`), the candidates of an ambiguous
    /// entry (`annex-1 could be g7:annex-I or cri:annex-1: type one of them`), `no such id: …`,
    /// or a hint when nothing is typed. The input is quoted as typed: sanitise before drawing.
    #[must_use]
    pub fn goto_preview(&self, input: &str, prefer_doc: usize) -> String {
        match self.resolve(input, prefer_doc) {
            Ok(Resolved::Document(d)) => {
                let doc = &self.documents[d];
                format!("→ {} ({})", doc.id, doc.title)
            }
            Ok(Resolved::Node(r)) => {
                let doc = &self.documents[r.doc];
                let n = self.node(r);
                let mut line = format!("→ {} ({})", n.id, doc.title);
                if n.kind == NodeKind::Annex && n.children.is_empty() {
                    line.push_str(" · only its title is in this text");
                }
                // The same short id elsewhere: what `doc:` would reach instead.
                let others: Vec<String> = (0..self.documents.len())
                    .filter(|&d| d != r.doc && !input.contains([':', '：']))
                    .filter_map(|d| match self.resolve(input, d) {
                        Ok(Resolved::Node(o)) if o.doc == d => Some(self.node(o).id.clone()),
                        _ => None,
                    })
                    .collect();
                if !others.is_empty() {
                    let _ = write!(line, " · also {}", others.join(", "));
                }
                line
            }
            Err(e) => e.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn corpus() -> Corpus {
        crate::corpus::load_embedded()
    }

    fn goto(c: &Corpus, input: &str, prefer: usize) -> Result<String, GotoError> {
        c.resolve(input, prefer).map(|r| match r {
            Resolved::Document(d) => c.documents[d].id.clone(),
            Resolved::Node(n) => c.node(n).id.clone(),
        })
    }

    #[allow(clippy::unnecessary_wraps)] // the shape `resolve` is compared with
    fn ok(id: &str) -> Result<String, GotoError> {
        Ok(id.to_string())
    }

    #[test]
    fn japanese_labels() {
        let c = corpus();
        for (input, want) in [
            ("附属文書I", "g7:annex-I"),
            ("附属文書Ⅰ", "g7:annex-I"),
            ("附属文書１", "g7:annex-I"),
            ("附属文書Ⅱ", "g7:annex-II"),
            ("附属文書II", "g7:annex-II"),
            ("別添", "cri:annex"),
            ("注1", "cri:note-1"),
            ("（注2）", "cri:note-2"),
            ("脚注2", "cri:note-2"),
            ("note-1", "cri:note-1"),
            ("第23項", "g7:23"),
            ("パラ２３", "g7:23"),
            ("¶23", "g7:23"),
            ("第7章", "g7:VII"),
            ("セクションVII", "g7:VII"),
            ("g7:附属文書I", "g7:annex-I"),
            ("cri:注1", "cri:note-1"),
            ("附属文書Ⅰ：", "g7:annex-I"),
            ("23.", "g7:23"),
            ("２３．", "g7:23"),
        ] {
            assert_eq!(goto(&c, input, 1), ok(want), "{input}");
            assert_eq!(goto(&c, input, 0), ok(want), "{input}");
        }
    }

    #[test]
    fn ids_numbers_and_numerals() {
        let c = corpus();
        assert_eq!(goto(&c, "23", 0), ok("g7:23"));
        assert_eq!(goto(&c, "２３", 1), ok("g7:23"), "cri has no 23");
        assert_eq!(goto(&c, "3", 0), ok("g7:3"));
        assert_eq!(goto(&c, "3", 1), ok("cri:3"));
        assert_eq!(goto(&c, "Ⅶ", 1), ok("g7:VII"));
        assert_eq!(goto(&c, "vii", 1), ok("g7:VII"));
        assert_eq!(goto(&c, "g7:vii", 1), ok("g7:VII"));
        assert_eq!(
            goto(&c, "I", 1),
            ok("g7:I"),
            "a numeral is not the CRI's section 1"
        );
        assert_eq!(goto(&c, "cri", 0), ok("cri"));
        assert_eq!(goto(&c, "CRI", 0), ok("cri"));
        assert_eq!(goto(&c, "g7:", 1), ok("g7"));
        assert_eq!(goto(&c, "annex-I", 1), ok("g7:annex-I"));
        assert_eq!(goto(&c, "annex-3", 0), ok("cri:annex-3"));
        assert_eq!(goto(&c, "annex-3.4.2", 0), ok("cri:annex-3.4.2"));
        assert_eq!(goto(&c, "cri:annex-1", 0), ok("cri:annex-1"));
    }

    #[test]
    fn ambiguous_entries_list_their_candidates() {
        let c = corpus();
        for prefer in [0, 1] {
            let Err(GotoError::Ambiguous { candidates, .. }) = c.resolve("annex-1", prefer) else {
                panic!("annex-1 is ambiguous");
            };
            let ids: Vec<&str> = candidates.iter().map(|c| c.id.as_str()).collect();
            assert_eq!(ids, ["g7:annex-I", "cri:annex-1"]);
        }
        assert_eq!(
            c.resolve("annex-2", 1).map_err(|e| e.to_string()),
            Err("annex-2 could be g7:annex-II or cri:annex-2: type one of them".to_string())
        );
    }

    #[test]
    fn errors() {
        let c = corpus();
        assert_eq!(c.resolve("", 0), Err(GotoError::Empty));
        assert_eq!(c.resolve("  ", 0), Err(GotoError::Empty));
        assert_eq!(
            c.resolve("nope", 0),
            Err(GotoError::NoSuchId("nope".to_string()))
        );
        assert_eq!(
            c.resolve("附属文書Ⅲ", 0),
            Err(GotoError::NoSuchId("附属文書Ⅲ".to_string()))
        );
        assert_eq!(
            c.resolve("xx:3", 0),
            Err(GotoError::NoSuchId("xx:3".to_string()))
        );
        assert_eq!(
            c.resolve("99", 0).map_err(|e| e.to_string()),
            Err("no such id: 99".into())
        );
    }

    #[test]
    fn previews() {
        let c = corpus();
        assert_eq!(
            c.goto_preview("3", 0),
            "→ g7:3 (G7内務・安全担当大臣コミュニケ) · also cri:3"
        );
        assert_eq!(
            c.goto_preview("3", 1),
            "→ cri:3 (「カウンターランサムウェア・イニシアティブ会合」への参加) · also g7:3"
        );
        assert_eq!(
            c.goto_preview("g7:3", 1),
            "→ g7:3 (G7内務・安全担当大臣コミュニケ)"
        );
        assert_eq!(
            c.goto_preview("附属文書I", 1),
            "→ g7:annex-I (G7内務・安全担当大臣コミュニケ) · only its title is in this text"
        );
        assert_eq!(
            c.goto_preview("annex-1", 0),
            "annex-1 could be g7:annex-I or cri:annex-1: type one of them"
        );
        assert_eq!(c.goto_preview("nope", 0), "no such id: nope");
        assert_eq!(
            c.goto_preview("cri", 0),
            "→ cri (「カウンターランサムウェア・イニシアティブ会合」への参加)"
        );
    }
}
