//! Rendering: TestBackend snapshots of each pane and the help screen at 80×24, 120×40 and 40×12
//! on the sample issues, with layout invariants checked on every frame; and a byte-level check
//! that hostile text reaches the terminal with no escape sequences of its own.

use kanbao::app::App;
use kanbao::keymap::Action;
use kanbao::keymap::{Key, load_base};
use kanbao::library::samples::builtin_archive;
use kanbao::model::{Archive, Article, Issue};
use kanbao::text::{AmbiguousWidth, str_width};
use kanbao::ui;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;

const SIZES: [(u16, u16); 3] = [(80, 24), (120, 40), (40, 12)];

/// The built-in issues in path order (the order the snapshots were first taken in; the
/// default order's headers have snapshots of their own).
fn app() -> App {
    let mut app = App::new(
        builtin_archive(),
        load_base("vim").expect("vim"),
        AmbiguousWidth::Narrow,
    );
    app.set_issue_order(kanbao::library::order::Order::Path, true);
    app.color = false;
    app
}

/// An app on one issue parsed from `text`.
fn app_on(name: &str, text: &str) -> App {
    let issue = kanbao::parse::parse_issue(name, text);
    App::new(
        Archive {
            issues: vec![issue],
            failures: Vec::new(),
        },
        load_base("vim").expect("vim"),
        AmbiguousWidth::Narrow,
    )
}

fn keys(app: &mut App, typed: &[&str]) {
    for k in typed {
        app.handle_key(Key::parse(k).expect("key"));
    }
}

/// The screen as text: a wide character's continuation cell is not printed, so each row reads
/// as a terminal shows it.
fn screen(buf: &Buffer) -> String {
    screen_as(buf, AmbiguousWidth::Narrow)
}

/// The screen as a terminal drawing ambiguous characters `mode` wide shows it.
fn screen_as(buf: &Buffer, mode: AmbiguousWidth) -> String {
    let mut out = String::new();
    for y in 0..buf.area.height {
        let mut x = 0;
        while x < buf.area.width {
            let symbol = buf[(x, y)].symbol();
            out.push_str(symbol);
            x += str_width(symbol, mode).max(1) as u16;
        }
        out.push('\n');
    }
    out
}

/// Every row is exactly the width of the screen, no wide character overhangs the right edge, and
/// the cell after a wide character is blank.
fn check_invariants(buf: &Buffer, label: &str) {
    for y in 0..buf.area.height {
        let mut x = 0u16;
        while x < buf.area.width {
            let symbol = buf[(x, y)].symbol();
            let w = str_width(symbol, AmbiguousWidth::Narrow) as u16;
            assert!(
                x + w.max(1) <= buf.area.width,
                "{label}: row {y} col {x} {symbol:?} overhangs"
            );
            if w == 2 {
                assert_eq!(
                    buf[(x + 1, y)].symbol(),
                    " ",
                    "{label}: half a character at row {y} col {}",
                    x + 1
                );
            }
            for c in symbol.chars() {
                assert!(
                    !c.is_control(),
                    "{label}: control character in a cell at row {y}"
                );
            }
            x += w.max(1);
        }
    }
}

fn draw(app: &mut App, (w, h): (u16, u16)) -> String {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    // Draw twice: the first frame tells the app its pane sizes.
    terminal.draw(|f| ui::render(f, app)).expect("draw");
    let frame = terminal.draw(|f| ui::render(f, app)).expect("draw");
    let text = screen(frame.buffer);
    check_invariants(frame.buffer, &format!("{w}x{h}"));
    text
}

fn snapshot_all(name: &str, setup: impl Fn(&mut App)) {
    for size in SIZES {
        let mut app = app();
        setup(&mut app);
        let text = draw(&mut app, size);
        insta::assert_snapshot!(format!("{name}_{}x{}", size.0, size.1), text);
    }
}

#[test]
fn archive_search_results_and_an_article_opened_from_them() {
    let search = |app: &mut App| {
        keys(app, &["S"]);
        for c in "曹县".chars() {
            keys(app, &[&c.to_string()]);
        }
        keys(app, &["<Enter>"]);
    };
    snapshot_all("archive_search", search);
    snapshot_all("archive_search_opened", |app| {
        search(app);
        keys(app, &["j", "<Enter>"]);
    });
}

