//! The on-disk headline index: `$XDG_CACHE_HOME/kanbao/index-<hash>.bin`, one file per set of
//! archive paths, so a second start needs no parse. Each issue is keyed by path, size and
//! modification time; an entry whose file changed is parsed again. The file carries a magic
//! word, a format number, the parser's version and a checksum of everything after it: one that
//! fails any check is reported and rebuilt, never trusted.
//!
//! Written atomically (a temporary file renamed over the old one), so two readers of the same
//! archive never see half an index.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::model::IssueSummary;

const MAGIC: &[u8; 8] = b"KANBAOI5";
/// The magic words of earlier formats: 1 to 3 (one checksum over the whole file), and 4 (a
/// table of variable-length records).
const MAGIC_BEFORE: [&[u8; 8]; 2] = [b"KANBAOIX", b"KANBAOI4"];
/// Bumped whenever the layout of the file or of [`IssueSummary`] changes. Format 5: the magic
/// word, a checksum and the length of the table, the table, then the summaries, each encoded
/// on its own. The table is a header, the number of files, a fixed-size [`RECORD`] per file
/// (its key, summary length and checksum, path length) and every path one after another:
/// read at a start without decoding ten thousand records one field at a time. A start reads
/// and checks only the table; each summary is read, checked and decoded when a worker takes
/// its issue (the ones on screen first, on every core).
const FORMAT: u32 = 5;
/// Every file of the parser, by name: one left out here would let its changes keep old
/// summaries (a test checks the list against `src/parse`).
const PARSER_SOURCES: &[(&str, &str)] = &[
    ("../parse/mod.rs", include_str!("../parse/mod.rs")),
    ("../parse/anchored.rs", include_str!("../parse/anchored.rs")),
    ("../parse/assemble.rs", include_str!("../parse/assemble.rs")),
    ("../parse/chars.rs", include_str!("../parse/chars.rs")),
    ("../parse/credits.rs", include_str!("../parse/credits.rs")),
    ("../parse/flow.rs", include_str!("../parse/flow.rs")),
    ("../parse/items.rs", include_str!("../parse/items.rs")),
    ("../parse/layout.rs", include_str!("../parse/layout.rs")),
    ("../parse/learn.rs", include_str!("../parse/learn.rs")),
    ("../parse/lines.rs", include_str!("../parse/lines.rs")),
    ("../parse/markup.rs", include_str!("../parse/markup.rs")),
    ("../parse/masthead.rs", include_str!("../parse/masthead.rs")),
    ("../parse/meta.rs", include_str!("../parse/meta.rs")),
    (
        "../parse/path_meta.rs",
        include_str!("../parse/path_meta.rs"),
    ),
    ("../parse/reflow.rs", include_str!("../parse/reflow.rs")),
    ("../parse/wrap.rs", include_str!("../parse/wrap.rs")),
    // The rules read Traditional characters through the search's fold.
    (
        "../fulltext/analyze.rs",
        include_str!("../fulltext/analyze.rs"),
    ),
    ("../fulltext/t2s.txt", include_str!("../fulltext/t2s.txt")),
    ("../model/mod.rs", include_str!("../model/mod.rs")),
    ("decode.rs", include_str!("decode.rs")),
];

/// Parser changes alter summaries: an index made by another version of kanbao is rebuilt.
/// Keyed by the version and by a hash of the source of everything that makes a summary (the
/// parser, the model, decoding), so a parser changed without a version bump is not trusted
/// either.
pub(super) static PARSER: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    let joined: Vec<u8> = PARSER_SOURCES
        .iter()
        .flat_map(|(_, source)| source.bytes())
        .collect();
    format!("{}+{:016x}", env!("CARGO_PKG_VERSION"), hash64(&joined))
});

