//! The parse explained: every source line with the role it ended up in (masthead, kicker,
//! title, body, subhead, metadata, caption, credit, list item, colophon, fragment …) and the
//! rules that put it there — what its shape alone said (stage one, [`super::lines`]) and what
//! its place among its neighbours made of it (stage two). `kanbao inspect` prints this; the raw
//! view shows the roles in its gutter.

use std::collections::HashMap;

use super::layout::Layout;
use super::lines::{LineKind, classify_lines_with, split_lines};
use crate::model::{Article, ArticleKind, Fragment, FragmentKind, Issue};

/// What a source line is in the parsed issue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Part of the masthead.
    Masthead,
    /// A headline-shaped line with no article: a slogan, banner or label.
    Banner,
    /// The line over a headline.
    Kicker,
    /// A headline.
    Title,
    /// The line under a headline.
    Subtitle,
    /// A byline or dateline with reporters.
    Byline,
    /// A metadata line (`作者：… 时间：…`, front matter).
    Metadata,
    /// Body text.
    Body,
    /// A section head inside an article.
    Subhead,
    /// One item of a list inside an article.
    ListItem,
    /// A photo caption.
    Caption,
    /// A closing or photo credit.
    Credit,
    /// The colophon.
    Colophon,
    /// Text kept apart from every article.
    Fragment,
    /// A blank line, or markup only.
    Blank,
}

impl Role {
    /// The role's name as printed.
    pub fn name(self) -> &'static str {
        match self {
            Role::Masthead => "masthead",
            Role::Banner => "banner",
            Role::Kicker => "kicker",
            Role::Title => "title",
            Role::Subtitle => "subtitle",
            Role::Byline => "byline",
            Role::Metadata => "metadata",
            Role::Body => "body",
            Role::Subhead => "subhead",
            Role::ListItem => "list item",
            Role::Caption => "caption",
            Role::Credit => "credit",
            Role::Colophon => "colophon",
            Role::Fragment => "fragment",
            Role::Blank => "blank",
        }
    }

    /// A three-letter tag for the raw view's gutter.
    pub fn tag(self) -> &'static str {
        match self {
            Role::Masthead => "MST",
            Role::Banner => "BAN",
            Role::Kicker => "KIC",
            Role::Title => "TTL",
            Role::Subtitle => "SUB",
            Role::Byline => "BYL",
            Role::Metadata => "MET",
            Role::Body => "txt",
            Role::Subhead => "SHD",
            Role::ListItem => "lst",
            Role::Caption => "CAP",
            Role::Credit => "CRD",
            Role::Colophon => "COL",
            Role::Fragment => "FRG",
            Role::Blank => "",
        }
    }
}

/// One source line explained.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineRole {
    /// 1-based line number.
    pub line: usize,
    /// What it became.
    pub role: Role,
    /// Why: the shape rule, then what its place made of it.
    pub why: String,
    /// When the parser split the line in two or more (OCR fused what stood side by side: an
    /// issue line and the lead headline, a headline and the next story's dateline): each
    /// part's text, role and why, in order; `role` and `why` are the first part's. Empty for
    /// a line read whole.
    pub parts: Vec<PartRole>,
}

/// One part of a source line the parser split.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartRole {
    /// The part's text.
    pub text: String,
    /// What it became.
    pub role: Role,
    /// Why, as for a whole line.
    pub why: String,
}

/// What stage one's rule for `kind` says.
fn shape_rule(kind: LineKind) -> &'static str {
    match kind {
        LineKind::Heading(0) => "a bold line, or a headline alone in 【…】",
        LineKind::Heading(_) => "a Markdown heading",
        LineKind::Short => "short, no clause punctuation: headline-shaped",
        LineKind::Subtitle => "opens with a dash",
        LineKind::Attribution => "a role and names, a parenthetical name or a bare dateline",
        LineKind::PhotoCredit => "short, ends in 摄/摄影/供图",
        LineKind::Caption => "opens with a triangle or 图为",
        LineKind::Colophon => "a colophon label (地址, 邮编, 热线 …)",
        LineKind::Meta => "label：value fields with a metadata label",
        LineKind::FrontMatter => "inside YAML front matter",
        LineKind::Body => "a sentence or a long line: text",
        LineKind::Ignored => {
            "matches an `ignore` pattern of layout.toml, or recurs in most issues (learned)"
        }
        LineKind::RunningHead => "OCR flow: a page label or a date alone, or a scrap beside one",
        LineKind::PageMarker => {
            "a page marker (第N版, a section after it): the page of the articles below"
        }
        LineKind::Separator => {
            "a row of ornaments (＊ ＊ ＊), or matches a `separator` pattern of layout.toml"
        }
    }
}

