//! The reader's side of [`crate::memory`]: returning to the remembered position, marks that
//! persist (written as they are made, found again by their headline once their issue's
//! headlines are in), and the position saved as you move. A database that fails is reported
//! once in the status line; kanbao then works on without memory.

use std::time::{Duration, Instant};

use super::{App, ArticleId, Focus};
use crate::memory::{ArticleKey, Memory, Position, locate};

/// How often the position is written while you move (and always at the end).
const SAVE_EVERY: Duration = Duration::from_secs(2);

/// How long an article is shown in the body before it counts as read.
pub const READ_AFTER: Duration = Duration::from_secs(3);

/// The memory the reader keeps, and what it has not applied yet.
#[derive(Debug, Default)]
pub struct Remembered {
    memory: Option<Memory>,
    /// Marks whose issues' headlines are not in yet.
    pending: Vec<ArticleKey>,
    /// Read articles whose issues' headlines are not in yet.
    pending_reads: Vec<ArticleKey>,
    /// Notes whose issues' headlines are not in yet.
    pending_notes: Vec<(ArticleKey, String)>,
    /// The article in the body, and since when (for read state).
    shown: Option<(ArticleId, Instant)>,
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
        let reads = memory.reads();
        let notes = memory.notes();
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
        match reads {
            Ok(reads) => self.remembered.pending_reads = reads,
            Err(reason) => return self.forget(reason),
        }
        match notes {
            Ok(notes) => self.remembered.pending_notes = notes,
            Err(reason) => return self.forget(reason),
        }
        self.apply_pending_marks();
    }

    /// The reader was taken back to where it was left (a position remembered and found).
    pub fn returned_to_position(&self) -> bool {
        self.remembered.saved.is_some()
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
        self.remembered.pending_reads.clear();
        self.remembered.pending_notes.clear();
    }

    /// Marks remembered for issues whose headlines have come in since: set on the article
    /// with that headline (dropped when it is gone). True when any was set.
    pub(super) fn apply_pending_marks(&mut self) -> bool {
        let unit = |keys: Vec<ArticleKey>| keys.into_iter().map(|k| (k, ())).collect();
        let keys_of = |items: Vec<(ArticleKey, ())>| items.into_iter().map(|(k, ())| k).collect();
        let pending = std::mem::take(&mut self.remembered.pending);
        let (found, waiting) = self.locate_all(unit(pending));
        self.remembered.pending = keys_of(waiting);
        let pending = std::mem::take(&mut self.remembered.pending_reads);
        let (read, waiting) = self.locate_all(unit(pending));
        self.remembered.pending_reads = keys_of(waiting);
        let pending = std::mem::take(&mut self.remembered.pending_notes);
        let (noted, waiting) = self.locate_all(pending);
        self.remembered.pending_notes = waiting;
        let mut applied = false;
        for (id, ()) in found {
            applied |= self.marks.insert(id);
        }
        for (id, ()) in read {
            applied |= self.reads.insert(id);
        }
        for (id, note) in noted {
            self.notes.insert(id, note);
            self.notes_changed();
            applied = true;
        }
        applied
    }

    /// The articles `items`' keys stand for now (with what goes with each), and the items
    /// whose issues are not summarised yet; items whose article is gone are dropped.
    #[allow(clippy::type_complexity)]
    fn locate_all<T>(
        &self,
        items: Vec<(ArticleKey, T)>,
    ) -> (Vec<(ArticleId, T)>, Vec<(ArticleKey, T)>) {
        let (mut found, mut waiting) = (Vec::new(), Vec::new());
        for (key, item) in items {
            let Some(slot) = self.library.slot_of(&key.source) else {
                continue;
            };
            let Some(summary) = self.library.summary(slot) else {
                waiting.push((key, item));
                continue;
            };
            let titles: Vec<String> = summary.headlines.iter().map(|h| h.title.clone()).collect();
            if let Some(article) = locate(&key, &titles) {
                let id = ArticleId {
                    issue: slot,
                    article,
                };
                found.push((id, item));
            }
        }
        (found, waiting)
    }

    /// The key `id` is remembered by, with its headline.
    fn key_of(&self, id: ArticleId) -> Option<(ArticleKey, String)> {
        let slot = self.library.slot(id.issue)?;
        let title = self
            .library
            .summary(id.issue)
            .and_then(|s| s.headlines.get(id.article))
            .map(|h| h.title.clone())
            .unwrap_or_default();
        Some((ArticleKey::new(&slot.source, id.article, &title), title))
    }

    /// Sets the read state of `id` (and writes it to the memory).
    pub(super) fn set_read(&mut self, id: ArticleId, read: bool) {
        let changed = if read {
            self.reads.insert(id)
        } else {
            self.reads.remove(&id)
        };
        if !changed {
            return;
        }
        if let (Some(memory), Some((key, _))) = (&self.remembered.memory, self.key_of(id))
            && let Err(reason) = memory.set_read(&key, read)
        {
            self.forget(reason);
        }
    }

    /// `U`: the article back to unread, or read.
    pub(super) fn toggle_read(&mut self) {
        if self.current_article().is_none() {
            return;
        }
        let id = self.article_id();
        let read = !self.reads.contains(&id);
        self.set_read(id, read);
        // Marked unread while shown: the timer starts again rather than marking it at once.
        self.remembered.shown = Some((id, Instant::now()));
        self.message = Some(if read { "marked read" } else { "marked unread" }.into());
    }

    /// An article shown in the body for [`READ_AFTER`], or scrolled to its end, is read.
    /// True when one became read.
    pub(super) fn note_reading(&mut self) -> bool {
        if self.focus != Focus::Body || self.current_article().is_none() {
            self.remembered.shown = None;
            return false;
        }
        let id = self.article_id();
        let since = match self.remembered.shown {
            Some((shown, since)) if shown == id => since,
            _ => {
                self.remembered.shown = Some((id, Instant::now()));
                return false;
            }
        };
        let max_top = self.view.body_max_top;
        let at_end = max_top != usize::MAX && max_top > 0 && self.body_top >= max_top;
        if self.reads.contains(&id) || !(at_end || since.elapsed() >= READ_AFTER) {
            return false;
        }
        self.set_read(id, true);
        true
    }

    /// Writes the note on `id` to the memory (empty: removed). False when it could not be.
    pub(super) fn persist_note(&mut self, id: ArticleId, note: &str) -> bool {
        if let (Some(memory), Some((key, _))) = (&self.remembered.memory, self.key_of(id))
            && let Err(reason) = memory.set_note(&key, note)
        {
            self.forget(reason);
            return false;
        }
        true
    }

    /// Writes a mark change of `id` (`on`: marked) to the memory.
    pub(super) fn persist_mark(&mut self, id: ArticleId, on: bool) {
        if let (Some(memory), Some((key, title))) = (&self.remembered.memory, self.key_of(id))
            && let Err(reason) = memory.set_mark(&key, &title, on)
        {
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