#[test]
fn issue_list() {
    snapshot_all("issues", |_| {});
}

/// Seven issues of two papers over three months, filed as archives often are (paper folder,
/// dated file names), one with no date and one with no paper; listed in the default order.
fn app_shelved() -> App {
    let issues = [
        ("archive/乙报/2023-06-02.txt", "乙报六月二日"),
        ("archive/甲报/2023-05-31.txt", "甲报五月末"),
        ("archive/乙报/2023-05-30.txt", "乙报五月三十日"),
        ("archive/甲报/2023-06-01.txt", "甲报六月一日"),
        ("archive/甲报/undated.txt", "甲报某日"),
        ("archive/乙报/2023-07-01.txt", "乙报七月一日"),
        ("archive/loose.txt", "无名小报"),
    ]
    .map(|(source, title)| {
        kanbao::parse::parse_issue(source, &format!("{title}\n\n正文一段，说了些事情。\n"))
    });
    let mut app = App::new(
        Archive {
            issues: issues.to_vec(),
            failures: Vec::new(),
        },
        load_base("vim").expect("vim"),
        AmbiguousWidth::Narrow,
    );
    app.color = false;
    app
}

#[test]
fn issue_list_with_a_header_per_paper_and_month() {
    for size in SIZES {
        let mut app = app_shelved();
        let text = draw(&mut app, size);
        insta::assert_snapshot!(format!("issues_by_paper_{}x{}", size.0, size.1), text);
        // `o`: by date across papers, month headers only.
        keys(&mut app, &["o"]);
        let text = draw(&mut app, size);
        insta::assert_snapshot!(format!("issues_by_date_{}x{}", size.0, size.1), text);
    }
}

#[test]
fn calendar_of_the_month_with_its_issue_days() {
    snapshot_all("calendar", |app| keys(app, &["D"]));
    // Typed into, the cursor follows; a day with no issue says Enter goes to the nearest.
    snapshot_all("calendar_typed", |app| {
        keys(app, &["D"]);
        for c in "2022-08-25".chars() {
            keys(app, &[&c.to_string()]);
        }
    });
}

#[test]
fn a_note_in_its_editor_and_under_the_articles_header() {
    let write = |app: &mut App| {
        keys(app, &["l", "<Enter>", "a"]);
        for c in "与三版对照：数字不一".chars() {
            keys(app, &[&c.to_string()]);
        }
        keys(app, &["<Enter>"]);
        for c in "see p.3".chars() {
            keys(app, &[&c.to_string()]);
        }
    };
    snapshot_all("note_editor", write);
    snapshot_all("note_in_body", |app| {
        write(app);
        keys(app, &["<Esc>"]);
    });
}

#[test]
fn headline_list_with_kickers_and_photos() {
    snapshot_all("articles", |app| keys(app, &["j", "j", "l"]));
}

#[test]
fn article_body() {
    snapshot_all("body", |app| keys(app, &["j", "l", "<Enter>"]));
}

#[test]
fn article_body_scrolled_with_search_hits() {
    snapshot_all("search", |app| {
        keys(app, &["l", "<Enter>", "/", "数", "字", "<Enter>"]);
    });
}

#[test]
fn raw_view_with_line_numbers() {
    snapshot_all("raw", |app| keys(app, &["j", "j", "l", "<Enter>", "r"]));
}

#[test]
fn help_screen() {
    snapshot_all("help", |app| keys(app, &["?"]));
}

#[test]
fn zoomed_body() {
    snapshot_all("zoom", |app| keys(app, &["z"]));
}