/// What identifies one version of a file, as git's index does: size and modification time,
/// which `cp -p` and `rsync -t` restore on a changed file, so also the inode and the
/// status-change time, which they cannot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileKey {
    /// Size in bytes.
    pub size: u64,
    /// Modification time as (seconds, nanoseconds) since the epoch; `None` where unknown.
    pub modified: Option<(u64, u32)>,
    /// Inode number.
    pub inode: u64,
    /// Status-change time (seconds, nanoseconds).
    pub changed: (i64, u32),
}

impl FileKey {
    /// The key of a file of `size` bytes modified at `modified`, with no inode or change time
    /// (files that are not on disk, tests).
    pub fn new(size: u64, modified: Option<SystemTime>) -> FileKey {
        let modified = modified
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .map(|d| (d.as_secs(), d.subsec_nanos()));
        FileKey {
            size,
            modified,
            inode: 0,
            changed: (0, 0),
        }
    }

    /// The key of a file found on disk.
    pub fn of(file: &super::files::FoundFile) -> FileKey {
        FileKey {
            inode: file.inode,
            changed: file.changed,
            ..FileKey::new(file.size, file.modified)
        }
    }
}

#[derive(Serialize, Deserialize)]
struct Header {
    format: u32,
    parser: String,
    encoding: Option<String>,
}

/// One file in the index's table: its summary is the next `len` bytes of the summaries, and
/// hashes to `sum`.
struct TableEntry {
    path: String,
    key: FileKey,
    len: u32,
    sum: u64,
}

/// Bytes before the table: magic word, table checksum, table length.
const PREFIX: usize = 24;

/// The largest index read: far above any real archive's (10,000 issues make ~20 MB).
const MAX_INDEX_BYTES: u64 = 1 << 30;

/// An index whose table was read and checked; its summaries are still in the file: each is
/// read, checked and decoded when it is asked for (by the loader's workers, the issues on
/// screen first). The file stays open, so an index written anew meanwhile (by renaming a new
/// file over it) does not change what this one reads.
#[derive(Debug, Default)]
pub struct Cached {
    /// The open index file, and where it is (for messages).
    file: Option<(std::fs::File, PathBuf)>,
    /// Every source path, one after another: one allocation, not one per file (a listed
    /// start reads ten thousand of them before its first frame).
    paths: String,
    /// In table (archive) order: where the source path lies in `paths`, the file's key and
    /// where its summary lies.
    files: Vec<(std::ops::Range<usize>, FileKey, CachedAt)>,
    /// Source path → place in `files`, made when first asked for (a listed start never asks).
    by_path: std::sync::OnceLock<HashMap<String, usize>>,
}

/// Where one summary lies in a [`Cached`] index, and what it must hash to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CachedAt {
    at: u64,
    len: u32,
    sum: u64,
}

impl Cached {
    /// The key `path` was indexed under and where its summary is; None when not indexed.
    pub fn find(&self, path: &str) -> Option<(FileKey, CachedAt)> {
        let by_path = self.by_path.get_or_init(|| {
            self.files
                .iter()
                .enumerate()
                .map(|(i, (path, _, _))| (self.paths[path.clone()].to_string(), i))
                .collect()
        });
        let (_, key, at) = &self.files[*by_path.get(path)?];
        Some((*key, at.clone()))
    }

    /// The file at place `i` of the table, if it is `path`: where its summary lies.
    pub fn at(&self, i: usize, path: &str) -> Option<(FileKey, CachedAt)> {
        self.files
            .get(i)
            .filter(|(listed, _, _)| self.paths[listed.clone()] == *path)
            .map(|(_, key, at)| (*key, at.clone()))
    }

    /// Reads, checks and decodes the summary at `at` (from [`Cached::find`]); a file cut
    /// short since is an error, never a read past its end.
    pub fn summary(&self, at: CachedAt) -> Result<IssueSummary, String> {
        use std::os::unix::fs::FileExt;
        let (file, path) = self.file.as_ref().ok_or("no index")?;
        let failed =
            |why: &str| format!("{}: corrupt ({why}); rebuilding the index", path.display());
        let mut bytes = vec![0; at.len as usize];
        file.read_exact_at(&mut bytes, at.at)
            .map_err(|_| failed("summary out of bounds"))?;
        if hash64(&bytes) != at.sum {
            return Err(failed("checksum mismatch"));
        }
        postcard::from_bytes(&bytes).map_err(|e| failed(&e.to_string()))
    }

