//! Bit masks and hashing for characters: what lets the search reject a headline before reading
//! it (the letters it has, its non-ASCII characters hashed, the letters words begin with), and a
//! cheap hasher for `char` keys.

use std::collections::HashMap;

/// A hasher for `char` keys: one multiply. The index looks up every character of every
/// headline twice while it is built; SipHash made that a third of the build.
#[derive(Default)]
pub(crate) struct CharHasher(u64);

impl std::hash::Hasher for CharHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }

    fn write_u32(&mut self, n: u32) {
        self.0 = (self.0 ^ u64::from(n)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

pub(crate) type CharMap<V> = HashMap<char, V, std::hash::BuildHasherDefault<CharHasher>>;

/// A letter's bit in the index's set of letters that begin a word; digits share one bit; 0 for anything else.
pub(crate) fn opener_bit(c: char) -> u32 {
    match c {
        'a'..='z' => 1 << (c as u32 - 'a' as u32),
        '0'..='9' => 1 << 26,
        _ => 0,
    }
}

/// Bit for a letter or digit in a `letters` mask.
pub(crate) fn letter_bit(c: char) -> u64 {
    match c {
        'a'..='z' => 1 << (c as u32 - 'a' as u32),
        '0'..='9' => 1 << (26 + c as u32 - '0' as u32),
        _ => 0,
    }
}

/// The non-ASCII characters of a text hashed into 256 bits: a headline without one of a
/// query's characters is rejected on this alone. (64 bits let a fifth of all headlines through
/// for any one Han character; 256 bits, a fifteenth.)
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
#[repr(transparent)]
pub struct CharMask([u64; 4]);

impl CharMask {
    /// Adds `c` (ASCII characters are not recorded).
    pub fn add(&mut self, c: char) {
        if !c.is_ascii() {
            let bit = (c as u32).wrapping_mul(2_654_435_761) >> 24;
            self.0[(bit >> 6) as usize] |= 1 << (bit & 63);
        }
    }

    /// The mask of `chars`.
    pub fn of(chars: &[char]) -> CharMask {
        let mut mask = CharMask::default();
        chars.iter().for_each(|&c| mask.add(c));
        mask
    }

    /// True when every character of `other` may be in this mask's text.
    pub fn covers(&self, other: &CharMask) -> bool {
        self.0.iter().zip(&other.0).all(|(a, b)| b & !a == 0)
    }
}