#[test]
fn wide_ambiguous_mode_uses_ascii_borders() {
    let mut app = app();
    app.ambiguous = AmbiguousWidth::Wide;
    keys(&mut app, &["l", "<Enter>"]);
    draw(&mut app, (120, 40));
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
    let frame = terminal.draw(|f| ui::render(f, &mut app)).expect("draw");
    let text = screen_as(frame.buffer, AmbiguousWidth::Wide);
    assert!(
        !text.contains('─') && !text.contains('│'),
        "box drawing in wide mode"
    );
    for (y, row) in text.lines().enumerate() {
        assert_eq!(
            str_width(row, AmbiguousWidth::Wide),
            120,
            "row {y} is not 120 cells wide in a wide terminal: {row}"
        );
    }
    insta::assert_snapshot!("wide_120x40", text);
}

#[test]
fn every_size_down_to_one_by_one_draws_without_panic() {
    for w in 1..=45u16 {
        for h in 1..=14u16 {
            let mut app = app();
            keys(&mut app, &["l", "<Enter>"]);
            let text = draw(&mut app, (w, h));
            if w < ui::MIN_WIDTH || h < ui::MIN_HEIGHT {
                assert!(text.contains("Too small") || w < 10, "{w}x{h}:\n{text}");
            }
        }
    }
}

#[test]
fn layout_adapts_to_width() {
    let app = app();
    let area = |w| ratatui::layout::Rect::new(0, 0, w, 20);
    assert_eq!(ui::pane_layout(&app, area(120)).len(), 3);
    assert_eq!(ui::pane_layout(&app, area(80)).len(), 2);
    assert_eq!(ui::pane_layout(&app, area(50)).len(), 1);
}

fn hostile_archive() -> Archive {
    let article = Article {
        title: Some("标题\u{1b}]0;pwned\u{7}\u{1b}[2J".into()),
        paragraphs: vec![
            "正文\u{1b}]52;c;aGVsbG8=\u{7}剪贴板".into(),
            "红\u{1b}[31m色\u{9b}2J\u{202e}反向\u{ad}软\u{200b}".into(),
        ],
        ..Article::default()
    };
    Archive {
        issues: vec![Issue {
            source: "evil\u{1b}[5m.txt".into(),
            articles: vec![article],
            ..Issue::default()
        }],
        failures: Vec::new(),
    }
}

#[test]
fn hostile_text_emits_no_escape_sequences_but_the_backends_own() {
    use ratatui::backend::CrosstermBackend;
    let mut app = App::new(
        hostile_archive(),
        load_base("vim").expect("vim"),
        AmbiguousWidth::Narrow,
    );
    app.update(Action::Open, 1, false);
    app.update(Action::Open, 1, false);
    let mut bytes: Vec<u8> = Vec::new();
    {
        let backend = CrosstermBackend::new(&mut bytes);
        let mut terminal = Terminal::with_options(
            backend,
            ratatui::TerminalOptions {
                viewport: ratatui::Viewport::Fixed(ratatui::layout::Rect::new(0, 0, 100, 20)),
            },
        )
        .expect("terminal");
        terminal.draw(|f| ui::render(f, &mut app)).expect("draw");
    }
    let text = String::from_utf8(bytes).expect("utf-8 output");
    assert!(
        text.contains('剪') && text.contains('板'),
        "the article was drawn"
    );
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        assert!(c != '\u{7}', "BEL reached the terminal");
        assert!(
            !('\u{80}'..='\u{9f}').contains(&c),
            "C1 control {c:?} reached the terminal"
        );
        assert!(
            !matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{ad}' | '\u{200b}'),
            "{c:?} reached the terminal"
        );
        if c == '\u{1b}' {
            // Only CSI sequences (cursor moves, colours) that the backend writes itself.
            assert_eq!(
                chars.next(),
                Some('['),
                "a non-CSI escape reached the terminal"
            );
            let mut params = String::new();
            for p in chars.by_ref() {
                if ('\u{40}'..='\u{7e}').contains(&p) {
                    assert!(
                        "HmJKlh".contains(p),
                        "unexpected CSI final {p:?} after {params:?}"
                    );
                    if p == 'J' {
                        panic!("a clear-screen sequence reached the terminal");
                    }
                    break;
                }
                params.push(p);
            }
        }
    }
}

