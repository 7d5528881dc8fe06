//! The text encoding of a file: found by its byte order mark, then by strict UTF-8, then by
//! the Japanese encoding that decodes the whole file without an error (CP932 first, as w3m and
//! nkf guess), or forced with `--encoding`. Decoding is `encoding_rs`'s (the decoder Firefox
//! uses), never a table of our own.

use std::borrow::Cow;

/// An encoding kaigi reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Encoding {
    #[serde(rename = "utf-8")]
    Utf8,
    /// `Shift_JIS` as Windows writes it (CP932, with the NEC and IBM extensions), which is what
    /// the WHATWG `Shift_JIS` decoder reads.
    #[serde(rename = "shift_jis")]
    ShiftJis,
    #[serde(rename = "euc-jp")]
    EucJp,
    #[serde(rename = "utf-16le")]
    Utf16Le,
    #[serde(rename = "utf-16be")]
    Utf16Be,
}

impl Encoding {
    /// Every encoding, as `--encoding` lists them.
    pub const ALL: [Encoding; 5] = [
        Encoding::Utf8,
        Encoding::ShiftJis,
        Encoding::EucJp,
        Encoding::Utf16Le,
        Encoding::Utf16Be,
    ];

    /// The name `--encoding` and the config file take.
    #[must_use]
    pub fn arg_name(self) -> &'static str {
        match self {
            Self::Utf8 => "utf-8",
            Self::ShiftJis => "shift_jis",
            Self::EucJp => "euc-jp",
            Self::Utf16Le => "utf-16le",
            Self::Utf16Be => "utf-16be",
        }
    }

    /// The name shown to people and in JSON: the WHATWG (and IANA) name.
    #[must_use]
    pub fn name(self) -> &'static str {
        self.decoder().name()
    }

    /// The name `iconv` knows it by.
    #[must_use]
    pub fn iconv_name(self) -> &'static str {
        match self {
            Self::Utf8 => "UTF-8",
            Self::ShiftJis => "CP932",
            Self::EucJp => "EUC-JP",
            Self::Utf16Le => "UTF-16LE",
            Self::Utf16Be => "UTF-16BE",
        }
    }

    /// Parses an `--encoding` name (as [`Encoding::arg_name`], case and `-`/`_` ignored).
    #[must_use]
    pub fn from_arg_name(name: &str) -> Option<Self> {
        let norm = |s: &str| s.to_ascii_lowercase().replace('_', "-");
        let want = norm(name);
        Self::ALL
            .into_iter()
            .find(|e| norm(e.arg_name()) == want || norm(e.name()) == want)
    }

    fn decoder(self) -> &'static encoding_rs::Encoding {
        match self {
            Self::Utf8 => encoding_rs::UTF_8,
            Self::ShiftJis => encoding_rs::SHIFT_JIS,
            Self::EucJp => encoding_rs::EUC_JP,
            Self::Utf16Le => encoding_rs::UTF_16LE,
            Self::Utf16Be => encoding_rs::UTF_16BE,
        }
    }

    /// Whether ASCII bytes stand for themselves (so a NUL byte is a NUL character).
    #[must_use]
    pub fn ascii_compatible(self) -> bool {
        !matches!(self, Self::Utf16Le | Self::Utf16Be)
    }
}

/// Text decoded from bytes, and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded<'a> {
    pub text: Cow<'a, str>,
    pub encoding: Encoding,
    /// The bytes began with a byte order mark (not part of the text).
    pub bom: bool,
}

/// Bytes that no encoding tried reads: each encoding with the offset of its first bad byte.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Undecodable {
    pub tried: Vec<(Encoding, usize)>,
}

impl Undecodable {
    /// The encoding that read farthest before its first error: the likeliest, for `iconv`.
    /// On a tie, CP932, then EUC-JP, then the rest.
    #[must_use]
    pub fn best_guess(&self) -> Encoding {
        let rank = |e: Encoding| match e {
            Encoding::ShiftJis => 2,
            Encoding::EucJp => 1,
            _ => 0,
        };
        self.tried
            .iter()
            .max_by_key(|(e, offset)| (*offset, rank(*e)))
            .map_or(Encoding::ShiftJis, |(e, _)| *e)
    }
}

