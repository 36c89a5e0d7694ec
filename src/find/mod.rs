//! Finding headlines by typing a few characters — Chinese, Latin, or pinyin (`cx` → 曹县,
//! `caoxian`, `曹xian`). No terminal types here.
//!
//! An [`Index`] is built once per archive: every headline (kicker + title + subtitle) folded for
//! matching, each Han character mapped to its pinyin readings, and bit masks that reject most
//! headlines before any scoring. A query is split into space-separated terms that must all
//! match (fzf's `'exact`, `^prefix` and `!not` work too). A term matching the characters
//! themselves is scored by frizbee (SIMD Smith-Waterman) and always ranks above a pinyin match;
//! pinyin matches are scored by syllable alignment (a full syllable, an initial such as `c` or
//! `zh`, or a partial last syllable) with bonuses for contiguous characters and word starts.
//! Ties go to the shorter headline, then to reading order.

pub mod fold;
pub mod pinyin_match;
pub mod query;

use std::collections::HashMap;

use crate::model::{Archive, Headline};
use fold::{fold, readings};
use pinyin_match::{PinyinUnit, SyllableStarts, pinyin_match};
use query::{Term, TermKind, parse_query};

/// One direct matcher per term (frizbee compiles its pattern once and reuses its buffers).
fn direct_matchers(terms: &[Term]) -> Vec<frizbee::Matcher> {
    let config = frizbee::Config::default();
    terms
        .iter()
        .map(|t| frizbee::Matcher::new(t.text.as_str(), &config))
        .collect()
}

/// Scores of direct matches sit above every pinyin score.
const DIRECT_TIER: i64 = 1 << 40;

/// A hasher for `char` keys: one multiply. The index looks up every character of every
/// headline twice while it is built; SipHash made that a third of the build.
#[derive(Default)]
struct CharHasher(u64);

impl std::hash::Hasher for CharHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }

    fn write_u32(&mut self, n: u32) {
        self.0 = (self.0 ^ u64::from(n)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

type CharMap<V> = HashMap<char, V, std::hash::BuildHasherDefault<CharHasher>>;

/// One searchable headline.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Issue index in the archive.
    pub issue: usize,
    /// Article index in the issue.
    pub article: usize,
    /// What is searched and shown: kicker, title and subtitle joined by spaces.
    pub text: String,
    /// Character count of `text` where the title begins (after the kicker).
    pub title_start: usize,
    /// Character count of `text` where the subtitle begins, if any.
    pub subtitle_start: Option<usize>,
    folded: String,
    chars: Vec<char>,
    units: Vec<u32>,
    /// Letters that can start or appear in a match: ASCII letters and digits of the text and
    /// every letter of every reading.
    letters: u64,
    /// Han characters and other non-ASCII characters of the text, hashed into 64 bits.
    char_mask: CharMask,
    /// ASCII letters and digits of the text itself (not of readings).
    literal: u64,
    /// Which syllable beginnings the text can spell, to reject before aligning pinyin.
    starts: SyllableStarts,
}

/// The search data of an archive, built once.
#[derive(Debug, Default)]
pub struct Index {
    /// Every headline, in reading order.
    pub entries: Vec<Entry>,
    readings: Vec<PinyinUnit>,
    /// For each non-ASCII character, the entries containing it, in order: a query with a Han
    /// character starts from that list instead of scanning every headline.
    postings: CharMap<Vec<u32>>,
}

/// A result: which entry and how well it matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    /// Index into [`Index::entries`].
    pub entry: usize,
    /// Higher is better.
    pub score: i64,
}

/// Bit for a letter or digit in a `letters` mask.
fn letter_bit(c: char) -> u64 {
    match c {
        'a'..='z' => 1 << (c as u32 - 'a' as u32),
        '0'..='9' => 1 << (26 + c as u32 - '0' as u32),
        _ => 0,
    }
}

