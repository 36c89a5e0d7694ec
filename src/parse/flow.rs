//! OCR flow: text that an OCR engine put out one recognised line after another, with no blank
//! lines. There a short line without punctuation is as often a column's cut-off piece as a
//! headline, two columns read side by side come out as one line, and a headline is often
//! fused to what stood beside it. The rules here run only on such text: they split fused
//! lines, demote headline-shaped scraps to text and set the page's running head aside.

use super::chars::{ends_sentence, half_width, is_clause_punct, is_han, simplified, visible_len};
use super::lines::{Line, LineKind, classify};
use super::masthead::{Masthead, find_date, read_fields};

/// Longer headline-shaped lines stand only over a dateline (see [`mend_flow`]).
const LONG_HEADLINE: usize = 30;

/// The flow rules, for `lines` that are a flow ([`is_flow`], which the caller asks).
pub(super) fn read_flow(lines: Vec<Line>) -> Vec<Line> {
    let mut lines = split_fused(lines);
    mend_flow(&mut lines);
    set_aside_running_heads(&mut lines);
    lines
}

/// Lines that join two things OCR read side by side, split in two (both keep the source
/// line's number): an issue line with the lead headline fused onto its end
/// (`第53号1968年9月25日星期三（…）某某标题`), and a headline with the next story's dateline
/// fused onto its end (`某某标题新华社某地某日消息】正文…`).
fn split_fused(lines: Vec<Line>) -> Vec<Line> {
    let mut out = Vec::with_capacity(lines.len());
    for (i, line) in lines.into_iter().enumerate() {
        // What follows the split: a headline after an issue line, a dateline and its text
        // after a headline, a masthead field (set aside) after whatever it was fused onto.
        let split = issue_line_tail(&line.text)
            .map(|at| (at, None))
            .or_else(|| headline_before_dateline(&line.text).map(|at| (at, Some(LineKind::Body))))
            .or_else(|| {
                (i < TOP_OF_PAGE)
                    .then(|| field_tail(&line.text))
                    .flatten()
                    .map(|at| (at, Some(LineKind::RunningHead)))
            });
        let Some((at, tail_kind)) = split else {
            out.push(line);
            continue;
        };
        let (head, tail) = line.text.split_at(at);
        let (head, tail) = (head.trim().to_string(), tail.trim().to_string());
        out.push(Line {
            kind: classify(&head),
            text: head,
            ..line.clone()
        });
        out.push(Line {
            kind: tail_kind.unwrap_or_else(|| classify(&tail)),
            text: tail,
            gap_before: 0,
            indented: false,
            ..line
        });
    }
    out
}

/// Where the headline fused onto an issue line starts: after the number, the date, the
/// weekday and a parenthetical (a lunar date), when what is left is headline-shaped Chinese
/// with no number in it (a lunar date or a page count is a masthead field, not a headline).
fn issue_line_tail(text: &str) -> Option<usize> {
    // (Traditional text is read as Simplified: the rules' words are. Offsets stay valid.)
    let folded = simplified(text);
    let text = folded.as_ref();
    let numbered = ["号", "期"].iter().any(|unit| {
        text.find('第')
            .is_some_and(|at| text[at..].find(unit).is_some_and(|end| end <= 3 * 8))
    });
    if !numbered || find_date(text).is_none() {
        return None;
    }
    let mut end = text
        .find("星期")
        .map(|at| at + "星期".len() + 3)
        .or_else(|| {
            let year = text.find('年')?;
            text[year..]
                .find('日')
                .map(|day| year + day + '日'.len_utf8())
        })?;
    end = end.min(text.len());
    if !text.is_char_boundary(end) {
        return None;
    }
    let rest = &text[end..];
    if let Some(inner) = rest.strip_prefix(['（', '(']) {
        let close = inner.find(['）', ')'])?;
        let close_len = inner[close..].chars().next().map_or(0, char::len_utf8);
        end += rest.len() - inner.len() + close + close_len;
    }
    let tail = text[end..].trim();
    let n = visible_len(tail);
    let shaped = (4..=40).contains(&n)
        && tail.chars().all(|c| is_han(c) || "“”‘’《》、".contains(c))
        && !tail.chars().any(is_clause_punct)
        && !read_fields(tail, &mut Masthead::default());
    shaped.then_some(end)
}

/// How many lines of a flow count as the top of its first page, where the masthead's fields
/// are (see [`field_tail`]).
pub(super) const TOP_OF_PAGE: usize = 6;

