//! A small driver for end-to-end tests: the real binary in a tmux pane on a private socket,
//! typed at with `send-keys`, read with `capture-pane`, the way a person at a terminal would.

use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use kanbao::text::{AmbiguousWidth, str_width};

use crate::common::{root, scratch, test_cache_home};

static NEXT: AtomicUsize = AtomicUsize::new(0);

/// A tmux server running one kanbao.
pub struct Tmux {
    socket: String,
    /// Folder holding the run's stdout, stderr, exit status and pid.
    pub dir: PathBuf,
}

fn tmux_available() -> bool {
    Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
}

impl Tmux {
    /// Starts `kanbao ARGS` (run from the repository root) in a `width`×`height` pane, with
    /// `env` set. Its stdout, stderr, exit status and pid land in `self.dir`.
    pub fn start(args: &str, width: u16, height: u16, env: &[(&str, &str)]) -> Tmux {
        Tmux::start_in_shell(args, width, height, env, "", "2> \"$dir/stderr\"", "")
    }

    /// Like [`Tmux::start`], with kanbao run by `runner`: a command that takes the program and
    /// its arguments (`setpriv --reuid=65534 …` to run it as another user).
    pub fn start_run_by(
        runner: &str,
        args: &str,
        width: u16,
        height: u16,
        env: &[(&str, &str)],
    ) -> Tmux {
        Tmux::start_in_shell(args, width, height, env, "", "2> \"$dir/stderr\"", runner)
    }

    /// Like [`Tmux::start`], but the pane's shell ignores SIGHUP (so a hang-up never reaches
    /// kanbao as a signal and the shell lives to record the exit status) and kanbao's stderr is
    /// the terminal itself, as in a plain interactive run.
    pub fn start_hup_ignored(args: &str, width: u16, height: u16, env: &[(&str, &str)]) -> Tmux {
        Tmux::start_in_shell(args, width, height, env, "trap '' HUP; ", "", "")
    }

    fn start_in_shell(
        args: &str,
        width: u16,
        height: u16,
        env: &[(&str, &str)],
        prelude: &str,
        stderr: &str,
        runner: &str,
    ) -> Tmux {
        assert!(
            tmux_available(),
            "tmux is needed for the end-to-end tests (.ci/run installs it)"
        );
        let dir = scratch(&format!("tmux-{}", NEXT.fetch_add(1, Ordering::SeqCst)));
        let bin = env!("CARGO_BIN_EXE_kanbao");
        let exports: String = env
            .iter()
            .map(|(k, v)| format!("export {k}='{v}'; "))
            .collect();
        // The tests were written against the archive in path order; those about ordering
        // say which they want.
        let order = if args.contains("--order") {
            ""
        } else {
            "--order path "
        };
        let script = format!(
            "{prelude}dir='{dir}'; cd '{root}' && export XDG_CACHE_HOME='{cache}'; export XDG_STATE_HOME='{dir}/state'; {exports}echo $$ > \"$dir/pid\" && {runner} '{bin}' {order}{args} > \"$dir/stdout\" {stderr}; echo $? > \"$dir/status\"; sleep 60",
            root = root().display(),
            dir = dir.display(),
            cache = test_cache_home().display(),
        );
        Tmux::launch(dir, width, height, &["sh", "-c", &script])
    }

    /// Starts an interactive bash with job control (for `C-z` and `fg`).
    pub fn start_shell(width: u16, height: u16) -> Tmux {
        let dir = scratch(&format!("tmux-{}", NEXT.fetch_add(1, Ordering::SeqCst)));
        let state = format!("XDG_STATE_HOME={}", dir.join("state").display());
        Tmux::launch(
            dir,
            width,
            height,
            &[
                "env",
                "PS1=$ ",
                &state,
                &format!("XDG_CACHE_HOME={}", test_cache_home().display()),
                "bash",
                "--norc",
                "--noprofile",
                "-i",
            ],
        )
    }

