//! A pinyin query compiled against an index's [`CharTable`], once per keystroke, so that
//! matching a headline is table lookups rather than comparing readings.
//!
//! For each character of the archive (a few thousand, not a million headlines' worth) and each
//! query position, the compilation records which runs of query letters the character can take
//! and the best gain for each. Then:
//!
//! - [`CompiledTerm::feasible`] decides whether a headline matches at all: a bit-parallel walk
//!   (bit `i` = "the first `i` letters are matched"), six shift-and-ors per character.
//! - [`CompiledTerm::score`] runs the same alignment as [`super::pinyin_match::pinyin_match`]
//!   (tested equal), but stops as soon as an upper bound on what is still reachable falls below
//!   the score a result needs to enter the list being filled. Over a large archive the list
//!   fills with strong matches quickly and most headlines stop after a character or two.

use super::bounds::{Bounds, LATER_AT_WORD_START, bounds_index};
use super::neighbours::{NeighbourQuery, Neighbours};
use super::pinyin_match::{
    AT_START, AT_WORD_START, CONTIGUOUS, GAP, NONE, can_take, consumptions, ends_word,
    is_transparent,
};
use super::table::{CharTable, StartsQuery};

/// The longest run of query letters one character takes: a six-letter syllable (`zhuang`).
pub(super) const MAX_TAKE: usize = 6;

/// The longest query compiled (its positions are bits of a `u32`); longer ones use the plain
/// matcher.
pub const MAX_QUERY: usize = 31;

/// What scoring a headline found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scored {
    /// The best alignment's score.
    Score(i32),
    /// It matches, but cannot reach the score asked for.
    Below,
}

/// What the bounds say a headline can score, before its characters are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// Not the score asked for.
    Never,
    /// The score asked for only with every character of the match adjacent to the last: a run
    /// of characters spelling the whole query.
    OnlyRuns,
    /// Anything the bounds allow.
    Any,
}

/// What [`CompiledTerm::feasible`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Walk {
    /// The headline does not match.
    Miss,
    /// It matches, but no run of adjacent characters spells the query (asked only when that
    /// is what the score needs).
    Gapped,
    /// It matches; alignment starts at character `begin`.
    Matches {
        /// The first character that can take the query's first letter.
        begin: usize,
    },
}

/// What a headline's bounds depend on besides its characters' gains.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Shape {
    /// It has ASCII letters or digits the query has (taken literally, they gain the most).
    pub ascii_literals: bool,
    /// Its last character after the first that begins a word; 0 if none.
    pub last_word_start: usize,
    /// How many characters after the first begin a word.
    pub word_starts: usize,
    /// Some character after the first that begins a word may take the query's first letter
    /// (true when unsure).
    pub opens: bool,
    /// It is known to have no rare character ([`CompiledTerm::has_rare_in`] was asked
    /// already), so scoring need not look again.
    pub rare_free: bool,
}

impl Shape {
    /// The word openers of a headline's record (`word_openers`) that count: none without a
    /// word start.
    fn openers(&self, word_openers: u32) -> u32 {
        if self.word_starts > 0 {
            word_openers
        } else {
            0
        }
    }
}

/// A bound with the bonus of where its match begins added (`NONE`, and `i32::MAX` for "cannot
/// tell", stay as they are).
fn placed(best: i32, start: i32) -> i32 {
    match best {
        NONE | i32::MAX => best,
        best => best + start,
    }
}

/// What a headline's neighbours allow a match before the bonus of where it begins
/// ([`CompiledTerm::pairs_bound`]), with what placing it needs.
#[derive(Debug, Clone, Copy)]
pub struct PairsBound<'a> {
    pairs: &'a Neighbours,
    openers: u32,
    bounds: usize,
    /// The most a match beginning after the first character gets for where it begins.
    later_start: i32,
    any: i32,
    run: i32,
}

impl PairsBound<'_> {
    /// The most a match can score, and the most a run of adjacent characters spelling the
    /// query can, each beginning where the bonus is `start` at most. `NONE` for what the
    /// headline cannot have (as far as its pairs tell).
    pub fn placed(&self, start: i32) -> (i32, i32) {
        (placed(self.any, start), placed(self.run, start))
    }
}

