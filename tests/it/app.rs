//! The reader's state machine without a terminal, in the style of television's `tests/app.rs`:
//! keys in, state out. Drawing is tested in `render.rs`, the real terminal in `e2e.rs`.

use kanbao::app::{App, Focus};
use kanbao::keymap::{Context, Key, load_base};
use kanbao::library::order::Order;
use kanbao::library::samples::builtin_archive;
use kanbao::text::AmbiguousWidth;

/// The reader on the five built-in issues with the vim keymap, listed in path order (as the
/// tests below count them; ordering has tests of its own).
fn app() -> App {
    let mut app = App::new(
        builtin_archive(),
        load_base("vim").expect("vim"),
        AmbiguousWidth::Narrow,
    );
    app.set_issue_order(Order::Path, true);
    app
}

fn press(app: &mut App, keys: &[&str]) {
    for k in keys {
        app.handle_key(Key::parse(k).expect("key"));
    }
}

#[test]
fn a_count_repeats_a_move_and_stops_at_the_end() {
    let mut app = app();
    press(&mut app, &["3", "j"]);
    assert_eq!(app.issue, 3);
    press(&mut app, &["9", "j"]);
    assert_eq!(app.issue, 4, "clamped at the last issue");
    press(&mut app, &["2", "k"]);
    assert_eq!(app.issue, 2);
}

#[test]
fn g_with_a_count_goes_to_that_line_without_it_to_the_end() {
    let mut app = app();
    press(&mut app, &["l"]);
    assert_eq!(app.focus, Focus::Articles);
    press(&mut app, &["5", "G"]);
    assert_eq!(app.article, 4, "5G is the fifth headline");
    press(&mut app, &["G"]);
    let last = app.current_summary().expect("issue").headlines.len() - 1;
    assert_eq!(app.article, last);
    press(&mut app, &["g", "g"]);
    assert_eq!(app.article, 0);
}

#[test]
fn marking_advances_and_a_count_marks_several() {
    let mut app = app();
    press(&mut app, &["l", "<Space>"]);
    assert!(app.marks.contains(&kanbao::app::ArticleId {
        issue: 0,
        article: 0
    }));
    assert_eq!(app.article, 1, "Space marks and moves on");
    press(&mut app, &["3", "<Space>"]);
    assert_eq!(app.marks.len(), 4);
    assert_eq!(app.article, 4);
    // Marking again unmarks.
    press(&mut app, &["k", "<Space>"]);
    assert_eq!(app.marks.len(), 3);
}

#[test]
fn cancelling_a_jump_returns_to_where_it_started() {
    let mut app = app();
    press(&mut app, &["j", "l", "j", "j"]);
    let start = (app.issue, app.article);
    press(&mut app, &["F"]);
    assert!(app.jump().is_some());
    for c in "caoxian".chars() {
        press(&mut app, &[&c.to_string()]);
    }
    // Moving through the results previews them; Esc goes back.
    press(&mut app, &["<Down>", "<Esc>"]);
    assert!(app.jump().is_none());
    assert_eq!((app.issue, app.article), start);
    // Enter goes to the hit.
    press(&mut app, &["F"]);
    for c in "caoxian".chars() {
        press(&mut app, &[&c.to_string()]);
    }
    press(&mut app, &["<Enter>"]);
    assert!(app.jump().is_none());
    let title = &app.current_summary().expect("issue").headlines[app.article].title;
    assert!(title.contains("曹县"), "{title}");
}

