//! Learning an archive's layout from its issues. An archive is usually one paper in one
//! format, so a headline-shaped line that comes back in most issues — a running head, a fixed
//! section label, a page folio, a standing footer — is the paper's furniture, not a headline.
//! Lines are compared as templates (digits stand for any number, so `第3版` and `第12版` are
//! one), and only after the masthead: the masthead recurs too, and is read as such.

use std::collections::{HashMap, HashSet};

use super::lines::{Line, LineKind, classify_lines};
use super::masthead::read_masthead;

/// How many issues are read to learn from (the first, in archive order): enough to see what
/// recurs, few enough that opening an archive does not depend on its size.
pub const SAMPLE: usize = 12;

/// The fewest issues a template must come back in, and the share of the sample.
const MIN_ISSUES: usize = 3;
const MIN_SHARE: f64 = 0.6;

/// A line as a template: digits (ASCII, full-width, Chinese) stand for any number.
pub fn template(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_number = false;
    for c in text.chars() {
        let digit = c.is_ascii_digit()
            || ('０'..='９').contains(&c)
            || "〇一二三四五六七八九十百".contains(c);
        if digit {
            if !in_number {
                out.push('#');
            }
        } else {
            out.push(c);
        }
        in_number = digit;
    }
    out
}

/// Headline-shaped lines after the masthead: what a learned template may set aside.
fn candidates(lines: &[Line]) -> impl Iterator<Item = &Line> {
    let start = read_masthead(lines).map_or(0, |m| m.line_count);
    lines[start.min(lines.len())..].iter().filter(|l| {
        matches!(
            l.kind,
            LineKind::Short | LineKind::Heading(_) | LineKind::Subtitle
        )
    })
}

/// The templates of headline-shaped lines that recur in most of `texts` (issues of one
/// archive). Empty for fewer than three issues.
pub fn learn(texts: &[String]) -> HashSet<String> {
    if texts.len() < MIN_ISSUES {
        return HashSet::new();
    }
    let mut seen: HashMap<String, usize> = HashMap::new();
    for text in texts {
        let lines = classify_lines(text);
        let mine: HashSet<String> = candidates(&lines).map(|l| template(&l.text)).collect();
        for t in mine {
            *seen.entry(t).or_default() += 1;
        }
    }
    let need = MIN_ISSUES.max((texts.len() as f64 * MIN_SHARE).ceil() as usize);
    seen.into_iter()
        .filter(|(_, n)| *n >= need)
        .map(|(t, _)| t)
        .collect()
}

/// Sets aside the lines after the masthead whose templates were learned.
pub fn apply(lines: &mut [Line], learned: &HashSet<String>, body_start: usize) {
    if learned.is_empty() {
        return;
    }
    for line in lines.iter_mut().skip(body_start) {
        let shaped = matches!(
            line.kind,
            LineKind::Short | LineKind::Heading(_) | LineKind::Subtitle
        );
        if shaped && learned.contains(&template(&line.text)) {
            line.kind = LineKind::Ignored;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn issue(n: usize, headline: &str) -> String {
        format!(
            "某某日报\n2018年4月{n}日\n\n要闻版 {n}\n\n{headline}\n\n正文第一段，内容。\n\n本版热线\n"
        )
    }

    #[test]
    fn furniture_that_recurs_is_learned_and_headlines_are_not() {
        let texts: Vec<String> = ["甲地新闻", "乙地新闻", "丙地新闻", "丁地新闻"]
            .iter()
            .enumerate()
            .map(|(i, h)| issue(i + 1, h))
            .collect();
        let learned = learn(&texts);
        assert!(learned.contains("要闻版 #"), "{learned:?}");
        assert!(learned.contains("本版热线"), "{learned:?}");
        assert!(!learned.iter().any(|t| t.contains("新闻")), "{learned:?}");
        assert!(
            !learned.contains("某某日报"),
            "the masthead is read as such"
        );
        assert!(learn(&texts[..2]).is_empty(), "two issues teach nothing");
    }

    #[test]
    fn numbers_are_templates() {
        assert_eq!(template("第12版 要闻"), "第#版 要闻");
        assert_eq!(template("第三版"), "第#版");
        assert_eq!(template("２０２２年"), "#年");
    }
}