/// A query compiled for one index.
#[derive(Debug, Clone)]
pub struct CompiledTerm {
    /// Query length.
    m: usize,
    /// The most letters one character can take here: `m`, at most [`MAX_TAKE`].
    kmax: usize,
    /// Per character: bit `i` of `take[id][k - 1]` when it can take query letters `i..i + k`.
    take: Vec<[u32; MAX_TAKE]>,
    /// Per character: the union of its `take` masks (query positions it can take from).
    any: Vec<u32>,
    /// Per character: a word begins after it.
    breaks: Vec<bool>,
    /// Per character: a quote or bracket, skipped inside a match at no cost.
    transparent: Vec<bool>,
    /// Per character: it is one of the few that alone reach some step's best gain (`a` as the
    /// whole syllable 啊 rather than the initial of 安). Headlines without any are bounded
    /// by the next best gain.
    rare: Vec<bool>,
    /// Some character is rare.
    has_rare: bool,
    /// Per character with any option: where its gains start in `gains` (`m * MAX_TAKE` each).
    gain_at: Vec<u32>,
    /// Best gain of taking `k` letters at `i`, at `gain_at + i * MAX_TAKE + k - 1`.
    gains: Vec<i16>,
    /// Upper bounds, indexed by [`bounds_index`].
    bounds: [Bounds; 4],
    /// [`CompiledTerm::later_bound`] by (`opens`, word starts): read for most headlines of a
    /// keystroke, where working it out branched on each one's word starts.
    later: Box<[[i32; 256]; 2]>,
    /// The query's side of the neighbours check (see [`Neighbours`]).
    neighbours: NeighbourQuery,
    /// The query's side of the syllable-start check.
    starts: StartsQuery,
}

