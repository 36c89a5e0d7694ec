//! The archive as the reader and the listing commands hold it: one slot per issue file, listed
//! at once, summarised (headlines only) in the background or read from the on-disk index, and
//! parsed in full only when an issue is opened — a few whole issues are kept, the rest is
//! headlines. No terminal types here.

pub mod decode;
pub mod files;
pub mod generate;
pub mod handoff;
pub mod headline_file;
mod layout;
pub mod learned;
mod listed;
pub mod loader;
pub mod order;
pub mod samples;
pub mod search_index;
mod slot;
pub mod summary_cache;

use slot::Origin;
pub use slot::{Slot, Status};

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use encoding_rs::Encoding;

use crate::model::{Archive, Issue, IssueSummary, LoadFailure};
use crate::parse::layout::Layout;
use files::{collect_files_on, read_stdin};
use loader::{Event, Job, Loader, Reading, Source};
use summary_cache::{FileKey, SummaryCache};

/// How an archive is opened: what the caller took from the command line and the config (the
/// library reads neither itself).
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// `--encoding`: every file decoded with it instead of detected.
    pub encoding: Option<&'static Encoding>,
    /// Layout hints the config names, for archives with no `layout.toml` beside them.
    pub layout: Option<PathBuf>,
    /// The folder of on-disk indexes (`$XDG_CACHE_HOME/kanbao`); `None` keeps nothing and
    /// reads everything afresh.
    pub index_dir: Option<PathBuf>,
    /// Load only what is wanted until [`Library::release`] (the reader, until its first frame).
    pub held: bool,
    /// Keep the full-text index up to date in the background once the headlines are in (the
    /// reader, whose `S` then answers at once): issues the load parses are kept for it
    /// ([`handoff`]), so a changed file is parsed once.
    pub search_in_background: bool,
}

impl Options {
    /// Options with only a forced encoding: no configured hints, no index.
    pub fn encoding(encoding: Option<&'static Encoding>) -> Options {
        Options {
            encoding,
            ..Options::default()
        }
    }

    /// The options a run uses: `use_index` (the command line and config agree) keeps the
    /// index in the user's cache folder; `layout` is the config's `layout` entry.
    pub fn new(
        encoding: Option<&'static Encoding>,
        use_index: bool,
        layout: Option<&str>,
    ) -> Options {
        Options {
            encoding,
            layout: layout.map(|p| PathBuf::from(crate::config::expand_home(p))),
            index_dir: use_index.then(summary_cache::cache_dir).flatten(),
            held: false,
            search_in_background: false,
        }
    }
}

/// Whole issues kept parsed at once (the open one and the last few visited).
const FULL_ISSUES_KEPT: usize = 16;

/// An archive being read: slots, the background loader, a few whole issues.
#[derive(Debug, Default)]
pub struct Library {
    slots: Vec<Slot>,
    reading: Reading,
    /// What was wrong with the archive's `layout.toml` (then read without hints).
    layout_problem: Option<String>,
    roots: Vec<PathBuf>,
    missing: Vec<LoadFailure>,
    walk_failures: Vec<LoadFailure>,
    full: VecDeque<(usize, Arc<Issue>)>,
    /// The issue being read: the one a full [`Library::full`] never drops.
    pinned: Option<usize>,
    loader: Option<Loader>,
    summary_cache: Option<SummaryCache>,
    index_rejected: bool,
    fresh: usize,
    from_index: usize,
    notes: Vec<String>,
    generation: u64,
    /// Keep the full-text index up to date in the background once the headlines are in.
    search_in_background: bool,
    search_build: Option<search_index::Build>,
    /// (done, of) of the background search-index update while it runs.
    search_progress: Option<(usize, usize)>,
    /// The background load takes only wanted slots (see [`Library::release`]).
    held: bool,
    /// What the load parsed, on its way to the full-text index's update.
    handoff: Arc<handoff::Handoff>,
    /// The index as read when the archive was listed from it, for the loader.
    preloaded: Option<summary_cache::Cached>,
    /// The walk behind an archive listed from its index, until its result is taken in.
    walk: Option<std::sync::mpsc::Receiver<listed::Walked>>,
    /// Held shut until [`Library::release`]: the walk waits behind it.
    walk_gate: Option<std::sync::mpsc::Sender<()>>,
    /// Slots whose file changed or went since the index: what the index says of them is
    /// not taken.
    stale: std::collections::HashSet<usize>,
    /// The walk found the index's list out of date (a file gone): it is written again.
    relist: bool,
    /// Files found by the walk were added at the end: slots are no longer in path order.
    appended: bool,
}

impl From<Archive> for Library {
    /// A library of issues already parsed (every slot ready, nothing to load).
    fn from(archive: Archive) -> Library {
        let slots = archive
            .issues
            .into_iter()
            .map(|issue| Slot {
                source: issue.source.clone(),
                status: Status::Ready(Box::new(issue.summary())),
                origin: Origin::Parsed(Arc::new(issue)),
            })
            .collect();
        Library {
            slots,
            walk_failures: archive.failures,
            ..Library::default()
        }
    }
}

