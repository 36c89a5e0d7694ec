//! The help screen, generated from the active keymap (so it can never drift from the bindings),
//! and the which-key hint for a pending chord.

use std::time::Duration;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::{Block, Borders, Widget};

use super::border_set;
use super::cells::{clear, put_spans};
use super::theme::Theme;
use crate::app::{App, Help, Output, View};
use crate::keymap::key::chord_to_string;
use crate::keymap::{Context, Keymap};
use crate::text::{AmbiguousWidth, str_width, wrap};

/// How long a chord must wait before its continuations are shown.
pub const WHICH_KEY_DELAY: Duration = Duration::from_millis(500);

/// Help rows: a heading per context, then `keys  description`, keys for the same action and
/// description joined.
pub fn help_rows(keymap: &Keymap) -> Vec<(bool, String, String)> {
    let mut rows = Vec::new();
    for ctx in Context::ALL {
        let Some(bindings) = keymap.contexts.get(ctx) else {
            continue;
        };
        let mut entries: Vec<(String, String)> = Vec::new();
        for b in bindings
            .iter()
            .filter(|b| b.run != crate::keymap::Action::Noop)
        {
            let desc = if b.desc.is_empty() {
                b.run.name()
            } else {
                b.desc.clone()
            };
            let keys = chord_to_string(&b.on);
            match entries.iter_mut().find(|(_, d)| *d == desc) {
                Some((k, _)) => {
                    k.push_str(", ");
                    k.push_str(&keys);
                }
                None => entries.push((keys, desc)),
            }
        }
        if entries.is_empty() {
            continue;
        }
        rows.push((true, ctx.name().to_string(), String::new()));
        rows.extend(entries.into_iter().map(|(k, d)| (false, k, d)));
    }
    rows
}

/// Clears a popup centred in `area` (`size`: percent of its width and height), draws its border
/// and `title` on its first line; returns the area below the title.
pub fn popup(
    buf: &mut Buffer,
    area: Rect,
    size: (u16, u16),
    title: &str,
    mode: AmbiguousWidth,
    theme: &Theme,
) -> Rect {
    let width = (area.width * size.0 / 100).max(area.width.min(20));
    let height = (area.height * size.1 / 100).max(area.height.min(5));
    framed(buf, area, (width, height), title, mode, theme)
}

/// A bordered box of `size` (cells, at most `area`) centred in `area`, cleared, with `title`
/// on its first inner row; returns the rows under the title.
pub fn framed(
    buf: &mut Buffer,
    area: Rect,
    size: (u16, u16),
    title: &str,
    mode: AmbiguousWidth,
    theme: &Theme,
) -> Rect {
    let (width, height) = (size.0.min(area.width), size.1.min(area.height));
    let outer = Rect::new(
        area.x + (area.width - width) / 2,
        area.y + (area.height - height) / 2,
        width,
        height,
    );
    clear(buf, outer, theme.normal());
    let block = Block::default()
        .borders(Borders::ALL)
        .border_set(border_set(mode))
        .border_style(theme.border(true));
    let inner = block.inner(outer);
    block.render(outer, buf);
    if inner.height == 0 {
        return inner;
    }
    put_spans(
        buf,
        inner.x,
        inner.y,
        inner.width,
        &[(title, theme.pane_title(true))],
        theme.status(),
        mode,
    );
    Rect::new(inner.x, inner.y + 1, inner.width, inner.height - 1)
}

/// Draws the help popup over `area`.
pub fn render(
    buf: &mut Buffer,
    area: Rect,
    app: &App,
    help: &Help,
    view: &mut View,
    theme: &Theme,
) {
    let mode = app.ambiguous;
    let filter = help.filter.to_lowercase();
    let rows: Vec<(bool, String, String)> = help_rows(&app.keymap)
        .into_iter()
        .filter(|(heading, keys, desc)| {
            *heading
                || filter.is_empty()
                || keys.to_lowercase().contains(&filter)
                || desc.to_lowercase().contains(&filter)
        })
        .collect();
    let title = format!(
        " Help: keymap — q close, / filter{} ",
        if filter.is_empty() {
            String::new()
        } else {
            format!(" [{filter}]")
        }
    );
    let popup = popup(buf, area, (90, 90), &title, mode, theme);
    let body_height = popup.height as usize;
    view.help_height = body_height;
    view.help_max_top = rows.len().saturating_sub(body_height);
    let top = help.top.min(view.help_max_top);
    let key_width = rows
        .iter()
        .filter(|r| !r.0)
        .map(|r| str_width(&r.1, mode))
        .max()
        .unwrap_or(0)
        .min(popup.width as usize / 2) as u16;
    for row in 0..body_height {
        let y = popup.y + row as u16;
        match rows.get(top + row) {
            Some((true, name, _)) => {
                let heading = format!("[{name}]");
                put_spans(
                    buf,
                    popup.x,
                    y,
                    popup.width,
                    &[(&heading, theme.title())],
                    theme.normal(),
                    mode,
                );
            }
            Some((false, keys, desc)) => {
                let keys = format!("  {keys}");
                let kw = (key_width + 4).min(popup.width);
                put_spans(
                    buf,
                    popup.x,
                    y,
                    kw,
                    &[(&keys, theme.pane_title(true))],
                    theme.normal(),
                    mode,
                );
                put_spans(
                    buf,
                    popup.x + kw,
                    y,
                    popup.width - kw,
                    &[(desc, theme.normal())],
                    theme.normal(),
                    mode,
                );
            }
            None => {
                put_spans(buf, popup.x, y, popup.width, &[], theme.normal(), mode);
            }
        }
    }
}

