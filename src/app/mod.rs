//! The application layer: state and what actions do to it. No drawing here.

pub mod action;
