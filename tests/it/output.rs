//! Articles out of the reader: printed to stdout like fzf, piped, run, copied, saved.

use crate::common::{kanbao, root};
use crate::tmux::Tmux;

fn cat(path: &str, n: usize) -> String {
    let out = kanbao(&["cat", path, "--article", &n.to_string()], &root());
    String::from_utf8(out.stdout).expect("utf-8")
}

const ISSUE_002: &str = "sample-data/002_a00776a20fa094f5.txt";

#[test]
fn p_prints_the_article_to_redirected_stdout() {
    let t = Tmux::start("sample-data", 120, 30, &[]);
    t.wait_text("Issues 5");
    // The third issue (002), its second article.
    t.keys(&["j", "j", "l", "j"]);
    t.wait_text("2/9");
    t.keys(&["p"]);
    assert_eq!(t.wait_exit(), 0);
    assert_eq!(t.file("stdout"), cat(ISSUE_002, 2));
}

#[test]
fn marks_across_two_issues_print_in_archive_order() {
    let t = Tmux::start("sample-data", 120, 30, &[]);
    t.wait_text("Issues 5");
    // Mark article 3 of the last issue first, then article 1 of the first issue.
    t.keys(&["G", "l", "j", "j", "Space"]);
    t.wait_text("1 marked");
    t.keys(&["h", "g", "g", "l", "Space"]);
    let s = t.wait_stable("2 marked");
    assert!(
        s.contains(" 1*"),
        "the mark shows in the headline list:\n{s}"
    );
    t.keys(&["p"]);
    assert_eq!(t.wait_exit(), 0);
    let want = format!(
        "{}\n{}",
        cat("sample-data/000_29319c79bb470c97.txt", 1),
        cat("sample-data/004_e8093578dd25d79e.txt", 3)
    );
    assert_eq!(t.file("stdout"), want);
}

#[test]
fn json_format_prints_one_array() {
    let t = Tmux::start("--format json sample-data", 120, 30, &[]);
    t.wait_text("Issues 5");
    t.keys(&["l", "Space", "Space", "p"]);
    assert_eq!(t.wait_exit(), 0);
    let value: serde_json::Value = serde_json::from_str(&t.file("stdout")).expect("json");
    assert_eq!(value.as_array().map(Vec::len), Some(2));
}

#[test]
fn pipe_shows_the_commands_output_and_status() {
    let t = Tmux::start("sample-data", 120, 30, &[]);
    t.wait_text("Issues 5");
    t.keys(&["j", "j", "l", "j", "|"]);
    t.wait_text("pipe to:");
    t.type_text("wc -m");
    t.keys(&["Enter"]);
    let count = cat(ISSUE_002, 2).chars().count();
    let s = t.wait_stable("(exited 0)");
    assert!(
        s.lines().any(|l| l.contains(&format!("│{count} "))),
        "wc -m should show {count}:\n{s}"
    );
    assert!(s.contains("`wc -m` exited 0"), "{s}");
    // History: the next prompt recalls the command with Up.
    t.keys(&["q", "|", "Up"]);
    t.wait_text("pipe to: |wc -m");
    t.escape();
    t.keys(&["q"]);
    assert_eq!(t.wait_exit(), 0);
    assert_eq!(t.file("stdout"), "");
}

#[test]
fn bang_suspends_and_resumes_with_the_screen_restored() {
    let t = Tmux::start("sample-data", 100, 24, &[]);
    t.wait_text("Issues 5");
    t.keys(&["!"]);
    t.wait_text("run: !");
    t.type_text("head -1; echo SUSPENDED-HERE");
    t.keys(&["Enter"]);
    let s = t.wait_stable("Press any key to return");
    assert!(
        s.contains("SUSPENDED-HERE") && s.contains("我省印发专项行动方案"),
        "{s}"
    );
    assert!(!t.alternate_screen(), "the reader should be suspended");
    t.keys(&["x"]);
    t.wait_text("`head -1; echo SUSPENDED-HERE` exited 0");
    let s = t.stable();
    assert!(t.alternate_screen());
    let panes: String = s
        .lines()
        .take(s.lines().count().saturating_sub(1))
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        panes.contains("Issues 5") && !panes.contains("SUSPENDED-HERE"),
        "{s}"
    );
    crate::tmux::assert_aligned(&s, 100, kanbao::text::AmbiguousWidth::Narrow, '│');
    t.keys(&["q"]);
    assert_eq!(t.wait_exit(), 0);
    assert_eq!(
        t.file("stdout"),
        "",
        "a command's output must not reach kanbao's stdout"
    );
}