/// A list item's shape: `一、…`, `1.…`, `（1）…`, `——…`, or ending in `；`.
fn is_list_item(text: &str) -> bool {
    let t = text.trim_start_matches(['\u{3000}', ' ']);
    let numbered = t
        .char_indices()
        .take_while(|(_, c)| c.is_ascii_digit() || "一二三四五六七八九十".contains(*c))
        .last()
        .is_some_and(|(at, c)| {
            let rest = &t[at + c.len_utf8()..];
            rest.starts_with(['、', '.', '．', '）'])
        });
    numbered
        || t.starts_with("——")
        || t.starts_with(['（', '(']) && t.chars().nth(1).is_some_and(|c| c.is_ascii_digit())
        || t.trim_end().ends_with(['；', ';'])
}

/// What `text` is within `article`, and why.
fn article_role(article: &Article, text: &str, kind: LineKind) -> (Role, &'static str) {
    // Headline fields are whole lines joined by spaces; bylines and credits may be pieces.
    let is = |field: &Option<String>| {
        field
            .as_deref()
            .is_some_and(|f| f == text || f.split(' ').any(|part| part == text))
    };
    let has = |field: &Option<String>| field.as_deref().is_some_and(|f| f.contains(text));
    if article.title.as_deref() == Some(text) {
        return (Role::Title, "the article's headline");
    }
    if is(&article.kicker) {
        return (Role::Kicker, "above the headline");
    }
    if is(&article.subtitle) {
        return (Role::Subtitle, "below the headline");
    }
    if article.metadata.iter().any(|m| m == text) {
        return (Role::Metadata, "under the headline: the article's metadata");
    }
    if has(&article.byline) && !article.paragraphs.iter().any(|p| p.contains(text)) {
        return (Role::Byline, "before the body");
    }
    if article.kind == ArticleKind::Photo && !has(&article.credit) {
        return (Role::Caption, "a photo item's text");
    }
    if has(&article.credit) && !article.paragraphs.iter().any(|p| p.contains(text)) {
        return (Role::Credit, "after the body");
    }
    let subhead = article
        .subheads
        .iter()
        .any(|&i| article.paragraphs.get(i).is_some_and(|p| p == text));
    if subhead {
        return (
            Role::Subhead,
            "headline-shaped inside an article: a section head",
        );
    }
    if matches!(kind, LineKind::Body) && is_list_item(text) {
        return (
            Role::ListItem,
            "numbered, dashed or ending in ；: a list item",
        );
    }
    (Role::Body, "inside an article")
}

/// Every line of `issue`'s source, explained.
pub fn roles(issue: &Issue) -> Vec<LineRole> {
    roles_with(issue, &Layout::default())
}

