//! The order issues are listed in: by paper then date (the default), by date across papers, or
//! by path. A researcher's archive is often several papers filed side by side; reading one
//! paper's run in date order is the common case, comparing papers on a day the next.

use std::collections::HashMap;

use super::{Library, Slot};
use crate::model::IssueSummary;
use crate::parse::path_meta;

/// How issues are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum Order {
    /// By paper, then date, then path: each paper's run together.
    #[default]
    Paper,
    /// By date, then paper, then path: the archive day by day.
    Date,
    /// By path, as the files are filed.
    Path,
}

impl Order {
    /// The next order `o` turns to.
    pub fn next(self) -> Order {
        match self {
            Order::Paper => Order::Date,
            Order::Date => Order::Path,
            Order::Path => Order::Paper,
        }
    }

    /// What the order is, for the status line.
    pub fn describe(self) -> &'static str {
        match self {
            Order::Paper => "issues by paper, then date",
            Order::Date => "issues by date, across papers",
            Order::Path => "issues by path",
        }
    }
}

/// Where an issue is placed: its paper and date, from its summary once read, else from its path
/// alone (so issues still loading already stand near their place).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placing {
    /// The paper, if known.
    pub paper: Option<String>,
    /// The date (`YYYY-MM-DD`), if known.
    pub date: Option<String>,
}

impl Placing {
    /// The placing of `slot`.
    pub fn of(slot: &Slot) -> Placing {
        slot.summary()
            .map_or_else(|| Placing::from_path(&slot.source), Placing::from_summary)
    }

    /// What a summary says.
    pub fn from_summary(summary: &IssueSummary) -> Placing {
        Placing {
            paper: summary.paper.clone(),
            date: summary.date.clone(),
        }
    }

    /// What a path says.
    pub fn from_path(source: &str) -> Placing {
        Placing {
            paper: path_meta::paper_from_path(source),
            date: path_meta::date_from_path(source),
        }
    }

    /// What each of `sources` says, the work for a folder done once for all its files (an
    /// archive is thousands of files in few folders): a file name with a whole date in it
    /// needs nothing of its folders' dates.
    pub fn from_paths<'a>(sources: impl Iterator<Item = &'a str>) -> Vec<Placing> {
        /// What a folder says: its paper, a whole date in a folder name, whether a folder is a
        /// year (`2023`, which a file name may complete), the date of the folders alone.
        struct Folder {
            paper: Option<String>,
            whole: Option<String>,
            has_year: bool,
            date: Option<String>,
        }
        let mut folders: std::collections::HashMap<&str, Folder> = std::collections::HashMap::new();
        sources
            .map(|source| {
                let (folder, name) = source.rsplit_once(['/', '\\']).unwrap_or(("", source));
                let known = folders.entry(folder).or_insert_with(|| {
                    // A stand-in file name with no digits: what the folders alone say.
                    let probe = format!("{folder}/x");
                    let components = folder.split(['/', '\\']).filter(|c| !c.is_empty());
                    Folder {
                        paper: path_meta::paper_from_path(&probe),
                        whole: components.clone().rev().find_map(path_meta::date_in_name),
                        has_year: components
                            .into_iter()
                            .any(|c| c.len() == 4 && c.bytes().all(|b| b.is_ascii_digit())),
                        date: path_meta::date_from_path(&probe),
                    }
                });
                // As `date_from_path` looks: a whole date in the name, else in the nearest
                // folder, else a year folder the name's digits may complete.
                let date = path_meta::date_in_name(name)
                    .or_else(|| known.whole.clone())
                    .or_else(|| {
                        if known.has_year && name.bytes().any(|b| b.is_ascii_digit()) {
                            path_meta::date_from_path(source)
                        } else {
                            known.date.clone()
                        }
                    });
                Placing {
                    paper: known.paper.clone(),
                    date,
                }
            })
            .collect()
    }
}

/// Slot indices of `placings` (one per slot, in path order) in `order`: what is unknown goes
/// after what is known, and ties keep path order.
pub fn sorted(placings: &[Placing], order: Order) -> Vec<usize> {
    sorted_from((0..placings.len()).collect(), placings, order)
}

