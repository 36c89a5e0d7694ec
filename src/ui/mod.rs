//! The UI layer: draws the app's state and nothing else. Three panes (issues | headlines |
//! body) from ~100 columns, two below, the focused pane alone below ~60, a message below 20×5.
//! All text goes through `cells::put_spans`, so nothing misaligns and no cell holds half a
//! character.

pub mod calendar;
pub mod cells;
pub mod help;
pub mod jump;
pub mod notes;
pub mod panes;
pub mod results;
pub mod theme;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::symbols::border;
use ratatui::widgets::{Block, Borders};

use crate::app::{App, Focus, Popup, View};
use crate::text::AmbiguousWidth;
use cells::put_spans;
use theme::Theme;

/// Smallest terminal kanbao draws its panes in.
pub const MIN_WIDTH: u16 = 20;
/// Smallest terminal height kanbao draws its panes in.
pub const MIN_HEIGHT: u16 = 5;
/// Width from which all three panes are shown.
pub const THREE_PANES: u16 = 100;
/// Width from which two panes are shown.
pub const TWO_PANES: u16 = 60;

/// Box-drawing characters are ambiguous-width: terminals set to draw them wide get ASCII.
const ASCII_BORDER: border::Set = border::Set {
    top_left: "+",
    top_right: "+",
    bottom_left: "+",
    bottom_right: "+",
    vertical_left: "|",
    vertical_right: "|",
    horizontal_top: "-",
    horizontal_bottom: "-",
};

/// Box-drawing borders, or ASCII ones when the terminal draws ambiguous characters wide.
pub fn border_set(mode: AmbiguousWidth) -> border::Set<'static> {
    match mode {
        AmbiguousWidth::Narrow => border::PLAIN,
        AmbiguousWidth::Wide => ASCII_BORDER,
    }
}

/// Draws the whole screen for the reader's loop: [`draw`] with the app's [`View`], which then
/// goes back into the app, and the app brings its scroll positions within what was drawn.
pub fn render(frame: &mut Frame, app: &mut App) {
    let mut view = app.view;
    draw(frame, app, &mut view);
    app.view = view;
    app.clamp_to_view();
}

/// Draws the whole screen from `app`, writing only to `view`: the pane sizes found and the
/// scroll positions kept or clamped.
pub fn draw(frame: &mut Frame, app: &App, view: &mut View) {
    view.body_max_top = usize::MAX;
    view.help_max_top = usize::MAX;
    let theme = Theme::new(app.color);
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        render_too_small(frame, area, app.ambiguous, &theme);
        return;
    }
    let [main, status] = Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(area);
    for (pane, rect) in pane_layout(app, main) {
        let focused = pane == app.focus;
        // Zoomed, the article reads like a pager: a title line and text to the edges (also
        // what lets a scroll move whole terminal rows).
        let borders = if app.zoom { Borders::TOP } else { Borders::ALL };
        let inner = draw_block(
            frame,
            rect,
            pane_title(app, pane),
            (focused, borders),
            app.ambiguous,
            &theme,
        );
        match pane {
            Focus::Issues => {
                view.list_height = inner.height as usize;
                panes::issues(frame.buffer_mut(), inner, app, view, &theme);
            }
            Focus::Articles => {
                view.list_height = inner.height as usize;
                panes::articles(frame.buffer_mut(), inner, app, view, &theme);
            }
            Focus::Body => {
                view.body_height = inner.height as usize;
                view.body_width = inner.width as usize;
                panes::body(frame.buffer_mut(), inner, app, view, &theme);
            }
        }
    }
    panes::status(frame, status, app, view, &theme);
    for popup in &app.popups {
        match popup {
            Popup::Help(help) => help::render(frame.buffer_mut(), main, app, help, view, &theme),
            Popup::Output(output) => {
                help::output(frame.buffer_mut(), main, app, output, view, &theme)
            }
            Popup::Jump(jump) => jump::render(frame, main, app, jump, view, &theme),
            Popup::Calendar(calendar) => calendar::render(frame, main, app, calendar, &theme),
            Popup::Note(editor) => notes::render(frame, main, app, editor, &theme),
            // On the status line, drawn above.
            Popup::Prompt(_) => {}
        }
    }
    help::which_key(frame.buffer_mut(), main, app, &theme);
}

/// Which panes are visible and where, for the terminal's width and the focus.
pub fn pane_layout(app: &App, area: Rect) -> Vec<(Focus, Rect)> {
    if app.zoom {
        return vec![(Focus::Body, area)];
    }
    if area.width >= THREE_PANES {
        let [a, b, c] = Layout::horizontal([
            Constraint::Percentage(24),
            Constraint::Percentage(32),
            Constraint::Fill(1),
        ])
        .areas(area);
        vec![(Focus::Issues, a), (Focus::Articles, b), (Focus::Body, c)]
    } else if area.width >= TWO_PANES {
        let [a, b] =
            Layout::horizontal([Constraint::Percentage(40), Constraint::Fill(1)]).areas(area);
        match app.focus {
            Focus::Issues => vec![(Focus::Issues, a), (Focus::Articles, b)],
            _ => vec![(Focus::Articles, a), (Focus::Body, b)],
        }
    } else {
        vec![(app.focus, area)]
    }
}

fn pane_title(app: &App, pane: Focus) -> String {
    match pane {
        Focus::Issues => format!("期 Issues {}", app.library.len()),
        Focus::Articles if app.results.is_some() => {
            app.results.as_ref().map(results::title).unwrap_or_default()
        }
        Focus::Articles => {
            let n = app.current_summary().map_or(0, |i| i.headlines.len());
            format!("标题 Headlines {n}")
        }
        Focus::Body if app.raw => {
            let encoding = app.current_summary().map_or("", |i| i.encoding.as_str());
            format!(
                "原文 Raw · {}",
                if encoding.is_empty() {
                    "UTF-8"
                } else {
                    encoding
                }
            )
        }
        Focus::Body => "正文 Article".to_string(),
    }
}

/// Draws a block with `borders` and a title on its top border; returns the inner area.
fn draw_block(
    frame: &mut Frame,
    rect: Rect,
    title: String,
    (focused, borders): (bool, Borders),
    mode: AmbiguousWidth,
    theme: &Theme,
) -> Rect {
    let block = Block::default()
        .borders(borders)
        .border_set(border_set(mode))
        .border_style(theme.border(focused));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    if rect.width > 4 {
        let title = format!(" {title} ");
        let width = rect.width - 4;
        let buf = frame.buffer_mut();
        let used = put_spans(
            buf,
            rect.x + 2,
            rect.y,
            width,
            &[(&title, theme.pane_title(focused))],
            theme.border(focused),
            mode,
        );
        // Restore the border after the title.
        let border_char = if mode == AmbiguousWidth::Wide {
            "-"
        } else {
            "─"
        };
        for x in rect.x + 2 + used..rect.x + 2 + width {
            buf[(x, rect.y)]
                .set_symbol(border_char)
                .set_style(theme.border(focused));
        }
    }
    inner
}

fn render_too_small(frame: &mut Frame, area: Rect, mode: AmbiguousWidth, theme: &Theme) {
    let buf = frame.buffer_mut();
    cells::clear(buf, area, theme.normal());
    let message = format!(
        "Too small: {}×{}, need {MIN_WIDTH}×{MIN_HEIGHT}",
        area.width, area.height
    );
    let y = area.y + area.height / 2;
    put_spans(
        buf,
        area.x,
        y,
        area.width,
        &[(&message, theme.normal())],
        theme.normal(),
        mode,
    );
}
