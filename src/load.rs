//! Files and folders → an [`Archive`]. Paths are files, folders (searched recursively for `.txt`
//! and `.md`) or `-` for standard input. A path that does not exist is a usage error the caller
//! reports; a file that exists but cannot be read or decoded becomes a [`LoadFailure`] and the
//! rest of the archive still loads. Source files are only ever opened for reading.

use std::collections::HashSet;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use encoding_rs::Encoding;

use crate::model::{Archive, Issue, LoadFailure};
use crate::parse::parse_issue;

/// The sample issues built into the binary, opened when kanbao is started with no path.
pub const BUILTIN_SAMPLES: &[(&str, &str)] = &[
    (
        "000_29319c79bb470c97.txt",
        include_str!("../sample-data/000_29319c79bb470c97.txt"),
    ),
    (
        "001_84d0d68a418f73b1.txt",
        include_str!("../sample-data/001_84d0d68a418f73b1.txt"),
    ),
    (
        "002_a00776a20fa094f5.txt",
        include_str!("../sample-data/002_a00776a20fa094f5.txt"),
    ),
    (
        "003_8de9c7c95064a8e7.txt",
        include_str!("../sample-data/003_8de9c7c95064a8e7.txt"),
    ),
    (
        "004_e8093578dd25d79e.txt",
        include_str!("../sample-data/004_e8093578dd25d79e.txt"),
    ),
];

/// The outcome of loading: the archive, and the paths the user named that do not exist.
#[derive(Debug, Default)]
pub struct Loaded {
    /// Issues that loaded, and files that were found but failed.
    pub archive: Archive,
    /// Paths given on the command line that could not be opened at all.
    pub missing: Vec<LoadFailure>,
}

impl Loaded {
    /// The exit status a scripting command should end with: 0 when everything loaded, 2 when a
    /// named path is missing or nothing could be read, 1 when some files failed ("partial").
    pub fn exit_status(&self) -> i32 {
        exit_status(
            !self.missing.is_empty(),
            self.archive.issues.len(),
            self.archive.failures.len(),
        )
    }

