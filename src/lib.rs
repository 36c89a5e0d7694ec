//! kanbao (看报, "read the paper"): a terminal browser for archives of OCR'd newspaper issues.
//!
//! Data flows one way: files → [`load`] (bytes → text) → [`parse`] (text → [`model`]) → views:
//! the scripting subcommands in [`export`] and, later, the terminal reader. The core modules
//! (`model`, `parse`) hold no terminal types and can be tested, fuzzed and benchmarked alone.

pub mod app;
pub mod cli;
pub mod clipboard;
pub mod commands;
pub mod config;
pub mod export;
pub mod find;
pub mod generate;
pub mod keymap;
pub mod lean_backend;
pub mod library;
pub mod load;
pub mod model;
pub mod parse;
pub mod reader;
pub mod term;
pub mod text;
pub mod ui;
