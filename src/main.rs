//! The `kanbao` binary: parses the command line and hands it to a subcommand or the reader;
//! the exit status is theirs (0 ok, 1 partial, 2 usage error or nothing readable, 128 + n
//! ended by signal n).

use std::process::ExitCode;

use clap::Parser;
use kanbao::cli::Cli;
use kanbao::cli::run::{self, Exit};
use kanbao::library::decode::encoding_for_label;
use kanbao::{reader, stderr};

fn main() -> ExitCode {
    run::note_closed_stdout();
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
        Some(command) => run::run(command, encoding, cli.no_index, cli.keymap.as_deref()),
        None => {
            let (status, output) = reader::run(reader::Options {
                paths: cli.paths,
                article: cli.article,
                keymap: cli.keymap,
                ambiguous: cli.ambiguous_width,
                format: cli.format,
                encoding,
                no_index: cli.no_index,
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
