//! Scoring one headline against a query: the characters themselves (frizbee), else their
//! pinyin; and which characters matched, for highlighting.

use std::sync::LazyLock;

use super::compiled::{CompiledTerm, Reach, Scored, Shape, Walk};
use super::index::{HeadlineIndex, Hot};
use super::mask::opener_bit;
use super::pinyin_match::{NONE, PinyinMatch, pinyin_match};
use super::query::{Term, TermKind, parse_query};
use super::rank::TopK;

/// The most the direct matcher scores one query character matched anywhere but at a
/// headline's first character (which alone gets the prefix bonus), from frizbee's scoring: the
/// match with its case bonus, the delimiter and capitalization bonuses (at most one applies;
/// both counted), and — `[1]` — the exact-match bonus when the headline is that one character.
pub(super) static LATER_CHAR_CEILING: LazyLock<[i64; 2]> = LazyLock::new(|| {
    let s = frizbee::Config::default().scoring;
    let later = [
        s.match_score,
        s.matching_case_bonus,
        s.delimiter_bonus,
        s.capitalization_bonus,
    ]
    .into_iter()
    .map(i64::from)
    .sum::<i64>();
    [later, later + i64::from(s.exact_match_bonus)]
});

/// One direct matcher per term (frizbee compiles its pattern once and reuses its buffers).
pub(super) fn direct_matchers(terms: &[Term]) -> Vec<frizbee::Matcher> {
    let config = frizbee::Config::default();
    terms
        .iter()
        .map(|t| frizbee::Matcher::new(t.text.as_str(), &config))
        .collect()
}

/// What matching one headline found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Outcome {
    /// It does not match.
    Miss,
    /// It may match, but scores below what the results need: ruled out before finding out
    /// whether it matches at all (it stays a candidate for a longer query).
    Below,
    /// It matches with this score.
    Score(i64),
    /// It does not match, but a longer query may: initials scattered over the headline do not
    /// match an abbreviation (`sh`), yet they may spell what it grows into (`shu`). Kept among
    /// the candidates, not among the results.
    Candidate,
}

/// Scores of direct matches sit above every pinyin score.
pub(super) const DIRECT_TIER: i64 = 1 << 40;

/// What a pinyin term's bounds say of a headline before its characters are read.
#[derive(Debug, Clone, Copy)]
enum Bounded {
    /// What scoring it would find.
    Settled(Outcome),
    /// Only its characters tell; what walking them needs of the bounds.
    Open { shape: Shape, reach: Reach },
}

/// What a bound on a headline (`best`: what any match, and a run spelling the whole query,
/// can score; `reach`: what the cheaper bounds allow) settles against `need`: no match at all,
/// an abbreviation without a run (not a match, but maybe what a longer query spells), or too
/// little. `None`: it leaves hope.
fn settled_by(best: (i32, i32), reach: Reach, need: i32, abbreviation: bool) -> Option<Outcome> {
    let (any, run) = best;
    let short = match reach {
        Reach::Never => true,
        Reach::OnlyRuns => run < need,
        Reach::Any => any < need,
    };
    if any == NONE {
        Some(Outcome::Miss)
    } else if abbreviation && run == NONE {
        Some(Outcome::Candidate)
    } else if short {
        Some(Outcome::Below)
    } else {
        None
    }
}

/// True when a word start of the headline (its record `hot`) may begin a match of `term`: one
/// of them can take the term's first letter, or the term begins with something no word start
/// is marked for.
fn word_may_open(term: &Term, hot: &Hot) -> bool {
    match term.chars.first().map_or(0, |&c| opener_bit(c)) {
        0 => true,
        bit => hot.word_openers & bit != 0,
    }
}

impl HeadlineIndex {
    /// Matches every term against `entry`; a single fuzzy term's pinyin scoring stops early
    /// when the score cannot reach `need`.
    pub(super) fn score(
        &self,
        entry: usize,
        terms: &[Term],
        matchers: &mut [frizbee::Matcher],
        compiled: &[Option<CompiledTerm>],
        need: i64,
    ) -> Outcome {
        // One term (most queries): no sum to keep.
        if let ([term], [matcher], [plan]) = (terms, &mut *matchers, compiled) {
            return self.score_one_term(entry, term, matcher, plan.as_ref(), need);
        }
        let mut total = 0i64;
        let (mut below, mut candidate) = (false, false);
        for ((term, matcher), plan) in terms.iter().zip(matchers).zip(compiled) {
            match self.score_one_term(entry, term, matcher, plan.as_ref(), need) {
                Outcome::Miss => return Outcome::Miss,
                Outcome::Below => below = true,
                Outcome::Candidate => candidate = true,
                Outcome::Score(s) => total += s,
            }
        }
        if candidate {
            Outcome::Candidate
        } else if below {
            Outcome::Below
        } else {
            Outcome::Score(total)
        }
    }