/// [`sorted`] for slots that are not all in path order: `by_path` lists them in it.
pub fn sorted_from(by_path: Vec<usize>, placings: &[Placing], order: Order) -> Vec<usize> {
    let mut slots = by_path;
    if order != Order::Path {
        // Stable: equal placings stay in path order.
        let ranking = Ranking::new(placings, order);
        slots.sort_by(|&a, &b| ranking.cmp(a, b));
    }
    slots
}

/// [`sorted`] again after the placings of a few slots changed: `slots` is what [`sorted`]
/// gave for the placings before (slots in path order are slot numbers: nothing appended);
/// the changed slots are taken out and put back where a full sort puts them, without sorting
/// the thousands that did not move.
pub fn resorted(
    mut slots: Vec<usize>,
    placings: &[Placing],
    changed: &[usize],
    order: Order,
) -> Vec<usize> {
    if order == Order::Path || changed.is_empty() {
        return slots;
    }
    let mut moved = vec![false; placings.len()];
    for &slot in changed {
        if let Some(m) = moved.get_mut(slot) {
            *m = true;
        }
    }
    slots.retain(|&slot| !moved[slot]);
    let ranking = Ranking::new(placings, order);
    for &slot in changed {
        // The full sort's order, ties in path order (slot numbers).
        let at =
            slots.partition_point(|&other| ranking.cmp(other, slot).then(other.cmp(&slot)).is_lt());
        slots.insert(at, slot);
    }
    slots
}

/// How `order` compares slots by their placings (not by path: ties are equal), each paper's
/// collation key worked out once — an archive has few papers and thousands of issues — so
/// that comparing copies nothing.
struct Ranking<'a> {
    placings: &'a [Placing],
    order: Order,
    keys: HashMap<&'a str, (String, String)>,
}

impl<'a> Ranking<'a> {
    fn new(placings: &'a [Placing], order: Order) -> Ranking<'a> {
        let mut keys = HashMap::new();
        for name in placings.iter().filter_map(|p| p.paper.as_deref()) {
            keys.entry(name).or_insert_with(|| collation_key(name));
        }
        Ranking {
            placings,
            order,
            keys,
        }
    }

    fn cmp(&self, a: usize, b: usize) -> std::cmp::Ordering {
        // None last: (is_none, value) sorts known values first, in order.
        let date = |i: usize| {
            let date = self.placings[i].date.as_deref();
            (date.is_none(), date)
        };
        let paper = |i: usize| {
            let name = self.placings[i].paper.as_deref();
            (name.is_none(), name.and_then(|name| self.keys.get(name)))
        };
        match self.order {
            Order::Paper => (paper(a), date(a)).cmp(&(paper(b), date(b))),
            _ => (date(a), paper(a)).cmp(&(date(b), paper(b))),
        }
    }
}

/// A name's place in a list as a Chinese reader expects it: by the pinyin of each character
/// (甲报 before 乙报, where code points put 乙 first), the characters themselves breaking ties
/// between homophones; other characters by their lowercase form.
fn collation_key(name: &str) -> (String, String) {
    use pinyin::ToPinyin;
    let mut spelled = String::with_capacity(name.len() * 2);
    for c in name.chars() {
        match c.to_pinyin() {
            Some(reading) => spelled.push_str(reading.plain()),
            None => spelled.extend(c.to_lowercase()),
        }
        // Ends each character's reading: `xi an` before `xian`.
        spelled.push('\0');
    }
    (spelled, name.to_string())
}

impl Library {
    /// Slot indices in `order`.
    pub fn ordered(&self, order: Order) -> Vec<usize> {
        let placings: Vec<Placing> = self.slots().iter().map(Placing::of).collect();
        sorted_from(self.by_path(), &placings, order)
    }

    /// True when the slots are in path order (slot numbers are path order): no file found
    /// since the archive was listed has been added at the end.
    pub fn is_in_path_order(&self) -> bool {
        !self.appended
    }

