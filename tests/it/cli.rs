//! The scripting subcommands, run as a user runs them.

use crate::common::{kanbao, kanbao_stdin, root, sample_files, scratch};

fn stdout(output: &std::process::Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("utf-8 stdout")
}

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn export_json_has_the_contract_shape() {
    let out = kanbao(&["export", "--format", "json", "sample-data"], &root());
    assert!(out.status.success(), "{}", stderr(&out));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let issues = doc["issues"].as_array().expect("issues array");
    assert_eq!(issues.len(), sample_files().len());
    for issue in issues {
        for key in ["source", "paper", "date", "number", "pages", "articles"] {
            assert!(issue.get(key).is_some(), "issue lacks {key}");
        }
        for article in issue["articles"].as_array().expect("articles") {
            for key in [
                "kind",
                "kicker",
                "title",
                "subtitle",
                "byline",
                "credit",
                "paragraphs",
            ] {
                assert!(article.get(key).is_some(), "article lacks {key}: {article}");
            }
            assert!(matches!(
                article["kind"].as_str(),
                Some("article" | "photo")
            ));
        }
    }
    let with_masthead = issues
        .iter()
        .find(|i| i["number"] == 1463)
        .expect("the issue numbered 1463");
    assert_eq!(with_masthead["date"], "2022-08-23");
    assert_eq!(with_masthead["pages"], 4);
    assert!(
        issues.iter().any(|i| i["paper"].is_null()),
        "absent fields are null"
    );
}

#[test]
fn list_prints_one_line_per_issue() {
    let out = kanbao(&["list", "sample-data"], &root());
    assert!(out.status.success());
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 5);
    // By paper (in pinyin order: 东昌府讯 dong chang fu before 东昌时讯 dong chang shi), then
    // the issues that name none, in path order.
    let fields: Vec<&str> = lines[1].split('\t').collect();
    assert_eq!(fields[0], "2022-08-23");
    assert_eq!(fields[1], "东昌时讯");
    assert_eq!(fields[2], "1463");
    assert_eq!(fields[3], "9");
    assert!(fields[4].ends_with("002_a00776a20fa094f5.txt"));
    assert!(lines[0].contains("\t东昌府讯\t"), "{}", lines[0]);
    for line in &lines[2..] {
        assert!(line.starts_with("-\t-\t-\t"), "no masthead: {line}");
    }
    let sources: Vec<&str> = lines[2..]
        .iter()
        .filter_map(|l| l.rsplit('\t').next())
        .collect();
    let mut sorted = sources.clone();
    sorted.sort();
    assert_eq!(sources, sorted, "ties in path order");
}

#[test]
fn list_orders_by_date_across_papers_or_by_path() {
    // Two papers filed by paper, dates from the paths; the text names neither.
    let dir = scratch("list-order");
    for (path, headline) in [
        ("乙报/2021-03-02.txt", "乙报之二"),
        ("乙报/2021-02-27.txt", "乙报之一"),
        ("甲报/2021-03-01.txt", "甲报之一"),
        ("甲报/2021-02-28.txt", "甲报之零"),
    ] {
        let file = dir.join(path);
        std::fs::create_dir_all(file.parent().expect("folder")).expect("mkdir");
        std::fs::write(&file, format!("{headline}\n\n正文一段，说了些事情。\n")).expect("write");
    }
    let list = |order: Option<&str>| -> Vec<String> {
        let mut args = vec!["list", "--no-index"];
        if let Some(order) = order {
            args.extend(["--order", order]);
        }
        args.push(dir.to_str().expect("utf-8"));
        let out = kanbao(&args, &root());
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        stdout(&out)
            .lines()
            .map(|l| {
                let f: Vec<&str> = l.split('\t').collect();
                format!("{} {}", f[1], f[0])
            })
            .collect()
    };
    // 甲 (jiǎ) before 乙 (yǐ), as a reader sorts them (code points put 乙 first).
    let by_paper = [
        "甲报 2021-02-28",
        "甲报 2021-03-01",
        "乙报 2021-02-27",
        "乙报 2021-03-02",
    ];
    assert_eq!(list(None), by_paper);
    assert_eq!(list(Some("paper")), by_paper);
    assert_eq!(
        list(Some("date")),
        [
            "乙报 2021-02-27",
            "甲报 2021-02-28",
            "甲报 2021-03-01",
            "乙报 2021-03-02"
        ]
    );
    // By path: bytes of the folder names (乙 sorts before 甲), then the file names.
    assert_eq!(
        list(Some("path")),
        [
            "乙报 2021-02-27",
            "乙报 2021-03-02",
            "甲报 2021-02-28",
            "甲报 2021-03-01"
        ]
    );
    // The config's `order` is the default; `--order` still wins.
    let home = scratch("list-order-config");
    std::fs::create_dir_all(home.join("kanbao")).expect("mkdir");
    std::fs::write(home.join("kanbao/config.toml"), "order = \"date\"\n").expect("write");
    let configured = |extra: &[&str]| -> String {
        let mut args = vec!["list", "--no-index"];
        args.extend(extra);
        args.push(dir.to_str().expect("utf-8"));
        let out = kanbao_with_config(&args, &home);
        assert!(out.status.success(), "{}", stderr(&out));
        stdout(&out).lines().next().unwrap_or_default().to_string()
    };
    assert!(configured(&[]).starts_with("2021-02-27\t乙报"));
    assert!(configured(&["--order", "paper"]).starts_with("2021-02-28\t甲报"));
    let bad = kanbao(
        &["list", "--order", "size", dir.to_str().expect("utf-8")],
        &root(),
    );
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("paper"), "{}", stderr(&bad));
}