    /// One term of a query against `entry` (a negated term scores 0 where its text is absent).
    fn score_one_term(
        &self,
        entry: usize,
        term: &Term,
        matcher: &mut frizbee::Matcher,
        plan: Option<&CompiledTerm>,
        need: i64,
    ) -> Outcome {
        // The character mask first: a query of Han characters then never reads `hot`.
        if term.kind != TermKind::Negate
            && (term
                .char_mask
                .is_some_and(|mask| !self.char_masks[entry].covers(&mask))
                || (term.letters != 0 && term.letters & !self.hot[entry].letters != 0))
        {
            return Outcome::Miss;
        }
        match term.kind {
            TermKind::Fuzzy => self.score_fuzzy(entry, term, matcher, plan, need),
            TermKind::Negate => match self.score_term(entry, term) {
                Some(_) => Outcome::Miss,
                None => Outcome::Score(0),
            },
            _ => self
                .score_term(entry, term)
                .map_or(Outcome::Miss, Outcome::Score),
        }
    }

    /// A fuzzy term: the characters themselves (scored by frizbee), else pinyin.
    fn score_fuzzy(
        &self,
        entry: usize,
        term: &Term,
        matcher: &mut frizbee::Matcher,
        plan: Option<&CompiledTerm>,
        need: i64,
    ) -> Outcome {
        // The characters themselves, in order: only then is the direct matcher worth running.
        // (One character needs no scan: the masks and the matcher decide.)
        // (Only a headline that may match directly is looked at beyond `hot`; a term of Han
        // characters alone does not read `hot` at all.)
        if term.letters == 0 || term.letters & !self.hot[entry].literal == 0 {
            // One character matched anywhere but first scores at most so much: once the
            // results are full of headlines beginning with it, the rest are passed over
            // without reading their text.
            if let [c] = term.chars[..]
                && self.table.char(self.first_ids[entry]) != c
                && DIRECT_TIER + LATER_CHAR_CEILING[usize::from(self.hot[entry].len == 1)] < need
            {
                return Outcome::Below;
            }
            // (Read from the folded text, which the matcher reads next anyway.)
            let folded = self.folded_of(entry);
            let direct_possible = term.chars.len() == 1 || is_subsequence_of(&term.chars, folded);
            if direct_possible && let Some(found) = matcher.match_one(folded, 0) {
                return Outcome::Score(DIRECT_TIER + i64::from(found.score));
            }
        }
        if !term.has_letters {
            return Outcome::Miss;
        }
        let hot = &self.hot[entry];
        let ids = self.ids_of(entry);
        let Some(plan) = plan else {
            if !hot.starts.may_match(&term.chars) {
                return Outcome::Miss;
            }
            let chars = self.chars_of(entry);
            return match pinyin_match(chars, ids, &self.table, &term.chars, false, false) {
                None => Outcome::Miss,
                Some(_) if term.abbreviation && self.pinyin_run(entry, term, false).is_none() => {
                    Outcome::Candidate
                }
                Some(m) => Outcome::Score(m.score),
            };
        };
        let need = need.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32;
        let (mut shape, mut reach) = match self.bound_by_record(entry, term, plan, need) {
            Bounded::Settled(outcome) => return outcome,
            Bounded::Open { shape, reach } => (shape, reach),
        };
        // Where the bounds leave hope and the query has rare characters, whether this
        // headline has one (most do not) and the bounds without.
        if plan.has_rare() && !plan.has_rare_in(ids) {
            shape.rare_free = true;
            let first = self.first_ids[entry];
            reach = plan.reach(first, need, shape, false);
            let pairs = &self.neighbours[entry];
            let start = plan.start_bonus(first, shape);
            let bound = plan.pairs_bound(pairs, hot.word_openers, (shape, false));
            let best = plan
                .first_reach(&bound, first)
                .unwrap_or_else(|| bound.placed(start));
            if let Some(outcome) = settled_by(best, reach, need, term.abbreviation) {
                return outcome;
            }
        }
        // An abbreviation matches only as a run of adjacent characters.
        let only_runs = reach == Reach::OnlyRuns || term.abbreviation;
        match plan.feasible(ids, only_runs) {
            Walk::Miss => Outcome::Miss,
            Walk::Gapped if term.abbreviation => Outcome::Candidate,
            Walk::Gapped => Outcome::Below,
            Walk::Matches { begin } => match plan.score(ids, begin, need, shape) {
                Scored::Score(score) => Outcome::Score(i64::from(score)),
                Scored::Below => Outcome::Below,
            },
        }
    }

