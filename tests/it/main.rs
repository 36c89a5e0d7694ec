//! kanbao's integration tests, one binary: the reader's state machine (`app`), drawing
//! (`render`), the real binary in tmux (`e2e`, `output`, `scale`), the scripting subcommands
//! (`cli`, `find`), hostile input and faults (`bad_input`, `hostile`), property tests and fuzzing
//! (`lossless`, `text`, `fuzz`), and the segmentation score against the shared truth file.

mod app;
mod bad_input;
mod cli;
mod common;
mod e2e;
mod find;
mod find_index;
mod fuzz;
mod grep;
mod hostile;
mod lossless;
mod output;
mod render;
mod scale;
mod score;
mod text;
mod tmux;
