//! The full-text index: a tantivy index of an archive's articles, one document per article
//! (and one for each issue's text outside its articles), tokenized by kanbao's own analyzer
//! ([`super::tokenizer`]) with positions. Nothing of the text is stored — snippets are cut from
//! the source when shown — only what a hit is reported with: the source path, the article's
//! number, its paper and date (as fast fields, read without a document store).
//!
//! Queries are evaluated here, not by tantivy's query parser: the candidate documents come
//! from the postings of the rarest necessary term, and each candidate is decided by
//! [`Query::evaluate`] — the rule the scan uses — over the positions of every term's tokens,
//! so the index and `--no-index` report the same hits and the same counts.

use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;

use tantivy::columnar::StrColumn;
use tantivy::postings::{Postings, SegmentPostings};
use tantivy::schema::{
    FAST, Field, IndexRecordOption, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::{DocId, DocSet, IndexWriter, SegmentReader, TERMINATED, TantivyDocument, Term};

use super::analyze::tokens;
use super::query::{Clause, Query};
use super::scan::{article_date, document, outside_articles};
use super::tokenizer::{CharTokenizer, NAME};
use crate::model::Issue;

/// The fields of an index document.
#[derive(Debug, Clone, Copy)]
struct Fields {
    /// The article's whole text (headline line first), tokenized with positions.
    text: Field,
    /// The headline line alone, for `title:`.
    title: Field,
    /// The issue's source path: indexed whole (to delete an issue's documents) and fast.
    source: Field,
    /// The article's number from 1; 0 for the text outside the articles.
    article: Field,
    /// The issue's paper, fast.
    paper: Field,
    /// The article's date (else its issue's), `YYYY-MM-DD`, fast.
    date: Field,
}

fn schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let positions = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(NAME)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let fields = Fields {
        text: builder.add_text_field("text", positions.clone()),
        title: builder.add_text_field("title", positions),
        source: builder.add_text_field("source", STRING | FAST),
        article: builder.add_u64_field("article", FAST),
        paper: builder.add_text_field("paper", STRING | FAST),
        date: builder.add_text_field("date", STRING | FAST),
    };
    (builder.build(), fields)
}

/// A tantivy error in a line a status bar can hold: its first line, at most 160 characters
/// (tantivy quotes whole files in some messages).
fn short(error: impl std::fmt::Display) -> String {
    let text = error.to_string();
    let line = text.lines().next().unwrap_or("");
    let mut out: String = line.chars().take(160).collect();
    if out.len() < text.len() {
        out.push('…');
    }
    out
}

/// One article (or an issue's outside text) that matched, with how many occurrences.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexHit {
    /// The issue's source path.
    pub source: String,
    /// The article (0-based); `None` for the issue's text outside its articles.
    pub article: Option<usize>,
    /// Occurrences of the query in it (what `--count` adds up).
    pub occurrences: usize,
    /// The date it is counted under.
    pub date: Option<String>,
    /// Its issue's paper.
    pub paper: Option<String>,
}

/// An open full-text index.
pub struct Index {
    index: tantivy::Index,
    fields: Fields,
}

impl std::fmt::Debug for Index {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Index").finish_non_exhaustive()
    }
}

/// Memory for the writer's in-progress segment: enough for large segments, well under the
/// build's memory budget.
const WRITER_MEMORY: usize = 64 << 20;

impl Index {
    /// Creates an empty index in `dir` (which must exist and be empty).
    pub fn create(dir: &Path) -> Result<Index, String> {
        let (schema, fields) = schema();
        let index = tantivy::Index::create_in_dir(dir, schema).map_err(short)?;
        Ok(Index::with(index, fields))
    }

    /// Opens the index in `dir`; an error when it is missing, damaged, or has another schema.
    pub fn open(dir: &Path) -> Result<Index, String> {
        let index = tantivy::Index::open_in_dir(dir).map_err(short)?;
        let (schema, fields) = schema();
        if index.schema() != schema {
            return Err("made with another schema".into());
        }
        Ok(Index::with(index, fields))
    }

    fn with(index: tantivy::Index, fields: Fields) -> Index {
        index.tokenizers().register(NAME, CharTokenizer);
        Index { index, fields }
    }