/// Chinese numerals of issue numbers and dates.
const NUMERALS: &str = "〇零一二三四五六七八九十百千";

/// Where a masthead field fused onto the end of a line starts, when the line is at the top of
/// a page with no nameplate OCR could read: an issue number (`水调歌头第一期`: `第一期`) or a
/// date (`…一九七六年十一月二十三日`). Something must come before it.
fn field_tail(text: &str) -> Option<usize> {
    /// The longest field: a date in Chinese numerals with its weekday has 15 characters.
    const LONGEST: usize = 20;
    let text = text.trim_end();
    // A field ends in 期 or 号 (a number), 日 (a date) or a weekday's last character; and it
    // is looked for among the last characters only (each try reads what follows it).
    let last = simplified(text).chars().next_back()?;
    if !"期号日一二三四五六天".contains(last) {
        return None;
    }
    let from = text
        .char_indices()
        .rev()
        .nth(LONGEST)
        .map_or(0, |(at, _)| at);
    text.char_indices()
        .skip(2)
        .map(|(at, _)| at)
        .filter(|&at| at >= from)
        .find(|&at| is_field_alone(&text[at..]))
}

/// A masthead field and nothing else: an issue number (`第一期`, `总第53号`) or a date
/// (`1968年9月25日`, `一九七六年十一月二十三日`), a weekday after it allowed.
pub(super) fn is_field_alone(text: &str) -> bool {
    // (Traditional text is read as Simplified: the rules' words are. Offsets stay valid.)
    let folded = simplified(text);
    let text = folded.as_ref();
    let text = text.trim();
    let numbered = text
        .strip_prefix('总')
        .unwrap_or(text)
        .strip_prefix('第')
        .and_then(|rest| rest.strip_suffix(['期', '号']))
        .is_some_and(|n| {
            (1..=6).contains(&n.chars().count())
                && n.chars()
                    .all(|c| half_width(c).is_ascii_digit() || NUMERALS.contains(c))
        });
    numbered || is_date_alone(text)
}

/// The end of a dateline at the start of `text`: a closing `】` within its first characters,
/// right after 电, 消息 or 讯 (`【本报讯】`, `新华社某地某日消息】` that lost its `【`).
fn dateline_close(text: &str) -> Option<usize> {
    // (Traditional text is read as Simplified: the rules' words are. Offsets stay valid.)
    let folded = simplified(text);
    let text = folded.as_ref();
    let close = text.char_indices().take(24).find(|(_, c)| *c == '】')?.0;
    let head = &text[..close];
    (head.ends_with('电') || head.ends_with("消息") || head.ends_with('讯')).then_some(close)
}

/// True when `line` opens with a dateline: `【…】`, `[…]`, or one that lost its `【`.
fn opens_dateline(line: &Line) -> bool {
    line.text.starts_with(['【', '[']) || dateline_close(&line.text).is_some()
}

/// Where a dateline fused onto the end of a headline starts: at its `【`, or — the bracket
/// lost — at the agency's name, the two characters before `社` (news agencies are named
/// `某某社`) or `本报`. The headline before it is short, without punctuation.
fn headline_before_dateline(text: &str) -> Option<usize> {
    // (Traditional text is read as Simplified: the rules' words are. Offsets stay valid.)
    let folded = simplified(text);
    let text = folded.as_ref();
    let close = text.find('】')?;
    let head = &text[..close];
    if !(head.ends_with('电') || head.ends_with("消息") || head.ends_with('讯')) {
        return None;
    }
    let window_start = head.char_indices().rev().nth(15).map_or(0, |(at, _)| at);
    let window = &head[window_start..];
    let start = if let Some(open) = window.rfind('【') {
        window_start + open
    } else if let Some(own) = window.find("本报") {
        window_start + own
    } else {
        let agency = window.find('社')?;
        let before: Vec<(usize, char)> = window[..agency].char_indices().collect();
        let (at, _) = *before.get(before.len().checked_sub(2)?)?;
        window_start + at
    };
    let headline = &text[..start];
    let n = visible_len(headline);
    let shaped = (6..=40).contains(&n)
        && headline
            .chars()
            .all(|c| is_han(c) || "“”‘’《》、".contains(c))
        && !headline.chars().any(is_clause_punct);
    shaped.then_some(start)
}

