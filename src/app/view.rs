//! What the UI found on its last draw, and how the app follows it.

use super::App;
use super::popup::Popup;

/// What the UI found on its last draw: pane sizes (actions that page or scroll use them) and
/// the scroll positions it keeps or clamps. Drawing writes only here.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct View {
    /// Rows of the body pane's text area.
    pub body_height: usize,
    /// Columns of the body pane's text area.
    pub body_width: usize,
    /// Rows of the list panes' text areas.
    pub list_height: usize,
    /// What one page of the help screen (rows) or the output popup (lines shown whole) holds.
    pub help_height: usize,
    /// First visible row of the issue list and the headline list.
    pub list_offsets: [usize; 2],
    /// First visible row of the jump box's results.
    pub jump_top: usize,
    /// First visible row of the archive's search results.
    pub results_top: usize,
    /// Largest first row that still fills the body pane, as last drawn (`usize::MAX` when
    /// the body was not drawn).
    pub body_max_top: usize,
    /// Largest first row that still fills the help screen or the output popup, as last drawn.
    pub help_max_top: usize,
}

impl App {
    /// Brings the scroll positions that drawing found too far back within what was drawn, so
    /// the next key moves from what is on screen.
    pub fn clamp_to_view(&mut self) {
        let view: View = self.view;
        self.body_top = self.body_top.min(view.body_max_top);
        for popup in &mut self.popups {
            match popup {
                Popup::Help(help) => help.top = help.top.min(view.help_max_top),
                Popup::Output(output) => output.top = output.top.min(view.help_max_top),
                Popup::Prompt(_) | Popup::Jump(_) | Popup::Calendar(_) | Popup::Note(_) => {}
            }
        }
    }
}