    /// Whether `entry`, one whose first character cannot begin a match of a single fuzzy
    /// `term`, may match it, when its records alone settle that it cannot enter `top`:
    /// `Some(false)` when it cannot match, `Some(true)` when it may but scores too little
    /// (kept for a longer query). `None`: only scoring tells — a headline with the query's
    /// letters or digits in its text (which may match directly), or one the bounds leave hope
    /// for. What [`HeadlineIndex::score`] would find, without its call.
    ///
    /// Once the headlines that can begin a match at their first character are scored, most
    /// of a keystroke's other candidates are settled here, nearly all by how many words they
    /// have (a table look-up: working out the bound branched on each).
    #[inline]
    pub(super) fn settle_by_record(
        &self,
        entry: usize,
        term: &Term,
        plan: &CompiledTerm,
        top: &TopK,
    ) -> Option<bool> {
        let hot = &self.hot[entry];
        debug_assert!(!plan.takes_first(self.first_ids[entry]));
        if term.kind != TermKind::Fuzzy
            || term.char_mask.is_some()
            || term.letters == 0
            || hot.literal & term.letters != 0
        {
            return None;
        }
        if term.letters & !hot.letters != 0 || !hot.starts.may_spell(plan.starts()) {
            return Some(false);
        }
        let need = top.need(hot.len as usize, entry);
        if i64::from(plan.later_bound(hot.word_starts, word_may_open(term, hot))) < need {
            return Some(true);
        }
        let need = need.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32;
        match self.bound_spelled(entry, term, plan, need) {
            Bounded::Settled(Outcome::Miss) => Some(false),
            Bounded::Settled(_) => Some(true),
            Bounded::Open { .. } => None,
        }
    }

    /// What a pinyin term's bounds (with rare characters) say of `entry` scoring `need`, from
    /// its records alone: short queries match most headlines, and most are settled here
    /// without reading their characters — first by where a match could begin and how many
    /// word starts they have, then by which letters stand next to each other and which whole
    /// syllables they have.
    #[inline]
    fn bound_by_record(
        &self,
        entry: usize,
        term: &Term,
        plan: &CompiledTerm,
        need: i32,
    ) -> Bounded {
        if !self.hot[entry].starts.may_spell(plan.starts()) {
            return Bounded::Settled(Outcome::Miss);
        }
        self.bound_spelled(entry, term, plan, need)
    }

    /// [`HeadlineIndex::bound_by_record`] of a headline whose syllable starts may spell the
    /// query.
    #[inline]
    fn bound_spelled(&self, entry: usize, term: &Term, plan: &CompiledTerm, need: i32) -> Bounded {
        let hot = &self.hot[entry];
        let shape = Shape {
            ascii_literals: term.letters & hot.literal != 0,
            last_word_start: match hot.last_word_start {
                u16::MAX => usize::MAX,
                at => usize::from(at),
            },
            word_starts: usize::from(hot.word_starts),
            opens: word_may_open(term, hot),
            rare_free: false,
        };
        let first = self.first_ids[entry];
        let reach = plan.reach(first, need, shape, true);
        if reach == Reach::Never {
            return Bounded::Settled(Outcome::Below);
        }
        let start = plan.start_bonus(first, shape);
        let pairs = &self.neighbours[entry];
        // Its whole syllables first (a table look-up), then its pairs of letters too, then —
        // where the first character can begin a match — what it can take there.
        let settled = |best| settled_by(best, reach, need, term.abbreviation);
        if let Some(outcome) = plan
            .syllable_reach(pairs, start, (shape, true))
            .and_then(settled)
        {
            return Bounded::Settled(outcome);
        }
        let bound = plan.pairs_bound(pairs, hot.word_openers, (shape, true));
        if let Some(outcome) = settled(bound.placed(start)) {
            return Bounded::Settled(outcome);
        }
        if let Some(outcome) = plan.first_reach(&bound, first).and_then(settled) {
            return Bounded::Settled(outcome);
        }
        Bounded::Open { shape, reach }
    }

