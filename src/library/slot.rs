//! One issue file of an archive: where its text comes from and how far loading has got.

use std::sync::Arc;

use super::loader::Source;
use crate::model::{Issue, IssueSummary};

/// Where a slot's issue comes from.
#[derive(Debug, Clone)]
pub(super) enum Origin {
    /// Text read and parsed when needed: a file (re-read when opened) or standard input's bytes.
    Read(Source),
    /// An issue parsed up front and kept whole (the built-in samples, tests).
    Parsed(Arc<Issue>),
}

/// How far a slot has got.
#[derive(Debug, Clone, PartialEq)]
pub enum Status {
    /// Not summarised yet.
    Waiting,
    /// Summarised: the issue's masthead fields and headlines.
    Ready(Box<IssueSummary>),
    /// Not an issue, or unreadable: why.
    Failed(String),
}

/// One issue file of the archive.
#[derive(Debug, Clone)]
pub struct Slot {
    /// The path (or `-`), as issues name their source.
    pub source: String,
    /// How far loading has got.
    pub status: Status,
    pub(super) origin: Origin,
}

impl Slot {
    /// The summary, once there is one.
    pub fn summary(&self) -> Option<&IssueSummary> {
        match &self.status {
            Status::Ready(summary) => Some(summary),
            _ => None,
        }
    }
}
