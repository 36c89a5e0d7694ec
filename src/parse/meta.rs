//! Metadata lines: what databases and scrapers print under a headline instead of (or beside) a
//! byline — `作者：甲;乙  时间：2018-04-17`, `某报 日期：2018-04-01 版次：03 版 本报北京电`,
//! `来源：…`, `栏目：…`. A line of `label：value` fields is recognised by its shape: two or more
//! fields with short labels, or one field whose label is a known metadata label. What the fields
//! say (date, page, section, author, source) becomes article fields.

use super::chars::{half_width, is_han, simplified, visible_len};

/// Labels that make a line metadata even when it has only one field, besides those of the
/// fields read below (date, page, section, author, source).
const OTHER_LABELS: &[&str] = &[
    "责任编辑",
    "责编",
    "编辑",
    "原标题",
    "期号",
    "卷期",
    "期次",
    "关键词",
    "主题词",
    "分类",
    "分类号",
    "语种",
    "年份",
    "字数",
];

/// Labels that announce a record's text (`正文：本市…`): kept apart from the text they head.
pub const TEXT_LABELS: &[&str] = &["正文", "全文", "内容", "原文"];

/// Labels that name the piece itself: a record's title printed as a field.
pub const TITLE_LABELS: &[&str] = &["标题", "题名", "篇名", "题目"];
/// Labels of a record's kicker (引题) and subtitle (副题), printed beside its title.
const KICKER_LABELS: &[&str] = &["引题", "肩题", "眉题"];
const SUBTITLE_LABELS: &[&str] = &["副标题", "副题", "子标题"];

/// Labels that name the date of a piece.
const DATE_LABELS: &[&str] = &[
    "时间",
    "日期",
    "发布时间",
    "发表时间",
    "刊发时间",
    "出版日期",
    "date",
    "published",
];
/// Labels that name the page.
const PAGE_LABELS: &[&str] = &["版次", "版面", "版号", "页码", "page"];
/// Labels that name the section or column.
const SECTION_LABELS: &[&str] = &["栏目", "版名", "专栏", "category", "section", "column"];
/// Labels that name the author.
const AUTHOR_LABELS: &[&str] = &["作者", "责任者", "author", "byline"];
/// Labels that name the source.
const SOURCE_LABELS: &[&str] = &[
    "来源",
    "出处",
    "刊名",
    "报名",
    "报刊名",
    "报纸名称",
    "报纸",
    "出版物",
    "source",
    "publisher",
];

/// One metadata line read into fields.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MetaLine {
    /// Text before the first field (a paper's name), if any.
    pub lead: String,
    /// `(label, value)` in order.
    pub fields: Vec<(String, String)>,
}

/// What metadata lines say about an article.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MetaFields {
    /// `YYYY-MM-DD`, or as printed when it is not a full date.
    pub date: Option<String>,
    /// The page (`03`, `A2`).
    pub page: Option<String>,
    /// The section or column.
    pub section: Option<String>,
    /// The author(s) as printed.
    pub author: Option<String>,
    /// The source as printed (`来源：`), else the paper named before the fields.
    pub source: Option<String>,
}

/// A field begins at a token `label：value` (or `【label】value`, as scraped records print
/// it) whose label is 1–6 Han characters.
fn field_start(token: &str) -> Option<(&str, &str)> {
    if let Some(rest) = token.strip_prefix('【')
        && let Some((label, value)) = rest.split_once('】')
    {
        let n = label.chars().count();
        return ((1..=6).contains(&n) && label.chars().all(is_han)).then_some((label, value));
    }
    let at = token.find(['：', ':'])?;
    let label = &token[..at];
    let n = label.chars().count();
    let value = &token[at + token[at..].chars().next()?.len_utf8()..];
    ((1..=6).contains(&n) && label.chars().all(is_han)).then_some((label, value))
}

