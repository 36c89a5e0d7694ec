//! Messages on standard error, written so that neither a hostile file name nor a dead terminal
//! can hurt: every message is sanitised exactly as text on screen is (a file named
//! `\e]2;pwn\a.txt` must not retitle the terminal), and a failed write (EPIPE from
//! `2>&1 | head -1`, EIO from a terminal that hung up) is ignored rather than turned into a
//! panic the way `eprintln!` does.

use std::io::Write;

use crate::text::sanitize::sanitize_lines;

/// Writes `kanbao: MESSAGE` and a line break to standard error.
pub fn say(message: &str) {
    line(&format!("kanbao: {message}"));
}

/// Writes `text` (already prefixed as the caller wants) and a line break to standard error.
pub fn line(text: &str) {
    let safe = sanitize_lines(text);
    let mut err = std::io::stderr().lock();
    // Nothing sensible can be done when stderr itself is gone: say nothing, carry on.
    let _ = err
        .write_all(safe.as_bytes())
        .and_then(|_| err.write_all(b"\n"))
        .and_then(|_| err.flush());
}
