//! Searching parsed issues article by article, with no index: what `--no-index` does, what
//! cuts the snippets of indexed hits from the source, and the rule of what a hit is that the
//! index follows too ([`Query::evaluate`]). An article is searched as
//! one document — its headline stack, byline, mended paragraphs and credit — so a word that a
//! column break split is found, and a hit is reported with the article it belongs to.

use std::ops::Range;

use super::matcher::Tokenized;
use super::query::{Clause, Query, Term};
use crate::model::{Article, Issue};

/// An article's searchable text, and where its headline ends in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// Headline stack on the first line, then byline, paragraphs and credit, a line each.
    pub text: String,
    /// Byte length of the headline line (`title:` searches only there).
    pub title_end: usize,
}

/// The document of `article`.
pub fn document(article: &Article) -> Document {
    let headline: Vec<&str> = [&article.kicker, &article.title, &article.subtitle]
        .into_iter()
        .filter_map(|part| part.as_deref())
        .collect();
    let mut text = headline.join(" ");
    let title_end = text.len();
    let rest = article
        .byline
        .iter()
        .chain(&article.paragraphs)
        .chain(&article.credit);
    for part in rest {
        text.push('\n');
        text.push_str(part);
    }
    Document { text, title_end }
}

/// One occurrence: which article of which issue, and where in its document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// Index of the issue in the slice searched.
    pub issue: usize,
    /// Index of the article in the issue (0-based); `None` for the issue's text outside its
    /// articles (masthead, banners and labels, colophon — see [`outside_articles`]).
    pub article: Option<usize>,
    /// Byte range of the occurrence in the article's [`Document`] text.
    pub range: Range<usize>,
}

/// The date an article is counted under: its own, else its issue's.
pub fn article_date<'a>(issue: &'a Issue, article: Option<&'a Article>) -> Option<&'a str> {
    article
        .and_then(|a| a.date.as_deref())
        .or(issue.date.as_deref())
}

/// The issue's text that is in no article — masthead, banners and section labels, orphan
/// credits, OCR duplicates, colophon — as one document, in source order, so that a search
/// misses nothing the file says.
pub fn outside_articles(issue: &Issue) -> Document {
    let mut lines: Vec<(usize, &str)> = issue
        .masthead
        .iter()
        .chain(&issue.colophon)
        .map(|l| (l.line, l.text.as_str()))
        .chain(issue.fragments.iter().map(|f| (f.line, f.text.as_str())))
        .collect();
    lines.sort_by_key(|(line, _)| *line);
    let text: Vec<&str> = lines.into_iter().map(|(_, text)| text).collect();
    Document {
        text: text.join("\n"),
        title_end: 0,
    }
}

/// The document a hit is in.
pub fn hit_document(issue: &Issue, article: Option<usize>) -> Document {
    match article.and_then(|a| issue.articles.get(a)) {
        Some(article) => document(article),
        None => outside_articles(issue),
    }
}

/// Every occurrence of `query` in `issues`, in issue and article order. An article matches
/// when every group of the query has a term that holds; its hits are the occurrences of the
/// text terms that are not exclusions.
pub fn search(query: &Query, issues: &[&Issue]) -> Vec<Hit> {
    let mut hits = Vec::new();
    for (i, issue) in issues.iter().enumerate() {
        let articles = (0..issue.articles.len()).map(Some).chain([None]);
        for a in articles {
            hits.extend(
                search_article(query, issue, a)
                    .into_iter()
                    .map(|range| Hit {
                        issue: i,
                        article: a,
                        range,
                    }),
            );
        }
    }
    hits
}

/// The occurrences of `query` in one article of `issue` (`None`: its text outside the
/// articles), byte ranges in its [`hit_document`]; empty when it does not match.
pub fn search_article(query: &Query, issue: &Issue, article: Option<usize>) -> Vec<Range<usize>> {
    let found = article.and_then(|a| issue.articles.get(a));
    let doc = hit_document(issue, article);
    if doc.text.is_empty() {
        return Vec::new();
    }
    let tokens = Tokenized::new(&doc.text);
    let context = Context {
        issue,
        article: found,
        doc: &doc,
        tokens: &tokens,
    };
    context.matches(query).unwrap_or_default()
}

/// One article being tested against a query.
struct Context<'a> {
    issue: &'a Issue,
    article: Option<&'a Article>,
    doc: &'a Document,
    tokens: &'a Tokenized,
}

