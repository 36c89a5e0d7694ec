//! Items: an article under construction, and a run of body lines split into items at
//! captions, photo credits and credits (a byline before any paragraph, a credit after them).

use super::assemble::Assembled;
use super::credits::{is_closing_credit, split_photo_credit};
use super::lines::{Line, LineKind};
use super::meta::{MetaFields, read_meta, read_yaml};
use super::reflow::Para;
use crate::model::{Fragment, FragmentKind, SourceLine};

/// An article under construction.
#[derive(Debug, Default)]
pub(super) struct Item {
    pub(super) kicker: Option<String>,
    pub(super) title: Option<String>,
    pub(super) subtitle: Option<String>,
    pub(super) byline: Vec<String>,
    pub(super) paras: Vec<Para>,
    pub(super) credit: Vec<String>,
    pub(super) photo: bool,
    /// A credit has been read: further body text starts a new item.
    pub(super) closed: bool,
    /// The last line read was the credit (so an adjacent attribution line extends it).
    pub(super) credit_just_read: bool,
    /// Metadata lines under the headline, and what they say.
    pub(super) metadata: Vec<String>,
    pub(super) fields: MetaFields,
    pub(super) first_line: usize,
    pub(super) last_line: usize,
}

impl Item {
    pub(super) fn starting_at(line: usize) -> Self {
        Item {
            first_line: line,
            last_line: line,
            ..Item::default()
        }
    }

    pub(super) fn touch(&mut self, line: usize) {
        if self.first_line == 0 || line < self.first_line {
            self.first_line = line;
        }
        self.last_line = self.last_line.max(line);
    }

    pub(super) fn push_para(&mut self, line: &Line, caption: bool) {
        self.paras.push(Para {
            text: line.text.clone(),
            line: line.no,
            indented: line.indented,
            caption,
            // Headline-shaped lines reach a body run only where the layout says they are
            // inside an article (see `anchored`): section heads.
            subhead: !caption && matches!(line.kind, LineKind::Short | LineKind::Heading(_)),
        });
        self.touch(line.no);
        self.credit_just_read = false;
    }

    pub(super) fn add_meta(&mut self, line: &Line) {
        let meta = match line.kind {
            LineKind::FrontMatter => read_yaml(&line.text),
            _ => read_meta(&line.text),
        };
        if let Some(meta) = meta {
            self.fields.add(&meta);
        }
        self.metadata.push(line.text.clone());
        self.touch(line.no);
    }

    /// Takes in a later piece of the same article: a credit that closed this piece and the
    /// byline that opened the next stay in the text, as paragraphs of their own.
    pub(super) fn absorb(&mut self, piece: Item) {
        let as_para = |text: String, line: usize| Para {
            text,
            line,
            indented: true,
            ..Para::default()
        };
        for text in std::mem::take(&mut self.credit) {
            self.paras.push(as_para(text, self.last_line));
        }
        for text in piece.byline {
            self.paras.push(as_para(text, piece.first_line));
        }
        self.paras.extend(piece.paras);
        self.credit = piece.credit;
        self.closed = piece.closed;
        self.credit_just_read = piece.credit_just_read;
        self.metadata.extend(piece.metadata);
        self.touch(piece.first_line);
        self.touch(piece.last_line);
    }

    pub(super) fn untitled_body(&self) -> bool {
        self.title.is_none() && !self.photo && !self.paras.is_empty()
    }

    /// The first few hundred characters of body text, for comparing with a headline.
    pub(super) fn lead(&self) -> String {
        self.paras
            .iter()
            .flat_map(|p| p.text.chars())
            .take(400)
            .collect()
    }
}

