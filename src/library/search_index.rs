//! An archive's full-text index on disk: `$XDG_CACHE_HOME/kanbao/fulltext-<hash>/`, named like
//! the headline index (same roots, same reading), a tantivy index ([`crate::fulltext::index`])
//! and `files.bin`, the file key (path, size, mtime, inode, ctime) of every issue in it. An
//! update re-indexes only the files whose key changed and drops the ones that vanished.
//!
//! Never trusted blindly: an index that tantivy cannot open, from another version of kanbao or
//! its parser, or whose file list does not belong to its last commit (a crash between the
//! two) is removed and built again, with a note saying why. Two processes: tantivy's write
//! lock lets one update at a time; the other searches by scanning instead.

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::summary_cache::{FileKey, PARSER, unframe, write_framed};
use crate::fulltext::index::{Index, IndexHit};
use crate::fulltext::query::Query;
use crate::model::Issue;

const MAGIC: &[u8; 8] = b"KANBAOFT";
/// Bumped whenever the schema, the analyzer or the file list changes.
const FORMAT: u32 = 1;
/// The largest file list read (10,000 issues make well under a megabyte).
const MAX_FILES_BYTES: u64 = 256 << 20;
const FILES: &str = "files.bin";
/// The state of the index's files when their checksums were last found good.
const VERIFIED: &str = "verified";

#[derive(Serialize, Deserialize)]
struct Stored {
    /// The commit payload this list was written with: ties the list to the index's state.
    commit: String,
    files: Vec<(String, FileKey)>,
}

/// What an update did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Updated {
    /// Issues (re-)indexed.
    pub indexed: usize,
    /// Issues dropped (their files are gone or no longer issues).
    pub removed: usize,
}

/// An archive's full-text index, open.
#[derive(Debug)]
pub struct SearchIndex {
    dir: PathBuf,
    index: Index,
    /// What the index holds, by source path; `None` when that is unknown (everything is
    /// indexed afresh at the next update).
    files: Option<HashMap<String, FileKey>>,
}

impl SearchIndex {
    /// The folder of the index of an archive whose headline index is `summary_file`
    /// (`index-<hash>.bin` becomes `fulltext-<hash>`).
    pub fn dir_beside(summary_file: &Path) -> Option<PathBuf> {
        let name = summary_file.file_name()?.to_str()?;
        let hash = name.strip_prefix("index-")?.strip_suffix(".bin")?;
        Some(summary_file.with_file_name(format!("fulltext-{hash}")))
    }

