//! The full-text query language: space-separated terms must all occur, `"…"` is a phrase with
//! spaces, `-term` excludes, `a | b` takes either, and fields narrow the articles searched:
//! `paper:某报`, `date:2022-08`, `date:2022-08-01..2022-09-15`, `title:…` (the headline only).
//! A mistake is an error naming its position (in characters, from 1), never a panic.

use std::fmt;

/// What one term asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Clause {
    /// Text that must occur (a phrase: its tokens in a row); in the headline only when
    /// `title_only`.
    Text {
        /// What is searched for, as typed.
        text: String,
        /// Only in the headline (`title:`).
        title_only: bool,
    },
    /// The issue's paper contains this.
    Paper(String),
    /// The article's date lies in this range.
    Date(DateRange),
}

/// Dates from `from` to `to`, both inclusive, compared as `YYYY-MM-DD` text: a partial date
/// (`2022`, `2022-08`) covers every day that starts with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateRange {
    /// The earliest date, possibly partial.
    pub from: String,
    /// The latest date, possibly partial.
    pub to: String,
}

impl DateRange {
    /// True when `date` (`YYYY-MM-DD`) lies in the range.
    pub fn contains(&self, date: &str) -> bool {
        date >= self.from.as_str() && (date <= self.to.as_str() || date.starts_with(&self.to))
    }
}

/// A term and whether it is excluded (`-term`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// What it asks for.
    pub clause: Clause,
    /// `-term`: articles that match it are left out.
    pub negated: bool,
}

/// A parsed query: every group must match; a group matches when any of its terms does
/// (`a | b` is one group of two).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Query {
    /// The groups, in the order written.
    pub groups: Vec<Vec<Term>>,
}

impl Query {
    /// Evaluates the query on one document, given where each of its terms is found there:
    /// `occurrences(n, term)` (terms numbered in order across the groups, from 0) is `Some`
    /// with the term's occurrences (empty for a field that holds), `None` when the term does
    /// not occur. The result is `None` when the document does not match, else the occurrences
    /// to report — those of every text term that holds and is not an exclusion, in order, an
    /// occurrence overlapping an earlier one dropped. The scan and the index both decide a
    /// match here, so they cannot disagree on what a hit is.
    pub fn evaluate(
        &self,
        mut occurrences: impl FnMut(usize, &Term) -> Option<Vec<std::ops::Range<usize>>>,
    ) -> Option<Vec<std::ops::Range<usize>>> {
        let mut ranges = Vec::new();
        let mut n = 0;
        for group in &self.groups {
            let mut held = false;
            for term in group {
                let found = occurrences(n, term);
                n += 1;
                if found.is_some() != term.negated {
                    held = true;
                    if !term.negated {
                        ranges.extend(found.unwrap_or_default());
                    }
                }
            }
            if !held {
                return None;
            }
        }
        ranges.sort_by_key(|r| (r.start, r.end));
        ranges.dedup_by(|later, earlier| later.start < earlier.end);
        Some(ranges)
    }

    /// Every term, in the order [`Query::evaluate`] numbers them.
    pub fn terms(&self) -> impl Iterator<Item = &Term> {
        self.groups.iter().flatten()
    }
}

/// A mistake in a query, at a character position (1-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError {
    /// Where (characters from 1).
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "query, column {}: {}", self.column, self.message)
    }
}

impl std::error::Error for QueryError {}

/// A word of the query as written: its text, whether it was quoted, its column.
struct Word {
    text: String,
    quoted: bool,
    /// Written with a leading `-` (outside any quote): an exclusion.
    dash: bool,
    column: usize,
}

/// Splits the query into words and `|` bars; quotes group spaces into one word.
fn words(query: &str) -> Result<Vec<Word>, QueryError> {
    let chars: Vec<char> = query.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let column = i + 1;
        if c == '|' {
            out.push(Word {
                text: "|".into(),
                quoted: false,
                dash: false,
                column,
            });
            i += 1;
            continue;
        }
        let dash = c == '-';
        let mut text = String::new();
        let mut quoted = false;
        while i < chars.len() && !chars[i].is_whitespace() && chars[i] != '|' {
            if matches!(chars[i], '"' | '“' | '”') {
                let open = i;
                i += 1;
                let close = chars[i..]
                    .iter()
                    .position(|c| matches!(c, '"' | '“' | '”'))
                    .ok_or(QueryError {
                        column: open + 1,
                        message: "this quote is never closed".into(),
                    })?;
                text.extend(&chars[i..i + close]);
                quoted = true;
                i += close + 1;
            } else {
                text.push(chars[i]);
                i += 1;
            }
        }
        out.push(Word {
            text,
            quoted,
            dash,
            column,
        });
    }
    Ok(out)
}

/// Parses `query`. An empty query is an error: it would match everything.
pub fn parse(query: &str) -> Result<Query, QueryError> {
    let words = words(query)?;
    let mut groups: Vec<Vec<Term>> = Vec::new();
    let mut joining = false;
    for (k, word) in words.iter().enumerate() {
        if word.text == "|" && !word.quoted {
            let after = words.get(k + 1).is_some_and(|w| w.text != "|" || w.quoted);
            if groups.is_empty() || joining || !after {
                return Err(QueryError {
                    column: word.column,
                    message: "`|` needs a term on each side".into(),
                });
            }
            joining = true;
            continue;
        }
        let term = term(word)?;
        match groups.last_mut() {
            Some(group) if joining => group.push(term),
            _ => groups.push(vec![term]),
        }
        joining = false;
    }
    if groups.is_empty() {
        return Err(QueryError {
            column: 1,
            message: "nothing to search for".into(),
        });
    }
    if groups.iter().all(|g| g.iter().all(|t| t.negated)) {
        return Err(QueryError {
            column: 1,
            message: "only exclusions (`-term`): say what to search for too".into(),
        });
    }
    Ok(Query { groups })
}

