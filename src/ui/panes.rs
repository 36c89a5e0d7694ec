//! The three panes and the status line.

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::cells::{Span, put_spans};
use super::theme::Theme;
use crate::app::body::{BodyLineKind, ROLE_TAG, gutter_width};
use crate::app::issue_rows::Row;
use crate::app::{App, ArticleId, Focus, View};
use crate::library::Status;
use crate::model::{ArticleKind, file_name};
use crate::text::str_width;

/// Keeps `selected` visible in a list of `height` rows, moving `offset` as little as possible.
pub(super) fn scrolled(offset: usize, selected: usize, height: usize) -> usize {
    let height = height.max(1);
    if selected < offset {
        selected
    } else if selected >= offset + height {
        selected + 1 - height
    } else {
        offset
    }
}

/// A list row's leading marker: visible in plain-text snapshots too.
pub(super) fn marker(selected: bool) -> &'static str {
    if selected { "▸ " } else { "  " }
}

/// The issue list: a header line per paper and month (in those orders), then each issue's
/// label and article count.
pub fn issues(buf: &mut Buffer, area: Rect, app: &App, view: &mut View, theme: &Theme) {
    let focused = app.focus == Focus::Issues;
    let height = area.height as usize;
    let rows = &app.issue_rows;
    let selected = rows.row(app.issue);
    let mut offset = scrolled(view.list_offsets[0], selected, height);
    // Scrolling up onto the first issue of a run shows the run's headers above it.
    let mut top = selected;
    while top > 0 && !matches!(rows.rows.get(top - 1), Some(Row::Issue(_)) | None) {
        top -= 1;
    }
    if offset > top && selected - top < height {
        offset = top;
    }
    view.list_offsets[0] = offset;
    let mode = app.ambiguous;
    for line in 0..height {
        let y = area.y + line as u16;
        match rows.rows.get(offset + line) {
            Some(Row::Issue(index)) => issue_row(buf, area, y, app, *index, theme, focused),
            Some(Row::Paper(paper)) => {
                let name = paper.as_deref().unwrap_or("(no paper)");
                put_spans(
                    buf,
                    area.x,
                    y,
                    area.width,
                    &[(name, theme.title())],
                    theme.normal(),
                    mode,
                );
            }
            Some(Row::Month(month)) => {
                let month = format!(" {}", month.as_deref().unwrap_or("(no date)"));
                put_spans(
                    buf,
                    area.x,
                    y,
                    area.width,
                    &[(&month, theme.dim())],
                    theme.normal(),
                    mode,
                );
            }
            None => {
                put_spans(buf, area.x, y, area.width, &[], theme.normal(), mode);
            }
        }
    }
}

/// One issue's row: its label, and its article count (unread/all once some are read).
fn issue_row(
    buf: &mut Buffer,
    area: Rect,
    y: u16,
    app: &App,
    index: usize,
    theme: &Theme,
    focused: bool,
) {
    let mode = app.ambiguous;
    let Some(slot) = app.library.slot(index) else {
        put_spans(buf, area.x, y, area.width, &[], theme.normal(), mode);
        return;
    };
    let selected = index == app.issue;
    let base = if selected {
        theme.selected(focused)
    } else {
        theme.normal()
    };
    // Not summarised yet: the file name and `…`; unreadable: `✗` and the file name.
    let (label, count) = match &slot.status {
        Status::Ready(summary) => {
            let all = summary.headlines.len();
            let read = app
                .reads
                .range(
                    ArticleId {
                        issue: index,
                        article: 0,
                    }..ArticleId {
                        issue: index,
                        article: usize::MAX,
                    },
                )
                .count();
            let count = if read == 0 {
                format!(" {all}")
            } else {
                format!(" {}/{all}", all.saturating_sub(read))
            };
            (summary.label(), count)
        }
        Status::Waiting => (file_name(&slot.source).to_string(), " …".to_string()),
        Status::Failed(_) => (file_name(&slot.source).to_string(), " ✗".to_string()),
    };
    let count_width = str_width(&count, mode) as u16;
    let label_width = area.width.saturating_sub(count_width);
    put_spans(
        buf,
        area.x,
        y,
        label_width,
        &[(marker(selected), base), (&label, base)],
        base,
        mode,
    );
    if area.width > count_width {
        put_spans(
            buf,
            area.x + label_width,
            y,
            count_width,
            &[(&count, base.patch(theme.dim()))],
            base,
            mode,
        );
    }
}

