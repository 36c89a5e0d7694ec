//! Runs the reader: loads config, keymap and archive, opens the terminal, loops over input, and
//! restores the terminal whatever happens.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use crate::app::App;
use crate::cli::run::Exit;
use crate::config::{self, AmbiguousSetting};
use crate::keymap;
use crate::library::samples::builtin_archive;
use crate::library::{self, Library};
use crate::text::AmbiguousWidth;

mod effects;
mod event_loop;
pub mod shell;

use event_loop::event_loop;

/// How long start-up waits for the archive to load before drawing a first frame with a gauge.
const SETTLE: Duration = Duration::from_millis(25);

/// What the user asked for on the command line.
#[derive(Debug, Default)]
pub struct Options {
    /// Paths to open (empty: stdin if piped, else the configured archive, else the samples).
    pub paths: Vec<String>,
    /// Open at this article of the first issue.
    pub article: Option<usize>,
    /// Open at the issue of this date, or the nearest.
    pub date: Option<String>,
    /// Keymap name or path.
    pub keymap: Option<String>,
    /// Ambiguous-width setting.
    pub ambiguous: Option<AmbiguousSetting>,
    /// Shape of printed, piped and saved articles.
    pub format: crate::export::Format,
    /// Forced encoding for every file.
    pub encoding: Option<&'static encoding_rs::Encoding>,
    /// Do not use the on-disk index.
    pub no_index: bool,
    /// Do not return to the remembered position.
    pub fresh: bool,
    /// How issues are listed (else the config's, else by paper).
    pub order: Option<crate::library::order::Order>,
    /// Articles leave with a source line.
    pub with_source: bool,
}

/// Whether standard input is something to read an issue from: a pipe, a socket or a file.
/// A terminal is not, and neither is a device such as `/dev/null` (`kanbao </dev/null`).
fn stdin_has_data() -> bool {
    if std::io::stdin().is_terminal() {
        return false;
    }
    let mut stat = std::mem::MaybeUninit::<libc::stat>::uninit();
    // SAFETY: fstat fills the buffer it is given for an open descriptor.
    if unsafe { libc::fstat(0, stat.as_mut_ptr()) } != 0 {
        return false;
    }
    // SAFETY: fstat succeeded, so the buffer is initialised.
    let kind = unsafe { stat.assume_init() }.st_mode & libc::S_IFMT;
    matches!(kind, libc::S_IFIFO | libc::S_IFSOCK | libc::S_IFREG)
}

/// Says that `paths` hold no issue (and which files failed, and why).
fn nothing_to_read(library: &Library, paths: &[String]) -> (Exit, Option<String>) {
    for p in library.problems() {
        crate::stderr::say(&p.to_string());
    }
    crate::stderr::say(&format!("nothing to read in {}", paths.join(" ")));
    (Exit::Usage, None)
}

