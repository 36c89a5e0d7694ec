//! The masthead: the paper's name, date, weekday, lunar date, 总第N期, 今日N版 and the web and
//! e-mail line at the top of an issue. Fields are searched for inside lines, so a masthead printed
//! on one line reads the same as one printed a field per line.

use super::chars::{half_width, is_clause_punct, is_space, same_piece, simplified, visible_len};
use super::lines::{Line, LineKind};

/// The fields read from a masthead and how many leading lines it spans.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Masthead {
    /// The paper's name (its letter-spacing was removed with the line's, see
    /// [`super::chars::letter_spaced`]).
    pub paper: Option<String>,
    /// ISO date.
    pub date: Option<String>,
    /// `星期二`.
    pub weekday: Option<String>,
    /// `农历壬寅年七月廿六`.
    pub lunar: Option<String>,
    /// 总第N期.
    pub number: Option<u32>,
    /// 今日N版.
    pub pages: Option<u32>,
    /// Web address.
    pub website: Option<String>,
    /// E-mail address.
    pub email: Option<String>,
    /// How many of the classified lines belong to the masthead.
    pub line_count: usize,
}

impl Masthead {
    fn field_count(&self) -> usize {
        [
            self.date.is_some(),
            self.weekday.is_some(),
            self.lunar.is_some(),
            self.number.is_some(),
            self.pages.is_some(),
            self.website.is_some() || self.email.is_some(),
        ]
        .iter()
        .filter(|f| **f)
        .count()
    }
}

/// The most lines a masthead may span.
const MAX_MASTHEAD_LINES: usize = 12;

/// Reads a masthead from the first lines of an issue. A masthead needs at least two fields
/// (date, weekday, lunar date, number, pages, web/e-mail); otherwise `None`, and the issue is
/// read as articles from its first line.
pub fn read_masthead(lines: &[Line]) -> Option<Masthead> {
    let mut masthead = Masthead::default();
    for (index, line) in lines.iter().take(MAX_MASTHEAD_LINES).enumerate() {
        // A metadata line under a headline dates the article, not the issue.
        if matches!(line.kind, LineKind::Meta | LineKind::FrontMatter) {
            break;
        }
        let found = read_fields(&line.text, &mut masthead);
        if found {
            // `人民日报 2018年4月1日 星期日`: a name before the fields on the first line.
            if index == 0 && masthead.paper.is_none() {
                masthead.paper = leading_name(&line.text);
            }
            masthead.line_count = index + 1;
            continue;
        }
        let paper_slot = masthead.paper.is_none() && masthead.field_count() == 0 && index == 0;
        if paper_slot && is_paper_name(line) {
            masthead.paper = Some(paper_name(&line.text));
            masthead.line_count = index + 1;
            continue;
        }
        // Under the name, before the fields: the name in Latin letters (`RENMIN RIBAO`) or
        // what the paper is (`中国共产党中央委员会机关报`).
        let under_name = masthead.paper.is_some() && masthead.line_count == index;
        if under_name && (is_latin_name(&line.text) || is_organ_line(&line.text)) {
            masthead.line_count = index + 1;
            continue;
        }
        break;
    }
    // A paper's name over its date (`人民日报` / `2018年4月1日`) is a masthead too.
    let named_and_dated = masthead.paper.is_some() && masthead.date.is_some();
    if masthead.field_count() >= 2 || named_and_dated {
        return Some(masthead);
    }
    scattered_masthead(lines).or_else(|| fields_set_aside(lines))
}

/// An OCR'd page whose nameplate was not read, its issue number and date fused onto the ends
/// of other lines at the top (`水调歌头第一期`): the flow rules split them off and set them
/// aside, and here they are read. They stay where they are (no line is the masthead's).
fn fields_set_aside(lines: &[Line]) -> Option<Masthead> {
    let mut masthead = Masthead::default();
    for line in lines.iter().take(super::flow::TOP_OF_PAGE + 2) {
        if line.kind == LineKind::RunningHead && super::flow::is_field_alone(&line.text) {
            read_fields(&line.text, &mut masthead);
            let text = simplified(&line.text);
            if masthead.number.is_none() {
                masthead.number = issue_number(&text);
            }
        }
    }
    (masthead.field_count() >= 2).then_some(masthead)
}

