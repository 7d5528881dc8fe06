//! How names and queries are compared: folded ([`fold`]), and the kana classes the rules for
//! a name's edges and a reading are made of (defined once, in [`crate::text::kana`]).

use unicode_normalization::UnicodeNormalization;

use crate::text::kana::kata_to_hira;

/// The form in which names and queries are compared: NFKC (full-width and half-width forms
/// alike), lower case, katakana as hiragana.
#[must_use]
pub fn fold(s: &str) -> String {
    s.nfkc()
        .flat_map(char::to_lowercase)
        .map(kata_to_hira)
        .collect()
}

pub(super) use crate::text::kana::{is_hiragana, is_katakana_like};
