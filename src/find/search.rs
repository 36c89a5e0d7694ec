//! Ranking a query over the index: which headlines to look at, scoring them (on two threads
//! for large archives) with early stops, and keeping the best.

use super::compiled::CompiledTerm;
use super::index::HeadlineIndex;
use super::query::{Term, TermKind, parse_query};
use super::rank::{Hit, Rank, TopK, best_hits};
use super::score::{Outcome, direct_matchers};

/// Asks the processor to bring the memory at `data` into its cache: a hint, which changes
/// nothing but timing.
#[inline(always)]
fn prefetch<T>(data: *const T) {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
        // SAFETY: a prefetch never faults, whatever the address, and the SSE it needs is part
        // of every x86_64 processor.
        unsafe { _mm_prefetch::<_MM_HINT_T0>(data.cast()) };
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = data;
}

/// The entries a search looks at, in index order.
#[derive(Debug, Clone)]
enum Candidates<'a> {
    /// Every entry (no list to build).
    All(std::ops::Range<usize>),
    /// These entries.
    Listed(&'a [u32]),
}

impl Candidates<'_> {
    fn len(&self) -> usize {
        match self {
            Candidates::All(range) => range.len(),
            Candidates::Listed(list) => list.len(),
        }
    }

    fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        let (range, list) = match self {
            Candidates::All(range) => (Some(range.clone()), None),
            Candidates::Listed(list) => (None, Some(list.iter().map(|&e| e as usize))),
        };
        range
            .into_iter()
            .flatten()
            .chain(list.into_iter().flatten())
    }

    /// Two halves, in order.
    fn split(self) -> (Self, Self) {
        match self {
            Candidates::All(range) => {
                let mid = range.start + range.len() / 2;
                (
                    Candidates::All(range.start..mid),
                    Candidates::All(mid..range.end),
                )
            }
            Candidates::Listed(list) => {
                let (left, right) = list.split_at(list.len() / 2);
                (Candidates::Listed(left), Candidates::Listed(right))
            }
        }
    }
}

/// What checking a headline reads beyond its [`Hot`] record, fetched ahead.
#[derive(Debug, Clone, Copy)]
enum Fetch {
    /// Its text (a query of characters, matched directly).
    Text,
    /// Its character numbers (a pinyin query).
    Ids,
    /// Its character mask and first character (a one-character query).
    Records,
    /// Its neighbours (the rest of a pinyin keystroke: most are settled by their records).
    Bounds,
}

impl HeadlineIndex {
    /// Ranks the entries in `candidates` (all when `None`) against `query`, best first, at most
    /// `limit`. An empty query lists the candidates in reading order.
    pub fn search(&self, query: &str, candidates: Option<&[u32]>, limit: usize) -> Vec<Hit> {
        self.rank(query, candidates, limit).0
    }

    /// True when `next` can only match a subset of what `previous` matched, so ranking it
    /// needs only what [`HeadlineIndex::rank`] returned for `previous`: it extends `previous`
    /// and has no negation. (An abbreviation's candidates include headlines where its initials
    /// stand apart, so `sh` → `shu` narrows too.)
    pub fn narrows(previous: &str, next: &str) -> bool {
        !previous.trim().is_empty() && next.starts_with(previous) && !next.contains('!')
    }

    /// Like [`HeadlineIndex::search`], also returning, in index order, what a longer query needs to
    /// search again: every matching entry, and some that could not enter the results and were
    /// set aside before finding out whether they match.
    pub fn rank(
        &self,
        query: &str,
        candidates: Option<&[u32]>,
        limit: usize,
    ) -> (Vec<Hit>, Vec<u32>) {
        let terms = parse_query(query);
        let whole = candidates.is_none_or(|c| c.len() == self.len());
        let candidates = match candidates {
            // Over the whole index, a term's rarest character names the only entries that
            // can match. (Every entry a posting list names is one of the index's: a built
            // index makes them so, opening a mapped one checks it.)
            _ if whole && let Some(list) = self.rarest_posting(&terms) => Candidates::Listed(list),
            Some(c) => Candidates::Listed(c),
            None => Candidates::All(0..self.len()),
        };
        if terms.is_empty() {
            let top = candidates
                .iter()
                .take(limit)
                .map(|entry| Hit { entry, score: 0 })
                .collect();
            return (top, candidates.iter().map(|e| e as u32).collect());
        }
        let compiled: Vec<Option<CompiledTerm>> = terms
            .iter()
            .map(|t| {
                (t.kind == TermKind::Fuzzy && t.has_letters)
                    .then(|| self.compile(&t.chars))
                    .flatten()
            })
            .collect();
        let score_chunk = |chunk: Candidates| -> (Vec<u32>, TopK) {
            match chunk {
                Candidates::All(range) => {
                    let start = range.start;
                    self.score_all(range.len(), |p| start + p, &terms, &compiled, limit)
                }
                Candidates::Listed(list) => {
                    self.score_all(list.len(), |p| list[p] as usize, &terms, &compiled, limit)
                }
            }
        };
        let (matching, ranks) = if candidates.len() > 20_000 {
            let (left, right) = candidates.split();
            std::thread::scope(|scope| {
                let other = scope.spawn(|| score_chunk(right));
                let (mut matching, mine) = score_chunk(left);
                let mut ranks = mine.into_vec();
                if let Ok((more, theirs)) = other.join() {
                    matching.extend(more);
                    ranks.extend(theirs.into_vec());
                }
                (matching, ranks)
            })
        } else {
            let (matching, top) = score_chunk(candidates);
            (matching, top.into_vec())
        };
        // Candidates come in index order and chunks are joined in order: so are the matches.
        (best_hits(ranks, limit), matching)
    }

