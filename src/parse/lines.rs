//! Stage one of parsing: each source line on its own is classified by its shape — a markdown
//! heading, a short headline-shaped line, a `——` subtitle, a byline or credit, a photo caption or
//! credit, a colophon line, or body text. Context (what comes before and after) is stage two's
//! business (`assemble`).

use super::chars::{ends_sentence, is_cjk, is_clause_punct, is_space, longer_than, visible_len};
use super::credits::{is_attribution, is_photo_credit};
use super::layout::{Hint, Layout};
use super::markup;
use super::meta::is_meta_line;

/// The longest line (in visible characters) still taken for a headline. Long one-line headlines
/// that join a kicker and a title with spaces reach 60–70 characters.
pub const MAX_HEADLINE_LEN: usize = 80;

/// What a line looks like on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    /// `# …` / `## …` / `**…**`: a headline marked up as such (level 0 for bold).
    Heading(u8),
    /// A short line without clause punctuation: a headline, kicker, banner or label.
    Short,
    /// A line opening with `——`: a subtitle.
    Subtitle,
    /// A byline or closing credit: `(融媒体 郭龙君)`, `■本报记者 李兆宪`, `本报讯 (记者 …)`.
    Attribution,
    /// A photo credit: `记者 李若生 摄`.
    PhotoCredit,
    /// A photo caption: `▲11月2日，…`.
    Caption,
    /// A colophon line: `地址：…`, `邮编：…`, `新闻热线：…`.
    Colophon,
    /// A line of `label：value` metadata: `作者：… 时间：…`, `日期：… 版次：…`.
    Meta,
    /// A line of YAML front matter (`date: "2020-02-15"`): metadata of the article below.
    FrontMatter,
    /// Set aside by a layout hint (`ignore`) or learned furniture: a folio or running head.
    Ignored,
    /// In OCR flow, a page's running head: a page label or a date alone, with the short
    /// scraps around it. Set aside.
    RunningHead,
    /// A layout hint's `separator`: ends the article above; set aside.
    Separator,
    /// A page marker alone on its line (`第01版：要闻`, `【第3版 国际】`): ends the article above,
    /// is set aside, and gives its page and section to the articles below.
    PageMarker,
    /// Anything else: body text.
    Body,
}

/// A non-blank source line, cleaned and classified.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// 1-based line number in the source.
    pub no: usize,
    /// The text with markup removed, trimmed, tabs turned into spaces and space runs collapsed.
    pub text: String,

    /// The line began with an indent (U+3000, a tab or two spaces): a paragraph start.
    pub indented: bool,
    /// Number of blank lines between this line and the previous non-blank one.
    pub gap_before: usize,
    /// Its shape.
    pub kind: LineKind,
}

/// Splits `text` into non-blank classified lines. Accepts `\n`, `\r\n` and lone `\r` endings.
pub fn classify_lines(text: &str) -> Vec<Line> {
    classify_lines_with(text, &Layout::default())
}