    /// Every problem, named by path, one per line, for standard error.
    pub fn problems(&self) -> impl Iterator<Item = String> + '_ {
        self.missing
            .iter()
            .chain(&self.archive.failures)
            .map(|f| format!("kanbao: {}: {}", f.source, f.reason))
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

/// The archive of the sample issues built into the binary.
pub fn builtin_archive() -> Archive {
    Archive {
        issues: BUILTIN_SAMPLES
            .iter()
            .map(|(name, text)| parse_issue(&format!("(built-in)/{name}"), text))
            .collect(),
        failures: Vec::new(),
    }
}

/// Loads every path in order. Folders are read recursively, their files sorted by path.
/// `encoding` forces one encoding for every file (`--encoding`).
pub fn load_paths(paths: &[String], encoding: Option<&'static Encoding>) -> Loaded {
    let mut loaded = Loaded::default();
    for path in paths {
        if path == "-" {
            match read_stdin() {
                Ok(bytes) => add_file(&mut loaded.archive, "-", &bytes, encoding),
                Err(failure) => loaded.missing.push(failure),
            }
            continue;
        }
        match collect_files(Path::new(path)) {
            Ok((files, failures)) => {
                loaded.archive.failures.extend(failures);
                for file in files {
                    let source = file.source();
                    match read_issue(&file.path, encoding) {
                        Ok(issue) => loaded.archive.issues.push(issue),
                        Err(reason) => loaded.archive.failures.push(LoadFailure { source, reason }),
                    }
                }
            }
            Err(reason) => loaded.missing.push(LoadFailure {
                source: path.clone(),
                reason,
            }),
        }
    }
    loaded
}

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

/// A line longer than this means the file is not a newspaper issue (a minified or binary blob).
pub const MAX_LINE_BYTES: usize = 1024 * 1024;

/// Decodes and parses one file's bytes, or records why it cannot be read.
fn add_file(archive: &mut Archive, source: &str, bytes: &[u8], forced: Option<&'static Encoding>) {
    match parse_bytes(source, bytes, forced) {
        Ok(issue) => archive.issues.push(issue),
        Err(reason) => archive.failures.push(LoadFailure {
            source: source.to_string(),
            reason,
        }),
    }
}

/// Bytes → decoded, parsed issue (its encoding recorded), or why they are not an issue.
pub fn parse_bytes(
    source: &str,
    bytes: &[u8],
    forced: Option<&'static Encoding>,
) -> Result<Issue, String> {
    let decoded = decode(bytes, forced)?;
    let mut issue = parse_issue(source, &decoded.text);
    issue.encoding = match decoded.invalid_bytes {
        0 => decoded.encoding.to_string(),
        1 => format!("{}, 1 invalid byte shown as �", decoded.encoding),
        n => format!("{}, {n} invalid bytes shown as �", decoded.encoding),
    };
    Ok(issue)
}

/// Reads (only reads) the file at `path`, decodes and parses it.
/// Its source name is the path made text (a name that is not UTF-8 shows `�` for the odd bytes).
pub fn read_issue(path: &Path, forced: Option<&'static Encoding>) -> Result<Issue, String> {
    let bytes = read_limited(path).map_err(|e| describe_io_error(&e))?;
    parse_bytes(&path.to_string_lossy(), &bytes, forced)
}

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
    fn new(path: PathBuf, meta: &fs::Metadata) -> FoundFile {
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

/// Text decoded from a file, and the encoding it was in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text.
    pub text: String,
    /// The encoding's name (`UTF-8`, `GB18030`, `Big5`, `UTF-16LE` …).
    pub encoding: &'static str,
    /// Bytes that were not valid in it, each shown as U+FFFD (a UTF-8 file with stray bytes).
    pub invalid_bytes: usize,
}

/// Looks up an encoding by a label users type (`gbk`, `gb18030`, `big5`, `utf-16le` …).
pub fn encoding_for_label(label: &str) -> Result<&'static Encoding, String> {
    Encoding::for_label(label.trim().as_bytes()).ok_or_else(|| {
        format!("unknown encoding {label:?} (try utf-8, gb18030, gbk, big5, utf-16le, utf-16be, shift_jis, euc-kr)")
    })
}

