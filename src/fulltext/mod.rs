//! Full-text search of an archive's articles (pure core: no terminal, no files). `analyze`
//! turns text into the tokens an index keeps — one per CJK character, so a query is a
//! substring match robust to OCR noise — `matcher` finds a phrase's occurrences by those tokens,
//! and `query` reads what a user types. The index and `kanbao grep` are to be built on these.

pub mod analyze;
pub mod index;
pub mod matcher;
pub mod query;
pub mod scan;
pub mod tokenizer;
