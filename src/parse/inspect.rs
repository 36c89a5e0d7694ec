//! The parse explained: every source line with the role it ended up in (masthead, kicker,
//! title, body, subhead, metadata, caption, credit, list item, colophon, fragment …) and the
//! rules that put it there — what its shape alone said (stage one, [`super::lines`]) and what
//! its place among its neighbours made of it (stage two). `kanbao inspect` prints this; the raw
//! view shows the roles in its gutter.

use std::collections::HashMap;

use super::layout::Layout;
use super::lines::{LineKind, classify_lines_with, split_lines};
use crate::model::{Article, ArticleKind, FragmentKind, Issue};

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
}

/// What stage one's rule for `kind` says.
fn shape_rule(kind: LineKind) -> &'static str {
    match kind {
        LineKind::Heading(0) => "a bold line",
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
        LineKind::Separator => "matches a `separator` pattern of layout.toml",
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
        })
        .collect();
    let classified: HashMap<usize, (LineKind, String)> = classify_lines_with(&issue.text, layout)
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
        let (role, why) = match f.kind {
            FragmentKind::Banner => (Role::Banner, "headline-shaped with no body under it"),
            FragmentKind::OrphanCredit => (Role::Fragment, "a credit that closes nothing"),
            FragmentKind::Duplicate => (Role::Fragment, "repeats the end of the paragraph above"),
            FragmentKind::Stray => (Role::Fragment, "belongs to no article"),
            FragmentKind::SetAside => (
                Role::Fragment,
                "set aside by the archive's layout: layout.toml, or a line most issues repeat",
            ),
            FragmentKind::Label => (Role::Title, "a record's title printed as a field"),
        };
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
    out
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
        let shown: String = text.chars().take(40).collect();
        let more = if text.chars().count() > 40 { "…" } else { "" };
        out.push_str(&format!(
            "{:>width$}  {:<9}  {shown}{more}\n{:>width$}  {:<9}  ({})\n",
            r.line,
            r.role.name(),
            "",
            "",
            r.why
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse_issue;

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
}
