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

/// How much text a decoder writes at a time (its output buffer).
const DECODE_OUT: usize = 64 * 1024;

/// A decoder fed a chunk at a time, so that no file is ever decoded whole: UTF-8 is checked
/// with SIMD (a character cut by a chunk's end is carried to the next), every other encoding
/// decoded by `encoding_rs`'s streaming decoder. Either way an error is the offset of the first
/// byte that cannot be read, counted from the first byte fed: the offset a decoding of all the
/// bytes at once reports (a property test checks it for chunks of any sizes).
pub struct StreamDecoder {
    inner: Inner,
    /// Bytes fed so far.
    consumed: usize,
}

enum Inner {
    /// The bytes of a character that a chunk's end cut, carried to the next chunk.
    Utf8 {
        carry: [u8; 4],
        len: usize,
    },
    Other(encoding_rs::Decoder),
}

impl std::fmt::Debug for StreamDecoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StreamDecoder")
            .field("consumed", &self.consumed)
            .finish_non_exhaustive()
    }
}

/// How many bytes a UTF-8 sequence that begins with `lead` has (0: no sequence begins so).
fn utf8_width(lead: u8) -> usize {
    match lead {
        0x00..=0x7F => 1,
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => 0,
    }
}

impl StreamDecoder {
    /// A decoder for bytes in `encoding` (a byte order mark is not its business: skip it first).
    #[must_use]
    pub fn new(encoding: Encoding) -> Self {
        let inner = match encoding {
            Encoding::Utf8 => Inner::Utf8 {
                carry: [0; 4],
                len: 0,
            },
            e => Inner::Other(e.decoder().new_decoder_without_bom_handling()),
        };
        StreamDecoder { inner, consumed: 0 }
    }

    /// Reads the next `chunk` (`last`: no bytes follow it), calling `text` with each piece of
    /// text read, in order. `scratch` holds what another encoding than UTF-8 decodes to; UTF-8
    /// is handed over as it stands, never copied.
    ///
    /// # Errors
    /// The offset of the first byte that cannot be read (nothing after it is read).
    pub fn feed(
        &mut self,
        chunk: &[u8],
        last: bool,
        scratch: &mut String,
        mut text: impl FnMut(&str),
    ) -> Result<(), usize> {
        match &mut self.inner {
            Inner::Utf8 { carry, len } => {
                utf8_feed(carry, len, &mut self.consumed, chunk, last, &mut text)
            }
            Inner::Other(decoder) => {
                let mut src = chunk;
                loop {
                    scratch.clear();
                    scratch.reserve(DECODE_OUT);
                    let (result, read) =
                        decoder.decode_to_string_without_replacement(src, scratch, last);
                    self.consumed += read;
                    src = &src[read..];
                    text(scratch);
                    match result {
                        encoding_rs::DecoderResult::InputEmpty => return Ok(()),
                        encoding_rs::DecoderResult::OutputFull => {}
                        encoding_rs::DecoderResult::Malformed(bad, after) => {
                            return Err(self
                                .consumed
                                .saturating_sub(usize::from(bad) + usize::from(after)));
                        }
                    }
                }
            }
        }
    }
}

/// [`StreamDecoder::feed`] for UTF-8.
fn utf8_feed(
    carry: &mut [u8; 4],
    len: &mut usize,
    consumed: &mut usize,
    chunk: &[u8],
    last: bool,
    text: &mut impl FnMut(&str),
) -> Result<(), usize> {
    let mut chunk = chunk;
    // First the character the last chunk cut.
    if *len > 0 {
        let start = *consumed - *len;
        let want = utf8_width(carry[0]).max(*len);
        let take = (want - *len).min(chunk.len());
        carry[*len..*len + take].copy_from_slice(&chunk[..take]);
        *len += take;
        *consumed += take;
        chunk = &chunk[take..];
        if *len == want {
            *len = 0;
            match std::str::from_utf8(&carry[..want]) {
                Ok(c) => text(c),
                Err(_) => return Err(start),
            }
        } else if !last {
            // Still cut: the chunk was shorter than the rest of the character.
            return Ok(());
        } else {
            return Err(start);
        }
    }
    // Then the chunk up to a character its end cuts, if any.
    let mut keep = chunk.len();
    for back in 1..=chunk.len().min(3) {
        let b = chunk[chunk.len() - back];
        if b & 0xC0 == 0x80 {
            continue;
        }
        if utf8_width(b) > back {
            keep = chunk.len() - back;
        }
        break;
    }
    let (whole, cut) = chunk.split_at(keep);
    let Ok(s) = simdutf8::basic::from_utf8(whole) else {
        let valid = std::str::from_utf8(whole).map_or_else(|e| e.valid_up_to(), |_| 0);
        return Err(*consumed + valid);
    };
    text(s);
    *consumed += chunk.len();
    if last && !cut.is_empty() {
        return Err(*consumed - cut.len());
    }
    carry[..cut.len()].copy_from_slice(cut);
    *len = cut.len();
    Ok(())
}

