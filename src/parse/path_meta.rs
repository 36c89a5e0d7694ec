//! Dates and papers from an issue's path, for files whose text has none: archives are often
//! filed as `…/2023/05/17/…`, `…2023-05-17…`, `…20230517…` or `…/2023/0517…`, under a folder
//! named for the paper. The file name is looked at first, then its folders from the nearest.

use crate::parse::chars::is_cjk;

/// A valid `YYYY-MM-DD` from numbers, or `None`.
fn date(year: u32, month: u32, day: u32) -> Option<String> {
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        _ => return None,
    };
    ((1800..=2199).contains(&year) && (1..=days).contains(&day))
        .then(|| format!("{year:04}-{month:02}-{day:02}"))
}

/// Runs of ASCII digits in `text`, each with the character that follows it (if any).
fn digit_runs(text: &str) -> Vec<(&str, Option<char>)> {
    let mut runs = Vec::new();
    let mut start = None;
    for (at, c) in text.char_indices().chain([(text.len(), ' ')]) {
        match (c.is_ascii_digit() && at < text.len(), start) {
            (true, None) => start = Some(at),
            (false, Some(from)) => {
                runs.push((&text[from..at], text[at..].chars().next()));
                start = None;
            }
            _ => {}
        }
    }
    runs
}

/// False when `component` has neither eight digits in a row nor four followed by `-`, `_` or
/// `.`: then [`date_in`] finds nothing, and an archive's thousands of names like
/// `000123.txt` are passed over without collecting their digit runs.
fn may_hold_date(component: &str) -> bool {
    let mut run = 0;
    for &b in component.as_bytes() {
        if b.is_ascii_digit() {
            run += 1;
            continue;
        }
        if run == 8 || (run == 4 && matches!(b, b'-' | b'_' | b'.')) {
            return true;
        }
        run = 0;
    }
    run == 8
}

fn number(text: &str) -> Option<u32> {
    text.parse().ok()
}

/// A date written whole in one path component: `2023-05-17` (or with `_` `.`), `20230517`.
fn date_in(component: &str) -> Option<String> {
    if !may_hold_date(component) {
        return None;
    }
    date_in_runs(component)
}

/// [`date_in`] without the quick check.
fn date_in_runs(component: &str) -> Option<String> {
    let runs = digit_runs(component);
    for (i, (run, after)) in runs.iter().enumerate() {
        if run.len() == 8 {
            let found = date(number(&run[..4])?, number(&run[4..6])?, number(&run[6..])?);
            if found.is_some() {
                return found;
            }
        }
        if run.len() == 4
            && matches!(after, Some('-' | '_' | '.'))
            && let (Some((month, _)), Some((day, _))) = (runs.get(i + 1), runs.get(i + 2))
            && (1..=2).contains(&month.len())
            && (1..=2).contains(&day.len())
            && let Some(found) = date(number(run)?, number(month)?, number(day)?)
        {
            return Some(found);
        }
    }
    None
}

/// The date a file name gives on its own (`rmrb-2023-05-17.txt`, `20230517.txt`), if any.
pub fn date_in_name(name: &str) -> Option<String> {
    date_in(name)
}

/// The date a path gives, if any: a whole date in the file name or a folder name, else a
/// year folder followed by month and day (`2023/05/17…`) or by `MMDD` (`2023/0517…`).
pub fn date_from_path(path: &str) -> Option<String> {
    let components: Vec<&str> = path.split(['/', '\\']).filter(|c| !c.is_empty()).collect();
    for component in components.iter().rev() {
        if let Some(found) = date_in(component) {
            return Some(found);
        }
    }
    // A year folder, then the month and day in the next one or two components.
    let leading = |c: &str| -> String { c.chars().take_while(char::is_ascii_digit).collect() };
    for (i, component) in components.iter().enumerate().rev() {
        if component.len() != 4 || !component.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let year = number(component)?;
        let next = components
            .get(i + 1)
            .map(|c| leading(c))
            .unwrap_or_default();
        let found = match next.len() {
            4 => date(year, number(&next[..2])?, number(&next[2..])?),
            1 | 2 => {
                let day = components
                    .get(i + 2)
                    .map(|c| leading(c))
                    .unwrap_or_default();
                if (1..=2).contains(&day.len()) {
                    date(year, number(&next)?, number(&day)?)
                } else {
                    None
                }
            }
            _ => None,
        };
        if found.is_some() {
            return found;
        }
    }
    None
}