/// Splits a body run into items at captions, photo credits and credits.
pub(super) fn split_run(run: &[&Line], out: &mut Assembled) -> Vec<Item> {
    let mut items: Vec<Item> = Vec::new();
    let mut current: Option<Item> = None;
    // Photos found inside an article that has not started its body yet.
    let mut deferred: Vec<Item> = Vec::new();
    for line in run {
        if current.as_ref().is_none_or(|item| item.closed) && !deferred.is_empty() {
            items.extend(current.take());
            items.append(&mut deferred);
        }
        match line.kind {
            LineKind::Ignored
            | LineKind::RunningHead
            | LineKind::Separator
            | LineKind::PageMarker => {
                out.fragments.push(Fragment {
                    kind: FragmentKind::SetAside,
                    line: line.no,
                    text: line.text.clone(),
                });
                // A separator or a new page ends the article above: what follows starts another.
                if matches!(line.kind, LineKind::Separator | LineKind::PageMarker)
                    && let Some(item) = current.as_mut()
                {
                    item.closed = true;
                }
            }
            LineKind::Colophon => {
                out.colophon.push(SourceLine {
                    line: line.no,
                    text: line.text.clone(),
                });
            }
            LineKind::Caption => {
                items.extend(current.take());
                let mut photo = Item::starting_at(line.no);
                photo.photo = true;
                photo.push_para(line, true);
                current = Some(photo);
            }
            LineKind::PhotoCredit => match current.as_mut() {
                Some(item) if item.photo && !item.closed => {
                    item.credit.push(line.text.clone());
                    item.touch(line.no);
                    item.closed = true;
                    item.credit_just_read = true;
                }
                Some(item) if !item.paras.is_empty() && !item.closed && line.gap_before == 0 => {
                    // The paragraph printed right above a photo credit is that photo's caption.
                    // (A caption a converter broke into lines was joined again before this.)
                    let caption = item.paras.pop().unwrap_or_default();
                    let mut photo = Item::starting_at(caption.line);
                    photo.photo = true;
                    photo.paras.push(Para {
                        caption: true,
                        ..caption
                    });
                    photo.credit.push(line.text.clone());
                    photo.touch(line.no);
                    photo.closed = true;
                    photo.credit_just_read = true;
                    let rest_has_body = item.paras.iter().any(|p| !p.caption);
                    if rest_has_body {
                        // The photo closes the article above it.
                        items.extend(current.take());
                        current = Some(photo);
                    } else {
                        // The photo sits between a byline and its body: the article goes on
                        // below it, and the photo follows it in reading order.
                        deferred.push(photo);
                    }
                }
                _ => attribution(line, &mut current, &mut items),
            },
            LineKind::Attribution => attribution(line, &mut current, &mut items),
            LineKind::Meta | LineKind::FrontMatter => match current.as_mut() {
                Some(item) if !item.closed && item.paras.is_empty() => item.add_meta(line),
                _ => {
                    items.extend(current.take());
                    let mut item = Item::starting_at(line.no);
                    item.add_meta(line);
                    current = Some(item);
                }
            },
            LineKind::Body if split_photo_credit(&line.text).is_some() => {
                // `…。新华社记者 某某摄`: a caption with its credit on the same line is a photo
                // item of its own; the article around it goes on after it.
                let (caption, credit) = split_photo_credit(&line.text).unwrap_or_default();
                let mut photo = Item::starting_at(line.no);
                photo.photo = true;
                photo.paras.push(Para {
                    text: caption.to_string(),
                    line: line.no,
                    indented: line.indented,
                    caption: true,
                    subhead: false,
                });
                photo.credit.push(credit.to_string());
                photo.closed = true;
                match current.as_ref() {
                    Some(item) if !item.closed && item.paras.is_empty() => deferred.push(photo),
                    _ => {
                        items.extend(current.take());
                        current = Some(photo);
                    }
                }
            }
            _ => {
                let needs_new = current.as_ref().is_none_or(|item| item.closed);
                if needs_new {
                    items.extend(current.take());
                    current = Some(Item::starting_at(line.no));
                }
                if let Some(item) = current.as_mut() {
                    let caption = item.photo && item.paras.is_empty();
                    item.push_para(line, caption);
                }
            }
        }
    }
    items.extend(current);
    items.append(&mut deferred);
    items
}

/// A byline before any paragraph, a credit after them.
fn attribution(line: &Line, current: &mut Option<Item>, items: &mut Vec<Item>) {
    match current.as_mut() {
        // (An end mark or a page's staff credit never opens an article: it closes this one
        // also across a blank line.)
        Some(item)
            if item.closed
                && item.credit_just_read
                && (line.gap_before == 0 || is_closing_credit(&line.text)) =>
        {
            item.credit.push(line.text.clone());
            item.touch(line.no);
        }
        Some(item) if !item.closed && item.paras.is_empty() => {
            item.byline.push(line.text.clone());
            item.touch(line.no);
        }
        Some(item) if !item.closed => {
            item.credit.push(line.text.clone());
            item.touch(line.no);
            item.closed = true;
            item.credit_just_read = true;
        }
        _ => {
            items.extend(current.take());
            let mut item = Item::starting_at(line.no);
            item.byline.push(line.text.clone());
            *current = Some(item);
        }
    }
}
