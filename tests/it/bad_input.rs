//! Hostile and broken input: encodings, bad files, escape sequences. Fixtures are generated here,
//! never committed.

use std::os::unix::fs::symlink;

use crate::common::{kanbao, root, scratch};
use crate::tmux::Tmux;

fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// JSON of a one-issue export with `source` removed.
fn export_without_source(path: &std::path::Path, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["export", "--format", "json"];
    args.extend_from_slice(extra);
    let path = path.to_str().expect("path");
    args.push(path);
    let out = kanbao(&args, &root());
    assert!(out.status.success(), "{}", stderr(&out));
    let mut doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    doc["issues"][0]
        .as_object_mut()
        .expect("issue")
        .remove("source");
    doc
}

#[test]
fn a_gb18030_copy_exports_the_same_json() {
    let dir = scratch("gb18030");
    for name in ["002_a00776a20fa094f5.txt", "003_8de9c7c95064a8e7.txt"] {
        let sample = root().join("sample-data").join(name);
        let text = std::fs::read_to_string(&sample).expect("sample");
        let (bytes, _, unmappable) = encoding_rs::GB18030.encode(&text);
        assert!(!unmappable);
        let copy = dir.join(name);
        std::fs::write(&copy, &bytes).expect("write");
        assert_eq!(
            export_without_source(&copy, &[]),
            export_without_source(&sample, &[]),
            "{name}"
        );
        // And with the encoding named explicitly.
        assert_eq!(
            export_without_source(&copy, &["--encoding", "gb18030"]),
            export_without_source(&sample, &[])
        );
    }
}

#[test]
fn iconv_converted_utf16_and_big5_load() {
    let dir = scratch("iconv");
    let sample = root().join("sample-data/001_84d0d68a418f73b1.txt");
    let utf16 = dir.join("utf16.txt");
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "printf '\\377\\376' > '{0}' && iconv -f UTF-8 -t UTF-16LE '{1}' >> '{0}'",
            utf16.display(),
            sample.display()
        ))
        .status();
    if status.is_ok_and(|s| s.success()) {
        assert_eq!(
            export_without_source(&utf16, &[]),
            export_without_source(&sample, &[])
        );
    } else {
        // Without iconv, build the same bytes by hand.
        let text = std::fs::read_to_string(&sample).expect("sample");
        let mut bytes = vec![0xff, 0xfe];
        bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        std::fs::write(&utf16, bytes).expect("write");
        assert_eq!(
            export_without_source(&utf16, &[]),
            export_without_source(&sample, &[])
        );
    }
    let big5 = dir.join("big5.txt");
    let (bytes, _, _) = encoding_rs::BIG5.encode(
        "臺灣日報\n\n# 頭條新聞標題\n\n本報訊 記者從市政府獲悉，今年全市經濟運行總體平穩。\n",
    );
    std::fs::write(&big5, &bytes).expect("write");
    let out = kanbao(&["headlines", big5.to_str().expect("path")], &root());
    assert!(stdout(&out).contains("頭條新聞標題"), "{}", stdout(&out));
}

#[test]
fn an_unknown_encoding_name_is_a_usage_error() {
    let out = kanbao(&["list", "--encoding", "klingon", "sample-data"], &root());
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("unknown encoding \"klingon\""),
        "{}",
        stderr(&out)
    );
}

#[test]
fn bad_files_are_named_and_everything_else_loads() {
    let dir = scratch("bad-files");
    std::fs::copy(
        root().join("sample-data/000_29319c79bb470c97.txt"),
        dir.join("good.txt"),
    )
    .expect("copy");
    std::fs::write(dir.join("empty.txt"), b"").expect("write");
    std::fs::write(dir.join("blank.txt"), b" \n\t\n\r\n").expect("write");
    std::fs::write(dir.join("binary.txt"), b"PK\x03\x04\x00\x00binary").expect("write");
    std::fs::write(dir.join("huge.txt"), vec![b'x'; 50 * 1024 * 1024]).expect("write 50 MB");
    std::fs::write(dir.join("longline.md"), "字".repeat(400_000)).expect("write");
    symlink(dir.join("nowhere.txt"), dir.join("broken.txt")).expect("symlink");
    symlink(dir.join("loop-b.txt"), dir.join("loop-a.txt")).expect("symlink");
    symlink(dir.join("loop-a.txt"), dir.join("loop-b.txt")).expect("symlink");
    std::fs::create_dir(dir.join("sub")).expect("dir");
    symlink(&dir, dir.join("sub/back-up")).expect("folder loop");
    let out = kanbao(&["list", dir.to_str().expect("path")], &root());
    assert_eq!(out.status.code(), Some(1), "partial: {}", stderr(&out));
    let err = stderr(&out);
    for (file, reason) in [
        ("empty.txt", "empty file"),
        ("blank.txt", "only whitespace"),
        ("binary.txt", "binary file"),
        ("huge.txt", "too large"),
        ("longline.md", "no line break"),
        ("broken.txt", "no such file"),
        ("loop-a.txt", ""),
    ] {
        assert!(
            err.lines().any(|l| l.contains(file) && l.contains(reason)),
            "{file}: {reason} missing from:\n{err}"
        );
    }
    // The good file is listed once, despite the folder loop.
    assert_eq!(stdout(&out).lines().count(), 1, "{}", stdout(&out));
    // Nothing readable: exit 2.
    let out = kanbao(
        &["list", dir.join("empty.txt").to_str().expect("path")],
        &root(),
    );
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn unreadable_files_are_reported() {
    use std::os::unix::fs::PermissionsExt;
    let dir = scratch("unreadable");
    let file = dir.join("secret.txt");
    std::fs::write(&file, "标题\n\n正文，内容。\n").expect("write");
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    if std::fs::read(&file).is_ok() {
        // Running as root: permissions do not apply; a vanished path takes the same route.
        std::fs::remove_file(&file).expect("rm");
        symlink(dir.join("gone.txt"), &file).expect("symlink");
    }
    let out = kanbao(&["list", dir.to_str().expect("path")], &root());
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("secret.txt: "), "{}", stderr(&out));
}

