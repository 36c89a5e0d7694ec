//! Nothing is dropped: every non-whitespace character of a source file (markdown heading and
//! bold markers aside) ends up in exactly one place of its issue.

use std::collections::BTreeMap;

use kanbao::model::Issue;
use kanbao::parse::{markup, parse_issue};
use proptest::prelude::*;

use crate::common::{sample_files, shared};

/// Counts of each non-whitespace character.
fn census<'a>(texts: impl Iterator<Item = &'a str>) -> BTreeMap<char, i64> {
    let mut counts = BTreeMap::new();
    for text in texts {
        for c in text
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '\u{feff}')
        {
            *counts.entry(c).or_insert(0) += 1;
        }
    }
    counts
}

/// The source's text with markdown markers removed: a `#…# ` heading prefix and a line wrapped
/// in `**…**` or `__…__`, written independently of the parser from the markdown rules; and
/// what `parse::markup` removes (HTML tags, entities, escapes, shortcodes, thematic breaks),
/// whose own tests pin those rules down with hand-written cases.
fn without_markup(source: &str) -> Vec<String> {
    source
        .split(['\n', '\r'])
        .filter(|line| !markup::is_thematic_break(line))
        .map(|line| {
            let line = markup::strip_markup(line);
            let t = line.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
            let hashes = t.chars().take_while(|c| *c == '#').count();
            if (1..=6).contains(&hashes) {
                let rest = &t[hashes..];
                if rest.is_empty() || rest.starts_with(char::is_whitespace) {
                    // A closing run of `#` counts only after whitespace (or alone).
                    let body = rest.trim_end();
                    let before = body.trim_end_matches('#');
                    let closed = before.len() < body.len()
                        && (before.is_empty() || before.ends_with(char::is_whitespace));
                    return if closed { before } else { body }.to_string();
                }
            }
            for marker in ["**", "__"] {
                if let Some(inner) = t.strip_prefix(marker).and_then(|x| x.strip_suffix(marker))
                    && !inner.is_empty()
                    && !inner.contains(marker)
                {
                    return inner.to_string();
                }
            }
            t.to_string()
        })
        .collect()
}

/// Panics with the characters that differ if the issue lost or invented text.
fn assert_lossless(name: &str, source: &str, issue: &Issue) {
    let lines = without_markup(source);
    let want = census(lines.iter().map(String::as_str));
    let mut got = census(issue.source_texts());
    // A line that is one `【…】` and nothing else may be a headline the brackets mark, as `**`
    // would: the issue then holds its text without them, and no piece with them.
    let squeeze = |t: &str| -> String { t.chars().filter(|c| !c.is_whitespace()).collect() };
    // (A piece may join several lines: a kicker of two, a paragraph.)
    let pieces: Vec<String> = issue.source_texts().map(squeeze).collect();
    let held = |t: &str| pieces.iter().any(|p| p.contains(t));
    let marked = lines
        .iter()
        .map(|l| squeeze(l))
        .filter(|l| {
            l.strip_prefix('【')
                .and_then(|l| l.strip_suffix('】'))
                .is_some_and(|inner| !inner.is_empty() && held(inner) && !held(l))
        })
        .count() as i64;
    if marked > 0 {
        *got.entry('【').or_insert(0) += marked;
        *got.entry('】').or_insert(0) += marked;
    }
    if want != got {
        let mut diff = Vec::new();
        for c in want.keys().chain(got.keys()) {
            let (w, g) = (
                want.get(c).copied().unwrap_or(0),
                got.get(c).copied().unwrap_or(0),
            );
            if w != g && !diff.iter().any(|(d, _, _)| d == c) {
                diff.push((*c, w, g));
            }
        }
        panic!("{name}: characters lost or added (char, in source, in issue): {diff:?}");
    }
}

#[test]
fn samples_are_lossless() {
    for path in sample_files() {
        let text = std::fs::read_to_string(&path).expect("sample");
        let issue = parse_issue(&path.to_string_lossy(), &text);
        assert_lossless(&path.to_string_lossy(), &text, &issue);
    }
}

#[test]
fn corpus_of_other_shapes_is_lossless() {
    let Some(shared) = shared() else {
        eprintln!("../shared not present: corpus check skipped");
        return;
    };
    let mut checked = 0;
    for entry in std::fs::read_dir(shared.join("corpus")).expect("corpus") {
        let path = entry.expect("entry").path();
        if path.file_name().is_some_and(|n| n == "README.md") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("corpus file");
        let issue = parse_issue(&path.to_string_lossy(), &text);
        assert_lossless(&path.to_string_lossy(), &text, &issue);
        assert!(
            !issue.articles.is_empty(),
            "{}: no articles",
            path.display()
        );
        checked += 1;
    }
    assert!(checked >= 4, "expected the corpus files, found {checked}");
}

#[test]
fn hashes_glued_to_a_heading_are_text() {
    // Seeds from fuzzing: a `#` that ends a heading without a space before it is text.
    for source in [
        "## 学习C#\n\n正文。\n",
        "# 网友热议#曹县#\n\n正文。\n",
        "#\u{feff}# x\n",
        "#\n\u{feff}\n# x\n",
        "### 标题 ###\n正文。\n",
        "# #\n",
        "#### C# #\n",
    ] {
        let issue = parse_issue("seed.txt", source);
        assert_lossless(source, source, &issue);
    }
    let issue = parse_issue("seed.txt", "## 学习C#\n\n正文。\n");
    assert_eq!(issue.articles[0].title.as_deref(), Some("学习C#"));
}

