//! The layout an archive is read with: the hints in its `layout.toml`, and what is learned
//! from its first issues.

use std::path::Path;
use std::sync::Arc;

use super::loader::Source;
use super::{Library, Origin, decode, files};
use crate::parse::layout::Layout;
use crate::parse::learn;

impl Library {
    /// Reads the archive with the hints in `path` (`layout.toml`); a mistake in it is
    /// reported as a problem and the archive is read without hints. Call before loading.
    pub fn use_layout(&mut self, path: &Path) {
        match Layout::load(path) {
            Ok(layout) => {
                self.reading.layout = Arc::new(layout);
                self.layout_problem = None;
            }
            Err(problem) => self.layout_problem = Some(problem),
        }
    }

    /// The layout hints the archive is read with.
    pub fn layout(&self) -> &Layout {
        &self.reading.layout
    }

    /// Learns the archive's furniture from its first few issues ([`crate::parse::learn`]):
    /// a bounded number of files, read once more when they are summarised.
    pub(super) fn learn_layout(&mut self) {
        let texts: Vec<String> = self
            .slots
            .iter()
            .filter_map(|slot| match &slot.origin {
                Origin::Read(Source::File(path, _)) => Some(path),
                _ => None,
            })
            .take(learn::SAMPLE)
            .filter_map(|path| files::read_limited(path).ok())
            .filter_map(|bytes| decode::decode(&bytes, self.reading.encoding).ok())
            .map(|decoded| decoded.text)
            .collect();
        let learned = learn::learn(&texts);
        if !learned.is_empty() {
            let mut layout = Layout::clone(&self.reading.layout);
            layout.learn(learned);
            self.reading.layout = Arc::new(layout);
        }
    }
}
