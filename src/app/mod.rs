//! The application layer: the reader's state and what actions do to it (`update`). No drawing
//! here: the UI reads this state and writes back only view sizes (`View`).

pub mod body;
pub mod calendar;
pub mod dates;
pub mod issue_rows;
pub mod jump;
mod memory;
mod motion;
pub mod notes;
pub mod popup;
pub mod prompt;
mod request;
pub mod results;
mod search;
mod selection;
mod view;

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::rc::Rc;
use std::sync::Arc;
use std::time::Instant;

use crate::keymap::Action;
use body::BodyLine;
pub use popup::{Help, Output, Popup};
use prompt::PromptKind;
pub use request::{CommandResult, Request};
pub use search::Search;
pub use view::View;

use crate::export::Format;
use crate::find::HeadlineIndex;
use crate::keymap::{Context, Key, Keymap, Resolution, Resolver};
use crate::library::Library;
use crate::model::{Article, Issue, IssueSummary};
use crate::text::AmbiguousWidth;

/// Which pane has the keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    /// The issue list.
    Issues,
    /// The headline list.
    Articles,
    /// The article body.
    Body,
}

impl Focus {
    const ORDER: [Focus; 3] = [Focus::Issues, Focus::Articles, Focus::Body];

    fn index(self) -> usize {
        Focus::ORDER.iter().position(|f| *f == self).unwrap_or(0)
    }
}

/// One article of the archive: the issue's slot and the article's place in it (0-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ArticleId {
    /// The issue (slot) in the library.
    pub issue: usize,
    /// The article in the issue.
    pub article: usize,
}

/// An article of a whole issue: derefs to the [`Article`].
pub struct ArticleRef {
    issue: Arc<Issue>,
    index: usize,
}

impl ArticleRef {
    /// Article `index` of `issue`, if it has one.
    pub fn new(issue: Arc<Issue>, index: usize) -> Option<ArticleRef> {
        (index < issue.articles.len()).then_some(ArticleRef { issue, index })
    }
}

impl std::ops::Deref for ArticleRef {
    type Target = Article;

    fn deref(&self) -> &Article {
        &self.issue.articles[self.index]
    }
}

/// The reader's whole state.
pub struct App {
    /// What is being read: every issue's headlines, a few whole issues, the background load.
    pub library: Library,
    /// The keymap in force.
    pub keymap: Keymap,
    /// How ambiguous-width characters are measured.
    pub ambiguous: AmbiguousWidth,
    /// Which pane has the keyboard.
    pub focus: Focus,
    /// Selected issue (its slot in the library).
    pub issue: usize,
    /// The issue pane's rows: issues in the order chosen, with paper and month headers.
    pub issue_rows: issue_rows::IssueRows,
    /// Selected article of the selected issue.
    pub article: usize,
    /// First visible line of the body.
    pub body_top: usize,
    /// The body fills the screen.
    pub zoom: bool,
    /// The body shows source lines.
    pub raw: bool,
    /// The search in force, highlighted in the body.
    pub search: Option<Search>,
    /// The results of a search of the archive (`S`), shown in place of the headlines.
    pub results: Option<results::Results>,
    /// A search of the archive typed while its index was being built: run when it is done.
    pending_search: Option<String>,
    /// The archive's memory (position, marks), when there is one.
    remembered: memory::Remembered,
    /// What is open over the panes, bottom to top: the top one takes the keys.
    pub popups: Vec<Popup>,
    /// A message for the status line.
    pub message: Option<String>,
    /// Pending count and chord.
    pub resolver: Resolver,
    /// When the pending chord was started (for the which-key hint).
    pub pending_since: Option<Instant>,
    /// Set by `quit`.
    pub should_quit: bool,
    /// When an open jump popup last took in headlines that arrived while loading.
    jump_reindexed: Option<Instant>,
    /// `quit` was pressed with articles marked and asked for confirmation.
    quit_asked: bool,
    /// The key being handled answers that question.
    quit_confirmed_by_repeat: bool,
    /// Sizes from the last draw.
    pub view: View,
    /// Draw with colours (off when `NO_COLOR` is set).
    pub color: bool,
    /// Marked articles as (issue, article), in archive order.
    pub marks: BTreeSet<ArticleId>,
    /// Articles read (shown a few seconds, or scrolled to the end), drawn dimmed.
    pub reads: BTreeSet<ArticleId>,
    /// Notes on articles, shown under their headers.
    pub notes: std::collections::BTreeMap<ArticleId, String>,
    /// Bumped when a note changes (the body's layout depends on it).
    notes_version: u64,
    /// Work for the event loop.
    pub request: Option<Request>,
    /// Articles to print to stdout once the terminal is restored.
    pub print: Option<Vec<ArticleId>>,
    /// The shape of printed, piped and saved articles.
    pub format: Format,
    /// Printed, piped, saved and copied articles carry a source line (`--with-source`).
    pub with_source: bool,
    /// Commands piped or run before, oldest first.
    pub history: Vec<String>,
    history_at: Option<usize>,
    pending_save: Option<PathBuf>,
    /// Files that could not be read: `path: reason`.
    pub problems: Vec<String>,
    /// The headline search index, built on first use, with the library generation it is of.
    pub find_index: Option<(u64, Rc<HeadlineIndex>)>,
    /// The headline search index being built in the background once the archive is in, with
    /// the library generation it is of.
    find_prebuild: Option<(
        u64,
        std::sync::mpsc::Receiver<crate::library::headline_file::Prebuilt>,
    )>,
    body_cache: RefCell<Option<(body::BodyKey, Rc<Vec<BodyLine>>)>>,
}