/// Bytes → text. A BOM decides (UTF-8, UTF-16); otherwise valid UTF-8 is UTF-8 and anything else
/// is detected (GB18030/GBK, Big5, …) with chardetng; `forced` overrides all of that. Empty,
/// blank and binary files and ones with absurdly long lines are refused with a reason.
pub fn decode(bytes: &[u8], forced: Option<&'static Encoding>) -> Result<Decoded, String> {
    if bytes.is_empty() {
        return Err("empty file".into());
    }
    let bom = Encoding::for_bom(bytes);
    let is_utf16 = |e: &'static Encoding| e == encoding_rs::UTF_16LE || e == encoding_rs::UTF_16BE;
    // Most files are UTF-8 without a BOM: validate once and keep the result.
    let plain_utf8 = match (forced, bom) {
        // SIMD validation: std's is byte-at-a-time for CJK and was a sixth of the parse time.
        (None, None) | (Some(_), None) => simdutf8::basic::from_utf8(bytes).ok(),
        _ => None,
    };
    // A file that is UTF-8 but for a few stray bytes is UTF-8 with those bytes shown as U+FFFD,
    // not a legacy encoding that would garble all of it.
    let invalid = match (forced, bom, plain_utf8) {
        (None, None, None) => mostly_utf8(bytes),
        _ => None,
    };
    let encoding = match (forced, bom) {
        (Some(forced), _) => forced,
        (None, Some((from_bom, _))) => from_bom,
        (None, None) if plain_utf8.is_some() || invalid.is_some() => encoding_rs::UTF_8,
        (None, None) => {
            // ISO-2022-JP is escape-sequence based: not something to guess for newspaper text.
            let mut detector =
                chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
            detector.feed(bytes, true);
            detector.guess(None, chardetng::Utf8Detection::Allow)
        }
    };
    if !is_utf16(encoding)
        && let Some(at) = bytes.iter().position(|b| *b == 0)
    {
        return Err(format!(
            "binary file (NUL byte at offset {at}), not an issue"
        ));
    }
    let body = match bom {
        Some((from_bom, len)) if from_bom == encoding => &bytes[len..],
        _ => bytes,
    };
    // UTF-8 was validated above: copy it rather than decode (and validate) it again.
    let text: String = match plain_utf8 {
        Some(valid) if encoding == encoding_rs::UTF_8 => valid.to_owned(),
        _ => encoding.decode_without_bom_handling(body).0.into_owned(),
    };
    if text.trim().is_empty() {
        return Err("no text (only whitespace)".into());
    }
    // Lines as the parser splits them: a CR-only file (old Mac exports) has short lines too.
    if let Some(longest) = text
        .split(['\n', '\r'])
        .map(str::len)
        .max()
        .filter(|n| *n > MAX_LINE_BYTES)
    {
        return Err(format!(
            "a line of {} KB with no line break: not a newspaper issue",
            longest / 1024
        ));
    }
    Ok(Decoded {
        text,
        encoding: encoding.name(),
        invalid_bytes: invalid.unwrap_or(0),
    })
}

/// When `bytes` are UTF-8 apart from a few invalid bytes, how many: at least twenty valid
/// non-ASCII bytes for each invalid one. A legacy encoding (GBK, Big5, EUC-KR, Shift_JIS) is
/// almost never valid UTF-8 beyond a stray pair, so its files fail this and go to detection.
fn mostly_utf8(bytes: &[u8]) -> Option<usize> {
    let (mut valid_non_ascii, mut invalid) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        valid_non_ascii += chunk.valid().bytes().filter(|b| !b.is_ascii()).count();
        invalid += chunk.invalid().len();
    }
    (invalid > 0 && valid_non_ascii >= 20 * invalid).then_some(invalid)
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
fn read_limited(path: &Path) -> std::io::Result<Vec<u8>> {
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
    walk(path, &mut files, &mut failures, &mut seen);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok((files, failures))
}