    /// Checks every file of the index against the checksum tantivy wrote in its footer: a
    /// flipped byte in the postings would otherwise give wrong counts without an error.
    pub fn verify(&self) -> Result<(), String> {
        let damaged = self.index.validate_checksum().map_err(short)?;
        match damaged.iter().next() {
            None => Ok(()),
            Some(file) => Err(format!(
                "damaged ({} fails its checksum{})",
                file.display(),
                if damaged.len() > 1 {
                    format!(", and {} more", damaged.len() - 1)
                } else {
                    String::new()
                }
            )),
        }
    }

    /// The payload of the last commit (what the caller stored with it).
    pub fn payload(&self) -> Result<Option<String>, String> {
        Ok(self.index.load_metas().map_err(short)?.payload)
    }

    /// A writer; fails when another process holds the index's write lock.
    pub fn writer(&self) -> Result<Writer, String> {
        let writer = self
            .index
            .writer_with_num_threads(1, WRITER_MEMORY)
            .map_err(short)?;
        Ok(Writer {
            writer,
            fields: self.fields,
        })
    }

    /// Every article of the index that matches `query`, in no particular order.
    pub fn search(&self, query: &Query) -> Result<Vec<IndexHit>, String> {
        let reader = self.index.reader().map_err(short)?;
        let searcher = reader.searcher();
        let mut hits = Vec::new();
        for segment in searcher.segment_readers() {
            SegmentSearch::new(segment, self.fields, query)
                .map_err(short)?
                .run(&mut hits)
                .map_err(short)?;
        }
        Ok(hits)
    }
}

/// Adds and removes issues; nothing is visible to searches before [`Writer::commit`].
pub struct Writer {
    writer: IndexWriter,
    fields: Fields,
}

impl Writer {
    /// Removes every document of the issue read from `source`.
    pub fn remove(&self, source: &str) {
        self.writer
            .delete_term(Term::from_field_text(self.fields.source, source));
    }

    /// Removes every document.
    pub fn remove_all(&self) -> Result<(), String> {
        self.writer.delete_all_documents().map(drop).map_err(short)
    }

    /// Adds `issue`'s articles and its text outside them, under `source`.
    pub fn add(&self, source: &str, issue: &Issue) -> Result<(), String> {
        let f = self.fields;
        let outside = (None, outside_articles(issue));
        let articles = issue
            .articles
            .iter()
            .enumerate()
            .map(|(a, article)| (Some(a), document(article)));
        for (a, doc) in articles.chain([outside]) {
            if doc.text.is_empty() {
                continue;
            }
            let mut entry = TantivyDocument::new();
            entry.add_text(f.text, &doc.text);
            entry.add_text(f.title, &doc.text[..doc.title_end]);
            entry.add_text(f.source, source);
            entry.add_u64(f.article, a.map_or(0, |a| a as u64 + 1));
            if let Some(paper) = &issue.paper {
                entry.add_text(f.paper, paper);
            }
            let article = a.and_then(|a| issue.articles.get(a));
            if let Some(date) = article_date(issue, article) {
                entry.add_text(f.date, date);
            }
            self.writer.add_document(entry).map_err(short)?;
        }
        Ok(())
    }

    /// Makes every change visible, atomically, with `payload` kept beside it.
    pub fn commit(mut self, payload: &str) -> Result<(), String> {
        let mut prepared = self.writer.prepare_commit().map_err(short)?;
        prepared.set_payload(payload);
        prepared.commit().map_err(short)?;
        // Merges started by the commit finish before the lock is let go.
        self.writer.wait_merging_threads().map_err(short)
    }
}

/// Where one text term's tokens are in a segment: one postings list per token, in order.
struct Phrase {
    postings: Vec<SegmentPostings>,
    positions: Vec<Vec<u32>>,
}

impl Phrase {
    /// The term's occurrences in `doc`, as token-position ranges; `None` when it has none.
    /// Postings only move forward: `doc` never decreases between calls.
    fn find(&mut self, doc: DocId) -> Option<Vec<Range<usize>>> {
        for (postings, positions) in self.postings.iter_mut().zip(&mut self.positions) {
            if postings.doc() < doc {
                postings.seek(doc);
            }
            if postings.doc() != doc {
                return None;
            }
            positions.clear();
            postings.positions(positions);
        }
        // Left to right, not overlapping: as the scan's matcher takes them.
        let length = self.positions.len() as u32;
        let mut found = Vec::new();
        let mut free = 0;
        for &start in &self.positions[0] {
            if start < free {
                continue;
            }
            let whole = self.positions[1..]
                .iter()
                .zip(1..)
                .all(|(later, k)| later.binary_search(&(start + k)).is_ok());
            if whole {
                found.push(start as usize..(start + length) as usize);
                free = start + length;
            }
        }
        (!found.is_empty()).then_some(found)
    }
}

