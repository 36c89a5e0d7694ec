//! The `kanbao` binary: parses the command line, runs a subcommand or the reader, maps problems
//! to exit statuses (0 ok, 1 partial, 2 usage error or nothing readable).

use std::io::{self, Write};
use std::process::ExitCode;

use clap::Parser;
use encoding_rs::Encoding;
use kanbao::cli::{Cli, Command};
use kanbao::export;
use kanbao::library::Library;
use kanbao::load::{self, Loaded, load_paths};
use kanbao::{config, reader, stderr};

/// Standard output was closed when kanbao started (`kanbao … >&-`): printing must fail loudly,
/// not vanish (Rust's stdout quietly swallows writes to a closed descriptor).
static STDOUT_CLOSED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Notices that standard output was closed at start. Rust's runtime has already put
/// `/dev/null` on a closed descriptor 0–2 (so nothing else lands on it), opened read-write; a
/// shell's `> /dev/null` opens it write-only. So a read-write `/dev/null` on descriptor 1 is
/// the runtime's stand-in for a closed stdout (`<> /dev/null` would be taken for one too).
fn note_closed_stdout() {
    use std::os::unix::fs::MetadataExt;
    // SAFETY: F_GETFL only reads the descriptor's status flags.
    let flags = unsafe { libc::fcntl(1, libc::F_GETFL) };
    let read_write = flags != -1 && flags & libc::O_ACCMODE == libc::O_RDWR;
    let null = || {
        let (Ok(ours), Ok(null)) = (
            std::fs::metadata("/proc/self/fd/1"),
            std::fs::metadata("/dev/null"),
        ) else {
            return false;
        };
        ours.rdev() == null.rdev() && ours.dev() == null.dev()
    };
    if flags == -1 || (read_write && null()) {
        STDOUT_CLOSED.store(true, std::sync::atomic::Ordering::Relaxed);
    }
}

fn main() -> ExitCode {
    note_closed_stdout();
    let cli = Cli::parse();
    let encoding = match cli
        .encoding
        .as_deref()
        .map(load::encoding_for_label)
        .transpose()
    {
        Ok(encoding) => encoding,
        Err(e) => {
            stderr::say(&e.to_string());
            return ExitCode::from(2);
        }
    };
    if cli.command.is_some() && !cli.paths.is_empty() {
        stderr::say(&format!(
            "paths go after the subcommand (`kanbao SUBCOMMAND {}`); a folder named like a \
             subcommand is opened as ./NAME",
            cli.paths.join(" ")
        ));
        return ExitCode::from(2);
    }
    let status = match cli.command {
        Some(command) => run_command(command, encoding, cli.no_index, cli.keymap.as_deref()),
        None => {
            let (status, output) = reader::run(reader::Options {
                paths: cli.paths,
                article: cli.article,
                keymap: cli.keymap,
                ambiguous: cli.ambiguous_width,
                format: cli.format,
                encoding,
                no_index: cli.no_index,
            });
            // The terminal is restored by now: stdout gets the chosen articles and nothing else.
            match output {
                Some(text) => print(&text).unwrap_or(status),
                None => status,
            }
        }
    };
    ExitCode::from(status as u8)
}

/// Runs a scripting subcommand; returns the exit status.
fn run_command(
    command: Command,
    encoding: Option<&'static Encoding>,
    no_index: bool,
    keymap: Option<&str>,
) -> i32 {
    // A broken config file is reported by the reader and `keys`; here it only means defaults.
    let use_index = !no_index && config::load().ok().and_then(|c| c.index).unwrap_or(true);
    match command {
        Command::Export { format, paths } => with_archive(&paths, encoding, |loaded| {
            export::issues(&loaded.archive.issues, format)
        }),
        Command::List { paths } => with_library(&paths, encoding, use_index, |library| {
            lines(library.summaries().map(|(_, s)| export::list_line(s)))
        }),
        Command::Headlines { paths } => with_library(&paths, encoding, use_index, |library| {
            lines(
                library
                    .summaries()
                    .flat_map(|(_, s)| export::headline_lines(s)),
            )
        }),
        Command::Find {
            query,
            paths,
            limit,
            json,
        } => with_library(&paths, encoding, use_index, |library| {
            export::find_results(library, &query, limit, json)
        }),
        Command::Keys => {
            let config = match config::load() {
                Ok(c) => c,
                Err(e) => {
                    stderr::say(&e.to_string());
                    return 2;
                }
            };
            match kanbao::keymap::effective(keymap, &config) {
                Ok((keymap, warnings)) => {
                    for warning in &warnings {
                        stderr::say(warning);
                    }
                    print(&export::keymap_listing(&keymap)).unwrap_or(0)
                }
                Err(e) => {
                    stderr::say(&e.to_string());
                    2
                }
            }
        }
        Command::Cat {
            path,
            article,
            format,
        } => {
            let loaded = load_paths(std::slice::from_ref(&path), encoding);
            report(&loaded);
            let Some(issue) = loaded.archive.issues.first() else {
                return loaded.exit_status().max(2);
            };
            let count = issue.articles.len();
            match article.checked_sub(1).and_then(|i| issue.articles.get(i)) {
                Some(found) => {
                    print(&export::article(found, format)).unwrap_or(loaded.exit_status())
                }
                None => {
                    stderr::say(&format!(
                        "{}: no article {article} (it has {count}; see `kanbao headlines {}`)",
                        issue.source, issue.source
                    ));
                    2
                }
            }
        }
    }
}

fn lines(iter: impl Iterator<Item = String>) -> String {
    let mut out = String::new();
    for line in iter {
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// Summarises `paths` (through the on-disk index when `use_index`), reports problems on stderr,
/// prints what `render` makes of the headlines.
fn with_library(
    paths: &[String],
    encoding: Option<&'static Encoding>,
    use_index: bool,
    render: impl FnOnce(&Library) -> String,
) -> i32 {
    let mut library = Library::open(paths, encoding, use_index);
    library.finish();
    for problem in library.problems() {
        stderr::say(&problem.to_string());
    }
    for note in library.take_notes() {
        stderr::say(&note.to_string());
    }
    let status = library.exit_status();
    print(&render(&library)).unwrap_or(status)
}

/// Loads `paths`, reports problems on stderr, prints what `render` makes of the archive.
fn with_archive(
    paths: &[String],
    encoding: Option<&'static Encoding>,
    render: impl FnOnce(&Loaded) -> String,
) -> i32 {
    let loaded = load_paths(paths, encoding);
    report(&loaded);
    let status = loaded.exit_status();
    print(&render(&loaded)).unwrap_or(status)
}

fn report(loaded: &Loaded) {
    for problem in loaded.problems() {
        stderr::line(&problem);
    }
}

/// Writes to stdout. A closed pipe (`kanbao … | head -1`) is a normal end, not an error: returns
/// `Some(0)` to end quietly; `None` when everything was written.
fn print(text: &str) -> Option<i32> {
    use std::io::IsTerminal;
    if STDOUT_CLOSED.load(std::sync::atomic::Ordering::Relaxed) && !text.is_empty() {
        stderr::say("cannot write to standard output: it is closed");
        return Some(2);
    }
    let stdout = io::stdout();
    // The original text goes to pipes and files; a terminal gets it made safe.
    let text = if stdout.is_terminal() {
        kanbao::text::sanitize::sanitize_lines(text)
    } else {
        std::borrow::Cow::Borrowed(text)
    };
    let mut out = stdout.lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => None,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Some(0),
        Err(e) => {
            stderr::say(&format!("cannot write to standard output: {e}"));
            Some(2)
        }
    }
}