/// An OCR'd nameplate: the paper's name alone on the first line, then — after a quotation box
/// or an imprint line, within a few lines — the issue line with its number and date
/// (`第53号1968年9月25日星期三`). Everything down to the issue line is the masthead.
fn scattered_masthead(lines: &[Line]) -> Option<Masthead> {
    let first = lines.first()?;
    let n = visible_len(&first.text);
    let is_name = (2..=8).contains(&n) && first.text.chars().all(super::chars::is_han);
    if !is_name {
        return None;
    }
    let (at, issue_line) = lines.iter().enumerate().skip(1).take(5).find(|(_, l)| {
        let text = simplified(&l.text);
        find_date(&text).is_some() && issue_number(&text).is_some()
    })?;
    let issue_text = simplified(&issue_line.text);
    let mut masthead = Masthead {
        paper: Some(first.text.clone()),
        date: find_date(&issue_text),
        weekday: find_weekday(&issue_text),
        number: issue_number(&issue_text),
        line_count: at + 1,
        ..Masthead::default()
    };
    for line in &lines[1..at] {
        read_fields(&line.text, &mut masthead);
    }
    Some(masthead)
}

/// The first word of a masthead line when it is a name: 2–12 letters, no digits, no
/// punctuation (`人民日报` of `人民日报 2018年4月1日 星期日`).
fn leading_name(text: &str) -> Option<String> {
    let word = text.split(is_space).find(|w| !w.is_empty())?;
    let n = visible_len(word);
    let is_name = (2..=12).contains(&n)
        && word.chars().all(|c| c.is_alphabetic())
        && find_date(word).is_none()
        && find_weekday(word).is_none();
    is_name.then(|| word.to_string())
}

/// The paper's name as a name: `《人民日报》` → `人民日报`.
fn paper_name(text: &str) -> String {
    match text.strip_prefix('《').and_then(|t| t.strip_suffix('》')) {
        Some(inner) if !inner.contains(['《', '》']) => inner.trim().to_string(),
        _ => text.to_string(),
    }
}

/// A paper's name in Latin letters under its Chinese one: `RENMIN RIBAO`, `GUANGMING DAILY`,
/// `China Daily` — capitals or capitalised words, spaces, nothing else.
fn is_latin_name(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    (1..=5).contains(&words.len())
        && words.iter().all(|w| {
            w.chars()
                .all(|c| c.is_ascii_alphabetic() || c == '.' || c == '-')
                && w.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        })
}

/// What a paper is, printed under its name: `中国共产党中央委员会机关报`,
/// `镇江市革命委员会机关报`, `某某市委主办`.
fn is_organ_line(text: &str) -> bool {
    let text = simplified(text);
    visible_len(&text) <= 24
        && !text.chars().any(is_clause_punct)
        && ["机关报", "机关刊", "主办", "主管"]
            .iter()
            .any(|end| text.ends_with(end))
}

/// A paper's name: a short line, no punctuation, not marked up as a section heading.
fn is_paper_name(line: &Line) -> bool {
    matches!(line.kind, LineKind::Short | LineKind::Heading(_))
        && visible_len(&line.text) <= 16
        && !line
            .text
            .chars()
            .any(|c| is_clause_punct(c) || c == '：' || c == ':')
}

/// Searches `text` for masthead fields, filling those still empty. True if the line is a
/// masthead line: it has a field and no clause punctuation.
pub fn read_fields(text: &str, masthead: &mut Masthead) -> bool {
    if text.chars().any(is_clause_punct) {
        return false;
    }
    // (Traditional text is read as Simplified — `總第`, `農曆` — and what is kept of it, the
    // lunar date, is cut from the text as printed.)
    let original = text;
    let folded = simplified(text);
    let text = folded.as_ref();
    let mut found = false;
    if let Some(date) = find_date(text) {
        masthead.date.get_or_insert(date);
        found = true;
    }
    if let Some(weekday) = find_weekday(text) {
        masthead.weekday.get_or_insert(weekday);
        found = true;
    }
    if let Some(lunar) = find_after_prefix(text, "农历") {
        masthead
            .lunar
            .get_or_insert_with(|| same_piece(original, text, lunar).to_string());
        found = true;
    }
    if let Some(number) = find_number_between(text, "总第", "期") {
        masthead.number.get_or_insert(number);
        found = true;
    }
    // `第25466期` as a field of its own (a word of the line, not inside a headline's words).
    if masthead.number.is_none()
        && text.contains('第')
        && let Some(number) = text
            .split(|c: char| is_space(c) || matches!(c, '|' | '｜' | '·'))
            .filter(|word| super::flow::is_field_alone(word) && find_date(word).is_none())
            .find_map(issue_number)
    {
        masthead.number = Some(number);
        found = true;
    }
    if let Some(pages) = find_number_between(text, "今日", "版") {
        masthead.pages.get_or_insert(pages);
        found = true;
    }
    if let Some(url) = find_url(text) {
        masthead.website.get_or_insert(url);
        found = true;
    }
    if let Some(email) = find_email(text) {
        masthead.email.get_or_insert(email);
        found = true;
    }
    found
}

