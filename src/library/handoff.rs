//! Issues the loader parsed because their files were new or changed, kept for the full-text
//! index's update that follows the load: a changed file is then read, decoded and parsed once
//! for both indexes, not once for the headlines and again for the search.
//!
//! Kept within a budget of source bytes, so that the first open of a large archive (every
//! file new) holds a bounded part of it; what did not fit is read again by the update, as it
//! would be without a handoff. Each issue is taken at most once, and only for the file key
//! it was parsed under: a file that changed again in between is read afresh.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use super::summary_cache::FileKey;
use crate::model::Issue;

/// Source bytes of parsed issues kept at most: a few days' changes many times over, a
/// bounded share of a first open.
pub const BUDGET: u64 = 16 << 20;

/// Parsed issues on their way from the loader to the full-text index's update.
#[derive(Debug)]
pub struct Handoff {
    /// Issues are kept only while someone will take them (a search-index update follows).
    wanted: AtomicBool,
    budget: u64,
    kept: Mutex<Kept>,
}

#[derive(Debug, Default)]
struct Kept {
    issues: HashMap<String, (FileKey, Arc<Issue>)>,
    bytes: u64,
}

impl Default for Handoff {
    fn default() -> Handoff {
        Handoff::new(BUDGET)
    }
}

impl Handoff {
    /// A handoff keeping at most `budget` source bytes, keeping nothing until
    /// [`Handoff::want`].
    pub fn new(budget: u64) -> Handoff {
        Handoff {
            wanted: AtomicBool::new(false),
            budget,
            kept: Mutex::new(Kept::default()),
        }
    }

    fn kept(&self) -> std::sync::MutexGuard<'_, Kept> {
        // A panic while holding the lock leaves a map and a count: still usable.
        self.kept.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// From now on, offered issues are kept (within the budget).
    pub fn want(&self) {
        self.wanted.store(true, Ordering::Relaxed);
    }

    /// True when offered issues are kept.
    pub fn is_wanted(&self) -> bool {
        self.wanted.load(Ordering::Relaxed)
    }

    /// Offers the issue parsed from `source` (file key `key`); kept if wanted and within the
    /// budget.
    pub fn offer(&self, source: &str, key: FileKey, issue: &Arc<Issue>) {
        if !self.is_wanted() {
            return;
        }
        let mut kept = self.kept();
        let replaced = kept.issues.get(source).map_or(0, |(old, _)| old.size);
        let bytes = kept.bytes - replaced + key.size;
        if bytes > self.budget {
            return;
        }
        kept.bytes = bytes;
        kept.issues
            .insert(source.to_string(), (key, Arc::clone(issue)));
    }

    /// The issue parsed from `source`, if one was kept for exactly `key`; never twice.
    pub fn take(&self, source: &str, key: FileKey) -> Option<Arc<Issue>> {
        let mut kept = self.kept();
        let (found, issue) = kept.issues.remove(source)?;
        kept.bytes -= found.size;
        (found == key).then_some(issue)
    }

    /// Drops whatever is kept (the update that would have taken it is done, or not coming).
    pub fn clear(&self) {
        let mut kept = self.kept();
        kept.issues.clear();
        kept.bytes = 0;
    }

    /// How many issues are kept.
    pub fn len(&self) -> usize {
        self.kept().issues.len()
    }

    /// True when nothing is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse_issue;

    fn issue(source: &str) -> Arc<Issue> {
        Arc::new(parse_issue(source, "标题\n\n正文。\n"))
    }

    #[test]
    fn nothing_is_kept_until_wanted() {
        let handoff = Handoff::new(1000);
        handoff.offer("a", FileKey::new(10, None), &issue("a"));
        assert!(handoff.is_empty());
        handoff.want();
        handoff.offer("a", FileKey::new(10, None), &issue("a"));
        assert_eq!(handoff.len(), 1);
    }

    #[test]
    fn an_issue_is_taken_once_and_only_for_its_key() {
        let handoff = Handoff::new(1000);
        handoff.want();
        let key = FileKey::new(10, None);
        handoff.offer("a", key, &issue("a"));
        handoff.offer("b", key, &issue("b"));
        assert!(handoff.take("a", key).is_some());
        assert!(handoff.take("a", key).is_none(), "taken twice");
        // Changed again since it was parsed: not this issue.
        assert!(handoff.take("b", FileKey::new(11, None)).is_none());
        assert!(handoff.is_empty());
    }

    #[test]
    fn the_budget_bounds_what_is_kept() {
        let handoff = Handoff::new(25);
        handoff.want();
        for (n, source) in ["a", "b", "c"].iter().enumerate() {
            handoff.offer(source, FileKey::new(10 + n as u64, None), &issue(source));
        }
        // 10 + 11 fit; 12 more would not.
        assert_eq!(handoff.len(), 2);
        assert!(handoff.take("c", FileKey::new(12, None)).is_none());
        // Taking frees room.
        assert!(handoff.take("a", FileKey::new(10, None)).is_some());
        handoff.offer("c", FileKey::new(12, None), &issue("c"));
        assert_eq!(handoff.len(), 2);
        // The same file offered again replaces itself, counted once.
        handoff.offer("c", FileKey::new(12, None), &issue("c"));
        assert_eq!(handoff.len(), 2);
        handoff.clear();
        assert!(handoff.is_empty());
        handoff.offer("a", FileKey::new(25, None), &issue("a"));
        assert_eq!(handoff.len(), 1, "the whole budget is usable again");
    }
}
