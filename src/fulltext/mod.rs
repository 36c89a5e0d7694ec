//! Full-text search of an archive's articles (no terminal here). `analyze` turns text into the
//! tokens an index keeps — one per CJK character, so a query is a substring match robust to
//! OCR noise — and `tokenizer` hands them to tantivy; `matcher` finds a phrase's occurrences by
//! those tokens, `query` reads what a user types and decides a match, `scan` searches parsed
//! issues and `index` a tantivy index in a folder it is given (which folder, and when it is
//! trusted, is the library's business: `library::search_index`).

pub mod analyze;
pub mod index;
pub mod matcher;
pub mod query;
pub mod scan;
pub mod tokenizer;
