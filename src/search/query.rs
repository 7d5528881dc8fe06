//! The query language: fzf's extended-search syntax, all of it, with the meaning `fzf --filter`
//! gives it (fzf's `src/pattern.go`, `parseTerms`):
//!
//! | token | matches entries that |
//! | --- | --- |
//! | `sbtrkt` | match `sbtrkt` as a substring or scattered (fuzzy) |
//! | `'wild` | contain `wild` |
//! | `^music` | start with `music` |
//! | `.mp3$` | end with `.mp3` |
//! | `^word$` | are exactly `word` |
//! | `!fire` | do not contain `fire` |
//! | `!^music` / `!.mp3$` | do not start / end with it |
//! | `!'fire` | do not match `fire` fuzzily |
//! | `a b` | match both (AND) |
//! | `a \| b` | match either (OR binds tighter than AND: `^core go$ \| rb$` is `^core` AND (`go$` OR `rb$`)) |
//!
//! As in fzf, `'x$` is an exact term (the `'` wins over the `$`), `\ ` is a space inside a term,
//! a `|` at the start of a query or right after another `|` is a term of its own, and an
//! operator with nothing after it (`^`, `!`, `'`) is no term. A query of inverse terms only lists
//! every entry they do not exclude.
//!
//! Every term is normalised like the text ([`super::normalize`]), so prefixes and suffixes are
//! relative to the entry's normalised text: one line per entry, as fzf sees it. On top of fzf:
//!
//! - A term in Latin letters that reads as romaji also gets a kana form (`ransamu` → `らんさむ`);
//!   while a word is typed its last syllable may be incomplete (`ransam`). A kana form needs at
//!   least two kana (`ri` → `り` would match everywhere).
//! - **Acronyms stay acronyms**: a word of one to three Latin letters, or in capitals (`AI`,
//!   `GIFCT`, `G7`), gets no romaji reading; in capitals it matches only at word boundaries of
//!   the normalised text (`AI` is not inside `Spain`). Single letters or digits separated by
//!   spaces close up first (`I C C` → `ICC`), as they do in the text.
//! - **English reaches the Japanese text**: a word or phrase found in the glossary
//!   (`data/glossary.tsv`) also matches its Japanese terms (`ransomware` → `ランサムウェア`).
//!
//! What kaigi cannot honour is a [`QueryError`], never a silent empty list.

use std::fmt;

use memchr::memmem::Finder;
use wana_kana::ConvertJapanese;

use super::glossary::Glossary;
use super::normalize::Normalizer;

/// Queries are cut to this many characters: nobody types more, and it bounds the work.
pub const MAX_QUERY_CHARS: usize = 512;

/// How a term is compared with an entry's normalised text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchType {
    /// A substring, or scattered within a bounded window.
    Fuzzy,
    /// `'term`, and every inverse term but `!'term`: a substring.
    Exact,
    /// `^term`: the text starts with it.
    Prefix,
    /// `term$`: the text ends with it.
    Suffix,
    /// `^term$`: the text is it.
    Equal,
}

/// A query kaigi cannot run as typed. The message says why, in one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueryError {
    /// A term with nothing left to look for once normalised (`ー`, an invisible character).
    NothingToFind(String),
    /// Only operators (`^`, `!`, `'`, `|`, `$`) and no text.
    OnlyOperators(String),
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NothingToFind(t) => write!(
                f,
                "“{t}” has nothing to search for: kaigi ignores the long vowel mark ー, spaces and invisible characters"
            ),
            Self::OnlyOperators(q) => write!(
                f,
                "“{q}” is only operators: put text after ^ ' ! or before $"
            ),
        }
    }
}

impl std::error::Error for QueryError {}

/// Where a form of a term comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// The term as typed, normalised.
    Literal,
    /// Its kana reading (the term was romaji).
    Kana,
    /// A Japanese term the glossary gives for it (the Japanese as the glossary writes it).
    Glossary(String),
}

