//! Renderers from the model to text for stdout: JSON (the contract other tools read), plain text
//! (one paragraph per line) and Markdown. `export`, `cat` and the reader's print action all use
//! these, so an article reads the same wherever it goes.

pub mod cite;

use serde::Serialize;

use crate::model::{Article, ArticleKind, Issue};

/// An output format for issues and articles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// `{"issues":[…]}` / one article object.
    #[default]
    Json,
    /// Title block, byline, paragraphs one per line, credit.
    Text,
    /// Headings, paragraphs separated by blank lines.
    Markdown,
}

/// The JSON document `kanbao export --format json` prints.
#[derive(Serialize)]
struct ExportDoc<'a> {
    issues: &'a [&'a Issue],
}

/// Issues as a JSON document `{"issues":[…]}`, pretty-printed.
pub fn issues_json(issues: &[&Issue]) -> String {
    serde_json::to_string_pretty(&ExportDoc { issues })
        .unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
}

/// One article as plain text: kicker, title, subtitle, byline, a blank line, paragraphs one per
/// line, credit. Ends with a newline.
pub fn article_text(article: &Article) -> String {
    let mut out = String::new();
    let mut head = false;
    for line in [&article.kicker, &article.title, &article.subtitle]
        .into_iter()
        .flatten()
        .chain(&article.metadata)
        .chain(&article.byline)
    {
        out.push_str(line);
        out.push('\n');
        head = true;
    }
    if head && !article.paragraphs.is_empty() {
        out.push('\n');
    }
    for para in &article.paragraphs {
        out.push_str(para);
        out.push('\n');
    }
    if let Some(credit) = &article.credit {
        out.push_str(credit);
        out.push('\n');
    }
    out
}

/// One article as Markdown.
pub fn article_markdown(article: &Article) -> String {
    let mut blocks: Vec<String> = Vec::new();
    if let Some(kicker) = &article.kicker {
        blocks.push(format!("**{kicker}**"));
    }
    match (&article.title, article.kind) {
        (Some(title), _) => blocks.push(format!("## {title}")),
        (None, ArticleKind::Photo) => blocks.push("## (图片)".into()),
        (None, ArticleKind::Article) => {}
    }
    if let Some(subtitle) = &article.subtitle {
        blocks.push(format!("*{subtitle}*"));
    }
    blocks.extend(article.metadata.iter().cloned());
    if let Some(byline) = &article.byline {
        blocks.push(byline.clone());
    }
    blocks.extend(article.paragraphs.iter().enumerate().map(|(i, p)| {
        if article.subheads.contains(&i) {
            format!("### {p}")
        } else {
            p.clone()
        }
    }));
    if let Some(credit) = &article.credit {
        blocks.push(format!("*{credit}*"));
    }
    let mut out = blocks.join("\n\n");
    out.push('\n');
    out
}

/// One article as a JSON object.
pub fn article_json(article: &Article) -> String {
    serde_json::to_string_pretty(article).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
}

/// One article in `format`.
pub fn article(article: &Article, format: Format) -> String {
    match format {
        Format::Json => {
            let mut json = article_json(article);
            json.push('\n');
            json
        }
        Format::Text => article_text(article),
        Format::Markdown => article_markdown(article),
    }
}

/// Several articles in `format`: text and Markdown separated by a blank line, JSON as one array.
pub fn articles(list: &[&Article], format: Format) -> String {
    match format {
        Format::Json => {
            let mut json = serde_json::to_string_pretty(list)
                .unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"));
            json.push('\n');
            json
        }
        Format::Text | Format::Markdown => list
            .iter()
            .map(|a| article(a, format))
            .collect::<Vec<_>>()
            .join("\n"),
    }
}

/// The one-line source of an article: its citation (GB/T 7714) and where its text is
/// (`path:first-last`).
pub fn source_line(issue: &Issue, article: &Article) -> String {
    let cite = cite::Parts::of(issue, article).render(cite::Style::Gbt7714);
    format!(
        "{cite} ({}:{}-{})",
        issue.source, article.lines.start, article.lines.end
    )
}

/// One article in `format` with its source: a `来源：` footer line in text, a quoted one in
/// Markdown; JSON is unchanged (it carries the article's lines, page and date already).
pub fn article_with_source(issue: &Issue, item: &Article, format: Format) -> String {
    let body = article(item, format);
    let source = source_line(issue, item);
    match format {
        Format::Json => body,
        Format::Text => format!("{}\n来源：{source}\n", body.trim_end_matches('\n')),
        Format::Markdown => format!("{}\n\n> 来源：{source}\n", body.trim_end_matches('\n')),
    }
}

/// Several articles with their sources, separated as [`articles`] separates them.
pub fn articles_with_source(list: &[(&Issue, &Article)], format: Format) -> String {
    match format {
        Format::Json => articles(&list.iter().map(|(_, a)| *a).collect::<Vec<_>>(), format),
        Format::Text | Format::Markdown => list
            .iter()
            .map(|(issue, a)| article_with_source(issue, a, format))
            .collect::<Vec<_>>()
            .join("\n"),
    }
}

/// A whole issue as plain text: its label, then its articles separated by blank lines.
pub fn issue_text(issue: &Issue) -> String {
    let mut out = issue.label();
    out.push_str("\n\n");
    let bodies: Vec<String> = issue.articles.iter().map(article_text).collect();
    out.push_str(&bodies.join("\n"));
    out
}

/// A whole issue as Markdown: `# label`, then its articles.
pub fn issue_markdown(issue: &Issue) -> String {
    let mut out = format!("# {}\n\n", issue.label());
    let bodies: Vec<String> = issue.articles.iter().map(article_markdown).collect();
    out.push_str(&bodies.join("\n"));
    out
}

/// Issues in `format`.
pub fn issues(list: &[&Issue], format: Format) -> String {
    match format {
        Format::Json => {
            let mut json = issues_json(list);
            json.push('\n');
            json
        }
        Format::Text => list
            .iter()
            .map(|i| issue_text(i))
            .collect::<Vec<_>>()
            .join("\n"),
        Format::Markdown => list
            .iter()
            .map(|i| issue_markdown(i))
            .collect::<Vec<_>>()
            .join("\n"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Article {
        Article {
            kicker: Some("引题".into()),
            title: Some("主标题".into()),
            subtitle: Some("——副题".into()),
            byline: Some("本报讯(记者 某某)".into()),
            credit: Some("(编辑)".into()),
            paragraphs: vec!["第一段。".into(), "第二段。".into()],
            ..Article::default()
        }
    }

    #[test]
    fn text_is_one_paragraph_per_line() {
        assert_eq!(
            article_text(&sample()),
            "引题\n主标题\n——副题\n本报讯(记者 某某)\n\n第一段。\n第二段。\n(编辑)\n"
        );
    }

    #[test]
    fn markdown_marks_the_title() {
        let md = article_markdown(&sample());
        assert!(md.contains("## 主标题"), "{md}");
        assert!(md.contains("第一段。\n\n第二段。"), "{md}");
    }

    #[test]
    fn json_has_null_for_absent_fields() {
        let article = Article {
            title: Some("标题".into()),
            ..Article::default()
        };
        let value: serde_json::Value = serde_json::from_str(&article_json(&article)).unwrap();
        assert!(value["kicker"].is_null());
        assert_eq!(value["kind"], "article");
        assert_eq!(value["title"], "标题");
    }
}
