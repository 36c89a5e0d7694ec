//! [`super::analyze`] as a tantivy tokenizer, so the index keeps exactly the tokens the scan
//! matches on: one per CJK character with its position (a run of characters in a query is a
//! phrase), lowercased Latin words and digits, full-width and Traditional forms folded.

use tantivy::tokenizer::{Token as TantivyToken, TokenStream, Tokenizer};

use super::analyze::tokens;

/// The name the index's text fields use for [`CharTokenizer`].
pub const NAME: &str = "kanbao";

/// kanbao's analyzer for tantivy.
#[derive(Debug, Clone, Default)]
pub struct CharTokenizer;

/// The tokens of one text, handed out one by one.
pub struct CharTokenStream {
    tokens: std::vec::IntoIter<super::analyze::Token>,
    current: TantivyToken,
}

impl Tokenizer for CharTokenizer {
    type TokenStream<'a> = CharTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> CharTokenStream {
        CharTokenStream {
            tokens: tokens(text).into_iter(),
            current: TantivyToken::default(),
        }
    }
}

impl TokenStream for CharTokenStream {
    fn advance(&mut self) -> bool {
        let Some(token) = self.tokens.next() else {
            return false;
        };
        self.current = TantivyToken {
            offset_from: token.start,
            offset_to: token.end,
            position: token.position,
            text: token.text,
            position_length: 1,
        };
        true
    }

    fn token(&self) -> &TantivyToken {
        &self.current
    }

    fn token_mut(&mut self) -> &mut TantivyToken {
        &mut self.current
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stream_gives_the_analyzer_tokens_with_positions_and_offsets() {
        let text = "憲法第１２條 WiFi";
        let mut tokenizer = CharTokenizer;
        let mut stream = tokenizer.token_stream(text);
        let mut seen = Vec::new();
        while stream.advance() {
            let t = stream.token();
            seen.push((
                t.text.clone(),
                t.position,
                &text[t.offset_from..t.offset_to],
            ));
        }
        assert_eq!(
            seen,
            [
                ("宪".to_string(), 0, "憲"),
                ("法".to_string(), 1, "法"),
                ("第".to_string(), 2, "第"),
                ("12".to_string(), 3, "１２"),
                ("条".to_string(), 4, "條"),
                ("wifi".to_string(), 5, "WiFi"),
            ]
        );
    }
}
