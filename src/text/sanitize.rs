//! Making untrusted text safe for terminal cells. Escape sequences are removed whole and shown
//! as one `␛`; other control characters and bidi controls (which could reorder what is shown)
//! become `�`; soft hyphens and zero-width format characters are dropped; tabs expand to the next 4-cell stop; line breaks become spaces
//! (callers split paragraphs before sanitising).

use std::borrow::Cow;

use unicode_width::UnicodeWidthChar;

/// Tab stops every this many cells.
pub const TAB_STOP: usize = 4;

/// The placeholder shown where an escape sequence was.
pub const ESCAPE_MARK: char = '␛';
/// The placeholder shown for any other control character.
pub const CONTROL_MARK: char = '�';

/// Invisible formatting: dropped.
fn is_invisible_format(c: char) -> bool {
    matches!(c, '\u{200b}'..='\u{200d}' | '\u{2060}'..='\u{2064}' | '\u{feff}' | '\u{00ad}' | '\u{180e}')
}

/// Characters that change the direction text is shown in: made visible.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{061c}')
}

fn needs_work(c: char) -> bool {
    c.is_control() || is_invisible_format(c) || is_bidi_control(c)
}

/// Characters whose width terminals disagree on, so a pane border after them would move:
/// variation selectors (a text character made emoji, `❤️`), emoji skin-tone modifiers, zero
/// width joiners of emoji sequences, regional indicators (flags), and code points that are
/// unassigned or private-use (Unicode's line-break class XX), which wcwidth calls -1.
fn is_unsure_width(c: char) -> bool {
    matches!(c,
        '\u{fe00}'..='\u{fe0f}'
        | '\u{e0100}'..='\u{e01ef}'
        | '\u{1f3fb}'..='\u{1f3ff}'
        | '\u{1f1e6}'..='\u{1f1ff}')
        || (!c.is_ascii()
            && unicode_linebreak::break_property(c as u32)
                == unicode_linebreak::BreakClass::Unknown)
}

/// The stand-in drawn for a character of [`is_unsure_width`], if any: a flag's letter as
/// itself (`🇨🇳` → `CN`), an unassigned or private-use code point as `�`; selectors and
/// modifiers are dropped (the base character is drawn at its own width).
fn stand_in(c: char) -> Option<char> {
    match c {
        '\u{1f1e6}'..='\u{1f1ff}' => char::from_u32('A' as u32 + (c as u32 - 0x1f1e6)),
        '\u{fe00}'..='\u{fe0f}' | '\u{e0100}'..='\u{e01ef}' | '\u{1f3fb}'..='\u{1f3ff}' => None,
        _ => Some(CONTROL_MARK),
    }
}

/// Returns `text` safe to put into cells; borrows when nothing needed changing.
///
/// Beyond controls and escapes, whatever terminals draw at differing widths is replaced by
/// something every terminal draws alike: an emoji sequence joined with ZWJ (`👨‍👩‍👧`, three
/// emoji on some terminals and one on others) keeps its first emoji; a flag shows its letters,
/// an unassigned or private-use code point `�`; variation selectors and skin tones are dropped.
pub fn sanitize(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| needs_work(c) || is_unsure_width(c)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut column = 0usize;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\t' => {
                let spaces = TAB_STOP - column % TAB_STOP;
                out.extend(std::iter::repeat_n(' ', spaces));
                column += spaces;
            }
            '\n' | '\r' | '\u{2028}' | '\u{2029}' => {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push(' ');
                column += 1;
            }
            '\u{1b}' => {
                skip_escape(&mut chars);
                out.push(ESCAPE_MARK);
                column += 1;
            }
            '\u{9b}' => {
                skip_csi_body(&mut chars);
                out.push(ESCAPE_MARK);
                column += 1;
            }
            '\u{9d}' | '\u{90}' | '\u{98}' | '\u{9e}' | '\u{9f}' => {
                skip_string_body(&mut chars);
                out.push(ESCAPE_MARK);
                column += 1;
            }
            c if c.is_control() || is_bidi_control(c) => {
                out.push(CONTROL_MARK);
                column += 1;
            }
            // A joiner drops what it joins: the sequence shows as its first emoji.
            '\u{200d}' => {
                if chars.peek().is_some_and(|&next| is_joinable_base(next)) {
                    chars.next();
                }
            }
            c if is_invisible_format(c) => {}
            c if is_unsure_width(c) => {
                if let Some(shown) = stand_in(c) {
                    out.push(shown);
                    column += shown.width().unwrap_or(0);
                }
            }
            c => {
                out.push(c);
                column += c.width().unwrap_or(0);
            }
        }
    }
    Cow::Owned(out)
}

