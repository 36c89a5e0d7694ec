//! The body pane's content: an article laid out as display lines for a given width — title
//! block, byline, paragraphs with a two-character indent and a blank line between them, credit —
//! or, in raw view, the article's source lines with line numbers.

use std::rc::Rc;

use crate::parse::layout::Layout;

use super::View;
use crate::model::{Article, ArticleKind, Issue};
use crate::text::{AmbiguousWidth, sanitize, str_width, wrap};

/// What a display line shows, for styling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyLineKind {
    /// The kicker above the title.
    Kicker,
    /// The headline.
    Title,
    /// The subtitle.
    Subtitle,
    /// The byline.
    Byline,
    /// Body text.
    Paragraph,
    /// A section head inside the body.
    Subhead,
    /// A metadata line under the headline (`作者：… 时间：…`).
    Metadata,
    /// A photo caption.
    Caption,
    /// The closing credit.
    Credit,
    /// Space between blocks.
    Blank,
    /// A raw source line (text after the line number gutter).
    Raw,
    /// The reader's own note on the article, under its header.
    Note,
}

/// One display line of the body pane.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyLine {
    /// Sanitised text, at most the pane's width.
    pub text: String,
    /// What it is.
    pub kind: BodyLineKind,
    /// In raw view, the source line number shown in the gutter (first display line only).
    pub source_line: Option<usize>,
    /// In raw view, the line's role in the parse as a short tag (`TTL`, `txt`, `MET` …;
    /// see [`crate::parse::inspect::Role::tag`]).
    pub role: &'static str,
    /// Which block of text (paragraph, title, source line …) the line was wrapped from: search
    /// runs over whole blocks, so a hit cut by wrapping is still one hit.
    pub block: usize,
}

impl BodyLine {
    fn new(text: String, kind: BodyLineKind, block: usize) -> Self {
        BodyLine {
            text,
            kind,
            source_line: None,
            role: "",
            block,
        }
    }
}

/// One occurrence of the search text: the display-line pieces it covers, in order, as
/// (line index, start cell, end cell).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// Where it is drawn (more than one piece when wrapping cut it).
    pub pieces: Vec<(usize, usize, usize)>,
}

impl Hit {
    /// The display line it starts on.
    pub fn line(&self) -> usize {
        self.pieces.first().map_or(0, |p| p.0)
    }
}

/// The `(start, end)` line ranges of `lines`' blocks (a paragraph, a headline): searches run
/// over a block whole, so a hit that wrapping cut is found.
fn blocks(lines: &[BodyLine]) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut start = 0;
    std::iter::from_fn(move || {
        let block = lines.get(start)?.block;
        let end = start
            + lines[start..]
                .iter()
                .take_while(|l| l.block == block)
                .count();
        let range = (start, end);
        start = end;
        Some(range)
    })
}

/// Every case-insensitive occurrence of `query` in the text of `lines`, counted in the text
/// (each block searched whole, wrapped lines joined back) rather than per display line.
pub fn find_hits(lines: &[BodyLine], query: &str, mode: AmbiguousWidth) -> Vec<Hit> {
    use unicode_segmentation::UnicodeSegmentation;
    let fold = |g: &str| g.to_lowercase();
    let needle: Vec<String> = query.graphemes(true).map(fold).collect();
    if needle.is_empty() {
        return Vec::new();
    }
    let mut hits = Vec::new();
    for (start, end) in blocks(lines) {
        // The block's graphemes, each with the line and cells it is drawn in.
        let mut units: Vec<(String, usize, usize, usize)> = Vec::new();
        for (index, line) in lines.iter().enumerate().take(end).skip(start) {
            let mut cell = 0;
            for g in line.text.graphemes(true) {
                let w = str_width(g, mode);
                units.push((fold(g), index, cell, cell + w));
                cell += w;
            }
        }
        let mut at = 0;
        while at + needle.len() <= units.len() {
            if units[at..at + needle.len()]
                .iter()
                .zip(&needle)
                .all(|(u, n)| &u.0 == n)
            {
                let mut pieces: Vec<(usize, usize, usize)> = Vec::new();
                for (_, line, from, to) in &units[at..at + needle.len()] {
                    match pieces.last_mut() {
                        Some(piece) if piece.0 == *line => piece.2 = *to,
                        _ => pieces.push((*line, *from, *to)),
                    }
                }
                hits.push(Hit { pieces });
                at += needle.len();
            } else {
                at += 1;
            }
        }
    }
    hits
}

