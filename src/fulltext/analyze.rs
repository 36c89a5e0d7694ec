//! kanbao's analyzer for full-text search: how text becomes the tokens an index keeps and a
//! query looks for. Chinese has no spaces and OCR garbles words, so a word segmenter would miss
//! partial words, unknown names and misread characters; instead every CJK character is one
//! token with its position, and a query's run of characters is a phrase — search means
//! "contains this substring" (what Quickwit's `chinese_compatible` tokenizer does). Latin
//! letters and digits form lowercased words; full-width forms fold to half-width (`１２月` is
//! `12月`), Traditional characters to Simplified (`憲法` is `宪法`). Each token keeps the byte
//! range of the original text, so hits are highlighted on the characters as written.

use std::collections::HashMap;
use std::sync::LazyLock;

use crate::parse::chars::{half_width, is_cjk};

/// One token: its folded text, its position among the tokens, and where it stands in the
/// original text (byte offsets).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// The folded form that is indexed and matched.
    pub text: String,
    /// Position among the text's tokens (0-based): consecutive tokens of a phrase differ by 1.
    pub position: usize,
    /// Byte offset of its first character in the original text.
    pub start: usize,
    /// Byte offset just past its last character.
    pub end: usize,
}

/// Traditional characters and their Simplified forms, one character for one (`憲` → `宪`,
/// `綫` → `线`): OpenCC's Traditional-to-Simplified data applied to every ideograph of the
/// common blocks alone, only those that change kept. Per character, not per phrase: a search
/// must find `憲法` by `宪法` and the reverse without guessing at words. Worked out from
/// OpenCC ahead of time (`t2s.txt`, kept equal to it by a test) rather than at every start:
/// converting 28,000 characters took a tenth of a `kanbao grep` that found nothing.
const SIMPLIFIED_PAIRS: &str = include_str!("t2s.txt");

static SIMPLIFIED: LazyLock<HashMap<char, char>> = LazyLock::new(|| {
    SIMPLIFIED_PAIRS
        .lines()
        .filter(|line| !line.starts_with('#'))
        .filter_map(|line| {
            let mut chars = line.chars();
            match (chars.next(), chars.next(), chars.next()) {
                (Some(traditional), Some(simple), None) => Some((traditional, simple)),
                _ => None,
            }
        })
        .collect()
});

/// The Traditional characters of the main ideograph block whose Simplified form takes as many
/// bytes, one bit each: what [`simplified_in_place`] asks first, at a bit test per character
/// (a Simplified text is scanned at little cost).
static CHANGES: LazyLock<Vec<u64>> = LazyLock::new(|| {
    let mut bits = vec![0u64; (0x9FFF - 0x4E00 + 1usize).div_ceil(64)];
    for (&traditional, &simple) in SIMPLIFIED.iter() {
        if (0x4E00..=0x9FFF).contains(&(traditional as u32))
            && traditional.len_utf8() == simple.len_utf8()
        {
            let at = traditional as usize - 0x4E00;
            bits[at / 64] |= 1 << (at % 64);
        }
    }
    bits
});

/// `c`'s Simplified form when it is a Traditional character of the main ideograph block whose
/// Simplified form takes as many bytes in UTF-8 (so text keeps its offsets); else `None`.
pub fn simplified_in_place(c: char) -> Option<char> {
    if !changes_in_place(&CHANGES, c) {
        return None;
    }
    SIMPLIFIED.get(&c).copied()
}

/// True when `c` is in `set` (the bits of [`CHANGES`]): [`simplified_in_place`] would
/// change it.
#[inline(always)]
fn changes_in_place(set: &[u64], c: char) -> bool {
    let at = (c as u32).wrapping_sub(0x4E00) as usize;
    set.get(at / 64)
        .is_some_and(|bits| bits & (1 << (at % 64)) != 0)
}

/// Where the first character [`simplified_in_place`] would change begins in `text`: the
/// set is fetched once, and each character costs a bit test.
pub fn first_in_place(text: &str) -> Option<usize> {
    let set: &[u64] = &CHANGES;
    // Read as bytes: U+4E00..=U+9FFF are the three-byte forms led by 0xE4..=0xE9, and every
    // other byte is passed over without decoding.
    let bytes = text.as_bytes();
    let mut at = 0;
    while at + 2 < bytes.len() {
        let lead = bytes[at];
        if (0xE4..=0xE9).contains(&lead) {
            let c = (u32::from(lead & 0x0F) << 12)
                | (u32::from(bytes[at + 1] & 0x3F) << 6)
                | u32::from(bytes[at + 2] & 0x3F);
            if char::from_u32(c).is_some_and(|c| changes_in_place(set, c)) {
                return Some(at);
            }
            at += 3;
        } else {
            at += 1;
        }
    }
    None
}

/// A character as it is matched: full-width ASCII forms as their half-width letters and
/// digits, the ideographic space as a space, letters lowercased, Traditional Chinese as
/// Simplified.
pub fn fold(c: char) -> char {
    let half = match c {
        '\u{3000}' => ' ',
        _ => half_width(c),
    };
    if is_cjk(half) {
        return SIMPLIFIED.get(&half).copied().unwrap_or(half);
    }
    if half.is_ascii() {
        half.to_ascii_lowercase()
    } else {
        // Non-ASCII letters (Cyrillic, accented Latin) lowercase to one character mostly;
        // where they do not, the first keeps offsets simple and matching consistent.
        half.to_lowercase().next().unwrap_or(half)
    }
}

