//! What a headline's characters allow a pinyin match to score, known without walking them:
//! which first letters stand next to each other (a character's, and the next one's) and which
//! whole syllables its characters read. A match earns the bonus for adjacent characters only
//! where its pieces' first letters stand side by side, and a whole syllable's gain only where
//! a character reads that syllable; elsewhere a piece gains no more than an initial.
//!
//! With these, the bound on what a headline can score (see [`NeighbourQuery::best`]) is often its
//! score itself. Once a keystroke's results are full, most headlines fall short of it and are
//! set aside unwalked: at a million headlines, walking them was most of a keystroke's time.

use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout};

use super::bounds::LATER_AT_WORD_START;
use super::compiled::MAX_TAKE;
use super::mask::{letter_bit, opener_bit};
use super::pinyin_match::{CONTIGUOUS, GAP, INITIAL, NONE, PARTIAL, SAME_CHAR, is_transparent};
use super::table::CharTable;

/// The pairs (a letter a character can begin with, a letter the next one can) of one headline,
/// and the syllables its characters read, each hashed into 128 bits (32 bytes a headline). A
/// character begins with its readings' first letters, or with itself when it is a letter or
/// digit; quotes and brackets between two characters do not part them (a match runs through
/// them), anything else does.
#[derive(Debug, Clone, Copy, Default, FromBytes, IntoBytes, Immutable, KnownLayout)]
#[repr(C)]
pub struct Neighbours {
    /// The pairs of first letters ([`pair_bit`]).
    pairs: [u64; 2],
    /// The readings of its characters, hashed ([`syllable_bit`]): a piece of a query can only
    /// gain a whole syllable's score where the headline has that syllable.
    syllables: u128,
}

/// The bit of a whole syllable (its letters) in a 128-bit set.
pub(super) fn syllable_bit(letters: &[u8]) -> u128 {
    let hash = letters.iter().fold(0x811c_9dc5u32, |h, &b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    });
    1 << (hash.wrapping_mul(2_654_435_761) >> 25)
}

/// The bit of the pair (letter `a`, letter `b`), both numbered as in [`super::mask::letter_bit`]
/// (letters 0–25, digits 26–35).
fn pair_bit(a: u32, b: u32) -> u32 {
    ((a * 36 + b + 1).wrapping_mul(2_654_435_761)) >> 25
}

impl Neighbours {
    /// Adds every pair of a letter of `before` and a letter of `after` (masks laid out as
    /// [`super::mask::letter_bit`]'s).
    pub fn add(&mut self, before: u64, after: u64) {
        let mut a_bits = before;
        while a_bits != 0 {
            let a = a_bits.trailing_zeros();
            a_bits &= a_bits - 1;
            let mut b_bits = after;
            while b_bits != 0 {
                let b = b_bits.trailing_zeros();
                b_bits &= b_bits - 1;
                let bit = pair_bit(a, b);
                self.pairs[(bit >> 6) as usize] |= 1 << (bit & 63);
            }
        }
    }

    fn has(&self, bit: u32) -> bool {
        bit < 128 && self.pairs[(bit >> 6) as usize] & (1 << (bit & 63)) != 0
    }

    /// The pairs and whole syllables of a headline: its folded characters and their numbers
    /// in `table`.
    pub fn of(chars: &[char], ids: &[u32], table: &CharTable) -> Neighbours {
        let mut out = Neighbours::default();
        let mut before = 0u64;
        for (&c, &id) in chars.iter().zip(ids) {
            if is_transparent(c) {
                continue;
            }
            let unit = table.unit(id);
            let now = letter_bit(c) | unit.map_or(0, |u| u.initials);
            out.syllables |= unit.map_or(0, |u| u.whole);
            if before != 0 && now != 0 {
                out.add(before, now);
            }
            before = now;
        }
        out
    }
}

/// One way a character can take letters `from..to` of a query, for one bounds index: the
/// most it can gain, and the pair of first letters that must stand side by side for a match
/// to go on adjacent at `to`.
#[derive(Debug, Clone, Copy)]
struct Piece {
    /// Its letters as a whole syllable ([`syllable_bit`]).
    syllable: u128,
    /// The best gain of any character taking these letters.
    gain: i32,
    /// The most it can gain as anything but a whole syllable (an initial, a syllable begun at
    /// the end of the query, the letter itself).
    other: i32,
    /// The pair (`query[from]`, `query[to]`); `u32::MAX` at the query's end.
    next: u32,
    from: u8,
    to: u8,
}