/// [`classify_lines`], an archive's layout hints deciding a line's kind before its shape.
pub fn classify_lines_with(text: &str, layout: &Layout) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut gap = 0;
    let raws: Vec<&str> = split_lines(text).collect();
    let front = markup::front_matter(&raws);
    let mut blocks = front.iter().peekable();
    for (index, raw) in raws.iter().enumerate() {
        while blocks.peek().is_some_and(|b| b.end <= index) {
            blocks.next();
        }
        let in_front = blocks.peek().is_some_and(|b| b.contains(&index));
        let raw = raw.trim_end_matches(is_space);
        if in_front || markup::is_thematic_break(raw) {
            // Fences and rules are markup; what a front matter holds is the next article's
            // metadata, kept as written.
            let fence = !in_front || raw.trim() == "---";
            let text = clean(&markup::strip_markup(raw));
            if fence || text.is_empty() {
                gap += 1;
            } else {
                lines.push(Line {
                    no: index + 1,
                    text,
                    indented: false,
                    gap_before: gap,
                    kind: LineKind::FrontMatter,
                });
                gap = 0;
            }
            continue;
        }
        let unmarked = markup::strip_markup(raw);
        let (body, markup_level, indented) = strip_markup(&unmarked);
        let mut cleaned = clean(body);
        // A headline printed in 【…】 alone on its line: the brackets mark it, as `**` would.
        let markup_level = match markup_level {
            None if let Some(inner) = bracketed_headline(&cleaned) => {
                cleaned = inner.to_string();
                Some(0)
            }
            level => level,
        };
        if cleaned.is_empty() {
            // Blank, or markup alone (`#`): no text.
            gap += 1;
            continue;
        }
        let hint = layout.hint(&cleaned);
        let kind = match (hint, markup_level) {
            (Some(Hint::Metadata), _) => LineKind::Meta,
            (Some(Hint::Headline), _) => LineKind::Short,
            (Some(Hint::Separator), _) => LineKind::Separator,
            (Some(Hint::Ignore), _) => LineKind::Ignored,
            (None, _) if is_ornament_rule(&cleaned) => LineKind::Separator,
            (None, None) if super::meta::page_marker(&cleaned).is_some() => LineKind::PageMarker,
            (None, markup_level) => match markup_level {
                Some(_) if is_subtitle(&cleaned) => LineKind::Subtitle,
                Some(level) => LineKind::Heading(level),
                None => classify(&cleaned),
            },
        };
        lines.push(Line {
            no: index + 1,
            text: cleaned,

            indented,
            gap_before: gap,
            kind,
        });
        gap = 0;
    }
    let mut lines = join_vertical(lines);
    fields_among_fields(&mut lines);
    // Where every line is indented — headlines too — an indent says nothing of where a
    // paragraph starts (a column break's piece is indented as well). (Markdown headings are
    // marked otherwise and do not count.)
    let plain = lines
        .iter()
        .filter(|l| !matches!(l.kind, LineKind::Heading(_)));
    let (count, indented) = plain.fold((0, 0), |(n, i), l| (n + 1, i + usize::from(l.indented)));
    if count >= 10 && indented * 20 >= count * 19 {
        for line in &mut lines {
            line.indented = false;
        }
    }
    if super::flow::is_flow(&lines) {
        super::flow::read_flow(lines)
    } else {
        super::wrap::mend_wrapped(lines)
    }
}

/// A field with a label no list knows (`【机构】某报社`, `报纸名称：某报`) under a record's
/// metadata lines (no blank line between) is metadata too: the record prints all its fields
/// alike. Above them it stays what its shape says — a headline may hold a colon
/// (`王毅：中方愿同各方加强合作`).
fn fields_among_fields(lines: &mut [Line]) {
    for i in 1..lines.len() {
        let under_meta = lines[i].gap_before == 0 && lines[i - 1].kind == LineKind::Meta;
        if under_meta
            && matches!(lines[i].kind, LineKind::Short | LineKind::Body)
            && super::meta::is_lone_field(&lines[i].text)
        {
            lines[i].kind = LineKind::Meta;
        }
    }
}

/// A headline printed vertically comes out of OCR one character per line (`动` / `态`):
/// consecutive lines of one Han character each are joined into one headline-shaped line.
fn join_vertical(lines: Vec<Line>) -> Vec<Line> {
    let single = |l: &Line| {
        let mut chars = l.text.chars();
        chars.next().is_some_and(super::chars::is_han) && chars.next().is_none()
    };
    let mut out: Vec<Line> = Vec::with_capacity(lines.len());
    let mut run = 0;
    for line in lines {
        let joins = single(&line) && line.gap_before == 0 && run > 0;
        if joins && let Some(last) = out.last_mut() {
            last.text.push_str(&line.text);
            last.kind = LineKind::Short;
            run += 1;
            continue;
        }
        run = usize::from(single(&line));
        out.push(line);
    }
    out
}

/// Splits on `\n`, `\r\n` or a lone `\r`.
pub fn split_lines(text: &str) -> impl Iterator<Item = &str> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        let current = rest?;
        match current.find(['\n', '\r']) {
            Some(at) => {
                let line = &current[..at];
                let skip = if current[at..].starts_with("\r\n") {
                    2
                } else {
                    1
                };
                rest = Some(&current[at + skip..]);
                Some(line)
            }
            None => {
                rest = None;
                if current.is_empty() {
                    None
                } else {
                    Some(current)
                }
            }
        }
    })
}

