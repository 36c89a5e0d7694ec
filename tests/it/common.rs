//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `sample-data/` files, sorted.
pub fn sample_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("sample-data"))
        .expect("sample-data")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    files
}

/// `../shared/` beside the repository, when present (it is in CI and development).
pub fn shared() -> Option<PathBuf> {
    let dir = root().join("..").join("shared");
    dir.is_dir().then_some(dir)
}

/// `XDG_CACHE_HOME` for every kanbao the tests run: the on-disk index never lands in the
/// user's own cache.
pub fn test_cache_home() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("xdg-cache")
}

/// `XDG_STATE_HOME` for a kanbao a test runs: a folder of its own, so no run remembers another
/// test's position or marks, and none lands in the user's own state.
pub fn fresh_state_home() -> PathBuf {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("xdg-state-{}-{n}", std::process::id()))
}

/// Runs the kanbao binary with `args` in `dir`.
pub fn kanbao(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kanbao"))
        .env("XDG_CACHE_HOME", test_cache_home())
        .env("XDG_STATE_HOME", crate::common::fresh_state_home())
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run kanbao")
}

/// Runs kanbao with `stdin` as standard input.
pub fn kanbao_stdin(args: &[&str], stdin: &[u8]) -> Output {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_kanbao"))
        .env("XDG_CACHE_HOME", test_cache_home())
        .env("XDG_STATE_HOME", crate::common::fresh_state_home())
        .args(args)
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn kanbao");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin)
        .expect("write stdin");
    child.wait_with_output().expect("wait")
}

/// A fresh empty folder under the target directory.
pub fn scratch(name: &str) -> PathBuf {
    let dir =
        PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

/// Cases for a property test: `default`, or more when `PROPTEST_CASES` asks (`.ci/run`'s longer
/// fuzzing run).
pub fn fuzz_cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .map_or(default, |asked: u32| asked.max(default))
}
