//! East Asian text for terminal cells: display width, sanitising, truncation and line wrapping.
//! Pure functions over `&str`; no terminal types. The UI measures and places text only through
//! these, so what is measured is what is drawn.

pub mod sanitize;
pub mod truncate;
pub mod width;
pub mod wrap;

pub use sanitize::sanitize;
pub use truncate::truncate;
pub use width::{AmbiguousWidth, str_width};
pub use wrap::wrap;
