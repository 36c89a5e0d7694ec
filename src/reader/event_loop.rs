//! The event loop: input, ticks of the background load, signals, a `|` command running
//! behind the live reader, and a draw whenever something changed.

use std::time::Duration;

use super::effects::{carry_out, suspend_self};
use super::shell;
use crate::app::App;
use crate::config::AmbiguousSetting;
use crate::term::{self, Input, Signals};
use crate::ui;

/// Runs until quit; returns the signal that ended it, if one did.
pub(super) fn event_loop(app: &mut App, setting: AmbiguousSetting) -> std::io::Result<Option<i32>> {
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
    let mut job: Option<(String, shell::PipeJob)> = None;
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
            // The first frame is up: the rest of the archive may load now.
            app.library.release();
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
