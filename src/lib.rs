//! kanbao (看报, "read the paper"): a terminal browser for archives of OCR'd newspaper issues.
//!
//! Data flows one way: files → [`library`] (found, read and decoded; summarised in the
//! background and kept in an on-disk summary cache; whole issues on demand) → [`parse`] (text →
//! [`model`]) → views: the scripting subcommands in [`cli`] (rendering through [`export`]), the
//! headline search in [`find`], and the reader — [`app`] state and update, [`keymap`] the
//! actions it answers to, [`ui`] drawing, [`reader`] the event loop and its effects, [`term`]
//! the terminal device (which knows nothing of the app). The core modules ([`model`],
//! [`parse`], [`text`], [`find`], [`export`]) hold no terminal types and can be tested, fuzzed
//! and benchmarked alone.

#![warn(missing_docs)]

pub mod app;
pub mod cli;
pub mod config;
pub mod export;
pub mod find;
pub mod fulltext;
pub mod keymap;
pub mod library;
pub mod memory;
pub mod model;
pub mod parse;
pub mod reader;
pub mod save;
pub mod stderr;
pub mod term;
#[cfg(test)]
mod test_dir;
pub mod text;
pub mod ui;
