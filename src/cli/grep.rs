//! What `kanbao grep` prints: a line (or a JSON object) per hit, or counts per month, year or
//! paper — the frequency of a term over time, ready for plotting.

use std::collections::BTreeMap;

use super::GrepBy;
use crate::fulltext::scan::{Hit, article_date, hit_document, snippet};
use crate::model::Issue;

/// One line per hit (`source TAB article TAB date TAB paper TAB snippet`), or one JSON
/// object per line; the article is numbered from 1 as `kanbao headlines` numbers it, and 0
/// stands for the issue's text outside its articles (masthead, banners, colophon).
pub fn lines(issue: &Issue, hits: &[Hit], context: usize, json: bool) -> String {
    let mut out = String::new();
    for hit in hits {
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

/// Occurrences per month (`YYYY-MM`), year or paper, gathered issue by issue.
#[derive(Debug, Default)]
pub struct Counts {
    known: BTreeMap<String, usize>,
    missing: usize,
}

impl Counts {
    /// Counts `hits` of `issue` under their keys.
    pub fn add(&mut self, issue: &Issue, hits: &[Hit], by: GrepBy) {
        for hit in hits {
            let article = hit.article.and_then(|a| issue.articles.get(a));
            let key = match by {
                GrepBy::Month => article_date(issue, article).and_then(|d| d.get(..7)),
                GrepBy::Year => article_date(issue, article).and_then(|d| d.get(..4)),
                GrepBy::Paper => issue.paper.as_deref(),
            };
            match key {
                Some(key) => *self.known.entry(key.to_string()).or_default() += 1,
                None => self.missing += 1,
            }
        }
    }

    /// `key TAB count` lines in key order; hits with no date (or paper) are counted under
    /// `undated` (`unknown`), last.
    pub fn render(&self, by: GrepBy) -> String {
        let mut out: String = self
            .known
            .iter()
            .map(|(key, n)| format!("{}\t{n}\n", key.replace('\t', " ")))
            .collect();
        if self.missing > 0 {
            let label = if by == GrepBy::Paper {
                "unknown"
            } else {
                "undated"
            };
            out.push_str(&format!("{label}\t{}\n", self.missing));
        }
        out
    }
}
