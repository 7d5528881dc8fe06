//! The query language, a subset of fzf's: terms separated by spaces must all match; `'term`
//! matches only as a contiguous substring; `!term` excludes entries that contain the term.
//!
//! Each term is normalised like the text (see [`super::normalize`]). A term written in Latin
//! letters that reads as romaji also gets a kana form (`ransamu` → `らんさむ`); the term matches
//! when either form does. While a word is being typed its last syllable may be incomplete
//! (`ransam`): up to two trailing letters that do not yet make a kana are left off the kana
//! form. A kana form needs at least two kana: one (`ri` → `り`) would match almost everywhere,
//! and two Latin letters are more often an abbreviation than romaji.

use memchr::memmem::Finder;
use wana_kana::ConvertJapanese;

use super::normalize::Normalizer;

/// Queries are cut to this many characters: nobody types more, and it bounds the work.
pub const MAX_QUERY_CHARS: usize = 512;

/// How a term takes part in the match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TermKind {
    /// Must match, as a substring or scattered.
    Fuzzy,
    /// `'term`: must match as a substring.
    Exact,
    /// `!term`: must not occur as a substring.
    Exclude,
}

/// A set of characters, hashed into 256 bits: a cheap test that an entry cannot contain a
/// term (some character of the term is missing), before any text is scanned.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CharSet([u64; 4]);

impl CharSet {
    #[inline]
    fn bit(c: char) -> u32 {
        (c as u32).wrapping_mul(0x9E37_79B1) >> 24
    }

    #[inline]
    pub fn insert(&mut self, c: char) {
        let b = Self::bit(c);
        self.0[(b >> 6) as usize] |= 1 << (b & 63);
    }

    #[must_use]
    pub fn of(s: &str) -> Self {
        let mut set = Self::default();
        s.chars().for_each(|c| set.insert(c));
        set
    }

    /// Whether every character of `other` may be in `self` (false: certainly not).
    #[inline]
    #[must_use]
    pub fn may_contain(&self, other: &Self) -> bool {
        self.0.iter().zip(&other.0).all(|(a, b)| a & b == *b)
    }
}

/// One normalised spelling of a term.
#[derive(Debug, Clone)]
pub struct Form {
    /// The normalised text.
    pub text: String,
    pub chars: Vec<char>,
    /// Its characters.
    pub set: CharSet,
    pub(crate) finder: Finder<'static>,
}

impl Form {
    fn new(text: String) -> Self {
        let finder = Finder::new(text.as_bytes()).into_owned();
        let chars = text.chars().collect();
        Self {
            set: CharSet::of(&text),
            text,
            chars,
            finder,
        }
    }

    /// Whether the form occurs in `hay` as a substring.
    #[inline]
    #[must_use]
    pub fn occurs_in(&self, hay: &str) -> bool {
        self.finder.find(hay.as_bytes()).is_some()
    }
}

/// One term of a query.
#[derive(Debug, Clone)]
pub struct Term {
    pub kind: TermKind,
    /// The term as typed (without its `'` or `!`), for messages.
    pub raw: String,
    /// The literal form first, then the kana form when the term reads as romaji.
    pub forms: Vec<Form>,
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

    /// The forms that may occur in a text with these characters.
    pub fn candidates(&self, set: CharSet) -> impl Iterator<Item = &Form> {
        self.forms.iter().filter(move |f| set.may_contain(&f.set))
    }
}

/// A parsed query.
#[derive(Debug, Clone, Default)]
pub struct Query {
    pub terms: Vec<Term>,
}

