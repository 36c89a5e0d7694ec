//! Truncation by display width with `…`, never mid-character.

use unicode_segmentation::UnicodeSegmentation;

use super::width::{AmbiguousWidth, grapheme_width, str_width};

/// The ellipsis for `mode`: `…` is ambiguous, so in wide mode it counts two cells.
pub fn ellipsis_width(mode: AmbiguousWidth) -> usize {
    str_width("…", mode)
}

/// `text` cut to at most `max_width` cells, ending in `…` when anything was cut. The result may
/// be a cell short of `max_width` when a wide character would not fit; callers pad.
pub fn truncate(text: &str, max_width: usize, mode: AmbiguousWidth) -> String {
    if str_width(text, mode) <= max_width {
        return text.to_string();
    }
    let ellipsis = ellipsis_width(mode);
    if max_width < ellipsis {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for g in text.graphemes(true) {
        let w = grapheme_width(g, mode);
        if used + w + ellipsis > max_width {
            break;
        }
        out.push_str(g);
        used += w;
    }
    let trimmed_len = out.trim_end_matches(' ').len();
    out.truncate(trimmed_len);
    out.push('…');
    out
}

/// Like [`truncate`], but keeps the cell range `keep` (start, end in cells of `text`) visible by
/// cutting from the front with a leading `…` when needed (a match far into a long headline).
pub fn truncate_keeping(
    text: &str,
    max_width: usize,
    keep_end: usize,
    mode: AmbiguousWidth,
) -> String {
    if str_width(text, mode) <= max_width || keep_end + ellipsis_width(mode) <= max_width {
        return truncate(text, max_width, mode);
    }
    // Drop graphemes from the front until the kept end fits with a leading ellipsis.
    let ellipsis = ellipsis_width(mode);
    let mut dropped = 0;
    let mut rest = text;
    for (at, g) in text.grapheme_indices(true) {
        if keep_end - dropped + ellipsis <= max_width.saturating_sub(ellipsis) {
            rest = &text[at..];
            break;
        }
        dropped += grapheme_width(g, mode);
        rest = &text[at + g.len()..];
    }
    let mut out = String::from("…");
    out.push_str(&truncate(rest, max_width - ellipsis, mode));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use AmbiguousWidth::{Narrow, Wide};

    #[test]
    fn truncation_table_from_the_cjk_notes() {
        let t = "加快制造业数字化转型";
        assert_eq!(truncate(t, 9, Narrow), "加快制造…");
        assert_eq!(truncate(t, 10, Narrow), "加快制造…");
        assert_eq!(truncate("ab加快", 4, Narrow), "ab…");
        assert_eq!(truncate("加快", 4, Narrow), "加快");
        assert_eq!(truncate("加快", 3, Narrow), "加…");
        assert_eq!(truncate("加", 1, Narrow), "…");
    }

    #[test]
    fn truncation_in_both_modes() {
        // Ambiguous `…` is one cell narrow and two wide: the wide mode keeps one character less.
        let t = "新华社北京电国务院总理";
        assert_eq!(truncate(t, 7, Narrow), "新华社…");
        assert_eq!(truncate(t, 7, Wide), "新华…");
        assert_eq!(truncate(t, 8, Narrow), "新华社…");
        assert_eq!(truncate(t, 8, Wide), "新华社…");
        assert_eq!(truncate("新华社北京电", 12, Narrow), "新华社北京电");
        assert_eq!(truncate("新华社北京电", 11, Narrow), "新华社北京…");
        assert_eq!(truncate("新华社北京电", 11, Wide), "新华社北…");
        assert_eq!(truncate("新华社北京电", 2, Narrow), "…");
        assert_eq!(truncate("新华社北京电", 1, Wide), "");
        assert_eq!(truncate("“两会”特别报道", 7, Narrow), "“两会”…");
        assert_eq!(truncate("“两会”特别报道", 7, Wide), "“两…");
        assert_eq!(truncate("Breaking: 地震", 9, Narrow), "Breaking…");
        assert_eq!(truncate("Breaking: 地震", 9, Wide), "Breakin…");
    }

    #[test]
    fn keeping_a_late_match_visible() {
        let t = "一二三四五六七八九十曹县";
        let cut = truncate_keeping(t, 10, str_width(t, Narrow), Narrow);
        assert!(cut.starts_with('…') && cut.contains("曹县"), "{cut}");
        assert!(str_width(&cut, Narrow) <= 10);
    }
}