#[test]
fn marks_and_command_output_popup() {
    snapshot_all("output", |app| {
        keys(app, &["l", "<Space>", "<Space>"]);
        let result = kanbao::app::CommandResult {
            status: Some(0),
            stdout: "1092\n".into(),
            stderr: String::new(),
            stopped: None,
        };
        app.command_finished("wc -m", true, Ok(result));
    });
}

/// Command output with long lines, mixed scripts and a last line to scroll to.
fn app_with_long_output() -> App {
    let mut app = app();
    let mut stdout = String::new();
    for i in 1..=30 {
        stdout.push_str(&format!(
            "{i:02} /archive/papers/1968/issue-{i:03}.txt: 第{i}期 不是报纸：找不到任何标题 (no headline found in the whole file)\n"
        ));
    }
    stdout.push_str("END 最后一行\n");
    let result = kanbao::app::CommandResult {
        status: Some(0),
        stdout,
        stderr: String::new(),
        stopped: None,
    };
    app.command_finished("check", true, Ok(result));
    app
}

#[test]
fn long_output_lines_wrap_and_the_last_line_can_be_reached() {
    for size in SIZES {
        let mut app = app_with_long_output();
        let text = draw(&mut app, size);
        insta::assert_snapshot!(format!("output_wrapped_{}x{}", size.0, size.1), text);
        // The first line is shown whole: its end is on screen, on a later row than its start.
        let start = text.lines().position(|l| l.contains("01 /archive"));
        let end = text.lines().position(|l| l.contains("file)"));
        assert!(
            matches!((start, end), (Some(s), Some(e)) if e > s),
            "{text}"
        );
        // A page down shows the line after the last one shown whole, nothing skipped.
        let last_whole = text.lines().filter(|l| l.contains("file)")).count();
        keys(&mut app, &["<C-f>"]);
        let paged = draw(&mut app, size);
        let next = format!("{:02} /archive", last_whole + 1);
        assert!(paged.contains(&next), "{size:?}: {next} missing\n{paged}");
        keys(&mut app, &["g", "g"]);
        keys(&mut app, &["G"]);
        let text = draw(&mut app, size);
        assert!(text.contains("END 最后一行"), "{size:?}:\n{text}");
        // Scrolling further down changes nothing: G stopped at the last screenful.
        keys(&mut app, &["j"]);
        assert_eq!(draw(&mut app, size), text, "{size:?}");
    }
}

#[test]
fn jump_popup_with_pinyin_highlights() {
    snapshot_all("jump_archive", |app| keys(app, &["F", "c", "x"]));
    snapshot_all("jump_issue", |app| keys(app, &["j", "j", "f"]));
}

/// An app on one generated issue whose only article says 数字 `n` times, in paragraphs long
/// enough to wrap and to need scrolling.
fn app_with_hits(n: usize) -> App {
    let mut text = String::from("某报\n\n测试数字的文章标题\n\n");
    for i in 0..n {
        text.push_str(&format!(
            "　　第{i}段讲的是制造业和服务业的融合发展，其中提到数字化转型。{}\n",
            "这是一段没有命中的填充文字，用来让段落换行。".repeat(i % 3)
        ));
    }
    let mut app = app_on("hits.txt", &text);
    app.color = true;
    app
}

/// The text occurrences of 数字 in the article, computed from the article itself.
fn expected_hits(app: &App) -> usize {
    let article = app.current_article().expect("article");
    article
        .title
        .iter()
        .chain(article.paragraphs.iter())
        .map(|t| t.matches("数字").count())
        .sum()
}

