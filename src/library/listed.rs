//! Opening an archive from its on-disk index's list of files, so the reader's first frame does
//! not wait for the walk of every folder and the `statx` of every file (tens of milliseconds
//! at 10,000 issues, a good part of a second at 100,000). The walk runs behind the first
//! frame; when it is done its result is reconciled with what the index listed: a file that
//! changed is read again (what the index said of it is dropped, even if it already arrived),
//! a new file is added at the end, and one that is gone is marked so. The scripting commands
//! keep walking first: they answer once, and must answer for the files as they are now.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, channel};

use super::files::{FoundFile, collect_files};
use super::learned::{LearnedStore, Sample};
use super::loader::Source;
use super::slot::Origin;
use super::summary_cache::FileKey;
use super::{Library, Options, Slot, Status};
use crate::model::LoadFailure;

/// What the background walk found, per path given: its files, or why it could not be read.
pub(super) type Walked = Vec<(String, Result<(Vec<FoundFile>, Vec<LoadFailure>), String>)>;

/// Why a slot the index listed is no longer there.
pub const GONE: &str = "no longer there: removed or renamed since the archive was last read";

impl Library {
    /// The archive at `paths` (folders only) listed from its on-disk index, its walk started
    /// in the background; `None` when that cannot be done (no index, no layout kept for it,
    /// a path that is not a folder, an index listing other names), and then [`Library::open`]
    /// is the way.
    pub fn open_listed(paths: &[String], options: &Options) -> Option<Library> {
        let dir = options.index_dir.as_deref()?;
        let mut library = Library {
            reading: super::loader::Reading {
                encoding: options.encoding,
                ..Default::default()
            },
            held: options.held,
            ..Library::default()
        };
        for path in paths {
            if path == "-" || !Path::new(path).is_dir() {
                return None;
            }
            library.roots.push(std::fs::canonicalize(path).ok()?);
        }
        if let Some(hints) =
            crate::parse::layout::Layout::beside(&library.roots).or_else(|| options.layout.clone())
        {
            library.use_layout(&hints);
        }
        // What was learned of the layout is part of the index's name: taken back for the
        // sample it was learned from, which must still be as it was.
        let encoding = library.reading.encoding.map(encoding_rs::Encoding::name);
        let store = LearnedStore::for_roots(dir, &library.roots, encoding);
        let sample = current(store.sample()?)?;
        library.slots = sample
            .iter()
            .map(|(source, key)| slot(source, *key))
            .collect();
        library.learn_layout(Some(dir));
        library.use_index(dir);
        library.follow_with_search(options);
        let cached = library.summary_cache.as_ref()?.read().ok()??;
        // The index must list the archive under the names it is opened with now, in the
        // order a walk gives, beginning with the sample.
        let named = |source: &str| {
            paths.iter().any(|p| {
                source
                    .strip_prefix(p.trim_end_matches('/'))
                    .is_some_and(|rest| rest.starts_with('/'))
            })
        };
        if cached.is_empty()
            || !cached.listing().all(|(source, _)| named(source))
            || cached
                .listing()
                .take(sample.len())
                .map(|(s, _)| s)
                .ne(sample.iter().map(|(s, _)| s.as_str()))
        {
            return None;
        }
        library.slots = cached
            .listing()
            .map(|(source, key)| slot(source, key))
            .collect();
        library.preloaded = Some(cached);
        // The walk waits for the first frame, as the load of the issues not on it does.
        let (gate, opens) = channel();
        library.walk = Some(walk_in_background(
            paths.to_vec(),
            library.held.then_some(opens),
        ));
        library.walk_gate = library.held.then_some(gate);
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        library.start(cores);
        Some(library)
    }

    /// Takes in the background walk's result: slots whose file changed are read again, new
    /// files get slots at the end, slots whose file is gone say so.
    pub(super) fn reconcile(&mut self, walked: Walked) {
        let by_source: HashMap<String, usize> = self
            .slots
            .iter()
            .enumerate()
            .map(|(i, s)| (s.source.clone(), i))
            .collect();
        let mut seen = vec![false; self.slots.len()];
        for (path, result) in walked {
            let (files, failures) = match result {
                Ok(found) => found,
                Err(reason) => {
                    self.missing.push(LoadFailure {
                        source: path,
                        reason,
                    });
                    continue;
                }
            };
            self.walk_failures.extend(failures);
            for file in files {
                let source = file.source();
                let key = FileKey::of(&file);
                match by_source.get(&source) {
                    Some(&i) => {
                        seen[i] = true;
                        if let Origin::Read(Source::File(_, known)) = &mut self.slots[i].origin
                            && *known != key
                        {
                            *known = key;
                            self.slots[i].status = Status::Waiting;
                            self.stale.insert(i);
                            self.forget_whole(i);
                            self.generation += 1;
                        }
                    }
                    None => {
                        self.appended = true;
                        self.slots.push(Slot {
                            source,
                            status: Status::Waiting,
                            origin: Origin::Read(Source::File(Arc::from(file.path.as_path()), key)),
                        });
                        self.generation += 1;
                    }
                }
            }
        }
        // The issue being read changed under the reader: read again now, so its text is
        // there to show.
        if let Some(pinned) = self.pinned
            && self.stale.contains(&pinned)
            && self.slots[pinned].status == Status::Waiting
        {
            self.ensure(pinned);
            if self.loader.is_some() {
                // Not counted by `ensure` while the loader runs (whose old entry for it stays
                // dropped); new all the same, so the index is written again.
                self.fresh += 1;
            } else {
                self.stale.remove(&pinned);
            }
        }
        for (i, seen) in seen.into_iter().enumerate() {
            if !seen {
                self.relist = true;
                self.slots[i].status = Status::Failed(GONE.into());
                self.stale.insert(i);
                self.forget_whole(i);
                self.generation += 1;
            }
        }
        self.after_load();
    }

