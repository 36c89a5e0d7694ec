//! The note editor: a box over the panes titled with the article's headline, the note's lines
//! in a ratatui-textarea, and how to leave it on the last row.

use ratatui::Frame;
use ratatui::layout::Rect;

use super::cells::put_spans;
use super::theme::Theme;
use crate::app::App;
use crate::app::notes::NoteEditor;
use crate::keymap::{Action, Context};

/// Draws the note editor over `area`.
pub fn render(frame: &mut Frame, area: Rect, app: &App, editor: &NoteEditor, theme: &Theme) {
    let mode = app.ambiguous;
    let title = format!(" 注 Note — {} ", editor.title);
    let width = area.width.saturating_sub(4).min(72);
    let height = area.height.saturating_sub(2).min(14);
    let inner = super::help::framed(
        frame.buffer_mut(),
        area,
        (width, height),
        &title,
        mode,
        theme,
    );
    if inner.height < 2 || inner.width < 4 {
        return;
    }
    let chord = |action| {
        app.keymap
            .chord_for(Context::Note, action)
            .unwrap_or_else(|| "?".into())
    };
    let hint = format!(
        "{}: save · {}: leave as it was · Enter: new line",
        chord(Action::Confirm),
        chord(Action::Cancel)
    );
    let text_area = Rect::new(inner.x + 1, inner.y, inner.width - 2, inner.height - 1);
    frame.buffer_mut().set_style(text_area, theme.normal());
    frame.render_widget(&editor.input.input, text_area);
    put_spans(
        frame.buffer_mut(),
        inner.x,
        inner.y + inner.height - 1,
        inner.width,
        &[(" ", theme.dim()), (&hint, theme.dim())],
        theme.normal(),
        mode,
    );
}