#[test]
fn search_counts_hits_in_the_text_and_n_wraps_through_all_of_them() {
    for size in [(60, 16), (120, 40), (200, 50)] {
        let mut app = app_with_hits(41);
        keys(&mut app, &["l", "<Enter>"]);
        draw(&mut app, size);
        let total = expected_hits(&app);
        assert_eq!(total, 42, "the title and 41 paragraphs");
        keys(&mut app, &["/", "数", "字", "<Enter>"]);
        draw(&mut app, size);
        let message = |app: &App| app.message.clone().unwrap_or_default();
        assert!(
            message(&app).contains(&format!("hit 1/{total}")),
            "{}",
            message(&app)
        );
        for k in 2..=total {
            keys(&mut app, &["n"]);
            draw(&mut app, size);
            assert!(
                message(&app).contains(&format!("hit {k}/{total}")),
                "{size:?}: {}",
                message(&app)
            );
            assert!(!message(&app).contains("BOTTOM"));
        }
        keys(&mut app, &["n"]);
        assert!(message(&app).contains(&format!("hit 1/{total}")));
        assert!(message(&app).contains("search hit BOTTOM, continuing at TOP"));
        keys(&mut app, &["N"]);
        assert!(message(&app).contains(&format!("hit {total}/{total}")));
        assert!(message(&app).contains("search hit TOP, continuing at BOTTOM"));
        keys(&mut app, &["3", "N"]);
        assert!(message(&app).contains(&format!("hit {}/{total}", total - 3)));
    }
}

#[test]
fn the_current_hit_has_its_own_style_even_when_nothing_scrolls() {
    // Three hits, all on one screen.
    let mut app = app_with_hits(2);
    keys(&mut app, &["l", "<Enter>"]);
    let size = (120, 40);
    draw(&mut app, size);
    keys(&mut app, &["/", "数", "字", "<Enter>"]);
    let styles = |app: &mut App| {
        let mut terminal = Terminal::new(TestBackend::new(size.0, size.1)).expect("terminal");
        terminal.draw(|f| ui::render(f, app)).expect("draw");
        let frame = terminal.draw(|f| ui::render(f, app)).expect("draw");
        let buf = frame.buffer.clone();
        // The style of each highlighted 数 cell in the body pane (whose title is 正文).
        let body_x = (0..buf.area.width)
            .find(|&x| buf[(x, 0)].symbol() == "正")
            .expect("the body pane");
        let mut found = Vec::new();
        for y in 0..buf.area.height - 1 {
            for x in body_x..buf.area.width {
                if buf[(x, y)].symbol() == "数" && buf[(x, y)].style().bg.is_some() {
                    found.push(buf[(x, y)].style());
                }
            }
        }
        found
    };
    let first = styles(&mut app);
    assert_eq!(first.len(), 3);
    assert_ne!(first[0], first[1], "the current hit stands out");
    assert_eq!(first[1], first[2], "the others look alike");
    let top = app.body_top;
    keys(&mut app, &["n"]);
    let second = styles(&mut app);
    assert_eq!(app.body_top, top, "nothing scrolled");
    assert_eq!(
        second[1], first[0],
        "the current style moved to the second hit"
    );
    assert_eq!(second[0], first[1]);
}

#[test]
fn emoji_sequences_and_unassigned_code_points_reach_no_cell() {
    let text = "表情符号\n\n　　家庭👨\u{200d}👩\u{200d}👧合影，点赞👍\u{1f3fc}，爱心❤\u{fe0f}，\
                国旗🇨🇳，未分配\u{0378}\u{e000}字，异体葛\u{e0100}字。\n";
    for size in SIZES {
        let mut app = app_on("emoji.txt", text);
        keys(&mut app, &["l", "<Enter>"]);
        let screen = draw(&mut app, size);
        for c in screen.chars() {
            assert!(
                !matches!(c, '\u{200d}' | '\u{fe00}'..='\u{fe0f}' | '\u{1f1e6}'..='\u{1f1ff}' | '\u{1f3fb}'..='\u{1f3ff}' | '\u{0378}' | '\u{e000}' | '\u{e0100}'..='\u{e01ef}'),
                "{c:?} reached a cell at {size:?}:\n{screen}"
            );
        }
        assert!(screen.contains("CN") || size.0 < 80, "{screen}");
    }
}

