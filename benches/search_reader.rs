//! The reader's first page of full-text results after `Enter`, on a real archive with a
//! current search index: `KANBAO_BENCH_ARCHIVE=DIR cargo bench --bench search_reader`
//! (the index is kept in `$XDG_CACHE_HOME/kanbao`; the first run builds it). Target: < 50 ms.

use std::time::{Duration, Instant};

use kanbao::app::App;
use kanbao::keymap::{Key, load_base};
use kanbao::library::{Library, Options};
use kanbao::text::AmbiguousWidth;

fn main() {
    let Ok(archive) = std::env::var("KANBAO_BENCH_ARCHIVE") else {
        println!("set KANBAO_BENCH_ARCHIVE to an archive folder (examples/gen_archive makes one)");
        return;
    };
    let options = Options::new(None, true, None);
    let paths = [archive];
    let mut library = Library::open(&paths, &options);
    library.finish();
    library.index_for_search_in_background();
    let started = Instant::now();
    while library.search_index_building().is_some() {
        library.wait_search_build(Duration::from_millis(200));
    }
    println!(
        "search index brought up to date in {:.2} s",
        started.elapsed().as_secs_f64()
    );
    for query in ["企业", "曹县", "数字化转型"] {
        let mut best = Duration::MAX;
        for _ in 0..5 {
            let mut app = App::new(
                Library::open(&paths, &options),
                load_base("vim").expect("vim"),
                AmbiguousWidth::Narrow,
            );
            app.library.finish();
            app.view.list_height = 38;
            let mut press = |k: &str| app.handle_key(Key::parse(k).expect("key"));
            press("S");
            for c in query.chars() {
                press(&c.to_string());
            }
            let start = Instant::now();
            press("<Enter>");
            let took = start.elapsed();
            assert!(app.results.is_some(), "{query}: no results");
            best = best.min(took);
        }
        println!(
            "{query:<12} first page of results after Enter: {:>7.1} ms (target < 50)",
            best.as_secs_f64() * 1000.0
        );
    }
}