/// Every occurrence of `phrases` in the text of `lines` as the full-text search finds them
/// ([`crate::fulltext::matcher`]: across punctuation and wrapped lines, full-width and
/// Traditional forms folded), each block searched whole, in order, overlaps dropped.
pub fn find_phrase_hits(lines: &[BodyLine], phrases: &[String], mode: AmbiguousWidth) -> Vec<Hit> {
    let mut hits = Vec::new();
    for (start, end) in blocks(lines) {
        // The block's text, and for each of its characters the line and cells it is drawn in.
        let mut text = String::new();
        let mut cells: Vec<(usize, usize, usize, usize)> = Vec::new(); // byte, line, from, to
        for (index, line) in lines.iter().enumerate().take(end).skip(start) {
            let mut cell = 0;
            for c in line.text.chars() {
                let w = str_width(c.encode_utf8(&mut [0; 4]), mode);
                cells.push((text.len(), index, cell, cell + w));
                text.push(c);
                cell += w;
            }
        }
        let tokens = crate::fulltext::matcher::Tokenized::new(&text);
        let mut ranges: Vec<std::ops::Range<usize>> =
            phrases.iter().flat_map(|p| tokens.find(p)).collect();
        ranges.sort_by_key(|r| (r.start, r.end));
        ranges.dedup_by(|later, earlier| later.start < earlier.end);
        for range in ranges {
            let mut pieces: Vec<(usize, usize, usize)> = Vec::new();
            let first = cells.partition_point(|(byte, ..)| *byte < range.start);
            for &(_, line, from, to) in cells[first..]
                .iter()
                .take_while(|(byte, ..)| *byte < range.end)
            {
                match pieces.last_mut() {
                    Some(piece) if piece.0 == line => piece.2 = to,
                    _ => pieces.push((line, from, to)),
                }
            }
            if !pieces.is_empty() {
                hits.push(Hit { pieces });
            }
        }
    }
    hits
}

/// Paragraph indent: two ideographic spaces, as Chinese newspapers print.
pub const INDENT: &str = "\u{3000}\u{3000}";

/// Wraps `text` as one new block at the end of `out`.
fn push_wrapped(
    out: &mut Vec<BodyLine>,
    text: &str,
    width: usize,
    mode: AmbiguousWidth,
    kind: BodyLineKind,
) {
    let block = next_block(out);
    for line in wrap(&sanitize(text), width, mode) {
        out.push(BodyLine::new(line, kind, block));
    }
}

/// A blank line between blocks (a block of its own).
fn push_blank(out: &mut Vec<BodyLine>) {
    let block = next_block(out);
    out.push(BodyLine::new(String::new(), BodyLineKind::Blank, block));
}

fn next_block(out: &[BodyLine]) -> usize {
    out.last().map_or(0, |l| l.block + 1)
}

/// Lays out `article` for a pane `width` cells wide.
pub fn layout_article(article: &Article, width: usize, mode: AmbiguousWidth) -> Vec<BodyLine> {
    layout_article_with_note(article, None, width, mode)
}

/// What opens the reader's note: it is told from the article's own text at a glance.
pub const NOTE_MARK: &str = "【注】";