/// One normalised spelling of a term.
#[derive(Debug, Clone)]
pub struct Form {
    /// The normalised text.
    pub text: String,
    /// Its characters.
    pub chars: Vec<char>,
    pub source: Source,
    /// Matches only where neither neighbour is a Latin letter or digit (an acronym).
    pub bounded: bool,
    pub(crate) finder: Finder<'static>,
    /// Some proper prefix of the text is also its suffix (`ああ`, `abab`): occurrences may
    /// overlap.
    overlaps: bool,
    /// A searcher for its first character (where a scattered match may start).
    pub(crate) first: Finder<'static>,
    /// For the typo fallback: where the form occurs with one edit.
    pub(crate) typo: super::near::Pattern,
}

impl Form {
    fn new(text: String, source: Source, bounded: bool) -> Self {
        let finder = Finder::new(text.as_bytes()).into_owned();
        let chars: Vec<char> = text.chars().collect();
        let mut first = [0u8; 4];
        let first: &[u8] = chars
            .first()
            .map_or(&[], |c| c.encode_utf8(&mut first).as_bytes());
        let overlaps = text
            .char_indices()
            .skip(1)
            .any(|(b, _)| text.starts_with(&text[b..]));
        Self {
            overlaps,
            first: Finder::new(first).into_owned(),
            typo: super::near::Pattern::new(&chars),
            text,
            chars,
            source,
            bounded,
            finder,
        }
    }

    /// Byte offsets where the form occurs in `hay` (overlapping occurrences included), at word
    /// boundaries when it is bounded.
    pub fn find_iter<'a>(&'a self, hay: &'a str) -> impl Iterator<Item = usize> + 'a {
        let step = self.chars.first().map_or(1, |c| c.len_utf8());
        let mut at = 0;
        std::iter::from_fn(move || {
            loop {
                let found = hay.get(at..).and_then(|h| self.finder.find(h.as_bytes()))?;
                let s = at + found;
                at = s + step;
                if !self.bounded || at_boundary(hay, s, s + self.text.len()) {
                    return Some(s);
                }
            }
        })
    }

    /// How many times the form occurs in `hay`: `find_iter(hay).count()`, with one search
    /// over the text when occurrences cannot overlap.
    #[must_use]
    pub fn count_in(&self, hay: &str) -> usize {
        if self.bounded || self.overlaps {
            self.find_iter(hay).count()
        } else {
            self.finder.find_iter(hay.as_bytes()).count()
        }
    }

    /// Whether [`Self::count_in`] is a plain count of non-overlapping occurrences, which a
    /// scan of many entries' texts at once can make (see `piece::Piece::count_each`).
    #[must_use]
    pub fn counts_plainly(&self) -> bool {
        !self.bounded && !self.overlaps && !self.text.is_empty()
    }

    /// Whether the form occurs in `hay` as a substring (at word boundaries when bounded).
    #[inline]
    #[must_use]
    pub fn occurs_in(&self, hay: &str) -> bool {
        if self.bounded {
            self.find_iter(hay).next().is_some()
        } else {
            self.finder.find(hay.as_bytes()).is_some()
        }
    }

    /// Whether `hay` starts (`prefix`), ends (`suffix`) or both with the form.
    #[must_use]
    pub fn anchored_in(&self, hay: &str, prefix: bool, suffix: bool) -> bool {
        let n = self.text.len();
        match (prefix, suffix) {
            (true, true) => hay == self.text,
            (true, false) => {
                hay.starts_with(&self.text) && (!self.bounded || at_boundary(hay, 0, n))
            }
            (false, true) => {
                hay.ends_with(&self.text)
                    && (!self.bounded || at_boundary(hay, hay.len() - n, hay.len()))
            }
            (false, false) => self.occurs_in(hay),
        }
    }
}

/// Whether `hay[s..e]` has no Latin letter or digit just before or just after it.
fn at_boundary(hay: &str, s: usize, e: usize) -> bool {
    let before = hay[..s].chars().next_back();
    let after = hay[e..].chars().next();
    !before.is_some_and(|c| c.is_ascii_alphanumeric())
        && !after.is_some_and(|c| c.is_ascii_alphanumeric())
}