/// A page's running head in a flow: a page label (`第二版`) or a date alone, and the short
/// lines without punctuation next to it (the paper's name as OCR misread it, a noise line).
/// Set aside, so it neither starts an article nor joins one.
fn set_aside_running_heads(lines: &mut [Line]) {
    let anchors: Vec<usize> = (0..lines.len())
        .filter(|&i| {
            let text = &lines[i].text;
            visible_len(text) <= 16 && (is_page_label(text) || is_date_alone(text))
        })
        .collect();
    let scrap = |l: &Line| {
        visible_len(&l.text) <= 12
            && !ends_sentence(&l.text)
            && !l.text.chars().any(is_clause_punct)
            && matches!(l.kind, LineKind::Short | LineKind::Body)
    };
    for at in anchors {
        lines[at].kind = LineKind::RunningHead;
        for i in (at.saturating_sub(1)..at)
            .rev()
            .chain(at + 1..(at + 3).min(lines.len()))
        {
            if scrap(&lines[i]) {
                lines[i].kind = LineKind::RunningHead;
            }
        }
    }
}

/// A date and nothing else, a weekday after it allowed: `1968年9月25日`,
/// `一九七六年十一月二十三日星期二`.
fn is_date_alone(text: &str) -> bool {
    let folded = simplified(text);
    let text = folded.trim();
    let date = match text.find("星期") {
        Some(at) if visible_len(&text[at..]) == 3 => &text[..at],
        _ => text,
    };
    find_date(date).is_some()
        && date.chars().all(|c| {
            let c = half_width(c);
            c.is_ascii_digit() || NUMERALS.contains(c) || "年月日-./ \u{3000}".contains(c)
        })
}

/// True when `lines` read as one unbroken flow — OCR output that puts one recognised line
/// after another with no blank lines at all — where a short line without punctuation is as
/// often a column's cut-off piece as a headline.
pub(super) fn is_flow(lines: &[Line]) -> bool {
    // A few gaps come from noise lines of markup alone (`#`).
    let gaps = lines.iter().filter(|l| l.gap_before > 0).count();
    if lines.len() < 30 || gaps * 20 > lines.len() {
        return false;
    }
    // And its lines are a column's width: most stop mid-sentence. (A text with a paragraph
    // on each line and no blank lines between ends most of its lines on a full stop.)
    let long: Vec<&Line> = lines
        .iter()
        .filter(|l| visible_len(&l.text) >= 10)
        .collect();
    let cut = long.iter().filter(|l| !ends_sentence(&l.text)).count();
    cut * 5 >= long.len() * 3
}

/// In a flow, a headline-shaped line that continues an unfinished sentence is text: unless
/// a dateline follows it (`【…消息】`, on the next line or fused onto its end), which only a
/// headline has.
fn mend_flow(lines: &mut [Line]) {
    // Only text read as text continues a sentence: not the scraps set aside below.
    let was_body: Vec<bool> = lines.iter().map(|l| l.kind == LineKind::Body).collect();
    for i in 0..lines.len() {
        // A dated line that does not end a sentence is an issue line or a dateline, not a
        // sentence a column cut.
        let continues = i > 0
            && was_body[i - 1]
            && !ends_sentence(&lines[i - 1].text)
            && find_date(&lines[i - 1].text).is_none();
        let headed = lines[i].text.contains('】') || lines.get(i + 1).is_some_and(opens_dateline);
        // A long headline in a flow is a lead story's decks: a dateline follows within two
        // lines (a subtitle or a column's piece between). A long line without one is two
        // columns' text spliced side by side.
        let long = visible_len(&lines[i].text) > LONG_HEADLINE;
        let headed_soon = headed || lines.get(i + 2).is_some_and(opens_dateline);
        // Under a byline (`《…》社论`) comes text, never another headline.
        let after_byline = i > 0 && lines[i - 1].kind == LineKind::Attribution;
        // Pieces of four characters or fewer are what OCR makes of vertical columns and
        // noise: no headline is that short in a flow.
        let scrap = visible_len(&lines[i].text) <= 4
            // A date alone is a running head.
            || is_date_alone(&lines[i].text)
            // A page label (`…第二版`) is a running head.
            || is_page_label(&lines[i].text);
        // A headline stands over a paragraph (at most a kicker or subtitle between).
        let over_text = lines
            .iter()
            .zip(&was_body)
            .skip(i + 1)
            .take(3)
            .find(|(l, body)| **body || visible_len(&l.text) > 4)
            .is_some_and(|(l, body)| *body && visible_len(&l.text) >= 30);
        // Or over the rest of its stack — more decks, a byline — and then a paragraph (under
        // a byline, whatever comes is the text).
        let over_stack = {
            let mut rest = lines.iter().zip(&was_body).skip(i + 1).take(4);
            let mut after_byline = false;
            loop {
                match rest.next() {
                    Some((l, _)) if l.kind == LineKind::Attribution => after_byline = true,
                    Some((l, _))
                        if !after_byline
                            && matches!(l.kind, LineKind::Short | LineKind::Subtitle)
                            && visible_len(&l.text) > 4 => {}
                    Some((l, body)) => break after_byline || (*body && visible_len(&l.text) >= 30),
                    None => break false,
                }
            }
        };
        let stands = over_text || over_stack || headed;
        // A line that stops on a word that needs more after it is a column cut mid-phrase.
        // A comma in a flow's line is a sentence a column cut more often than a headline's.
        let cut = ends_mid_phrase(&lines[i].text) || lines[i].text.contains(['，', ',']);
        let demoted = (continues && !headed) || scrap || cut || !stands || (long && !headed_soon);
        if lines[i].kind == LineKind::Short && (demoted || after_byline) {
            lines[i].kind = LineKind::Body;
        }
    }
}

