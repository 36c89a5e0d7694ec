//! The scripting subcommands — `export`, `list`, `headlines`, `find`, `keys`, `cat` — and the
//! rules for their output: stdout gets the result and nothing else (made safe when it is a
//! terminal), a closed pipe is a normal end, problems go to stderr naming the file, and the
//! exit status says how it went ([`Exit`]).

use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};

use encoding_rs::Encoding;

use super::Command;
use super::grep;
use crate::export;
use crate::keymap::{self, Keymap};
use crate::library::{Library, Options};
use crate::model::{ArticleKind, IssueSummary};
use crate::{config, stderr};

/// How a run of kanbao ended, as the shell sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Everything done (0).
    Ok,
    /// Done, but some files could not be read (1).
    Partial,
    /// A usage error, or nothing could be read or written (2).
    Usage,
    /// Ended by a signal (128 + its number).
    Signal(i32),
}

impl Exit {
    /// The exit status.
    pub fn code(self) -> u8 {
        match self {
            Exit::Ok => 0,
            Exit::Partial => 1,
            Exit::Usage => 2,
            Exit::Signal(n) => (128 + n).clamp(0, 255) as u8,
        }
    }

    /// From a numeric status (0, 1, 2 or 128 + a signal).
    pub fn from_code(code: i32) -> Exit {
        match code {
            0 => Exit::Ok,
            1 => Exit::Partial,
            n if n > 128 => Exit::Signal(n - 128),
            _ => Exit::Usage,
        }
    }
}

/// Standard output was closed when kanbao started (`kanbao … >&-`): printing must fail loudly,
/// not vanish (Rust's stdout quietly swallows writes to a closed descriptor).
static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);

/// Records that standard output was closed when kanbao started. Only the binary can see it:
/// by the time `main` runs, Rust's runtime has put `/dev/null` on a closed descriptor 0–2,
/// indistinguishable from a `/dev/null` the caller opened on purpose (Python's
/// `subprocess.DEVNULL` opens it read-write too).
pub fn mark_stdout_closed() {
    STDOUT_CLOSED.store(true, Ordering::Relaxed);
}