/// One term of a query.
#[derive(Debug, Clone)]
pub struct Term {
    pub kind: MatchType,
    /// `!`: the entry must not match.
    pub inverse: bool,
    /// The term as typed (without its operators), for messages.
    pub raw: String,
    /// The literal form first, then the kana form when the term reads as romaji, then the
    /// glossary's Japanese terms.
    pub forms: Vec<Form>,
    /// Matched as Latin letters only (see the module documentation).
    pub acronym: bool,
    /// For the typo fallback only: the Japanese of glossary terms one edit away from an English
    /// word (`interpoll` → `interpol` → `国際刑事警察機構`).
    pub near: Vec<Form>,
}

impl Term {
    /// Number of characters of the literal form (the basis of the term's score).
    #[must_use]
    pub fn len(&self) -> usize {
        self.forms.first().map_or(0, |f| f.chars.len())
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether any form occurs in `hay` as a substring.
    #[inline]
    #[must_use]
    pub fn occurs_in(&self, hay: &str) -> bool {
        self.forms.iter().any(|f| f.occurs_in(hay))
    }

    /// Whether the term may scatter: fuzzy, positive, and not an acronym.
    #[must_use]
    pub fn scatters(&self) -> bool {
        self.kind == MatchType::Fuzzy && !self.acronym
    }

    /// The glossary pairs this term brought in, `ransomware → ランサムウェア`.
    pub fn glossary(&self) -> impl Iterator<Item = &str> {
        self.forms.iter().filter_map(|f| match &f.source {
            Source::Glossary(ja) => Some(ja.as_str()),
            _ => None,
        })
    }
}

/// A parsed query: every group must match; a group matches when one of its terms does.
#[derive(Debug, Clone, Default)]
pub struct Query {
    pub groups: Vec<Vec<Term>>,
    /// The query as typed (cut to [`MAX_QUERY_CHARS`], trimmed).
    pub raw: String,
}

/// A token of the query, before normalisation.
struct Token {
    kind: MatchType,
    inverse: bool,
    body: String,
}

impl Query {
    /// Parses a query with the embedded glossary.
    ///
    /// # Errors
    /// See [`QueryError`].
    pub fn parse(query: &str) -> Result<Self, QueryError> {
        Self::parse_with(query, Glossary::embedded())
    }

    /// Parses a query, reading English words and phrases in `glossary`.
    ///
    /// # Errors
    /// See [`QueryError`].
    pub fn parse_with(query: &str, glossary: &Glossary) -> Result<Self, QueryError> {
        let cut: String = query.chars().take(MAX_QUERY_CHARS).collect();
        let words = close_up_singles(&split_words(&cut));
        // fzf's parseTerms: `|` joins the terms either side into one group.
        let mut groups: Vec<Vec<Token>> = Vec::new();
        let mut bar = false;
        for word in words {
            if word == "|" && !bar && groups.last().is_some_and(|g| !g.is_empty()) {
                bar = true;
                continue;
            }
            let joins = bar;
            bar = false;
            let Some(token) = read_token(&word) else {
                // No term: a `|` before it still joins the next one (as in fzf).
                bar = joins;
                continue;
            };
            match groups.last_mut() {
                Some(g) if joins => g.push(token),
                _ => groups.push(vec![token]),
            }
        }
        if groups.is_empty() {
            return if cut.trim().is_empty() {
                Ok(Self::default())
            } else {
                Err(QueryError::OnlyOperators(cut.trim().to_string()))
            };
        }
        let mut normalizer = Normalizer::new();
        let mut out: Vec<Vec<Term>> = Vec::new();
        let mut empty: Option<QueryError> = None;
        let mut i = 0;
        while i < groups.len() {
            // An English phrase over several plain words (`lawful access`): the longest that
            // the glossary knows becomes one term.
            if let Some((n, phrase)) = glossary_phrase(&groups[i..], glossary) {
                let term = make_term(&mut normalizer, glossary, MatchType::Fuzzy, false, &phrase)?;
                out.push(vec![term]);
                i += n;
                continue;
            }
            let mut group = Vec::new();
            let mut matches_all = false;
            for t in &groups[i] {
                match make_term(&mut normalizer, glossary, t.kind, t.inverse, &t.body) {
                    Ok(term) => group.push(term),
                    // Nothing left once normalised (`ー`): the term asks for nothing, so it
                    // matches every entry (an inverse one is no term, as in fzf). Only a query
                    // of nothing else is an error.
                    Err(e) => {
                        matches_all |= !t.inverse;
                        empty.get_or_insert(e);
                    }
                }
            }
            if matches_all || group.is_empty() {
                i += 1;
                continue;
            }
            out.push(group);
            i += 1;
        }
        match empty {
            Some(e) if out.is_empty() => Err(e),
            _ => Ok(Self {
                groups: out,
                raw: cut.trim().to_string(),
            }),
        }
    }