/// The non-ASCII characters of a text hashed into 256 bits: a headline without one of a
/// query's characters is rejected on this alone. (64 bits let a fifth of all headlines through
/// for any one Han character; 256 bits, a fifteenth.)
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CharMask([u64; 4]);

impl CharMask {
    /// Adds `c` (ASCII characters are not recorded).
    pub fn add(&mut self, c: char) {
        if !c.is_ascii() {
            let bit = (c as u32).wrapping_mul(2_654_435_761) >> 24;
            self.0[(bit >> 6) as usize] |= 1 << (bit & 63);
        }
    }

    /// The mask of `chars`.
    pub fn of(chars: &[char]) -> CharMask {
        let mut mask = CharMask::default();
        chars.iter().for_each(|&c| mask.add(c));
        mask
    }

    /// True when every character of `other` may be in this mask's text.
    pub fn covers(&self, other: &CharMask) -> bool {
        self.0.iter().zip(&other.0).all(|(a, b)| b & !a == 0)
    }
}

impl Index {
    /// Builds the index of every article's headline in `archive`.
    pub fn build(archive: &Archive) -> Index {
        let summaries: Vec<Vec<Headline>> = archive
            .issues
            .iter()
            .map(|issue| issue.articles.iter().map(|a| a.headline()).collect())
            .collect();
        Index::from_headlines(summaries.iter().map(Vec::as_slice).enumerate())
    }