/// Runs a scripting subcommand.
pub fn run(
    command: Command,
    encoding: Option<&'static Encoding>,
    no_index: bool,
    keymap_name: Option<&str>,
    with_source: bool,
) -> Exit {
    // A broken config file is reported by the reader and `keys`; here it only means defaults.
    let config = config::load().unwrap_or_default();
    let use_index = !no_index && config.index.unwrap_or(true);
    let options = Options::new(encoding, use_index, config.layout.as_deref());
    let command = match with_configured_archive(command, &config) {
        Ok(command) => command,
        Err(message) => {
            stderr::say(&message);
            return Exit::Usage;
        }
    };
    match command {
        Command::Export { format, paths } => {
            let mut library = Library::scan(&paths, &options);
            let issues = library.whole_issues();
            let issues: Vec<&crate::model::Issue> = issues.iter().map(|i| i.as_ref()).collect();
            report(&mut library);
            let status = Exit::from_code(library.exit_status());
            print(&export::issues(&issues, format)).unwrap_or(status)
        }
        Command::Inspect { paths } => {
            let mut library = Library::scan(&paths, &options);
            let issues = library.whole_issues();
            report(&mut library);
            let status = Exit::from_code(library.exit_status());
            let several = issues.len() > 1;
            let text: String = issues
                .iter()
                .map(|issue| {
                    let head = if several {
                        format!("== {}\n", issue.source)
                    } else {
                        String::new()
                    };
                    head + &crate::parse::inspect::report(issue, library.layout())
                })
                .collect();
            let text: String = text
                .lines()
                .map(|line| crate::text::sanitize(line) + "\n")
                .collect();
            print(&text).unwrap_or(status)
        }
        Command::List {
            paths,
            verbose,
            order,
        } => {
            let order = order.or(config.order).unwrap_or_default();
            with_library(&paths, &options, |library| {
                lines(
                    library
                        .ordered(order)
                        .into_iter()
                        .filter_map(|slot| library.summary(slot))
                        .map(|s| list_line(s, verbose)),
                )
            })
        }
        Command::Headlines { paths } => with_library(&paths, &options, |library| {
            lines(library.summaries().flat_map(|(_, s)| headline_lines(s)))
        }),
        Command::Find {
            query,
            paths,
            limit,
            json,
        } => {
            let mut library = Library::scan(&paths, &options);
            if let Some(dir) = &options.index_dir {
                library.use_index(dir);
            }
            // The index on disk when it is of the archive as it is: nothing read or built.
            let index = library.open_headline_index().unwrap_or_else(|| {
                library.start(std::thread::available_parallelism().map_or(2, |n| n.get()));
                library.finish();
                let index = crate::find::HeadlineIndex::from_headlines(
                    library
                        .summaries()
                        .map(|(i, s)| (i, s.headlines.as_slice())),
                );
                library.save_headline_index(&index);
                index
            });
            report(&mut library);
            let status = Exit::from_code(library.exit_status());
            print(&find_results(&library, &index, &query, limit, json)).unwrap_or(status)
        }
        Command::Grep {
            query,
            paths,
            count,
            by,
            json,
            context,
            limit,
        } => {
            let query = match crate::fulltext::query::parse(&query) {
                Ok(query) => query,
                Err(e) => {
                    stderr::say(&e.to_string());
                    return Exit::Usage;
                }
            };
            let mut library = Library::scan(&paths, &options);
            if let Some(dir) = &options.index_dir {
                library.use_index(dir);
            }
            let mode = grep::Mode {
                count,
                by,
                json,
                context,
                limit,
            };
            let (out, hits) = grep::search(&mut library, &query, mode);
            report(&mut library);
            let partial = Exit::from_code(library.exit_status());
            // Like grep: 1 when nothing was found, unless something worse happened.
            let status = match partial {
                Exit::Ok if hits == 0 => Exit::Partial,
                other => other,
            };
            print(&out).unwrap_or(status)
        }
        Command::Keys => {
            let config = match config::load() {
                Ok(c) => c,
                Err(e) => {
                    stderr::say(&e);
                    return Exit::Usage;
                }
            };
            match keymap::effective(keymap_name, &config) {
                Ok((keymap, warnings)) => {
                    for warning in &warnings {
                        stderr::say(warning);
                    }
                    print(&keymap_listing(&keymap)).unwrap_or(Exit::Ok)
                }
                Err(e) => {
                    stderr::say(&e.to_string());
                    Exit::Usage
                }
            }
        }
        Command::Marks { paths, json } => {
            let mut library = Library::open(&paths, &options);
            library.finish();
            report(&mut library);
            let Some(roots) = library.roots_if_files() else {
                stderr::say("marks are kept for archives of files (not standard input)");
                return Exit::Usage;
            };
            let archive = crate::memory::archive_name(&roots);
            let memory = crate::memory::state_dir()
                .ok_or_else(|| "no state folder (set HOME or XDG_STATE_HOME)".to_string())
                .and_then(|dir| crate::memory::Memory::open(&dir, &archive))
                .and_then(|memory| Ok((memory.marks()?, memory.notes()?)));
            let (marks, notes) = match memory {
                Ok(found) => found,
                Err(reason) => {
                    stderr::say(&format!("cannot read the marks: {reason}"));
                    return Exit::Usage;
                }
            };
            let notes: std::collections::HashMap<crate::memory::ArticleKey, String> =
                notes.into_iter().collect();
            let mut out = String::new();
            for (key, title) in marks {
                let note = notes.get(&key).cloned();
                let found = library.slot_of(&key.source).and_then(|slot| {
                    let summary = library.summary(slot)?;
                    let titles: Vec<String> =
                        summary.headlines.iter().map(|h| h.title.clone()).collect();
                    let article = crate::memory::locate(&key, &titles)?;
                    Some((summary, article))
                });
                // A mark whose article is gone is still listed, as it was remembered.
                let (date, paper, index, title) = match found {
                    Some((summary, article)) => (
                        summary.date.clone(),
                        summary.paper.clone(),
                        article + 1,
                        summary.headlines[article].title.clone(),
                    ),
                    None => (None, None, key.article + 1, title),
                };
                if json {
                    let value = serde_json::json!({
                        "source": key.source, "article": index, "date": date,
                        "paper": paper, "title": title, "note": note,
                    });
                    out.push_str(&value.to_string());
                } else {
                    let cells = [
                        key.source.clone(),
                        index.to_string(),
                        date.unwrap_or_default(),
                        paper.unwrap_or_default(),
                        title,
                        // One line per mark: a note's line breaks written as `\n`.
                        note.unwrap_or_default()
                            .replace('\\', "\\\\")
                            .replace('\n', "\\n"),
                    ];
                    let cells: Vec<String> = cells.iter().map(|c| c.replace('\t', " ")).collect();
                    out.push_str(&cells.join("\t"));
                }
                out.push('\n');
            }
            print(&out).unwrap_or(Exit::from_code(library.exit_status()))
        }
        Command::Cite(args) => {
            let mut library = Library::scan(std::slice::from_ref(&args.path), &options);
            let issue = library.whole_issues().into_iter().next();
            report(&mut library);
            let Some(issue) = issue else {
                return Exit::Usage;
            };
            let mut parts = Vec::new();
            for &n in &args.article {
                match n.checked_sub(1).and_then(|i| issue.articles.get(i)) {
                    Some(article) => parts.push(export::cite::Parts::of(&issue, article)),
                    None => {
                        stderr::say(&format!(
                            "{}: no article {n} (it has {}; see `kanbao headlines {}`)",
                            issue.source,
                            issue.articles.len(),
                            issue.source
                        ));
                        return Exit::Usage;
                    }
                }
            }
            print(&export::cite::citations(&parts, args.style))
                .unwrap_or(Exit::from_code(library.exit_status()))
        }
        Command::Cat {
            path,
            article,
            format,
        } => {
            let mut library = Library::scan(std::slice::from_ref(&path), &options);
            let issue = library.whole_issues().into_iter().next();
            report(&mut library);
            let Some(issue) = issue else {
                return Exit::Usage;
            };
            let count = issue.articles.len();
            match article.checked_sub(1).and_then(|i| issue.articles.get(i)) {
                Some(found) if with_source => {
                    print(&export::article_with_source(&issue, found, format))
                        .unwrap_or(Exit::from_code(library.exit_status()))
                }
                Some(found) => print(&export::article(found, format))
                    .unwrap_or(Exit::from_code(library.exit_status())),
                None => {
                    stderr::say(&format!(
                        "{}: no article {article} (it has {count}; see `kanbao headlines {}`)",
                        issue.source, issue.source
                    ));
                    Exit::Usage
                }
            }
        }
    }
}