/// `2022年8月23日`, `2022-08-23`, `2022.8.23`, `2022/08/23` → `2022-08-23`; older papers'
/// Chinese numerals too, `一九七六年十一月二十三日` → `1976-11-23`.
pub fn find_date(text: &str) -> Option<String> {
    find_arabic_date(text).or_else(|| find_chinese_date(text))
}

/// `一九七六年十一月二十三日`: four digit characters for the year (`〇`/`零` for zero), the
/// month and day as Chinese numbers.
fn find_chinese_date(text: &str) -> Option<String> {
    const DIGITS: &str = "〇一二三四五六七八九";
    let year_digit = |c: char| {
        if c == '零' {
            Some(0)
        } else {
            DIGITS.chars().position(|d| d == c).map(|p| p as u32)
        }
    };
    let chars: Vec<char> = text.chars().collect();
    for at in 0..chars.len() {
        if chars[at] != '年' || at < 4 {
            continue;
        }
        let year = chars[at - 4..at]
            .iter()
            .try_fold(0u32, |acc, c| Some(acc * 10 + year_digit(*c)?));
        let before = at.checked_sub(5).and_then(|b| chars.get(b)).copied();
        let Some(year) = year.filter(|_| before.is_none_or(|c| year_digit(c).is_none())) else {
            continue;
        };
        let rest: String = chars[at + 1..].iter().take(12).collect();
        let Some((month, rest)) = rest.split_once('月') else {
            continue;
        };
        let Some((day, _)) = rest.split_once('日') else {
            continue;
        };
        let (Some(month), Some(day)) = (parse_chinese_number(month), parse_chinese_number(day))
        else {
            continue;
        };
        if (1..=12).contains(&month) && (1..=31).contains(&day) {
            return Some(format!("{year:04}-{month:02}-{day:02}"));
        }
    }
    None
}

fn find_arabic_date(text: &str) -> Option<String> {
    let chars: Vec<char> = text.chars().map(half_width).collect();
    let mut i = 0;
    while i < chars.len() {
        if let Some((year, after_year)) = digits_at(&chars, i, 4, 4) {
            let mut j = skip_spaces(&chars, after_year);
            let separator = chars.get(j).copied();
            let ymd_style = separator == Some('年');
            if ymd_style || matches!(separator, Some('-' | '.' | '/')) {
                j = skip_spaces(&chars, j + 1);
                if let Some((month, after_month)) = digits_at(&chars, j, 1, 2) {
                    let mut k = skip_spaces(&chars, after_month);
                    let month_sep = chars.get(k).copied();
                    let month_ok = if ymd_style {
                        month_sep == Some('月')
                    } else {
                        month_sep == separator
                    };
                    if month_ok {
                        k = skip_spaces(&chars, k + 1);
                        if let Some((day, after_day)) = digits_at(&chars, k, 1, 2) {
                            let day_ok = !ymd_style
                                || chars.get(skip_spaces(&chars, after_day)) == Some(&'日');
                            if day_ok && (1..=12).contains(&month) && (1..=31).contains(&day) {
                                return Some(format!("{year:04}-{month:02}-{day:02}"));
                            }
                        }
                    }
                }
            }
            i = after_year;
        } else {
            i += 1;
        }
    }
    None
}

/// Reads `min..=max` ASCII digits at `start` (not preceded or followed by another digit).
fn digits_at(chars: &[char], start: usize, min: usize, max: usize) -> Option<(u32, usize)> {
    if start > 0 && chars.get(start - 1).is_some_and(char::is_ascii_digit) {
        return None;
    }
    let len = chars[start.min(chars.len())..]
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .count();
    if len < min || len > max {
        return None;
    }
    let value = chars[start..start + len]
        .iter()
        .fold(0u32, |acc, c| acc * 10 + c.to_digit(10).unwrap_or(0));
    Some((value, start + len))
}

fn skip_spaces(chars: &[char], mut at: usize) -> usize {
    while chars.get(at).is_some_and(|c| is_space(*c)) {
        at += 1;
    }
    at
}

/// `星期二`, `星期日`, `周三`.
fn find_weekday(text: &str) -> Option<String> {
    const DAYS: &str = "一二三四五六日天";
    let chars: Vec<char> = text.chars().collect();
    for (i, window) in chars.windows(3).enumerate() {
        if window[0] == '星' && window[1] == '期' && DAYS.contains(window[2]) {
            return Some(chars[i..i + 3].iter().collect());
        }
    }
    None
}