#[test]
fn an_issue_on_stdin_with_keys_from_the_terminal() {
    let t = Tmux::start(&format!("< {ISSUE_002}"), 100, 24, &[]);
    t.wait_text("东昌时讯");
    t.keys(&["l", "p"]);
    assert_eq!(t.wait_exit(), 0);
    assert_eq!(t.file("stdout"), cat(ISSUE_002, 1));
}

#[test]
fn yank_copies_the_article_into_tmuxs_clipboard() {
    let t = Tmux::start("sample-data", 100, 24, &[]);
    t.set_option("set-clipboard", "on");
    t.wait_text("Issues 5");
    t.keys(&["l", "y"]);
    let want = cat("sample-data/000_29319c79bb470c97.txt", 1);
    t.wait_text(&format!(
        "copied article: {} characters",
        want.chars().count()
    ));
    assert_eq!(t.paste_buffer(), want);
    t.keys(&["Y"]);
    t.wait_text("copied headline");
    assert_eq!(
        t.paste_buffer(),
        "我省印发专项行动方案 加快制造业数字化转型提质提速提效"
    );
    t.keys(&["q"]);
    assert_eq!(t.wait_exit(), 0);
}

#[test]
fn save_never_overwrites_without_asking() {
    let t = Tmux::start("sample-data", 100, 24, &[]);
    let target = t.dir.join("saved.txt");
    t.wait_text("Issues 5");
    t.keys(&["l", "s"]);
    t.wait_text("save to:");
    t.type_text(target.to_str().expect("path"));
    // The whole path is in the prompt before Enter (keys typed under load arrive late).
    t.wait_text("saved.txt");
    t.keys(&["Enter"]);
    t.wait_text("saved ");
    let first = cat("sample-data/000_29319c79bb470c97.txt", 1);
    assert_eq!(std::fs::read_to_string(&target).expect("saved"), first);
    // Again, from another article: it asks, and "n" keeps the file.
    t.keys(&["j", "s"]);
    t.type_text(target.to_str().expect("path"));
    // The whole path is in the prompt before Enter (keys typed under load arrive late).
    t.wait_text("saved.txt");
    t.keys(&["Enter"]);
    t.wait_text("overwrite? (y/N)");
    t.type_text("n");
    t.keys(&["Enter"]);
    t.wait_text("not saved");
    assert_eq!(std::fs::read_to_string(&target).expect("kept"), first);
    // A source issue is never overwritten.
    t.keys(&["s"]);
    t.type_text("sample-data/000_29319c79bb470c97.txt");
    t.keys(&["Enter"]);
    t.wait_text("not overwritten");
    t.keys(&["q"]);
    assert_eq!(t.wait_exit(), 0);
}

#[test]
fn save_refuses_a_hard_link_of_an_issue_and_a_fifo() {
    let dir = crate::common::scratch("save-link");
    let issue = dir.join("issue.txt");
    let original = std::fs::read(root().join(ISSUE_002)).expect("sample");
    std::fs::write(&issue, &original).expect("write");
    let elsewhere = crate::common::scratch("save-link-elsewhere");
    let link = elsewhere.join("link.txt");
    std::fs::hard_link(&issue, &link).expect("hard link");
    let fifo = elsewhere.join("pipe.txt");
    let status = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo");
    assert!(status.success());

    let t = Tmux::start(issue.to_str().expect("path"), 120, 30, &[]);
    t.wait_text("Issues 1");
    t.keys(&["l", "s"]);
    t.wait_text("save to:");
    t.type_text(link.to_str().expect("path"));
    t.wait_text("link.txt");
    t.keys(&["Enter"]);
    // Refused as the issue itself is, before any "overwrite?" question.
    t.wait_text("not overwritten");
    assert_eq!(std::fs::read(&issue).expect("issue"), original);

    t.keys(&["s"]);
    t.wait_text("save to:");
    t.type_text(fifo.to_str().expect("path"));
    t.wait_text("pipe.txt");
    t.keys(&["Enter"]);
    t.wait_text("not a regular file");
    // Still answering keys.
    t.keys(&["q"]);
    assert_eq!(t.wait_exit(), 0);
    assert_eq!(std::fs::read(&issue).expect("issue"), original);
}

