//! The archive model: plain serde data, no terminal types.
//!
//! `Archive` → `Issue` → `Article`. Everything the parser read from a file lands in exactly one
//! place here: an article field, a masthead or colophon line, or an unassigned `Fragment`. The
//! JSON shape produced by `kanbao export --format json` is this model serialised; it is a contract
//! other tools read, so fields are only ever added, never renamed.

use serde::{Deserialize, Serialize};

/// A set of issues loaded from files, plus the files that could not be loaded.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Archive {
    /// Issues in the order their sources were given (folders sorted by path).
    pub issues: Vec<Issue>,
    /// Files that could not be read or decoded, with the reason.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub failures: Vec<LoadFailure>,
}

/// A file that kanbao could not turn into an issue.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct LoadFailure {
    /// The path as the user gave it or as it was found in a folder.
    pub source: String,
    /// What went wrong, in words a user can act on.
    pub reason: String,
}

/// One newspaper issue: one source file.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Issue {
    /// The path of the file this issue was read from (`-` for standard input).
    pub source: String,
    /// The paper's name from the masthead, letter-spacing removed (`东 昌 时 讯` → `东昌时讯`).
    pub paper: Option<String>,
    /// Publication date, ISO `yyyy-mm-dd`.
    pub date: Option<String>,
    /// Where the date was read: the issue's text, or its path when the text has none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_from: Option<Found>,
    /// Where the paper's name was read (the text, or a folder name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paper_from: Option<Found>,
    /// Weekday as printed (`星期二`).
    pub weekday: Option<String>,
    /// Lunar date as printed (`农历壬寅年七月廿六`).
    pub lunar: Option<String>,
    /// Running issue number (总第N期).
    pub number: Option<u32>,
    /// Number of pages today (今日N版).
    pub pages: Option<u32>,
    /// The paper's web address, from the masthead or colophon.
    pub website: Option<String>,
    /// The contribution e-mail address, from the masthead or colophon.
    pub email: Option<String>,
    /// The masthead lines exactly as printed (the fields above are read from them).
    pub masthead: Vec<SourceLine>,
    /// Colophon lines (编印单位, 地址, 邮编, 新闻热线 …) exactly as printed.
    pub colophon: Vec<SourceLine>,
    /// Articles and photo items in reading order.
    pub articles: Vec<Article>,
    /// Text that belongs to no article (banners, section labels, orphan credits, OCR duplicates).
    pub fragments: Vec<Fragment>,
    /// The decoded source text, for the raw view. Not exported.
    #[serde(skip)]
    pub text: std::sync::Arc<str>,
    /// The encoding the file was read in (`UTF-8`, `GBK`, `Big5` …). Not exported: the same
    /// issue in another encoding exports the same JSON.
    #[serde(skip)]
    pub encoding: String,
}

/// Where an issue's date or paper was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Found {
    /// In the issue's text (masthead, metadata, front matter).
    Text,
    /// In the file's path (its name or a folder's), the text having none.
    Path,
}

impl Found {
    /// `text` or `path`.
    pub fn name(self) -> &'static str {
        match self {
            Found::Text => "text",
            Found::Path => "path",
        }
    }
}

/// One line of the source file, kept verbatim (trailing whitespace removed).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct SourceLine {
    /// 1-based line number in the source file.
    pub line: usize,
    /// The line's text.
    pub text: String,
}

/// What kind of item an article is.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum ArticleKind {
    /// A text article with a headline.
    #[default]
    Article,
    /// A photo item: a caption and its credit.
    Photo,
}

/// An inclusive range of 1-based source line numbers.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Default)]
pub struct LineSpan {
    /// First line (1-based).
    pub start: usize,
    /// Last line (1-based, inclusive).
    pub end: usize,
}

/// An article or photo item.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Article {
    /// `article` or `photo`.
    pub kind: ArticleKind,
    /// The line above the headline (引题), or a photo column's name.
    pub kicker: Option<String>,
    /// The headline.
    pub title: Option<String>,
    /// The line below the headline (副题), usually starting with `——`.
    pub subtitle: Option<String>,
    /// Who and where (`本报讯(记者 …)`, `■本报记者 …`, an author line).
    pub byline: Option<String>,
    /// The closing credit (`(融媒体 郭龙君)`, `记者 王浩`, `记者 李若生 摄` …).
    pub credit: Option<String>,
    /// Body paragraphs with column-break splits mended.
    pub paragraphs: Vec<String>,
    /// The source lines this item was read from.
    pub lines: LineSpan,
    /// Indices (into `paragraphs`) of in-body subheads: section heads inside a long piece.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subheads: Vec<usize>,
    /// Metadata lines under the headline as printed (`作者：… 时间：…`, `日期：… 版次：…`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub metadata: Vec<String>,
    /// The article's own date from its metadata (`YYYY-MM-DD`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// The page from its metadata (`03`, `A2`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<String>,
    /// The section or column from its metadata.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    /// The author(s) from its metadata.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// The source from its metadata (`来源：`, or the paper named before the fields).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// Why a piece of text belongs to no article.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum FragmentKind {
    /// A headline-shaped line with no body: a slogan, banner or section label.
    Banner,
    /// A credit or byline that closes nothing.
    OrphanCredit,
    /// A short piece repeating the end of the paragraph before it (OCR duplicate).
    Duplicate,
    /// Body text that could not be attached to any article.
    Stray,
    /// A line the archive's `layout.toml` sets aside (`ignore`, `separator`).
    SetAside,
    /// The printed label of a field whose value went elsewhere (`标题：` of a record's title).
    Label,
}

/// Text that belongs to no article, kept so that nothing of the source is dropped.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Fragment {
    /// Why it is unassigned.
    pub kind: FragmentKind,
    /// 1-based source line.
    pub line: usize,
    /// The text.
    pub text: String,
}

