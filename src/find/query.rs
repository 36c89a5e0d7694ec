//! Query syntax: space-separated terms that must all match; fzf's `'exact`, `^prefix` and
//! `!not` prefixes.

use super::fold::fold;
use super::mask::{CharMask, letter_bit};

/// How a term matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TermKind {
    /// Fuzzy: characters in order, gaps allowed; pinyin too.
    Fuzzy,
    /// `'term`: the characters as one run.
    Exact,
    /// `^term`: at the start of the headline.
    Prefix,
    /// `!term`: the headline must not contain the characters.
    Negate,
}

/// One term of a query, folded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// How it matches.
    pub kind: TermKind,
    /// Folded characters.
    pub chars: Vec<char>,
    /// Folded text.
    pub text: String,
    /// It has Latin letters (so it may be pinyin).
    pub has_letters: bool,
    /// Letters only and no vowel (`cx`, `szcx`, `zzzzqqq`): pinyin initials, the abbreviation
    /// of a word, so its characters must stand together (quotes and brackets aside). Scattered
    /// initials match nearly every long headline.
    pub abbreviation: bool,
    /// Letters and digits every match needs.
    pub letters: u64,
    /// Non-ASCII characters every match needs, if it has any.
    pub char_mask: Option<CharMask>,
}

/// Splits a query into terms.
pub fn parse_query(query: &str) -> Vec<Term> {
    query
        .split(|c: char| c.is_whitespace())
        .filter(|t| !t.is_empty())
        .filter_map(|raw| {
            let (kind, rest) = if let Some(rest) = raw.strip_prefix('!') {
                (TermKind::Negate, rest)
            } else if let Some(rest) = raw.strip_prefix('\'') {
                (TermKind::Exact, rest)
            } else if let Some(rest) = raw.strip_prefix('^') {
                (TermKind::Prefix, rest)
            } else {
                (TermKind::Fuzzy, raw)
            };
            if rest.is_empty() {
                return None;
            }
            let chars = fold(rest);
            Some(Term {
                kind,
                text: chars.iter().collect(),
                has_letters: chars.iter().any(char::is_ascii_alphabetic),
                abbreviation: chars.len() >= 2
                    && chars
                        .iter()
                        .all(|c| c.is_ascii_lowercase() && !"aeiouv".contains(*c)),
                letters: chars.iter().map(|&c| letter_bit(c)).fold(0, |a, b| a | b),
                char_mask: chars
                    .iter()
                    .any(|c| !c.is_ascii())
                    .then(|| CharMask::of(&chars)),
                chars,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_and_prefixes() {
        let terms = parse_query("  曹县 'exact ^Pre !not ' ");
        let kinds: Vec<TermKind> = terms.iter().map(|t| t.kind).collect();
        assert_eq!(
            kinds,
            vec![
                TermKind::Fuzzy,
                TermKind::Exact,
                TermKind::Prefix,
                TermKind::Negate
            ]
        );
        assert_eq!(terms[2].text, "pre");
        assert!(!terms[0].has_letters && terms[1].has_letters);
    }
}
