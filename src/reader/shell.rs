//! Running the user's shell commands on articles: `|` (output captured and shown) and `!` (on
//! the terminal). The article goes to the command's stdin from a thread of its own, so a command
//! that does not read it cannot deadlock kanbao.

use std::io::{Read, Write};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
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

/// How long output may still arrive after the command itself exited (a background child it
/// left may hold the pipe open; its output after this is not waited for).
const DRAIN_GRACE: Duration = Duration::from_millis(250);

/// A `|` command running in the background while the reader stays live.
///
/// It runs in a session (and so a process group) of its own with no controlling terminal, so it
/// cannot fight kanbao for the keyboard; stopping it or reaching [`PIPE_TIMEOUT`] kills the
/// whole group (a `sleep 70 &` inside it included), and the output read so far is kept.
pub struct PipeJob {
    child: Child,
    group: libc::pid_t,
    stdout: Arc<Mutex<Vec<u8>>>,
    stderr: Arc<Mutex<Vec<u8>>>,
    readers: Vec<std::thread::JoinHandle<()>>,
    started: Instant,
    exited: Option<(std::process::ExitStatus, Instant)>,
    done: bool,
}

/// Reads `stream` to its end into `into`, piece by piece so a stop can show what came so far.
fn collect(
    stream: Option<impl Read + Send + 'static>,
    into: &Arc<Mutex<Vec<u8>>>,
) -> std::thread::JoinHandle<()> {
    let into = Arc::clone(into);
    std::thread::spawn(move || {
        let Some(mut stream) = stream else {
            return;
        };
        let mut buf = [0u8; 8192];
        loop {
            match stream.read(&mut buf) {
                Ok(0) => return,
                Ok(n) => into
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .extend_from_slice(&buf[..n]),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(_) => return,
            }
        }
    })
}

impl PipeJob {
    /// Starts `command` with `input` on its stdin.
    pub fn start(command: &str, input: String) -> Result<PipeJob, String> {
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
        let (stdout, stderr) = (Arc::default(), Arc::default());
        let readers = vec![
            collect(child.stdout.take(), &stdout),
            collect(child.stderr.take(), &stderr),
        ];
        Ok(PipeJob {
            group: child.id() as libc::pid_t,
            child,
            stdout,
            stderr,
            readers,
            started: Instant::now(),
            exited: None,
            done: false,
        })
    }

    /// The result once the command has ended (or was killed at the time limit); `None` while
    /// it runs.
    pub fn poll(&mut self) -> Option<CommandResult> {
        if self.done {
            return None;
        }
        if self.exited.is_none()
            && let Ok(Some(status)) = self.child.try_wait()
        {
            self.exited = Some((status, Instant::now()));
        }
        match self.exited {
            Some((status, at))
                if self.readers.iter().all(|r| r.is_finished()) || at.elapsed() >= DRAIN_GRACE =>
            {
                Some(self.finish(status.code(), None))
            }
            _ if self.started.elapsed() >= PIPE_TIMEOUT => {
                Some(self.stop(&format!("killed after {} s", PIPE_TIMEOUT.as_secs())))
            }
            _ => None,
        }
    }

    /// Kills the command's whole process group; the result holds the output so far and `why`.
    pub fn stop(&mut self, why: &str) -> CommandResult {
        self.kill_group();
        let status = self.child.wait().ok().and_then(|s| s.code());
        // The pipes close with the group; give the readers a moment to take the last bytes.
        let deadline = Instant::now() + DRAIN_GRACE;
        while !self.readers.iter().all(|r| r.is_finished()) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(5));
        }
        self.finish(status, Some(why.to_string()))
    }

    fn kill_group(&self) {
        // SAFETY: signalling the process group this job created (its own session).
        unsafe {
            libc::killpg(self.group, libc::SIGKILL);
        }
    }

    fn finish(&mut self, status: Option<i32>, stopped: Option<String>) -> CommandResult {
        self.done = true;
        let take = |buf: &Arc<Mutex<Vec<u8>>>| {
            let bytes = std::mem::take(
                &mut *buf
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner),
            );
            String::from_utf8_lossy(&bytes).into_owned()
        };
        CommandResult {
            status: if stopped.is_some() { None } else { status },
            stdout: take(&self.stdout),
            stderr: take(&self.stderr),
            stopped,
        }
    }
}