/// How one term of the query is looked up in a segment.
enum Prepared {
    /// A phrase whose tokens all occur in the segment.
    Text(Phrase),
    /// Text that cannot occur here (a token missing, or no token at all).
    Absent,
    /// A field test: which ordinals of the field's column pass.
    Field {
        column: Option<StrColumn>,
        passes: Vec<bool>,
    },
}

/// One query run over one segment.
struct SegmentSearch<'a> {
    segment: &'a SegmentReader,
    query: &'a Query,
    terms: Vec<Prepared>,
    /// Documents to decide, ascending; `None` for every document.
    candidates: Option<Vec<DocId>>,
    source: Option<StrColumn>,
    paper: Option<StrColumn>,
    date: Option<StrColumn>,
    article: tantivy::columnar::Column<u64>,
}

impl<'a> SegmentSearch<'a> {
    fn new(
        segment: &'a SegmentReader,
        fields: Fields,
        query: &'a Query,
    ) -> tantivy::Result<SegmentSearch<'a>> {
        let text = segment.inverted_index(fields.text)?;
        let title = segment.inverted_index(fields.title)?;
        let fast = segment.fast_fields();
        let (paper, date) = (fast.str("paper")?, fast.str("date")?);
        let mut terms = Vec::new();
        // Per term, the doc frequency of its rarest token (for choosing candidates).
        let mut rarest: Vec<Option<(u32, Term)>> = Vec::new();
        for term in query.terms() {
            let (prepared, rare) = match &term.clause {
                Clause::Text {
                    text: phrase,
                    title_only,
                } => {
                    let (inverted, field) = if *title_only {
                        (&title, fields.title)
                    } else {
                        (&text, fields.text)
                    };
                    let wanted: Vec<Term> = tokens(phrase)
                        .into_iter()
                        .map(|t| Term::from_field_text(field, &t.text))
                        .collect();
                    let mut postings = Vec::new();
                    let mut rare: Option<(u32, Term)> = None;
                    for token in &wanted {
                        let freq = inverted.doc_freq(token)?;
                        if rare.as_ref().is_none_or(|(f, _)| freq < *f) {
                            rare = Some((freq, token.clone()));
                        }
                        match inverted
                            .read_postings(token, IndexRecordOption::WithFreqsAndPositions)?
                        {
                            Some(p) => postings.push(p),
                            None => break,
                        }
                    }
                    if postings.len() == wanted.len() && !wanted.is_empty() {
                        let positions = vec![Vec::new(); postings.len()];
                        (
                            Prepared::Text(Phrase {
                                postings,
                                positions,
                            }),
                            rare,
                        )
                    } else {
                        (
                            Prepared::Absent,
                            Some((0, Term::from_field_text(field, ""))),
                        )
                    }
                }
                Clause::Paper(name) => (
                    field_test(paper.clone(), |p| p.contains(name.as_str()))?,
                    None,
                ),
                Clause::Date(range) => (field_test(date.clone(), |d| range.contains(d))?, None),
            };
            terms.push(prepared);
            rarest.push(rare);
        }
        let candidates = candidates(segment, fields, query, &rarest)?;
        Ok(SegmentSearch {
            segment,
            query,
            terms,
            candidates,
            source: fast.str("source")?,
            paper,
            date,
            article: fast.u64("article")?,
        })
    }

    fn run(mut self, hits: &mut Vec<IndexHit>) -> tantivy::Result<()> {
        let docs: Box<dyn Iterator<Item = DocId>> = match self.candidates.take() {
            Some(docs) => Box::new(docs.into_iter()),
            None => Box::new(0..self.segment.max_doc()),
        };
        // Found first as ordinals; their texts are looked up at the end, in one ordered walk
        // of each column's dictionary (one lookup per hit walks a block each time).
        let mut found_docs: Vec<FoundDoc> = Vec::new();
        let first_ord =
            |column: &Option<StrColumn>, doc| column.as_ref().and_then(|c| c.term_ords(doc).next());
        for doc in docs {
            if self.segment.is_deleted(doc) {
                continue;
            }
            let terms = &mut self.terms;
            let found = self.query.evaluate(|n, _| match &mut terms[n] {
                Prepared::Text(phrase) => phrase.find(doc),
                Prepared::Absent => None,
                Prepared::Field { column, passes } => {
                    let ord = column.as_ref()?.term_ords(doc).next()?;
                    passes
                        .get(ord as usize)
                        .copied()
                        .unwrap_or(false)
                        .then(Vec::new)
                }
            });
            let occurrences = found.map_or(0, |f| f.len());
            if occurrences == 0 {
                continue;
            }
            let Some(source) = first_ord(&self.source, doc) else {
                continue;
            };
            found_docs.push(FoundDoc(
                source,
                self.article.first(doc).unwrap_or(0),
                first_ord(&self.date, doc),
                first_ord(&self.paper, doc),
                occurrences,
            ));
        }
        let sources = texts(self.source.as_ref(), found_docs.iter().map(|f| Some(f.0)))?;
        let dates = texts(self.date.as_ref(), found_docs.iter().map(|f| f.2))?;
        let papers = texts(self.paper.as_ref(), found_docs.iter().map(|f| f.3))?;
        for FoundDoc(source, article, date, paper, occurrences) in found_docs {
            let Some(source) = sources.get(&source) else {
                continue;
            };
            hits.push(IndexHit {
                source: source.clone(),
                article: article.checked_sub(1).map(|a| a as usize),
                occurrences,
                date: date.and_then(|d| dates.get(&d).cloned()),
                paper: paper.and_then(|p| papers.get(&p).cloned()),
            });
        }
        Ok(())
    }
}