    /// Every file of the index with its key, in the index's (archive) order.
    pub fn listing(&self) -> impl Iterator<Item = (&str, FileKey)> {
        self.files
            .iter()
            .map(|(path, key, _)| (&self.paths[path.clone()], *key))
    }

    /// How many files the index holds.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// The index holds no file.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// One archive's index file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SummaryCache {
    /// Where it lives.
    pub path: PathBuf,
    /// The forced encoding it was made with (`--encoding`), if any: part of its identity.
    encoding: Option<String>,
}

/// `$XDG_CACHE_HOME/kanbao`, or `~/.cache/kanbao`.
pub fn cache_dir() -> Option<PathBuf> {
    crate::config::xdg_dir("XDG_CACHE_HOME", ".cache")
}

/// A stable 64-bit hash for file names and the checksum, FNV-style over 8-byte words with a
/// xor-shift after each multiply (std's hasher may change between Rust releases, which would
/// orphan every index). Each step is a bijection of the state, so changing any one word always
/// changes the result.
pub fn hash64(bytes: &[u8]) -> u64 {
    hash64_on(0xcbf2_9ce4_8422_2325, bytes)
}

/// [`hash64`] carried on from `hash` over `bytes`.
fn hash64_on(mut hash: u64, bytes: &[u8]) -> u64 {
    for chunk in bytes.chunks(8) {
        // Eight bytes at a time: same quality for this use, several times faster on 10 MB.
        let mut word = [0u8; 8];
        word[..chunk.len()].copy_from_slice(chunk);
        hash ^= u64::from_le_bytes(word);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        hash ^= hash >> 29;
    }
    hash
}

/// What names an archive's files in the cache: the roots it was opened as (made absolute)
/// and the forced encoding, hashed.
pub(super) fn archive_key(roots: &[PathBuf], encoding: Option<&str>) -> u64 {
    let mut key = Vec::new();
    for root in roots {
        key.extend_from_slice(root.to_string_lossy().as_bytes());
        key.push(0);
    }
    key.extend_from_slice(encoding.unwrap_or("").as_bytes());
    hash64(&key)
}

impl SummaryCache {
    /// The index of the archive opened as `roots` (the paths given, made absolute) in `dir`.
    pub fn for_roots(dir: &Path, roots: &[PathBuf], encoding: Option<&str>) -> SummaryCache {
        SummaryCache {
            path: dir.join(format!("index-{:016x}.bin", archive_key(roots, encoding))),
            encoding: encoding.map(str::to_string),
        }
    }

    /// Reads the index's table. `Ok(None)` when there is none yet; `Err` says why one was
    /// rejected.
    pub fn read(&self) -> Result<Option<Cached>, String> {
        // A regular file only (an index path that is a FIFO would block), of bounded size.
        let file = match super::files::open_regular(&self.path) {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(format!("{}: {e}", self.path.display())),
        };
        self.decode(file)
            .map(Some)
            .map_err(|reason| format!("{}: {reason}; rebuilding the index", self.path.display()))
    }