impl App {
    /// A reader over `library` (or an already parsed `Archive`) with `keymap`.
    pub fn new(library: impl Into<Library>, keymap: Keymap, ambiguous: AmbiguousWidth) -> Self {
        let mut library = library.into();
        let message = if library.is_empty() {
            Some("no issues to show".to_string())
        } else {
            None
        };
        // The first issue is read now, so the first frame shows its headlines.
        let issue_rows =
            issue_rows::IssueRows::new(&library, crate::library::order::Order::default());
        let first = issue_rows.first();
        library.select(first);
        App {
            library,
            keymap,
            ambiguous,
            focus: Focus::Issues,
            issue: first,
            issue_rows,
            article: 0,
            body_top: 0,
            zoom: false,
            raw: false,
            search: None,
            results: None,
            pending_search: None,
            remembered: memory::Remembered::default(),
            popups: Vec::new(),
            message,
            resolver: Resolver::default(),
            pending_since: None,
            should_quit: false,
            jump_reindexed: None,
            quit_asked: false,
            quit_confirmed_by_repeat: false,
            view: View {
                body_height: 20,
                body_width: 60,
                list_height: 20,
                help_height: 20,
                body_max_top: usize::MAX,
                help_max_top: usize::MAX,
                ..View::default()
            },
            color: true,
            marks: BTreeSet::new(),
            reads: BTreeSet::new(),
            notes: std::collections::BTreeMap::new(),
            notes_version: 0,
            request: None,
            print: None,
            format: Format::Text,
            with_source: false,
            history: Vec::new(),
            history_at: None,
            pending_save: None,
            problems: Vec::new(),
            find_index: None,
            find_prebuild: None,
            body_cache: RefCell::new(None),
        }
    }

    /// Opens at article `number` (1-based) of the first issue, focused on the body.
    pub fn open_article(&mut self, number: usize) -> Result<(), String> {
        let count = self.current_summary().map_or(0, |i| i.headlines.len());
        if number == 0 || number > count {
            return Err(format!("no article {number} (the first issue has {count})"));
        }
        self.article = number - 1;
        self.focus = Focus::Body;
        Ok(())
    }

    /// The selected issue's summary (masthead fields and headlines), once loaded.
    pub fn current_summary(&self) -> Option<&IssueSummary> {
        self.library.summary(self.issue)
    }

    /// The selected issue, whole (kept since it was selected; never read from its file here).
    pub fn current_issue(&self) -> Option<Arc<Issue>> {
        self.library.issue(self.issue)
    }

    /// The selected article.
    pub fn current_article(&self) -> Option<ArticleRef> {
        ArticleRef::new(self.current_issue()?, self.article)
    }