impl CompiledTerm {
    /// Compiles `query` (folded) for the characters of `table`; `None` when it is empty or
    /// longer than [`MAX_QUERY`]. `frequency(id)` estimates how many headlines have
    /// character `id` out of `headlines` (it only steers which bounds are tightened).
    pub fn new(
        query: &[char],
        table: &CharTable,
        frequency: impl Fn(u32) -> usize,
        headlines: usize,
    ) -> Option<CompiledTerm> {
        let m = query.len();
        if m == 0 || m > MAX_QUERY {
            return None;
        }
        let mut take = vec![[0u32; MAX_TAKE]; table.len()];
        let mut any = vec![0u32; table.len()];
        let mut gain_at = vec![u32::MAX; table.len()];
        let mut gains: Vec<i16> = Vec::new();
        let mut options = Vec::with_capacity(8);
        let breaks = (0..table.len() as u32)
            .map(|id| ends_word(table.char(id)))
            .collect();
        let transparent = (0..table.len() as u32)
            .map(|id| is_transparent(table.char(id)))
            .collect();
        for id in 0..table.len() as u32 {
            let c = table.char(id);
            let unit = table.unit(id);
            for (i, &q) in query.iter().enumerate() {
                if !can_take(unit, c, q) {
                    continue;
                }
                consumptions(unit, c, query, i, &mut options);
                for &(k, gain) in &options {
                    if k == 0 || k > MAX_TAKE {
                        continue;
                    }
                    let slot = &mut gain_at[id as usize];
                    if *slot == u32::MAX {
                        *slot = gains.len() as u32;
                        gains.resize(gains.len() + m * MAX_TAKE, i16::MIN);
                    }
                    let at = *slot as usize + i * MAX_TAKE + k - 1;
                    gains[at] = gains[at].max(gain as i16);
                    take[id as usize][k - 1] |= 1 << i;
                    any[id as usize] |= 1 << i;
                }
            }
        }
        // Calls `f(i, k - 1, gain)` for every way character `id` can take letters.
        let each_gain = |id: usize, f: &mut dyn FnMut(usize, usize, i32)| {
            for (k, &mask) in take[id].iter().enumerate() {
                let mut bits = mask;
                while bits != 0 {
                    let i = bits.trailing_zeros() as usize;
                    bits &= bits - 1;
                    f(
                        i,
                        k,
                        i32::from(gains[gain_at[id] as usize + i * MAX_TAKE + k]),
                    );
                }
            }
        };
        let literal = |id: usize| table.char(id as u32).is_ascii_alphanumeric();
        // Each step's best gain and how many headlines have a character reaching it; where
        // few do, those characters are marked rare and the step's next best gain bounds
        // headlines without any.
        let mut best_rare = vec![[NONE; MAX_TAKE]; m];
        let mut best_ascii = vec![[NONE; MAX_TAKE]; m];
        for id in 0..table.len() {
            let best = if literal(id) {
                &mut best_ascii
            } else {
                &mut best_rare
            };
            each_gain(id, &mut |i, k, g| best[i][k] = best[i][k].max(g));
        }
        let mut used = vec![[0usize; MAX_TAKE]; m];
        for id in (0..table.len()).filter(|&id| !literal(id)) {
            each_gain(id, &mut |i, k, g| {
                if g == best_rare[i][k] {
                    used[i][k] += frequency(id as u32);
                }
            });
        }
        let mut rare = vec![false; table.len()];
        let mut best_common = vec![[NONE; MAX_TAKE]; m];
        for id in (0..table.len()).filter(|&id| !literal(id)) {
            let mut is_rare = false;
            each_gain(id, &mut |i, k, g| {
                is_rare |= g == best_rare[i][k] && used[i][k] * RARE_SHARE <= headlines;
            });
            rare[id] = is_rare;
            if !is_rare {
                each_gain(id, &mut |i, k, g| {
                    best_common[i][k] = best_common[i][k].max(g);
                });
            }
        }
        let with_ascii = |best: &[[i32; MAX_TAKE]]| -> Vec<[i32; MAX_TAKE]> {
            best.iter()
                .zip(&best_ascii)
                .map(|(b, a)| std::array::from_fn(|k| b[k].max(a[k])))
                .collect()
        };
        let splits = query.iter().any(|&c| ends_word(c));
        let (ascii_common, ascii_rare) = (with_ascii(&best_common), with_ascii(&best_rare));
        let best = [&best_common, &best_rare, &ascii_common, &ascii_rare].map(|b| &b[..]);
        let bounds = best.map(|b| Bounds::new(b, splits));
        let neighbours = NeighbourQuery::new(query, best);
        let later = Box::new(std::array::from_fn(|opens| {
            std::array::from_fn(|w| bounds[bounds_index(false, true)].later_match(w, opens == 1))
        }));
        Some(CompiledTerm {
            m,
            kmax: m.min(MAX_TAKE),
            take,
            any,
            breaks,
            transparent,
            has_rare: rare.contains(&true),
            rare,
            gain_at,
            gains,
            bounds,
            later,
            neighbours,
            starts: StartsQuery::new(query),
        })
    }

    /// Whether a headline (its characters' numbers) matches, and where alignment starts: the
    /// first character that can take the query's first letter. With `only_runs` (what
    /// [`Reach::OnlyRuns`] asks), a match counts only if a run of adjacent characters spells
    /// the whole query.
    pub fn feasible(&self, ids: &[u32], only_runs: bool) -> Walk {
        // The walk unrolled for the longest take this query allows.
        match self.kmax {
            1 => self.walk::<1>(ids, only_runs),
            2 => self.walk::<2>(ids, only_runs),
            3 => self.walk::<3>(ids, only_runs),
            4 => self.walk::<4>(ids, only_runs),
            5 => self.walk::<5>(ids, only_runs),
            _ => self.walk::<MAX_TAKE>(ids, only_runs),
        }
    }

    /// [`CompiledTerm::feasible`] for `kmax == K`.
    fn walk<const K: usize>(&self, ids: &[u32], only_runs: bool) -> Walk {
        let goal = 1u32 << self.m;
        let Some(begin) = ids.iter().position(|&id| self.any[id as usize] & 1 != 0) else {
            return Walk::Miss;
        };
        // Bit i of `reach`: the first i letters are taken by the characters so far, gaps
        // allowed; of `run`: by a run of adjacent characters ending at the last one (bit 0: a
        // run may begin at any character). Both walks read the same masks.
        let (mut reach, mut run) = (1u32, 1u32);
        let mut spelled = false;
        for &id in &ids[begin..] {
            let t = &self.take[id as usize];
            // A quote or bracket does not end a run.
            let carried = if self.transparent[id as usize] {
                run
            } else {
                0
            };
            let (mut next, mut next_run) = (reach, 1u32 | carried);
            for (k, mask) in t.iter().enumerate().take(K) {
                next |= (reach & mask) << (k + 1);
                next_run |= (run & mask) << (k + 1);
            }
            (reach, run) = (next, next_run);
            spelled |= run & goal != 0;
            if reach & goal != 0 && (spelled || !only_runs) {
                return Walk::Matches { begin };
            }
        }
        if reach & goal != 0 {
            Walk::Gapped
        } else {
            Walk::Miss
        }
    }

