//! Segmentation scored by the shared tool against truth files: the samples (headline F1 ≥ 0.95,
//! bodies ≥ 39/40, every join, every `separate`, photos 3/3, masthead 8/8) and, from
//! `tests/truth/corpus.json` (kanbao's own truth), the Chinese text of other shapes in
//! `../shared/corpus`: database exports, front matter, a Markdown transcript.

use std::path::Path;
use std::process::Command;

use crate::common::{root, shared};

/// The scorer's report and its last line, for `truth` over the files in `dir`.
fn score(truth: &Path, dir: &Path) -> (String, String) {
    let shared = shared().expect("../shared");
    let out = Command::new("python3")
        .arg(shared.join("tools/score_parse.py"))
        .arg(truth)
        .arg(dir)
        .arg(env!("CARGO_BIN_EXE_kanbao"))
        .env("XDG_CACHE_HOME", crate::common::test_cache_home())
        .env("XDG_STATE_HOME", crate::common::fresh_state_home())
        .output()
        .expect("python3 runs the scorer");
    let report = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "scorer failed:\n{report}");
    let last = report.lines().last().expect("score line").to_string();
    (report, last)
}

/// A field of the score line: `headline_f1=0.95`, `bodies=39/40`.
fn field<'a>(last: &'a str, name: &str) -> &'a str {
    last.split_whitespace()
        .find_map(|f| f.strip_prefix(&format!("{name}=")))
        .unwrap_or_else(|| panic!("no {name} in {last}"))
}

/// How an issue's articles read, headline side: kind, kicker, title and byline of each.
fn headlines_of(issue: &kanbao::model::Issue) -> Vec<String> {
    issue
        .articles
        .iter()
        .map(|a| format!("{:?} {:?} {:?} {:?}", a.kind, a.kicker, a.title, a.byline))
        .collect()
}

