//! The headline index: every headline folded for matching, its characters numbered, and the
//! masks and posting lists that let a search skip most headlines without scoring them.

use super::compiled::CompiledTerm;
use super::fold::fold;
use super::mask::{CharMap, CharMask, letter_bit, opener_bit};
use super::pinyin_match::is_word_start;
use super::query::{Term, TermKind};
use super::table::{CharTable, SyllableStarts};
use crate::model::{Archive, Headline};

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
    pub(super) folded: String,
    pub(super) chars: Vec<char>,
}

/// What every keystroke looks at for every headline, kept apart from [`Entry`] and small (one
/// cache line) so that scanning a million headlines streams through memory once.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Hot {
    /// Letters that can start or appear in a match: ASCII letters and digits of the text and
    /// every letter of every reading.
    pub(super) letters: u64,
    /// ASCII letters and digits of the text itself (not of readings).
    pub(super) literal: u64,
    /// Which syllable beginnings the text can spell, to reject before aligning pinyin.
    pub(super) starts: SyllableStarts,
    /// Where the headline's character numbers begin in [`HeadlineIndex::ids`].
    pub(super) ids_at: u32,
    /// Character count.
    pub(super) len: u32,
    /// The last character after the first that begins a word (follows a space or
    /// punctuation); 0 if none, `u16::MAX` if there or later.
    pub(super) last_word_start: u16,
    /// How many characters after the first begin a word (at most 255).
    pub(super) word_starts: u8,
    /// What the characters after the first that begin a word can take first
    /// ([`opener_bit`]s of their readings' first letters and of themselves).
    pub(super) word_openers: u32,
}

// Scanning reads one cache line per headline.
const _: () = assert!(std::mem::size_of::<Hot>() <= 64);

/// The search data of an archive, built once.
#[derive(Debug, Default)]
pub struct HeadlineIndex {
    /// Every headline, in reading order.
    pub entries: Vec<Entry>,
    /// Per entry: what matching looks at first.
    pub(super) hot: Vec<Hot>,
    /// Per entry: its Han and other non-ASCII characters hashed (for queries that have some).
    pub(super) char_masks: Vec<CharMask>,
    /// Every entry's characters as numbers in `table`, one after another.
    pub(super) ids: Vec<u32>,
    /// Per entry: its first character's number (`u32::MAX` for an empty headline), to pick
    /// out the headlines a match could begin with.
    pub(super) first_ids: Vec<u32>,
    pub(super) table: CharTable,
    /// For each non-ASCII character, the entries containing it, in order: a query with a Han
    /// character starts from that list instead of scanning every headline.
    pub(super) postings: CharMap<Vec<u32>>,
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

    /// `query` compiled for this index's characters.
    pub(super) fn compile(&self, query: &[char]) -> Option<CompiledTerm> {
        let frequency = |id: u32| self.postings.get(&self.table.char(id)).map_or(0, Vec::len);
        CompiledTerm::new(query, &self.table, frequency, self.entries.len())
    }

    /// Entry `entry`'s characters as numbers in the character table.
    pub(super) fn ids_of(&self, entry: usize) -> &[u32] {
        let hot = &self.hot[entry];
        let at = hot.ids_at as usize;
        &self.ids[at..at + hot.len as usize]
    }

    /// The shortest posting list of a non-ASCII character that some term requires.
    pub(super) fn rarest_posting(&self, terms: &[Term]) -> Option<&[u32]> {
        const EMPTY: &[u32] = &[];
        terms
            .iter()
            .filter(|t| t.kind != TermKind::Negate)
            .flat_map(|t| t.chars.iter().filter(|c| !c.is_ascii()))
            .map(|c| self.postings.get(c).map_or(EMPTY, Vec::as_slice))
            .min_by_key(|list| list.len())
    }
}