/// Removes markdown heading/bold markers. Returns the inner text, the heading level (0 for a
/// bold line) and whether the line was indented.
fn strip_markup(raw: &str) -> (&str, Option<u8>, bool) {
    let indented = raw.starts_with(['\u{3000}', '\t']) || raw.starts_with("  ");
    let trimmed = raw.trim_matches(is_space);
    let hashes = trimmed.chars().take_while(|c| *c == '#').count();
    if (1..=6).contains(&hashes) {
        let rest = &trimmed[hashes..];
        // CommonMark: the opening `#`s are followed by whitespace or nothing (U+FEFF is not
        // whitespace: `#\u{feff}#` is text).
        if rest.is_empty() || rest.starts_with(char::is_whitespace) {
            return (without_closing_hashes(rest), Some(hashes as u8), indented);
        }
    }
    for marker in ["**", "__"] {
        if let Some(inner) = trimmed
            .strip_prefix(marker)
            .and_then(|t| t.strip_suffix(marker))
            .filter(|inner| !inner.is_empty() && !inner.contains(marker))
        {
            return (inner, Some(0), indented);
        }
    }
    (trimmed, None, indented)
}

/// A row of ornaments that papers set between articles (`＊　＊　＊`, `※※※`, `◆◆◆`,
/// `————————`): three or more of at most two kinds of ornament and nothing else. It ends the
/// article above, as a layout hint's `separator` does. (Markdown's `***` and `---` are rules
/// of the markup, read before this.)
pub fn is_ornament_rule(text: &str) -> bool {
    const ORNAMENTS: &str = "*＊※●○◆◇■□★☆◎♦◊•·=＝~～+＋#＃-_—─━";
    let mut kinds: [Option<char>; 2] = [None; 2];
    let mut count = 0;
    for c in text.chars().filter(|c| !is_space(*c)) {
        if !ORNAMENTS.contains(c) {
            return false;
        }
        match kinds {
            [Some(a), _] | [_, Some(a)] if a == c => {}
            [None, _] => kinds[0] = Some(c),
            [_, None] => kinds[1] = Some(c),
            _ => return false,
        }
        count += 1;
    }
    count >= 3
}

/// The headline inside a line that is one `【…】` and nothing else (`【某地举行庆祝大会】`), as
/// scraped archives and some papers mark headlines. Not a dateline (`【本报讯】`,
/// `【新华社北京3月5日电】`), a record's label (`【正文】`, `【标题】`) or a line of fields.
pub fn bracketed_headline(text: &str) -> Option<&str> {
    let inner = text.strip_prefix('【')?.strip_suffix('】')?.trim();
    let folded = super::chars::simplified(inner);
    let dateline = ["讯", "电", "消息"].iter().any(|end| folded.ends_with(end));
    let shaped = !inner.contains(['【', '】'])
        && !dateline
        && !super::meta::is_text_label(text)
        && !is_meta_line(text)
        && classify(inner) == LineKind::Short;
    shaped.then_some(inner)
}

/// A heading's text without its closing sequence: trailing `#`s are markup only when whitespace
/// stands before them (or nothing does), so `## 学习C#` keeps its `#` and `# 网友热议#曹县#` both.
fn without_closing_hashes(rest: &str) -> &str {
    let body = rest.trim_end_matches(char::is_whitespace);
    let before = body.trim_end_matches('#');
    if before.len() == body.len() {
        body
    } else if before.is_empty() || before.ends_with(char::is_whitespace) {
        before.trim_end_matches(char::is_whitespace)
    } else {
        body
    }
}