    /// Checks the file's prefix and table; the summaries stay in the file.
    fn decode(&self, file: std::fs::File) -> Result<Cached, String> {
        use std::os::unix::fs::FileExt;
        let size = file.metadata().map_err(|e| e.to_string())?.len();
        if size > MAX_INDEX_BYTES {
            return Err("too large to be an index".into());
        }
        let mut prefix = [0u8; PREFIX];
        if size < PREFIX as u64 || file.read_exact_at(&mut prefix, 0).is_err() {
            return Err("not a kanbao index".into());
        }
        if MAGIC_BEFORE.iter().any(|magic| prefix[..8] == magic[..]) {
            return Err("made by an older kanbao (an earlier format)".into());
        }
        if &prefix[..8] != MAGIC {
            return Err("not a kanbao index".into());
        }
        let word = |at: usize| {
            let mut word = [0u8; 8];
            word.copy_from_slice(&prefix[at..at + 8]);
            u64::from_le_bytes(word)
        };
        let (sum, table_len) = (word(8), word(16));
        let blobs_at = (PREFIX as u64)
            .checked_add(table_len)
            .filter(|end| *end <= size)
            .ok_or_else(|| "corrupt (table runs past the end)".to_string())?;
        let mut table_bytes = vec![0u8; table_len as usize];
        file.read_exact_at(&mut table_bytes, PREFIX as u64)
            .map_err(|e| format!("corrupt ({e})"))?;
        let mut len_word = [0u8; 8];
        len_word.copy_from_slice(&prefix[16..24]);
        if hash64_parts(&len_word, &table_bytes) != sum {
            return Err("corrupt (checksum mismatch)".into());
        }
        let (header, rest): (Header, &[u8]) =
            postcard::take_from_bytes(&table_bytes).map_err(|e| format!("corrupt ({e})"))?;
        if header.format != FORMAT || header.parser != *PARSER {
            return Err(format!(
                "made by kanbao {} (format {}), this is {} (format {FORMAT})",
                header.parser, header.format, *PARSER
            ));
        }
        if header.encoding != self.encoding {
            return Err("made with another --encoding".into());
        }
        let corrupt = |why: &str| format!("corrupt ({why})");
        let (count, rest) = rest
            .split_first_chunk::<8>()
            .ok_or_else(|| corrupt("no file count"))?;
        let records_len = usize::try_from(u64::from_le_bytes(*count))
            .ok()
            .and_then(|count| count.checked_mul(RECORD))
            .filter(|len| *len <= rest.len())
            .ok_or_else(|| corrupt("table runs past the end"))?;
        let (records, paths) = rest.split_at(records_len);
        let paths = std::str::from_utf8(paths)
            .map_err(|_| corrupt("a path is not UTF-8"))?
            .to_string();
        // The summaries follow the table back to back, as the paths do: their lengths must
        // add up to exactly what is left, so no entry points past the end of the file.
        let mut at = blobs_at;
        let mut path_at = 0usize;
        let mut files = Vec::with_capacity(records.len() / RECORD);
        for record in records.chunks_exact(RECORD) {
            let entry = Record::from_bytes(record);
            let end = at
                .checked_add(u64::from(entry.len))
                .filter(|end| *end <= size)
                .ok_or_else(|| corrupt("table runs past the end"))?;
            let path = path_at..path_at + entry.path_len as usize;
            if path.end > paths.len() {
                return Err(corrupt("a path runs past the end"));
            }
            if paths.get(path.clone()).is_none() {
                return Err(corrupt("a path is cut inside a character"));
            }
            path_at = path.end;
            files.push((
                path,
                entry.key,
                CachedAt {
                    at,
                    len: entry.len,
                    sum: entry.sum,
                },
            ));
            at = end;
        }
        if at != size || path_at != paths.len() {
            return Err(corrupt("table and summaries disagree"));
        }
        Ok(Cached {
            file: Some((file, self.path.clone())),
            paths,
            files,
            by_path: std::sync::OnceLock::new(),
        })
    }

    /// Writes `entries` (source path, key, summary) as the new index, atomically.
    pub fn write<'a>(
        &self,
        entries: impl Iterator<Item = (&'a str, FileKey, &'a IssueSummary)>,
    ) -> Result<(), String> {
        let header = Header {
            format: FORMAT,
            parser: PARSER.clone(),
            encoding: self.encoding.clone(),
        };
        let mut table = Vec::new();
        let mut summaries = Vec::new();
        for (path, key, summary) in entries {
            let before = summaries.len();
            summaries = postcard::to_extend(summary, summaries).map_err(|e| e.to_string())?;
            let len = u32::try_from(summaries.len() - before).map_err(|e| e.to_string())?;
            table.push(TableEntry {
                path: path.to_string(),
                key,
                len,
                sum: hash64(&summaries[before..]),
            });
        }
        write_atomically(&self.path, &seal(&header, &table, &summaries)?)
    }
}