impl Library {
    /// Lists the issue files at `paths` (folders recursively, `-` for standard input) without
    /// parsing any, and settles how they are read: the archive's layout hints and what was
    /// learned of its layout (kept with the index when there is one). Paths that do not exist
    /// are remembered as missing.
    pub fn scan(paths: &[String], options: &Options) -> Library {
        let mut library = Library {
            reading: Reading {
                encoding: options.encoding,
                ..Reading::default()
            },
            ..Library::default()
        };
        for path in paths {
            if path == "-" {
                match read_stdin() {
                    Ok(bytes) => library.slots.push(Slot {
                        source: "-".into(),
                        status: Status::Waiting,
                        origin: Origin::Read(Source::Bytes(Arc::from(bytes))),
                    }),
                    Err(failure) => library.missing.push(failure),
                }
                continue;
            }
            // The commands wait for this listing (the reader's listed start walks behind
            // its first frame instead): every core looks up a large folder's entries.
            let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
            match collect_files_on(Path::new(path), cores) {
                Ok((files, failures)) => {
                    library.walk_failures.extend(failures);
                    library
                        .roots
                        .push(std::fs::canonicalize(path).unwrap_or_else(|_| PathBuf::from(path)));
                    library.slots.extend(files.into_iter().map(|file| Slot {
                        source: file.source(),
                        status: Status::Waiting,
                        origin: Origin::Read(Source::File(
                            Arc::from(file.path.as_path()),
                            FileKey::of(&file),
                        )),
                    }));
                }
                Err(reason) => library.missing.push(LoadFailure {
                    source: path.clone(),
                    reason,
                }),
            }
        }
        // Hints beside the archive, else the ones the user's config names.
        if let Some(path) = Layout::beside(&library.roots).or_else(|| options.layout.clone()) {
            library.use_layout(&path);
        }
        library.learn_layout(options.index_dir.as_deref());
        library
    }

    /// Lists `paths` and starts summarising them on every core, with the on-disk index in
    /// `options.index_dir` when there is one.
    pub fn open(paths: &[String], options: &Options) -> Library {
        let mut library = Library::scan(paths, options);
        library.held = options.held;
        if let Some(dir) = &options.index_dir {
            library.use_index(dir);
        }
        library.follow_with_search(options);
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        library.start(cores);
        library
    }

    /// Keeps (and trusts, where file keys match) an on-disk index in `dir` for this archive.
    pub fn use_index(&mut self, dir: &Path) {
        if !self.roots.is_empty() {
            // Summaries parsed under other hints are another index.
            let key = match (
                self.reading.encoding.map(Encoding::name),
                &self.reading.layout,
            ) {
                (encoding, layout) if layout.is_empty() => encoding.map(str::to_string),
                (encoding, layout) => Some(format!(
                    "{}+layout:{:016x}",
                    encoding.unwrap_or(""),
                    layout.fingerprint
                )),
            };
            self.summary_cache = Some(SummaryCache::for_roots(dir, &self.roots, key.as_deref()));
        }
    }

    /// When `options` ask for it, updates the full-text index once the load is done, from
    /// what the load parsed (kept when there is an index to update).
    pub(super) fn follow_with_search(&mut self, options: &Options) {
        if options.search_in_background {
            self.search_in_background = true;
            if self.summary_cache.is_some() {
                self.handoff.want();
            }
        }
    }

    /// Starts summarising every waiting slot in the background on `workers` threads.
    pub fn start(&mut self, workers: usize) {
        let index = match self.preloaded.take() {
            Some(cached) => loader::IndexFrom::Read(cached),
            None => self
                .summary_cache
                .clone()
                .map_or(loader::IndexFrom::None, loader::IndexFrom::File),
        };
        self.start_with(workers, index);
    }

    /// [`Library::start`] with the summaries `index` vouches for.
    fn start_with(&mut self, workers: usize, index: loader::IndexFrom) {
        let jobs: Vec<Option<Job>> = self
            .slots
            .iter()
            .map(|slot| {
                let from = match (&slot.status, &slot.origin) {
                    (Status::Waiting, Origin::Read(source)) => source.clone(),
                    _ => return None,
                };
                // A file named by its path needs no copy of the name.
                let named_by_path =
                    matches!(&from, Source::File(path, _) if path.to_str() == Some(&slot.source));
                Some(Job {
                    source: (!named_by_path).then(|| slot.source.clone()),
                    from,
                })
            })
            .collect();
        if jobs.iter().all(Option::is_none) {
            return;
        }
        self.loader = Some(Loader::spawn(
            jobs,
            self.reading.clone(),
            index,
            workers,
            self.held,
            Arc::clone(&self.handoff),
        ));
    }

    /// Keeps the archive's full-text index up to date on a thread of its own, once the
    /// headlines are in (now, if they are and no update runs): for a library opened without
    /// [`Options::search_in_background`].
    pub fn index_for_search_in_background(&mut self) {
        self.search_in_background = true;
        if !self.is_loading() && self.search_build.is_none() {
            self.start_search_build();
        }
    }

