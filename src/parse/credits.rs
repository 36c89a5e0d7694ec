//! The lexicon of bylines and credits: role words (`本报记者`, `通讯员`), bullets, metadata
//! labels (`作者：`, `来源：`), and the shapes built from them — a role and names, a
//! parenthetical credit, a photo credit, an author line, a dateline with its reporters. Line
//! classification (`lines`), paragraph mending (`reflow`) and assembly share it.

use super::chars::{
    is_clause_punct, is_han, is_name_list, is_space, longer_than, same_piece, simplified,
    visible_len,
};

/// Bullets that open bylines, credits and datelines (`■本报记者`, `□东昌府讯`).
const BULLETS: &[char] = &['■', '□', '●', '○', '◆', '◇', '★', '☆', '◎'];

/// Words naming a role in a byline or credit.
const ROLES: &[&str] = &[
    "特约通讯员",
    "特约记者",
    "见习记者",
    "摄影记者",
    "实习记者",
    "首席记者",
    "责任编辑",
    "通讯员",
    "实习生",
    "记者",
    "作者",
    "撰稿",
    "撰文",
    "编辑",
    "责编",
    "校对",
    "融媒体",
    "文/图",
    "文／图",
];

/// `记者 李若生 摄`, `(记者 李亚楠 通讯员 刘清丽 摄)`: a short line ending in 摄 / 摄影 / 供图.
pub fn is_photo_credit(text: &str) -> bool {
    if longer_than(text, 40) {
        return false;
    }
    // (Traditional text is read as Simplified: the rules' words are.)
    let folded = simplified(text);
    let text = folded.as_ref();
    if text.chars().any(is_clause_punct) {
        return false;
    }
    let core = text
        .trim_matches(|c: char| matches!(c, '(' | ')' | '（' | '）') || is_space(c))
        .trim_start_matches(BULLETS)
        .trim();
    let Some(stem) = ["摄影", "供图", "摄"]
        .iter()
        .find_map(|suffix| core.strip_suffix(suffix))
    else {
        return false;
    };
    let stem = stem.trim_end_matches(['/', '／', ' ', '　']);
    !stem.is_empty() && stem.chars().any(is_han)
}

/// A byline or credit line: a parenthetical name `(付玉婷)`, a role and names
/// `■本报记者 李兆宪`, or a dateline with its reporters and nothing else `本报讯 (记者 王燕)`.
/// (Metadata lines, `作者：…`, are [`super::meta`]'s.)
pub fn is_attribution(text: &str) -> bool {
    if longer_than(text, 48) {
        return false;
    }
    // (Traditional text is read as Simplified: the rules' words are.)
    let folded = simplified(text);
    let text = folded.as_ref();
    parenthetical_credit(text)
        || role_and_names(text)
        || slash_byline(text)
        || is_reporter_dateline(
            text.trim_start_matches(['〔', '【', '[', '（', '('])
                .trim_end_matches(['〕', '】', ']', '）', ')']),
        )
        || closing_credit(text)
        || dateline_parts(text).is_some_and(|(_, rest)| rest.is_empty())
        || role_line(text)
        || is_reprint_source(text)
}

/// Words that sign a piece before a slash (`文/张三`, `图｜李四`, `口述/王五 整理/赵六`), besides
/// the roles of [`ROLES`].
const SLASH_ROLES: &[&str] = &[
    "文", "图", "文图", "摄影", "口述", "整理", "编译", "翻译", "绘",
];

/// A byline of the magazine and web style: a role, a slash or bar, names (`文/张三`,
/// `文／张三 李四`, `记者｜王五`), possibly several such pairs.
fn slash_byline(text: &str) -> bool {
    let body = text.trim_start_matches(BULLETS).trim();
    if !body.contains(['/', '／', '|', '｜']) || body.chars().any(is_clause_punct) {
        return false;
    }
    labelled_names(body, &['/', '／', '|', '｜'], |role| {
        SLASH_ROLES.contains(&role) || strip_role(role) == Some("")
    })
}