/// Bytes that can be read through from their start a chunk at a time, as often as needed (a
/// file on disk, read again; bytes in memory).
pub trait Passes {
    /// Calls `f` with every chunk of the bytes, in order, from the first, until it returns false.
    /// Every chunk but the last is at least a few bytes long (a byte order mark fits in the
    /// first).
    ///
    /// # Errors
    /// Reading failed.
    fn pass(&mut self, f: &mut dyn FnMut(&[u8]) -> bool) -> std::io::Result<()>;
}

/// Bytes in memory, in chunks of a given size (any size reads the same).
#[derive(Debug, Clone, Copy)]
pub struct InMemory<'a> {
    pub bytes: &'a [u8],
    pub chunk: usize,
}

impl Passes for InMemory<'_> {
    fn pass(&mut self, f: &mut dyn FnMut(&[u8]) -> bool) -> std::io::Result<()> {
        for chunk in self.bytes.chunks(self.chunk.max(4)) {
            if !f(chunk) {
                break;
            }
        }
        Ok(())
    }
}

/// Why bytes are not a text kaigi reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Nothing but whitespace (or nothing).
    Empty,
    /// Binary data: the offset of its first NUL.
    Binary(usize),
    /// No encoding tried reads every byte.
    NotText(Undecodable),
}

/// What a check found: the encoding, and how many bytes of byte order mark come first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    pub encoding: Encoding,
    pub bom: usize,
}

/// One encoding's reading of the bytes, while a check goes through them.
struct Scan {
    encoding: Encoding,
    decoder: StreamDecoder,
    error: Option<usize>,
    /// Any character not whitespace yet.
    text: bool,
    /// Characters a Japanese text almost never has (see [`implausible`]), when they count.
    implausible: Option<usize>,
    /// UTF-16 only: code units read, and where the first NUL character is, in code units.
    units: usize,
    nul_units: Option<usize>,
    scratch: String,
}

impl Scan {
    fn new(encoding: Encoding, count_implausible: bool) -> Self {
        Scan {
            encoding,
            decoder: StreamDecoder::new(encoding),
            error: None,
            text: false,
            implausible: count_implausible.then_some(0),
            units: 0,
            nul_units: None,
            scratch: String::new(),
        }
    }

    fn feed(&mut self, chunk: &[u8], last: bool) {
        if self.error.is_some() {
            return;
        }
        let utf16 = !self.encoding.ascii_compatible();
        let (text, odd, units, nul_units) = (
            &mut self.text,
            &mut self.implausible,
            &mut self.units,
            &mut self.nul_units,
        );
        let read = self.decoder.feed(chunk, last, &mut self.scratch, |s| {
            if !*text {
                *text = s.chars().any(|c| !c.is_whitespace());
            }
            if let Some(n) = odd {
                *n += implausible(s);
            }
            if utf16 && nul_units.is_none() {
                match s.find('\0') {
                    Some(at) => *nul_units = Some(*units + s[..at].encode_utf16().count()),
                    None => *units += s.encode_utf16().count(),
                }
            }
        });
        self.error = read.err();
    }
}

