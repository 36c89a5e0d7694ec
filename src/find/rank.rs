//! The ranking: a hit's place (score, then the shorter headline, then reading order) and the
//! best `limit` kept on a heap, which also says what score a headline needs to enter.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// A result: which entry and how well it matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    /// The headline: its number in the index ([`super::HeadlineIndex::entry`]).
    pub entry: usize,
    /// Higher is better.
    pub score: i64,
}

/// A hit's place in the ranking: higher score, then the shorter headline, then reading order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Rank {
    pub(crate) score: i64,
    shorter: Reverse<usize>,
    pub(crate) earlier: Reverse<usize>,
}

impl Rank {
    pub(crate) fn new(score: i64, len: usize, entry: usize) -> Rank {
        Rank {
            score,
            shorter: Reverse(len),
            earlier: Reverse(entry),
        }
    }
}

/// The best `limit` of `ranks` as hits, best first.
pub(crate) fn best_hits(mut ranks: Vec<Rank>, limit: usize) -> Vec<Hit> {
    ranks.sort_unstable_by(|a, b| b.cmp(a));
    ranks.truncate(limit);
    ranks
        .into_iter()
        .map(|r| Hit {
            entry: r.earlier.0,
            score: r.score,
        })
        .collect()
}

/// The best `limit` ranks seen so far, the worst on top of a heap.
pub(crate) struct TopK {
    limit: usize,
    heap: BinaryHeap<Reverse<Rank>>,
}

impl TopK {
    pub(crate) fn new(limit: usize) -> TopK {
        TopK {
            limit,
            heap: BinaryHeap::with_capacity(limit.min(4096)),
        }
    }

    /// The lowest score with which a headline of `len` characters (number `entry`) would
    /// enter the list.
    pub(crate) fn need(&self, len: usize, entry: usize) -> i64 {
        if self.heap.len() < self.limit {
            return i64::MIN;
        }
        match self.heap.peek() {
            Some(Reverse(worst)) => {
                let wins_tie = Rank::new(worst.score, len, entry) > *worst;
                worst.score + i64::from(!wins_tie)
            }
            None => i64::MAX,
        }
    }

    /// The worst score kept, once the list is full: a headline scoring less never enters.
    pub(crate) fn floor(&self) -> Option<i64> {
        if self.heap.len() < self.limit {
            return None;
        }
        self.heap.peek().map(|Reverse(worst)| worst.score)
    }

    pub(crate) fn push(&mut self, rank: Rank) {
        if self.heap.len() < self.limit {
            self.heap.push(Reverse(rank));
        } else if let Some(mut worst) = self.heap.peek_mut()
            && rank > worst.0
        {
            *worst = Reverse(rank);
        }
    }

    pub(crate) fn into_vec(self) -> Vec<Rank> {
        self.heap.into_iter().map(|Reverse(r)| r).collect()
    }
}
