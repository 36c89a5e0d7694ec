//! Finding headlines: a table of (query → expected top hit) on the sample issues, and the
//! `kanbao find` command.

use kanbao::find::HeadlineIndex;
use kanbao::library::samples::builtin_archive;

use crate::common::{kanbao, root};

/// (query, expected top hit's title contains …), `None` when nothing should match.
const CASES: &[(&str, Option<&str>)] = &[
    // Chinese substrings.
    ("曹县", Some("曹县:“产业+电商”")),
    ("仲裁", Some("菏泽仲裁办")),
    ("菜篮子", Some("守护群众“菜篮子”")),
    ("食品安全", Some("国家食品安全示范城市")),
    ("晨星", Some("数字“晨星”")),
    ("党性", Some("党性教育阵地")),
    ("疫情防控", Some("全市疫情防控视频会议")),
    ("乡村振兴", Some("调研 乡村振兴工作")),
    ("颐和园", Some("颐和园泊庄小区")),
    ("个转企", Some("东阿县首例")),
    // Kicker and subtitle are searched too.
    ("看聊城", Some("领跑亩均效益")),
    ("巨野县政协", Some("多措并举抓落实")),
    // Scattered characters.
    ("少先队", Some("中国少年先锋队")),
    ("仲裁开放", Some("菏泽仲裁办")),
    ("二十一网格", Some("第二十一网格")),
    ("质量强区大会", Some("质量强区动员部署大会")),
    // Digits and Latin inside headlines.
    ("12次", Some("区政府第12次常务会议")),
    ("29家", Some("29家医疗机构")),
    ("第12", Some("区政府第12次")),
    // Pinyin, full.
    ("caoxian", Some("曹县:“产业+电商”")),
    ("chengwu", Some("成武县考察团")),
    ("yiqing", Some("全市疫情防控")),
    ("zhuanxing", Some("数字“晨星”照亮制造业转型未来")),
    ("xiangcun zhenxing", Some("乡村振兴工作")),
    // Pinyin initials.
    ("cx", Some("曹县:“产业+电商”")),
    ("xczx", Some("乡村振兴工作")),
    ("gzq", Some("个转企")),
    ("dcf", Some("东昌府区第二次代表大会")),
    ("zg", Some("中国少年先锋队")),
    ("mjq", Some("马军权在调研")),
    ("hzzc", Some("菏泽仲裁办")),
    // Mixed Chinese and pinyin.
    ("曹xian", Some("曹县:“产业+电商”")),
    ("shuzi转型", Some("数字“晨星”照亮制造业转型未来")),
    ("菏泽zc", Some("菏泽仲裁办")),
    // Polyphones: every reading counts.
    ("chong", Some("重点工作项目")),
    ("zhongdian", Some("重点工作项目")),
    ("hang", Some("专项行动")),
    ("xingdong", Some("专项行动")),
    // Only readings a modern reader types: not 活 read guō, 草 zào or 造 cào.
    ("guo", Some("国")),
    ("zao", Some("造")),
    ("caoxian", Some("曹县")),
    // Quotes and brackets inside a headline do not break a run: 数字“晨星” is 数字晨星.
    ("szcx", Some("数字“晨星”")),
    // fzf's extended search.
    ("^quan", Some("全")),
    ("'政府开放日", Some("菏泽仲裁办")),
    // Every operator works on pinyin too: 'exact as a run of adjacent characters.
    ("'zhongguo", Some("中国少年先锋队")),
    ("'cx", Some("曹县:“产业+电商”")),
    ("'shaoxian", None),
    ("^zhongguo", Some("中国少年先锋队")),
    ("kaifang !zhengfu", Some("数字蝶变")),
    ("曹县 !电商", Some("近日，曹县市场监管局")),
    // Full-width input folds to ASCII.
    ("１２次", Some("区政府第12次")),
    // Nothing matches.
    // No syllable starts with "u", and no headline holds these letters.
    ("quux", None),
    ("無關鍵詞", None),
    ("vvvvvv", None),
    // Initials are an abbreviation of adjacent characters, not letters scattered over a line.
    ("zzzzqqq", None),
];

#[test]
fn top_hits_for_forty_queries() {
    let archive = builtin_archive();
    let index = HeadlineIndex::build(&archive);
    let mut failures = Vec::new();
    for (query, want) in CASES {
        let hits = index.search(query, None, 3);
        let top = hits.first().map(|h| index.entry(h.entry).text.to_string());
        let ok = match (want, &top) {
            (Some(want), Some(top)) => top.contains(want),
            (None, None) => true,
            _ => false,
        };
        if !ok {
            let shown: Vec<String> = hits
                .iter()
                .map(|h| index.entry(h.entry).text.to_string())
                .collect();
            failures.push(format!("{query:?}: wanted {want:?}, got {shown:?}"));
        }
    }
    assert!(CASES.len() >= 40);
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        CASES.len(),
        failures.join("\n")
    );
}

#[test]
fn highlights_land_on_the_chinese_characters() {
    let archive = builtin_archive();
    let index = HeadlineIndex::build(&archive);
    let hit = index.search("cx", None, 1)[0];
    let text: Vec<char> = index.entry(hit.entry).text.chars().collect();
    let marked: String = index
        .positions(hit.entry, "cx")
        .iter()
        .map(|&i| text[i])
        .collect();
    assert_eq!(marked, "曹县");
}

#[test]
fn rare_readings_neither_match_nor_take_the_highlight() {
    let archive = builtin_archive();
    let index = HeadlineIndex::build(&archive);
    for (query, word) in [("caoxian", "曹县"), ("guo", "国")] {
        let hits = index.search(query, None, usize::MAX);
        assert!(!hits.is_empty());
        for hit in hits {
            let text: Vec<char> = index.entry(hit.entry).text.chars().collect();
            let marked: String = index
                .positions(hit.entry, query)
                .iter()
                .map(|&i| text[i])
                .collect();
            assert_eq!(marked, word, "{query} in {}", index.entry(hit.entry).text);
        }
    }
}

#[test]
fn empty_query_lists_everything_in_reading_order() {
    let archive = builtin_archive();
    let index = HeadlineIndex::build(&archive);
    let hits = index.search("", None, usize::MAX);
    assert_eq!(hits.len(), index.len());
    assert!(hits.windows(2).all(|w| w[0].entry < w[1].entry));
}

#[test]
fn find_prints_hits_that_open_with_article() {
    let out = kanbao(&["find", "caoxian", "sample-data", "--limit", "3"], &root());
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let first = text.lines().next().expect("a hit");
    let fields: Vec<&str> = first.split('\t').collect();
    assert!(
        fields[0].ends_with("003_8de9c7c95064a8e7.txt") && fields[1] == "4",
        "{first}"
    );
    assert!(text.lines().count() <= 3);
    // The index is the one `kanbao headlines` and `--article` use.
    let cat = kanbao(&["cat", fields[0], "--article", fields[1]], &root());
    assert!(String::from_utf8_lossy(&cat.stdout).contains("曹县:“产业+电商”"));
    let json = kanbao(&["find", "cx", "sample-data", "--json", "-n", "1"], &root());
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json");
    assert_eq!(value[0]["positions"], serde_json::json!([0, 1]));
}
