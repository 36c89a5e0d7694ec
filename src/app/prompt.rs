//! One-line text prompts (search, help filter) on ratatui-textarea, which measures CJK input by
//! display width so the cursor stays visible; and what their keys do.

use std::path::PathBuf;

use ratatui_textarea::TextArea;

use super::popup::Popup;
use super::selection::expand_home;
use super::{App, Request};
use crate::keymap::{Action, Key, KeyCode};

/// What a prompt is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromptKind {
    /// `/` search in the article.
    Search,
    /// `S` search of the archive's full text.
    Archive,
    /// `D` a date to go to.
    Date,
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
    /// A note on an article: several lines.
    Note,
}

impl PromptKind {
    /// The label shown before the input.
    pub fn label(self) -> &'static str {
        match self {
            PromptKind::Search => "/",
            PromptKind::Archive => "search the archive: ",
            PromptKind::Date => "go to date (YYYY-MM-DD or YYYY-MM): ",
            PromptKind::HelpFilter => "filter: ",
            PromptKind::Pipe => "pipe to: |",
            PromptKind::Shell => "run: !",
            PromptKind::Save => "save to: ",
            PromptKind::Overwrite => "file exists, overwrite? (y/N) ",
            PromptKind::Note => "note: ",
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

    /// Gives a key to the one-line text input. readline's editing keys work as in a shell
    /// (`C-a C-e C-b C-f C-h C-d C-u C-k C-w`, `M-b M-f M-d`); any other control or Alt key is
    /// ignored, never handed to the text area (which would read `C-j`/`C-m` as a new line, `C-u`
    /// as undo and `C-v`/`C-y` as paste).
    pub fn input(&mut self, key: Key) {
        use ratatui_textarea::CursorMove;
        let multiline = self.kind == PromptKind::Note;
        let area = &mut self.input;
        // A note has lines: Enter starts one, the arrows move between them.
        if multiline && !key.ctrl && !key.alt {
            match key.code {
                KeyCode::Enter => return area.insert_newline(),
                KeyCode::Up => return area.move_cursor(CursorMove::Up),
                KeyCode::Down => return area.move_cursor(CursorMove::Down),
                _ => {}
            }
        }
        match (key.code, key.ctrl, key.alt) {
            (KeyCode::Char(c), true, false) => match c.to_ascii_lowercase() {
                'a' => area.move_cursor(CursorMove::Head),
                'e' => area.move_cursor(CursorMove::End),
                'b' => area.move_cursor(CursorMove::Back),
                'f' => area.move_cursor(CursorMove::Forward),
                'h' => {
                    area.delete_char();
                }
                'd' => {
                    area.delete_next_char();
                }
                'u' => {
                    area.delete_line_by_head();
                }
                'k' => {
                    area.delete_line_by_end();
                }
                'w' => {
                    area.delete_word();
                }
                _ => {}
            },
            (KeyCode::Char(c), false, true) => match c {
                'b' => area.move_cursor(CursorMove::WordBack),
                'f' => area.move_cursor(CursorMove::WordForward),
                'd' => {
                    area.delete_next_word();
                }
                _ => {}
            },
            (KeyCode::Backspace, false, true) => {
                area.delete_word();
            }
            (_, true, _) | (_, _, true) => {}
            (KeyCode::Char(c), false, false) => area.insert_char(c),
            (KeyCode::Backspace, ..) => {
                area.delete_char();
            }
            (KeyCode::Delete, ..) => {
                area.delete_next_char();
            }
            (KeyCode::Left, ..) => area.move_cursor(CursorMove::Back),
            (KeyCode::Right, ..) => area.move_cursor(CursorMove::Forward),
            (KeyCode::Home, ..) => area.move_cursor(CursorMove::Head),
            (KeyCode::End, ..) => area.move_cursor(CursorMove::End),
            // Enter would add a line to a one-line prompt; Tab has no meaning here.
            _ => {}
        }
    }

    /// Inserts pasted text as one line (line breaks and tabs become spaces, controls go); into
    /// a note, line by line.
    pub fn paste(&mut self, text: &str) {
        if self.kind == PromptKind::Note {
            let text = text.replace("\r\n", "\n").replace('\t', "    ");
            for (i, line) in text.split(['\n', '\r']).enumerate() {
                if i > 0 {
                    self.input.insert_newline();
                }
                let line: String = line.chars().filter(|c| !c.is_control()).collect();
                self.input.insert_str(line);
            }
            return;
        }
        let line: String = text
            .chars()
            .map(|c| {
                if matches!(c, '\n' | '\r' | '\t') {
                    ' '
                } else {
                    c
                }
            })
            .filter(|c| !c.is_control())
            .collect();
        self.input.insert_str(line.trim_end());
    }

    /// The text typed so far.
    pub fn text(&self) -> String {
        self.input.lines().first().cloned().unwrap_or_default()
    }

    /// Every line typed, joined by line breaks (a note's text).
    pub fn full_text(&self) -> String {
        self.input.lines().join("\n")
    }

    /// Replaces the text (history recall), cursor at the end.
    pub fn set_text(&mut self, text: &str) {
        let mut input = TextArea::new(vec![text.to_string()]);
        input.set_cursor_line_style(ratatui::style::Style::default());
        input.move_cursor(ratatui_textarea::CursorMove::End);
        self.input = input;
    }
}

impl App {
    /// Puts an older (or newer) command of the `|`/`!` history into the open prompt.
    pub(super) fn recall_history(&mut self, older: bool) {
        if self.history.is_empty() {
            return;
        }
        let last = self.history.len() - 1;
        let at = match (self.history_at, older) {
            (None, true) => Some(last),
            (None, false) => None,
            (Some(i), true) => Some(i.saturating_sub(1)),
            (Some(i), false) if i < last => Some(i + 1),
            (Some(_), false) => None,
        };
        self.history_at = at;
        let text = at.map(|i| self.history[i].clone()).unwrap_or_default();
        if let Some(prompt) = self.prompt_mut() {
            prompt.set_text(&text);
        }
    }
}

impl App {
    /// Live effects of editing a prompt (the help filter narrows as you type).
    pub(super) fn after_prompt_edit(&mut self) {
        let Some(Popup::Prompt(prompt)) = self.popups.last() else {
            return;
        };
        if prompt.kind == PromptKind::HelpFilter {
            let filter = prompt.text();
            if let Some(help) = self.help_mut() {
                help.filter = filter;
                help.top = 0;
            }
        }
    }