    fn start_search_build(&mut self) {
        let Some(dir) = self
            .summary_cache
            .as_ref()
            .and_then(|cache| search_index::SearchIndex::dir_beside(&cache.path))
        else {
            self.handoff.clear();
            return;
        };
        match self.file_sources() {
            Some(files) => {
                self.search_progress = Some((0, 0));
                self.search_build = Some(search_index::Build::spawn(
                    dir,
                    files,
                    self.reading.clone(),
                    Arc::clone(&self.handoff),
                ));
            }
            None => self.handoff.clear(),
        }
    }

    /// (done, of) while the full-text index is being brought up to date in the background.
    pub fn search_index_building(&self) -> Option<(usize, usize)> {
        self.search_build.as_ref().and(self.search_progress)
    }

    /// Takes in what the background search-index update reported; true when anything did.
    fn poll_search_build(&mut self, wait: Option<std::time::Duration>) -> bool {
        let mut changed = false;
        loop {
            let Some(build) = &self.search_build else {
                return changed;
            };
            let event = match wait {
                Some(timeout) if !changed => build.next_within(timeout),
                _ => build.try_next(),
            };
            let Some(event) = event else {
                return changed;
            };
            changed = true;
            match event {
                search_index::BuildEvent::Progress(done, of) => {
                    self.search_progress = Some((done, of))
                }
                search_index::BuildEvent::Done(result, notes) => {
                    self.notes.extend(notes);
                    if let Err(reason) = result {
                        self.notes
                            .push(format!("search index not updated: {reason}"));
                    }
                    self.search_build = None;
                    self.search_progress = None;
                }
            }
        }
    }

    /// Waits up to `timeout` for the background search-index update to report (tests, and
    /// a reader with nothing else to do).
    pub fn wait_search_build(&mut self, timeout: std::time::Duration) -> bool {
        self.poll_search_build(Some(timeout))
    }

    /// Takes in what the loader has finished; true when anything changed.
    pub fn poll(&mut self) -> bool {
        let mut changed = self.poll_search_build(None);
        while let Some(event) = self.loader.as_ref().and_then(Loader::try_next) {
            changed = true;
            self.apply(event);
        }
        changed |= self.poll_walk(None);
        changed
    }

    /// Takes in events until loading ends or `deadline` passes; true when loading ended.
    pub fn settle(&mut self, deadline: Instant) -> bool {
        self.settle_until(deadline, |_| false)
    }

    /// Takes in events until loading ends, `deadline` passes or `enough` holds; true when
    /// loading ended.
    pub fn settle_until(&mut self, deadline: Instant, enough: impl Fn(&Library) -> bool) -> bool {
        while self.is_loading() {
            if enough(self) {
                return false;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return false;
            }
            match &self.loader {
                // The walk is looked at between the loader's events, a few times a frame.
                Some(loader) => {
                    if let Some(event) = loader.next_within(left.min(Duration::from_millis(5))) {
                        self.apply(event);
                    }
                    self.poll_walk(None);
                }
                None => {
                    self.poll_walk(Some(left));
                }
            }
        }
        true
    }

    /// Lets the background load take the whole archive, and the walk of the folders behind an
    /// archive listed from its index begin.
    pub fn release(&mut self) {
        self.held = false;
        if let Some(gate) = self.walk_gate.take() {
            let _ = gate.send(());
        }
        if let Some(loader) = &self.loader {
            loader.release();
        }
    }

    /// Waits until every slot is summarised (for the scripting commands).
    pub fn finish(&mut self) {
        self.release();
        while self.is_loading() {
            match self.loader.as_ref().map(Loader::next) {
                Some(Some(event)) => self.apply(event),
                // The loader ended without its last word (its thread died): what it did not
                // summarise is summarised below.
                Some(None) => {
                    self.loader = None;
                    self.after_load();
                }
                None => {
                    self.poll_walk(Some(Duration::from_secs(3600)));
                }
            }
        }
        // No loader (never started, or it could not start): summarise here.
        for slot in 0..self.slots.len() {
            self.ensure_summary(slot);
        }
    }

    fn apply(&mut self, event: Event) {
        match event {
            Event::Parsed {
                slot,
                result,
                cached,
            } => {
                // The file changed or went since the index was written: its entry is old.
                if cached && self.stale.contains(&slot) {
                    return;
                }
                self.stale.remove(&slot);
                if cached {
                    self.from_index += 1;
                } else {
                    self.fresh += 1;
                }
                if let Some(s) = self.slots.get_mut(slot) {
                    s.status = match result {
                        Ok(summary) => Status::Ready(Box::new(summary)),
                        Err(reason) => Status::Failed(reason),
                    };
                    self.generation += 1;
                }
            }
            Event::IndexRejected(reason) => {
                self.index_rejected = true;
                self.notes.push(reason);
            }
            Event::Finished => {
                self.loader = None;
                self.after_load();
            }
        }
    }

