//! Matching a query against a headline character by character, where a Han character may be
//! typed as itself or as pinyin: a full syllable (`cao`), its initial (`c`, `zh`), or — for the
//! last syllable typed so far — any prefix (`caox` → 曹县). Any reading of a polyphonic
//! character counts (重 zhong/chong), the dictionary's first two a little better than rare ones.

use super::fold::{initial, readings};
use super::mask::letter_bit;

/// Every distinct character of an index, numbered in the order first seen, each with its
/// readings: headlines are stored as these numbers, so what a query makes of a character is
/// worked out once per character rather than once per occurrence.
#[derive(Debug, Clone, Default)]
pub struct CharTable {
    chars: Vec<char>,
    units: Vec<Option<PinyinUnit>>,
}

impl CharTable {
    /// Adds `c` (not already in the table) and returns its number.
    pub fn push(&mut self, c: char) -> u32 {
        let found = readings(c);
        self.chars.push(c);
        self.units
            .push((!found.is_empty()).then(|| PinyinUnit::new(&found)));
        (self.chars.len() - 1) as u32
    }

    /// The readings of character `id`, if it has any.
    pub fn unit(&self, id: u32) -> Option<&PinyinUnit> {
        self.units.get(id as usize)?.as_ref()
    }

    /// Character `id`.
    pub fn char(&self, id: u32) -> char {
        self.chars.get(id as usize).copied().unwrap_or('\0')
    }

    /// How many characters the table holds.
    pub fn len(&self) -> usize {
        self.chars.len()
    }

    /// True when the table holds no character.
    pub fn is_empty(&self) -> bool {
        self.chars.is_empty()
    }
}

/// A Han character's readings, as bytes, with their initials' lengths.
#[derive(Debug, Clone)]
pub struct PinyinUnit {
    syllables: Vec<(Box<[u8]>, usize)>,
    /// Every letter of every reading.
    pub letters: u64,
    /// The first letters of the readings.
    pub initials: u64,
    /// The first two letters of the readings, hashed ([`bigram_bit`]).
    bigrams: u64,
    /// The first three letters of the readings, hashed ([`trigram_bit`]).
    trigrams: u128,
}

/// Bit of a syllable's first two letters in a 64-bit set.
fn bigram_bit(a: u8, b: u8) -> u64 {
    let key = u32::from(a) * 128 + u32::from(b);
    1 << (key.wrapping_mul(2_654_435_761) >> 26)
}

/// Bit of a syllable's first three letters in a 128-bit set.
fn trigram_bit(a: u8, b: u8, c: u8) -> u128 {
    let key = (u32::from(a) * 128 + u32::from(b)) * 128 + u32::from(c);
    1 << (key.wrapping_mul(2_654_435_761) >> 25)
}

/// What a headline's characters can begin, for rejecting it before aligning a pinyin query:
/// every way a character takes query letters is itself (a literal letter or digit), an initial,
/// or a syllable prefix — so each piece of one or two or three-plus letters needs a letter, a
/// syllable's first two letters or its first three among the headline's. Hashed sets: they can
/// only let too much through, never reject a match.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SyllableStarts {
    singles: u64,
    bigrams: u64,
    trigrams: u128,
}

impl SyllableStarts {
    /// Adds a character with readings.
    pub fn add_unit(&mut self, unit: &PinyinUnit) {
        self.singles |= unit.initials;
        self.bigrams |= unit.bigrams;
        self.trigrams |= unit.trigrams;
    }

    /// Adds a character of the text itself (letters and digits match themselves).
    pub fn add_literal(&mut self, c: char) {
        self.singles |= letter_bit(c);
    }

    /// False when `query` cannot be split into pieces the headline's characters could take —
    /// then [`pinyin_match`] finds nothing. True says nothing.
    pub fn may_match(&self, query: &[char]) -> bool {
        self.may_spell(&StartsQuery::new(query))
    }

    /// [`SyllableStarts::may_match`] with the query's side worked out once.
    pub fn may_spell(&self, query: &StartsQuery) -> bool {
        let Some(steps) = &query.steps else {
            return true;
        };
        let m = steps.len();
        let mut ok: u64 = 1;
        // Without branches: which pieces the headline has is anyone's guess.
        for (i, step) in steps.iter().enumerate() {
            let on = (ok >> i) & 1;
            let one = u64::from(step.always || self.singles & step.single != 0);
            let two = u64::from(self.bigrams & step.bigram != 0);
            let more = u64::from(self.trigrams & step.trigram != 0);
            ok |= on * ((one << (i + 1)) | (two << (i + 2)) | (more * step.longer));
        }
        ok & (1 << m) != 0
    }
}

