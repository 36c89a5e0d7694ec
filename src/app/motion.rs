//! Moving through the archive: by lines and pages in the focused pane, to a line, into an
//! issue or article.

use super::{App, ArticleId, Focus};

impl App {
    /// Rows a page moves in the focused pane.
    pub(super) fn page(&self) -> usize {
        match self.focus {
            Focus::Body => self.view.body_height,
            _ => self.view.list_height,
        }
        .max(1)
    }

    pub(super) fn move_by(&mut self, delta: isize) {
        match self.focus {
            Focus::Issues => self.move_issue_by(delta),
            Focus::Articles => self.select_article(self.article.saturating_add_signed(delta)),
            Focus::Body => {
                self.body_top = self
                    .body_top
                    .saturating_add_signed(delta)
                    .min(self.body_max_top());
            }
        }
    }

    pub(super) fn go_to(&mut self, index: usize) {
        match self.focus {
            Focus::Issues => {
                if let Some(slot) = self.issue_rows.slot_at(index) {
                    self.select_issue(slot);
                }
            }
            Focus::Articles => self.select_article(index),
            Focus::Body => self.body_top = index.min(self.body_max_top()),
        }
    }

    pub(super) fn open(&mut self) {
        match self.focus {
            Focus::Issues => {
                self.focus = Focus::Articles;
            }
            Focus::Articles => {
                self.focus = Focus::Body;
                self.body_top = 0;
            }
            Focus::Body => {}
        }
    }

    /// Moves `delta` issues on in the order shown, stopping at either end.
    pub(super) fn move_issue_by(&mut self, delta: isize) {
        let rank = self
            .issue_rows
            .rank(self.issue)
            .saturating_add_signed(delta);
        if let Some(slot) = self.issue_rows.slot_at(rank) {
            self.select_issue(slot);
        }
    }

    /// Turns the issue pane to the next order (paper and date, date, path); the selected
    /// issue stays selected.
    pub(super) fn cycle_issue_order(&mut self) {
        let next = self.issue_rows.order.next();
        self.issue_rows.set_order(&self.library, next);
        self.message = Some(next.describe().to_string());
    }

    /// Lists issues in `order`; at start-up (`first`) the first issue in it is selected.
    pub fn set_issue_order(&mut self, order: crate::library::order::Order, first: bool) {
        self.issue_rows.set_order(&self.library, order);
        if first {
            self.select_issue(self.issue_rows.first());
        }
    }

    /// Selects issue `index` (clamped) and its first article.
    pub fn select_issue(&mut self, index: usize) {
        let last = self.library.len().saturating_sub(1);
        let index = index.min(last);
        if index != self.issue {
            self.library.select(index);
            self.issue = index;
            self.article = 0;
            self.body_top = 0;
        }
    }

    /// The article shown (or that would be, in an issue with none).
    pub fn article_id(&self) -> ArticleId {
        ArticleId {
            issue: self.issue,
            article: self.article,
        }
    }

    /// Selects article `index` (clamped) of the current issue.
    pub fn select_article(&mut self, index: usize) {
        let last = self
            .current_summary()
            .map_or(0, |i| i.headlines.len().saturating_sub(1));
        let index = index.min(last);
        if index != self.article {
            self.article = index;
            self.body_top = 0;
        }
    }
}
