//! Articles announced by metadata: database exports and scraped records print each article's
//! headline with one or more metadata lines right under it (`作者：… 时间：…`, `日期：… 版次：…`).
//! Where an issue is laid out so, that announcement is the only thing that starts an article:
//! between two of them everything — short section heads, one-word place names over
//! correspondents' pieces, list items, `记者：`/`答：` turns, captions and their credits — is
//! inside the article above. This is learned from the issue itself (its lines show the shape
//! more than once, or open with it), never from a paper's name.

use super::assemble::{Assembled, read_stack};
use super::chars::{ends_sentence, visible_len};
use super::credits::{is_author_line, is_end_mark_line};
use super::items::{Item, split_run};
use super::lines::{Line, LineKind, MAX_HEADLINE_LEN};
use super::meta::{HeadlinePart, headline_part_field, is_text_label, text_label, title_field};
use crate::model::{Fragment, FragmentKind};

/// A headline and the metadata lines under it, by index into the lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Anchor {
    /// The first line of the headline (its kicker, when it has one).
    pub stack_start: usize,
    /// The first metadata line.
    pub meta_start: usize,
    /// One past the last metadata line.
    pub meta_end: usize,
    /// The headline is printed under the metadata (front matter), not over it.
    pub headline_below: bool,
}

/// How many headline lines (kicker, title, subtitle) an announcement has at most.
const MAX_STACK: usize = 4;

/// A line that can be part of a headline over metadata: not indented (indented lines are
/// paragraphs), headline-long, not a finished sentence. Commas are allowed: the metadata
/// under it says it is a headline.
fn can_head(line: &Line) -> bool {
    !line.indented
        && visible_len(&line.text) <= MAX_HEADLINE_LEN
        && !matches!(
            line.kind,
            LineKind::Meta | LineKind::Colophon | LineKind::Caption | LineKind::PhotoCredit
        )
        && (!ends_sentence(&line.text) || !line.text.ends_with(['。', '.']))
}

/// Every headline printed directly over metadata lines, in order.
pub fn anchors(lines: &[Line]) -> Vec<Anchor> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if lines[i].kind == LineKind::FrontMatter {
            let mut end = i;
            while end < lines.len() && lines[end].kind == LineKind::FrontMatter {
                end += 1;
            }
            out.push(Anchor {
                stack_start: i,
                meta_start: i,
                meta_end: end,
                headline_below: true,
            });
            i = end;
            continue;
        }
        if lines[i].kind != LineKind::Meta {
            i += 1;
            continue;
        }
        let mut end = i;
        while end < lines.len() && lines[end].kind == LineKind::Meta {
            end += 1;
        }
        // A record that prints its title as a field (`标题：…`, `【标题】…`) announces itself.
        if lines[i..end].iter().any(|l| title_field(&l.text).is_some()) {
            out.push(Anchor {
                stack_start: i,
                meta_start: i,
                meta_end: end,
                headline_below: false,
            });
        // The title sits right on the metadata; a kicker or subtitle right on the title.
        } else if i > 0 && lines[i].gap_before == 0 && can_head(&lines[i - 1]) {
            let mut start = i - 1;
            while start > 0
                && i - start < MAX_STACK
                && lines[start].gap_before == 0
                && can_head(&lines[start - 1])
            {
                start -= 1;
            }
            out.push(Anchor {
                stack_start: start,
                meta_start: i,
                meta_end: end,
                headline_below: false,
            });
        }
        i = end;
    }
    out
}

/// True when the anchors describe the layout: the shape recurs, or the issue opens
/// with it (a file holding one record).
pub fn is_layout(anchors: &[Anchor]) -> bool {
    match anchors {
        [] => false,
        [only] => only.stack_start == 0 || only.headline_below,
        _ => true,
    }
}