/// Checks bytes a chunk at a time and finds their encoding, with the rules of
/// [`decode`]: not blank, no NUL byte (in UTF-16, no NUL character), and read without an error
/// in the encoding forced, or the one a byte order mark names, or strict UTF-8, or `Shift_JIS`
/// (CP932) or EUC-JP, whichever reads every byte — when both do, the one with fewer characters a
/// Japanese text almost never has (see [`implausible`]), CP932 on a tie. A byte order mark that
/// disagrees with a forced encoding is left in the text. Only that last guess reads the bytes a
/// second time; nothing is kept but a few counts.
///
/// # Errors
/// Reading failed (the outer error); the bytes are not text kaigi reads (the inner).
pub fn check(
    src: &mut dyn Passes,
    forced: Option<Encoding>,
) -> std::io::Result<Result<Found, Refusal>> {
    let mut first = true;
    let mut found = Found {
        encoding: forced.unwrap_or(Encoding::Utf8),
        bom: 0,
    };
    let mut blank = true;
    let mut nul: Option<usize> = None;
    let mut offset = 0;
    let mut scan = Scan::new(found.encoding, false);
    src.pass(&mut |chunk| {
        if first {
            first = false;
            let bom = sniff_bom(chunk);
            found = match (forced, bom) {
                (Some(e), Some((b, len))) if b == e => Found {
                    encoding: e,
                    bom: len,
                },
                (Some(e), _) => Found {
                    encoding: e,
                    bom: 0,
                },
                (None, Some((e, len))) => Found {
                    encoding: e,
                    bom: len,
                },
                (None, None) => Found {
                    encoding: Encoding::Utf8,
                    bom: 0,
                },
            };
            scan = Scan::new(found.encoding, false);
        }
        if blank {
            blank = chunk.iter().all(u8::is_ascii_whitespace);
        }
        let ascii = found.encoding.ascii_compatible();
        if ascii && nul.is_none() {
            nul = memchr::memchr(0, chunk).map(|i| offset + i);
        }
        let body = if offset == 0 {
            chunk.get(found.bom..).unwrap_or_default()
        } else {
            chunk
        };
        scan.feed(body, false);
        offset += chunk.len();
        // A NUL byte is binary data whatever else the bytes are.
        nul.is_none()
    })?;
    scan.feed(&[], true);
    if blank {
        return Ok(Err(Refusal::Empty));
    }
    if let Some(at) = nul {
        return Ok(Err(Refusal::Binary(at)));
    }
    if let Some(at) = scan.error {
        // A forced encoding or a byte order mark is not second-guessed.
        if forced.is_some() || found.bom > 0 {
            let tried = vec![(found.encoding, at + found.bom)];
            return Ok(Err(Refusal::NotText(Undecodable { tried })));
        }
        return guess(src, at);
    }
    if let Some(units) = scan.nul_units {
        // Two bytes a code unit, after the mark.
        return Ok(Err(Refusal::Binary(units * 2 + found.bom)));
    }
    if !scan.text {
        return Ok(Err(Refusal::Empty));
    }
    Ok(Ok(found))
}

/// Bytes that are not UTF-8 (its first bad byte at `utf8_error`): `Shift_JIS` or EUC-JP, read
/// together in a second pass.
fn guess(src: &mut dyn Passes, utf8_error: usize) -> std::io::Result<Result<Found, Refusal>> {
    let mut scans = [
        Scan::new(Encoding::ShiftJis, true),
        Scan::new(Encoding::EucJp, true),
    ];
    src.pass(&mut |chunk| {
        for s in &mut scans {
            s.feed(chunk, false);
        }
        scans.iter().any(|s| s.error.is_none())
    })?;
    let mut tried = vec![(Encoding::Utf8, utf8_error)];
    let mut best: Option<&Scan> = None;
    for s in &mut scans {
        s.feed(&[], true);
    }
    for s in &scans {
        match s.error {
            None => {
                // Strictly better only: on a tie the first (CP932) stays.
                if best.is_none_or(|b| s.implausible < b.implausible) {
                    best = Some(s);
                }
            }
            Some(at) => tried.push((s.encoding, at)),
        }
    }
    Ok(match best {
        Some(s) if !s.text => Err(Refusal::Empty),
        Some(s) => Ok(Found {
            encoding: s.encoding,
            bom: 0,
        }),
        None => Err(Refusal::NotText(Undecodable { tried })),
    })
}

