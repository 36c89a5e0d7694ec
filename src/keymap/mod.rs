//! Keymaps are files. Every key kanbao answers to comes from a keymap: `keymaps/vim.toml` (the
//! default), `emacs.toml` and `less.toml` are built in; a user's `keymap.toml` merges over the
//! chosen base per chord. One table per context, each a `keymap` array of
//! `{ on = …, run = "action", desc = "…" }` records; a context falls back to `global`.

pub mod action;
pub mod file;
pub mod key;
pub mod resolve;

pub use action::Action;
pub use file::{Binding, Context, Keymap, KeymapError};
pub use key::{Key, KeyCode};
pub use resolve::{Resolution, Resolver};

/// The keymaps built into the binary, by name.
pub const BUILTIN: &[(&str, &str)] = &[
    ("vim", include_str!("../../keymaps/vim.toml")),
    ("emacs", include_str!("../../keymaps/emacs.toml")),
    ("less", include_str!("../../keymaps/less.toml")),
];

/// The default keymap's name.
pub const DEFAULT: &str = "vim";

/// Loads a built-in keymap by name, or a keymap file by path.
pub fn load_base(name_or_path: &str) -> Result<Keymap, KeymapError> {
    if let Some((name, text)) = BUILTIN.iter().find(|(name, _)| *name == name_or_path) {
        return Keymap::parse(text, &format!("keymaps/{name}.toml (built in)"));
    }
    let text = std::fs::read_to_string(name_or_path).map_err(|e| KeymapError {
        file: name_or_path.to_string(),
        line: None,
        message: format!(
            "cannot read keymap: {e} (built-in keymaps: {})",
            BUILTIN
                .iter()
                .map(|(n, _)| *n)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    })?;
    Keymap::parse(&text, name_or_path)
}

/// The keymap in force: `name_or_path` (or the config's, or vim) with the user's keymap.toml
/// merged over it, and warnings about base chords the user's file unbound.
pub fn effective(
    name_or_path: Option<&str>,
    config: &crate::config::Config,
) -> Result<(Keymap, Vec<String>), KeymapError> {
    let base = name_or_path.or(config.keymap.as_deref()).unwrap_or(DEFAULT);
    let mut keymap = load_base(base)?;
    if let Some(path) = crate::config::user_keymap_path() {
        let path = path.to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&path).map_err(|e| KeymapError {
            file: path.clone(),
            line: None,
            message: e.to_string(),
        })?;
        let warnings = keymap.merge(Keymap::parse(&text, &path)?)?;
        return Ok((keymap, warnings));
    }
    Ok((keymap, Vec::new()))
}
