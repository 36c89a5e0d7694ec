//! Folding text for matching: ASCII lowercase, full-width ASCII (`５Ｇ`) to ASCII, the
//! ideographic space to a space. One character in, one character out, so match positions in the
//! folded text are positions in the original.

/// Folds one character.
pub fn fold_char(c: char) -> char {
    match c {
        '\u{ff01}'..='\u{ff5e}' => {
            char::from_u32(c as u32 - 0xfee0).map_or(c, |a| a.to_ascii_lowercase())
        }
        '\u{3000}' => ' ',
        c => c.to_ascii_lowercase(),
    }
}

/// Folds a string.
pub fn fold(text: &str) -> Vec<char> {
    text.chars().map(fold_char).collect()
}

/// Pinyin readings of a Han character: plain syllables, `ü` written `v`, duplicates removed, the
/// dictionary's default reading first. Empty for anything else.
pub fn readings(c: char) -> Vec<String> {
    use pinyin::{ToPinyin, ToPinyinMulti};
    let mut out: Vec<String> = Vec::new();
    let mut add = |s: &str| {
        let s = s.replace('ü', "v");
        if !s.is_empty() && !out.contains(&s) {
            out.push(s);
        }
    };
    if let Some(first) = c.to_pinyin() {
        add(first.plain());
    }
    if let Some(multi) = c.to_pinyin_multi() {
        for p in multi {
            add(p.plain());
        }
    }
    out
}

/// The initial of a syllable: `zh`, `ch`, `sh` or its first letter.
pub fn initial(syllable: &str) -> &str {
    for two in ["zh", "ch", "sh"] {
        if syllable.starts_with(two) {
            return two;
        }
    }
    syllable.get(..1).unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_and_case_fold() {
        assert_eq!(fold("５Ｇ网络A类"), vec!['5', 'g', '网', '络', 'a', '类']);
    }

    #[test]
    fn polyphones_have_every_reading() {
        assert!(
            readings('长').contains(&"chang".to_string())
                && readings('长').contains(&"zhang".to_string())
        );
        assert!(readings('行').contains(&"hang".to_string()));
        assert!(readings('重').contains(&"chong".to_string()));
        assert_eq!(readings('绿')[0], "lv");
        assert!(readings('a').is_empty());
    }

    #[test]
    fn initials() {
        assert_eq!(initial("zhang"), "zh");
        assert_eq!(initial("cao"), "c");
    }
}