/// The bytes of one file's record in the table: little-endian numbers, at fixed places.
const RECORD: usize = 56;

/// One file's record in the table, as read.
struct Record {
    key: FileKey,
    len: u32,
    sum: u64,
    path_len: u32,
}

impl Record {
    /// `entry` as its record's bytes (a time's nanoseconds `u32::MAX` for no time).
    fn bytes(entry: &TableEntry) -> Result<[u8; RECORD], String> {
        let mut out = [0u8; RECORD];
        let path_len = u32::try_from(entry.path.len()).map_err(|e| e.to_string())?;
        let (secs, nanos) = entry.key.modified.unwrap_or((0, u32::MAX));
        let fields: [&[u8]; 9] = [
            &path_len.to_le_bytes(),
            &entry.len.to_le_bytes(),
            &entry.key.size.to_le_bytes(),
            &secs.to_le_bytes(),
            &nanos.to_le_bytes(),
            &entry.key.changed.1.to_le_bytes(),
            &entry.key.inode.to_le_bytes(),
            &entry.key.changed.0.to_le_bytes(),
            &entry.sum.to_le_bytes(),
        ];
        let mut at = 0;
        for field in fields {
            out[at..at + field.len()].copy_from_slice(field);
            at += field.len();
        }
        Ok(out)
    }

    /// A record from its bytes (exactly [`RECORD`] of them).
    fn from_bytes(bytes: &[u8]) -> Record {
        let mut at = 0;
        let mut take = |n: usize| -> u64 {
            let mut word = [0u8; 8];
            word[..n].copy_from_slice(&bytes[at..at + n]);
            at += n;
            u64::from_le_bytes(word)
        };
        let (path_len, len, size) = (take(4) as u32, take(4) as u32, take(8));
        let (secs, nanos, changed_nanos) = (take(8), take(4) as u32, take(4) as u32);
        let (inode, changed_secs, sum) = (take(8), take(8) as i64, take(8));
        Record {
            key: FileKey {
                size,
                modified: (nanos != u32::MAX).then_some((secs, nanos)),
                inode,
                changed: (changed_secs, changed_nanos),
            },
            len,
            sum,
            path_len,
        }
    }
}

/// An index file's bytes: prefix, table, summaries.
fn seal(header: &Header, table: &[TableEntry], summaries: &[u8]) -> Result<Vec<u8>, String> {
    let mut table_bytes = postcard::to_stdvec(header).map_err(|e| e.to_string())?;
    table_bytes.extend_from_slice(&(table.len() as u64).to_le_bytes());
    for entry in table {
        table_bytes.extend_from_slice(&Record::bytes(entry)?);
    }
    for entry in table {
        table_bytes.extend_from_slice(entry.path.as_bytes());
    }
    let len = (table_bytes.len() as u64).to_le_bytes();
    let mut bytes = Vec::with_capacity(PREFIX + table_bytes.len() + summaries.len());
    bytes.extend_from_slice(MAGIC);
    bytes.extend_from_slice(&hash64_parts(&len, &table_bytes).to_le_bytes());
    bytes.extend_from_slice(&len);
    bytes.extend_from_slice(&table_bytes);
    bytes.extend_from_slice(summaries);
    Ok(bytes)
}

/// [`hash64`] of the word `a` followed by `b`, without joining them (one whole word first,
/// so the words of `b` fall where they would in the joined bytes).
fn hash64_parts(a: &[u8; 8], b: &[u8]) -> u64 {
    hash64_on(hash64(a), b)
}

