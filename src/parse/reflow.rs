//! Mending what the page layout did to paragraphs: column breaks that split a sentence, a
//! dateline glued to the first paragraph, a credit glued to the last one, OCR duplicates.

use super::chars::{
    ends_sentence, is_closing, is_sentence_end, is_unspaced, join_split_into, visible_len,
};
use super::credits::{is_parenthetical_credit, is_role_and_names, split_dateline};

/// One body line as read, before mending.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Para {
    /// The cleaned text.
    pub text: String,
    /// 1-based source line.
    pub line: usize,
    /// The line began with an indent: it starts a paragraph, whatever precedes it.
    pub indented: bool,
    /// The line is a photo caption.
    pub caption: bool,
    /// The line is an in-body subhead: a paragraph of its own, never joined to a neighbour.
    pub subhead: bool,
}

/// Paragraphs after mending, plus what was split off them.
#[derive(Debug, Default, PartialEq)]
pub struct Finished {
    /// Dateline and reporters split off the first paragraph.
    pub byline: Option<String>,
    /// A credit split off the end of the last paragraph.
    pub credit: Option<String>,
    /// The mended paragraphs.
    pub paragraphs: Vec<String>,
    /// Short pieces repeating the end of the paragraph before them: (line, text).
    pub duplicates: Vec<(usize, String)>,
    /// Indices of the paragraphs that are subheads.
    pub subheads: Vec<usize>,
}

/// The longest piece (in visible characters) taken for an OCR duplicate of the text before it.
const MAX_DUPLICATE_LEN: usize = 12;

/// Mends a run of body lines into paragraphs. `want_byline`: split a dateline off the first line
/// (`本报讯(记者 马琳)日前，…`); `want_credit`: split a credit off the end of the last one
/// (`…张健说。记者 马源勤`).
pub fn finish_paragraphs(mut paras: Vec<Para>, want_byline: bool, want_credit: bool) -> Finished {
    let mut finished = Finished::default();
    if want_byline {
        if let Some(first) = paras.first_mut()
            && let Some((dateline, rest)) = split_dateline(&first.text)
        {
            finished.byline = Some(dateline.to_string());
            first.text = rest.to_string();
        }
        paras.retain(|p| !p.text.is_empty());
    }
    let mut merged: Vec<Para> = Vec::with_capacity(paras.len());
    for para in paras {
        match merged.last_mut() {
            Some(prev)
                if !ends_sentence(&prev.text)
                    && !para.indented
                    && !para.caption
                    && !para.subhead
                    && !prev.subhead =>
            {
                join_split_into(&mut prev.text, &para.text);
            }
            Some(prev) if is_duplicate_tail(&prev.text, &para.text) => {
                finished.duplicates.push((para.line, para.text));
            }
            _ => merged.push(para),
        }
    }
    if want_credit
        && let Some(last) = merged.last_mut()
        && let Some((body, credit)) = split_glued_credit(&last.text)
    {
        finished.credit = Some(credit.to_string());
        last.text = body.to_string();
    }
    finished.subheads = (0..merged.len()).filter(|&i| merged[i].subhead).collect();
    finished.paragraphs = merged.into_iter().map(|p| tidy_spaces(&p.text)).collect();
    finished
}

/// `会氛围。` after `…的社会氛围。`: a short piece that repeats the end of the text before it.
fn is_duplicate_tail(before: &str, piece: &str) -> bool {
    // Cheap rejections first: this runs for every paragraph.
    if piece.len() > MAX_DUPLICATE_LEN * 4 + 16
        || !(2..=MAX_DUPLICATE_LEN).contains(&visible_len(piece))
    {
        return false;
    }
    let mut tail = before.chars().rev().filter(|c| !c.is_whitespace());
    piece
        .chars()
        .rev()
        .filter(|c| !c.is_whitespace())
        .all(|c| tail.next() == Some(c))
}

/// Splits a credit glued after the last sentence: `…张健说。记者 马源勤` → (`…张健说。`,
/// `记者 马源勤`); also `…。(付玉婷)`.
pub fn split_glued_credit(text: &str) -> Option<(&str, &str)> {
    let trimmed = text.trim_end();
    // Find the end of the last sentence before the end of the text.
    let mut boundary = None;
    let mut chars = trimmed.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if is_sentence_end(c) {
            let mut end = at + c.len_utf8();
            while let Some(&(next_at, next)) = chars.peek() {
                if is_closing(next) {
                    end = next_at + next.len_utf8();
                    chars.next();
                } else {
                    break;
                }
            }
            if end < trimmed.len() {
                boundary = Some(end);
            }
        }
    }
    let boundary = boundary?;
    let tail = trimmed[boundary..].trim();
    let is_credit = visible_len(tail) <= 30
        && (is_role_and_names(tail) || is_parenthetical_credit(tail))
        && !ends_sentence(tail.trim_end_matches([')', '）']));
    is_credit.then(|| (trimmed[..boundary].trim_end(), tail))
}

