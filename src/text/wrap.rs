//! Line wrapping for Chinese (and mixed) text by display width.
//!
//! Break opportunities come from UAX #14 (`unicode-linebreak`), tailored for Chinese typesetting
//! (clreq): curly quotes act as opening/closing brackets, no line begins with a closing mark
//! (`，。）”…·` …) or ends with an opening one (`（《“` …), `——` and `……` are never split, a
//! digit keeps its unit (`100㎡`), URLs and e-mail addresses are single units. Lines are filled
//! greedily; because a closing mark is glued to the character before it, a line that would start
//! with one pushes that character down with it (push-out). A unit wider than the line is split
//! between graphemes, carrying one grapheme down rather than starting a line with a closing mark.

use unicode_linebreak::{BreakOpportunity, linebreaks};
use unicode_segmentation::UnicodeSegmentation;

use super::width::{AmbiguousWidth, grapheme_width, str_width};

/// Characters that must not begin a line.
pub fn is_no_start(c: char) -> bool {
    "，。、；：？！）》」』】〕〗］｝”’％‰℃・·‧…～,.;:?!)]}%".contains(c)
}

/// Characters that must not end a line.
pub fn is_no_end(c: char) -> bool {
    "（《「『【〔〖［｛“‘〈([{".contains(c)
}

/// Wraps one paragraph to lines of at most `width` cells. Text is expected sanitised; a `\n`
/// starts a new line. Spaces at a break are dropped; everything else is kept in order. A
/// grapheme wider than `width` (a CJK character at width 1) cannot be shown and is skipped.
pub fn wrap(text: &str, width: usize, mode: AmbiguousWidth) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        wrap_paragraph(paragraph, width, mode, &mut lines);
    }
    lines
}

fn wrap_paragraph(text: &str, width: usize, mode: AmbiguousWidth, lines: &mut Vec<String>) {
    if text.is_empty() || width == 0 {
        lines.push(String::new());
        return;
    }
    let mut line = String::new();
    let mut line_width = 0;
    for unit in units(text) {
        let unit_width = str_width(unit, mode);
        let visible_width = str_width(unit.trim_end_matches(' '), mode);
        if line_width + visible_width <= width {
            line.push_str(unit);
            line_width += unit_width;
            continue;
        }
        if !line.is_empty() {
            lines.push(finish(&mut line));
        }
        if visible_width <= width {
            line.push_str(unit);
            line_width = unit_width;
        } else {
            line_width = split_long_unit(unit, width, mode, &mut line, lines);
        }
    }
    lines.push(finish(&mut line));
}

/// Takes the line, dropping trailing ASCII spaces (they sit at a break).
fn finish(line: &mut String) -> String {
    let kept = line.trim_end_matches(' ').len();
    line.truncate(kept);
    std::mem::take(line)
}

/// Splits a unit wider than the line between graphemes. Returns the width of the partial line
/// left in `line`.
fn split_long_unit(
    unit: &str,
    width: usize,
    mode: AmbiguousWidth,
    line: &mut String,
    lines: &mut Vec<String>,
) -> usize {
    let graphemes: Vec<&str> = unit.graphemes(true).collect();
    let mut used = 0;
    let mut on_line: Vec<&str> = Vec::new();
    for g in graphemes {
        let w = grapheme_width(g, mode);
        if w > width {
            continue; // Cannot be shown at this width at all.
        }
        if used + w > width {
            // Carry the last grapheme down rather than start the next line with a closing mark.
            let starts_bad = g.chars().next().is_some_and(is_no_start);
            let mut carried = Vec::new();
            let last_fits_with_g = on_line
                .last()
                .is_some_and(|last| grapheme_width(last, mode) + w <= width);
            if starts_bad && on_line.len() > 1 && last_fits_with_g {
                carried.extend(on_line.pop());
            }
            let text: String = on_line.concat();
            lines.push(text.trim_end_matches(' ').to_string());
            on_line = carried;
            used = on_line.iter().map(|g| grapheme_width(g, mode)).sum();
        }
        on_line.push(g);
        used += w;
    }
    line.push_str(&on_line.concat());
    used
}

