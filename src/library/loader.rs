//! Background parsing: one thread reads the on-disk index's table, then one worker per core
//! takes each file in turn, wanted issues (the ones on screen) first, and decodes its summary
//! from the index where the index vouches for it, else parses the file. Results
//! arrive as [`Event`]s on a channel the reader drains between keys, so the first frame never
//! waits for the archive.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Condvar, Mutex, PoisonError};

use encoding_rs::Encoding;

use super::decode::{parse_bytes_with, read_issue};
use super::handoff::Handoff;
use super::summary_cache::{Cached, CachedAt, FileKey, SummaryCache};
use crate::model::{Issue, IssueSummary};
use crate::parse::layout::Layout;

/// Where one issue's text comes from.
#[derive(Debug, Clone)]
pub enum Source {
    /// A file (its path as the file system gave it), re-read whenever its bodies are needed;
    /// its key when it was found.
    File(Arc<std::path::Path>, FileKey),
    /// Bytes already in memory (standard input).
    Bytes(Arc<[u8]>),
}

/// One file to summarise.
#[derive(Debug, Clone)]
pub struct Job {
    /// The issue's source name (`-` for standard input); `None` for a file named by its path
    /// (most jobs: no copy of every path to start the loader).
    pub source: Option<String>,
    /// Where its text is.
    pub from: Source,
}

impl Job {
    /// The issue's source name.
    pub fn source(&self) -> std::borrow::Cow<'_, str> {
        match (&self.source, &self.from) {
            (Some(name), _) => std::borrow::Cow::Borrowed(name.as_str()),
            (None, Source::File(path, _)) => path.to_string_lossy(),
            (None, Source::Bytes(_)) => std::borrow::Cow::Borrowed("-"),
        }
    }
}

/// What the loader reports.
#[derive(Debug)]
pub enum Event {
    /// Slot `slot` is summarised (`cached`: taken from the on-disk index) or failed.
    Parsed {
        /// The slot.
        slot: usize,
        /// Its summary, or why the file is not an issue.
        result: Result<IssueSummary, String>,
        /// It came from the on-disk index.
        cached: bool,
    },
    /// The on-disk index was there but could not be trusted (why).
    IndexRejected(String),
    /// Every slot is done.
    Finished,
}

#[derive(Debug)]
struct QueueState {
    claimed: Vec<bool>,
    cursor: usize,
    wanted: Vec<usize>,
    /// Only wanted slots are handed out (until the reader's first frame is drawn: the rest of
    /// the archive must not take the cores that frame needs).
    held: bool,
}

/// Which slots are taken; wanted ones are handed out first.
#[derive(Debug)]
struct Queue(Mutex<QueueState>, Condvar);