/// The headline list: number, photo mark, kicker (dim), title, subtitle (dim).
pub fn articles(buf: &mut Buffer, area: Rect, app: &App, view: &mut View, theme: &Theme) {
    if let Some(results) = &app.results {
        return super::results::render(buf, area, app, results, view, theme);
    }
    let focused = app.focus == Focus::Articles;
    let height = area.height as usize;
    let offset = scrolled(view.list_offsets[1], app.article, height);
    view.list_offsets[1] = offset;
    let mode = app.ambiguous;
    let Some(issue) = app.current_summary() else {
        // Not summarised yet, or unreadable: say so on the first row.
        let note = match app.library.slot(app.issue).map(|s| &s.status) {
            Some(Status::Waiting) => "loading…".to_string(),
            Some(Status::Failed(reason)) => format!("could not be read: {reason}"),
            _ => String::new(),
        };
        for row in 0..height {
            let text = if row == 0 { note.as_str() } else { "" };
            put_spans(
                buf,
                area.x,
                area.y + row as u16,
                area.width,
                &[(text, theme.dim())],
                theme.normal(),
                mode,
            );
        }
        return;
    };
    let digits = issue.headlines.len().to_string().len();
    for row in 0..height {
        let y = area.y + row as u16;
        let index = offset + row;
        let Some(article) = issue.headlines.get(index) else {
            put_spans(buf, area.x, y, area.width, &[], theme.normal(), mode);
            continue;
        };
        let selected = index == app.article;
        let id = crate::app::ArticleId {
            issue: app.issue,
            article: index,
        };
        // Read headlines are dimmed.
        let base = match (selected, app.reads.contains(&id)) {
            (true, _) => theme.selected(focused),
            (false, true) => theme.normal().patch(theme.dim()),
            (false, false) => theme.normal(),
        };
        let marked = if app.marks.contains(&id) { "*" } else { " " };
        let number = format!("{:>digits$}{marked}", index + 1);
        let mut spans: Vec<Span> =
            vec![(marker(selected), base), (&number, base.patch(theme.dim()))];
        if article.kind == ArticleKind::Photo {
            spans.push(("[图] ", base.patch(theme.photo())));
        }
        let kicker = article.kicker.as_deref().map(|k| format!("{k} "));
        if let Some(kicker) = &kicker {
            spans.push((kicker, base.patch(theme.dim())));
        }
        spans.push((&article.title, base));
        let subtitle = article.subtitle.as_deref().map(|s| format!(" {s}"));
        if let Some(subtitle) = &subtitle {
            spans.push((subtitle, base.patch(theme.dim())));
        }
        put_spans(buf, area.x, y, area.width, &spans, base, mode);
    }
}

/// While the archive loads: `indexing ███░░░░░ 42% 4213/10000` (ASCII where ambiguous
/// characters are drawn wide).
fn loading_gauge(app: &App) -> Option<String> {
    // Headlines first; then, in the background, the full-text index for `S`.
    let (label, (done, total)) = if app.library.is_loading() {
        ("indexing", app.library.progress())
    } else {
        ("search index", app.library.search_index_building()?)
    };
    const CELLS: usize = 10;
    let filled = (done * CELLS).checked_div(total).unwrap_or(0).min(CELLS);
    let (full, empty) = if app.ambiguous == crate::text::AmbiguousWidth::Wide {
        ("#", ".")
    } else {
        ("█", "░")
    };
    let percent = (done * 100).checked_div(total).unwrap_or(0);
    Some(format!(
        "{label} {}{} {percent}% {done}/{total}",
        full.repeat(filled),
        empty.repeat(CELLS - filled)
    ))
}