    /// Takes in what the background load finished, asks for the issues on screen first, and
    /// reports problems once loading ends. Returns true when the screen needs redrawing.
    pub fn tick(&mut self) -> bool {
        let was_loading = self.library.is_loading();
        let changed = self.library.poll();
        if self.library.is_loading() {
            self.library.want(self.issue);
            let top = self.view.list_offsets[0];
            for row in (top..top + self.view.list_height).rev() {
                if let Some(slot) = self.issue_rows.slot_on_row(row) {
                    self.library.want(slot);
                }
            }
        }
        let notes = self.library.take_notes();
        let mut filled = self.fill_results();
        if self.library.search_index_building().is_none()
            && let Some(query) = self.pending_search.take()
        {
            self.search_archive(query);
            filled = true;
        }
        if changed {
            filled |= self.take_in_loaded();
        }
        self.save_position_if_due(false);
        filled |= self.note_reading();
        if was_loading && !self.library.is_loading() {
            self.after_loading();
            // `F` over the whole archive, ready before it is asked for.
            self.find_prebuild = self
                .library
                .headline_index_in_background()
                .map(|rx| (self.library.generation(), rx));
        }
        self.take_prebuilt_find_index(false);
        // A note joins what the status line already says rather than hiding it (a message
        // about the memory at start-up must not be lost to one about the index).
        if let Some(note) = notes.last() {
            self.message = Some(match self.message.take() {
                Some(shown) if !shown.contains(note.as_str()) => format!("{shown} · {note}"),
                _ => note.clone(),
            });
        }
        changed || filled || !notes.is_empty()
    }

    /// Takes in what the library has read since: the issue pane's order, an open calendar or
    /// jump box, remembered marks, reads and notes of issues now summarised. True when a mark,
    /// read or note was applied.
    pub fn take_in_loaded(&mut self) -> bool {
        self.issue_rows.refresh(&self.library);
        self.refresh_calendar();
        self.refresh_jump_while_loading();
        self.apply_pending_marks()
    }

    /// Pasted text: into the open prompt or jump box, as one line; anywhere else it is not run
    /// as keystrokes but set aside with a message.
    pub fn paste(&mut self, text: &str) {
        if !self.edit_input(|input| input.paste(text)) {
            self.message = Some(format!(
                "paste ignored ({} characters): open a prompt (/ | ! s) or the jump box first",
                text.chars().count()
            ));
        }
    }

    /// Makes `edit` to the text input on top (the jump box's or a prompt's) and lets it take
    /// effect; false when no input is on top.
    fn edit_input(&mut self, edit: impl FnOnce(&mut prompt::Prompt)) -> bool {
        match self.popups.last_mut() {
            Some(Popup::Jump(jump)) => {
                edit(&mut jump.input);
                jump.refresh();
            }
            Some(Popup::Prompt(prompt)) => {
                edit(prompt);
                self.after_prompt_edit();
            }
            Some(Popup::Calendar(calendar)) => {
                edit(&mut calendar.input);
                calendar.follow_input();
            }
            Some(Popup::Note(editor)) => edit(&mut editor.input),
            _ => return false,
        }
        true
    }

    /// Once every issue is summarised: problems go to the problems list and the status line.
    pub fn after_loading(&mut self) {
        self.problems = self.library.problems();
        if self.problems.is_empty() {
            return;
        }
        let key = self
            .keymap
            .chord_for(Context::Global, Action::Problems)
            .unwrap_or_else(|| "problems".into());
        self.message = Some(format!(
            "{} could not be read ({key} lists them): {}",
            self.problems.len(),
            self.problems[0]
        ));
    }

    /// The keymap context keys are read in now.
    pub fn context(&self) -> Context {
        match (self.popups.last(), self.focus) {
            (Some(popup), _) => popup.context(),
            (None, Focus::Issues) => Context::Issues,
            (None, Focus::Articles) => Context::Articles,
            (None, Focus::Body) => Context::Body,
        }
    }

    /// Handles one key: resolves it through the keymap (or gives it to an open prompt).
    pub fn handle_key(&mut self, key: Key) {
        // After "quit with marks?": `y` confirms (as the quit key again does, below); any other
        // key cancels and then does what it does.
        let confirming = std::mem::take(&mut self.quit_asked);
        if confirming && key == Key::plain(crate::keymap::KeyCode::Char('y')) {
            self.should_quit = true;
            return;
        }
        self.quit_confirmed_by_repeat = confirming;
        self.dispatch_key(key);
        // A chord still being typed (`C-x` of `C-x C-c`) keeps the question open.
        if confirming && !self.should_quit && self.pending_since.is_some() {
            self.quit_asked = true;
        }
        self.quit_confirmed_by_repeat = false;
    }