/// A line holding one `label：value` or `【label】value` field whose label no list here knows
/// (`【机构】某报社`): metadata where it stands among metadata lines, as a record's fields do.
pub fn is_lone_field(text: &str) -> bool {
    // (A record's text under its label, `【正文】…`, is text however short.)
    if text.contains(['。', '，', '？', '！', '；'])
        || visible_len(text) > 60
        || label_end(text).is_some()
    {
        return false;
    }
    let mut tokens = text.split([' ', '\u{3000}']).filter(|t| !t.is_empty());
    tokens
        .next()
        .and_then(field_start)
        .is_some_and(|(_, value)| !value.is_empty())
        && tokens.all(|t| field_start(t).is_none())
}

/// Reads `text` as a metadata line, if it is one.
pub fn read_meta(text: &str) -> Option<MetaLine> {
    // Metadata is a line of fields, never a sentence (cheapest test first: this runs for
    // every line).
    if !(text.contains(':') || text.contains('：') || text.starts_with('【'))
        || text.contains(['。', '，', '？', '！'])
        || visible_len(text) > 120
    {
        return None;
    }
    // A web page's time stamp alone under its headline (`2018年04月02日 09:15`) is its date.
    if is_timestamp(text, true) {
        return Some(MetaLine {
            lead: String::new(),
            fields: vec![(DATE_LABELS[0].to_string(), text.trim().to_string())],
        });
    }
    let mut meta = MetaLine::default();
    let mut lead: Vec<&str> = Vec::new();
    for token in text.split([' ', '\u{3000}']).filter(|t| !t.is_empty()) {
        match field_start(token) {
            // (A label as the lists above spell it: `標題` is `标题`, `來源` is `来源`.)
            Some((label, value)) => meta
                .fields
                .push((simplified(label).into_owned(), value.to_string())),
            None => match meta.fields.last_mut() {
                Some((_, value)) => {
                    if !value.is_empty() {
                        value.push(' ');
                    }
                    value.push_str(token);
                }
                None => lead.push(token),
            },
        }
    }
    meta.lead = lead.join(" ");
    let known = |label: &str| {
        [
            DATE_LABELS,
            PAGE_LABELS,
            SECTION_LABELS,
            AUTHOR_LABELS,
            SOURCE_LABELS,
            OTHER_LABELS,
            TITLE_LABELS,
            KICKER_LABELS,
            SUBTITLE_LABELS,
        ]
        .iter()
        .any(|labels| labels.contains(&label))
    };
    // A time stamp before one field is the article's date (`2018-04-01 08:30　来源：人民网`).
    if meta.fields.len() == 1
        && !DATE_LABELS.contains(&meta.fields[0].0.as_str())
        && is_timestamp(&meta.lead, false)
    {
        let stamp = std::mem::take(&mut meta.lead);
        meta.fields.insert(0, (DATE_LABELS[0].to_string(), stamp));
    }
    let ok = match meta.fields.as_slice() {
        [] => false,
        [(label, value)] => {
            let headline = [TITLE_LABELS, KICKER_LABELS, SUBTITLE_LABELS];
            let longest = if headline
                .iter()
                .any(|labels| labels.contains(&label.as_str()))
            {
                80
            } else {
                60
            };
            meta.lead.is_empty()
                && known(label)
                && !value.is_empty()
                && visible_len(value) <= longest
        }
        fields => {
            visible_len(&meta.lead) <= 16
                && fields.iter().any(|(label, _)| known(label))
                && fields.iter().all(|(_, value)| !value.is_empty())
        }
    };
    ok.then_some(meta)
}