/// The paper a path names: the nearest folder whose name is words with Chinese characters in
/// them and no digits (`人民日报/2023/05/17.txt` → `人民日报`). Folders named in Latin letters
/// alone are not taken: they are as often `archive` or `scans` as a paper's name.
pub fn paper_from_path(path: &str) -> Option<String> {
    let components: Vec<&str> = path.split(['/', '\\']).filter(|c| !c.is_empty()).collect();
    let (_, folders) = components.split_last()?;
    folders
        .iter()
        .rev()
        .find(|c| c.chars().any(is_cjk) && !c.chars().any(|ch| ch.is_ascii_digit()))
        .map(|c| c.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The quick check passes over nothing a date could be found in.
    #[test]
    fn the_quick_check_never_hides_a_date() {
        let pieces = [
            "2023", "05", "17", "20230517", "1", "000123", "-", "_", ".", "x", "版", "/",
        ];
        let mut found = 0;
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    for d in pieces {
                        let name = format!("{a}{b}{c}{d}");
                        let date = date_in_runs(&name);
                        found += usize::from(date.is_some());
                        assert!(date.is_none() || may_hold_date(&name), "{name}");
                        assert_eq!(date_in(&name), date, "{name}");
                    }
                }
            }
        }
        assert!(found > 1000, "{found} names with dates");
        assert!(!may_hold_date("000123.txt"));
    }

    #[test]
    fn dates_in_the_common_filing_shapes() {
        for (path, want) in [
            ("arch/2023/05/17/page1.txt", "2023-05-17"),
            ("arch/2023/5/7.txt", "2023-05-07"),
            ("arch/rmrb-2023-05-17.txt", "2023-05-17"),
            ("arch/rmrb_2023_05_17_01.txt", "2023-05-17"),
            ("arch/20230517.txt", "2023-05-17"),
            ("arch/rmrb20230517a.txt", "2023-05-17"),
            ("arch/2023/0517.txt", "2023-05-17"),
            ("arch/2023/0517-02.txt", "2023-05-17"),
            ("1968-09-25/p1.txt", "1968-09-25"),
            ("arch/2020/0229.txt", "2020-02-29"),
        ] {
            assert_eq!(date_from_path(path).as_deref(), Some(want), "{path}");
        }
    }

    #[test]
    fn numbers_that_are_not_dates_give_none() {
        for path in [
            "sample-data/000_29319c79bb470c97.txt",
            "arch/000/000123.txt",
            "arch/2023/1399.txt",
            "arch/2021/0229.txt",
            "arch/12345678.txt",
            "arch/2023.txt",
            "arch/v2023-13-01.txt",
            "",
        ] {
            assert_eq!(date_from_path(path), None, "{path}");
        }
    }

    #[test]
    fn the_file_name_wins_over_its_folders() {
        assert_eq!(
            date_from_path("2022/01/01/2023-05-17.txt").as_deref(),
            Some("2023-05-17")
        );
    }

    #[test]
    fn a_paper_from_the_nearest_chinese_folder_name() {
        assert_eq!(
            paper_from_path("/srv/人民日报/2023/05/17.txt").as_deref(),
            Some("人民日报")
        );
        assert_eq!(paper_from_path("sample-data/000.txt"), None);
        assert_eq!(
            paper_from_path("第3版/17.txt"),
            None,
            "digits: a page, not a paper"
        );
        assert_eq!(
            paper_from_path("人民日报.txt"),
            None,
            "the file, not a folder"
        );
    }
}