/// What lists and the headline index need of an article: no byline, no body.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Headline {
    /// `article` or `photo`.
    pub kind: ArticleKind,
    /// The line above the headline.
    pub kicker: Option<String>,
    /// The headline as lists show it ([`Article::display_title`]).
    pub title: String,
    /// The line below the headline.
    pub subtitle: Option<String>,
    /// The source lines the article was read from.
    pub lines: LineSpan,
}

/// An issue without its article bodies: what the issue list and headline list show, and what
/// the on-disk index stores. Bodies are parsed again from the source when an issue is opened.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct IssueSummary {
    /// The path of the file the issue was read from.
    pub source: String,
    /// The paper's name.
    pub paper: Option<String>,
    /// Publication date, ISO `yyyy-mm-dd`.
    pub date: Option<String>,
    /// Where the date was read.
    #[serde(default)]
    pub date_from: Option<Found>,
    /// Where the paper's name was read.
    #[serde(default)]
    pub paper_from: Option<Found>,
    /// Running issue number.
    pub number: Option<u32>,
    /// Number of pages today.
    pub pages: Option<u32>,
    /// The encoding the file was read in.
    pub encoding: String,
    /// Every article's headline, in reading order.
    pub headlines: Vec<Headline>,
}

impl IssueSummary {
    /// The same label as [`Issue::label`].
    pub fn label(&self) -> String {
        issue_label(
            self.date.as_deref(),
            self.paper.as_deref(),
            self.number,
            || {
                self.headlines
                    .iter()
                    .find(|h| h.kind == ArticleKind::Article)
                    .or(self.headlines.first())
                    .map(|h| h.title.clone())
            },
            file_name(&self.source),
        )
    }
}

/// File name of a source path, without folders.
pub fn file_name(source: &str) -> &str {
    source.rsplit(['/', '\\']).next().unwrap_or(source)
}

/// `date paper 总第N期`, or with none of those the first headline and the file name.
fn issue_label(
    date: Option<&str>,
    paper: Option<&str>,
    number: Option<u32>,
    first_title: impl FnOnce() -> Option<String>,
    file_name: &str,
) -> String {
    let mut parts: Vec<String> = date.into_iter().chain(paper).map(str::to_string).collect();
    if let Some(number) = number {
        parts.push(format!("总第{number}期"));
    }
    if !parts.is_empty() {
        return parts.join(" ");
    }
    match first_title().filter(|t| !t.is_empty()) {
        Some(first) => format!("{first} ({file_name})"),
        None => file_name.to_string(),
    }
}

impl Article {
    /// The article's headline, for lists and the index.
    pub fn headline(&self) -> Headline {
        Headline {
            kind: self.kind,
            kicker: self.kicker.clone(),
            title: self.display_title(),
            subtitle: self.subtitle.clone(),
            lines: self.lines,
        }
    }

    /// The headline to show in lists: the title, or for an untitled item (a photo) the start of
    /// its first paragraph, cut with `…`.
    pub fn display_title(&self) -> String {
        const EXCERPT: usize = 40;
        if let Some(title) = self.title.as_deref().filter(|t| !t.is_empty()) {
            return title.to_string();
        }
        let first = self.paragraphs.first().map(String::as_str).unwrap_or("");
        let mut head: String = first.chars().take(EXCERPT).collect();
        if head.is_empty() {
            return "(untitled)".to_string();
        }
        if first.chars().count() > EXCERPT {
            head.push('…');
        }
        head
    }

    /// Number of characters of text (kicker, title, subtitle, byline, paragraphs, credit).
    pub fn char_count(&self) -> usize {
        self.text_fields().map(|s| s.chars().count()).sum()
    }

    /// Every text field of the article in reading order.
    pub fn text_fields(&self) -> impl Iterator<Item = &str> {
        [&self.kicker, &self.title, &self.subtitle, &self.byline]
            .into_iter()
            .filter_map(|f| f.as_deref())
            .chain(self.metadata.iter().map(String::as_str))
            .chain(self.paragraphs.iter().map(String::as_str))
            .chain(self.credit.as_deref())
    }
}

impl Issue {
    /// File name of the source, without folders.
    pub fn file_name(&self) -> &str {
        file_name(&self.source)
    }

    /// A one-line label for lists: `date paper 总第N期`, or for an issue without a masthead its
    /// first headline and file name.
    pub fn label(&self) -> String {
        issue_label(
            self.date.as_deref(),
            self.paper.as_deref(),
            self.number,
            || {
                self.articles
                    .iter()
                    .find(|a| a.kind == ArticleKind::Article)
                    .or(self.articles.first())
                    .map(Article::display_title)
            },
            self.file_name(),
        )
    }

    /// What the lists need of this issue: the masthead fields and every headline.
    pub fn summary(&self) -> IssueSummary {
        IssueSummary {
            source: self.source.clone(),
            paper: self.paper.clone(),
            date: self.date.clone(),
            date_from: self.date_from,
            paper_from: self.paper_from,
            number: self.number,
            pages: self.pages,
            encoding: self.encoding.clone(),
            headlines: self.articles.iter().map(Article::headline).collect(),
        }
    }

    /// Every piece of text the issue holds from its source, for the lossless check: masthead and
    /// colophon lines, article fields and fragments. Derived values (date, number …) are not
    /// included: they are read from masthead lines that are.
    pub fn source_texts(&self) -> impl Iterator<Item = &str> {
        self.masthead
            .iter()
            .chain(&self.colophon)
            .map(|l| l.text.as_str())
            .chain(self.articles.iter().flat_map(Article::text_fields))
            .chain(self.fragments.iter().map(|f| f.text.as_str()))
    }
}
