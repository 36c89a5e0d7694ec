//! Runs the reader: loads config, keymap and archive, opens the terminal, loops over input, and
//! restores the terminal whatever happens.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use crate::app::{App, Request};
use crate::commands;
use crate::config::{self, AmbiguousSetting};
use crate::keymap;
use crate::library::Library;
use crate::load::builtin_archive;
use crate::term::clipboard;
use crate::term::{self, Input, Signals};
use crate::text::AmbiguousWidth;
use crate::ui;

/// How long start-up waits for the archive to load before drawing a first frame with a gauge.
const SETTLE: Duration = Duration::from_millis(25);

/// What the user asked for on the command line.
#[derive(Debug, Default)]
pub struct Options {
    /// Paths to open (empty: stdin if piped, else the configured archive, else the samples).
    pub paths: Vec<String>,
    /// Open at this article of the first issue.
    pub article: Option<usize>,
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

/// Runs the reader; returns the exit status and what to print on stdout once the terminal is
/// restored (the articles chosen with `p`).
pub fn run(options: Options) -> (i32, Option<String>) {
    let mut output = None;
    let status = run_reader(options, &mut output);
    (status, output)
}

fn run_reader(options: Options, output: &mut Option<String>) -> i32 {
    let config = match config::load() {
        Ok(config) => config,
        Err(e) => {
            crate::stderr::say(&e.to_string());
            return 2;
        }
    };
    let (keymap, keymap_warnings) = match keymap::effective(options.keymap.as_deref(), &config) {
        Ok(k) => k,
        Err(e) => {
            crate::stderr::say(&e.to_string());
            return 2;
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
        let mut library = Library::open(
            &paths,
            options.encoding,
            !options.no_index && config.index.unwrap_or(true),
        );
        // A small archive is shown whole rather than flashing a gauge; a large one gets its
        // first frame now and loads behind it.
        let settled = library.settle(Instant::now() + SETTLE);
        let nothing = library.is_empty() || (settled && library.summaries().next().is_none());
        if nothing {
            for p in library.problems() {
                crate::stderr::say(&p.to_string());
            }
            crate::stderr::say(&format!("nothing to read in {}", paths.join(" ")));
            return 2;
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
    if let Some(first) = keymap_warnings.first() {
        let more = keymap_warnings.len() - 1;
        app.message = Some(match more {
            0 => first.clone(),
            n => format!("{first} (and {n} more: see `kanbao keys`)"),
        });
    }
    app.format = options.format;
    app.color = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    if let Some(n) = options.article
        && let Err(e) = app.open_article(n)
    {
        crate::stderr::say(&e.to_string());
        return 2;
    }
    if !app.library.is_loading() {
        app.after_loading();
    }
    let ended = event_loop(&mut app, setting);
    if let Some(selection) = app.print.take()
        && !selection.is_empty()
    {
        *output = Some(app.selection_text(app.format));
    }
    match ended {
        // Ended by a signal: the shell convention, 128 + its number.
        Ok(Some(signal)) => 128 + signal,
        Ok(None) => 0,
        Err(e) => {
            crate::stderr::say(&e.to_string());
            1
        }
    }
}

/// Runs until quit; returns the signal that ended it, if one did.
fn event_loop(app: &mut App, setting: AmbiguousSetting) -> std::io::Result<Option<i32>> {
    term::install_panic_hook();
    let signals = Signals::register()?;
    let (mut terminal, _guard, measured) = term::start(setting == AmbiguousSetting::Auto)?;
    if let Some(width) = measured {
        app.ambiguous = width;
    }
    let hang_up = term::HangUp::watch()?;
    let input = term::InputThread::spawn(hang_up.clone())?;
    match run_loop(app, &mut terminal, &input, &signals, &hang_up) {
        // A write to a terminal that hung up fails: that is a hang-up, not an error to report.
        Err(_) if hang_up.happened() => Ok(Some(libc::SIGHUP)),
        ended => ended,
    }
}

/// The body of [`event_loop`], once the terminal is up.
fn run_loop(
    app: &mut App,
    terminal: &mut term::Tui,
    input: &term::InputThread,
    signals: &Signals,
    hang_up: &term::HangUp,
) -> std::io::Result<Option<i32>> {
    let mut dirty = true;
    let mut hint_shown = false;
    // A `|` command running behind the live reader, with its command line.
    let mut job: Option<(String, commands::PipeJob)> = None;
    loop {
        if let Some((command, running)) = job.as_mut()
            && let Some(result) = running.poll()
        {
            app.command_finished(command, true, Ok(result));
            job = None;
            dirty = true;
        }
        let hint_due = app
            .pending_since
            .is_some_and(|t| t.elapsed() >= ui::help::WHICH_KEY_DELAY);
        if dirty || hint_due != hint_shown {
            terminal.draw(|frame| ui::render(frame, app))?;
            dirty = false;
            hint_shown = hint_due;
        }
        if let Some(signal) = signals.received() {
            return Ok(Some(signal));
        }
        if signals.stop_requested() {
            suspend_self(terminal, input)?;
            dirty = true;
            continue;
        }
        if signals.continued() {
            // Stopped from outside (kill -TSTP) and continued: the shell may have reset the
            // terminal, so take it back and redraw everything.
            term::resume()?;
            term::redraw_all(terminal)?;
            dirty = true;
            continue;
        }
        if app.should_quit {
            break;
        }
        let timeout = if app.library.is_loading() || job.is_some() {
            // Take in the background load's results a few times a second.
            Duration::from_millis(50)
        } else if app.pending_since.is_some() {
            Duration::from_millis(100)
        } else {
            Duration::from_millis(250)
        };
        let input_event = input.next(timeout);
        if app.tick() {
            dirty = true;
        }
        match input_event {
            Input::Key(key) => {
                debug_panic_trigger(key);
                dirty = true;
                // While a `|` command runs, Esc and C-c stop it; every other key works as usual.
                if let Some((command, running)) = job.as_mut()
                    && is_stop_key(key)
                {
                    let result = running.stop("stopped");
                    app.command_finished(command, true, Ok(result));
                    job = None;
                    continue;
                }
                app.handle_key(key);
                if let Some(request) = app.request.take()
                    && let Some(signal) =
                        carry_out(request, app, terminal, input, signals, &mut job)?
                {
                    return Ok(Some(signal));
                }
            }
            Input::Paste(text) => {
                app.paste(&text);
                dirty = true;
            }
            Input::Redraw => {
                terminal.autoresize()?;
                dirty = true;
            }
            // The terminal is gone (SIGHUP may never come): end as a hang-up does.
            Input::Idle if hang_up.happened() || !term::terminal_alive() => {
                return Ok(Some(libc::SIGHUP));
            }
            Input::Idle => {}
            Input::Gone => return Ok(Some(libc::SIGHUP)),
        }
    }
    Ok(None)
}

/// In debug builds only, `KANBAO_DEBUG_PANIC=1` makes F12 panic, so tests can check that a
/// panic restores the terminal. Release builds have no such key.
fn debug_panic_trigger(key: crate::keymap::Key) {
    if cfg!(debug_assertions)
        && key == crate::keymap::Key::plain(crate::keymap::KeyCode::F(12))
        && std::env::var_os("KANBAO_DEBUG_PANIC").is_some()
    {
        panic!("debug panic requested with F12");
    }
}

/// Esc or C-c: what stops a running `|` command.
fn is_stop_key(key: crate::keymap::Key) -> bool {
    use crate::keymap::{Key, KeyCode};
    key == Key::plain(KeyCode::Esc) || key == Key::new(KeyCode::Char('c'), true, false, false)
}

/// Does what the app asked for: start a `|` command (into `job`), run a `!` command, write to
/// the clipboard. Returns a signal that arrived meanwhile.
fn carry_out(
    request: Request,
    app: &mut App,
    terminal: &mut term::Tui,
    input: &term::InputThread,
    signals: &Signals,
    job: &mut Option<(String, commands::PipeJob)>,
) -> std::io::Result<Option<i32>> {
    use std::io::Write;
    match request {
        Request::Pipe {
            command,
            input: text,
        } => {
            if let Some((running, _)) = job {
                app.message = Some(format!(
                    "`{running}` is still running (Esc or C-c stops it)"
                ));
                return Ok(None);
            }
            match commands::PipeJob::start(&command, text) {
                Ok(started) => {
                    app.message = Some(format!("running `{command}` … (Esc or C-c stops it)"));
                    *job = Some((command, started));
                }
                Err(e) => app.command_finished(&command, true, Err(e)),
            }
        }
        Request::Shell {
            command,
            input: text,
        } => {
            input.pause();
            term::suspend()?;
            let result = commands::on_terminal(&command, text);
            let status = match &result {
                Ok(r) => r.status.map_or("was killed by a signal".to_string(), |c| {
                    format!("exited {c}")
                }),
                Err(e) => format!("could not run: {e}"),
            };
            term::write_tty(&format!(
                "\r\n[kanbao] `{command}` {status}. Press any key to return.\r\n"
            ))?;
            crossterm::terminal::enable_raw_mode()?;
            input.resume();
            loop {
                if let Some(signal) = signals.received() {
                    return Ok(Some(signal));
                }
                match input.next(Duration::from_millis(250)) {
                    Input::Key(_) => break,
                    Input::Gone => return Ok(Some(libc::SIGHUP)),
                    _ => {}
                }
            }
            term::resume()?;
            term::redraw_all(terminal)?;
            app.command_finished(&command, false, result);
        }
        Request::Suspend => suspend_self(terminal, input)?,
        Request::Yank { text, label } => {
            let sequence = clipboard::copy_sequence(&text, clipboard::in_tmux());
            let backend = terminal.backend_mut();
            let written = backend
                .write_all(sequence.as_bytes())
                .and_then(|_| backend.flush());
            app.yanked(&label, &text, written, text.len() > clipboard::LARGE_COPY);
        }
    }
    Ok(None)
}

/// Stops kanbao until the shell's `fg`, with the terminal restored meanwhile (`C-z`, or a
/// SIGTSTP from outside), then takes the terminal back and redraws everything.
fn suspend_self(terminal: &mut term::Tui, input: &term::InputThread) -> std::io::Result<()> {
    input.pause();
    term::suspend()?;
    // SIGTSTP is caught (to get here), so stop with SIGSTOP, which the shell reports the same.
    // SAFETY: raising a signal in our own process.
    unsafe {
        libc::raise(libc::SIGSTOP);
    }
    term::resume()?;
    input.resume();
    term::redraw_all(terminal)
}