/// A date, with a time of day after it (`2018-04-01 08:30:12`, `2018年04月02日 09:15`) — the
/// time required when `with_time`: a date alone is as often a masthead's.
fn is_timestamp(text: &str, with_time: bool) -> bool {
    let text = text.trim();
    // (A year comes first: most lines are refused on their first character.)
    let year_first = text
        .chars()
        .next()
        .is_some_and(|c| half_width(c).is_ascii_digit());
    if !year_first || visible_len(text) > 24 || normal_date(text).is_none() {
        return false;
    }
    let stamp_char = |c: char| {
        let c = half_width(c);
        c.is_ascii_digit() || "年月日-./:： \u{3000}".contains(c)
    };
    let has_time = text.contains([':', '：']);
    text.chars().all(stamp_char) && (has_time || !with_time)
}

/// Reads a YAML front-matter line `key: "value"` as one field (list items and keys without a
/// value give none).
pub fn read_yaml(text: &str) -> Option<MetaLine> {
    let (key, value) = text.split_once(':')?;
    let value = value.trim().trim_matches('"').trim_matches('\'').trim();
    (!value.is_empty() && !key.starts_with('-')).then(|| MetaLine {
        lead: String::new(),
        fields: vec![(key.trim().to_ascii_lowercase(), value.to_string())],
    })
}

/// A record's title printed as the only field of its line (`标题：…`, `【标题】…`): the label
/// as printed, and the title.
pub fn title_field(text: &str) -> Option<(&str, &str)> {
    headline_field(text, TITLE_LABELS)
}

/// Which part of a record's headline a field line holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeadlinePart {
    /// `引题：…`
    Kicker,
    /// `标题：…`
    Title,
    /// `副标题：…`
    Subtitle,
}

/// A record's kicker, title or subtitle printed as the only field of its line (`引题：…`,
/// `标题：…`, `副标题：…`): which, the label as printed, and the text.
pub fn headline_part_field(text: &str) -> Option<(HeadlinePart, &str, &str)> {
    [
        (HeadlinePart::Title, TITLE_LABELS),
        (HeadlinePart::Kicker, KICKER_LABELS),
        (HeadlinePart::Subtitle, SUBTITLE_LABELS),
    ]
    .into_iter()
    .find_map(|(part, labels)| headline_field(text, labels).map(|(l, t)| (part, l, t)))
}

/// Which part of a record's headline a printed label (`引题：`, `【标题】`, `副标题：`) names.
pub fn headline_label_part(label: &str) -> Option<HeadlinePart> {
    let folded = simplified(label);
    let bare = folded
        .trim()
        .trim_start_matches('【')
        .trim_end_matches(['】', '：', ':'])
        .trim();
    [
        (HeadlinePart::Title, TITLE_LABELS),
        (HeadlinePart::Kicker, KICKER_LABELS),
        (HeadlinePart::Subtitle, SUBTITLE_LABELS),
    ]
    .into_iter()
    .find_map(|(part, labels)| labels.contains(&bare).then_some(part))
}

/// The only field of `text`, when its label is one of `labels`: the label as printed, and
/// the value.
fn headline_field<'a>(text: &'a str, labels: &[&str]) -> Option<(&'a str, &'a str)> {
    let meta = read_meta(text)?;
    match meta.fields.as_slice() {
        [(label, value)] if labels.contains(&label.as_str()) => {
            let at = text.rfind(value.as_str())?;
            Some((text[..at].trim_end(), &text[at..]))
        }
        _ => None,
    }
}

/// The length in bytes of the label heading a record's text (`正文：`, `【全文】`), spaces
/// after it included, when `text` begins with one and goes on after it.
pub fn text_label(text: &str) -> Option<usize> {
    let label = label_end(text)?;
    let spaces = text[label..].len() - text[label..].trim_start().len();
    // A label alone heads nothing here.
    (label + spaces < text.len()).then_some(label + spaces)
}

/// True when `label` is such a label and nothing else (as kept apart from its text).
pub fn is_text_label(label: &str) -> bool {
    label_end(label) == Some(label.len())
}

