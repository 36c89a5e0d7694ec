//! Stage two of parsing: classified lines are grouped into headline stacks and body runs; runs
//! are split into items at credits and captions; each stack is read as kicker / title / subtitle /
//! author over the item that follows it. Lines that fit no item become fragments.

use super::chars::{is_han, is_name_list, visible_len};
use super::lines::{Line, LineKind, is_role_and_names};
use super::reflow::{Para, finish_paragraphs};
use crate::model::{Article, ArticleKind, Fragment, FragmentKind, LineSpan, SourceLine};

/// What stage two produces from the lines after the masthead.
#[derive(Debug, Default)]
pub struct Assembled {
    /// Articles and photo items in reading order.
    pub articles: Vec<Article>,
    /// Text belonging to no article.
    pub fragments: Vec<Fragment>,
    /// Colophon lines.
    pub colophon: Vec<SourceLine>,
}

/// A maximal run of lines of one family.
enum Segment<'a> {
    /// Headline-shaped lines: headings, short lines, subtitles.
    Stack(Vec<&'a Line>),
    /// Everything else: body, bylines, credits, captions, colophon.
    Run(Vec<&'a Line>),
}

fn is_stack_line(kind: LineKind) -> bool {
    matches!(
        kind,
        LineKind::Heading(_) | LineKind::Short | LineKind::Subtitle
    )
}

fn segments(lines: &[Line]) -> Vec<Segment<'_>> {
    let mut out: Vec<Segment> = Vec::new();
    for line in lines {
        let stack = is_stack_line(line.kind);
        match out.last_mut() {
            Some(Segment::Stack(v)) if stack => v.push(line),
            Some(Segment::Run(v)) if !stack => v.push(line),
            _ if stack => out.push(Segment::Stack(vec![line])),
            _ => out.push(Segment::Run(vec![line])),
        }
    }
    out
}

/// An article under construction.
#[derive(Debug, Default)]
struct Item {
    kicker: Option<String>,
    title: Option<String>,
    subtitle: Option<String>,
    byline: Vec<String>,
    paras: Vec<Para>,
    credit: Vec<String>,
    photo: bool,
    /// A credit has been read: further body text starts a new item.
    closed: bool,
    /// The last line read was the credit (so an adjacent attribution line extends it).
    credit_just_read: bool,
    first_line: usize,
    last_line: usize,
}

impl Item {
    fn starting_at(line: usize) -> Self {
        Item {
            first_line: line,
            last_line: line,
            ..Item::default()
        }
    }

    fn touch(&mut self, line: usize) {
        if self.first_line == 0 || line < self.first_line {
            self.first_line = line;
        }
        self.last_line = self.last_line.max(line);
    }

    fn push_para(&mut self, line: &Line, caption: bool) {
        self.paras.push(Para {
            text: line.text.clone(),
            line: line.no,
            indented: line.indented,
            caption,
        });
        self.touch(line.no);
        self.credit_just_read = false;
    }

    fn untitled_body(&self) -> bool {
        self.title.is_none() && !self.photo && !self.paras.is_empty()
    }

    /// The first few hundred characters of body text, for comparing with a headline.
    fn lead(&self) -> String {
        self.paras
            .iter()
            .flat_map(|p| p.text.chars())
            .take(400)
            .collect()
    }
}