    /// Slot indices in path order: the slots as listed, unless files found since were added
    /// at the end (a start listed from the index), which then go to their places.
    pub fn by_path(&self) -> Vec<usize> {
        let mut slots: Vec<usize> = (0..self.slots().len()).collect();
        if self.appended {
            let slots_ = self.slots();
            slots.sort_by(|&a, &b| {
                std::path::Path::new(&slots_[a].source).cmp(std::path::Path::new(&slots_[b].source))
            });
        }
        slots
    }
}

/// A placing from literals, for tests here and of the issue pane.
#[cfg(test)]
pub(crate) fn placing(paper: Option<&str>, date: Option<&str>) -> Placing {
    Placing {
        paper: paper.map(str::to_string),
        date: date.map(str::to_string),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Putting back the few slots whose placing changed gives what sorting everything gives,
    /// ties and unknowns included.
    #[test]
    fn resorting_the_changed_slots_is_sorting_everything() {
        let papers = [None, Some("甲报"), Some("乙报"), Some("Zeta"), Some("阿报")];
        let dates = [
            None,
            Some("2022-08-01"),
            Some("2022-08-02"),
            Some("2023-01-05"),
        ];
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let mut checked = 0;
        for round in 0..60 {
            let n = 1 + round * 7;
            let mut placings: Vec<Placing> = (0..n)
                .map(|_| placing(papers[next(papers.len())], dates[next(dates.len())]))
                .collect();
            for order in [Order::Paper, Order::Date, Order::Path] {
                let before = sorted(&placings, order);
                let mut changed: Vec<usize> = (0..1 + next(5)).map(|_| next(n)).collect();
                changed.sort_unstable();
                changed.dedup();
                let mut after = placings.clone();
                for &slot in &changed {
                    after[slot] = placing(papers[next(papers.len())], dates[next(dates.len())]);
                }
                assert_eq!(
                    resorted(before, &after, &changed, order),
                    sorted(&after, order),
                    "{order:?} {changed:?}"
                );
                checked += 1;
            }
            placings.reverse();
        }
        assert_eq!(checked, 180);
    }

    #[test]
    fn paper_then_date_with_unknowns_last_and_ties_in_path_order() {
        let placings = [
            placing(Some("乙报"), Some("2020-01-02")),
            placing(None, Some("2019-01-01")),
            placing(Some("甲报"), Some("2021-05-01")),
            placing(Some("乙报"), Some("2020-01-01")),
            placing(Some("甲报"), None),
            placing(None, None),
            placing(Some("甲报"), Some("2021-05-01")),
        ];
        assert_eq!(sorted(&placings, Order::Paper), [2, 6, 4, 3, 0, 1, 5]);
        assert_eq!(sorted(&placings, Order::Date), [1, 3, 0, 2, 6, 4, 5]);
        assert_eq!(sorted(&placings, Order::Path), [0, 1, 2, 3, 4, 5, 6]);
    }

    #[test]
    fn papers_go_by_pinyin_then_by_character() {
        let placings = [
            placing(Some("人民日报"), None),
            placing(Some("北京日报"), None),
            placing(Some("Asahi"), None),
            placing(Some("东昌时讯"), None),
            placing(Some("东昌府讯"), None),
        ];
        // bei, dong…fu, dong…shi, ren; Latin among them by its letters.
        assert_eq!(sorted(&placings, Order::Paper), [2, 1, 4, 3, 0]);
    }

    #[test]
    fn placings_from_many_paths_agree_with_each_path_alone() {
        let paths = [
            "arch/人民日报/2023/05/17.txt",
            "arch/人民日报/2023/05/18.txt",
            "arch/人民日报/2023/0517.txt",
            "arch/人民日报/2023/notes.txt",
            "arch/北京日报/rmrb-2023-05-17.txt",
            "arch/北京日报/20230518_a.txt",
            "loose.txt",
            "arch/2023/05/17/page1.txt",
            "arch/scans/009584.txt",
            "arch/2023-05-17/page2.txt",
            "arch/2023-05-17/0518.txt",
            "arch/2023/0518.txt",
            "arch/2023/5/7.txt",
            "arch/2023/5/notes.txt",
            "arch/报/2023/0519-a.txt",
        ];
        let together = Placing::from_paths(paths.iter().copied());
        for (path, placing) in paths.iter().zip(&together) {
            assert_eq!(*placing, Placing::from_path(path), "{path}");
        }
    }

    #[test]
    fn next_visits_every_order_and_comes_back() {
        let mut order = Order::Paper;
        let mut seen = Vec::new();
        for _ in 0..3 {
            seen.push(order);
            order = order.next();
        }
        assert_eq!(order, Order::Paper);
        assert_eq!(seen, [Order::Paper, Order::Date, Order::Path]);
    }
}
