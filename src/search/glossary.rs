//! English words and phrases to the Japanese terms these documents use (`data/glossary.tsv`,
//! embedded at build time): an English query also searches its Japanese terms.
//!
//! The file has a header line `en<TAB>ja`; each row an English term and one or more Japanese
//! terms separated by `|`. Blank lines and lines starting with `#` are skipped. English terms
//! are compared in lower case, with hyphens as spaces and runs of spaces as one
//! (`Crypto-assets` = `crypto assets`); a plural in `s` or `es` finds its singular.

use std::collections::HashMap;
use std::sync::OnceLock;

use thiserror::Error;

/// The glossary as shipped.
pub const GLOSSARY_TSV: &str = include_str!("../../data/glossary.tsv");

const FILE: &str = "glossary.tsv";

/// What is wrong with a glossary file: the file, the line (1-based) and the problem.
#[derive(Debug, Clone, Error, PartialEq, Eq)]
pub enum GlossaryError {
    #[error("{FILE}: the first line must be the header `en<TAB>ja`")]
    NoHeader,
    #[error("{FILE} line {line}: expected two columns (English, Japanese), found {found}")]
    Columns { line: usize, found: usize },
    #[error("{FILE} line {line}: an empty English or Japanese term")]
    Empty { line: usize },
    #[error("{FILE} line {line}: `{en}` is already on line {first}")]
    Duplicate {
        line: usize,
        first: usize,
        en: String,
    },
}

/// English terms to Japanese terms.
#[derive(Debug, Clone, Default)]
pub struct Glossary {
    map: HashMap<String, (usize, Vec<String>)>,
    /// The most words in one English term.
    longest: usize,
}

/// An English term as it is compared.
#[must_use]
pub fn key(en: &str) -> String {
    let lower: String = en
        .chars()
        .flat_map(char::to_lowercase)
        .map(|c| {
            if matches!(c, '-' | '_' | '‐' | '－') {
                ' '
            } else {
                c
            }
        })
        .collect();
    lower.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Glossary {
    /// The embedded glossary (empty if it were malformed; a test makes sure it is not).
    #[must_use]
    pub fn embedded() -> &'static Self {
        static GLOSSARY: OnceLock<Glossary> = OnceLock::new();
        GLOSSARY.get_or_init(|| Self::parse(GLOSSARY_TSV).unwrap_or_default())
    }

    /// Parses the file's text.
    ///
    /// # Errors
    /// A missing header, a row without exactly two columns, an empty term, an English term
    /// given twice.
    pub fn parse(tsv: &str) -> Result<Self, GlossaryError> {
        let mut lines = tsv.lines().enumerate();
        let header = lines.next().map(|(_, l)| l.trim_end_matches('\r'));
        if header != Some("en\tja") {
            return Err(GlossaryError::NoHeader);
        }
        let mut g = Self::default();
        for (i, line) in lines {
            let line_no = i + 1;
            let line = line.trim_end_matches('\r');
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let cols: Vec<&str> = line.split('\t').collect();
            if cols.len() != 2 {
                return Err(GlossaryError::Columns {
                    line: line_no,
                    found: cols.len(),
                });
            }
            let en = key(cols[0]);
            let ja: Vec<String> = cols[1]
                .split('|')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect();
            if en.is_empty() || ja.is_empty() {
                return Err(GlossaryError::Empty { line: line_no });
            }
            if let Some((first, _)) = g.map.get(&en) {
                return Err(GlossaryError::Duplicate {
                    line: line_no,
                    first: *first,
                    en,
                });
            }
            g.longest = g.longest.max(en.split(' ').count());
            g.map.insert(en, (line_no, ja));
        }
        Ok(g)
    }

    /// The Japanese terms for an English word or phrase, if the glossary has it.
    #[must_use]
    pub fn lookup(&self, en: &str) -> Option<&[String]> {
        let k = key(en);
        if k.is_empty() || !k.is_ascii() {
            return None;
        }
        let get = |k: &str| self.map.get(k).map(|(_, ja)| ja.as_slice());
        get(&k)
            .or_else(|| k.strip_suffix("es").and_then(get))
            .or_else(|| k.strip_suffix('s').and_then(get))
    }

    /// The English terms one edit away from `en` (a typing slip: `interpoll`, `ransomwre`), with
    /// their Japanese; only for words of at least four letters. Empty when `en` itself is known.
    #[must_use]
    pub fn near(&self, en: &str) -> Vec<(&str, &[String])> {
        let k = key(en);
        if k.chars().count() < 4 || !k.is_ascii() || self.lookup(&k).is_some() {
            return Vec::new();
        }
        let want: Vec<char> = k.chars().collect();
        let mut out: Vec<(&str, &[String])> = self
            .map
            .iter()
            .filter(|(g, _)| {
                let g: Vec<char> = g.chars().collect();
                super::near::within_one(&want, &g)
            })
            .map(|(g, (_, ja))| (g.as_str(), ja.as_slice()))
            .collect();
        out.sort_unstable_by_key(|(g, _)| *g);
        out
    }

    /// The most words in one English term.
    #[must_use]
    pub fn longest_phrase(&self) -> usize {
        self.longest
    }

    /// The number of English terms.
    #[must_use]
    pub fn len(&self) -> usize {
        self.map.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Every row: English term (as compared), Japanese terms.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &[String])> {
        self.map
            .iter()
            .map(|(k, (_, ja))| (k.as_str(), ja.as_slice()))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_embedded_glossary_parses_and_is_large() {
        let g = Glossary::parse(GLOSSARY_TSV).unwrap();
        assert!(g.len() >= 150, "{}", g.len());
        assert_eq!(g.lookup("ransomware").unwrap(), ["ランサムウェア"]);
        assert!(g.lookup("Ransomware").is_some());
        assert!(
            g.lookup("INTERPOL")
                .unwrap()
                .contains(&"国際刑事警察機構".to_string())
        );
        assert!(g.lookup("crypto assets").is_some());
        assert!(g.lookup("crypto-assets").is_some());
    }

    #[test]
    fn plurals_find_singulars() {
        let g = Glossary::parse("en\tja\nchild\t児童\nbox\t箱\n").unwrap();
        assert_eq!(g.lookup("childs").unwrap(), ["児童"]);
        assert_eq!(g.lookup("boxes").unwrap(), ["箱"]);
        assert!(g.lookup("児童").is_none());
    }

    #[test]
    fn bad_files_say_where() {
        assert_eq!(
            Glossary::parse("x\ty\n").unwrap_err(),
            GlossaryError::NoHeader
        );
        assert_eq!(
            Glossary::parse("en\tja\na\n").unwrap_err(),
            GlossaryError::Columns { line: 2, found: 1 }
        );
        assert_eq!(
            Glossary::parse("en\tja\na\t\n").unwrap_err(),
            GlossaryError::Empty { line: 2 }
        );
        assert_eq!(
            Glossary::parse("en\tja\n# c\nA\tx\na\ty\n")
                .unwrap_err()
                .to_string(),
            "glossary.tsv line 4: `a` is already on line 3"
        );
    }

    proptest::proptest! {
        /// A bad glossary file is an error naming the line, never a panic.
        #[test]
        fn parse_never_panics(body in "\\PC{0,60}|[a-zA-Z \t|\nア#-]{0,80}") {
            let _ = Glossary::parse(&body);
            if let Ok(g) = Glossary::parse(&format!("en\tja\n{body}")) {
                for (en, ja) in g.iter() {
                    proptest::prop_assert!(!en.is_empty() && !ja.is_empty());
                }
            }
        }
    }
}
