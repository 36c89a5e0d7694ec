//! The panic hook: the terminal is restored before anything is printed, the panic is logged
//! with a backtrace to the crash log, and the user is told where it is.

use std::fs::OpenOptions;
use std::io::Write;

use super::restore;

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
