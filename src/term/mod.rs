//! The terminal: drawn on the terminal device (`/dev/tty`) so stdout stays free for output;
//! raw mode and the alternate screen; restored on every way out — normal exit (a `Drop` guard),
//! panic (a hook that restores, then runs the previous hook), SIGTERM/SIGINT/SIGHUP (flags the
//! event loop checks), and a terminal that goes away (read errors end the loop).

use std::fs::{File, OpenOptions};
use std::io::{self, BufWriter, Write};

use crossterm::{cursor, event, execute, terminal};
use ratatui::Terminal;

use crate::text::AmbiguousWidth;

pub mod backend;
pub mod clipboard;
pub mod input;
pub mod panic;
pub mod probe;
pub mod signals;

pub use backend::LeanBackend;
pub use input::{HangUp, Input, InputThread, convert_key};
pub use panic::{crash_log_path, install_panic_hook};
pub use signals::Signals;

/// The terminal kanbao draws on.
pub type Tui = Terminal<LeanBackend<BufWriter<File>>>;

pub(crate) fn open_tty() -> io::Result<File> {
    OpenOptions::new().read(true).write(true).open("/dev/tty")
}

/// Puts the terminal back: leaves the alternate screen, shows the cursor, ends raw mode. Safe to
/// call more than once.
pub fn restore() {
    if let Ok(mut tty) = open_tty() {
        let _ = execute!(
            tty,
            event::DisableBracketedPaste,
            terminal::LeaveAlternateScreen,
            cursor::Show
        );
        let _ = tty.flush();
    }
    let _ = terminal::disable_raw_mode();
}

/// Restores the terminal when dropped.
pub struct Guard;

impl Drop for Guard {
    fn drop(&mut self) {
        restore();
    }
}

/// Bytes buffered before a write to the terminal: more than a full 200×60 redraw of CJK text.
const FRAME_BUFFER: usize = 256 * 1024;

/// Opens the terminal device in raw mode on the alternate screen. With `probe`, first asks the
/// terminal how wide it draws ambiguous characters (`None`: no probe or no answer).
///
/// Nothing here may ask crossterm for the cursor position: crossterm writes that query to
/// stdout, which is not the terminal when kanbao's output is piped or redirected.
pub fn start(probe: bool) -> io::Result<(Tui, Guard, Option<AmbiguousWidth>)> {
    let mut tty = open_tty()
        .map_err(|e| io::Error::new(e.kind(), format!("cannot open the terminal /dev/tty: {e}")))?;
    let guard = Guard;
    enter(&mut tty)?;
    let measured = if probe {
        probe::probe_ambiguous_width()
    } else {
        None
    };
    execute!(tty, terminal::Clear(terminal::ClearType::All))?;
    // A whole frame in one write (a full redraw of a large screen is tens of KB).
    let backend = LeanBackend::new(BufWriter::with_capacity(FRAME_BUFFER, tty));
    let terminal = Terminal::new(backend)?;
    Ok((terminal, guard, measured))
}

/// Leaves the full-screen UI so a command can use the terminal (`!`).
pub fn suspend() -> io::Result<()> {
    let mut tty = open_tty()?;
    execute!(
        tty,
        event::DisableBracketedPaste,
        terminal::LeaveAlternateScreen,
        cursor::Show
    )?;
    terminal::disable_raw_mode()
}

/// Comes back from [`suspend`]. The caller redraws everything.
pub fn resume() -> io::Result<()> {
    enter(&mut open_tty()?)
}

/// Raw mode, the alternate screen cleared, the cursor hidden, and bracketed paste (pasted text
/// arrives as one event, never as keystrokes to run).
fn enter(tty: &mut File) -> io::Result<()> {
    terminal::enable_raw_mode()?;
    execute!(
        tty,
        terminal::EnterAlternateScreen,
        event::EnableBracketedPaste,
        cursor::Hide,
        terminal::Clear(terminal::ClearType::All)
    )
}

/// Writes raw bytes to the terminal device (a message while suspended).
pub fn write_tty(text: &str) -> io::Result<()> {
    let mut tty = open_tty()?;
    tty.write_all(text.as_bytes())?;
    tty.flush()
}

/// True while the terminal device still answers (a hung-up terminal does not).
pub fn terminal_alive() -> bool {
    terminal::size().is_ok_and(|(w, h)| w > 0 && h > 0)
}

/// Makes ratatui redraw every cell on the next frame (the screen was cleared behind its back).
/// `Terminal::clear` is not used: it asks crossterm for the cursor position, which writes its
/// query to stdout.
pub fn redraw_all(terminal: &mut Tui) -> io::Result<()> {
    let area = terminal.size()?;
    terminal.resize(ratatui::layout::Rect::new(0, 0, area.width, area.height))
}