/// `list`, `headlines`, `find` and `grep` with no PATH read the archive the config names, as
/// the reader does.
fn with_configured_archive(
    mut command: Command,
    config: &config::Config,
) -> Result<Command, String> {
    let paths = match &mut command {
        Command::List { paths, .. }
        | Command::Headlines { paths }
        | Command::Find { paths, .. }
        | Command::Grep { paths, .. }
        | Command::Marks { paths, .. } => paths,
        _ => return Ok(command),
    };
    if paths.is_empty() {
        match &config.archive {
            Some(archive) => paths.push(config::expand_home(archive)),
            None => {
                return Err(format!(
                    "no PATH given and no `archive` in {} to read instead",
                    config::config_dir().map_or("config.toml".into(), |d| d
                        .join("config.toml")
                        .display()
                        .to_string())
                ));
            }
        }
    }
    Ok(command)
}

fn lines(iter: impl Iterator<Item = String>) -> String {
    let mut out = String::new();
    for line in iter {
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// Summarises `paths` (through the on-disk index when the options keep one), reports problems on stderr,
/// prints what `render` makes of the headlines.
fn with_library(
    paths: &[String],
    options: &Options,
    render: impl FnOnce(&Library) -> String,
) -> Exit {
    let mut library = Library::open(paths, options);
    library.finish();
    report(&mut library);
    let status = Exit::from_code(library.exit_status());
    print(&render(&library)).unwrap_or(status)
}

/// Names every file that could not be read, and the library's notes, on stderr.
fn report(library: &mut Library) {
    for problem in library.problems() {
        stderr::say(&problem);
    }
    for note in library.take_notes() {
        stderr::say(&note);
    }
}

/// Writes to stdout. A closed pipe (`kanbao … | head -1`) is a normal end, not an error: returns
/// `Some(Exit::Ok)` to end quietly; `None` when everything was written.
pub fn print(text: &str) -> Option<Exit> {
    use std::io::IsTerminal;
    if STDOUT_CLOSED.load(Ordering::Relaxed) && !text.is_empty() {
        stderr::say("cannot write to standard output: it is closed");
        return Some(Exit::Usage);
    }
    let stdout = io::stdout();
    // The original text goes to pipes and files; a terminal gets it made safe.
    let text = if stdout.is_terminal() {
        crate::text::sanitize::sanitize_lines(text)
    } else {
        std::borrow::Cow::Borrowed(text)
    };
    let mut out = stdout.lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => None,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Some(Exit::Ok),
        Err(e) => {
            stderr::say(&format!("cannot write to standard output: {e}"));
            Some(Exit::Usage)
        }
    }
}

/// `kanbao list`: one tab-separated line per issue — date, paper, number, article count, source.
/// Missing fields print as `-`.
/// `--verbose` adds where the date and the paper were found (`text`, `path`, `-`) before the
/// source, which stays last.
fn list_line(issue: &IssueSummary, verbose: bool) -> String {
    let dash = |v: Option<String>| v.unwrap_or_else(|| "-".into());
    let found = if verbose {
        let name = |f: Option<crate::model::Found>| f.map_or("-", crate::model::Found::name);
        format!("{}\t{}\t", name(issue.date_from), name(issue.paper_from))
    } else {
        String::new()
    };
    format!(
        "{}\t{}\t{}\t{}\t{found}{}",
        dash(issue.date.clone()),
        dash(issue.paper.clone()),
        dash(issue.number.map(|n| n.to_string())),
        issue.headlines.len(),
        issue.source
    )
}

/// `kanbao headlines`: one tab-separated line per article — source, 1-based index, title.
fn headline_lines(issue: &IssueSummary) -> impl Iterator<Item = String> + '_ {
    issue.headlines.iter().enumerate().map(|(i, a)| {
        let marker = if a.kind == ArticleKind::Photo {
            "[图] "
        } else {
            ""
        };
        format!("{}\t{}\t{marker}{}", issue.source, i + 1, a.title)
    })
}

