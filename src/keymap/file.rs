//! Reading keymap files: TOML → [`Keymap`], with errors that name the file, the line and the
//! offending text; merging a user's file over a base; checking that no chord is shadowed by its
//! own prefix (`g` bound while `gg` is too), which is what lets chords resolve without timeouts.

use std::collections::{BTreeMap, HashSet};
use std::fmt;

use serde::{Deserialize, Serialize};
use toml::Spanned;

use super::action::Action;
use super::key::{Key, chord_to_string};

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Context {
    /// Everywhere, unless a context binds the chord itself.
    Global,
    /// The issue list.
    Issues,
    /// The headline list.
    Articles,
    /// The article body.
    Body,
    /// The fuzzy jump popup.
    Jump,
    /// One-line prompts (search, pipe, save).
    Prompt,
    /// The help screen.
    Help,
    /// The calendar of `D`.
    Calendar,
    /// The note editor of `a`.
    Note,
}

impl Context {
    /// Every context, in the order the help screen lists them.
    pub const ALL: &'static [Context] = &[
        Context::Global,
        Context::Issues,
        Context::Articles,
        Context::Body,
        Context::Jump,
        Context::Prompt,
        Context::Help,
        Context::Calendar,
        Context::Note,
    ];

    /// The name used in keymap files.
    pub fn name(self) -> &'static str {
        match self {
            Context::Global => "global",
            Context::Issues => "issues",
            Context::Articles => "articles",
            Context::Body => "body",
            Context::Jump => "jump",
            Context::Prompt => "prompt",
            Context::Help => "help",
            Context::Calendar => "calendar",
            Context::Note => "note",
        }
    }

    fn from_name(name: &str) -> Option<Context> {
        Context::ALL.iter().copied().find(|c| c.name() == name)
    }
}

/// One binding: a chord, the action it runs, and the help text.
#[derive(Debug, Clone, PartialEq)]
pub struct Binding {
    /// The keys to type, in order.
    pub on: Vec<Key>,
    /// What they do.
    pub run: Action,
    /// Help text.
    pub desc: String,
    /// `file:line` the binding came from, for error messages.
    pub origin: String,
}

/// A keymap file gone wrong.
#[derive(Debug, Clone, PartialEq)]
pub struct KeymapError {
    /// The file.
    pub file: String,
    /// The 1-based line, when known.
    pub line: Option<usize>,
    /// What is wrong, quoting the offending text.
    pub message: String,
}

impl fmt::Display for KeymapError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.file, line, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

impl std::error::Error for KeymapError {}

