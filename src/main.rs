//! The `kanbao` binary: parses the command line and hands it to a subcommand or the reader;
//! the exit status is theirs (0 ok, 1 partial, 2 usage error or nothing readable, 128 + n
//! ended by signal n).

use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

use clap::Parser;
use kanbao::cli::Cli;
use kanbao::cli::run::{self, Exit};
use kanbao::library::decode::encoding_for_label;
use kanbao::{reader, stderr};

/// Descriptor 1 was closed when the process started (`kanbao … >&-`).
static STDOUT_CLOSED_AT_START: AtomicBool = AtomicBool::new(false);

/// Runs from the ELF constructors, before Rust's runtime opens `/dev/null` on closed standard
/// descriptors: the only moment a closed stdout can be told from `> /dev/null`.
#[cfg(target_os = "linux")]
#[used]
#[unsafe(link_section = ".init_array")]
static SEE_STDOUT_AT_START: extern "C" fn() = see_stdout_at_start;

#[cfg(target_os = "linux")]
extern "C" fn see_stdout_at_start() {
    // SAFETY: F_GETFD only asks whether descriptor 1 is open; no Rust runtime state is used.
    if unsafe { libc::fcntl(1, libc::F_GETFD) } == -1 {
        STDOUT_CLOSED_AT_START.store(true, Ordering::Relaxed);
    }
}

/// Keeps glibc from giving every large allocation pages of its own, mapped afresh and
/// unmapped when freed: a start lists, sorts and copies tables of ten thousand issues one
/// after another, and faulting in fresh pages for each cost a 10,000-issue start about a
/// millisecond (measured in-process, 2026-12-06).
fn keep_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets two thresholds of the allocator; it is called before any
    // thread starts.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 64 << 20);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 128 << 20);
    }
}

fn main() -> ExitCode {
    keep_freed_memory();
    if STDOUT_CLOSED_AT_START.load(Ordering::Relaxed) {
        run::mark_stdout_closed();
    }
    let cli = Cli::parse();
    let encoding = match cli.encoding.as_deref().map(encoding_for_label).transpose() {
        Ok(encoding) => encoding,
        Err(e) => {
            stderr::say(&e);
            return ExitCode::from(Exit::Usage.code());
        }
    };
    if cli.command.is_some() && !cli.paths.is_empty() {
        stderr::say(&format!(
            "paths go after the subcommand (`kanbao SUBCOMMAND {}`); a folder named like a \
             subcommand is opened as ./NAME",
            cli.paths.join(" ")
        ));
        return ExitCode::from(Exit::Usage.code());
    }
    let exit = match cli.command {
        Some(command) => run::run(
            command,
            encoding,
            cli.no_index,
            cli.keymap.as_deref(),
            cli.with_source,
        ),
        None => {
            let (status, output) = reader::run(reader::Options {
                paths: cli.paths,
                article: cli.article,
                date: cli.date,
                keymap: cli.keymap,
                ambiguous: cli.ambiguous_width,
                format: cli.format,
                encoding,
                no_index: cli.no_index,
                fresh: cli.fresh,
                order: cli.order,
                with_source: cli.with_source,
            });
            // The terminal is restored by now: stdout gets the chosen articles and nothing else.
            match output {
                Some(text) => run::print(&text).unwrap_or(status),
                None => status,
            }
        }
    };
    ExitCode::from(exit.code())
}