    pub(super) fn update_prompt(&mut self, action: Action) {
        match action {
            Action::Cancel => {
                if self.close_prompt().map(|p| p.kind) == Some(PromptKind::HelpFilter)
                    && let Some(help) = self.help_mut()
                {
                    help.filter.clear();
                }
            }
            Action::Confirm => {
                let Some(prompt) = self.close_prompt() else {
                    return;
                };
                let text = prompt.text();
                match prompt.kind {
                    PromptKind::Search => self.start_search(text),
                    PromptKind::Archive => self.search_archive(text),
                    PromptKind::Date if text.trim().is_empty() => {}
                    PromptKind::Date => {
                        if let Err(e) = self.go_to_date(&text) {
                            self.message = Some(e);
                        }
                    }
                    // A note is written in its own editor, never on the status line.
                    PromptKind::HelpFilter | PromptKind::Note => {}
                    PromptKind::Pipe | PromptKind::Shell if text.trim().is_empty() => {}
                    PromptKind::Pipe | PromptKind::Shell => {
                        if self.history.last() != Some(&text) {
                            self.history.push(text.clone());
                        }
                        let input = self.selection_text(self.format);
                        self.request = Some(if prompt.kind == PromptKind::Pipe {
                            Request::Pipe {
                                command: text,
                                input,
                            }
                        } else {
                            Request::Shell {
                                command: text,
                                input,
                            }
                        });
                    }
                    PromptKind::Save if text.trim().is_empty() => {}
                    PromptKind::Save => self.save(PathBuf::from(expand_home(text.trim())), false),
                    PromptKind::Overwrite => {
                        let yes = matches!(text.trim().to_lowercase().as_str(), "y" | "yes");
                        match self.pending_save.take() {
                            Some(path) if yes => self.save(path, true),
                            Some(path) => {
                                self.message = Some(format!("not saved: {} exists", path.display()))
                            }
                            None => {}
                        }
                    }
                }
            }
            Action::SelectPrev | Action::Up => self.recall_history(true),
            Action::SelectNext | Action::Down => self.recall_history(false),
            _ => {}
        }
    }

    pub(super) fn open_prompt(&mut self, kind: PromptKind) {
        self.history_at = None;
        self.push_prompt(kind);
    }
}