/// The article body (or its raw source lines), with search hits highlighted.
pub fn body(buf: &mut Buffer, area: Rect, app: &App, view: &mut View, theme: &Theme) {
    let width = area.width as usize;
    let lines = app.body_lines_at(width);
    view.body_max_top = lines.len().saturating_sub(area.height as usize);
    let top = app.body_top.min(view.body_max_top);
    let mode = app.ambiguous;
    // Hit pieces by display line: (start cell, end cell, is the current hit).
    let current = app.current_hit();
    let mut pieces: std::collections::HashMap<usize, Vec<(usize, usize, bool)>> =
        std::collections::HashMap::new();
    for (i, hit) in app.hits_at(width).iter().enumerate() {
        for &(line, from, to) in &hit.pieces {
            pieces
                .entry(line)
                .or_default()
                .push((from, to, current == Some(i)));
        }
    }
    let gutter = match app.current_article() {
        Some(article) if app.raw => gutter_width(article.lines.end),
        _ => 0,
    };
    for row in 0..area.height as usize {
        let y = area.y + row as u16;
        let Some(line) = lines.get(top + row) else {
            put_spans(buf, area.x, y, area.width, &[], theme.normal(), mode);
            continue;
        };
        let style = match line.kind {
            BodyLineKind::Kicker | BodyLineKind::Subtitle => theme.dim(),
            BodyLineKind::Title => theme.title(),
            BodyLineKind::Byline | BodyLineKind::Credit | BodyLineKind::Metadata => theme.dim(),
            BodyLineKind::Subhead => theme.normal().add_modifier(ratatui::style::Modifier::BOLD),
            BodyLineKind::Caption => theme.photo(),
            BodyLineKind::Note => theme.note(),
            _ => theme.normal(),
        };
        let mut x = area.x;
        let mut width = area.width;
        if gutter > 0 {
            let number = line
                .source_line
                .map(|n| {
                    let w = gutter - ROLE_TAG - 2;
                    format!("{n:>w$} {:<ROLE_TAG$} ", line.role)
                })
                .unwrap_or_default();
            let g = (gutter as u16).min(width);
            put_spans(
                buf,
                x,
                y,
                g,
                &[(&number, theme.gutter())],
                theme.normal(),
                mode,
            );
            x += g;
            width -= g;
        }
        let hits = pieces
            .get(&(top + row))
            .map(Vec::as_slice)
            .unwrap_or_default();
        if hits.is_empty() {
            put_spans(
                buf,
                x,
                y,
                width,
                &[(&line.text, style)],
                theme.normal(),
                mode,
            );
        } else {
            let cut = split_by_cells(&line.text, hits, mode);
            let spans: Vec<Span> = cut
                .iter()
                .map(|(text, hit)| {
                    let style = match hit {
                        None => style,
                        Some(false) => theme.hit(),
                        Some(true) => theme.current_hit(),
                    };
                    (text.as_str(), style)
                })
                .collect();
            put_spans(buf, x, y, width, &spans, theme.normal(), mode);
        }
    }
}

/// Cuts `text` into pieces by cell ranges: `None` outside every hit, `Some(current)` inside one.
fn split_by_cells(
    text: &str,
    hits: &[(usize, usize, bool)],
    mode: crate::text::AmbiguousWidth,
) -> Vec<(String, Option<bool>)> {
    use unicode_segmentation::UnicodeSegmentation;
    let mut out: Vec<(String, Option<bool>)> = Vec::new();
    let mut cell = 0;
    for g in text.graphemes(true) {
        let hit = hits
            .iter()
            .find(|(s, e, _)| cell >= *s && cell < *e)
            .map(|h| h.2);
        match out.last_mut() {
            Some((piece, h)) if *h == hit => piece.push_str(g),
            _ => out.push((g.to_string(), hit)),
        }
        cell += str_width(g, mode);
    }
    out
}

