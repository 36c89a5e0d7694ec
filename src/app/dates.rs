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

impl App {
    /// Opens the issue of `date` (`YYYY-MM-DD` or `YYYY-MM`), else the one nearest to it (the
    /// earlier on a tie). Err says why not (a date that does not parse, no dated issues).
    pub fn go_to_date(&mut self, date: &str) -> Result<(), String> {
        let date = date.trim();
        let target =
            days(date).ok_or_else(|| format!("`{date}` is not a date (YYYY-MM-DD or YYYY-MM)"))?;
        let best = self
            .library
            .summaries()
            .filter_map(|(slot, summary)| {
                let found = days(summary.date.as_deref()?)?;
                Some(((found - target).abs(), found > target, slot))
            })
            .min();
        let Some((distance, _, slot)) = best else {
            return Err("no issue has a date yet".into());
        };
        self.select_issue(slot);
        self.focus = Focus::Articles;
        let shown = self
            .current_summary()
            .and_then(|s| s.date.clone())
            .unwrap_or_default();
        self.message = Some(
            if distance == 0 || (date.len() == 7 && shown.starts_with(date)) {
                shown.clone()
            } else {
                format!("no issue of {date}: the nearest is {shown}")
            },
        );
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::days;

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