/// A matching document as ordinals: source, article number, date, paper; and its count.
struct FoundDoc(u64, u64, Option<u64>, Option<u64>, usize);

/// The ordinals of `column` whose text passes `test`.
fn field_test(column: Option<StrColumn>, test: impl Fn(&str) -> bool) -> tantivy::Result<Prepared> {
    let mut passes = Vec::new();
    if let Some(column) = &column {
        let mut stream = column.dictionary().stream()?;
        while stream.advance() {
            passes.push(test(&String::from_utf8_lossy(stream.key())));
        }
    }
    Ok(Prepared::Field { column, passes })
}

/// The texts of the ordinals `ords` of `column`.
fn texts(
    column: Option<&StrColumn>,
    ords: impl Iterator<Item = Option<u64>>,
) -> tantivy::Result<HashMap<u64, String>> {
    let Some(column) = column else {
        return Ok(HashMap::new());
    };
    let mut ords: Vec<u64> = ords.flatten().collect();
    ords.sort_unstable();
    ords.dedup();
    let mut texts = Vec::with_capacity(ords.len());
    column.dictionary().sorted_ords_to_term_cb(&ords, |bytes| {
        texts.push(String::from_utf8_lossy(bytes).into_owned());
    })?;
    Ok(ords.into_iter().zip(texts).collect())
}

