//! Where a phrase occurs in a text, by [`super::analyze`]'s tokens: the phrase's tokens in a
//! row. What the index finds is checked and highlighted with this, and `--no-index` searches
//! with it alone, so both agree on what a hit is: punctuation, spaces and line breaks between
//! characters do not matter (a word split by a column break is found), letters and digits
//! match as whole words, full-width forms as half-width.

use std::ops::Range;

use super::analyze::{Token, tokens};

/// A text's tokens, made once and searched for many phrases.
#[derive(Debug, Clone)]
pub struct Tokenized {
    tokens: Vec<Token>,
}

impl Tokenized {
    /// Tokenizes `text`.
    pub fn new(text: &str) -> Tokenized {
        Tokenized {
            tokens: tokens(text),
        }
    }

    /// The byte ranges in the text where `phrase` occurs, left to right, not overlapping.
    /// A phrase with no tokens (only punctuation) occurs nowhere.
    pub fn find(&self, phrase: &str) -> Vec<Range<usize>> {
        let wanted: Vec<String> = tokens(phrase).into_iter().map(|t| t.text).collect();
        let Some(first) = wanted.first() else {
            return Vec::new();
        };
        let mut hits = Vec::new();
        let mut i = 0;
        while i + wanted.len() <= self.tokens.len() {
            let here = &self.tokens[i..i + wanted.len()];
            if here[0].text == *first && here.iter().zip(&wanted).all(|(t, w)| t.text == *w) {
                hits.push(here[0].start..here[wanted.len() - 1].end);
                i += wanted.len();
            } else {
                i += 1;
            }
        }
        hits
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found<'a>(text: &'a str, phrase: &str) -> Vec<&'a str> {
        Tokenized::new(text)
            .find(phrase)
            .into_iter()
            .map(|r| &text[r])
            .collect()
    }

    #[test]
    fn a_phrase_is_found_across_line_breaks_and_punctuation() {
        assert_eq!(
            found("推进数字\n化转型，数字化", "数字化"),
            ["数字\n化", "数字化"]
        );
        assert_eq!(found("企业、企业", "企业"), ["企业", "企业"]);
        assert_eq!(found("一个企\u{3000}业", "企业"), ["企\u{3000}业"]);
    }

    #[test]
    fn words_match_whole_and_full_width_as_half_width() {
        assert_eq!(found("WiFi6 与 wifi 网络", "wifi"), ["wifi"]);
        assert_eq!(found("１２月３日", "12月"), ["１２月"]);
        assert!(found("企业", "，").is_empty());
    }

    #[test]
    fn occurrences_do_not_overlap() {
        assert_eq!(found("哈哈哈哈哈", "哈哈").len(), 2);
    }
}