/// A credit that only ever closes an article, never opens one: an end mark (`（完）`), a
/// page's staff credit (`本版编辑：某某`) or a picture's source (`图片来源：新华社`).
pub fn is_closing_credit(text: &str) -> bool {
    closing_credit(&simplified(text))
}

/// [`is_closing_credit`] of Simplified text. (Runs for every short line: each shape is asked
/// only when the line has what it needs — a bracket, a colon, a picture's word.)
fn closing_credit(text: &str) -> bool {
    let colon = text.contains(['：', ':']);
    (text.ends_with(['）', ')', '】', ']']) && is_end_mark(text))
        || (colon && is_staff_credit(text))
        || ((colon || text.contains('图') || text.contains('照')) && is_picture_source(text))
}

/// Labels naming where a picture came from (`图片来源：新华社`).
const PICTURE_SOURCE_LABELS: &[&str] =
    &["图片来源", "图片提供", "图源", "供图", "图片", "照片来源"];

/// Where the article's pictures came from: `图片来源：新华社`, `图片提供：某某`, or a picture's
/// kind alone (`资料图片`, `（资料照片）`). It closes the article above, as a credit does.
fn is_picture_source(text: &str) -> bool {
    let text = text.trim();
    if let Some((label, value)) = text.split_once(['：', ':']) {
        let value = value.trim();
        return PICTURE_SOURCE_LABELS.contains(&label.trim())
            && (1..=16).contains(&visible_len(value))
            && !value
                .chars()
                .any(|c| is_clause_punct(c) || matches!(c, '：' | ':'));
    }
    let inner = text
        .strip_prefix(['（', '('])
        .and_then(|t| t.strip_suffix(['）', ')']))
        .unwrap_or(text)
        .trim();
    ["资料图片", "资料照片", "网络图片", "图片来自网络", "示意图"].contains(&inner)
}

/// Labels of the staff a page credits at its foot (`本版编辑：赵六　校对：李四`,
/// `版式设计：沈亦伶`).
const STAFF_LABELS: &[&str] = &[
    "本版编辑",
    "本版责编",
    "本版统筹",
    "本版制图",
    "版面编辑",
    "值班编辑",
    "图片编辑",
    "美术编辑",
    "美编",
    "版式设计",
    "版式",
    "统筹",
    "制图",
    "校对",
    "责任校对",
    "本版校对",
];

/// A page's staff credit: one or more `label：names` pairs with staff labels, names only after
/// them. It closes the article above it, as a credit does.
fn is_staff_credit(text: &str) -> bool {
    labelled_names(text.trim(), &['：', ':'], |label| {
        STAFF_LABELS.contains(&label)
    })
}

/// True when `text` is one or more pairs of a label `known` accepts, a separator, and names
/// (`口述/王五 整理/赵六`, `本版编辑：赵六　校对：李四`): each pair's names run to the last space
/// before the next separator, or to the end.
fn labelled_names(text: &str, separators: &[char], known: impl Fn(&str) -> bool) -> bool {
    let mut pairs = 0;
    let mut rest = text;
    while !rest.is_empty() {
        let Some((label, after)) = rest.split_once(separators) else {
            return false;
        };
        let next = after
            .find(separators)
            .and_then(|at| after[..at].rfind(is_space))
            .unwrap_or(after.len());
        let names: Vec<&str> = after[..next]
            .split(|c: char| is_space(c) || c == '、')
            .filter(|n| !n.is_empty())
            .collect();
        if !known(label.trim()) || names.is_empty() || !names.iter().all(|n| is_name_list(n)) {
            return false;
        }
        pairs += 1;
        rest = after[next..].trim_start();
    }
    pairs > 0
}

/// Whether a line is an end mark (`（完）`), read as printed (Traditional too).
pub fn is_end_mark_line(text: &str) -> bool {
    is_end_mark(&simplified(text))
}

/// The mark that ends a piece or says it goes on: `（完）`, `（全文完）`, `（待续）`,
/// `（未完待续）`. It stands where a closing credit does.
fn is_end_mark(text: &str) -> bool {
    let inner = text
        .trim()
        .trim_start_matches(['（', '(', '【', '['])
        .trim_end_matches(['）', ')', '】', ']']);
    inner.len() < text.trim().len()
        && ["完", "全文完", "待续", "未完待续", "未完", "续完"].contains(&inner.trim())
}

