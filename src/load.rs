//! Files and folders → an [`Archive`]. Paths are files, folders (searched recursively for `.txt`
//! and `.md`) or `-` for standard input. A path that does not exist is a usage error the caller
//! reports; a file that exists but cannot be read or decoded becomes a [`LoadFailure`] and the
//! rest of the archive still loads. Source files are only ever opened for reading.

use std::collections::HashSet;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::model::{Archive, LoadFailure};
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
        if !self.missing.is_empty()
            || (self.archive.issues.is_empty() && !self.archive.failures.is_empty())
        {
            2
        } else if !self.archive.failures.is_empty() {
            1
        } else {
            0
        }
    }

    /// Every problem, named by path, one per line, for standard error.
    pub fn problems(&self) -> impl Iterator<Item = String> + '_ {
        self.missing
            .iter()
            .chain(&self.archive.failures)
            .map(|f| format!("kanbao: {}: {}", f.source, f.reason))
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
pub fn load_paths(paths: &[String]) -> Loaded {
    let mut loaded = Loaded::default();
    for path in paths {
        if path == "-" {
            let mut bytes = Vec::new();
            match std::io::stdin().lock().read_to_end(&mut bytes) {
                Ok(_) => add_file(&mut loaded.archive, "-", &bytes),
                Err(e) => loaded.missing.push(LoadFailure {
                    source: "-".into(),
                    reason: format!("cannot read standard input: {e}"),
                }),
            }
            continue;
        }
        match collect_files(Path::new(path)) {
            Ok((files, failures)) => {
                loaded.archive.failures.extend(failures);
                for file in files {
                    let source = file.to_string_lossy().into_owned();
                    match fs::read(&file) {
                        Ok(bytes) => add_file(&mut loaded.archive, &source, &bytes),
                        Err(e) => loaded.archive.failures.push(LoadFailure {
                            source,
                            reason: describe_io_error(&e),
                        }),
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

/// Decodes and parses one file's bytes, or records why it cannot be read.
fn add_file(archive: &mut Archive, source: &str, bytes: &[u8]) {
    match decode(bytes) {
        Ok(text) => archive.issues.push(parse_issue(source, &text)),
        Err(reason) => archive.failures.push(LoadFailure {
            source: source.to_string(),
            reason,
        }),
    }
}

/// Bytes → text. UTF-8 (a BOM is dropped by the parser); a file with NUL bytes is binary.
pub fn decode(bytes: &[u8]) -> Result<String, String> {
    if let Some(at) = bytes.iter().position(|b| *b == 0) {
        return Err(format!(
            "binary file (NUL byte at offset {at}), not an issue"
        ));
    }
    String::from_utf8(bytes.to_vec()).map_err(|e| {
        format!(
            "not valid UTF-8 (first bad byte at offset {})",
            e.utf8_error().valid_up_to()
        )
    })
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
pub fn collect_files(path: &Path) -> Result<(Vec<PathBuf>, Vec<LoadFailure>), String> {
    let meta = fs::metadata(path).map_err(|e| describe_io_error(&e))?;
    if meta.is_file() {
        return Ok((vec![path.to_path_buf()], Vec::new()));
    }
    if !meta.is_dir() {
        return Err("not a regular file or folder".into());
    }
    let mut files = Vec::new();
    let mut failures = Vec::new();
    let mut seen = HashSet::new();
    walk(path, &mut files, &mut failures, &mut seen);
    files.sort();
    Ok((files, failures))
}

fn walk(
    dir: &Path,
    files: &mut Vec<PathBuf>,
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
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for entry in entries {
        match fs::metadata(&entry) {
            Ok(meta) if meta.is_dir() => walk(&entry, files, failures, seen),
            Ok(meta) if meta.is_file() && is_issue_file(&entry) => files.push(entry),
            Ok(_) => {}
            Err(e) if is_issue_file(&entry) => failures.push(LoadFailure {
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
    fn nul_bytes_mean_binary() {
        let err = decode(b"abc\0def").unwrap_err();
        assert!(err.contains("binary"), "{err}");
    }

    #[test]
    fn invalid_utf8_names_the_offset() {
        let err = decode(b"ab\xffcd").unwrap_err();
        assert!(err.contains("offset 2"), "{err}");
    }

    #[test]
    fn builtin_samples_parse() {
        let archive = builtin_archive();
        assert_eq!(archive.issues.len(), BUILTIN_SAMPLES.len());
        assert!(archive.issues.iter().all(|i| !i.articles.is_empty()));
    }
}
