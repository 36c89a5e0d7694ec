//! The direct (character) matcher, measured beside the alternatives the jump issue names: one
//! query scored against 1,000,000 generated CJK headlines, all matches kept, the best 500
//! sorted — fuzzy-matcher's SkimMatcherV2 (the design's first choice), nucleo-matcher and
//! frizbee (SIMD), each alone over every headline, and kanbao's `HeadlineIndex::rank`, which starts
//! from the posting list of the query's rarest character, rejects on character and letter
//! masks, scores direct matches with frizbee and runs on both cores. `cargo bench --bench matchers`
//! (`KANBAO_BENCH_SIZES` to choose the sizes).

use std::time::Instant;

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;
use kanbao::find::HeadlineIndex;
use kanbao::library::generate::generate_headlines;

/// Best of three runs of `f`, in milliseconds, and its result.
fn best_ms<T>(mut f: impl FnMut() -> T) -> (f64, T) {
    let mut best = f64::MAX;
    let mut out = None;
    for _ in 0..3 {
        let start = Instant::now();
        let result = f();
        best = best.min(start.elapsed().as_secs_f64() * 1000.0);
        out = Some(result);
    }
    (best, out.expect("ran"))
}

/// The best `limit` of `(index, score)`, sorted.
fn top(mut hits: Vec<(usize, i64)>, limit: usize) -> usize {
    let order = |a: &(usize, i64), b: &(usize, i64)| b.1.cmp(&a.1).then(a.0.cmp(&b.0));
    let found = hits.len();
    if hits.len() > limit {
        hits.select_nth_unstable_by(limit, order);
        hits.truncate(limit);
    }
    hits.sort_unstable_by(order);
    found
}

fn main() {
    let sizes: Vec<usize> = std::env::var("KANBAO_BENCH_SIZES")
        .ok()
        .map(|v| v.split(',').filter_map(|s| s.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![1_000_000]);
    for size in sizes {
        let archive = generate_headlines(size);
        let titles: Vec<String> = archive
            .issues
            .iter()
            .flat_map(|i| i.articles.iter().map(|a| a.display_title()))
            .collect();
        let index = HeadlineIndex::build(&archive);
        // nucleo matches UTF-32 text, converted once as its own picker does.
        let utf32: Vec<nucleo_matcher::Utf32String> =
            titles.iter().map(|t| t.as_str().into()).collect();
        println!("{size} headlines: ms per query (best of 3), matches found");
        println!(
            "  {:<12} {:>16} {:>16} {:>16} {:>16} {:>16}",
            "query",
            "skim 1 thread",
            "nucleo 1 thread",
            "frizbee 1 thr",
            "frizbee 2 thr",
            "kanbao rank"
        );
        for query in ["制", "制造业", "数字化转型", "5G", "A类"] {
            let (skim_ms, skim_n) = best_ms(|| {
                let matcher = SkimMatcherV2::default().ignore_case();
                let hits = titles
                    .iter()
                    .enumerate()
                    .filter_map(|(i, t)| Some((i, matcher.fuzzy_match(t, query)?)))
                    .collect();
                top(hits, 500)
            });
            let (nucleo_ms, nucleo_n) = best_ms(|| {
                use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
                let mut matcher = nucleo_matcher::Matcher::new(nucleo_matcher::Config::DEFAULT);
                let pattern = Pattern::parse(query, CaseMatching::Ignore, Normalization::Smart);
                let hits = utf32
                    .iter()
                    .enumerate()
                    .filter_map(|(i, t)| {
                        Some((i, i64::from(pattern.score(t.slice(..), &mut matcher)?)))
                    })
                    .collect();
                top(hits, 500)
            });
            let frizbee = |threads: usize| {
                best_ms(|| {
                    let config = frizbee::Config::default();
                    let mut matcher = frizbee::Matcher::new(query, &config);
                    let matches = if threads == 1 {
                        matcher.match_list(&titles)
                    } else {
                        matcher.match_list_parallel(&titles, threads)
                    };
                    let hits = matches
                        .iter()
                        .map(|m| (m.index as usize, i64::from(m.score)))
                        .collect();
                    top(hits, 500)
                })
            };
            let (friz1_ms, friz_n) = frizbee(1);
            let (friz2_ms, _) = frizbee(2);
            let (rank_ms, _) = best_ms(|| index.rank(query, None, 500).0.len());
            // Every match, counted apart: with a limit, what `rank` keeps for the next
            // keystroke may also hold headlines it set aside unread.
            let rank_n = index.rank(query, None, usize::MAX).1.len();
            let cell = |ms: f64, n: usize| format!("{ms:.1} ({n})");
            println!(
                "  {query:<12} {:>16} {:>16} {:>16} {:>16} {:>16}",
                cell(skim_ms, skim_n),
                cell(nucleo_ms, nucleo_n),
                cell(friz1_ms, friz_n),
                format!("{friz2_ms:.1}"),
                cell(rank_ms, rank_n)
            );
        }
    }
}
