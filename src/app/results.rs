//! Full-text search of the archive in the reader: `S` asks for a query; its results replace
//! the headline list — one row per article, by date (or by hits), with the total and a
//! sparkline of hits per month at the top. `Enter` opens an article at its first hit with every
//! hit highlighted, `n`/`N` step through the hits and on into the next result, `Esc` goes back
//! to the results and again to the issue.

use std::collections::{BTreeMap, HashMap};

use super::search::Search;
use super::{App, ArticleId, Focus};
use crate::fulltext::query::{Clause, Query, parse};
use crate::fulltext::scan::{self, hit_document};
use crate::model::Issue;

/// A hit in its context, cut from the article when its row is first shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kwic {
    /// The article's headline (or what stands for it).
    pub title: String,
    /// Text before the hit, on one line.
    pub before: String,
    /// The hit as written.
    pub hit: String,
    /// Text after the hit.
    pub after: String,
}

/// One article that matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResultRow {
    /// The issue's slot in the library.
    pub issue: usize,
    /// The article (0-based); `None` for the issue's text outside its articles.
    pub article: Option<usize>,
    /// The date it is counted under.
    pub date: Option<String>,
    /// Its paper.
    pub paper: Option<String>,
    /// Occurrences of the query in it.
    pub hits: usize,
    /// Its first hit in context, once looked up (`None` until then).
    pub kwic: Option<Kwic>,
}

/// The results of a search of the archive.
#[derive(Debug, Clone)]
pub struct Results {
    /// The query as typed.
    pub query: String,
    /// The query as parsed.
    parsed: Query,
    /// The articles, in the order shown.
    pub rows: Vec<ResultRow>,
    /// Occurrences in all.
    pub total: usize,
    /// The selected row.
    pub selected: usize,
    /// Sorted by hits per article rather than by date.
    pub by_hits: bool,
    /// Hits per month (`YYYY-MM`) from the first month with a hit to the last, empty months
    /// included, for the sparkline.
    pub months: Vec<(String, usize)>,
    /// Where the reader was before the search (issue, article, scroll, focus): closing the
    /// results returns there.
    before: (usize, usize, usize, Focus),
    /// The list of marked articles (`M`), not a search.
    pub marked: bool,
}

impl Results {
    /// The selected row's article, if it is an article (not the masthead or colophon).
    pub fn selected_article(&self) -> Option<ArticleId> {
        let row = self.rows.get(self.selected)?;
        Some(ArticleId {
            issue: row.issue,
            article: row.article?,
        })
    }

    fn sort(&mut self) {
        // Undated articles last.
        fn key(row: &ResultRow) -> (bool, Option<&str>, usize, Option<usize>) {
            (
                row.date.is_none(),
                row.date.as_deref(),
                row.issue,
                row.article,
            )
        }
        if self.by_hits {
            self.rows
                .sort_by(|a, b| b.hits.cmp(&a.hits).then_with(|| key(a).cmp(&key(b))));
        } else {
            self.rows.sort_by(|a, b| key(a).cmp(&key(b)));
        }
    }
}

/// Every month from the first to the last of `counts`' keys, with its count (0 for none).
fn month_span(counts: &BTreeMap<String, usize>) -> Vec<(String, usize)> {
    let parse = |m: &str| -> Option<(i32, u32)> {
        Some((m.get(..4)?.parse().ok()?, m.get(5..7)?.parse().ok()?))
    };
    let (Some(first), Some(last)) = (
        counts.keys().next().and_then(|m| parse(m)),
        counts.keys().next_back().and_then(|m| parse(m)),
    ) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let (mut year, mut month) = first;
    // Bounded: a corrupt date far away must not make millions of months.
    while (year, month) <= last && out.len() < 12 * 500 {
        let key = format!("{year:04}-{month:02}");
        let n = counts.get(&key).copied().unwrap_or(0);
        out.push((key, n));
        month += 1;
        if month > 12 {
            month = 1;
            year += 1;
        }
    }
    out
}

/// What a result row shows of its article: the headline, and the first hit in context (the
/// opening words in a list of marks).
fn kwic(issue: &Issue, row: &ResultRow, parsed: &Query, marked: bool) -> Kwic {
    let article = row.article.and_then(|a| issue.articles.get(a));
    let title = article.map_or_else(|| "(outside the articles)".into(), |a| a.display_title());
    let (before, hit, after) = if marked {
        let opening = article.and_then(|a| a.paragraphs.first());
        let opening: String = opening
            .map(|p| p.chars().take(80).collect())
            .unwrap_or_default();
        (String::new(), String::new(), opening)
    } else {
        match scan::search_article(parsed, issue, row.article).first() {
            Some(range) => {
                let doc = hit_document(issue, row.article);
                scan::around(&doc.text, range, 40, 80)
            }
            None => (
                String::new(),
                String::new(),
                "(changed since it was indexed)".into(),
            ),
        }
    };
    Kwic {
        title,
        before,
        hit,
        after,
    }
}

