//! End-to-end: the real binary in tmux, driven by keys.

use std::time::{Duration, Instant};

use kanbao::text::AmbiguousWidth;

use crate::tmux::{Tmux, assert_aligned};

fn pane_count(screen: &str) -> usize {
    screen.lines().next().map_or(0, |row| {
        row.matches('┌').count() + row.matches("+-").count()
    })
}

#[test]
fn navigate_open_scroll_search_resize_quit() {
    let t = Tmux::start("sample-data > /dev/null", 120, 30, &[]);
    let s = t.wait_stable("Issues 5");
    assert_eq!(pane_count(&s), 3);
    assert_aligned(&s, 120, AmbiguousWidth::Narrow, '│');

    // Into the headline list, down two, open.
    t.keys(&["l", "j", "j"]);
    t.wait_text("3/10");
    t.keys(&["Enter"]);
    let s = t.wait_stable("▲11月2日");
    assert_aligned(&s, 120, AmbiguousWidth::Narrow, '│');

    // The long first article: scroll to its end and back.
    t.keys(&["[", "["]);
    t.wait_text("1/10");
    t.keys(&["G"]);
    t.wait_for("the end of the article", |s| {
        s.contains("100%") && s.contains("建边缘算力供给体系。")
    });
    t.keys(&["g", "g"]);
    t.wait_text("  0%");

    // Search in the article, next hit.
    t.keys(&["/"]);
    t.type_text("数字");
    t.keys(&["Enter"]);
    t.wait_text("hit 1/");
    t.keys(&["n"]);
    t.wait_text("hit 2/");

    // Two panes, then one.
    t.resize(80, 24);
    t.wait_for("two panes", |s| {
        pane_count(s) == 2 && s.lines().count() == 24
    });
    let s = t.stable();
    assert_aligned(&s, 80, AmbiguousWidth::Narrow, '│');
    t.resize(50, 20);
    t.wait_for("one pane", |s| {
        pane_count(s) == 1 && s.lines().count() == 20
    });
    let s = t.stable();
    assert_aligned(&s, 50, AmbiguousWidth::Narrow, '│');
    t.resize(15, 4);
    t.wait_text("Too small");
    t.resize(100, 30);
    t.wait_for("three panes again", |s| pane_count(s) == 3);

    t.keys(&["q"]);
    assert_eq!(t.wait_exit(), 0);
    assert_eq!(t.file("stderr"), "");
}

#[test]
fn help_screen_lists_the_keymap() {
    let t = Tmux::start("sample-data", 100, 30, &[]);
    t.wait_text("Issues 5");
    t.keys(&["?"]);
    let s = t.wait_stable("Help: keymap");
    assert!(s.contains("Half a page down"), "{s}");
    t.keys(&["q"]);
    t.wait_for("help closed", |s| !s.contains("Help: keymap"));
    t.keys(&["q"]);
    assert_eq!(t.wait_exit(), 0);
}

#[test]
fn open_at_an_article() {
    let t = Tmux::start(
        "sample-data/002_a00776a20fa094f5.txt --article 8",
        120,
        30,
        &[],
    );
    let s = t.wait_stable("8/9");
    assert!(
        s.contains("□东昌府讯"),
        "the body of article 8 is shown:\n{s}"
    );
    t.keys(&["]"]);
    t.wait_text("9/9");
    t.keys(&["q"]);
    assert_eq!(t.wait_exit(), 0);
}

#[test]
fn wide_ambiguous_mode_keeps_ascii_borders_aligned() {
    let t = Tmux::start("--ambiguous-width wide sample-data", 120, 30, &[]);
    let s = t.wait_stable("Issues 5");
    t.keys(&["l", "Enter"]);
    t.wait_text("Article");
    let s2 = t.stable();
    for screen in [s, s2] {
        assert!(
            !screen.contains('│') && !screen.contains('─'),
            "box drawing in wide mode:\n{screen}"
        );
        // tmux itself draws ambiguous characters narrow: the rows must still line up.
        assert_aligned(&screen, 120, AmbiguousWidth::Narrow, '|');
    }
    t.keys(&["q"]);
    assert_eq!(t.wait_exit(), 0);
}

#[test]
fn emacs_keymap_navigates_with_ctrl_n_and_ctrl_p() {
    let t = Tmux::start("--keymap emacs sample-data", 120, 30, &[]);
    t.wait_text("Issues 5");
    t.keys(&["C-f", "C-n", "C-n"]);
    t.wait_text("3/10");
    t.keys(&["C-p"]);
    t.wait_text("2/10");
    t.keys(&["C-x", "C-c"]);
    assert_eq!(t.wait_exit(), 0);
}

#[test]
fn works_on_common_terminal_types_and_without_colour() {
    for term in [
        "xterm-256color",
        "screen-256color",
        "tmux-256color",
        "linux",
    ] {
        let t = Tmux::start("sample-data", 100, 24, &[("TERM", term), ("NO_COLOR", "1")]);
        let s = t.wait_stable("Issues 5");
        assert_aligned(&s, 100, AmbiguousWidth::Narrow, '│');
        t.keys(&["j", "l", "Enter"]);
        t.wait_text("1/8");
        t.keys(&["C-d"]);
        t.wait_for("half a page down", |s| !s.contains("  0%"));
        t.keys(&["q"]);
        assert_eq!(t.wait_exit(), 0, "TERM={term}: {}", t.file("stderr"));
    }
}