    /// Once the load and the walk are both done: reads what the walk found changed or new,
    /// else saves the index and starts the search index's update.
    pub(super) fn after_load(&mut self) {
        if self.loader.is_some() || self.walk.is_some() {
            return;
        }
        // What the walk found changed or new waits: read it (the index has none of it).
        if self.slots.iter().any(|slot| slot.status == Status::Waiting) {
            let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
            self.start_with(cores, super::loader::IndexFrom::None);
            if self.loader.is_some() {
                return;
            }
        }
        self.save_index();
        if self.search_in_background {
            self.start_search_build();
        }
    }

    /// The walk's result, if it has come.
    pub(super) fn poll_walk(&mut self, wait: Option<std::time::Duration>) -> bool {
        let Some(walk) = &self.walk else {
            return false;
        };
        use std::sync::mpsc::TryRecvError;
        let got = match wait {
            Some(timeout) => walk.recv_timeout(timeout).map_err(|e| match e {
                std::sync::mpsc::RecvTimeoutError::Timeout => TryRecvError::Empty,
                std::sync::mpsc::RecvTimeoutError::Disconnected => TryRecvError::Disconnected,
            }),
            None => walk.try_recv(),
        };
        match got {
            Ok(walked) => {
                self.walk = None;
                self.reconcile(walked);
                true
            }
            Err(TryRecvError::Empty) => false,
            // The walk died without a word: the listing is read as the index gave it.
            Err(TryRecvError::Disconnected) => {
                self.walk = None;
                self.notes.push(
                    "the archive's folders could not be checked; the index's list is used".into(),
                );
                self.after_load();
                true
            }
        }
    }

    /// Drops the kept whole issue of `slot` (its file changed or went).
    fn forget_whole(&mut self, slot: usize) {
        self.full.retain(|(i, _)| *i != slot);
    }
}

/// The slot of a file the index listed, not read yet.
fn slot(source: &str, key: FileKey) -> Slot {
    Slot {
        source: source.to_string(),
        status: Status::Waiting,
        origin: Origin::Read(Source::File(Arc::from(Path::new(source)), key)),
    }
}

/// The sample's files with their keys as they are now; `None` when one is gone.
fn current(sample: Sample) -> Option<Sample> {
    sample
        .into_iter()
        .map(|(source, _)| {
            let meta = std::fs::metadata(&source).ok()?;
            let found = FoundFile::new(PathBuf::from(&source), &meta);
            Some((source, FileKey::of(&found)))
        })
        .collect()
}