    /// Scores `count` candidates (`entry_at(position)`, in index order): what a longer query
    /// needs to search again (see [`HeadlineIndex::rank`]), and the best `limit` matches ranked.
    ///
    /// With one term, a headline's score is that term's, so scoring stops as soon as it cannot
    /// enter the list (with several, the sum would need every term scored). That pays once
    /// the list holds good hits: so for a pinyin term, headlines whose first character can
    /// begin the match (the start bonus makes them the likely best) are scored first. Each
    /// candidate is scored once.
    fn score_all(
        &self,
        count: usize,
        entry_at: impl Fn(usize) -> usize,
        terms: &[Term],
        compiled: &[Option<CompiledTerm>],
        limit: usize,
    ) -> (Vec<u32>, TopK) {
        let single = terms.len() == 1;
        let mut matchers = direct_matchers(terms);
        let mut top = TopK::new(limit);
        // A query of two or more Han characters (no letters) is settled by the character
        // masks and the folded text alone: nothing else of a headline is read (its length
        // comes from the text), which keeps a mapped index's untouched columns on disk.
        let text_only = matches!(terms, [t] if t.chars.len() > 1 && !t.has_letters);
        let mut score_one = |entry: usize, top: &mut TopK| -> bool {
            let need = if single && !text_only {
                top.need(self.hot[entry].len as usize, entry)
            } else {
                i64::MIN
            };
            match self.score(entry, terms, &mut matchers, compiled, need) {
                Outcome::Miss => false,
                Outcome::Below | Outcome::Candidate => true,
                Outcome::Score(score) => {
                    let len = if text_only {
                        self.folded_of(entry).chars().count()
                    } else {
                        self.hot[entry].len as usize
                    };
                    top.push(Rank::new(score, len, entry));
                    true
                }
            }
        };
        // Whether each candidate scored ahead matched (`None`: not scored ahead).
        let mut ahead: Vec<Option<bool>> = Vec::new();
        let plan = compiled.first().and_then(Option::as_ref).filter(|_| single);
        if let Some(plan) = plan
            && count > limit
        {
            // (Each with its entry, so that fetching ahead does not look it up in a list
            // of candidates too large for the cache.)
            let firsts: Vec<(usize, usize)> = (0..count)
                .map(|position| (position, entry_at(position)))
                .filter(|&(_, entry)| plan.takes_first(self.first_ids[entry]))
                .collect();
            ahead = vec![None; count];
            for (n, &(position, entry)) in firsts.iter().enumerate() {
                if let Some(&(_, far)) = firsts.get(n + 16) {
                    let near = firsts.get(n + 8).map_or(0, |&(_, e)| e);
                    self.fetch_ahead(far, near, Fetch::Ids);
                }
                ahead[position] = Some(score_one(entry, &mut top));
            }
        }
        // Over a sparse list of candidates (a character's headlines, the last keystroke's
        // matches) the processor cannot guess what comes next: the records a headline's check
        // reads are fetched a few headlines ahead. A query of characters alone reads the
        // headline's text, a pinyin one its character numbers; one character alone is mostly
        // settled by the headline's first character (see `score_fuzzy`), and the rest of a
        // pinyin keystroke, past the first-character pass, by its record and neighbours
        // (fetching its characters ahead too kept the loop waiting on the record that says
        // where they are, for the few headlines that read them).
        let fetch = match terms {
            [term] if term.chars.len() == 1 && !term.has_letters => Fetch::Records,
            _ if terms.iter().any(|t| !t.chars.iter().all(char::is_ascii))
                && compiled.iter().all(Option::is_none) =>
            {
                Fetch::Text
            }
            _ if plan.is_some() && !ahead.is_empty() => Fetch::Bounds,
            _ => Fetch::Ids,
        };
        let mut matching = Vec::with_capacity(count);
        // Once the results are full of matches beginning at the first character, and scoring
        // better than any match beginning later can, no other headline can enter: only one
        // with the query's letters or digits in its text (which may match them directly, far
        // above any pinyin) is still scored; the rest are kept for a longer query when their
        // record says they may match at all.
        let letters = terms.first().map_or(0, |t| t.letters);
        if let Some(plan) = plan
            && !ahead.is_empty()
            && top
                .floor()
                .is_some_and(|floor| floor > i64::from(plan.later_bound(u8::MAX, true)))
        {
            for (position, scored) in ahead.iter().enumerate() {
                let entry = entry_at(position);
                let matched = match scored {
                    Some(matched) => *matched,
                    None => {
                        let hot = &self.hot[entry];
                        if hot.literal & letters != 0 {
                            score_one(entry, &mut top)
                        } else {
                            letters & !hot.letters == 0 && hot.starts.may_spell(plan.starts())
                        }
                    }
                };
                if matched {
                    matching.push(entry as u32);
                }
            }
            return (matching, top);
        }
        for position in 0..count {
            if position + 16 < count {
                self.fetch_ahead(entry_at(position + 16), entry_at(position + 8), fetch);
            }
            let entry = entry_at(position);
            let matched = match (ahead.get(position), plan) {
                (Some(Some(matched)), _) => *matched,
                // Not among the first-character headlines scored ahead: most are settled by
                // their records alone.
                (Some(None), Some(plan)) => self
                    .settle_by_record(entry, &terms[0], plan, &top)
                    .unwrap_or_else(|| score_one(entry, &mut top)),
                _ => score_one(entry, &mut top),
            };
            if matched {
                matching.push(entry as u32);
            }
        }
        (matching, top)
    }