/// The items of one announced article: `lines` run from its headline to the next one's.
pub fn article(lines: &[Line], anchor: &Anchor, out: &mut Assembled) -> Vec<Item> {
    let offset = anchor.stack_start;
    let meta = &lines[anchor.meta_start - offset..anchor.meta_end - offset];
    let after_meta = &lines[anchor.meta_end - offset..];
    let (stack, rest): (Vec<&Line>, &[Line]) = if anchor.headline_below {
        // Under front matter: its Markdown heading (or, without one, its headline-shaped
        // lines), then the body.
        let heading = after_meta
            .first()
            .is_some_and(|l| matches!(l.kind, LineKind::Heading(_)));
        let n = after_meta
            .iter()
            .take(MAX_STACK)
            .take_while(|l| match l.kind {
                LineKind::Heading(_) | LineKind::Subtitle => true,
                LineKind::Short => !heading,
                _ => false,
            })
            .count();
        (after_meta[..n].iter().collect(), &after_meta[n..])
    } else {
        (
            lines[..anchor.meta_start - offset].iter().collect(),
            after_meta,
        )
    };
    // In the body, a headline-shaped line after a finished sentence (or first) is a section
    // head; one continuing an unfinished sentence is text.
    let mut body: Vec<Line> = Vec::new();
    let mut labelled = false;
    // After the mark that ends the piece (`（完）`) comes what the page put around it — a
    // correction link, a share prompt — not the article's text.
    let ended = rest
        .iter()
        .position(|l| is_end_mark_line(&l.text))
        .map_or(rest.len(), |at| at + 1);
    for line in &rest[ended..] {
        out.fragments.push(Fragment {
            kind: FragmentKind::Stray,
            line: line.no,
            text: line.text.clone(),
        });
    }
    let rest = &rest[..ended];
    for (n, line) in rest.iter().enumerate() {
        let mut line = line.clone();
        // `正文：本市…` (at most a byline or two before it): the record's text, its printed
        // label kept apart.
        // A label alone on its line (`正文：`) heads the lines below.
        if n < 3 && !labelled && is_text_label(&line.text) {
            labelled = true;
            out.fragments.push(Fragment {
                kind: FragmentKind::Label,
                line: line.no,
                text: line.text.clone(),
            });
            continue;
        }
        if n < 3
            && !labelled
            && let Some(at) = text_label(&line.text)
        {
            labelled = true;
            out.fragments.push(Fragment {
                kind: FragmentKind::Label,
                line: line.no,
                text: line.text[..at].trim_end().to_string(),
            });
            line.text = line.text[at..].to_string();
        }
        let heading = matches!(line.kind, LineKind::Short | LineKind::Heading(_));
        let after_sentence = body
            .iter()
            .rev()
            .find(|l| !matches!(l.kind, LineKind::Colophon))
            .is_none_or(|l| ends_sentence(&l.text) || l.kind != LineKind::Body);
        let bracketed = line.text.starts_with(['（', '(']) && line.text.ends_with(['）', ')']);
        let byline = is_author_line(&line.text) && visible_len(&line.text) > 4;
        if heading && (bracketed || byline) {
            // `（本报某地电 记者…）`, `本报驻某国记者 某某`: credits and bylines, not heads.
            line.kind = LineKind::Attribution;
        } else if heading && !(after_sentence || line.indented || line.gap_before > 0) {
            line.kind = LineKind::Body;
        } else if line.kind == LineKind::Subtitle {
            // `——` paragraphs inside a body are list items, not subtitles.
            line.kind = LineKind::Body;
        }
        body.push(line);
    }
    let refs: Vec<&Line> = body.iter().collect();
    let pieces = split_run(&refs, out);
    let (photos, texts): (Vec<Item>, Vec<Item>) = pieces.into_iter().partition(|i| i.photo);
    let mut texts = texts.into_iter();
    let mut main = texts
        .next()
        .unwrap_or_else(|| Item::starting_at(lines[0].no));
    // Later pieces (after a credit closed one, or a byline opened one) continue the article.
    for piece in texts {
        main.absorb(piece);
    }
    if !stack.is_empty() {
        // The line on the metadata is the title, however name-like.
        let headline = read_stack(&stack, false);
        // Lines above the kicker of an announced headline are headline lines too: they join
        // the kicker rather than fall to the fragments.
        let mut kicker: Vec<String> = Vec::new();
        for (line, text) in headline.banners {
            main.touch(line);
            kicker.push(text);
        }
        kicker.extend(headline.kicker);
        main.kicker = (!kicker.is_empty()).then(|| kicker.join(" "));
        main.title = headline.title;
        main.subtitle = headline.subtitle;
        let mut byline = headline.author;
        byline.append(&mut main.byline);
        main.byline = byline;
        for line in &stack {
            main.touch(line.no);
        }
    }
    for line in meta {
        let part = headline_part_field(&line.text).filter(|(part, _, _)| match part {
            HeadlinePart::Kicker => main.kicker.is_none(),
            HeadlinePart::Title => main.title.is_none(),
            HeadlinePart::Subtitle => main.subtitle.is_none(),
        });
        match part {
            Some((part, label, text)) => {
                // The headline's part goes to the article; its printed label is kept apart.
                let slot = match part {
                    HeadlinePart::Kicker => &mut main.kicker,
                    HeadlinePart::Title => &mut main.title,
                    HeadlinePart::Subtitle => &mut main.subtitle,
                };
                *slot = Some(text.to_string());
                main.touch(line.no);
                out.fragments.push(Fragment {
                    kind: FragmentKind::Label,
                    line: line.no,
                    text: label.to_string(),
                });
            }
            None => main.add_meta(line),
        }
    }
    let mut items = vec![main];
    items.extend(photos);
    items
}