    /// Writes the on-disk index when this run parsed anything the index did not have.
    fn save_index(&mut self) {
        if self.summary_cache.is_none() || (self.fresh == 0 && !self.index_rejected && !self.relist)
        {
            return;
        }
        // In path order, as a walk lists them: a start listed from the index then has its
        // slots in that order too.
        let by_path = self.by_path();
        let Some(index) = &self.summary_cache else {
            return;
        };
        let entries = by_path.iter().map(|&i| &self.slots[i]).filter_map(|slot| {
            match (&slot.origin, &slot.status) {
                (Origin::Read(Source::File(_, key)), Status::Ready(summary)) => {
                    Some((slot.source.as_str(), *key, &**summary))
                }
                _ => None,
            }
        });
        if let Err(e) = index.write(entries) {
            self.notes.push(format!("index not saved: {e}"));
        }
    }

    /// Messages about the on-disk index (rejected, not saved), taken once.
    pub fn take_notes(&mut self) -> Vec<String> {
        std::mem::take(&mut self.notes)
    }

    /// True while the background load runs.
    pub fn is_loading(&self) -> bool {
        self.loader.is_some() || self.walk.is_some()
    }

    /// (slots done, slots in all).
    pub fn progress(&self) -> (usize, usize) {
        let done = self
            .slots
            .iter()
            .filter(|s| s.status != Status::Waiting)
            .count();
        (done, self.slots.len())
    }

    /// How many summaries this run parsed, and how many it reused from the on-disk index.
    pub fn parsed_and_reused(&self) -> (usize, usize) {
        (self.fresh, self.from_index)
    }

    /// Bumped whenever a summary arrives or changes (the headline index is stale then).
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Asks the loader for `slot` before the others.
    pub fn want(&self, slot: usize) {
        if let (Some(loader), Some(s)) = (&self.loader, self.slots.get(slot))
            && s.status == Status::Waiting
        {
            loader.want(slot);
        }
    }

    /// Number of slots.
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    /// True when there are no slots.
    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// Every slot, in archive order.
    pub fn slots(&self) -> &[Slot] {
        &self.slots
    }

    /// The file slot `index` is read from (none for standard input or built-in issues).
    pub fn file_path(&self, index: usize) -> Option<&Path> {
        match &self.slots.get(index)?.origin {
            Origin::Read(Source::File(path, _)) => Some(path),
            _ => None,
        }
    }

    /// The slot at `index`.
    pub fn slot(&self, index: usize) -> Option<&Slot> {
        self.slots.get(index)
    }

    /// The summary of slot `index`, once it has one.
    pub fn summary(&self, index: usize) -> Option<&IssueSummary> {
        self.slots.get(index)?.summary()
    }

    fn parse(&self, index: usize) -> Option<Result<Issue, String>> {
        let slot = self.slots.get(index)?;
        Some(match &slot.origin {
            Origin::Read(source) => source.parse(&slot.source, &self.reading),
            Origin::Parsed(issue) => Ok(Issue::clone(issue)),
        })
    }

    fn ensure_summary(&mut self, index: usize) {
        if self.slots.get(index).map(|s| &s.status) == Some(&Status::Waiting) {
            self.ensure(index);
        }
    }

    /// Makes slot `index` ready to read now: parses it in full, keeps the whole issue, and replaces a summary that no longer matches
    /// its file (an index entry is checked again whenever its issue is opened).
    pub fn ensure(&mut self, index: usize) {
        let Some(slot) = self.slots.get(index) else {
            return;
        };
        if let Origin::Parsed(_) = slot.origin {
            return;
        }
        // Parsed (and so checked) since it was last summarised: nothing to do.
        if self.full.iter().any(|(i, _)| *i == index) {
            return;
        }
        // While loading, the loader still reports this slot (from the on-disk index where it
        // vouches for the file), so reading it here makes nothing new to save: a start that
        // opens its first issue does not rewrite an index that was current.
        let counts_as_new = slot.status == Status::Waiting && self.loader.is_none();
        let Some(result) = self.parse(index) else {
            return;
        };
        let status = match result {
            Ok(issue) => {
                let summary = issue.summary();
                self.keep(index, Arc::new(issue));
                Status::Ready(Box::new(summary))
            }
            Err(reason) => Status::Failed(reason),
        };
        if counts_as_new {
            self.fresh += 1;
        }
        if self.slots[index].status != status {
            self.slots[index].status = status;
            self.generation += 1;
        }
    }

    /// Every issue in full, in archive order, each file read and parsed once (`kanbao export`,
    /// `cat`); the ones that fail are recorded as the slot's problem.
    pub fn whole_issues(&mut self) -> Vec<Arc<Issue>> {
        (0..self.slots.len())
            .filter_map(|index| self.read(index))
            .collect()
    }