#[test]
fn quitting_prints_nothing_to_stdout() {
    let t = Tmux::start("sample-data", 100, 24, &[]);
    t.wait_text("Issues 5");
    t.keys(&["j", "q"]);
    assert_eq!(t.wait_exit(), 0);
    assert_eq!(
        t.file("stdout"),
        "",
        "the UI is drawn on the terminal, not stdout"
    );
}

#[test]
fn a_hang_up_ends_kanbao_within_a_second() {
    let t = Tmux::start("sample-data", 100, 24, &[]);
    t.wait_text("Issues 5");
    let kanbao = t.kanbao_pid();
    t.hang_up();
    let start = Instant::now();
    while std::path::Path::new(&format!("/proc/{kanbao}")).exists() {
        let state = std::fs::read_to_string(format!("/proc/{kanbao}/stat")).unwrap_or_default();
        if state.split_whitespace().nth(2) == Some("Z") {
            break; // exited, not yet reaped
        }
        assert!(
            start.elapsed() < Duration::from_secs(1),
            "kanbao still running {:?} after the hang-up",
            start.elapsed()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_hang_up_that_brings_no_sighup_ends_kanbao_quietly_with_129() {
    // The shell ignores SIGHUP, so kanbao learns of the hang-up only from the terminal; its
    // stderr is that dead terminal, where any write fails.
    let state = crate::common::scratch("hup-state");
    let state_dir = state.to_str().expect("path").to_string();
    let t = Tmux::start_hup_ignored("sample-data", 100, 24, &[("XDG_STATE_HOME", &state_dir)]);
    t.wait_text("Issues 5");
    t.hang_up();
    assert_eq!(t.wait_exit(), 129, "a hang-up ends as SIGHUP would");
    assert!(
        !state.join("kanbao/crash.log").exists(),
        "the hang-up crashed kanbao"
    );
}

#[test]
fn sigterm_and_sigint_restore_the_terminal() {
    for (signal, code) in [("TERM", 143), ("INT", 130)] {
        let t = Tmux::start("sample-data", 100, 24, &[]);
        t.wait_text("Issues 5");
        assert!(t.alternate_screen());
        let status = std::process::Command::new("kill")
            .args([&format!("-{signal}"), &t.kanbao_pid().to_string()])
            .status()
            .expect("kill");
        assert!(status.success());
        assert_eq!(t.wait_exit(), code, "SIG{signal}");
        assert!(
            !t.alternate_screen(),
            "SIG{signal} left the alternate screen on"
        );
        let s = t.stable();
        assert!(
            !s.contains("Issues 5"),
            "SIG{signal}: the reader is still on screen:\n{s}"
        );
    }
}

#[test]
fn auto_width_asks_the_terminal() {
    // tmux draws ambiguous characters one cell wide, so the probe must choose narrow: box borders.
    let t = Tmux::start("--ambiguous-width auto sample-data", 100, 24, &[]);
    t.wait_text("Issues 5");
    let s = t.stable();
    assert!(s.contains('│'), "auto chose wide in tmux:\n{s}");
    assert_aligned(&s, 100, AmbiguousWidth::Narrow, '│');
    t.keys(&["q"]);
    assert_eq!(t.wait_exit(), 0);
}

#[test]
fn a_panic_restores_the_terminal_and_says_so() {
    let state = crate::common::scratch("crash-state");
    let state_dir = state.to_str().expect("path").to_string();
    let t = Tmux::start(
        "sample-data",
        100,
        24,
        &[("KANBAO_DEBUG_PANIC", "1"), ("XDG_STATE_HOME", &state_dir)],
    );
    t.wait_text("Issues 5");
    t.keys(&["F12"]);
    assert_eq!(t.wait_exit(), 101);
    assert!(
        !t.alternate_screen(),
        "the panic left the alternate screen on"
    );
    let err = t.file("stderr");
    let log = state.join("kanbao/crash.log");
    assert!(
        err.contains("debug panic requested") && err.contains("terminal was restored"),
        "{err}"
    );
    assert!(
        err.contains(&format!("Details: {}", log.display())),
        "{err}"
    );
    let logged = std::fs::read_to_string(&log).expect("crash log written");
    assert!(
        logged.contains("debug panic requested with F12"),
        "{logged}"
    );
}

#[test]
fn ctrl_z_suspends_and_fg_restores_the_screen() {
    let t = Tmux::start_shell(100, 24);
    t.run_in_shell();
    t.keys(&["l", "j"]);
    t.wait_text("2/10");
    t.keys(&["C-z"]);
    t.wait_for("the shell's job control", |s| s.contains("Stopped"));
    assert!(
        !t.alternate_screen(),
        "suspended kanbao left the alternate screen on"
    );
    t.type_text("fg\n");
    t.wait_text("2/10");
    let s = t.stable();
    assert!(t.alternate_screen());
    assert_aligned(&s, 100, AmbiguousWidth::Narrow, '│');
    t.keys(&["q"]);
    t.wait_for("the shell prompt back", |s| !s.contains("2/10"));
}

#[test]
fn a_tstp_from_outside_restores_the_terminal_and_fg_brings_kanbao_back_working() {
    let t = Tmux::start_shell(100, 24);
    t.run_in_shell();
    t.keys(&["l", "j"]);
    t.wait_text("2/10");
    let kanbao = t.pane_child_pid().to_string();
    let kill = |signal: &str| {
        let status = std::process::Command::new("kill")
            .args([signal, &kanbao])
            .status()
            .expect("kill");
        assert!(status.success());
    };
    kill("-TSTP");
    t.wait_for("the shell's job control", |s| s.contains("Stopped"));
    assert!(!t.alternate_screen(), "the alternate screen was left on");
    t.type_text("fg\n");
    t.wait_text("2/10");
    // Keys work again: raw mode is back.
    t.keys(&["j"]);
    t.wait_text("3/10");
    // SIGQUIT ends kanbao with the terminal restored.
    kill("-QUIT");
    // Leaving the alternate screen comes before the exit: typing then would reach kanbao, not
    // the shell. Wait for the shell's prompt on the last line.
    t.wait_for("the shell prompt back", |s| {
        !s.contains("3/10")
            && s.lines()
                .rev()
                .find(|line| !line.trim().is_empty())
                .is_some_and(|line| line.trim_end() == "$")
    });
    assert!(
        !t.alternate_screen(),
        "SIGQUIT left the alternate screen on"
    );
    t.type_text("echo status=$?\n");
    t.wait_text("status=131");
}

#[test]
fn jump_by_pinyin_lands_on_the_article() {
    let t = Tmux::start("sample-data", 120, 30, &[]);
    t.wait_text("Issues 5");
    t.keys(&["F"]);
    t.wait_text("Jump: archive");
    t.type_text("zhongguo");
    t.wait_text("▸ 2022-08-23 东昌时讯 中国少年先锋队");
    t.keys(&["Enter"]);
    let s = t.wait_stable("8/9");
    assert!(
        s.contains("□东昌府讯"),
        "the body of the article is shown:\n{s}"
    );
    // Esc in a jump goes back to where you were.
    t.keys(&["f"]);
    t.wait_text("Jump: this issue");
    t.type_text("shuzi");
    t.wait_text("1 found");
    t.keys(&["Escape"]);
    t.wait_for("back at article 8", |s| {
        s.contains("8/9") && !s.contains("Jump:")
    });
    // Typing Chinese works too.
    t.keys(&["F"]);
    t.type_text("菜篮子");
    t.wait_text("1 found");
    t.keys(&["Enter"]);
    t.wait_text("9/10");
    t.keys(&["q"]);
    assert_eq!(t.wait_exit(), 0);
}

/// Scrolling draws only new rows (the terminal scrolls the rest): what tmux then shows must be
/// exactly what a full redraw at the same place shows, in the zoomed body and in three panes.
#[test]
fn scrolled_screens_match_a_full_redraw() {
    for (keys, width) in [(&["z"][..], 80u16), (&[][..], 120u16)] {
        let t = Tmux::start(
            "sample-data/000_29319c79bb470c97.txt --article 4",
            width,
            24,
            &[],
        );
        t.wait_text("正文");
        t.keys(keys);
        for key in ["j", "j", "j", "j", "j", "k", "k", "j"] {
            t.keys(&[key]);
            t.stable();
        }
        let scrolled = t.stable();
        // Cells a scroll blanked hold spaces where a fresh screen holds nothing: the same view.
        let visible =
            |s: &str| -> Vec<String> { s.lines().map(|l| l.trim_end().to_string()).collect() };
        // A resize there and back makes kanbao redraw every cell.
        t.resize(width - 10, 24);
        t.stable();
        t.resize(width, 24);
        let redrawn = t.wait_for("the full redraw", |s| visible(s) == visible(&scrolled));
        assert_eq!(visible(&redrawn), visible(&scrolled));
        if keys.is_empty() {
            // Three panes: every row exactly full, borders in their columns.
            assert_aligned(&scrolled, width as usize, AmbiguousWidth::Narrow, '│');
        }
        t.keys(&["q"]);
        t.wait_exit();
    }
}

#[test]
fn a_long_issue_label_gives_way_to_the_position_and_messages() {
    // An issue without a masthead is labelled by its long file name.
    let t = Tmux::start("sample-data/003_8de9c7c95064a8e7.txt", 80, 24, &[]);
    let s = t.wait_stable("Issues 1");
    let status = s.lines().last().expect("status line").to_string();
    assert!(status.contains("1/") && status.contains("0%"), "{status}");
    t.keys(&["y"]);
    let s = t.wait_stable("copied article");
    let status = s.lines().last().expect("status line").to_string();
    assert!(
        status.contains("1/") && status.contains("characters"),
        "the message is whole: {status}"
    );
    t.keys(&["q"]);
    assert_eq!(t.wait_exit(), 0);
}

#[test]
fn n_steps_through_every_hit_of_the_text_and_wraps() {
    let article = String::from_utf8(
        crate::common::kanbao(
            &[
                "cat",
                "sample-data/000_29319c79bb470c97.txt",
                "--article",
                "1",
            ],
            &crate::common::root(),
        )
        .stdout,
    )
    .expect("utf-8");
    // Counted in the text; the article's lines are joined first, as the reader searches them.
    let total = article.replace('\n', "").matches("数字").count();
    assert!(total > 3, "{total}");
    let t = Tmux::start("sample-data", 100, 30, &[]);
    t.wait_text("Issues 5");
    t.keys(&["l", "Enter", "/"]);
    t.type_text("数字");
    t.keys(&["Enter"]);
    t.wait_text(&format!("hit 1/{total}"));
    for k in 2..=total {
        t.keys(&["n"]);
        t.wait_text(&format!("hit {k}/{total}"));
    }
    t.keys(&["n"]);
    let s = t.wait_stable(&format!("hit 1/{total}"));
    assert!(s.contains("continuing at TOP"), "{s}");
    t.keys(&["q"]);
    assert_eq!(t.wait_exit(), 0);
}

#[test]
fn pasted_text_is_never_run_as_keys() {
    let t = Tmux::start("sample-data", 100, 30, &[]);
    t.wait_text("Issues 5");
    // Outside a text input: `G` and `q` in a paste must neither move nor quit.
    t.paste("Gqq");
    let s = t.wait_stable("paste ignored");
    assert!(s.contains("1/10") || s.contains("▸ 加快制造业"), "{s}");
    // In a prompt: one line, the line break not taken for Enter.
    t.keys(&["l", "Enter", "/"]);
    t.wait_text("/");
    t.paste("数字\n化");
    t.wait_text("/数字 化");
    t.escape();
    t.keys(&["q"]);
    assert_eq!(t.wait_exit(), 0);
}

#[test]
fn an_export_reads_with_its_metadata_and_the_raw_view_names_each_lines_role() {
    let dir = crate::common::scratch("e2e-export");
    let file = dir.join("export.txt");
    std::fs::write(
        &file,
        "第一篇的标题\n作者：甲乙  时间：2018-04-17\n\n\u{3000}\u{3000}第一段正文。\n\n\u{3000}\u{3000}小节标题\n\n\u{3000}\u{3000}第二段正文。\n\n第二篇的标题\n时间：2018-04-18\n\n\u{3000}\u{3000}正文。\n",
    )
    .expect("write");
    let t = Tmux::start(
        &format!("--no-index '{}' --article 1", file.display()),
        100,
        20,
        &[],
    );
    let screen = t.wait_stable("作者：甲乙");
    assert!(
        screen.contains("第二篇的标题"),
        "two articles, not more:\n{screen}"
    );
    assert!(screen.contains("Headlines 2"), "{screen}");
    t.keys(&["r"]);
    let raw = t.wait_stable("MET");
    for tag in ["TTL", "MET", "SHD", "txt"] {
        assert!(raw.contains(tag), "{tag} in the gutter:\n{raw}");
    }
    t.keys(&["q"]);
    assert_eq!(t.wait_exit(), 0);
}

#[test]
fn search_the_archive_open_a_hit_and_step_with_n() {
    let dir = crate::common::scratch("e2e-archive-search");
    for (name, date, body) in [
        ("a.txt", "2022年8月1日", "本报讯 企业推进数字化，企业增收。"),
        ("b.txt", "2022年10月3日", "农村的企业增收。"),
        ("c.txt", "2023年1月5日", "没有那个词。"),
    ] {
        std::fs::write(
            dir.join(name),
            format!("某某日报\n{date}\n星期一\n\n新闻标题{name}\n\n{body}\n"),
        )
        .expect("write");
    }
    let t = Tmux::start(&format!("'{}' > /dev/null", dir.display()), 120, 30, &[]);
    t.wait_stable("Issues 3");
    t.keys(&["S"]);
    t.wait_text("search the archive:");
    t.type_text("企业");
    t.keys(&["Enter"]);
    let s = t.wait_stable("3 hits in 2 articles");
    assert!(s.contains("2022-08-01 某某日报"), "{s}");
    assert!(s.contains("2022-08…2022-10"), "the sparkline's span: {s}");
    assert_aligned(&s, 120, AmbiguousWidth::Narrow, '│');
    t.keys(&["Enter"]);
    t.wait_text("result 1/2, hit 1/2");
    t.keys(&["n"]);
    t.wait_text("result 1/2, hit 2/2");
    t.keys(&["n"]);
    let s = t.wait_text("result 2/2, hit 1/1");
    assert!(s.contains("农村的企业增收"), "{s}");
    t.keys(&["Escape"]);
    t.wait_text("3 hits in 2 articles");
    t.keys(&["Escape"]);
    t.wait_for("the issue view", |s| {
        s.contains("Headlines") && !s.contains("hits in")
    });
}

#[test]
fn a_second_session_returns_to_the_position_and_keeps_the_marks() {
    let state = crate::common::scratch("e2e-memory-state");
    let state_env = state.to_string_lossy().into_owned();
    let env = [("XDG_STATE_HOME", state_env.as_str())];
    let t = Tmux::start("sample-data > /dev/null", 120, 30, &env);
    t.wait_stable("Issues 5");
    // Third issue, its fourth article, marked; then the fifth article, opened.
    t.keys(&["j", "j", "l", "j", "j", "j"]);
    t.wait_text("4/9");
    t.keys(&["Space"]);
    t.wait_text("1 article marked");
    t.keys(&["Enter"]);
    t.wait_text("5/9");
    t.keys(&["q"]);
    assert_eq!(t.wait_exit(), 0, "quits at once: the mark is remembered");
    drop(t);

    let t = Tmux::start("sample-data > /dev/null", 120, 30, &env);
    let s = t.wait_stable("5/9");
    assert!(s.contains(" 4*"), "the mark is back: {s}");
    t.keys(&["q"]);
    assert_eq!(t.wait_exit(), 0);
    drop(t);

    // --fresh starts at the top; the marks are still there.
    let t = Tmux::start("--fresh sample-data > /dev/null", 120, 30, &env);
    let s = t.wait_stable("1/10");
    assert!(s.contains("Issues 5"));
    t.keys(&["j", "j", "l"]);
    let s = t.wait_stable("1/9");
    assert!(s.contains(" 4*"), "{s}");
    drop(t);

    // `kanbao marks` lists it, with the article's date, paper and headline.
    let marks = |extra: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_kanbao"))
            .env("XDG_CACHE_HOME", crate::common::test_cache_home())
            .env("XDG_STATE_HOME", &state)
            .arg("marks")
            .args(extra)
            .arg("sample-data")
            .current_dir(crate::common::root())
            .output()
            .expect("run");
        assert!(out.status.success());
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let text = marks(&[]);
    let rows: Vec<Vec<&str>> = text.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(rows.len(), 1, "{text}");
    assert!(rows[0][0].ends_with("002_a00776a20fa094f5.txt"), "{text}");
    assert_eq!(&rows[0][1..4], ["4", "2022-08-23", "东昌时讯"]);
    assert_eq!(rows[0].len(), 6);
    let json: serde_json::Value = serde_json::from_str(marks(&["--json"]).trim()).expect("json");
    assert_eq!(json["article"], 4);
}

#[test]
fn a_damaged_state_database_leaves_the_reader_usable_with_a_message() {
    let state = crate::common::scratch("e2e-memory-damaged");
    std::fs::create_dir_all(state.join("kanbao")).expect("mkdir");
    std::fs::write(state.join("kanbao/state.sqlite3"), vec![0x5a; 8192]).expect("garbage");
    let state_env = state.to_string_lossy().into_owned();
    let t = Tmux::start(
        "sample-data > /dev/null",
        120,
        30,
        &[("XDG_STATE_HOME", state_env.as_str())],
    );
    let s = t.wait_stable("working without memory");
    assert!(s.contains("not a kanbao state database"), "{s}");
    t.keys(&["j", "l", "Enter"]);
    t.wait_text("1/8");
    t.keys(&["q"]);
    assert_eq!(t.wait_exit(), 0);
}

#[test]
fn two_sessions_marking_at_once_both_keep_their_marks() {
    let state = crate::common::scratch("e2e-memory-two");
    let state_env = state.to_string_lossy().into_owned();
    let env = [("XDG_STATE_HOME", state_env.as_str())];
    let one = Tmux::start("sample-data > /dev/null", 120, 30, &env);
    let two = Tmux::start("sample-data > /dev/null", 120, 30, &env);
    one.wait_stable("Issues 5");
    two.wait_stable("Issues 5");
    // One marks three articles of the first issue, the other three of the second, keys
    // interleaved so the writes overlap.
    one.keys(&["l"]);
    two.keys(&["j", "l"]);
    for _ in 0..3 {
        one.keys(&["Space"]);
        two.keys(&["Space"]);
    }
    one.wait_text("3 articles marked");
    two.wait_text("3 articles marked");
    one.keys(&["q"]);
    two.keys(&["q"]);
    assert_eq!(one.wait_exit(), 0);
    assert_eq!(two.wait_exit(), 0);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kanbao"))
        .env("XDG_CACHE_HOME", crate::common::test_cache_home())
        .env("XDG_STATE_HOME", &state)
        .args(["marks", "sample-data"])
        .current_dir(crate::common::root())
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(text.lines().count(), 6, "{text}");
    assert_eq!(
        text.lines().filter(|l| l.contains("000_")).count(),
        3,
        "{text}"
    );
    assert_eq!(
        text.lines().filter(|l| l.contains("001_")).count(),
        3,
        "{text}"
    );
}

#[test]
fn an_article_read_for_a_few_seconds_is_dimmed_and_counted_and_u_undoes_it() {
    let state = crate::common::scratch("e2e-memory-read");
    let state_env = state.to_string_lossy().into_owned();
    let env = [("XDG_STATE_HOME", state_env.as_str()), ("NO_COLOR", "1")];
    let t = Tmux::start("sample-data > /dev/null", 120, 30, &env);
    t.wait_stable("Issues 5");
    // Second issue (8 articles), its second article opened and left on screen.
    t.keys(&["j", "l", "j", "Enter"]);
    t.wait_text("2/8");
    let s = t.wait_for_within(Duration::from_secs(10), "read after a few seconds", |s| {
        s.contains(" 7/8")
    });
    assert!(s.contains(" 10"), "other issues unchanged: {s}");
    t.keys(&["q"]);
    assert_eq!(t.wait_exit(), 0);
    drop(t);

    // Remembered: counted and dimmed in the next session, until U.
    let t = Tmux::start("sample-data > /dev/null", 120, 30, &env);
    t.wait_stable(" 7/8");
    // Back in the headlines, on the first: the second (read) is drawn dim.
    t.keys(&["h", "k"]);
    t.wait_text("1/8");
    let styled = t.screen_styled();
    let row = styled
        .lines()
        .find(|l| l.contains("  2 "))
        .unwrap_or_else(|| panic!("the second headline: {styled}"));
    assert!(row.contains("\u{1b}[2m"), "dimmed: {row:?}");
    t.keys(&["j", "U"]);
    t.wait_text("marked unread");
    t.wait_for("the count gone", |s| {
        !s.contains(" 7/8") && s.contains(" 8")
    });
}

#[test]
fn e_opens_the_source_in_the_editor_at_the_article_and_comes_back() {
    let dir = crate::common::scratch("e2e-edit");
    let log = dir.join("editor-args");
    let editor = dir.join("fake-editor");
    std::fs::write(
        &editor,
        format!(
            "#!/bin/sh\nprintf '%s\\n' \"$@\" > '{}'\n[ -t 0 ] && echo tty >> '{}'\n",
            log.display(),
            log.display()
        ),
    )
    .expect("write");
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&editor, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    let editor_env = editor.to_string_lossy().into_owned();
    let t = Tmux::start(
        "sample-data > /dev/null",
        120,
        30,
        &[("VISUAL", editor_env.as_str())],
    );
    t.wait_stable("Issues 5");
    t.keys(&["j", "j", "l", "j", "j"]);
    t.wait_text("3/9");
    t.keys(&["e"]);
    t.wait_for_within(Duration::from_secs(10), "the editor ran", |_| log.exists());
    let s = t.wait_stable("3/9");
    assert!(s.contains("Issues 5"), "back in kanbao: {s}");
    let args = std::fs::read_to_string(&log).expect("log");
    let lines: Vec<&str> = args.lines().collect();
    // The third article's first source line, as `kanbao export` reports it.
    let export = crate::common::kanbao(
        &[
            "export",
            "-f",
            "json",
            "sample-data/002_a00776a20fa094f5.txt",
        ],
        &crate::common::root(),
    );
    let value: serde_json::Value = serde_json::from_slice(&export.stdout).expect("json");
    let start = value["issues"][0]["articles"][2]["lines"]["start"]
        .as_u64()
        .expect("line");
    assert_eq!(lines[0], format!("+{start}"), "{args}");
    assert!(
        lines[1].ends_with("sample-data/002_a00776a20fa094f5.txt"),
        "{args}"
    );
    assert_eq!(
        lines.get(2),
        Some(&"tty"),
        "the editor reads the terminal: {args}"
    );
}

#[test]
fn date_on_the_command_line_opens_that_issue() {
    let t = Tmux::start("--date 2022-08-30 sample-data > /dev/null", 120, 30, &[]);
    let s = t.wait_stable("Issues 5");
    let selected = s
        .lines()
        .find(|l| l.contains("▸ 2022-08"))
        .unwrap_or_else(|| panic!("a dated issue selected: {s}"));
    assert!(selected.contains("2022-08-30"), "{selected}");
}

#[test]
fn issues_are_shelved_by_paper_and_month_and_o_reorders_them() {
    let dir = crate::common::scratch("e2e-shelved");
    for (path, title) in [
        ("乙报/2023-06-02.txt", "乙报六月二日"),
        ("乙报/2023-05-30.txt", "乙报五月三十日"),
        ("甲报/2023-06-01.txt", "甲报六月一日"),
        ("甲报/2023-05-31.txt", "甲报五月末"),
    ] {
        let file = dir.join(path);
        std::fs::create_dir_all(file.parent().expect("folder")).expect("mkdir");
        std::fs::write(&file, format!("{title}\n\n正文一段，说了些事情。\n")).expect("write");
    }
    let t = Tmux::start(
        &format!("--order paper --no-index '{}' > /dev/null", dir.display()),
        100,
        16,
        &[],
    );
    let s = t.wait_stable("Issues 4");
    // Rows of the issue pane, left of its right border.
    let pane = |s: &str| -> Vec<String> {
        s.lines()
            .skip(1)
            .take(8)
            .map(|l| {
                let inner: String = l.chars().skip(1).take_while(|c| *c != '│').collect();
                // Indentation kept, the gap before the count closed.
                let indent = inner.len() - inner.trim_start().len();
                let words: Vec<&str> = inner.split_whitespace().collect();
                format!("{}{}", &inner[..indent], words.join(" "))
            })
            .collect()
    };
    let rows = pane(&s);
    assert_eq!(
        rows[..8],
        [
            "甲报",
            " 2023-05",
            "▸ 2023-05-31 甲报 1",
            " 2023-06",
            "  2023-06-01 甲报 1",
            "乙报",
            " 2023-05",
            "  2023-05-30 乙报 1",
        ]
        .map(|r| r.to_string()),
        "{s}"
    );
    // `j` steps over the headers to the next issue.
    t.keys(&["j"]);
    let s = t.wait_for("the second issue selected", |s| s.contains("▸ 2023-06-01"));
    assert!(s.contains("甲报六月一日"), "its headlines show: {s}");
    t.keys(&["o"]);
    let s = t.wait_text("issues by date, across papers");
    let rows = pane(&s);
    assert_eq!(rows[0], " 2023-05", "{s}");
    assert!(rows[1].contains("2023-05-30 乙报"), "{s}");
    assert!(rows[2].contains("2023-05-31 甲报"), "{s}");
    assert!(rows[4].contains("▸ 2023-06-01 甲报"), "selection kept: {s}");
    t.keys(&["o"]);
    t.wait_text("issues by path");
    t.keys(&["q"]);
    assert_eq!(t.wait_exit(), 0);
}

#[test]
fn the_calendar_opens_on_the_issues_day_and_enter_opens_the_day_chosen() {
    let t = Tmux::start("sample-data > /dev/null", 100, 30, &[]);
    t.wait_stable("Issues 5");
    t.keys(&["D"]);
    let s = t.wait_text("日历 2022-08");
    assert!(
        s.contains("[23]") && s.contains("[30]"),
        "issue days marked: {s}"
    );
    assert!(s.contains("2022-08-23 东昌时讯"), "the cursor's day: {s}");
    // A week on from the 23rd is the 30th.
    t.keys(&["j"]);
    t.wait_text("2022-08-30 东昌府讯 总第1465");
    t.keys(&["Enter"]);
    let s = t.wait_for("the calendar closed on the 30th's issue", |s| {
        !s.contains("日历") && s.contains("▸ 2022-08-30")
    });
    assert!(s.contains("Headlines 8"), "{s}");
    // Typed: the cursor follows, and a month with no issue opens the nearest.
    t.keys(&["D"]);
    t.wait_text("日历 2022-08");
    t.type_text("2022-10");
    t.wait_text("日历 2022-10 · 0 issues");
    t.keys(&["Enter"]);
    t.wait_text("no issue of 2022-10: the nearest is 2022-08-30");
    t.keys(&["q"]);
    assert_eq!(t.wait_exit(), 0);
}

#[test]
fn a_note_is_written_kept_across_sessions_and_listed_with_the_marks() {
    let state = crate::common::scratch("e2e-memory-notes");
    let state_env = state.to_string_lossy().into_owned();
    let env = [("XDG_STATE_HOME", state_env.as_str())];
    let t = Tmux::start("sample-data > /dev/null", 120, 30, &env);
    t.wait_stable("Issues 5");
    // Second issue, third article, in the body.
    t.keys(&["j", "l", "j", "j", "Enter"]);
    t.wait_text("3/8");
    t.keys(&["a"]);
    t.wait_text("注 Note");
    t.type_text("核对原版");
    t.keys(&["Enter"]);
    t.type_text("第二行 jk");
    t.keys(&["Escape"]);
    let s = t.wait_text("note saved");
    assert!(s.contains("【注】核对原版"), "shown under the header: {s}");
    assert!(s.contains("第二行 jk"), "{s}");
    t.keys(&["q"]);
    assert_eq!(t.wait_exit(), 0);
    drop(t);

    let t = Tmux::start("sample-data > /dev/null", 120, 30, &env);
    let s = t.wait_stable("3/8");
    assert!(s.contains("【注】核对原版"), "the note is back: {s}");
    // `M` lists the article the note marked, the note in place of its opening words.
    t.keys(&["M"]);
    let s = t.wait_text("1 marked article");
    assert!(s.contains("【注】核对原版 …"), "{s}");
    t.keys(&["q"]);
    assert_eq!(t.wait_exit(), 0);
    drop(t);

    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kanbao"))
        .env("XDG_CACHE_HOME", crate::common::test_cache_home())
        .env("XDG_STATE_HOME", &state)
        .args(["marks", "sample-data"])
        .current_dir(crate::common::root())
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    let rows: Vec<Vec<&str>> = text.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(rows.len(), 1, "{text}");
    assert_eq!(rows[0][1], "3");
    assert_eq!(rows[0][5], "核对原版\\n第二行 jk", "{text}");
}

#[test]
fn a_read_only_state_database_leaves_the_reader_usable_with_a_message() {
    use std::os::unix::fs::PermissionsExt;
    let state = crate::common::scratch("e2e-memory-read-only");
    let state_env = state.to_string_lossy().into_owned();
    let env = [("XDG_STATE_HOME", state_env.as_str())];
    // A first session makes the database (and marks an article).
    let t = Tmux::start("--no-index sample-data > /dev/null", 120, 30, &env);
    t.wait_stable("Issues 5");
    t.keys(&["l", "Space"]);
    t.wait_text("1 article marked");
    t.keys(&["q"]);
    assert_eq!(t.wait_exit(), 0);
    drop(t);
    // Then it cannot be written: the file, and the folder its journal would be made in.
    let folder = state.join("kanbao");
    for entry in std::fs::read_dir(&folder).expect("state folder") {
        let path = entry.expect("entry").path();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).expect("chmod");
    }
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o555)).expect("chmod");
    // Writable again at the end, pass or fail, so the scratch folder can be removed.
    struct Writable(std::path::PathBuf);
    impl Drop for Writable {
        fn drop(&mut self) {
            let _ = std::fs::set_permissions(&self.0, std::fs::Permissions::from_mode(0o755));
        }
    }
    let _writable = Writable(folder.clone());
    // Permission bits do not stop root: then kanbao runs as `nobody`, as another user would.
    // SAFETY: geteuid has no preconditions.
    let root = unsafe { libc::geteuid() } == 0;
    let runner = if root {
        "setpriv --reuid=65534 --regid=65534 --clear-groups"
    } else {
        ""
    };
    // A home of its own: root's is closed to another user.
    let home = crate::common::scratch("e2e-memory-read-only-home");
    let home_env = home.to_string_lossy().into_owned();
    let env = [
        ("XDG_STATE_HOME", state_env.as_str()),
        ("HOME", home_env.as_str()),
        ("XDG_CONFIG_HOME", home_env.as_str()),
    ];
    let t = Tmux::start_run_by(runner, "--no-index sample-data > /dev/null", 120, 30, &env);
    let s = t.wait_stable("Issues 5");
    // Said once, at the start, with the reason first (the status line cuts the path).
    assert!(
        s.contains("working without memory: cannot be written"),
        "{s}"
    );
    // Reading and marking go on, for this session.
    t.keys(&["j", "l", "Space"]);
    t.wait_text("1 article marked");
    t.keys(&["Enter"]);
    t.wait_text("2/8");
    // Without memory, quitting with a mark asks first: the mark would be lost.
    t.keys(&["q"]);
    t.wait_text("will be lost");
    t.keys(&["y"]);
    assert_eq!(t.wait_exit(), 0);
}