/// The byte order mark at the start of `bytes`, if any, and its length.
#[must_use]
pub fn sniff_bom(bytes: &[u8]) -> Option<(Encoding, usize)> {
    encoding_rs::Encoding::for_bom(bytes).and_then(|(enc, len)| {
        Encoding::ALL
            .into_iter()
            .find(|e| e.decoder() == enc)
            .map(|e| (e, len))
    })
}

/// The offset of the first byte `encoding` cannot read, or `None` when it reads them all.
#[must_use]
pub fn first_error(encoding: Encoding, bytes: &[u8]) -> Option<usize> {
    if encoding == Encoding::Utf8 {
        return simdutf8::basic::from_utf8(bytes)
            .err()
            .map(|_| std::str::from_utf8(bytes).map_or_else(|e| e.valid_up_to(), |_| 0));
    }
    let mut decoder = encoding.decoder().new_decoder_without_bom_handling();
    let mut out = String::with_capacity(
        decoder
            .max_utf8_buffer_length_without_replacement(bytes.len())
            .unwrap_or(bytes.len().saturating_mul(3)),
    );
    let (result, read) = decoder.decode_to_string_without_replacement(bytes, &mut out, true);
    match result {
        encoding_rs::DecoderResult::InputEmpty => None,
        encoding_rs::DecoderResult::Malformed(bad, after) => {
            Some(read.saturating_sub(usize::from(bad) + usize::from(after)))
        }
        // The buffer was sized for the worst case; should it not be, say where it stopped.
        encoding_rs::DecoderResult::OutputFull => Some(read),
    }
}

fn decode_as(encoding: Encoding, bytes: &[u8]) -> Option<Cow<'_, str>> {
    if encoding == Encoding::Utf8 {
        return simdutf8::basic::from_utf8(bytes).ok().map(Cow::Borrowed);
    }
    encoding
        .decoder()
        .decode_without_bom_handling_and_without_replacement(bytes)
}

/// Decodes `bytes` in the encoding given, or in the one found: a byte order mark decides;
/// then strict UTF-8; then `Shift_JIS` (CP932) or EUC-JP, whichever reads every byte. When both
/// do, the one with fewer characters a Japanese text almost never has (see [`implausible`]);
/// CP932 on a tie. A byte order mark that disagrees with a forced encoding is left in the text.
///
/// # Errors
/// No encoding tried reads every byte: each with the offset of its first bad byte.
pub fn decode(bytes: &[u8], forced: Option<Encoding>) -> Result<Decoded<'_>, Undecodable> {
    let bom = sniff_bom(bytes);
    if let Some(encoding) = forced {
        let (body, bom) = match bom {
            Some((e, len)) if e == encoding => (&bytes[len..], true),
            _ => (bytes, false),
        };
        return match decode_as(encoding, body) {
            Some(text) => Ok(Decoded {
                text,
                encoding,
                bom,
            }),
            None => Err(Undecodable {
                tried: vec![(
                    encoding,
                    first_error(encoding, body).unwrap_or(0) + (bytes.len() - body.len()),
                )],
            }),
        };
    }
    if let Some((encoding, len)) = bom {
        let body = &bytes[len..];
        return match decode_as(encoding, body) {
            Some(text) => Ok(Decoded {
                text,
                encoding,
                bom: true,
            }),
            None => Err(Undecodable {
                tried: vec![(encoding, first_error(encoding, body).unwrap_or(0) + len)],
            }),
        };
    }
    if let Some(text) = decode_as(Encoding::Utf8, bytes) {
        return Ok(Decoded {
            text,
            encoding: Encoding::Utf8,
            bom: false,
        });
    }
    let mut tried = vec![(
        Encoding::Utf8,
        first_error(Encoding::Utf8, bytes).unwrap_or(0),
    )];
    let mut best: Option<(usize, Encoding, Cow<'_, str>)> = None;
    for encoding in [Encoding::ShiftJis, Encoding::EucJp] {
        match decode_as(encoding, bytes) {
            Some(text) => {
                let score = implausible(&text);
                // Strictly better only: on a tie the first (CP932) stays.
                if best.as_ref().is_none_or(|(s, _, _)| score < *s) {
                    best = Some((score, encoding, text));
                }
            }
            None => tried.push((encoding, first_error(encoding, bytes).unwrap_or(0))),
        }
    }
    match best {
        Some((_, encoding, text)) => Ok(Decoded {
            text,
            encoding,
            bom: false,
        }),
        None => Err(Undecodable { tried }),
    }
}

