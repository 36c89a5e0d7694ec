//! Layout hints for what the rules cannot guess: `layout.toml` beside an archive names, per
//! role, patterns (regular expressions) that decide a line's kind before its shape is read.
//!
//! ```toml
//! metadata = ['^\S+ 日期：']       # a line of metadata under a headline
//! headline = ['^【.+】$']          # a headline, whatever its punctuation
//! separator = ['^-{3,}$']          # ends the article above (the line itself is set aside)
//! ignore = ['^第\d+版$']           # set aside: page folios, running heads
//! ```
//!
//! The file is checked when the archive is opened; a mistake is reported as `file:line:` with
//! what is wrong, and the archive is read without hints.

use std::path::{Path, PathBuf};

use regex::Regex;

/// What a hint makes of a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hint {
    /// A metadata line.
    Metadata,
    /// A headline line.
    Headline,
    /// Ends the article above; set aside.
    Separator,
    /// Set aside.
    Ignore,
}

const ROLES: [(&str, Hint); 4] = [
    ("metadata", Hint::Metadata),
    ("headline", Hint::Headline),
    ("separator", Hint::Separator),
    ("ignore", Hint::Ignore),
];

/// An archive's layout hints (none by default).
#[derive(Debug, Clone, Default)]
pub struct Layout {
    rules: Vec<(Hint, Regex)>,
    /// Templates of lines learned to be the paper's furniture ([`super::learn`]).
    pub learned: std::collections::HashSet<String>,
    /// A hash of the file's text: summaries parsed under other hints are not reused.
    pub fingerprint: u64,
}

/// The 1-based line of `text` where `needle` first occurs (1 when it does not).
fn line_of(text: &str, needle: &str) -> usize {
    text.find(needle)
        .map_or(1, |at| text[..at].matches('\n').count() + 1)
}

impl Layout {
    /// The hints in `path`; `Err` is `path:line: what is wrong`.
    pub fn load(path: &Path) -> Result<Layout, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        Layout::parse(&text, path)
    }

    /// The hints in `text`, read from `path` (for messages).
    pub fn parse(text: &str, path: &Path) -> Result<Layout, String> {
        let at = |line: usize, what: String| format!("{}:{line}: {what}", path.display());
        let table: toml::Table = text.parse().map_err(|e: toml::de::Error| {
            let line = e
                .span()
                .map_or(1, |span| text[..span.start].matches('\n').count() + 1);
            at(line, e.message().to_string())
        })?;
        let mut rules = Vec::new();
        for (key, value) in &table {
            let Some((_, hint)) = ROLES.iter().find(|(name, _)| name == key) else {
                return Err(at(
                    line_of(text, key),
                    format!("unknown role `{key}` (roles: metadata, headline, separator, ignore)"),
                ));
            };
            let Some(patterns) = value.as_array() else {
                return Err(at(
                    line_of(text, key),
                    format!("`{key}` takes a list of patterns: {key} = ['…']"),
                ));
            };
            for pattern in patterns {
                let Some(pattern) = pattern.as_str() else {
                    return Err(at(
                        line_of(text, key),
                        format!("`{key}`: a pattern is a string"),
                    ));
                };
                let regex = Regex::new(pattern).map_err(|e| {
                    let first = e
                        .to_string()
                        .lines()
                        .last()
                        .unwrap_or("")
                        .trim()
                        .to_string();
                    at(
                        line_of(text, pattern),
                        format!("pattern `{pattern}`: {first}"),
                    )
                })?;
                rules.push((*hint, regex));
            }
        }
        Ok(Layout {
            rules,
            learned: Default::default(),
            fingerprint: {
                use std::hash::{DefaultHasher, Hash, Hasher};
                let mut hasher = DefaultHasher::new();
                text.hash(&mut hasher);
                hasher.finish()
            },
        })
    }

    /// The hints for an archive at `roots`: `layout.toml` in the first root that is a folder, or
    /// beside the first root that is a file.
    pub fn beside(roots: &[PathBuf]) -> Option<PathBuf> {
        let root = roots.first()?;
        let dir = if root.is_dir() {
            root.as_path()
        } else {
            root.parent()?
        };
        let path = dir.join("layout.toml");
        path.is_file().then_some(path)
    }

    /// What the hints make of a cleaned line, if any matches (the first role listed wins).
    pub fn hint(&self, text: &str) -> Option<Hint> {
        self.rules
            .iter()
            .find(|(_, regex)| regex.is_match(text))
            .map(|(hint, _)| *hint)
    }

    /// True when there are no hints, written or learned.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty() && self.learned.is_empty()
    }

    /// Takes in what was learned from the archive's issues; the fingerprint changes with it.
    pub fn learn(&mut self, learned: std::collections::HashSet<String>) {
        use std::hash::{DefaultHasher, Hash, Hasher};
        let mut sorted: Vec<&String> = learned.iter().collect();
        sorted.sort();
        let mut hasher = DefaultHasher::new();
        self.fingerprint.hash(&mut hasher);
        sorted.hash(&mut hasher);
        self.fingerprint = hasher.finish();
        self.learned = learned;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hints_by_role() {
        let layout = Layout::parse(
            "metadata = ['^\\S+ 日期：']\nheadline = ['^【.+】$']\nignore = ['^第\\d+版$']\n",
            Path::new("layout.toml"),
        )
        .expect("layout");
        assert_eq!(layout.hint("某报 日期：2018-04-01"), Some(Hint::Metadata));
        assert_eq!(layout.hint("【一句话，新闻】"), Some(Hint::Headline));
        assert_eq!(layout.hint("第3版"), Some(Hint::Ignore));
        assert_eq!(layout.hint("正文。"), None);
    }

    #[test]
    fn mistakes_name_the_file_and_line() {
        let err = Layout::parse(
            "headline = ['^ok$']\nheadlnie = ['x']\n",
            Path::new("a/layout.toml"),
        )
        .expect_err("unknown role");
        assert!(
            err.starts_with("a/layout.toml:2: unknown role `headlnie`"),
            "{err}"
        );
        let err = Layout::parse(
            "ignore = [\n  '^ok$',\n  '(unclosed',\n]\n",
            Path::new("l.toml"),
        )
        .expect_err("bad pattern");
        assert!(err.starts_with("l.toml:3: pattern `(unclosed`"), "{err}");
        let err = Layout::parse("ignore = '^x$'\n", Path::new("l.toml")).expect_err("not a list");
        assert!(
            err.contains("l.toml:1:") && err.contains("list of patterns"),
            "{err}"
        );
        let err = Layout::parse("ignore = [\n", Path::new("l.toml")).expect_err("toml");
        assert!(err.starts_with("l.toml:"), "{err}");
    }
}
