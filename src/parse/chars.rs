//! Character classes the parser's rules are written in: CJK letters, sentence-final punctuation,
//! closing quotes and brackets. Pure functions over `char` and `&str`.

/// `text` with its Traditional characters read as Simplified (`報` as `报`, `攝` as `摄`), for
/// the rules, whose words are written in Simplified: a Traditional archive is read as a
/// Simplified one is. A character whose Simplified form takes another number of bytes stays
/// as it is, so an offset into the result is an offset into `text`, and a piece of the result
/// is the same piece of `text` (see [`same_piece`]). Borrowed when nothing changes.
pub fn simplified(text: &str) -> std::borrow::Cow<'_, str> {
    use crate::fulltext::analyze::{first_in_place, simplified_in_place};
    let Some(first) = first_in_place(text) else {
        return std::borrow::Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..first]);
    out.extend(
        text[first..]
            .chars()
            .map(|c| simplified_in_place(c).unwrap_or(c)),
    );
    std::borrow::Cow::Owned(out)
}

/// `piece`, a slice of `folded` (what [`simplified`] made of `text`), as the same slice of
/// `text` (empty if it is not a slice of `folded`).
pub fn same_piece<'a>(text: &'a str, folded: &str, piece: &str) -> &'a str {
    let at = (piece.as_ptr() as usize).wrapping_sub(folded.as_ptr() as usize);
    text.get(at..at.saturating_add(piece.len())).unwrap_or("")
}

/// A full-width ASCII form (`２`, `０`, `－`, `Ａ`) as its ASCII character; others as they are.
/// Dates and numbers typed on a Chinese keyboard come in either.
pub fn half_width(c: char) -> char {
    match c as u32 {
        0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

/// True for ideographs, kana and hangul: characters that are joined with no space when a column
/// break is mended.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF      // hiragana, katakana
        | 0x3400..=0x4DBF    // CJK extension A
        | 0x4E00..=0x9FFF    // CJK unified ideographs
        | 0xF900..=0xFAFF    // compatibility ideographs
        | 0x1100..=0x11FF    // hangul jamo
        | 0x3130..=0x318F    // hangul compatibility jamo
        | 0xAC00..=0xD7AF    // hangul syllables
        | 0x20000..=0x2FA1F  // supplementary ideographs
    )
}

/// True for a Han ideograph (the characters personal names are written in).
pub fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

/// Scripts written without spaces between words (Han, kana): the only ones whose OCR'd spaces
/// and line breaks may be dropped. Hangul, Latin, Cyrillic … space their words.
pub fn is_unspaced(c: char) -> bool {
    is_han(c) || matches!(c as u32, 0x3040..=0x30FF | 0x31F0..=0x31FF)
}

/// Full-width and ASCII punctuation that ends a sentence.
pub fn is_sentence_end(c: char) -> bool {
    matches!(
        c,
        '。' | '！' | '？' | '!' | '?' | '…' | '；' | ';' | '.' | '．' | '｡'
    )
}

/// Closing quotes and brackets: they end a sentence only when a sentence end precedes them
/// (`…说。”` ends, `“晨星工厂”` does not).
pub fn is_closing(c: char) -> bool {
    matches!(
        c,
        '”' | '’' | '」' | '』' | '）' | ')' | '】' | '》' | '〕' | ']' | '"' | '\''
    )
}

/// Punctuation that never occurs inside a headline but is everywhere in body text.
pub fn is_clause_punct(c: char) -> bool {
    matches!(c, '。' | '，' | '；' | ',' | ';' | '｡' | '､')
}

/// Whitespace including the ideographic space U+3000 and BOM/zero-width no-break space.
pub fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{feff}'
}

/// True when `text` ends a sentence: its last character (after closing quotes/brackets) is
/// sentence-final punctuation. Text that is not closed ends mid-sentence — a column break.
pub fn ends_sentence(text: &str) -> bool {
    let mut chars = text.trim_end_matches(is_space).chars().rev();
    loop {
        match chars.next() {
            None => return false,
            Some(c) if is_sentence_end(c) => return true,
            Some(c) if is_closing(c) => continue,
            Some(_) => return false,
        }
    }
}

/// Number of non-space characters.
pub fn visible_len(text: &str) -> usize {
    text.chars().filter(|c| !is_space(*c)).count()
}

/// True when `text` has more than `limit` visible characters. Decided from the byte length
/// alone when it can be (a character is at most 4 bytes): body lines are rejected without
/// counting.
pub fn longer_than(text: &str, limit: usize) -> bool {
    if text.len() <= limit {
        return false;
    }
    if text.len() > limit * 4 + 64 {
        return true;
    }
    // Count only as far as the limit: body lines stop after `limit` characters.
    let mut visible = 0;
    for c in text.chars() {
        if !is_space(c) {
            visible += 1;
            if visible > limit {
                return true;
            }
        }
    }
    false
}