    /// Prefetches the first-level records of entry `far` and, through them (fetched earlier),
    /// what entry `near`'s check reads next.
    #[inline(always)]
    fn fetch_ahead(&self, far: usize, near: usize, fetch: Fetch) {
        match fetch {
            Fetch::Text => {
                prefetch(self.records.as_ptr().wrapping_add(far));
                let folded_at = self.records.get(near).map_or(0, |r| r.folded_at as usize);
                prefetch(self.strings.as_ptr().wrapping_add(folded_at));
                prefetch(&self.char_masks[near]);
            }
            Fetch::Ids => {
                let at = self.hot.get(near).map_or(0, |h| h.ids_at as usize);
                prefetch(self.ids.as_ptr().wrapping_add(at));
                prefetch(self.neighbours.as_ptr().wrapping_add(near));
            }
            Fetch::Records => {
                prefetch(&self.char_masks[far]);
                prefetch(&self.first_ids[far]);
            }
            Fetch::Bounds => prefetch(&self.neighbours[far]),
        }
        prefetch(&self.hot[far]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::find::score::LATER_CHAR_CEILING;

    /// Every entry scored in full, sorted: what `rank` must return however it gets there.
    fn exhaustive(index: &HeadlineIndex, query: &str, limit: usize) -> (Vec<Hit>, Vec<u32>) {
        let terms = parse_query(query);
        let compiled: Vec<Option<CompiledTerm>> =
            terms.iter().map(|t| index.compile(&t.chars)).collect();
        let mut matchers = direct_matchers(&terms);
        let mut ranks = Vec::new();
        let mut matching = Vec::new();
        for entry in 0..index.len() {
            match index.score(entry, &terms, &mut matchers, &compiled, i64::MIN) {
                Outcome::Miss => {}
                Outcome::Below => panic!("nothing is below i64::MIN"),
                Outcome::Candidate => matching.push(entry as u32),
                Outcome::Score(score) => {
                    matching.push(entry as u32);
                    ranks.push(Rank::new(score, index.chars_of(entry).len(), entry));
                }
            }
        }
        (best_hits(ranks, limit), matching)
    }

    /// The bar a headline must clear: nothing until the list is full, then the worst kept
    /// score — equal is enough only for a shorter (or as short and earlier) headline.
    #[test]
    fn top_k_asks_for_what_beats_its_worst() {
        let mut top = TopK::new(2);
        assert_eq!(top.need(10, 5), i64::MIN);
        top.push(Rank::new(30, 10, 1));
        top.push(Rank::new(20, 10, 2));
        assert_eq!(top.need(9, 7), 20, "shorter wins a tie");
        assert_eq!(top.need(10, 1), 20, "as short and earlier wins a tie");
        assert_eq!(top.need(10, 7), 21, "as short and later loses a tie");
        assert_eq!(top.need(11, 0), 21, "longer loses a tie");
        top.push(Rank::new(25, 12, 3));
        assert_eq!(top.need(10, 9), 25, "the worst is now 25, 12 long");
        assert_eq!(top.need(13, 9), 26, "the worst is now 25, 12 long");
        assert_eq!(
            best_hits(top.into_vec(), 5)
                .iter()
                .map(|h| h.entry)
                .collect::<Vec<_>>(),
            [1, 3]
        );
        let none = TopK::new(0);
        assert_eq!(none.need(1, 0), i64::MAX, "a list of nothing takes nothing");
    }

    /// Stopping early on hopeless headlines changes nothing: the same hits in the same order,
    /// and every match kept for a longer query, over enough headlines to split the work
    /// between threads.
    #[test]
    fn ranking_with_early_stops_is_exhaustive_ranking() {
        let index = HeadlineIndex::build(&crate::library::generate::generate_headlines(30_000));
        for query in [
            "s",
            "c",
            "sh",
            "shu",
            "shuzi",
            "zgsn",
            "caoxian",
            "jingji",
            "fazhan",
            "xjp",
            "5g",
            "制",
            "数",
            "制造",
            "数字化",
            "曹xian",
            "z国",
            "shu zi",
            "^zh",
            "'发展",
            "fz !发展",
        ] {
            for limit in [1, 7, 500] {
                let (hits, kept) = index.rank(query, None, limit);
                let (want_hits, matching) = exhaustive(&index, query, limit);
                assert_eq!(hits, want_hits, "{query:?} limit {limit}");
                // What is kept for a longer query holds every match (and may hold headlines
                // ruled out before finding out whether they match).
                assert!(kept.is_sorted(), "{query:?} limit {limit}");
                let missing = matching.iter().filter(|e| kept.binary_search(e).is_err());
                assert_eq!(missing.count(), 0, "{query:?} limit {limit}");
            }
        }
    }

    /// The direct matcher never scores one character matched anywhere but first above the
    /// ceiling that lets a one-character query pass over such headlines.
    #[test]
    fn one_character_scores_below_its_ceiling_unless_first() {
        let index = HeadlineIndex::build(&crate::library::generate::generate_headlines(3_000));
        let mut sample: Vec<char> = (0..index.len())
            .flat_map(|e| index.chars_of(e).to_vec())
            .collect();
        sample.extend("a5 ：·".chars());
        sample.sort_unstable();
        sample.dedup();
        let (mut checked, mut first) = (0, 0);
        for c in sample.iter().step_by(3) {
            let mut matcher = frizbee::Matcher::new(c.to_string(), &frizbee::Config::default());
            for e in (0..index.len()).chain(0..1) {
                let Some(found) = matcher.match_one(index.folded_of(e), 0) else {
                    continue;
                };
                let chars = index.chars_of(e);
                if chars.first() == Some(c) {
                    first += 1;
                    continue;
                }
                let ceiling = LATER_CHAR_CEILING[usize::from(chars.len() == 1)];
                assert!(
                    i64::from(found.score) <= ceiling,
                    "{c:?} in {:?}",
                    index.entry(e).text
                );
                checked += 1;
            }
        }
        assert!(
            checked > 10_000 && first > 100,
            "{checked} checked, {first} first"
        );
    }

    /// Typing a query letter by letter, each keystroke searching only what the last one kept,
    /// ranks as a search of everything does.
    #[test]
    fn narrowing_as_the_query_grows_ranks_as_searching_everything() {
        let index = HeadlineIndex::build(&crate::library::generate::generate_headlines(30_000));
        for query in [
            "shuzi",
            "zgsn",
            "caoxian",
            "jingji",
            "xjp",
            "5gjz",
            "数字hua",
        ] {
            let all: Vec<u32> = (0..index.len() as u32).collect();
            let mut kept = all.clone();
            let mut typed = String::new();
            for c in query.chars() {
                let previous = typed.clone();
                typed.push(c);
                if !HeadlineIndex::narrows(&previous, &typed) {
                    kept = all.clone();
                }
                let (hits, next) = index.rank(&typed, Some(&kept), 500);
                assert_eq!(hits, exhaustive(&index, &typed, 500).0, "{typed:?}");
                kept = next;
            }
        }
    }
}
