//! The jump popup: the query line and the ranked headlines, matched characters highlighted.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;

use super::cells::{Span, put_spans};
use super::theme::Theme;
use crate::app::jump::Jump;
use crate::app::{App, View};
use crate::text::str_width;

/// Draws the jump popup over `area`.
pub fn render(
    frame: &mut Frame,
    area: Rect,
    app: &App,
    jump: &Jump,
    view: &mut View,
    theme: &Theme,
) {
    let mode = app.ambiguous;
    let index = std::rc::Rc::clone(&jump.index);
    let scope = if jump.archive_wide {
        "archive"
    } else {
        "this issue"
    };
    // The results stop at the cap: say there are more.
    let count = match jump.hits.len() {
        n if n >= crate::app::jump::JUMP_LIMIT => format!("{n}+"),
        n => n.to_string(),
    };
    let found = if jump.query.is_empty() {
        format!("all {count}")
    } else {
        format!("{count} found")
    };
    let title = match jump.partial {
        // Still loading: say how much of the archive the results cover.
        Some((done, total)) if jump.archive_wide => {
            format!(" Jump: {scope} — {found} (indexed {done} of {total} issues) ")
        }
        _ => format!(" Jump: {scope} — {found} "),
    };
    let inner = super::help::popup(frame.buffer_mut(), area, (90, 80), &title, mode, theme);
    if inner.height == 0 || inner.width < 4 {
        return;
    }
    // The query line.
    let label = "> ";
    put_spans(
        frame.buffer_mut(),
        inner.x,
        inner.y,
        2,
        &[(label, theme.pane_title(true))],
        theme.normal(),
        mode,
    );
    // The input has no style of its own (its cursor is reversed): the theme's is laid under
    // it. Drawn from the popup's own input, whose view of a long line scrolls.
    let input_area = Rect::new(inner.x + 2, inner.y, inner.width - 2, 1);
    frame.buffer_mut().set_style(input_area, theme.normal());
    frame.render_widget(&jump.input.input, input_area);
    let rows = inner.height.saturating_sub(1) as usize;
    if jump.selected < view.jump_top {
        view.jump_top = jump.selected;
    } else if jump.selected >= view.jump_top + rows.max(1) {
        view.jump_top = jump.selected + 1 - rows.max(1);
    }
    let top = view.jump_top;
    let buf = frame.buffer_mut();
    for row in 0..rows {
        let y = inner.y + 1 + row as u16;
        let Some(hit) = jump.hits.get(top + row) else {
            put_spans(buf, inner.x, y, inner.width, &[], theme.normal(), mode);
            continue;
        };
        let entry = index.entry(hit.entry);
        let selected = top + row == jump.selected;
        let base = if selected {
            theme.selected(true)
        } else {
            theme.normal()
        };
        let marker = if selected { "▸ " } else { "  " };
        let mut prefix = String::new();
        if jump.archive_wide
            && let Some(issue) = app.library.summary(entry.issue)
        {
            let date = issue.date.clone().unwrap_or_else(|| {
                crate::model::file_name(&issue.source)
                    .chars()
                    .take(10)
                    .collect()
            });
            prefix = format!("{date} {} ", issue.paper.as_deref().unwrap_or(""));
        }
        let positions = index.positions(hit.entry, &jump.query);
        let chars: Vec<char> = entry.text.chars().collect();
        // Keep the first match visible: cut the front when it would fall off the row.
        let available = (inner.width as usize)
            .saturating_sub(str_width(marker, mode) + str_width(&prefix, mode));
        let mut start = 0;
        if let Some(&first) = positions.first() {
            let before: String = chars[..first].iter().collect();
            if str_width(&before, mode) + 4 > available {
                start = first.saturating_sub(2);
            }
        }
        let mut pieces: Vec<(String, Style)> = Vec::new();
        if start > 0 {
            pieces.push(("…".into(), base.patch(theme.dim())));
        }
        for (i, c) in chars.iter().enumerate().skip(start) {
            let in_kicker = i < entry.title_start;
            let in_subtitle = entry.subtitle_start.is_some_and(|s| i >= s);
            let mut style = if in_kicker || in_subtitle {
                base.patch(theme.dim())
            } else {
                base
            };
            if positions.binary_search(&i).is_ok() {
                style = style.patch(theme.hit());
            }
            match pieces.last_mut() {
                Some((text, s)) if *s == style => text.push(*c),
                _ => pieces.push((c.to_string(), style)),
            }
        }
        let mut spans: Vec<Span> = vec![(marker, base), (&prefix, base.patch(theme.dim()))];
        spans.extend(pieces.iter().map(|(t, s)| (t.as_str(), *s)));
        put_spans(buf, inner.x, y, inner.width, &spans, base, mode);
    }
}
