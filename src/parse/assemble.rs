//! Stage two of parsing: classified lines are grouped into headline stacks and body runs; runs
//! are split into items at credits and captions; each stack is read as kicker / title / subtitle /
//! author over the item that follows it. Lines that fit no item become fragments.

use super::anchored;
use super::chars::{is_han, visible_len};
use super::credits::is_author_line;
use super::items::{Item, split_run};
use super::lines::{Line, LineKind};

use super::reflow::finish_paragraphs;
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

/// How a headline stack reads over the item below it.
#[derive(Debug, Default)]
pub(super) struct StackReading {
    pub(super) kicker: Option<String>,
    pub(super) title: Option<String>,
    pub(super) subtitle: Option<String>,
    pub(super) author: Vec<String>,
    /// Lines above the kicker: banners and labels.
    pub(super) banners: Vec<(usize, String)>,
}

/// Reads a stack as `[banners…] [kicker] title [——subtitle…] [author]` (`authors`: whether
/// name-shaped lines at the bottom may be authors).
pub(super) fn read_stack(stack: &[&Line], authors: bool) -> StackReading {
    let mut headline = StackReading::default();
    let mut end = stack.len();
    let has_heading =
        |lines: &[&Line]| lines.iter().any(|l| matches!(l.kind, LineKind::Heading(_)));
    // Author lines under the headline. In a marked-up stack, plain lines after the last heading
    // are not headline text.
    while authors && end >= 2 {
        let line = stack[end - 1];
        let plain_after_heading = !matches!(line.kind, LineKind::Heading(_))
            && line.kind != LineKind::Subtitle
            && has_heading(&stack[..end - 1])
            && visible_len(&line.text) <= 30;
        let plain = matches!(line.kind, LineKind::Short);
        if plain && (is_author_line(&line.text) || plain_after_heading) {
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
    let anchors = anchored::anchors(lines);
    let items = if anchored::is_layout(&anchors) {
        // Every article is announced by its headline and metadata lines: what lies between
        // two announcements is one article, whatever shapes its lines have.
        let mut items = assemble_items(&lines[..anchors[0].stack_start], &mut out);
        for (k, anchor) in anchors.iter().enumerate() {
            let end = anchors.get(k + 1).map_or(lines.len(), |a| a.stack_start);
            items.extend(anchored::article(
                &lines[anchor.stack_start..end],
                anchor,
                &mut out,
            ));
        }
        items
    } else {
        assemble_items(lines, &mut out)
    };
    for item in items {
        finish(item, &mut out);
    }
    out.fragments.sort_by_key(|f| f.line);
    out
}

/// Groups lines into items by their shapes and neighbours: stacks of headline-shaped lines
/// over runs of body lines.
fn assemble_items(lines: &[Line], out: &mut Assembled) -> Vec<Item> {
    let mut items: Vec<Item> = Vec::new();
    let segments = segments(lines);
    let mut index = 0;
    while index < segments.len() {
        match &segments[index] {
            Segment::Run(run) => {
                let run_items = split_run(run, out);
                items.extend(run_items);
                index += 1;
            }
            Segment::Stack(stack) => {
                let mut following = match segments.get(index + 1) {
                    Some(Segment::Run(run)) => {
                        index += 1;
                        split_run(run, out)
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
                    let headline = read_stack(&stack, true);
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
    items
}

/// Turns a finished item into an article (or fragments when it has no text).
fn finish(mut item: Item, out: &mut Assembled) {
    if item.paras.is_empty() && item.title.is_none() {
        for text in item
            .byline
            .into_iter()
            .chain(item.credit)
            .chain(item.metadata)
        {
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
    let fields = item.fields;
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
        subheads: finished.subheads,
        metadata: item.metadata,
        date: fields.date,
        page: fields.page,
        section: fields.section,
        author: fields.author,
        source: fields.source,
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::lines::classify_lines;

    fn parse(text: &str) -> Assembled {
        assemble(&classify_lines(text))
    }

    fn titles(out: &Assembled) -> Vec<Option<&str>> {
        out.articles.iter().map(|a| a.title.as_deref()).collect()
    }

    #[test]
    fn kicker_title_subtitle_stack() {
        let out = parse(
            "专题引题 看某地\n\n领跑效益 保供物资\n\n——某系统聚力重点任务\n\n正文第一段，内容。\n",
        );
        let a = &out.articles[0];
        assert_eq!(a.kicker.as_deref(), Some("专题引题 看某地"));
        assert_eq!(a.title.as_deref(), Some("领跑效益 保供物资"));
        assert_eq!(a.subtitle.as_deref(), Some("——某系统聚力重点任务"));
        assert_eq!(a.paragraphs, vec!["正文第一段，内容。"]);
    }

    #[test]
    fn one_word_place_kicker() {
        let out = parse("某县\n\n29家机构集体换证\n\n本报讯(记者 甲乙)正文，内容。\n");
        let a = &out.articles[0];
        assert_eq!(a.kicker.as_deref(), Some("某县"));
        assert_eq!(a.title.as_deref(), Some("29家机构集体换证"));
        assert_eq!(a.byline.as_deref(), Some("本报讯(记者 甲乙)"));
    }

    #[test]
    fn markdown_title_with_plain_kicker() {
        let out = parse("凝心聚力 担当作为\n\n## 扎实推进某项工作\n\n正文，内容。\n");
        assert_eq!(out.articles[0].kicker.as_deref(), Some("凝心聚力 担当作为"));
        assert_eq!(out.articles[0].title.as_deref(), Some("扎实推进某项工作"));
    }

    #[test]
    fn section_heading_of_higher_rank_is_not_a_kicker() {
        let out = parse("# 某某节目\n\n## 新闻摘要\n\n正文，内容。\n");
        assert_eq!(out.articles[0].title.as_deref(), Some("新闻摘要"));
        assert_eq!(out.articles[0].kicker, None);
        assert_eq!(out.fragments[0].text, "某某节目");
    }

    #[test]
    fn very_long_one_line_headline_stays_whole() {
        let headline = "以决战的姿态 求真的作风 持之以恒的韧劲 全力抓好工作 我区召开推进会议";
        let out = parse(&format!("{headline}\n\n某地讯 8月21日, 会议召开。\n"));
        assert_eq!(titles(&out), vec![Some(headline)]);
    }

    #[test]
    fn author_name_under_the_title_is_the_byline() {
        let out = parse("数字工厂照亮转型未来\n\n张某\n\n正文，内容。\n");
        assert_eq!(
            out.articles[0].title.as_deref(),
            Some("数字工厂照亮转型未来")
        );
        assert_eq!(out.articles[0].byline.as_deref(), Some("张某"));
    }

    #[test]
    fn position_and_name_under_a_markdown_title_is_the_byline() {
        let out = parse("# 以实干出实绩\n\n中共某区委书记 韩某某\n\n正文，内容。\n");
        assert_eq!(out.articles[0].title.as_deref(), Some("以实干出实绩"));
        assert_eq!(
            out.articles[0].byline.as_deref(),
            Some("中共某区委书记 韩某某")
        );
    }

    #[test]
    fn byline_lines_before_the_body() {
        let out = parse("标题在此\n\n■本报记者 甲乙\n本报通讯员 丙丁\n\n正文，内容。\n");
        assert_eq!(
            out.articles[0].byline.as_deref(),
            Some("■本报记者 甲乙 本报通讯员 丙丁")
        );
    }

    #[test]
    fn slash_bylines_end_marks_and_staff_credits_stay_with_their_articles() {
        let out = parse(
            "甲地举行庆祝大会\n\n甲地昨日举行大会，到会者千余人。\n\n（完）\n\n\
             乙地召开工作会议\n\n文/张三\n\n乙地昨日召开会议，讨论要案多件。\n\n（未完待续）\n\n\
             本版编辑：赵六　校对：李四\n",
        );
        assert_eq!(
            titles(&out),
            [Some("甲地举行庆祝大会"), Some("乙地召开工作会议")]
        );
        let (first, second) = (&out.articles[0], &out.articles[1]);
        assert_eq!(first.credit.as_deref(), Some("（完）"));
        assert_eq!(second.byline.as_deref(), Some("文/张三"));
        assert_eq!(
            second.credit.as_deref(),
            Some("（未完待续） 本版编辑：赵六　校对：李四")
        );
        assert!(out.fragments.is_empty(), "{:?}", out.fragments);
    }

    #[test]
    fn picture_sources_close_articles_and_a_dash_runs_a_kicker_on() {
        let out = parse(
            "乙地召开工作会议\n\n乙地昨日召开会议，讨论要案多件。\n\n图片来源：新华社\n\n\
             丙地开展志愿活动——\n记者走访志愿者服务站\n\n丙地志愿者走上街头，服务群众。\n\n\
             资料图片\n\n丁地举办文化节\n\n丁地文化节开幕，游客如织。\n",
        );
        assert_eq!(
            titles(&out),
            [
                Some("乙地召开工作会议"),
                Some("记者走访志愿者服务站"),
                Some("丁地举办文化节")
            ]
        );
        assert_eq!(out.articles[0].credit.as_deref(), Some("图片来源：新华社"));
        assert_eq!(
            out.articles[1].kicker.as_deref(),
            Some("丙地开展志愿活动——")
        );
        assert_eq!(out.articles[1].credit.as_deref(), Some("资料图片"));
        assert!(out.articles[2].kicker.is_none());
    }

    #[test]
    fn credit_closes_an_article() {
        let out = parse("标题一\n\n正文，内容。\n\n(融媒体 甲乙)\n\n标题二\n\n正文，内容。\n");
        assert_eq!(out.articles.len(), 2);
        assert_eq!(out.articles[0].credit.as_deref(), Some("(融媒体 甲乙)"));
        assert_eq!(out.articles[1].credit, None);
    }

    #[test]
    fn headline_printed_after_body() {
        let text = "第一篇标题\n\n正文，内容。\n\n(甲乙)\n\n\
                    □某地讯 8月22日, 某区少年代表大会召开。会议选举产生委员。\n\n(丙丁)\n\n\
                    某区少年代表大会召开\n\n下一篇引题\n\n下一篇标题\n\n某地讯 工厂产销数据平台上线，效率提升。\n";
        let out = parse(text);
        assert_eq!(
            titles(&out),
            vec![
                Some("第一篇标题"),
                Some("某区少年代表大会召开"),
                Some("下一篇标题")
            ]
        );
        assert_eq!(out.articles[1].lines, LineSpan { start: 7, end: 11 });
        assert_eq!(out.articles[2].kicker.as_deref(), Some("下一篇引题"));
    }

    #[test]
    fn a_kicker_is_not_stolen_by_an_untitled_body_it_does_not_summarise() {
        let text = "没有标题的正文，讲的是农业。\n\n(甲乙)\n\n工业引题\n\n工业标题\n\n工业正文，工业发展。\n";
        let out = parse(text);
        assert_eq!(out.articles[0].title, None);
        assert_eq!(out.articles[1].kicker.as_deref(), Some("工业引题"));
    }

    #[test]
    fn banners_above_a_kicker_are_fragments() {
        let text = "牢记嘱托走在前 勇担使命开新局\n深入学习贯彻某会精神\n\n引题 副引\n\n真正的标题\n\n正文，内容。\n";
        let out = parse(text);
        assert_eq!(out.articles.len(), 1);
        assert_eq!(out.articles[0].kicker.as_deref(), Some("引题 副引"));
        let banners: Vec<&str> = out.fragments.iter().map(|f| f.text.as_str()).collect();
        assert_eq!(
            banners,
            vec!["牢记嘱托走在前 勇担使命开新局", "深入学习贯彻某会精神"]
        );
        assert!(out.fragments.iter().all(|f| f.kind == FragmentKind::Banner));
    }

    #[test]
    fn a_label_with_no_body_is_a_fragment() {
        let out = parse("标题\n\n正文，内容。\n\n记者 甲乙\n\n提案关注\n");
        assert_eq!(out.articles.len(), 1);
        assert_eq!(out.articles[0].credit.as_deref(), Some("记者 甲乙"));
        assert_eq!(out.fragments[0].text, "提案关注");
    }

    #[test]
    fn triangle_caption_and_credit_make_a_photo() {
        let out = parse(
            "标题\n\n正文，内容。\n\n\n\n▲11月2日，主播在直播。\n记者 甲乙 摄\n\n下一个标题\n\n正文，内容。\n",
        );
        let kinds: Vec<ArticleKind> = out.articles.iter().map(|a| a.kind).collect();
        assert_eq!(
            kinds,
            vec![
                ArticleKind::Article,
                ArticleKind::Photo,
                ArticleKind::Article
            ]
        );
        assert_eq!(out.articles[1].credit.as_deref(), Some("记者 甲乙 摄"));
        assert_eq!(out.articles[0].paragraphs, vec!["正文，内容。"]);
    }

    #[test]
    fn paragraph_right_above_a_photo_credit_is_a_caption() {
        let out = parse(
            "标题\n\n正文，内容。\n\n\n\n近日，某局检查了食堂。\n记者 甲乙 通讯员 丙丁 摄\n\n下一个标题\n\n正文，内容。\n",
        );
        assert_eq!(out.articles[1].kind, ArticleKind::Photo);
        assert_eq!(out.articles[1].paragraphs, vec!["近日，某局检查了食堂。"]);
        assert_eq!(out.articles[0].paragraphs, vec!["正文，内容。"]);
    }

    #[test]
    fn column_label_over_one_captioned_paragraph_is_a_photo() {
        let out = parse(
            "目击\n\n近日，村民在基地里管理作物。\n\n■ 本报通讯员 甲乙 丙丁\n\n下一个标题\n\n正文，内容。\n",
        );
        let photo = &out.articles[0];
        assert_eq!(photo.kind, ArticleKind::Photo);
        assert_eq!(photo.kicker.as_deref(), Some("目击"));
        assert_eq!(photo.title, None);
        assert_eq!(photo.credit.as_deref(), Some("■ 本报通讯员 甲乙 丙丁"));
    }

    #[test]
    fn photo_between_byline_and_body_does_not_orphan_the_body() {
        let text = "访谈标题\n作者：甲乙\n\n某人在某地接受采访。\n本报记者 丙丁摄\n\n\u{3000}\u{3000}正文第一段，内容。\n";
        let out = parse(text);
        assert_eq!(out.articles[0].title.as_deref(), Some("访谈标题"));
        assert_eq!(out.articles[0].paragraphs, vec!["正文第一段，内容。"]);
        assert_eq!(out.articles[1].kind, ArticleKind::Photo);
    }

    #[test]
    fn orphan_credit_is_a_fragment() {
        let out = parse("地址：某市某路1号\n\n(融媒体 甲乙)\n\n标题\n\n正文，内容。\n");
        assert_eq!(out.colophon[0].text, "地址：某市某路1号");
        assert_eq!(out.fragments[0].kind, FragmentKind::OrphanCredit);
        assert_eq!(out.articles.len(), 1);
    }

    #[test]
    fn column_break_across_blank_lines_is_mended() {
        let out = parse("标题\n\n据了解，目前，某区综合行政\n\n\n\n执法局7个所均已建立实验室。\n");
        assert_eq!(
            out.articles[0].paragraphs,
            vec!["据了解，目前，某区综合行政执法局7个所均已建立实验室。"]
        );
    }

    #[test]
    fn list_lines_stay_separate() {
        let out = parse(
            "标题\n\n2024年,完成试点工作;\n2024年,实现增长9.9%;\n2024年,实现突破;\n\n正文，内容。\n",
        );
        assert_eq!(out.articles[0].paragraphs.len(), 4);
    }

    #[test]
    fn ocr_duplicate_is_a_fragment() {
        let out = parse("标题\n\n营造良好的社会氛围。\n\n会氛围。\n\n下一段，内容。\n");
        assert_eq!(out.articles[0].paragraphs.len(), 2);
        assert_eq!(out.fragments[0].kind, FragmentKind::Duplicate);
    }

    #[test]
    fn glued_credit_at_the_end() {
        let out = parse("标题\n\n正文，内容。”张某说。记者 马某某\n");
        assert_eq!(out.articles[0].credit.as_deref(), Some("记者 马某某"));
    }

    #[test]
    fn body_before_any_headline_is_an_untitled_article() {
        let out = parse("没有标题的正文，内容。\n");
        assert_eq!(out.articles.len(), 1);
        assert_eq!(out.articles[0].title, None);
    }
}