fn walk(
    dir: &Path,
    files: &mut Vec<FoundFile>,
    failures: &mut Vec<LoadFailure>,
    seen: &mut HashSet<PathBuf>,
) {
    // Following a symlink back into a folder already read would loop forever.
    let canonical = fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    if !seen.insert(canonical) {
        return;
    }
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            failures.push(LoadFailure {
                source: dir.to_string_lossy().into_owned(),
                reason: describe_io_error(&e),
            });
            return;
        }
    };
    // The kind from the folder listing itself (d_type) needs no permission on the entry, so
    // an entry whose metadata cannot be read can still be told to be a folder.
    let mut entries: Vec<(PathBuf, bool)> = entries
        .filter_map(|e| e.ok())
        .map(|e| (e.path(), e.file_type().is_ok_and(|t| t.is_dir())))
        .collect();
    entries.sort();
    for (entry, listed_as_dir) in entries {
        match fs::metadata(&entry) {
            Ok(meta) if meta.is_dir() => walk(&entry, files, failures, seen),
            Ok(meta) if meta.is_file() && is_issue_file(&entry) => {
                files.push(FoundFile::new(entry, &meta))
            }
            // A FIFO, device or socket with an issue's name: named, never opened.
            Ok(meta) if is_issue_file(&entry) && !meta.is_file() => failures.push(LoadFailure {
                source: entry.to_string_lossy().into_owned(),
                reason: "not a regular file (a FIFO, device or socket)".into(),
            }),
            Ok(_) => {}
            // An issue file or folder that cannot be looked at (a folder without its x bit):
            // named, so nothing is skipped silently.
            Err(e) if is_issue_file(&entry) || listed_as_dir => failures.push(LoadFailure {
                source: entry.to_string_lossy().into_owned(),
                reason: describe_io_error(&e),
            }),
            Err(_) => {}
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

    #[test]
    fn cr_only_line_breaks_are_line_breaks() {
        let line = "加快制造业数字化转型提质提速提效。".repeat(20);
        let text = std::iter::repeat_n(line.as_str(), 3000)
            .collect::<Vec<_>>()
            .join("\r");
        assert!(text.len() > MAX_LINE_BYTES);
        assert!(decode(text.as_bytes(), None).is_ok());
        assert!(decode(text.replace('\r', "").as_bytes(), None).is_err());
    }

    #[test]
    fn nul_bytes_mean_binary() {
        let err = decode(b"abc\0def", None).unwrap_err();
        assert!(err.contains("binary"), "{err}");
    }

    #[test]
    fn empty_and_blank_files_are_refused() {
        assert_eq!(decode(b"", None).unwrap_err(), "empty file");
        assert!(
            decode(b" \n\t\r\n\xe3\x80\x80\n", None)
                .unwrap_err()
                .contains("only whitespace")
        );
    }

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(decode("标题".as_bytes(), None).unwrap().encoding, "UTF-8");
        let with_bom = decode(b"\xef\xbb\xbf\xe6\xa0\x87", None).unwrap();
        assert_eq!((with_bom.text.as_str(), with_bom.encoding), ("标", "UTF-8"));
    }

    #[test]
    fn gb18030_and_big5_are_detected() {
        let text = "本报讯 记者从市政府获悉，今年全市经济运行总体平稳，工业生产稳中有进，消费市场持续回暖。";
        let (gb, _, _) = encoding_rs::GB18030.encode(text);
        let decoded = decode(&gb, None).unwrap();
        assert_eq!(decoded.text, text);
        assert!(
            decoded.encoding == "GBK" || decoded.encoding == "gb18030",
            "{}",
            decoded.encoding
        );
        let traditional = "本報訊 記者從市政府獲悉，今年全市經濟運行總體平穩，工業生產穩中有進，消費市場持續回暖。";
        let (big5, _, _) = encoding_rs::BIG5.encode(traditional);
        let decoded = decode(&big5, None).unwrap();
        assert_eq!(
            (decoded.text.as_str(), decoded.encoding),
            (traditional, "Big5")
        );
    }

    #[test]
    fn utf16_with_bom_is_not_binary() {
        let mut bytes = vec![0xff, 0xfe];
        for unit in "报纸\n".encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        let decoded = decode(&bytes, None).unwrap();
        assert_eq!(
            (decoded.text.as_str(), decoded.encoding),
            ("报纸\n", "UTF-16LE")
        );
    }

    #[test]
    fn a_forced_encoding_wins() {
        let (gb, _, _) = encoding_rs::GB18030.encode("看报");
        let forced = encoding_for_label("gb18030").unwrap();
        assert_eq!(decode(&gb, Some(forced)).unwrap().text, "看报");
        assert!(
            encoding_for_label("klingon")
                .unwrap_err()
                .contains("unknown encoding")
        );
    }

    #[test]
    fn an_endless_line_is_not_an_issue() {
        let line = "字".repeat(MAX_LINE_BYTES / 3 + 10);
        assert!(
            decode(line.as_bytes(), None)
                .unwrap_err()
                .contains("no line break")
        );
    }

    #[test]
    fn builtin_samples_parse() {
        let archive = builtin_archive();
        assert_eq!(archive.issues.len(), BUILTIN_SAMPLES.len());
        assert!(archive.issues.iter().all(|i| !i.articles.is_empty()));
    }
}
