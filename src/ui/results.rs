//! The archive's search results in the headline pane: a header line with the total and a
//! sparkline of hits per month over the span searched, then two lines per article — date,
//! paper and headline; the first hit in context, highlighted where it stands.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use unicode_segmentation::UnicodeSegmentation;

use super::cells::put_spans;
use super::theme::Theme;
use crate::app::results::Results;
use crate::app::{App, ArticleId, Focus, View};
use crate::text::width::grapheme_width;
use crate::text::{AmbiguousWidth, str_width};

/// The sparkline of `counts` in `width` cells: months grouped evenly when there are more
/// than cells, each cell one of eight heights (ASCII digits where ambiguous characters are
/// drawn wide, as the block elements are ambiguous).
pub fn sparkline(counts: &[usize], width: usize, mode: AmbiguousWidth) -> String {
    if counts.is_empty() || width == 0 {
        return String::new();
    }
    let cells = counts.len().min(width);
    let buckets: Vec<usize> = (0..cells)
        .map(|c| {
            let from = c * counts.len() / cells;
            let to = ((c + 1) * counts.len() / cells).max(from + 1);
            counts[from..to].iter().sum()
        })
        .collect();
    let max = buckets.iter().copied().max().unwrap_or(0).max(1);
    let levels: &[&str] = if mode == AmbiguousWidth::Wide {
        &[" ", "1", "2", "3", "4", "5", "6", "7", "8"]
    } else {
        &[" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
    };
    buckets
        .iter()
        .map(|&n| {
            // Any month with a hit shows at least the lowest bar.
            let level = if n == 0 {
                0
            } else {
                (n * 8).div_ceil(max).clamp(1, 8)
            };
            levels[level]
        })
        .collect()
}

/// The end of `text` that fits in `cells` columns, never splitting a character.
fn tail(text: &str, cells: usize, mode: AmbiguousWidth) -> String {
    let mut used = 0;
    let mut start = text.len();
    for (at, g) in text.grapheme_indices(true).rev() {
        let w = grapheme_width(g, mode);
        if used + w > cells {
            break;
        }
        used += w;
        start = at;
    }
    text[start..].to_string()
}

/// The result pane's title.
pub fn title(results: &Results) -> String {
    let order = if results.by_hits {
        "by hits"
    } else {
        "by date"
    };
    format!("检索 Search {} · {order}", results.rows.len())
}

/// Draws `results` in `area`.
pub fn render(
    buf: &mut Buffer,
    area: Rect,
    app: &App,
    results: &Results,
    view: &mut View,
    theme: &Theme,
) {
    let mode = app.ambiguous;
    let width = area.width as usize;
    let focused = app.focus == Focus::Articles;
    // Header: the query, its totals; then the sparkline with the span's ends.
    let header = if results.marked {
        format!(
            "{} marked article{}",
            results.rows.len(),
            if results.rows.len() == 1 { "" } else { "s" }
        )
    } else {
        format!(
            "{}: {} hit{} in {} article{}",
            results.query,
            results.total,
            if results.total == 1 { "" } else { "s" },
            results.rows.len(),
            if results.rows.len() == 1 { "" } else { "s" },
        )
    };
    put_spans(
        buf,
        area.x,
        area.y,
        area.width,
        &[(&header, theme.title())],
        theme.normal(),
        mode,
    );
    let counts: Vec<usize> = results.months.iter().map(|(_, n)| *n).collect();
    let span = match (results.months.first(), results.months.last()) {
        (Some((first, _)), Some((last, _))) if first != last => format!(" {first}…{last}"),
        (Some((first, _)), _) => format!(" {first}"),
        _ => " undated".to_string(),
    };
    let span_width = str_width(&span, mode);
    let spark = sparkline(&counts, width.saturating_sub(span_width), mode);
    if area.height > 1 {
        put_spans(
            buf,
            area.x,
            area.y + 1,
            area.width,
            &[(&spark, theme.hit_bar()), (&span, theme.dim())],
            theme.normal(),
            mode,
        );
    }
    let rows_area = area.height.saturating_sub(2) as usize;
    let page = (rows_area / 2).max(1);
    let top = super::panes::scrolled(view.results_top, results.selected, page);
    view.results_top = top;
    for slot in 0..page {
        let y = area.y + 2 + (slot * 2) as u16;
        if y >= area.bottom() {
            break;
        }
        let index = top + slot;
        let Some(row) = results.rows.get(index) else {
            put_spans(buf, area.x, y, area.width, &[], theme.normal(), mode);
            if y + 1 < area.bottom() {
                put_spans(buf, area.x, y + 1, area.width, &[], theme.normal(), mode);
            }
            continue;
        };
        let selected = index == results.selected;
        let base = if selected {
            theme.selected(focused)
        } else {
            theme.normal()
        };
        let marked = row.article.is_some_and(|article| {
            app.marks.contains(&ArticleId {
                issue: row.issue,
                article,
            })
        });
        let head = format!(
            "{}{} {} ",
            if marked { "*" } else { " " },
            row.date.as_deref().unwrap_or("????-??-??"),
            row.paper.as_deref().unwrap_or(""),
        );
        let count = if row.hits > 1 {
            format!(" ×{}", row.hits)
        } else {
            String::new()
        };
        let title = row.kwic.as_ref().map_or("…", |k| k.title.as_str());
        put_spans(
            buf,
            area.x,
            y,
            area.width,
            &[
                (super::panes::marker(selected), base),
                (&head, base.patch(theme.dim())),
                (title, base),
                (&count, base.patch(theme.dim())),
            ],
            base,
            mode,
        );
        if y + 1 >= area.bottom() {
            break;
        }
        // In the marks list, a note stands in for the opening words.
        let note = row.article.filter(|_| results.marked).and_then(|article| {
            app.note(ArticleId {
                issue: row.issue,
                article,
            })
        });
        if let Some(note) = note {
            let first = note.lines().next().unwrap_or_default();
            let more = if note.lines().nth(1).is_some() {
                " …"
            } else {
                ""
            };
            put_spans(
                buf,
                area.x,
                y + 1,
                area.width,
                &[
                    ("    ", theme.normal()),
                    (crate::app::body::NOTE_MARK, theme.note()),
                    (first, theme.note()),
                    (more, theme.dim()),
                ],
                theme.normal(),
                mode,
            );
            continue;
        }
        // The hit a third of the way in, what comes before cut from the left.
        let (before, hit, after) = row.kwic.as_ref().map_or(("", "", ""), |k| {
            (k.before.as_str(), k.hit.as_str(), k.after.as_str())
        });
        let lead = (width.saturating_sub(4)) / 3;
        let before = tail(before, lead, mode);
        let pad = " ".repeat(lead.saturating_sub(str_width(&before, mode)));
        put_spans(
            buf,
            area.x,
            y + 1,
            area.width,
            &[
                ("    ", theme.normal()),
                (&pad, theme.normal()),
                (&before, theme.dim()),
                (hit, theme.hit()),
                (after, theme.dim()),
            ],
            theme.normal(),
            mode,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sparkline_fits_its_width_and_shows_every_month_with_a_hit() {
        let counts = [0, 1, 8, 0, 4];
        assert_eq!(sparkline(&counts, 10, AmbiguousWidth::Narrow), " ▁█ ▄");
        let many: Vec<usize> = (0..100).collect();
        let line = sparkline(&many, 20, AmbiguousWidth::Narrow);
        assert_eq!(line.chars().count(), 20);
        assert!(line.ends_with('█'));
        assert_eq!(sparkline(&[3], 5, AmbiguousWidth::Wide), "8");
    }

    #[test]
    fn the_left_context_is_cut_from_the_left_by_cells() {
        assert_eq!(tail("一二三四五", 5, AmbiguousWidth::Narrow), "四五");
        assert_eq!(tail("ab一二", 3, AmbiguousWidth::Narrow), "二");
        assert_eq!(tail("", 3, AmbiguousWidth::Narrow), "");
    }
}