#[test]
fn a_reader_listed_from_its_index_shows_files_added_and_removed_since() {
    let dir = crate::common::scratch("e2e-listed");
    for i in 0..16 {
        std::fs::write(
            dir.join(format!("{i:03}.txt")),
            format!("第{i}号标题\n\n第{i}篇正文，说的是第{i}件事。\n"),
        )
        .expect("write");
    }
    // A first run writes the index (and what it learned of the layout).
    let out = crate::common::kanbao(
        &["list", dir.to_str().expect("utf-8")],
        &crate::common::root(),
    );
    assert!(out.status.success());
    // Past the files the layout is learned from: one new, one gone.
    std::fs::write(
        dir.join("0145.txt"),
        "新来的标题\n\n新的正文，说的是另一件事。\n",
    )
    .expect("write");
    std::fs::remove_file(dir.join("015.txt")).expect("remove");
    let t = Tmux::start(&format!("'{}' > /dev/null", dir.display()), 120, 30, &[]);
    // The index's 16, then the walk's word: 17 slots, the new one in its place by path and
    // the gone one marked.
    let s = t.wait_for("the walk taken in and the new file read", |s| {
        s.contains("Issues 17") && s.contains("新来的标题")
    });
    let rows: Vec<&str> = s.lines().collect();
    let new_at = rows
        .iter()
        .position(|l| l.contains("新来的标题"))
        .expect(&s);
    // (What recurs in every issue, `第#号标题`, is learned as furniture: the labels are the
    // texts' first lines.)
    let after = rows
        .iter()
        .position(|l| l.contains("第14篇正文"))
        .expect(&s);
    assert_eq!(new_at, after + 1, "between 014 and the gone 015: {s}");
    assert!(
        rows[new_at + 1].contains("015.txt") && rows[new_at + 1].contains('✗'),
        "{s}"
    );
    t.keys(&["E"]);
    // (The reason may wrap with a long path.)
    let s = t.wait_text("1 could not be read — q close");
    assert!(s.contains("015.txt") && s.contains("no longer"), "{s}");
    t.keys(&["q"]);
    t.keys(&["q"]);
    assert_eq!(t.wait_exit(), 0);
}

#[test]
fn a_fresh_start_selects_the_top_of_the_list_in_its_order() {
    // The samples by paper: the first paper's issue heads the list, and is selected.
    let t = Tmux::start(
        "--order paper --fresh sample-data > /dev/null",
        120,
        30,
        &[],
    );
    let s = t.wait_stable("Issues 5");
    let first = s
        .lines()
        .find(|l| l.contains("2022-08-30"))
        .expect("the 2022-08-30 issue is listed");
    assert!(first.contains("▸ 2022-08-30"), "{s}");
    assert!(s.contains("Headlines 8"), "{s}");
    t.keys(&["q"]);
    assert_eq!(t.wait_exit(), 0);
}