#[cfg(test)]
mod tests {
    use crate::parse::assemble::{Assembled, assemble};
    use crate::parse::lines::classify_lines;

    fn parse(text: &str) -> Assembled {
        assemble(&classify_lines(text))
    }

    fn titles(out: &Assembled) -> Vec<&str> {
        out.articles
            .iter()
            .filter_map(|a| a.title.as_deref())
            .collect()
    }

    /// Two records of a database export, the first a long piece with every shape that used
    /// to start a new article inside it.
    const EXPORT: &str = "\
某地举行第一届评选活动
作者：甲乙;丙丁  时间：2018-04-17

\u{3000}\u{3000}本报某地4月16日电（记者甲乙）第一届评选活动16日举行。

\u{3000}\u{3000}评选结果如下

\u{3000}\u{3000}一、获得一等奖的有：
\u{3000}\u{3000}某某单位；

\u{3000}\u{3000}某某学校；

\u{3000}\u{3000}另一单位。

\u{3000}\u{3000}某国

\u{3000}\u{3000}本报驻某国记者　戊己

\u{3000}\u{3000}记者：这项活动办了多少年？

\u{3000}\u{3000}答：今年是第一年。

第二篇报道的标题
——副题说明这篇报道
某报 日期：2018-04-18 版次：03 版 栏目：国际视点

\u{3000}\u{3000}正文第一段。
";

    #[test]
    fn a_record_prints_kicker_title_and_subtitle_as_fields() {
        let out = parse(
            "引题：坚持稳中求进\n标题：某地经济运行总体平稳\n副标题：前三季度增长百分之五\n\
             作者：本报记者 张三\n日期：2018-04-01\n版面：第01版：要闻\n正文：\n\
             \u{3000}\u{3000}某地前三季度经济运行总体平稳，主要指标好于预期。\n\
             \u{3000}\u{3000}工业生产稳步回升。\n\n\
             引題：聚焦民生\n標題：乙地新建學校十所\n作者：李四\n日期：2018-04-01\n正文：\n\
             \u{3000}\u{3000}乙地今年新建學校十所。\n",
        );
        let read: Vec<_> = out
            .articles
            .iter()
            .map(|a| {
                (
                    a.kicker.as_deref(),
                    a.title.as_deref(),
                    a.subtitle.as_deref(),
                    a.page.as_deref(),
                    a.section.as_deref(),
                    a.paragraphs.len(),
                )
            })
            .collect();
        assert_eq!(
            read,
            [
                (
                    Some("坚持稳中求进"),
                    Some("某地经济运行总体平稳"),
                    Some("前三季度增长百分之五"),
                    Some("01"),
                    Some("要闻"),
                    2
                ),
                (
                    Some("聚焦民生"),
                    Some("乙地新建學校十所"),
                    None,
                    None,
                    None,
                    1
                ),
            ]
        );
        // The labels are kept apart, the text label alone on its line too.
        let labels: Vec<&str> = out.fragments.iter().map(|f| f.text.as_str()).collect();
        assert_eq!(
            labels,
            [
                "引题：",
                "标题：",
                "副标题：",
                "正文：",
                "引題：",
                "標題：",
                "正文："
            ]
        );
    }

