//! The terminal: drawn on the terminal device (`/dev/tty`) so stdout stays free for output;
//! raw mode and the alternate screen; restored on every way out — normal exit (a `Drop` guard),
//! panic (a hook that restores, then runs the previous hook), SIGTERM/SIGINT/SIGHUP (flags the
//! event loop checks), and a terminal that goes away (read errors end the loop).

use std::fs::{File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::Duration;

use crossterm::event::{self, Event, KeyEvent, KeyEventKind, KeyModifiers};
use crossterm::{cursor, execute, terminal};
use ratatui::Terminal;

use crate::keymap::{Key, KeyCode};
use crate::lean_backend::LeanBackend;
use crate::text::AmbiguousWidth;

/// The terminal kanbao draws on.
pub type Tui = Terminal<LeanBackend<BufWriter<File>>>;

fn open_tty() -> io::Result<File> {
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

/// Where crash reports go: `$XDG_STATE_HOME/kanbao/crash.log` (default
/// `~/.local/state/kanbao/`), or the temporary folder.
pub fn crash_log_path() -> std::path::PathBuf {
    crate::config::xdg_dir("XDG_STATE_HOME", ".local/state")
        .unwrap_or_else(|| std::env::temp_dir().join("kanbao"))
        .join("crash.log")
}

/// Installs a panic hook that restores the terminal, prints the panic message, appends the
/// details (with a backtrace) to the crash log and says where it is.
pub fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
        let path = crash_log_path();
        let logged = path
            .parent()
            .map(std::fs::create_dir_all)
            .transpose()
            .and_then(|_| {
                let mut log = OpenOptions::new().create(true).append(true).open(&path)?;
                let when = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_secs());
                writeln!(
                    log,
                    "--- kanbao {} crashed at unix time {when}\n{info}\n{}",
                    env!("CARGO_PKG_VERSION"),
                    std::backtrace::Backtrace::force_capture()
                )
            });
        match logged {
            Ok(_) => crate::stderr::line(&format!(
                "kanbao crashed; the terminal was restored. Details: {}",
                path.display()
            )),
            Err(_) => crate::stderr::line("kanbao crashed; the terminal was restored."),
        }
    }));
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
    terminal::enable_raw_mode()?;
    let guard = Guard;
    // Bracketed paste: pasted text arrives as one event, never as keystrokes to run.
    execute!(
        tty,
        terminal::EnterAlternateScreen,
        event::EnableBracketedPaste,
        cursor::Hide,
        terminal::Clear(terminal::ClearType::All)
    )?;
    let measured = if probe { probe_ambiguous_width() } else { None };
    execute!(tty, terminal::Clear(terminal::ClearType::All))?;
    // A whole frame in one write (a full redraw of a large screen is tens of KB).
    let backend = LeanBackend::new(BufWriter::with_capacity(FRAME_BUFFER, tty));
    let terminal = Terminal::new(backend)?;
    Ok((terminal, guard, measured))
}

/// How long to wait for the terminal to answer the width probe.
const PROBE_TIMEOUT: Duration = Duration::from_millis(150);

/// Asks the terminal how wide it draws an ambiguous character: prints U+25BD at the top left
/// and asks for the cursor position (`CSI 6n`), as vim does. A column of 3 (1-based) means two
/// cells; no answer within 150 ms means `None`. Must run in raw mode, before the input thread
/// starts reading.
fn probe_ambiguous_width() -> Option<AmbiguousWidth> {
    let mut tty = open_tty().ok()?;
    write!(tty, "\x1b[1;1H\u{25bd}\x1b[6n")
        .and_then(|_| tty.flush())
        .ok()?;
    let answer = read_cursor_report(&mut tty);
    let _ = write!(tty, "\x1b[1;1H  \x1b[1;1H");
    let _ = tty.flush();
    match answer {
        Some((_, 3)) => Some(AmbiguousWidth::Wide),
        Some((_, 2)) => Some(AmbiguousWidth::Narrow),
        _ => None,
    }
}

