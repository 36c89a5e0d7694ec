//! The reader's side of [`crate::memory`]: returning to the remembered position, marks that
//! persist (written as they are made, found again by their headline once their issue's
//! headlines are in), and the position saved as you move. A database that fails is reported
//! once in the status line; kanbao then works on without memory.

use std::time::{Duration, Instant};

use super::{App, ArticleId, Focus};
use crate::memory::{ArticleKey, Memory, Position, locate};

/// How often the position is written while you move (and always at the end).
const SAVE_EVERY: Duration = Duration::from_secs(2);

/// The memory the reader keeps, and what it has not applied yet.
#[derive(Debug, Default)]
pub struct Remembered {
    memory: Option<Memory>,
    /// Marks whose issues' headlines are not in yet.
    pending: Vec<ArticleKey>,
    /// The position last written, and when.
    saved: Option<(Position, Instant)>,
}

impl App {
    /// Takes the archive's memory (or why there is none): marks are restored, and the position
    /// too unless `fresh`.
    pub fn remember(&mut self, opened: Result<Memory, String>, fresh: bool) {
        let memory = match opened {
            Ok(memory) => memory,
            Err(reason) => {
                self.message = Some(format!("working without memory: {reason}"));
                return;
            }
        };
        let position = if fresh { Ok(None) } else { memory.position() };
        let marks = memory.marks();
        self.remembered.memory = Some(memory);
        match position {
            Ok(Some(position)) => self.go_back_to(&position),
            Ok(None) => {}
            Err(reason) => return self.forget(reason),
        }
        match marks {
            Ok(marks) => self.remembered.pending = marks.into_iter().map(|(key, _)| key).collect(),
            Err(reason) => return self.forget(reason),
        }
        self.apply_pending_marks();
    }

    fn go_back_to(&mut self, position: &Position) {
        let Some(slot) = self.library.slot_of(&position.source) else {
            return;
        };
        self.select_issue(slot);
        self.select_article(position.article);
        self.body_top = position.top;
        self.focus = match position.focus {
            0 => Focus::Issues,
            1 => Focus::Articles,
            _ => Focus::Body,
        };
        self.remembered.saved = Some((position.clone(), Instant::now()));
    }

    /// Stops using the memory after a failure, saying so once.
    fn forget(&mut self, reason: String) {
        if self.remembered.memory.take().is_some() {
            self.message = Some(format!("working without memory: {reason}"));
        }
        self.remembered.pending.clear();
    }

    /// Marks remembered for issues whose headlines have come in since: set on the article
    /// with that headline (dropped when it is gone). True when any was set.
    pub(super) fn apply_pending_marks(&mut self) -> bool {
        if self.remembered.pending.is_empty() {
            return false;
        }
        let mut applied = false;
        let pending = std::mem::take(&mut self.remembered.pending);
        for key in pending {
            let Some(slot) = self.library.slot_of(&key.source) else {
                continue;
            };
            let Some(summary) = self.library.summary(slot) else {
                self.remembered.pending.push(key);
                continue;
            };
            let titles: Vec<String> = summary.headlines.iter().map(|h| h.title.clone()).collect();
            if let Some(article) = locate(&key, &titles) {
                applied |= self.marks.insert(ArticleId {
                    issue: slot,
                    article,
                });
            }
        }
        applied
    }

    /// Writes a mark change of `id` (`on`: marked) to the memory.
    pub(super) fn persist_mark(&mut self, id: ArticleId, on: bool) {
        let Some(memory) = &self.remembered.memory else {
            return;
        };
        let Some(slot) = self.library.slot(id.issue) else {
            return;
        };
        let title = self
            .library
            .summary(id.issue)
            .and_then(|s| s.headlines.get(id.article))
            .map(|h| h.title.clone())
            .unwrap_or_default();
        let key = ArticleKey::new(&slot.source, id.article, &title);
        if let Err(reason) = memory.set_mark(&key, &title, on) {
            self.forget(reason);
        }
    }

    fn position(&self) -> Option<Position> {
        Some(Position {
            source: self.library.slot(self.issue)?.source.clone(),
            article: self.article,
            top: self.body_top,
            focus: match self.focus {
                Focus::Issues => 0,
                Focus::Articles => 1,
                Focus::Body => 2,
            },
        })
    }

    /// Writes the position if it changed and a while has passed (`now`: whatever the time).
    pub(super) fn save_position_if_due(&mut self, now: bool) {
        let Some(memory) = &self.remembered.memory else {
            return;
        };
        let Some(position) = self.position() else {
            return;
        };
        let due = match &self.remembered.saved {
            Some((saved, _)) if *saved == position => false,
            Some((_, at)) => now || at.elapsed() >= SAVE_EVERY,
            None => true,
        };
        if !due {
            return;
        }
        match memory.save_position(&position) {
            Ok(()) => self.remembered.saved = Some((position, Instant::now())),
            Err(reason) => self.forget(reason),
        }
    }

    /// True when marks are kept in the memory (quitting loses none).
    pub fn remembers_marks(&self) -> bool {
        self.remembered.memory.is_some()
    }

    /// Writes where you are now (at the end of a session).
    pub fn save_position(&mut self) {
        self.save_position_if_due(true);
    }
}
