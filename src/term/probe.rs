//! Asking the terminal how wide it draws ambiguous-width characters, as vim does.

use std::fs::File;
use std::io::Write;
use std::time::Duration;

use super::open_tty;
use crate::text::AmbiguousWidth;

/// How long to wait for the terminal to answer the width probe.
const PROBE_TIMEOUT: Duration = Duration::from_millis(150);

/// Asks the terminal how wide it draws an ambiguous character: prints U+25BD at the top left
/// and asks for the cursor position (`CSI 6n`), as vim does. A column of 3 (1-based) means two
/// cells; no answer within 150 ms means `None`. Must run in raw mode, before the input thread
/// starts reading.
pub fn probe_ambiguous_width() -> Option<AmbiguousWidth> {
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