/// [`roles`] for an issue parsed with `layout`'s hints.
pub fn roles_with(issue: &Issue, layout: &Layout) -> Vec<LineRole> {
    let total = split_lines(&issue.text).count();
    let mut out: Vec<LineRole> = (1..=total)
        .map(|line| LineRole {
            line,
            role: Role::Blank,
            why: "blank, or markup only".into(),
            parts: Vec::new(),
        })
        .collect();
    let lines = classify_lines_with(&issue.text, layout);
    // (A split line's parts share its number: each is explained apart below.)
    let mut split: HashMap<usize, Vec<(LineKind, String)>> = HashMap::new();
    for pair in lines.windows(2).filter(|w| w[0].no == w[1].no) {
        let parts = split.entry(pair[0].no).or_default();
        if parts.is_empty() {
            parts.push((pair[0].kind, pair[0].text.clone()));
        }
        parts.push((pair[1].kind, pair[1].text.clone()));
    }
    let classified: HashMap<usize, (LineKind, String)> = lines
        .into_iter()
        .map(|l| (l.no, (l.kind, l.text)))
        .collect();
    let set = |out: &mut Vec<LineRole>, line: usize, role: Role, why: &str| {
        if let (Some(slot), Some((kind, _))) =
            (out.get_mut(line.wrapping_sub(1)), classified.get(&line))
        {
            slot.role = role;
            slot.why = format!("{}; {why}", shape_rule(*kind));
        }
    };
    for l in &issue.masthead {
        set(
            &mut out,
            l.line,
            Role::Masthead,
            "at the top, with the paper's name or date fields",
        );
    }
    for l in &issue.colophon {
        set(&mut out, l.line, Role::Colophon, "the paper's imprint");
    }
    for f in &issue.fragments {
        let kind = classified.get(&f.line).map(|(kind, _)| *kind);
        let (role, why) = fragment_role(f, kind);
        set(&mut out, f.line, role, why);
    }
    for article in &issue.articles {
        for line in article.lines.start.max(1)..=article.lines.end {
            let Some((kind, text)) = classified.get(&line) else {
                continue;
            };
            if out.get(line - 1).is_some_and(|r| r.role != Role::Blank) {
                continue;
            }
            let (role, why) = article_role(article, text, *kind);
            set(&mut out, line, role, why);
        }
    }
    for (line, parts) in split {
        let parts: Vec<PartRole> = parts
            .into_iter()
            .map(|(kind, text)| {
                let (role, why) = part_role(issue, line, &text, kind);
                PartRole {
                    role,
                    why: format!("{}; {why}", shape_rule(kind)),
                    text,
                }
            })
            .collect();
        if let (Some(slot), Some(first)) = (out.get_mut(line.wrapping_sub(1)), parts.first()) {
            slot.role = first.role;
            slot.why = first.why.clone();
            slot.parts = parts;
        }
    }
    // A line with text but no line of its own was joined to the one above it: a paragraph or
    // headline a converter broke into lines, a vertical headline's characters.
    let mut joined_to: Option<(usize, Role)> = None;
    for (n, raw) in split_lines(&issue.text).enumerate() {
        let Some(slot) = out.get_mut(n) else { break };
        if classified.contains_key(&(n + 1)) {
            joined_to = (slot.role != Role::Blank).then_some((n + 1, slot.role));
        } else if !raw.chars().any(char::is_alphanumeric) {
            // (A blank line ends what can be joined.)
            joined_to = None;
        } else if let Some((line, role)) = joined_to {
            slot.role = role;
            slot.why = format!("joined to line {line} above: one line the source broke in two");
        }
    }
    out
}

/// What fragment `f` is, and why (`kind`: what its line's shape was).
fn fragment_role(f: &Fragment, kind: Option<LineKind>) -> (Role, &'static str) {
    match f.kind {
        FragmentKind::Banner => (Role::Banner, "headline-shaped with no body under it"),
        FragmentKind::OrphanCredit => (Role::Fragment, "a credit that closes nothing"),
        FragmentKind::Duplicate => (Role::Fragment, "repeats the end of the paragraph above"),
        FragmentKind::Stray => (Role::Fragment, "belongs to no article"),
        FragmentKind::SetAside if kind == Some(LineKind::RunningHead) => {
            (Role::Fragment, "a running head, set aside")
        }
        FragmentKind::SetAside if kind == Some(LineKind::PageMarker) => (
            Role::Fragment,
            "set aside; a new page ends the article above",
        ),
        FragmentKind::SetAside if kind == Some(LineKind::Separator) => {
            (Role::Fragment, "set aside; it ends the article above")
        }
        FragmentKind::SetAside => (
            Role::Fragment,
            "set aside by the archive's layout: layout.toml, or a line most issues repeat",
        ),
        // The printed label of a record's text (`正文：`) or of its title (`标题：`).
        FragmentKind::Label if super::meta::is_text_label(&f.text) => {
            (Role::Body, "a record's text; its printed label kept apart")
        }
        FragmentKind::Label => match super::meta::headline_label_part(&f.text) {
            Some(super::meta::HeadlinePart::Kicker) => {
                (Role::Kicker, "a record's kicker printed as a field")
            }
            Some(super::meta::HeadlinePart::Subtitle) => {
                (Role::Subtitle, "a record's subtitle printed as a field")
            }
            _ => (Role::Title, "a record's title printed as a field"),
        },
    }
}