impl Drop for PipeJob {
    /// A job still running when the reader ends (quit, a signal) is killed with its group.
    fn drop(&mut self) {
        if self.exited.is_none() && !self.done {
            self.kill_group();
            let _ = self.child.wait();
        }
    }
}

/// Runs `command` with `input` on stdin to its end (or the time limit), capturing stdout and
/// stderr: [`PipeJob`] waited for in place.
pub fn pipe(command: &str, input: String) -> Result<CommandResult, String> {
    let mut job = PipeJob::start(command, input)?;
    loop {
        if let Some(result) = job.poll() {
            return Ok(result);
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Runs `command` on the terminal with `input` on stdin, and waits for it, as a shell runs a
/// foreground job: stdout and stderr are the terminal opened read-write (never kanbao's stdout,
/// which may be a pipe; `vim -` reads its keys from stderr), and the command runs in a process
/// group of its own that is made the terminal's foreground group, so `C-c`, `C-\` and `C-z`
/// reach it and not kanbao. kanbao takes the terminal back when it ends.
pub fn on_terminal(command: &str, input: String) -> Result<CommandResult, String> {
    run_on_terminal(command, Some(input))
}

/// Runs `command` on the terminal with the terminal as its stdin too (an editor).
pub fn interactive(command: &str) -> Result<CommandResult, String> {
    run_on_terminal(command, None)
}

/// [`on_terminal`], with `input` on stdin, or the terminal when there is none.
fn run_on_terminal(command: &str, input: Option<String>) -> Result<CommandResult, String> {
    use std::os::fd::AsRawFd;
    use std::os::unix::process::CommandExt;
    let tty = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/tty")
        .map_err(|e| format!("cannot open the terminal: {e}"))?;
    let tty_fd = tty.as_raw_fd();
    let mut cmd = shell(command);
    let stdin = match &input {
        Some(_) => Stdio::piped(),
        None => Stdio::from(tty.try_clone().map_err(|e| e.to_string())?),
    };
    cmd.stdin(stdin)
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
    if let Some(input) = input {
        feed_stdin(&mut child, input);
    }
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
    fn a_background_child_holding_the_pipe_does_not_hold_the_result() {
        let started = Instant::now();
        let result = pipe("sleep 30 & echo hi", String::new()).expect("runs");
        assert_eq!(result.stdout.trim(), "hi");
        assert_eq!(result.status, Some(0));
        // Bounded by the drain grace, far below the sleep (a hang would be 30 s).
        assert!(started.elapsed() < Duration::from_secs(20));
    }

    #[test]
    fn stopping_kills_the_group_and_keeps_the_output_so_far() {
        let mut job =
            PipeJob::start("echo early; sleep 30 & sleep 30", String::new()).expect("runs");
        let deadline = Instant::now() + Duration::from_secs(10);
        while job.stdout.lock().expect("lock").is_empty() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
        }
        assert!(job.poll().is_none(), "still running");
        let group = job.group;
        let result = job.stop("stopped");
        assert_eq!(result.stdout.trim(), "early");
        assert_eq!(result.stopped.as_deref(), Some("stopped"));
        assert_eq!(result.status, None);
        // Nothing of the group is left once the orphaned sleep's zombie is reaped by init.
        // SAFETY: signal 0 only checks whether the group exists.
        let alive = || unsafe { libc::killpg(group, 0) } == 0;
        let deadline = Instant::now() + Duration::from_secs(10);
        while alive() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        assert!(!alive(), "the background sleep was killed too");
    }

    #[test]
    fn a_command_that_ignores_stdin_does_not_block() {
        let big = "字".repeat(1_000_000);
        let result = pipe("true", big).expect("runs");
        assert_eq!(result.status, Some(0));
    }
}
