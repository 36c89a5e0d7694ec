//! What `kanbao grep` prints: a line (or a JSON object) per hit, or counts per month, year or
//! paper — the frequency of a term over time, ready for plotting.

use std::collections::BTreeMap;

use super::GrepBy;
use crate::fulltext::scan::{Hit, article_date, hit_document, snippet};
use crate::model::Issue;

/// One line per hit (`source TAB article TAB date TAB paper TAB snippet`), or one JSON
/// object per line; the article is numbered from 1 as `kanbao headlines` numbers it, and 0
/// stands for the issue's text outside its articles (masthead, banners, colophon).
pub fn lines(
    issues: &[&Issue],
    hits: &[Hit],
    context: usize,
    limit: Option<usize>,
    json: bool,
) -> String {
    let mut out = String::new();
    for hit in hits.iter().take(limit.unwrap_or(usize::MAX)) {
        let issue = issues[hit.issue];
        let article = hit.article.and_then(|a| issue.articles.get(a));
        let number = hit.article.map_or(0, |a| a + 1);
        let doc = hit_document(issue, hit.article);
        let date = article_date(issue, article).unwrap_or("");
        let paper = issue.paper.as_deref().unwrap_or("");
        let around = snippet(&doc.text, &hit.range, context);
        if json {
            let start = doc.text[..hit.range.start].chars().count();
            let value = serde_json::json!({
                "source": issue.source,
                "article": number,
                "date": article_date(issue, article),
                "paper": issue.paper,
                "title": article.and_then(|a| a.title.as_deref()),
                "start": start,
                "end": start + doc.text[hit.range.clone()].chars().count(),
                "match": &doc.text[hit.range.clone()],
                "snippet": around,
            });
            out.push_str(&value.to_string());
        } else {
            let cells = [
                issue.source.as_str(),
                &number.to_string(),
                date,
                paper,
                &around,
            ];
            let cells: Vec<String> = cells.iter().map(|c| c.replace('\t', " ")).collect();
            out.push_str(&cells.join("\t"));
        }
        out.push('\n');
    }
    out
}

/// `key TAB count` lines in key order: occurrences per month (`YYYY-MM`), year or paper.
/// Hits with no date (or paper) are counted under `undated` (`unknown`), last.
pub fn counts(issues: &[&Issue], hits: &[Hit], by: GrepBy) -> String {
    let mut known: BTreeMap<String, usize> = BTreeMap::new();
    let mut missing = 0;
    for hit in hits {
        let issue = issues[hit.issue];
        let article = hit.article.and_then(|a| issue.articles.get(a));
        let key = match by {
            GrepBy::Month => article_date(issue, article).and_then(|d| d.get(..7)),
            GrepBy::Year => article_date(issue, article).and_then(|d| d.get(..4)),
            GrepBy::Paper => issue.paper.as_deref(),
        };
        match key {
            Some(key) => *known.entry(key.to_string()).or_default() += 1,
            None => missing += 1,
        }
    }
    let mut out: String = known
        .iter()
        .map(|(key, n)| format!("{}\t{n}\n", key.replace('\t', " ")))
        .collect();
    if missing > 0 {
        let label = if by == GrepBy::Paper {
            "unknown"
        } else {
            "undated"
        };
        out.push_str(&format!("{label}\t{missing}\n"));
    }
    out
}