    #[test]
    fn a_field_with_an_unknown_label_among_a_records_fields_is_metadata() {
        let out = parse(
            "【篇名】某地经济运行总体平稳\n【作者】张三\n【机构】某某报社\n【报纸名称】某某日报\n\
             【日期】2018-04-01\n【正文】某地前三季度经济运行总体平稳\n\n\
             【篇名】乙地新建学校十所\n【作者】李四\n【正文】乙地今年新建学校十所。\n",
        );
        assert_eq!(titles(&out), ["某地经济运行总体平稳", "乙地新建学校十所"]);
        let first = &out.articles[0];
        assert!(first.metadata.iter().any(|m| m == "【机构】某某报社"));
        assert_eq!(first.source.as_deref(), Some("某某日报"));
        assert_eq!(first.paragraphs, ["某地前三季度经济运行总体平稳"]);
        // Over a record's fields, a line with a colon is its headline.
        let quoted = parse(
            "王毅：中方愿同各方加强合作\n作者：张三  时间：2018-04-17\n\n\u{3000}\u{3000}正文。\n\n\
             李克强：持续推进改革开放\n作者：李四  时间：2018-04-18\n\n\u{3000}\u{3000}正文。\n",
        );
        assert_eq!(
            titles(&quoted),
            ["王毅：中方愿同各方加强合作", "李克强：持续推进改革开放"]
        );
        // Alone, such a line is what its shape says.
        let lone = parse("某地举行大会\n\n【机构】某某报社\n\n某地昨日举行大会，到会者千余人。\n");
        assert!(lone.articles.iter().all(|a| a.metadata.is_empty()));
    }

    #[test]
    fn what_follows_a_pieces_end_mark_is_not_its_text() {
        let out = parse(
            "国务院常务会议部署稳增长措施\n2018-04-01 08:30:12\u{3000}来源：新华网\n\n\
             \u{3000}\u{3000}新华社北京4月1日电（记者张三）国务院召开常务会议。\n\
             \u{3000}\u{3000}会议指出，要保持经济运行在合理区间。\n\u{3000}\u{3000}（完）\n\n\
             【纠错】 责任编辑： 王五\n\n扫一扫在手机打开当前页\n",
        );
        let article = &out.articles[0];
        assert_eq!(article.credit.as_deref(), Some("（完）"));
        assert_eq!(article.paragraphs.len(), 2, "{:?}", article.paragraphs);
        let strays: Vec<&str> = out.fragments.iter().map(|f| f.text.as_str()).collect();
        assert_eq!(
            strays,
            ["【纠错】 责任编辑： 王五", "扫一扫在手机打开当前页"]
        );
    }

    #[test]
    fn between_two_announcements_is_one_article() {
        let out = parse(EXPORT);
        assert_eq!(
            titles(&out),
            ["某地举行第一届评选活动", "第二篇报道的标题"],
            "list lines, a subhead, a country name, a byline and Q&A stay inside"
        );
        let first = &out.articles[0];
        assert!(
            first
                .paragraphs
                .iter()
                .any(|p| p.contains("记者：这项活动"))
        );
        assert!(first.paragraphs.iter().any(|p| p == "某国"));
        let subhead = first
            .paragraphs
            .iter()
            .position(|p| p == "评选结果如下")
            .expect("subhead kept");
        assert!(first.subheads.contains(&subhead));
        assert_eq!(first.author.as_deref(), Some("甲乙;丙丁"));
        assert_eq!(first.date.as_deref(), Some("2018-04-17"));
        assert_eq!(first.metadata, ["作者：甲乙;丙丁 时间：2018-04-17"]);
        let second = &out.articles[1];
        assert_eq!(second.subtitle.as_deref(), Some("——副题说明这篇报道"));
        assert_eq!(second.page.as_deref(), Some("03"));
        assert_eq!(second.section.as_deref(), Some("国际视点"));
        assert_eq!(second.source.as_deref(), Some("某报"));
        assert_eq!(second.paragraphs, ["正文第一段。"]);
    }