/// One word as a term: `-` and a field name taken off, the value checked.
fn term(word: &Word) -> Result<Term, QueryError> {
    let mut text = word.text.as_str();
    let mut column = word.column;
    let negated = word.dash;
    if negated {
        text = &text[1..];
        column += 1;
    }
    let empty = |column| QueryError {
        column,
        message: "an empty term".into(),
    };
    // A quoted word is text, colon or not: `"记者:某某"`.
    if !word.quoted
        && let Some((field, value)) = text.split_once(':')
    {
        let value_column = column + field.chars().count() + 1;
        let clause = match field {
            "paper" if !value.is_empty() => Some(Clause::Paper(value.to_string())),
            "title" if !value.is_empty() => Some(Clause::Text {
                text: value.to_string(),
                title_only: true,
            }),
            "date" => Some(Clause::Date(date_range(value, value_column)?)),
            "paper" | "title" => return Err(empty(value_column)),
            _ => None,
        };
        if let Some(clause) = clause {
            return Ok(Term { clause, negated });
        }
    }
    if text.is_empty() {
        return Err(empty(column));
    }
    Ok(Term {
        clause: Clause::Text {
            text: text.to_string(),
            title_only: false,
        },
        negated,
    })
}

/// `2022`, `2022-08`, `2022-08-23`, or two of those joined by `..`.
fn date_range(value: &str, column: usize) -> Result<DateRange, QueryError> {
    let (from, to) = value.split_once("..").unwrap_or((value, value));
    for (part, at) in [(from, column), (to, column + from.chars().count() + 2)] {
        if !is_partial_date(part) {
            return Err(QueryError {
                column: at,
                message: format!("`{part}` is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"),
            });
        }
    }
    if from > to && !to.starts_with(from) {
        return Err(QueryError {
            column,
            message: format!("the range {from}..{to} ends before it starts"),
        });
    }
    Ok(DateRange {
        from: from.to_string(),
        to: to.to_string(),
    })
}

fn is_partial_date(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    let in_range = |s: &str, max: u32| s.parse::<u32>().is_ok_and(|v| (1..=max).contains(&v));
    match parts.as_slice() {
        [y] => digits(y, 4),
        [y, m] => digits(y, 4) && digits(m, 2) && in_range(m, 12),
        [y, m, d] => {
            digits(y, 4) && digits(m, 2) && in_range(m, 12) && digits(d, 2) && in_range(d, 31)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(t: &str) -> Clause {
        Clause::Text {
            text: t.into(),
            title_only: false,
        }
    }

    fn yes(clause: Clause) -> Term {
        Term {
            clause,
            negated: false,
        }
    }

    #[test]
    fn terms_phrases_exclusions_and_either() {
        let q = parse(r#"企业 "digital economy" -广告 乡村 | 农村 -"a b""#).expect("parses");
        assert_eq!(
            q.groups,
            vec![
                vec![yes(text("企业"))],
                vec![yes(text("digital economy"))],
                vec![Term {
                    clause: text("广告"),
                    negated: true
                }],
                vec![yes(text("乡村")), yes(text("农村"))],
                vec![Term {
                    clause: text("a b"),
                    negated: true
                }],
            ]
        );
    }

    #[test]
    fn fields_narrow_by_paper_date_and_headline() {
        let q = parse("paper:某报 date:2022-08 title:转型").expect("parses");
        assert_eq!(q.groups[0], vec![yes(Clause::Paper("某报".into()))]);
        let Clause::Date(range) = &q.groups[1][0].clause else {
            panic!("a date");
        };
        assert!(range.contains("2022-08-01") && range.contains("2022-08-31"));
        assert!(!range.contains("2022-09-01") && !range.contains("2022-07-31"));
        assert_eq!(
            q.groups[2][0].clause,
            Clause::Text {
                text: "转型".into(),
                title_only: true
            }
        );
        let Clause::Date(range) = parse("x date:2022-08-01..2022-09-15").expect("ok").groups[1][0]
            .clause
            .clone()
        else {
            panic!("a date");
        };
        assert!(range.contains("2022-09-15") && !range.contains("2022-09-16"));
        assert!(range.contains("2022-08-01") && !range.contains("2022-07-31"));
    }

    #[test]
    fn mistakes_name_their_column() {
        let err = |q: &str| parse(q).expect_err(q);
        assert_eq!(err(r#"企业 "数字"#).column, 4, "an open quote");
        assert_eq!(err("| 企业").column, 1);
        assert_eq!(err("企业 |").column, 4);
        assert_eq!(err("企业 date:2022-13").column, 9);
        assert_eq!(err("企业 date:2022-01..2022-1").column, 18);
        assert!(err("x date:2023..2022").message.contains("ends before"));
        assert!(err("-广告").message.contains("exclusions"));
        assert!(err("   ").message.contains("nothing"));
        assert_eq!(err("企业 -").column, 5);
        assert_eq!(err("paper:").column, 7);
    }

    #[test]
    fn a_colon_in_ordinary_text_is_text() {
        let q = parse("记者:王某 http://x").expect("parses");
        assert_eq!(q.groups[0], vec![yes(text("记者:王某"))]);
        assert_eq!(q.groups[1], vec![yes(text("http://x"))]);
        let q = parse(r#""paper:x y""#).expect("parses");
        assert_eq!(q.groups[0], vec![yes(text("paper:x y"))], "quoted: text");
    }
}
