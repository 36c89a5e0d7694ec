//! The one vocabulary of things a user can do. Keymap files name these in snake_case; the help
//! screen shows the `desc` the keymap gives them.

use serde::{Deserialize, Serialize};

/// Something the user asked for. Keymap files name actions in snake_case (`half_page_down`);
/// unknown names are errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Unbind: a chord mapped to `noop` does nothing (used to remove a default binding).
    Noop,
    /// Leave kanbao without printing anything.
    Quit,
    /// Show the help screen generated from the keymap.
    Help,
    /// Close a popup, cancel a prompt or pending input, leave zoom/raw view.
    Cancel,
    /// Move the selection (or scroll the body) down one line.
    Down,
    /// Move the selection (or scroll the body) up one line.
    Up,
    /// Go to the first item / the top.
    First,
    /// Go to the last item / the end.
    Last,
    /// Half a page down.
    HalfPageDown,
    /// Half a page up.
    HalfPageUp,
    /// A page down.
    PageDown,
    /// A page up.
    PageUp,
    /// Focus the pane to the left.
    FocusLeft,
    /// Focus the pane to the right.
    FocusRight,
    /// Focus the next pane (wraps around).
    FocusNext,
    /// Focus the previous pane (wraps around).
    FocusPrev,
    /// Open the selected issue or article.
    Open,
    /// The next article (from anywhere).
    NextArticle,
    /// The previous article (from anywhere).
    PrevArticle,
    /// The next issue.
    NextIssue,
    /// The previous issue.
    PrevIssue,
    /// Search inside the article.
    Search,
    /// Search the full text of the whole archive; the results replace the headlines.
    SearchArchive,
    /// Change the order of what is listed: issues (by paper and date, by date, by path), or
    /// search results (by date or by hits).
    Order,
    /// Mark the article unread again (or read).
    ToggleRead,
    /// Open the article's source file in `$VISUAL`/`$EDITOR` at its first line.
    Edit,
    /// List the marked articles of the whole archive in place of the headlines.
    ListMarks,
    /// Go to the issue of a date (typed as YYYY-MM-DD or YYYY-MM), or the nearest.
    GoToDate,
    /// The next search hit.
    SearchNext,
    /// The previous search hit.
    SearchPrev,
    /// Zoom the body to the full width of the screen (toggle).
    Zoom,
    /// Show the source lines of the article with line numbers (toggle).
    Raw,
    /// Confirm the input (prompt, jump).
    Confirm,
    /// The next result in a list popup.
    SelectNext,
    /// The previous result in a list popup.
    SelectPrev,
    /// Print the article (or the marked ones) to stdout and exit.
    Print,
    /// Mark or unmark the article for printing, piping or yanking, then move to the next.
    Mark,
    /// Pipe the article (or the marked ones) into a shell command and show its output.
    Pipe,
    /// Run a shell command on the terminal with the article on its stdin (suspends kanbao).
    Shell,
    /// Copy the article text to the clipboard (OSC 52; works over SSH).
    Yank,
    /// Copy the headline to the clipboard.
    YankTitle,
    /// Copy the article with its source line (citation, path and lines).
    YankWithSource,
    /// Copy the citation (GB/T 7714) of the article, or of the marked ones.
    Cite,
    /// Save the article (or the marked ones) to a file.
    Save,
    /// List the files that could not be read, and why.
    Problems,
    /// Suspend kanbao (back with `fg`).
    Suspend,
    /// Jump to a headline of this issue by typing (fuzzy, pinyin).
    JumpIssue,
    /// Jump to a headline anywhere in the archive by typing (fuzzy, pinyin).
    JumpArchive,
    /// Write or edit a note on the article.
    Annotate,
    /// Calendar: the day before.
    PrevDay,
    /// Calendar: the day after.
    NextDay,
    /// Calendar: a week earlier.
    PrevWeek,
    /// Calendar: a week later.
    NextWeek,
    /// Calendar: the same day a month earlier.
    PrevMonth,
    /// Calendar: the same day a month later.
    NextMonth,
}

impl Action {
    /// Every action, for checks that each is bound and for documentation.
    pub const ALL: &'static [Action] = &[
        Action::Noop,
        Action::Quit,
        Action::Help,
        Action::Cancel,
        Action::Down,
        Action::Up,
        Action::First,
        Action::Last,
        Action::HalfPageDown,
        Action::HalfPageUp,
        Action::PageDown,
        Action::PageUp,
        Action::FocusLeft,
        Action::FocusRight,
        Action::FocusNext,
        Action::FocusPrev,
        Action::Open,
        Action::NextArticle,
        Action::PrevArticle,
        Action::NextIssue,
        Action::PrevIssue,
        Action::Search,
        Action::SearchArchive,
        Action::Order,
        Action::ToggleRead,
        Action::Edit,
        Action::ListMarks,
        Action::GoToDate,
        Action::SearchNext,
        Action::SearchPrev,
        Action::Zoom,
        Action::Raw,
        Action::Confirm,
        Action::SelectNext,
        Action::SelectPrev,
        Action::Print,
        Action::Mark,
        Action::Pipe,
        Action::Shell,
        Action::Yank,
        Action::YankTitle,
        Action::YankWithSource,
        Action::Cite,
        Action::Save,
        Action::Problems,
        Action::Suspend,
        Action::JumpIssue,
        Action::JumpArchive,
        Action::Annotate,
        Action::PrevDay,
        Action::NextDay,
        Action::PrevWeek,
        Action::NextWeek,
        Action::PrevMonth,
        Action::NextMonth,
    ];

    /// The snake_case name used in keymap files.
    pub fn name(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    }

    /// Parses a snake_case name.
    pub fn from_name(name: &str) -> Option<Action> {
        serde_json::from_value(serde_json::Value::String(name.to_string())).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for action in Action::ALL {
            assert_eq!(Action::from_name(&action.name()), Some(*action));
        }
        assert_eq!(Action::HalfPageDown.name(), "half_page_down");
        assert_eq!(Action::from_name("no_such_thing"), None);
    }
}