/// Where a record's text label at the start of `text` ends, if it begins with one.
fn label_end(text: &str) -> Option<usize> {
    let bracketed = text.starts_with('【');
    let inner = text.strip_prefix('【').unwrap_or(text);
    TEXT_LABELS.iter().find_map(|label| {
        let n = label.chars().count();
        let end = inner
            .char_indices()
            .nth(n)
            .map_or(inner.len(), |(at, _)| at);
        if simplified(&inner[..end]) != *label {
            return None;
        }
        let rest = &inner[end..];
        let closed = if bracketed {
            rest.strip_prefix('】')
        } else {
            rest.strip_prefix(['：', ':'])
        };
        closed.map(|after| text.len() - after.len())
    })
}

/// True when `text` is a metadata line.
pub fn is_meta_line(text: &str) -> bool {
    read_meta(text).is_some()
}

impl MetaFields {
    /// Takes in what one metadata line says; the first value of each kind wins.
    pub fn add(&mut self, meta: &MetaLine) {
        for (label, value) in &meta.fields {
            let label = label.as_str();
            let first_word = value.split(' ').next().unwrap_or("").to_string();
            if DATE_LABELS.contains(&label) && self.date.is_none() {
                self.date = Some(normal_date(&first_word).unwrap_or(first_word));
            } else if PAGE_LABELS.contains(&label) && self.page.is_none() {
                self.page = page_of(value);
                // `版面：第01版：要闻`: the page's section too.
                if let Some((_, Some(section))) = page_marker(value)
                    && self.section.is_none()
                {
                    self.section = Some(section);
                }
            } else if SECTION_LABELS.contains(&label) && self.section.is_none() {
                self.section = Some(value.clone());
            } else if AUTHOR_LABELS.contains(&label) && self.author.is_none() {
                self.author = Some(value.clone());
            } else if SOURCE_LABELS.contains(&label) && self.source.is_none() {
                self.source = Some(value.clone());
            }
        }
        if self.source.is_none() && !meta.lead.is_empty() {
            self.source = Some(meta.lead.clone());
        }
    }
}

/// `2018-04-01`, `2018/4/1`, `2018.04.01`, `2018年4月1日` → `2018-04-01`.
fn normal_date(text: &str) -> Option<String> {
    let text: String = text.chars().map(half_width).collect();
    let numbers: Vec<u32> = text
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .take(3)
        .map(|s| s.parse().ok())
        .collect::<Option<_>>()?;
    match numbers.as_slice() {
        [y, m, d] if (1800..=2200).contains(y) && (1..=12).contains(m) && (1..=31).contains(d) => {
            Some(format!("{y:04}-{m:02}-{d:02}"))
        }
        _ => None,
    }
}

/// The page in `03 版`, `第3版`, `A2版`, `A02`: its letters and digits.
pub fn page_of(value: &str) -> Option<String> {
    let value = value.trim().trim_start_matches('第');
    let page: String = value
        .chars()
        .map(half_width)
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    (!page.is_empty()).then_some(page)
}

/// A page marker alone on its line, as database exports print one before a page's articles:
/// `第01版：要闻`, `第3版 国际`, `【第A2版：综合】`, `A2版`: the page (`01`, `A2`) and the section
/// if named. The section is short and has no punctuation; nothing else is on the line.
pub fn page_marker(text: &str) -> Option<(String, Option<String>)> {
    // Runs for every line: the cheap refusals first (版 reads the same in both scripts).
    if super::chars::longer_than(text, 40) || !text.contains('版') {
        return None;
    }
    page_label(text).or_else(|| page_header(text))
}

