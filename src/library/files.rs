//! Paths → issue files: the folder walk (regular `.txt`/`.md` files, sorted; odd entries
//! named), standard input, and reading a file without blocking and within a size limit.

use std::collections::HashSet;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::model::LoadFailure;

/// Reads all of standard input (the issue named `-`).
pub fn read_stdin() -> Result<Vec<u8>, LoadFailure> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .read_to_end(&mut bytes)
        .map(|_| bytes)
        .map_err(|e| LoadFailure {
            source: "-".into(),
            reason: format!("cannot read standard input: {e}"),
        })
}

/// Files larger than this are not issues (an issue is tens of KB; this keeps a stray database
/// dump from being read into memory).
pub const MAX_FILE_BYTES: u64 = 32 * 1024 * 1024;

/// An issue file found on disk, with what the on-disk index keys on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundFile {
    /// Where it is.
    pub path: PathBuf,
    /// Its size in bytes when found.
    pub size: u64,
    /// Its modification time when found, where the file system keeps one.
    pub modified: Option<SystemTime>,
    /// Its inode number: a file replaced by a copy (`cp -p`, `rsync -t`) gets a new one.
    pub inode: u64,
    /// Its status-change time (seconds, nanoseconds): unlike the modification time no tool can
    /// set it back, so a restored file with the old size and mtime still differs here.
    pub changed: (i64, u32),
}

impl FoundFile {
    pub(super) fn new(path: PathBuf, meta: &fs::Metadata) -> FoundFile {
        use std::os::unix::fs::MetadataExt;
        FoundFile {
            path,
            size: meta.len(),
            modified: meta.modified().ok(),
            inode: meta.ino(),
            changed: (meta.ctime(), meta.ctime_nsec().clamp(0, 999_999_999) as u32),
        }
    }

    /// The path as a string, as issues name their source.
    pub fn source(&self) -> String {
        self.path.to_string_lossy().into_owned()
    }
}

/// Opens `path` for reading only if it is a regular file. The open itself must not block: a
/// FIFO with no writer would hang `open(2)` (and the reader with it), so the file is opened
/// non-blocking, checked with `fstat`, and only then switched back to blocking reads.
pub fn open_regular(path: &Path) -> std::io::Result<fs::File> {
    use std::os::fd::AsRawFd;
    use std::os::unix::fs::OpenOptionsExt;
    let file = fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(path)?;
    if !file.metadata()?.is_file() {
        return Err(std::io::Error::other(
            "not a regular file (a FIFO, device or socket)",
        ));
    }
    let fd = file.as_raw_fd();
    // SAFETY: fcntl on a descriptor this function owns; only the status flags change.
    unsafe {
        let flags = libc::fcntl(fd, libc::F_GETFL);
        if flags >= 0 {
            libc::fcntl(fd, libc::F_SETFL, flags & !libc::O_NONBLOCK);
        }
    }
    Ok(file)
}