/// A line set with a space after every character, as PDF text extraction and typesetting
/// leave headlines, mastheads and padded two-character names (`我 省 印 发 方 案`, `张　浩`,
/// `第 1 2 期`), closed up (`我省印发方案`): Chinese puts no space between characters, so
/// such spaces are layout, and the rules, the jump and search read words only without them.
/// Where the gaps differ, the narrowest are the letter spacing and a wider one separates
/// words (`■   本 报 记 者   张 浩` → `■ 本报记者 张浩`). `None` when some piece between
/// spaces is longer than one character (other than a run of punctuation such as `——`):
/// spaces that separate words or names (`记者 李若生 摄`) stay.
pub fn letter_spaced(text: &str) -> Option<String> {
    let is_gap = |c: char| matches!(c, ' ' | '\t' | '\u{3000}');
    // Runs for every line: most open with a word of several letters, which settles it.
    let opening = text.chars().take_while(|&c| !is_gap(c));
    let letter = |c: char| is_han(c) || c.is_ascii_alphanumeric();
    if opening.clone().nth(1).is_some() && opening.take(8).any(letter) {
        return None;
    }
    if !text.contains(is_gap) {
        return None;
    }
    let width = |gap: &str| {
        gap.chars()
            .map(|c| if c == ' ' { 1 } else { 2 })
            .sum::<usize>()
    };
    // The pieces between gaps, each with the width of the gap after it (0 for the last).
    let mut pieces: Vec<(&str, usize)> = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let end = rest.find(is_gap).unwrap_or(rest.len());
        let (piece, after) = rest.split_at(end);
        let gap_end = after.find(|c| !is_gap(c)).unwrap_or(after.len());
        pieces.push((piece, width(&after[..gap_end])));
        rest = &after[gap_end..];
    }
    let mut han = 0;
    for (piece, _) in &pieces {
        let mut chars = piece.chars();
        let first = chars.next()?;
        if chars.next().is_none() {
            han += usize::from(is_han(first));
        } else if piece.chars().any(char::is_alphanumeric) {
            return None;
        }
    }
    if pieces.len() < 2 || han < 2 {
        return None;
    }
    let narrowest = pieces
        .iter()
        .map(|&(_, gap)| gap)
        .filter(|&gap| gap > 0)
        .min()?;
    let mut out = String::with_capacity(text.len());
    for &(piece, gap) in &pieces {
        out.push_str(piece);
        if gap > narrowest {
            out.push(' ');
        }
    }
    Some(out)
}

/// Joins two pieces of a paragraph split by a column break: CJK meets CJK with no space, Latin
/// words (or digits) meet with one space; otherwise no space.
pub fn join_split(left: &str, right: &str) -> String {
    let mut joined = String::with_capacity(left.len() + right.len() + 1);
    joined.push_str(left);
    join_split_into(&mut joined, right);
    joined
}

/// [`join_split`] onto `left` in place: a paragraph mended from many lines grows by appending,
/// in time linear in its length (copying it for every line made a long one quadratic).
pub fn join_split_into(left: &mut String, right: &str) {
    left.truncate(left.trim_end_matches(is_space).len());
    let right = right.trim_start_matches(is_space);
    // A line break between two words of a spaced script was a space (`the quick` / `brown`,
    // `대통령이` / `공식`); between Han characters it was only the column's edge.
    let spaced = |c: char| c.is_alphanumeric() && !is_unspaced(c);
    let needs_space = matches!(
        (left.chars().next_back(), right.chars().next()),
        (Some(a), Some(b)) if spaced(a) && spaced(b)
    );
    if needs_space {
        left.push(' ');
    }
    left.push_str(right);
}

/// True when `text` is a personal name or a list of names: 2–4 Han characters, or several such
/// names separated by spaces or `、`.
pub fn is_name_list(text: &str) -> bool {
    let names: Vec<&str> = text
        .split(|c: char| is_space(c) || c == '、')
        .filter(|t| !t.is_empty())
        .collect();
    !names.is_empty()
        && names.iter().all(|name| {
            let n = name.chars().count();
            (2..=4).contains(&n) && name.chars().all(|c| is_han(c) || c == '·')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentence_end_sees_through_closing_quotes() {
        assert!(ends_sentence("他说。”"));
        assert!(ends_sentence("完成了。"));
        assert!(ends_sentence("试点工作;"));
        assert!(!ends_sentence("推进“晨星工厂”"));
        assert!(!ends_sentence("综合"));
        assert!(!ends_sentence(""));
    }

    #[test]
    fn column_splits_join_cjk_tight_and_latin_with_a_space() {
        assert_eq!(join_split("综合", "应用数字"), "综合应用数字");
        assert_eq!(join_split("the quick", "brown fox"), "the quick brown fox");
        assert_eq!(join_split("自我", "加压, 一项"), "自我加压, 一项");
        assert_eq!(join_split("有效事件", "573822件"), "有效事件573822件");
    }

    #[test]
    fn longer_than_agrees_with_counting() {
        for text in ["", "abc", "标题标题", &"字".repeat(100), &"a ".repeat(300)] {
            for limit in [0, 3, 4, 40, 99, 100, 400] {
                assert_eq!(
                    longer_than(text, limit),
                    visible_len(text) > limit,
                    "{text:?} {limit}"
                );
            }
        }
    }

    #[test]
    fn names_are_short_han_runs() {
        assert!(is_name_list("张浩"));
        assert!(is_name_list("陈清林 岳宗光"));
        assert!(is_name_list("欧阳明月"));
        assert!(!is_name_list("企业登记高效便捷"));
        assert!(!is_name_list("5G"));
        assert!(!is_name_list(""));
    }
}
