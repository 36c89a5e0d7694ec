//! Upper bounds on what a pinyin alignment can still score, computed once per compiled query:
//! what lets scoring stop as soon as a headline cannot enter the results.

use super::compiled::MAX_TAKE;
use super::pinyin_match::{AT_START, AT_WORD_START, CONTIGUOUS, NONE};

/// Which bounds hold for a headline: with ASCII literals or not, with rare characters or not.
pub(super) fn bounds_index(ascii_literals: bool, rare: bool) -> usize {
    usize::from(ascii_literals) * 2 + usize::from(rare)
}

/// Upper bounds on what an alignment can still add, with word starts nowhere ahead (`[0]`)
/// or anywhere ahead (`[1]`).
#[derive(Debug, Clone, Default)]
pub(super) struct Bounds {
    /// `rest[_][i]`: the most that matching letters `i..` can add once the match has begun.
    rest: [Vec<i32>; 2],
    /// The most a whole match can score, not counting the bonus of where it begins.
    whole: [i32; 2],
}

/// The bonus of a match's later character at a word start.
pub(super) const LATER_AT_WORD_START: i32 = AT_WORD_START / 2;

impl Bounds {
    /// From the best gain of each (position, letters taken): every later character assumed
    /// contiguous and, in `[1]`, at a word start — which only a query with a character that
    /// ends a word can have at once: in a run of letters and Han characters, the next one
    /// never begins a word. Without such a character, `[1]` is `[0]`.
    pub(super) fn new(best: &[[i32; MAX_TAKE]], ends_word: bool) -> Bounds {
        let m = best.len();
        let one = |later: i32| {
            let mut rest = vec![NONE; m + 1];
            rest[m] = 0;
            for i in (0..m).rev() {
                for (k, &gain) in best[i].iter().enumerate() {
                    let to = i + k + 1;
                    if gain != NONE && to <= m && rest[to] != NONE {
                        rest[i] = rest[i].max(gain + CONTIGUOUS + later + rest[to]);
                    }
                }
            }
            // A match's first character has no contiguous bonus; its start bonus is added by
            // whoever knows where it begins.
            let mut whole = NONE;
            for (k, &gain) in best.first().into_iter().flatten().enumerate() {
                let to = k + 1;
                if gain != NONE && to <= m && rest[to] != NONE {
                    whole = whole.max(gain + rest[to]);
                }
            }
            (rest, whole)
        };
        let (rest0, whole0) = one(0);
        let (rest1, whole1) = if ends_word {
            one(LATER_AT_WORD_START)
        } else {
            (rest0.clone(), whole0)
        };
        Bounds {
            rest: [rest0, rest1],
            whole: [whole0, whole1],
        }
    }

    /// What letters `i..` can add with `w` word starts ahead (at most `w` characters get a
    /// word-start bonus).
    pub(super) fn rest(&self, i: usize, w: usize) -> i32 {
        if w == 0 {
            self.rest[0][i]
        } else {
            self.rest[1][i].min(self.rest[0][i] + LATER_AT_WORD_START * w as i32)
        }
    }

    /// The most a match beginning after the first character can score, with `w` word starts
    /// ahead; `opens`: one of them may begin the match (its character can take the query's
    /// first letter), which gets the whole word-start bonus.
    pub(super) fn later_match(&self, w: usize, opens: bool) -> i32 {
        if w == 0 {
            self.whole[0]
        } else if !opens {
            self.whole[1].min(self.whole[0] + LATER_AT_WORD_START * w as i32)
        } else {
            (self.whole[1] + AT_WORD_START)
                .min(self.whole[0] + AT_WORD_START + LATER_AT_WORD_START * (w as i32 - 1))
        }
    }

    /// The most a match beginning at the first character can score, with `w` word starts
    /// after it (`opens` as for [`Bounds::later_match`]).
    pub(super) fn first_match(&self, w: usize, opens: bool) -> i32 {
        let rest = if w == 0 {
            self.whole[0]
        } else {
            self.whole[1].min(self.whole[0] + LATER_AT_WORD_START * w as i32)
        };
        (rest + AT_START).max(self.later_match(w, opens))
    }
}
