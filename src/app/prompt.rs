//! One-line text prompts (search, help filter) on ratatui-textarea, which measures CJK input by
//! display width so the cursor stays visible.

use ratatui_textarea::{Input, Key as InputKey, TextArea};

use crate::keymap::{Key, KeyCode};

/// What a prompt is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromptKind {
    /// `/` search in the article.
    Search,
    /// Filter the help screen.
    HelpFilter,
    /// `|` a command to pipe the article into.
    Pipe,
    /// `!` a command to run on the terminal.
    Shell,
    /// A file name to save to.
    Save,
    /// Confirm overwriting an existing file.
    Overwrite,
}

impl PromptKind {
    /// The label shown before the input.
    pub fn label(self) -> &'static str {
        match self {
            PromptKind::Search => "/",
            PromptKind::HelpFilter => "filter: ",
            PromptKind::Pipe => "pipe to: |",
            PromptKind::Shell => "run: !",
            PromptKind::Save => "save to: ",
            PromptKind::Overwrite => "file exists, overwrite? (y/N) ",
        }
    }
}

/// An open prompt.
pub struct Prompt {
    /// What it is for.
    pub kind: PromptKind,
    /// The input line.
    pub input: TextArea<'static>,
}

impl Prompt {
    /// An empty prompt.
    pub fn new(kind: PromptKind) -> Self {
        let mut input = TextArea::default();
        input.set_cursor_line_style(ratatui::style::Style::default());
        Prompt { kind, input }
    }

    /// Gives a key to the text input.
    pub fn input(&mut self, key: Key) {
        let code = match key.code {
            KeyCode::Char(c) => InputKey::Char(c),
            KeyCode::Backspace => InputKey::Backspace,
            KeyCode::Delete => InputKey::Delete,
            KeyCode::Left => InputKey::Left,
            KeyCode::Right => InputKey::Right,
            KeyCode::Home => InputKey::Home,
            KeyCode::End => InputKey::End,
            KeyCode::Tab => InputKey::Tab,
            // Enter would add a line to a one-line prompt.
            _ => return,
        };
        self.input.input(Input {
            key: code,
            ctrl: key.ctrl,
            alt: key.alt,
            shift: key.shift,
        });
    }

    /// The text typed so far.
    pub fn text(&self) -> String {
        self.input.lines().first().cloned().unwrap_or_default()
    }

    /// Replaces the text (history recall), cursor at the end.
    pub fn set_text(&mut self, text: &str) {
        let mut input = TextArea::new(vec![text.to_string()]);
        input.set_cursor_line_style(ratatui::style::Style::default());
        input.move_cursor(ratatui_textarea::CursorMove::End);
        self.input = input;
    }
}
