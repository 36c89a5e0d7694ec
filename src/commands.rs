//! Running the user's shell commands on articles: `|` (output captured and shown) and `!` (on
//! the terminal). The article goes to the command's stdin from a thread of its own, so a command
//! that does not read it cannot deadlock kanbao.

use std::io::{Read, Write};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::app::CommandResult;

/// The longest a piped command may run before it is killed.
pub const PIPE_TIMEOUT: Duration = Duration::from_secs(30);

fn shell(command: &str) -> Command {
    let shell = std::env::var("SHELL")
        .ok()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "/bin/sh".into());
    let mut cmd = Command::new(shell);
    cmd.arg("-c").arg(command);
    cmd
}

fn feed_stdin(child: &mut Child, input: String) {
    if let Some(mut stdin) = child.stdin.take() {
        std::thread::spawn(move || {
            // A command that exits without reading is fine: the broken pipe is ignored.
            let _ = stdin.write_all(input.as_bytes());
        });
    }
}

/// Runs `command` with `input` on stdin, capturing stdout and stderr. It runs in a session of
/// its own, with no controlling terminal, so it cannot fight kanbao for the keyboard; after
/// `PIPE_TIMEOUT` it is killed.
pub fn pipe(command: &str, input: String) -> Result<CommandResult, String> {
    use std::os::unix::process::CommandExt;
    let mut cmd = shell(command);
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // SAFETY: setsid() is async-signal-safe and touches nothing of the parent.
    unsafe {
        cmd.pre_exec(|| {
            libc::setsid();
            Ok(())
        });
    }
    let mut child = cmd.spawn().map_err(|e| e.to_string())?;
    feed_stdin(&mut child, input);
    let read_all = |stream: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(mut s) = stream {
                let _ = s.read_to_end(&mut bytes);
            }
            String::from_utf8_lossy(&bytes).into_owned()
        })
    };
    let stdout = read_all(
        child
            .stdout
            .take()
            .map(|s| Box::new(s) as Box<dyn Read + Send>),
    );
    let stderr = read_all(
        child
            .stderr
            .take()
            .map(|s| Box::new(s) as Box<dyn Read + Send>),
    );
    let deadline = Instant::now() + PIPE_TIMEOUT;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() > deadline => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("killed after {} s", PIPE_TIMEOUT.as_secs()));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(10)),
            Err(e) => return Err(e.to_string()),
        }
    };
    Ok(CommandResult {
        status: status.code(),
        stdout: stdout.join().unwrap_or_default(),
        stderr: stderr.join().unwrap_or_default(),
    })
}

/// Runs `command` on the terminal (stdout and stderr to `/dev/tty`, never to kanbao's stdout,
/// which may be a pipe) with `input` on stdin, and waits for it.
pub fn on_terminal(command: &str, input: String) -> Result<CommandResult, String> {
    let tty = |_| {
        std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/tty")
            .map_err(|e| e.to_string())
    };
    let mut cmd = shell(command);
    cmd.stdin(Stdio::piped()).stdout(tty(())?).stderr(tty(())?);
    let mut child = cmd.spawn().map_err(|e| e.to_string())?;
    feed_stdin(&mut child, input);
    let status = child.wait().map_err(|e| e.to_string())?;
    Ok(CommandResult {
        status: status.code(),
        ..CommandResult::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pipe_feeds_stdin_and_captures_both_streams() {
        let result = pipe("wc -m; echo oops >&2; exit 3", "看报\n".to_string()).expect("runs");
        assert_eq!(result.stdout.trim(), "3");
        assert_eq!(result.stderr.trim(), "oops");
        assert_eq!(result.status, Some(3));
    }

    #[test]
    fn a_command_that_ignores_stdin_does_not_block() {
        let big = "字".repeat(1_000_000);
        let result = pipe("true", big).expect("runs");
        assert_eq!(result.status, Some(0));
    }
}