/// Bindings per context.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Keymap {
    /// Each context's own bindings, in file order.
    pub contexts: BTreeMap<Context, Vec<Binding>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawContext {
    keymap: Vec<RawBinding>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBinding {
    on: Spanned<RawKeys>,
    run: Spanned<String>,
    #[serde(default)]
    desc: String,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawKeys {
    One(String),
    Many(Vec<String>),
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

impl Keymap {
    /// Parses a keymap file's text; `file` names it in errors.
    pub fn parse(text: &str, file: &str) -> Result<Keymap, KeymapError> {
        let error = |line: Option<usize>, message: String| KeymapError {
            file: file.to_string(),
            line,
            message,
        };
        let raw: BTreeMap<String, RawContext> = toml::from_str(text).map_err(|e| {
            let line = e.span().map(|s| line_of(text, s.start));
            error(line, e.message().trim().to_string())
        })?;
        let mut keymap = Keymap::default();
        for (name, context) in raw {
            let Some(ctx) = Context::from_name(&name) else {
                let line = text.find(&format!("[{name}]")).map(|at| line_of(text, at));
                let known: Vec<&str> = Context::ALL.iter().map(|c| c.name()).collect();
                return Err(error(
                    line,
                    format!("unknown context [{name}] (contexts: {})", known.join(", ")),
                ));
            };
            let bindings = keymap.contexts.entry(ctx).or_default();
            for raw in context.keymap {
                let line = line_of(text, raw.on.span().start);
                let keys = match raw.on.get_ref() {
                    RawKeys::One(k) => vec![k.clone()],
                    RawKeys::Many(ks) => ks.clone(),
                };
                if keys.is_empty() {
                    return Err(error(Some(line), "empty key sequence `on = []`".into()));
                }
                let mut on = Vec::with_capacity(keys.len());
                for k in &keys {
                    on.push(Key::parse(k).map_err(|m| error(Some(line), m))?);
                }
                let run_line = line_of(text, raw.run.span().start);
                let run = Action::from_name(raw.run.get_ref()).ok_or_else(|| {
                    error(
                        Some(run_line),
                        format!(
                            "unknown action {:?} (see `kanbao keys` for the actions)",
                            raw.run.get_ref()
                        ),
                    )
                })?;
                if let Some(previous) = bindings.iter().find(|b| b.on == on) {
                    return Err(error(
                        Some(line),
                        format!(
                            "`{}` is bound twice in [{name}] (first at {})",
                            chord_to_string(&on),
                            previous.origin
                        ),
                    ));
                }
                bindings.push(Binding {
                    on,
                    run,
                    desc: raw.desc,
                    origin: format!("{file}:{line}"),
                });
            }
        }
        keymap.check_shadowing()?;
        Ok(keymap)
    }

    /// Merges `overlay` over `self` per chord: a chord the overlay binds replaces the base's
    /// binding in that context (`run = "noop"` unbinds it); new chords are added.
    pub fn merge(&mut self, overlay: Keymap) -> Result<Vec<String>, KeymapError> {
        let theirs: HashSet<String> = overlay
            .contexts
            .values()
            .flatten()
            .map(|b| b.origin.clone())
            .collect();
        for (ctx, bindings) in overlay.contexts {
            let base = self.contexts.entry(ctx).or_default();
            for binding in bindings {
                match base.iter_mut().find(|b| b.on == binding.on) {
                    Some(existing) => *existing = binding,
                    None => base.push(binding),
                }
            }
        }
        // The user's chord wins over a base chord it collides with (one a prefix of the other):
        // the base one is unbound in that context, and the user is told.
        let mut warnings = Vec::new();
        while let Some((ctx, base, user)) = self.collision(|b| theirs.contains(&b.origin)) {
            warnings.push(format!(
                "{}: `{}` unbinds `{}` ({}, {}) in [{}]: one is a prefix of the other",
                user.origin,
                chord_to_string(&user.on),
                chord_to_string(&base.on),
                base.run.name(),
                base.origin,
                ctx.name()
            ));
            let own = self.contexts.entry(ctx).or_default();
            match own.iter_mut().find(|b| b.on == base.on) {
                Some(existing) => existing.run = Action::Noop,
                None => own.push(Binding {
                    run: Action::Noop,
                    desc: String::new(),
                    origin: user.origin.clone(),
                    ..base
                }),
            }
        }
        self.check_shadowing()?;
        Ok(warnings)
    }

    /// The first pair in force in one context where one chord is a prefix of the other and
    /// exactly one of them is `users`': (context, the other binding, the user's binding).
    fn collision(&self, users: impl Fn(&Binding) -> bool) -> Option<(Context, Binding, Binding)> {
        for ctx in Context::ALL {
            let bindings = self.effective(*ctx);
            for a in &bindings {
                for b in &bindings {
                    let prefix = a.on.len() < b.on.len() && b.on.starts_with(&a.on);
                    if prefix && users(a) != users(b) {
                        let (user, base) = if users(a) { (a, b) } else { (b, a) };
                        return Some((*ctx, Binding::clone(base), Binding::clone(user)));
                    }
                }
            }
        }
        None
    }

    /// The bindings in force in `ctx`: its own, then `global`'s for chords it does not bind
    /// (except in the text inputs `jump`, `prompt`, `calendar` and `note`). `noop` bindings are left out (they only
    /// hide a binding).
    pub fn effective(&self, ctx: Context) -> Vec<&Binding> {
        let own = self
            .contexts
            .get(&ctx)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let mut out: Vec<&Binding> = own.iter().collect();
        // Text inputs take printable keys as text: they do not fall back to global bindings.
        if !matches!(
            ctx,
            Context::Global | Context::Jump | Context::Prompt | Context::Calendar | Context::Note
        ) {
            let global = self
                .contexts
                .get(&Context::Global)
                .map(Vec::as_slice)
                .unwrap_or_default();
            out.extend(global.iter().filter(|g| !own.iter().any(|b| b.on == g.on)));
        }
        out.retain(|b| b.run != Action::Noop);
        out
    }

    /// The first chord bound to `action` in `ctx`, for hints ("press ? for help").
    pub fn chord_for(&self, ctx: Context, action: Action) -> Option<String> {
        self.effective(ctx)
            .into_iter()
            .find(|b| b.run == action)
            .map(|b| chord_to_string(&b.on))
    }

    /// Errors when a chord is a prefix of another in force in the same context.
    fn check_shadowing(&self) -> Result<(), KeymapError> {
        for ctx in Context::ALL {
            let bindings = self.effective(*ctx);
            for short in &bindings {
                for long in &bindings {
                    if long.on.len() > short.on.len() && long.on.starts_with(&short.on) {
                        let (file, line) = split_origin(&short.origin);
                        return Err(KeymapError {
                            file,
                            line,
                            message: format!(
                                "`{}` is shadowed by its own prefix: `{}` is bound too (at {}) in [{}]; unbind one with run = \"noop\"",
                                chord_to_string(&long.on),
                                chord_to_string(&short.on),
                                long.origin,
                                ctx.name()
                            ),
                        });
                    }
                }
            }
        }
        Ok(())
    }
}

fn split_origin(origin: &str) -> (String, Option<usize>) {
    match origin.rsplit_once(':') {
        Some((file, line)) => (file.to_string(), line.parse().ok()),
        None => (origin.to_string(), None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keymap::{BUILTIN, Key};

    #[test]
    fn every_shipped_keymap_parses() {
        for (name, text) in BUILTIN {
            Keymap::parse(text, name).unwrap_or_else(|e| panic!("{e}"));
        }
    }

    #[test]
    fn every_action_is_bound_in_the_default_keymap() {
        let (_, text) = BUILTIN.iter().find(|(n, _)| *n == "vim").expect("vim");
        let keymap = Keymap::parse(text, "vim").expect("parses");
        for action in Action::ALL.iter().filter(|a| **a != Action::Noop) {
            let bound = Context::ALL
                .iter()
                .any(|ctx| keymap.effective(*ctx).iter().any(|b| b.run == *action));
            assert!(bound, "{} is not bound in vim.toml", action.name());
        }
    }

    fn error_of(text: &str) -> KeymapError {
        Keymap::parse(text, "my.toml").expect_err("should fail")
    }

    #[test]
    fn unknown_action_names_file_line_and_action() {
        let e = error_of(
            "[global]\nkeymap = [\n  { on = \"j\", run = \"down\" },\n  { on = \"x\", run = \"explode\" },\n]\n",
        );
        assert_eq!(e.file, "my.toml");
        assert_eq!(e.line, Some(4));
        assert!(
            e.to_string()
                .starts_with("my.toml:4: unknown action \"explode\""),
            "{e}"
        );
    }

    #[test]
    fn unparsable_key_names_file_line_and_key() {
        let e = error_of("[body]\nkeymap = [\n  { on = \"<Ctrl-d>\", run = \"down\" },\n]\n");
        assert_eq!(e.line, Some(3));
        assert!(e.message.contains("Ctrl-d"), "{e}");
    }

    #[test]
    fn prefix_shadowing_is_an_error() {
        let e = error_of(
            "[global]\nkeymap = [\n  { on = \"g\", run = \"first\" },\n  { on = [\"g\", \"g\"], run = \"last\" },\n]\n",
        );
        assert_eq!(e.line, Some(3));
        assert!(
            e.message
                .contains("`gg` is shadowed by its own prefix: `g`"),
            "{e}"
        );
    }

    #[test]
    fn toml_syntax_errors_name_the_line() {
        let e = error_of("[global]\nkeymap = [\n  { on = \"j\" run = \"down\" },\n]\n");
        assert_eq!(e.line, Some(3), "{e}");
    }

    #[test]
    fn unknown_context_and_fields_are_errors() {
        let e = error_of("[nowhere]\nkeymap = []\n");
        assert!(e.message.contains("unknown context [nowhere]"), "{e}");
        assert_eq!(e.line, Some(1));
        let e =
            error_of("[global]\nkeymap = [\n  { on = \"j\", run = \"down\", when = \"x\" },\n]\n");
        assert!(e.message.contains("when"), "{e}");
    }

    #[test]
    fn duplicate_chords_are_errors() {
        let e = error_of(
            "[global]\nkeymap = [\n  { on = \"j\", run = \"down\" },\n  { on = \"j\", run = \"up\" },\n]\n",
        );
        assert_eq!(e.line, Some(4));
        assert!(e.message.contains("bound twice"), "{e}");
    }

    #[test]
    fn overrides_merge_per_chord_and_noop_unbinds() {
        let mut base = Keymap::parse("[global]\nkeymap = [\n  { on = \"j\", run = \"down\" },\n  { on = \"k\", run = \"up\" },\n]\n", "base").expect("base");
        let overlay = Keymap::parse("[global]\nkeymap = [\n  { on = \"j\", run = \"noop\" },\n  { on = \"t\", run = \"down\", desc = \"Down (t)\" },\n]\n", "user").expect("user");
        let warnings = base.merge(overlay).expect("merge");
        assert!(warnings.is_empty(), "{warnings:?}");
        let bound: Vec<String> = base
            .effective(Context::Body)
            .iter()
            .map(|b| b.on[0].to_string())
            .collect();
        assert_eq!(bound, vec!["k", "t"]);
    }

    #[test]
    fn a_users_chord_wins_over_the_base_chord_it_collides_with() {
        let mut base = Keymap::parse(
            "[global]\nkeymap = [\n  { on = [\"g\", \"g\"], run = \"first\" },\n  { on = \"t\", run = \"down\" },\n]\n",
            "base",
        )
        .expect("base");
        let overlay = Keymap::parse(
            "[body]\nkeymap = [\n  { on = \"g\", run = \"last\" },\n]\n[global]\nkeymap = [\n  { on = [\"t\", \"n\"], run = \"next_issue\" },\n]\n",
            "user.toml",
        )
        .expect("user");
        let warnings = base.merge(overlay).expect("merged");
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(
            warnings.iter().all(|w| w.starts_with("user.toml:")),
            "{warnings:?}"
        );
        // In [body] the user's `g` stands and the base `gg` is gone; elsewhere `gg` stays.
        let chords = |ctx| -> Vec<String> {
            base.effective(ctx)
                .iter()
                .map(|b| chord_to_string(&b.on))
                .collect()
        };
        assert!(chords(Context::Body).contains(&"g".to_string()));
        assert!(!chords(Context::Body).contains(&"gg".to_string()));
        assert!(chords(Context::Issues).contains(&"gg".to_string()));
        // The user's `tn` unbinds the base's `t` everywhere it was in force.
        assert!(chords(Context::Global).contains(&"tn".to_string()));
        assert!(!chords(Context::Global).contains(&"t".to_string()));
    }

    #[test]
    fn shadowing_inside_the_users_own_file_names_that_file() {
        let e = Keymap::parse(
            "[global]\nkeymap = [\n  { on = \"x\", run = \"down\" },\n  { on = [\"x\", \"y\"], run = \"up\" },\n]\n",
            "user.toml",
        )
        .expect_err("shadowed");
        assert_eq!(e.file, "user.toml");
    }

    #[test]
    fn text_inputs_do_not_fall_back_to_global() {
        let keymap = Keymap::parse(
            "[global]\nkeymap = [\n  { on = \"j\", run = \"down\" },\n]\n[jump]\nkeymap = []\n",
            "k",
        )
        .expect("k");
        assert!(keymap.effective(Context::Jump).is_empty());
        assert_eq!(
            keymap.effective(Context::Body)[0].on,
            vec![Key::parse("j").expect("j")]
        );
    }
}
