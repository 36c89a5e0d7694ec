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

/// Modern readings of the polyphonic characters (see the file's header for where they come
/// from): `长 chang zhang`, the common reading first.
const POLYPHONES: &str = include_str!("polyphones.txt");

fn polyphones() -> &'static std::collections::HashMap<char, Vec<&'static str>> {
    static TABLE: std::sync::OnceLock<std::collections::HashMap<char, Vec<&'static str>>> =
        std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        POLYPHONES
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| {
                let mut words = l.split_whitespace();
                let c = words.next()?.chars().next()?;
                Some((c, words.collect()))
            })
            .collect()
    })
}

/// Pinyin readings of a Han character as a modern reader types them: plain syllables, `ü`
/// written `v`, the common reading first, then — for a polyphone — its alternatives in use
/// (重 zhong chong, 行 xing hang). Classical and dialect readings in the full dictionary
/// (活 guo, 草 zao) are left out: they made `guo` rank 活动 first. Empty for anything else.
pub fn readings(c: char) -> Vec<String> {
    use pinyin::ToPinyin;
    if let Some(listed) = polyphones().get(&c) {
        return listed.iter().map(|r| r.to_string()).collect();
    }
    c.to_pinyin()
        .map(|p| vec![p.plain().replace('ü', "v")])
        .unwrap_or_default()
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
        // The common reading first; rare classical readings gone.
        assert_eq!(readings('长'), ["chang", "zhang"]);
        assert_eq!(readings('还'), ["hai", "huan"]);
        assert_eq!(readings('活'), ["huo"]);
        assert_eq!(readings('草'), ["cao"]);
        assert_eq!(readings('造'), ["zao"]);
    }

    #[test]
    fn initials() {
        assert_eq!(initial("zhang"), "zh");
        assert_eq!(initial("cao"), "c");
    }
}