/// Lines of the shapes newspapers print, plus arbitrary text.
fn line_strategy() -> impl Strategy<Value = String> {
    let cjk = proptest::collection::vec(
        prop::sample::select("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经".chars().collect::<Vec<_>>()),
        1..30,
    )
    .prop_map(|cs| cs.into_iter().collect::<String>());
    let punct = prop::sample::select(vec![
        "，",
        "。",
        "；",
        "、",
        "“",
        "”",
        "：",
        ",",
        " ",
        "——",
        "(",
        ")",
        "▲",
        "■",
        "#",
        "**",
        "摄",
        "记者 ",
        "本报讯",
        "讯",
        "总第",
        "期",
        "今日",
        "版",
        "2024年",
        "5月",
        "6日",
        "星期三",
        "\u{3000}",
        "\t",
        "http://a.cn",
        "x@y.cn",
        "地址：",
        "(融媒体 ",
        "A类",
        "5G",
        // Metadata, list, Q&A, markup and OCR shapes.
        "作者：",
        "时间：",
        "日期：",
        "版次：",
        "栏目：",
        "2018-04-17",
        "一、",
        "的有：",
        "记者：",
        "答：",
        "【",
        "】",
        "△",
        "本报驻",
        "第53号",
        "第二版",
        "<br>",
        "<p>",
        "&nbsp;",
        "&#21512;",
        "\\!",
        "{{< x >}}",
    ]);
    let piece = prop_oneof![cjk, punct.prop_map(String::from), "[ -~]{0,6}", "\\PC{0,4}"];
    let whole = prop::sample::select(vec![
        "作者：甲乙;丙丁  时间：2018-04-17",
        "某报 日期：2018-04-01 版次：03 版",
        "---",
        "title: \"标题\"",
        "- \"标签\"",
        "动",
        "【标题】某地新闻一则",
        "标题：某地新闻一则",
        "【日期】1935-03-01 【版次】第3版",
        "【某地举行庆祝大会】",
        "【本报讯】",
    ]);
    prop_oneof![
        1 => Just(String::new()),
        1 => whole.prop_map(String::from),
        6 => proptest::collection::vec(piece, 0..8).prop_map(|p| p.concat()),
    ]
}

/// Lines of spaced scripts only (Hangul, Latin, Cyrillic, digits, Western punctuation): no Han
/// or kana, and no markdown markers.
fn spaced_line_strategy() -> impl Strategy<Value = String> {
    let word = prop_oneof![
        "[가-힣]{1,5}",
        "[a-zA-Z]{1,8}",
        "[а-яА-Я]{1,7}",
        "[0-9]{1,4}",
        "[éüçñ]{1,3}",
    ];
    let gap = prop::sample::select(vec![" ", ", ", "; ", ": ", ". ", " - ", "  "]);
    proptest::collection::vec((word, gap), 1..12).prop_map(|parts| {
        let mut line: String = parts.iter().map(|(w, g)| format!("{w}{g}")).collect();
        line.truncate(line.trim_end().len());
        line
    })
}

/// The spaces standing between two visible characters in `texts`, a run counted once.
fn inner_space_runs<'a>(texts: impl Iterator<Item = &'a str>) -> usize {
    texts
        .map(|t| t.split_whitespace().count().saturating_sub(1))
        .sum()
}

#[test]
fn korean_keeps_the_space_after_a_comma() {
    let Some(dir) = crate::common::shared() else {
        return;
    };
    let source = std::fs::read_to_string(dir.join("corpus/ko_wikinews_2009-2010_excerpt.txt"))
        .expect("the Korean corpus file");
    let issue = parse_issue("ko.txt", &source);
    let count = |text: &str| {
        text.match_indices(", ")
            .filter(|(at, _)| {
                text[at + 2..]
                    .chars()
                    .next()
                    .is_some_and(|c| ('\u{ac00}'..='\u{d7af}').contains(&c))
            })
            .count()
    };
    let before = count(&source);
    let after: usize = issue.source_texts().map(count).sum();
    assert!(before > 100, "the file has many: {before}");
    assert_eq!(after, before);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: crate::common::fuzz_cases(512), ..ProptestConfig::default() })]

    /// Space removal meant for Chinese OCR never touches scripts that space their words.
    #[test]
    fn spaced_scripts_keep_every_space(lines in proptest::collection::vec(spaced_line_strategy(), 1..30)) {
        let text = lines.join("\n");
        let issue = parse_issue("spaced.txt", &text);
        let want = inner_space_runs(text.lines());
        let got = inner_space_runs(issue.source_texts());
        prop_assert!(got >= want, "spaces lost: {} in the source, {} in the issue", want, got);
    }

    #[test]
    fn generated_issues_are_lossless(lines in proptest::collection::vec(line_strategy(), 0..40), crlf in any::<bool>()) {
        let text = lines.join(if crlf { "\r\n" } else { "\n" });
        let issue = parse_issue("generated.txt", &text);
        assert_lossless("generated", &text, &issue);
    }

        #[test]
    fn arbitrary_bytes_decode_parse_and_export_without_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        if let Ok(decoded) = kanbao::library::decode::decode(&bytes, None) {
            let issue = parse_issue("bytes.txt", &decoded.text);
            assert_lossless("bytes", &decoded.text, &issue);
            let json = kanbao::export::issues(&[&issue], kanbao::export::Format::Json);
            prop_assert!(serde_json::from_str::<serde_json::Value>(&json).is_ok());
            let _ = kanbao::export::issues(&[&issue], kanbao::export::Format::Markdown);
        }
    }

    #[test]
    fn arbitrary_text_never_panics_and_is_lossless(text in "\\PC{0,400}") {
        let issue = parse_issue("arbitrary.txt", &text);
        assert_lossless("arbitrary", &text, &issue);
    }
}