/// Reads `ESC [ row ; col R` from the terminal, waiting at most `PROBE_TIMEOUT`.
fn read_cursor_report(tty: &mut File) -> Option<(u16, u16)> {
    use std::io::Read;
    use std::os::fd::AsRawFd;
    let deadline = std::time::Instant::now() + PROBE_TIMEOUT;
    let mut reply = Vec::new();
    while !reply.ends_with(b"R") && reply.len() < 32 {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        if left.is_zero() {
            return None;
        }
        let mut pollfd = libc::pollfd {
            fd: tty.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: one valid pollfd for an open descriptor, for the duration of the call.
        let ready = unsafe { libc::poll(&mut pollfd, 1, left.as_millis() as libc::c_int) };
        if ready <= 0 {
            return None;
        }
        let mut byte = [0u8; 1];
        if tty.read(&mut byte).ok()? == 0 {
            return None;
        }
        reply.push(byte[0]);
    }
    let text = String::from_utf8_lossy(&reply);
    let body = text.rsplit("\x1b[").next()?.strip_suffix('R')?;
    let (row, col) = body.split_once(';')?;
    Some((row.parse().ok()?, col.parse().ok()?))
}

/// Records which terminating signal arrived, if any, and asks to stop (SIGTSTP).
///
/// Every signal whose default action would end or stop kanbao with the terminal still raw and
/// on the alternate screen is caught here and handled by the event loop, which restores the
/// terminal first.
#[derive(Clone)]
pub struct Signals {
    flags: Vec<(i32, Arc<AtomicBool>)>,
    continued: Arc<AtomicBool>,
    stop: Arc<AtomicBool>,
}

impl Signals {
    /// Registers SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2 and SIGALRM (they end
    /// kanbao), SIGTSTP (it stops, as `C-z` does) and SIGCONT.
    pub fn register() -> io::Result<Signals> {
        use signal_hook::consts as sig;
        let mut flags = Vec::new();
        for signal in [
            sig::SIGTERM,
            sig::SIGINT,
            sig::SIGHUP,
            sig::SIGQUIT,
            sig::SIGUSR1,
            sig::SIGUSR2,
            sig::SIGALRM,
        ] {
            let flag = Arc::new(AtomicBool::new(false));
            signal_hook::flag::register(signal, Arc::clone(&flag))?;
            flags.push((signal, flag));
        }
        let continued = Arc::new(AtomicBool::new(false));
        signal_hook::flag::register(sig::SIGCONT, Arc::clone(&continued))?;
        let stop = Arc::new(AtomicBool::new(false));
        signal_hook::flag::register(sig::SIGTSTP, Arc::clone(&stop))?;
        Ok(Signals {
            flags,
            continued,
            stop,
        })
    }

    /// True once after SIGTSTP arrived from outside (`kill -TSTP`): stop as `C-z` does.
    pub fn stop_requested(&self) -> bool {
        self.stop.swap(false, Ordering::Relaxed)
    }

    /// True once after the process was continued (SIGCONT) from a stop.
    pub fn continued(&self) -> bool {
        self.continued.swap(false, Ordering::Relaxed)
    }

    /// The signal that asked kanbao to end, if one did.
    pub fn received(&self) -> Option<i32> {
        self.flags
            .iter()
            .find(|(_, f)| f.load(Ordering::Relaxed))
            .map(|(s, _)| *s)
    }
}

/// Watches the terminal for a hang-up (a dropped SSH connection, a closed tmux pane).
///
/// A hang-up does not always bring SIGHUP (a parent that ignores it, a shell that does not pass
/// it on), and crossterm keeps reading EOF from a dead terminal; a descriptor polled for
/// `POLLHUP` tells at once and costs one system call.
#[derive(Clone)]
pub struct HangUp(Arc<File>);

impl HangUp {
    /// Starts watching the terminal device.
    pub fn watch() -> io::Result<HangUp> {
        open_tty().map(|tty| HangUp(Arc::new(tty)))
    }

    /// True once the terminal has hung up.
    pub fn happened(&self) -> bool {
        use std::os::fd::AsRawFd;
        let mut pollfd = libc::pollfd {
            fd: self.0.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: one valid pollfd for a descriptor this value owns, zero timeout.
        let ready = unsafe { libc::poll(&mut pollfd, 1, 0) };
        ready > 0 && pollfd.revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0
    }
}

/// What the event loop got.
pub enum Input {
    /// A key.
    Key(Key),
    /// Text pasted in one piece (bracketed paste).
    Paste(String),
    /// The terminal was resized (or needs a redraw).
    Redraw,
    /// Nothing within the timeout.
    Idle,
    /// The terminal is gone.
    Gone,
}

/// Reads terminal events on a thread of its own and hands them over a channel.
///
/// crossterm 0.29 keeps retrying EOF and EIO once the terminal hangs up, spinning a core, so
/// reading on the main thread could keep kanbao busy after an SSH connection drops. On its own
/// thread, checking [`HangUp`] before each short poll, it sends [`Input::Gone`] and stops; the
/// main loop still wakes on time for signals.
pub struct InputThread {
    events: Receiver<Input>,
    paused: Arc<AtomicBool>,
    idle: Arc<AtomicBool>,
}

impl InputThread {
    /// Starts reading; ends (sending [`Input::Gone`]) when `hang_up` happens.
    pub fn spawn(hang_up: HangUp) -> io::Result<InputThread> {
        let (tx, events) = mpsc::channel();
        let paused = Arc::new(AtomicBool::new(false));
        let idle = Arc::new(AtomicBool::new(false));
        let (thread_paused, thread_idle) = (Arc::clone(&paused), Arc::clone(&idle));
        std::thread::Builder::new()
            .name("kanbao-input".into())
            .spawn(move || {
                loop {
                    // While paused (a command has the terminal) the thread must not read its keys.
                    if thread_paused.load(Ordering::SeqCst) {
                        thread_idle.store(true, Ordering::SeqCst);
                        std::thread::sleep(Duration::from_millis(10));
                        continue;
                    }
                    thread_idle.store(false, Ordering::SeqCst);
                    if hang_up.happened() {
                        let _ = tx.send(Input::Gone);
                        return;
                    }
                    let input = match event::poll(Duration::from_millis(50)) {
                        Ok(false) => continue,
                        Ok(true) => match event::read() {
                            Ok(Event::Key(key)) if key.kind != KeyEventKind::Release => {
                                match convert_key(key) {
                                    Some(key) => Input::Key(key),
                                    None => continue,
                                }
                            }
                            Ok(Event::Paste(text)) => Input::Paste(text),
                            Ok(Event::Resize(..)) | Ok(Event::FocusGained) => Input::Redraw,
                            Ok(_) => continue,
                            Err(_) => Input::Gone,
                        },
                        Err(_) => Input::Gone,
                    };
                    let gone = matches!(input, Input::Gone);
                    if tx.send(input).is_err() || gone {
                        return;
                    }
                }
            })?;
        Ok(InputThread {
            events,
            paused,
            idle,
        })
    }

    /// Waits up to `timeout` for input.
    pub fn next(&self, timeout: Duration) -> Input {
        match self.events.recv_timeout(timeout) {
            Ok(input) => input,
            Err(RecvTimeoutError::Timeout) => Input::Idle,
            Err(RecvTimeoutError::Disconnected) => Input::Gone,
        }
    }

    /// Stops reading keys (and waits until the thread has stopped) so a child process can have
    /// the terminal.
    pub fn pause(&self) {
        self.idle.store(false, Ordering::SeqCst);
        self.paused.store(true, Ordering::SeqCst);
        let deadline = std::time::Instant::now() + Duration::from_secs(1);
        while !self.idle.load(Ordering::SeqCst) && std::time::Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(5));
        }
        while self.events.try_recv().is_ok() {}
    }

    /// Reads keys again.
    pub fn resume(&self) {
        self.paused.store(false, Ordering::SeqCst);
    }
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
    let mut tty = open_tty()?;
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

/// crossterm's key event → kanbao's key (Shift folded into characters).
pub fn convert_key(event: KeyEvent) -> Option<Key> {
    use crossterm::event::KeyCode as C;
    let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
    let alt = event.modifiers.contains(KeyModifiers::ALT);
    let shift = event.modifiers.contains(KeyModifiers::SHIFT);
    let code = match event.code {
        C::Char(c) => KeyCode::Char(c),
        C::Enter => KeyCode::Enter,
        C::Esc => KeyCode::Esc,
        C::Tab => KeyCode::Tab,
        C::BackTab => return Some(Key::new(KeyCode::Tab, ctrl, alt, true)),
        C::Backspace => KeyCode::Backspace,
        C::Delete => KeyCode::Delete,
        C::Insert => KeyCode::Insert,
        C::Up => KeyCode::Up,
        C::Down => KeyCode::Down,
        C::Left => KeyCode::Left,
        C::Right => KeyCode::Right,
        C::Home => KeyCode::Home,
        C::End => KeyCode::End,
        C::PageUp => KeyCode::PageUp,
        C::PageDown => KeyCode::PageDown,
        C::F(n) => KeyCode::F(n),
        _ => return None,
    };
    // A shifted character already carries its case; only named keys keep Shift.
    let shift = shift && !matches!(code, KeyCode::Char(_));
    Some(Key::new(code, ctrl, alt, shift))
}
