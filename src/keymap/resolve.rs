//! Turning keystrokes into actions: counts typed before a binding (`5j`), chords narrowed one
//! key at a time (`g` then `g`). Because no chord may be a prefix of another, every key either
//! completes a binding, extends a pending chord, or is unbound — no timeouts.

use super::action::Action;
use super::file::{Binding, Context, Keymap};
use super::key::{Key, chord_to_string};

/// What a key did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    /// Part of a count or chord; more keys are expected.
    Pending,
    /// A binding completed: run `action` `count` times.
    Run {
        /// The action.
        action: Action,
        /// How many times (1 without a count).
        count: u32,
        /// Whether a count was typed (some actions use it as a position: `5G`).
        counted: bool,
    },
    /// The keys typed so far match nothing; they are dropped.
    Unbound(String),
}

/// The pending count and chord.
#[derive(Debug, Clone, Default)]
pub struct Resolver {
    pending: Vec<Key>,
    count: Option<u32>,
}

impl Resolver {
    /// Feeds one key typed in `ctx`. `counts` says whether digits form counts here (not in
    /// text inputs).
    pub fn feed(&mut self, keymap: &Keymap, ctx: Context, key: Key, counts: bool) -> Resolution {
        let bindings = keymap.effective(ctx);
        if counts
            && self.pending.is_empty()
            && let Some(d) = key.digit()
        {
            let digit_bound = bindings.iter().any(|b| b.on[0] == key);
            if !digit_bound && (d != 0 || self.count.is_some()) {
                let count = self.count.unwrap_or(0).saturating_mul(10).saturating_add(d);
                self.count = Some(count.min(99_999));
                return Resolution::Pending;
            }
        }
        self.pending.push(key);
        if let Some(binding) = bindings.iter().find(|b| b.on == self.pending) {
            let counted = self.count.is_some();
            let count = self.count.unwrap_or(1).max(1);
            let action = binding.run;
            self.reset();
            return Resolution::Run {
                action,
                count,
                counted,
            };
        }
        if bindings.iter().any(|b| b.on.starts_with(&self.pending)) {
            return Resolution::Pending;
        }
        let typed = self.display();
        self.reset();
        Resolution::Unbound(typed)
    }

    /// Drops any pending count or chord.
    pub fn reset(&mut self) {
        self.pending.clear();
        self.count = None;
    }

    /// True while a count or chord is pending.
    pub fn is_pending(&self) -> bool {
        !self.pending.is_empty() || self.count.is_some()
    }

    /// The pending keys as typed (`5g`), for the status line.
    pub fn display(&self) -> String {
        let mut out = self.count.map(|c| c.to_string()).unwrap_or_default();
        out.push_str(&chord_to_string(&self.pending));
        out
    }

    /// Bindings that could complete the pending chord, for a which-key hint.
    pub fn continuations<'k>(&self, keymap: &'k Keymap, ctx: Context) -> Vec<&'k Binding> {
        if self.pending.is_empty() {
            return Vec::new();
        }
        keymap
            .effective(ctx)
            .into_iter()
            .filter(|b| b.on.len() > self.pending.len() && b.on.starts_with(&self.pending))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keymap::{BUILTIN, Key};

    fn vim() -> Keymap {
        let (_, text) = BUILTIN.iter().find(|(n, _)| *n == "vim").expect("vim");
        Keymap::parse(text, "vim").expect("vim parses")
    }

    fn feed(r: &mut Resolver, k: &Keymap, keys: &str) -> Vec<Resolution> {
        keys.chars()
            .map(|c| {
                r.feed(
                    k,
                    Context::Body,
                    Key::parse(&c.to_string()).expect("key"),
                    true,
                )
            })
            .collect()
    }

    fn run(action: Action, count: u32, counted: bool) -> Resolution {
        Resolution::Run {
            action,
            count,
            counted,
        }
    }

    #[test]
    fn counts_repeat_bindings() {
        let (k, mut r) = (vim(), Resolver::default());
        assert_eq!(
            feed(&mut r, &k, "5j"),
            vec![Resolution::Pending, run(Action::Down, 5, true)]
        );
        assert_eq!(
            feed(&mut r, &k, "12k"),
            vec![
                Resolution::Pending,
                Resolution::Pending,
                run(Action::Up, 12, true)
            ]
        );
        assert_eq!(
            feed(&mut r, &k, "3]"),
            vec![Resolution::Pending, run(Action::NextArticle, 3, true)]
        );
        assert_eq!(feed(&mut r, &k, "j"), vec![run(Action::Down, 1, false)]);
    }

    #[test]
    fn chords_resolve_without_timeouts() {
        let (k, mut r) = (vim(), Resolver::default());
        assert_eq!(
            feed(&mut r, &k, "gg"),
            vec![Resolution::Pending, run(Action::First, 1, false)]
        );
        // `g` then `j` is not a chord: both keys are dropped, nothing waits for a timeout.
        assert_eq!(
            feed(&mut r, &k, "gj"),
            vec![Resolution::Pending, Resolution::Unbound("gj".into())]
        );
        assert!(!r.is_pending());
        assert_eq!(feed(&mut r, &k, "j"), vec![run(Action::Down, 1, false)]);
    }

    #[test]
    fn pending_keys_display_and_continuations() {
        let (k, mut r) = (vim(), Resolver::default());
        feed(&mut r, &k, "4g");
        assert_eq!(r.display(), "4g");
        let next = r.continuations(&k, Context::Body);
        let mut runs: Vec<Action> = next.iter().map(|b| b.run).collect();
        runs.sort_by_key(|a| a.name());
        assert_eq!(runs, [Action::First, Action::YankWithSource]);
    }

    #[test]
    fn zero_alone_is_not_a_count() {
        let (k, mut r) = (vim(), Resolver::default());
        assert_eq!(feed(&mut r, &k, "0"), vec![Resolution::Unbound("0".into())]);
        assert_eq!(
            feed(&mut r, &k, "10j"),
            vec![
                Resolution::Pending,
                Resolution::Pending,
                run(Action::Down, 10, true)
            ]
        );
    }

    #[test]
    fn digits_are_text_in_inputs() {
        let (k, mut r) = (vim(), Resolver::default());
        let got = r.feed(&k, Context::Jump, Key::parse("5").expect("5"), false);
        assert_eq!(got, Resolution::Unbound("5".into()));
    }
}
