//! Fuzzing on stable Rust: property tests over generated and mutated input for the parts that
//! read what users and disks hand kanbao — decoding and parsing (in `lossless.rs`), wrapping for
//! the screen, and the on-disk index reader. They run in `cargo test` with proptest's default
//! case count; `.ci/run` runs them again with many more cases under a time limit
//! (`PROPTEST_CASES`). Seeds of cases that failed once stay in `proptest-regressions/`.

use std::path::PathBuf;

use kanbao::library::summary_cache::{FileKey, SummaryCache, hash64};
use kanbao::model::IssueSummary;
use kanbao::text::sanitize::sanitize;
use kanbao::text::{AmbiguousWidth, str_width, wrap::wrap};
use proptest::prelude::*;

use crate::common::scratch;

/// Text of the shapes that trouble a terminal: CJK, Latin words, spaces, controls, escapes,
/// emoji sequences, combining marks, unassigned code points.
fn screen_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        "[一-龥]{1,8}",
        "[a-zA-Z]{1,10}",
        Just(" ".to_string()),
        Just("\u{3000}".to_string()),
        Just("，。“”".to_string()),
        Just("\u{1b}[31m".to_string()),
        Just("\u{1b}]2;x\u{7}".to_string()),
        Just("👨\u{200d}👩\u{200d}👧".to_string()),
        Just("🇨🇳".to_string()),
        Just("e\u{301}".to_string()),
        Just("\u{0378}\u{e000}".to_string()),
        Just("\t".to_string()),
        "\\PC{1,4}",
    ];
    proptest::collection::vec(piece, 0..30).prop_map(|p| p.concat())
}

fn summary(title: &str) -> IssueSummary {
    let issue = kanbao::parse::parse_issue("x.txt", &format!("{title}\n\n正文第一段。\n"));
    issue.summary()
}

/// A real index of three summaries, and where it lives.
fn real_index(name: &str) -> (SummaryCache, Vec<u8>) {
    let dir = scratch(name);
    let index = SummaryCache::for_roots(&dir, &[PathBuf::from("/archive")], None);
    let summaries = [
        summary("一号标题"),
        summary("二号标题"),
        summary("三号标题"),
    ];
    index
        .write(summaries.iter().enumerate().map(|(i, s)| {
            (
                ["a.txt", "b.txt", "c.txt"][i],
                FileKey::new(i as u64, None),
                s,
            )
        }))
        .expect("write index");
    let bytes = std::fs::read(&index.path).expect("read index");
    (index, bytes)
}

proptest! {
    /// Every wrapped line fits the width, and no visible character is lost or added.
    #[test]
    fn wrapped_lines_fit_and_keep_every_character(text in screen_text(), width in 1usize..60, wide in any::<bool>()) {
        let mode = if wide { AmbiguousWidth::Wide } else { AmbiguousWidth::Narrow };
        let safe = sanitize(&text);
        let lines = wrap(&safe, width, mode);
        for line in &lines {
            prop_assert!(str_width(line, mode) <= width, "{line:?} is wider than {width}");
        }
        // A grapheme wider than the whole line cannot be shown at all (and is left out); every
        // other visible character is kept, in order.
        use unicode_segmentation::UnicodeSegmentation;
        let visible = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        let showable: String = safe
            .graphemes(true)
            .filter(|g| str_width(g, mode) <= width)
            .collect();
        prop_assert_eq!(visible(&lines.concat()), visible(&showable));
    }

    /// A damaged index is rejected or read, never a panic: truncated, bytes flipped, garbage
    /// appended — and with the checksum made to match, so the decoder itself is exercised.
    #[test]
    fn a_damaged_index_is_rejected_not_a_panic(
        cut in any::<prop::sample::Index>(),
        flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..8),
        tail in proptest::collection::vec(any::<u8>(), 0..16),
        reseal in any::<bool>(),
    ) {
        let (index, original) = real_index("fuzz-index");
        let mut bytes = original.clone();
        bytes.truncate(cut.index(bytes.len() + 1));
        for (at, value) in &flips {
            if !bytes.is_empty() {
                let i = at.index(bytes.len());
                bytes[i] ^= value;
            }
        }
        bytes.extend(&tail);
        // The table's checksum covers its length word and the table (format 4).
        if reseal && bytes.len() >= 24 {
            let mut word = [0u8; 8];
            word.copy_from_slice(&bytes[16..24]);
            let end = usize::try_from(u64::from_le_bytes(word))
                .ok()
                .and_then(|len| len.checked_add(24))
                .filter(|end| *end <= bytes.len());
            if let Some(end) = end {
                let sum = hash64(&bytes[16..end]).to_le_bytes();
                bytes[8..16].copy_from_slice(&sum);
            }
        }
        std::fs::write(&index.path, &bytes).expect("write");
        // Read, and every summary it lists read too: errors, never a panic.
        if let Ok(Some(cached)) = index.read() {
            let paths: Vec<String> = cached.listing().map(|(p, _)| p.to_string()).collect();
            for path in paths {
                if let Some((_, at)) = cached.find(&path) {
                    let _ = cached.summary(at);
                }
            }
        }
    }

    /// Bytes that were never an index.
    #[test]
    fn random_bytes_as_an_index_are_rejected(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let (index, _) = real_index("fuzz-index-random");
        std::fs::write(&index.path, &bytes).expect("write");
        prop_assert!(!matches!(index.read(), Ok(Some(_))) || bytes.starts_with(b"KANBAOI4"));
    }
}

#[test]
fn the_real_index_reads_back() {
    let (index, _) = real_index("fuzz-index-ok");
    let cached = index.read().expect("valid").expect("present");
    assert_eq!(cached.len(), 3);
}

#[test]
fn seeds_found_by_fuzzing_wrap() {
    // A kana with a spacing mark is one grapheme three cells wide: at width 2 it cannot be
    // shown, and is left out rather than overflowing the line.
    for (text, width) in [("ㇰ\u{11347}", 2), ("👨\u{200d}👩\u{200d}👧", 1)] {
        let lines = wrap(&sanitize(text), width, AmbiguousWidth::Narrow);
        assert!(
            lines
                .iter()
                .all(|l| str_width(l, AmbiguousWidth::Narrow) <= width),
            "{text:?} at {width}: {lines:?}"
        );
    }
}
