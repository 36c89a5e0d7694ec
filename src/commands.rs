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

/// Runs `command` on the terminal with `input` on stdin, and waits for it, as a shell runs a
/// foreground job: stdout and stderr are the terminal opened read-write (never kanbao's stdout,
/// which may be a pipe; `vim -` reads its keys from stderr), and the command runs in a process
/// group of its own that is made the terminal's foreground group, so `C-c`, `C-\` and `C-z`
/// reach it and not kanbao. kanbao takes the terminal back when it ends.
pub fn on_terminal(command: &str, input: String) -> Result<CommandResult, String> {
    use std::os::fd::AsRawFd;
    use std::os::unix::process::CommandExt;
    let tty = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/tty")
        .map_err(|e| format!("cannot open the terminal: {e}"))?;
    let tty_fd = tty.as_raw_fd();
    let mut cmd = shell(command);
    cmd.stdin(Stdio::piped())
        .stdout(tty.try_clone().map_err(|e| e.to_string())?)
        .stderr(tty.try_clone().map_err(|e| e.to_string())?)
        .process_group(0);
    // SAFETY: only async-signal-safe calls (signal, getpid, tcsetpgrp) on a descriptor that
    // stays open in the child until exec.
    unsafe {
        cmd.pre_exec(move || {
            // Take the foreground before exec (the parent does the same: whichever runs first
            // wins the race, as in a shell). SIGTTOU would stop a background group doing so.
            libc::signal(libc::SIGTTOU, libc::SIG_IGN);
            libc::tcsetpgrp(tty_fd, libc::getpid());
            libc::signal(libc::SIGTTOU, libc::SIG_DFL);
            Ok(())
        });
    }
    let mut child = cmd.spawn().map_err(|e| e.to_string())?;
    let group = child.id() as libc::pid_t;
    foreground(tty_fd, group);
    feed_stdin(&mut child, input);
    let status = wait_foreground(group);
    // SAFETY: getpgrp cannot fail.
    foreground(tty_fd, unsafe { libc::getpgrp() });
    drop(tty);
    let status = status?;
    Ok(CommandResult {
        status: status.code(),
        ..CommandResult::default()
    })
}

/// Makes `group` the terminal's foreground process group.
fn foreground(tty_fd: libc::c_int, group: libc::pid_t) {
    // SAFETY: plain system calls on an open descriptor; SIGTTOU is ignored around tcsetpgrp
    // because kanbao is in the background while the command runs.
    unsafe {
        let old = libc::signal(libc::SIGTTOU, libc::SIG_IGN);
        libc::tcsetpgrp(tty_fd, group);
        libc::signal(libc::SIGTTOU, old);
    }
}

/// Waits for the command's process (the leader of `group`) to end. A command stopped by `C-z`
/// is continued at once: kanbao has no job table to return it to later.
fn wait_foreground(group: libc::pid_t) -> Result<std::process::ExitStatus, String> {
    use std::os::unix::process::ExitStatusExt;
    loop {
        let mut raw = 0;
        // SAFETY: waiting on our own child with a valid out-pointer.
        let got = unsafe { libc::waitpid(group, &mut raw, libc::WUNTRACED) };
        if got < 0 {
            let e = std::io::Error::last_os_error();
            if e.kind() == std::io::ErrorKind::Interrupted {
                continue;
            }
            return Err(e.to_string());
        }
        if libc::WIFSTOPPED(raw) {
            // SAFETY: signalling our own child's process group.
            unsafe { libc::killpg(group, libc::SIGCONT) };
            continue;
        }
        return Ok(std::process::ExitStatus::from_raw(raw));
    }
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