/// Runs the reader; returns how it ended and what to print on stdout once the terminal is
/// restored (the articles chosen with `p`).
pub fn run(options: Options) -> (Exit, Option<String>) {
    let config = match config::load() {
        Ok(config) => config,
        Err(e) => {
            crate::stderr::say(&e.to_string());
            return (Exit::Usage, None);
        }
    };
    let (keymap, keymap_warnings) = match keymap::effective(options.keymap.as_deref(), &config) {
        Ok(k) => k,
        Err(e) => {
            crate::stderr::say(&e.to_string());
            return (Exit::Usage, None);
        }
    };
    let mut paths = options.paths.clone();
    if paths.is_empty() {
        if stdin_has_data() {
            paths.push("-".into());
        } else if let Some(archive) = &config.archive {
            paths.push(archive.clone());
        }
    }
    let library = if paths.is_empty() {
        Library::from(builtin_archive())
    } else {
        let opening = library::Options {
            // The first frame's issues first; the rest once it is drawn.
            held: true,
            // `S`'s index is brought up to date behind the reader once the load is done, from
            // what the load parsed (a no-op without an index folder).
            search_in_background: true,
            ..library::Options::new(
                options.encoding,
                !options.no_index && config.index.unwrap_or(true),
                config.layout.as_deref(),
            )
        };
        // Listed from the index when it can be (the folders are walked behind the first
        // frame), else walked now.
        let library = Library::open_listed(&paths, &opening)
            .unwrap_or_else(|| Library::open(&paths, &opening));
        if library.is_empty() {
            return nothing_to_read(&library, &paths);
        }
        library
    };
    let setting = options
        .ambiguous
        .or(config.ambiguous_width)
        .unwrap_or_default();
    let ambiguous = match setting {
        AmbiguousSetting::Wide => AmbiguousWidth::Wide,
        _ => AmbiguousWidth::Narrow,
    };
    let mut app = App::new(library, keymap, ambiguous);
    let order = options.order.or(config.order).unwrap_or_default();
    if order != app.issue_rows.order {
        app.set_issue_order(order, true);
    }
    if let Some(first) = keymap_warnings.first() {
        let more = keymap_warnings.len() - 1;
        app.message = Some(match more {
            0 => first.clone(),
            n => format!("{first} (and {n} more: see `kanbao keys`)"),
        });
    }
    app.format = options.format;
    app.with_source = options.with_source;
    app.color = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    // The archive's memory: marks always, the last position unless `--fresh` or `--article`.
    if let Some(roots) = app.library.roots_if_files() {
        let archive = crate::memory::archive_name(&roots);
        let opened = crate::memory::state_dir()
            .ok_or_else(|| "no state folder (set HOME or XDG_STATE_HOME)".to_string())
            .and_then(|dir| crate::memory::Memory::open(&dir, &archive));
        app.remember(
            opened,
            options.fresh || options.article.is_some() || options.date.is_some(),
        );
    }
    if !paths.is_empty() {
        // A small archive is shown whole rather than flashing a gauge; a large one gets its
        // first frame as soon as the issues that frame shows are in, and loads behind it.
        let rows = crossterm::terminal::size().map_or(50, |(_, rows)| usize::from(rows));
        let mut shown: Vec<usize> = (0..rows)
            .filter_map(|row| app.issue_rows.slot_on_row(row))
            .collect();
        shown.push(app.issue);
        // The last wanted is taken first: the top of the list comes first.
        for &slot in shown.iter().rev() {
            app.library.want(slot);
        }
        let settled = app
            .library
            .settle_until(Instant::now() + SETTLE, |library| {
                shown.iter().all(|&slot| library.summary(slot).is_some())
            });
        if settled && app.library.summaries().next().is_none() {
            return nothing_to_read(&app.library, &paths);
        }
        app.take_in_loaded();
        // The list's order is known now that the first screen's issues are in: start at its
        // top (unless the memory took the reader back to where it was).
        if !app.returned_to_position() {
            app.select_issue(app.issue_rows.first());
        }
    }
    if let Some(date) = &options.date {
        // Dates come from the summaries: all of them are read first (from the on-disk index
        // when it is current).
        app.library.finish();
        if let Err(e) = app.go_to_date(date) {
            crate::stderr::say(&e);
            return (Exit::Usage, None);
        }
    }
    if let Some(n) = options.article
        && let Err(e) = app.open_article(n)
    {
        crate::stderr::say(&e.to_string());
        return (Exit::Usage, None);
    }
    if !app.library.is_loading() {
        app.after_loading();
    }
    let ended = event_loop(&mut app, setting);
    app.save_position();
    let output = match app.print.take() {
        Some(selection) if !selection.is_empty() => Some(app.selection_text(app.format)),
        _ => None,
    };
    let exit = match ended {
        Ok(Some(signal)) => Exit::Signal(signal),
        Ok(None) => Exit::Ok,
        Err(e) => {
            crate::stderr::say(&e.to_string());
            Exit::Partial
        }
    };
    (exit, output)
}