    #[test]
    fn a_kicker_and_a_credit_in_the_middle() {
        let text = "\
引题说明背景——
主标题
时间：2019-01-09
\u{3000}\u{3000}新华社记者
\u{3000}\u{3000}第一段。
\u{3000}\u{3000}（参与记者：甲、乙）
\u{3000}\u{3000}第二段接着写。
\u{3000}\u{3000}（新华社北京1月8日电）
";
        let out = parse(text);
        assert_eq!(titles(&out), ["主标题"]);
        let a = &out.articles[0];
        assert_eq!(a.kicker.as_deref(), Some("引题说明背景——"));
        assert!(a.paragraphs.iter().any(|p| p.contains("第二段")));
        assert_eq!(a.credit.as_deref(), Some("（新华社北京1月8日电）"));
    }

    #[test]
    fn scraped_records_print_their_title_as_a_field() {
        let text = "【标题】某地举行庆祝大会\n【日期】1935-03-01 【版次】第3版\n本市昨日举行大会，到会者千余人。\n\n【标题】物价续有上涨\n【日期】1935-03-01\n米价每石涨二角，其余各物亦涨。\n";
        let out = parse(text);
        assert_eq!(titles(&out), ["某地举行庆祝大会", "物价续有上涨"]);
        assert_eq!(out.articles[0].page.as_deref(), Some("3"));
        assert_eq!(
            out.articles[0].paragraphs,
            ["本市昨日举行大会，到会者千余人。"]
        );
        assert!(out.fragments.iter().any(|f| f.text == "【标题】"));
    }

    #[test]
    fn a_record_names_its_paper_and_labels_its_text() {
        let text = "题名：某会昨开执委会\n刊名：某报\n日期：1935-01-01\n版次：第3版\n正文：该会于昨日召开会议，讨论要案多件。\n\n议决事项如下。\n\n题名：物价续有上涨\n刊名：某报\n日期：1935-01-01\n关键词：物价\n【正文】米价每石涨二角，其余各物亦涨。\n";
        let out = parse(text);
        assert_eq!(titles(&out), ["某会昨开执委会", "物价续有上涨"]);
        let first = &out.articles[0];
        assert_eq!(first.source.as_deref(), Some("某报"));
        assert_eq!(
            first.paragraphs,
            ["该会于昨日召开会议，讨论要案多件。", "议决事项如下。"]
        );
        assert_eq!(
            out.articles[1].paragraphs,
            ["米价每石涨二角，其余各物亦涨。"]
        );
        for label in ["正文：", "【正文】"] {
            assert!(out.fragments.iter().any(|f| f.text == label), "{label}");
        }
        // Traditional labels read the same.
        let out =
            parse("標題：物價續有上漲\n來源：某報\n日期：1935-01-01\n正文：米價每石漲二角。\n");
        assert_eq!(titles(&out), ["物價續有上漲"]);
        assert_eq!(out.articles[0].source.as_deref(), Some("某報"));
        assert_eq!(out.articles[0].paragraphs, ["米價每石漲二角。"]);
        // Text that only begins with such a word is left whole.
        let out = parse("题名：某事\n日期：1935-01-01\n内容丰富的展览昨日开幕，观众踊跃。\n");
        assert_eq!(
            out.articles[0].paragraphs,
            ["内容丰富的展览昨日开幕，观众踊跃。"]
        );
    }

    #[test]
    fn a_lone_metadata_line_in_a_paper_changes_nothing() {
        // One metadata line under a headline in the middle of an ordinary issue is no layout.
        let text = "标题一\n\n正文一，内容。\n\n标题二\n来源：某网\n\n正文二，内容。\n\n标题三\n\n正文三，内容。\n";
        let out = parse(text);
        assert_eq!(titles(&out), ["标题一", "标题二", "标题三"]);
        assert_eq!(out.articles[1].source.as_deref(), Some("某网"));
    }
}