#[test]
fn a_folder_of_twenty_thousand_files_loads() {
    let dir = scratch("many");
    let text = "某报\n\n2024年1月2日\n\n总第1期\n\n今日4版\n\n标题一则\n\n正文，内容。\n";
    for i in 0..20_000 {
        let sub = dir.join(format!("{:03}", i / 1000));
        if i % 1000 == 0 {
            std::fs::create_dir_all(&sub).expect("dir");
        }
        std::fs::write(sub.join(format!("{i:05}.txt")), text).expect("write");
    }
    let out = kanbao(&["list", dir.to_str().expect("path")], &root());
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out).lines().count(), 20_000);
}

#[test]
fn source_files_are_never_modified() {
    let before: Vec<(std::path::PathBuf, Vec<u8>, std::time::SystemTime)> =
        crate::common::sample_files()
            .into_iter()
            .map(|p| {
                let bytes = std::fs::read(&p).expect("read");
                let mtime = std::fs::metadata(&p)
                    .and_then(|m| m.modified())
                    .expect("mtime");
                (p, bytes, mtime)
            })
            .collect();
    for args in [
        vec!["export", "sample-data"],
        vec!["list", "sample-data"],
        vec![
            "cat",
            "sample-data/000_29319c79bb470c97.txt",
            "--article",
            "1",
        ],
    ] {
        kanbao(&args, &root());
    }
    for (path, bytes, mtime) in before {
        assert_eq!(
            std::fs::read(&path).expect("read"),
            bytes,
            "{} changed",
            path.display()
        );
        assert_eq!(
            std::fs::metadata(&path)
                .and_then(|m| m.modified())
                .expect("mtime"),
            mtime
        );
    }
}

#[test]
fn escape_sequences_printed_to_a_pipe_are_kept_raw() {
    let dir = scratch("raw-out");
    let file = dir.join("evil.txt");
    std::fs::write(&file, "标题\n\n正文\u{1b}]2;pwned\u{7}，内容。\n").expect("write");
    let out = kanbao(
        &["cat", file.to_str().expect("path"), "--article", "1"],
        &root(),
    );
    assert!(
        stdout(&out).contains("\u{1b}]2;pwned\u{7}"),
        "a pipe gets the original text"
    );
}

#[test]
fn an_article_that_attacks_the_terminal_leaves_it_untouched() {
    let t = Tmux::start("sample-data", 100, 24, &[]);
    t.set_option("set-clipboard", "on");
    t.wait_text("Issues 5");
    let title_before = t.pane_title();
    t.keys(&["q"]);
    t.wait_exit();
    let dir = scratch("evil");
    let file = dir.join("evil.txt");
    std::fs::write(
        &file,
        "恶意标题\u{1b}]2;PWNED-TITLE\u{7}\n\n正文\u{1b}]52;c;UFdORUQtQ0xJUA==\u{7}剪贴板\u{1b}[2J清屏\u{202e}反向\u{9b}31m结束。\n",
    )
    .expect("write");
    let t = Tmux::start(&format!("'{}'", file.display()), 100, 24, &[]);
    t.set_option("set-clipboard", "on");
    t.wait_text("恶意标题");
    t.keys(&["l", "Enter"]);
    let s = t.wait_stable("剪贴板");
    assert!(
        s.contains('␛') && s.contains("清屏") && s.contains("Issues 1"),
        "placeholders shown, screen intact:\n{s}"
    );
    assert!(!s.contains("PWNED"), "{s}");
    assert_eq!(t.pane_title(), title_before, "the pane title changed");
    assert!(
        !t.paste_buffer().contains("PWNED"),
        "the clipboard was written"
    );
    t.keys(&["q"]);
    assert_eq!(t.wait_exit(), 0);
}

#[test]
fn problems_can_be_opened_in_the_reader() {
    let dir = scratch("reader-problems");
    std::fs::copy(
        root().join("sample-data/000_29319c79bb470c97.txt"),
        dir.join("good.txt"),
    )
    .expect("copy");
    std::fs::write(dir.join("bin.txt"), b"\x00\x01\x02").expect("write");
    let t = Tmux::start(&format!("'{}'", dir.display()), 120, 24, &[]);
    t.wait_text("could not be read (E lists them)");
    t.keys(&["E"]);
    // The problem follows the file's full path, which may wrap in a narrow popup.
    let s = t.wait_for("the problems popup", |s| {
        s.contains("1 could not be read — q close") && s.contains("binary file")
    });
    assert!(s.contains("bin.txt"), "{s}");
    // The unreadable file keeps its place in the list, marked, and says why when selected.
    t.keys(&["q"]);
    let s = t.wait_for("the popup closed", |s| !s.contains("q close"));
    let row = s
        .lines()
        .find(|l| l.contains("bin.txt"))
        .unwrap_or_else(|| panic!("bin.txt is not listed:\n{s}"));
    assert!(row.contains('✗'), "{row}");
    t.keys(&["g", "g"]);
    let s = t.wait_stable("could not be read: binary file");
    assert!(s.contains("▸ bin.txt"), "{s}");
    t.keys(&["q"]);
    assert_eq!(t.wait_exit(), 0);
}