/// Splits a body run into items at captions, photo credits and credits.
fn split_run(run: &[&Line], colophon: &mut Vec<SourceLine>) -> Vec<Item> {
    let mut items: Vec<Item> = Vec::new();
    let mut current: Option<Item> = None;
    for line in run {
        match line.kind {
            LineKind::Colophon => {
                colophon.push(SourceLine {
                    line: line.no,
                    text: line.raw.trim().to_string(),
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
                    if let Some(mut rest) = current.take() {
                        rest.last_line = rest.paras.last().map_or(rest.first_line, |p| p.line);
                        if !rest.paras.is_empty() || !rest.byline.is_empty() {
                            items.push(rest);
                        }
                    }
                    current = Some(photo);
                }
                _ => attribution(line, &mut current, &mut items),
            },
            LineKind::Attribution => attribution(line, &mut current, &mut items),
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
    items
}

/// A byline before any paragraph, a credit after them.
fn attribution(line: &Line, current: &mut Option<Item>, items: &mut Vec<Item>) {
    match current.as_mut() {
        Some(item) if item.closed && item.credit_just_read && line.gap_before == 0 => {
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

/// Share of `headline`'s Han character pairs that occur in `text`: how well a headline
/// summarises a body.
fn overlap(headline: &str, text: &str) -> f64 {
    let han: Vec<char> = headline.chars().filter(|c| is_han(*c)).collect();
    if han.len() < 2 {
        return 0.0;
    }
    let pairs: Vec<String> = han.windows(2).map(|w| w.iter().collect()).collect();
    let hits = pairs.iter().filter(|p| text.contains(p.as_str())).count();
    hits as f64 / pairs.len() as f64
}

/// Role words that end the description in an author line `中共某区委书记 韩某某`.
const AUTHOR_ROLE_SUFFIXES: &[&str] = &[
    "书记",
    "记者",
    "主任",
    "局长",
    "县长",
    "市长",
    "区长",
    "省长",
    "部长",
    "厅长",
    "主席",
    "代表",
    "委员",
    "教授",
    "研究员",
    "院长",
    "校长",
    "经理",
    "董事长",
    "会长",
    "作者",
    "评论员",
    "编辑",
];

/// `中共某区委书记 韩某某`, `张浩`: a line naming the author, printed under a headline.
fn is_author_line(text: &str) -> bool {
    if is_name_list(text) || is_role_and_names(text) {
        return true;
    }
    let Some((role, name)) = text.rsplit_once(' ') else {
        return false;
    };
    is_name_list(name)
        && visible_len(text) <= 30
        && AUTHOR_ROLE_SUFFIXES
            .iter()
            .any(|s| role.trim_end().ends_with(s))
}

/// How a headline stack reads over the item below it.
#[derive(Debug, Default)]
struct Headline {
    kicker: Option<String>,
    title: Option<String>,
    subtitle: Option<String>,
    author: Vec<String>,
    /// Lines above the kicker: banners and labels.
    banners: Vec<(usize, String)>,
}

/// Reads a stack as `[banners…] [kicker] title [——subtitle…] [author]`.
fn read_stack(stack: &[&Line]) -> Headline {
    let mut headline = Headline::default();
    let mut end = stack.len();
    let has_heading =
        |lines: &[&Line]| lines.iter().any(|l| matches!(l.kind, LineKind::Heading(_)));
    // Author lines under the headline. In a marked-up stack, plain lines after the last heading
    // are not headline text.
    while end >= 2 {
        let line = stack[end - 1];
        let plain_after_heading = !matches!(line.kind, LineKind::Heading(_))
            && line.kind != LineKind::Subtitle
            && has_heading(&stack[..end - 1])
            && visible_len(&line.text) <= 30;
        if line.kind != LineKind::Subtitle && (is_author_line(&line.text) || plain_after_heading) {
            headline.author.insert(0, line.text.clone());
            end -= 1;
        } else {
            break;
        }
    }
    let mut sub_start = end;
    while sub_start > 0 && stack[sub_start - 1].kind == LineKind::Subtitle {
        sub_start -= 1;
    }
    if sub_start == 0 {
        sub_start = 1;
    }
    if sub_start < end {
        let subtitle: Vec<&str> = stack[sub_start..end]
            .iter()
            .map(|l| l.text.as_str())
            .collect();
        headline.subtitle = Some(subtitle.join(" "));
    }
    let title_at = sub_start - 1;
    let title_line = stack[title_at];
    headline.title = Some(title_line.text.clone());
    let mut banner_end = title_at;
    if title_at >= 1 {
        let kicker = stack[title_at - 1];
        // A heading of a higher rank than the title is a section heading, not a kicker.
        let outranks = matches!(
            (kicker.kind, title_line.kind),
            (LineKind::Heading(k), LineKind::Heading(t)) if k >= 1 && k < t
        );
        if !outranks && kicker.kind != LineKind::Subtitle {
            headline.kicker = Some(kicker.text.clone());
            banner_end = title_at - 1;
        }
    }
    headline.banners = stack[..banner_end]
        .iter()
        .map(|l| (l.no, l.text.clone()))
        .collect();
    headline
}

/// Groups classified lines (masthead already removed) into articles and fragments.
pub fn assemble(lines: &[Line]) -> Assembled {
    let mut out = Assembled::default();
    let mut items: Vec<Item> = Vec::new();
    let segments = segments(lines);
    let mut index = 0;
    while index < segments.len() {
        match &segments[index] {
            Segment::Run(run) => {
                let run_items = split_run(run, &mut out.colophon);
                items.extend(run_items);
                index += 1;
            }
            Segment::Stack(stack) => {
                let mut following = match segments.get(index + 1) {
                    Some(Segment::Run(run)) => {
                        index += 1;
                        split_run(run, &mut out.colophon)
                    }
                    _ => Vec::new(),
                };
                index += 1;
                let has_body = following
                    .first()
                    .is_some_and(|item| !item.paras.is_empty() && item.title.is_none());
                let mut stack: Vec<&Line> = stack.clone();
                // A headline printed after its own body: the previous item has no title and the
                // first line here summarises it better than it does what follows.
                if let Some(orphan) = items.last_mut().filter(|i| i.untitled_body()) {
                    let first = stack[0];
                    let spare = !has_body || stack.len() >= 2;
                    let next_lead = following.first().map(Item::lead).unwrap_or_default();
                    let fits_orphan = overlap(&first.text, &orphan.lead());
                    if spare
                        && first.kind != LineKind::Subtitle
                        && fits_orphan >= 0.5
                        && fits_orphan > overlap(&first.text, &next_lead)
                    {
                        orphan.title = Some(first.text.clone());
                        orphan.touch(first.no);
                        stack.remove(0);
                    }
                }
                if stack.is_empty() {
                    items.extend(following);
                    continue;
                }
                if has_body {
                    let headline = read_stack(&stack);
                    let banner_count = headline.banners.len();
                    for (line, text) in headline.banners {
                        out.fragments.push(Fragment {
                            kind: FragmentKind::Banner,
                            line,
                            text,
                        });
                    }
                    let item = &mut following[0];
                    item.kicker = headline.kicker;
                    item.title = headline.title;
                    item.subtitle = headline.subtitle;
                    let mut byline = headline.author;
                    byline.append(&mut item.byline);
                    item.byline = byline;
                    let first_stack_line = stack[banner_count..]
                        .iter()
                        .map(|l| l.no)
                        .min()
                        .unwrap_or(0);
                    item.touch(first_stack_line);
                } else {
                    for line in &stack {
                        out.fragments.push(Fragment {
                            kind: FragmentKind::Banner,
                            line: line.no,
                            text: line.text.clone(),
                        });
                    }
                }
                items.extend(following);
            }
        }
    }
    for item in items {
        finish(item, &mut out);
    }
    out.fragments.sort_by_key(|f| f.line);
    out
}

/// Turns a finished item into an article (or fragments when it has no text).
fn finish(mut item: Item, out: &mut Assembled) {
    if item.paras.is_empty() && item.title.is_none() {
        for text in item.byline.into_iter().chain(item.credit) {
            out.fragments.push(Fragment {
                kind: FragmentKind::OrphanCredit,
                line: item.first_line,
                text,
            });
        }
        return;
    }
    // A short column name over a single paragraph with a credit is a photo item (`目击`).
    let label_title = item
        .title
        .as_deref()
        .is_some_and(|t| visible_len(t) <= 4 && !t.chars().any(|c| c.is_ascii_digit()));
    if label_title
        && item.kicker.is_none()
        && item.subtitle.is_none()
        && item.paras.len() == 1
        && !item.credit.is_empty()
    {
        item.photo = true;
        item.kicker = item.title.take();
    }
    let finished = finish_paragraphs(item.paras, item.byline.is_empty(), item.credit.is_empty());
    let mut byline = item.byline;
    byline.extend(finished.byline);
    let mut credit = finished.credit.into_iter().collect::<Vec<_>>();
    credit.extend(item.credit);
    for (line, text) in finished.duplicates {
        out.fragments.push(Fragment {
            kind: FragmentKind::Duplicate,
            line,
            text,
        });
    }
    let join = |parts: Vec<String>| (!parts.is_empty()).then(|| parts.join(" "));
    out.articles.push(Article {
        kind: if item.photo {
            ArticleKind::Photo
        } else {
            ArticleKind::Article
        },
        kicker: item.kicker,
        title: item.title,
        subtitle: item.subtitle,
        byline: join(byline),
        credit: join(credit),
        paragraphs: finished.paragraphs,
        lines: LineSpan {
            start: item.first_line,
            end: item.last_line,
        },
    });
}