/// The phrases of a query that are highlighted in an article: its text terms that must occur.
pub fn phrases(query: &Query) -> Vec<String> {
    query
        .terms()
        .filter(|t| !t.negated)
        .filter_map(|t| match &t.clause {
            Clause::Text { text, .. } => Some(text.clone()),
            _ => None,
        })
        .collect()
}

impl App {
    /// Runs the search typed at the `S` prompt and shows its results.
    pub(super) fn search_archive(&mut self, text: String) {
        if text.trim().is_empty() {
            return;
        }
        let parsed = match parse(&text) {
            Ok(parsed) => parsed,
            Err(e) => {
                self.message = Some(e.to_string());
                return;
            }
        };
        if let Some((done, of)) = self.library.search_index_building() {
            self.message = Some(format!(
                "S {text}: the search index is being brought up to date ({done}/{of}); the results come when it is done"
            ));
            self.pending_search = Some(text);
            return;
        }
        let found = self.library.search_all(&parsed, |_, _| {});
        if let Some(note) = self.library.take_notes().pop() {
            self.message = Some(note);
        }
        if found.is_empty() {
            self.message = Some(format!("not found in the archive: {text}"));
            return;
        }
        let slots: HashMap<&str, usize> = self
            .library
            .slots()
            .iter()
            .enumerate()
            .map(|(n, slot)| (slot.source.as_str(), n))
            .collect();
        let mut months: BTreeMap<String, usize> = BTreeMap::new();
        let mut rows = Vec::new();
        let mut total = 0;
        for hit in found {
            let Some(&issue) = slots.get(hit.source.as_str()) else {
                continue;
            };
            total += hit.occurrences;
            if let Some(month) = hit.date.as_deref().and_then(|d| d.get(..7)) {
                *months.entry(month.to_string()).or_default() += hit.occurrences;
            }
            rows.push(ResultRow {
                issue,
                article: hit.article,
                date: hit.date,
                paper: hit.paper,
                hits: hit.occurrences,
                kwic: None,
            });
        }
        let mut results = Results {
            query: text,
            parsed,
            rows,
            total,
            selected: 0,
            by_hits: false,
            months: month_span(&months),
            before: (self.issue, self.article, self.body_top, self.focus),
            marked: false,
        };
        // A new search from an article opened from older results still returns to where the
        // first search started.
        if let Some(old) = &self.results {
            results.before = old.before;
        }
        results.sort();
        self.results = Some(results);
        self.view.results_top = 0;
        self.focus = Focus::Articles;
        self.select_result(0);
    }

    /// Looks up the context of the result rows on screen and a page either side that have
    /// none yet: each reads its issue, so only what is shown is read. True when any was.
    pub fn fill_results(&mut self) -> bool {
        self.fill_results_around(true)
    }

    /// [`App::fill_results`], or only the rows on screen (`ahead` false): what a key waits
    /// for; the rest comes at the next tick.
    fn fill_results_around(&mut self, ahead: bool) -> bool {
        let Some(results) = &self.results else {
            return false;
        };
        let page = self.results_page();
        let (from, to) = if ahead {
            (
                self.view.results_top.saturating_sub(page),
                self.view.results_top + 2 * page,
            )
        } else {
            (self.view.results_top, self.view.results_top + page)
        };
        let to = to.min(results.rows.len());
        let wanted: Vec<usize> = (from..to)
            .filter(|&n| results.rows[n].kwic.is_none())
            .collect();
        let (parsed, marked) = (results.parsed.clone(), results.marked);
        let filled = !wanted.is_empty();
        for n in wanted {
            let Some(row) = self.results.as_ref().map(|r| r.rows[n].clone()) else {
                return filled;
            };
            let kwic = match self.library.read(row.issue) {
                Some(issue) => kwic(&issue, &row, &parsed, marked),
                None => Kwic {
                    title: "(could not be read)".into(),
                    before: String::new(),
                    hit: String::new(),
                    after: String::new(),
                },
            };
            if let Some(results) = self.results.as_mut() {
                results.rows[n].kwic = Some(kwic);
            }
        }
        filled
    }

    /// Moves the results selection to `index` (clamped) and keeps it on screen.
    pub(super) fn select_result(&mut self, index: usize) {
        let page = self.results_page();
        let Some(results) = self.results.as_mut() else {
            return;
        };
        results.selected = index.min(results.rows.len().saturating_sub(1));
        let top = &mut self.view.results_top;
        if results.selected < *top {
            *top = results.selected;
        } else if results.selected >= *top + page {
            *top = results.selected + 1 - page;
        }
        // The body previews the selected result, as it does the selected headline, its hits
        // highlighted.
        let row = results.rows.get(results.selected).cloned();
        let highlight = phrases(&results.parsed);
        self.search =
            (!highlight.is_empty()).then(|| Search::phrases(results.query.clone(), highlight));
        if let Some(row) = row {
            self.select_issue(row.issue);
            if let Some(article) = row.article {
                self.select_article(article);
            }
            self.body_top = 0;
        }
        let _ = self.fill_results_around(false);
    }