/// A query's side of the check: per bounds index (with ASCII literals or not, with rare
/// characters or not: see `bounds_index`), every piece some character can take, in order of
/// where it begins. `None`: the query has a character that is not a letter or digit, which
/// this check does not model (it then rules nothing out).
#[derive(Debug, Clone, Default)]
pub struct NeighbourQuery {
    m: usize,
    pieces: Option<[Vec<Piece>; 4]>,
    /// Per query position: the bit of its letter among the letters words begin with
    /// ([`super::mask::opener_bit`]).
    openers: Vec<u32>,
    /// The whole syllables whose presence changes some piece's gain (at most
    /// [`SYLLABLE_TESTS`]; none when the query has more).
    syllable_tests: Vec<u128>,
    /// What [`NeighbourQuery::best`] finds with every pair of letters side by side, at
    /// `((bounds * 2 + words) << syllable_tests.len()) | present`: per bounds index, without
    /// and with word openers everywhere (`words` 0, 1), per set of the tested syllables
    /// present. A bound that a headline's pairs can only lower, read from a table.
    by_syllables: Vec<(i32, i32)>,
}

/// The most syllables [`NeighbourQuery::best_by_syllables`] tabulates: 2⁶ sets, 512 small sums
/// worked out per query.
const SYLLABLE_TESTS: usize = 6;

/// Room for the best score of every query position.
const SLOTS: usize = super::compiled::MAX_QUERY + 1;

/// No score yet at any position. (Copied from a constant: built in place, one array copied
/// into the next stalled every call on reading back what had just been written.)
const EMPTY: [i32; SLOTS] = [NONE; SLOTS];

/// Below this, a score is `NONE` with bonuses added: nothing (`NONE` is far enough below zero
/// that no sum of gains reaches this).
const NOTHING: i32 = NONE / 2;

impl NeighbourQuery {
    /// The plan of `query` (folded), from the best gain of taking `k + 1` letters at `i`
    /// (`best[bounds index][i][k]`, `NONE` where no character can).
    pub(super) fn new(query: &[char], best: [&[[i32; MAX_TAKE]]; 4]) -> NeighbourQuery {
        let m = query.len();
        // A letter or digit numbered as in `letter_bit`; `None` for anything else.
        let number = |c: char| {
            Some(letter_bit(c))
                .filter(|&bit| bit != 0)
                .map(u64::trailing_zeros)
        };
        let openers = query.iter().map(|&c| opener_bit(c)).collect();
        let numbers: Option<Vec<u32>> = query.iter().map(|&c| number(c)).collect();
        let Some(numbers) = numbers else {
            return NeighbourQuery {
                m,
                pieces: None,
                openers,
                ..NeighbourQuery::default()
            };
        };
        let pieces = std::array::from_fn(|b| {
            let mut pieces = Vec::new();
            for i in 0..m {
                for to in i + 1..=(i + MAX_TAKE).min(m) {
                    let gain = best[b][i][to - i - 1];
                    if gain == NONE {
                        continue;
                    }
                    let letters: Vec<u8> = query[i..to].iter().map(|&c| c as u8).collect();
                    // As anything but a whole syllable (see `consumptions`): one letter as an
                    // initial (or itself, with ASCII literals), `zh`/`ch`/`sh`, or a syllable
                    // begun at the end.
                    let initial = match letters[..] {
                        [_] | [b'z' | b'c' | b's', b'h'] => INITIAL,
                        _ => NONE,
                    };
                    let partial = if to == m {
                        PARTIAL + letters.len() as i32
                    } else {
                        NONE
                    };
                    let literal = if b >= 2 && letters.len() == 1 {
                        SAME_CHAR
                    } else {
                        NONE
                    };
                    pieces.push(Piece {
                        syllable: syllable_bit(&letters),
                        gain,
                        other: gain.min(initial.max(partial).max(literal)),
                        next: if to < m {
                            pair_bit(numbers[i], numbers[to])
                        } else {
                            u32::MAX
                        },
                        from: i as u8,
                        to: to as u8,
                    });
                }
            }
            pieces
        });
        let mut syllable_tests: Vec<u128> = pieces
            .iter()
            .flatten()
            .filter(|p| p.gain != p.other)
            .map(|p| p.syllable)
            .collect();
        syllable_tests.sort_unstable();
        syllable_tests.dedup();
        let mut query = NeighbourQuery {
            m,
            pieces: Some(pieces),
            openers,
            syllable_tests: Vec::new(),
            by_syllables: Vec::new(),
        };
        if syllable_tests.len() <= SYLLABLE_TESTS {
            let sets = 1usize << syllable_tests.len();
            let mut table = Vec::with_capacity(8 * sets);
            for bounds in 0..4 {
                for words in [0, u32::MAX] {
                    for present in 0..sets {
                        let syllables = syllable_tests
                            .iter()
                            .enumerate()
                            .filter(|&(j, _)| present & (1 << j) != 0)
                            .fold(0, |all, (_, &bit)| all | bit);
                        let side_by_side = Neighbours {
                            pairs: [u64::MAX; 2],
                            syllables,
                        };
                        table.push(query.best(&side_by_side, words, bounds, None));
                    }
                }
            }
            query.syllable_tests = syllable_tests;
            query.by_syllables = table;
        }
        query
    }