    /// Every term.
    pub fn terms(&self) -> impl Iterator<Item = &Term> {
        self.groups.iter().flatten()
    }

    /// The terms that must match (not inverse).
    pub fn positive(&self) -> impl Iterator<Item = &Term> {
        self.terms().filter(|t| !t.inverse)
    }

    /// Whether every term is a plain word (no operator, no `|`): the query may be a label.
    #[must_use]
    pub fn is_plain(&self) -> bool {
        self.groups
            .iter()
            .all(|g| matches!(g.as_slice(), [t] if !t.inverse && t.kind == MatchType::Fuzzy))
    }

    /// Nothing to look for: a blank query.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// Whether some group has no positive term (it can only exclude).
    #[must_use]
    pub fn only_inverse(&self) -> bool {
        self.groups.iter().all(|g| g.iter().all(|t| t.inverse))
    }
}

/// Splits on runs of spaces (any whitespace or control character, the ideographic space
/// included), `\ ` being a space inside a word.
fn split_words(q: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut chars = q.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' && chars.peek() == Some(&' ') {
            cur.push(' ');
            chars.next();
        } else if c.is_whitespace() || c.is_control() {
            if !cur.is_empty() {
                words.push(std::mem::take(&mut cur));
            }
        } else {
            cur.push(c);
        }
    }
    if !cur.is_empty() {
        words.push(cur);
    }
    words
}

/// Closes up runs of single Latin letters or digits (`I C C` → `ICC`), as the text's spaced-out
/// acronyms are closed up. A word of more than one character ends a run.
fn close_up_singles(words: &[String]) -> Vec<String> {
    let single = |w: &str| {
        let mut it = w.chars();
        matches!((it.next(), it.next()), (Some(c), None) if c.is_ascii_alphanumeric())
    };
    let mut out: Vec<String> = Vec::new();
    let mut run = false;
    for w in words {
        if single(w) {
            if run && let Some(last) = out.last_mut() {
                last.push_str(w);
                continue;
            }
            run = true;
        } else {
            run = false;
        }
        out.push(w.clone());
    }
    out
}

/// One word as fzf reads it: operators, then the text. `None` when nothing is left.
fn read_token(word: &str) -> Option<Token> {
    let mut text = word;
    let mut kind = MatchType::Fuzzy;
    let mut inverse = false;
    if let Some(rest) = text.strip_prefix(['!', '！']) {
        inverse = true;
        kind = MatchType::Exact;
        text = rest;
    }
    if text != "$"
        && text != "＄"
        && let Some(rest) = text.strip_suffix(['$', '＄'])
    {
        kind = MatchType::Suffix;
        text = rest;
    }
    if let Some(rest) = text.strip_prefix(['\'', '＇']) {
        kind = if inverse {
            MatchType::Fuzzy
        } else {
            MatchType::Exact
        };
        text = rest;
    } else if let Some(rest) = text.strip_prefix(['^', '＾']) {
        kind = if kind == MatchType::Suffix {
            MatchType::Equal
        } else {
            MatchType::Prefix
        };
        text = rest;
    }
    (!text.is_empty()).then(|| Token {
        kind,
        inverse,
        body: text.to_string(),
    })
}