#[test]
fn quitting_with_marks_asks_first() {
    let mut app = app();
    keys(&mut app, &["l", "<Space>"]);
    assert_eq!(app.marks.len(), 1);
    keys(&mut app, &["q"]);
    assert!(!app.should_quit, "marks would be lost");
    assert!(
        app.message
            .as_deref()
            .unwrap_or("")
            .contains("1 marked article will be lost")
    );
    // Any other key cancels (and does its job); the next q asks again; y confirms.
    keys(&mut app, &["j"]);
    assert!(!app.should_quit);
    keys(&mut app, &["q"]);
    assert!(!app.should_quit);
    keys(&mut app, &["y"]);
    assert!(app.should_quit);
    // q twice quits too; with no marks q quits at once.
    let mut app = app_marked();
    keys(&mut app, &["q", "q"]);
    assert!(app.should_quit);
    let mut plain = self::app();
    keys(&mut plain, &["q"]);
    assert!(plain.should_quit);
}

fn app_marked() -> App {
    let mut app = app();
    keys(&mut app, &["l", "<Space>"]);
    app
}

/// A database export: the metadata under the headline, then the byline; a subhead in bold on a
/// line of its own, not indented.
#[test]
fn an_article_with_metadata_and_subheads() {
    let text = "某地举行第一届评选活动\n作者：甲乙;丙丁  时间：2018-04-17\n\n\u{3000}\u{3000}本报某地4月16日电（记者甲乙）第一届评选活动16日举行，来自各地的代表参加。\n\n\u{3000}\u{3000}评选结果如下\n\n\u{3000}\u{3000}一等奖三名，二等奖五名。\n\n第二篇\n时间：2018-04-18\n\n\u{3000}\u{3000}正文。\n";
    for size in SIZES {
        let mut app = app_on("export.txt", text);
        keys(&mut app, &["l", "l"]);
        let shown = draw(&mut app, size);
        insta::assert_snapshot!(format!("metadata_subheads_{}x{}", size.0, size.1), shown);
    }
    // The subhead is drawn bold, the metadata dim.
    let mut app = app_on("export.txt", text);
    keys(&mut app, &["l", "l"]);
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
    terminal.draw(|f| ui::render(f, &mut app)).expect("draw");
    let frame = terminal.draw(|f| ui::render(f, &mut app)).expect("draw");
    let buf = frame.buffer;
    // The cell of 评 followed (two cells on: it is wide) by 选结.
    let (x, y) = (0..buf.area.height)
        .flat_map(|y| (0..buf.area.width.saturating_sub(4)).map(move |x| (x, y)))
        .find(|&(x, y)| {
            buf[(x, y)].symbol() == "评"
                && buf[(x + 2, y)].symbol() == "选"
                && buf[(x + 4, y)].symbol() == "结"
        })
        .expect("the subhead on screen");
    assert!(
        buf[(x, y)]
            .modifier
            .contains(ratatui::style::Modifier::BOLD)
    );
}

#[test]
fn the_search_index_gauge_gives_way_to_a_message() {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("render-search-gauge-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("archive")).expect("mkdir");
    for i in 0..400 {
        std::fs::write(
            dir.join(format!("archive/{i:03}.txt")),
            format!("标题{i}\n\n企业{i}推进，增收。\n"),
        )
        .expect("write");
    }
    // The background build and this test share nothing but the folder: the scratch folder is
    // left for the build to finish in (the target folder is cleaned with the rest).
    let options = kanbao::library::Options {
        index_dir: Some(dir.join("cache")),
        ..Default::default()
    };
    let mut library =
        kanbao::library::Library::open(&[dir.join("archive").to_string_lossy().into()], &options);
    library.finish();
    library.index_for_search_in_background();
    let mut app = App::new(
        library,
        load_base("vim").expect("vim"),
        AmbiguousWidth::Narrow,
    );
    app.color = false;
    // The build's progress is taken in only when the app polls (a tick), never while drawing:
    // it counts as running for both frames below.
    assert!(app.library.search_index_building().is_some());
    let quiet = draw(&mut app, (120, 10));
    let message = "a message that must be read whole";
    app.message = Some(message.into());
    let with_message = draw(&mut app, (120, 10));
    let status = with_message.lines().last().expect("status").to_string();
    assert!(status.contains(message), "{status}");
    assert!(
        quiet.contains("search index"),
        "the gauge while quiet: {quiet}"
    );
    assert!(!status.contains("search index"), "{status}");
}
