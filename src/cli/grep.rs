//! What `kanbao grep` prints: a line (or a JSON object) per hit, or counts per month, year or
//! paper — the frequency of a term over time, ready for plotting.

use std::collections::BTreeMap;

use super::GrepBy;
use crate::fulltext::query::Query;
use crate::fulltext::scan::{self, Hit, article_date, hit_document, snippet};
use crate::library::Library;
use crate::model::Issue;

/// What `kanbao grep` was asked to print.
#[derive(Debug, Clone, Copy)]
pub struct Mode {
    /// `--count`: the number of occurrences alone.
    pub count: bool,
    /// `--by`: occurrences per month, year or paper.
    pub by: Option<GrepBy>,
    /// `--json`: an object per hit.
    pub json: bool,
    /// `--context`: characters either side.
    pub context: usize,
    /// `--limit`: at most this many hits printed.
    pub limit: Option<usize>,
}

/// Searches `library` for `query` and returns what to print and the number of occurrences.
/// The archive's full-text index answers when there is one (built or brought up to date
/// first, with progress on a terminal's stderr); otherwise — `--no-index`, standard input, an
/// index that is busy or fails — every issue is read and scanned, one at a time so memory
/// holds one parse, not the archive. Printed hits are cut from the issues as parsed now.
pub fn search(library: &mut Library, query: &Query, mode: Mode) -> (String, usize) {
    let progress = Progress::new();
    let indexed = library.search_indexed(query, |done, of| progress.show(done, of));
    progress.clear();
    let mut output = Output::new(mode);
    match indexed {
        Some(hits) => {
            let slots: std::collections::HashMap<&str, usize> = library
                .slots()
                .iter()
                .enumerate()
                .map(|(n, slot)| (slot.source.as_str(), n))
                .collect();
            let mut found: Vec<usize> = Vec::new();
            for hit in &hits {
                output.total += hit.occurrences;
                if let Some(by) = mode.by {
                    output.counts.add_under(
                        hit.date.as_deref(),
                        hit.paper.as_deref(),
                        hit.occurrences,
                        by,
                    );
                }
                if let Some(&slot) = slots.get(hit.source.as_str()) {
                    found.push(slot);
                }
            }
            if !mode.count && mode.by.is_none() {
                found.sort_unstable();
                found.dedup();
                for slot in found {
                    if output.full() {
                        break;
                    }
                    if let Some(issue) = library.read(slot) {
                        let hits = scan::search(query, &[issue.as_ref()]);
                        output.print(&issue, hits);
                    }
                }
            }
        }
        None => {
            for slot in 0..library.len() {
                if let Some(issue) = library.read(slot) {
                    let hits = scan::search(query, &[issue.as_ref()]);
                    output.total += hits.len();
                    match mode.by {
                        Some(by) => output.counts.add(&issue, &hits, by),
                        None if !mode.count => output.print(&issue, hits),
                        None => {}
                    }
                }
            }
        }
    }
    let total = output.total;
    (output.finish(), total)
}

/// What is printed, gathered as the issues are searched.
struct Output {
    mode: Mode,
    total: usize,
    counts: Counts,
    text: String,
    left: usize,
}

impl Output {
    fn new(mode: Mode) -> Output {
        Output {
            mode,
            total: 0,
            counts: Counts::default(),
            text: String::new(),
            left: mode.limit.unwrap_or(usize::MAX),
        }
    }

    fn full(&self) -> bool {
        self.left == 0
    }

    fn print(&mut self, issue: &Issue, mut hits: Vec<Hit>) {
        hits.truncate(self.left);
        self.left -= hits.len();
        self.text
            .push_str(&lines(issue, &hits, self.mode.context, self.mode.json));
    }

    fn finish(self) -> String {
        if self.mode.count {
            format!("{}\n", self.total)
        } else if let Some(by) = self.mode.by {
            self.counts.render(by)
        } else {
            self.text
        }
    }
}

/// `indexing N/M issues` on a terminal's stderr, redrawn in place a few times a second.
struct Progress {
    shown: std::cell::Cell<Option<std::time::Instant>>,
    terminal: bool,
}

impl Progress {
    fn new() -> Progress {
        use std::io::IsTerminal;
        Progress {
            shown: std::cell::Cell::new(None),
            terminal: std::io::stderr().is_terminal(),
        }
    }

    fn show(&self, done: usize, of: usize) {
        use std::io::Write;
        let due = self
            .shown
            .get()
            .is_none_or(|at| at.elapsed() > std::time::Duration::from_millis(100));
        if !self.terminal || !due || of == 0 {
            return;
        }
        self.shown.set(Some(std::time::Instant::now()));
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\rkanbao: indexing for search, {done}/{of} issues")
            .and_then(|_| err.flush());
    }

    fn clear(&self) {
        use std::io::Write;
        if self.terminal && self.shown.get().is_some() {
            let mut err = std::io::stderr().lock();
            let _ = err.write_all(b"\r\x1b[K").and_then(|_| err.flush());
        }
    }
}

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
            let date = article_date(issue, article);
            self.add_under(date, issue.paper.as_deref(), 1, by);
        }
    }

    /// Counts `n` occurrences in an article of `date` in `paper`.
    pub fn add_under(&mut self, date: Option<&str>, paper: Option<&str>, n: usize, by: GrepBy) {
        let key = match by {
            GrepBy::Month => date.and_then(|d| d.get(..7)),
            GrepBy::Year => date.and_then(|d| d.get(..4)),
            GrepBy::Paper => paper,
        };
        match key {
            Some(key) => *self.known.entry(key.to_string()).or_default() += n,
            None => self.missing += n,
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
