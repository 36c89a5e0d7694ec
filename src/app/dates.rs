//! Jumping to a date: `D` asks for `2022-08-23` or `2022-08` (`--date` on the command line
//! does the same) and opens that day's issue, else the nearest one.

use super::{App, Focus};

/// Days since 1970-01-01 of `YYYY-MM-DD` (or `YYYY-MM`, its first day), by the civil calendar.
pub fn days(date: &str) -> Option<i64> {
    let mut parts = date.split('-');
    let year: i64 = parts.next()?.parse().ok()?;
    let month: i64 = parts.next()?.parse().ok()?;
    let day: i64 = parts.next().map_or(Some(1), |d| d.parse().ok())?;
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || parts.next().is_some() {
        return None;
    }
    // Howard Hinnant's days_from_civil.
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// The civil date (year, month, day) of a day count since 1970-01-01.
pub fn civil(days: i64) -> (i64, u32, u32) {
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// `YYYY-MM-DD` of a day count.
pub fn iso(days: i64) -> String {
    let (year, month, day) = civil(days);
    format!("{year:04}-{month:02}-{day:02}")
}

/// Days in `month` of `year`.
pub fn month_length(year: i64, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The weekday of a day count, Monday 0 to Sunday 6 (1970-01-01 was a Thursday).
pub fn weekday(days: i64) -> u32 {
    (days + 3).rem_euclid(7) as u32
}

/// The same day `delta` months on, kept within the month it lands in (31 Jan + 1 → 28/29 Feb).
pub fn add_months(days: i64, delta: i64) -> i64 {
    let (year, month, day) = civil(days);
    let index = year * 12 + i64::from(month) - 1 + delta;
    let (year, month) = (index.div_euclid(12), index.rem_euclid(12) as u32 + 1);
    let day = day.min(month_length(year, month));
    first_of(year, month) + i64::from(day) - 1
}

/// The day count of the first of `month`.
pub fn first_of(year: i64, month: u32) -> i64 {
    // Days of whole years and months before it, as `days` counts them.
    days(&format!("{year:04}-{month:02}-01")).unwrap_or(0)
}

impl App {
    /// Opens the issue of `date` (`YYYY-MM-DD`, or `YYYY-MM`: the month's first issue), else
    /// the one nearest to it (the earlier on a tie; of one day's issues, the first listed). Err
    /// says why not (a date that does not parse, no dated issues).
    pub fn go_to_date(&mut self, date: &str) -> Result<(), String> {
        let date = date.trim();
        let target =
            days(date).ok_or_else(|| format!("`{date}` is not a date (YYYY-MM-DD or YYYY-MM)"))?;
        let month = (date.split('-').count() == 2).then_some(date);
        let best = self
            .library
            .summaries()
            .filter_map(|(slot, summary)| {
                let shown = summary.date.as_deref()?;
                let found = days(shown)?;
                // Within a typed month, its first issue is as good as on the day.
                let distance = match month {
                    Some(month) if shown.starts_with(month) => 0,
                    _ => (found - target).abs(),
                };
                Some((
                    distance,
                    found > target,
                    found,
                    self.issue_rows.rank(slot),
                    slot,
                ))
            })
            .min();
        let Some((distance, _, _, _, slot)) = best else {
            return Err("no issue has a date yet".into());
        };
        self.select_issue(slot);
        self.focus = Focus::Articles;
        let shown = self
            .current_summary()
            .and_then(|s| s.date.clone())
            .unwrap_or_default();
        self.message = Some(if distance == 0 {
            shown.clone()
        } else {
            format!("no issue of {date}: the nearest is {shown}")
        });
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::days;

    #[test]
    fn civil_undoes_days_and_months_keep_within_their_length() {
        for day in [-25_000, -1, 0, 1, 59, 60, 11_016, 19_227, 2_932_896] {
            assert_eq!(super::days(&super::iso(day)), Some(day), "{day}");
        }
        let at = |d: &str| super::days(d).expect("date");
        assert_eq!(
            super::iso(super::add_months(at("2024-01-31"), 1)),
            "2024-02-29"
        );
        assert_eq!(
            super::iso(super::add_months(at("2023-01-31"), 1)),
            "2023-02-28"
        );
        assert_eq!(
            super::iso(super::add_months(at("2023-01-15"), -1)),
            "2022-12-15"
        );
        assert_eq!(
            super::iso(super::add_months(at("2022-12-15"), 13)),
            "2024-01-15"
        );
        assert_eq!(super::weekday(at("2022-08-23")), 1, "a Tuesday");
        assert_eq!(super::weekday(at("2026-12-06")), 6, "a Sunday");
        assert_eq!(super::month_length(1900, 2), 28);
        assert_eq!(super::month_length(2000, 2), 29);
    }

    #[test]
    fn days_count_across_months_years_and_leap_days() {
        assert_eq!(days("1970-01-01"), Some(0));
        assert_eq!(
            days("2000-03-01")
                .zip(days("2000-02-28"))
                .map(|(a, b)| a - b),
            Some(2)
        );
        assert_eq!(
            days("2023-01-01")
                .zip(days("2022-12-31"))
                .map(|(a, b)| a - b),
            Some(1)
        );
        assert_eq!(days("2022-08"), days("2022-08-01"));
        assert_eq!(days("2022-13-01"), None);
        assert_eq!(days("yesterday"), None);
    }
}
