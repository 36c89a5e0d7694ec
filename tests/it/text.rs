//! Invariants of the text layer over generated text (no cell holds half a character,
//! widths add up, wrapping keeps every character).

use kanbao::text::wrap::{break_positions, is_no_end, is_no_start};
use kanbao::text::{AmbiguousWidth, sanitize, str_width, truncate, wrap};
use proptest::prelude::*;

fn text_strategy() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        6 => prop::sample::select("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出".chars().collect::<Vec<_>>()).prop_map(String::from),
        2 => prop::sample::select(vec!["，", "。", "、", "“", "”", "（", "）", "《", "》", "——", "……", "·", "：", "！"]).prop_map(String::from),
        1 => "[a-zA-Z0-9]{1,6}",
        1 => Just(" ".to_string()),
        1 => Just("\u{3000}".to_string()),
        1 => prop::sample::select(vec!["5G", "2024年", "1218.30亩", "100㎡", "http://a.cn/x", "a@b.cn", "①②"]).prop_map(String::from),
    ];
    proptest::collection::vec(piece, 0..60).prop_map(|p| p.concat())
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| *c != ' ').collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: crate::common::fuzz_cases(1000), ..ProptestConfig::default() })]

    #[test]
    fn wrapped_lines_fit_lose_nothing_and_respect_kinsoku(text in text_strategy(), width in 2usize..40, wide in any::<bool>()) {
        let mode = if wide { AmbiguousWidth::Wide } else { AmbiguousWidth::Narrow };
        let lines = wrap(&text, width, mode);
        for line in &lines {
            prop_assert!(str_width(line, mode) <= width, "{line:?} wider than {width}");
        }
        prop_assert_eq!(squeeze(&lines.concat()), squeeze(&text));
        // Kinsoku holds whenever no unbreakable unit is wider than the line.
        let mut start = 0;
        let mut widest = 0;
        for at in break_positions(&text).into_iter().chain([text.len()]) {
            widest = widest.max(str_width(text[start..at].trim_end_matches(' '), mode));
            start = at;
        }
        if widest <= width {
            for (i, line) in lines.iter().enumerate() {
                if i > 0 {
                    prop_assert!(!line.chars().next().is_some_and(is_no_start), "line {i} {line:?} starts badly in {lines:?}");
                }
                if i + 1 < lines.len() {
                    prop_assert!(!line.chars().next_back().is_some_and(is_no_end), "line {i} {line:?} ends badly in {lines:?}");
                }
            }
        }
    }

    #[test]
    fn truncation_fits_and_is_a_prefix(text in text_strategy(), width in 0usize..30, wide in any::<bool>()) {
        let mode = if wide { AmbiguousWidth::Wide } else { AmbiguousWidth::Narrow };
        let cut = truncate(&text, width, mode);
        prop_assert!(str_width(&cut, mode) <= width);
        let kept = cut.strip_suffix('…').unwrap_or(&cut);
        prop_assert!(text.starts_with(kept));
    }

    #[test]
    fn sanitised_text_has_no_controls(text in "\\PC{0,40}|[\\x00-\\x7f\u{80}-\u{9f}\u{202a}-\u{202e}\u{200b}\u{ad}中]{0,40}") {
        let clean = sanitize(&text);
        let unsafe_char = |c: char| c.is_control() || ('\u{202a}'..='\u{202e}').contains(&c) || c == '\u{ad}' || c == '\u{200b}';
        prop_assert!(!clean.chars().any(unsafe_char), "unsafe character left in {:?}", clean);
    }
}
