//! `kanbao find` on the headline index kept on disk (mapped, not rebuilt): the same answers
//! as building it, found broken in every way and rebuilt, out of date when a file changes, and
//! still naming the files that failed.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::common::scratch;

/// Runs kanbao with its cache in `cache`.
fn run(args: &[&str], cache: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kanbao"))
        .env("XDG_CACHE_HOME", cache)
        .env("XDG_STATE_HOME", crate::common::fresh_state_home())
        .args(args)
        .output()
        .expect("run kanbao")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Issues with headlines that differ from issue to issue (a line repeated in every issue
/// would be learned as furniture).
const PLACES: [&str; 6] = ["曹县", "重庆", "长江", "乡村", "企业", "港口"];
const DEEDS: [&str; 5] = ["数字化转型", "扩大开放", "治理污染", "修建大桥", "迎来丰收"];

fn write_archive(dir: &Path, issues: usize) {
    std::fs::create_dir_all(dir).expect("archive");
    for i in 0..issues {
        let mut body = String::new();
        for j in 0..3 {
            let place = PLACES[(i + j) % PLACES.len()];
            let deed = DEEDS[(i * 3 + j) % DEEDS.len()];
            body.push_str(&format!(
                "{place}第{i}次{deed}纪实{j}\n\n本报讯 {place}今年{deed}，成效明显，群众满意。\n\n"
            ));
        }
        std::fs::write(dir.join(format!("{i:03}.txt")), body).expect("issue");
    }
}

/// The one index file of `cache` whose name ends in `ext`.
fn cache_file(cache: &Path, ext: &str) -> PathBuf {
    let found: Vec<PathBuf> = std::fs::read_dir(cache.join("kanbao"))
        .expect("cache folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("index-"))
        })
        .collect();
    assert_eq!(found.len(), 1, "{found:?}");
    found[0].clone()
}

struct Setup {
    archive: String,
    cache: PathBuf,
}

fn setup(name: &str, issues: usize) -> Setup {
    let root = scratch(name);
    let archive = root.join("archive");
    write_archive(&archive, issues);
    Setup {
        archive: archive.display().to_string(),
        cache: root.join("cache"),
    }
}

impl Setup {
    fn find(&self, query: &str) -> Output {
        run(
            &["find", query, &self.archive, "--limit", "20"],
            &self.cache,
        )
    }
}

#[test]
fn find_answers_from_the_index_on_disk_without_reading_a_summary() {
    let s = setup("find-mapped", 24);
    let built = s.find("曹县");
    assert_eq!(built.status.code(), Some(0), "{}", text(&built.stderr));
    assert!(text(&built.stdout).lines().count() >= 5);
    let headline_index = cache_file(&s.cache, "find");
    // The summaries made unreadable: a `find` that read them would say so and parse again.
    std::fs::write(cache_file(&s.cache, "bin"), b"not an index").expect("spoil");
    for query in ["曹县", "cx", "shuzi", "'长江", "qiye 第3"] {
        let mapped = s.find(query);
        let rebuilt = run(
            &["find", "--no-index", query, &s.archive, "--limit", "20"],
            &s.cache,
        );
        assert_eq!(
            text(&mapped.stderr),
            "",
            "{query}: nothing read but the mapped index"
        );
        assert_eq!(mapped.stdout, rebuilt.stdout, "{query}");
        assert!(!mapped.stdout.is_empty(), "{query}");
    }
    assert!(headline_index.exists());
}

#[test]
fn a_broken_headline_index_is_named_and_built_again() {
    let s = setup("find-broken", 12);
    let expected = s.find("重庆").stdout;
    let path = cache_file(&s.cache, "find");
    let good = std::fs::read(&path).expect("index");
    let mut flipped = good.clone();
    flipped[good.len() / 2] ^= 0x20;
    let mut other_version = good.clone();
    other_version[7] = b'0';
    let cases: [(&str, Vec<u8>); 4] = [
        ("a flipped byte", flipped),
        ("cut short", good[..good.len() - 100].to_vec()),
        ("another version", other_version),
        ("not an index", b"hello".to_vec()),
    ];
    for (what, bytes) in cases {
        std::fs::write(&path, &bytes).expect("break");
        let out = s.find("重庆");
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{what}: {err}");
        assert_eq!(out.stdout, expected, "{what}");
        assert!(
            err.contains(&path.display().to_string())
                && err.contains("building the headline index again"),
            "{what}: {err}"
        );
        // Written anew: the next run maps it without a word.
        let again = s.find("重庆");
        assert_eq!(text(&again.stderr), "", "{what}");
        assert_eq!(again.stdout, expected, "{what}");
    }
}

#[test]
fn a_changed_issue_makes_the_index_out_of_date() {
    let s = setup("find-changed", 10);
    assert!(text(&s.find("鸭绿江").stdout).is_empty());
    let issue = Path::new(&s.archive).join("004.txt");
    let old = std::fs::read_to_string(&issue).expect("issue");
    std::fs::write(
        &issue,
        format!("鸭绿江畔新气象\n\n本报讯 一段新的正文。\n\n{old}"),
    )
    .expect("change");
    let out = s.find("鸭绿江");
    assert_eq!(
        text(&out.stdout)
            .lines()
            .next()
            .map(|l| l.ends_with("鸭绿江畔新气象")),
        Some(true),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn files_that_failed_are_still_named_when_the_index_is_mapped() {
    let s = setup("find-failed", 8);
    std::fs::write(
        Path::new(&s.archive).join("binary.txt"),
        b"PK\x03\x04\x00\x00binary",
    )
    .expect("binary");
    for run_no in 0..2 {
        let out = s.find("港口");
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "run {run_no}: {err}");
        assert!(
            err.contains("binary.txt") && err.contains("binary file"),
            "run {run_no}: {err}"
        );
        assert!(!out.stdout.is_empty(), "run {run_no}");
    }
    cache_file(&s.cache, "find");
}