    /// Builds the index of `(issue index, that issue's headlines)`, in reading order.
    pub fn from_headlines<'a>(issues: impl Iterator<Item = (usize, &'a [Headline])>) -> Index {
        let mut index = Index::default();
        let mut ids: CharMap<u32> = CharMap::default();
        for (issue_no, headlines) in issues {
            for (article_no, headline) in headlines.iter().enumerate() {
                let kicker = headline.kicker.as_deref().unwrap_or("");
                let title = &headline.title;
                let mut text = String::new();
                let mut title_start = 0;
                if !kicker.is_empty() {
                    text.push_str(kicker);
                    text.push(' ');
                    title_start = text.chars().count();
                }
                text.push_str(title);
                let subtitle_start = headline.subtitle.as_deref().map(|s| {
                    text.push(' ');
                    let at = text.chars().count();
                    text.push_str(s);
                    at
                });
                let chars = fold(&text);
                let mut letters = 0u64;
                let mut char_mask = CharMask::default();
                let literal = chars.iter().map(|&c| letter_bit(c)).fold(0, |a, b| a | b);
                let mut units = Vec::with_capacity(chars.len());
                let mut starts = SyllableStarts::default();
                for &c in &chars {
                    letters |= letter_bit(c);
                    starts.add_literal(c);
                    char_mask.add(c);
                    let id = match ids.get(&c) {
                        Some(id) => *id,
                        None => {
                            let found = readings(c);
                            let id = if found.is_empty() {
                                u32::MAX
                            } else {
                                index.readings.push(PinyinUnit::new(&found));
                                (index.readings.len() - 1) as u32
                            };
                            ids.insert(c, id);
                            id
                        }
                    };
                    if let Some(unit) = index.readings.get(id as usize) {
                        letters |= unit.letters;
                        starts.add_unit(unit);
                    }
                    units.push(id);
                }
                let entry_no = index.entries.len() as u32;
                for &c in &chars {
                    if !c.is_ascii() {
                        let list = index.postings.entry(c).or_default();
                        if list.last() != Some(&entry_no) {
                            list.push(entry_no);
                        }
                    }
                }
                index.entries.push(Entry {
                    issue: issue_no,
                    article: article_no,
                    folded: chars.iter().collect(),
                    text,
                    title_start,
                    subtitle_start,
                    chars,
                    units,
                    letters,
                    char_mask,
                    literal,
                    starts,
                });
            }
        }
        index
    }

    /// Ranks the entries in `candidates` (all when `None`) against `query`, best first, at most
    /// `limit`. An empty query lists the candidates in reading order.
    pub fn search(&self, query: &str, candidates: Option<&[usize]>, limit: usize) -> Vec<Hit> {
        self.rank(query, candidates, limit).0
    }

    /// Like [`Index::search`], also returning every matching entry in index order (what a
    /// longer query needs to search again), from one scoring pass.
    pub fn rank(
        &self,
        query: &str,
        candidates: Option<&[usize]>,
        limit: usize,
    ) -> (Vec<Hit>, Vec<usize>) {
        let terms = parse_query(query);
        let all: Vec<usize>;
        let whole = candidates.is_none_or(|c| c.len() == self.entries.len());
        let candidates = match candidates {
            // Over the whole index, a term's rarest character names the only entries that
            // can match.
            _ if whole && let Some(list) = self.rarest_posting(&terms) => {
                all = list.iter().map(|&e| e as usize).collect();
                &all
            }
            Some(c) => c,
            None => {
                all = (0..self.entries.len()).collect();
                &all
            }
        };
        if terms.is_empty() {
            let top = candidates
                .iter()
                .take(limit)
                .map(|&entry| Hit { entry, score: 0 })
                .collect();
            return (top, candidates.to_vec());
        }
        let score_chunk = |chunk: &[usize]| -> Vec<Hit> {
            let mut matchers = direct_matchers(&terms);
            chunk
                .iter()
                .filter_map(|&entry| {
                    self.score(entry, &terms, &mut matchers)
                        .map(|score| Hit { entry, score })
                })
                .collect()
        };
        let mut hits: Vec<Hit> = if candidates.len() > 20_000 {
            let (left, right) = candidates.split_at(candidates.len() / 2);
            std::thread::scope(|scope| {
                let other = scope.spawn(|| score_chunk(right));
                let mut mine = score_chunk(left);
                mine.extend(other.join().unwrap_or_default());
                mine
            })
        } else {
            score_chunk(candidates)
        };
        let order = |a: &Hit, b: &Hit| {
            b.score
                .cmp(&a.score)
                .then_with(|| {
                    self.entries[a.entry]
                        .chars
                        .len()
                        .cmp(&self.entries[b.entry].chars.len())
                })
                .then_with(|| a.entry.cmp(&b.entry))
        };
        // Candidates come in index order and chunks are joined in order: so are the matches.
        let matching: Vec<usize> = hits.iter().map(|h| h.entry).collect();
        if hits.len() > limit {
            hits.select_nth_unstable_by(limit, order);
            hits.truncate(limit);
        }
        hits.sort_unstable_by(order);
        (hits, matching)
    }

    /// The shortest posting list of a non-ASCII character that some term requires.
    fn rarest_posting(&self, terms: &[Term]) -> Option<&[u32]> {
        const EMPTY: &[u32] = &[];
        terms
            .iter()
            .filter(|t| t.kind != TermKind::Negate)
            .flat_map(|t| t.chars.iter().filter(|c| !c.is_ascii()))
            .map(|c| self.postings.get(c).map_or(EMPTY, Vec::as_slice))
            .min_by_key(|list| list.len())
    }

    fn score(
        &self,
        entry: usize,
        terms: &[Term],
        matchers: &mut [frizbee::Matcher],
    ) -> Option<i64> {
        let e = &self.entries[entry];
        let mut total = 0i64;
        for (term, matcher) in terms.iter().zip(matchers) {
            if term.kind != TermKind::Negate
                && (term.letters & !e.letters != 0 || !e.char_mask.covers(&term.char_mask))
            {
                return None;
            }
            let score = self.score_term(e, term, matcher);
            match (term.kind, score) {
                (TermKind::Negate, Some(_)) => return None,
                (TermKind::Negate, None) => {}
                (_, Some(s)) => total += s,
                (_, None) => return None,
            }
        }
        Some(total)
    }

    /// The score of one term (a negated term "matches" when its text occurs).
    fn score_term(&self, e: &Entry, term: &Term, matcher: &mut frizbee::Matcher) -> Option<i64> {
        match term.kind {
            TermKind::Exact => {
                let at = find_sub(&e.chars, &term.chars)?;
                Some(DIRECT_TIER + 1000 - at as i64)
            }
            TermKind::Negate => {
                if find_sub(&e.chars, &term.chars).is_some() {
                    return Some(0);
                }
                // `!zhengfu` also excludes 政府: a pinyin match of consecutive characters.
                if !term.has_letters || term.letters & !e.letters != 0 {
                    return None;
                }
                let m = pinyin_match(&e.chars, &e.units, &self.readings, &term.chars, false, true)?;
                let consecutive = m.positions.windows(2).all(|w| w[1] == w[0] + 1);
                consecutive.then_some(0)
            }
            TermKind::Prefix => {
                if e.chars.starts_with(&term.chars) {
                    return Some(DIRECT_TIER + 2000);
                }
                pinyin_match(&e.chars, &e.units, &self.readings, &term.chars, true, false)
                    .map(|m| m.score)
            }
            TermKind::Fuzzy => {
                // The characters themselves, in order: only then is the direct matcher worth running.
                // (One character needs no scan: the masks and the matcher decide.)
                let direct_possible = term.letters & !e.literal == 0
                    && (term.chars.len() == 1 || is_subsequence(&term.chars, &e.chars));
                if direct_possible && let Some(found) = matcher.match_one(&e.folded, 0) {
                    return Some(DIRECT_TIER + i64::from(found.score));
                }
                if !term.has_letters || !e.starts.may_match(&term.chars) {
                    return None;
                }
                pinyin_match(
                    &e.chars,
                    &e.units,
                    &self.readings,
                    &term.chars,
                    false,
                    false,
                )
                .map(|m| m.score)
            }
        }
    }

    /// Character positions in the entry's `text` that `query` matched, for highlighting.
    pub fn positions(&self, entry: usize, query: &str) -> Vec<usize> {
        let e = &self.entries[entry];
        let mut out = Vec::new();
        for term in parse_query(query) {
            match term.kind {
                TermKind::Negate => {}
                TermKind::Exact => {
                    if let Some(at) = find_sub(&e.chars, &term.chars) {
                        out.extend(at..at + term.chars.len());
                    }
                }
                TermKind::Prefix if e.chars.starts_with(&term.chars) => {
                    out.extend(0..term.chars.len())
                }
                TermKind::Prefix | TermKind::Fuzzy => {
                    let direct = (term.kind == TermKind::Fuzzy
                        && is_subsequence(&term.chars, &e.chars))
                    .then(|| direct_positions(&e.folded, &term.text))
                    .flatten();
                    match direct {
                        Some(indices) => out.extend(indices),
                        None => {
                            let anchored = term.kind == TermKind::Prefix;
                            if let Some(m) = pinyin_match(
                                &e.chars,
                                &e.units,
                                &self.readings,
                                &term.chars,
                                anchored,
                                true,
                            ) {
                                out.extend(m.positions);
                            }
                        }
                    }
                }
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// The characters of `haystack` a direct match of `needle` uses (frizbee reports bytes).
fn direct_positions(haystack: &str, needle: &str) -> Option<Vec<usize>> {
    let mut matcher = frizbee::Matcher::new(needle, &frizbee::Config::default());
    let found = matcher.match_one_indices(haystack, 0)?;
    let starts: Vec<usize> = haystack.char_indices().map(|(at, _)| at).collect();
    let mut chars: Vec<usize> = found
        .indices
        .iter()
        .map(|&byte| starts.partition_point(|&s| s <= byte as usize) - 1)
        .collect();
    chars.sort_unstable();
    chars.dedup();
    Some(chars)
}

/// True when `needle`'s characters occur in `haystack` in order (case already folded).
fn is_subsequence(needle: &[char], haystack: &[char]) -> bool {
    let mut rest = haystack.iter();
    needle.iter().all(|c| *c == ' ' || rest.any(|h| h == c))
}

/// Position of `needle` in `haystack`.
fn find_sub(haystack: &[char], needle: &[char]) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    haystack.windows(needle.len()).position(|w| w == needle)
}