/// A query's side of [`SyllableStarts::may_spell`]: per position, the bits a headline needs
/// to take one letter, two (a syllable's first two) or three or more from there.
#[derive(Debug, Clone, Default)]
pub struct StartsQuery {
    /// `None` for a query too long to check (anything may match).
    steps: Option<Vec<StartStep>>,
}

#[derive(Debug, Clone, Copy, Default)]
struct StartStep {
    /// Taken whatever the headline has (not a letter or digit: left to the matcher).
    always: bool,
    single: u64,
    bigram: u64,
    trigram: u128,
    /// The positions a syllable of three to six letters from here would end at.
    longer: u64,
}

impl StartsQuery {
    /// Works out `query`'s steps.
    pub fn new(query: &[char]) -> StartsQuery {
        if query.len() >= 63 {
            return StartsQuery { steps: None };
        }
        let letter = |i: usize| {
            query
                .get(i)
                .filter(|c| c.is_ascii_lowercase())
                .map(|&c| c as u8)
        };
        let steps = query
            .iter()
            .enumerate()
            .map(|(i, &c)| {
                if !c.is_ascii_lowercase() {
                    // A digit only matches itself; anything else is left to the matcher.
                    return StartStep {
                        always: !c.is_ascii_digit(),
                        single: letter_bit(c),
                        ..StartStep::default()
                    };
                }
                let (a, b, t) = (c as u8, letter(i + 1), letter(i + 2));
                StartStep {
                    always: false,
                    single: letter_bit(c),
                    bigram: b.map_or(0, |b| bigram_bit(a, b)),
                    trigram: match (b, t) {
                        (Some(b), Some(t)) => trigram_bit(a, b, t),
                        _ => 0,
                    },
                    // Syllables are at most six letters long.
                    longer: (3..=6)
                        .filter(|len| i + len <= query.len())
                        .fold(0, |bits, len| bits | 1 << (i + len)),
                }
            })
            .collect();
        StartsQuery { steps: Some(steps) }
    }
}

impl PinyinUnit {
    /// From readings, most common first.
    pub fn new(readings: &[String]) -> Self {
        let mut letters = 0u64;
        let mut initials = 0u64;
        for r in readings {
            if let Some(c) = r.chars().next().filter(char::is_ascii_lowercase) {
                initials |= 1 << (c as u32 - 'a' as u32);
            }
            for c in r.chars() {
                if c.is_ascii_lowercase() {
                    letters |= 1 << (c as u32 - 'a' as u32);
                }
            }
        }
        let (mut bigrams, mut trigrams) = (0u64, 0u128);
        for r in readings {
            match r.as_bytes() {
                [a, b, c, ..] => {
                    bigrams |= bigram_bit(*a, *b);
                    trigrams |= trigram_bit(*a, *b, *c);
                }
                [a, b] => bigrams |= bigram_bit(*a, *b),
                _ => {}
            }
        }
        PinyinUnit {
            bigrams,
            trigrams,
            syllables: readings
                .iter()
                .map(|r| (r.as_bytes().to_vec().into_boxed_slice(), initial(r).len()))
                .collect(),
            letters,
            initials,
        }
    }
}

/// A pinyin match's score and, when asked for, the matched character positions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PinyinMatch {
    /// Higher is better.
    pub score: i64,
    /// Character positions matched (empty unless requested).
    pub positions: Vec<usize>,
}

const SAME_CHAR: i32 = 16;
const FULL_SYLLABLE: i32 = 12;
const INITIAL: i32 = 8;
const PARTIAL: i32 = 5;
const RARE_READING: i32 = 4;
pub(crate) const CONTIGUOUS: i32 = 6;
pub(crate) const AT_START: i32 = 8;
pub(crate) const AT_WORD_START: i32 = 4;
pub(crate) const GAP: i32 = 1;
pub(crate) const NONE: i32 = i32::MIN / 4;