/// The payload of a file written by [`write_framed`] with `magic`, its checksum verified.
pub(super) fn unframe<'a>(magic: &[u8; 8], bytes: &'a [u8]) -> Result<&'a [u8], String> {
    if bytes.len() < 16 || &bytes[..8] != magic {
        return Err("not a kanbao index".into());
    }
    let mut sum = [0u8; 8];
    sum.copy_from_slice(&bytes[8..16]);
    let payload = &bytes[16..];
    if u64::from_le_bytes(sum) != hash64(payload) {
        return Err("corrupt (checksum mismatch)".into());
    }
    Ok(payload)
}

/// Writes `magic`, a checksum and `payload` to `path` atomically (a temporary file renamed
/// over the old one), so a reader never sees half a file.
pub(super) fn write_framed(path: &Path, magic: &[u8; 8], payload: &[u8]) -> Result<(), String> {
    let mut bytes = Vec::with_capacity(payload.len() + 16);
    bytes.extend_from_slice(magic);
    bytes.extend_from_slice(&hash64(payload).to_le_bytes());
    bytes.extend_from_slice(payload);
    write_atomically(path, &bytes)
}

/// Writes `bytes` to `path` atomically (a temporary file renamed over the old one).
pub(super) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let failed = |e: std::io::Error| format!("{}: {e}", path.display());
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(failed)?;
    }
    let temp = path.with_extension(format!("tmp.{}", std::process::id()));
    sweep_abandoned_temps(path);
    std::fs::write(&temp, bytes).map_err(failed)?;
    std::fs::rename(&temp, path).map_err(|e| {
        let _ = std::fs::remove_file(&temp);
        failed(e)
    })
}