/// Walks `paths` on a thread of its own; with a gate, once the gate opens (a word on it):
/// two cores do not walk ten thousand files while the first frame is being made. A gate
/// dropped unopened (the library gone first) ends the thread without a walk.
fn walk_in_background(paths: Vec<String>, gate: Option<Receiver<()>>) -> Receiver<Walked> {
    let walk = |paths: Vec<String>| -> Walked {
        paths
            .into_iter()
            .map(|path| {
                let found = collect_files(Path::new(&path));
                (path, found)
            })
            .collect()
    };
    let (tx, rx) = channel();
    let sender = tx.clone();
    let copy = paths.clone();
    let spawned = std::thread::Builder::new()
        .name("kanbao-walk".into())
        .spawn(move || {
            if let Some(gate) = gate
                && gate.recv().is_err()
            {
                return;
            }
            let _ = sender.send(walk(copy));
        });
    if spawned.is_err() {
        // No thread to spare: walk here.
        let _ = tx.send(walk(paths));
    }
    rx
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, title: &str) {
        std::fs::write(
            dir.join(name),
            format!("{title}\n\n正文一段，说了些事情。\n"),
        )
        .unwrap();
    }

    fn titles(library: &Library) -> Vec<String> {
        library
            .slots()
            .iter()
            .map(|slot| match &slot.status {
                Status::Ready(summary) => summary.headlines[0].title.clone(),
                Status::Failed(reason) => format!("✗ {reason}"),
                Status::Waiting => "…".into(),
            })
            .collect()
    }

    #[test]
    fn an_archive_listed_from_its_index_takes_in_what_the_walk_finds_changed() {
        let super::super::ScratchArchive {
            root: _root,
            dir,
            paths,
            options,
            ..
        } = super::super::ScratchArchive::new("listed", 20, |i| {
            format!("第{i}号标题\n\n正文一段，说了些事情。\n")
        });
        // Nothing kept yet: not listed.
        assert!(Library::open_listed(&paths, &options).is_none());
        let mut first = Library::open(&paths, &options);
        first.finish();
        // Unchanged: listed, every summary from the index, the index not written again.
        let mut same = Library::open_listed(&paths, &options).expect("listed");
        assert_eq!(same.len(), 20);
        same.finish();
        assert_eq!(same.parsed_and_reused(), (0, 20));
        assert_eq!(titles(&same), titles(&first));
        // Past the files the layout is learned from: one changed (another size), one gone,
        // and one new.
        write(&dir, "015.txt", "改过的第十五号标题");
        std::fs::remove_file(dir.join("017.txt")).unwrap();
        write(&dir, "0105.txt", "新来的标题");
        let mut listed = Library::open_listed(&paths, &options).expect("listed");
        assert_eq!(listed.len(), 20, "the index's list first");
        // Being read when the walk's word comes (opened before the walk could have ended).
        listed.select(15);
        listed.finish();
        let shown = titles(&listed);
        assert!(
            listed.issue(15).is_some(),
            "the changed issue being read is there to show"
        );
        assert_eq!(shown.len(), 21);
        assert_eq!(
            shown[15], "改过的第十五号标题",
            "read again, not the index's"
        );
        assert_eq!(shown[17], format!("✗ {GONE}"));
        assert_eq!(shown[20], "新来的标题", "a new file at the end");
        // Listed by path, it is in its place among the others (after 010.txt).
        let by_path = listed.ordered(crate::library::order::Order::Path);
        let expected: Vec<usize> = (0..=10).chain([20]).chain(11..20).collect();
        assert_eq!(by_path, expected);
        // The changed and the new file parsed; what the index said of the changed and gone
        // ones may have arrived before the walk's word (then it was replaced).
        let (parsed, reused) = listed.parsed_and_reused();
        assert_eq!(parsed, 2);
        assert!((18..=20).contains(&reused), "{reused}");
        assert!(listed.problems().iter().any(|p| p.contains("017.txt")));
        // The index was written again, in path order. The new file is among the first ones
        // the layout is learned from, so the next start walks (and learns again); the one
        // after lists the archive as it is.
        assert!(Library::open_listed(&paths, &options).is_none());
        let mut next = Library::open(&paths, &options);
        next.finish();
        let mut after = Library::open_listed(&paths, &options).expect("listed");
        after.finish();
        assert_eq!(after.len(), 20);
        assert_eq!(after.parsed_and_reused(), (0, 20));
        assert_eq!(titles(&after)[11], "新来的标题", "listed in path order");
    }

    /// A reader's start (held until its first frame) lists from the index and does not walk
    /// the folders until released: the walk's statting of every file would share the two
    /// cores with the first frame.
    #[test]
    fn a_held_start_walks_only_once_released() {
        let archive = super::super::ScratchArchive::new("listed-held", 12, |i| {
            format!("第{i}号标题\n\n正文一段，说了些事情。\n")
        });
        Library::open(&archive.paths, &archive.options).finish();
        write(&archive.dir, "0105.txt", "新来的标题");
        let held = Options {
            held: true,
            ..archive.options.clone()
        };
        let mut listed = Library::open_listed(&archive.paths, &held).expect("listed");
        // Long enough for a walk of twelve files many times over: held, it has not begun.
        assert!(!listed.poll_walk(Some(std::time::Duration::from_millis(300))));
        assert_eq!(listed.len(), 12);
        listed.release();
        listed.finish();
        assert_eq!(listed.len(), 13);
        assert_eq!(titles(&listed)[12], "新来的标题");
    }

    #[test]
    fn an_archive_opened_under_another_name_is_walked() {
        let root = crate::test_dir::TestDir::new("listed-name");
        let (dir, cache) = (root.path().join("archive"), root.path().join("cache"));
        std::fs::create_dir_all(&dir).unwrap();
        write(&dir, "a.txt", "标题甲");
        let options = Options {
            index_dir: Some(cache),
            ..Options::default()
        };
        let mut first = Library::open(&[dir.to_string_lossy().into_owned()], &options);
        first.finish();
        // A file the layout was learned from is gone: walked.
        // The same folder by another path: the index's names are not these.
        let other = format!("{}/../archive", dir.to_string_lossy());
        assert!(Library::open_listed(&[other], &options).is_none());
        assert!(Library::open_listed(&["-".to_string()], &options).is_none());
    }
}
