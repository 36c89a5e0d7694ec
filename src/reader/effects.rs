//! Carrying out what the app asked for (`Request`s): start a `|` command, run a `!` command
//! on the terminal, suspend, copy to the clipboard.

use std::time::Duration;

use super::shell;
use crate::app::{App, Request};
use crate::term::clipboard;
use crate::term::{self, Input, Signals};

/// Does what the app asked for: start a `|` command (into `job`), run a `!` command, write to
/// the clipboard. Returns a signal that arrived meanwhile.
pub(super) fn carry_out(
    request: Request,
    app: &mut App,
    terminal: &mut term::Tui,
    input: &term::InputThread,
    signals: &Signals,
    job: &mut Option<(String, shell::PipeJob)>,
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
            match shell::PipeJob::start(&command, text) {
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
            let result = shell::on_terminal(&command, text);
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
        Request::Edit { command } => {
            input.pause();
            term::suspend()?;
            let result = shell::interactive(&command);
            crossterm::terminal::enable_raw_mode()?;
            input.resume();
            term::resume()?;
            term::redraw_all(terminal)?;
            if let Err(e) = result {
                app.message = Some(format!("could not run `{command}`: {e}"));
            }
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
pub(super) fn suspend_self(
    terminal: &mut term::Tui,
    input: &term::InputThread,
) -> std::io::Result<()> {
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
