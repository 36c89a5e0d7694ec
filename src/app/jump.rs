//! The jump popup's state: a query typed in a ratatui-textarea line, ranked headlines updated on
//! every keystroke, and where to go back to on Esc. Narrows incrementally: while the query only
//! grows, only the previous matches are searched again. And what its keys do.

use std::rc::Rc;

use super::popup::Popup;
use super::prompt::{Prompt, PromptKind};
use super::{App, ArticleId, Focus};
use crate::find::{HeadlineIndex, Hit};
use crate::keymap::Action;

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
    /// Entries the search is limited to (the current issue's, or all).
    scope: Vec<u32>,
    /// What a longer query needs to search: every entry matching `query`, and some that could
    /// not enter the results and were set aside unread.
    matching: Vec<u32>,
    /// (issue, article) to return to on cancel.
    pub origin: ArticleId,
}

impl Jump {
    /// Opens a popup over `scope` (entry indices), showing every entry for the empty query.
    pub fn new(
        index: Rc<HeadlineIndex>,
        partial: Option<(usize, usize)>,
        archive_wide: bool,
        scope: Vec<u32>,
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
        let candidates: &[u32] = if HeadlineIndex::narrows(&self.query, &query) {
            &self.matching
        } else {
            &self.scope
        };
        let (hits, matching) = self.index.rank(&query, Some(candidates), JUMP_LIMIT);
        self.hits = hits;
        self.matching = matching;
        self.query = query;
        self.selected = 0;
    }

    /// Takes a newer index (more of the archive loaded) and ranks the query again over
    /// `scope`, keeping the highlighted headline highlighted where it still ranks.
    pub fn reindex(
        &mut self,
        index: Rc<HeadlineIndex>,
        partial: Option<(usize, usize)>,
        scope: Vec<u32>,
    ) {
        let selected = self.hits.get(self.selected).map(|h| {
            let e = self.index.entry(h.entry);
            (e.issue, e.article)
        });
        let (hits, matching) = index.rank(&self.query, Some(&scope), JUMP_LIMIT);
        self.selected = selected
            .and_then(|(issue, article)| {
                hits.iter().position(|h| {
                    let e = index.entry(h.entry);
                    (e.issue, e.article) == (issue, article)
                })
            })
            .unwrap_or(0);
        self.hits = hits;
        self.matching = matching;
        self.index = index;
        self.partial = partial;
        self.scope = scope;
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

impl App {
    /// Opens the jump popup over this issue's headlines or the whole archive's.
    pub(super) fn open_jump(&mut self, archive_wide: bool) {
        let index = self.find_index();
        let partial = self.library.is_loading().then(|| self.library.progress());
        let scope = jump_scope(&index, archive_wide, self.issue);
        self.popups.push(Popup::Jump(Box::new(Jump::new(
            index,
            partial,
            archive_wide,
            scope,
            self.article_id(),
        ))));
    }

    /// The headline index of the archive as loaded so far, built once per library generation.
    fn find_index(&mut self) -> Rc<HeadlineIndex> {
        let generation = self.library.generation();
        // Being built in the background for this very archive: waiting is quicker than
        // building again.
        self.take_prebuilt_find_index(true);
        if let Some((built, index)) = &self.find_index
            && *built == generation
        {
            return Rc::clone(index);
        }
        let index = Rc::new(HeadlineIndex::from_headlines(
            self.library
                .summaries()
                .map(|(i, s)| (i, s.headlines.as_slice())),
        ));
        self.find_index = Some((generation, Rc::clone(&index)));
        index
    }

    /// Takes the headline index built in the background, if it is done (or, `wait`, once it
    /// is) and still of the archive as it is.
    pub(super) fn take_prebuilt_find_index(&mut self, wait: bool) {
        let Some((generation, rx)) = &self.find_prebuild else {
            return;
        };
        if *generation != self.library.generation() {
            self.find_prebuild = None;
            return;
        }
        let got = if wait {
            rx.recv().ok()
        } else {
            match rx.try_recv() {
                Ok(index) => Some(index),
                Err(std::sync::mpsc::TryRecvError::Empty) => return,
                // Gave up (the on-disk index did not match): the jump builds its own.
                Err(std::sync::mpsc::TryRecvError::Disconnected) => None,
            }
        };
        if let Some(prebuilt) = got {
            self.find_index = Some((*generation, Rc::new(prebuilt.index)));
            if let Some(note) = prebuilt.note {
                self.message = Some(note);
            }
        }
        self.find_prebuild = None;
    }

    /// While the archive loads, an open jump popup takes in the headlines that arrived (at
    /// most every [`JUMP_REINDEX_EVERY`], and once more when loading ends) and ranks again.
    pub(super) fn refresh_jump_while_loading(&mut self) {
        let due = self
            .jump_reindexed
            .is_none_or(|at| at.elapsed() >= JUMP_REINDEX_EVERY)
            || !self.library.is_loading();
        match self.jump() {
            Some(jump) if jump.partial.is_some() && due => {}
            _ => return,
        }
        self.jump_reindexed = Some(std::time::Instant::now());
        let index = self.find_index();
        let partial = self.library.is_loading().then(|| self.library.progress());
        let issue = self.issue;
        if let Some(jump) = self.jump_mut() {
            let scope = jump_scope(&index, jump.archive_wide, issue);
            jump.reindex(index, partial, scope);
        }
    }

    pub(super) fn update_jump(&mut self, action: Action) {
        let Some(Popup::Jump(jump)) = self.popups.last_mut() else {
            return;
        };
        match action {
            Action::SelectNext | Action::Down => jump.select(1),
            Action::SelectPrev | Action::Up => jump.select(-1),
            Action::PageDown | Action::HalfPageDown => jump.select(10),
            Action::PageUp | Action::HalfPageUp => jump.select(-10),
            Action::Cancel => {
                // Back to where you were.
                let ArticleId { issue, article } = jump.origin;
                self.popups.pop();
                self.select_issue(issue);
                self.select_article(article);
            }
            Action::Confirm => {
                let target = jump
                    .hits
                    .get(jump.selected)
                    .filter(|hit| hit.entry < jump.index.len())
                    .map(|hit| jump.index.entry(hit.entry))
                    .map(|e| (e.issue, e.article));
                self.popups.pop();
                match target {
                    Some((issue, article)) => {
                        self.select_issue(issue);
                        self.select_article(article);
                        self.body_top = 0;
                        self.focus = Focus::Body;
                    }
                    None => self.message = Some("no headline matches".into()),
                }
            }
            _ => {}
        }
    }
}

/// How often an open jump popup takes in newly loaded headlines.
const JUMP_REINDEX_EVERY: std::time::Duration = std::time::Duration::from_millis(400);

/// The entries a jump popup searches: every one, or the current issue's.
fn jump_scope(index: &HeadlineIndex, archive_wide: bool, issue: usize) -> Vec<u32> {
    if archive_wide {
        return (0..index.len() as u32).collect();
    }
    index.entries_of(issue).collect()
}