#[test]
fn bang_gives_the_command_a_terminal_it_can_read_from_stderr() {
    // What `vim -` does: the article on stdin, the keyboard read from stderr.
    // The script travels in the environment so that the command line stays short: a long
    // scratch path would wrap the "Press any key" line and truncate the status line.
    let ask = "import os, sys\n\
               n = len(sys.stdin.read())\n\
               os.write(2, b\"ASK> \")\n\
               r = os.read(2, 64).decode().strip()\n\
               print(\"READ\", r, \"AFTER\", n)\n";
    let t = Tmux::start("sample-data", 100, 24, &[("KANBAO_TEST_ASK", ask)]);
    t.wait_text("Issues 5");
    t.keys(&["!"]);
    t.wait_text("run: !");
    t.type_text("python3 -c \"$KANBAO_TEST_ASK\"");
    t.keys(&["Enter"]);
    t.wait_text("ASK>");
    t.type_text("hello");
    t.keys(&["Enter"]);
    let s = t.wait_stable("Press any key to return");
    assert!(s.contains("READ hello AFTER"), "{s}");
    t.keys(&["x"]);
    t.wait_text("exited 0");
    t.keys(&["q"]);
    assert_eq!(t.wait_exit(), 0);
}

#[test]
fn ctrl_c_in_a_bang_command_ends_the_command_not_kanbao() {
    let t = Tmux::start("sample-data", 100, 24, &[]);
    t.wait_text("Issues 5");
    t.keys(&["Space", "!"]);
    t.wait_text("run: !");
    // Quoted so that the prompt's echo of the command line cannot pass for the output.
    t.type_text("echo ST'A'RTED; sleep 30");
    t.keys(&["Enter"]);
    t.wait_text("STARTED");
    t.keys(&["C-c"]);
    t.wait_stable("Press any key to return");
    t.keys(&["x"]);
    t.wait_text("Issues 5");
    assert!(t.alternate_screen(), "kanbao is back");
    // The mark survived: `p` prints the marked article.
    t.keys(&["p"]);
    assert_eq!(t.wait_exit(), 0);
    assert!(t.file("stdout").contains("我省印发专项行动方案"));
}

#[test]
fn a_running_pipe_leaves_the_reader_live_and_esc_stops_it() {
    let t = Tmux::start("sample-data", 120, 30, &[]);
    t.wait_text("Issues 5");
    t.keys(&["|"]);
    t.wait_text("pipe to:");
    t.type_text("echo SO-FAR; sleep 60 & sleep 60");
    t.keys(&["Enter"]);
    t.wait_text("running `echo SO-FAR");
    // Keys still work while it runs.
    t.keys(&["j"]);
    t.wait_text("领跑亩均效益");
    t.keys(&["Escape"]);
    let s = t.wait_stable("stopped (output so far shown)");
    assert!(s.contains("SO-FAR"), "{s}");
    t.keys(&["q", "q"]);
    assert_eq!(t.wait_exit(), 0);
}

#[test]
fn a_background_child_does_not_hold_a_pipe_and_sigterm_ends_a_running_one() {
    let t = Tmux::start("sample-data", 120, 30, &[]);
    t.wait_text("Issues 5");
    t.keys(&["|"]);
    t.wait_text("pipe to:");
    t.type_text("sleep 70 & echo hi");
    t.keys(&["Enter"]);
    let s = t.wait_stable("exited 0");
    assert!(s.lines().any(|l| l.contains("│hi ")), "{s}");
    t.keys(&["q", "|"]);
    t.wait_text("pipe to:");
    t.type_text("sleep 60");
    t.keys(&["Enter"]);
    t.wait_text("running `sleep 60`");
    let status = std::process::Command::new("kill")
        .args(["-TERM", &t.kanbao_pid().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    assert_eq!(t.wait_exit(), 143);
}

#[test]
fn prompts_take_one_line_and_readline_keys() {
    let t = Tmux::start("sample-data", 120, 30, &[]);
    t.wait_text("Issues 5");
    t.keys(&["|"]);
    t.wait_text("pipe to:");
    t.type_text("echo abc");
    // C-j must not start a hidden second line.
    t.keys(&["C-j"]);
    t.type_text("def two");
    t.wait_text("echo abcdef two");
    // C-w deletes the word before the cursor; C-a, C-e and C-k move and kill.
    t.keys(&["C-w"]);
    t.wait_for("the word deleted", |s| {
        s.lines()
            .last()
            .is_some_and(|l| l.trim_end().ends_with("|echo abcdef"))
    });
    t.keys(&["C-a", "C-k"]);
    t.wait_for("the line killed", |s| {
        s.lines()
            .last()
            .is_some_and(|l| l.trim_end().ends_with("pipe to: |"))
    });
    t.type_text("printf one; printf X");
    t.keys(&["C-u"]);
    t.type_text("echo kept");
    t.keys(&["C-a"]);
    t.type_text("true; ");
    t.keys(&["C-e"]);
    t.type_text("!");
    t.keys(&["Enter"]);
    let s = t.wait_stable("exited 0");
    assert!(s.contains("kept!"), "ran `true; echo kept!`:\n{s}");
    t.keys(&["q", "q"]);
    assert_eq!(t.wait_exit(), 0);
}