/// Trims, turns tabs into spaces, collapses runs of ASCII spaces and closes up a letter-spaced
/// line ([`super::chars::letter_spaced`]).
fn clean(text: &str) -> String {
    let trimmed = text.trim_matches(is_space);
    if let Some(closed) = super::chars::letter_spaced(trimmed) {
        return closed;
    }
    if !trimmed.contains('\t') && !trimmed.contains("  ") {
        return trimmed.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut last_space = true;
    for c in text.trim_matches(is_space).chars() {
        let c = if c == '\t' { ' ' } else { c };
        if c == ' ' {
            if !last_space {
                out.push(' ');
            }
            last_space = true;
        } else {
            out.push(c);
            last_space = false;
        }
    }
    out
}

/// Classifies one cleaned, non-empty line without markup.
pub fn classify(text: &str) -> LineKind {
    // (Traditional text is read as Simplified: the rules' words are.)
    let folded = super::chars::simplified(text);
    let text = folded.as_ref();
    if is_caption_start(text) {
        LineKind::Caption
    } else if is_photo_credit(text) {
        LineKind::PhotoCredit
    } else if is_colophon(text) {
        LineKind::Colophon
    } else if is_meta_line(text) {
        LineKind::Meta
    } else if is_attribution(text) {
        LineKind::Attribution
    } else if is_subtitle(text) {
        LineKind::Subtitle
    } else if is_headline_shaped(text) {
        LineKind::Short
    } else {
        LineKind::Body
    }
}

/// Labels of colophon lines (publisher, address, post code, hotline …).
const COLOPHON_LABELS: &[&str] = &[
    "编印单位",
    "编印",
    "主管",
    "主办",
    "主管主办",
    "出版",
    "编辑出版",
    "出版单位",
    "承印",
    "印刷",
    "印刷单位",
    "发行",
    "地址",
    "社址",
    "邮编",
    "邮政编码",
    "新闻热线",
    "热线",
    "电话",
    "传真",
    "广告",
    "广告热线",
    "发行热线",
    "订阅热线",
    "投稿邮箱",
    "电子邮箱",
    "邮箱",
    "定价",
    "零售价",
    "刊号",
    "国内统一连续出版物号",
    "准印证号",
    "内部资料准印证号",
];

/// A caption opens with a triangle or `图为`.
pub fn is_caption_start(text: &str) -> bool {
    // Hollow triangles also mark news briefs (`△某地…。`): a caption only when it speaks of a
    // picture.
    let hollow = text.starts_with(['△', '▽']);
    if hollow {
        return text.contains(['图', '摄']);
    }
    text.starts_with(['▲', '▼', '◀', '▶'])
        || ["图为", "上图", "下图", "左图", "右图", "图：", "图:"]
            .iter()
            .any(|p| text.starts_with(p))
}

/// `地址：…`, `邮编：…`, `XX新闻网：<http://…>`.
pub fn is_colophon(text: &str) -> bool {
    if longer_than(text, 80) {
        return false;
    }
    let Some((label, value)) = text.split_once(['：', ':']) else {
        return false;
    };
    let label = label.trim();
    let value = value.trim();
    if value.is_empty() || longer_than(text, 80) {
        return false;
    }
    if COLOPHON_LABELS.contains(&label) {
        return true;
    }
    let is_site = label.ends_with('网') || label.ends_with("网址") || label.ends_with("网站");
    is_site && (value.contains("http") || value.contains("www."))
}

/// `——市工信系统聚力重点任务持续攻坚突破`: a short line opening with a dash.
pub fn is_subtitle(text: &str) -> bool {
    let rest = ["——", "──", "－－", "--", "—"]
        .iter()
        .find_map(|dash| text.strip_prefix(dash));
    match rest {
        Some(rest) => {
            let n = visible_len(rest);
            (2..=MAX_HEADLINE_LEN).contains(&n)
                && !rest.chars().any(|c| matches!(c, '。' | '；' | ';'))
        }
        None => false,
    }
}

/// Words that end a clause reporting speech or a source (`会议强调，…`, `据了解，…`): a comma
/// after them opens a sentence, not a headline's second phrase.
const REPORTING: &[&str] = &[
    "说",
    "表示",
    "指出",
    "强调",
    "认为",
    "介绍",
    "据悉",
    "了解",
    "了解到",
    "注意到",
    "看到",
    "得知",
    "发现",
    "表明",
    "称",
    "要求",
    "提出",
    "透露",
    "获悉",
    "显示",
    "看来",
    "来看",
    "而言",
    "同时",
    "此外",
    "另外",
    "其中",
    "为此",
    "对此",
    "因此",
    "但是",
    "然而",
    "不过",
    "所以",
    "随后",
    "首先",
    "其次",
    "最后",
    "此前",
    "目前",
    "近日",
    "日前",
    "今年",
    "去年",
    "当天",
    "当晚",
    "昨天",
    "今天",
    "上午",
    "下午",
    "晚上",
];

/// Words that open a clause joined to the one before (`…，并…`, `…，但…`): a second phrase
/// opening with one is a sentence's, not a headline's.
const CLAUSE_OPENERS: &[&str] = &[
    "并", "而", "但", "也", "还", "就", "都", "又", "则", "即", "且", "以及",
];

/// True when `c`, at byte `at` of `text`, is a comma between two digits: a thousands
/// separator (`80,000`), not punctuation between clauses.
fn in_number(text: &str, at: usize, c: char) -> bool {
    c == ','
        && text[..at].ends_with(|d: char| d.is_ascii_digit())
        && text[at + 1..].starts_with(|d: char| d.is_ascii_digit())
}

/// True when `text` has clause punctuation (`。，；`), a thousands separator not counted.
fn has_clause_punct(text: &str) -> bool {
    text.char_indices()
        .any(|(at, c)| is_clause_punct(c) && !in_number(text, at, c))
}

/// `text` split at its commas (a thousands separator is no comma).
fn split_clauses(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        let current = rest?;
        let cut = current
            .char_indices()
            .find(|&(at, c)| matches!(c, '，' | ',') && !in_number(current, at, c));
        match cut {
            Some((at, c)) => {
                rest = Some(&current[at + c.len_utf8()..]);
                Some(&current[..at])
            }
            None => {
                rest = None;
                Some(current)
            }
        }
    })
}