/// After a pause on an incomplete chord, lists what can follow it (bottom right).
pub fn which_key(buf: &mut Buffer, area: Rect, app: &App, theme: &Theme) {
    let due = app
        .pending_since
        .is_some_and(|t| t.elapsed() >= WHICH_KEY_DELAY);
    if !due {
        return;
    }
    let options = app.resolver.continuations(&app.keymap, app.context());
    if options.is_empty() {
        return;
    }
    let mode = app.ambiguous;
    let typed = app.resolver.display();
    let lines: Vec<String> = options
        .iter()
        .map(|b| {
            format!(
                " {} → {} ",
                chord_to_string(&b.on),
                if b.desc.is_empty() {
                    b.run.name()
                } else {
                    b.desc.clone()
                }
            )
        })
        .collect();
    let width = lines
        .iter()
        .map(|l| str_width(l, mode))
        .max()
        .unwrap_or(10)
        .max(str_width(&typed, mode) + 4) as u16;
    let width = width.min(area.width);
    let height = (lines.len() as u16 + 1).min(area.height);
    let popup = Rect::new(area.right() - width, area.bottom() - height, width, height);
    clear(buf, popup, theme.status());
    let head = format!(" {typed}… ");
    put_spans(
        buf,
        popup.x,
        popup.y,
        width,
        &[(&head, theme.status_message())],
        theme.status(),
        mode,
    );
    for (i, line) in lines.iter().enumerate().take(height as usize - 1) {
        put_spans(
            buf,
            popup.x,
            popup.y + 1 + i as u16,
            width,
            &[(line, theme.status())],
            theme.status(),
            mode,
        );
    }
}

/// Draws a command's output in a popup over `area`.
pub fn output(
    buf: &mut Buffer,
    area: Rect,
    app: &App,
    output: &Output,
    view: &mut View,
    theme: &Theme,
) {
    let mode = app.ambiguous;
    let title = format!(" {} — q close ", output.title);
    let popup = popup(buf, area, (90, 80), &title, mode, theme);
    let height = popup.height as usize;
    let width = popup.width as usize;
    // Long lines wrap (a problem's reason must not be cut off behind a long path). `top`
    // counts the output's own lines, so only the lines on screen and the last screenful are
    // wrapped, however long the output.
    let max_top = last_screenful(&output.lines, width, height, mode);
    view.help_max_top = max_top;
    let top = output.top.min(max_top);
    let mut rows = Vec::with_capacity(height);
    let mut whole_lines = 0;
    for line in &output.lines[top.min(output.lines.len())..] {
        rows.extend(wrap(line, width, mode));
        if rows.len() > height {
            break;
        }
        whole_lines += 1;
    }
    // A page is the lines shown whole, so paging never skips a line that was cut off.
    view.help_height = whole_lines.max(1);
    for (row, line) in rows.into_iter().take(height).enumerate() {
        put_spans(
            buf,
            popup.x,
            popup.y + row as u16,
            popup.width,
            &[(&line, theme.normal())],
            theme.normal(),
            mode,
        );
    }
}

/// The first line from which the rest of `lines`, wrapped to `width`, still shows its end in
/// `height` rows: the largest useful scroll position.
fn last_screenful(lines: &[String], width: usize, height: usize, mode: AmbiguousWidth) -> usize {
    let mut rows = 0;
    for (i, line) in lines.iter().enumerate().rev() {
        rows += wrap(line, width, mode).len();
        if rows > height {
            // Past the line that overflows, unless it is the last line and taller than the
            // popup: then it is shown from its start.
            return (i + 1).min(lines.len() - 1);
        }
        if rows == height {
            return i;
        }
    }
    0
}
