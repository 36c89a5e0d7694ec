//! Signals caught so that the event loop, not the default action, decides: every way out
//! restores the terminal first.

use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

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
