//! Hard-wrapped text: a converter (`pdftotext`, a mail client, an old editor) broke every
//! paragraph into lines of one width, with blank lines only between paragraphs. There a line
//! at that width stops wherever the width fell, so it and the line after it are pieces of one
//! paragraph, however headline-shaped either looks (a piece without a comma has no clause
//! punctuation).

use std::collections::HashMap;

use super::chars::{ends_sentence, join_split_into};
use super::lines::{Line, LineKind};

/// Pieces shorter than this say nothing of a wrap width.
const MIN_WIDTH: usize = 16;

/// Headline-shaped pieces of wrapped paragraphs, read as the text they are, and the pieces of
/// a long headline joined. Text that is not hard-wrapped (no width most lines inside a
/// paragraph share) is returned as it came.
pub(super) fn mend_wrapped(mut lines: Vec<Line>) -> Vec<Line> {
    let Some(width) = wrap_width(&lines) else {
        return lines;
    };
    let at_width = |line: &Line| length(line).abs_diff(width) <= 1;
    // A block (between blank lines) of headline-shaped lines alone is a long headline the
    // width broke, not a paragraph.
    let mut headline_block = vec![false; lines.len()];
    let mut start = 0;
    for end in 1..=lines.len() {
        if end == lines.len() || lines[end].gap_before > 0 {
            let all_short = lines[start..end]
                .iter()
                .all(|l| matches!(l.kind, LineKind::Short | LineKind::Subtitle));
            headline_block[start..end].fill(all_short);
            start = end;
        }
    }
    // Where paragraphs are set apart by blank lines, a line right under one the width cut
    // goes on with its paragraph even when the cut fell after a full stop; without blank
    // lines it may be the next headline.
    let blank_separated = lines.iter().filter(|l| l.gap_before > 0).count() * 10 >= lines.len();
    for i in 0..lines.len() {
        if lines[i].kind != LineKind::Short || headline_block[i] {
            continue;
        }
        // Cut by the width, with its paragraph going on below it.
        let cut = at_width(&lines[i]) && lines.get(i + 1).is_some_and(|l| l.gap_before == 0);
        // Or what a line cut by the width left over.
        let rest = i > 0
            && lines[i].gap_before == 0
            && lines[i - 1].kind == LineKind::Body
            && at_width(&lines[i - 1])
            && (blank_separated || !ends_sentence(&lines[i - 1].text));
        if cut || rest {
            lines[i].kind = LineKind::Body;
        }
    }
    // A long headline the width broke is one line again (numbered as its first piece, as
    // a vertical headline's characters are); so is a paragraph, where blank lines set
    // paragraphs apart (a piece the width cut right after a full stop would otherwise read as
    // the end of its paragraph).
    let mut out: Vec<Line> = Vec::with_capacity(lines.len());
    let mut previous_at_width = false;
    let mut previous_body = false;
    for (line, in_headline) in lines.into_iter().zip(headline_block) {
        let body = line.kind == LineKind::Body;
        let joins_headline = in_headline && previous_at_width && line.gap_before == 0;
        let joins_paragraph = blank_separated
            && body
            && previous_body
            && previous_at_width
            && line.gap_before == 0
            && !line.indented;
        previous_at_width = (in_headline || body) && at_width(&line);
        previous_body = body;
        if let Some(last) = out.last_mut() {
            if joins_headline {
                last.text.push_str(&line.text);
                continue;
            }
            if joins_paragraph {
                // A width cuts numbers anywhere (`16` / `89.0亿元`): digits meet again; other
                // words meet as a column break's do.
                let digits = last.text.ends_with(|c: char| c.is_ascii_digit())
                    && line.text.starts_with(|c: char| c.is_ascii_digit());
                if digits {
                    last.text.push_str(&line.text);
                } else {
                    join_split_into(&mut last.text, &line.text);
                }
                continue;
            }
        }
        out.push(line);
    }
    out
}

/// A line's length as a wrapper counts it: every character, spaces too.
fn length(line: &Line) -> usize {
    line.text.chars().count()
}

/// The width the text is wrapped at: the length most lines share that have more of their
/// paragraph right below them (within one character: a wide character or a punctuation mark
/// that may not begin a line moves the break), when at least eight lines and half of all
/// such lines have it.
fn wrap_width(lines: &[Line]) -> Option<usize> {
    // (Most text has a blank line after every paragraph: nothing to count.)
    lines.iter().filter(|l| l.gap_before == 0).nth(8)?;
    let mut counts: HashMap<usize, usize> = HashMap::new();
    let mut inside = 0;
    for pair in lines.windows(2).filter(|w| w[1].gap_before == 0) {
        let n = length(&pair[0]);
        if n >= MIN_WIDTH {
            *counts.entry(n).or_default() += 1;
            inside += 1;
        }
    }
    let near = |width: usize| -> usize {
        (width.saturating_sub(1)..=width + 1)
            .map(|n| counts.get(&n).copied().unwrap_or(0))
            .sum()
    };
    let (width, shared) = counts
        .keys()
        .map(|&width| (width, near(width)))
        .max_by_key(|&(width, shared)| (shared, std::cmp::Reverse(width)))?;
    (shared >= 8 && shared * 2 >= inside).then_some(width)
}

#[cfg(test)]
mod tests {
    use crate::parse::lines::{LineKind, classify_lines};

    /// `text`'s paragraphs (blank-line separated) wrapped at `width` characters.
    fn wrapped(text: &str, width: usize) -> String {
        let mut out = String::new();
        for paragraph in text.split("\n\n") {
            let chars: Vec<char> = paragraph.chars().collect();
            for piece in chars.chunks(width) {
                out.extend(piece);
                out.push('\n');
            }
            out.push('\n');
        }
        out
    }

    #[test]
    fn pieces_of_a_wrapped_paragraph_are_text_and_headlines_stay() {
        let body = "今年以来，某区坚持把招商引资作为经济工作的生命线，围绕主导产业精准发力、持续加力、久久为功，新签约项目个数和总投资额均创历史新高为全区经济社会高质量发展注入强劲动能并取得明显成效";
        let long_title = "全省先进制造业强省建设工作会议召开 我区在分会场组织收听收看";
        let text = format!("某区招商引资再创佳绩\n\n{body}\n\n{body}\n\n{long_title}\n\n{body}\n");
        let lines = classify_lines(&wrapped(&text, 24));
        let shorts: Vec<&str> = lines
            .iter()
            .filter(|l| l.kind == LineKind::Short)
            .map(|l| l.text.as_str())
            .collect();
        // (The long headline, broken by the width too, is one headline again.)
        assert_eq!(shorts, ["某区招商引资再创佳绩", long_title]);
        // Unwrapped, the same text has no width to go by and is left as it was.
        let lines = classify_lines(&text);
        assert_eq!(
            lines.iter().filter(|l| l.kind == LineKind::Short).count(),
            2
        );
    }
}
