//! What leaves the reader: the selection (the marked articles or the current one), marks,
//! saving it, and the reports of commands run on it and copies made of it.

use std::path::{Path, PathBuf};

use super::prompt::PromptKind;
use super::{App, ArticleId, CommandResult, Output};
use crate::export::{self, Format};
use crate::model::Article;
use crate::save::{self, FileId, Target};

impl App {
    /// The articles actions apply to: the marked ones in archive order, or the current one.
    pub fn selection(&self) -> Vec<ArticleId> {
        // On the search results, the selected result is the current article.
        if self.marks.is_empty()
            && self.focus == super::Focus::Articles
            && let Some(results) = &self.results
        {
            return results.selected_article().into_iter().collect();
        }
        if self.marks.is_empty() {
            self.current_article()
                .map(|_| vec![self.article_id()])
                .unwrap_or_default()
        } else {
            self.marks.iter().copied().collect()
        }
    }

    /// The selection rendered in `format` (the same renderers as `kanbao cat`).
    /// Reads the files of marked articles' issues that are not at hand.
    pub fn selection_text(&mut self, format: Format) -> String {
        if self.with_source {
            return self.selection_text_with_source(format);
        }
        let articles: Vec<super::ArticleRef> = self
            .selection()
            .into_iter()
            .filter_map(|id| super::ArticleRef::new(self.library.read(id.issue)?, id.article))
            .collect();
        let articles: Vec<&Article> = articles.iter().map(|a| &**a).collect();
        export::articles(&articles, format)
    }

    /// The selection in `format`, each article followed by its source line.
    pub fn selection_text_with_source(&mut self, format: Format) -> String {
        let articles: Vec<(std::sync::Arc<crate::model::Issue>, usize)> = self
            .selection()
            .into_iter()
            .filter_map(|id| {
                let issue = self.library.read(id.issue)?;
                (id.article < issue.articles.len()).then_some((issue, id.article))
            })
            .collect();
        let pairs: Vec<(&crate::model::Issue, &Article)> = articles
            .iter()
            .map(|(issue, a)| (issue.as_ref(), &issue.articles[*a]))
            .collect();
        export::articles_with_source(&pairs, format)
    }

    pub(super) fn toggle_mark(&mut self, count: usize) {
        for _ in 0..count.max(1) {
            if self.current_article().is_none() {
                break;
            }
            let key = self.article_id();
            let on = !self.marks.remove(&key);
            if on {
                self.marks.insert(key);
            }
            self.persist_mark(key, on);
            let last = self
                .current_summary()
                .map_or(0, |i| i.headlines.len().saturating_sub(1));
            if self.article < last {
                self.select_article(self.article + 1);
            }
        }
        self.message = Some(match self.marks.len() {
            0 => "no articles marked".to_string(),
            1 => "1 article marked".to_string(),
            n => format!("{n} articles marked"),
        });
    }

    /// Reports how a piped or run command ended: its output in a popup (when `shown`) and its
    /// exit status in the status line.
    pub fn command_finished(
        &mut self,
        command: &str,
        shown: bool,
        result: Result<CommandResult, String>,
    ) {
        match result {
            Ok(result) => {
                let status = match (&result.stopped, result.status) {
                    (Some(why), _) => format!("{why} (output so far shown)"),
                    (None, Some(code)) => format!("exited {code}"),
                    (None, None) => "was killed by a signal".to_string(),
                };
                self.message = Some(format!("`{command}` {status}"));
                if shown {
                    let mut lines: Vec<String> =
                        result.stdout.lines().map(str::to_string).collect();
                    lines.extend(result.stderr.lines().map(str::to_string));
                    if lines.is_empty() {
                        lines.push("(no output)".into());
                    }
                    self.show_output(Output {
                        title: format!("|{command}  ({status})"),
                        lines,
                        top: 0,
                    });
                }
            }
            Err(e) => self.message = Some(format!("`{command}` could not run: {e}")),
        }
    }

    /// Reports a clipboard copy; `large` when some terminals may refuse a copy of that size.
    pub fn yanked(&mut self, label: &str, text: &str, result: std::io::Result<()>, large: bool) {
        let chars = text.chars().count();
        self.message = Some(match result {
            Ok(()) if large => format!(
                "copied {label}: {chars} characters ({} KB over OSC 52; some terminals refuse copies over 100 KB)",
                text.len() / 1024
            ),
            Ok(()) => format!("copied {label}: {chars} characters"),
            Err(e) => format!("could not copy: {e}"),
        });
    }

    /// True when `path` is one of the issues being read, under any name (a hard link or a
    /// symlink to it included).
    pub(super) fn is_source(&self, path: &Path) -> bool {
        let Some(target) = FileId::of(path) else {
            return false;
        };
        (0..self.library.len())
            .filter_map(|i| self.library.file_path(i))
            .any(|source| FileId::of(source) == Some(target))
    }

    /// Writes the selection to `path`; an existing file only after the user said yes
    /// (`overwrite`), and then atomically (see [`crate::save`]).
    pub(super) fn save(&mut self, path: PathBuf, overwrite: bool) {
        if self.is_source(&path) {
            self.message = Some(format!(
                "not overwritten: {} is an issue being read",
                path.display()
            ));
            return;
        }
        match save::target(&path) {
            Target::Refused(why) => {
                self.message = Some(format!("not saved ({why}): {}", path.display()));
                return;
            }
            Target::Exists if !overwrite => {
                self.pending_save = Some(path);
                self.push_prompt(PromptKind::Overwrite);
                return;
            }
            Target::Exists | Target::Free => {}
        }
        let text = self.selection_text(self.format);
        self.message = Some(match save::write_atomically(&path, text.as_bytes()) {
            Ok(()) => format!("saved {} bytes to {}", text.len(), path.display()),
            Err(e) => format!("could not save {}: {e}", path.display()),
        });
    }
}

pub(super) use crate::config::expand_home;