/// A headline of two phrases joined by one comma, as papers print them (`不忘初心，牢记使命`,
/// `稳中求进，开创发展新局面`): each phrase of 4 to 16 characters, nothing else of clause
/// punctuation, and the first not a reporting clause (`会议强调，要…` is a sentence a column
/// cut). Whether the line stands as a headline is still for its neighbours to say.
fn is_two_phrase_headline(text: &str) -> bool {
    let mut parts = split_clauses(text);
    let (Some(first), Some(second), None) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    // A phrase is whole: its brackets and quotes close inside it (`…发布《关于深化改革` is cut).
    let balanced = |p: &str| {
        ["《》", "“”", "（）", "()"].iter().all(|pair| {
            let mut chars = pair.chars();
            let (open, close) = (chars.next(), chars.next());
            p.chars().filter(|&c| Some(c) == open).count()
                == p.chars().filter(|&c| Some(c) == close).count()
        })
    };
    let phrase = |p: &str| (4..=16).contains(&visible_len(p)) && !has_clause_punct(p);
    let first = first.trim_end();
    // Nor is the first phrase a time (`2022年，…`) or a reporting clause.
    phrase(first)
        && phrase(second)
        && !first.ends_with(['年', '月', '日', '时'])
        && !REPORTING.iter().any(|w| first.ends_with(w))
        && !CLAUSE_OPENERS
            .iter()
            .any(|w| second.trim_start().starts_with(w))
        && balanced(first)
        && balanced(second)
}