/// Removes what writers of `path` that died mid-write (killed, or the machine went down) left:
/// their temporary files (`NAME.tmp.PID`), each as large as the index, would otherwise stay in
/// the cache for good. A temporary file whose process still runs is another writer's, at work.
fn sweep_abandoned_temps(path: &Path) {
    let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
        return;
    };
    let Some(prefix) = Path::new(name)
        .with_extension("tmp.")
        .to_str()
        .map(str::to_string)
    else {
        return;
    };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(pid) = file_name
            .to_str()
            .and_then(|n| n.strip_prefix(&prefix))
            .and_then(|pid| pid.parse::<libc::pid_t>().ok())
            .filter(|&pid| pid > 0)
        else {
            continue;
        };
        // SAFETY: signal 0 sends nothing; it only asks whether the process exists.
        let gone = unsafe { libc::kill(pid, 0) } == -1
            && std::io::Error::last_os_error().raw_os_error() == Some(libc::ESRCH);
        if gone {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Headline;

    fn summary(title: &str) -> IssueSummary {
        IssueSummary {
            source: "a.txt".into(),
            date: Some("2025-01-02".into()),
            headlines: vec![Headline {
                title: title.into(),
                ..Headline::default()
            }],
            ..IssueSummary::default()
        }
    }

    fn index(name: &str) -> SummaryCache {
        let dir = std::env::temp_dir().join(format!("kanbao-cache-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        SummaryCache::for_roots(&dir, &[PathBuf::from("/archive")], None)
    }

    #[test]
    fn every_parser_file_keys_the_index() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/parse");
        let listed: Vec<&str> = PARSER_SOURCES
            .iter()
            .filter_map(|(name, _)| name.strip_prefix("../parse/"))
            .collect();
        for entry in std::fs::read_dir(&dir).expect("src/parse") {
            let name = entry
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .into_owned();
            // `inspect` explains a parse; it changes no summary.
            if name.ends_with(".rs") && name != "inspect.rs" {
                assert!(
                    listed.contains(&name.as_str()),
                    "{name} is not in PARSER_SOURCES"
                );
            }
        }
    }

    #[test]
    fn a_hash_in_two_parts_is_the_hash_of_them_joined() {
        let (a, b) = (*b"01234567", "一段不止八个字节的文字".as_bytes());
        assert_eq!(hash64_parts(&a, b), hash64(&[&a[..], b].concat()));
    }

    #[test]
    fn round_trip() {
        let file = index("round");
        assert!(matches!(file.read(), Ok(None)));
        let s = summary("标题");
        let key = FileKey::new(10, Some(UNIX_EPOCH + std::time::Duration::new(5, 7)));
        file.write([("a.txt", key, &s)].into_iter()).unwrap();
        let read = file.read().unwrap().unwrap();
        let (found, at) = read.find("a.txt").expect("indexed");
        assert_eq!(found, key);
        assert_eq!(read.summary(at), Ok(s));
        assert!(read.find("b.txt").is_none());
    }

    /// Every field of every record comes back as written, paths of any length and script
    /// included, times or none.
    #[test]
    fn a_table_of_many_files_reads_back_as_written() {
        let file = index("many");
        let s = summary("标题");
        let keys: Vec<(String, FileKey)> = (0..300u64)
            .map(|i| {
                let mut key = FileKey::new(
                    i * 1_000_003,
                    (i % 3 != 0).then(|| UNIX_EPOCH + std::time::Duration::new(i << 33, 999)),
                );
                key.inode = u64::MAX - i;
                key.changed = (-(i as i64), i as u32);
                (
                    format!("报纸/{}/第{i}期.txt", "子".repeat(i as usize % 7)),
                    key,
                )
            })
            .collect();
        file.write(keys.iter().map(|(path, key)| (path.as_str(), *key, &s)))
            .unwrap();
        let read = file.read().unwrap().unwrap();
        let listed: Vec<(String, FileKey)> = read
            .listing()
            .map(|(path, key)| (path.to_string(), key))
            .collect();
        assert_eq!(listed, keys);
        for (i, (path, key)) in keys.iter().enumerate() {
            let (found, at) = read.at(i, path).expect("listed in order");
            assert_eq!(found, *key);
            assert_eq!(read.summary(at).as_ref(), Ok(&s));
        }
    }

    /// A temporary file left by a writer that died is removed at the next write; one of a
    /// writer still running, and other files, are left alone.
    #[test]
    fn a_dead_writers_temporary_file_is_swept_away() {
        let file = index("sweep");
        std::fs::create_dir_all(file.path.parent().unwrap()).unwrap();
        // Above any pid_max Linux allows (2^22): no such process.
        let dead = file.path.with_extension("tmp.4194305");
        let running = file
            .path
            .with_extension(format!("tmp.{}", std::os::unix::process::parent_id()));
        let other = file.path.with_extension("tmp.notapid");
        for temp in [&dead, &running, &other] {
            std::fs::write(temp, b"half an index").unwrap();
        }
        file.write([("a.txt", FileKey::new(1, None), &summary("标题"))].into_iter())
            .unwrap();
        assert!(!dead.exists(), "the dead writer's file is gone");
        assert!(running.exists() && other.exists());
        assert!(file.read().unwrap().is_some());
        for temp in [&running, &other] {
            std::fs::remove_file(temp).unwrap();
        }
    }

    #[test]
    fn a_table_that_points_past_the_end_is_rejected_even_sealed_anew() {
        let file = index("past-end");
        let s = summary("标题");
        file.write([("a.txt", FileKey::new(1, None), &s)].into_iter())
            .unwrap();
        let header = Header {
            format: FORMAT,
            parser: PARSER.clone(),
            encoding: None,
        };
        let encoded = postcard::to_stdvec(&s).unwrap();
        for (len, why) in [
            (encoded.len() + 5, "runs past the end"),
            (encoded.len() - 1, "disagree"),
        ] {
            let table = vec![TableEntry {
                path: "a.txt".into(),
                key: FileKey::new(1, None),
                len: len as u32,
                sum: hash64(&encoded),
            }];
            // Checksums that match: only the lengths are wrong.
            std::fs::write(&file.path, seal(&header, &table, &encoded).unwrap()).unwrap();
            let err = file.read().unwrap_err();
            assert!(err.contains(why), "{err}");
        }
        // A path's length that runs past the paths, or cuts a character, sealed anew.
        let table = vec![TableEntry {
            path: "报.txt".into(),
            key: FileKey::new(1, None),
            len: encoded.len() as u32,
            sum: hash64(&encoded),
        }];
        let good = seal(&header, &table, &encoded).unwrap();
        let at = PREFIX + postcard::to_stdvec(&header).unwrap().len() + 8;
        for (path_len, why) in [
            (99u32, "past the end"),
            (1, "inside a character"),
            (3, "disagree"),
        ] {
            let mut bad = good.clone();
            bad[at..at + 4].copy_from_slice(&path_len.to_le_bytes());
            let table_bytes = &bad[PREFIX..bad.len() - encoded.len()];
            let sum = hash64_parts(&bad[16..24].try_into().unwrap(), table_bytes);
            bad[8..16].copy_from_slice(&sum.to_le_bytes());
            std::fs::write(&file.path, &bad).unwrap();
            let err = file.read().unwrap_err();
            assert!(err.contains(why), "{path_len}: {err}");
        }
    }

    #[test]
    fn any_flipped_byte_is_detected() {
        let file = index("flip");
        let s = summary("一个足够长的标题让校验覆盖更多字节");
        file.write([("a.txt", FileKey::new(1, None), &s)].into_iter())
            .unwrap();
        let good = std::fs::read(&file.path).unwrap();
        // Caught when the table is read, or when the summary is.
        let caught = |read: Result<Option<Cached>, String>| match read {
            Err(_) => true,
            Ok(None) => false,
            Ok(Some(cached)) => cached
                .find("a.txt")
                .is_none_or(|(_, at)| cached.summary(at).is_err()),
        };
        for at in 0..good.len() {
            let mut bad = good.clone();
            bad[at] ^= 0x20;
            std::fs::write(&file.path, &bad).unwrap();
            assert!(caught(file.read()), "flip at {at} went unnoticed");
        }
        std::fs::write(&file.path, &good[..good.len() / 2]).unwrap();
        assert!(file.read().unwrap_err().contains("rebuilding"));
        // An index of an earlier format says so.
        let mut old = MAGIC_BEFORE[1].to_vec();
        old.extend_from_slice(&good[8..]);
        std::fs::write(&file.path, &old).unwrap();
        assert!(file.read().unwrap_err().contains("older kanbao"));
        // Cut short after its table was read (another process writing in place): an error,
        // never a read past the end.
        std::fs::write(&file.path, &good).unwrap();
        let cached = file.read().unwrap().unwrap();
        std::fs::write(&file.path, &good[..good.len() - 3]).unwrap();
        let (_, at) = cached.find("a.txt").unwrap();
        assert!(cached.summary(at).unwrap_err().contains("out of bounds"));
    }

    #[test]
    fn another_encoding_or_root_is_another_index() {
        let dir = Path::new("/cache");
        let plain = SummaryCache::for_roots(dir, &[PathBuf::from("/a")], None);
        let gbk = SummaryCache::for_roots(dir, &[PathBuf::from("/a")], Some("GBK"));
        let other = SummaryCache::for_roots(dir, &[PathBuf::from("/b")], None);
        assert_ne!(plain.path, gbk.path);
        assert_ne!(plain.path, other.path);
    }

    #[test]
    fn an_index_made_by_another_parser_is_rejected() {
        let file = index("parser");
        let s = summary("标题");
        file.write([("a.txt", FileKey::new(1, None), &s)].into_iter())
            .unwrap();
        // The same index as another build of the parser would have written it, sealed anew.
        let header = Header {
            format: FORMAT,
            parser: format!("{}+0000000000000000", env!("CARGO_PKG_VERSION")),
            encoding: None,
        };
        let encoded = postcard::to_stdvec(&s).unwrap();
        let table = vec![TableEntry {
            path: "a.txt".into(),
            key: FileKey::new(1, None),
            len: encoded.len() as u32,
            sum: hash64(&encoded),
        }];
        std::fs::write(&file.path, seal(&header, &table, &encoded).unwrap()).unwrap();
        let err = file.read().unwrap_err();
        assert!(
            err.contains("made by kanbao") && err.contains("rebuilding"),
            "{err}"
        );
    }
}
