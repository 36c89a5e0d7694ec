//! What was learned of an archive's layout ([`crate::parse::learn`]), kept beside its index
//! (`$XDG_CACHE_HOME/kanbao/layout-<hash>.bin`) so a start does not read the first issues
//! again to learn it. The templates are trusted only while the issues they were learned from
//! are unchanged (same paths, same file keys) and the parser is the same; anything else —
//! another sample, another version, a file that fails its checksum — means learning afresh.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::summary_cache::{FileKey, PARSER, archive_key, unframe, write_framed};

const MAGIC: &[u8; 8] = b"KANBAOLL";
/// Bumped whenever the layout of the file changes.
const FORMAT: u32 = 1;
/// The largest file read: a sample of a dozen paths and a few hundred templates is kilobytes.
const MAX_BYTES: u64 = 16 << 20;

/// The issues a layout was learned from: source path and file key, in archive order.
pub type Sample = Vec<(String, FileKey)>;

#[derive(Serialize, Deserialize)]
struct Stored {
    format: u32,
    parser: String,
    sample: Sample,
    templates: Vec<String>,
}

/// Where one archive's learned layout is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LearnedStore {
    /// The file.
    pub path: PathBuf,
}

impl LearnedStore {
    /// The store of the archive opened as `roots` (made absolute) with `encoding` forced.
    pub fn for_roots(dir: &Path, roots: &[PathBuf], encoding: Option<&str>) -> LearnedStore {
        LearnedStore {
            path: dir.join(format!("layout-{:016x}.bin", archive_key(roots, encoding))),
        }
    }

    /// The templates learned from exactly `sample`. `Ok(None)` when there are none kept for
    /// it (no file yet, another sample, another parser); `Err` says why a file was rejected.
    pub fn read(&self, sample: &Sample) -> Result<Option<HashSet<String>>, String> {
        let bytes = match super::files::read_regular(&self.path, MAX_BYTES) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(format!("{}: {e}", self.path.display())),
        };
        let stored: Stored = unframe(MAGIC, &bytes)
            .and_then(|payload| postcard::from_bytes(payload).map_err(|e| format!("corrupt ({e})")))
            .map_err(|reason| {
                format!(
                    "{}: {reason}; learning the layout again",
                    self.path.display()
                )
            })?;
        let same = stored.format == FORMAT && stored.parser == *PARSER && stored.sample == *sample;
        Ok(same.then(|| stored.templates.into_iter().collect()))
    }

    /// The sample the kept templates were learned from, if a sound file of this parser keeps
    /// any (the reader lists an archive from its index only when that sample is unchanged).
    pub fn sample(&self) -> Option<Sample> {
        let bytes = super::files::read_regular(&self.path, MAX_BYTES).ok()?;
        let stored: Stored = postcard::from_bytes(unframe(MAGIC, &bytes).ok()?).ok()?;
        (stored.format == FORMAT && stored.parser == *PARSER).then_some(stored.sample)
    }

    /// Keeps `templates`, learned from `sample`, atomically.
    pub fn write(&self, sample: &Sample, templates: &HashSet<String>) -> Result<(), String> {
        let mut templates: Vec<String> = templates.iter().cloned().collect();
        templates.sort();
        let stored = Stored {
            format: FORMAT,
            parser: PARSER.clone(),
            sample: sample.clone(),
            templates,
        };
        let payload = postcard::to_stdvec(&stored).map_err(|e| e.to_string())?;
        write_framed(&self.path, MAGIC, &payload)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store(name: &str) -> LearnedStore {
        let dir =
            std::env::temp_dir().join(format!("kanbao-learned-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        LearnedStore::for_roots(&dir, &[PathBuf::from("/archive")], None)
    }

    fn sample(size: u64) -> Sample {
        vec![("a.txt".into(), FileKey::new(size, None))]
    }

    #[test]
    fn kept_templates_come_back_for_the_same_sample_only() {
        let store = store("same");
        assert_eq!(store.read(&sample(1)), Ok(None), "nothing kept yet");
        let templates: HashSet<String> = ["第#版 要闻".to_string()].into();
        store.write(&sample(1), &templates).expect("write");
        assert_eq!(store.read(&sample(1)), Ok(Some(templates)));
        assert_eq!(
            store.read(&sample(2)),
            Ok(None),
            "a changed issue: learn again"
        );
    }

    #[test]
    fn a_damaged_file_is_rejected_with_its_name() {
        let store = store("damaged");
        store.write(&sample(1), &HashSet::new()).expect("write");
        let mut bytes = std::fs::read(&store.path).expect("read");
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        std::fs::write(&store.path, &bytes).expect("write");
        let err = store.read(&sample(1)).expect_err("rejected");
        assert!(err.contains("layout-") && err.contains("checksum"), "{err}");
        std::fs::write(&store.path, b"KANBAOLL").expect("write");
        assert!(
            store.read(&sample(1)).is_err(),
            "a truncated file is rejected"
        );
    }
}