/// A headline, kicker, banner or label: short, no clause punctuation (`。，；`), not ending in a
/// colon or enumeration comma, with at least one letter.
pub fn is_headline_shaped(text: &str) -> bool {
    if longer_than(text, MAX_HEADLINE_LEN) {
        return false;
    }
    let n = visible_len(text);
    if n == 0 || n > MAX_HEADLINE_LEN {
        return false;
    }
    if has_clause_punct(text) && !is_two_phrase_headline(text) {
        return false;
    }
    // Links, addresses and markup are not headlines.
    if text.contains("](") || text.contains("://") || text.starts_with('<') {
        return false;
    }
    // (A kicker may run on into its title with a dash: `党际交往——`.)
    let run_on = text.ends_with("——") && visible_len(text) <= 30;
    if text.ends_with(['：', ':', '、', '—', '（', '(', '《', '“']) && !run_on {
        return false;
    }
    // A sentence-final `！`/`？` is fine in a headline (a slogan's); a final `…` or `.` is body
    // text.
    if ends_sentence(text)
        && !text
            .trim_end_matches(['”', '’'])
            .ends_with(['！', '？', '!', '?'])
    {
        return false;
    }
    text.chars().any(|c| is_cjk(c) || c.is_alphabetic())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::credits::*;

    fn kinds(text: &str) -> Vec<(usize, LineKind, String)> {
        classify_lines(text)
            .into_iter()
            .map(|l| (l.no, l.kind, l.text))
            .collect()
    }

    #[test]
    fn letter_spaced_lines_are_closed_up_and_word_spaces_stay() {
        for (line, want) in [
            ("我 省 印 发 专 项 行 动 方 案", "我省印发专项行动方案"),
            ("张\u{3000}浩", "张浩"),
            ("东 昌 时 讯", "东昌时讯"),
            ("第 1 2 期", "第12期"),
            ("—— 记 者 张 浩", "——记者张浩"),
            ("  标  题  两  个  空  格  ", "标题两个空格"),
            ("■   本 报 记 者   张 浩", "■ 本报记者 张浩"),
        ] {
            assert_eq!(clean(line), want, "{line:?}");
        }
        for line in [
            "记者 李若生 摄",
            "作者：张三 李四",
            "2023 年 11 月 3 日",
            "图 1",
            "한 국 어",
            "A B C",
        ] {
            assert_eq!(clean(line), line, "{line:?}");
        }
        // And the closed-up line is read for what it is.
        assert_eq!(classify(&clean("记 者 李 若 生 摄")), LineKind::PhotoCredit);
    }

    #[test]
    fn a_row_of_ornaments_separates_articles() {
        for line in ["＊　＊　＊", "※※※", "◆ ◇ ◆", "————————", "* * * * *", "==="]
        {
            assert!(is_ornament_rule(line), "{line}");
        }
        for line in [
            "**",
            "■本报记者 张浩",
            "——某某",
            "……",
            "★☆◆",
            "#",
            "-- 1 --",
        ] {
            assert!(!is_ornament_rule(line), "{line}");
        }
        let got = kinds(
            "甲地举行大会\n正文第一段，内容足够长。\n＊　＊　＊\n乙地召开会议\n正文第二段。\n",
        );
        assert_eq!(got[2].1, LineKind::Separator);
    }

    #[test]
    fn a_headline_alone_in_brackets_is_marked_like_a_bold_one() {
        let got = kinds("【某地举行庆祝大会】\n正文第一段，内容足够长。\n");
        assert_eq!(got[0], (1, LineKind::Heading(0), "某地举行庆祝大会".into()));
        for line in [
            "【本报讯】",
            "【新华社北京3月5日电】",
            "【正文】",
            "【日期】1935-03-01 【版次】第3版",
            "【某地举行大会】正文从这里开始，",
            "【这是一句话，不是标题。】",
        ] {
            assert_eq!(bracketed_headline(line), None, "{line}");
        }
    }

    #[test]
    fn markdown_headings_and_bold_lines_are_headings() {
        let got = kinds("# 大标题\n\n## 小标题\n**加粗标题**\n");
        assert_eq!(
            got,
            vec![
                (1, LineKind::Heading(1), "大标题".into()),
                (3, LineKind::Heading(2), "小标题".into()),
                (4, LineKind::Heading(0), "加粗标题".into()),
            ]
        );
    }

    #[test]
    fn markdown_dash_line_is_a_subtitle() {
        assert_eq!(kinds("## ——某县推动工作提质增效")[0].1, LineKind::Subtitle);
        assert_eq!(classify("——访某位专家"), LineKind::Subtitle);
    }

    #[test]
    fn gaps_count_blank_lines_and_crlf_bom_are_handled() {
        let lines = classify_lines("\u{feff}甲乙丙丁\r\n\r\n\r\n戊己庚辛。\r\n");
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].text, "甲乙丙丁");
        assert_eq!(lines[1].gap_before, 2);
        assert_eq!(lines[1].no, 4);
    }

    #[test]
    fn indents_are_noticed_and_removed() {
        let lines =
            classify_lines("\u{3000}\u{3000}正文第一段，内容。\n\t第二段，内容。\n  第三段。");
        assert!(lines.iter().all(|l| l.indented));
        assert_eq!(lines[0].text, "正文第一段，内容。");
    }

    #[test]
    fn tabs_become_single_spaces() {
        assert_eq!(
            classify_lines("甲乙\t\t丙丁  戊己")[0].text,
            "甲乙 丙丁 戊己"
        );
    }

    #[test]
    fn short_lines_without_clause_punctuation_are_headline_shaped() {
        assert!(is_headline_shaped("领跑亩均效益 保供应急物资"));
        assert!(is_headline_shaped("推动提案工作取得新进展、展现新成效"));
        assert!(is_headline_shaped(
            "市公共资源交易中心: 政务诚信引领 推动社会信用体系建设"
        ));
        assert!(is_headline_shaped("真没想到！"));
        assert!(!is_headline_shaped("据了解，目前，某区综合行政"));
        // One comma between two phrases: a headline's.
        assert!(is_headline_shaped("不忘初心，牢记使命"));
        assert!(is_headline_shaped("稳中求进，开创发展新局面"));
        assert!(is_headline_shaped("向持牌旅行社发放一次性80,000元津贴"));
        assert!(!is_headline_shaped(
            "全年投资1,000亿元,其中一半用于民生,成效明显"
        ));
        assert!(is_headline_shaped(
            "全国军民热烈欢呼伟大胜利夺取无产阶级文化大革命全面胜利！"
        ));
        for cut in [
            "会议强调，要坚持以人民为中心",
            "2022年，我省发布《关于深化改革",
            "据悉，该项目总投资十亿元",
            "甲乙，丙丁戊己",
            "一是加强领导，二是完善制度，三是狠抓落实",
            "记者了解到，该项目已经完工",
            "各地积极行动，并取得明显成效",
        ] {
            assert!(!is_headline_shaped(cut), "{cut}");
        }
        assert!(!is_headline_shaped("会议强调了工作。"));
        assert!(!is_headline_shaped("本期节目主要内容："));
        assert!(!is_headline_shaped("2024"));
        assert!(!is_headline_shaped(
            "[查看原文](https://example.com/a.html)"
        ));
        assert!(!is_headline_shaped("<p>段落</p>"));
    }

    #[test]
    fn very_long_lines_are_not_headlines() {
        let long = "甲".repeat(MAX_HEADLINE_LEN + 1);
        assert!(!is_headline_shaped(&long));
    }

    #[test]
    fn parenthetical_names_are_credits() {
        assert_eq!(classify("(付玉婷)"), LineKind::Attribution);
        assert_eq!(classify("（融媒体 郭龙君）"), LineKind::Attribution);
        assert_eq!(classify("(某区政务)"), LineKind::Attribution);
        assert_ne!(classify("(这是一个，很长的说明)"), LineKind::Attribution);
    }

    #[test]
    fn roles_with_names_are_attributions() {
        assert_eq!(classify("■本报记者 李兆宪"), LineKind::Attribution);
        assert_eq!(classify("本报通讯员 刘丽敏"), LineKind::Attribution);
        assert_eq!(classify("记者 王浩"), LineKind::Attribution);
        assert_eq!(
            classify("■ 本报通讯员 陈清林 岳宗光"),
            LineKind::Attribution
        );
        assert_eq!(classify("记者张浩 通讯员赵凯"), LineKind::Attribution);
        assert_ne!(classify("记者招待会召开"), LineKind::Attribution);
    }

    #[test]
    fn a_dateline_alone_is_an_attribution() {
        assert_eq!(
            classify("本报讯 (记者 王燕 通讯员 杨洪玲)"),
            LineKind::Attribution
        );
        assert_eq!(
            classify("本报讯(记者 马琳)日前，记者获悉。"),
            LineKind::Body
        );
    }

    #[test]
    fn a_position_and_a_name_is_an_attribution() {
        assert_eq!(classify("中共某市某区委书记 韩某某"), LineKind::Attribution);
        assert_eq!(classify("某研究院研究员 虞某"), LineKind::Attribution);
        assert_eq!(classify("本报评论员"), LineKind::Attribution);
        assert_eq!(classify("新型工业化 看聊城"), LineKind::Short);
        assert_eq!(classify("冠县"), LineKind::Short);
    }

    #[test]
    fn hollow_triangles_mark_briefs_unless_they_speak_of_a_picture() {
        assert_eq!(
            classify("△某地昨天召开大会，部署秋收工作。"),
            LineKind::Body
        );
        assert_eq!(
            classify("△图为群众在田间收割。记者 某某 摄"),
            LineKind::Caption
        );
        assert_eq!(classify("▲11月2日，在某县拍摄。"), LineKind::Caption);
    }

    #[test]
    fn a_caption_with_its_credit_inline() {
        assert_eq!(
            split_photo_credit("会见在北京举行。新华社记者 某某摄"),
            Some(("会见在北京举行。", "新华社记者 某某摄"))
        );
        assert_eq!(split_photo_credit("他说，这是摄"), None);
        assert_eq!(
            split_photo_credit("会见在北京举行.新华社记者 某某摄"),
            Some(("会见在北京举行.", "新华社记者 某某摄"))
        );
        assert_eq!(split_photo_credit("增长3.5新华社记者 某某摄"), None);
        assert_eq!(split_photo_credit("正文。"), None);
    }

    #[test]
    fn a_vertical_headline_is_joined() {
        let got = kinds("动\n态\n\n正文，内容。\n");
        assert_eq!(got[0], (1, LineKind::Short, "动态".into()));
        assert_eq!(got.len(), 2);
    }

    #[test]
    fn in_an_unbroken_ocr_flow_only_headlines_over_text_stay_headlines() {
        // Thirty lines and no blank line: OCR output. Column pieces continue sentences, scraps
        // are short; a headline stands over a paragraph.
        let mut text = String::new();
        for i in 0..12 {
            text.push_str(&format!(
                "这是第{i}段正文，它在一个很长的句子里说了很多很多的事情还没有说完\n"
            ));
            text.push_str("被分栏切断的一行没有标点\n");
        }
        text.push_str("完结的一句。\n某地召开大会部署秋收工作\n");
        text.push_str(
            "本报讯 某地昨天召开大会，部署今年的秋收工作，要求各地抓紧时间做好准备工作。\n",
        );
        for scrap in ["动", "y", "07", "人书"] {
            text.push_str(scrap);
            text.push('\n');
        }
        let lines = classify_lines(&text);
        let short: Vec<&str> = lines
            .iter()
            .filter(|l| l.kind == LineKind::Short)
            .map(|l| l.text.as_str())
            .collect();
        assert_eq!(short, ["某地召开大会部署秋收工作"]);
    }

    #[test]
    fn a_correspondent_by_posting() {
        assert!(is_role_and_names("本报驻某国记者　甲　乙"));
        assert!(is_author_line("本报驻某国记者\u{3000}甲乙\u{3000}丙丁"));
        assert!(!is_author_line("驻地记者会召开"));
    }

    #[test]
    fn metadata_lines_are_their_own_kind() {
        assert_eq!(
            classify("作者：张三;李四  时间：2018-04-17"),
            LineKind::Meta
        );
        assert_eq!(
            classify("某报 日期：2018-04-01 版次：03 版 本报北京4月1日电"),
            LineKind::Meta
        );
    }

    #[test]
    fn datelines_split_off_the_first_paragraph() {
        assert_eq!(
            split_dateline("本报讯(记者 马琳)日前，记者获悉"),
            Some(("本报讯(记者 马琳)", "日前，记者获悉"))
        );
        assert_eq!(
            split_dateline("本报北京4月16日电 （记者甲乙、丙丁）当天，"),
            Some(("本报北京4月16日电 （记者甲乙、丙丁）", "当天，"))
        );
        assert_eq!(
            split_dateline("□某地讯（融媒体 张三）会议召开。"),
            Some(("□某地讯（融媒体 张三）", "会议召开。"))
        );
        assert_eq!(split_dateline("某地讯 8月18日, 市长到访。"), None);
        assert_eq!(split_dateline("他说(大意如此)，我们走。"), None);
    }

    #[test]
    fn photo_credits_end_in_she() {
        assert_eq!(classify("记者 李若生 摄"), LineKind::PhotoCredit);
        assert_eq!(classify("记者 甲乙 通讯员 丙丁 摄"), LineKind::PhotoCredit);
        assert_eq!(classify("(新华社记者 张三 摄)"), LineKind::PhotoCredit);
        assert_ne!(classify("摄"), LineKind::PhotoCredit);
        assert_ne!(classify("他在现场拍摄，记者 摄"), LineKind::PhotoCredit);
    }

    #[test]
    fn captions_open_with_a_triangle() {
        assert_eq!(classify("▲11月2日，主播正在直播。"), LineKind::Caption);
        assert_eq!(classify("图为工人在作业。"), LineKind::Caption);
    }

    #[test]
    fn colophon_lines_have_known_labels() {
        assert_eq!(classify("地址：某市某路77号"), LineKind::Colophon);
        assert_eq!(classify("邮编：252000"), LineKind::Colophon);
        assert_eq!(classify("新闻热线：0635-8418123"), LineKind::Colophon);
        assert_eq!(
            classify("某某新闻网：<http://example.cn>"),
            LineKind::Colophon
        );
        assert_ne!(classify("地址："), LineKind::Colophon);
    }
}
