//! kanbao's integration tests, one binary: CLI runs of the real executable, the lossless property
//! test and the segmentation score against the shared truth file.

mod bad_input;
mod cli;
mod common;
mod e2e;
mod find;
mod fuzz;
mod hostile;
mod lossless;
mod output;
mod render;
mod scale;
mod score;
mod text;
mod tmux;