/// Ways the character `c` (with `unit`) can consume query characters from `i`: (count,
/// score). Most characters can take none: callers ask [`can_take`] first, which is cheaper.
pub(crate) fn consumptions(
    unit: Option<&PinyinUnit>,
    c: char,
    query: &[char],
    i: usize,
    out: &mut Vec<(usize, i32)>,
) {
    out.clear();
    let Some(&q) = query.get(i) else { return };
    if q == c {
        out.push((1, SAME_CHAR));
    }
    let Some(unit) = unit else { return };
    let rest = &query[i..];
    for (rank, (syllable, initial_len)) in unit.syllables.iter().enumerate() {
        let common = syllable
            .iter()
            .zip(rest)
            .take_while(|(s, q)| **s as char == **q)
            .count();
        if common == 0 {
            continue;
        }
        let penalty = if rank >= 2 { RARE_READING } else { rank as i32 };
        if common == syllable.len() {
            out.push((common, FULL_SYLLABLE + common as i32 - penalty));
        }
        // Initials: the first letter (`z` for 中, as abbreviations are typed), and `zh`/`ch`/`sh`.
        if syllable.len() > 1 {
            out.push((1, INITIAL - penalty));
        }
        if *initial_len == 2 && common >= 2 && syllable.len() > 2 {
            out.push((2, INITIAL - penalty));
        }
        // A partial syllable only at the end of what has been typed.
        if i + common == query.len() && common < syllable.len() && common > *initial_len {
            out.push((common, PARTIAL + common as i32 - penalty));
        }
    }
}

/// True when the character `c` (with `unit`) can take query letter `q` at all: `q` is `c`
/// itself or the first letter of one of its readings. Every way of consuming starts so.
#[inline]
pub(crate) fn can_take(unit: Option<&PinyinUnit>, c: char, q: char) -> bool {
    q == c
        || (q.is_ascii_lowercase()
            && unit.is_some_and(|u| u.initials & (1 << (q as u32 - 'a' as u32)) != 0))
}

/// The bonus for a match beginning at character `j`: the headline's start, or a word's.
fn word_bonus(chars: &[char], j: usize) -> i32 {
    if j == 0 {
        AT_START
    } else if is_word_start(chars, j) {
        AT_WORD_START
    } else {
        0
    }
}

/// Quotes and brackets: a reader sees 数字“晨星” as one run, so skipping one inside a match
/// neither costs a gap nor breaks contiguity.
pub(crate) fn is_transparent(c: char) -> bool {
    matches!(
        c,
        '“' | '”'
            | '‘'
            | '’'
            | '"'
            | '\''
            | '「'
            | '」'
            | '『'
            | '』'
            | '《'
            | '》'
            | '〈'
            | '〉'
            | '（'
            | '）'
            | '('
            | ')'
            | '【'
            | '】'
            | '['
            | ']'
            | '〔'
            | '〕'
    )
}

/// True when the character before `j` ends a word.
pub(crate) fn is_word_start(chars: &[char], j: usize) -> bool {
    j.checked_sub(1)
        .and_then(|p| chars.get(p))
        .is_some_and(|&prev| ends_word(prev))
}

/// True when a word begins after `c`: a space or punctuation (`：“（` …). Cheap for the common
/// case, a Han character, which never ends one.
pub(crate) fn ends_word(c: char) -> bool {
    match c as u32 {
        0..=0x7f => !c.is_ascii_alphanumeric(),
        0x4e00..=0x9fff | 0x3400..=0x4dbf => false,
        0x2000..=0x206f | 0x3000..=0x303f | 0xff00..=0xff0f | 0xff1a..=0xff20 => true,
        _ => !c.is_alphanumeric(),
    }
}

