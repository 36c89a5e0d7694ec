//! What the app asks of the event loop (work that needs the terminal or a child process),
//! and how a command run for the user ended.

/// Work the event loop does for the app: it needs the terminal or a child process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    /// Run `command` with `input` on its stdin and show its output.
    Pipe {
        /// The shell command.
        command: String,
        /// The articles, formatted.
        input: String,
    },
    /// Suspend the UI and run `command` on the terminal with `input` on its stdin.
    Shell {
        /// The shell command.
        command: String,
        /// The articles, formatted.
        input: String,
    },
    /// Hand the terminal to `command` (an editor) and take it back when it ends.
    Edit {
        /// The shell command.
        command: String,
    },
    /// Stop the process until `fg`, with the terminal restored meanwhile.
    Suspend,
    /// Put `text` on the clipboard with OSC 52.
    Yank {
        /// What to copy.
        text: String,
        /// What it is, for the status line ("article", "headline").
        label: String,
    },
}

/// How a command run for the user ended.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CommandResult {
    /// Exit status (`None` when killed by a signal).
    pub status: Option<i32>,
    /// Why kanbao ended it before it finished ("stopped", "killed after 30 s"), if it did.
    pub stopped: Option<String>,
    /// What it printed on stdout.
    pub stdout: String,
    /// What it printed on stderr.
    pub stderr: String,
}
