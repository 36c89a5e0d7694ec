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

/// Runs kanbao with its own `XDG_CACHE_HOME`, so a test sees only its own index.
fn kanbao_cached(args: &[&str], cache: &std::path::Path) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_kanbao"))
        .env("XDG_CACHE_HOME", cache)
        .env("XDG_STATE_HOME", crate::common::fresh_state_home())
        .args(args)
        .current_dir(root())
        .output()
        .expect("run kanbao")
}

fn small_archive(name: &str) -> PathBuf {
    let dir = scratch(name);
    std::fs::write(
        dir.join("a.txt"),
        "某某日报\n2022年8月1日\n星期一\n\n数字化转型加快\n\n本报讯 企业推进数字\n化转型，成效明显。企业、企业。\n\n乡村振兴新篇章\n\n農村企業增收，广告费用下降。\n",
    )
    .expect("write");
    std::fs::write(
        dir.join("b.txt"),
        "别的晚报\n2022年10月3日\n星期一\n\n乡村振兴\n\n农村的企业增收，憲法宣传。\n\n数字乡村\n\n推进数字化。\n",
    )
    .expect("write");
    dir
}

#[test]
fn the_index_and_the_scan_print_the_same_for_every_query_form() {
    let dir = small_archive("grep-forms");
    let cache = scratch("grep-forms-cache");
    let archive = dir.to_string_lossy().into_owned();
    let queries = [
        "企业",
        "数字化",
        "企业 数字化",
        "企业 -广告",
        "乡村 | 转型",
        "title:数字",
        "企业 date:2022-08",
        "企业 date:2022-09..2022-12",
        "企业 date:2022",
        "企业 paper:晚报",
        "宪法",
        "农村企业",
        "\"推进 数字化\"",
        "某某日报",
        "-广告 企业 | 宪法",
    ];
    for query in queries {
        for extra in [
            &[][..],
            &["-c"],
            &["--by", "month"],
            &["--by", "paper"],
            &["--json"],
        ] {
            let mut args = vec!["grep"];
            args.extend_from_slice(extra);
            args.extend([query, archive.as_str()]);
            let indexed = kanbao_cached(&args, &cache);
            let mut scan_args = vec!["--no-index"];
            scan_args.extend(&args);
            let scanned = kanbao_cached(&scan_args, &cache);
            assert_eq!(stdout(&indexed), stdout(&scanned), "{args:?}");
            assert_eq!(indexed.status.code(), scanned.status.code(), "{args:?}");
        }
    }
    // The index is there and was used: its folder holds a tantivy index.
    let kept: Vec<_> = std::fs::read_dir(cache.join("kanbao"))
        .expect("cache")
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with("fulltext-"))
        .collect();
    assert_eq!(kept.len(), 1);
    assert!(kept[0].path().join("meta.json").exists());
    // Counted exactly on the text written above.
    let count = kanbao_cached(&["grep", "-c", "企业", &archive], &cache);
    assert_eq!(stdout(&count), "5\n");
}

#[test]
fn a_changed_or_removed_file_is_searched_as_it_is_now() {
    let dir = small_archive("grep-update");
    let cache = scratch("grep-update-cache");
    let archive = dir.to_string_lossy().into_owned();
    let count = |query: &str| {
        let out = kanbao_cached(&["grep", "-c", query, &archive], &cache);
        stdout(&out).trim().to_string()
    };
    assert_eq!(count("企业"), "5");
    std::fs::write(dir.join("b.txt"), "新标题\n\n工厂扩建，企业增多。\n").expect("write");
    assert_eq!(count("工厂"), "1");
    assert_eq!(count("企业"), "5", "b.txt: one企业 before, one after");
    std::fs::remove_file(dir.join("a.txt")).expect("remove");
    assert_eq!(count("企业"), "1");
    assert_eq!(count("数字化"), "0");
}

#[test]
fn a_corrupt_search_index_is_rebuilt_with_a_message() {
    let dir = small_archive("grep-corrupt");
    let cache = scratch("grep-corrupt-cache");
    let archive = dir.to_string_lossy().into_owned();
    let first = kanbao_cached(&["grep", "-c", "企业", &archive], &cache);
    assert_eq!(stdout(&first), "5\n");
    let index = std::fs::read_dir(cache.join("kanbao"))
        .expect("cache")
        .filter_map(|e| e.ok())
        .find(|e| e.file_name().to_string_lossy().starts_with("fulltext-"))
        .expect("an index")
        .path();
    // Every file of the index overwritten with garbage of its own length, then truncated.
    for damage in [
        |bytes: &[u8]| vec![0x5a; bytes.len()],
        |bytes: &[u8]| bytes[..bytes.len() / 2].to_vec(),
    ] {
        for entry in std::fs::read_dir(&index).expect("index").flatten() {
            let bytes = std::fs::read(entry.path()).expect("read");
            std::fs::write(entry.path(), damage(&bytes)).expect("damage");
        }
        let again = kanbao_cached(&["grep", "-c", "企业", &archive], &cache);
        assert_eq!(
            stdout(&again),
            "5\n",
            "the right count from a damaged index"
        );
        let err = String::from_utf8_lossy(&again.stderr);
        assert!(
            err.contains("rebuilding the search index") || err.contains("without the index"),
            "{err}"
        );
        // And the next run is quiet: the index was rebuilt.
        let quiet = kanbao_cached(&["grep", "-c", "企业", &archive], &cache);
        assert_eq!(stdout(&quiet), "5\n");
        assert!(
            quiet.stderr.is_empty(),
            "{}",
            String::from_utf8_lossy(&quiet.stderr)
        );
    }
}

#[test]
fn two_processes_building_the_index_at_once_both_answer() {
    let dir = scratch("grep-two");
    for i in 0..60 {
        std::fs::write(
            dir.join(format!("{i:03}.txt")),
            format!("标题{i}\n\n企业{i}推进，企业增收。\n"),
        )
        .expect("write");
    }
    let cache = scratch("grep-two-cache");
    let archive = dir.to_string_lossy().into_owned();
    let spawn = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_kanbao"))
            .env("XDG_CACHE_HOME", &cache)
            .env("XDG_STATE_HOME", crate::common::fresh_state_home())
            .args(["grep", "-c", "企业", &archive])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("spawn")
    };
    let (one, two) = (spawn(), spawn());
    for child in [one, two] {
        let out = child.wait_with_output().expect("wait");
        assert_eq!(
            stdout(&out),
            "120\n",
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.status.success());
    }
}
