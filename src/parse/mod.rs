//! Text → model. Two stages (ripgrep's low-level → high-level habit): `lines` classifies each line
//! by its shape alone (after `markup` removed what web and Markdown exports leave, and with an
//! archive's `layout` hints deciding first), `assemble` groups the classified lines into
//! articles using their neighbours — or, where headlines are announced by `meta`data lines,
//! `anchored` cuts the issue at those announcements. `masthead` reads the top of the issue,
//! `credits` knows bylines and credits, `reflow` mends split paragraphs, and `inspect`
//! explains the result line by line.
//!
//! Every rule keys on shape — length, punctuation, position, neighbours — never on a particular
//! paper's text, so that newspapers kanbao has never seen parse as well as the samples.

mod anchored;
pub mod assemble;
pub mod chars;
pub mod credits;
mod flow;
pub mod inspect;
mod items;
pub mod layout;
pub mod learn;
pub mod lines;
pub mod markup;
pub mod masthead;
pub mod meta;
pub mod path_meta;
pub mod reflow;
mod wrap;

use crate::model::{Issue, SourceLine};
use layout::Layout;
use masthead::read_fields;

/// Parses the text of one issue. `source` is recorded as the issue's source path. Never fails:
/// text that fits no rule is kept as fragments.
pub fn parse_issue(source: &str, text: &str) -> Issue {
    parse_issue_with(source, text, &Layout::default())
}

/// [`parse_issue`] with an archive's layout hints.
pub fn parse_issue_with(source: &str, text: &str, layout: &Layout) -> Issue {
    let mut lines = lines::classify_lines_with(text, layout);
    let mut issue = Issue {
        source: source.to_string(),
        text: text.into(),
        ..Issue::default()
    };
    let mut body_start = 0;
    if let Some(masthead) = masthead::read_masthead(&lines) {
        body_start = masthead.line_count;
        issue.paper = masthead.paper;
        issue.date = masthead.date;
        issue.weekday = masthead.weekday;
        issue.lunar = masthead.lunar;
        issue.number = masthead.number;
        issue.pages = masthead.pages;
        issue.website = masthead.website;
        issue.email = masthead.email;
        issue.masthead = lines[..body_start]
            .iter()
            .map(|l| SourceLine {
                line: l.no,
                text: l.text.clone(),
            })
            .collect();
    }
    learn::apply(&mut lines, &layout.learned, body_start);
    let assembled = assemble::assemble(&lines[body_start..]);
    // The colophon often repeats the web address and gives the e-mail address.
    let mut from_colophon = masthead::Masthead::default();
    for line in &assembled.colophon {
        read_fields(&line.text, &mut from_colophon);
    }
    issue.website = issue.website.or(from_colophon.website);
    issue.email = issue.email.or(from_colophon.email);
    issue.articles = assembled.articles;
    // Page markers — the masthead's (`人民日报 2018年4月1日 星期日 第1版`), then the text's —
    // give their page and section to the articles below them that name none.
    let mut markers: Vec<(usize, (String, Option<String>))> = lines[..body_start]
        .iter()
        .find_map(|l| meta::page_marker(&l.text))
        .map(|page| (0, page))
        .into_iter()
        .collect();
    markers.extend(
        lines[body_start..]
            .iter()
            .filter(|l| l.kind == lines::LineKind::PageMarker)
            .filter_map(|l| meta::page_marker(&l.text).map(|page| (l.no, page))),
    );
    for article in issue.articles.iter_mut().filter(|a| a.page.is_none()) {
        let above = markers.partition_point(|(no, _)| *no < article.lines.start);
        if let Some((_, (page, section))) = above.checked_sub(1).map(|at| &markers[at]) {
            article.page = Some(page.clone());
            if article.section.is_none() {
                article.section.clone_from(section);
            }
        }
    }
    issue.fragments = assembled.fragments;
    issue.colophon = assembled.colophon;
    // What the text does not say, the path may: `…/2023/05/17/…`, `人民日报/…`.
    issue.date_from = issue.date.as_ref().map(|_| crate::model::Found::Text);
    if issue.date.is_none() {
        issue.date = path_meta::date_from_path(source);
        issue.date_from = issue.date.as_ref().map(|_| crate::model::Found::Path);
    }
    issue.paper_from = issue.paper.as_ref().map(|_| crate::model::Found::Text);
    if issue.paper.is_none() {
        issue.paper = path_meta::paper_from_path(source);
        issue.paper_from = issue.paper.as_ref().map(|_| crate::model::Found::Path);
    }
    issue
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn running_heads_give_each_page_to_its_articles() {
        let text = "某某日报 2018年4月1日 星期日 第1版\n\n某地举行庆祝大会\n\n某地昨日举行大会。\n\n\
                    某某日报 2018年4月1日 星期日 第2版\n\n乙地召开工作会议\n\n乙地昨日召开会议。\n\n\
                    2018年4月1日 某某日报 第3版 国际\n\n丙国举行选举\n\n丙国昨日举行选举。\n";
        let issue = parse_issue("pages.txt", text);
        assert_eq!(issue.paper.as_deref(), Some("某某日报"));
        let read: Vec<_> = issue
            .articles
            .iter()
            .map(|a| {
                (
                    a.kicker.as_deref(),
                    a.title.as_deref(),
                    a.page.as_deref(),
                    a.section.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            read,
            [
                (None, Some("某地举行庆祝大会"), Some("1"), None),
                (None, Some("乙地召开工作会议"), Some("2"), None),
                (None, Some("丙国举行选举"), Some("3"), Some("国际")),
            ]
        );
    }

    #[test]
    fn web_pages_with_time_stamps_are_articles_not_a_masthead() {
        let text = "某地举行庆祝大会\n2018-04-01 08:30:12\u{3000}来源：人民网\n\n\
                    某地昨日举行大会，到会者千余人。\n\n乙地召开工作会议\n2018年04月02日 09:15\n\n\
                    乙地昨日召开会议，讨论要案多件。\n";
        let issue = parse_issue("web.txt", text);
        assert_eq!(
            (issue.paper.as_deref(), issue.date.as_deref()),
            (None, None)
        );
        let read: Vec<(Option<&str>, Option<&str>, Option<&str>)> = issue
            .articles
            .iter()
            .map(|a| (a.title.as_deref(), a.date.as_deref(), a.source.as_deref()))
            .collect();
        assert_eq!(
            read,
            [
                (Some("某地举行庆祝大会"), Some("2018-04-01"), Some("人民网")),
                (Some("乙地召开工作会议"), Some("2018-04-02"), None),
            ]
        );
    }
}