/// Checks `bytes` as [`check`] does and decodes them whole (for tests and small inputs; a
/// file is read a chunk at a time instead). A byte order mark is dropped, and so is one
/// U+FEFF at the start of the text, as when a file is loaded.
///
/// # Errors
/// As [`check`].
pub fn decode(bytes: &[u8], forced: Option<Encoding>) -> Result<Decoded<'_>, Refusal> {
    let mut src = InMemory {
        bytes,
        chunk: 64 * 1024,
    };
    let found = match check(&mut src, forced) {
        Ok(r) => r?,
        // Bytes in memory are always read.
        Err(_) => return Err(Refusal::Empty),
    };
    let body = &bytes[found.bom..];
    let text = match found.encoding {
        Encoding::Utf8 => std::str::from_utf8(body).ok().map(Cow::Borrowed),
        e => e
            .decoder()
            .decode_without_bom_handling_and_without_replacement(body),
    };
    let text = match text {
        Some(Cow::Borrowed(t)) => Cow::Borrowed(t.strip_prefix('\u{feff}').unwrap_or(t)),
        Some(Cow::Owned(t)) => Cow::Owned(match t.strip_prefix('\u{feff}') {
            Some(rest) => rest.to_string(),
            None => t,
        }),
        // The check read them all.
        None => return Err(Refusal::Empty),
    };
    Ok(Decoded {
        text,
        encoding: found.encoding,
        bom: found.bom > 0,
    })
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
pub(crate) mod tests {
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

    /// `text` in `encoding` (UTF-16 with its byte order mark, as such files are written; a
    /// character `Shift_JIS` or EUC-JP lacks as `encoding_rs` writes it, `&#…;`).
    pub(crate) fn encoded(text: &str, encoding: Encoding) -> Vec<u8> {
        match encoding {
            Encoding::Utf8 => text.as_bytes().to_vec(),
            Encoding::ShiftJis => encoding_rs::SHIFT_JIS.encode(text).0.into_owned(),
            Encoding::EucJp => encoding_rs::EUC_JP.encode(text).0.into_owned(),
            Encoding::Utf16Le => utf16(text, true),
            Encoding::Utf16Be => utf16(text, false),
        }
    }

    /// What no encoding read, or nothing.
    fn tried(r: Refusal) -> Vec<(Encoding, usize)> {
        match r {
            Refusal::NotText(u) => u.tried,
            _ => Vec::new(),
        }
    }

