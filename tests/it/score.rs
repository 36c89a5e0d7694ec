//! The segmentation of the samples, scored by the shared tool against the truth file:
//! headline F1 ≥ 0.95, bodies ≥ 39/40, every join, every `separate`, photos 3/3, masthead 8/8.

use std::process::Command;

use crate::common::{root, shared};

#[test]
fn sample_segmentation_meets_the_bar() {
    let Some(shared) = shared() else {
        eprintln!("../shared not present: score check skipped");
        return;
    };
    let out = Command::new("python3")
        .arg(shared.join("tools/score_parse.py"))
        .arg(shared.join("truth/seeds.json"))
        .arg(root().join("sample-data"))
        .arg(env!("CARGO_BIN_EXE_kanbao"))
        .output()
        .expect("python3 runs the scorer");
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "scorer failed:\n{report}");
    let last = report.lines().last().expect("score line");
    let field = |name: &str| -> &str {
        last.split_whitespace()
            .find_map(|f| f.strip_prefix(&format!("{name}=")))
            .unwrap_or_else(|| panic!("no {name} in {last}"))
    };
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