/// Reads at most `limit` bytes of the regular file at `path`: one that is larger (or grows
/// past `limit` while being read) is refused, so `/dev/zero` or a runaway file cannot fill
/// memory.
pub fn read_regular(path: &Path, limit: u64) -> std::io::Result<Vec<u8>> {
    let file = open_regular(path)?;
    let size = file.metadata()?.len();
    let too_large = |size: u64| {
        std::io::Error::other(format!(
            "{}: too large for a newspaper issue (the limit is {})",
            describe_size(size),
            describe_size(limit)
        ))
    };
    if size > limit {
        return Err(too_large(size));
    }
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

/// A size as people read it: exact bytes below 1 KiB, else KiB/MiB with one decimal where
/// it matters (32 MiB + 1 byte is "32.0 MiB (33554433 bytes)", never the limit's own "32 MB").
pub fn describe_size(bytes: u64) -> String {
    const KIB: u64 = 1024;
    const MIB: u64 = 1024 * 1024;
    match bytes {
        b if b < KIB => format!("{b} bytes"),
        b if b < MIB => format!("{:.1} KiB", b as f64 / KIB as f64),
        b if b % MIB == 0 => format!("{} MiB", b / MIB),
        b => format!("{:.1} MiB ({b} bytes)", b as f64 / MIB as f64),
    }
}

/// Reads an issue file (regular files only), refusing one over `MAX_FILE_BYTES`.
pub(crate) fn read_limited(path: &Path) -> std::io::Result<Vec<u8>> {
    read_regular(path, MAX_FILE_BYTES)
}

/// True for the file names kanbao reads from folders.
fn is_issue_file(path: &Path) -> bool {
    matches!(
        path.extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref(),
        Some("txt" | "md")
    )
}

/// The issue files at `path`: the file itself, or every `.txt`/`.md` below a folder, sorted.
/// Errors for entries inside a folder are returned as failures; an error for `path` itself is
/// `Err`.
pub fn collect_files(path: &Path) -> Result<(Vec<FoundFile>, Vec<LoadFailure>), String> {
    collect_files_on(path, 1)
}

/// [`collect_files`] with the entries of each large folder looked up on `threads` threads:
/// for a command that waits for the listing (with the folder cached, a third of the walk is
/// the kernel's `statx` of every file). The result is the same, in the same order.
pub fn collect_files_on(
    path: &Path,
    threads: usize,
) -> Result<(Vec<FoundFile>, Vec<LoadFailure>), String> {
    let meta = fs::metadata(path).map_err(|e| describe_io_error(&e))?;
    if meta.is_file() {
        return Ok((vec![FoundFile::new(path.to_path_buf(), &meta)], Vec::new()));
    }
    if !meta.is_dir() {
        return Err("not a regular file or folder".into());
    }
    let mut files = Vec::new();
    let mut failures = Vec::new();
    let mut seen = HashSet::new();
    let mut walk = Walk {
        files: &mut files,
        failures: &mut failures,
        seen: &mut seen,
        threads: threads.max(1),
    };
    walk.folder(path);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok((files, failures))
}

/// Folders with fewer entries than this are looked up on the walking thread alone.
const ENTRIES_PER_THREAD: usize = 256;

/// A walk in progress: what it found, the folders it has been in, how many threads may look
/// up one folder's entries.
struct Walk<'a> {
    files: &'a mut Vec<FoundFile>,
    failures: &'a mut Vec<LoadFailure>,
    seen: &'a mut HashSet<PathBuf>,
    threads: usize,
}

/// The metadata of each entry (symbolic links followed), in order, on up to `threads` threads.
fn look_up(entries: &[fs::DirEntry], threads: usize) -> Vec<std::io::Result<fs::Metadata>> {
    let one = |dir_entry: &fs::DirEntry| match dir_entry.file_type() {
        // Looked up from the open folder (no walk of the whole path again); a symbolic link
        // is followed, as `fs::metadata` does.
        Ok(t) if !t.is_symlink() => dir_entry.metadata(),
        _ => fs::metadata(dir_entry.path()),
    };
    let threads = threads.min(entries.len() / ENTRIES_PER_THREAD).max(1);
    if threads == 1 {
        return entries.iter().map(one).collect();
    }
    let chunk = entries.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let handles: Vec<_> = entries
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().map(one).collect::<Vec<_>>()))
            .collect();
        let mut metas = Vec::with_capacity(entries.len());
        for (handle, part) in handles.into_iter().zip(entries.chunks(chunk)) {
            // A thread that died looked up nothing: its entries are looked up here.
            metas.extend(
                handle
                    .join()
                    .unwrap_or_else(|_| part.iter().map(one).collect()),
            );
        }
        metas
    })
}

impl Walk<'_> {
    fn folder(&mut self, dir: &Path) {
        // Following a symlink back into a folder already read would loop forever.
        let canonical = fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
        if !self.seen.insert(canonical) {
            return;
        }
        let entries = match fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(e) => {
                self.failures.push(LoadFailure {
                    source: dir.to_string_lossy().into_owned(),
                    reason: describe_io_error(&e),
                });
                return;
            }
        };
        // The kind from the folder listing itself (d_type) needs no permission on the entry,
        // so an entry whose metadata cannot be read can still be told to be a folder.
        let mut entries: Vec<fs::DirEntry> = entries.filter_map(|e| e.ok()).collect();
        // By name: the same order as by whole path within one folder, without comparing the
        // folder's components again for every pair.
        entries.sort_by_cached_key(|e| e.file_name());
        let metas = look_up(&entries, self.threads);
        for (dir_entry, meta) in entries.iter().zip(metas) {
            let entry = dir_entry.path();
            let listed_as_dir = dir_entry.file_type().is_ok_and(|t| t.is_dir());
            match meta {
                Ok(meta) if meta.is_dir() => self.folder(&entry),
                Ok(meta) if meta.is_file() && is_issue_file(&entry) => {
                    self.files.push(FoundFile::new(entry, &meta))
                }
                // A FIFO, device or socket with an issue's name: named, never opened.
                Ok(meta) if is_issue_file(&entry) && !meta.is_file() => {
                    self.failures.push(LoadFailure {
                        source: entry.to_string_lossy().into_owned(),
                        reason: "not a regular file (a FIFO, device or socket)".into(),
                    })
                }
                Ok(_) => {}
                // An issue file or folder that cannot be looked at (a folder without its x
                // bit): named, so nothing is skipped silently.
                Err(e) if is_issue_file(&entry) || listed_as_dir => {
                    self.failures.push(LoadFailure {
                        source: entry.to_string_lossy().into_owned(),
                        reason: describe_io_error(&e),
                    })
                }
                Err(_) => {}
            }
        }
    }
}

