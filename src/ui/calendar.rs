//! The calendar popup: a month, Monday first, days with issues in brackets (`[23]`) and the
//! cursor's day reversed; under it what the cursor's day holds and the typed date.

use ratatui::Frame;
use ratatui::layout::Rect;

use super::cells::put_spans;
use super::theme::Theme;
use crate::app::App;
use crate::app::calendar::Calendar;
use crate::app::dates::{civil, first_of, month_length, weekday};

/// Cells per day: `[23]`.
const CELL: u16 = 4;
const WEEKDAYS: [&str; 7] = ["一", "二", "三", "四", "五", "六", "日"];

/// Draws the calendar over `area`.
pub fn render(frame: &mut Frame, area: Rect, app: &App, calendar: &Calendar, theme: &Theme) {
    let mode = app.ambiguous;
    let (year, month, _) = civil(calendar.cursor);
    let first = first_of(year, month);
    let length = i64::from(month_length(year, month));
    let in_month = calendar
        .issues
        .range(first..first + length)
        .map(|(_, slots)| slots.len())
        .sum::<usize>();
    let title = format!(" 日历 {year:04}-{month:02} · {in_month} issues ");
    // Seven days of four cells, a border and three cells of margin either side; title,
    // weekdays, six weeks, the day's issues and the date line.
    let size = (7 * CELL + 8, 12);
    let inner = super::help::framed(frame.buffer_mut(), area, size, &title, mode, theme);
    if inner.height == 0 || inner.width < 7 * CELL {
        return;
    }
    let x = inner.x + (inner.width - 7 * CELL) / 2;
    let buf = frame.buffer_mut();
    let mut y = inner.y;
    let bottom = inner.y + inner.height;
    let heading: Vec<(String, _)> = WEEKDAYS
        .iter()
        .map(|d| (format!(" {d} "), theme.dim()))
        .collect();
    let spans: Vec<(&str, _)> = heading.iter().map(|(t, s)| (t.as_str(), *s)).collect();
    put_spans(buf, inner.x, y, inner.width, &[], theme.normal(), mode);
    put_spans(buf, x, y, 7 * CELL, &spans, theme.normal(), mode);
    y += 1;
    // Weeks: the first starts on the Monday on or before the first of the month.
    let lead = i64::from(weekday(first));
    for week in 0..6i64 {
        if y + 2 >= bottom {
            break;
        }
        put_spans(buf, inner.x, y, inner.width, &[], theme.normal(), mode);
        for column in 0..7i64 {
            let day = first - lead + week * 7 + column;
            let cell_x = x + column as u16 * CELL;
            if day < first || day >= first + length {
                continue;
            }
            let (_, _, number) = civil(day);
            let has = calendar.issues.contains_key(&day);
            let text = if has {
                format!("[{number:>2}]")
            } else {
                format!(" {number:>2} ")
            };
            let style = if day == calendar.cursor {
                theme.selected(true)
            } else if has {
                theme.title()
            } else {
                theme.dim()
            };
            put_spans(buf, cell_x, y, CELL, &[(&text, style)], style, mode);
        }
        y += 1;
    }
    // What the cursor's day holds; Enter opens it or the nearest.
    let day_line = match calendar.on_cursor() {
        [] => format!(
            "{}: none (Enter: nearest)",
            crate::app::dates::iso(calendar.cursor)
        ),
        [one] => label(app, *one),
        [one, rest @ ..] => format!("{} (+{} more)", label(app, *one), rest.len()),
    };
    let line_y = bottom.saturating_sub(2).max(y);
    if line_y < bottom {
        put_spans(
            buf,
            inner.x,
            line_y,
            inner.width,
            &[(" ", theme.normal()), (&day_line, theme.normal())],
            theme.normal(),
            mode,
        );
    }
    let input_y = line_y + 1;
    if input_y < bottom {
        let label = " date: ";
        put_spans(
            buf,
            inner.x,
            input_y,
            inner.width,
            &[(label, theme.dim())],
            theme.normal(),
            mode,
        );
        let width = label.len() as u16;
        let input_area = Rect::new(
            inner.x + width,
            input_y,
            inner.width.saturating_sub(width),
            1,
        );
        frame.buffer_mut().set_style(input_area, theme.normal());
        frame.render_widget(&calendar.input.input, input_area);
    }
}

/// An issue's label (date, paper, number).
fn label(app: &App, slot: usize) -> String {
    app.library
        .summary(slot)
        .map_or_else(String::new, |summary| summary.label())
}