    fn keep(&mut self, index: usize, issue: Arc<Issue>) {
        self.full.retain(|(i, _)| *i != index);
        self.full.push_back((index, issue));
        while self.full.len() > FULL_ISSUES_KEPT {
            let oldest = self
                .full
                .iter()
                .position(|(i, _)| Some(*i) != self.pinned)
                .unwrap_or(0);
            self.full.remove(oldest);
        }
    }

    /// Makes `index` the issue being read: parsed in full now (see [`Library::ensure`]) and
    /// kept while it stays selected, so drawing it never has to read its file.
    pub fn select(&mut self, index: usize) {
        self.pinned = Some(index);
        self.ensure(index);
    }

    /// The whole issue at `index`, reading and parsing its file if it is not among the few
    /// kept. `None` for a slot that failed or whose file is gone.
    pub fn read(&mut self, index: usize) -> Option<Arc<Issue>> {
        self.ensure(index);
        self.issue(index)
    }

    /// The whole issue at `index` if it is at hand (parsed up front, or among the few kept):
    /// never reads a file, so drawing can ask for it. [`Library::read`] reads.
    pub fn issue(&self, index: usize) -> Option<Arc<Issue>> {
        if let Origin::Parsed(issue) = &self.slots.get(index)?.origin {
            return Some(Arc::clone(issue));
        }
        self.full
            .iter()
            .find(|(i, _)| *i == index)
            .map(|(_, issue)| Arc::clone(issue))
    }

    /// Every problem as `path: reason`: paths that do not exist, unreadable folders, files that
    /// are not issues.
    pub fn problems(&self) -> Vec<String> {
        self.layout_problem
            .iter()
            .cloned()
            .chain(
                self.missing
                    .iter()
                    .chain(&self.walk_failures)
                    .map(|f| format!("{}: {}", f.source, f.reason)),
            )
            .chain(self.slots.iter().filter_map(|s| match &s.status {
                Status::Failed(reason) => Some(format!("{}: {reason}", s.source)),
                _ => None,
            }))
            .collect()
    }

    /// The exit status of a scripting command: 0 all read, 1 some files failed, 2 a named path
    /// is missing or nothing was readable.
    pub fn exit_status(&self) -> i32 {
        let failed = self
            .slots
            .iter()
            .filter(|s| matches!(s.status, Status::Failed(_)))
            .count();
        // Everything not failed is readable: after `finish`, everything is summarised; a
        // `find` answered from the mapped headline index reads no summary at all.
        let ready = self.slots.len() - failed;
        exit_status(
            !self.missing.is_empty(),
            ready,
            failed + self.walk_failures.len() + usize::from(self.layout_problem.is_some()),
        )
    }

    /// The roots the archive was opened as (absolute), when every issue is a file: what the
    /// reader's memory is keyed by. `None` for standard input and the built-in samples.
    pub fn roots_if_files(&self) -> Option<Vec<PathBuf>> {
        let all_files = self
            .slots
            .iter()
            .all(|slot| matches!(slot.origin, Origin::Read(Source::File(..))));
        (!self.roots.is_empty() && all_files).then(|| self.roots.clone())
    }

    /// The slot whose source is `source`.
    pub fn slot_of(&self, source: &str) -> Option<usize> {
        self.slots.iter().position(|s| s.source == source)
    }

    /// Every slot's source path and file key, in slot order; `None` when some slot is not a
    /// file (standard input, built-in issues), which no on-disk index can cover.
    pub fn file_keys(&self) -> Option<Vec<(String, FileKey)>> {
        Some(
            self.file_sources()?
                .into_iter()
                .map(|(source, key, _)| (source, key))
                .collect(),
        )
    }

    /// [`Library::file_keys`] with where each file is read from.
    fn file_sources(&self) -> Option<Vec<(String, FileKey, Source)>> {
        self.slots
            .iter()
            .map(|slot| match &slot.origin {
                Origin::Read(from @ Source::File(_, key)) => {
                    Some((slot.source.clone(), *key, from.clone()))
                }
                _ => None,
            })
            .collect()
    }

    /// Searches the archive's full-text index for `query`, bringing the index up to date
    /// first (`progress(done, of)` while it indexes). `None` when there is no index to use —
    /// no index folder, issues that are not files, the index busy or failing — and the caller
    /// scans instead; why is in the notes. An index that fails to read is rebuilt once.
    pub fn search_indexed(
        &mut self,
        query: &crate::fulltext::query::Query,
        mut progress: impl FnMut(usize, usize),
    ) -> Option<Vec<crate::fulltext::index::IndexHit>> {
        let dir = search_index::SearchIndex::dir_beside(&self.summary_cache.as_ref()?.path)?;
        let files = self.file_keys()?;
        for attempt in 0..2 {
            let (mut index, notes) = match search_index::SearchIndex::open(&dir) {
                Ok(opened) => opened,
                Err(reason) => {
                    self.notes
                        .push(format!("{reason}; searching without the index"));
                    return None;
                }
            };
            self.notes.extend(notes);
            let handoff = Arc::clone(&self.handoff);
            let read = |n: usize| {
                let (source, key) = &files[n];
                handoff.take(source, *key).or_else(|| self.read(n))
            };
            let updated = index.update(&files, read, &mut progress, || false);
            handoff.clear();
            if let Err(reason) = updated {
                self.notes
                    .push(format!("{reason}; searching without the index"));
                return None;
            }
            match index.search(query) {
                Ok(hits) => return Some(hits),
                Err(reason) if attempt == 0 => {
                    self.notes
                        .push(format!("{reason}; rebuilding the search index"));
                    drop(index);
                    let _ = std::fs::remove_dir_all(&dir);
                }
                Err(reason) => {
                    self.notes
                        .push(format!("{reason}; searching without the index"));
                }
            }
        }
        None
    }

