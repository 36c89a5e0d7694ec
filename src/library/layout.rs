//! The layout an archive is read with: the hints in its `layout.toml`, and what is learned
//! from its first issues.

use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;

use super::learned::{LearnedStore, Sample};
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
    /// a bounded number of files. With an index folder, what was learned is kept there and
    /// taken back while those issues are unchanged, so a start reads none of them.
    pub(super) fn learn_layout(&mut self, index_dir: Option<&Path>) {
        let sample = self.layout_sample();
        let store = index_dir.filter(|_| !self.roots.is_empty()).map(|dir| {
            let encoding = self.reading.encoding.map(encoding_rs::Encoding::name);
            LearnedStore::for_roots(dir, &self.roots, encoding)
        });
        let kept = match store.as_ref().map(|s| s.read(&sample)) {
            Some(Ok(kept)) => kept,
            Some(Err(reason)) => {
                self.notes.push(reason);
                None
            }
            None => None,
        };
        let learned = kept.unwrap_or_else(|| {
            let learned = self.learn_from(&sample);
            if let Some(Err(e)) = store.as_ref().map(|s| s.write(&sample, &learned)) {
                self.notes.push(format!("learned layout not saved: {e}"));
            }
            learned
        });
        if !learned.is_empty() {
            let mut layout = Layout::clone(&self.reading.layout);
            layout.learn(learned);
            self.reading.layout = Arc::new(layout);
        }
    }

    /// The issues the layout is learned from: the first files (source and key).
    pub fn layout_sample(&self) -> Sample {
        self.slots
            .iter()
            .filter_map(|slot| match &slot.origin {
                Origin::Read(Source::File(_, key)) => Some((slot.source.clone(), *key)),
                _ => None,
            })
            .take(learn::SAMPLE)
            .collect()
    }

    /// Reads the issues of the sample (the first files, as [`Library::learn_layout`] lists
    /// them) and learns what recurs in them.
    fn learn_from(&self, sample: &Sample) -> HashSet<String> {
        let texts: Vec<String> = self
            .slots
            .iter()
            .filter_map(|slot| match &slot.origin {
                Origin::Read(Source::File(path, _)) => Some(path),
                _ => None,
            })
            .take(sample.len())
            .filter_map(|path| files::read_limited(path).ok())
            .filter_map(|bytes| decode::decode(&bytes, self.reading.encoding).ok())
            .map(|decoded| decoded.text)
            .collect();
        learn::learn(&texts)
    }
}