/// The fewest cells the issue label keeps on the status line before the message is cut.
const LABEL_FLOOR: u16 = 10;

/// The status line: a prompt while one is open; else the issue, the article's position, the
/// scroll percentage, marks, and a message or the loading gauge.
pub fn status(frame: &mut Frame, area: Rect, app: &App, view: &View, theme: &Theme) {
    let mode = app.ambiguous;
    if let Some(prompt) = app.prompt() {
        let label = prompt.kind.label();
        let label_width = str_width(label, mode) as u16;
        put_spans(
            frame.buffer_mut(),
            area.x,
            area.y,
            label_width.min(area.width),
            &[(label, theme.status_message())],
            theme.status(),
            mode,
        );
        if area.width > label_width {
            let input_area = Rect::new(area.x + label_width, area.y, area.width - label_width, 1);
            // The input has no style of its own (its cursor is reversed): the theme's is laid
            // under it. Drawn from the prompt itself, whose view of a long line scrolls.
            frame.buffer_mut().set_style(input_area, theme.status());
            frame.render_widget(&prompt.input, input_area);
        }
        return;
    }
    let buf = frame.buffer_mut();
    let issue_label = match (app.current_summary(), app.library.slot(app.issue)) {
        (Some(summary), _) => summary.label(),
        (None, Some(slot)) => file_name(&slot.source).to_string(),
        (None, None) => "(no issues)".into(),
    };
    let count = app.current_summary().map_or(0, |i| i.headlines.len());
    let position = format!(
        " {}/{} ",
        if count == 0 { 0 } else { app.article + 1 },
        count
    );
    let percent = format!("{:>3}% ", app.scroll_percent_in(view));
    let right = if app.resolver.is_pending() {
        app.resolver.display()
    } else {
        app.message.clone().unwrap_or_default()
    };
    // The search index's gauge is background work nobody asked for: it gives way to any
    // message (the headlines' gauge does not — it says why the lists are incomplete).
    let gauge = loading_gauge(app).filter(|_| app.library.is_loading() || right.is_empty());
    let right = match (right.is_empty(), gauge) {
        (true, None) => right,
        (false, None) => format!(" {right} "),
        (true, Some(gauge)) => format!(" {gauge} "),
        (false, Some(gauge)) => format!(" {gauge} · {right} "),
    };
    // `│` is ambiguous-width: terminals that draw it wide get `|`.
    let bar = if mode == crate::text::AmbiguousWidth::Wide {
        "|"
    } else {
        "│"
    };
    let marked = if app.marks.is_empty() {
        String::new()
    } else {
        format!("{bar} {} marked ", app.marks.len())
    };
    let issue_text = format!(" {issue_label} ");
    // What gives way when the line is short: first the issue label (down to a few cells), then
    // the message; the position, percentage and marks always show.
    let width = |text: &str| str_width(text, mode) as u16;
    let fixed = width(&position) + 2 * width(bar) + width(&percent) + width(&marked);
    let label_floor = width(&issue_text).min(LABEL_FLOOR);
    let right_width = width(&right).min(area.width.saturating_sub(fixed + label_floor));
    let left_width = area.width - right_width;
    let label_width = width(&issue_text).min(left_width.saturating_sub(fixed));
    put_spans(
        buf,
        area.x,
        area.y,
        label_width,
        &[(&issue_text, theme.status())],
        theme.status(),
        mode,
    );
    put_spans(
        buf,
        area.x + label_width,
        area.y,
        left_width - label_width,
        &[
            (bar, theme.status()),
            (&position, theme.status()),
            (bar, theme.status()),
            (&percent, theme.status()),
            (&marked, theme.status_message()),
        ],
        theme.status(),
        mode,
    );
    if right_width > 0 {
        put_spans(
            buf,
            area.x + left_width,
            area.y,
            right_width,
            &[(&right, theme.status_message())],
            theme.status(),
            mode,
        );
    }
}