    /// The score of an exact, prefix or negated term (a negated term "matches" when its text
    /// occurs).
    fn score_term(&self, entry: usize, term: &Term) -> Option<i64> {
        let chars = self.chars_of(entry);
        let ids = self.ids_of(entry);
        match term.kind {
            TermKind::Exact => {
                if let Some(at) = find_sub(chars, &term.chars) {
                    return Some(DIRECT_TIER + 1000 - at as i64);
                }
                // `'zhongguo` finds 中国: pinyin spelled by a run of adjacent characters.
                // Earlier runs first, as for the characters themselves.
                self.pinyin_run(entry, term, false)
                    .map(|(at, m)| m.score - at as i64)
            }
            TermKind::Negate => {
                if find_sub(chars, &term.chars).is_some() {
                    return Some(0);
                }
                // `!zhengfu` also excludes 政府: a pinyin match of consecutive characters.
                self.pinyin_run(entry, term, false).map(|_| 0)
            }
            TermKind::Prefix => {
                if chars.starts_with(&term.chars) {
                    return Some(DIRECT_TIER + 2000);
                }
                pinyin_match(chars, ids, &self.table, &term.chars, true, false).map(|m| m.score)
            }
            TermKind::Fuzzy => None,
        }
    }

    /// The first run of adjacent characters of `entry` that spells `term` in pinyin (readings,
    /// initials, a partial last syllable), as (where it starts, the match within the run).
    fn pinyin_run(
        &self,
        entry: usize,
        term: &Term,
        with_positions: bool,
    ) -> Option<(usize, PinyinMatch)> {
        if !term.has_letters || term.letters & !self.hot[entry].letters != 0 {
            return None;
        }
        if !self.hot[entry].starts.may_match(&term.chars) {
            return None;
        }
        let chars = self.chars_of(entry);
        let ids = self.ids_of(entry);
        (0..chars.len().min(ids.len())).find_map(|at| {
            pinyin_match(
                &chars[at..],
                &ids[at..],
                &self.table,
                &term.chars,
                true,
                with_positions,
            )
            .map(|m| (at, m))
        })
    }

    /// Character positions in the entry's `text` that `query` matched, for highlighting.
    pub fn positions(&self, entry: usize, query: &str) -> Vec<usize> {
        let chars = self.chars_of(entry);
        let mut out = Vec::new();
        for term in parse_query(query) {
            match term.kind {
                TermKind::Negate => {}
                TermKind::Exact => {
                    if let Some(at) = find_sub(chars, &term.chars) {
                        out.extend(at..at + term.chars.len());
                    } else if let Some((at, m)) = self.pinyin_run(entry, &term, true) {
                        out.extend(m.positions.iter().map(|p| p + at));
                    }
                }
                TermKind::Prefix if chars.starts_with(&term.chars) => {
                    out.extend(0..term.chars.len())
                }
                TermKind::Prefix | TermKind::Fuzzy => {
                    let direct = (term.kind == TermKind::Fuzzy
                        && is_subsequence(&term.chars, chars))
                    .then(|| direct_positions(self.folded_of(entry), &term.text))
                    .flatten();
                    match direct {
                        Some(indices) => out.extend(indices),
                        None if term.abbreviation => {
                            if let Some((at, m)) = self.pinyin_run(entry, &term, true) {
                                out.extend(m.positions.iter().map(|p| p + at));
                            }
                        }
                        None => {
                            let anchored = term.kind == TermKind::Prefix;
                            if let Some(m) = pinyin_match(
                                chars,
                                self.ids_of(entry),
                                &self.table,
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

/// [`is_subsequence`] of the characters of `haystack`.
fn is_subsequence_of(needle: &[char], haystack: &str) -> bool {
    let mut rest = haystack.chars();
    needle.iter().all(|c| *c == ' ' || rest.any(|h| h == *c))
}

/// Position of `needle` in `haystack`.
fn find_sub(haystack: &[char], needle: &[char]) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    haystack.windows(needle.len()).position(|w| w == needle)
}