    /// Rows of results one screen holds (each takes two lines).
    pub(super) fn results_page(&self) -> usize {
        (self.view.list_height.saturating_sub(2) / 2).max(1)
    }

    /// Opens the selected result: its issue and article, at its first hit (`last`: its last),
    /// every hit highlighted.
    pub(super) fn open_result(&mut self, last: bool) {
        let Some(results) = &self.results else {
            return;
        };
        let Some(row) = results.rows.get(results.selected).cloned() else {
            return;
        };
        let query = results.query.clone();
        let phrases = phrases(&results.parsed);
        self.select_issue(row.issue);
        self.library.select(row.issue);
        let Some(article) = row.article else {
            self.focus = Focus::Issues;
            self.message = Some(
                "the hit is outside the articles (masthead, colophon): r shows the source".into(),
            );
            return;
        };
        self.select_article(article);
        self.focus = Focus::Body;
        self.body_top = 0;
        if phrases.is_empty() {
            // A list of marks: the article from its top, nothing to highlight.
            self.search = None;
            return;
        }
        self.search = Some(Search::phrases(query, phrases));
        if last {
            self.body_top = usize::MAX;
            self.next_hit(false, 1);
        } else {
            self.next_hit(true, 1);
        }
    }

    /// `n` past the article's last hit (or `N` before its first) with results open: on to the
    /// next (previous) result. False when there is none.
    pub(super) fn step_result(&mut self, forward: bool) -> bool {
        let Some(results) = &self.results else {
            return false;
        };
        let next = if forward {
            results.selected + 1
        } else {
            match results.selected.checked_sub(1) {
                Some(n) => n,
                None => return false,
            }
        };
        if next >= results.rows.len() {
            return false;
        }
        self.select_result(next);
        self.open_result(!forward);
        true
    }

    /// Orders the results by date, or by hits per article.
    pub(super) fn toggle_results_order(&mut self) {
        let Some(results) = self.results.as_mut() else {
            self.message = Some("nothing to reorder here (the order of search results)".into());
            return;
        };
        let selected = results
            .rows
            .get(results.selected)
            .map(|r| (r.issue, r.article));
        results.by_hits = !results.by_hits;
        results.sort();
        results.selected = results
            .rows
            .iter()
            .position(|r| Some((r.issue, r.article)) == selected)
            .unwrap_or(0);
        let order = if results.by_hits {
            "hits per article"
        } else {
            "date"
        };
        self.message = Some(format!("results by {order}"));
        let selected = results.selected;
        self.select_result(selected);
    }

    /// `M`: the marked articles of the whole archive, listed where the headlines are, as
    /// search results are (by date, `Enter` opens one, `Esc` goes back).
    pub(super) fn show_marks(&mut self) {
        if self.marks.is_empty() {
            self.message = Some("no articles marked (Space marks one)".into());
            return;
        }
        let mut months: BTreeMap<String, usize> = BTreeMap::new();
        let rows: Vec<ResultRow> = self
            .marks
            .iter()
            .map(|id| {
                let summary = self.library.summary(id.issue);
                let date = summary.and_then(|s| s.date.clone());
                if let Some(month) = date.as_deref().and_then(|d| d.get(..7)) {
                    *months.entry(month.to_string()).or_default() += 1;
                }
                ResultRow {
                    issue: id.issue,
                    article: Some(id.article),
                    date,
                    paper: summary.and_then(|s| s.paper.clone()),
                    hits: 1,
                    kwic: None,
                }
            })
            .collect();
        let before = match &self.results {
            Some(old) => old.before,
            None => (self.issue, self.article, self.body_top, self.focus),
        };
        let mut results = Results {
            query: "marked".into(),
            parsed: Query::default(),
            total: rows.len(),
            rows,
            selected: 0,
            by_hits: false,
            months: month_span(&months),
            before,
            marked: true,
        };
        results.sort();
        self.results = Some(results);
        self.view.results_top = 0;
        self.focus = Focus::Articles;
        self.select_result(0);
    }

    /// Closes the results: back to the issue view.
    pub(super) fn close_results(&mut self) {
        if let Some(results) = self.results.take() {
            let (issue, article, top, focus) = results.before;
            self.select_issue(issue);
            self.select_article(article);
            self.body_top = top;
            self.focus = focus;
        }
        self.search = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_month_span_fills_empty_months_and_crosses_years() {
        let counts: BTreeMap<String, usize> =
            [("2021-11".to_string(), 2), ("2022-02".to_string(), 5)].into();
        let span = month_span(&counts);
        let keys: Vec<&str> = span.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["2021-11", "2021-12", "2022-01", "2022-02"]);
        assert_eq!(span.iter().map(|(_, n)| n).sum::<usize>(), 7);
        assert!(month_span(&BTreeMap::new()).is_empty());
    }

    #[test]
    fn highlighted_phrases_are_the_text_terms_that_must_occur() {
        let query = parse("企业 -广告 title:转型 | paper:某报 \"a b\"").expect("query");
        assert_eq!(phrases(&query), ["企业", "转型", "a b"]);
    }
}