/// Matches `query` against `chars` (with `ids`: their numbers in `table`). `anchored`
/// requires the match to start at the first character and run without gaps. `with_positions`
/// also returns which characters matched.
pub fn pinyin_match(
    chars: &[char],
    ids: &[u32],
    table: &CharTable,
    query: &[char],
    anchored: bool,
    with_positions: bool,
) -> Option<PinyinMatch> {
    let m = query.len();
    let n = chars.len();
    if m == 0 || m > n * 6 + 6 {
        return None;
    }
    let unit_at = |j: usize| table.unit(ids[j]);
    // Nothing before the first character that can begin the match changes the score (skipping
    // there costs nothing): start the work there, or reject when there is none.
    let can_begin = |j: usize| can_take(unit_at(j), chars[j], query[0]);
    let begin = if anchored {
        if can_begin(0) { 0 } else { return None }
    } else {
        (0..n).find(|&j| can_begin(j))?
    };
    let mut options = Vec::with_capacity(8);
    // Feasibility first, with a bitset of reachable query positions: cheap, and it rejects most
    // headlines once a few letters are typed (with one or two, nearly everything matches).
    if (3..64).contains(&m) {
        let mut reach: u64 = 1;
        let goal = 1u64 << m;
        for (j, &c) in chars.iter().enumerate().skip(begin) {
            let mut next = if anchored { reach & goal } else { reach };
            let mut bits = reach & !goal;
            while bits != 0 {
                let i = bits.trailing_zeros() as usize;
                bits &= bits - 1;
                let unit = unit_at(j);
                if !can_take(unit, c, query[i]) {
                    continue;
                }
                consumptions(unit, c, query, i, &mut options);
                for &(k, _) in &options {
                    next |= 1 << (i + k);
                }
            }
            reach = next;
            if reach & goal != 0 {
                break;
            }
        }
        if reach & goal == 0 {
            return None;
        }
    }
    // Scores: best[i][c], c = whether the previous character was matched.
    let width = m + 1;
    // Short queries (nearly all) keep the two score rows on the stack.
    let (mut best_store, mut next_store);
    let (mut stack_best, mut stack_next) = ([NONE; 64], [NONE; 64]);
    let (mut best, mut next): (&mut [i32], &mut [i32]) = if width * 2 <= 64 {
        (&mut stack_best[..width * 2], &mut stack_next[..width * 2])
    } else {
        best_store = vec![NONE; width * 2];
        next_store = vec![NONE; width * 2];
        (&mut best_store[..], &mut next_store[..])
    };
    best[0] = 0;
    let mut trace: Vec<(u16, u8, bool)> = if with_positions {
        vec![(0, 0, false); (n + 1) * width * 2]
    } else {
        Vec::new()
    };
    for j in begin..n {
        next.fill(NONE);
        let word_bonus = word_bonus(chars, j);
        let unit = unit_at(j);
        let transparent = is_transparent(chars[j]);
        for i in 0..=m {
            if best[i * 2] == NONE && best[i * 2 + 1] == NONE {
                continue;
            }
            if i < m {
                // Most characters cannot take the next query letter at all: decide that here,
                // on the initials mask, before working out how.
                if can_take(unit, chars[j], query[i]) {
                    consumptions(unit, chars[j], query, i, &mut options);
                } else {
                    options.clear();
                }
            }
            for c in 0..2 {
                let here = best[i * 2 + c];
                if here == NONE {
                    continue;
                }
                // Skip this character: a quote or bracket keeps the match's contiguity and
                // costs nothing (also in an anchored match).
                if transparent {
                    if here > next[i * 2 + c] {
                        next[i * 2 + c] = here;
                        if with_positions {
                            trace[((j + 1) * width + i) * 2 + c] = (i as u16, c as u8, false);
                        }
                    }
                } else if !anchored || i == m {
                    let gap = if i > 0 && i < m { GAP } else { 0 };
                    let score = here - gap;
                    if score > next[i * 2] {
                        next[i * 2] = score;
                        if with_positions {
                            trace[((j + 1) * width + i) * 2] = (i as u16, c as u8, false);
                        }
                    }
                }
                if i == m {
                    continue;
                }
                for &(k, gain) in &options {
                    // Adjacent to the last matched character, or beginning a word: one bonus or
                    // the other (after a skipped quote a character is both).
                    let bonus = if c == 1 {
                        CONTIGUOUS
                    } else if i == 0 {
                        word_bonus
                    } else {
                        word_bonus / 2
                    };
                    let score = here + gain + bonus;
                    let slot = (i + k) * 2 + 1;
                    if score > next[slot] {
                        next[slot] = score;
                        if with_positions {
                            trace[((j + 1) * width + i + k) * 2 + 1] = (i as u16, c as u8, true);
                        }
                    }
                }
            }
        }
        std::mem::swap(&mut best, &mut next);
    }
    let best: &[i32] = best;
    let (c, score) = (0..2)
        .map(|c| (c, best[m * 2 + c]))
        .max_by_key(|(_, s)| *s)?;
    if score == NONE {
        return None;
    }
    let mut positions = Vec::new();
    if with_positions {
        let (mut i, mut c) = (m, c);
        for j in (begin + 1..=n).rev() {
            let (pi, pc, consumed) = trace[(j * width + i) * 2 + c];
            if consumed {
                positions.push(j - 1);
            }
            i = pi as usize;
            c = pc as usize;
        }
        positions.reverse();
    }
    Some(PinyinMatch {
        score: i64::from(score),
        positions,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::find::fold::fold;

    /// The numbers of `chars`, each pushed on `table` (a character may be there twice: the
    /// matcher only looks a number up).
    fn units_of(chars: &[char], table: &mut CharTable) -> Vec<u32> {
        chars.iter().map(|&c| table.push(c)).collect()
    }

    fn matches(text: &str, query: &str) -> Option<PinyinMatch> {
        let chars = fold(text);
        let mut table = CharTable::default();
        let units = units_of(&chars, &mut table);
        pinyin_match(&chars, &units, &table, &fold(query), false, true)
    }

    /// The syllable-start filter never rejects a headline the matcher would match.
    #[test]
    fn syllable_starts_never_reject_a_match() {
        let archive = crate::library::samples::builtin_archive();
        let mut table = CharTable::default();
        let (mut matched, mut rejected) = (0, 0);
        let queries = [
            "shu", "shuzi", "caoxian", "cxx", "zgsn", "zhongguo", "zhg", "xinwen", "xw", "gongzuo",
            "anquan", "aq", "er", "ou", "5gjz", "2025nian", "leiq", "jiak", "hua", "huang",
            "chuang", "shuang", "zhuangb", "qzgz", "shengs", "yiq", "weng", "nv", "lv", "qqq",
        ];
        for title in archive
            .issues
            .iter()
            .flat_map(|i| i.articles.iter().map(|a| a.display_title()))
        {
            let chars = fold(&title);
            let units = units_of(&chars, &mut table);
            let mut starts = SyllableStarts::default();
            for (&c, &id) in chars.iter().zip(&units) {
                starts.add_literal(c);
                if let Some(unit) = table.unit(id) {
                    starts.add_unit(unit);
                }
            }
            for query in queries {
                let query: Vec<char> = query.chars().collect();
                let found = pinyin_match(&chars, &units, &table, &query, false, true).is_some();
                let may = starts.may_match(&query);
                assert!(
                    may || !found,
                    "{title} / {query:?} was rejected but matches"
                );
                matched += usize::from(found);
                rejected += usize::from(!may);
            }
        }
        // The filter must do something, and the table must have matches to protect.
        assert!(
            matched > 50 && rejected > 500,
            "{matched} matched, {rejected} rejected"
        );
    }

    #[test]
    fn initials_full_and_mixed() {
        assert_eq!(
            matches("曹县汉服产业", "cx").map(|m| m.positions),
            Some(vec![0, 1])
        );
        assert_eq!(
            matches("曹县汉服产业", "caoxian").map(|m| m.positions),
            Some(vec![0, 1])
        );
        assert_eq!(
            matches("曹县汉服产业", "曹xian").map(|m| m.positions),
            Some(vec![0, 1])
        );
        assert_eq!(
            matches("加快数字化转型", "shuzi转型").map(|m| m.positions),
            Some(vec![2, 3, 5, 6])
        );
        assert_eq!(
            matches("曹县汉服产业", "caox").map(|m| m.positions),
            Some(vec![0, 1])
        );
    }

    #[test]
    fn first_letters_and_zh_ch_sh_are_initials() {
        assert_eq!(
            matches("中国少年", "zg").map(|m| m.positions),
            Some(vec![0, 1])
        );
        assert_eq!(
            matches("中国少年", "zhg").map(|m| m.positions),
            Some(vec![0, 1])
        );
        assert_eq!(
            matches("中国少年", "zgsn").map(|m| m.positions),
            Some(vec![0, 1, 2, 3])
        );
    }

    #[test]
    fn polyphones_match_any_reading() {
        assert!(matches("重庆", "chongqing").is_some());
        assert!(matches("银行", "yinhang").is_some());
        assert!(matches("长城", "changcheng").is_some());
        assert!(matches("绿色", "lvse").is_some());
    }

    #[test]
    fn contiguous_beats_scattered() {
        let contiguous = matches("曹县汉服", "cx").expect("match").score;
        let scattered = matches("曹汉服县", "cx").expect("match").score;
        assert!(contiguous > scattered);
    }

    #[test]
    fn no_match() {
        assert_eq!(matches("曹县汉服", "zz"), None);
        assert_eq!(matches("曹县", "caoxianq"), None);
    }
}