impl Queue {
    fn new(claimed: Vec<bool>, held: bool) -> Queue {
        Queue(
            Mutex::new(QueueState {
                claimed,
                cursor: 0,
                wanted: Vec::new(),
                held,
            }),
            Condvar::new(),
        )
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, QueueState> {
        // A worker that panicked leaves a consistent state (plain flags): carry on.
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Hands out every slot from now on.
    fn release(&self) {
        self.lock().held = false;
        self.1.notify_all();
    }

    /// The next slot to work on: the most recently wanted, else (once released) the first
    /// untaken in order. While held with nothing wanted, waits.
    fn claim_next(&self) -> Option<usize> {
        let mut state = self.lock();
        loop {
            while let Some(slot) = state.wanted.pop() {
                if let Some(taken) = state.claimed.get_mut(slot)
                    && !*taken
                {
                    *taken = true;
                    return Some(slot);
                }
            }
            if !state.held {
                break;
            }
            state = self.1.wait(state).unwrap_or_else(PoisonError::into_inner);
        }
        while state.cursor < state.claimed.len() {
            let slot = state.cursor;
            state.cursor += 1;
            if !state.claimed[slot] {
                state.claimed[slot] = true;
                return Some(slot);
            }
        }
        None
    }
}

/// Where the loader finds summaries it need not parse.
#[derive(Debug, Default)]
pub enum IndexFrom {
    /// Nowhere: every file is parsed.
    #[default]
    None,
    /// The index file, read on the loader's thread.
    File(SummaryCache),
    /// An index already read (the reader listed the archive from it).
    Read(Cached),
}

/// The running background load.
#[derive(Debug)]
pub struct Loader {
    events: Receiver<Event>,
    queue: Arc<Queue>,
    stop: Arc<AtomicBool>,
}

/// How an archive's text is read: a forced encoding, and the archive's layout hints.
#[derive(Debug, Clone, Default)]
pub struct Reading {
    /// The encoding every file is read in, instead of detecting it.
    pub encoding: Option<&'static Encoding>,
    /// `layout.toml`'s hints.
    pub layout: Arc<Layout>,
}

impl Source {
    /// Reads, decodes and parses the issue; `name` is how the issue names its source.
    pub fn parse(&self, name: &str, reading: &Reading) -> Result<Issue, String> {
        match self {
            Source::File(path, _) => read_issue(path, reading.encoding, &reading.layout),
            Source::Bytes(bytes) => {
                parse_bytes_with(name, bytes, reading.encoding, &reading.layout)
            }
        }
    }
}

/// Summarises one job: reads, decodes and parses, keeps the headlines, and offers the issue
/// parsed from a file to `handoff` (for the full-text index's update).
pub fn summarise(job: &Job, reading: &Reading, handoff: &Handoff) -> Result<IssueSummary, String> {
    let source = job.source();
    let issue = job.from.parse(&source, reading)?;
    let summary = issue.summary();
    if let Source::File(_, key) = &job.from
        && handoff.is_wanted()
    {
        handoff.offer(&source, *key, &Arc::new(issue));
    }
    Ok(summary)
}

impl Loader {
    /// Starts loading `jobs` (indexed by slot; `None` needs no work) on `workers` threads,
    /// trusting entries of `index` whose file key still matches. `held`: only wanted slots
    /// until [`Loader::release`]. Issues parsed from files are offered to `handoff`.
    pub fn spawn(
        jobs: Vec<Option<Job>>,
        reading: Reading,
        index: IndexFrom,
        workers: usize,
        held: bool,
        handoff: Arc<Handoff>,
    ) -> Loader {
        let (tx, events) = channel();
        let queue = Arc::new(Queue::new(jobs.iter().map(Option::is_none).collect(), held));
        let stop = Arc::new(AtomicBool::new(false));
        let (q, s) = (Arc::clone(&queue), Arc::clone(&stop));
        let spawned = std::thread::Builder::new()
            .name("kanbao-loader".into())
            .spawn(move || {
                let context = Context {
                    reading: &reading,
                    handoff: &handoff,
                    queue: &q,
                    stop: &s,
                    tx: &tx,
                };
                run(jobs, index, workers.max(1), &context)
            });
        if let Err(e) = spawned {
            // No thread: the reader still parses issues on demand as they are opened.
            let (tx, rx) = channel();
            let _ = tx.send(Event::IndexRejected(format!("cannot start loading: {e}")));
            return Loader {
                events: rx,
                queue,
                stop,
            };
        }
        Loader {
            events,
            queue,
            stop,
        }
    }

    /// Asks for `slot` before the others.
    pub fn want(&self, slot: usize) {
        let mut state = self.queue.lock();
        if state.claimed.get(slot) == Some(&false) && state.wanted.last() != Some(&slot) {
            state.wanted.push(slot);
            self.queue.1.notify_one();
        }
    }

    /// Lets the workers take every slot, not only wanted ones (see [`Loader::spawn`]'s `held`).
    pub fn release(&self) {
        self.queue.release();
    }

    /// The next event, if one is ready.
    pub fn try_next(&self) -> Option<Event> {
        self.events.try_recv().ok()
    }

    /// Waits up to `timeout` for the next event.
    pub fn next_within(&self, timeout: std::time::Duration) -> Option<Event> {
        self.events.recv_timeout(timeout).ok()
    }

    /// Waits for the next event; `None` once the loader is gone.
    pub fn next(&self) -> Option<Event> {
        self.events.recv().ok()
    }
}

impl Drop for Loader {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        // Held workers wake, take a slot, see the stop and end.
        self.queue.release();
    }
}

/// What the loader's workers share.
struct Context<'a> {
    reading: &'a Reading,
    handoff: &'a Handoff,
    queue: &'a Queue,
    stop: &'a AtomicBool,
    tx: &'a Sender<Event>,
}