impl Context<'_> {
    /// The occurrences to report when the article matches, `None` when it does not.
    fn matches(&self, query: &Query) -> Option<Vec<Range<usize>>> {
        query.evaluate(|_, term| self.occurrences(term))
    }

    /// Where `term` (ignoring its `-`) is found: `Some` with the text occurrences (empty for
    /// a field that holds), `None` when it does not hold.
    fn occurrences(&self, term: &Term) -> Option<Vec<Range<usize>>> {
        match &term.clause {
            Clause::Text { text, title_only } => {
                let found: Vec<Range<usize>> = self
                    .tokens
                    .find(text)
                    .into_iter()
                    .filter(|r| !title_only || r.end <= self.doc.title_end)
                    .collect();
                (!found.is_empty()).then_some(found)
            }
            Clause::Paper(name) => self
                .issue
                .paper
                .as_deref()
                .is_some_and(|paper| paper.contains(name.as_str()))
                .then(Vec::new),
            Clause::Date(range) => article_date(self.issue, self.article)
                .is_some_and(|date| range.contains(date))
                .then(Vec::new),
        }
    }
}

/// The text around `range` in `text`: up to `before` characters ahead of it, the hit itself
/// and up to `after` characters behind, each on one line (line breaks as spaces).
pub fn around(
    text: &str,
    range: &Range<usize>,
    before: usize,
    after: usize,
) -> (String, String, String) {
    let line = |s: &str| s.replace(['\n', '\r'], " ");
    let ahead: String = {
        let mut chars: Vec<char> = text[..range.start].chars().rev().take(before).collect();
        chars.reverse();
        chars.into_iter().collect()
    };
    let behind: String = text[range.end..].chars().take(after).collect();
    (line(&ahead), line(&text[range.clone()]), line(&behind))
}

/// Up to `context` characters either side of `range` in `text`, on one line.
pub fn snippet(text: &str, range: &Range<usize>, context: usize) -> String {
    let (before, hit, after) = around(text, range, context, context);
    format!("{before}{hit}{after}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fulltext::query::parse;
    use crate::parse::parse_issue;

    fn issue(date: &str) -> Issue {
        parse_issue(
            "a.txt",
            &format!(
                "某某日报\n{date}\n星期一\n\n数字化转型加快\n\n本报讯 企业推进数字\n化转型，成效明显。\n\n乡村振兴新篇章\n\n农村企业增收，广告费用下降。\n"
            ),
        )
    }

    fn count(query: &str, issues: &[&Issue]) -> usize {
        search(&parse(query).expect("query"), issues).len()
    }

    #[test]
    fn terms_must_all_occur_and_a_split_word_is_found() {
        let one = issue("2022年8月1日");
        let issues = [&one];
        assert_eq!(
            count("数字化", &issues),
            2,
            "in the headline and across the break"
        );
        assert_eq!(count("企业", &issues), 2);
        assert_eq!(count("企业 数字化", &issues), 3, "the first article only");
        assert_eq!(count("企业 -广告", &issues), 1);
        assert_eq!(count("乡村 | 转型", &issues), 3);
        assert_eq!(count("title:数字化", &issues), 1);
        assert_eq!(count("不存在", &issues), 0);
    }

    #[test]
    fn fields_narrow_by_paper_and_date() {
        let august = issue("2022年8月1日");
        let october = issue("2022年10月1日");
        let issues = [&august, &october];
        assert_eq!(count("企业", &issues), 4);
        assert_eq!(count("企业 date:2022-08", &issues), 2);
        assert_eq!(count("企业 date:2022-09..2022-12", &issues), 2);
        assert_eq!(count("企业 paper:某某", &issues), 4);
        assert_eq!(count("企业 paper:别的报", &issues), 0);
        let hits = search(&parse("企业 date:2022-10").expect("q"), &issues);
        assert!(hits.iter().all(|h| h.issue == 1));
    }

    #[test]
    fn text_outside_the_articles_is_searched_too() {
        let one = issue("2022年8月1日");
        let hits = search(&parse("某某日报").expect("q"), &[&one]);
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].article, None, "the masthead");
    }

    #[test]
    fn a_snippet_is_one_line_around_the_hit() {
        let text = "第一行\n本报讯 企业推进数字\n化转型。";
        let range = Tokenized::new(text).find("数字化")[0].clone();
        assert_eq!(snippet(text, &range, 4), "企业推进数字 化转型。");
    }
}
