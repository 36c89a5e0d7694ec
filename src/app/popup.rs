//! What opens over the panes: the help screen, a command's output, a one-line prompt and the
//! jump box. They form one stack: the top one takes the keys (it names the keymap context)
//! and they are drawn bottom to top.
//!
//! A stack rather than one slot because two can be open at once: the help filter's prompt
//! sits on the help screen, and a `|` command running in the background can finish while the
//! jump box or a prompt is open — its output then waits beneath what is being typed.

use super::App;
use super::calendar::Calendar;
use super::jump::Jump;
use super::notes::NoteEditor;
use super::prompt::{Prompt, PromptKind};
use crate::keymap::{Action, Context};

/// The help screen's state.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Help {
    /// First visible row.
    pub top: usize,
    /// Only rows containing this (case-insensitive) are shown.
    pub filter: String,
}

/// A command's output shown in a scrollable popup.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Output {
    /// What ran.
    pub title: String,
    /// Its output, one entry per line.
    pub lines: Vec<String>,
    /// First visible row.
    pub top: usize,
}

/// One popup.
pub enum Popup {
    /// The keymap, filterable.
    Help(Help),
    /// A command's output, or the problems list.
    Output(Output),
    /// A one-line prompt on the status line.
    Prompt(Box<Prompt>),
    /// The jump box.
    Jump(Box<Jump>),
    /// The calendar of `D`.
    Calendar(Box<Calendar>),
    /// The note editor of `a`.
    Note(Box<NoteEditor>),
}

impl Popup {
    /// The keymap context keys are read in while this popup is on top.
    pub fn context(&self) -> Context {
        match self {
            Popup::Help(_) | Popup::Output(_) => Context::Help,
            Popup::Prompt(_) => Context::Prompt,
            Popup::Jump(_) => Context::Jump,
            Popup::Calendar(_) => Context::Calendar,
            Popup::Note(_) => Context::Note,
        }
    }

    /// Something is being typed into it.
    fn takes_text(&self) -> bool {
        matches!(
            self,
            Popup::Prompt(_) | Popup::Jump(_) | Popup::Calendar(_) | Popup::Note(_)
        )
    }
}

/// Finds the topmost popup of one kind: `topmost!(self, Help)` gives `Option<&Help>`.
macro_rules! topmost {
    ($iter:expr, $kind:ident) => {
        $iter.rev().find_map(|p| match p {
            Popup::$kind(it) => Some(it),
            _ => None,
        })
    };
}

impl App {
    /// The help screen, if open.
    pub fn help(&self) -> Option<&Help> {
        topmost!(self.popups.iter(), Help)
    }

    /// The command output popup, if open.
    pub fn output(&self) -> Option<&Output> {
        topmost!(self.popups.iter(), Output)
    }

    /// The open prompt, if any.
    pub fn prompt(&self) -> Option<&Prompt> {
        topmost!(self.popups.iter(), Prompt).map(|b| &**b)
    }

    /// The jump box, if open.
    pub fn jump(&self) -> Option<&Jump> {
        topmost!(self.popups.iter(), Jump).map(|b| &**b)
    }

    pub(super) fn help_mut(&mut self) -> Option<&mut Help> {
        topmost!(self.popups.iter_mut(), Help)
    }

    pub(super) fn prompt_mut(&mut self) -> Option<&mut Prompt> {
        topmost!(self.popups.iter_mut(), Prompt).map(|b| &mut **b)
    }

    pub(super) fn jump_mut(&mut self) -> Option<&mut Jump> {
        topmost!(self.popups.iter_mut(), Jump).map(|b| &mut **b)
    }

    /// Opens a one-line prompt over whatever is open.
    pub(super) fn push_prompt(&mut self, kind: PromptKind) {
        self.popups.push(Popup::Prompt(Box::new(Prompt::new(kind))));
    }

    /// Shows `output`: in place of the output shown, else beneath a prompt or jump box being
    /// typed in (so the keys keep going where they went), else on top.
    pub(super) fn show_output(&mut self, output: Output) {
        if let Some(shown) = self.popups.iter_mut().find_map(|p| match p {
            Popup::Output(o) => Some(o),
            _ => None,
        }) {
            *shown = output;
            return;
        }
        let at = self
            .popups
            .iter()
            .rposition(|p| !p.takes_text())
            .map_or(0, |i| i + 1);
        self.popups.insert(at, Popup::Output(output));
    }

    /// Closes the top popup if it is a prompt (the help filter's closes with it).
    pub(super) fn close_prompt(&mut self) -> Option<Prompt> {
        match self.popups.last() {
            Some(Popup::Prompt(_)) => match self.popups.pop() {
                Some(Popup::Prompt(prompt)) => Some(*prompt),
                _ => None,
            },
            _ => None,
        }
    }

    /// Keys in the help or output popup on top: scroll it, close it, filter the help.
    pub(super) fn update_help(&mut self, action: Action, count: usize) {
        let page = self.view.help_height.max(1);
        let on_output = matches!(self.popups.last(), Some(Popup::Output(_)));
        let top = match self.popups.last_mut() {
            Some(Popup::Output(output)) => &mut output.top,
            Some(Popup::Help(help)) => &mut help.top,
            _ => return,
        };
        match action {
            Action::Down => *top = top.saturating_add(count),
            Action::Up => *top = top.saturating_sub(count),
            Action::HalfPageDown => *top = top.saturating_add(page / 2),
            Action::HalfPageUp => *top = top.saturating_sub(page / 2),
            Action::PageDown => *top = top.saturating_add(page),
            Action::PageUp => *top = top.saturating_sub(page),
            Action::First => *top = 0,
            Action::Last => *top = usize::MAX / 2,
            Action::Cancel | Action::Help | Action::Quit => {
                self.popups.pop();
            }
            Action::Search if !on_output => self.push_prompt(PromptKind::HelpFilter),
            _ => {}
        }
    }
}
