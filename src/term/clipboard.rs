//! Copying to the user's clipboard over the terminal with OSC 52, which works over SSH: the
//! terminal on the user's machine does the copying. Inside tmux the sequence is wrapped in a
//! passthrough so it reaches the outer terminal.

/// Above this many bytes some terminals refuse or truncate an OSC 52 copy.
pub const LARGE_COPY: usize = 100 * 1024;

/// Standard base64 (RFC 4648) with padding.
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The escape sequence that asks the terminal to put `text` on the clipboard: OSC 52 with the
/// text in base64, ended by BEL; inside tmux wrapped in a DCS passthrough (`ESC P tmux; … ESC \`)
/// with its ESC bytes doubled.
pub fn osc52(text: &str, in_tmux: bool) -> String {
    let sequence = format!("\x1b]52;c;{}\x07", base64(text.as_bytes()));
    if in_tmux {
        format!("\x1bPtmux;{}\x1b\\", sequence.replace('\x1b', "\x1b\x1b"))
    } else {
        sequence
    }
}

/// What to write to the terminal to copy `text`: the plain sequence, which tmux stores in its
/// paste buffer when `set-clipboard` is on (and forwards), and inside tmux also the wrapped one,
/// which reaches the outer terminal through tmux's passthrough (`allow-passthrough on`).
pub fn copy_sequence(text: &str, in_tmux: bool) -> String {
    let mut out = osc52(text, false);
    if in_tmux {
        out.push_str(&osc52(text, true));
    }
    out
}

/// True when running inside tmux.
pub fn in_tmux() -> bool {
    std::env::var_os("TMUX").is_some_and(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc_4648_vectors() {
        for (input, want) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(input.as_bytes()), want, "{input}");
        }
        assert_eq!(base64("看报".as_bytes()), "55yL5oql");
    }

    #[test]
    fn osc52_is_well_formed() {
        assert_eq!(osc52("看报", false), "\u{1b}]52;c;55yL5oql\u{7}");
    }

    #[test]
    fn inside_tmux_both_forms_are_sent() {
        assert_eq!(copy_sequence("hi", false), osc52("hi", false));
        assert_eq!(
            copy_sequence("hi", true),
            format!("{}{}", osc52("hi", false), osc52("hi", true))
        );
    }

    #[test]
    fn osc52_is_wrapped_for_tmux() {
        let wrapped = osc52("hi", true);
        assert_eq!(wrapped, "\u{1b}Ptmux;\u{1b}\u{1b}]52;c;aGk=\u{7}\u{1b}\\");
    }
}