/// True when `text` stops on a word that cannot end a phrase, so that a column's cut, not a
/// headline, ended the line: a conjunction or preposition waiting for its object (`和`, `与`,
/// `及`, `把`, `被`, `向`, `从`, `对`, `给`, `让`, `或`, `并`) or a number's measure word waiting
/// for its noun (`六个`). (`的` and `了` end headlines often enough to stay out.)
fn ends_mid_phrase(text: &str) -> bool {
    let text = text.trim_end();
    // (Only the last two characters are read: only they are read as Simplified.)
    let tail = text.char_indices().rev().nth(1).map_or(0, |(at, _)| at);
    let tail = simplified(&text[tail..]);
    let mut rest = tail.chars().rev();
    match rest.next() {
        Some(c) if "和与及把被向从对给让或并".contains(c) => true,
        Some('个') => rest
            .next()
            .is_some_and(|c| c.is_ascii_digit() || "一二两三四五六七八九十百千万几".contains(c)),
        _ => false,
    }
}

/// Ends in a page label: `第二版`, `第3版` (`江洪江板第二版`: a running head OCR misread).
pub(super) fn is_page_label(text: &str) -> bool {
    text.rfind('第')
        .and_then(|at| super::meta::page_label(&text[at..]))
        .is_some_and(|(_, section)| section.is_none())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::lines::classify_lines;

    /// An OCR flow: `lines` among enough body lines, no blank line anywhere.
    fn flow(lines: &[&str]) -> Vec<Line> {
        // A column's width of text, cut mid-sentence as OCR'd columns are.
        let filler = "这是一行正文，内容足够长，读起来像是一段报纸正文的句子而已，";
        let mut text = String::new();
        for line in lines {
            text.push_str(line);
            text.push('\n');
        }
        for _ in 0..30 {
            text.push_str(filler);
            text.push('\n');
        }
        classify_lines(&text)
    }

    fn kinds<'a>(lines: &'a [Line], want: &str) -> Vec<(&'a str, LineKind)> {
        lines
            .iter()
            .filter(|l| want.contains(l.text.as_str()) || l.text.contains(want))
            .map(|l| (l.text.as_str(), l.kind))
            .collect()
    }

    #[test]
    fn a_headline_fused_onto_the_issue_line_is_split_off() {
        let lines = flow(&[
            "某报",
            "第12号1970年3月5日星期四（农历二月）团结起来争取更大的胜利",
            "这是一行正文，内容足够长，读起来像是一段报纸正文的句子而已。",
        ]);
        assert_eq!(lines[1].text, "第12号1970年3月5日星期四（农历二月）");
        assert_eq!(lines[2].text, "团结起来争取更大的胜利");
        assert_eq!(lines[2].no, 2, "both halves keep the source line");
        assert_eq!(lines[2].kind, LineKind::Short);
        // A lunar date after the weekday is a field, not a headline.
        let lines = flow(&["第12号1970年3月5日星期四 农历二月初八"]);
        assert_eq!(lines[0].text, "第12号1970年3月5日星期四 农历二月初八");
    }

    #[test]
    fn a_dateline_fused_onto_a_headline_is_split_off_even_without_its_bracket() {
        for (line, headline) in [
            (
                "某国政府照会另一国政府某某社某地三日消息】正文从这里开始，",
                "某国政府照会另一国政府",
            ),
            (
                "某地举行盛大集会【本报讯】正文从这里开始，",
                "某地举行盛大集会",
            ),
        ] {
            let lines = flow(&[line]);
            assert_eq!(lines[0].text, headline);
            assert_eq!(
                lines[0].kind,
                LineKind::Short,
                "it stands over its dateline"
            );
            assert_eq!(lines[1].kind, LineKind::Body);
        }
    }

    #[test]
    fn a_running_head_is_set_aside_with_its_scraps_and_long_spliced_lines_are_text() {
        let lines = flow(&[
            "正文的最后一句。",
            "某某报名误读",
            "某报第二版",
            "1970年3月5日",
            "ene",
            "府主义、个人主义等等资产阶级思想和来自阶级敌人右的和左的方面的干扰和破坏的方针",
            "这是一行正文，内容足够长，读起来像是一段报纸正文的句子而已。",
        ]);
        for scrap in ["某某报名误读", "某报第二版", "1970年3月5日", "ene"] {
            assert_eq!(kinds(&lines, scrap), [(scrap, LineKind::RunningHead)]);
        }
        assert_eq!(
            lines[5].kind,
            LineKind::Body,
            "a long line with no dateline under it"
        );
    }

    #[test]
    fn a_line_cut_mid_phrase_is_text_even_after_a_finished_sentence() {
        let over = "这是一行正文，内容足够长，读起来像是一段报纸正文的句子而已。";
        for (line, cut) in [
            ("社员们把新出版的书分发给全区六个", true),
            ("工人们决心把这场斗争进行到底和", true),
            ("代表团向大会致以热烈的祝贺并", true),
            ("社員們把新出版的書分發給全區六個", true),
            ("全区六个公社掀起学习热潮", false),
            ("团结起来争取更大的胜利", false),
        ] {
            let lines = flow(&["上一句已经说完了。", line, over]);
            let want = if cut { LineKind::Body } else { LineKind::Short };
            assert_eq!(lines[1].kind, want, "{line}");
        }
    }

    #[test]
    fn masthead_fields_fused_onto_lines_at_the_top_are_split_off_and_read() {
        let top = [
            "正文开头的一句话，还没有说完的地方",
            "某某指挥部政工组主办",
            "团结起来第一期",
            "迎接新的战斗一九七六年十一月二十三日星期二",
        ];
        let lines = flow(&top);
        assert_eq!(lines[2].text, "团结起来");
        assert_eq!(
            (lines[3].text.as_str(), lines[3].kind),
            ("第一期", LineKind::RunningHead)
        );
        assert_eq!(lines[4].text, "迎接新的战斗");
        assert_eq!(lines[5].text, "一九七六年十一月二十三日星期二");
        assert_eq!(lines[5].kind, LineKind::RunningHead);
        let text: String = top.iter().map(|l| format!("{l}\n")).collect::<String>()
            + &"这是一行正文，内容足够长，读起来像是一段报纸正文的句子而已，\n".repeat(30);
        let issue = crate::parse::parse_issue("x.txt", &text);
        assert_eq!(issue.number, Some(1));
        assert_eq!(issue.date.as_deref(), Some("1976-11-23"));
        // Further down the page such a line is left whole, and text is never a field.
        let mut low = vec![
            "这是一行正文，内容足够长，读起来像是一段报纸正文的句子而已。";
            6
        ];
        low.push("团结起来第一期");
        assert!(flow(&low).iter().any(|l| l.text == "团结起来第一期"));
        assert!(!is_field_alone("第一期的内容"));
        assert!(is_field_alone("总第53号") && is_field_alone("1968年9月25日"));
    }

    #[test]
    fn a_paragraph_on_each_line_is_not_a_flow() {
        // No blank lines, but every line a finished paragraph: an export, not OCR columns.
        let mut text = String::from("团结起来争取更大的胜利\n");
        for _ in 0..40 {
            text.push_str("这是一段完整的正文，内容足够长，读起来像是一段报纸正文。\n");
        }
        assert!(!is_flow(&classify_lines(&text)));
        let cut = text.replace('。', "，");
        assert!(is_flow(&classify_lines(&cut)));
    }

    #[test]
    fn under_a_reprint_source_comes_text() {
        let lines = flow(&[
            "团结起来争取更大的胜利",
            "《某某日报》《某某军报》社论",
            "有社在全国山河一片红工人",
            "这是一行正文，内容足够长，读起来像是一段报纸正文的句子而已。",
        ]);
        assert_eq!(lines[0].kind, LineKind::Short);
        assert_eq!(lines[1].kind, LineKind::Attribution);
        assert_eq!(lines[2].kind, LineKind::Body);
    }
}