    /// Every article matching `query`, from the full-text index when there is one, else by
    /// reading and scanning every issue (standard input, `--no-index`, an index that failed:
    /// why is in the notes). In no particular order.
    pub fn search_all(
        &mut self,
        query: &crate::fulltext::query::Query,
        progress: impl FnMut(usize, usize),
    ) -> Vec<crate::fulltext::index::IndexHit> {
        if let Some(hits) = self.search_indexed(query, progress) {
            return hits;
        }
        let mut hits = Vec::new();
        for slot in 0..self.slots.len() {
            let Some(issue) = self.read(slot) else {
                continue;
            };
            let mut counts: std::collections::BTreeMap<Option<usize>, usize> = Default::default();
            for hit in crate::fulltext::scan::search(query, &[issue.as_ref()]) {
                *counts.entry(hit.article).or_default() += 1;
            }
            for (article, occurrences) in counts {
                let found = article.and_then(|a| issue.articles.get(a));
                hits.push(crate::fulltext::index::IndexHit {
                    source: self.slots[slot].source.clone(),
                    article,
                    occurrences,
                    date: crate::fulltext::scan::article_date(&issue, found).map(str::to_string),
                    paper: issue.paper.clone(),
                });
            }
        }
        hits
    }

    /// The headline search index of the whole archive, on a thread of its own: mapped from
    /// its file when that is of the archive as it is, else built from the on-disk summary
    /// index (so the reader's thread copies nothing) and kept on disk for the next start. The
    /// reader's `F` then opens without a pause. `None` without an index; the channel closes
    /// without a word when the on-disk index no longer matches the slots (the jump builds its
    /// own then).
    pub fn headline_index_in_background(
        &self,
    ) -> Option<std::sync::mpsc::Receiver<headline_file::Prebuilt>> {
        let cache = self.summary_cache.clone()?;
        let file = self.headline_file();
        let failures = self.failures();
        let wanted: Vec<(usize, String, FileKey)> = self
            .slots
            .iter()
            .enumerate()
            .filter_map(|(i, slot)| match (&slot.origin, &slot.status) {
                (Origin::Read(Source::File(_, key)), Status::Ready(_)) => {
                    Some((i, slot.source.clone(), *key))
                }
                _ => None,
            })
            .collect();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::Builder::new()
            .name("kanbao-find-index".into())
            .spawn(move || {
                let note = match file.as_ref().map(|f| (f, f.open())) {
                    Some((_, Ok(Some(opened)))) => {
                        let _ = tx.send(headline_file::Prebuilt {
                            index: opened.index,
                            note: None,
                        });
                        return;
                    }
                    Some((f, Err(reason))) => Some(format!(
                        "{}: {reason}; building the headline index again",
                        f.path.display()
                    )),
                    _ => None,
                };
                let Ok(Some(cached)) = cache.read() else {
                    return;
                };
                let mut issues = Vec::with_capacity(wanted.len());
                for (slot, source, key) in wanted {
                    let Some((found, at)) = cached.find(&source) else {
                        return;
                    };
                    let Ok(summary) = cached.summary(at).map_err(drop) else {
                        return;
                    };
                    if found != key {
                        return;
                    }
                    issues.push((slot, summary.headlines));
                }
                let index = crate::find::HeadlineIndex::from_headlines(
                    issues
                        .iter()
                        .map(|(slot, headlines)| (*slot, headlines.as_slice())),
                );
                // Kept for the next start (a failure to write only costs that start a build).
                if let Some(file) = file {
                    let _ = file.write(&index, &failures);
                }
                let _ = tx.send(headline_file::Prebuilt { index, note });
            })
            .ok()?;
        Some(rx)
    }

    /// Every summary with its slot index, in archive order.
    pub fn summaries(&self) -> impl Iterator<Item = (usize, &IssueSummary)> {
        self.slots
            .iter()
            .enumerate()
            .filter_map(|(i, s)| Some((i, s.summary()?)))
    }
}

/// The exit status of a scripting command: 2 when a named path is `missing` or nothing was
/// `readable` while something `failed`, 1 when some files failed (partial), else 0.
pub fn exit_status(missing: bool, readable: usize, failed: usize) -> i32 {
    if missing || (readable == 0 && failed > 0) {
        2
    } else if failed > 0 {
        1
    } else {
        0
    }
}