/// The text cut at every allowed break: pieces that are never split (unless wider than a line).
fn units(text: &str) -> Vec<&str> {
    let boundaries = break_positions(text);
    let mut out = Vec::with_capacity(boundaries.len() + 1);
    let mut start = 0;
    for at in boundaries {
        if at > start {
            out.push(&text[start..at]);
            start = at;
        }
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

/// Byte offsets (strictly inside `text`, on grapheme boundaries) where a line may break.
pub fn break_positions(text: &str) -> Vec<usize> {
    let protected = protected_ranges(text);
    let grapheme_starts: Vec<usize> = text.grapheme_indices(true).map(|(i, _)| i).collect();
    let is_grapheme_start = |at: usize| grapheme_starts.binary_search(&at).is_ok();
    let mut uax: Vec<usize> = linebreaks(text)
        .filter(|(at, op)| *op == BreakOpportunity::Allowed && *at < text.len())
        .map(|(at, _)| at)
        .collect();
    uax.sort_unstable();
    let mut out = Vec::new();
    for &at in grapheme_starts.iter().skip(1) {
        let before = text[..at].chars().next_back();
        let after = text[at..].chars().next();
        let (Some(before), Some(after)) = (before, after) else {
            continue;
        };
        if protected.iter().any(|r| r.start < at && at < r.end) {
            continue;
        }
        let mut allowed = uax.binary_search(&at).is_ok();
        // Curly quotes: opening ones behave like `（`, closing ones like `）`.
        if matches!(after, '“' | '‘') && before != ' ' && !is_no_end(before) {
            allowed = true;
        }
        if matches!(before, '”' | '’') && after != ' ' && !is_no_start(after) {
            allowed = true;
        }
        // Spaces are dropped at a break, so what ends the line is the last non-space.
        let line_end = text[..at].trim_end_matches(' ').chars().next_back();
        if is_no_start(after) || line_end.is_some_and(is_no_end) {
            allowed = false;
        }
        if (before == '—' && after == '—') || (before == '…' && after == '…') {
            allowed = false;
        }
        // A digit keeps the unit symbol after it (`100㎡`, `36℃`).
        if before.is_ascii_digit()
            && !after.is_alphanumeric()
            && !after.is_whitespace()
            && !after.is_ascii_punctuation()
        {
            allowed = false;
        }
        if allowed && is_grapheme_start(at) {
            out.push(at);
        }
    }
    out
}

/// URLs and e-mail addresses (ASCII only), with trailing sentence punctuation left out.
fn protected_ranges(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut ranges = Vec::new();
    let bytes = text.as_bytes();
    let is_url_byte = |b: u8| b.is_ascii_graphic() && !matches!(b, b'<' | b'>' | b'"');
    let trim = |mut end: usize, start: usize| {
        while end > start
            && matches!(
                bytes[end - 1],
                b'.' | b',' | b';' | b':' | b'!' | b'?' | b')' | b'\'' | b'"'
            )
        {
            end -= 1;
        }
        end
    };
    let mut at = 0;
    while at < bytes.len() {
        let rest = &text[at..];
        if rest.starts_with("http://") || rest.starts_with("https://") || rest.starts_with("www.") {
            let mut end = at;
            while end < bytes.len() && is_url_byte(bytes[end]) {
                end += 1;
            }
            ranges.push(at..trim(end, at));
            at = end.max(at + 1);
            continue;
        }
        if bytes[at] == b'@' {
            let is_local = |b: u8| b.is_ascii_alphanumeric() || b"._%+-".contains(&b);
            let mut start = at;
            while start > 0 && is_local(bytes[start - 1]) {
                start -= 1;
            }
            let mut end = at + 1;
            while end < bytes.len()
                && (bytes[end].is_ascii_alphanumeric() || b".-".contains(&bytes[end]))
            {
                end += 1;
            }
            let end = trim(end, at);
            if start < at && text[at..end].contains('.') {
                ranges.push(start..end);
            }
            at = end.max(at + 1);
            continue;
        }
        at += rest.chars().next().map_or(1, char::len_utf8);
    }
    ranges
}

#[cfg(test)]
mod tests {
    use super::*;
    use AmbiguousWidth::{Narrow, Wide};

    fn w(text: &str, width: usize) -> Vec<String> {
        wrap(text, width, Narrow)
    }

    #[test]
    fn wrapping_table_from_the_cjk_notes() {
        assert_eq!(
            w("本报讯记者王浩，市政协召开会议。", 10),
            ["本报讯记者", "王浩，市政", "协召开会", "议。"]
        );
        assert_eq!(
            w("数字化转型，提质增效。", 6),
            ["数字化", "转型，", "提质增", "效。"]
        );
        assert_eq!(
            w("制造业数字化，转型", 6),
            ["制造业", "数字", "化，转", "型"]
        );
        assert_eq!(
            w("他说：“我们要（改革）”", 8),
            ["他说：", "“我们要", "（改", "革）”"]
        );
        assert_eq!(
            w("2024年被评为A类的226家", 9),
            ["2024年被", "评为A类的", "226家"]
        );
    }

    #[test]
    fn body_cases_t1_to_t12() {
        assert_eq!(w("中华人民共和国成立了", 10), ["中华人民共", "和国成立了"]);
        assert_eq!(
            w("中华人民共和国成立了", 9),
            ["中华人民", "共和国成", "立了"]
        );
        assert_eq!(
            w("Hello 世界你好世界你好世界", 10),
            ["Hello 世界", "你好世界你", "好世界"]
        );
        assert_eq!(
            w("私は ratatui が本当に便利だと思います", 24),
            ["私は ratatui が本当に便", "利だと思います"]
        );
        assert_eq!(
            w("\u{3000}\u{3000}记者从市政府获悉，今年全市", 12),
            ["\u{3000}\u{3000}记者从市", "政府获悉，今", "年全市"]
        );
        assert_eq!(w("我们。你好", 4), ["我", "们。", "你好"]);
        assert_eq!(
            w("他说：“我们要继续努力。”大家都鼓掌。", 10),
            ["他说：“我", "们要继续努", "力。”大家", "都鼓掌。"]
        );
        assert_eq!(
            w("他说：“我们要继续努力。”大家都鼓掌。", 7),
            ["他说：", "“我们要", "继续努", "力。”大", "家都鼓", "掌。"]
        );
        assert_eq!(
            w("新华社（记者张三）报道", 8),
            ["新华社", "（记者张", "三）报道"]
        );
        assert_eq!(w("约翰·史密斯说", 4), ["约", "翰·", "史密", "斯说"]);
        assert_eq!(w("大家都鼓掌——真好……", 11), ["大家都鼓掌", "——真好……"]);
        assert_eq!(w("大家都鼓掌——真好……", 12), ["大家都鼓掌——", "真好……"]);
    }

    #[test]
    fn urls_numbers_and_guards_t13_to_t24() {
        assert_eq!(
            w("详见http://dcf.lcxw.cn/a/b.html。", 30),
            ["详见", "http://dcf.lcxw.cn/a/b.html。"]
        );
        assert_eq!(
            w("详见http://dcf.lcxw.cn/a/b.html。", 10),
            ["详见", "http://dc", "f.lcxw.cn/", "a/b.html。"]
        );
        assert_eq!(
            w("报名网址：http://dcf.lcxw.cn，截止日期3月1日。", 20),
            ["报名网址：", "http://dcf.lcxw.cn，", "截止日期3月1日。"]
        );
        assert_eq!(
            w("联系邮箱zhang.san@example.com或电话", 24),
            ["联系邮箱", "zhang.san@example.com或", "电话"]
        );
        assert_eq!(
            w("共2023年GDP增长5.2%，", 8),
            ["共2023年", "GDP增长", "5.2%，"]
        );
        assert_eq!(w("面积100㎡，①②③", 8), ["面积", "100㎡，", "①②③"]);
        assert_eq!(w("abcd中", 5), ["abcd", "中"]);
        assert_eq!(w("a中b", 2), ["a", "中", "b"]);
        assert_eq!(w("中", 1), [""]);
        assert_eq!(
            w("据悉，该项目总投资约5亿元人民币，预计2025年竣工。", 16),
            [
                "据悉，该项目总投",
                "资约5亿元人民",
                "币，预计2025年竣",
                "工。"
            ]
        );
        assert_eq!(w("“引号”测试", 6), ["“引号”", "测试"]);
        assert_eq!(w("第一行\n第二行", 6), ["第一行", "第二行"]);
    }

    #[test]
    fn wide_ambiguous_mode_t25_t26() {
        assert_eq!(
            wrap("大家都鼓掌——真好……", 11, Wide),
            ["大家都鼓掌", "——真", "好……"]
        );
        assert_eq!(wrap("“引号”测试", 6, Wide), ["“引", "号”测", "试"]);
    }

    #[test]
    fn latin_words_break_at_spaces() {
        assert_eq!(w("the quick brown fox", 10), ["the quick", "brown fox"]);
    }
}
