//! Searching the open article: `/` starts a search, `n`/`N` step through its hits in the
//! text (counted, wrapping at the ends as vim does).

use super::body::{Hit, find_hits, find_phrase_hits};
use super::{App, ArticleId, Focus};

/// An active search in the article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Search {
    /// What was searched for.
    pub query: String,
    /// The hit `n`/`N` last moved to: the article, and its index among the article's hits.
    current: Option<(ArticleId, usize)>,
    /// A search of the archive (`S`): these phrases are found as the index finds them
    /// (across punctuation and line breaks, Traditional as Simplified), not as typed.
    phrases: Option<Vec<String>>,
}

impl Search {
    /// The search of an article opened from the archive's search results.
    pub fn phrases(query: String, phrases: Vec<String>) -> Search {
        Search {
            query,
            current: None,
            phrases: Some(phrases),
        }
    }
}

impl App {
    pub(super) fn start_search(&mut self, query: String) {
        if query.is_empty() {
            self.search = None;
            return;
        }
        self.search = Some(Search {
            query,
            current: None,
            phrases: None,
        });
        self.focus = Focus::Body;
        if self.hits().is_empty() {
            let query = self.search.take().map(|s| s.query).unwrap_or_default();
            self.message = Some(format!("not found: {query}"));
            return;
        }
        // The first hit from the top of the view, like less.
        self.next_hit(true, 1);
    }

    /// Every hit of the search in the article shown, counted in its text (not per display line).
    pub fn hits(&self) -> Vec<Hit> {
        self.hits_at(self.view.body_width)
    }

    /// The search's hits in the body laid out at `width` columns.
    pub fn hits_at(&self, width: usize) -> Vec<Hit> {
        match &self.search {
            Some(Search {
                phrases: Some(phrases),
                ..
            }) => find_phrase_hits(&self.body_lines_at(width), phrases, self.ambiguous),
            Some(search) => find_hits(&self.body_lines_at(width), &search.query, self.ambiguous),
            None => Vec::new(),
        }
    }

    /// The index (among [`App::hits`]) of the hit `n`/`N` last moved to in this article.
    pub fn current_hit(&self) -> Option<usize> {
        match self.search.as_ref()?.current {
            Some((id, hit)) if id == self.article_id() => Some(hit),
            _ => None,
        }
    }

    /// Moves to the `count`th next (or previous) hit, wrapping at the article's ends with a
    /// message as vim does; scrolls only when the hit is off screen.
    pub(super) fn next_hit(&mut self, forward: bool, count: usize) {
        let hits = self.hits();
        let Some(search) = &self.search else {
            self.message = Some("no search (press / to search)".into());
            return;
        };
        if hits.is_empty() {
            self.message = Some(format!("not found: {}", search.query));
            return;
        }
        let n = hits.len();
        // Where counting starts: the current hit, or — for a new search or another article —
        // just before the first hit at or below the view's top (just after the last one above
        // it, going back), like less.
        let n_hits = n as i64;
        let top = self.body_top;
        let base = match self.current_hit() {
            Some(at) => at as i64,
            None if forward => {
                hits.iter()
                    .position(|h| h.line() >= top)
                    .map_or(n_hits, |first| first as i64)
                    - 1
            }
            None => {
                hits.iter()
                    .rposition(|h| h.line() < top)
                    .map_or(-1, |last| last as i64)
                    + 1
            }
        };
        let count = count.clamp(1, 1_000_000) as i64;
        let query = search.query.clone();
        let raw = if forward { base + count } else { base - count };
        let wrapped = !(0..n_hits).contains(&raw);
        // With the archive's results open, past the article's hits is the next result.
        if wrapped && self.results.is_some() && self.step_result(forward) {
            return;
        }
        let target = raw.rem_euclid(n_hits) as usize;
        let line = hits[target].line();
        let height = self.view.body_height.max(1);
        if line < self.body_top || line >= self.body_top + height {
            self.body_top = line.min(self.body_max_top());
        }
        let here = self.article_id();
        if let Some(search) = self.search.as_mut() {
            search.current = Some((here, target));
        }
        let wrap_note = match (wrapped, forward) {
            (false, _) => "",
            (true, true) => " · search hit BOTTOM, continuing at TOP",
            (true, false) => " · search hit TOP, continuing at BOTTOM",
        };
        let prefix = match (&self.search, &self.results) {
            (
                Some(Search {
                    phrases: Some(_), ..
                }),
                Some(results),
            ) => format!(
                "S {query}  result {}/{}, hit",
                results.selected + 1,
                results.rows.len()
            ),
            _ => format!("/{query}  hit"),
        };
        self.message = Some(format!("{prefix} {}/{n}{wrap_note}", target + 1));
    }
}