    /// Whether `decoding` reads all of `bytes` (the old whole-buffer rule, as an oracle).
    fn decode_as(encoding: Encoding, bytes: &[u8]) -> Option<Cow<'_, str>> {
        if encoding == Encoding::Utf8 {
            return std::str::from_utf8(bytes).ok().map(Cow::Borrowed);
        }
        encoding
            .decoder()
            .decode_without_bom_handling_and_without_replacement(bytes)
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
        let e = tried(decode(TEXT.as_bytes(), Some(Encoding::EucJp)).expect_err("not euc"));
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].0, Encoding::EucJp);
        let le = utf16(TEXT, true);
        let d = decode(&le[2..], Some(Encoding::Utf16Le)).expect("no bom");
        assert_eq!((&*d.text, d.bom), (TEXT, false));
    }

    #[test]
    fn undecodable_lists_offsets() {
        let e = decode(b"caf\xe9 au lait", None).expect_err("latin-1");
        let Refusal::NotText(e) = e else {
            panic!("not text: {e:?}");
        };
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
        assert_eq!(tried(e), [(Encoding::Utf16Le, 4)]);
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
                Err(Refusal::NotText(e)) => {
                    prop_assert!(!e.tried.is_empty());
                    for (_, offset) in e.tried {
                        prop_assert!(offset <= bytes.len());
                    }
                }
                Err(Refusal::Binary(at)) => prop_assert!(at < bytes.len()),
                Err(Refusal::Empty) => {}
            }
            for enc in Encoding::ALL {
                let _ = decode(&bytes, Some(enc));
            }
        }

        #[test]
        fn japanese_text_round_trips(s in "[ぁ-んァ-ヶ我々国際会合犯罪捜査、。「」（）ａ-ｚ0-9a-z \n]{0,80}") {
            // Blank text is refused (a test below).
            prop_assume!(s.chars().any(|c| !c.is_whitespace()));
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

        /// Text in every encoding, perhaps with a byte changed, fed to a [`StreamDecoder`]
        /// in chunks of any sizes (so cut inside characters): the text and the first error
        /// are those of a decoding of all the bytes at once.
        #[test]
        fn a_stream_decodes_as_the_whole(
            s in "[ぁ-んァ-ヶ我々国際、。（）ａ-ｚ0-9a-z \n𠮷]{0,60}",
            bad in proptest::option::of((any::<prop::sample::Index>(), any::<u8>())),
            sizes in proptest::collection::vec(1usize..9, 1..40),
        ) {
            let s = s.as_str();
            for encoding in Encoding::ALL {
                let mut bytes = encoded(s, encoding);
                if !encoding.ascii_compatible() {
                    // The decoder is fed what follows the byte order mark.
                    bytes.drain(..2);
                }
                if let Some((at, b)) = bad && !bytes.is_empty() {
                    let i = at.index(bytes.len());
                    bytes[i] = b;
                }
                let whole = decode_as(encoding, &bytes);
                let whole_error = whole_first_error(encoding, &bytes);
                let mut decoder = StreamDecoder::new(encoding);
                let (mut text, mut scratch, mut error) = (String::new(), String::new(), None);
                let mut rest = &bytes[..];
                let mut sizes = sizes.iter().cycle();
                while error.is_none() {
                    let n = sizes.next().copied().unwrap_or(1).min(rest.len());
                    let (chunk, after) = rest.split_at(n);
                    rest = after;
                    let last = rest.is_empty();
                    error = decoder.feed(chunk, last, &mut scratch, |t| text.push_str(t)).err();
                    if last {
                        break;
                    }
                }
                prop_assert_eq!(error, whole_error, "{:?} {:?}", encoding, bytes);
                if let Some(whole) = whole {
                    prop_assert_eq!(text.as_str(), &*whole);
                } else {
                    prop_assert!(error.is_some());
                }
            }
        }

        /// Any bytes checked in chunks of any size are checked as in one chunk.
        #[test]
        fn a_check_in_chunks_is_the_check_whole(
            bytes in proptest::collection::vec(any::<u8>(), 0..120),
            chunk in 4usize..40,
            forced in proptest::option::of(0usize..5),
        ) {
            let forced = forced.map(|i| Encoding::ALL[i]);
            let whole = check(&mut InMemory { bytes: &bytes, chunk: bytes.len().max(4) }, forced);
            let chunked = check(&mut InMemory { bytes: &bytes, chunk }, forced);
            prop_assert_eq!(whole.ok(), chunked.ok());
        }
    }

    /// The offset of the first byte `encoding` cannot read, decoding all of `bytes` in one
    /// call (the oracle for the decoder fed in chunks).
    fn whole_first_error(encoding: Encoding, bytes: &[u8]) -> Option<usize> {
        if encoding == Encoding::Utf8 {
            return std::str::from_utf8(bytes).err().map(|e| e.valid_up_to());
        }
        let mut decoder = encoding.decoder().new_decoder_without_bom_handling();
        let mut out = String::with_capacity(bytes.len() * 3 + 16);
        let (result, read) = decoder.decode_to_string_without_replacement(bytes, &mut out, true);
        match result {
            encoding_rs::DecoderResult::InputEmpty => None,
            encoding_rs::DecoderResult::Malformed(bad, after) => {
                Some(read - usize::from(bad) - usize::from(after))
            }
            encoding_rs::DecoderResult::OutputFull => Some(read),
        }
    }

    #[test]
    fn blank_and_binary_are_refused() {
        assert_eq!(decode(b"", None).err(), Some(Refusal::Empty));
        assert_eq!(decode(b" \n\t", None).err(), Some(Refusal::Empty));
        // Ideographic spaces are blank too, in any encoding.
        assert_eq!(
            decode("\u{3000}\n".as_bytes(), None).err(),
            Some(Refusal::Empty)
        );
        assert_eq!(decode(b"\x81\x40", None).err(), Some(Refusal::Empty));
        assert_eq!(decode(b"ab\0c", None).err(), Some(Refusal::Binary(2)));
        // A NUL wins over bytes that are not text, wherever it is.
        assert_eq!(decode(b"\xff ab\0", None).err(), Some(Refusal::Binary(4)));
    }
}
