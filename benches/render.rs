//! Rendering cost of reading a very long article: laying out 100,000 characters for a width
//! (done once per article and width, then cached) and drawing one frame while scrolling.
//! `cargo bench --bench render`. Target: a frame well under a millisecond per line on screen.

use std::hint::black_box;
use std::time::{Duration, Instant};

use kanbao::app::App;
use kanbao::app::body::layout_article;
use kanbao::keymap::Action;
use kanbao::keymap::load_base;
use kanbao::library::samples::builtin_archive;
use kanbao::model::{Archive, Article, Issue};
use kanbao::text::AmbiguousWidth;
use kanbao::ui;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// An article of about `chars` characters made of the sample paragraphs.
fn long_article(chars: usize) -> Article {
    let samples = builtin_archive();
    let pool: Vec<String> = samples
        .issues
        .iter()
        .flat_map(|i| i.articles.iter().flat_map(|a| a.paragraphs.clone()))
        .collect();
    let mut paragraphs = Vec::new();
    let mut total = 0;
    for p in pool.iter().cycle() {
        if total >= chars {
            break;
        }
        total += p.chars().count();
        paragraphs.push(p.clone());
    }
    Article {
        title: Some("十万字长文测试".into()),
        paragraphs,
        ..Article::default()
    }
}

fn time<T>(label: &str, runs: u32, mut f: impl FnMut() -> T) -> Duration {
    f();
    let start = Instant::now();
    for _ in 0..runs {
        black_box(f());
    }
    let each = start.elapsed() / runs;
    println!("{label:<52} {:>10.3} ms", each.as_secs_f64() * 1000.0);
    each
}

fn main() {
    let article = long_article(100_000);
    let chars: usize = article.paragraphs.iter().map(|p| p.chars().count()).sum();
    println!(
        "article: {chars} characters in {} paragraphs",
        article.paragraphs.len()
    );
    time(
        "layout (wrap) at width 60, once per article+width",
        20,
        || layout_article(&article, 60, AmbiguousWidth::Narrow).len(),
    );
    time("layout (wrap) at width 200", 20, || {
        layout_article(&article, 200, AmbiguousWidth::Narrow).len()
    });

    let archive = Archive {
        issues: vec![Issue {
            source: "long.txt".into(),
            articles: vec![article],
            ..Issue::default()
        }],
        failures: Vec::new(),
    };
    for (w, h) in [(120u16, 40u16), (200, 60)] {
        let mut app = App::new(
            archive.clone(),
            load_base("vim").expect("vim"),
            AmbiguousWidth::Narrow,
        );
        app.update(Action::Open, 1, false);
        app.update(Action::Open, 1, false);
        let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("terminal");
        terminal.draw(|f| ui::render(f, &mut app)).expect("draw");
        let lines_on_screen = h as f64 - 3.0;
        let each = time(
            &format!("frame {w}x{h}, scrolling one line per frame"),
            500,
            || {
                app.update(Action::Down, 1, false);
                terminal.draw(|f| ui::render(f, &mut app)).map(|_| ())
            },
        );
        println!(
            "{:<52} {:>10.4} ms",
            "  per line on screen",
            each.as_secs_f64() * 1000.0 / lines_on_screen
        );
    }
}