    /// What [`NeighbourQuery::best`] finds for a headline with the whole syllables of
    /// `pairs`, every pair of letters side by side and, where it has a word start
    /// (`word_starts`), a word beginning with every letter: at least what it finds for the
    /// headline, and cheaper — enough to settle most headlines. `None` when the query has
    /// too many syllables to tabulate.
    #[inline]
    pub fn best_by_syllables(
        &self,
        pairs: &Neighbours,
        word_starts: bool,
        bounds: usize,
    ) -> Option<(i32, i32)> {
        if self.by_syllables.is_empty() {
            return None;
        }
        let present = self
            .syllable_tests
            .iter()
            .enumerate()
            .fold(0, |present, (j, &bit)| {
                present | (usize::from(pairs.syllables & bit != 0) << j)
            });
        let at = ((bounds * 2 + usize::from(word_starts)) << self.syllable_tests.len()) | present;
        self.by_syllables.get(at).copied()
    }

    /// The most a match can score in a headline with neighbouring letters `pairs`, before the
    /// bonus of where it begins (bounds index `bounds`), and the most a run of adjacent
    /// characters spelling the whole query can. Each piece gains its best, a whole syllable's
    /// only where the headline has that syllable; the adjacency bonus only where the pair of
    /// first letters stands side by side, elsewhere a gap, resumed with a word start's bonus
    /// only where a word begins with the letter (`word_openers`, as in the headline's record,
    /// 0 when it has no word start). With `first` (what the headline's first character gains
    /// taking the query's first `k + 1` letters, at `[k]`), of a match beginning at that
    /// character: its first piece gains what that character does. `NONE` where there can be
    /// no such match; `i32::MAX` when this check cannot tell.
    pub fn best(
        &self,
        pairs: &Neighbours,
        word_openers: u32,
        bounds: usize,
        first: Option<&[i32; MAX_TAKE]>,
    ) -> (i32, i32) {
        let Some(pieces) = &self.pieces else {
            return (i32::MAX, i32::MAX);
        };
        // Best score of the letters before `j`: with the next piece free to stand adjacent
        // (`adjacent`) or not (`any`), and by a run so far (`run`). Sums with `NONE` in them
        // stay below `NOTHING`, so no case needs a branch of its own.
        let (mut adjacent, mut any, mut run) = (EMPTY, EMPTY, EMPTY);
        (any[0], run[0]) = (0, 0);
        let (mut whole, mut whole_run) = (NONE, NONE);
        for piece in &pieces[bounds] {
            let (from, to) = (usize::from(piece.from), usize::from(piece.to));
            let gain = match first {
                Some(first) if from == 0 => first[to - 1],
                _ if pairs.syllables & piece.syllable != 0 => piece.gain,
                _ => piece.other,
            };
            let (here, here_run) = if from == 0 {
                (gain, gain)
            } else {
                let resumed = if self.openers[from] & word_openers != 0 {
                    LATER_AT_WORD_START
                } else {
                    0
                };
                let joined = (any[from] - GAP + resumed).max(adjacent[from] + CONTIGUOUS);
                (joined + gain, run[from] + CONTIGUOUS + gain)
            };
            if to == self.m {
                whole = whole.max(here);
                whole_run = whole_run.max(here_run);
            } else {
                any[to] = any[to].max(here);
                if pairs.has(piece.next) {
                    adjacent[to] = adjacent[to].max(here);
                    run[to] = run[to].max(here_run);
                }
            }
        }
        let settled = |best: i32| if best < NOTHING { NONE } else { best };
        (settled(whole), settled(whole_run))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::find::fold::fold;

    /// The neighbours of `text`, with the table that numbers its characters.
    fn neighbours(text: &str) -> Neighbours {
        let chars = fold(text);
        let mut table = CharTable::default();
        let ids: Vec<u32> = chars.iter().map(|&c| table.push(c)).collect();
        Neighbours::of(&chars, &ids, &table)
    }

    fn has(pairs: &Neighbours, a: char, b: char) -> bool {
        let n = |c: char| letter_bit(c).trailing_zeros();
        pairs.has(pair_bit(n(a), n(b)))
    }

    #[test]
    fn pairs_are_of_neighbours_only() {
        // s·h stand side by side; a comma parts h from z; a quote between z and x does not.
        let pairs = neighbours("sh，z“x");
        assert!(has(&pairs, 's', 'h') && has(&pairs, 'z', 'x'));
        // (Hashed: a pair not added could collide, but these do not.)
        assert!(!has(&pairs, 'h', 'z') && !has(&pairs, 'h', 's') && !has(&pairs, 's', 'z'));
        // A character stands for every first letter of its readings (重: zhong, chong).
        let pairs = neighbours("重要");
        assert!(has(&pairs, 'z', 'y') && has(&pairs, 'c', 'y'));
        assert!(!has(&pairs, 'y', 'z'));
    }

    #[test]
    fn whole_syllables_are_the_readings() {
        let pairs = neighbours("数字");
        for syllable in ["shu", "zi"] {
            assert_ne!(pairs.syllables & syllable_bit(syllable.as_bytes()), 0);
        }
        assert_eq!(pairs.syllables & syllable_bit(b"hu"), 0, "a reading's tail");
    }
}
