//! The body pane's content: an article laid out as display lines for a given width — title
//! block, byline, paragraphs with a two-character indent and a blank line between them, credit —
//! or, in raw view, the article's source lines with line numbers.

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
    /// A photo caption.
    Caption,
    /// The closing credit.
    Credit,
    /// Space between blocks.
    Blank,
    /// A raw source line (text after the line number gutter).
    Raw,
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
}

impl BodyLine {
    fn new(text: String, kind: BodyLineKind) -> Self {
        BodyLine {
            text,
            kind,
            source_line: None,
        }
    }
}

/// Paragraph indent: two ideographic spaces, as Chinese newspapers print.
pub const INDENT: &str = "\u{3000}\u{3000}";

fn push_wrapped(
    out: &mut Vec<BodyLine>,
    text: &str,
    width: usize,
    mode: AmbiguousWidth,
    kind: BodyLineKind,
) {
    for line in wrap(&sanitize(text), width, mode) {
        out.push(BodyLine::new(line, kind));
    }
}

/// Lays out `article` for a pane `width` cells wide.
pub fn layout_article(article: &Article, width: usize, mode: AmbiguousWidth) -> Vec<BodyLine> {
    let width = width.max(1);
    let mut out = Vec::new();
    if article.kind == ArticleKind::Photo {
        out.push(BodyLine::new("[图片]".into(), BodyLineKind::Kicker));
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
    if let Some(byline) = &article.byline {
        if !out.is_empty() {
            out.push(BodyLine::new(String::new(), BodyLineKind::Blank));
        }
        push_wrapped(&mut out, byline, width, mode, BodyLineKind::Byline);
    }
    let para_kind = if article.kind == ArticleKind::Photo {
        BodyLineKind::Caption
    } else {
        BodyLineKind::Paragraph
    };
    for para in &article.paragraphs {
        if !out.is_empty() {
            out.push(BodyLine::new(String::new(), BodyLineKind::Blank));
        }
        let indented = format!("{INDENT}{para}");
        push_wrapped(&mut out, &indented, width, mode, para_kind);
    }
    if let Some(credit) = &article.credit {
        if !out.is_empty() {
            out.push(BodyLine::new(String::new(), BodyLineKind::Blank));
        }
        push_wrapped(&mut out, credit, width, mode, BodyLineKind::Credit);
    }
    out
}

/// Width of the line-number gutter in raw view when the largest number shown is `last_line`.
pub fn gutter_width(last_line: usize) -> usize {
    last_line.max(1).to_string().len().max(3) + 1
}

/// Lays out the source lines of `article` (from `issue`'s text) with their numbers; the text
/// column is `width` minus the gutter.
pub fn layout_raw(
    issue: &Issue,
    article: &Article,
    width: usize,
    mode: AmbiguousWidth,
) -> Vec<BodyLine> {
    let source: Vec<&str> = crate::parse::lines::split_lines(&issue.text).collect();
    let gutter = gutter_width(article.lines.end);
    let text_width = width.saturating_sub(gutter).max(1);
    let mut out = Vec::new();
    let start = article.lines.start.max(1);
    let end = article.lines.end.min(source.len());
    for no in start..=end {
        let text = source.get(no - 1).copied().unwrap_or("");
        for (i, line) in wrap(&sanitize(text), text_width, mode)
            .into_iter()
            .enumerate()
        {
            out.push(BodyLine {
                text: line,
                kind: BodyLineKind::Raw,
                source_line: (i == 0).then_some(no),
            });
        }
    }
    out
}

/// Cell ranges of case-insensitive occurrences of `query` in `line`: (start cell, end cell).
pub fn find_in_line(line: &str, query: &str, mode: AmbiguousWidth) -> Vec<(usize, usize)> {
    if query.is_empty() {
        return Vec::new();
    }
    let haystack = line.to_lowercase();
    let needle = query.to_lowercase();
    // Lowercasing can change byte lengths for some scripts; only trust it when it did not.
    if haystack.len() != line.len() {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(at) = haystack[from..].find(&needle) {
        let start = from + at;
        let end = start + needle.len();
        out.push((
            str_width(&line[..start], mode),
            str_width(&line[..end], mode),
        ));
        from = end;
    }
    out
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

    #[test]
    fn hits_are_found_in_cells() {
        assert_eq!(
            find_in_line("加快5G建设5g", "5g", AmbiguousWidth::Narrow),
            vec![(4, 6), (10, 12)]
        );
    }
}