    fn dispatch_key(&mut self, key: Key) {
        let ctx = self.context();
        let counts = !matches!(
            ctx,
            Context::Prompt | Context::Jump | Context::Calendar | Context::Note
        );
        match self.resolver.feed(&self.keymap, ctx, key, counts) {
            Resolution::Pending => {
                self.pending_since.get_or_insert_with(Instant::now);
            }
            Resolution::Run {
                action,
                count,
                counted,
            } => {
                self.pending_since = None;
                self.update(action, count, counted);
            }
            Resolution::Unbound(typed) => {
                self.pending_since = None;
                if !self.edit_input(|input| input.input(key)) {
                    self.message = Some(format!(
                        "{typed} is not bound (press {} for help)",
                        self.help_chord()
                    ));
                }
            }
        }
    }

    fn help_chord(&self) -> String {
        self.keymap
            .chord_for(Context::Global, Action::Help)
            .unwrap_or_else(|| "?".into())
    }

    /// Applies an action `count` times (`counted`: a count was typed, e.g. `5G`).
    pub fn update(&mut self, action: Action, count: u32, counted: bool) {
        if action != Action::Noop {
            self.message = None;
        }
        let count = count as usize;
        match self.context() {
            Context::Jump => return self.update_jump(action),
            Context::Calendar => return self.update_calendar(action),
            Context::Note => return self.update_note(action),
            Context::Prompt => return self.update_prompt(action),
            Context::Help => return self.update_help(action, count),
            _ => {}
        }
        if self.results.is_some()
            && self.focus == Focus::Articles
            && self.update_results(action, count, counted)
        {
            return;
        }
        match action {
            Action::Noop | Action::Confirm | Action::SelectNext | Action::SelectPrev => {}
            // The calendar's own moves: nothing outside it.
            Action::PrevDay
            | Action::NextDay
            | Action::PrevWeek
            | Action::NextWeek
            | Action::PrevMonth
            | Action::NextMonth => {}
            Action::Quit
                if self.marks.is_empty()
                    || self.quit_confirmed_by_repeat
                    || self.remembers_marks() =>
            {
                self.should_quit = true
            }
            Action::Quit => {
                self.quit_asked = true;
                let n = self.marks.len();
                let key = self
                    .keymap
                    .chord_for(Context::Global, Action::Quit)
                    .unwrap_or_else(|| "q".into());
                self.message = Some(format!(
                    "{n} marked article{} will be lost: {key} again or y quits, any other key stays",
                    if n == 1 { "" } else { "s" }
                ));
            }
            Action::Help => self.popups.push(Popup::Help(Help::default())),
            Action::Cancel => self.cancel(),
            Action::Down => self.move_by(count as isize),
            Action::Up => self.move_by(-(count as isize)),
            Action::HalfPageDown => {
                self.move_by((self.page() / 2).max(1) as isize * count as isize)
            }
            Action::HalfPageUp => {
                self.move_by(-((self.page() / 2).max(1) as isize * count as isize))
            }
            Action::PageDown => {
                self.move_by(self.page().saturating_sub(1).max(1) as isize * count as isize)
            }
            Action::PageUp => {
                self.move_by(-(self.page().saturating_sub(1).max(1) as isize * count as isize))
            }
            Action::First => self.go_to(if counted { count.saturating_sub(1) } else { 0 }),
            Action::Last => self.go_to(if counted {
                count.saturating_sub(1)
            } else {
                usize::MAX
            }),
            Action::FocusLeft => self.focus = Focus::ORDER[self.focus.index().saturating_sub(1)],
            Action::FocusRight => self.focus = Focus::ORDER[(self.focus.index() + 1).min(2)],
            Action::FocusNext => self.focus = Focus::ORDER[(self.focus.index() + 1) % 3],
            Action::FocusPrev => self.focus = Focus::ORDER[(self.focus.index() + 2) % 3],
            Action::Open => self.open(),
            Action::NextArticle => self.select_article(self.article.saturating_add(count)),
            Action::PrevArticle => self.select_article(self.article.saturating_sub(count)),
            Action::NextIssue => self.move_issue_by(count as isize),
            Action::PrevIssue => self.move_issue_by(-(count as isize)),
            Action::Search => self.push_prompt(PromptKind::Search),
            Action::SearchArchive => self.push_prompt(PromptKind::Archive),
            Action::Order => match (&self.results, self.focus) {
                (Some(_), Focus::Articles | Focus::Body) => self.toggle_results_order(),
                _ => self.cycle_issue_order(),
            },
            Action::ToggleRead => self.toggle_read(),
            Action::Edit => self.edit_source(),
            Action::ListMarks => self.show_marks(),
            Action::GoToDate => self.open_calendar(),
            Action::Annotate => self.open_note(),
            Action::SearchNext => self.next_hit(true, count),
            Action::SearchPrev => self.next_hit(false, count),
            Action::Zoom => {
                self.zoom = !self.zoom;
                if self.zoom {
                    self.focus = Focus::Body;
                }
            }
            Action::Raw => {
                self.raw = !self.raw;
                self.body_top = 0;
            }
            Action::Print => {
                self.print = Some(self.selection());
                self.should_quit = true;
            }
            Action::Mark => self.toggle_mark(count),
            Action::Suspend => self.request = Some(Request::Suspend),
            Action::JumpIssue => self.open_jump(false),
            Action::JumpArchive => self.open_jump(true),
            Action::Problems => {
                // Asked of the library now: a file can fail after loading (when opened).
                self.problems = self.library.problems();
                if self.problems.is_empty() {
                    self.message = Some(if self.library.is_loading() {
                        let (done, total) = self.library.progress();
                        format!("no problems so far ({done} of {total} files read)")
                    } else {
                        "every file was read".into()
                    });
                } else {
                    self.show_output(Output {
                        title: format!("{} could not be read", self.problems.len()),
                        lines: self.problems.clone(),
                        top: 0,
                    });
                }
            }
            Action::Pipe => self.open_prompt(PromptKind::Pipe),
            Action::Shell => self.open_prompt(PromptKind::Shell),
            Action::Save => self.open_prompt(PromptKind::Save),
            Action::Yank | Action::YankWithSource => {
                let label = match self.selection().len() {
                    1 => "article".to_string(),
                    n => format!("{n} articles"),
                };
                let text = if action == Action::YankWithSource {
                    self.selection_text_with_source(Format::Text)
                } else {
                    self.selection_text(Format::Text)
                };
                self.request = Some(Request::Yank { text, label });
            }
            Action::Cite => {
                let parts: Vec<crate::export::cite::Parts> = self
                    .selection()
                    .into_iter()
                    .filter_map(|id| {
                        let issue = self.library.read(id.issue)?;
                        let article = issue.articles.get(id.article)?;
                        Some(crate::export::cite::Parts::of(&issue, article))
                    })
                    .collect();
                let label = match parts.len() {
                    1 => "citation".to_string(),
                    n => format!("{n} citations"),
                };
                let text =
                    crate::export::cite::citations(&parts, crate::export::cite::Style::Gbt7714);
                self.request = Some(Request::Yank {
                    text: text.trim_end().to_string(),
                    label,
                });
            }
            Action::YankTitle => {
                if let Some(article) = self.current_article() {
                    let title = [&article.kicker, &article.title, &article.subtitle]
                        .into_iter()
                        .flatten()
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(" ");
                    let text = if title.is_empty() {
                        article.display_title()
                    } else {
                        title
                    };
                    self.request = Some(Request::Yank {
                        text,
                        label: "headline".into(),
                    });
                }
            }
        }
    }