#[test]
fn the_overwrite_prompt_keeps_the_file_unless_told_yes() {
    let dir = std::env::temp_dir().join(format!("kanbao-app-save-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let target = dir.join("saved.txt");
    std::fs::write(&target, "before").expect("write");
    let path = target.to_str().expect("utf-8");
    let mut app = app();
    press(&mut app, &["l", "s"]);
    for c in path.chars() {
        press(&mut app, &[&c.to_string()]);
    }
    press(&mut app, &["<Enter>"]);
    assert_eq!(app.context(), Context::Prompt, "asks before overwriting");
    press(&mut app, &["n", "<Enter>"]);
    assert_eq!(std::fs::read_to_string(&target).expect("read"), "before");
    assert!(app.message.as_deref().unwrap_or("").contains("not saved"));
    press(&mut app, &["s"]);
    for c in path.chars() {
        press(&mut app, &[&c.to_string()]);
    }
    press(&mut app, &["<Enter>", "y", "<Enter>"]);
    let saved = std::fs::read_to_string(&target).expect("read");
    assert_ne!(saved, "before");
    assert!(saved.contains("我省印发专项行动方案"), "{saved}");
}

#[test]
fn popups_take_keys_in_priority_order() {
    let mut app = app();
    assert_eq!(app.context(), Context::Issues);
    press(&mut app, &["?"]);
    assert_eq!(app.context(), Context::Help);
    // `/` in help opens its filter prompt, which takes the keys before help does.
    press(&mut app, &["/"]);
    assert_eq!(app.context(), Context::Prompt);
    press(&mut app, &["<Esc>"]);
    assert_eq!(app.context(), Context::Help);
    press(&mut app, &["q"]);
    assert_eq!(app.context(), Context::Issues);
    assert!(!app.should_quit, "q closed help, it did not quit");
    // The jump box takes every printable key, `q` included.
    press(&mut app, &["F", "q"]);
    assert_eq!(app.context(), Context::Jump);
    assert!(!app.should_quit);
}

/// What a `|` command printed, as the event loop reports it.
fn finished(app: &mut App, stdout: &str) {
    app.command_finished(
        "wc -m",
        true,
        Ok(kanbao::app::CommandResult {
            status: Some(0),
            stdout: stdout.into(),
            ..Default::default()
        }),
    );
}

#[test]
fn output_that_arrives_while_typing_waits_beneath() {
    let mut app = app();
    // A background command finishes while the jump box is open: the keys stay in the box.
    press(&mut app, &["F", "x"]);
    finished(&mut app, "42");
    assert_eq!(app.context(), Context::Jump);
    assert_eq!(app.jump().expect("jump box").query, "x");
    press(&mut app, &["<Esc>"]);
    assert_eq!(
        app.context(),
        Context::Help,
        "the output shows once the box closes"
    );
    assert_eq!(app.output().expect("output").lines, ["42"]);
    // q closes the output. Output arriving over the help filter waits beneath its prompt.
    press(&mut app, &["q", "?", "/", "a", "b"]);
    assert_eq!(app.help().expect("help").filter, "ab");
    finished(&mut app, "7");
    assert_eq!(app.context(), Context::Prompt);
    press(&mut app, &["<Esc>"]);
    assert_eq!(
        app.help().expect("help").filter,
        "",
        "Esc clears the filter"
    );
    assert_eq!(app.output().expect("output").lines, ["7"]);
    press(&mut app, &["q"]);
    assert!(app.output().is_none() && app.help().is_some());
    press(&mut app, &["q"]);
    assert_eq!(app.context(), Context::Issues);
    // A second output replaces the first rather than stacking.
    finished(&mut app, "1");
    finished(&mut app, "2");
    assert_eq!(app.popups.len(), 1);
    assert_eq!(app.output().expect("output").lines, ["2"]);
}

/// Occurrences of `needle` in every article of the built-in issues, counted from the text the
/// way the search does for a plain two-character run: as a substring of the article's lines
/// joined without line breaks (a column break does not split a word).
fn expected_hits(needle: &str) -> (usize, usize) {
    let archive = builtin_archive();
    let (mut total, mut articles) = (0, 0);
    for issue in &archive.issues {
        for article in &issue.articles {
            let doc = kanbao::fulltext::scan::document(article);
            let n = doc.text.replace('\n', "").matches(needle).count();
            total += n;
            articles += usize::from(n > 0);
        }
    }
    (total, articles)
}

#[test]
fn searching_the_archive_lists_results_opens_at_hits_and_steps_on() {
    let mut app = app();
    press(&mut app, &["j", "S"]);
    for c in "曹县".chars() {
        press(&mut app, &[&c.to_string()]);
    }
    press(&mut app, &["<Enter>"]);
    let results = app.results.as_ref().expect("results");
    let (total, articles) = expected_hits("曹县");
    assert!(total > 3, "the samples mention it");
    assert_eq!(results.total, total);
    assert_eq!(
        results.rows.iter().filter(|r| r.article.is_some()).count(),
        articles
    );
    assert_eq!(app.focus, Focus::Articles);
    let rows = results.rows.len();
    let first = results.rows[0].clone();
    assert!(first.kwic.as_ref().is_some_and(|k| k.hit == "曹县"));
    // The body previews the selected result.
    assert_eq!((app.issue, Some(app.article)), (first.issue, first.article));
    // Enter opens the first result at its first hit.
    press(&mut app, &["<Enter>"]);
    assert_eq!(app.focus, Focus::Body);
    assert_eq!((app.issue, Some(app.article)), (first.issue, first.article));
    assert_eq!(app.hits().len(), first.hits, "every hit highlighted");
    assert_eq!(app.current_hit(), Some(0));
    // n through the article's hits, then on into the next result.
    for _ in 0..first.hits {
        press(&mut app, &["n"]);
    }
    assert_eq!(app.results.as_ref().expect("results").selected, 1);
    assert_eq!(app.current_hit(), Some(0));
    // N goes back into the previous result, at its last hit.
    press(&mut app, &["N"]);
    assert_eq!(app.results.as_ref().expect("results").selected, 0);
    assert_eq!(app.current_hit(), Some(first.hits - 1));
    // Esc: back to the results; again: back to the issue view.
    press(&mut app, &["<Esc>"]);
    assert_eq!(app.focus, Focus::Articles);
    assert!(app.results.is_some());
    press(&mut app, &["G"]);
    assert_eq!(app.results.as_ref().expect("results").selected, rows - 1);
    press(&mut app, &["<Esc>"]);
    assert!(app.results.is_none() && app.search.is_none());
    assert_eq!(
        (app.issue, app.article, app.focus),
        (1, 0, Focus::Issues),
        "where it was"
    );
}

#[test]
fn results_are_marked_reordered_and_a_bad_query_is_explained() {
    let mut app = app();
    press(&mut app, &["S"]);
    for c in "记者".chars() {
        press(&mut app, &[&c.to_string()]);
    }
    press(&mut app, &["<Enter>"]);
    let results = app.results.as_ref().expect("results");
    let most = results.rows.iter().map(|r| r.hits).max().expect("rows");
    press(&mut app, &["o"]);
    let results = app.results.as_ref().expect("results");
    assert!(results.by_hits);
    assert_eq!(results.rows[0].hits, most);
    assert!(results.rows.windows(2).all(|w| w[0].hits >= w[1].hits));
    // Space marks the selected result's article and moves on; the marks are the selection.
    let first = results.selected_article().expect("an article");
    press(&mut app, &["<Space>"]);
    assert!(app.marks.contains(&first));
    assert_eq!(app.results.as_ref().expect("results").selected, 1);
    assert_eq!(app.selection(), vec![first]);
    // A query that does not parse: a message with the column, the results kept.
    press(&mut app, &["S", "\"", "a", "<Enter>"]);
    assert!(
        app.message
            .as_deref()
            .is_some_and(|m| m.contains("column 1")),
        "{:?}",
        app.message
    );
    assert!(app.results.is_some());
}

#[test]
fn c_copies_the_citation_of_the_article_or_of_the_marked_ones() {
    let mut app = app();
    press(&mut app, &["j", "j", "c"]);
    let Some(kanbao::app::Request::Yank { text, label }) = app.request.take() else {
        panic!("a yank");
    };
    assert_eq!(label, "citation");
    let issue = app.current_issue().expect("issue");
    let title = issue.articles[0].title.clone().expect("a title");
    assert!(
        text.starts_with(&title) || text.contains(&format!(". {title}")),
        "{text}"
    );
    assert!(
        text.ends_with(&format!(
            "[N]. {}, {}.",
            issue.paper.clone().expect("paper"),
            issue.date.clone().expect("date")
        )),
        "{text}"
    );
    press(&mut app, &["l", "<Space>", "<Space>", "c"]);
    let Some(kanbao::app::Request::Yank { text, label }) = app.request.take() else {
        panic!("a yank");
    };
    assert_eq!(label, "2 citations");
    assert_eq!(text.lines().count(), 2);
}

#[test]
fn u_toggles_the_read_state_of_the_article() {
    let mut app = app();
    press(&mut app, &["j", "l", "<Enter>", "U"]);
    let id = app.article_id();
    assert!(app.reads.contains(&id));
    assert_eq!(app.message.as_deref(), Some("marked read"));
    press(&mut app, &["U"]);
    assert!(!app.reads.contains(&id));
}

#[test]
fn gy_copies_the_article_with_its_source_line() {
    let mut app = app();
    press(&mut app, &["j", "j", "g", "y"]);
    let Some(kanbao::app::Request::Yank { text, .. }) = app.request.take() else {
        panic!("a yank");
    };
    let last = text.trim_end().lines().last().expect("lines");
    assert!(last.starts_with("来源："), "{last}");
    assert!(
        last.contains(&app.library.slot(app.issue).expect("slot").source),
        "{last}"
    );
    press(&mut app, &["y"]);
    let Some(kanbao::app::Request::Yank { text, .. }) = app.request.take() else {
        panic!("a yank");
    };
    assert!(!text.contains("来源："), "plain y has no source line");
}

#[test]
fn m_lists_the_marked_articles_of_the_archive_and_opens_them() {
    let mut app = app();
    press(&mut app, &["M"]);
    assert!(app.results.is_none());
    assert!(
        app.message
            .as_deref()
            .is_some_and(|m| m.contains("no articles marked"))
    );
    // The second article of issue 1, the first of issue 3.
    press(
        &mut app,
        &["l", "j", "<Space>", "h", "j", "j", "l", "<Space>", "h"],
    );
    assert_eq!(app.marks.len(), 2);
    press(&mut app, &["M"]);
    let results = app.results.as_ref().expect("the list");
    assert!(results.marked);
    let mut listed: Vec<(usize, Option<usize>)> =
        results.rows.iter().map(|r| (r.issue, r.article)).collect();
    listed.sort();
    assert_eq!(listed, [(0, Some(1)), (2, Some(0))]);
    assert!(results.rows.iter().all(|r| r.kwic.is_some()));
    press(&mut app, &["<Enter>"]);
    assert_eq!(app.focus, Focus::Body);
    let first = &app.results.as_ref().expect("list").rows[0];
    assert_eq!((app.issue, Some(app.article)), (first.issue, first.article));
    assert!(app.search.is_none(), "nothing to highlight");
    press(&mut app, &["<Esc>", "<Esc>"]);
    assert!(app.results.is_none());
}

#[test]
fn d_goes_to_the_issue_of_a_date_or_the_nearest() {
    let mut app = app();
    let dated: Vec<(usize, String)> = app
        .library
        .summaries()
        .filter_map(|(slot, s)| Some((slot, s.date.clone()?)))
        .collect();
    assert_eq!(dated.len(), 2, "two of the samples are dated: {dated:?}");
    let type_date = |app: &mut App, date: &str| {
        press(app, &["D"]);
        for c in date.chars() {
            press(app, &[&c.to_string()]);
        }
        press(app, &["<Enter>"]);
    };
    type_date(&mut app, &dated[1].1);
    assert_eq!(app.issue, dated[1].0);
    assert_eq!(app.focus, Focus::Articles);
    // A day between the two, nearer the first; a month; far before both.
    type_date(&mut app, "2022-08-24");
    assert_eq!(app.issue, dated[0].0);
    assert!(
        app.message
            .as_deref()
            .is_some_and(|m| m.contains("nearest"))
    );
    type_date(&mut app, "2022-08");
    assert_eq!(app.issue, dated[0].0);
    assert_eq!(app.message.as_deref(), Some(dated[0].1.as_str()));
    type_date(&mut app, "2022-13");
    assert!(
        app.message
            .as_deref()
            .is_some_and(|m| m.contains("not a date"))
    );
}

/// Issues of two papers filed by folder with dated names, one undated: slots are path order.
fn shelved() -> App {
    let issues = [
        ("a/乙报/2023-06-02.txt", "乙报六月二日"),   // slot 0
        ("a/乙报/2023-05-30.txt", "乙报五月三十日"), // 1
        ("a/甲报/2023-06-01.txt", "甲报六月一日"),   // 2
        ("a/甲报/2023-05-31.txt", "甲报五月末"),     // 3
        ("a/甲报/undated.txt", "甲报某日"),          // 4
    ]
    .map(|(source, title)| {
        kanbao::parse::parse_issue(source, &format!("{title}\n\n正文一段，说了些事情。\n"))
    });
    App::new(
        kanbao::model::Archive {
            issues: issues.to_vec(),
            failures: Vec::new(),
        },
        load_base("vim").expect("vim"),
        AmbiguousWidth::Narrow,
    )
}

/// The slots in the order `j` visits them from the first.
fn visit_order(app: &mut App) -> Vec<usize> {
    press(app, &["g", "g"]);
    let mut seen = vec![app.issue];
    for _ in 1..app.library.len() {
        press(app, &["j"]);
        seen.push(app.issue);
    }
    seen
}

#[test]
fn issues_go_by_paper_then_date_and_o_cycles_the_order_keeping_the_selection() {
    let mut app = shelved();
    assert_eq!(app.focus, Focus::Issues);
    assert_eq!(
        app.issue, 3,
        "the first issue shown is the earliest of the first paper"
    );
    // 甲 (jiǎ) before 乙 (yǐ); dated before undated; then by date.
    assert_eq!(visit_order(&mut app), [3, 2, 4, 1, 0]);
    press(&mut app, &["k", "k"]);
    let selected = app.issue;
    press(&mut app, &["o"]);
    assert_eq!(app.issue, selected, "reordering keeps the issue selected");
    assert_eq!(
        app.message.as_deref(),
        Some("issues by date, across papers")
    );
    assert_eq!(visit_order(&mut app), [1, 3, 2, 0, 4]);
    press(&mut app, &["o"]);
    assert_eq!(visit_order(&mut app), [0, 1, 2, 3, 4], "by path");
    press(&mut app, &["o"]);
    assert_eq!(visit_order(&mut app), [3, 2, 4, 1, 0], "and round again");
    // `}` from the articles pane follows the order shown too; G and a count go by rank.
    press(&mut app, &["g", "g", "l", "}"]);
    assert_eq!(app.issue, 2);
    press(&mut app, &["h", "G"]);
    assert_eq!(app.issue, 0);
    press(&mut app, &["3", "G"]);
    assert_eq!(app.issue, 4, "3G is the third issue shown");
}

#[test]
fn o_orders_search_results_when_they_are_shown_and_issues_from_the_issue_pane() {
    let mut app = app();
    press(&mut app, &["S"]);
    for c in "曹县".chars() {
        app.handle_key(Key::parse(&c.to_string()).expect("key"));
    }
    press(&mut app, &["<Enter>"]);
    assert!(app.results.is_some());
    press(&mut app, &["o"]);
    assert_eq!(app.message.as_deref(), Some("results by hits per article"));
    press(&mut app, &["h", "o"]);
    assert_eq!(app.message.as_deref(), Some("issues by paper, then date"));
    assert!(app.results.is_some(), "the results stay");
}

fn cursor(app: &App) -> String {
    kanbao::app::dates::iso(app.calendar().expect("calendar open").cursor)
}

fn type_keys(app: &mut App, text: &str) {
    for c in text.chars() {
        app.handle_key(Key::parse(&c.to_string()).expect("key"));
    }
}

#[test]
fn the_calendar_moves_by_day_week_and_month_and_opens_the_day_or_the_nearest() {
    let mut app = app();
    // The first issue has no date: the calendar opens on the dated issue nearest in the list.
    press(&mut app, &["D"]);
    assert_eq!(cursor(&app), "2022-08-23");
    assert_eq!(
        app.calendar().expect("open").on_cursor(),
        [2],
        "the day's issue"
    );
    press(&mut app, &["l", "l", "j"]);
    assert_eq!(cursor(&app), "2022-09-01");
    press(&mut app, &["h", "k"]);
    assert_eq!(cursor(&app), "2022-08-24");
    press(&mut app, &["]"]);
    assert_eq!(cursor(&app), "2022-09-24");
    press(&mut app, &["[", "["]);
    assert_eq!(cursor(&app), "2022-07-24");
    // No issue that day: Enter opens the nearest (2022-08-23, 30 days on).
    press(&mut app, &["<Enter>"]);
    assert!(app.calendar().is_none(), "closed");
    assert_eq!(app.issue, 2);
    assert_eq!(app.focus, Focus::Articles);
    assert!(
        app.message
            .as_deref()
            .is_some_and(|m| m.contains("nearest")),
        "{:?}",
        app.message
    );
    // Typing moves the cursor once the text is a date; Enter opens it.
    press(&mut app, &["D"]);
    type_keys(&mut app, "2022-08-3");
    assert_eq!(cursor(&app), "2022-08-03", "a whole date so far");
    type_keys(&mut app, "0");
    assert_eq!(cursor(&app), "2022-08-30");
    assert_eq!(app.calendar().expect("open").on_cursor(), [4]);
    press(&mut app, &["<Enter>"]);
    assert_eq!(app.issue, 4);
    assert_eq!(app.message.as_deref(), Some("2022-08-30"));
    // What is not a date is said and the calendar stays; Esc closes it where it was.
    press(&mut app, &["D"]);
    type_keys(&mut app, "2022-8x");
    press(&mut app, &["<Enter>"]);
    assert!(app.calendar().is_some(), "still open");
    assert!(
        app.message
            .as_deref()
            .is_some_and(|m| m.contains("not a date")),
        "{:?}",
        app.message
    );
    press(&mut app, &["<Esc>"]);
    assert!(app.calendar().is_none());
    assert_eq!(app.issue, 4, "Esc goes nowhere");
    // A typed month opens its first issue, even when a day of another month is nearer.
    press(&mut app, &["D"]);
    type_keys(&mut app, "2022-08");
    press(&mut app, &["<Enter>"]);
    assert_eq!(app.issue, 2);
    assert_eq!(app.message.as_deref(), Some("2022-08-23"));
}

#[test]
fn the_calendar_says_when_no_issue_has_a_date() {
    let issue = kanbao::parse::parse_issue("x/loose.txt", "某标题\n\n正文一段，说了些事情。\n");
    let mut app = App::new(
        kanbao::model::Archive {
            issues: vec![issue],
            failures: Vec::new(),
        },
        load_base("vim").expect("vim"),
        AmbiguousWidth::Narrow,
    );
    press(&mut app, &["D"]);
    assert!(app.calendar().is_none());
    assert!(
        app.message
            .as_deref()
            .is_some_and(|m| m.contains("no issue has a date")),
        "{:?}",
        app.message
    );
}

#[test]
fn a_writes_a_note_of_several_lines_shown_under_the_header_and_marks_the_article() {
    let mut app = app();
    press(&mut app, &["l", "j", "l"]);
    let id = app.article_id();
    press(&mut app, &["a"]);
    assert!(app.note_editor().is_some());
    type_keys(&mut app, "对照三版");
    press(&mut app, &["<Enter>"]);
    // hjkl and q are text here, not keys of the reader.
    type_keys(&mut app, "jk q");
    press(&mut app, &["<Esc>"]);
    assert!(app.note_editor().is_none(), "Esc saves and closes");
    assert_eq!(app.note(id), Some("对照三版\njk q"));
    assert!(app.marks.contains(&id), "a note marks its article");
    assert!(
        app.message
            .as_deref()
            .is_some_and(|m| m.starts_with("note saved")),
        "{:?}",
        app.message
    );
    // Under the header: after the headline, before the text.
    let lines = app.body_lines();
    let at = lines
        .iter()
        .position(|l| l.text.starts_with(kanbao::app::body::NOTE_MARK))
        .expect("the note in the body");
    assert!(lines[at].text.ends_with("对照三版"));
    assert_eq!(lines[at + 1].text, "jk q");
    let title = lines
        .iter()
        .position(|l| l.kind == kanbao::app::body::BodyLineKind::Title)
        .expect("title");
    let first_paragraph = lines
        .iter()
        .position(|l| l.kind == kanbao::app::body::BodyLineKind::Paragraph)
        .expect("text");
    assert!(
        title < at && at < first_paragraph,
        "{title} < {at} < {first_paragraph}"
    );
    // Reopened, it holds the note; C-g leaves it as it was.
    press(&mut app, &["a"]);
    assert_eq!(
        app.note_editor().expect("editor").input.full_text(),
        "对照三版\njk q"
    );
    type_keys(&mut app, "丢掉");
    press(&mut app, &["<C-g>"]);
    assert_eq!(app.note(id), Some("对照三版\njk q"));
    // Emptied and saved, it is gone (the mark stays).
    press(
        &mut app,
        &[
            "a", "<C-a>", "<C-k>", "<Up>", "<C-a>", "<C-k>", "<Delete>", "<Esc>",
        ],
    );
    assert_eq!(app.note(id), None, "removed");
    assert_eq!(
        app.message.as_deref(),
        Some("note removed — for this session only (no memory)")
    );
    assert!(app.marks.contains(&id));
    assert!(
        !app.body_lines()
            .iter()
            .any(|l| l.text.contains(kanbao::app::body::NOTE_MARK)),
        "the body no longer shows it"
    );
}

#[test]
fn pasting_into_a_note_keeps_its_lines() {
    let mut app = app();
    press(&mut app, &["l", "a"]);
    app.paste("第一行\r\n第二行\n\n第四行");
    press(&mut app, &["<C-s>"]);
    assert_eq!(app.note(app.article_id()), Some("第一行\n第二行\n\n第四行"));
}

#[test]
fn the_archive_jump_is_ready_before_it_is_asked_for() {
    let dir = crate::common::scratch("app-find-prebuild");
    let archive = dir.join("archive");
    std::fs::create_dir_all(&archive).expect("mkdir");
    // Headlines of different shapes (one shape in every issue would be learned as furniture).
    let words = ["曹县", "菏泽", "聊城", "东昌", "高唐", "冠县"];
    for i in 0..30 {
        let title = format!("{}{}", words[i % 6], "新闻标题".repeat(1 + i / 6));
        std::fs::write(
            archive.join(format!("{i:03}.txt")),
            format!("{title}\n\n正文{i}说了些事情。\n"),
        )
        .expect("write");
    }
    let options = kanbao::library::Options {
        index_dir: Some(dir.join("cache")),
        ..Default::default()
    };
    let paths = [archive.to_string_lossy().into_owned()];
    // A first run writes the index; the others are the reader's.
    kanbao::library::Library::open(&paths, &options).finish();
    let reader = |mapped: bool, said: Option<&str>| {
        let library = kanbao::library::Library::open(&paths, &options);
        let mut app = App::new(
            library,
            load_base("vim").expect("vim"),
            AmbiguousWidth::Narrow,
        );
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        while app.find_index.is_none() && std::time::Instant::now() < deadline {
            app.tick();
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        let ready = app.find_index.clone().expect("ready in the background");
        assert_eq!(ready.1.len(), 30);
        assert_eq!(
            ready.1.is_mapped(),
            mapped,
            "mapped from the file: {mapped}"
        );
        match said {
            Some(words) => assert!(
                app.message.as_deref().is_some_and(
                    |m| m.contains(words) && m.contains("building the headline index again")
                ),
                "{:?}",
                app.message
            ),
            None => assert_eq!(app.message, None),
        }
        press(&mut app, &["F"]);
        type_keys(&mut app, "caoxian");
        let jump = match app.popups.last() {
            Some(kanbao::app::Popup::Jump(jump)) => jump,
            _ => panic!("the jump box is open"),
        };
        assert!(
            std::rc::Rc::ptr_eq(&jump.index, &ready.1),
            "the index made ahead is used"
        );
        assert_eq!(jump.hits.len(), 5, "the five 曹县 headlines");
    };
    // Built from the summaries, and kept: the next start maps it.
    reader(false, None);
    reader(true, None);
    // Broken (cut short): built again, and kept again.
    let kept: Vec<std::path::PathBuf> = std::fs::read_dir(dir.join("cache"))
        .expect("cache")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "find"))
        .collect();
    let [find_file] = kept.as_slice() else {
        panic!("one headline index: {kept:?}");
    };
    let bytes = std::fs::read(find_file).expect("read");
    std::fs::write(find_file, &bytes[..bytes.len() / 3]).expect("cut");
    reader(false, Some("cut short"));
    reader(true, None);
}
