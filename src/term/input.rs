//! Reading the keyboard: a thread of its own turning crossterm's events into kanbao's keys,
//! watching for the terminal to hang up.

use std::fs::File;
use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::Duration;

use crossterm::event::{self, Event, KeyEvent, KeyEventKind, KeyModifiers};

use super::open_tty;
use crate::keymap::{Key, KeyCode};

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