/// The longest run of plain words at the start of `groups` (at least two) that the glossary
/// knows as one phrase.
fn glossary_phrase(groups: &[Vec<Token>], glossary: &Glossary) -> Option<(usize, String)> {
    let plain: Vec<&str> = groups
        .iter()
        .take_while(|g| g.len() == 1 && g[0].kind == MatchType::Fuzzy && !g[0].inverse)
        .map(|g| g[0].body.as_str())
        .take(glossary.longest_phrase())
        .collect();
    (2..=plain.len()).rev().find_map(|n| {
        let phrase = plain[..n].join(" ");
        glossary.lookup(&phrase).is_some().then_some((n, phrase))
    })
}

/// Whether a word as typed is an acronym: one to three Latin letters (digits allowed), or
/// Latin letters in capitals.
fn is_acronym(raw: &str) -> bool {
    let latin = raw
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || is_fullwidth_alnum(c));
    let letters: Vec<char> = raw.chars().filter(|c| c.is_alphabetic()).collect();
    if !latin || letters.is_empty() {
        return false;
    }
    letters.len() <= 3 || letters.iter().all(|c| c.is_uppercase())
}

fn is_fullwidth_alnum(c: char) -> bool {
    matches!(c, 'Ａ'..='Ｚ' | 'ａ'..='ｚ' | '０'..='９')
}

/// Whether a word as typed is in capitals (two letters at least: `I` alone is a pronoun).
fn in_capitals(raw: &str) -> bool {
    let letters: Vec<char> = raw.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase())
}

fn make_term(
    normalizer: &mut Normalizer,
    glossary: &Glossary,
    kind: MatchType,
    inverse: bool,
    body: &str,
) -> Result<Term, QueryError> {
    let literal = normalizer.normalize(body).text;
    if literal.is_empty() {
        return Err(QueryError::NothingToFind(body.to_string()));
    }
    let acronym = is_acronym(body);
    let bounded = acronym && in_capitals(body);
    let mut forms = vec![Form::new(literal.clone(), Source::Literal, bounded)];
    if !acronym && let Some(kana) = romaji_form(&literal) {
        let kana = normalizer.normalize(&kana).text;
        if !kana.is_empty() && kana != literal {
            forms.push(Form::new(kana, Source::Kana, false));
        }
    }
    if let Some(ja) = glossary.lookup(body) {
        for j in ja {
            let text = normalizer.normalize(j).text;
            if !text.is_empty() && forms.iter().all(|f| f.text != text) {
                forms.push(Form::new(text, Source::Glossary(j.clone()), false));
            }
        }
    }
    let mut near = Vec::new();
    if forms
        .iter()
        .all(|f| !matches!(f.source, Source::Glossary(_)))
    {
        for (_, ja) in glossary.near(body) {
            for j in ja {
                let text = normalizer.normalize(j).text;
                if !text.is_empty() && near.iter().all(|f: &Form| f.text != text) {
                    near.push(Form::new(text, Source::Glossary(j.clone()), false));
                }
            }
        }
    }
    Ok(Term {
        kind,
        inverse,
        raw: body.to_string(),
        forms,
        acronym,
        near,
    })
}