/// A scratch archive for tests: `count` issues (issue `i` is `text(i)`, in `NNN.txt`) in a
/// folder, an index folder beside it, and options that keep the index there.
#[cfg(test)]
pub(crate) struct ScratchArchive {
    /// Removed when dropped.
    pub root: crate::test_dir::TestDir,
    /// The archive's folder.
    pub dir: PathBuf,
    /// The index folder.
    pub cache: PathBuf,
    /// The archive as a reader is given it.
    pub paths: Vec<String>,
    /// Options keeping the index in `cache`.
    pub options: Options,
}

#[cfg(test)]
impl ScratchArchive {
    pub(crate) fn new(name: &str, count: usize, text: impl Fn(usize) -> String) -> ScratchArchive {
        let root = crate::test_dir::TestDir::new(name);
        let (dir, cache) = (root.path().join("archive"), root.path().join("cache"));
        std::fs::create_dir_all(&dir).expect("archive folder");
        for i in 0..count {
            std::fs::write(dir.join(format!("{i:03}.txt")), text(i)).expect("issue");
        }
        ScratchArchive {
            paths: vec![dir.to_string_lossy().into_owned()],
            options: Options {
                index_dir: Some(cache.clone()),
                ..Options::default()
            },
            root,
            dir,
            cache,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_parsed_archive_is_ready_at_once() {
        let library = Library::from(samples::builtin_archive());
        assert_eq!(library.progress(), (5, 5));
        assert!(!library.is_loading());
        let issue = library.issue(0).unwrap();
        assert_eq!(
            library.summary(0).unwrap().headlines.len(),
            issue.articles.len()
        );
    }

    #[test]
    fn the_search_index_is_built_in_the_background_and_then_answers_without_reading() {
        let ScratchArchive {
            root: _root,
            cache,
            paths,
            options,
            ..
        } = ScratchArchive::new("lib-bg", 30, |i| format!("标题{i}\n\n企业{i}。\n"));
        let mut library = open_and_index_for_search(&paths, &options);
        assert!(library.take_notes().is_empty());
        // A second reader finds it current: the search reads no issue.
        let mut again = Library::scan(&paths, &options);
        again.use_index(&cache);
        let query = crate::fulltext::query::parse("企业").unwrap();
        let hits = again.search_indexed(&query, |_, _| {}).expect("indexed");
        assert_eq!(hits.len(), 30);
        assert!(again.full.is_empty(), "no issue was read to answer");
    }

    /// Opens the archive as the reader does and waits for the search index's update.
    fn open_and_index_for_search(paths: &[String], options: &Options) -> Library {
        let mut library = Library::open(paths, options);
        library.finish();
        library.index_for_search_in_background();
        assert!(
            library.search_index_building().is_some(),
            "an update started"
        );
        let deadline = Instant::now() + std::time::Duration::from_secs(60);
        while library.search_index_building().is_some() && Instant::now() < deadline {
            library.wait_search_build(std::time::Duration::from_millis(100));
        }
        assert!(library.search_index_building().is_none(), "the build ended");
        library
    }

    #[test]
    fn a_changed_file_is_read_once_for_the_headlines_and_the_search_index() {
        let ScratchArchive {
            root: _root,
            dir,
            cache,
            paths,
            mut options,
        } = ScratchArchive::new("lib-once", 12, |i| format!("标题{i}\n\n企业{i}。\n"));
        options.search_in_background = true;
        let file = |i: usize| dir.join(format!("{i:03}.txt"));
        let reads = |i: usize| decode::reads::of(&file(i));
        let searched = |word: &str| {
            let mut library = Library::scan(&paths, &Options::default());
            library.use_index(&cache);
            let query = crate::fulltext::query::parse(word).expect("query");
            let hits = library.search_indexed(&query, |_, _| {}).expect("indexed");
            assert!(library.full.is_empty(), "answered without reading issues");
            hits.len()
        };
        // First open: every file is new to both indexes, and read once.
        open_and_index_for_search(&paths, &options);
        assert!(
            (0..12).all(|i| reads(i) == 1),
            "{:?}",
            (0..12).map(reads).collect::<Vec<_>>()
        );
        assert_eq!(searched("企业"), 12);
        // Two files change: each is read once more, the others not at all.
        for i in [3, 7] {
            std::fs::write(file(i), format!("标题{i}\n\n企业{i}，新词。\n")).expect("change");
        }
        open_and_index_for_search(&paths, &options);
        let counts: Vec<usize> = (0..12).map(reads).collect();
        let want: Vec<usize> = (0..12)
            .map(|i| if i == 3 || i == 7 { 2 } else { 1 })
            .collect();
        assert_eq!(counts, want);
        assert_eq!(searched("新词"), 2, "the search index has the new text");
        // Without the handoff (nothing says a search update follows), the same change costs
        // two reads: the count tells the two apart.
        options.search_in_background = false;
        std::fs::write(file(5), "标题5\n\n企业5，又一词。\n").expect("change");
        open_and_index_for_search(&paths, &options);
        assert_eq!(reads(5), 3);
        assert_eq!(searched("又一词"), 1);
    }

    #[test]
    fn a_held_start_that_opens_an_issue_reuses_a_current_index_without_rewriting_it() {
        let ScratchArchive {
            root: _root,
            paths,
            options,
            ..
        } = ScratchArchive::new("lib-held", 40, |i| format!("标题{i}\n\n正文{i}。\n"));
        let mut first = Library::open(&paths, &options);
        first.finish();
        assert_eq!(first.parsed_and_reused(), (40, 0));
        let index = first.summary_cache.clone().expect("index").path;
        let written = std::fs::metadata(&index).unwrap().modified().unwrap();
        // As the reader starts: held, the first issue opened whole, the screen's issues wanted.
        let mut again = Library::open(
            &paths,
            &Options {
                held: true,
                ..options
            },
        );
        again.select(0);
        for slot in (0..10).rev() {
            again.want(slot);
        }
        again.settle_until(Instant::now() + std::time::Duration::from_secs(30), |l| {
            (0..10).all(|s| l.summary(s).is_some())
        });
        assert!(again.is_loading(), "held: the rest waits for the release");
        assert!(again.summary(39).is_none());
        again.release();
        again.finish();
        assert_eq!(
            again.parsed_and_reused(),
            (0, 40),
            "every summary from the index"
        );
        assert_eq!(
            std::fs::metadata(&index).unwrap().modified().unwrap(),
            written,
            "a current index is not written again"
        );
    }

    #[test]
    fn the_headline_index_is_built_in_the_background_from_the_on_disk_index() {
        let ScratchArchive {
            root: _root,
            paths,
            options,
            ..
        } = ScratchArchive::new("lib-find-bg", 25, |i| {
            format!("第{i}个标题\n\n正文{i}说了些事情。\n\n另一篇{i}\n\n又一段正文{i}。\n")
        });
        let mut library = Library::open(&paths, &options);
        library.finish();
        let built = library
            .headline_index_in_background()
            .expect("an index to build from")
            .recv()
            .expect("built")
            .index;
        let direct = crate::find::HeadlineIndex::from_headlines(
            library
                .summaries()
                .map(|(i, s)| (i, s.headlines.as_slice())),
        );
        let shown = |index: &crate::find::HeadlineIndex| -> Vec<(usize, usize, String)> {
            (0..index.len())
                .map(|e| index.entry(e))
                .map(|e| (e.issue, e.article, e.text.to_string()))
                .collect()
        };
        assert_eq!(shown(&built), shown(&direct));
        assert!(!built.is_empty() && !built.is_mapped());
        // Kept on disk: the next time it is mapped, not built.
        let mapped = library
            .headline_index_in_background()
            .expect("an index to map")
            .recv()
            .expect("mapped")
            .index;
        assert!(mapped.is_mapped());
        assert_eq!(shown(&mapped), shown(&direct));
        assert_eq!(
            mapped.search("标题", None, 5),
            direct.search("标题", None, 5)
        );
        // A slot whose file key no longer matches the index's: the background build gives up.
        let mut stale = Library::open(&paths, &options);
        stale.finish();
        if let Some(Origin::Read(Source::File(_, key))) =
            stale.slots.get_mut(4).map(|s| &mut s.origin)
        {
            key.size += 1;
        }
        let rx = stale.headline_index_in_background().expect("started");
        assert!(rx.recv().is_err(), "a key that does not match: no index");
    }

    #[test]
    fn only_a_few_whole_issues_are_kept() {
        let dir = std::env::temp_dir().join(format!("kanbao-lib-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        for i in 0..FULL_ISSUES_KEPT + 4 {
            std::fs::write(
                dir.join(format!("{i:03}.txt")),
                format!("标题{i}\n\n正文{i}。\n"),
            )
            .unwrap();
        }
        let mut library = Library::scan(&[dir.to_string_lossy().into_owned()], &Options::default());
        library.start(2);
        library.finish();
        assert_eq!(library.progress(), (20, 20));
        library.select(3);
        for i in 0..library.len() {
            assert!(library.read(i).is_some());
        }
        assert_eq!(library.full.len(), FULL_ISSUES_KEPT);
        assert!(library.issue(3).is_some(), "the issue being read is kept");
        assert!(library.issue(4).is_none(), "the oldest other is dropped");
        // A file that changed since it was summarised is summarised again when opened.
        std::fs::write(
            dir.join("000.txt"),
            "新标题\n\n正文。\n\n另一个标题\n\n正文。\n",
        )
        .unwrap();
        library.ensure(0);
        assert_eq!(library.summary(0).unwrap().headlines.len(), 2);
        std::fs::remove_file(dir.join("001.txt")).unwrap();
        library.ensure(1);
        assert!(matches!(library.slot(1).unwrap().status, Status::Failed(_)));
        assert_eq!(library.exit_status(), 1);
    }
}
