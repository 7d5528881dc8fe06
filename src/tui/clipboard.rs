//! Copying to the user's own clipboard across SSH with OSC 52
//! (`ESC ] 52 ; c ; <base64> BEL`). Inside tmux the sequence is wrapped so tmux passes it on
//! (tmux needs `set-clipboard on`). Terminals send no acknowledgement.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

/// The OSC 52 sequence that puts `text` on the clipboard.
#[must_use]
pub fn osc52(text: &str, in_tmux: bool) -> String {
    let seq = format!("\x1b]52;c;{}\x07", STANDARD.encode(text.as_bytes()));
    if in_tmux {
        // tmux passthrough: DCS tmux; <sequence with every ESC doubled> ST.
        format!("\x1bPtmux;{}\x1b\\", seq.replace('\x1b', "\x1b\x1b"))
    } else {
        seq
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_sequence() {
        assert_eq!(
            osc52("ランサム", false),
            format!("\x1b]52;c;{}\x07", STANDARD.encode("ランサム"))
        );
        assert_eq!(osc52("hi", false), "\x1b]52;c;aGk=\x07");
    }

    #[test]
    fn tmux_passthrough() {
        assert_eq!(osc52("hi", true), "\x1bPtmux;\x1b\x1b]52;c;aGk=\x07\x1b\\");
    }

    #[test]
    fn hostile_text_stays_inside_the_base64() {
        let s = osc52("\x1b]0;pwned\x07\u{202e}", false);
        assert_eq!(s.matches('\x1b').count(), 1);
        assert_eq!(s.matches('\x07').count(), 1);
    }
}