/// Lays out `article` with the reader's `note` under its header (headline and metadata), each
/// of the note's lines a block of its own.
pub fn layout_article_with_note(
    article: &Article,
    note: Option<&str>,
    width: usize,
    mode: AmbiguousWidth,
) -> Vec<BodyLine> {
    let width = width.max(1);
    let mut out = Vec::new();
    if article.kind == ArticleKind::Photo {
        out.push(BodyLine::new("[图片]".into(), BodyLineKind::Kicker, 0));
    }
    if let Some(kicker) = &article.kicker {
        push_wrapped(&mut out, kicker, width, mode, BodyLineKind::Kicker);
    }
    if let Some(title) = &article.title {
        push_wrapped(&mut out, title, width, mode, BodyLineKind::Title);
    }
    if let Some(subtitle) = &article.subtitle {
        push_wrapped(&mut out, subtitle, width, mode, BodyLineKind::Subtitle);
    }
    // Metadata sits under the headline, as printed; the byline opens the text below it.
    for meta in &article.metadata {
        push_wrapped(&mut out, meta, width, mode, BodyLineKind::Metadata);
    }
    if let Some(note) = note.filter(|n| !n.trim().is_empty()) {
        if !out.is_empty() {
            push_blank(&mut out);
        }
        for (i, line) in note.lines().enumerate() {
            let line = if i == 0 {
                format!("{NOTE_MARK}{line}")
            } else {
                line.to_string()
            };
            push_wrapped(&mut out, &line, width, mode, BodyLineKind::Note);
        }
    }
    if let Some(byline) = &article.byline {
        if !out.is_empty() {
            push_blank(&mut out);
        }
        push_wrapped(&mut out, byline, width, mode, BodyLineKind::Byline);
    }
    let para_kind = if article.kind == ArticleKind::Photo {
        BodyLineKind::Caption
    } else {
        BodyLineKind::Paragraph
    };
    for (i, para) in article.paragraphs.iter().enumerate() {
        if !out.is_empty() {
            push_blank(&mut out);
        }
        if article.subheads.contains(&i) {
            push_wrapped(&mut out, para, width, mode, BodyLineKind::Subhead);
        } else {
            let indented = format!("{INDENT}{para}");
            push_wrapped(&mut out, &indented, width, mode, para_kind);
        }
    }
    if let Some(credit) = &article.credit {
        if !out.is_empty() {
            push_blank(&mut out);
        }
        push_wrapped(&mut out, credit, width, mode, BodyLineKind::Credit);
    }
    out
}

/// Width of the raw view's gutter when the largest number shown is `last_line`: the number, a
/// space, the three-letter role tag and a space.
pub fn gutter_width(last_line: usize) -> usize {
    last_line.max(1).to_string().len().max(3) + 1 + ROLE_TAG + 1
}

/// Cells of a role tag in the raw view's gutter.
pub const ROLE_TAG: usize = 3;

/// Lays out the source lines of `article` (from `issue`'s text) with their numbers; the text
/// column is `width` minus the gutter.
pub fn layout_raw(
    issue: &Issue,
    article: &Article,
    hints: &Layout,
    width: usize,
    mode: AmbiguousWidth,
) -> Vec<BodyLine> {
    let source: Vec<&str> = crate::parse::lines::split_lines(&issue.text).collect();
    let gutter = gutter_width(article.lines.end);
    let text_width = width.saturating_sub(gutter).max(1);
    // The same roles `kanbao inspect` prints.
    let roles = crate::parse::inspect::roles_with(issue, hints);
    let mut out = Vec::new();
    let start = article.lines.start.max(1);
    let end = article.lines.end.min(source.len());
    for no in start..=end {
        let text = source.get(no - 1).copied().unwrap_or("");
        let block = next_block(&out);
        for (i, line) in wrap(&sanitize(text), text_width, mode)
            .into_iter()
            .enumerate()
        {
            out.push(BodyLine {
                text: line,
                kind: BodyLineKind::Raw,
                source_line: (i == 0).then_some(no),
                role: if i == 0 {
                    roles.get(no - 1).map_or("", |r| r.role.tag())
                } else {
                    ""
                },
                block,
            });
        }
    }
    out
}

/// What the cached body layout is of: issue, article, width, raw, ambiguous-width mode, notes.
pub(super) type BodyKey = (usize, usize, usize, bool, AmbiguousWidth, u64);

impl super::App {
    /// The body's display lines at the current width (cached per article, width and view).
    pub fn body_lines(&self) -> Rc<Vec<BodyLine>> {
        self.body_lines_at(self.view.body_width)
    }

