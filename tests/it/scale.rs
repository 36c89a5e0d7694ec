//! Large archives: the on-disk index (reused, rebuilt when stale or corrupt, never trusted
//! blindly) and a generated 2,000-issue archive whose first frame and loading gauge appear
//! before it is indexed.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use kanbao::library::generate::generate_archive;
use kanbao::library::{Library, Options};

use crate::common::scratch;
use crate::tmux::Tmux;

/// `kanbao ARGS` with its own cache folder; (stdout, stderr).
fn run(cache: &Path, args: &[&str]) -> (String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_kanbao"))
        .env("XDG_CACHE_HOME", cache)
        .env("XDG_STATE_HOME", crate::common::fresh_state_home())
        .args(args)
        .output()
        .expect("run kanbao");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The headline index files in `cache` (not the learned layouts beside them).
fn index_files(cache: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(cache.join("kanbao"))
        .map(|entries| {
            entries
                .filter_map(|e| Some(e.ok()?.path()))
                .filter(|p| {
                    p.file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with("index-"))
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn the_index_is_reused_and_rebuilt_when_stale_or_corrupt() {
    let dir = scratch("index-archive");
    let cache = scratch("index-cache");
    generate_archive(30, &dir).expect("generate");
    let archive = dir.to_string_lossy().into_owned();

    let (first, err) = run(&cache, &["list", &archive]);
    assert_eq!(err, "");
    assert_eq!(first.lines().count(), 30);
    let files = index_files(&cache);
    assert_eq!(files.len(), 1, "one index for one archive: {files:?}");
    let (again, err) = run(&cache, &["list", &archive]);
    assert_eq!((again.as_str(), err.as_str()), (first.as_str(), ""));

    // A changed file (new size and time) is parsed again: its new article is counted.
    let changed = dir.join("000").join("000007.txt");
    let mut text = std::fs::read_to_string(&changed).expect("read");
    text.push_str(
        "\n\n新增一篇报道的标题\n\n本报讯 这是新增文章的正文，足够长，像一段真正的正文。\n",
    );
    std::fs::write(&changed, text).expect("write");
    let line = |out: &str| {
        out.lines()
            .find(|l| l.ends_with("000007.txt"))
            .map(|l| l.split('\t').nth(3).unwrap_or("").to_string())
            .expect("listed")
    };
    let (after, _) = run(&cache, &["list", &archive]);
    assert_eq!(
        line(&after).parse::<usize>().expect("count"),
        line(&first).parse::<usize>().expect("count") + 1
    );

    // A corrupt index is reported, not believed, and rebuilt.
    let mut bytes = std::fs::read(&files[0]).expect("index");
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x55;
    std::fs::write(&files[0], &bytes).expect("corrupt");
    let (rebuilt, err) = run(&cache, &["list", &archive]);
    assert_eq!(rebuilt, after);
    assert!(
        err.contains("corrupt") && err.contains("rebuilding"),
        "{err}"
    );
    let (_, err) = run(&cache, &["list", &archive]);
    assert_eq!(err, "", "the rebuilt index is good again");

    // Garbage in place of the index is no better.
    std::fs::write(&files[0], b"not an index at all").expect("garbage");
    let (out, err) = run(&cache, &["headlines", &archive]);
    assert!(err.contains("not a kanbao index"), "{err}");
    assert!(out.lines().count() > 30 * 8);

    // --no-index writes nothing.
    let fresh = scratch("index-cache-none");
    let (out, _) = run(&fresh, &["list", "--no-index", &archive]);
    assert_eq!(out, after);
    assert!(index_files(&fresh).is_empty());
}

#[test]
fn a_second_open_takes_every_summary_from_the_index() {
    let dir = scratch("index-reuse");
    let cache = scratch("index-reuse-cache");
    generate_archive(12, &dir).expect("generate");
    let paths = [dir.to_string_lossy().into_owned()];
    let open = || {
        let mut library = Library::scan(&paths, &Options::default());
        library.use_index(&cache);
        library.start(2);
        library.finish();
        library
    };
    let first = open();
    assert_eq!(first.parsed_and_reused(), (12, 0));
    let second = open();
    assert_eq!(second.parsed_and_reused(), (0, 12));
    let titles = |l: &Library| -> Vec<String> {
        l.summaries()
            .flat_map(|(_, s)| s.headlines.iter().map(|h| h.title.clone()))
            .collect()
    };
    assert_eq!(titles(&first), titles(&second));
    // Opening an issue parses it and checks its summary against the file.
    let mut third = open();
    std::fs::write(dir.join("000").join("000003.txt"), "唯一的标题\n\n正文。\n").expect("write");
    third.ensure(3);
    assert_eq!(third.summary(3).expect("summary").headlines.len(), 1);
}

#[test]
fn a_large_archive_shows_its_first_frame_and_a_gauge_before_it_is_indexed() {
    let dir = scratch("archive-2000");
    generate_archive(2000, &dir).expect("generate");
    let cache = scratch("archive-2000-cache");
    let t = Tmux::start(
        &format!("'{}'", dir.display()),
        120,
        30,
        &[("XDG_CACHE_HOME", &cache.to_string_lossy())],
    );
    // A whole frame: the status line, drawn last, is there too (a capture can catch tmux
    // half-way through a large frame).
    let first = t.wait_for("the first frame", |s| {
        s.contains("期 Issues 2000") && s.lines().last().is_some_and(|l| !l.trim().is_empty())
    });
    let gauge = first
        .lines()
        .find(|l| l.contains("indexing"))
        .unwrap_or_else(|| panic!("no gauge on the first frame:\n{first}"))
        .to_string();
    let done: usize = gauge
        .rsplit(' ')
        .find_map(|w| w.trim().strip_suffix("/2000")?.parse().ok())
        .unwrap_or_else(|| panic!("no count in {gauge:?}"));
    assert!(done < 2000, "{gauge}");
    // The first issue's headlines are there already, and keys work while loading (the key is
    // sent while the gauge still shows: loading 2,000 issues takes seconds in a debug build).
    assert!(first.contains("标题 Headlines"), "{first}");
    t.keys(&["j"]);
    t.wait_for("the second issue selected", |s| {
        s.lines().any(|l| l.contains("▸ 2000-01-02"))
    });
    let end = t.wait_for_within(Duration::from_secs(120), "indexing to finish", |s| {
        !s.contains("indexing")
    });
    assert!(end.contains("期 Issues 2000"), "{end}");
    t.keys(&["q"]);
    assert_eq!(t.wait_exit(), 0);
    assert_eq!(index_files(&cache).len(), 1, "the index was written");
}

#[test]
fn a_jump_popup_opened_while_indexing_takes_in_what_arrives() {
    let dir = scratch("archive-jump-2000");
    generate_archive(2000, &dir).expect("generate");
    let cache = scratch("archive-jump-2000-cache");
    let t = Tmux::start(
        &format!("'{}'", dir.display()),
        120,
        30,
        &[("XDG_CACHE_HOME", &cache.to_string_lossy())],
    );
    t.wait_for("the first frame", |s| s.contains("期 Issues 2000"));
    t.keys(&["F"]);
    let opened = t.wait_text("Jump: archive");
    // Opened before loading ended (2,000 issues take seconds in a debug build).
    assert!(opened.contains("indexed "), "{opened}");
    t.type_text("曹县");
    // Once every issue is in, the popup shows the whole archive's results: more than the
    // popup keeps, said as such.
    let end = t.wait_for_within(
        Duration::from_secs(120),
        "the results of every issue",
        |s| s.contains("500+ found") && !s.contains("indexed "),
    );
    assert!(end.contains("曹县"), "{end}");
    t.escape();
    t.keys(&["q"]);
    assert_eq!(t.wait_exit(), 0);
}

#[test]
fn a_learned_layout_is_kept_with_the_index_and_learned_again_when_its_issues_change() {
    use kanbao::library::learned::LearnedStore;
    let dir = scratch("learned-archive");
    let cache = scratch("learned-cache");
    let issue = |n: usize, headline: &str| {
        format!(
            "某某日报\n2018年4月{n}日\n\n要闻版 {n}\n\n{headline}\n\n正文第一段，内容。\n\n本版热线\n"
        )
    };
    for (n, headline) in ["甲地新闻", "乙地新闻", "丙地新闻", "丁地新闻"]
        .iter()
        .enumerate()
    {
        std::fs::write(dir.join(format!("{n}.txt")), issue(n + 1, headline)).expect("write");
    }
    let paths = [dir.to_string_lossy().into_owned()];
    let options = Options {
        index_dir: Some(cache.clone()),
        ..Options::default()
    };
    let first = Library::scan(&paths, &options);
    assert!(
        first.layout().learned.contains("要闻版 #"),
        "{:?}",
        first.layout().learned
    );
    // What is kept is what the next start uses: replaced by hand, it comes back as written
    // rather than learned again from the issues.
    let roots = [std::fs::canonicalize(&dir).expect("canonical")];
    let store = LearnedStore::for_roots(&cache, &roots, None);
    assert!(store.path.is_file(), "kept beside the index");
    let planted: std::collections::HashSet<String> = ["甲地新闻".to_string()].into();
    store
        .write(&first.layout_sample(), &planted)
        .expect("write");
    let second = Library::scan(&paths, &options);
    assert_eq!(second.layout().learned, planted);
    // One of the issues it was learned from changed: learned again.
    std::fs::write(dir.join("0.txt"), issue(9, "戊地新闻")).expect("write");
    let third = Library::scan(&paths, &options);
    assert!(third.layout().learned.contains("本版热线"));
    assert!(!third.layout().learned.contains("甲地新闻"));
    // A damaged store is reported, by name, and the layout learned anyway.
    std::fs::write(&store.path, b"KANBAOLL garbage").expect("write");
    let mut fourth = Library::scan(&paths, &options);
    assert!(fourth.layout().learned.contains("本版热线"));
    let notes = fourth.take_notes();
    assert!(
        notes
            .iter()
            .any(|n| n.contains(&store.path.display().to_string())),
        "{notes:?}"
    );
}