/// `kanbao find`: the ranked hits, as TSV lines (source, 1-based index, title) or JSON.
fn find_results(
    library: &Library,
    index: &crate::find::HeadlineIndex,
    query: &str,
    limit: usize,
    json: bool,
) -> String {
    let hits = index.search(query, None, limit);
    let rows = hits.iter().filter_map(|hit| {
        let entry = index.entry(hit.entry);
        let issue = library.slot(entry.issue)?;
        Some((issue.source.as_str(), entry.article + 1, entry.text, hit))
    });
    if json {
        let list: Vec<serde_json::Value> = rows
            .map(|(source, number, title, hit)| {
                serde_json::json!({
                    "source": source,
                    "index": number,
                    "title": title,
                    "score": hit.score,
                    "positions": index.positions(hit.entry, query),
                })
            })
            .collect();
        let mut out = serde_json::to_string_pretty(&list).unwrap_or_default();
        out.push('\n');
        out
    } else {
        rows.map(|(source, number, title, _)| format!("{source}\t{number}\t{title}\n"))
            .collect()
    }
}

/// `kanbao keys`: the effective bindings, one per line: context, keys, action, description.
fn keymap_listing(keymap: &Keymap) -> String {
    let mut out = String::new();
    for ctx in keymap::Context::ALL {
        for binding in keymap.contexts.get(ctx).into_iter().flatten() {
            out.push_str(&format!(
                "{}\t{}\t{}\t{}\n",
                ctx.name(),
                keymap::key::chord_to_string(&binding.on),
                binding.run.name(),
                binding.desc
            ));
        }
    }
    out
}
