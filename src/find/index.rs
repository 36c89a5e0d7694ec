//! The headline index: every headline folded for matching, its characters numbered, and the
//! masks and posting lists that let a search skip most headlines without scoring them.

use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout};

use super::column::Column;
use super::compiled::CompiledTerm;
use super::fold::fold;
use super::mask::{CharMap, CharMask, letter_bit};
use super::neighbours::Neighbours;
use super::pinyin_match::is_word_start;
use super::query::{Term, TermKind};
use super::table::{CharTable, SyllableStarts};
use crate::model::{Archive, Headline};

/// One searchable headline, as the index holds it.
#[derive(Debug, Clone, Copy)]
pub struct Entry<'a> {
    /// Issue index in the archive.
    pub issue: usize,
    /// Article index in the issue.
    pub article: usize,
    /// What is searched and shown: kicker, title and subtitle joined by spaces.
    pub text: &'a str,
    /// Character count of `text` where the title begins (after the kicker).
    pub title_start: usize,
    /// Character count of `text` where the subtitle begins, if any.
    pub subtitle_start: Option<usize>,
}

/// Where an entry's pieces lie in the index's columns (plain numbers, so that an index on disk
/// is read in place).
#[derive(Debug, Clone, Copy, Default, FromBytes, IntoBytes, Immutable, KnownLayout)]
#[repr(C)]
pub(super) struct Record {
    pub(super) issue: u32,
    pub(super) article: u32,
    /// Byte range of the text in [`HeadlineIndex::strings`].
    pub(super) text_at: u32,
    pub(super) text_len: u32,
    /// Byte range of the folded text in [`HeadlineIndex::strings`] (the text's own range
    /// when folding changes nothing, as for most Chinese headlines).
    pub(super) folded_at: u32,
    pub(super) folded_len: u32,
    pub(super) title_start: u32,
    /// `u32::MAX` for none.
    pub(super) subtitle_start: u32,
}

/// What every keystroke looks at for every headline, kept apart from the rest and small (one
/// cache line) so that scanning a million headlines streams through memory once.
#[derive(Debug, Clone, Copy, Default, FromBytes, IntoBytes, Immutable, KnownLayout)]
#[repr(C)]
pub(super) struct Hot {
    /// Letters that can start or appear in a match: ASCII letters and digits of the text and
    /// every letter of every reading.
    pub(super) letters: u64,
    /// ASCII letters and digits of the text itself (not of readings).
    pub(super) literal: u64,
    /// Which syllable beginnings the text can spell, to reject before aligning pinyin.
    pub(super) starts: SyllableStarts,
    /// Where the headline's character numbers (and its characters) begin in
    /// [`HeadlineIndex::ids`] (and [`HeadlineIndex::chars`]).
    pub(super) ids_at: u32,
    /// Character count.
    pub(super) len: u32,
    /// The last character after the first that begins a word (follows a space or
    /// punctuation); 0 if none, `u16::MAX` if there or later.
    pub(super) last_word_start: u16,
    /// How many characters after the first begin a word (at most 255).
    pub(super) word_starts: u8,
    /// (Spelled out so that the record has no hidden padding and can be written as bytes.)
    pub(super) pad: u8,
    /// What the characters after the first that begin a word can take first
    /// ([`super::mask::opener_bit`]s of their readings' first letters and of themselves).
    pub(super) word_openers: u32,
}

// Scanning reads one cache line per headline.
const _: () = assert!(std::mem::size_of::<Hot>() <= 64);

/// For each non-ASCII character, the entries containing it, in order: a query with a Han
/// character starts from that list instead of scanning every headline. Flat (characters in
/// order, where each list starts, the lists one after another) so that it maps from disk.
#[derive(Debug, Default)]
pub(super) struct Postings {
    pub(super) chars: Column<u32>,
    /// `chars.len() + 1` offsets into `lists`.
    pub(super) starts: Column<u32>,
    pub(super) lists: Column<u32>,
}

impl Postings {
    /// Flattens a map of lists.
    fn from_map(map: CharMap<Vec<u32>>) -> Postings {
        let mut keys: Vec<(char, Vec<u32>)> = map.into_iter().collect();
        keys.sort_unstable_by_key(|(c, _)| *c);
        let mut chars = Vec::with_capacity(keys.len());
        let mut starts = Vec::with_capacity(keys.len() + 1);
        let mut lists = Vec::new();
        for (c, list) in keys {
            chars.push(c as u32);
            starts.push(lists.len() as u32);
            lists.extend(list);
        }
        starts.push(lists.len() as u32);
        Postings {
            chars: chars.into(),
            starts: starts.into(),
            lists: lists.into(),
        }
    }

