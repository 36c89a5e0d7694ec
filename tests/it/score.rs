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
        .env("XDG_STATE_HOME", crate::common::fresh_state_home())
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

/// The two real PaddleOCR transcripts, against `tests/truth/ocr.json` (kanbao's own truth).
/// Their bar is not met yet (the issue asks headline F1 ≥ 0.95; measured 0.615 on 2026-12-06:
/// the 1968 paper 4/5, the 1976 bulletin 0/3 with one untitled item), so this holds what the
/// flow rules reach — fused issue lines and datelines split, running heads set aside, spliced
/// long lines and lines cut mid-phrase kept as text — against regressions, and names the gap.
#[test]
fn ocr_segmentation_keeps_what_the_flow_rules_reach() {
    let Some(shared) = shared() else {
        eprintln!("../shared not present: score check skipped");
        return;
    };
    let (report, last) = score(&root().join("tests/truth/ocr.json"), &shared.join("corpus"));
    let recall = field(&last, "recall");
    let (found, of) = recall.split_once('/').expect("a/b");
    let (found, of): (u32, u32) = (found.parse().expect("n"), of.parse().expect("n"));
    assert_eq!(of, 8, "{report}");
    assert!(found >= 4, "{report}");
    let precision: f64 = field(&last, "precision").parse().expect("precision");
    assert!(precision >= 0.8, "{report}");
    // The bulletin's issue number and date, fused onto the ends of lines at its top, are read.
    assert_eq!(field(&last, "masthead"), "8/8", "{report}");
    assert!(
        report.contains("1968-09-25.txt: headlines 4/5, extra 0"),
        "{report}"
    );
}
