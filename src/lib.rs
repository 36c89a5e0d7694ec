//! kanbao (看报, "read the paper"): a terminal browser for archives of OCR'd newspaper issues.
//!
//! Data flows one way: files → [`library`] (bytes → text) → [`parse`] (text → [`model`]) →
//! [`library`] (an archive as headlines, loaded in the background and kept in an on-disk index;
//! whole issues on demand) → views: the scripting subcommands in [`export`], the headline
//! search in [`find`], and the reader ([`app`] state and actions, [`ui`] drawing, [`reader`]
//! wiring them to the terminal through [`term`]). The core modules hold
//! no terminal types and can be tested, fuzzed and benchmarked alone.

#![warn(missing_docs)]

pub mod app;
pub mod cli;
pub mod config;
pub mod export;
pub mod find;
pub mod keymap;
pub mod library;
pub mod model;
pub mod parse;
pub mod reader;
pub mod save;
pub mod stderr;
pub mod term;
pub mod text;
pub mod ui;