/// What part `text` of the split source line `line` became, and why.
fn part_role(issue: &Issue, line: usize, text: &str, kind: LineKind) -> (Role, &'static str) {
    let text = text.trim();
    let here = |l: usize, t: &str| l == line && t.trim() == text;
    if issue.masthead.iter().any(|l| here(l.line, &l.text)) {
        return (
            Role::Masthead,
            "at the top, with the paper's name or date fields",
        );
    }
    if issue.colophon.iter().any(|l| here(l.line, &l.text)) {
        return (Role::Colophon, "the paper's imprint");
    }
    let fields_read = issue.number.is_some() || issue.date_from == Some(crate::model::Found::Text);
    if kind == LineKind::RunningHead && fields_read && super::flow::is_field_alone(text) {
        return (
            Role::Masthead,
            "an issue number or date fused onto the line: read as the masthead's",
        );
    }
    if let Some(f) = issue.fragments.iter().find(|f| here(f.line, &f.text)) {
        return fragment_role(f, Some(kind));
    }
    let holding = issue
        .articles
        .iter()
        .filter(|a| (a.lines.start..=a.lines.end).contains(&line));
    let first = holding.clone().next();
    holding
        .map(|a| article_role(a, text, kind))
        .find(|(role, _)| *role != Role::Body)
        .or_else(|| first.map(|a| article_role(a, text, kind)))
        .unwrap_or((Role::Fragment, "belongs to no article"))
}

/// `roles` as lines for a terminal: number, role, source text, and why.
pub fn report(issue: &Issue, layout: &Layout) -> String {
    let source: Vec<&str> = split_lines(&issue.text).collect();
    let width = source.len().to_string().len();
    let mut out = String::new();
    for r in roles_with(issue, layout) {
        if r.role == Role::Blank {
            continue;
        }
        let text = source.get(r.line - 1).copied().unwrap_or("").trim();
        if r.parts.is_empty() {
            push_role(&mut out, &r.line.to_string(), width, r.role, text, &r.why);
            continue;
        }
        // A split line: each part on its own, the first under the line's number.
        for (i, part) in r.parts.iter().enumerate() {
            let no = if i == 0 {
                r.line.to_string()
            } else {
                "+".into()
            };
            push_role(&mut out, &no, width, part.role, &part.text, &part.why);
        }
    }
    out
}

