//! Finding headlines by typing a few characters — Chinese, Latin, or pinyin (`cx` → 曹县,
//! `caoxian`, `曹xian`). No terminal types here.
//!
//! A [`HeadlineIndex`] is built once per archive: every headline (kicker + title + subtitle) folded for
//! matching, each Han character mapped to its pinyin readings, and bit masks that reject most
//! headlines before any scoring. A query is split into space-separated terms that must all
//! match (fzf's `'exact`, `^prefix` and `!not` work too). A term matching the characters
//! themselves is scored by frizbee (SIMD Smith-Waterman) and always ranks above a pinyin match;
//! pinyin matches are scored by syllable alignment (a full syllable, an initial such as `c` or
//! `zh`, or a partial last syllable) with bonuses for contiguous characters and word starts.
//! Ties go to the shorter headline, then to reading order.

pub mod compiled;
pub mod fold;
pub mod mask;
pub mod pinyin_match;
pub mod query;
pub mod rank;

use std::sync::LazyLock;

use crate::model::{Archive, Headline};
use compiled::{CompiledTerm, Reach, Scored, Shape, Walk};
use fold::fold;
pub use mask::CharMask;
use mask::{CharMap, letter_bit, opener_bit};
use pinyin_match::{CharTable, PinyinMatch, SyllableStarts, is_word_start, pinyin_match};
use query::{Term, TermKind, parse_query};
pub use rank::Hit;
use rank::{Rank, TopK, best_hits};

