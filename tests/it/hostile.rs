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
        .env("XDG_STATE_HOME", crate::common::fresh_state_home())
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
        .env("XDG_STATE_HOME", crate::common::fresh_state_home())
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

/// Runs kanbao with `args` and `XDG_CACHE_HOME=cache`, killing it (and failing) if it has not
/// ended within 20 s: a hang is the defect these tests look for.
fn kanbao_or_hang(args: &[&std::ffi::OsStr], cache: &std::path::Path) -> std::process::Output {
    let child = Command::new(env!("CARGO_BIN_EXE_kanbao"))
        .env("XDG_CACHE_HOME", cache)
        .env("XDG_STATE_HOME", crate::common::fresh_state_home())
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let pid = child.id();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    match rx.recv_timeout(std::time::Duration::from_secs(20)) {
        Ok(out) => out.expect("wait"),
        Err(_) => {
            let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
            panic!("kanbao {args:?} hung");
        }
    }
}

fn mkfifo(path: &std::path::Path) {
    let status = Command::new("mkfifo").arg(path).status().expect("mkfifo");
    assert!(status.success());
}

#[test]
fn fifos_and_devices_in_a_folder_are_named_and_never_opened() {
    let dir = scratch("fifo-folder");
    std::fs::write(dir.join("good.txt"), sample_text()).expect("write");
    mkfifo(&dir.join("pipe.txt"));
    std::os::unix::fs::symlink("/dev/zero", dir.join("zero.txt")).expect("symlink");
    let cache = scratch("fifo-folder-cache");
    let out = kanbao_or_hang(&[OsStr::new("list"), dir.as_os_str()], &cache);
    assert_eq!(
        out.status.code(),
        Some(1),
        "partial: two files are not issues"
    );
    let err = String::from_utf8_lossy(&out.stderr);
    for name in ["pipe.txt", "zero.txt"] {
        assert!(
            err.lines()
                .any(|l| l.contains(name) && l.contains("not a regular file")),
            "{name} is named: {err}"
        );
    }
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 1);
}

