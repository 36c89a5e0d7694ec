//! Background parsing: one thread reads the on-disk index, then one worker per core parses
//! every file the index could not vouch for, wanted issues (the ones on screen) first. Results
//! arrive as [`Event`]s on a channel the reader drains between keys, so the first frame never
//! waits for the archive.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex, PoisonError};

use encoding_rs::Encoding;

use super::decode::{parse_bytes_with, read_issue};
use super::summary_cache::{FileKey, SummaryCache};
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
    /// The issue's source name (the path, or `-`).
    pub source: String,
    /// Where its text is.
    pub from: Source,
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
}

/// Which slots are taken; wanted ones are handed out first.
#[derive(Debug)]
struct Queue(Mutex<QueueState>);

impl Queue {
    fn lock(&self) -> std::sync::MutexGuard<'_, QueueState> {
        // A worker that panicked leaves a consistent state (plain flags): carry on.
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Takes `slot` if nobody has; true when the caller now owns it.
    fn claim(&self, slot: usize) -> bool {
        let mut state = self.lock();
        match state.claimed.get_mut(slot) {
            Some(taken) if !*taken => {
                *taken = true;
                true
            }
            _ => false,
        }
    }

    /// The next slot to work on: the most recently wanted, else the first untaken in order.
    fn claim_next(&self) -> Option<usize> {
        let mut state = self.lock();
        while let Some(slot) = state.wanted.pop() {
            if let Some(taken) = state.claimed.get_mut(slot)
                && !*taken
            {
                *taken = true;
                return Some(slot);
            }
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

/// Summarises one job: reads, decodes and parses, keeps the headlines.
pub fn summarise(job: &Job, reading: &Reading) -> Result<IssueSummary, String> {
    Ok(job.from.parse(&job.source, reading)?.summary())
}

impl Loader {
    /// Starts loading `jobs` (indexed by slot; `None` needs no work) on `workers` threads,
    /// trusting entries of `index` whose file key still matches.
    pub fn spawn(
        jobs: Vec<Option<Job>>,
        reading: Reading,
        index: Option<SummaryCache>,
        workers: usize,
    ) -> Loader {
        let (tx, events) = channel();
        let queue = Arc::new(Queue(Mutex::new(QueueState {
            claimed: jobs.iter().map(Option::is_none).collect(),
            cursor: 0,
            wanted: Vec::new(),
        })));
        let stop = Arc::new(AtomicBool::new(false));
        let (q, s) = (Arc::clone(&queue), Arc::clone(&stop));
        let spawned = std::thread::Builder::new()
            .name("kanbao-loader".into())
            .spawn(move || run(jobs, &reading, index, workers.max(1), &q, &s, &tx));
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
        }
    }

    /// Takes `slot` away from the workers (the caller parses it now); false if already taken.
    pub fn claim(&self, slot: usize) -> bool {
        self.queue.claim(slot)
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
    }
}

fn run(
    jobs: Vec<Option<Job>>,
    reading: &Reading,
    index: Option<SummaryCache>,
    workers: usize,
    queue: &Queue,
    stop: &AtomicBool,
    tx: &Sender<Event>,
) {
    if let Some(index) = index {
        let mut cached = match index.read() {
            Ok(cached) => cached.unwrap_or_default(),
            Err(reason) => {
                let _ = tx.send(Event::IndexRejected(reason));
                Default::default()
            }
        };
        for (slot, job) in jobs.iter().enumerate() {
            let Some(Job {
                source,
                from: Source::File(_, key),
            }) = job
            else {
                continue;
            };
            if let Some((found, summary)) = cached.remove(source)
                && found == *key
                && queue.claim(slot)
            {
                let event = Event::Parsed {
                    slot,
                    result: Ok(summary),
                    cached: true,
                };
                if tx.send(event).is_err() {
                    return;
                }
            }
        }
    }
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                while let Some(slot) = queue.claim_next() {
                    if stop.load(Ordering::Relaxed) {
                        return;
                    }
                    let Some(job) = &jobs[slot] else { continue };
                    let event = Event::Parsed {
                        slot,
                        result: summarise(job, reading),
                        cached: false,
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

    fn bytes_job(name: &str, text: &str) -> Option<Job> {
        Some(Job {
            source: name.into(),
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
        let loader = Loader::spawn(jobs, Reading::default(), None, 2);
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
        let queue = Queue(Mutex::new(QueueState {
            claimed: vec![false; 10],
            cursor: 0,
            wanted: vec![8, 5],
        }));
        assert_eq!(queue.claim_next(), Some(5));
        assert_eq!(queue.claim_next(), Some(8));
        assert!(queue.claim(0));
        assert!(!queue.claim(0));
        assert_eq!(queue.claim_next(), Some(1));
    }
}