    /// Opens the index in `dir`, creating it when there is none. One that cannot be trusted
    /// is removed and created empty; the notes say why.
    pub fn open(dir: &Path) -> Result<(SearchIndex, Vec<String>), String> {
        let mut notes = Vec::new();
        if dir.join("meta.json").exists() {
            match SearchIndex::open_existing(dir) {
                Ok(index) => return Ok((index, notes)),
                Err(reason) => notes.push(format!(
                    "{}: {reason}; rebuilding the search index",
                    dir.display()
                )),
            }
        }
        let _ = std::fs::remove_dir_all(dir);
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let index = Index::create(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        Ok((
            SearchIndex {
                dir: dir.to_path_buf(),
                index,
                files: Some(HashMap::new()),
            },
            notes,
        ))
    }

    fn open_existing(dir: &Path) -> Result<SearchIndex, String> {
        let index = catch_unwind(|| Index::open(dir))
            .map_err(|_| "damaged (tantivy could not read it)".to_string())??;
        // Checking every checksum reads the whole index (~40 ms for 10,000 issues): done once
        // per state of its files, as the headline index trusts a file by its key.
        let state = files_state(dir);
        let stamp = dir.join(VERIFIED);
        if std::fs::read_to_string(&stamp).ok().as_deref() != Some(state.as_str()) {
            catch_unwind(AssertUnwindSafe(|| index.verify()))
                .map_err(|_| "damaged (tantivy could not read it)".to_string())??;
            // Unwritable: verified again next time, nothing worse.
            let _ = std::fs::write(&stamp, &state);
        }
        let payload = index.payload()?.unwrap_or_default();
        let (format, parser) = payload
            .split_once(' ')
            .and_then(|(format, rest)| Some((format, rest.split_once(' ')?.0)))
            .unwrap_or(("", ""));
        if payload.is_empty() {
            // Never committed by kanbao: a first build stopped before its end.
            return Err("unfinished (its first build was interrupted)".into());
        }
        if format != format!("{FORMAT}") || parser != *PARSER {
            return Err(format!(
                "made by another version of kanbao (format {format}, parser {parser}; this one \
                 writes format {FORMAT}, parser {})",
                *PARSER
            ));
        }
        let files = read_files(&dir.join(FILES), &payload);
        Ok(SearchIndex {
            dir: dir.to_path_buf(),
            index,
            files,
        })
    }

    /// True when every file in `files` (source path, key) is indexed as it is now, and nothing
    /// else is.
    pub fn is_current(&self, files: &[(String, FileKey)]) -> bool {
        self.files.as_ref().is_some_and(|known| {
            known.len() == files.len()
                && files
                    .iter()
                    .all(|(source, key)| known.get(source) == Some(key))
        })
    }

    /// Brings the index up to date with `files` (source path, key): the issues whose key
    /// changed are read with `read(n)` (`n` their place in `files`; `None` when the file is no
    /// longer an issue) and indexed again, the ones gone are dropped. `progress(done, of)` is
    /// told as it goes. Fails when another process is updating the index, and stops without
    /// changing anything when `cancelled()` turns true.
    pub fn update(
        &mut self,
        files: &[(String, FileKey)],
        mut read: impl FnMut(usize) -> Option<Arc<Issue>>,
        mut progress: impl FnMut(usize, usize),
        cancelled: impl Fn() -> bool,
    ) -> Result<Updated, String> {
        if self.is_current(files) {
            return Ok(Updated::default());
        }
        let writer = self.index.writer().map_err(|e| {
            format!(
                "{}: {e} (another kanbao is updating it?)",
                self.dir.display()
            )
        })?;
        let mut known = match self.files.take() {
            Some(known) => known,
            None => {
                writer.remove_all()?;
                HashMap::new()
            }
        };
        let listed: HashMap<&str, FileKey> = files.iter().map(|(s, k)| (s.as_str(), *k)).collect();
        let gone: Vec<String> = known
            .keys()
            .filter(|source| !listed.contains_key(source.as_str()))
            .cloned()
            .collect();
        let mut updated = Updated::default();
        for source in gone {
            writer.remove(&source);
            known.remove(&source);
            updated.removed += 1;
        }
        let stale: Vec<usize> = (0..files.len())
            .filter(|&n| known.get(&files[n].0) != Some(&files[n].1))
            .collect();
        for (done, &n) in stale.iter().enumerate() {
            progress(done, stale.len());
            if cancelled() {
                // The writer is dropped uncommitted: the index stays as it was.
                self.files = None;
                return Err("stopped".into());
            }
            let (source, key) = &files[n];
            writer.remove(source);
            known.remove(source);
            match read(n) {
                Some(issue) => {
                    writer.add(source, &issue)?;
                    known.insert(source.clone(), *key);
                    updated.indexed += 1;
                }
                None => updated.removed += 1,
            }
        }
        progress(stale.len(), stale.len());
        let commit = format!(
            "{FORMAT} {} {}-{}",
            *PARSER,
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos())
        );
        writer.commit(&commit)?;
        let stored = Stored {
            commit,
            files: known.iter().map(|(s, k)| (s.clone(), *k)).collect(),
        };
        // Without the list the index is still right, only re-indexed in full next time.
        let payload = postcard::to_stdvec(&stored).map_err(|e| e.to_string())?;
        write_framed(&self.dir.join(FILES), MAGIC, &payload)?;
        self.files = Some(known);
        Ok(updated)
    }

    /// Every article of the index matching `query`. An index that fails while being read
    /// (damaged under a running kanbao) is an error, never a panic.
    pub fn search(&self, query: &Query) -> Result<Vec<IndexHit>, String> {
        catch_unwind(AssertUnwindSafe(|| self.index.search(query)))
            .unwrap_or_else(|_| Err("damaged (tantivy failed reading it)".into()))
            .map_err(|e| format!("{}: {e}", self.dir.display()))
    }