/// The token starting with `prefix` up to the next space: `农历壬寅年七月廿六`.
fn find_after_prefix<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let at = text.find(prefix)?;
    let len = text[at..].find(is_space).unwrap_or(text.len() - at);
    let token = &text[at..at + len];
    (token.chars().count() > prefix.chars().count()).then_some(token)
}

/// An issue's number as printed on its issue line: `第53号`, `第一期`.
fn issue_number(text: &str) -> Option<u32> {
    find_number_between(text, "第", "号").or_else(|| find_number_between(text, "第", "期"))
}

/// The number between `before` and `after`: `总第1463期` → 1463, `今日八版` → 8.
fn find_number_between(text: &str, before: &str, after: &str) -> Option<u32> {
    let start = text.find(before)? + before.len();
    let rest = &text[start..];
    let end = rest.find(after)?;
    let inner: String = rest[..end]
        .trim_matches(is_space)
        .chars()
        .map(half_width)
        .collect();
    let inner = inner.as_str();
    if inner.is_empty() || inner.chars().count() > 8 {
        return None;
    }
    if inner.chars().all(|c| c.is_ascii_digit()) {
        return inner.parse().ok();
    }
    parse_chinese_number(inner)
}

/// Chinese numerals up to 99: `八` → 8, `十二` → 12, `二十四` → 24.
pub fn parse_chinese_number(text: &str) -> Option<u32> {
    fn digit(c: char) -> Option<u32> {
        "零一二三四五六七八九"
            .chars()
            .position(|d| d == c)
            .map(|p| p as u32)
    }
    let chars: Vec<char> = text.chars().collect();
    match chars.as_slice() {
        ['十'] => Some(10),
        [d] => digit(*d),
        ['十', d] => Some(10 + digit(*d)?),
        [t, '十'] => Some(digit(*t)? * 10),
        [t, '十', d] => Some(digit(*t)? * 10 + digit(*d)?),
        _ => None,
    }
}

/// The first `http://…`/`https://…`/`www.…` address, without surrounding `<>`.
pub fn find_url(text: &str) -> Option<String> {
    let at = text
        .find("https://")
        .or_else(|| text.find("http://"))
        .or_else(|| text.find("www."))?;
    let url: String = text[at..]
        .chars()
        .take_while(|c| !is_space(*c) && !matches!(c, '>' | '<' | '）' | ')' | '，' | '"'))
        .collect();
    (url.len() > 7).then_some(url)
}

