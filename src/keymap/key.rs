//! Key notation: `j`, `G`, `?`, `<C-d>`, `<A-x>`, `<S-Tab>`, `<Enter>`, `<Esc>`, `<Space>`,
//! `<Up>`, `<PageDown>`, `<F1>`. Parsing and printing round-trip; Shift on a character is
//! normalised into the character (`<S-g>` is `G`), so terminals that report it either way agree.

use std::fmt;

/// A key without modifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeyCode {
    /// A printable character.
    Char(char),
    /// Enter / Return.
    Enter,
    /// Escape.
    Esc,
    /// Tab.
    Tab,
    /// Backspace.
    Backspace,
    /// Delete.
    Delete,
    /// Insert.
    Insert,
    /// Arrow up.
    Up,
    /// Arrow down.
    Down,
    /// Arrow left.
    Left,
    /// Arrow right.
    Right,
    /// Home.
    Home,
    /// End.
    End,
    /// Page up.
    PageUp,
    /// Page down.
    PageDown,
    /// A function key.
    F(u8),
}

/// A key with modifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    /// The key.
    pub code: KeyCode,
    /// Control held.
    pub ctrl: bool,
    /// Alt/Meta held.
    pub alt: bool,
    /// Shift held (never set for characters: the character carries it).
    pub shift: bool,
}

impl Key {
    /// A plain key.
    pub const fn plain(code: KeyCode) -> Key {
        Key {
            code,
            ctrl: false,
            alt: false,
            shift: false,
        }
    }

    /// A key with modifiers, Shift normalised into characters.
    pub fn new(code: KeyCode, ctrl: bool, alt: bool, shift: bool) -> Key {
        let (code, shift) = match code {
            KeyCode::Char(c) if shift => {
                (KeyCode::Char(c.to_uppercase().next().unwrap_or(c)), false)
            }
            KeyCode::Char(c) if ctrl && c.is_ascii_uppercase() => (KeyCode::Char(c), false),
            other => (other, shift),
        };
        let code = match code {
            // Ctrl combinations are case-blind in terminals: <C-D> is <C-d>.
            KeyCode::Char(c) if ctrl => KeyCode::Char(c.to_ascii_lowercase()),
            other => other,
        };
        Key {
            code,
            ctrl,
            alt,
            shift,
        }
    }

    /// A digit typed without modifiers (for counts).
    pub fn digit(&self) -> Option<u32> {
        match self.code {
            KeyCode::Char(c) if !self.ctrl && !self.alt => c.to_digit(10),
            _ => None,
        }
    }

    /// Parses one key in notation.
    pub fn parse(text: &str) -> Result<Key, String> {
        let mut chars = text.chars();
        match (chars.next(), chars.next()) {
            (None, _) => return Err("empty key".into()),
            (Some(c), None) if c != '<' || text == "<" => {
                return Ok(Key::new(KeyCode::Char(c), false, false, false));
            }
            _ => {}
        }
        let inner = text
            .strip_prefix('<')
            .and_then(|t| t.strip_suffix('>'))
            .ok_or_else(|| {
                format!("unknown key {text:?} (one character, or a name in <>, like <C-d>)")
            })?;
        let mut ctrl = false;
        let mut alt = false;
        let mut shift = false;
        let mut name = inner;
        while name.len() > 2 && name.as_bytes()[1] == b'-' {
            match name.as_bytes()[0].to_ascii_uppercase() {
                b'C' => ctrl = true,
                b'A' | b'M' => alt = true,
                b'S' => shift = true,
                _ => return Err(format!("unknown modifier in {text:?} (use C-, A- or S-)")),
            }
            name = &name[2..];
        }
        let code = match name.to_ascii_lowercase().as_str() {
            "enter" | "cr" | "return" => KeyCode::Enter,
            "esc" | "escape" => KeyCode::Esc,
            "tab" => KeyCode::Tab,
            "backspace" | "bs" => KeyCode::Backspace,
            "del" | "delete" => KeyCode::Delete,
            "insert" => KeyCode::Insert,
            "space" => KeyCode::Char(' '),
            "lt" => KeyCode::Char('<'),
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "pageup" => KeyCode::PageUp,
            "pagedown" => KeyCode::PageDown,
            lower => {
                let mut cs = name.chars();
                match (cs.next(), cs.next()) {
                    (Some(c), None) => KeyCode::Char(c),
                    _ => match lower.strip_prefix('f').and_then(|n| n.parse::<u8>().ok()) {
                        Some(n) if (1..=24).contains(&n) => KeyCode::F(n),
                        _ => return Err(format!("unknown key name {name:?} in {text:?}")),
                    },
                }
            }
        };
        Ok(Key::new(code, ctrl, alt, shift))
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self.code {
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Char('<') => "lt".to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Enter => "Enter".into(),
            KeyCode::Esc => "Esc".into(),
            KeyCode::Tab => "Tab".into(),
            KeyCode::Backspace => "Backspace".into(),
            KeyCode::Delete => "Del".into(),
            KeyCode::Insert => "Insert".into(),
            KeyCode::Up => "Up".into(),
            KeyCode::Down => "Down".into(),
            KeyCode::Left => "Left".into(),
            KeyCode::Right => "Right".into(),
            KeyCode::Home => "Home".into(),
            KeyCode::End => "End".into(),
            KeyCode::PageUp => "PageUp".into(),
            KeyCode::PageDown => "PageDown".into(),
            KeyCode::F(n) => format!("F{n}"),
        };
        let plain_char = matches!(self.code, KeyCode::Char(c) if c != ' ' && c != '<');
        if plain_char && !self.ctrl && !self.alt && !self.shift {
            return f.write_str(&name);
        }
        f.write_str("<")?;
        if self.ctrl {
            f.write_str("C-")?;
        }
        if self.alt {
            f.write_str("A-")?;
        }
        if self.shift {
            f.write_str("S-")?;
        }
        write!(f, "{name}>")
    }
}

/// Prints a chord as a user types it: `gg`, `<C-w>j`.
pub fn chord_to_string(chord: &[Key]) -> String {
    chord.iter().map(Key::to_string).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notation_round_trips() {
        for text in [
            "j",
            "G",
            "?",
            "<C-d>",
            "<A-x>",
            "<S-Tab>",
            "<Enter>",
            "<Esc>",
            "<Space>",
            "<Up>",
            "<PageDown>",
            "<F1>",
            "[",
            "{",
            "|",
            "<lt>",
            "<C-A-x>",
        ] {
            let key = Key::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(key.to_string(), text, "{text}");
            assert_eq!(Key::parse(&key.to_string()), Ok(key));
        }
    }

    #[test]
    fn shift_is_normalised_into_characters() {
        assert_eq!(Key::parse("<S-g>"), Key::parse("G"));
        assert_eq!(
            Key::new(KeyCode::Char('g'), false, false, true),
            Key::parse("G").unwrap()
        );
        assert_eq!(Key::parse("<C-D>"), Key::parse("<C-d>"));
        assert_eq!(Key::parse("<cr>"), Key::parse("<Enter>"));
    }

    #[test]
    fn bad_notation_is_explained() {
        assert!(Key::parse("").is_err());
        assert!(Key::parse("<Nope>").unwrap_err().contains("Nope"));
        assert!(Key::parse("<X-a>").unwrap_err().contains("modifier"));
        assert!(Key::parse("jj").is_err());
        assert!(Key::parse("<F99>").is_err());
    }
}