/// `text` with a space after every character but the last (`我 省 印 发`).
fn letter_space(text: &str) -> String {
    let mut out = String::new();
    for (n, c) in text.chars().enumerate() {
        if n > 0 {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

/// Every sample rewritten by `rewrite` (given its text and its parse) reads as the sample
/// itself when both parses are read by `read`.
fn rewritten_samples_read_the_same(
    mut rewrite: impl FnMut(&str, &kanbao::model::Issue) -> String,
    read: impl Fn(&kanbao::model::Issue) -> Vec<String>,
) {
    use kanbao::parse::parse_issue;
    for path in crate::common::sample_files() {
        let text = std::fs::read_to_string(&path).expect("sample");
        let want = parse_issue("s.txt", &text);
        let got = parse_issue("s.txt", &rewrite(&text, &want));
        assert_eq!(read(&got), read(&want), "{}", path.display());
    }
}

#[test]
fn corpus_segmentation_meets_the_bar() {
    let Some(shared) = shared() else {
        eprintln!("../shared not present: score check skipped");
        return;
    };
    let (report, last) = score(
        &root().join("tests/truth/corpus.json"),
        &shared.join("corpus"),
    );
    let f1: f64 = field(&last, "headline_f1").parse().expect("f1");
    assert!(f1 >= 0.95, "{report}");
    let (bodies, of) = field(&last, "bodies").split_once('/').expect("a/b");
    let (bodies, of): (u32, u32) = (bodies.parse().expect("n"), of.parse().expect("n"));
    // One pair of near-duplicate articles shares its last words: the scorer cannot tell them
    // apart, so one body of the two reads as running into the next.
    assert!(bodies + 1 >= of, "{report}");
}

#[test]
fn sample_segmentation_meets_the_bar() {
    let Some(shared) = shared() else {
        eprintln!("../shared not present: score check skipped");
        return;
    };
    let (report, last) = score(
        &shared.join("truth/seeds.json"),
        &root().join("sample-data"),
    );
    let last = last.as_str();
    let field = |name: &str| -> &str { field(last, name) };
    let ratio = |name: &str| -> (u32, u32) {
        let (a, b) = field(name).split_once('/').expect("a/b");
        (a.parse().expect("num"), b.parse().expect("den"))
    };
    let f1: f64 = field("headline_f1").parse().expect("f1");
    assert!(f1 >= 0.95, "{report}");
    let (bodies, of) = ratio("bodies");
    assert!(bodies + 1 >= of, "{report}");
    for exact in ["joins", "separate", "photos", "masthead"] {
        let (got, want) = ratio(exact);
        assert_eq!(got, want, "{exact}:\n{report}");
    }
}

/// The two real PaddleOCR transcripts, against `tests/truth/ocr.json` (kanbao's own truth).
/// Their bar is not met yet (the issue asks headline F1 ≥ 0.95; measured 0.615 on 2026-12-06:
/// the 1968 paper 4/5, the 1976 bulletin 0/3 with one untitled item), so this holds what the
/// flow rules reach — fused issue lines and datelines split, running heads set aside, spliced
/// long lines and lines cut mid-phrase kept as text — against regressions, and names the gap.
#[test]
fn ocr_segmentation_keeps_what_the_flow_rules_reach() {
    let Some(shared) = shared() else {
        eprintln!("../shared not present: score check skipped");
        return;
    };
    let (report, last) = score(&root().join("tests/truth/ocr.json"), &shared.join("corpus"));
    let recall = field(&last, "recall");
    let (found, of) = recall.split_once('/').expect("a/b");
    let (found, of): (u32, u32) = (found.parse().expect("n"), of.parse().expect("n"));
    assert_eq!(of, 8, "{report}");
    assert!(found >= 4, "{report}");
    let precision: f64 = field(&last, "precision").parse().expect("precision");
    assert!(precision >= 0.8, "{report}");
    // The bulletin's issue number and date, fused onto the ends of lines at its top, are read.
    assert_eq!(field(&last, "masthead"), "8/8", "{report}");
    assert!(
        report.contains("1968-09-25.txt: headlines 4/5, extra 0"),
        "{report}"
    );
}

/// The samples and the Chinese corpus written in Traditional characters (each Simplified
/// character replaced by the first Traditional one `t2s.txt` folds into it, where both take
/// the same bytes) read as the Simplified text does — the same articles, headlines, paragraphs and masthead — and what
/// is shown is the Traditional text as printed, not a conversion.
#[test]
fn traditional_samples_read_as_the_simplified_ones() {
    use kanbao::parse::parse_issue;
    let pairs = std::fs::read_to_string(root().join("src/fulltext/t2s.txt")).expect("t2s.txt");
    let mut to_traditional = std::collections::HashMap::new();
    for line in pairs.lines().filter(|l| !l.starts_with('#')) {
        let mut chars = line.chars();
        if let (Some(t), Some(s), None) = (chars.next(), chars.next(), chars.next())
            && t.len_utf8() == s.len_utf8()
            && (0x4E00..=0x9FFF).contains(&(t as u32))
        {
            to_traditional.entry(s).or_insert(t);
        }
    }
    let traditional = |text: &str| -> String {
        text.chars()
            .map(|c| to_traditional.get(&c).copied().unwrap_or(c))
            .collect()
    };
    let mut changed = 0;
    // The samples, and the Chinese text of other shapes when `../shared` is here (OCR flows,
    // database exports, a Markdown transcript): every rule is read through the fold.
    let mut files = crate::common::sample_files();
    if let Some(shared) = shared() {
        let corpus = shared.join("corpus");
        for name in [
            "ocr-hongzhenjiangbao-1968-09-25.txt",
            "ocr-gongdizhanbao-1976-11-23.txt",
            "rmrb-2018-04.txt",
            "rmrb-2018-09to2019-01.txt",
            "rmrb-2012-07to2013-03.txt",
            "xwlb-20221020.md",
        ] {
            files.push(corpus.join(name));
        }
    }
    for path in files {
        let text = std::fs::read_to_string(&path).expect("sample");
        let converted = traditional(&text);
        changed += text
            .chars()
            .zip(converted.chars())
            .filter(|(a, b)| a != b)
            .count();
        let (simple, trad) = (
            parse_issue("s.txt", &text),
            parse_issue("t.txt", &converted),
        );
        let name = path.display();
        assert_eq!(trad.articles.len(), simple.articles.len(), "{name}");
        let fields = |issue: &kanbao::model::Issue| {
            (
                issue.date.clone(),
                issue.number,
                issue.pages,
                issue.paper.clone(),
            )
        };
        let (mut want, got) = (fields(&simple), fields(&trad));
        want.3 = want.3.as_deref().map(traditional);
        assert_eq!(got, want, "{name}");
        for (s, t) in simple.articles.iter().zip(&trad.articles) {
            let conv = |field: &Option<String>| field.as_deref().map(traditional);
            assert_eq!(t.title, conv(&s.title), "{name}");
            assert_eq!(t.kicker, conv(&s.kicker), "{name}");
            assert_eq!(t.subtitle, conv(&s.subtitle), "{name}");
            assert_eq!(t.byline, conv(&s.byline), "{name}");
            assert_eq!(t.kind, s.kind, "{name}");
            let paragraphs: Vec<String> = s.paragraphs.iter().map(|p| traditional(p)).collect();
            assert_eq!(t.paragraphs, paragraphs, "{name}");
        }
    }
    assert!(
        changed > 1_000,
        "the conversion changed {changed} characters"
    );
}

/// The samples with every blank line taken out (and, again, every indent too) — as exports
/// that print one paragraph per line and nothing between — read as the samples do: the same
/// articles, headlines, paragraphs and masthead. (Such text is not an OCR flow: its lines end
/// on full stops, not mid-sentence at a column's edge.)
#[test]
fn samples_without_blank_lines_read_as_the_samples() {
    use kanbao::parse::parse_issue;
    for path in crate::common::sample_files() {
        let text = std::fs::read_to_string(&path).expect("sample");
        let unspaced: String = text
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| format!("{l}\n"))
            .collect();
        let unindented: String = unspaced
            .lines()
            .map(|l| format!("{}\n", l.trim_start_matches(['\u{3000}', ' '])))
            .collect();
        let want = parse_issue("s.txt", &text);
        for variant in [&unspaced, &unindented] {
            let got = parse_issue("s.txt", variant);
            let name = path.display();
            assert_eq!(
                (&got.date, got.number, got.pages, &got.paper),
                (&want.date, want.number, want.pages, &want.paper),
                "{name}"
            );
            let heads = |issue: &kanbao::model::Issue| -> Vec<(Option<String>, usize)> {
                issue
                    .articles
                    .iter()
                    .map(|a| (a.title.clone(), a.paragraphs.len()))
                    .collect()
            };
            assert_eq!(heads(&got), heads(&want), "{name}");
        }
    }
}

/// The samples with their digits typed full-width (`２０２２年８月２３日`, `总第１４６３期`, `今日４版`)
/// give the same masthead and the same articles.
#[test]
fn full_width_digits_read_as_ascii_ones() {
    use kanbao::parse::parse_issue;
    let wide = |text: &str| -> String {
        text.chars()
            .map(|c| match c {
                '0'..='9' => char::from_u32(c as u32 + 0xFEE0).unwrap_or(c),
                _ => c,
            })
            .collect()
    };
    let mut dated = 0;
    for path in crate::common::sample_files() {
        let text = std::fs::read_to_string(&path).expect("sample");
        let (want, got) = (
            parse_issue("s.txt", &text),
            parse_issue("s.txt", &wide(&text)),
        );
        let name = path.display();
        assert_eq!(
            (&got.date, got.number, got.pages, &got.paper),
            (&want.date, want.number, want.pages, &want.paper),
            "{name}"
        );
        let titles = |issue: &kanbao::model::Issue| -> Vec<Option<String>> {
            issue.articles.iter().map(|a| a.title.clone()).collect()
        };
        let wide_titles: Vec<Option<String>> = titles(&want)
            .into_iter()
            .map(|t| t.map(|t| wide(&t)))
            .collect();
        assert_eq!(titles(&got), wide_titles, "{name}");
        dated += usize::from(got.number.is_some() && got.date.is_some());
    }
    assert!(dated >= 2, "only {dated} samples gave a number and a date");
}

/// The samples hard-wrapped at 30 characters (as `pdftotext` or a mail client leaves text:
/// every paragraph broken into lines of one width, blank lines only between paragraphs) keep
/// their headlines (a long one broken in three is joined again), and no piece of a paragraph
/// is taken for a headline — not a photo caption's, nor one the width cut after a full stop.
#[test]
fn hard_wrapped_samples_keep_their_headlines() {
    use kanbao::parse::parse_issue;
    let (mut found, mut total, mut extra) = (0, 0, 0);
    let mut extras = Vec::new();
    for path in crate::common::sample_files() {
        let text = std::fs::read_to_string(&path).expect("sample");
        let mut wrapped = String::new();
        for line in text.lines() {
            let chars: Vec<char> = line.chars().collect();
            if chars.len() <= 35 {
                wrapped.push_str(line);
                wrapped.push('\n');
                continue;
            }
            for piece in chars.chunks(30) {
                wrapped.extend(piece);
                wrapped.push('\n');
            }
        }
        let titles = |text: &str| -> Vec<String> {
            parse_issue("s.txt", text)
                .articles
                .iter()
                .filter_map(|a| a.title.clone())
                .collect()
        };
        let (want, got) = (titles(&text), titles(&wrapped));
        total += want.len();
        found += want.iter().filter(|t| got.contains(t)).count();
        extra += got.iter().filter(|t| !want.contains(t)).count();
        extras.extend(got.into_iter().filter(|t| !want.contains(t)));
    }
    assert_eq!(found, total, "{found} of {total} headlines");
    assert_eq!(extra, 0, "{extra} extra of {total}: {extras:?}");
}

/// Headlines, mastheads and bylines set with a space after every character (as PDF text
/// extraction and letter-spaced typesetting leave them, a wider gap between words) read as
/// the samples do: the same articles, titles, bylines, photo credits and masthead.
#[test]
fn letter_spaced_samples_read_as_the_samples() {
    // (Markdown markers stay as they are: only the text inside them is spaced.)
    let spaced = |line: &str| -> String {
        let (open, inner, close) = match line.strip_prefix("**").and_then(|l| l.strip_suffix("**"))
        {
            Some(inner) => ("**", inner, "**"),
            None => match line.find("# ") {
                Some(at) if line[..at].chars().all(|c| c == '#') => {
                    (&line[..at + 2], &line[at + 2..], "")
                }
                _ => ("", line, ""),
            },
        };
        let text = inner.trim_start_matches('\u{3000}');
        let han = text
            .chars()
            .filter(|&c| ('\u{4e00}'..='\u{9fff}').contains(&c));
        let short = (1..=25).contains(&text.chars().count());
        if !short || han.count() * 5 < text.chars().count() * 3 {
            return format!("{open}{inner}{close}");
        }
        let indent = &inner[..inner.len() - text.len()];
        format!("{open}{indent}{}{close}", letter_space(text))
    };
    let mut lines_spaced = 0;
    rewritten_samples_read_the_same(
        |text, _| {
            let changed: String = text.lines().map(|l| spaced(l) + "\n").collect();
            lines_spaced += changed
                .lines()
                .zip(text.lines())
                .filter(|(a, b)| a != b)
                .count();
            changed
        },
        |issue| {
            let masthead = format!(
                "{:?} {:?} {:?} {:?}",
                issue.date, issue.number, issue.pages, issue.paper
            );
            std::iter::once(masthead)
                .chain(headlines_of(issue))
                .collect()
        },
    );
    assert!(lines_spaced >= 80, "only {lines_spaced} lines were spaced");
}

/// Headlines printed alone in `【…】` (as scraped archives mark them) read as the samples'
/// headlines, without the brackets.
#[test]
fn bracketed_headlines_read_as_the_samples() {
    let mut marked = 0;
    rewritten_samples_read_the_same(
        |text, issue| {
            let titles: Vec<&str> = issue
                .articles
                .iter()
                .filter_map(|a| a.title.as_deref())
                .collect();
            text.lines()
                .map(|line| {
                    let bare = line.trim().trim_start_matches('#').trim().trim_matches('*');
                    if titles.contains(&bare) {
                        marked += 1;
                        format!("【{bare}】\n")
                    } else {
                        format!("{line}\n")
                    }
                })
                .collect()
        },
        headlines_of,
    );
    assert!(marked >= 30, "only {marked} headlines were bracketed");
}

/// A row of ornaments between articles (`＊　＊　＊`, as papers set them) ends the article above
/// and starts nothing: the samples read the same with one before every headline.
#[test]
fn ornament_rows_between_articles_change_nothing() {
    let mut rows = 0;
    rewritten_samples_read_the_same(
        |text, issue| {
            let starts: Vec<usize> = issue
                .articles
                .iter()
                .skip(1)
                .map(|a| a.lines.start)
                .collect();
            text.lines()
                .enumerate()
                .map(|(n, line)| {
                    if starts.contains(&(n + 1)) {
                        rows += 1;
                        format!("＊　＊　＊\n\n{line}\n")
                    } else {
                        format!("{line}\n")
                    }
                })
                .collect()
        },
        headlines_of,
    );
    assert!(rows >= 30, "only {rows} rows were set");
}

/// Headlines of two phrases joined by a comma (`不忘初心，牢记使命`), and headlines ending in `！`,
/// read as the samples' headlines: the samples with their two-phrase headlines (`甲乙 丙丁`)
/// joined by `，` instead of a space, and with `！` after every headline, give the same
/// articles with those titles.
#[test]
fn comma_and_exclamation_headlines_read_as_the_samples() {
    use kanbao::parse::parse_issue;
    let (mut joined, mut exclaimed) = (0, 0);
    for path in crate::common::sample_files() {
        let text = std::fs::read_to_string(&path).expect("sample");
        let want = parse_issue("s.txt", &text);
        let titles: Vec<String> = want
            .articles
            .iter()
            .filter_map(|a| a.title.clone())
            .collect();
        let two_phrases = |t: &str| -> Option<String> {
            let (left, right) = t.split_once(' ')?;
            let fits = |p: &str| (4..=16).contains(&p.chars().count()) && !p.contains(' ');
            (fits(left) && fits(right)).then(|| format!("{left}，{right}"))
        };
        for (change, count) in [(0, &mut joined), (1, &mut exclaimed)] {
            let new_title = |title: &str| match change {
                0 => two_phrases(title),
                _ => Some(format!("{title}！")),
            };
            // Only the headline's own line changes (a title may also occur in a body).
            let changed: String = text
                .lines()
                .map(|line| {
                    let bare = line.trim().trim_start_matches('#').trim().trim_matches('*');
                    match titles.iter().find(|t| t.as_str() == bare) {
                        Some(title) if let Some(new) = new_title(title) => {
                            *count += 1;
                            format!("{}\n", line.replace(bare, &new))
                        }
                        _ => format!("{line}\n"),
                    }
                })
                .collect();
            let expected: Vec<String> = titles
                .iter()
                .map(|t| new_title(t).unwrap_or_else(|| t.clone()))
                .collect();
            let got = parse_issue("s.txt", &changed);
            let got_titles: Vec<String> = got
                .articles
                .iter()
                .filter_map(|a| a.title.clone())
                .collect();
            assert_eq!(got_titles, expected, "{} (change {change})", path.display());
            assert_eq!(
                got.articles.len(),
                want.articles.len(),
                "{}",
                path.display()
            );
        }
    }
    assert!(
        joined >= 5 && exclaimed >= 30,
        "{joined} joined, {exclaimed} exclaimed"
    );
}

/// Where every line is indented — headlines and the pieces a column break left too — an indent
/// says nothing of where a paragraph starts: the samples so indented give the same articles
/// and the same paragraphs (their column breaks mended as before).
#[test]
fn samples_indented_throughout_read_as_the_samples() {
    let mut pieces = 0;
    rewritten_samples_read_the_same(
        |text, _| {
            text.lines()
                .map(|line| {
                    let bare = line.trim_start_matches('\u{3000}');
                    if bare.trim().is_empty() || bare.starts_with('#') {
                        format!("{line}\n")
                    } else {
                        pieces += usize::from(bare.len() == line.len());
                        format!("\u{3000}\u{3000}{bare}\n")
                    }
                })
                .collect()
        },
        |issue| {
            issue
                .articles
                .iter()
                .map(|a| format!("{:?} {:?} {:?}", a.title, a.byline, a.paragraphs))
                .collect()
        },
    );
    assert!(pieces >= 40, "only {pieces} lines were not indented before");
}

/// Text as `pdftotext` leaves a page: markup gone, every paragraph hard-wrapped at 30
/// characters, short lines (headlines, bylines, credits) letter-spaced. The samples so
/// converted read as the samples: the same articles and photos, titles, bylines, credits and
/// paragraphs (a photo's caption wrapped over several lines stays whole).
#[test]
fn pdf_text_of_the_samples_reads_as_the_samples() {
    let (mut wrapped, mut letter_spaced) = (0, 0);
    rewritten_samples_read_the_same(
        |text, _| {
            let mut pdf = String::new();
            for line in text.lines() {
                let bare = line.trim().trim_start_matches('#').trim();
                let bare = bare
                    .strip_prefix("**")
                    .and_then(|b| b.strip_suffix("**"))
                    .unwrap_or(bare);
                let chars: Vec<char> = bare.chars().collect();
                if chars.is_empty() {
                    pdf.push('\n');
                } else if chars.len() <= 25 {
                    letter_spaced += 1;
                    pdf.push_str(&letter_space(bare));
                    pdf.push('\n');
                } else {
                    wrapped += 1;
                    for piece in chars.chunks(30) {
                        pdf.extend(piece);
                        pdf.push('\n');
                    }
                }
            }
            pdf
        },
        |issue| {
            issue
                .articles
                .iter()
                .map(|a| {
                    // (A space at a piece's edge is lost with the line break: spaces aside.)
                    let paragraphs: Vec<String> = a
                        .paragraphs
                        .iter()
                        .map(|p| p.chars().filter(|c| !c.is_whitespace()).collect())
                        .collect();
                    format!(
                        "{:?} {:?} {:?} {:?} {:?} {paragraphs:?}",
                        a.kind, a.kicker, a.title, a.byline, a.credit
                    )
                })
                .collect()
        },
    );
    assert!(
        wrapped >= 100 && letter_spaced >= 80,
        "{wrapped} wrapped, {letter_spaced} spaced"
    );
}

/// A page marker before each article (`第01版：要闻`, as database exports print one before a
/// page's articles) changes no headline, and gives the articles below it its page.
#[test]
fn page_markers_between_articles_give_pages_and_change_no_headline() {
    use kanbao::parse::parse_issue;
    let mut markers = 0;
    rewritten_samples_read_the_same(
        |text, issue| {
            let starts: Vec<usize> = issue.articles.iter().map(|a| a.lines.start).collect();
            let changed: String = text
                .lines()
                .enumerate()
                .map(|(n, line)| match starts.iter().position(|&s| s == n + 1) {
                    Some(k) => {
                        markers += 1;
                        format!("第{:02}版：要闻\n\n{line}\n", k + 1)
                    }
                    None => format!("{line}\n"),
                })
                .collect();
            // Each article has the page of the marker printed before it.
            let pages: Vec<Option<String>> = parse_issue("s.txt", &changed)
                .articles
                .iter()
                .map(|a| a.page.clone())
                .collect();
            let want: Vec<Option<String>> = (1..=starts.len())
                .map(|k| Some(format!("{k:02}")))
                .collect();
            assert_eq!(pages, want);
            changed
        },
        headlines_of,
    );
    assert!(markers >= 30, "only {markers} markers were set");
}