/// The first e-mail address.
pub fn find_email(text: &str) -> Option<String> {
    let is_email_char = |c: char| c.is_ascii_alphanumeric() || "._%+-".contains(c);
    let at = text.find('@')?;
    let local_start = text[..at]
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_email_char(*c))
        .last()
        .map(|(i, _)| i)?;
    let domain: String = text[at + 1..]
        .chars()
        .take_while(|c| is_email_char(*c))
        .collect();
    let domain = domain.trim_end_matches('.');
    (domain.contains('.') && local_start < at)
        .then(|| format!("{}@{domain}", &text[local_start..at]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::lines::classify_lines;

    #[test]
    fn an_ocr_nameplate_with_the_issue_line_further_down() {
        use crate::parse::lines::classify_lines;
        let text = "某江报\n最高指示：一段很长的语录，写在报头旁边的方框里。\n某市革命委员会机关报\n第53号1968年9月25日星期三\n标题\n正文。\n";
        let m = read_masthead(&classify_lines(text)).expect("masthead");
        assert_eq!(m.paper.as_deref(), Some("某江报"));
        assert_eq!(m.date.as_deref(), Some("1968-09-25"));
        assert_eq!(m.number, Some(53));
        assert_eq!(m.line_count, 4);
        // A short first headline with no issue line under it is no masthead.
        assert!(read_masthead(&classify_lines("短标题\n正文，内容。\n第二段。\n")).is_none());
    }

    #[test]
    fn a_name_with_its_date_on_one_line_or_two() {
        use crate::parse::lines::classify_lines;
        let m =
            read_masthead(&classify_lines("某某日报\n2018年4月1日\n\n标题\n")).expect("masthead");
        assert_eq!(
            (m.paper.as_deref(), m.date.as_deref(), m.line_count),
            (Some("某某日报"), Some("2018-04-01"), 2)
        );
        let m = read_masthead(&classify_lines("某某日报 2018年4月1日 星期日\n\n标题\n"))
            .expect("masthead");
        assert_eq!(m.paper.as_deref(), Some("某某日报"));
        assert_eq!(m.weekday.as_deref(), Some("星期日"));
        // A headline with a date in it is no masthead.
        assert!(read_masthead(&classify_lines("2018年工作回顾\n\n正文，内容。\n")).is_none());
    }

    #[test]
    fn dates_in_several_notations() {
        assert_eq!(find_date("2022年8月23日").as_deref(), Some("2022-08-23"));
        assert_eq!(
            find_date("2022 年 8 月 3 日 星期二").as_deref(),
            Some("2022-08-03")
        );
        assert_eq!(find_date("时间：2018-04-18").as_deref(), Some("2018-04-18"));
        assert_eq!(find_date("2018.4.1").as_deref(), Some("2018-04-01"));
        assert_eq!(find_date("12022年8月23日"), None);
        assert_eq!(find_date("2022年13月1日"), None);
        assert_eq!(find_date("2024年,顺利完成"), None);
        assert_eq!(
            find_date("粉碎某某一九七六年十一月二十三日").as_deref(),
            Some("1976-11-23")
        );
        assert_eq!(
            find_date("一九六八年九月二十五日 星期三").as_deref(),
            Some("1968-09-25")
        );
        assert_eq!(
            find_date("二〇二二年八月三日").as_deref(),
            Some("2022-08-03")
        );
        assert_eq!(find_date("一九七六年十三月一日"), None);
        assert_eq!(
            find_date("一二三年八月三日"),
            None,
            "three digits are no year"
        );
    }

    #[test]
    fn numbers_and_pages() {
        assert_eq!(find_number_between("总第1463期", "总第", "期"), Some(1463));
        assert_eq!(find_number_between("今日八版", "今日", "版"), Some(8));
        assert_eq!(find_number_between("今日 12 版", "今日", "版"), Some(12));
        assert_eq!(parse_chinese_number("二十四"), Some(24));
        assert_eq!(parse_chinese_number("百"), None);
    }

    #[test]
    fn web_and_email() {
        let line = "网址: <http://example.cn> 投稿邮箱: news2005@example.com";
        assert_eq!(find_url(line).as_deref(), Some("http://example.cn"));
        assert_eq!(find_email(line).as_deref(), Some("news2005@example.com"));
        assert_eq!(find_email("no address here @ all"), None);
    }

    #[test]
    fn letter_spaced_masthead() {
        let text = "\n\n某 市 晚 报\n\n2023年1月2日\n\n星期一\n\n农历壬寅年腊月十一\n\n总第99期\n\n今日八版\n\n头条新闻标题\n\n正文第一段，内容。";
        let lines = classify_lines(text);
        let m = read_masthead(&lines).expect("masthead");
        assert_eq!(m.paper.as_deref(), Some("某市晚报"));
        assert_eq!(m.date.as_deref(), Some("2023-01-02"));
        assert_eq!(m.weekday.as_deref(), Some("星期一"));
        assert_eq!(m.lunar.as_deref(), Some("农历壬寅年腊月十一"));
        assert_eq!(m.number, Some(99));
        assert_eq!(m.pages, Some(8));
        assert_eq!(m.line_count, 6);
    }

    #[test]
    fn a_name_in_latin_letters_an_organ_line_and_an_issue_number_belong_to_the_masthead() {
        let text = "《某某日报》\nMOUMOU RIBAO\n某某市委机关报\n2018年4月1日　星期日\n第25466期\n\n\
                    头条新闻标题\n\n正文第一段，内容。";
        let m = read_masthead(&classify_lines(text)).expect("masthead");
        assert_eq!(m.paper.as_deref(), Some("某某日报"));
        assert_eq!(m.date.as_deref(), Some("2018-04-01"));
        assert_eq!(m.number, Some(25466));
        assert_eq!(m.line_count, 5);
        // A number inside a headline's words is not the issue's.
        let m = read_masthead(&classify_lines(
            "某某日报\n2018年4月1日\n第一期培训班开班\n\n正文。",
        ))
        .expect("masthead");
        assert_eq!((m.number, m.line_count), (None, 2));
    }

    #[test]
    fn one_line_masthead() {
        let lines = classify_lines("某日报 2023年1月2日 星期一 总第12期\n标题\n正文，正文。");
        let m = read_masthead(&lines).expect("masthead");
        assert_eq!(m.date.as_deref(), Some("2023-01-02"));
        assert_eq!(m.number, Some(12));
        assert_eq!(m.line_count, 1);
    }

    #[test]
    fn a_headline_and_body_are_no_masthead() {
        let lines = classify_lines("我省印发专项行动方案\n\n# 加快转型\n\n正文，2025年。");
        assert_eq!(read_masthead(&lines), None);
    }
}