    /// `e`: the article's source file in `$VISUAL`/`$EDITOR` (else `vi`) at the article's
    /// first line, read-only where the editor has a flag for it (vi, vim, nvim, view).
    fn edit_source(&mut self) {
        let Some(path) = self
            .library
            .file_path(self.issue)
            .map(std::path::Path::to_path_buf)
        else {
            self.message =
                Some("this issue has no file to open (standard input or built in)".into());
            return;
        };
        let line = self.current_article().map_or(1, |a| a.lines.start.max(1));
        let editor = ["VISUAL", "EDITOR"]
            .iter()
            .filter_map(|v| std::env::var(v).ok())
            .find(|e| !e.trim().is_empty())
            .unwrap_or_else(|| "vi".into());
        self.request = Some(Request::Edit {
            command: edit_command(&editor, line, &path),
        });
    }

    fn cancel(&mut self) {
        self.resolver.reset();
        if self.zoom {
            self.zoom = false;
        } else if self.raw {
            self.raw = false;
        } else if self.results.is_some() {
            // From an article opened from the results, back to them; from them, to the issue.
            if self.focus == Focus::Body {
                self.focus = Focus::Articles;
            } else {
                self.close_results();
            }
        } else if self.search.is_some() {
            self.search = None;
        }
    }

    /// Keys on the search results (the headline pane while they are shown); false for the
    /// ones that do what they do anywhere.
    fn update_results(&mut self, action: Action, count: usize, counted: bool) -> bool {
        let Some(results) = &self.results else {
            return false;
        };
        let (selected, rows) = (results.selected, results.rows.len());
        let page = self.results_page();
        let step = |n: usize| n.max(1) * count.max(1);
        match action {
            Action::Down => self.select_result(selected.saturating_add(count)),
            Action::Up => self.select_result(selected.saturating_sub(count)),
            Action::PageDown => self.select_result(selected.saturating_add(step(page))),
            Action::PageUp => self.select_result(selected.saturating_sub(step(page))),
            Action::HalfPageDown => self.select_result(selected.saturating_add(step(page / 2))),
            Action::HalfPageUp => self.select_result(selected.saturating_sub(step(page / 2))),
            Action::First => self.select_result(if counted { count.saturating_sub(1) } else { 0 }),
            Action::Last => self.select_result(if counted {
                count.saturating_sub(1)
            } else {
                rows.saturating_sub(1)
            }),
            Action::Open => self.open_result(false),
            Action::Mark => {
                for _ in 0..count.max(1) {
                    let Some(id) = self
                        .results
                        .as_ref()
                        .and_then(|r| r.rows.get(r.selected).map(|row| (row.issue, row.article)))
                    else {
                        break;
                    };
                    if let (issue, Some(article)) = id {
                        let key = ArticleId { issue, article };
                        let on = !self.marks.remove(&key);
                        if on {
                            self.marks.insert(key);
                        }
                        self.persist_mark(key, on);
                    }
                    let at = self.results.as_ref().map_or(0, |r| r.selected);
                    self.select_result(at + 1);
                }
                self.message = Some(match self.marks.len() {
                    0 => "no articles marked".to_string(),
                    1 => "1 article marked".to_string(),
                    n => format!("{n} articles marked"),
                });
            }
            _ => return false,
        }
        true
    }
}

