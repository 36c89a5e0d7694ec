//! Segmentation scored by the shared tool against truth files: the samples (headline F1 ≥ 0.95,
//! bodies ≥ 39/40, every join, every `separate`, photos 3/3, masthead 8/8) and, from
//! `tests/truth/corpus.json` (kanbao's own truth), the Chinese text of other shapes in
//! `../shared/corpus`: database exports, front matter, a Markdown transcript.

use std::path::Path;
use std::process::Command;

use crate::common::{root, shared};

/// The scorer's report and its last line, for `truth` over the files in `dir`.
fn score(truth: &Path, dir: &Path) -> (String, String) {
    let shared = shared().expect("../shared");
    let out = Command::new("python3")
        .arg(shared.join("tools/score_parse.py"))
        .arg(truth)
        .arg(dir)
        .arg(env!("CARGO_BIN_EXE_kanbao"))
        .env("XDG_CACHE_HOME", crate::common::test_cache_home())
        .output()
        .expect("python3 runs the scorer");
    let report = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "scorer failed:\n{report}");
    let last = report.lines().last().expect("score line").to_string();
    (report, last)
}

/// A field of the score line: `headline_f1=0.95`, `bodies=39/40`.
fn field<'a>(last: &'a str, name: &str) -> &'a str {
    last.split_whitespace()
        .find_map(|f| f.strip_prefix(&format!("{name}=")))
        .unwrap_or_else(|| panic!("no {name} in {last}"))
}

#[test]
fn corpus_segmentation_meets_the_bar() {
    let Some(shared) = shared() else {
        eprintln!("../shared not present: score check skipped");
        return;
    };
    let (report, last) = score(
        &root().join("tests/truth/corpus.json"),
        &shared.join("corpus"),
    );
    let f1: f64 = field(&last, "headline_f1").parse().expect("f1");
    assert!(f1 >= 0.95, "{report}");
    let (bodies, of) = field(&last, "bodies").split_once('/').expect("a/b");
    let (bodies, of): (u32, u32) = (bodies.parse().expect("n"), of.parse().expect("n"));
    // One pair of near-duplicate articles shares its last words: the scorer cannot tell them
    // apart, so one body of the two reads as running into the next.
    assert!(bodies + 1 >= of, "{report}");
}

#[test]
fn sample_segmentation_meets_the_bar() {
    let Some(shared) = shared() else {
        eprintln!("../shared not present: score check skipped");
        return;
    };
    let (report, last) = score(
        &shared.join("truth/seeds.json"),
        &root().join("sample-data"),
    );
    let last = last.as_str();
    let field = |name: &str| -> &str { field(last, name) };
    let ratio = |name: &str| -> (u32, u32) {
        let (a, b) = field(name).split_once('/').expect("a/b");
        (a.parse().expect("num"), b.parse().expect("den"))
    };
    let f1: f64 = field("headline_f1").parse().expect("f1");
    assert!(f1 >= 0.95, "{report}");
    let (bodies, of) = ratio("bodies");
    assert!(bodies + 1 >= of, "{report}");
    for exact in ["joins", "separate", "photos", "masthead"] {
        let (got, want) = ratio(exact);
        assert_eq!(got, want, "{exact}:\n{report}");
    }
}
