//! The characters of an index as a table: each distinct character numbered, with its readings
//! as the letters it can spell, and the syllable beginnings a headline's characters can spell
//! (to reject a headline before aligning pinyin).

use super::fold::{initial, readings};
use super::mask::{letter_bit, opener_bit};

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

    /// What character `id` can begin a word with, as `opener_bit`s: itself and its
    /// readings' first letters (a to z: bits 0 to 25 of both masks).
    pub fn opener_bits(&self, id: u32) -> u32 {
        let c = self.char(id);
        opener_bit(c) | self.unit(id).map_or(0, |u| u.initials as u32)
    }

    /// Character `id`.
    pub fn char(&self, id: u32) -> char {
        self.chars.get(id as usize).copied().unwrap_or('\0')
    }

    /// How many characters the table holds.
    pub fn len(&self) -> usize {
        self.chars.len()
    }

    /// The table of `chars`, numbered in order (readings looked up again: they are not kept
    /// on disk, so a mapped index cannot disagree with this kanbao's readings).
    pub fn of_chars(chars: impl Iterator<Item = char>) -> CharTable {
        let mut table = CharTable::default();
        for c in chars {
            table.push(c);
        }
        table
    }

    /// Every character, in number order.
    pub fn chars(&self) -> &[char] {
        &self.chars
    }

    /// True when the table holds no character.
    pub fn is_empty(&self) -> bool {
        self.chars.is_empty()
    }
}

/// A Han character's readings, as bytes, with their initials' lengths.
#[derive(Debug, Clone)]
pub struct PinyinUnit {
    pub(super) syllables: Vec<(Box<[u8]>, usize)>,
    /// Every letter of every reading.
    pub letters: u64,
    /// The first letters of the readings.
    pub initials: u64,
    /// The first two letters of the readings, hashed ([`bigram_bit`]).
    bigrams: u64,
    /// The first three letters of the readings, hashed ([`trigram_bit`]).
    trigrams: u128,
    /// The readings themselves, hashed ([`super::neighbours::syllable_bit`]).
    pub(super) whole: u128,
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
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    zerocopy::FromBytes,
    zerocopy::IntoBytes,
    zerocopy::Immutable,
    zerocopy::KnownLayout,
)]
#[repr(C)]
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
    /// then [`super::pinyin_match::pinyin_match`] finds nothing. True says nothing.
    pub fn may_match(&self, query: &[char]) -> bool {
        self.may_spell(&StartsQuery::new(query))
    }

    /// [`SyllableStarts::may_match`] with the query's side worked out once.
    #[inline]
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
        let whole = readings.iter().fold(0, |bits, r| {
            bits | super::neighbours::syllable_bit(r.as_bytes())
        });
        PinyinUnit {
            bigrams,
            trigrams,
            whole,
            syllables: readings
                .iter()
                .map(|r| (r.as_bytes().to_vec().into_boxed_slice(), initial(r).len()))
                .collect(),
            letters,
            initials,
        }
    }
}