/// The hiragana reading of a normalised term written in romaji, if it has one.
#[must_use]
pub fn romaji_form(term: &str) -> Option<String> {
    let romaji_chars = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '\'';
    if !term.chars().all(romaji_chars) || !term.chars().any(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let kana = term.to_hiragana();
    // Trailing letters that are not a kana yet: an incomplete last syllable.
    let complete = kana.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let dangling = kana.len() - complete.len();
    if complete.chars().any(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let kana_count = complete
        .chars()
        .filter(|&c| crate::text::kana::is_hiragana(c) || crate::text::kana::is_katakana_like(c))
        .count();
    // One kana (`ri` → `り`, `ka` → `か`) would match everywhere: two at least.
    let ok = kana_count >= 2 && dangling <= 2;
    ok.then(|| complete.to_string())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn parse(q: &str) -> Query {
        Query::parse_with(q, &Glossary::default()).unwrap()
    }

    fn forms(q: &str) -> Vec<Vec<String>> {
        parse(q)
            .terms()
            .map(|t| t.forms.iter().map(|f| f.text.clone()).collect())
            .collect()
    }

    fn kinds(q: &str) -> Vec<Vec<(MatchType, bool, String)>> {
        parse(q)
            .groups
            .iter()
            .map(|g| {
                g.iter()
                    .map(|t| (t.kind, t.inverse, t.forms[0].text.clone()))
                    .collect()
            })
            .collect()
    }

    use MatchType::{Equal, Exact, Fuzzy, Prefix, Suffix};

    #[test]
    fn every_fzf_term_type() {
        // fzf's own TestParseTermsExtended query.
        let got =
            kinds("aaa 'bbb ^ccc ddd$ !eee !'fff !^ggg !hhh$ | ^iii$ ^xxx | 'yyy | zzz$ | !ZZZ |");
        let want: Vec<Vec<(MatchType, bool, String)>> = vec![
            vec![(Fuzzy, false, "aaa".into())],
            vec![(Exact, false, "bbb".into())],
            vec![(Prefix, false, "ccc".into())],
            vec![(Suffix, false, "ddd".into())],
            vec![(Exact, true, "eee".into())],
            vec![(Fuzzy, true, "fff".into())],
            vec![(Prefix, true, "ggg".into())],
            vec![(Suffix, true, "hhh".into()), (Equal, false, "iii".into())],
            vec![
                (Prefix, false, "xxx".into()),
                (Exact, false, "yyy".into()),
                (Suffix, false, "zzz".into()),
                (Exact, true, "zzz".into()),
            ],
        ];
        assert_eq!(got, want);
    }

    #[test]
    fn fzf_corner_cases() {
        // `'x$` is exact: the quote wins.
        assert_eq!(kinds("'abc$"), vec![vec![(Exact, false, "abc".into())]]);
        // A lone `$` is a term; a leading `|` is a term; `| |` makes the second one a term.
        assert_eq!(kinds("$"), vec![vec![(Fuzzy, false, "$".into())]]);
        assert_eq!(kinds("| abc").len(), 2);
        assert_eq!(
            kinds("abc | | def"),
            vec![
                vec![(Fuzzy, false, "abc".into()), (Fuzzy, false, "|".into())],
                vec![(Fuzzy, false, "def".into())]
            ]
        );
        // An escaped space is part of the term.
        assert_eq!(
            kinds("'a\\ cat"),
            vec![vec![(Exact, false, "a cat".into())]]
        );
        // Dangling operators are no term; only operators is an error.
        assert_eq!(kinds("abc ^ ! '"), vec![vec![(Fuzzy, false, "abc".into())]]);
        assert!(matches!(
            Query::parse_with("^ !", &Glossary::default()),
            Err(QueryError::OnlyOperators(_))
        ));
        assert!(matches!(
            Query::parse_with("ー", &Glossary::default()),
            Err(QueryError::NothingToFind(_))
        ));
        assert!(parse("   ").is_empty());
        // Full-width operators work too.
        assert_eq!(kinds("！ｉｃｃ"), vec![vec![(Exact, true, "icc".into())]]);
        assert_eq!(
            kinds("＾我々は"),
            vec![vec![(Prefix, false, "我々は".into())]]
        );
    }

    #[test]
    fn spaced_singles_close_up() {
        assert_eq!(forms("I C C"), vec![vec!["icc"]]);
        assert_eq!(forms("G 7 安全"), vec![vec!["g7"], vec!["安全"]]);
        assert_eq!(forms("ICC 2023"), vec![vec!["icc"], vec!["2023"]]);
        assert!(parse("I C C").terms().next().unwrap().forms[0].bounded);
    }

    #[test]
    fn acronyms_get_no_romaji_and_capitals_are_bounded() {
        let q = parse("AI");
        let t = q.terms().next().unwrap();
        assert!(t.acronym && t.forms.len() == 1 && t.forms[0].bounded);
        let q = parse("ai");
        let t = q.terms().next().unwrap();
        assert!(t.acronym && t.forms.len() == 1 && !t.forms[0].bounded);
        assert!(!parse("kana").terms().next().unwrap().acronym);
        assert!(parse("GIFCT").terms().next().unwrap().forms[0].bounded);
        assert!(parse("Ｇ７").terms().next().unwrap().acronym);
        let f = Form::new("ai".into(), Source::Literal, true);
        assert!(!f.occurs_in("spain"));
        assert!(f.occurs_in("(ai)を"));
        assert!(f.occurs_in("ai"));
        assert!(!f.occurs_in("aim"));
        assert_eq!(f.find_iter("ai spain ai").collect::<Vec<_>>(), vec![0, 9]);
    }

    proptest::proptest! {
        /// Counting with one search is counting every occurrence, overlapping ones included.
        #[test]
        fn count_in_counts_every_occurrence(hay in "[abあ]{0,30}", needle in "[abあ]{1,4}") {
            let f = Form::new(needle, Source::Literal, false);
            proptest::prop_assert_eq!(f.count_in(&hay), f.find_iter(&hay).count());
        }
    }

    #[test]
    fn romaji_gets_a_kana_form() {
        assert_eq!(forms("ransamu"), vec![vec!["ransamu", "らんさむ"]]);
        assert_eq!(forms("RANSAMU"), vec![vec!["ransamu"]]);
        assert_eq!(forms("ransam"), vec![vec!["ransam", "らんさ"]]);
        assert_eq!(forms("ra-men"), vec![vec!["ra-men", "らめん"]]);
        assert_eq!(forms("ICC"), vec![vec!["icc"]]);
        assert_eq!(forms("GIFCT"), vec![vec!["gifct"]]);
        assert_eq!(forms("G7"), vec![vec!["g7"]]);
        assert_eq!(forms("2023"), vec![vec!["2023"]]);
        assert_eq!(forms("ka"), vec![vec!["ka"]]);
        assert_eq!(forms("kana"), vec![vec!["kana", "かな"]]);
    }

    #[test]
    fn glossary_words_and_phrases() {
        let g = Glossary::parse("en\tja\nransomware\tランサムウェア\nlawful access\t合法的なアクセス\nJapan\t日本|我が国\n").unwrap();
        let q = Query::parse_with("ransomware", &g).unwrap();
        let t = q.terms().next().unwrap();
        assert_eq!(t.glossary().collect::<Vec<_>>(), vec!["ランサムウェア"]);
        let q = Query::parse_with("lawful access", &g).unwrap();
        assert_eq!(q.groups.len(), 1);
        assert_eq!(q.terms().next().unwrap().raw, "lawful access");
        let q = Query::parse_with("japan lawful", &g).unwrap();
        assert_eq!(q.groups.len(), 2);
        assert_eq!(q.terms().next().unwrap().glossary().count(), 2);
    }

    proptest::proptest! {
        /// Any query parses or is a one-line error; no term is ever empty.
        #[test]
        fn parse_never_panics(q in "\\PC{0,40}|[!'^$|\\\\ a-zA-Z0-9ーアｱ　！＾＄]{0,24}") {
            match Query::parse(&q) {
                Ok(query) => {
                    for t in query.terms() {
                        proptest::prop_assert!(!t.forms.is_empty() && !t.forms[0].text.is_empty());
                    }
                }
                Err(e) => proptest::prop_assert!(!e.to_string().contains('\n')),
            }
        }
    }
}