/// A page's running head, the page among the paper's name, the date and the weekday:
/// `人民日报 2018年4月1日 星期日 第2版`, `2018年4月1日 某报 第3版 国际`. A date is needed.
fn page_header(text: &str) -> Option<(String, Option<String>)> {
    let folded = simplified(text);
    let words: Vec<&str> = folded
        .split(|c: char| c.is_whitespace() || matches!(c, '|' | '｜'))
        .filter(|w| !w.is_empty())
        .collect();
    let at = words.iter().position(|w| page_label(w).is_some())?;
    let (page, mut section) = page_label(words[at])?;
    let mut dated = false;
    for (n, word) in words.iter().enumerate().filter(|&(n, _)| n != at) {
        let han = word.chars().all(is_han) && visible_len(word) <= 10;
        let date =
            normal_date(word).is_some() && word.chars().all(|c| !is_han(c) || "年月日".contains(c));
        let weekday = word.starts_with("星期") && visible_len(word) == 3;
        dated |= date;
        if han && !weekday && n == at + 1 && section.is_none() {
            section = Some((*word).to_string());
        } else if !(han || date || weekday) {
            return None;
        }
    }
    dated.then_some((page, section))
}

/// `第01版：要闻`, `第3版 国际`, `【第A2版：综合】`, `A2版`: the page and the section named.
pub(super) fn page_label(text: &str) -> Option<(String, Option<String>)> {
    if super::chars::longer_than(text, 24) {
        return None;
    }
    let folded = simplified(text);
    let text = folded.trim();
    let text = match text.strip_prefix('【').and_then(|t| t.strip_suffix('】')) {
        Some(inner) => inner.trim(),
        None => text,
    };
    let (number, rest) = text.split_once('版')?;
    let number = number
        .trim()
        .strip_prefix('第')
        .unwrap_or(number.trim())
        .trim();
    let page: String = number.chars().map(half_width).collect();
    let numeral = |c: char| c.is_ascii_digit() || "一二三四五六七八九十".contains(c);
    let shaped = match page.chars().next()? {
        c if c.is_ascii_uppercase() => {
            page.chars().skip(1).all(|c| c.is_ascii_digit()) && page.len() > 1
        }
        _ => page.chars().all(numeral),
    };
    if !shaped || page.chars().count() > 4 {
        return None;
    }
    let section = rest
        .trim_start_matches(['：', ':', ' ', '\u{3000}', '·', '|', '｜'])
        .trim();
    let section_shaped =
        visible_len(section) <= 10 && section.chars().all(|c| is_han(c) || c == ' ' || c == '·');
    section_shaped.then(|| (page, (!section.is_empty()).then(|| section.to_string())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_time_stamp_under_a_headline_is_its_date() {
        for (line, date, source) in [
            ("2018年04月02日 09:15", "2018-04-02", None),
            (
                "2018-04-01 08:30:12\u{3000}来源：人民网",
                "2018-04-01",
                Some("人民网"),
            ),
            ("２０１８-０４-０３ ０９：１５", "2018-04-03", None),
        ] {
            let meta = read_meta(line).unwrap_or_else(|| panic!("{line}"));
            let mut fields = MetaFields::default();
            fields.add(&meta);
            assert_eq!(fields.date.as_deref(), Some(date), "{line}");
            assert_eq!(fields.source.as_deref(), source, "{line}");
        }
        // A date alone, or with a weekday, is a masthead's; a time alone dates nothing.
        for line in [
            "2018年4月1日",
            "2018年4月1日 星期日",
            "09:15",
            "会议于09:15开始",
        ] {
            assert!(read_meta(line).is_none(), "{line}");
        }
    }

    #[test]
    fn page_markers_give_page_and_section() {
        let page = |p: &str, s: Option<&str>| Some((p.to_string(), s.map(String::from)));
        assert_eq!(page_marker("第01版：要闻"), page("01", Some("要闻")));
        assert_eq!(page_marker("第3版 国际"), page("3", Some("国际")));
        assert_eq!(page_marker("【第A2版：综合】"), page("A2", Some("综合")));
        assert_eq!(page_marker("第二版"), page("二", None));
        assert_eq!(page_marker("第０５版"), page("05", None));
        // A running head with the paper's name and the date around the page.
        assert_eq!(
            page_marker("某某日报 2018年4月1日 星期日 第2版"),
            page("2", None)
        );
        assert_eq!(
            page_marker("2018-04-01 某某日报 第3版 国际"),
            page("3", Some("国际"))
        );
        assert_eq!(
            page_marker("某某日报 第3版"),
            None,
            "no date: a headline's words"
        );
        for text in [
            "第一版的内容很丰富。",
            "版权所有",
            "第3版 要闻 责任编辑：某某",
            "出版社",
        ] {
            assert_eq!(page_marker(text), None, "{text}");
        }
    }

    #[test]
    fn database_lines_are_metadata() {
        let m = read_meta("作者：甲乙;丙丁  时间：2018-04-17").expect("meta");
        assert_eq!(m.fields.len(), 2);
        let mut f = MetaFields::default();
        f.add(&m);
        assert_eq!(f.author.as_deref(), Some("甲乙;丙丁"));
        assert_eq!(f.date.as_deref(), Some("2018-04-17"));

        let m = read_meta("某某报 日期：2018-04-01 版次：03 版 本报北京4月1日电").expect("meta");
        let mut f = MetaFields::default();
        f.add(&m);
        assert_eq!(f.page.as_deref(), Some("03"));
        assert_eq!(f.source.as_deref(), Some("某某报"));
        assert_eq!(f.date.as_deref(), Some("2018-04-01"));

        assert!(is_meta_line("时间：2019-01-09"));
        assert!(is_meta_line("来源：某某网"));
        assert!(is_meta_line("栏目：国际视点"));
    }

    #[test]
    fn sentences_and_dialogue_are_not_metadata() {
        assert!(!is_meta_line("记者：这项工作进展如何？"));
        assert!(!is_meta_line(
            "答：我们已经完成了大部分工作，下一步将继续推进。"
        ));
        assert!(!is_meta_line("贺电说：“祝贺您当选。”"));
        assert!(!is_meta_line("一、向大会致贺的有："));
        assert!(
            !is_meta_line("某人：话"),
            "an unknown label alone is dialogue"
        );
        assert!(!is_meta_line("时间："), "a label without a value");
    }

    #[test]
    fn front_matter_fields() {
        let mut f = MetaFields::default();
        for line in [
            "title: \"標題\"",
            "date: \"2020-02-15\"",
            "author: \"某記者\"",
            "category: \"眾聞\"",
            "tags:",
            "- \"甲\"",
        ] {
            if let Some(m) = read_yaml(line) {
                f.add(&m);
            }
        }
        assert_eq!(f.date.as_deref(), Some("2020-02-15"));
        assert_eq!(f.author.as_deref(), Some("某記者"));
        assert_eq!(f.section.as_deref(), Some("眾聞"));
    }

    #[test]
    fn scraped_records_label_their_fields_in_brackets() {
        let m = read_meta("【日期】1935-03-01 【版次】第3版").expect("meta");
        let mut f = MetaFields::default();
        f.add(&m);
        assert_eq!(f.date.as_deref(), Some("1935-03-01"));
        assert_eq!(f.page.as_deref(), Some("3"));
        assert_eq!(
            title_field("【标题】某地新闻一则"),
            Some(("【标题】", "某地新闻一则"))
        );
        assert_eq!(
            title_field("标题：某地新闻一则"),
            Some(("标题：", "某地新闻一则"))
        );
        assert_eq!(title_field("作者：某某"), None);
        assert!(
            !is_meta_line("【快讯】某地昨天召开大会"),
            "a bracketed kicker is no field"
        );
    }

    #[test]
    fn dates_and_pages_in_their_printed_shapes() {
        assert_eq!(normal_date("2018年4月1日").as_deref(), Some("2018-04-01"));
        assert_eq!(normal_date("2018/4/1").as_deref(), Some("2018-04-01"));
        assert_eq!(normal_date("4月1日"), None);
        assert_eq!(page_of("第3版").as_deref(), Some("3"));
        assert_eq!(page_of("A2版").as_deref(), Some("A2"));
    }
}