#[test]
fn headlines_and_cat_agree_on_numbering() {
    let out = kanbao(
        &["headlines", "sample-data/002_a00776a20fa094f5.txt"],
        &root(),
    );
    let text = stdout(&out);
    let line = text.lines().nth(7).expect("eighth headline");
    let fields: Vec<&str> = line.split('\t').collect();
    assert_eq!(fields[1], "8");
    assert_eq!(fields[2], "中国少年先锋队聊城市东昌府区第二次代表大会召开");

    let cat = kanbao(&["cat", fields[0], "--article", fields[1]], &root());
    assert!(cat.status.success());
    let body = stdout(&cat);
    assert!(
        body.starts_with("中国少年先锋队聊城市东昌府区第二次代表大会召开\n"),
        "{body}"
    );
    assert!(body.trim_end().ends_with("(融媒体 郭龙君)"), "{body}");
}

#[test]
fn cat_prints_json_and_markdown() {
    let json = kanbao(
        &[
            "cat",
            "sample-data/001_84d0d68a418f73b1.txt",
            "--article",
            "1",
            "--format",
            "json",
        ],
        &root(),
    );
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json article");
    assert_eq!(value["subtitle"], "——市工信系统聚力重点任务持续攻坚突破");
    let md = kanbao(
        &[
            "cat",
            "sample-data/001_84d0d68a418f73b1.txt",
            "--article",
            "1",
            "-f",
            "markdown",
        ],
        &root(),
    );
    assert!(stdout(&md).contains("## 领跑亩均效益 保供应急物资"));
}