    /// The body's display lines at `width` columns (what drawing asks for: the width it is
    /// drawing at, which a resize may have just changed).
    pub fn body_lines_at(&self, width: usize) -> Rc<Vec<BodyLine>> {
        let key = (
            self.issue,
            self.article,
            width,
            self.raw,
            self.ambiguous,
            self.notes_version,
        );
        if let Some((cached_key, lines)) = self.body_cache.borrow().as_ref()
            && *cached_key == key
        {
            return Rc::clone(lines);
        }
        let lines = match (self.current_issue(), self.current_article()) {
            (Some(issue), Some(article)) if self.raw => layout_raw(
                &issue,
                &article,
                self.library.layout(),
                width,
                self.ambiguous,
            ),
            (_, Some(article)) => layout_article_with_note(
                &article,
                self.note(self.article_id()),
                width,
                self.ambiguous,
            ),
            _ => Vec::new(),
        };
        let lines = Rc::new(lines);
        *self.body_cache.borrow_mut() = Some((key, Rc::clone(&lines)));
        lines
    }

    /// Largest useful `body_top`.
    pub(super) fn body_max_top(&self) -> usize {
        self.body_max_top_in(&self.view)
    }

    /// Largest useful `body_top` in a body pane of `view`'s size.
    fn body_max_top_in(&self, view: &View) -> usize {
        self.body_lines_at(view.body_width)
            .len()
            .saturating_sub(view.body_height.max(1))
    }

    /// How far through the article the view is, in percent.
    pub fn scroll_percent(&self) -> usize {
        self.scroll_percent_in(&self.view)
    }

    /// How far through the article a body pane of `view`'s size is, in percent (drawing asks
    /// with the sizes of the frame being drawn).
    pub fn scroll_percent_in(&self, view: &View) -> usize {
        let max = self.body_max_top_in(view);
        (self.body_top.min(max) * 100)
            .checked_div(max)
            .unwrap_or(100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn article_layout_has_title_block_indent_and_rhythm() {
        let article = Article {
            kicker: Some("引题".into()),
            title: Some("标题".into()),
            byline: Some("本报讯(记者 某某)".into()),
            paragraphs: vec!["第一段。".into(), "第二段。".into()],
            credit: Some("(编辑)".into()),
            ..Article::default()
        };
        let lines = layout_article(&article, 40, AmbiguousWidth::Narrow);
        let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(
            texts,
            vec![
                "引题",
                "标题",
                "",
                "本报讯(记者 某某)",
                "",
                "\u{3000}\u{3000}第一段。",
                "",
                "\u{3000}\u{3000}第二段。",
                "",
                "(编辑)"
            ]
        );
        assert!(
            lines
                .iter()
                .all(|l| str_width(&l.text, AmbiguousWidth::Narrow) <= 40)
        );
    }

    fn lines(texts: &[(&str, usize)]) -> Vec<BodyLine> {
        texts
            .iter()
            .map(|(t, b)| BodyLine::new(t.to_string(), BodyLineKind::Paragraph, *b))
            .collect()
    }

    #[test]
    fn hits_are_found_in_cells_case_insensitively() {
        let hits = find_hits(&lines(&[("加快5G建设5g", 0)]), "5g", AmbiguousWidth::Narrow);
        let pieces: Vec<_> = hits.iter().map(|h| h.pieces.clone()).collect();
        assert_eq!(pieces, vec![vec![(0, 4, 6)], vec![(0, 10, 12)]]);
    }

    #[test]
    fn a_hit_cut_by_wrapping_is_one_hit_in_two_pieces() {
        let body = lines(&[("推进数字", 0), ("化转型", 0), ("数字", 1), ("化", 2)]);
        let hits = find_hits(&body, "数字化", AmbiguousWidth::Narrow);
        // Blocks 1 and 2 are different paragraphs: no hit across them.
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].pieces, vec![(0, 4, 8), (1, 0, 2)]);
    }

    #[test]
    fn layout_gives_each_paragraph_its_own_block() {
        let article = Article {
            title: Some("标题".into()),
            paragraphs: vec!["一二三四五六七八九十".repeat(3), "第二段。".into()],
            ..Article::default()
        };
        let lines = layout_article(&article, 10, AmbiguousWidth::Narrow);
        let first = lines
            .iter()
            .find(|l| l.text.starts_with('\u{3000}'))
            .expect("para");
        let same: Vec<_> = lines.iter().filter(|l| l.block == first.block).collect();
        assert!(same.len() > 1, "a wrapped paragraph is one block");
        let hits = find_hits(&lines, "十一", AmbiguousWidth::Narrow);
        assert_eq!(hits.len(), 2, "found across each wrap");
    }
}
