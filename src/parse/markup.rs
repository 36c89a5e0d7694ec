//! Markup that reaches plain-text issues from web pages and Markdown exports: HTML tags
//! (`<br>`, `<p>`, `<strong>`, `<figure>`), character entities (`&nbsp;`, `&amp;`, `&#21512;`),
//! Markdown backslash escapes (`\!`, `\(`), Hugo shortcodes (`{{< video … >}}`), thematic breaks
//! (`---`) and YAML front matter. Tags, escapes and shortcodes are removed and entities decoded
//! before a line is classified, so none of it reaches the reader; front matter is kept as the
//! next article's metadata.

use std::borrow::Cow;

/// HTML elements whose tags are removed. Only these: `<` before other words is text.
const TAGS: &[&str] = &[
    "a",
    "abbr",
    "article",
    "aside",
    "b",
    "big",
    "blockquote",
    "body",
    "br",
    "caption",
    "center",
    "cite",
    "code",
    "dd",
    "del",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "font",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hr",
    "html",
    "i",
    "iframe",
    "img",
    "ins",
    "li",
    "mark",
    "nav",
    "ol",
    "p",
    "picture",
    "pre",
    "q",
    "s",
    "section",
    "small",
    "source",
    "span",
    "strike",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
    "video",
];

/// Named entities decoded; numeric ones (`&#21512;`, `&#x5408;`) are decoded too.
const ENTITIES: &[(&str, char)] = &[
    ("nbsp", ' '),
    ("ensp", ' '),
    ("emsp", '\u{3000}'),
    ("amp", '&'),
    ("lt", '<'),
    ("gt", '>'),
    ("quot", '"'),
    ("apos", '\''),
    ("middot", '·'),
    ("mdash", '—'),
    ("ndash", '–'),
    ("hellip", '…'),
    ("ldquo", '“'),
    ("rdquo", '”'),
    ("lsquo", '‘'),
    ("rsquo", '’'),
    ("times", '×'),
    ("copy", '©'),
];

/// The length of an HTML tag of a known element at the start of `s` (`<br>`, `</p>`,
/// `<img src="…"/>`), if there is one.
fn tag_len(s: &str) -> Option<usize> {
    let rest = s.strip_prefix('<')?;
    let rest = rest.strip_prefix('/').unwrap_or(rest);
    let name_len = rest
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(rest.len());
    let name = rest[..name_len].to_ascii_lowercase();
    if !TAGS.contains(&name.as_str()) {
        return None;
    }
    let after = &rest[name_len..];
    if !(after.starts_with(['>', ' ', '/', '\t'])) {
        return None;
    }
    // Attributes are ASCII outside their quoted values (`<b 且 c>` is text).
    let mut quote: Option<char> = None;
    for (at, c) in after.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => return Some(s.len() - after.len() + at + 1),
            (None, '<') => return None,
            (None, c) if !c.is_ascii() => return None,
            _ => {}
        }
    }
    None
}

/// The decoded character and length of an entity at the start of `s`.
fn entity(s: &str) -> Option<(char, usize)> {
    let rest = s.strip_prefix('&')?;
    let end = rest.find(';').filter(|&e| (1..=10).contains(&e))?;
    let name = &rest[..end];
    let c = if let Some(number) = name.strip_prefix('#') {
        let code = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => number.parse().ok()?,
        };
        char::from_u32(code)?
    } else {
        ENTITIES.iter().find(|(n, _)| *n == name)?.1
    };
    Some((c, end + 2))
}

/// A Hugo shortcode at the start of `s`: `{{< … >}}` or `{{% … %}}`.
fn shortcode_len(s: &str) -> Option<usize> {
    let (open, close) = if s.starts_with("{{<") {
        ("{{<", ">}}")
    } else if s.starts_with("{{%") {
        ("{{%", "%}}")
    } else {
        return None;
    };
    s[open.len()..]
        .find(close)
        .map(|at| open.len() + at + close.len())
}