impl Query {
    /// Parses a query. Terms that normalise to nothing (a lone `!` or `'`) are left out.
    #[must_use]
    pub fn parse(query: &str) -> Self {
        let mut normalizer = Normalizer::new();
        let cut: String = query.chars().take(MAX_QUERY_CHARS).collect();
        // Operators are read from what was typed, not from its NFKC form, so that a character
        // that merely decomposes into `!` (`‼`, `⁉`) is searched for, not taken as `!`.
        // Full-width forms of the operators and of the space work too (`！`, `＇`, U+3000).
        let terms = cut
            .split(|c: char| c.is_whitespace() || c.is_control())
            .filter(|t| !t.is_empty())
            .filter_map(|token| {
                let (kind, body) = if let Some(rest) = token.strip_prefix(['!', '！']) {
                    (
                        TermKind::Exclude,
                        rest.strip_prefix(['\'', '＇']).unwrap_or(rest),
                    )
                } else if let Some(rest) = token.strip_prefix(['\'', '＇']) {
                    (TermKind::Exact, rest)
                } else {
                    (TermKind::Fuzzy, token)
                };
                let literal = normalizer.normalize(body).text;
                if literal.is_empty() {
                    return None;
                }
                let mut forms = vec![Form::new(literal.clone())];
                if let Some(kana) = romaji_form(&literal) {
                    let kana = normalizer.normalize(&kana).text;
                    if !kana.is_empty() && kana != literal {
                        forms.push(Form::new(kana));
                    }
                }
                Some(Term {
                    kind,
                    raw: body.to_string(),
                    forms,
                })
            })
            .collect();
        Self { terms }
    }

    /// The terms that must match.
    pub fn positive(&self) -> impl Iterator<Item = &Term> {
        self.terms.iter().filter(|t| t.kind != TermKind::Exclude)
    }

    /// The terms that must not occur.
    pub fn negative(&self) -> impl Iterator<Item = &Term> {
        self.terms.iter().filter(|t| t.kind == TermKind::Exclude)
    }

    /// A query with no positive term matches nothing.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.positive().next().is_none()
    }
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
    use super::*;

    fn forms(q: &str) -> Vec<Vec<String>> {
        Query::parse(q)
            .terms
            .iter()
            .map(|t| t.forms.iter().map(|f| f.text.clone()).collect())
            .collect()
    }

    #[test]
    fn terms_and_kinds() {
        let q = Query::parse("ランサム 'G7  !ICC");
        let kinds: Vec<TermKind> = q.terms.iter().map(|t| t.kind).collect();
        assert_eq!(
            kinds,
            vec![TermKind::Fuzzy, TermKind::Exact, TermKind::Exclude]
        );
        assert_eq!(
            forms("ランサム 'G7  !ICC"),
            vec![vec!["らんさむ"], vec!["g7"], vec!["icc"]]
        );
        assert_eq!(forms("！ｉｃｃ　安全"), vec![vec!["icc"], vec!["安全"]]);
        assert_eq!(Query::parse("！ｉｃｃ").terms[0].kind, TermKind::Exclude);
        assert_eq!(Query::parse("!'icc").terms[0].kind, TermKind::Exclude);
    }

    #[test]
    fn empty_queries() {
        assert!(Query::parse("").is_empty());
        assert!(Query::parse("   \u{3000} ").is_empty());
        assert!(Query::parse("! ' !'").terms.is_empty());
        assert!(Query::parse("!icc").is_empty());
        assert!(Query::parse("\u{200B}").is_empty());
    }

    #[test]
    fn romaji_gets_a_kana_form() {
        assert_eq!(forms("ransamu"), vec![vec!["ransamu", "らんさむ"]]);
        assert_eq!(forms("RANSAMU"), vec![vec!["ransamu", "らんさむ"]]);
        assert_eq!(forms("ransam"), vec![vec!["ransam", "らんさ"]]);
        assert_eq!(forms("ra-men"), vec![vec!["ra-men", "らめん"]]);
        assert_eq!(forms("ICC"), vec![vec!["icc"]]);
        assert_eq!(forms("GIFCT"), vec![vec!["gifct"]]);
        assert_eq!(forms("G7"), vec![vec!["g7"]]);
        assert_eq!(forms("2023"), vec![vec!["2023"]]);
        assert_eq!(forms("ka"), vec![vec!["ka"]]);
        assert_eq!(forms("RI"), vec![vec!["ri"]]);
        assert_eq!(forms("kana"), vec![vec!["kana", "かな"]]);
    }
}
