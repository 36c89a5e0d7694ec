//! Saving the user's articles to a file without ever losing one: the target is compared with
//! the issues being read by file identity (device and inode, so a hard link or a symlink to an
//! issue is refused as the issue itself is), only a regular file is ever replaced (a FIFO would
//! block the writer forever, a device is not a save target), and the text is written to a
//! temporary file beside the target and renamed over it, so an existing file is never truncated
//! in place and a failed write leaves it as it was.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// The identity of a file on disk: two paths name the same file when these are equal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileId {
    dev: u64,
    ino: u64,
}

impl FileId {
    /// The file `path` names (symlinks followed), if it exists.
    pub fn of(path: &Path) -> Option<FileId> {
        fs::metadata(path).ok().map(|m| FileId {
            dev: m.dev(),
            ino: m.ino(),
        })
    }
}

/// What is at a save target now.
#[derive(Debug, PartialEq, Eq)]
pub enum Target {
    /// Nothing: the file will be created.
    Free,
    /// A regular file, replaced only after the user agrees.
    Exists,
    /// Something that must not be written to (a folder, a FIFO, a device, a socket): why.
    Refused(String),
}

/// Looks at `path` without opening it (opening a FIFO would block).
pub fn target(path: &Path) -> Target {
    match fs::metadata(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Target::Free,
        Err(e) => Target::Refused(e.to_string()),
        Ok(meta) if meta.is_file() => Target::Exists,
        Ok(meta) if meta.is_dir() => Target::Refused("a folder".into()),
        Ok(_) => Target::Refused("not a regular file".into()),
    }
}

/// Writes `bytes` to `path` atomically: a temporary file in the same folder, flushed to disk,
/// renamed over the target (whose permissions it keeps). A symlink is followed, so the file it
/// points to is replaced and the link stays.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let real = match fs::canonicalize(path) {
        Ok(real) => real,
        Err(e) if e.kind() == io::ErrorKind::NotFound => path.to_path_buf(),
        Err(e) => return Err(e),
    };
    let existing_mode = fs::metadata(&real).ok().map(|m| m.permissions().mode());
    let temp = temp_beside(&real)?;
    let written = (|| {
        let mut file = open_new(&temp, existing_mode.unwrap_or(0o666))?;
        file.write_all(bytes)?;
        file.sync_all()?;
        if let Some(mode) = existing_mode {
            // The umask applied at creation: give the file the target's exact mode.
            fs::set_permissions(&temp, fs::Permissions::from_mode(mode))?;
        }
        fs::rename(&temp, &real)
    })();
    if written.is_err() {
        let _ = fs::remove_file(&temp);
    }
    written
}

fn open_new(path: &Path, mode: u32) -> io::Result<File> {
    OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(mode & 0o7777)
        .open(path)
}

/// A name for a temporary file beside `path` that does not exist yet.
fn temp_beside(path: &Path) -> io::Result<PathBuf> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "save".into());
    let pid = std::process::id();
    (0..100)
        .map(|n| dir.join(format!(".{name}.kanbao-{pid}-{n}.tmp")))
        .find(|candidate| fs::symlink_metadata(candidate).is_err())
        .ok_or_else(|| io::Error::other("no free temporary file name"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("kanbao-save-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).expect("dir");
        dir
    }

    #[test]
    fn a_hard_link_is_the_same_file() {
        let dir = scratch("link");
        let issue = dir.join("issue.txt");
        fs::write(&issue, "报").expect("write");
        fs::hard_link(&issue, dir.join("copy.txt")).expect("link");
        assert_eq!(FileId::of(&issue), FileId::of(&dir.join("copy.txt")));
        fs::write(dir.join("other.txt"), "报").expect("write");
        assert_ne!(FileId::of(&issue), FileId::of(&dir.join("other.txt")));
    }

    #[test]
    fn replacing_keeps_the_old_inode_untouched_and_the_mode() {
        let dir = scratch("replace");
        let target = dir.join("out.txt");
        fs::write(&target, "old").expect("write");
        fs::set_permissions(&target, fs::Permissions::from_mode(0o640)).expect("chmod");
        let other_name = dir.join("other-name.txt");
        fs::hard_link(&target, &other_name).expect("link");
        write_atomically(&target, "新的".as_bytes()).expect("save");
        assert_eq!(fs::read_to_string(&target).expect("read"), "新的");
        // The old file was replaced, not truncated: its other name still holds the old text.
        assert_eq!(fs::read_to_string(&other_name).expect("read"), "old");
        let mode = fs::metadata(&target).expect("meta").permissions().mode();
        assert_eq!(mode & 0o777, 0o640);
        let leftovers: Vec<_> = fs::read_dir(&dir)
            .expect("dir")
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty());
    }

    #[test]
    fn a_symlink_target_replaces_what_it_points_to() {
        let dir = scratch("symlink");
        let real = dir.join("real.txt");
        fs::write(&real, "old").expect("write");
        let link = dir.join("link.txt");
        std::os::unix::fs::symlink(&real, &link).expect("symlink");
        write_atomically(&link, b"new").expect("save");
        assert!(
            fs::symlink_metadata(&link)
                .expect("meta")
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read_to_string(&real).expect("read"), "new");
    }

    #[test]
    fn fifos_and_folders_are_refused_without_opening_them() {
        let dir = scratch("fifo");
        let fifo = dir.join("pipe");
        let c = std::ffi::CString::new(fifo.to_str().expect("utf-8")).expect("cstring");
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
        assert!(matches!(target(&fifo), Target::Refused(_)));
        assert!(matches!(target(&dir), Target::Refused(_)));
        assert_eq!(target(&dir.join("new.txt")), Target::Free);
    }
}