    /// The entries containing `c` (empty when none, or when a mapped list is out of bounds).
    pub(super) fn get(&self, c: char) -> &[u32] {
        let Ok(i) = self.chars.binary_search(&(c as u32)) else {
            return &[];
        };
        match (self.starts.get(i), self.starts.get(i + 1)) {
            (Some(&from), Some(&to)) => self.lists.get(from as usize..to as usize).unwrap_or(&[]),
            _ => &[],
        }
    }
}

/// The search data of an archive, built once (or opened from disk: see [`super::mapped`]).
#[derive(Debug, Default)]
pub struct HeadlineIndex {
    /// Per entry, in reading order: which article, and where its text lies.
    pub(super) records: Column<Record>,
    /// Every entry's text (kicker, title, subtitle) and, where folding changes it, its text
    /// folded for matching, one after another.
    pub(super) strings: Column<u8>,
    /// Every entry's folded characters, one after another (as numbers, valid characters).
    pub(super) chars: Column<u32>,
    /// Per entry: what matching looks at first.
    pub(super) hot: Column<Hot>,
    /// Per entry: its Han and other non-ASCII characters hashed (for queries that have some).
    pub(super) char_masks: Column<CharMask>,
    /// Every entry's characters as numbers in `table`, one after another.
    pub(super) ids: Column<u32>,
    /// Per entry: which first letters stand next to each other and which whole syllables its
    /// characters read (what bounds a pinyin match before its characters are read).
    pub(super) neighbours: Column<Neighbours>,
    /// Per entry: its first character's number (`u32::MAX` for an empty headline), to pick
    /// out the headlines a match could begin with.
    pub(super) first_ids: Column<u32>,
    pub(super) table: CharTable,
    pub(super) postings: Postings,
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
        let mut table = CharTable::default();
        let mut ids: CharMap<u32> = CharMap::default();
        let mut postings: CharMap<Vec<u32>> = CharMap::default();
        let (mut records, mut hots, mut masks, mut first_ids) = (vec![], vec![], vec![], vec![]);
        let mut neighbours = vec![];
        let mut strings = String::new();
        let mut folded = String::new();
        let (mut all_chars, mut all_ids): (Vec<u32>, Vec<u32>) = (vec![], vec![]);
        let offset = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        let mut text = String::new();
        for (issue_no, headlines) in issues {
            for (article_no, headline) in headlines.iter().enumerate() {
                let kicker = headline.kicker.as_deref().unwrap_or("");
                let title = &headline.title;
                text.clear();
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
                let ids_at = all_ids.len();
                let mut starts = SyllableStarts::default();
                for &c in &chars {
                    starts.add_literal(c);
                    char_mask.add(c);
                    let id = *ids.entry(c).or_insert_with(|| table.push(c));
                    if let Some(unit) = table.unit(id) {
                        letters |= unit.letters;
                        starts.add_unit(unit);
                    }
                    all_ids.push(id);
                    all_chars.push(c as u32);
                }
                let (mut word_starts, mut last_word_start, mut word_openers) = (0u8, 0u16, 0u32);
                for j in (1..chars.len()).filter(|&j| is_word_start(&chars, j)) {
                    word_starts = word_starts.saturating_add(1);
                    last_word_start = u16::try_from(j).unwrap_or(u16::MAX);
                    word_openers |= table.opener_bits(all_ids[ids_at + j]);
                }
                let entry_no = records.len() as u32;
                for &c in &chars {
                    if !c.is_ascii() {
                        let list = postings.entry(c).or_default();
                        if list.last() != Some(&entry_no) {
                            list.push(entry_no);
                        }
                    }
                }
                let text_at = strings.len();
                strings.push_str(&text);
                folded.clear();
                folded.extend(chars.iter());
                let folded_at = if folded == text {
                    text_at
                } else {
                    strings.push_str(&folded);
                    text_at + text.len()
                };
                records.push(Record {
                    issue: offset(issue_no),
                    article: offset(article_no),
                    text_at: offset(text_at),
                    text_len: offset(text.len()),
                    folded_at: offset(folded_at),
                    folded_len: offset(folded.len()),
                    title_start: offset(title_start),
                    subtitle_start: subtitle_start.map_or(u32::MAX, offset),
                });
                hots.push(Hot {
                    letters,
                    literal,
                    starts,
                    ids_at: offset(ids_at),
                    len: offset(chars.len()),
                    last_word_start,
                    word_starts,
                    pad: 0,
                    word_openers,
                });
                masks.push(char_mask);
                neighbours.push(Neighbours::of(&chars, &all_ids[ids_at..], &table));
                first_ids.push(all_ids.get(ids_at).copied().unwrap_or(u32::MAX));
            }
        }
        HeadlineIndex {
            records: records.into(),
            strings: strings.into_bytes().into(),
            chars: all_chars.into(),
            hot: hots.into(),
            char_masks: masks.into(),
            ids: all_ids.into(),
            neighbours: neighbours.into(),
            first_ids: first_ids.into(),
            table,
            postings: Postings::from_map(postings),
        }
    }

    /// How many headlines the index holds.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// True when the index holds no headline.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// True when the index is read from a file in place ([`super::mapped`]), not built.
    pub fn is_mapped(&self) -> bool {
        self.records.is_mapped()
    }

    /// Headline `entry` (an empty one where `entry` is out of range).
    pub fn entry(&self, entry: usize) -> Entry<'_> {
        let record = self.records.get(entry).copied().unwrap_or_default();
        Entry {
            issue: record.issue as usize,
            article: record.article as usize,
            text: self.text_str(record.text_at, record.text_len),
            title_start: record.title_start as usize,
            subtitle_start: (record.subtitle_start != u32::MAX)
                .then_some(record.subtitle_start as usize),
        }
    }

    /// The entries of issue `issue`, in order, numbered as a search takes them.
    pub fn entries_of(&self, issue: usize) -> impl Iterator<Item = u32> + '_ {
        self.records
            .iter()
            .enumerate()
            .filter(move |(_, r)| r.issue as usize == issue)
            .map(|(i, _)| i as u32)
    }

    /// Entry `entry`'s folded text.
    pub(super) fn folded_of(&self, entry: usize) -> &str {
        let record = self.records.get(entry).copied().unwrap_or_default();
        let mapped = self.strings.is_mapped();
        utf8_in(&self.strings, record.folded_at, record.folded_len, mapped)
    }

    /// Entry `entry`'s folded characters.
    pub(super) fn chars_of(&self, entry: usize) -> &[char] {
        let Some(hot) = self.hot.get(entry) else {
            return &[];
        };
        let at = hot.ids_at as usize;
        let Some(raw) = self.chars.get(at..at + hot.len as usize) else {
            return &[];
        };
        if self.chars.is_mapped() && !raw.iter().all(|&c| char::from_u32(c).is_some()) {
            return &[];
        }
        // SAFETY: `char` has the size and alignment of `u32`, and every value is a valid
        // `char`: pushed as one when the index was built, checked just above when mapped.
        unsafe { &*(std::ptr::from_ref::<[u32]>(raw) as *const [char]) }
    }

    fn text_str(&self, at: u32, len: u32) -> &str {
        utf8_in(&self.strings, at, len, self.strings.is_mapped())
    }

    /// `query` compiled for this index's characters.
    pub(super) fn compile(&self, query: &[char]) -> Option<CompiledTerm> {
        let frequency = |id: u32| self.postings.get(self.table.char(id)).len();
        CompiledTerm::new(query, &self.table, frequency, self.len())
    }

    /// Entry `entry`'s characters as numbers in the character table.
    pub(super) fn ids_of(&self, entry: usize) -> &[u32] {
        let Some(hot) = self.hot.get(entry) else {
            return &[];
        };
        let at = hot.ids_at as usize;
        self.ids.get(at..at + hot.len as usize).unwrap_or(&[])
    }

    /// The shortest posting list of a non-ASCII character that some term requires.
    pub(super) fn rarest_posting(&self, terms: &[Term]) -> Option<&[u32]> {
        terms
            .iter()
            .filter(|t| t.kind != TermKind::Negate)
            .flat_map(|t| t.chars.iter().filter(|c| !c.is_ascii()))
            .map(|&c| self.postings.get(c))
            .min_by_key(|list| list.len())
    }
}

/// `bytes[at..at + len]` as text: empty where out of range or (when `check`, for a mapped
/// index) not UTF-8.
fn utf8_in(bytes: &[u8], at: u32, len: u32, check: bool) -> &str {
    let Some(piece) = bytes.get(at as usize..at as usize + len as usize) else {
        return "";
    };
    if check {
        return std::str::from_utf8(piece).unwrap_or("");
    }
    // SAFETY: a built index's text columns are `String`s' bytes cut at the boundaries of
    // the strings pushed into them, and every record's range is one of those strings.
    unsafe { std::str::from_utf8_unchecked(piece) }
}