fn run(jobs: Vec<Option<Job>>, index: IndexFrom, workers: usize, context: &Context) {
    let Context {
        reading,
        handoff,
        queue,
        stop,
        tx,
    } = *context;
    let cached = match index {
        IndexFrom::None => Cached::default(),
        IndexFrom::Read(cached) => cached,
        IndexFrom::File(index) => match index.read() {
            Ok(read) => read.unwrap_or_default(),
            Err(reason) => {
                let _ = tx.send(Event::IndexRejected(reason));
                Cached::default()
            }
        },
    };
    // What the index vouches for: where a slot's summary lies, looked up by the worker that
    // takes the slot (wanted slots first, so the issues on screen come before the rest; and
    // nothing done for all the slots while the first frame is being drawn). Listed from the
    // index, slot and table agree place by place: no lookup.
    let vouched = |slot: usize| -> Option<CachedAt> {
        let job = jobs[slot].as_ref()?;
        let Source::File(_, key) = &job.from else {
            return None;
        };
        let source = job.source();
        let (found, at) = cached.at(slot, &source).or_else(|| cached.find(&source))?;
        (found == *key).then_some(at)
    };
    let rejected = AtomicBool::new(false);
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                while let Some(slot) = queue.claim_next() {
                    if stop.load(Ordering::Relaxed) {
                        return;
                    }
                    let Some(job) = &jobs[slot] else { continue };
                    let indexed = vouched(slot).map(|at| cached.summary(at));
                    let event = match indexed {
                        Some(Ok(summary)) => Event::Parsed {
                            slot,
                            result: Ok(summary),
                            cached: true,
                        },
                        // Sealed but undecodable: said once, and the file is parsed.
                        Some(Err(reason)) => {
                            if !rejected.swap(true, Ordering::Relaxed) {
                                let _ = tx.send(Event::IndexRejected(reason));
                            }
                            Event::Parsed {
                                slot,
                                result: summarise(job, reading, handoff),
                                cached: false,
                            }
                        }
                        None => Event::Parsed {
                            slot,
                            result: summarise(job, reading, handoff),
                            cached: false,
                        },
                    };
                    if tx.send(event).is_err() {
                        return;
                    }
                }
            });
        }
    });
    let _ = tx.send(Event::Finished);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A loader of `jobs` on two workers: no index, no hints, no handoff.
    pub(super) fn spawn_plain(jobs: Vec<Option<Job>>, held: bool) -> Loader {
        Loader::spawn(
            jobs,
            Reading::default(),
            IndexFrom::None,
            2,
            held,
            Arc::default(),
        )
    }

    fn bytes_job(name: &str, text: &str) -> Option<Job> {
        Some(Job {
            source: Some(name.into()),
            from: Source::Bytes(Arc::from(text.as_bytes())),
        })
    }

    #[test]
    fn every_job_is_reported_once_then_finished() {
        let jobs: Vec<Option<Job>> = (0..20)
            .map(|i| {
                if i == 3 {
                    None
                } else if i == 7 {
                    bytes_job("bad", "")
                } else {
                    bytes_job(&format!("{i}"), &format!("标题{i}\n\n正文第{i}段。\n"))
                }
            })
            .collect();
        let loader = spawn_plain(jobs, false);
        let mut seen = Vec::new();
        while let Some(event) = loader.next() {
            match event {
                Event::Parsed { slot, result, .. } => {
                    assert_eq!(result.is_err(), slot == 7, "slot {slot}: {result:?}");
                    seen.push(slot);
                }
                Event::Finished => break,
                Event::IndexRejected(r) => panic!("{r}"),
            }
        }
        seen.sort();
        let expected: Vec<usize> = (0..20).filter(|&i| i != 3).collect();
        assert_eq!(seen, expected);
    }

    #[test]
    fn wanted_slots_go_first() {
        let queue = Queue::new(vec![false; 10], false);
        queue.lock().wanted = vec![8, 5];
        assert_eq!(queue.claim_next(), Some(5));
        assert_eq!(queue.claim_next(), Some(8));
        assert_eq!(queue.claim_next(), Some(0));
        assert_eq!(queue.claim_next(), Some(1));
        queue.lock().wanted = vec![1, 9];
        assert_eq!(
            queue.claim_next(),
            Some(9),
            "wanted again but taken: skipped"
        );
        assert_eq!(queue.claim_next(), Some(2));
    }
}

#[cfg(test)]
mod held {
    use super::tests::spawn_plain;
    use super::*;

    #[test]
    fn a_held_loader_does_only_wanted_slots_until_released() {
        let jobs: Vec<Option<Job>> = (0..6)
            .map(|i| {
                Some(Job {
                    source: Some(format!("{i}")),
                    from: Source::Bytes(Arc::from(format!("标题{i}\n\n正文。\n").as_bytes())),
                })
            })
            .collect();
        let loader = spawn_plain(jobs, true);
        loader.want(4);
        let first = loader.next_within(std::time::Duration::from_secs(10));
        assert!(
            matches!(first, Some(Event::Parsed { slot: 4, .. })),
            "{first:?}"
        );
        // Nothing else comes while held.
        assert!(
            loader
                .next_within(std::time::Duration::from_millis(200))
                .is_none()
        );
        loader.release();
        let mut rest = Vec::new();
        while let Some(event) = loader.next() {
            match event {
                Event::Parsed { slot, .. } => rest.push(slot),
                Event::Finished => break,
                Event::IndexRejected(r) => panic!("{r}"),
            }
        }
        rest.sort();
        assert_eq!(rest, [0, 1, 2, 3, 5]);
    }

    #[test]
    fn dropping_a_held_loader_ends_its_workers() {
        let jobs: Vec<Option<Job>> = vec![Some(Job {
            source: Some("0".into()),
            from: Source::Bytes(Arc::from(&b"x"[..])),
        })];
        let loader = spawn_plain(jobs, true);
        drop(loader);
    }
}
