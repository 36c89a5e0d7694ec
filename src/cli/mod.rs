//! The command line (clap derive): the reader's options and the scripting subcommands.

use clap::{Parser, Subcommand};

mod grep;
pub mod run;

use crate::config::AmbiguousSetting;
use crate::export::Format;

/// kanbao (看报) — read folders of OCR'd newspaper issues in the terminal.
///
/// With no subcommand, opens the reader on PATH (files or folders; `-` reads an issue from
/// standard input). With no PATH, opens the sample issues built into kanbao. Options may come
/// before or after a subcommand; a folder named like a subcommand is opened as `./NAME`.
#[derive(Debug, Parser)]
#[command(name = "kanbao", version, subcommand_precedence_over_arg = true)]
pub struct Cli {
    /// Issue files or folders (searched recursively for .txt and .md); `-` for standard input.
    pub paths: Vec<String>,
    /// Open at this article of the first issue (1-based, as numbered by `kanbao headlines`).
    #[arg(long, value_name = "N")]
    pub article: Option<usize>,
    /// Open at the issue of this date (YYYY-MM-DD or YYYY-MM), or the nearest one.
    #[arg(long, value_name = "DATE", conflicts_with = "article")]
    pub date: Option<String>,
    /// Keymap: a built-in name (vim, emacs, less) or a file; default from the config, else vim.
    #[arg(long, global = true, value_name = "NAME|PATH")]
    pub keymap: Option<String>,
    /// How wide the terminal draws ambiguous characters (“ ” … · — ■): narrow, wide (ASCII
    /// borders), or auto (ask the terminal).
    #[arg(long, value_enum, value_name = "MODE")]
    pub ambiguous_width: Option<AmbiguousSetting>,
    /// Read every file in this encoding (utf-8, gb18030, gbk, big5, utf-16le …) instead of
    /// detecting it per file.
    #[arg(long, global = true, value_name = "NAME")]
    pub encoding: Option<String>,
    /// Neither read nor write the on-disk headline index ($XDG_CACHE_HOME/kanbao/): parse
    /// every file.
    #[arg(long, global = true)]
    pub no_index: bool,
    /// List issues by paper then date (default), by date across papers, or by path; `o` in
    /// the issue pane cycles. Default from the config's `order`.
    #[arg(long, value_enum, value_name = "ORDER")]
    pub order: Option<crate::library::order::Order>,
    /// Start at the top, not where you left this archive (marks are still remembered).
    #[arg(long)]
    pub fresh: bool,
    /// Shape of what `p` prints to stdout (and `|`, `s` pass on): text, markdown or json.
    #[arg(long, short, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Articles leave with their source: a `来源：` line (citation, path and lines) after each
    /// in text and Markdown (`p`, `|`, `s`, `y` in the reader; `kanbao cat`).
    #[arg(long, global = true)]
    pub with_source: bool,
    /// The scripting subcommands.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Scripting subcommands: they print to stdout and never open the reader.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print whole issues as JSON, text or Markdown.
    ///
    /// JSON is {"issues":[{"source","paper","date","number","pages",…,"articles":[{"kind",
    /// "kicker","title","subtitle","byline","credit","paragraphs":[…]}]}]}; absent fields are null.
    Export {
        /// Output format.
        #[arg(long, short, value_enum, default_value_t = Format::Json)]
        format: Format,
        /// Issue files or folders; `-` for standard input.
        #[arg(required = true)]
        paths: Vec<String>,
    },
    /// Explain the parse: every source line with its role and the rules that decided it.
    ///
    /// Roles: masthead, banner, kicker, title, subtitle, byline, metadata, body, subhead, list
    /// item, caption, credit, colophon, fragment. Each line is printed as `NUMBER  ROLE  TEXT`, with the reason under it in brackets:
    /// what the line's shape said, then what its place made of it. The raw view (`r` in the
    /// reader) shows the same roles in its gutter.
    Inspect {
        /// Issue files or folders; `-` for standard input.
        #[arg(required = true)]
        paths: Vec<String>,
    },
    /// One line per issue: date, paper, number, article count, source (tab-separated).
    List {
        /// Issue files or folders; `-` for standard input; none: the configured `archive`.
        #[arg()]
        paths: Vec<String>,
        /// Two more columns: where the date and the paper were found (`text`, `path`, `-`).
        #[arg(long, short)]
        verbose: bool,
        /// By paper then date (default), by date across papers, or by path; default from the
        /// config's `order`.
        #[arg(long, value_enum, value_name = "ORDER")]
        order: Option<crate::library::order::Order>,
    },
    /// One line per article: source, index (1-based), title (tab-separated).
    Headlines {
        /// Issue files or folders; `-` for standard input; none: the configured `archive`.
        #[arg()]
        paths: Vec<String>,
    },
    /// Find headlines by fuzzy text or pinyin, best first: source, index, title (tab-separated).
    ///
    /// The index is as in `kanbao headlines`, so `kanbao SOURCE --article INDEX` opens a hit.
    /// Terms separated by spaces must all match; 'exact, ^prefix and !not work as in fzf.
    Find {
        /// What to look for: characters, Latin, or pinyin (full, initials or mixed: cx, caoxian,
        /// 曹xian).
        query: String,
        /// Issue files or folders; `-` for standard input; none: the configured `archive`.
        #[arg()]
        paths: Vec<String>,
        /// At most this many hits.
        #[arg(long, short = 'n', default_value_t = 50)]
        limit: usize,
        /// Print a JSON array of {source, index, title, score, positions}.
        #[arg(long)]
        json: bool,
    },
    /// Search the full text of the articles: one line per hit,
    /// source, article, date, paper, snippet (tab-separated).
    ///
    /// Terms separated by spaces must all occur in an article; "a phrase" keeps its spaces;
    /// -term leaves out articles that have it; a | b takes either; paper:NAME, date:2022-08,
    /// date:2022-08-01..2022-09-15 and title:TEXT narrow. A run of Chinese characters matches
    /// as written, across punctuation and line breaks. Article 0 is the text outside
    /// its articles (masthead, banners, colophon). Exit status 1 when nothing is found.
    Grep {
        /// What to look for.
        query: String,
        /// Issue files or folders; `-` for standard input; none: the configured `archive`.
        #[arg()]
        paths: Vec<String>,
        /// Print only the number of occurrences.
        #[arg(long, short = 'c', conflicts_with_all = ["by", "json"])]
        count: bool,
        /// Print occurrences per month, year or paper (key TAB count, in order).
        #[arg(long, value_enum, conflicts_with = "json")]
        by: Option<GrepBy>,
        /// Print one JSON object per hit, with character offsets into the article's text.
        #[arg(long)]
        json: bool,
        /// Characters of context either side of a hit.
        #[arg(long, short = 'C', default_value_t = 20, value_name = "N")]
        context: usize,
        /// At most this many hits (counts are never limited).
        #[arg(long, short = 'n', value_name = "N")]
        limit: Option<usize>,
    },
    /// Print the citation of an article: GB/T 7714-2015 by default (`作者. 题名[N]. 报纸名,
    /// 出版日期(版次).`), or BibTeX, RIS, CSL-JSON. Parts the issue does not give are left out,
    /// never guessed.
    Cite(CiteArgs),
    /// The articles marked in the reader (remembered per archive): source, index (1-based),
    /// date, paper, title, note (tab-separated).
    Marks {
        /// The archive's files or folders, as the reader was given them; none: the configured
        /// `archive`.
        #[arg()]
        paths: Vec<String>,
        /// One JSON object per marked article.
        #[arg(long)]
        json: bool,
    },
    /// Print the effective key bindings (built-in keymap merged with your keymap.toml).
    Keys,
    /// Print one article of one issue.
    Cat {
        /// The issue file; `-` for standard input.
        path: String,
        /// Which article (1-based, as numbered by `kanbao headlines`).
        #[arg(long, short, value_name = "N")]
        article: usize,
        /// Output format.
        #[arg(long, short, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
}

/// Cite articles of one issue.
#[derive(Debug, Clone, clap::Args)]
pub struct CiteArgs {
    /// The issue file; `-` for standard input.
    pub path: String,
    /// Which articles (1-based, as numbered by `kanbao headlines`); repeat for several.
    #[arg(long, short, value_name = "N", required = true)]
    pub article: Vec<usize>,
    /// Citation style.
    #[arg(long, short, value_enum, default_value_t = crate::export::cite::Style::Gbt7714)]
    pub style: crate::export::cite::Style,
}

/// What `kanbao grep --by` counts under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum GrepBy {
    /// `YYYY-MM` of the article's date.
    Month,
    /// `YYYY` of the article's date.
    Year,
    /// The paper.
    Paper,
}
