//! The calendar popup (`D`): a month with the days that have issues marked, a cursor moved by
//! day, week and month, and a line to type a date into (`2022-08-23`, `2022-08`) that moves the
//! cursor as it becomes one. `Enter` opens the cursor's day, else the nearest issue.
//! Chronicling America's calendar view is the model: the archive's coverage at a glance.

use std::collections::BTreeMap;

use super::App;
use super::dates::{add_months, days, iso};
use super::popup::Popup;
use super::prompt::{Prompt, PromptKind};
use crate::keymap::Action;

/// An open calendar.
pub struct Calendar {
    /// The day under the cursor (days since 1970-01-01).
    pub cursor: i64,
    /// Days with issues: the day → the slots of its issues, in the order the issue pane shows.
    pub issues: BTreeMap<i64, Vec<usize>>,
    /// The typed date.
    pub input: Prompt,
}

impl Calendar {
    /// A calendar over `issues`, its cursor on `cursor`.
    pub fn new(cursor: i64, issues: BTreeMap<i64, Vec<usize>>) -> Calendar {
        Calendar {
            cursor,
            issues,
            input: Prompt::new(PromptKind::Date),
        }
    }

    /// Follows the typed text once it is a date (a month: its first day).
    pub fn follow_input(&mut self) {
        if let Some(day) = days(self.input.text().trim()) {
            self.cursor = day;
        }
    }

    /// The slots of the cursor's day (empty when it has no issue).
    pub fn on_cursor(&self) -> &[usize] {
        self.issues.get(&self.cursor).map_or(&[], Vec::as_slice)
    }
}

impl App {
    /// Every dated issue by day, the slots of a day in the order shown.
    fn issues_by_day(&self) -> BTreeMap<i64, Vec<usize>> {
        let mut by_day: BTreeMap<i64, Vec<usize>> = BTreeMap::new();
        for (slot, summary) in self.library.summaries() {
            if let Some(day) = summary.date.as_deref().and_then(days) {
                by_day.entry(day).or_default().push(slot);
            }
        }
        for slots in by_day.values_mut() {
            slots.sort_by_key(|&slot| self.issue_rows.rank(slot));
        }
        by_day
    }

    /// Opens the calendar on the selected issue's day, else on the dated issue nearest to it in
    /// the list; with no dated issue yet, says so.
    pub(super) fn open_calendar(&mut self) {
        let issues = self.issues_by_day();
        let here = self
            .current_summary()
            .and_then(|s| s.date.as_deref().and_then(days));
        let nearest = || {
            let rank = self.issue_rows.rank(self.issue);
            issues
                .iter()
                .flat_map(|(day, slots)| slots.iter().map(move |s| (*day, *s)))
                .min_by_key(|(_, slot)| self.issue_rows.rank(*slot).abs_diff(rank))
                .map(|(day, _)| day)
        };
        let Some(cursor) = here.or_else(nearest) else {
            self.message = Some(if self.library.is_loading() {
                "no issue has a date yet (the archive is still loading)".into()
            } else {
                "no issue has a date: kanbao found none in the text or the paths".into()
            });
            return;
        };
        self.popups
            .push(Popup::Calendar(Box::new(Calendar::new(cursor, issues))));
    }

    /// Takes in issues dated since the calendar opened (while the archive loads).
    pub(super) fn refresh_calendar(&mut self) {
        if matches!(self.popups.last(), Some(Popup::Calendar(_))) {
            let issues = self.issues_by_day();
            if let Some(Popup::Calendar(calendar)) = self.popups.last_mut() {
                calendar.issues = issues;
            }
        }
    }

    /// What the calendar's keys do.
    pub(super) fn update_calendar(&mut self, action: Action) {
        let Some(Popup::Calendar(calendar)) = self.popups.last_mut() else {
            return;
        };
        let moved = |calendar: &mut Calendar, to: i64| {
            calendar.cursor = to;
            // Moving by keys leaves what was typed behind.
            calendar.input = Prompt::new(PromptKind::Date);
        };
        let cursor = calendar.cursor;
        match action {
            Action::PrevDay => moved(calendar, cursor - 1),
            Action::NextDay => moved(calendar, cursor + 1),
            Action::PrevWeek => moved(calendar, cursor - 7),
            Action::NextWeek => moved(calendar, cursor + 7),
            Action::PrevMonth => moved(calendar, add_months(cursor, -1)),
            Action::NextMonth => moved(calendar, add_months(cursor, 1)),
            Action::Cancel => {
                self.popups.pop();
            }
            Action::Confirm => {
                let typed = calendar.input.text().trim().to_string();
                // A typed month opens that month's first issue, or the nearest.
                let target = if typed.is_empty() { iso(cursor) } else { typed };
                match self.go_to_date(&target) {
                    Ok(()) => {
                        self.popups.retain(|p| !matches!(p, Popup::Calendar(_)));
                    }
                    // Stays open, saying why: the typed text is not a date.
                    Err(e) => self.message = Some(e),
                }
            }
            _ => {}
        }
    }

    /// The open calendar, if it is on top.
    pub fn calendar(&self) -> Option<&Calendar> {
        match self.popups.last() {
            Some(Popup::Calendar(calendar)) => Some(calendar),
            _ => None,
        }
    }
}