#[test]
fn cat_out_of_range_names_the_count() {
    let out = kanbao(
        &[
            "cat",
            "sample-data/003_8de9c7c95064a8e7.txt",
            "--article",
            "99",
        ],
        &root(),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no article 99 (it has 5"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn missing_path_is_named_and_the_rest_still_prints() {
    let out = kanbao(
        &[
            "list",
            "no-such-folder",
            "sample-data/000_29319c79bb470c97.txt",
        ],
        &root(),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no-such-folder"), "{}", stderr(&out));
    assert_eq!(stdout(&out).lines().count(), 1);
}

#[test]
fn bad_file_inside_a_folder_is_partial() {
    let dir = scratch("partial");
    std::fs::copy(
        root().join("sample-data/000_29319c79bb470c97.txt"),
        dir.join("good.txt"),
    )
    .expect("copy");
    std::fs::write(dir.join("bad.txt"), b"\x00\x01binary").expect("write");
    std::fs::write(dir.join("ignored.pdf"), b"not an issue").expect("write");
    let out = kanbao(&["list", dir.to_str().expect("path")], &root());
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("bad.txt: binary file"),
        "{}",
        stderr(&out)
    );
    assert_eq!(stdout(&out).lines().count(), 1);
}

#[test]
fn stdin_is_an_issue() {
    let text = std::fs::read(root().join("sample-data/002_a00776a20fa094f5.txt")).expect("sample");
    let out = kanbao_stdin(&["list", "-"], &text);
    assert!(out.status.success());
    assert!(stdout(&out).starts_with("2022-08-23\t东昌时讯\t1463\t9\t-"));
}

#[test]
fn crlf_and_bom_parse_like_the_original() {
    let original = std::fs::read_to_string(root().join("sample-data/001_84d0d68a418f73b1.txt"))
        .expect("sample");
    let windows = format!("\u{feff}{}", original.replace('\n', "\r\n"));
    let a = kanbao_stdin(&["export", "-"], original.as_bytes());
    let b = kanbao_stdin(&["export", "-"], windows.as_bytes());
    assert_eq!(stdout(&a), stdout(&b));
}

#[test]
fn export_text_and_markdown_cover_every_issue() {
    let text = kanbao(&["export", "--format", "text", "sample-data"], &root());
    let text = stdout(&text);
    assert!(text.contains("2022-08-30 东昌府讯 总第1465期"));
    assert!(text.contains("加快制造业数字化转型提质提速提效"));
    let md = kanbao(&["export", "--format", "markdown", "sample-data"], &root());
    assert_eq!(stdout(&md).matches("\n# ").count() + 1, 5);
}

#[test]
fn a_closed_pipe_is_a_normal_exit() {
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_kanbao"))
        .env("XDG_CACHE_HOME", crate::common::test_cache_home())
        .env("XDG_STATE_HOME", crate::common::fresh_state_home())
        .args([
            "export",
            "--format",
            "text",
            "sample-data",
            "sample-data",
            "sample-data",
        ])
        .current_dir(root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("wait");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
}

#[test]
fn help_documents_the_subcommands() {
    let out = kanbao(&["--help"], &root());
    let help = stdout(&out);
    for word in ["export", "list", "headlines", "cat"] {
        assert!(help.contains(word), "{help}");
    }
}

fn kanbao_with_config(args: &[&str], config_home: &std::path::Path) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_kanbao"))
        .env("XDG_CACHE_HOME", crate::common::test_cache_home())
        .env("XDG_STATE_HOME", crate::common::fresh_state_home())
        .args(args)
        .current_dir(root())
        .env("XDG_CONFIG_HOME", config_home)
        .output()
        .expect("run kanbao")
}

#[test]
fn keys_prints_the_effective_bindings_with_a_user_override() {
    let home = scratch("keys-override");
    std::fs::create_dir_all(home.join("kanbao")).expect("dir");
    std::fs::write(
        home.join("kanbao/keymap.toml"),
        "[global]\nkeymap = [\n  { on = \"j\", run = \"noop\" },\n  { on = \"t\", run = \"down\", desc = \"Down, on t\" },\n]\n",
    )
    .expect("write");
    let out = kanbao_with_config(&["keys"], &home);
    assert!(out.status.success(), "{}", stderr(&out));
    let listing = stdout(&out);
    assert!(listing.contains("global\tt\tdown\tDown, on t"), "{listing}");
    assert!(listing.contains("global\tj\tnoop\t"), "{listing}");
    assert!(
        listing.contains("global\t<C-d>\thalf_page_down\t"),
        "{listing}"
    );
}

#[test]
fn keys_lists_other_builtin_keymaps() {
    let home = scratch("keys-emacs");
    // Global options work before the subcommand as after it.
    for args in [["keys", "--keymap", "emacs"], ["--keymap", "emacs", "keys"]] {
        let out = kanbao_with_config(&args, &home);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        assert!(
            stdout(&out).contains("global\t<C-n>\tdown\t"),
            "{args:?}: {}",
            stdout(&out)
        );
    }
    let out = kanbao_with_config(&["--no-index", "list", "sample-data"], &home);
    assert!(out.status.success(), "{}", stderr(&out));
    // A path before a subcommand is a usage error, not silently dropped.
    let out = kanbao_with_config(&["sample-data", "keys"], &home);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("paths go after the subcommand"));
}

#[test]
fn a_bad_user_keymap_stops_kanbao_naming_file_and_line() {
    let home = scratch("keys-bad");
    std::fs::create_dir_all(home.join("kanbao")).expect("dir");
    let file = home.join("kanbao/keymap.toml");
    std::fs::write(
        &file,
        "[body]\nkeymap = [\n  { on = \"x\", run = \"fly_away\" },\n]\n",
    )
    .expect("write");
    for args in [vec!["keys"], vec!["sample-data"]] {
        let out = kanbao_with_config(&args, &home);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = stderr(&out);
        assert!(
            err.contains(&format!(
                "{}:3: unknown action \"fly_away\"",
                file.display()
            )),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn a_shadowed_chord_in_a_keymap_file_is_refused() {
    let home = scratch("keys-shadow");
    let file = home.join("mine.toml");
    std::fs::write(&file, "[global]\nkeymap = [\n  { on = [\"g\", \"g\"], run = \"first\" },\n  { on = \"g\", run = \"last\" },\n]\n").expect("write");
    let out = kanbao_with_config(&["keys", "--keymap", file.to_str().expect("path")], &home);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains(":4: `gg` is shadowed by its own prefix"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn reader_reports_a_bad_config_file() {
    let home = scratch("bad-config");
    std::fs::create_dir_all(home.join("kanbao")).expect("dir");
    std::fs::write(
        home.join("kanbao/config.toml"),
        "keymap = \"vim\"\ncolour = \"red\"\n",
    )
    .expect("write");
    let out = kanbao_with_config(&["sample-data"], &home);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("config.toml:2"), "{}", stderr(&out));
}

#[test]
fn the_readmes_dvorak_example_works_over_every_builtin_keymap() {
    // Taken from the README itself, so the example and the test cannot drift apart.
    let readme = std::fs::read_to_string(crate::common::root().join("README.md")).expect("README");
    let start = readme.find("```toml\n[global]").expect("the example") + "```toml\n".len();
    let example = &readme[start..start + readme[start..].find("```").expect("its end")];
    assert!(example.contains("next_issue"));
    let home = scratch("keys-dvorak");
    std::fs::create_dir_all(home.join("kanbao")).expect("dir");
    std::fs::write(home.join("kanbao/keymap.toml"), example).expect("write");
    for keymap in ["vim", "emacs", "less"] {
        let out = kanbao_with_config(&["--keymap", keymap, "keys"], &home);
        assert!(out.status.success(), "{keymap}: {}", stderr(&out));
        assert!(
            stdout(&out).contains("global\tgt\tnext_issue\t"),
            "{keymap}: {}",
            stdout(&out)
        );
        // Any base chord it unbinds is named, with the user's file and line.
        for line in stderr(&out).lines() {
            assert!(line.contains("keymap.toml:"), "{keymap}: {line}");
            assert!(
                !line.contains("(built in):") || line.contains("unbinds"),
                "{line}"
            );
        }
    }
}

#[test]
fn inspect_names_every_lines_role_and_why() {
    let dir = scratch("inspect");
    let file = dir.join("export.txt");
    std::fs::write(
        &file,
        "第一篇的标题\n作者：甲乙  时间：2018-04-17\n\n\u{3000}\u{3000}第一段。\n\n\u{3000}\u{3000}小节标题\n\n\u{3000}\u{3000}第二段。\n\n第二篇的标题\n时间：2018-04-18\n\n\u{3000}\u{3000}正文。\n",
    )
    .expect("write");
    let out = kanbao(&["inspect", file.to_str().expect("path")], &root());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    // `NUMBER  ROLE  TEXT`, then the reason in brackets.
    let role_of = |n: usize| -> String {
        let line = text
            .lines()
            .find(|l| l.split_whitespace().next() == Some(&n.to_string()))
            .unwrap_or_else(|| panic!("no line {n} in:\n{text}"));
        line.split_whitespace().nth(1).unwrap_or("").to_string()
    };
    assert_eq!(role_of(1), "title");
    assert_eq!(role_of(2), "metadata");
    assert_eq!(role_of(4), "body");
    assert_eq!(role_of(6), "subhead");
    assert_eq!(role_of(10), "title");
    assert!(text.contains("(label：value fields"), "{text}");
    assert!(
        !text
            .lines()
            .any(|l| l.starts_with(" 3 ") || l.starts_with("3 ")),
        "blank lines are not listed"
    );
    // A missing file is named; the exit status says nothing was read.
    let out = kanbao(&["inspect", "no-such-issue.txt"], &root());
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no-such-issue.txt"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn layout_toml_beside_an_archive_decides_what_shapes_cannot() {
    let dir = scratch("layout");
    // A headline of three phrases, a folio and a separator of this paper's own making: shapes
    // the rules do not take for what they are.
    let issue = "【快讯】暴雨来袭，全市停课，注意安全\n\n正文第一段，内容。\n\n本报第3版\n\n\
                 ～～ 本栏完 ～～\n\n另一则消息的正文。\n";
    std::fs::write(dir.join("issue.txt"), issue).expect("write");
    let path = dir.to_str().expect("path");
    // Without hints the headline (it has two commas) is body text and the folio a headline.
    let before = stdout(&kanbao(&["--no-index", "headlines", path], &root()));
    let titled = |list: &str, title: &str| list.lines().any(|l| l.ends_with(&format!("\t{title}")));
    assert!(
        !titled(&before, "【快讯】暴雨来袭，全市停课，注意安全"),
        "{before}"
    );
    std::fs::write(
        dir.join("layout.toml"),
        "headline = ['^【.+】']\nignore = ['^本报第\\d+版$']\nseparator = ['^～+ 本栏完 ～+$']\n",
    )
    .expect("write layout");
    let out = kanbao(&["--no-index", "headlines", path], &root());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let after = stdout(&out);
    assert!(
        titled(&after, "【快讯】暴雨来袭，全市停课，注意安全"),
        "{after}"
    );
    assert!(!after.contains("第3版"), "{after}");
    let inspect = stdout(&kanbao(&["--no-index", "inspect", path], &root()));
    assert!(inspect.contains("layout.toml"), "{inspect}");
    let json = stdout(&kanbao(&["export", "-f", "json", path], &root()));
    let doc: serde_json::Value = serde_json::from_str(&json).expect("json");
    let articles = doc["issues"][0]["articles"].as_array().expect("articles");
    assert_eq!(
        articles.len(),
        2,
        "the separator ends the first article: {json}"
    );
    // A mistake in the hints names the file and line; the archive is still read.
    std::fs::write(
        dir.join("layout.toml"),
        "headline = ['^ok$']\nignore = ['(oops']\n",
    )
    .expect("write layout");
    let out = kanbao(&["--no-index", "headlines", path], &root());
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("layout.toml:2: pattern `(oops`"),
        "{}",
        stderr(&out)
    );
    assert!(!stdout(&out).is_empty(), "the issue is still listed");
}

#[test]
fn a_running_head_most_issues_repeat_is_learned_as_furniture() {
    let dir = scratch("learn");
    let headlines = [
        "甲地举行运动会",
        "乙地修通新公路",
        "丙地喜获丰收",
        "丁地新建学校",
    ];
    for (n, headline) in headlines.iter().enumerate() {
        let day = n + 1;
        std::fs::write(
            dir.join(format!("{day:02}.txt")),
            format!(
                "某某日报\n2018年4月{day}日\n\n要闻版 {day}\n{headline}\n\n正文第一段，内容。\n"
            ),
        )
        .expect("write");
    }
    let path = dir.to_str().expect("path");
    let json = stdout(&kanbao(&["export", "-f", "json", path], &root()));
    let doc: serde_json::Value = serde_json::from_str(&json).expect("json");
    for issue in doc["issues"].as_array().expect("issues") {
        let article = &issue["articles"][0];
        assert!(
            article["kicker"].is_null(),
            "the running head is no kicker: {article}"
        );
        let set_aside = issue["fragments"]
            .as_array()
            .expect("fragments")
            .iter()
            .any(|f| {
                f["kind"] == "set_aside"
                    && f["text"].as_str().is_some_and(|t| t.starts_with("要闻版 "))
            });
        assert!(set_aside, "{issue}");
    }
    // One issue alone teaches nothing: the same line is read by its shape (a kicker).
    let one = dir.join("01.txt");
    let json = stdout(&kanbao(
        &["export", "-f", "json", one.to_str().expect("path")],
        &root(),
    ));
    let doc: serde_json::Value = serde_json::from_str(&json).expect("json");
    assert_eq!(doc["issues"][0]["articles"][0]["kicker"], "要闻版 1");
}

#[test]
fn a_page_marker_sets_the_page_of_the_articles_below_it() {
    let dir = crate::common::scratch("page-markers");
    let file = dir.join("issue.txt");
    std::fs::write(
        &file,
        "第01版：要闻\n\n甲地举行大会\n\n正文第一段，内容。\n\n乙地召开会议\n\n正文第二段，内容。\n\n\
         第02版 国际\n\n丙国举行选举\n\n正文第三段，内容。\n",
    )
    .expect("write");
    let json = stdout(&kanbao(
        &["export", "-f", "json", file.to_str().expect("path")],
        &root(),
    ));
    let doc: serde_json::Value = serde_json::from_str(&json).expect("json");
    let read: Vec<(String, String, String)> = doc["issues"][0]["articles"]
        .as_array()
        .expect("articles")
        .iter()
        .map(|a| {
            let field = |k: &str| a[k].as_str().unwrap_or("-").to_string();
            (field("title"), field("page"), field("section"))
        })
        .collect();
    let want = [
        ("甲地举行大会", "01", "要闻"),
        ("乙地召开会议", "01", "要闻"),
        ("丙国举行选举", "02", "国际"),
    ]
    .map(|(t, p, s)| (t.to_string(), p.to_string(), s.to_string()));
    assert_eq!(read, want);
    assert!(
        doc["issues"][0]["articles"]
            .as_array()
            .expect("articles")
            .iter()
            .all(|a| a["kicker"].is_null()),
        "a page marker is no kicker"
    );
}

#[test]
fn dates_and_papers_come_from_the_path_when_the_text_has_none() {
    let dir = crate::common::scratch("path-dates");
    let cases = [
        ("人民日报/2023/05/17/a.txt", "2023-05-17", "人民日报"),
        ("人民日报/2023/0518.txt", "2023-05-18", "人民日报"),
        ("scans/rmrb-2021-11-02.txt", "2021-11-02", "-"),
        ("scans/20200229.txt", "2020-02-29", "-"),
        ("scans/no-date-here.txt", "-", "-"),
    ];
    for (path, _, _) in cases {
        let file = dir.join(path);
        std::fs::create_dir_all(file.parent().expect("parent")).expect("mkdir");
        std::fs::write(&file, "一个标题\n\n正文一段。\n").expect("write");
    }
    // The text's own masthead wins over the path.
    let own = dir.join("人民日报/2023/05/19.txt");
    std::fs::write(&own, "某某晚报\n2022年8月1日\n星期一\n\n标题\n\n正文。\n").expect("write");
    let out = kanbao(
        &["list", "--verbose", &dir.to_string_lossy()],
        &crate::common::root(),
    );
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    for (path, date, paper) in cases {
        let row: Vec<&str> = text
            .lines()
            .find(|l| l.ends_with(path))
            .unwrap_or_else(|| panic!("{path} in {text}"))
            .split('\t')
            .collect();
        assert_eq!((row[0], row[1]), (date, paper), "{path}");
        let from = |v: &str| if v == "-" { "-" } else { "path" };
        assert_eq!((row[4], row[5]), (from(date), from(paper)), "{path}");
    }
    let row = text.lines().find(|l| l.ends_with("05/19.txt")).expect("19");
    assert!(
        row.starts_with("2022-08-01\t某某晚报\t-\t1\ttext\ttext\t"),
        "{row}"
    );
    // Without --verbose the columns are as before; JSON says where the date came from.
    let plain = kanbao(&["list", &dir.to_string_lossy()], &crate::common::root());
    assert!(
        String::from_utf8_lossy(&plain.stdout)
            .lines()
            .all(|l| l.split('\t').count() == 5)
    );
    let json = kanbao(
        &[
            "export",
            "-f",
            "json",
            &dir.join("scans/20200229.txt").to_string_lossy(),
        ],
        &crate::common::root(),
    );
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json");
    assert_eq!(value["issues"][0]["date"], "2020-02-29");
    assert_eq!(value["issues"][0]["date_from"], "path");
}

#[test]
fn cite_in_every_style_with_and_without_author_and_page() {
    let dir = scratch("cite");
    let with_meta = dir.join("meta.txt");
    std::fs::write(
        &with_meta,
        "某某日报\n2025年7月3日\n星期四\n\n某某标题\n作者：李某 时间：2025-07-03\n版次：03\n\n正文第一段，写了一些事情。\n",
    )
    .expect("write");
    let bare = dir.join("bare.txt");
    std::fs::write(&bare, "没有报头的标题\n\n正文第一段，写了一些事情。\n").expect("write");
    let by_line = dir.join("byline.txt");
    std::fs::write(
        &by_line,
        "某某日报\n2025年7月3日\n星期四\n\n另一个标题\n\n本报讯(记者 王某)正文第一段，写了一些事情。\n",
    )
    .expect("write");
    let cite = |file: &std::path::Path, style: &str| {
        let out = kanbao(
            &["cite", &file.to_string_lossy(), "-a", "1", "-s", style],
            &root(),
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    assert_eq!(
        cite(&with_meta, "gbt7714"),
        "李某. 某某标题[N]. 某某日报, 2025-07-03(03).\n"
    );
    assert_eq!(
        cite(&by_line, "gbt7714"),
        "王某. 另一个标题[N]. 某某日报, 2025-07-03.\n"
    );
    assert_eq!(
        cite(&bare, "gbt7714"),
        "没有报头的标题[N].\n",
        "nothing invented"
    );
    let bib = cite(&with_meta, "bibtex");
    assert!(
        bib.contains("author = {李某}") && bib.contains("pages = {03}"),
        "{bib}"
    );
    assert!(!cite(&bare, "bibtex").contains("author"));
    let ris = cite(&with_meta, "ris");
    assert!(ris.contains("TY  - NEWS") && ris.contains("SP  - 03") && ris.contains("AU  - 李某"));
    assert!(!cite(&bare, "ris").contains("AU  -"));
    let csl: serde_json::Value = serde_json::from_str(&cite(&with_meta, "csl-json")).expect("json");
    assert_eq!(csl[0]["container-title"], "某某日报");
    assert_eq!(csl[0]["page"], "03");
    let bare_csl: serde_json::Value = serde_json::from_str(&cite(&bare, "csl-json")).expect("json");
    assert!(bare_csl[0].get("author").is_none() && bare_csl[0].get("page").is_none());
    // No such article: status 2 and the count.
    let out = kanbao(&["cite", &bare.to_string_lossy(), "-a", "5"], &root());
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no article 5 (it has 1"));
}

#[test]
fn listing_commands_with_no_path_read_the_configured_archive() {
    let config = scratch("config-archive");
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_kanbao"))
            .env("XDG_CONFIG_HOME", &config)
            .env("XDG_CACHE_HOME", crate::common::test_cache_home())
            .env("XDG_STATE_HOME", crate::common::fresh_state_home())
            .args(args)
            .current_dir(root())
            .output()
            .expect("run")
    };
    let none = run(&["list"]);
    assert_eq!(none.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&none.stderr).contains("no PATH given"));
    std::fs::create_dir_all(config.join("kanbao")).expect("mkdir");
    std::fs::write(
        config.join("kanbao/config.toml"),
        format!("archive = \"{}\"\n", root().join("sample-data").display()),
    )
    .expect("write");
    for args in [
        &["list"][..],
        &["headlines"],
        &["find", "曹县"],
        &["grep", "-c", "记者"],
    ] {
        let configured = run(args);
        let mut given = args.to_vec();
        let path = root().join("sample-data").to_string_lossy().into_owned();
        given.push(&path);
        let explicit = run(&given);
        assert!(configured.status.success(), "{args:?}");
        assert!(!configured.stdout.is_empty(), "{args:?}");
        assert_eq!(configured.stdout, explicit.stdout, "{args:?}");
    }
}

#[test]
fn cat_with_source_ends_each_article_with_its_citation_and_lines() {
    let file = "sample-data/002_a00776a20fa094f5.txt";
    let plain = kanbao(&["cat", file, "-a", "2"], &root());
    let text = kanbao(&["cat", "--with-source", file, "-a", "2"], &root());
    let plain = String::from_utf8_lossy(&plain.stdout).into_owned();
    let text = String::from_utf8_lossy(&text.stdout).into_owned();
    assert!(
        text.starts_with(plain.trim_end()),
        "the article unchanged first"
    );
    let last = text.lines().last().expect("a footer");
    let json = kanbao(&["cat", file, "-a", "2", "-f", "json"], &root());
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json");
    let (start, end) = (&value["lines"]["start"], &value["lines"]["end"]);
    assert!(last.starts_with("来源："), "{last}");
    assert!(last.contains("[N]. 东昌时讯, 2022-08-23."), "{last}");
    assert!(last.ends_with(&format!("({file}:{start}-{end})")), "{last}");
    let md = kanbao(
        &["cat", "--with-source", file, "-a", "2", "-f", "markdown"],
        &root(),
    );
    let md = String::from_utf8_lossy(&md.stdout).into_owned();
    assert!(
        md.trim_end()
            .lines()
            .last()
            .is_some_and(|l| l.starts_with("> 来源：")),
        "{md}"
    );
}
