//! The archive's headline search index kept on disk beside its summary index
//! (`index-<hash>.find`, see [`crate::find::mapped`]): `kanbao find` and the reader's `F` map it
//! instead of building the index from every summary. It is the index of the archive exactly as
//! listed — every file's path and key in slot order, and the parser — so any change to the
//! archive makes it out of date: it is then built again from the summaries and replaced.

use std::path::PathBuf;

use super::summary_cache::{PARSER, hash64};
use super::{Library, Origin, Source, Status};
use crate::find::HeadlineIndex;
use crate::find::mapped::{self, Opened};

/// A headline index made ahead on a thread for the reader, and what to tell of it (a broken
/// file that was built again).
#[derive(Debug)]
pub struct Prebuilt {
    /// Mapped, or built and kept.
    pub index: HeadlineIndex,
    /// A message for the status line.
    pub note: Option<String>,
}

/// Where an archive's headline index lives and what it must be the index of.
#[derive(Debug, Clone)]
pub struct HeadlineFile {
    /// The file.
    pub path: PathBuf,
    key: u64,
}

impl HeadlineFile {
    /// The index in the file when it is of this archive as it is: `Ok(None)` when there is no
    /// file or it is out of date; an error saying what is wrong with a broken one.
    pub fn open(&self) -> Result<Option<Opened>, String> {
        let file = match super::files::open_regular(&self.path) {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e.to_string()),
        };
        mapped::open(&file, self.key)
    }

    /// Writes `index` (atomically: a new file renamed over the old one, so that a kanbao
    /// reading the old one meanwhile goes on reading it unchanged).
    pub fn write(
        &self,
        index: &HeadlineIndex,
        failures: &[(String, String)],
    ) -> Result<(), String> {
        let bytes = mapped::encode(index, self.key, failures);
        super::summary_cache::write_atomically(&self.path, &bytes)
    }
}

impl Library {
    /// The headline index file of this archive as listed now; `None` without an index folder
    /// or when some issue is not a file (standard input, the built-in samples).
    pub fn headline_file(&self) -> Option<HeadlineFile> {
        let cache = self.summary_cache.as_ref()?;
        let mut key = Vec::with_capacity(self.slots.len() * 64);
        key.extend_from_slice(PARSER.as_bytes());
        for slot in &self.slots {
            let Origin::Read(Source::File(_, file_key)) = &slot.origin else {
                return None;
            };
            key.push(0);
            key.extend_from_slice(slot.source.as_bytes());
            key.push(0);
            let (seconds, nanos) = file_key.modified.unwrap_or((u64::MAX, 0));
            for n in [
                file_key.size,
                seconds,
                u64::from(nanos),
                file_key.inode,
                file_key.changed.0 as u64,
                u64::from(file_key.changed.1),
            ] {
                key.extend_from_slice(&n.to_le_bytes());
            }
        }
        Some(HeadlineFile {
            path: cache.path.with_extension("find"),
            key: hash64(&key),
        })
    }

    /// The archive's headline index from disk, mapped, when it is of the archive as listed
    /// now; the files that failed when it was built are marked failed again (so they are
    /// reported). `None` when there is none or it is out of date; a broken one is named in
    /// the notes (and rebuilt by whoever builds the index next).
    pub fn open_headline_index(&mut self) -> Option<HeadlineIndex> {
        let file = self.headline_file()?;
        match file.open() {
            Ok(Some(Opened { index, failures })) => {
                for (source, reason) in failures {
                    if let Some(slot) = self.slot_of(&source) {
                        self.slots[slot].status = Status::Failed(reason);
                    }
                }
                Some(index)
            }
            Ok(None) => None,
            Err(reason) => {
                self.notes.push(format!(
                    "{}: {reason}; building the headline index again",
                    file.path.display()
                ));
                None
            }
        }
    }

    /// The files that failed to load, as (source, why).
    pub(super) fn failures(&self) -> Vec<(String, String)> {
        self.slots
            .iter()
            .filter_map(|slot| match &slot.status {
                Status::Failed(reason) => Some((slot.source.clone(), reason.clone())),
                _ => None,
            })
            .collect()
    }

    /// Keeps `index` — built from every slot as loaded now — on disk for the next `find` or
    /// `F`. Not kept while anything is still loading; a failure to write is a note.
    pub fn save_headline_index(&mut self, index: &HeadlineIndex) {
        if self.is_loading() || self.slots.iter().any(|s| s.status == Status::Waiting) {
            return;
        }
        let Some(file) = self.headline_file() else {
            return;
        };
        if let Err(e) = file.write(index, &self.failures()) {
            self.notes.push(format!("headline index not saved: {e}"));
        }
    }
}