/// The shell command that opens `path` at `line` in `editor` (a command line, as `$EDITOR`
/// may hold `code --wait`): `+N` as vi, emacs, nano and most others take it, `-R` (read-only)
/// for the vi family, the path quoted for the shell.
pub fn edit_command(editor: &str, line: usize, path: &std::path::Path) -> String {
    let program = editor
        .split_whitespace()
        .next()
        .and_then(|p| p.rsplit('/').next())
        .unwrap_or("");
    let read_only = if matches!(program, "vi" | "vim" | "nvim" | "view" | "gvim") {
        " -R"
    } else {
        ""
    };
    let quoted = format!("'{}'", path.to_string_lossy().replace('\'', "'\\''"));
    format!("{editor}{read_only} +{line} {quoted}")
}

#[cfg(test)]
mod tests {
    use super::edit_command;
    use std::path::Path;

    #[test]
    fn the_editor_command_opens_at_the_line_read_only_where_it_can_and_quotes_the_path() {
        assert_eq!(
            edit_command("vim", 12, Path::new("/a/b.txt")),
            "vim -R +12 '/a/b.txt'"
        );
        assert_eq!(
            edit_command("/usr/bin/nvim", 3, Path::new("x.txt")),
            "/usr/bin/nvim -R +3 'x.txt'"
        );
        assert_eq!(
            edit_command("emacs -nw", 5, Path::new("it's.txt")),
            "emacs -nw +5 'it'\\''s.txt'"
        );
        assert_eq!(
            edit_command("nano", 1, Path::new("a b.txt")),
            "nano +1 'a b.txt'"
        );
    }
}