    /// Starts a private tmux server running `command` in a `width`×`height` pane.
    fn launch(dir: PathBuf, width: u16, height: u16, command: &[&str]) -> Tmux {
        assert!(
            tmux_available(),
            "tmux is needed for the end-to-end tests (.ci/run installs it)"
        );
        let n = NEXT.fetch_add(1, Ordering::SeqCst);
        let socket = format!("kanbao-test-{}-{n}", std::process::id());
        let status = Command::new("tmux")
            .args([
                "-L",
                &socket,
                "-f",
                "/dev/null",
                "new-session",
                "-d",
                "-s",
                "t",
            ])
            .args(["-x", &width.to_string(), "-y", &height.to_string()])
            .args(command)
            .status()
            .expect("run tmux");
        assert!(status.success(), "tmux new-session failed");
        let tmux = Tmux { socket, dir };
        tmux.cmd(&["set-option", "-g", "status", "off"]);
        tmux
    }

    fn cmd(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .args(["-L", &self.socket])
            .args(args)
            .output()
            .expect("tmux");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Sends keys in tmux notation (`j`, `Enter`, `C-n`, `Escape`).
    pub fn keys(&self, keys: &[&str]) {
        for key in keys {
            self.cmd(&["send-keys", "-t", "t", key]);
        }
    }

    /// Pastes `text` as a terminal does, in bracketed-paste marks when the program asked for
    /// them.
    pub fn paste(&self, text: &str) {
        self.cmd(&["set-buffer", "-b", "kanbao-test", "--", text]);
        self.cmd(&["paste-buffer", "-p", "-d", "-b", "kanbao-test", "-t", "t"]);
    }

    /// Sends Escape and waits for the screen to settle before anything else is sent: an Escape
    /// that reaches the terminal together with the next key reads as Alt+key, as in any
    /// terminal program.
    pub fn escape(&self) {
        self.keys(&["Escape"]);
        self.stable();
    }

    /// Types text literally (CJK included).
    pub fn type_text(&self, text: &str) {
        self.cmd(&["send-keys", "-t", "t", "-l", text]);
    }

    /// The screen, trailing spaces kept.
    pub fn screen(&self) -> String {
        self.cmd(&["capture-pane", "-p", "-N", "-t", "t"])
    }

    /// The screen with its attributes as escape sequences (`\e[2m` for dim).
    pub fn screen_styled(&self) -> String {
        self.cmd(&["capture-pane", "-p", "-e", "-N", "-t", "t"])
    }

    /// Polls until `ready` holds for the screen (10 s at most); panics with the screen otherwise.
    pub fn wait_for(&self, what: &str, ready: impl Fn(&str) -> bool) -> String {
        self.wait_for_within(Duration::from_secs(10), what, ready)
    }

    /// [`Tmux::wait_for`] with another time limit.
    pub fn wait_for_within(
        &self,
        limit: Duration,
        what: &str,
        ready: impl Fn(&str) -> bool,
    ) -> String {
        let deadline = Instant::now() + limit;
        loop {
            let screen = self.screen();
            if ready(&screen) {
                return screen;
            }
            if Instant::now() > deadline {
                panic!(
                    "timed out waiting for {what}; the screen was:\n{screen}\nstderr: {}",
                    self.file("stderr")
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The screen once it has stopped changing (unchanged for 150 ms): a capture taken while
    /// the terminal is still drawing is not a frame.
    pub fn stable(&self) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        let mut last = self.screen();
        let mut since = Instant::now();
        loop {
            std::thread::sleep(Duration::from_millis(30));
            let now = self.screen();
            if now != last {
                last = now;
                since = Instant::now();
            } else if since.elapsed() >= Duration::from_millis(150) || Instant::now() > deadline {
                return last;
            }
        }
    }

    /// Waits for `text` to appear on the screen, then for the screen to settle.
    pub fn wait_stable(&self, text: &str) -> String {
        self.wait_text(text);
        self.stable()
    }

    /// Waits for `text` to appear on the screen.
    pub fn wait_text(&self, text: &str) -> String {
        self.wait_for(&format!("{text:?}"), |s| s.contains(text))
    }

    /// Resizes the pane.
    pub fn resize(&self, width: u16, height: u16) {
        self.cmd(&[
            "resize-window",
            "-t",
            "t",
            "-x",
            &width.to_string(),
            "-y",
            &height.to_string(),
        ]);
    }

    /// A file the run wrote (`stdout`, `stderr`, `status`, `pid`), empty if not there yet.
    pub fn file(&self, name: &str) -> String {
        std::fs::read_to_string(self.dir.join(name)).unwrap_or_default()
    }

    /// Waits for kanbao to exit; returns its exit status.
    pub fn wait_exit(&self) -> i32 {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let status = self.file("status");
            if let Ok(code) = status.trim().parse() {
                return code;
            }
            assert!(
                Instant::now() < deadline,
                "kanbao did not exit; screen:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Sets a global tmux option.
    pub fn set_option(&self, name: &str, value: &str) {
        self.cmd(&["set-option", "-g", name, value]);
    }

    /// tmux's newest paste buffer (where `set-clipboard on` puts OSC 52 copies).
    pub fn paste_buffer(&self) -> String {
        self.cmd(&["show-buffer"])
    }

    /// The pane's title (what an OSC 2 sequence would change).
    pub fn pane_title(&self) -> String {
        self.cmd(&["display-message", "-p", "-t", "t", "#{pane_title}"])
    }

    /// Whether the pane is showing the alternate screen.
    pub fn alternate_screen(&self) -> bool {
        self.cmd(&["display-message", "-p", "-t", "t", "#{alternate_on}"])
            .trim()
            == "1"
    }

    /// kanbao's process id (the child of the pane's shell).
    pub fn kanbao_pid(&self) -> u32 {
        first_child(self.file("pid").trim().parse().expect("pid"))
    }

    /// The first child of the pane's own process (kanbao, when started from [`Tmux::start_shell`]).
    pub fn pane_child_pid(&self) -> u32 {
        let shell: u32 = self
            .cmd(&["display-message", "-p", "-t", "t", "#{pane_pid}"])
            .trim()
            .parse()
            .expect("pane pid");
        first_child(shell)
    }

    /// Starts kanbao on the samples from the interactive shell of [`Tmux::start_shell`] and
    /// waits for its first screen.
    pub fn run_in_shell(&self) {
        self.type_text(&format!(
            "cd '{}' && '{}' --order path sample-data\n",
            root().display(),
            env!("CARGO_BIN_EXE_kanbao")
        ));
        self.wait_text("Issues 5");
    }

    /// Kills the tmux session, as a dropped SSH connection does.
    pub fn hang_up(&self) {
        self.cmd(&["kill-session", "-t", "t"]);
    }
}

/// The first child process of `pid`.
fn first_child(pid: u32) -> u32 {
    std::fs::read_to_string(format!("/proc/{pid}/task/{pid}/children"))
        .unwrap_or_default()
        .split_whitespace()
        .next()
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no child of process {pid}"))
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .output();
    }
}

/// Every row of `screen` is exactly `width` cells wide, and the vertical border characters stand
/// in the same columns on every row between the top and bottom borders.
pub fn assert_aligned(screen: &str, width: usize, mode: AmbiguousWidth, border: char) {
    let rows: Vec<&str> = screen.lines().collect();
    for (y, row) in rows.iter().enumerate() {
        assert_eq!(
            str_width(row, mode),
            width,
            "row {y} is {} cells, not {width}:\n{screen}",
            str_width(row, mode)
        );
    }
    let columns = |row: &str| -> Vec<usize> {
        let mut x = 0;
        let mut out = Vec::new();
        for c in row.chars() {
            if c == border {
                out.push(x);
            }
            x += str_width(&c.to_string(), mode);
        }
        out
    };
    // Pane rows: between the first and last row that hold borders (the status line excluded).
    let pane_rows: Vec<&str> = rows
        .iter()
        .copied()
        .skip(1)
        .take(rows.len().saturating_sub(3))
        .collect();
    let expected = columns(pane_rows[0]);
    assert!(!expected.is_empty(), "no borders found:\n{screen}");
    for (y, row) in pane_rows.iter().enumerate() {
        assert_eq!(
            columns(row),
            expected,
            "borders moved on row {}:\n{screen}",
            y + 1
        );
    }
}