/// What can follow a zero width joiner in an emoji sequence: a pictograph (or a symbol given
/// emoji presentation). The joiner and such a follower are dropped together.
fn is_joinable_base(c: char) -> bool {
    !c.is_ascii() && !c.is_alphanumeric() && !c.is_whitespace() && c.width().unwrap_or(0) > 0
}

/// Sanitises each line of `text`, keeping its line breaks (for text printed to a terminal).
pub fn sanitize_lines(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| c != '\n' && needs_work(c)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&sanitize(line));
    }
    Cow::Owned(out)
}

/// After an ESC: skips the rest of the sequence (CSI, OSC/DCS/SOS/PM/APC strings, or one char).
fn skip_escape(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    match chars.peek().copied() {
        Some('[') => {
            chars.next();
            skip_csi_body(chars);
        }
        Some(']' | 'P' | 'X' | '^' | '_') => {
            chars.next();
            skip_string_body(chars);
        }
        Some(c) if !c.is_control() => {
            chars.next();
        }
        _ => {}
    }
}

/// Skips CSI parameters and intermediates up to and including the final byte (0x40–0x7E).
fn skip_csi_body(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    while let Some(&c) = chars.peek() {
        chars.next();
        if ('\u{40}'..='\u{7e}').contains(&c) {
            return;
        }
        if !('\u{20}'..='\u{3f}').contains(&c) {
            return;
        }
    }
}

/// Skips a control string up to BEL, ST (`ESC \`) or U+009C.
fn skip_string_body(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    while let Some(c) = chars.next() {
        match c {
            '\u{7}' | '\u{9c}' => return,
            '\u{1b}' => {
                if chars.peek() == Some(&'\\') {
                    chars.next();
                }
                return;
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_text_is_borrowed() {
        assert!(matches!(sanitize("加快制造业 5G"), Cow::Borrowed(_)));
    }

    #[test]
    fn tabs_and_escape_sequences_become_visible_stand_ins() {
        // A tab expands to the next stop of 4 cells; an escape sequence never reaches the
        // terminal, only a visible ␛ where it stood.
        assert_eq!(sanitize("a\tb"), "a   b");
        assert_eq!(sanitize("中\tb"), "中  b");
        assert_eq!(sanitize("\u{1b}[31m红色\u{1b}[0m"), "␛红色␛");
        assert_eq!(sanitize("\u{1b}]0;pwned\u{7}标题"), "␛标题");
        assert_eq!(sanitize("\u{1b}]52;c;aGk=\u{1b}\\x"), "␛x");
        assert_eq!(sanitize("x\u{9b}2Jy"), "x␛y");
        assert_eq!(sanitize("ab\u{202e}cd\u{2066}"), "ab�cd�");
        assert_eq!(sanitize("soft\u{ad}hyphen"), "softhyphen");
        assert_eq!(sanitize("zero\u{200b}width\u{feff}"), "zerowidth");
    }

    #[test]
    fn other_controls_become_visible_marks() {
        assert_eq!(sanitize("a\u{7}b\u{7f}c\u{85}d"), "a�b�c�d");
        assert_eq!(sanitize("第一行\r\n第二行"), "第一行 第二行");
    }

    #[test]
    fn lines_keep_their_breaks() {
        assert_eq!(
            sanitize_lines("第一行\n\u{1b}[2J第二行\n"),
            "第一行\n␛第二行\n"
        );
        assert!(matches!(sanitize_lines("干净\n"), Cow::Borrowed(_)));
    }

    #[test]
    fn widths_terminals_disagree_on_get_stand_ins() {
        // A family joined with ZWJ: its first emoji.
        assert_eq!(sanitize("家👨\u{200d}👩\u{200d}👧人"), "家👨人");
        // A variation selector or skin tone is dropped; a flag shows its letters.
        assert_eq!(sanitize("爱❤\u{fe0f}心"), "爱❤心");
        assert_eq!(sanitize("👍\u{1f3fc}好"), "👍好");
        assert_eq!(sanitize("🇨🇳中国"), "CN中国");
        // Unassigned and private-use code points become a mark one cell wide.
        assert_eq!(sanitize("a\u{0378}b\u{e000}c"), "a�b�c");
        // A Han ideographic variation selector is dropped, the character kept.
        assert_eq!(sanitize("葛\u{e0100}"), "葛");
        // A joiner between letters (some scripts' shaping) goes, the letters stay.
        assert_eq!(sanitize("क\u{200d}ष"), "कष");
    }

    #[test]
    fn unterminated_sequences_end_at_the_text_end() {
        assert_eq!(sanitize("a\u{1b}[12"), "a␛");
        assert_eq!(sanitize("a\u{1b}]0;title"), "a␛");
        assert_eq!(sanitize("a\u{1b}"), "a␛");
    }
}