/// An I/O error in words: "no such file or folder", "permission denied" …
pub fn describe_io_error(error: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match error.kind() {
        ErrorKind::NotFound => "no such file or folder (or a broken symlink)".into(),
        ErrorKind::PermissionDenied => "permission denied".into(),
        _ => error.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Looking up a large folder's entries on several threads finds the same files and the
    /// same failures, in the same order, as one thread.
    #[test]
    fn a_walk_on_several_threads_finds_what_one_finds() {
        let root = crate::test_dir::TestDir::new("walk-threads");
        let dir = root.path().join("archive");
        let inner = dir.join("m").join("inner");
        fs::create_dir_all(&inner).expect("dirs");
        for i in 0..700 {
            // Issue files, files that are not issues, folders among them.
            let name = match i % 7 {
                0 => format!("{i:04}.md"),
                1 => format!("{i:04}.jpg"),
                2 => format!("{i:04}"),
                _ => format!("{i:04}.txt"),
            };
            if i % 7 == 2 {
                fs::create_dir_all(dir.join(&name)).expect("folder");
                fs::write(dir.join(&name).join("x.txt"), "x").expect("nested");
            } else {
                fs::write(dir.join(&name), "x").expect("file");
            }
        }
        for i in 0..300 {
            fs::write(inner.join(format!("{i}.txt")), "x").expect("inner");
        }
        // A FIFO with an issue's name, a dangling link with one, and a link back up.
        let fifo = std::ffi::CString::new(dir.join("0100b.txt").to_str().expect("utf-8"))
            .expect("cstring");
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);
        std::os::unix::fs::symlink(dir.join("gone"), dir.join("0200b.txt")).expect("link");
        std::os::unix::fs::symlink(&dir, inner.join("loop")).expect("link");
        let one = collect_files_on(&dir, 1).expect("walk");
        let four = collect_files_on(&dir, 4).expect("walk");
        let paths = |found: &(Vec<FoundFile>, Vec<LoadFailure>)| {
            let files: Vec<PathBuf> = found.0.iter().map(|f| f.path.clone()).collect();
            let failures: Vec<String> = found
                .1
                .iter()
                .map(|f| format!("{}: {}", f.source, f.reason))
                .collect();
            (files, failures)
        };
        let (files, failures) = paths(&one);
        assert_eq!(paths(&four), (files.clone(), failures.clone()));
        // What was built is what was found: 500 issue files at the top, 100 in folders, 300
        // further down; the FIFO and the dangling link named.
        assert_eq!(files.len(), 500 + 100 + 300, "{failures:?}");
        assert_eq!(failures.len(), 2, "{failures:?}");
    }

    #[test]
    fn sizes_are_said_exactly_where_the_limit_is_near() {
        assert_eq!(describe_size(512), "512 bytes");
        assert_eq!(describe_size(32 * 1024 * 1024), "32 MiB");
        assert_eq!(
            describe_size(32 * 1024 * 1024 + 1),
            "32.0 MiB (33554433 bytes)"
        );
    }
    #[test]
    fn only_regular_files_are_read_and_never_past_the_limit() {
        let dir = std::env::temp_dir().join(format!("kanbao-regular-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).expect("dir");
        let fifo = dir.join("pipe.txt");
        let c = std::ffi::CString::new(fifo.to_str().expect("utf-8")).expect("cstring");
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
        let err = read_regular(&fifo, 100).expect_err("a FIFO is refused");
        assert!(err.to_string().contains("not a regular file"), "{err}");
        assert!(read_regular(Path::new("/dev/zero"), 100).is_err());
        let file = dir.join("big.txt");
        fs::write(&file, [b'a'; 101]).expect("write");
        let err = read_regular(&file, 100).expect_err("over the limit");
        assert!(err.to_string().contains("101 bytes"), "{err}");
        assert_eq!(read_regular(&file, 101).expect("at the limit").len(), 101);
    }
}