/// What a reprinted piece is and where it first ran: `《某报》《某报》社论`, `《某刊》杂志评论员文章`
/// — publications in `《》` followed by the kind of piece. It stands where a byline does.
fn is_reprint_source(text: &str) -> bool {
    let mut rest = text.trim();
    let mut named = 0;
    while let Some(inner) = rest.strip_prefix('《') {
        let Some(close) = inner.find('》') else {
            return false;
        };
        rest = inner[close + '》'.len_utf8()..].trim_start_matches(['、', ' ', '\u{3000}']);
        named += 1;
    }
    const KINDS: &[&str] = &["社论", "评论员文章", "评论员", "编辑部文章", "短评", "述评"];
    named > 0 && visible_len(rest) <= 8 && KINDS.iter().any(|kind| rest.ends_with(kind))
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

/// `中共某区委书记 韩某某`, `某研究院研究员 某某`, `本报评论员`: a position followed by a name,
/// or a commentator's signature.
pub fn is_role_line(text: &str) -> bool {
    !longer_than(text, 30) && role_line(&simplified(text))
}

/// [`is_role_line`] of Simplified text.
fn role_line(text: &str) -> bool {
    if longer_than(text, 30) || text.chars().any(is_clause_punct) {
        return false;
    }
    if text.ends_with("评论员") && visible_len(text) <= 12 {
        return true;
    }
    let Some((role, name)) = text.rsplit_once(' ') else {
        return false;
    };
    is_name_list(name)
        && AUTHOR_ROLE_SUFFIXES
            .iter()
            .any(|s| role.trim_end().ends_with(s))
}

/// A line naming an author as printed under a headline: a bare name (`张浩`), a role and names,
/// or a position and a name. A bare name here is two or three characters: four-character
/// headlines are far commoner than four-character names.
pub fn is_author_line(text: &str) -> bool {
    if longer_than(text, 48) {
        return false;
    }
    // (Traditional text is read as Simplified: the rules' words are.)
    let folded = simplified(text);
    let text = folded.as_ref();
    let bare_name = is_name_list(text)
        && text
            .split(|c: char| is_space(c) || c == '、')
            .all(|name| name.chars().count() <= 3);
    bare_name || role_and_names(text) || role_line(text)
}

/// `(付玉婷)`, `（融媒体 郭龙君）`: a short parenthetical with no clause punctuation.
pub fn is_parenthetical_credit(text: &str) -> bool {
    text.starts_with(['(', '（']) && parenthetical_credit(&simplified(text))
}

/// [`is_parenthetical_credit`] of Simplified text.
fn parenthetical_credit(text: &str) -> bool {
    let inner = text
        .strip_prefix(['(', '（'])
        .and_then(|t| t.strip_suffix([')', '）']));
    match inner {
        Some(inner) => {
            let n = visible_len(inner);
            (2..=30).contains(&n)
                && inner.chars().any(is_han)
                && !inner
                    .chars()
                    .any(|c| is_clause_punct(c) || "()（）".contains(c))
        }
        None => false,
    }
}

/// A role word followed by names, possibly repeated: `■本报记者 李兆宪`, `记者 王浩`,
/// `本报记者 赵嘉鸣 马小宁`, `记者张浩 通讯员赵凯`.
pub fn is_role_and_names(text: &str) -> bool {
    role_and_names(&simplified(text))
}

/// [`is_role_and_names`] of Simplified text.
fn role_and_names(text: &str) -> bool {
    let body = text.trim_start_matches(BULLETS).trim_start();
    if body.chars().any(is_clause_punct) {
        return false;
    }
    let split: Vec<&str> = body
        .split(|c: char| is_space(c) || matches!(c, '、' | '：' | ':'))
        .filter(|t| !t.is_empty())
        .collect();
    // Two-character names are printed letter-spaced to align with three-character ones
    // (`李　强`): single characters in a row are one name.
    let mut tokens: Vec<String> = Vec::with_capacity(split.len());
    let mut previous_single = false;
    for token in split {
        let single = token.chars().count() == 1;
        match tokens.last_mut() {
            Some(last) if single && previous_single => last.push_str(token),
            _ => tokens.push(token.to_string()),
        }
        previous_single = single;
    }
    let Some(first) = tokens.first() else {
        return false;
    };
    if strip_role(first).is_none() {
        return false;
    }
    let mut names = 0;
    for token in &tokens {
        let (rest, glued) = match strip_role(token) {
            Some(rest) => (rest, true),
            None => (token.as_str(), false),
        };
        if rest.is_empty() {
            continue;
        }
        // A name glued to its role (`记者王浩`) is two or three characters; longer, it is more
        // likely a word (`记者会召开`).
        if !is_name_list(rest) || (glued && rest.chars().count() > 3) {
            return false;
        }
        names += 1;
    }
    names > 0
}

/// Strips a leading `本报` and role word from a token; `None` when the token has no role word.
fn strip_role(token: &str) -> Option<&str> {
    let token = token.strip_prefix("本报").unwrap_or(token);
    // `驻某国记者`: a correspondent, named by the posting (the names follow as words).
    if let Some(place) = token
        .strip_prefix('驻')
        .and_then(|t| t.strip_suffix("记者"))
        && (1..=8).contains(&place.chars().count())
    {
        return Some("");
    }
    ROLES
        .iter()
        .find_map(|role| token.strip_prefix(role))
        .map(|rest| rest.trim_start_matches(['/', '／']))
}

/// Splits a photo credit off the end of a caption: `…在北京举行。新华社记者 某某摄` →
/// (`…在北京举行。`, `新华社记者 某某摄`). Only after a finished sentence.
pub fn split_photo_credit(text: &str) -> Option<(&str, &str)> {
    // (Most lines end otherwise: settled before the line is read again.)
    let last = text.trim_end().chars().next_back()?;
    if !"摄攝影图圖".contains(last) {
        return None;
    }
    split_as_printed(text, photo_credit_parts)
}

/// [`split_photo_credit`] of Simplified text.
fn photo_credit_parts(text: &str) -> Option<(&str, &str)> {
    let end = text.trim_end();
    if !(end.ends_with('摄') || end.ends_with("摄影") || end.ends_with("供图")) {
        return None;
    }
    // (A full stop typed as ASCII `.` counts after a Han character, not in `3.5` or `U.S.`.)
    let boundary = end.char_indices().rev().find_map(|(at, c)| {
        let before = end[..at].chars().next_back();
        let stop = matches!(c, '。' | '！' | '？' | '!' | '?')
            || (c == '.' && before.is_some_and(|b| !b.is_ascii_alphanumeric()));
        stop.then_some(at + c.len_utf8())
    })?;
    let (caption, credit) = (end[..boundary].trim_end(), end[boundary..].trim());
    (!caption.is_empty() && is_photo_credit(credit)).then_some((caption, credit))
}

/// Splits a dateline and its reporters off the front of a paragraph:
/// `本报讯(记者 马琳)日前，…` → (`本报讯(记者 马琳)`, `日前，…`). The head ends in 讯 or 电 and is
/// followed by a parenthetical naming who reported; a bare `东昌府讯 8月18日` is not split.
pub fn split_dateline(text: &str) -> Option<(&str, &str)> {
    split_as_printed(text, |t| {
        dateline_parts(t).or_else(|| reporter_dateline_parts(t))
    })
}

/// A reporter's dateline as Taiwanese and Hong Kong papers print it: who reported, a slash,
/// and from where (`记者王小明／台北报导`, `本报记者李大华/综合报道`).
fn is_reporter_dateline(text: &str) -> bool {
    let Some((who, place)) = text.trim().split_once(['／', '/']) else {
        return false;
    };
    let who = who.trim();
    let names = strip_role(who).map(str::trim);
    let place = place.trim();
    let reported = ["报导", "报道", "电", "讯"]
        .iter()
        .any(|end| place.ends_with(end));
    names.is_some_and(|n| !n.is_empty() && is_name_list(n))
        && reported
        && (2..=12).contains(&visible_len(place))
        && place.chars().all(is_han)
}

/// [`split_dateline`] of a bracketed reporter's dateline opening a paragraph:
/// `〔记者王小明／台北报导〕台北市政府今天宣布…`.
fn reporter_dateline_parts(text: &str) -> Option<(&str, &str)> {
    let inner = text.strip_prefix(['〔', '【', '[', '（', '('])?;
    let close = inner
        .char_indices()
        .take(32)
        .find(|&(_, c)| "〕】]）)".contains(c))?
        .0;
    if !is_reporter_dateline(&inner[..close]) {
        return None;
    }
    let end = text.len() - inner.len() + close + inner[close..].chars().next()?.len_utf8();
    Some((&text[..end], text[end..].trim_start()))
}

/// What `split` makes of `text` read as Simplified, as the same two pieces of `text` as
/// printed.
fn split_as_printed<'a>(
    text: &'a str,
    split: impl for<'b> Fn(&'b str) -> Option<(&'b str, &'b str)>,
) -> Option<(&'a str, &'a str)> {
    let folded = simplified(text);
    let (head, tail) = split(&folded)?;
    Some((
        same_piece(text, &folded, head),
        same_piece(text, &folded, tail),
    ))
}