#[test]
fn an_index_that_is_a_fifo_or_an_endless_device_is_rejected() {
    let dir = scratch("fifo-index");
    std::fs::write(dir.join("good.txt"), sample_text()).expect("write");
    let cache = scratch("fifo-index-cache");
    let args = [OsStr::new("list"), dir.as_os_str()];
    let first = kanbao_or_hang(&args, &cache);
    assert!(first.status.success());
    // The headline index and the learned layout beside it.
    let kept: Vec<std::path::PathBuf> = std::fs::read_dir(cache.join("kanbao"))
        .expect("cache dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "bin"))
        .collect();
    assert_eq!(kept.len(), 2, "an index and a learned layout: {kept:?}");
    for index in &kept {
        for replace in [
            |p: &std::path::Path| mkfifo(p),
            |p: &std::path::Path| std::os::unix::fs::symlink("/dev/zero", p).expect("symlink"),
        ] {
            let _ = std::fs::remove_file(index);
            replace(index);
            let out = kanbao_or_hang(&args, &cache);
            assert_eq!(
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&first.stdout),
                "the archive is still listed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
}

/// The corpus file `name` from `../shared/corpus/`, when the shared folder is there.
fn corpus(name: &str) -> Option<String> {
    let dir = crate::common::shared()?.join("corpus");
    std::fs::read_to_string(dir.join(name)).ok()
}

#[test]
fn a_few_stray_bytes_leave_utf8_as_utf8() {
    let mut texts = vec![sample_text()];
    texts.extend(corpus("ko_wikinews_2009-2010_excerpt.txt"));
    texts.extend(corpus("ja_soumu_koho_2024-11_ocr.md"));
    for text in texts {
        for stray in [&b"\xff"[..], b"\xc3", b"\x80\x80", b"\xe4\xb8"] {
            let mut bytes = text.clone().into_bytes();
            // In the middle, on a character boundary.
            let mut at = bytes.len() / 2;
            while !text.is_char_boundary(at) {
                at += 1;
            }
            bytes.splice(at..at, stray.iter().copied());
            let decoded = kanbao::library::decode::decode(&bytes, None).expect("decodes");
            assert_eq!(decoded.encoding, "UTF-8", "{stray:?}");
            assert!(decoded.invalid_bytes >= 1);
            assert!(decoded.text.contains('\u{fffd}'));
            let (head, tail) = text.split_at(at);
            assert!(
                decoded.text.starts_with(head) && decoded.text.ends_with(tail),
                "the rest is untouched"
            );
        }
    }
    // The count reaches the raw view's title through the issue.
    let mut bytes = sample_text().into_bytes();
    bytes.insert(0, 0xff);
    let issue = kanbao::library::decode::parse_bytes("stray.txt", &bytes, None).expect("parses");
    assert_eq!(issue.encoding, "UTF-8, 1 invalid byte shown as �");
}

#[test]
fn legacy_encodings_are_detected_for_chinese_korean_and_japanese() {
    let mut cases = vec![(sample_text(), encoding_rs::GBK, "GBK")];
    cases.push((sample_text(), encoding_rs::BIG5, "Big5"));
    if let Some(ko) = corpus("ko_wikinews_2009-2010_excerpt.txt") {
        cases.push((ko, encoding_rs::EUC_KR, "EUC-KR"));
    }
    if let Some(ja) = corpus("ja_soumu_koho_2024-11_ocr.md") {
        cases.push((ja.clone(), encoding_rs::SHIFT_JIS, "Shift_JIS"));
        cases.push((ja, encoding_rs::EUC_JP, "EUC-JP"));
    }
    for (text, encoding, name) in cases {
        let (bytes, _, _) = encoding.encode(&text);
        let decoded = kanbao::library::decode::decode(&bytes, None).expect("decodes");
        // GBK text is read as its superset GB18030 by some detectors: both are right.
        let same = decoded.encoding == name || (name == "GBK" && decoded.encoding == "gb18030");
        assert!(same, "{name} detected as {}", decoded.encoding);
        assert_eq!(decoded.invalid_bytes, 0);
    }
}

#[test]
fn a_file_that_fails_after_loading_is_listed_by_the_problems_key() {
    use kanbao::app::App;
    use kanbao::keymap::{Key, load_base};
    let dir = scratch("fails-late");
    std::fs::write(dir.join("a.txt"), sample_text()).expect("write");
    std::fs::write(dir.join("b.txt"), sample_text()).expect("write");
    let mut library = kanbao::library::Library::open(
        &[dir.to_string_lossy().into_owned()],
        &kanbao::library::Options::default(),
    );
    library.finish();
    let mut app = App::new(
        library,
        load_base("vim").expect("vim"),
        kanbao::text::AmbiguousWidth::Narrow,
    );
    app.after_loading();
    let press = |app: &mut App, k: &str| app.handle_key(Key::parse(k).expect("key"));
    press(&mut app, "E");
    assert_eq!(app.message.as_deref(), Some("every file was read"));
    // The second issue vanishes, then is opened: it is now a problem, and `E` says so.
    std::fs::remove_file(dir.join("b.txt")).expect("remove");
    press(&mut app, "j");
    press(&mut app, "l");
    press(&mut app, "E");
    assert_ne!(app.message.as_deref(), Some("every file was read"));
    let output = app.output().expect("the problems list");
    assert!(
        output.lines.iter().any(|l| l.contains("b.txt")),
        "{:?}",
        output.lines
    );
}

#[test]
fn a_closed_stdout_is_an_error_not_lost_output() {
    for args in [
        "export sample-data",
        "cat sample-data/002_a00776a20fa094f5.txt --article 1",
    ] {
        let out = Command::new("sh")
            .arg("-c")
            .arg(format!("'{}' {args} >&-", env!("CARGO_BIN_EXE_kanbao")))
            .env("XDG_CACHE_HOME", test_cache_home())
            .env("XDG_STATE_HOME", crate::common::fresh_state_home())
            .current_dir(root())
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(2), "{args}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("standard output: it is closed"),
            "{args}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn a_read_write_dev_null_stdout_is_not_a_closed_one() {
    // What Python's subprocess.DEVNULL hands a child: /dev/null opened read-write.
    let null = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/null")
        .expect("open /dev/null");
    let out = Command::new(env!("CARGO_BIN_EXE_kanbao"))
        .args(["export", "sample-data"])
        .env("XDG_CACHE_HOME", test_cache_home())
        .env("XDG_STATE_HOME", crate::common::fresh_state_home())
        .current_dir(root())
        .stdout(null)
        .stderr(std::process::Stdio::piped())
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_relative_xdg_cache_home_is_ignored() {
    let dir = scratch("relative-xdg");
    std::fs::write(dir.join("a.txt"), sample_text()).expect("write");
    let out = Command::new(env!("CARGO_BIN_EXE_kanbao"))
        .env("XDG_CACHE_HOME", "relative-cache")
        .env("XDG_STATE_HOME", crate::common::fresh_state_home())
        .env("HOME", &dir)
        .args(["list", "a.txt"])
        .current_dir(&dir)
        .output()
        .expect("run");
    assert!(out.status.success());
    assert!(
        !dir.join("relative-cache").exists(),
        "the relative path was used"
    );
    assert!(
        dir.join(".cache/kanbao").is_dir(),
        "the default was used instead"
    );
}

#[test]
fn stdin_from_dev_null_is_not_an_issue_to_read() {
    let config = scratch("devnull-config");
    let config = config.to_str().expect("path");
    let t = crate::tmux::Tmux::start("< /dev/null", 100, 24, &[("XDG_CONFIG_HOME", config)]);
    // With no path and nothing piped in: the built-in samples, not "nothing to read in -".
    t.wait_text("Issues 5");
    t.keys(&["q"]);
    assert_eq!(t.wait_exit(), 0);
}

#[test]
fn a_file_restored_with_its_old_size_and_mtime_is_not_read_from_a_stale_index() {
    let dir = scratch("stale-index");
    let cache = scratch("stale-index-cache");
    let path = dir.join("issue.txt");
    let old = sample_text();
    // The same length in bytes, another headline: swap two three-byte characters of the first.
    let new = old.replacen("张百顺", "顺百张", 1);
    assert_eq!(new.len(), old.len());
    assert_ne!(new, old);
    std::fs::write(&path, &old).expect("write");
    let headlines = |cache: &std::path::Path| {
        let out = kanbao_or_hang(&[OsStr::new("headlines"), path.as_os_str()], cache);
        assert!(out.status.success());
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let first = headlines(&cache);
    assert!(first.contains("张百顺来我区"), "{first}");
    // Replace it as `cp -p` or `rsync -t` would: new content, the old size and mtime.
    let mtime = std::fs::metadata(&path)
        .expect("meta")
        .modified()
        .expect("mtime");
    let copy = dir.join("copy.tmp");
    std::fs::write(&copy, &new).expect("write");
    std::fs::rename(&copy, &path).expect("rename");
    std::fs::File::options()
        .write(true)
        .open(&path)
        .expect("open")
        .set_modified(mtime)
        .expect("set mtime");
    let second = headlines(&cache);
    assert_eq!(second, headlines(scratch("stale-index-fresh").as_path()));
    assert_ne!(second, first, "the stale index was trusted");
}

#[test]
fn emoji_sequences_flags_and_unassigned_code_points_keep_the_borders_in_place() {
    let dir = scratch("emoji");
    let tricky = "家庭👨\u{200d}👩\u{200d}👧合影，点赞👍\u{1f3fc}，爱心❤\u{fe0f}，国旗🇨🇳🇯🇵，\
                  未分配\u{0378}\u{e000}字，异体葛\u{e0100}字。";
    let mut text = String::from("标题甲表情符号\n\n");
    for _ in 0..12 {
        text.push_str(&format!("　　{tricky}\n"));
    }
    std::fs::write(dir.join("a.txt"), &text).expect("write");
    std::fs::write(
        dir.join("b.txt"),
        "标题乙平常文字\n\n　　这是一篇平常的文章，只有中文字符。\n",
    )
    .expect("write");
    let t = crate::tmux::Tmux::start(&format!("'{}'", dir.display()), 100, 24, &[]);
    t.wait_text("Issues 2");
    t.keys(&["l", "Enter"]);
    let s = t.wait_stable("国旗");
    crate::tmux::assert_aligned(&s, 100, kanbao::text::AmbiguousWidth::Narrow, '│');
    // Another article over it: nothing of the first is left on screen.
    t.keys(&["h", "h", "j", "l"]);
    let s = t.wait_stable("平常的文章");
    crate::tmux::assert_aligned(&s, 100, kanbao::text::AmbiguousWidth::Narrow, '│');
    assert!(
        !s.contains("国旗") && !s.contains("合影"),
        "left over:\n{s}"
    );
    t.keys(&["q"]);
    assert_eq!(t.wait_exit(), 0);
}
