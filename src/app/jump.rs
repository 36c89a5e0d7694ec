//! The jump popup's state: a query typed in a ratatui-textarea line, ranked headlines updated on
//! every keystroke, and where to go back to on Esc. Narrows incrementally: while the query only
//! grows, only the previous matches are searched again.

use std::rc::Rc;

use super::ArticleId;
use super::prompt::{Prompt, PromptKind};
use crate::find::{HeadlineIndex, Hit};

/// How many results the popup keeps.
pub const JUMP_LIMIT: usize = 500;

/// An open jump popup.
pub struct Jump {
    /// The index the results point into (kept: the app's may be rebuilt while loading).
    pub index: Rc<HeadlineIndex>,
    /// While the archive is still loading: (issues indexed, issues in all).
    pub partial: Option<(usize, usize)>,
    /// Search the whole archive (else the current issue).
    pub archive_wide: bool,
    /// The query line.
    pub input: Prompt,
    /// Ranked results for `query`.
    pub hits: Vec<Hit>,
    /// The highlighted result.
    pub selected: usize,
    /// The query the results are for.
    pub query: String,
    /// First visible result row.
    pub top: usize,
    /// Entries the search is limited to (the current issue's, or all).
    scope: Vec<usize>,
    /// What a longer query needs to search: every entry matching `query`, and some that could
    /// not enter the results and were set aside unread.
    matching: Vec<usize>,
    /// (issue, article) to return to on cancel.
    pub origin: ArticleId,
}

impl Jump {
    /// Opens a popup over `scope` (entry indices), showing every entry for the empty query.
    pub fn new(
        index: Rc<HeadlineIndex>,
        partial: Option<(usize, usize)>,
        archive_wide: bool,
        scope: Vec<usize>,
        origin: ArticleId,
    ) -> Jump {
        let hits = index.search("", Some(&scope), JUMP_LIMIT);
        Jump {
            index,
            partial,
            archive_wide,
            input: Prompt::new(PromptKind::Search),
            hits,
            selected: 0,
            query: String::new(),
            top: 0,
            matching: scope.clone(),
            scope,
            origin,
        }
    }

    /// Re-ranks after the query changed.
    pub fn refresh(&mut self) {
        let query = self.input.text();
        if query == self.query {
            return;
        }
        let candidates: &[usize] = if HeadlineIndex::narrows(&self.query, &query) {
            &self.matching
        } else {
            &self.scope
        };
        let (hits, matching) = self.index.rank(&query, Some(candidates), JUMP_LIMIT);
        self.hits = hits;
        self.matching = matching;
        self.query = query;
        self.selected = 0;
        self.top = 0;
    }

    /// Takes a newer index (more of the archive loaded) and ranks the query again over
    /// `scope`, keeping the highlighted headline highlighted where it still ranks.
    pub fn reindex(
        &mut self,
        index: Rc<HeadlineIndex>,
        partial: Option<(usize, usize)>,
        scope: Vec<usize>,
    ) {
        let selected = self.hits.get(self.selected).map(|h| {
            let e = &self.index.entries[h.entry];
            (e.issue, e.article)
        });
        let (hits, matching) = index.rank(&self.query, Some(&scope), JUMP_LIMIT);
        self.selected = selected
            .and_then(|(issue, article)| {
                hits.iter().position(|h| {
                    let e = &index.entries[h.entry];
                    (e.issue, e.article) == (issue, article)
                })
            })
            .unwrap_or(0);
        self.hits = hits;
        self.matching = matching;
        self.index = index;
        self.partial = partial;
        self.scope = scope;
        self.top = self.top.min(self.selected);
    }

    /// Moves the highlight by `delta`, within the results.
    pub fn select(&mut self, delta: isize) {
        if self.hits.is_empty() {
            return;
        }
        self.selected = self
            .selected
            .saturating_add_signed(delta)
            .min(self.hits.len() - 1);
    }
}