    /// True when the headline's first character (number `first`) can take the query's first
    /// letter: a match there gets the start bonus, so such headlines are the likely best.
    #[inline]
    pub fn takes_first(&self, first: u32) -> bool {
        self.any.get(first as usize).is_some_and(|a| a & 1 != 0)
    }

    /// The most a headline without ASCII letters or digits of the query, whose first
    /// character cannot take the query's first letter, can score, with `word_starts` word
    /// starts of which one may begin the match (`opens`). (The bounds that allow rare
    /// characters: a step's best gain over fewer characters is never more.)
    #[inline]
    pub fn later_bound(&self, word_starts: u8, opens: bool) -> i32 {
        self.later[usize::from(opens)][usize::from(word_starts)]
    }

    /// True when some character of the archive is rare for this query.
    #[inline]
    pub fn has_rare(&self) -> bool {
        self.has_rare
    }

    /// True when a headline (its characters' numbers) has a rare character: one of the few
    /// that alone reach some step's best gain. Without one, tighter bounds hold.
    pub fn has_rare_in(&self, ids: &[u32]) -> bool {
        self.has_rare && ids.iter().any(|&id| self.rare[id as usize])
    }

    /// The query's side of [`super::table::SyllableStarts::may_spell`].
    pub fn starts(&self) -> &StartsQuery {
        &self.starts
    }

    /// How a headline (first character number `first`) could score `need`, known without
    /// looking at its other characters.
    /// `rare`: the headline may have a rare character ([`CompiledTerm::has_rare_in`]).
    #[inline]
    pub fn reach(&self, first: u32, need: i32, shape: Shape, rare: bool) -> Reach {
        let bounds = &self.bounds[bounds_index(shape.ascii_literals, rare)];
        let bound = if self.takes_first(first) {
            bounds.first_match(shape.word_starts, shape.opens)
        } else {
            bounds.later_match(shape.word_starts, shape.opens)
        };
        // The bound counts every character after a match's first as adjacent to the one
        // before; each break in a match loses that bonus and skips at least one character
        // (and the character after it may begin a word, which adjacent ones cannot).
        let resumed = if shape.word_starts > 0 {
            LATER_AT_WORD_START
        } else {
            0
        };
        if bound < need {
            Reach::Never
        } else if bound - (CONTIGUOUS + GAP - resumed) < need {
            Reach::OnlyRuns
        } else {
            Reach::Any
        }
    }

    /// The most the place a match begins can add: the start bonus where the first character
    /// (number `first`) can take the query's first letter, else a word start's where one may.
    #[inline]
    pub fn start_bonus(&self, first: u32, shape: Shape) -> i32 {
        if self.takes_first(first) {
            AT_START
        } else if shape.word_starts > 0 && shape.opens {
            AT_WORD_START
        } else {
            0
        }
    }