/// Splits `text` into tokens: each CJK character alone, runs of other letters and digits as
/// words; punctuation and spaces separate and are not indexed.
pub fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut word: Option<(usize, String)> = None;
    let end_word = |word: &mut Option<(usize, String)>, end: usize, out: &mut Vec<Token>| {
        if let Some((start, text)) = word.take() {
            let position = out.len();
            out.push(Token {
                text,
                position,
                start,
                end,
            });
        }
    };
    for (at, c) in text.char_indices() {
        let folded = fold(c);
        if is_cjk(folded) {
            end_word(&mut word, at, &mut out);
            let position = out.len();
            out.push(Token {
                text: folded.to_string(),
                position,
                start: at,
                end: at + c.len_utf8(),
            });
        } else if folded.is_alphanumeric() {
            word.get_or_insert_with(|| (at, String::new()))
                .1
                .push(folded);
        } else {
            end_word(&mut word, at, &mut out);
        }
    }
    end_word(&mut word, text.len(), &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte scan finds what a scan of every character finds, wherever the Traditional
    /// character stands among one-, two-, three- and four-byte characters.
    #[test]
    fn the_byte_scan_finds_the_first_character_to_fold() {
        let by_chars = |text: &str| {
            text.char_indices()
                .find(|(_, c)| simplified_in_place(*c).is_some())
                .map(|(at, _)| at)
        };
        for text in [
            "本报讯 记者",
            "本報訊 記者",
            "a é 中 𠀀 報",
            "ｱ€報",
            "報",
            "简体字而已",
            "",
            "𠀀𠀀𠀀學",
        ] {
            assert_eq!(first_in_place(text), by_chars(text), "{text:?}");
        }
        assert_eq!(first_in_place("本報"), Some("本".len()));
    }

    /// What OpenCC's Traditional-to-Simplified data makes of every ideograph alone, as
    /// `t2s.txt` holds it.
    fn from_opencc() -> String {
        use ferrous_opencc::OpenCC;
        use ferrous_opencc::config::BuiltinConfig;
        let converter = OpenCC::from_config(BuiltinConfig::T2s).expect("OpenCC's t2s data");
        let mut out = String::from(
            "# Traditional characters and their Simplified forms, one per line: each ideograph\n\
             # of U+3400–4DBF, U+4E00–9FFF and U+F900–FAFF converted alone with OpenCC's t2s\n\
             # data (ferrous-opencc; OpenCC's data is Apache-2.0), where it changes to one other\n\
             # character. Regenerate: KANBAO_WRITE_T2S=1 cargo test --lib t2s, then again without.\n",
        );
        let blocks = [0x3400..=0x4DBF, 0x4E00..=0x9FFF, 0xF900..=0xFAFF];
        let mut buffer = [0u8; 4];
        for c in blocks.into_iter().flatten().filter_map(char::from_u32) {
            let converted = converter.convert(c.encode_utf8(&mut buffer));
            let mut chars = converted.chars();
            if let (Some(simple), None) = (chars.next(), chars.next())
                && simple != c
            {
                out.push(c);
                out.push(simple);
                out.push('\n');
            }
        }
        out
    }

    /// The table kanbao ships is OpenCC's, whole: regenerated when the crate's data changes.
    #[test]
    fn the_t2s_table_is_what_opencc_makes() {
        let made = from_opencc();
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/fulltext/t2s.txt");
        if std::env::var_os("KANBAO_WRITE_T2S").is_some() {
            std::fs::write(path, &made).expect("write t2s.txt");
        }
        assert!(
            made == SIMPLIFIED_PAIRS,
            "t2s.txt is out of date: see its header"
        );
        assert!(SIMPLIFIED.len() > 2000, "{} pairs", SIMPLIFIED.len());
        assert_eq!(fold('憲'), '宪');
        assert_eq!(fold('綫'), '线');
        assert_eq!(fold('宪'), '宪');
    }

    fn texts(text: &str) -> Vec<String> {
        tokens(text).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn every_cjk_character_is_a_token_and_latin_words_are_words() {
        assert_eq!(texts("数字化转型"), ["数", "字", "化", "转", "型"]);
        assert_eq!(texts("5G基站 WiFi6"), ["5g", "基", "站", "wifi6"]);
        assert_eq!(texts("，。！ “”"), Vec::<String>::new());
        assert_eq!(texts("서울 시청"), ["서", "울", "시", "청"]);
    }

    #[test]
    fn full_width_forms_fold_to_half_width() {
        assert_eq!(texts("１２月"), texts("12月"));
        assert_eq!(texts("ＡＰＰ"), ["app"]);
    }

    #[test]
    fn traditional_folds_to_simplified_character_by_character() {
        assert_eq!(texts("憲法"), texts("宪法"));
        assert_eq!(texts("眾新聞 戰綫"), ["众", "新", "闻", "战", "线"]);
        // A character that is the same in both stays itself.
        assert_eq!(texts("中国"), ["中", "国"]);
    }

    #[test]
    fn tokens_keep_positions_and_the_original_byte_ranges() {
        let text = "在１２月，ＡＰＰ上线";
        let found = tokens(text);
        for (i, token) in found.iter().enumerate() {
            assert_eq!(token.position, i);
        }
        let twelve = &found[1];
        assert_eq!(twelve.text, "12");
        assert_eq!(&text[twelve.start..twelve.end], "１２");
        let app = found.iter().find(|t| t.text == "app").expect("app");
        assert_eq!(&text[app.start..app.end], "ＡＰＰ");
    }

    #[test]
    fn no_character_of_an_indexed_run_is_lost() {
        // Every letter, digit and CJK character is in exactly one token.
        let text = "OCR识别的“第53号”1968年９月 Ｘ光";
        let covered: String = tokens(text).iter().map(|t| &text[t.start..t.end]).collect();
        let wanted: String = text
            .chars()
            .filter(|c| is_cjk(fold(*c)) || fold(*c).is_alphanumeric())
            .collect();
        assert_eq!(covered, wanted);
    }
}