/// The documents that can match: those holding the rarest token of some group whose terms
/// are all text that must occur (a document matching the query holds one of that group's
/// terms, so one of their rarest tokens). `None` when no group is like that (every document
/// is decided).
fn candidates(
    segment: &SegmentReader,
    fields: Fields,
    query: &Query,
    rarest: &[Option<(u32, Term)>],
) -> tantivy::Result<Option<Vec<DocId>>> {
    let mut best: Option<(u64, Vec<&Term>)> = None;
    let mut n = 0;
    for group in &query.groups {
        let group_terms = &rarest[n..n + group.len()];
        n += group.len();
        let all_text = group
            .iter()
            .all(|t| !t.negated && matches!(t.clause, Clause::Text { .. }));
        if !all_text {
            continue;
        }
        let cost: u64 = group_terms
            .iter()
            .map(|r| r.as_ref().map_or(0, |(f, _)| u64::from(*f)))
            .sum();
        if best.as_ref().is_none_or(|(c, _)| cost < *c) {
            let terms = group_terms
                .iter()
                .filter_map(|r| r.as_ref().map(|(_, t)| t))
                .collect();
            best = Some((cost, terms));
        }
    }
    let Some((_, terms)) = best else {
        return Ok(None);
    };
    let mut docs = Vec::new();
    for term in terms {
        let inverted = segment.inverted_index(if term.field() == fields.title {
            fields.title
        } else {
            fields.text
        })?;
        if let Some(mut postings) = inverted.read_postings(term, IndexRecordOption::Basic)? {
            let mut doc = postings.doc();
            while doc != TERMINATED {
                docs.push(doc);
                doc = postings.advance();
            }
        }
    }
    docs.sort_unstable();
    docs.dedup();
    Ok(Some(docs))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fulltext::query::parse;
    use crate::fulltext::scan;
    use crate::parse::parse_issue;
    use crate::test_dir::TestDir;

    fn issue(name: &str, date: &str, body: &str) -> Issue {
        parse_issue(
            name,
            &format!(
                "某某日报\n{date}\n星期一\n\n数字化转型加快\n\n{body}\n\n乡村振兴新篇章\n\n農村企業增收，广告费用下降。\n"
            ),
        )
    }

    fn built(issues: &[&Issue]) -> (TestDir, Index) {
        let dir = TestDir::new("index");
        let index = Index::create(dir.path()).expect("create");
        let writer = index.writer().expect("writer");
        for issue in issues {
            writer.add(&issue.source, issue).expect("add");
        }
        writer.commit("test").expect("commit");
        (dir, index)
    }

    type Found = (String, Option<usize>, usize);

    /// (source, article, occurrences), sorted, as the index and the scan report them.
    fn both(index: &Index, issues: &[&Issue], query: &str) -> (Vec<Found>, Vec<Found>) {
        let query = parse(query).expect("query");
        let mut indexed: Vec<_> = index
            .search(&query)
            .expect("search")
            .into_iter()
            .map(|h| (h.source, h.article, h.occurrences))
            .collect();
        indexed.sort();
        let mut scanned: HashMap<(String, Option<usize>), usize> = HashMap::new();
        for hit in scan::search(&query, issues) {
            *scanned
                .entry((issues[hit.issue].source.clone(), hit.article))
                .or_default() += 1;
        }
        let mut scanned: Vec<_> = scanned.into_iter().map(|((s, a), n)| (s, a, n)).collect();
        scanned.sort();
        (indexed, scanned)
    }

    #[test]
    fn the_index_reports_what_the_scan_reports_for_every_query_form() {
        let august = issue(
            "a.txt",
            "2022年8月1日",
            "本报讯 企业推进数字\n化转型，成效明显。企业、企业。",
        );
        let october = issue("b.txt", "2022年10月1日", "本报讯 憲法宣传进企业。");
        let issues = [&august, &october];
        let (_dir, index) = built(&issues);
        for query in [
            "企业",
            "数字化",
            "企业 数字化",
            "企业 -广告",
            "乡村 | 转型",
            "title:数字化",
            "企业 date:2022-08",
            "企业 date:2022-09..2022-12",
            "企业 paper:某某",
            "企业 paper:别的报",
            "宪法",
            "农村企业",
            "\"成效 明显\"",
            "某某日报",
            "不存在",
            "-广告 企业 | 宪法",
        ] {
            let (indexed, scanned) = both(&index, &issues, query);
            assert_eq!(indexed, scanned, "{query}");
        }
        let (indexed, _) = both(&index, &issues, "企业");
        assert_eq!(indexed.iter().map(|h| h.2).sum::<usize>(), 6);
    }

    #[test]
    fn a_removed_issue_is_no_longer_found_and_a_replaced_one_is_found_anew() {
        let one = issue("a.txt", "2022年8月1日", "企业。");
        let (_dir, index) = built(&[&one]);
        let writer = index.writer().expect("writer");
        writer.remove("a.txt");
        let changed = issue("a.txt", "2022年8月1日", "工厂。");
        writer.add("a.txt", &changed).expect("add");
        writer.commit("again").expect("commit");
        assert_eq!(index.payload().expect("payload").as_deref(), Some("again"));
        let hits = index.search(&parse("企业").expect("q")).expect("search");
        assert_eq!(
            hits.len(),
            1,
            "only the second article's 農村企業 is left: {hits:?}"
        );
        assert_eq!(hits[0].article, Some(1));
        let hits = index.search(&parse("工厂").expect("q")).expect("search");
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].date.as_deref(), Some("2022-08-01"));
        assert_eq!(hits[0].paper.as_deref(), Some("某某日报"));
    }
}