    /// What a headline's neighbouring letters `pairs` and word openers `word_openers` allow
    /// a match (see `NeighbourQuery::best`), before the bonus of where it begins: worked out
    /// once, then placed by [`PairsBound::placed`] and [`CompiledTerm::first_reach`].
    #[inline]
    pub fn pairs_bound<'a>(
        &self,
        pairs: &'a Neighbours,
        word_openers: u32,
        (shape, rare): (Shape, bool),
    ) -> PairsBound<'a> {
        let bounds = bounds_index(shape.ascii_literals, rare);
        let openers = shape.openers(word_openers);
        let (any, run) = self.neighbours.best(pairs, openers, bounds, None);
        PairsBound {
            pairs,
            openers,
            bounds,
            later_start: if shape.word_starts > 0 && shape.opens {
                AT_WORD_START
            } else {
                0
            },
            any,
            run,
        }
    }

    /// [`PairsBound::placed`] made tighter for a headline whose first character (number
    /// `first`) can begin a match: one beginning there (the start bonus) begins with what that
    /// character itself can take; one beginning later gets a word start's bonus at most.
    /// `None` for a headline whose first character cannot begin a match.
    pub fn first_reach(&self, bound: &PairsBound, first: u32) -> Option<(i32, i32)> {
        if !self.takes_first(first) {
            return None;
        }
        let takes = self.first_gains(first);
        let (first_any, first_run) =
            self.neighbours
                .best(bound.pairs, bound.openers, bound.bounds, Some(&takes));
        Some((
            placed(first_any, AT_START).max(placed(bound.any, bound.later_start)),
            placed(first_run, AT_START).max(placed(bound.run, bound.later_start)),
        ))
    }

    /// What character `first` gains taking the query's first `k + 1` letters (`[k]`; `NONE`
    /// where it cannot).
    fn first_gains(&self, first: u32) -> [i32; MAX_TAKE] {
        let at = self.gain_at.get(first as usize).map_or(u32::MAX, |&at| at);
        std::array::from_fn(|k| match self.gains.get(at as usize + k) {
            Some(&gain) if at != u32::MAX && gain != i16::MIN => i32::from(gain),
            _ => NONE,
        })
    }

    /// At least what [`PairsBound::placed`] gives, from the headline's whole syllables
    /// alone (every pair of letters taken as side by side): a table look-up. `None` when the
    /// query has too many syllables to tabulate.
    #[inline]
    pub fn syllable_reach(
        &self,
        pairs: &Neighbours,
        start: i32,
        (shape, rare): (Shape, bool),
    ) -> Option<(i32, i32)> {
        let bounds = bounds_index(shape.ascii_literals, rare);
        let (any, run) = self
            .neighbours
            .best_by_syllables(pairs, shape.word_starts > 0, bounds)?;
        Some((placed(any, start), placed(run, start)))
    }

    /// Scores a headline that [`CompiledTerm::feasible`] accepted (alignment from `begin`),
    /// exactly as `pinyin_match` does — or [`Scored::Below`] when the score is below `need`,
    /// found out as soon as no alignment can reach it.
    pub fn score(&self, ids: &[u32], begin: usize, need: i32, shape: Shape) -> Scored {
        let m = self.m;
        // Word starts at `j` or later (no more than there are in all).
        let starts_from = |j: usize| {
            if shape.last_word_start >= j.max(1) {
                shape.word_starts
            } else {
                0
            }
        };
        let start_bound = |bounds: &Bounds| {
            if begin == 0 {
                bounds.first_match(starts_from(1), shape.opens)
            } else {
                bounds.later_match(starts_from(begin), shape.opens)
            }
        };
        // The bounds that hold with rare characters first: most headlines stop there without
        // a look at which characters they have.
        let mut bounds = &self.bounds[bounds_index(shape.ascii_literals, true)];
        if start_bound(bounds) < need {
            return Scored::Below;
        }
        if self.has_rare
            && (shape.rare_free
                || !ids
                    .get(begin..)
                    .unwrap_or_default()
                    .iter()
                    .any(|&id| self.rare[id as usize]))
        {
            bounds = &self.bounds[bounds_index(shape.ascii_literals, false)];
            if start_bound(bounds) < need {
                return Scored::Below;
            }
        }
        let width = 2 * (m + 1);
        let (mut store_a, mut store_b) = ([NONE; 2 * (MAX_QUERY + 1)], [NONE; 2 * (MAX_QUERY + 1)]);
        let (mut best, mut next) = (&mut store_a[..width], &mut store_b[..width]);
        best[0] = 0;
        for (j, &id) in ids.iter().enumerate().skip(begin) {
            let id = id as usize;
            let wb = if j == 0 {
                AT_START
            } else if self.breaks[ids[j - 1] as usize] {
                AT_WORD_START
            } else {
                0
            };
            let any = self.any[id];
            next.fill(NONE);
            for i in 0..=m {
                let (here0, here1) = (best[2 * i], best[2 * i + 1]);
                if here0 == NONE && here1 == NONE {
                    continue;
                }
                // Skip this character (a gap inside the match costs; a quote or bracket does
                // not, and keeps the match contiguous).
                if self.transparent[id] {
                    next[2 * i] = next[2 * i].max(here0);
                    next[2 * i + 1] = next[2 * i + 1].max(here1);
                } else {
                    let gap = if i > 0 && i < m { GAP } else { 0 };
                    let skipped = here0.max(here1) - gap;
                    if skipped > next[2 * i] {
                        next[2 * i] = skipped;
                    }
                }
                if i == m || any & (1 << i) == 0 {
                    continue;
                }
                let first = if i == 0 { wb } else { wb / 2 };
                // Adjacent or beginning a word: one bonus or the other, as in `pinyin_match`.
                let from =
                    (if here0 == NONE { NONE } else { here0 + first }).max(if here1 == NONE {
                        NONE
                    } else {
                        here1 + CONTIGUOUS
                    });
                let gains = &self.gains[self.gain_at[id] as usize + i * MAX_TAKE..];
                for (k, mask) in self.take[id][..self.kmax].iter().enumerate() {
                    if mask & (1 << i) != 0 {
                        let slot = 2 * (i + k + 1) + 1;
                        let score = from + i32::from(gains[k]);
                        if score > next[slot] {
                            next[slot] = score;
                        }
                    }
                }
            }
            std::mem::swap(&mut best, &mut next);
            if j + 1 == ids.len() {
                break;
            }
            // What the rest of the headline can still reach: a match not begun yet, or one
            // under way. Below `need`: stop. Not above the match already complete: that is
            // the score (skipping after the end costs nothing).
            let w = starts_from(j + 1);
            let mut open = bounds.later_match(w, shape.opens);
            for i in 1..m {
                let here = best[2 * i].max(best[2 * i + 1]);
                if here != NONE {
                    open = open.max(here + bounds.rest(i, w));
                }
            }
            let done = best[2 * m].max(best[2 * m + 1]);
            if open.max(done) < need {
                return Scored::Below;
            }
            if done >= open {
                break;
            }
        }
        match best[2 * m].max(best[2 * m + 1]) {
            score if score == NONE || score < need => Scored::Below,
            score => Scored::Score(score),
        }
    }
}

