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

mod bounds;
mod column;
pub mod compiled;
pub mod fold;
mod index;
pub mod mapped;
pub mod mask;
mod neighbours;
pub mod pinyin_match;
pub mod query;
pub mod rank;
mod score;
mod search;
pub mod table;

pub use index::{Entry, HeadlineIndex};
pub use mask::CharMask;
pub use rank::Hit;
