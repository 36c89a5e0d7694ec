//! Keys in popups and prompts: the jump popup, one-line prompts (search, pipe, save, overwrite),
//! and scrolling the help and command-output popups.

use std::path::PathBuf;
use std::rc::Rc;

use super::jump::Jump;
use super::prompt::{Prompt, PromptKind};
use super::selection::expand_home;
use super::{App, ArticleId, Focus, Request};
use crate::find::HeadlineIndex;
use crate::keymap::Action;

impl App {
    /// Live effects of editing a prompt (the help filter narrows as you type).
    pub(super) fn after_prompt_edit(&mut self) {
        if let (Some(prompt), Some(help)) = (self.prompt.as_ref(), self.help.as_mut())
            && prompt.kind == PromptKind::HelpFilter
        {
            help.filter = prompt.text();
            help.top = 0;
        }
    }

    pub(super) fn update_prompt(&mut self, action: Action) {
        match action {
            Action::Cancel => {
                if self
                    .prompt
                    .as_ref()
                    .is_some_and(|p| p.kind == PromptKind::HelpFilter)
                    && let Some(help) = self.help.as_mut()
                {
                    help.filter.clear();
                }
                self.prompt = None;
            }
            Action::Confirm => {
                let Some(prompt) = self.prompt.take() else {
                    return;
                };
                let text = prompt.text();
                match prompt.kind {
                    PromptKind::Search => self.start_search(text),
                    PromptKind::HelpFilter => {}
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

    /// Keys in a popup (help, command output): scroll it, close it.
    pub(super) fn update_help(&mut self, action: Action, count: usize) {
        let page = self.view.help_height.max(1);
        let top = match (self.output.as_mut(), self.help.as_mut()) {
            (Some(output), _) => &mut output.top,
            (None, Some(help)) => &mut help.top,
            (None, None) => return,
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
            Action::Cancel | Action::Help | Action::Quit if self.output.take().is_none() => {
                self.help = None;
            }
            Action::Search if self.output.is_none() => {
                self.prompt = Some(Prompt::new(PromptKind::HelpFilter))
            }
            _ => {}
        }
    }

    /// Opens the jump popup over this issue's headlines or the whole archive's.
    pub(super) fn open_jump(&mut self, archive_wide: bool) {
        let index = self.find_index();
        let partial = self.library.is_loading().then(|| self.library.progress());
        let scope = jump_scope(&index, archive_wide, self.issue);
        self.jump = Some(Jump::new(
            index,
            partial,
            archive_wide,
            scope,
            self.article_id(),
        ));
    }

    /// The headline index of the archive as loaded so far, built once per library generation.
    fn find_index(&mut self) -> Rc<HeadlineIndex> {
        let generation = self.library.generation();
        if let Some((built, index)) = &self.find_index
            && *built == generation
        {
            return Rc::clone(index);
        }
        let index = Rc::new(HeadlineIndex::from_headlines(
            self.library
                .summaries()
                .map(|(i, s)| (i, s.headlines.as_slice())),
        ));
        self.find_index = Some((generation, Rc::clone(&index)));
        index
    }

    /// While the archive loads, an open jump popup takes in the headlines that arrived (at
    /// most every [`JUMP_REINDEX_EVERY`], and once more when loading ends) and ranks again.
    pub(super) fn refresh_jump_while_loading(&mut self) {
        let due = self
            .jump_reindexed
            .is_none_or(|at| at.elapsed() >= JUMP_REINDEX_EVERY)
            || !self.library.is_loading();
        match &self.jump {
            Some(jump) if jump.partial.is_some() && due => {}
            _ => return,
        }
        self.jump_reindexed = Some(std::time::Instant::now());
        let index = self.find_index();
        let partial = self.library.is_loading().then(|| self.library.progress());
        let issue = self.issue;
        if let Some(jump) = self.jump.as_mut() {
            let scope = jump_scope(&index, jump.archive_wide, issue);
            jump.reindex(index, partial, scope);
        }
    }

    pub(super) fn update_jump(&mut self, action: Action) {
        let Some(jump) = self.jump.as_mut() else {
            return;
        };
        match action {
            Action::SelectNext | Action::Down => jump.select(1),
            Action::SelectPrev | Action::Up => jump.select(-1),
            Action::PageDown | Action::HalfPageDown => jump.select(10),
            Action::PageUp | Action::HalfPageUp => jump.select(-10),
            Action::Cancel => {
                // Back to where you were.
                let ArticleId { issue, article } = jump.origin;
                self.jump = None;
                self.select_issue(issue);
                self.select_article(article);
            }
            Action::Confirm => {
                let target = jump
                    .hits
                    .get(jump.selected)
                    .and_then(|hit| jump.index.entries.get(hit.entry))
                    .map(|e| (e.issue, e.article));
                self.jump = None;
                match target {
                    Some((issue, article)) => {
                        self.select_issue(issue);
                        self.select_article(article);
                        self.body_top = 0;
                        self.focus = Focus::Body;
                    }
                    None => self.message = Some("no headline matches".into()),
                }
            }
            _ => {}
        }
    }

    pub(super) fn open_prompt(&mut self, kind: PromptKind) {
        self.history_at = None;
        self.prompt = Some(Prompt::new(kind));
    }
}

/// How often an open jump popup takes in newly loaded headlines.
const JUMP_REINDEX_EVERY: std::time::Duration = std::time::Duration::from_millis(400);

/// The entries a jump popup searches: every one, or the current issue's.
fn jump_scope(index: &HeadlineIndex, archive_wide: bool, issue: usize) -> Vec<usize> {
    index
        .entries
        .iter()
        .enumerate()
        .filter(|(_, e)| archive_wide || e.issue == issue)
        .map(|(i, _)| i)
        .collect()
}