/// `text` without tags, escapes and shortcodes, entities decoded.
pub fn strip_markup(text: &str) -> Cow<'_, str> {
    if !text
        .bytes()
        .any(|b| matches!(b, b'<' | b'&' | b'\\' | b'{'))
    {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let skip = match c {
            '<' => tag_len(rest),
            '{' => shortcode_len(rest),
            '&' => entity(rest).map(|(decoded, len)| {
                out.push(decoded);
                len
            }),
            // A Markdown escape: the backslash goes, the character stays.
            '\\' => rest[1..]
                .chars()
                .next()
                .filter(|n| n.is_ascii_punctuation())
                .map(|_| 1),
            _ => None,
        };
        match skip {
            Some(len) => rest = &rest[len..],
            None => {
                out.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    Cow::Owned(out)
}

/// A Markdown thematic break: three or more `-`, `*` or `_` and nothing else.
pub fn is_thematic_break(line: &str) -> bool {
    // Runs for every line: look at the first mark before counting anything.
    let Some(mark) = line.trim_start().chars().next() else {
        return false;
    };
    matches!(mark, '-' | '*' | '_')
        && line.chars().all(|c| c == mark || c.is_whitespace())
        && line.chars().filter(|&c| c == mark).count() >= 3
}

/// A YAML front-matter line: `key: value`, `key:` or a list item `- value`.
fn is_yaml_line(line: &str) -> bool {
    let t = line.trim_end();
    if t.trim_start().starts_with("- ") {
        return true;
    }
    let Some((key, value)) = t.split_once(':') else {
        return false;
    };
    !key.is_empty()
        && key.len() <= 40
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && (value.is_empty() || value.starts_with(' '))
}

/// The line ranges (fences included) of YAML front-matter blocks: a `---` line, then lines
/// that are all YAML (the first a `key: value`), then a closing `---`.
pub fn front_matter(lines: &[&str]) -> Vec<std::ops::Range<usize>> {
    let mut blocks = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let opens = lines[i].trim() == "---"
            && lines
                .get(i + 1)
                .is_some_and(|l| is_yaml_line(l) && !l.trim_start().starts_with('-'));
        if opens {
            let close = (i + 1..lines.len().min(i + 80)).find(|&j| lines[j].trim() == "---");
            if let Some(close) = close
                && lines[i + 1..close]
                    .iter()
                    .all(|l| is_yaml_line(l) || l.starts_with([' ', '\t']) || l.trim().is_empty())
            {
                blocks.push(i..close + 1);
                i = close + 1;
                continue;
            }
        }
        i += 1;
    }
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_entities_escapes_and_shortcodes_go() {
        assert_eq!(strip_markup("第一行<br>第二行"), "第一行第二行");
        assert_eq!(strip_markup("<p>正文&nbsp;内容</p>"), "正文 内容");
        assert_eq!(strip_markup("<strong>重点</strong>&amp;其他"), "重点&其他");
        assert_eq!(strip_markup("<img src=\"a.jpg\" alt=\"x\"/>"), "");
        assert_eq!(strip_markup("真的\\!（注\\(一\\)）"), "真的!（注(一)）");
        assert_eq!(strip_markup("{{< video src=\"x.mp4\" >}}"), "");
        assert_eq!(strip_markup("&#21512;&#x5408;"), "合合");
    }

    #[test]
    fn text_that_only_looks_like_markup_stays() {
        assert_eq!(strip_markup("a<b 且 c>d"), "a<b 且 c>d");
        assert_eq!(strip_markup("<武汉>"), "<武汉>");
        assert_eq!(strip_markup("A&B公司"), "A&B公司");
        assert_eq!(strip_markup("路径 C:\\文件"), "路径 C:\\文件");
        assert!(matches!(strip_markup("纯文本"), Cow::Borrowed(_)));
    }

    #[test]
    fn front_matter_blocks_and_rules() {
        let lines = [
            "---",
            "title: \"标题\"",
            "tags:",
            "  - \"甲\"",
            "---",
            "# 标题",
            "",
            "正文。",
            "---",
            "页脚。",
        ];
        assert_eq!(front_matter(&lines), vec![0..5]);
        assert!(is_thematic_break("---") && is_thematic_break("* * *"));
        assert!(!is_thematic_break("--") && !is_thematic_break("——"));
    }
}