/// Drops the space OCR leaves after an ASCII comma, semicolon or colon between CJK characters
/// (`创建, 要坚持` → `创建,要坚持`).
fn tidy_spaces(text: &str) -> String {
    if !text.contains(", ") && !text.contains("; ") && !text.contains(": ") {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        if c == ' ' && i >= 2 {
            let punct = chars[i - 1];
            let before = chars[i - 2];
            let after = chars.get(i + 1).copied();
            if matches!(punct, ',' | ';' | ':')
                && (is_unspaced(before) || before.is_ascii_digit() || is_closing(before))
                && after.is_some_and(|a| is_unspaced(a) || "“‘《（".contains(a))
            {
                continue;
            }
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paras(lines: &[&str]) -> Vec<Para> {
        lines
            .iter()
            .enumerate()
            .map(|(i, t)| Para {
                text: t.to_string(),
                line: i + 1,
                indented: false,
                caption: false,
                subhead: false,
            })
            .collect()
    }

    #[test]
    fn a_column_break_mid_sentence_is_mended() {
        let got = finish_paragraphs(
            paras(&["围绕产业链，综合", "应用数字技术。", "第二段。"]),
            false,
            false,
        );
        assert_eq!(
            got.paragraphs,
            vec!["围绕产业链，综合应用数字技术。", "第二段。"]
        );
    }

    #[test]
    fn a_break_inside_quotes_is_mended() {
        let got = finish_paragraphs(paras(&["创新“三心同", "建”机制。"]), false, false);
        assert_eq!(got.paragraphs, vec!["创新“三心同建”机制。"]);
    }

    #[test]
    fn a_quoted_name_at_a_line_end_is_not_a_sentence_end() {
        let got = finish_paragraphs(paras(&["全省“亩产效益”", "评价改革。"]), false, false);
        assert_eq!(got.paragraphs, vec!["全省“亩产效益”评价改革。"]);
    }

    #[test]
    fn latin_words_split_by_a_column_meet_with_one_space() {
        let got = finish_paragraphs(paras(&["the quick", "brown fox."]), false, false);
        assert_eq!(got.paragraphs, vec!["the quick brown fox."]);
    }

    #[test]
    fn list_lines_ending_in_semicolons_stay_separate() {
        let got = finish_paragraphs(
            paras(&["2024年,完成试点工作;", "2024年,实现增长;"]),
            false,
            false,
        );
        assert_eq!(got.paragraphs.len(), 2);
    }

    #[test]
    fn an_indented_line_starts_a_paragraph_even_after_an_open_one() {
        let mut input = paras(&["摘要没有句号", "正文第一段。"]);
        input[1].indented = true;
        let got = finish_paragraphs(input, false, false);
        assert_eq!(got.paragraphs.len(), 2);
    }

    #[test]
    fn dateline_with_reporters_becomes_the_byline() {
        let got = finish_paragraphs(paras(&["本报讯(记者 马琳)日前，记者获悉。"]), true, false);
        assert_eq!(got.byline.as_deref(), Some("本报讯(记者 马琳)"));
        assert_eq!(got.paragraphs, vec!["日前，记者获悉。"]);
    }

    #[test]
    fn glued_credit_is_split_off() {
        let got = finish_paragraphs(
            paras(&["更好为群众代言。”张某说。记者 马某某"]),
            false,
            true,
        );
        assert_eq!(got.credit.as_deref(), Some("记者 马某某"));
        assert_eq!(got.paragraphs, vec!["更好为群众代言。”张某说。"]);
        assert_eq!(
            split_glued_credit("体系。(付某某)"),
            Some(("体系。", "(付某某)"))
        );
        assert_eq!(split_glued_credit("他说。记者会召开了"), None);
        assert_eq!(split_glued_credit("没有句号 记者 王某"), None);
    }

    #[test]
    fn ocr_duplicate_of_a_tail_is_set_aside() {
        let got = finish_paragraphs(
            paras(&["营造良好的社会氛围。", "会氛围。", "下一段。"]),
            false,
            false,
        );
        assert_eq!(got.paragraphs, vec!["营造良好的社会氛围。", "下一段。"]);
        assert_eq!(got.duplicates, vec![(2, "会氛围。".to_string())]);
    }

    #[test]
    fn ocr_spaces_after_ascii_commas_are_tidied() {
        assert_eq!(
            tidy_spaces("8月18日, 市委副书记, 市长"),
            "8月18日,市委副书记,市长"
        );
        assert_eq!(tidy_spaces("Hello, world"), "Hello, world");
    }
}
