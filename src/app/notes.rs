//! Notes on articles (`a`): a multi-line editor over the panes, the note kept with the article
//! in the archive's memory (found again by its headline, as marks are) and shown under the
//! article's header in the body. A researcher's reading notes belong beside what they are
//! about; a note also marks its article, so `M` and `kanbao marks` list it with its note.

use super::popup::Popup;
use super::prompt::{Prompt, PromptKind};
use super::{App, ArticleId};
use crate::keymap::Action;

/// An open note editor.
pub struct NoteEditor {
    /// The article the note is on.
    pub id: ArticleId,
    /// Its headline, for the editor's title.
    pub title: String,
    /// The note being written.
    pub input: Prompt,
}

impl App {
    /// The note on `id`, if it has one.
    pub fn note(&self, id: ArticleId) -> Option<&str> {
        self.notes.get(&id).map(String::as_str)
    }

    /// Something about notes changed: the body is laid out again.
    pub(super) fn notes_changed(&mut self) {
        self.notes_version = self.notes_version.wrapping_add(1);
    }

    /// `a`: opens the editor on the article's note (empty for a new one).
    pub(super) fn open_note(&mut self) {
        let Some(article) = self.current_article() else {
            self.message = Some("no article to write a note on".into());
            return;
        };
        let id = self.article_id();
        let mut input = Prompt::new(PromptKind::Note);
        if let Some(note) = self.note(id) {
            input.paste(note);
        }
        let title = article.display_title();
        self.popups
            .push(Popup::Note(Box::new(NoteEditor { id, title, input })));
    }

    /// The open note editor, if it is on top.
    pub fn note_editor(&self) -> Option<&NoteEditor> {
        match self.popups.last() {
            Some(Popup::Note(editor)) => Some(editor),
            _ => None,
        }
    }

    /// What the editor's keys do: save (and close), or close leaving the note as it was.
    pub(super) fn update_note(&mut self, action: Action) {
        match action {
            Action::Confirm => {
                let Some(Popup::Note(editor)) = self.popups.pop() else {
                    return;
                };
                let text = editor.input.full_text();
                self.save_note(editor.id, text.trim_end());
            }
            Action::Cancel => {
                self.popups.pop();
                self.message = Some("note left as it was".into());
            }
            _ => {}
        }
    }

    /// Keeps `note` on `id` (empty: removes it); a note marks its article.
    fn save_note(&mut self, id: ArticleId, note: &str) {
        if self.note(id).unwrap_or("") == note {
            self.message = Some("note unchanged".into());
            return;
        }
        if note.is_empty() {
            self.notes.remove(&id);
        } else {
            self.notes.insert(id, note.to_string());
        }
        self.notes_changed();
        let kept = self.persist_note(id, note);
        let mut message = if note.is_empty() {
            "note removed".to_string()
        } else {
            "note saved".to_string()
        };
        if !note.is_empty() && self.marks.insert(id) {
            self.persist_mark(id, true);
            message.push_str("; article marked (M lists marks)");
        }
        if !kept || !self.remembers_marks() {
            message.push_str(" — for this session only (no memory)");
        }
        // A failed write says why in the status line already; keep that.
        if kept {
            self.message = Some(message);
        }
    }
}
