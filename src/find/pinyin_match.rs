//! Matching a query against a headline character by character, where a Han character may be
//! typed as itself or as pinyin: a full syllable (`cao`), its initial (`c`, `zh`), or — for the
//! last syllable typed so far — any prefix (`caox` → 曹县). Any reading of a polyphonic
//! character counts (重 zhong/chong), the dictionary's first two a little better than rare ones.

use super::table::{CharTable, PinyinUnit};

/// A pinyin match's score and, when asked for, the matched character positions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PinyinMatch {
    /// Higher is better.
    pub score: i64,
    /// Character positions matched (empty unless requested).
    pub positions: Vec<usize>,
}

pub(crate) const SAME_CHAR: i32 = 16;
const FULL_SYLLABLE: i32 = 12;
pub(crate) const INITIAL: i32 = 8;
pub(crate) const PARTIAL: i32 = 5;
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
    use crate::find::table::SyllableStarts;

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
