//! Per-keystroke cost of the jump popup over generated headlines drawn from the sample text:
//! the index build, then each keystroke of a Chinese and a pinyin query typed one character at
//! a time, narrowing as the popup does. `cargo bench --bench find` (sizes: 100k and 1M headlines;
//! `KANBAO_BENCH_SIZES=100000` to choose). Target (2 cores, issue #20): every keystroke, Chinese
//! or pinyin, under 16 ms (one frame) at both sizes.

use std::time::{Duration, Instant};

use kanbao::find::HeadlineIndex;
use kanbao::library::generate::generate_headlines;

/// Types `query` one character at a time as the popup does; returns each keystroke's time.
fn type_query(index: &HeadlineIndex, query: &str) -> Vec<Duration> {
    let all: Vec<u32> = (0..index.len() as u32).collect();
    let mut matching = all.clone();
    let mut typed = String::new();
    let mut times = Vec::new();
    for c in query.chars() {
        typed.push(c);
        let start = Instant::now();
        let (top, found) = index.rank(&typed, Some(&matching), 500);
        times.push(start.elapsed());
        std::hint::black_box(top);
        matching = found;
    }
    times
}

fn main() {
    let sizes: Vec<usize> = std::env::var("KANBAO_BENCH_SIZES")
        .ok()
        .map(|v| v.split(',').filter_map(|s| s.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![100_000, 1_000_000]);
    for size in sizes {
        let archive = generate_headlines(size);
        let start = Instant::now();
        let index = HeadlineIndex::build(&archive);
        println!(
            "{size} headlines: index built in {:.0} ms",
            start.elapsed().as_secs_f64() * 1000.0
        );
        for query in ["制造业", "数字化转型", "caoxian", "shuzi", "zgsn"] {
            // Warm up once, then measure the median of five runs per keystroke.
            type_query(&index, query);
            let runs: Vec<Vec<Duration>> = (0..5).map(|_| type_query(&index, query)).collect();
            let per_key: Vec<f64> = (0..runs[0].len())
                .map(|k| {
                    let mut t: Vec<f64> =
                        runs.iter().map(|r| r[k].as_secs_f64() * 1000.0).collect();
                    t.sort_by(f64::total_cmp);
                    t[2]
                })
                .collect();
            let worst = per_key.iter().copied().fold(0.0, f64::max);
            let keys: Vec<String> = per_key.iter().map(|t| format!("{t:.1}")).collect();
            println!(
                "  {query:<10} per keystroke ms: [{}]  worst {worst:.1}",
                keys.join(", ")
            );
        }
    }
}
