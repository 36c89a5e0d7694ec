//! Attacks found on purpose (crashes, data loss, escapes, hangs): each case here failed once.
//! Fixtures are generated, never committed.

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use crate::common::{kanbao, root, scratch, test_cache_home};

fn sample_text() -> String {
    std::fs::read_to_string(root().join("sample-data/002_a00776a20fa094f5.txt")).expect("sample")
}

/// A folder holding one good issue and files named to attack a terminal (each one empty, so
/// every one of them is reported on stderr).
fn hostile_names(name: &str) -> (PathBuf, Vec<PathBuf>) {
    let dir = scratch(name);
    std::fs::write(dir.join("good.txt"), sample_text()).expect("write");
    let names: [&[u8]; 4] = [
        b"\x1b]2;pwn\x07.txt",
        b"\x1b]52;c;aGVsbG8=\x07.txt",
        b"\x1b[2J\x1b[?1049l.txt",
        b"\x9b31m.txt",
    ];
    let bad = names
        .iter()
        .map(|n| {
            let path = dir.join(OsStr::from_bytes(n));
            std::fs::write(&path, b"").expect("write");
            path
        })
        .collect();
    (dir, bad)
}

fn no_control_bytes(what: &str, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    assert!(
        !text
            .chars()
            .any(|c| (c.is_control() && c != '\n') || c == '\u{9b}'),
        "{what} carries control characters: {text:?}"
    );
}

#[test]
fn file_names_reach_stderr_sanitised_in_every_subcommand() {
    let (dir, bad) = hostile_names("hostile-names");
    let d = dir.to_str().expect("path");
    for args in [
        vec!["list", "--no-index", d],
        vec!["headlines", "--no-index", d],
        vec!["export", d],
        vec!["find", "--no-index", "发展", d],
    ] {
        let out = kanbao(&args, &root());
        assert_eq!(out.status.code(), Some(1), "{args:?}: partial");
        no_control_bytes(&format!("{args:?} stderr"), &out.stderr);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            err.matches("empty file").count(),
            bad.len(),
            "{args:?}: every bad file named: {err}"
        );
        assert!(err.contains("␛"), "{args:?}: the escape is shown: {err}");
    }
    let out = Command::new(env!("CARGO_BIN_EXE_kanbao"))
        .env("XDG_CACHE_HOME", test_cache_home())
        .arg("cat")
        .arg(&bad[0])
        .args(["--article", "1"])
        .output()
        .expect("run");
    assert_ne!(out.status.code(), Some(0));
    no_control_bytes("cat stderr", &out.stderr);
}

#[test]
fn a_closed_stderr_is_not_a_crash() {
    let (dir, _) = hostile_names("closed-stderr");
    let mut child = Command::new(env!("CARGO_BIN_EXE_kanbao"))
        .env("XDG_CACHE_HOME", test_cache_home())
        .args(["list", "--no-index"])
        .arg(&dir)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    // Close the read end before kanbao writes: every write to stderr fails with EPIPE.
    drop(child.stderr.take());
    let status = child.wait().expect("wait");
    assert_eq!(status.code(), Some(1), "a partial load, reported as such");
}

#[test]
fn a_file_name_that_is_not_utf8_is_read() {
    let dir = scratch("latin1-name");
    std::fs::write(dir.join(OsStr::from_bytes(b"caf\xe9.txt")), sample_text()).expect("write");
    let out = kanbao(
        &["list", "--no-index", dir.to_str().expect("path")],
        &root(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let listed = String::from_utf8_lossy(&out.stdout);
    assert!(listed.contains("caf\u{fffd}.txt"), "{listed}");
    let headlines = kanbao(
        &["headlines", "--no-index", dir.to_str().expect("path")],
        &root(),
    );
    assert!(headlines.status.success());
    assert!(String::from_utf8_lossy(&headlines.stdout).lines().count() > 3);
}
