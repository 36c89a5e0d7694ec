//! `$XDG_CONFIG_HOME/kanbao/config.toml` (default `~/.config/kanbao/`): the archive to open with
//! no path, the keymap, the ambiguous-width setting, whether to keep an on-disk index. `keymap.toml` beside it merges over the
//! chosen keymap.

use std::path::PathBuf;

use serde::Deserialize;

/// How to treat ambiguous-width characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, clap::ValueEnum, Default)]
#[serde(rename_all = "snake_case")]
pub enum AmbiguousSetting {
    /// One cell (tmux and most terminals).
    #[default]
    Narrow,
    /// Two cells (terminals set to CJK width); borders become ASCII.
    Wide,
    /// Ask the terminal at start-up.
    Auto,
}

/// The config file's contents.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Folder (or file) opened when kanbao is started with no path.
    pub archive: Option<String>,
    /// Keymap name (`vim`, `emacs`, `less`) or path.
    pub keymap: Option<String>,
    /// `narrow`, `wide` or `auto`.
    pub ambiguous_width: Option<AmbiguousSetting>,
    /// Keep an on-disk headline index in `$XDG_CACHE_HOME/kanbao/` (default true).
    pub index: Option<bool>,
    /// Layout hints (a `layout.toml`) for archives that have none beside them.
    pub layout: Option<String>,
    /// How issues are listed: `paper` (then date; the default), `date` or `path`.
    pub order: Option<crate::library::order::Order>,
}

/// `~/x` → `$HOME/x` (paths typed into prompts and written in the config).
pub fn expand_home(path: &str) -> String {
    match (path.strip_prefix("~/"), std::env::var("HOME")) {
        (Some(rest), Ok(home)) => format!("{home}/{rest}"),
        _ => path.to_string(),
    }
}

/// kanbao's folder in an XDG base directory: `$VAR/kanbao`, or `~/HOME_DEFAULT/kanbao` when
/// the variable is unset or empty (`None` without a home either).
pub fn xdg_dir(var: &str, home_default: &str) -> Option<PathBuf> {
    // The XDG spec: a relative path in these variables is invalid and must be ignored.
    let base = std::env::var_os(var)
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(home_default)))?;
    Some(base.join("kanbao"))
}

/// `$XDG_CONFIG_HOME/kanbao`, or `~/.config/kanbao`.
pub fn config_dir() -> Option<PathBuf> {
    xdg_dir("XDG_CONFIG_HOME", ".config")
}

/// Reads the config file; a missing file is the default config, a bad one an error naming it.
pub fn load() -> Result<Config, String> {
    let Some(path) = config_dir().map(|d| d.join("config.toml")) else {
        return Ok(Config::default());
    };
    match std::fs::read_to_string(&path) {
        Ok(text) => toml::from_str(&text).map_err(|e| {
            let line = e.span().map(|s| text[..s.start].matches('\n').count() + 1);
            match line {
                Some(line) => format!("{}:{line}: {}", path.display(), e.message().trim()),
                None => format!("{}: {}", path.display(), e.message().trim()),
            }
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Config::default()),
        Err(e) => Err(format!("{}: {e}", path.display())),
    }
}

/// The user's keymap override file, if there is one.
pub fn user_keymap_path() -> Option<PathBuf> {
    config_dir()
        .map(|d| d.join("keymap.toml"))
        .filter(|p| p.is_file())
}
