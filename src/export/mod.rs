//! Renderers from the model to text for stdout: JSON (the contract other tools read), plain text
//! (one paragraph per line) and Markdown. `export`, `cat` and the reader's print action all use
//! these, so an article reads the same wherever it goes.

use serde::Serialize;

use crate::model::{Article, ArticleKind, Issue, IssueSummary};

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
    issues: &'a [Issue],
}

/// Issues as a JSON document `{"issues":[…]}`, pretty-printed.
pub fn issues_json(issues: &[Issue]) -> String {
    serde_json::to_string_pretty(&ExportDoc { issues })
        .unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
}

/// One article as plain text: kicker, title, subtitle, byline, a blank line, paragraphs one per
/// line, credit. Ends with a newline.
pub fn article_text(article: &Article) -> String {
    let mut out = String::new();
    let mut head = false;
    for line in [
        &article.kicker,
        &article.title,
        &article.subtitle,
        &article.byline,
    ]
    .into_iter()
    .flatten()
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
    if let Some(byline) = &article.byline {
        blocks.push(byline.clone());
    }
    blocks.extend(article.paragraphs.iter().cloned());
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
pub fn issues(list: &[Issue], format: Format) -> String {
    match format {
        Format::Json => {
            let mut json = issues_json(list);
            json.push('\n');
            json
        }
        Format::Text => list.iter().map(issue_text).collect::<Vec<_>>().join("\n"),
        Format::Markdown => list
            .iter()
            .map(issue_markdown)
            .collect::<Vec<_>>()
            .join("\n"),
    }
}

/// `kanbao list`: one tab-separated line per issue — date, paper, number, article count, source.
/// Missing fields print as `-`.
pub fn list_line(issue: &IssueSummary) -> String {
    let dash = |v: Option<String>| v.unwrap_or_else(|| "-".into());
    format!(
        "{}\t{}\t{}\t{}\t{}",
        dash(issue.date.clone()),
        dash(issue.paper.clone()),
        dash(issue.number.map(|n| n.to_string())),
        issue.headlines.len(),
        issue.source
    )
}

/// `kanbao headlines`: one tab-separated line per article — source, 1-based index, title.
pub fn headline_lines(issue: &IssueSummary) -> impl Iterator<Item = String> + '_ {
    issue.headlines.iter().enumerate().map(|(i, a)| {
        let marker = if a.kind == ArticleKind::Photo {
            "[图] "
        } else {
            ""
        };
        format!("{}\t{}\t{marker}{}", issue.source, i + 1, a.title)
    })
}

/// `kanbao find`: the ranked hits, as TSV lines (source, 1-based index, title) or JSON.
pub fn find_results(
    library: &crate::library::Library,
    query: &str,
    limit: usize,
    json: bool,
) -> String {
    let index = crate::find::Index::from_headlines(
        library
            .summaries()
            .map(|(i, s)| (i, s.headlines.as_slice())),
    );
    let hits = index.search(query, None, limit);
    let rows = hits.iter().filter_map(|hit| {
        let entry = &index.entries[hit.entry];
        let issue = library.slot(entry.issue)?;
        Some((
            issue.source.as_str(),
            entry.article + 1,
            entry.text.as_str(),
            hit,
        ))
    });
    if json {
        let list: Vec<serde_json::Value> = rows
            .map(|(source, number, title, hit)| {
                serde_json::json!({
                    "source": source,
                    "index": number,
                    "title": title,
                    "score": hit.score,
                    "positions": index.positions(hit.entry, query),
                })
            })
            .collect();
        let mut out = serde_json::to_string_pretty(&list).unwrap_or_default();
        out.push('\n');
        out
    } else {
        rows.map(|(source, number, title, _)| format!("{source}\t{number}\t{title}\n"))
            .collect()
    }
}

/// `kanbao keys`: the effective bindings, one per line: context, keys, action, description.
pub fn keymap_listing(keymap: &crate::keymap::Keymap) -> String {
    let mut out = String::new();
    for ctx in crate::keymap::Context::ALL {
        for binding in keymap.contexts.get(ctx).into_iter().flatten() {
            out.push_str(&format!(
                "{}\t{}\t{}\t{}\n",
                ctx.name(),
                crate::keymap::key::chord_to_string(&binding.on),
                binding.run.name(),
                binding.desc
            ));
        }
    }
    out
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