/// One explained line (or part) of [`report`].
fn push_role(out: &mut String, no: &str, width: usize, role: Role, text: &str, why: &str) {
    let shown: String = text.chars().take(40).collect();
    let more = if text.chars().count() > 40 { "…" } else { "" };
    out.push_str(&format!(
        "{no:>width$}  {:<9}  {shown}{more}\n{:>width$}  {:<9}  ({why})\n",
        role.name(),
        "",
        "",
    ));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse_issue;

    #[test]
    fn lines_joined_to_the_one_above_are_listed_with_its_role() {
        // A hard-wrapped paragraph (blank lines between paragraphs) is joined into its first
        // line before it is read; every source line of it is still explained.
        let piece = "这是一段被转换器按固定宽度折行的正文内容，每行长度都相同哦";
        let mut text = String::from("某地举行庆祝大会\n\n");
        for _ in 0..4 {
            for _ in 0..3 {
                text.push_str(piece);
                text.push('\n');
            }
            text.push_str("最后一行。\n\n");
        }
        let issue = parse_issue("t.txt", &text);
        let roles = roles(&issue);
        let content: Vec<&LineRole> = roles
            .iter()
            .zip(text.lines())
            .filter(|(_, raw)| !raw.trim().is_empty())
            .map(|(r, _)| r)
            .collect();
        assert!(
            content.iter().all(|r| r.role != Role::Blank),
            "{:?}",
            content.iter().map(|r| (r.line, r.role)).collect::<Vec<_>>()
        );
        assert_eq!(roles[3].role, Role::Body);
        assert!(
            roles[3].why.contains("joined to line 3"),
            "{}",
            roles[3].why
        );
        // A blank line stays blank.
        assert_eq!(roles[1].role, Role::Blank);
    }

    #[test]
    fn every_line_has_a_role_and_a_reason() {
        let text = "某某日报\n2018年4月1日\n\n引题说明\n主标题\n作者：甲乙  时间：2018-04-01\n\n\u{3000}\u{3000}第一段。\n\n\u{3000}\u{3000}小标题\n\n\u{3000}\u{3000}一、第一项；\n\n另一个标题\n时间：2018-04-02\n\n\u{3000}\u{3000}正文。\n";
        let issue = parse_issue("t.txt", text);
        let roles = roles(&issue);
        let role = |n: usize| roles[n - 1].role;
        assert_eq!(role(1), Role::Masthead);
        assert_eq!(role(2), Role::Masthead);
        assert_eq!(role(3), Role::Blank);
        assert_eq!(role(4), Role::Kicker);
        assert_eq!(role(5), Role::Title);
        assert_eq!(role(6), Role::Metadata);
        assert_eq!(role(8), Role::Body);
        assert_eq!(role(10), Role::Subhead);
        assert_eq!(role(12), Role::ListItem);
        assert_eq!(role(14), Role::Title);
        assert!(roles[5].why.contains("label：value"), "{}", roles[5].why);
        let report = report(&issue, &Layout::default());
        assert!(report.contains("subhead"));
        assert!(report.contains("(short, no clause punctuation"));
    }

    #[test]
    fn a_record_s_labelled_title_and_text_keep_their_roles() {
        let text = "题名：某会昨开执委会\n刊名：某报\n日期：1935-01-01\n正文：该会于昨日召开会议，讨论要案多件。\n\n题名：物价续有上涨\n日期：1935-01-02\n正文：米价每石涨二角。\n";
        let roles = roles(&parse_issue("t.txt", text));
        let role = |n: usize| roles[n - 1].role;
        assert_eq!(
            [role(1), role(2), role(3), role(4)],
            [Role::Title, Role::Metadata, Role::Metadata, Role::Body]
        );
        assert!(
            roles[3].why.contains("label kept apart"),
            "{}",
            roles[3].why
        );
    }

    #[test]
    fn a_line_the_parser_split_is_explained_part_by_part() {
        let mut text = String::from("某报\n");
        text.push_str("第12号1970年3月5日星期四（农历二月）团结起来争取更大的胜利\n");
        for _ in 0..35 {
            text.push_str("这是一行正文，内容足够长，读起来像是一段报纸正文的句子而已，\n");
        }
        let issue = parse_issue("t.txt", &text);
        assert_eq!(
            issue.articles[0].title.as_deref(),
            Some("团结起来争取更大的胜利")
        );
        let roles = roles(&issue);
        let parts: Vec<(Role, &str)> = roles[1]
            .parts
            .iter()
            .map(|p| (p.role, p.text.as_str()))
            .collect();
        assert_eq!(
            parts,
            [
                (Role::Masthead, "第12号1970年3月5日星期四（农历二月）"),
                (Role::Title, "团结起来争取更大的胜利")
            ]
        );
        assert_eq!(roles[1].role, Role::Masthead);
        assert!(roles[2].parts.is_empty(), "a line read whole has no parts");
        let report = report(&issue, &Layout::default());
        assert!(
            report.contains("+  title      团结起来争取更大的胜利"),
            "{report}"
        );
    }
}