/// [`split_dateline`] of Simplified text.
fn dateline_parts(text: &str) -> Option<(&str, &str)> {
    let body = text.trim_start_matches(BULLETS);
    let open = body.find(['(', '（'])?;
    let head = body[..open].trim_end();
    let head_len = head.chars().count();
    if !(2..=16).contains(&head_len)
        || !(head.ends_with('讯') || head.ends_with('电'))
        || head.chars().any(|c| is_clause_punct(c) || is_space(c))
    {
        return None;
    }
    let after_open = &body[open..];
    let close = after_open.find([')', '）'])?;
    let close_end = close + after_open[close..].chars().next()?.len_utf8();
    let inner = &after_open[after_open.chars().next()?.len_utf8()..close];
    if inner.chars().count() > 40
        || inner.chars().any(is_clause_punct)
        || !inner.chars().any(is_han)
    {
        return None;
    }
    let prefix_len = text.len() - body.len() + open + close_end;
    Some((&text[..prefix_len], text[prefix_len..].trim_start()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slash_bylines_end_marks_and_staff_credits_are_credits() {
        for text in [
            "文/张三",
            "文／张三 李四",
            "■ 记者｜王五",
            "口述/王五 整理/赵六",
            "（完）",
            "(全文完)",
            "（未完待续）",
            "本版编辑：赵六\u{3000}校对：李四",
            "版式设计：沈亦伶",
            "本版統籌：孟祥麟　黃發紅",
        ] {
            assert!(is_attribution(text), "{text}");
        }
        for text in [
            "文化/旅游",
            "上海/北京两地联动发展",
            "完成全年目标任务",
            "版式设计：简洁大方，色彩明快。",
        ] {
            assert!(!is_attribution(text), "{text}");
        }
        assert!(is_closing_credit("（完）") && is_closing_credit("校对：李四"));
        // A reporter's dateline, Taiwanese style: alone, and opening a paragraph.
        assert!(is_attribution("記者李大華／綜合報導"));
        assert!(is_attribution("〔本报记者王小明/台北报道〕"));
        assert!(!is_attribution("上海/北京两地报道"));
        assert_eq!(
            split_dateline("〔記者王小明／台北報導〕台北市政府今天宣布，明年起調漲水價。"),
            Some((
                "〔記者王小明／台北報導〕",
                "台北市政府今天宣布，明年起調漲水價。"
            ))
        );
        assert!(!is_closing_credit("（记者 张三）"));
    }

    #[test]
    fn a_reprint_source_stands_as_a_byline() {
        assert!(is_attribution("《某某日报》《某某军报》社论"));
        assert!(is_attribution("《某刊》杂志评论员文章"));
        assert!(!is_attribution("《某某日报》发表文章"));
        assert!(!is_attribution("读《某书》有感"));
    }
}
