//! A deterministic archive generator for benchmarks and scale tests: N issues made by
//! recombining the built-in samples' articles under new mastheads (dates, numbers), in the
//! samples' own plain shape. The same N always gives the same files.

use std::fmt::Write as _;
use std::path::Path;

use super::samples::builtin_archive;
use crate::model::{Archive, Article, Issue};

struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) as usize
    }
}

/// Writes an article back in the plain shape the samples use.
fn write_article(out: &mut String, article: &Article) {
    for line in [&article.kicker, &article.title, &article.subtitle]
        .into_iter()
        .flatten()
    {
        let _ = write!(out, "{line}\n\n");
    }
    if let Some(byline) = &article.byline {
        out.push_str(byline);
    }
    for (i, p) in article.paragraphs.iter().enumerate() {
        if i == 0
            && article
                .byline
                .as_deref()
                .is_some_and(|b| b.ends_with(')') || b.ends_with('）'))
        {
            let _ = write!(out, "{p}\n\n");
        } else {
            if i == 0 && article.byline.is_some() {
                out.push_str("\n\n");
            }
            let _ = write!(out, "{p}\n\n");
        }
    }
    if let Some(credit) = &article.credit {
        let _ = write!(out, "{credit}\n\n");
    }
}

/// Writes `count` issues under `dir` (`000/000000.txt`, … a thousand per folder); returns the
/// number of bytes written.
pub fn generate_archive(count: usize, dir: &Path) -> std::io::Result<usize> {
    let samples = builtin_archive();
    let articles: Vec<&Article> = samples
        .issues
        .iter()
        .flat_map(|i| &i.articles)
        .filter(|a| a.title.is_some())
        .collect();
    let papers: Vec<String> = samples
        .issues
        .iter()
        .filter_map(|i| i.paper.clone())
        .collect();
    let mut rng = Lcg(20_261_123);
    let mut bytes = 0usize;
    for n in 0..count {
        let day = n % 365;
        let (month, mday) = ((day / 28) % 12 + 1, day % 28 + 1);
        let year = 2000 + n / 365;
        let mut text = String::new();
        let paper = &papers[n % papers.len().max(1)];
        let _ = write!(
            text,
            "\n\n{paper}\n\n{year}年{month}月{mday}日\n\n星期一\n\n总第{}期\n\n今日4版\n\n",
            1000 + n
        );
        for _ in 0..8 + rng.next() % 5 {
            write_article(&mut text, articles[rng.next() % articles.len()]);
        }
        bytes += text.len();
        let sub = dir.join(format!("{:03}", n / 1000));
        std::fs::create_dir_all(&sub)?;
        std::fs::write(sub.join(format!("{n:06}.txt")), text)?;
    }
    Ok(bytes)
}

/// An archive of `count` headlines of 12–28 characters cut from the sample paragraphs (100 per
/// issue, titles only), for the matching benchmarks.
pub fn generate_headlines(count: usize) -> Archive {
    let samples = builtin_archive();
    let text: Vec<char> = samples
        .issues
        .iter()
        .flat_map(|i| i.articles.iter().flat_map(|a| a.paragraphs.iter()))
        .flat_map(|p| {
            p.chars()
                .filter(|c| !c.is_whitespace() && !"，。、；：“”".contains(*c))
        })
        .collect();
    let mut rng = Lcg(2026);
    let mut issues = Vec::new();
    let per_issue = 100;
    for n in 0..count.div_ceil(per_issue) {
        let articles = (0..per_issue.min(count - n * per_issue))
            .map(|_| {
                let len = 12 + rng.next() % 17;
                let start = rng.next() % (text.len() - len);
                Article {
                    title: Some(text[start..start + len].iter().collect()),
                    ..Article::default()
                }
            })
            .collect();
        issues.push(Issue {
            source: format!("gen/{n:06}.txt"),
            articles,
            ..Issue::default()
        });
    }
    Archive {
        issues,
        failures: Vec::new(),
    }
}
