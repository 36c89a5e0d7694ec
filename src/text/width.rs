//! Display width in terminal cells, per grapheme, with a choice for East Asian ambiguous-width
//! characters (`“ ” … · — ■ ①`, box drawing): one cell (`narrow`, what tmux and most terminals
//! draw) or two (`wide`, terminals set to CJK width).

use serde::{Deserialize, Serialize};
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// How wide ambiguous-width characters are drawn by the terminal.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Hash, Serialize, Deserialize, clap::ValueEnum,
)]
#[serde(rename_all = "snake_case")]
pub enum AmbiguousWidth {
    /// One cell (Unicode's default; tmux, most terminals).
    #[default]
    Narrow,
    /// Two cells (terminals configured for CJK width).
    Wide,
}

/// Width of one grapheme cluster in cells. Control characters are zero (the sanitiser removes
/// them before anything is drawn).
pub fn grapheme_width(grapheme: &str, mode: AmbiguousWidth) -> usize {
    match mode {
        AmbiguousWidth::Narrow => grapheme.width(),
        AmbiguousWidth::Wide => grapheme.width_cjk(),
    }
}

/// Width of a string in cells: the sum of its graphemes' widths.
pub fn str_width(text: &str, mode: AmbiguousWidth) -> usize {
    text.graphemes(true).map(|g| grapheme_width(g, mode)).sum()
}

/// True when `grapheme` is drawn wider in `wide` mode than ratatui's buffer assumes (so the
/// cell after it must be left to the terminal).
pub fn is_ambiguous_wide(grapheme: &str, mode: AmbiguousWidth) -> bool {
    mode == AmbiguousWidth::Wide && grapheme.width_cjk() > grapheme.width()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ambiguous_characters_by_mode() {
        // Ambiguous-width characters: one cell where the terminal draws them narrow, two where
        // it draws them wide.
        for c in [
            "“", "”", "‘", "’", "…", "—", "·", "■", "▲", "□", "①", "÷", "×", "°", "※", "→", "─",
            "│",
        ] {
            assert_eq!(str_width(c, AmbiguousWidth::Narrow), 1, "{c}");
            assert_eq!(str_width(c, AmbiguousWidth::Wide), 2, "{c}");
        }
        for c in [
            "，", "。", "（", "）", "《", "》", "【", "】", "\u{3000}", "㎡", "中",
        ] {
            assert_eq!(str_width(c, AmbiguousWidth::Narrow), 2, "{c}");
            assert_eq!(str_width(c, AmbiguousWidth::Wide), 2, "{c}");
        }
    }

    #[test]
    fn graphemes_measure_as_one() {
        assert_eq!(str_width("e\u{301}", AmbiguousWidth::Narrow), 1);
        assert_eq!(
            str_width("👨\u{200d}👩\u{200d}👧", AmbiguousWidth::Narrow),
            2
        );
        assert_eq!(str_width("5G加快", AmbiguousWidth::Narrow), 6);
    }
}
