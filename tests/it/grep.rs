//! `kanbao grep`: full-text search from the command line. Expected values are computed here
//! from the files themselves (no ripgrep needed): a Chinese query's count lies between the
//! plain substring count of the file and that of the file with whitespace removed — what
//! `rg -o -F` gives on each — since kanbao also finds words a line break split.

use std::collections::HashMap;
use std::path::PathBuf;

use crate::common::{kanbao, root, sample_files, scratch, shared};

fn stdout(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Non-overlapping occurrences of `needle` in `hay`, left to right (as `rg -o -F` counts).
fn occurrences(hay: &str, needle: &str) -> usize {
    hay.matches(needle).count()
}

/// The most frequent two-character runs of Han characters in `text`: queries that occur.
fn frequent_pairs(text: &str, n: usize) -> Vec<String> {
    let han = |c: char| ('\u{4e00}'..='\u{9fff}').contains(&c);
    let chars: Vec<char> = text.chars().collect();
    let mut counts: HashMap<String, usize> = HashMap::new();
    for w in chars.windows(2) {
        if han(w[0]) && han(w[1]) {
            *counts.entry(w.iter().collect()).or_default() += 1;
        }
    }
    let mut pairs: Vec<(String, usize)> = counts.into_iter().collect();
    pairs.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    pairs.into_iter().take(n).map(|(p, _)| p).collect()
}

fn chinese_files() -> Vec<PathBuf> {
    let mut files = sample_files();
    if let Some(shared) = shared() {
        for name in [
            "rmrb-2018-04.txt",
            "rmrb-2018-09to2019-01.txt",
            "rmrb-2012-07to2013-03.txt",
            "xwlb-20221020.md",
            "ocr-hongzhenjiangbao-1968-09-25.txt",
            "ocr-gongdizhanbao-1976-11-23.txt",
        ] {
            files.push(shared.join("corpus").join(name));
        }
    }
    files
}

#[test]
fn counts_lie_between_the_plain_and_the_whitespace_free_substring_counts() {
    for file in chinese_files() {
        let text = std::fs::read_to_string(&file).expect("read");
        let squeezed: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        for query in frequent_pairs(&text, 4) {
            let path = file.to_string_lossy();
            let out = kanbao(&["grep", "--count", &query, &path], &root());
            let got: usize = stdout(&out).trim().parse().expect("a count");
            let (low, high) = (occurrences(&text, &query), occurrences(&squeezed, &query));
            assert!(
                low <= got && got <= high,
                "{}: {query}: {got} not in {low}..={high}",
                file.display()
            );
        }
    }
}

#[test]
fn hits_name_source_article_date_and_paper_and_open_with_cat() {
    let dir = scratch("grep-archive");
    std::fs::write(
        dir.join("a.txt"),
        "某某日报\n2022年8月1日\n星期一\n\n数字化转型加快\n\n本报讯 企业推进数字\n化转型，成效明显。\n",
    )
    .expect("write");
    std::fs::write(
        dir.join("b.txt"),
        "某某日报\n2022年10月3日\n星期一\n\n乡村振兴\n\n农村的企业增收。\n\n数字乡村\n\n推进数字化。\n",
    )
    .expect("write");
    let archive = dir.to_string_lossy().into_owned();
    let out = kanbao(&["grep", "数字化", &archive], &root());
    assert!(out.status.success());
    let text = stdout(&out);
    let rows: Vec<Vec<&str>> = text.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(rows.len(), 3, "{text}");
    assert!(rows.iter().all(|r| r.len() == 5), "{text}");
    assert!(rows[0][0].ends_with("a.txt") && rows[0][1] == "1" && rows[0][2] == "2022-08-01");
    assert_eq!(rows[0][3], "某某日报");
    assert!(
        rows[1][4].contains("数字 化转型"),
        "a split word, on one line: {text}"
    );
    assert!(rows[2][0].ends_with("b.txt") && rows[2][1] == "2");
    // The article number opens the article.
    let cat = kanbao(&["cat", rows[2][0], "--article", rows[2][1]], &root());
    assert!(stdout(&cat).contains("推进数字化"));

    let by = kanbao(&["grep", "--by", "month", "数字化", &archive], &root());
    assert_eq!(stdout(&by), "2022-08\t2\n2022-10\t1\n");
    let count = kanbao(&["grep", "-c", "企业 date:2022-10", &archive], &root());
    assert_eq!(stdout(&count), "1\n");
    let json = kanbao(
        &["grep", "--json", "-n", "1", "title:数字化", &archive],
        &root(),
    );
    let value: serde_json::Value = serde_json::from_str(stdout(&json).trim()).expect("json");
    assert_eq!(value["match"], "数字化");
    assert_eq!(value["start"], 0, "{value}");
    assert_eq!(value["article"], 1);
}

#[test]
fn no_hit_is_status_one_and_a_bad_query_names_its_column() {
    let sample = sample_files()[0].to_string_lossy().into_owned();
    let none = kanbao(&["grep", "这个词不在样刊里出现", &sample], &root());
    assert_eq!(none.status.code(), Some(1));
    assert!(stdout(&none).is_empty());
    let bad = kanbao(&["grep", "企业 \"数字", &sample], &root());
    assert_eq!(bad.status.code(), Some(2));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(err.contains("column 4") && err.contains("quote"), "{err}");
}

#[test]
fn simplified_finds_traditional_and_the_reverse() {
    let Some(shared) = shared() else {
        eprintln!("../shared not present: skipped");
        return;
    };
    let file = shared.join("corpus/hkcnews-2020-02-15.md");
    let text = std::fs::read_to_string(&file).expect("read");
    let path = file.to_string_lossy();
    let count = |query: &str| -> usize {
        let out = kanbao(&["grep", "--count", query, &path], &root());
        stdout(&out).trim().parse().expect("a count")
    };
    assert!(text.contains("新聞") && !text.contains("新闻"));
    assert!(
        count("新闻") > 0,
        "the Simplified form finds the Traditional text"
    );
    assert_eq!(count("新闻"), count("新聞"), "both forms find the same");
    // Counted exactly on text written for the test: two Traditional, one Simplified.
    let dir = scratch("grep-traditional");
    std::fs::write(dir.join("a.txt"), "憲法的故事\n\n一部憲法，一部宪法。\n").expect("write");
    let archive = dir.to_string_lossy().into_owned();
    for query in ["宪法", "憲法"] {
        let out = kanbao(&["grep", "-c", query, &archive], &root());
        assert_eq!(stdout(&out), "3\n", "{query}");
    }
}