/// Characters reaching a step's best gain count as rare when, together, at most one headline
/// in this many has one.
const RARE_SHARE: usize = 64;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::find::fold::fold;
    use crate::find::pinyin_match::pinyin_match;

    /// Queries of every shape: initials, full and partial syllables, polyphones, literal Latin
    /// and digits, Han characters mixed in, letters no reading has.
    const QUERIES: &[&str] = &[
        "c",
        "x",
        "s",
        "a",
        "e",
        "o",
        "5",
        "cx",
        "sh",
        "zg",
        "an",
        "shu",
        "caoxian",
        "caox",
        "shuzi",
        "zgsn",
        "zhongguo",
        "zhg",
        "xinwen",
        "gongzuo",
        "anquan",
        "er",
        "5gjz",
        "5g",
        "2025nian",
        "leiq",
        "chuang",
        "shuang",
        "zhuang",
        "weng",
        "lv",
        "nv",
        "qqq",
        "曹xian",
        "shuzi转型",
        "z国",
        "vvv",
        "ceo",
        "xjp",
        "fazhan",
        "jingji",
        "chongqing",
        "yinhang",
    ];

    /// Feasibility and score are `pinyin_match`'s, on every sample headline and query.
    #[test]
    fn compiled_matching_is_the_plain_matchers() {
        let archive = crate::library::samples::builtin_archive();
        let mut table = CharTable::default();
        let mut ids = std::collections::HashMap::new();
        let headlines: Vec<(Vec<char>, Vec<u32>)> = archive
            .issues
            .iter()
            .flat_map(|i| i.articles.iter().map(|a| a.display_title()))
            .chain(["CEO说5G", "“曹县”：汉服", "A类 2025年 新闻"].map(String::from))
            .chain(
                crate::library::generate::generate_headlines(1000)
                    .issues
                    .iter()
                    .flat_map(|i| i.articles.iter().map(|a| a.display_title()))
                    .collect::<Vec<_>>(),
            )
            .map(|title| {
                let chars = fold(&title);
                let numbers = chars
                    .iter()
                    .map(|&c| *ids.entry(c).or_insert_with(|| table.push(c)))
                    .collect();
                (chars, numbers)
            })
            .collect();
        // How many headlines have each character: the rare-character bounds get exercised.
        let mut frequency = vec![0usize; table.len()];
        for (_, numbers) in &headlines {
            let mut seen = numbers.clone();
            seen.sort_unstable();
            seen.dedup();
            seen.iter().for_each(|&id| frequency[id as usize] += 1);
        }
        let (mut compared, mut matched, mut with_rare) = (0, 0, 0);
        let (mut runs_asked, mut gapped) = (0, 0);
        let (mut exact, mut runless, mut tabulated, mut tighter) = (0, 0, 0, 0);
        for query in QUERIES {
            let query = fold(query);
            let plan =
                CompiledTerm::new(&query, &table, |id| frequency[id as usize], headlines.len())
                    .expect("short query compiles");
            with_rare += usize::from(plan.rare.contains(&true));
            for (chars, numbers) in &headlines {
                let plain = pinyin_match(chars, numbers, &table, &query, false, true);
                let begin = match plan.feasible(numbers, false) {
                    Walk::Matches { begin } => Some(begin),
                    Walk::Miss => None,
                    Walk::Gapped => panic!("gapped only when runs are asked for"),
                };
                assert_eq!(begin.is_some(), plain.is_some(), "{chars:?} / {query:?}");
                let (Some(begin), Some(plain)) = (begin, plain) else {
                    compared += 1;
                    continue;
                };
                let starts: Vec<usize> = (1..chars.len())
                    .filter(|&j| crate::find::pinyin_match::is_word_start(chars, j))
                    .collect();
                let shape = Shape {
                    ascii_literals: chars
                        .iter()
                        .any(|c| c.is_ascii_alphanumeric() && query.contains(c)),
                    last_word_start: starts.last().copied().unwrap_or(0),
                    word_starts: starts.len(),
                    opens: starts
                        .iter()
                        .any(|&j| can_take(table.unit(numbers[j]), chars[j], query[0])),
                    rare_free: false,
                };
                // Told that it has no rare character, scoring scores the same.
                let told = Shape {
                    rare_free: !plan.has_rare_in(numbers),
                    ..shape
                };
                let score = plain.score as i32;
                let context = format!("{:?} / {query:?}", chars.iter().collect::<String>());
                assert_eq!(
                    plan.score(numbers, begin, i32::MIN, shape),
                    Scored::Score(score),
                    "{context}"
                );
                // The bounds are bounds: asking for exactly the score gets it; one more is
                // below, and so is anything the first-character check rules out.
                for shape in [shape, told] {
                    assert_eq!(
                        plan.score(numbers, begin, score, shape),
                        Scored::Score(score),
                        "{context}"
                    );
                    assert_eq!(
                        plan.score(numbers, begin, score + 1, shape),
                        Scored::Below,
                        "{context}"
                    );
                }
                // Nothing is ruled out unread that reaches its score; where only a run of
                // adjacent characters could, the headline has one.
                match plan.reach(numbers[0], score, shape, plan.has_rare_in(numbers)) {
                    Reach::Never => panic!("{context}: ruled out unread"),
                    Reach::OnlyRuns => {
                        runs_asked += 1;
                        assert_eq!(
                            plan.feasible(numbers, true),
                            Walk::Matches { begin },
                            "{context}"
                        );
                    }
                    Reach::Any => {}
                }
                // What the neighbouring letters and whole syllables allow is a bound too, and
                // the run bound holds for every headline with a run.
                let pairs = Neighbours::of(chars, numbers, &table);
                let word_openers = starts
                    .iter()
                    .fold(0, |bits, &j| bits | table.opener_bits(numbers[j]));
                let rare = plan.has_rare_in(numbers);
                let start = plan.start_bonus(numbers[0], shape);
                let bound = plan.pairs_bound(&pairs, word_openers, (shape, rare));
                let (any, run) = bound.placed(start);
                // Tighter where the first character can begin a match, and still a bound.
                if let Some((first_any, first_run)) = plan.first_reach(&bound, numbers[0]) {
                    assert!(
                        first_any >= score && first_any <= any && first_run <= run,
                        "{context}: {first_any}, {first_run} from the first character"
                    );
                    if let Walk::Matches { .. } = plan.feasible(numbers, true) {
                        assert_ne!(first_run, NONE, "{context}: a run it has");
                    }
                    tighter += usize::from(first_any < any);
                }
                assert!(any >= score, "{context}: bound {any}");
                // The table of whole syllables alone bounds what the pairs allow.
                if let Some((any_s, run_s)) = plan.syllable_reach(&pairs, start, (shape, rare)) {
                    assert!(
                        any_s >= any && run_s >= run,
                        "{context}: {any_s}, {run_s} by syllables below {any}, {run}"
                    );
                    tabulated += 1;
                }
                let walk = plan.feasible(numbers, true);
                if let Walk::Matches { .. } = walk {
                    assert_ne!(run, NONE, "{context}: a run it has");
                }
                if plan.reach(numbers[0], score, shape, rare) == Reach::OnlyRuns {
                    assert!(run >= score, "{context}: run bound {run}");
                }
                exact += usize::from(any == score);
                runless += usize::from(run == NONE);
                gapped += usize::from(walk == Walk::Gapped);
                matched += 1;
                compared += 1;
            }
        }
        assert!(
            compared > 40_000 && matched > 5_000,
            "{compared} compared, {matched} matched"
        );
        // Both sides of the run check are exercised.
        assert!(
            runs_asked > 100 && gapped > 1000,
            "{runs_asked} run checks, {gapped} gapped"
        );
        // The neighbours' bound is often the score itself, and often rules a run out.
        assert!(
            exact > 1000 && runless > 1000,
            "{exact} exact, {runless} without a run"
        );
        // What the first character takes often tightens the bound.
        assert!(tighter > 50, "{tighter} tighter from the first character");
        // Most queries have few enough syllables to tabulate.
        assert!(tabulated > 5_000, "{tabulated} bounded by syllables");
        // Rare characters are marked for some queries (else those bounds go untested).
        assert!(with_rare > 5, "{with_rare} queries with rare characters");
    }

    /// A run is adjacent characters spelling the whole query, in any mix of syllables and
    /// initials; a match with a character between its parts is gapped.
    #[test]
    fn runs_are_adjacent_characters_spelling_the_query() {
        let mut table = CharTable::default();
        let mut ids = std::collections::HashMap::new();
        let mut number = |text: &str| -> Vec<u32> {
            text.chars()
                .map(|c| *ids.entry(c).or_insert_with(|| table.push(c)))
                .collect()
        };
        let cases = [
            ("曹县", "caoxian", Walk::Matches { begin: 0 }),
            ("山东曹县", "caox", Walk::Matches { begin: 2 }),
            ("曹某县", "caoxian", Walk::Gapped),
            ("曹某县，曹县", "cx", Walk::Matches { begin: 0 }),
            ("曹某县", "cx", Walk::Gapped),
            ("县曹", "cx", Walk::Miss),
        ];
        let numbered: Vec<_> = cases
            .iter()
            .map(|(text, query, want)| (number(text), fold(query), *want))
            .collect();
        for (numbers, query, want) in numbered {
            let plan = CompiledTerm::new(&query, &table, |_| 0, 1).expect("compiles");
            assert_eq!(plan.feasible(&numbers, true), want, "{query:?}");
            let any = plan.feasible(&numbers, false);
            assert_eq!(any == Walk::Miss, want == Walk::Miss, "{query:?}");
        }
    }

    #[test]
    fn empty_and_overlong_queries_do_not_compile() {
        let table = CharTable::default();
        let compile = |query: &[char]| CompiledTerm::new(query, &table, |_| 0, 0);
        assert!(compile(&[]).is_none());
        assert!(compile(&['a'; MAX_QUERY + 1]).is_none());
        assert!(compile(&['a'; MAX_QUERY]).is_some());
    }
}
