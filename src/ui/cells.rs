//! Putting text into buffer cells by display width. Every string reaches the screen through
//! here: graphemes are measured with the same function the text layer wraps with; a wide
//! character that does not fit is left out (its cell blanked), never split; text that is cut
//! ends in `…`; in wide-ambiguous mode the cell after an ambiguous character is left to the
//! terminal (ratatui's buffer thinks it is one cell wide).

use std::num::NonZeroU16;

use ratatui::buffer::{Buffer, CellDiffOption};
use ratatui::layout::Rect;
use ratatui::style::Style;
use unicode_segmentation::UnicodeSegmentation;

use crate::text::width::{grapheme_width, is_ambiguous_wide};
use crate::text::{AmbiguousWidth, sanitize};

/// A piece of text with a style.
pub type Span<'a> = (&'a str, Style);

/// Draws `spans` on row `y` from `x` over `width` cells, truncating with `…` and padding the
/// rest with blanks in `fill`. Text is sanitised first. Returns the cells used by text.
pub fn put_spans(
    buf: &mut Buffer,
    x: u16,
    y: u16,
    width: u16,
    spans: &[Span],
    fill: Style,
    mode: AmbiguousWidth,
) -> u16 {
    let area = buf.area;
    if y < area.y || y >= area.bottom() || x >= area.right() {
        return 0;
    }
    let width = width.min(area.right() - x) as usize;
    let mut graphemes: Vec<(String, usize, Style)> = Vec::new();
    for (text, style) in spans {
        for g in sanitize(text).graphemes(true) {
            let w = grapheme_width(g, mode);
            if w > 0 {
                graphemes.push((g.to_string(), w, *style));
            }
        }
    }
    let total: usize = graphemes.iter().map(|g| g.1).sum();
    let ellipsis_width = grapheme_width("…", mode);
    let (keep, ellipsis) = if total <= width {
        (graphemes.len(), None)
    } else if width < ellipsis_width {
        (0, None)
    } else {
        let mut used = 0;
        let mut keep = 0;
        for g in &graphemes {
            if used + g.1 + ellipsis_width > width {
                break;
            }
            used += g.1;
            keep += 1;
        }
        let style = graphemes.get(keep).map_or(fill, |g| g.2);
        (keep, Some(style))
    };
    let mut cx = 0usize;
    let draw = |buf: &mut Buffer, g: &str, w: usize, style: Style, cx: &mut usize| {
        let pos = (x + *cx as u16, y);
        // The terminal draws an ambiguous character two cells wide in wide mode, while ratatui
        // would measure one: force the width so its diff leaves the next cell to the terminal.
        let option = match NonZeroU16::new(w as u16) {
            Some(forced) if is_ambiguous_wide(g, mode) => CellDiffOption::ForcedWidth(forced),
            _ => CellDiffOption::None,
        };
        buf[pos]
            .set_symbol(g)
            .set_style(style)
            .set_diff_option(option);
        for extra in 1..w {
            let next = (x + (*cx + extra) as u16, y);
            buf[next].reset();
            buf[next].set_style(style);
        }
        *cx += w;
    };
    for (g, w, style) in graphemes.iter().take(keep) {
        draw(buf, g, *w, *style, &mut cx);
    }
    if let Some(style) = ellipsis {
        draw(buf, "…", ellipsis_width, style, &mut cx);
    }
    let used = cx as u16;
    while cx < width {
        let pos = (x + cx as u16, y);
        buf[pos].reset();
        buf[pos].set_style(fill);
        cx += 1;
    }
    used
}

/// Blanks `area`, and any wide character just left of it whose right half it would cut
/// (ratatui's `Clear` leaves half a character at a popup's left edge).
pub fn clear(buf: &mut Buffer, area: Rect, style: Style) {
    let area = area.intersection(buf.area);
    for y in area.top()..area.bottom() {
        if area.x > buf.area.x {
            let left = (area.x - 1, y);
            if unicode_width::UnicodeWidthStr::width(buf[left].symbol()) > 1 {
                buf[left].reset();
            }
        }
        for x in area.left()..area.right() {
            buf[(x, y)].reset();
            buf[(x, y)].set_style(style);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(buf: &Buffer, y: u16) -> String {
        (0..buf.area.width)
            .map(|x| buf[(x, y)].symbol().to_string())
            .collect()
    }

    #[test]
    fn wide_text_is_cut_with_an_ellipsis_never_mid_character() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 10, 1));
        put_spans(
            &mut buf,
            0,
            0,
            10,
            &[("加快制造业数字化转型", Style::default())],
            Style::default(),
            AmbiguousWidth::Narrow,
        );
        // 加快制造 (8) + … (1) + one blank cell.
        assert_eq!(row(&buf, 0), "加 快 制 造 … ");
    }

    #[test]
    fn text_never_spills_past_its_width() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 8, 1));
        put_spans(
            &mut buf,
            0,
            0,
            5,
            &[("abcd中", Style::default())],
            Style::default(),
            AmbiguousWidth::Narrow,
        );
        assert_eq!(row(&buf, 0), "abcd…   ");
    }

    #[test]
    fn escape_sequences_never_reach_cells() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 12, 1));
        put_spans(
            &mut buf,
            0,
            0,
            12,
            &[("\u{1b}]0;x\u{7}标题\u{202e}", Style::default())],
            Style::default(),
            AmbiguousWidth::Narrow,
        );
        assert_eq!(row(&buf, 0).trim_end(), "␛标 题 �");
    }

    #[test]
    fn clearing_a_popup_blanks_a_straddling_wide_character() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 8, 1));
        put_spans(
            &mut buf,
            0,
            0,
            8,
            &[("ab中文cd", Style::default())],
            Style::default(),
            AmbiguousWidth::Narrow,
        );
        clear(&mut buf, Rect::new(3, 0, 3, 1), Style::default());
        assert_eq!(row(&buf, 0), "ab    cd");
    }

    #[test]
    fn ambiguous_characters_take_two_cells_in_wide_mode() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 6, 1));
        put_spans(
            &mut buf,
            0,
            0,
            6,
            &[("“引”", Style::default())],
            Style::default(),
            AmbiguousWidth::Wide,
        );
        let forced = CellDiffOption::ForcedWidth(NonZeroU16::new(2).expect("2"));
        assert_eq!(buf[(0, 0)].symbol(), "“");
        assert_eq!(buf[(0, 0)].diff_option, forced);
        assert_eq!(buf[(2, 0)].symbol(), "引");
        assert_eq!(buf[(4, 0)].symbol(), "”");
        assert_eq!(buf[(4, 0)].diff_option, forced);
    }
}