    /// Where the index is.
    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

/// Name, size, modification time and inode of every file of the tantivy index in `dir` (not
/// kanbao's own files), as one line of text.
fn files_state(dir: &Path) -> String {
    use std::os::unix::fs::MetadataExt;
    let mut entries: Vec<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| {
            // Not kanbao's own files, nor tantivy's lock files and managed-file list, which
            // opening the index touches.
            let name = e.file_name();
            name != FILES && name != VERIFIED && !name.to_string_lossy().starts_with('.')
        })
        .filter_map(|e| {
            let meta = e.metadata().ok()?;
            Some(format!(
                "{}:{}:{}.{}:{}",
                e.file_name().to_string_lossy(),
                meta.len(),
                meta.mtime(),
                meta.mtime_nsec(),
                meta.ino()
            ))
        })
        .collect();
    entries.sort();
    entries.join(" ")
}

/// The file list, if it belongs to the commit `payload`.
fn read_files(path: &Path, payload: &str) -> Option<HashMap<String, FileKey>> {
    let bytes = super::files::read_regular(path, MAX_FILES_BYTES).ok()?;
    let stored: Stored = postcard::from_bytes(unframe(MAGIC, &bytes).ok()?).ok()?;
    (stored.commit == payload).then(|| stored.files.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fulltext::query::parse;
    use crate::parse::parse_issue;

    use crate::test_dir::TestDir;

    fn key(size: u64) -> FileKey {
        FileKey::new(size, None)
    }

    fn issue(source: &str, body: &str) -> Arc<Issue> {
        Arc::new(parse_issue(source, &format!("标题\n\n{body}\n")))
    }

    fn count(index: &SearchIndex, query: &str) -> usize {
        index
            .search(&parse(query).expect("query"))
            .expect("search")
            .iter()
            .map(|h| h.occurrences)
            .sum()
    }

    #[test]
    fn only_changed_files_are_indexed_again_and_vanished_ones_dropped() {
        let dir = TestDir::new("si-update");
        let (mut index, notes) = SearchIndex::open(dir.path()).expect("open");
        assert!(notes.is_empty());
        let files = vec![("a".to_string(), key(1)), ("b".to_string(), key(1))];
        let bodies = ["企业一", "企业二"];
        let updated = index
            .update(
                &files,
                |n| Some(issue(&files[n].0, bodies[n])),
                |_, _| {},
                || false,
            )
            .expect("update");
        assert_eq!(updated.indexed, 2);
        assert!(index.is_current(&files));
        assert_eq!(count(&index, "企业"), 2);
        // Reopened: nothing to do.
        drop(index);
        let (mut index, notes) = SearchIndex::open(dir.path()).expect("reopen");
        assert!(notes.is_empty(), "{notes:?}");
        assert!(index.is_current(&files));
        // One file changed, one gone.
        let files = vec![("a".to_string(), key(2))];
        let mut read = Vec::new();
        let updated = index
            .update(
                &files,
                |n| {
                    read.push(n);
                    Some(issue("a", "工厂"))
                },
                |_, _| {},
                || false,
            )
            .expect("update");
        assert_eq!(read, [0]);
        assert_eq!(
            updated,
            Updated {
                indexed: 1,
                removed: 1
            }
        );
        assert_eq!(count(&index, "企业"), 0);
        assert_eq!(count(&index, "工厂"), 1);
    }

    #[test]
    fn a_damaged_or_foreign_index_is_rebuilt_with_a_note() {
        let dir = TestDir::new("si-damaged");
        let files = vec![("a".to_string(), key(1))];
        let build = || {
            let (mut index, notes) = SearchIndex::open(dir.path()).expect("open");
            index
                .update(&files, |_| Some(issue("a", "企业")), |_, _| {}, || false)
                .expect("update");
            (index, notes)
        };
        let (index, _) = build();
        drop(index);
        // Another version's commit.
        let meta = dir.path().join("meta.json");
        let text = std::fs::read_to_string(&meta).expect("meta");
        std::fs::write(&meta, text.replace(&*PARSER, "0.0.0+0000")).expect("write");
        let (index, notes) = build();
        assert!(notes[0].contains("another version"), "{notes:?}");
        assert_eq!(count(&index, "企业"), 1);
        drop(index);
        // A commit without kanbao's word: a first build that stopped before its end.
        let text = std::fs::read_to_string(&meta).expect("meta");
        let mut unfinished: serde_json::Value = serde_json::from_str(&text).expect("json");
        unfinished["payload"] = serde_json::Value::Null;
        std::fs::write(&meta, unfinished.to_string()).expect("write");
        let (index, notes) = build();
        assert!(notes[0].contains("unfinished"), "{notes:?}");
        assert_eq!(count(&index, "企业"), 1);
        drop(index);
        // Garbage in place of the metadata.
        std::fs::write(&meta, b"\x00\x01 not json").expect("write");
        let (index, notes) = build();
        assert!(notes[0].contains("rebuilding"), "{notes:?}");
        assert_eq!(count(&index, "企业"), 1);
        drop(index);
        // A file list from another commit: the list is not trusted, everything re-indexed.
        let list = dir.path().join(FILES);
        let stored = Stored {
            commit: "something else".into(),
            files: files.clone(),
        };
        write_framed(&list, MAGIC, &postcard::to_stdvec(&stored).expect("enc")).expect("w");
        let (index, notes) = SearchIndex::open(dir.path()).expect("open");
        assert!(notes.is_empty());
        assert!(!index.is_current(&files));
    }
}

/// What a background update of the search index reports.
#[derive(Debug)]
pub enum BuildEvent {
    /// `done` of `of` changed issues indexed so far.
    Progress(usize, usize),
    /// Finished: what it did (or why it could not), and notes on the index it found.
    Done(Result<Updated, String>, Vec<String>),
}

/// A background update of an archive's search index.
#[derive(Debug)]
pub struct Build {
    events: std::sync::mpsc::Receiver<BuildEvent>,
    stop: Arc<std::sync::atomic::AtomicBool>,
}

impl Build {
    /// Brings the index in `dir` up to date with `files` (source path, key, where to read it)
    /// on a thread of its own, taking each changed issue from `handoff` where the load left
    /// it, else reading it with `reading`. Stops early (nothing committed) when the build is
    /// dropped.
    pub fn spawn(
        dir: PathBuf,
        files: Vec<(String, FileKey, super::loader::Source)>,
        reading: super::loader::Reading,
        handoff: Arc<super::handoff::Handoff>,
    ) -> Build {
        use std::sync::atomic::{AtomicBool, Ordering};
        let (tx, events) = std::sync::mpsc::channel();
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = Arc::clone(&stop);
        let spawned = std::thread::Builder::new()
            .name("kanbao-search-index".into())
            .spawn(move || {
                let keys: Vec<(String, FileKey)> =
                    files.iter().map(|(s, k, _)| (s.clone(), *k)).collect();
                let result = SearchIndex::open(&dir).map(|(mut index, notes)| {
                    let progress_tx = tx.clone();
                    let updated = index.update(
                        &keys,
                        |n| {
                            let (source, key, from) = &files[n];
                            handoff
                                .take(source, *key)
                                .or_else(|| from.parse(source, &reading).ok().map(Arc::new))
                        },
                        |done, of| {
                            let _ = progress_tx.send(BuildEvent::Progress(done, of));
                        },
                        || stopped.load(Ordering::Relaxed),
                    );
                    (updated, notes)
                });
                handoff.clear();
                let event = match result {
                    Ok((updated, notes)) => BuildEvent::Done(updated, notes),
                    Err(reason) => BuildEvent::Done(Err(reason), Vec::new()),
                };
                let _ = tx.send(event);
            });
        if let Err(e) = spawned {
            let (tx, rx) = std::sync::mpsc::channel();
            let _ = tx.send(BuildEvent::Done(
                Err(format!("cannot start indexing for search: {e}")),
                Vec::new(),
            ));
            return Build { events: rx, stop };
        }
        Build { events, stop }
    }

    /// The next event, if one is waiting.
    pub fn try_next(&self) -> Option<BuildEvent> {
        self.events.try_recv().ok()
    }

    /// Waits up to `timeout` for the next event.
    pub fn next_within(&self, timeout: std::time::Duration) -> Option<BuildEvent> {
        self.events.recv_timeout(timeout).ok()
    }
}

impl Drop for Build {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
    }
}