/// How many characters of a decoding are ones a Japanese text almost never has: the
/// user-defined area (private use), half-width katakana and C1 controls. `Shift_JIS` reads most
/// EUC-JP bytes without an error, but into such characters; of two decodings without errors,
/// the one with fewer is taken.
fn implausible(text: &str) -> usize {
    text.chars()
        .filter(|&c| {
            matches!(c, '\u{E000}'..='\u{F8FF}' | '\u{FF61}'..='\u{FF9F}' | '\u{80}'..='\u{9F}')
        })
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn sjis(s: &str) -> Vec<u8> {
        let (b, _, unmappable) = encoding_rs::SHIFT_JIS.encode(s);
        assert!(!unmappable);
        b.into_owned()
    }

    fn eucjp(s: &str) -> Vec<u8> {
        let (b, _, unmappable) = encoding_rs::EUC_JP.encode(s);
        assert!(!unmappable);
        b.into_owned()
    }

    fn utf16(s: &str, le: bool) -> Vec<u8> {
        let mut out = if le {
            vec![0xFF, 0xFE]
        } else {
            vec![0xFE, 0xFF]
        };
        for u in s.encode_utf16() {
            out.extend(if le { u.to_le_bytes() } else { u.to_be_bytes() });
        }
        out
    }

    const TEXT: &str = "我々は、国際カウンターランサムウェア・イニシアティブ（ＣＲＩ）Ⅶ①";

    #[test]
    fn finds_each_encoding() {
        let d = decode(TEXT.as_bytes(), None).expect("utf-8");
        assert_eq!((d.encoding, d.bom, &*d.text), (Encoding::Utf8, false, TEXT));
        let with_bom = [b"\xEF\xBB\xBF".as_slice(), TEXT.as_bytes()].concat();
        let d = decode(&with_bom, None).expect("utf-8 bom");
        assert_eq!((d.encoding, d.bom, &*d.text), (Encoding::Utf8, true, TEXT));
        let bytes = sjis(TEXT);
        let d = decode(&bytes, None).expect("sjis");
        assert_eq!((d.encoding, &*d.text), (Encoding::ShiftJis, TEXT));
        let bytes = eucjp(TEXT);
        let d = decode(&bytes, None).expect("euc");
        assert_eq!((d.encoding, &*d.text), (Encoding::EucJp, TEXT));
        let bytes = utf16(TEXT, true);
        let d = decode(&bytes, None).expect("utf-16le");
        assert_eq!(
            (d.encoding, d.bom, &*d.text),
            (Encoding::Utf16Le, true, TEXT)
        );
        let bytes = utf16(TEXT, false);
        let d = decode(&bytes, None).expect("utf-16be");
        assert_eq!((d.encoding, &*d.text), (Encoding::Utf16Be, TEXT));
    }

    #[test]
    fn cp932_wins_a_tie() {
        // Bytes both decoders read: CP932 is preferred.
        let bytes = b"\xE0\xA1\xE0\xA2";
        assert!(decode_as(Encoding::EucJp, bytes).is_some());
        assert!(decode_as(Encoding::ShiftJis, bytes).is_some());
        assert_eq!(
            decode(bytes, None).map(|d| d.encoding),
            Ok(Encoding::ShiftJis)
        );
        // EUC-JP that Shift_JIS also reads, but into half-width katakana: EUC-JP.
        let bytes = b"\xA4\xA2\xA4\xA4";
        assert!(decode_as(Encoding::ShiftJis, bytes).is_some());
        assert_eq!(decode(bytes, None).map(|d| d.encoding), Ok(Encoding::EucJp));
    }

    #[test]
    fn forced_encoding_is_used_or_refused() {
        let bytes = sjis(TEXT);
        let d = decode(&bytes, Some(Encoding::ShiftJis)).expect("forced");
        assert_eq!(&*d.text, TEXT);
        let e = decode(TEXT.as_bytes(), Some(Encoding::EucJp)).expect_err("not euc");
        assert_eq!(e.tried.len(), 1);
        assert_eq!(e.tried[0].0, Encoding::EucJp);
        let le = utf16(TEXT, true);
        let d = decode(&le[2..], Some(Encoding::Utf16Le)).expect("no bom");
        assert_eq!((&*d.text, d.bom), (TEXT, false));
    }

    #[test]
    fn undecodable_lists_offsets() {
        let e = decode(b"caf\xe9 au lait", None).expect_err("latin-1");
        assert_eq!(
            e.tried,
            [
                (Encoding::Utf8, 3),
                (Encoding::ShiftJis, 3),
                (Encoding::EucJp, 3)
            ]
        );
        assert_eq!(e.best_guess(), Encoding::ShiftJis, "CP932 on a tie");
        let late = Undecodable {
            tried: vec![
                (Encoding::Utf8, 900),
                (Encoding::ShiftJis, 3),
                (Encoding::EucJp, 3),
            ],
        };
        assert_eq!(
            late.best_guess(),
            Encoding::Utf8,
            "the one that read farthest"
        );
        // A truncated UTF-16 file: its odd last byte.
        let e = decode(b"\xFF\xFEa\x00b", None).expect_err("odd");
        assert_eq!(e.tried, [(Encoding::Utf16Le, 4)]);
    }

    #[test]
    fn names_round_trip() {
        for e in Encoding::ALL {
            assert_eq!(Encoding::from_arg_name(e.arg_name()), Some(e));
            assert_eq!(Encoding::from_arg_name(e.name()), Some(e));
        }
        assert_eq!(
            Encoding::from_arg_name("SHIFT-JIS"),
            Some(Encoding::ShiftJis)
        );
        assert_eq!(Encoding::from_arg_name("latin1"), None);
    }

    proptest! {
        #[test]
        fn any_bytes_decode_or_fail_cleanly(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
            match decode(&bytes, None) {
                Ok(d) => {
                    if d.encoding == Encoding::Utf8 && !d.bom {
                        prop_assert_eq!(d.text.as_bytes(), &bytes[..]);
                    }
                }
                Err(e) => {
                    prop_assert!(!e.tried.is_empty());
                    for (_, offset) in e.tried {
                        prop_assert!(offset <= bytes.len());
                    }
                }
            }
            for enc in Encoding::ALL {
                let _ = decode(&bytes, Some(enc));
            }
        }

        #[test]
        fn japanese_text_round_trips(s in "[ぁ-んァ-ヶ我々国際会合犯罪捜査、。「」（）ａ-ｚ0-9a-z \n]{0,80}") {
            for (bytes, want) in [
                (s.as_bytes().to_vec(), Encoding::Utf8),
                (utf16(&s, true), Encoding::Utf16Le),
                (utf16(&s, false), Encoding::Utf16Be),
            ] {
                let d = decode(&bytes, None).expect("decodes");
                prop_assert_eq!(&*d.text, s.as_str());
                prop_assert_eq!(d.encoding, want);
            }
            for (bytes, enc) in [(sjis(&s), Encoding::ShiftJis), (eucjp(&s), Encoding::EucJp)] {
                let d = decode(&bytes, Some(enc)).expect("forced");
                prop_assert_eq!(&*d.text, s.as_str());
                // Detection may take another encoding only when it reads the same text; text
                // in CP932 is always read back (no other decoding can be more plausible).
                let found = decode(&bytes, None).expect("found");
                if found.encoding == enc || enc == Encoding::ShiftJis {
                    prop_assert_eq!(&*found.text, s.as_str());
                }
            }
        }
    }
}