/// The most the direct matcher scores one query character matched anywhere but at a
/// headline's first character (which alone gets the prefix bonus), from frizbee's scoring: the
/// match with its case bonus, the delimiter and capitalization bonuses (at most one applies;
/// both counted), and — `[1]` — the exact-match bonus when the headline is that one character.
static LATER_CHAR_CEILING: LazyLock<[i64; 2]> = LazyLock::new(|| {
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
fn direct_matchers(terms: &[Term]) -> Vec<frizbee::Matcher> {
    let config = frizbee::Config::default();
    terms
        .iter()
        .map(|t| frizbee::Matcher::new(t.text.as_str(), &config))
        .collect()
}

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
    Listed(&'a [usize]),
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
            Candidates::Listed(list) => (None, Some(list.iter().copied())),
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

/// What matching one headline found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
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

/// What checking a headline reads beyond its [`Hot`] record, fetched ahead.
#[derive(Debug, Clone, Copy)]
enum Fetch {
    /// Its text (a query of characters, matched directly).
    Text,
    /// Its character numbers (a pinyin query).
    Ids,
    /// Its character mask and first character (a one-character query).
    Records,
}

/// Scores of direct matches sit above every pinyin score.
const DIRECT_TIER: i64 = 1 << 40;

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
}

/// What every keystroke looks at for every headline, kept apart from [`Entry`] and small (one
/// cache line) so that scanning a million headlines streams through memory once.
#[derive(Debug, Clone, Copy, Default)]
struct Hot {
    /// Letters that can start or appear in a match: ASCII letters and digits of the text and
    /// every letter of every reading.
    letters: u64,
    /// ASCII letters and digits of the text itself (not of readings).
    literal: u64,
    /// Which syllable beginnings the text can spell, to reject before aligning pinyin.
    starts: SyllableStarts,
    /// Where the headline's character numbers begin in [`HeadlineIndex::ids`].
    ids_at: u32,
    /// Character count.
    len: u32,
    /// The last character after the first that begins a word (follows a space or
    /// punctuation); 0 if none, `u16::MAX` if there or later.
    last_word_start: u16,
    /// How many characters after the first begin a word (at most 255).
    word_starts: u8,
    /// What the characters after the first that begin a word can take first
    /// ([`opener_bit`]s of their readings' first letters and of themselves).
    word_openers: u32,
}

// Scanning reads one cache line per headline.
const _: () = assert!(std::mem::size_of::<Hot>() <= 64);

/// The search data of an archive, built once.
#[derive(Debug, Default)]
pub struct HeadlineIndex {
    /// Every headline, in reading order.
    pub entries: Vec<Entry>,
    /// Per entry: what matching looks at first.
    hot: Vec<Hot>,
    /// Per entry: its Han and other non-ASCII characters hashed (for queries that have some).
    char_masks: Vec<CharMask>,
    /// Every entry's characters as numbers in `table`, one after another.
    ids: Vec<u32>,
    /// Per entry: its first character's number (`u32::MAX` for an empty headline), to pick
    /// out the headlines a match could begin with.
    first_ids: Vec<u32>,
    table: CharTable,
    /// For each non-ASCII character, the entries containing it, in order: a query with a Han
    /// character starts from that list instead of scanning every headline.
    postings: CharMap<Vec<u32>>,
}

impl HeadlineIndex {
    /// Builds the index of every article's headline in `archive`.
    pub fn build(archive: &Archive) -> HeadlineIndex {
        let summaries: Vec<Vec<Headline>> = archive
            .issues
            .iter()
            .map(|issue| issue.articles.iter().map(|a| a.headline()).collect())
            .collect();
        HeadlineIndex::from_headlines(summaries.iter().map(Vec::as_slice).enumerate())
    }

    /// Builds the index of `(issue index, that issue's headlines)`, in reading order.
    pub fn from_headlines<'a>(
        issues: impl Iterator<Item = (usize, &'a [Headline])>,
    ) -> HeadlineIndex {
        let mut index = HeadlineIndex::default();
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
                let literal = chars.iter().map(|&c| letter_bit(c)).fold(0, |a, b| a | b);
                let mut letters = literal;
                let mut char_mask = CharMask::default();
                let ids_at = index.ids.len() as u32;
                let mut starts = SyllableStarts::default();
                for &c in &chars {
                    starts.add_literal(c);
                    char_mask.add(c);
                    let id = *ids.entry(c).or_insert_with(|| index.table.push(c));
                    if let Some(unit) = index.table.unit(id) {
                        letters |= unit.letters;
                        starts.add_unit(unit);
                    }
                    index.ids.push(id);
                }
                let (mut word_starts, mut last_word_start, mut word_openers) = (0u8, 0u16, 0u32);
                for j in (1..chars.len()).filter(|&j| is_word_start(&chars, j)) {
                    word_starts = word_starts.saturating_add(1);
                    last_word_start = u16::try_from(j).unwrap_or(u16::MAX);
                    word_openers |= opener_bit(chars[j]);
                    if let Some(unit) = index.table.unit(index.ids[ids_at as usize + j]) {
                        // Readings' first letters are a to z: bits 0 to 25 of both masks.
                        word_openers |= unit.initials as u32;
                    }
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
                });
                index.hot.push(Hot {
                    letters,
                    literal,
                    starts,
                    ids_at,
                    len: (index.ids.len() as u32).saturating_sub(ids_at),
                    last_word_start,
                    word_starts,
                    word_openers,
                });
                index.char_masks.push(char_mask);
                index
                    .first_ids
                    .push(index.ids.get(ids_at as usize).copied().unwrap_or(u32::MAX));
            }
        }
        index
    }

    /// Ranks the entries in `candidates` (all when `None`) against `query`, best first, at most
    /// `limit`. An empty query lists the candidates in reading order.
    pub fn search(&self, query: &str, candidates: Option<&[usize]>, limit: usize) -> Vec<Hit> {
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
        candidates: Option<&[usize]>,
        limit: usize,
    ) -> (Vec<Hit>, Vec<usize>) {
        let terms = parse_query(query);
        let whole = candidates.is_none_or(|c| c.len() == self.entries.len());
        let posting: Vec<usize>;
        let candidates = match candidates {
            // Over the whole index, a term's rarest character names the only entries that
            // can match.
            _ if whole && let Some(list) = self.rarest_posting(&terms) => {
                posting = list.iter().map(|&e| e as usize).collect();
                Candidates::Listed(&posting)
            }
            Some(c) => Candidates::Listed(c),
            None => Candidates::All(0..self.entries.len()),
        };
        if terms.is_empty() {
            let top = candidates
                .iter()
                .take(limit)
                .map(|entry| Hit { entry, score: 0 })
                .collect();
            return (top, candidates.iter().collect());
        }
        let compiled: Vec<Option<CompiledTerm>> = terms
            .iter()
            .map(|t| {
                (t.kind == TermKind::Fuzzy && t.has_letters)
                    .then(|| self.compile(&t.chars))
                    .flatten()
            })
            .collect();
        let score_chunk = |chunk: Candidates| -> (Vec<usize>, TopK) {
            match chunk {
                Candidates::All(range) => {
                    let start = range.start;
                    self.score_all(range.len(), |p| start + p, &terms, &compiled, limit)
                }
                Candidates::Listed(list) => {
                    self.score_all(list.len(), |p| list[p], &terms, &compiled, limit)
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
    ) -> (Vec<usize>, TopK) {
        let single = terms.len() == 1;
        let mut matchers = direct_matchers(terms);
        let mut top = TopK::new(limit);
        let mut score_one = |entry: usize, top: &mut TopK| -> bool {
            let len = self.hot[entry].len as usize;
            let need = if single {
                top.need(len, entry)
            } else {
                i64::MIN
            };
            match self.score(entry, terms, &mut matchers, compiled, need) {
                Outcome::Miss => false,
                Outcome::Below | Outcome::Candidate => true,
                Outcome::Score(score) => {
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
            let firsts: Vec<usize> = (0..count)
                .filter(|&position| plan.takes_first(self.first_ids[entry_at(position)]))
                .collect();
            ahead = vec![None; count];
            for (n, &position) in firsts.iter().enumerate() {
                if let Some(&far) = firsts.get(n + 8) {
                    prefetch(&self.hot[entry_at(far)]);
                }
                ahead[position] = Some(score_one(entry_at(position), &mut top));
            }
        }
        // Over a sparse list of candidates (a character's headlines, the last keystroke's
        // matches) the processor cannot guess what comes next: the records a headline's check
        // reads are fetched a few headlines ahead. A query of characters alone reads the
        // headline's text, a pinyin one its character numbers; one character alone is mostly
        // settled by the headline's first character (see `score_fuzzy`).
        let fetch = match terms {
            [term] if term.chars.len() == 1 && !term.has_letters => Fetch::Records,
            _ if terms.iter().any(|t| !t.chars.iter().all(char::is_ascii))
                && compiled.iter().all(Option::is_none) =>
            {
                Fetch::Text
            }
            _ => Fetch::Ids,
        };
        let mut matching = Vec::with_capacity(count);
        for position in 0..count {
            if position + 16 < count {
                self.fetch_ahead(entry_at(position + 16), entry_at(position + 8), fetch);
            }
            let entry = entry_at(position);
            let matched = match ahead.get(position) {
                Some(Some(matched)) => *matched,
                _ => score_one(entry, &mut top),
            };
            if matched {
                matching.push(entry);
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
                prefetch(&self.entries[far]);
                prefetch(self.entries[near].folded.as_ptr());
                prefetch(&self.char_masks[near]);
            }
            Fetch::Ids => prefetch(self.ids[self.hot[near].ids_at as usize..].as_ptr()),
            Fetch::Records => {
                prefetch(&self.char_masks[far]);
                prefetch(&self.first_ids[far]);
            }
        }
        prefetch(&self.hot[far]);
    }

    /// `query` compiled for this index's characters.
    fn compile(&self, query: &[char]) -> Option<CompiledTerm> {
        let frequency = |id: u32| self.postings.get(&self.table.char(id)).map_or(0, Vec::len);
        CompiledTerm::new(query, &self.table, frequency, self.entries.len())
    }

    /// Entry `entry`'s characters as numbers in the character table.
    fn ids_of(&self, entry: usize) -> &[u32] {
        let hot = &self.hot[entry];
        let at = hot.ids_at as usize;
        &self.ids[at..at + hot.len as usize]
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

    /// Matches every term against `entry`; a single fuzzy term's pinyin scoring stops early
    /// when the score cannot reach `need`.
    fn score(
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
        let hot = &self.hot[entry];
        if term.kind != TermKind::Negate
            && (term.letters & !hot.letters != 0
                || term
                    .char_mask
                    .is_some_and(|mask| !self.char_masks[entry].covers(&mask)))
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
        let hot = &self.hot[entry];
        // (Only a headline that may match directly is looked at beyond `hot`.)
        if term.letters & !hot.literal == 0 {
            // One character matched anywhere but first scores at most so much: once the
            // results are full of headlines beginning with it, the rest are passed over
            // without reading their text.
            if let [c] = term.chars[..]
                && self.table.char(self.first_ids[entry]) != c
                && DIRECT_TIER + LATER_CHAR_CEILING[usize::from(hot.len == 1)] < need
            {
                return Outcome::Below;
            }
            let e = &self.entries[entry];
            let direct_possible = term.chars.len() == 1 || is_subsequence(&term.chars, &e.chars);
            if direct_possible && let Some(found) = matcher.match_one(&e.folded, 0) {
                return Outcome::Score(DIRECT_TIER + i64::from(found.score));
            }
        }
        if !term.has_letters {
            return Outcome::Miss;
        }
        let ids = self.ids_of(entry);
        let Some(plan) = plan else {
            if !hot.starts.may_match(&term.chars) {
                return Outcome::Miss;
            }
            let chars = &self.entries[entry].chars;
            return match pinyin_match(chars, ids, &self.table, &term.chars, false, false) {
                None => Outcome::Miss,
                Some(_) if term.abbreviation && self.pinyin_run(entry, term, false).is_none() => {
                    Outcome::Candidate
                }
                Some(m) => Outcome::Score(m.score),
            };
        };
        if !hot.starts.may_spell(plan.starts()) {
            return Outcome::Miss;
        }
        let need = need.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32;
        let shape = Shape {
            ascii_literals: term.letters & hot.literal != 0,
            last_word_start: match hot.last_word_start {
                u16::MAX => usize::MAX,
                at => usize::from(at),
            },
            word_starts: usize::from(hot.word_starts),
            opens: match term.chars.first().map_or(0, |&c| opener_bit(c)) {
                0 => true,
                bit => hot.word_openers & bit != 0,
            },
        };
        // Short queries match most headlines: most are settled here, by where a match could
        // begin and how many word starts they have, without reading their characters. Most
        // of the rest could only get there with a run of adjacent characters spelling the
        // query, found out in the same walk as whether they match at all.
        let only_runs = match plan.reach(self.first_ids[entry], need, shape) {
            Reach::Never => return Outcome::Below,
            Reach::OnlyRuns => true,
            // An abbreviation matches only as a run of adjacent characters.
            Reach::Any => term.abbreviation,
        };
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

    /// The score of an exact, prefix or negated term (a negated term "matches" when its text
    /// occurs).
    fn score_term(&self, entry: usize, term: &Term) -> Option<i64> {
        let e = &self.entries[entry];
        let ids = self.ids_of(entry);
        match term.kind {
            TermKind::Exact => {
                if let Some(at) = find_sub(&e.chars, &term.chars) {
                    return Some(DIRECT_TIER + 1000 - at as i64);
                }
                // `'zhongguo` finds 中国: pinyin spelled by a run of adjacent characters.
                // Earlier runs first, as for the characters themselves.
                self.pinyin_run(entry, term, false)
                    .map(|(at, m)| m.score - at as i64)
            }
            TermKind::Negate => {
                if find_sub(&e.chars, &term.chars).is_some() {
                    return Some(0);
                }
                // `!zhengfu` also excludes 政府: a pinyin match of consecutive characters.
                self.pinyin_run(entry, term, false).map(|_| 0)
            }
            TermKind::Prefix => {
                if e.chars.starts_with(&term.chars) {
                    return Some(DIRECT_TIER + 2000);
                }
                pinyin_match(&e.chars, ids, &self.table, &term.chars, true, false).map(|m| m.score)
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
        let chars = &self.entries[entry].chars;
        let ids = self.ids_of(entry);
        (0..chars.len()).find_map(|at| {
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
        let e = &self.entries[entry];
        let mut out = Vec::new();
        for term in parse_query(query) {
            match term.kind {
                TermKind::Negate => {}
                TermKind::Exact => {
                    if let Some(at) = find_sub(&e.chars, &term.chars) {
                        out.extend(at..at + term.chars.len());
                    } else if let Some((at, m)) = self.pinyin_run(entry, &term, true) {
                        out.extend(m.positions.iter().map(|p| p + at));
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
                        None if term.abbreviation => {
                            if let Some((at, m)) = self.pinyin_run(entry, &term, true) {
                                out.extend(m.positions.iter().map(|p| p + at));
                            }
                        }
                        None => {
                            let anchored = term.kind == TermKind::Prefix;
                            if let Some(m) = pinyin_match(
                                &e.chars,
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

/// Position of `needle` in `haystack`.
fn find_sub(haystack: &[char], needle: &[char]) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every entry scored in full, sorted: what `rank` must return however it gets there.
    fn exhaustive(index: &HeadlineIndex, query: &str, limit: usize) -> (Vec<Hit>, Vec<usize>) {
        let terms = parse_query(query);
        let compiled: Vec<Option<CompiledTerm>> =
            terms.iter().map(|t| index.compile(&t.chars)).collect();
        let mut matchers = direct_matchers(&terms);
        let mut ranks = Vec::new();
        let mut matching = Vec::new();
        for entry in 0..index.entries.len() {
            match index.score(entry, &terms, &mut matchers, &compiled, i64::MIN) {
                Outcome::Miss => {}
                Outcome::Below => panic!("nothing is below i64::MIN"),
                Outcome::Candidate => matching.push(entry),
                Outcome::Score(score) => {
                    matching.push(entry);
                    ranks.push(Rank::new(score, index.entries[entry].chars.len(), entry));
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
        let mut sample: Vec<char> = index.entries.iter().flat_map(|e| e.chars.clone()).collect();
        sample.extend("a5 ：·".chars());
        sample.sort_unstable();
        sample.dedup();
        let (mut checked, mut first) = (0, 0);
        for c in sample.iter().step_by(3) {
            let mut matcher = frizbee::Matcher::new(c.to_string(), &frizbee::Config::default());
            for e in index.entries.iter().chain(&index.entries[..1]) {
                let Some(found) = matcher.match_one(&e.folded, 0) else {
                    continue;
                };
                if e.chars.first() == Some(c) {
                    first += 1;
                    continue;
                }
                let ceiling = LATER_CHAR_CEILING[usize::from(e.chars.len() == 1)];
                assert!(i64::from(found.score) <= ceiling, "{c:?} in {:?}", e.text);
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
            let all: Vec<usize> = (0..index.entries.len()).collect();
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
