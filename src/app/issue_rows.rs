//! The issue pane's rows: the issues in the order chosen (`o` cycles it), with a header line
//! where the paper or the month changes, so a long run reads like a shelf with labels.
//! The selection stays a slot of the library; moving through the pane goes by rank in this
//! order and steps over the headers.

use crate::library::Library;
use crate::library::order::{self, Order, Placing};

/// One row of the issue pane.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Row {
    /// A paper's run starts (None: issues with no paper known, after the others).
    Paper(Option<String>),
    /// A month starts (`YYYY-MM`; None: issues with no date, after the dated ones).
    Month(Option<String>),
    /// An issue: its slot in the library.
    Issue(usize),
}

/// The issues in order, with headers, and the maps between slots, ranks and rows.
#[derive(Debug, Clone, Default)]
pub struct IssueRows {
    /// The order in force.
    pub order: Order,
    /// What the pane shows, top to bottom.
    pub rows: Vec<Row>,
    /// Rank → slot.
    slots: Vec<usize>,
    /// Slot → rank.
    ranks: Vec<usize>,
    /// Slot → row.
    row_of: Vec<usize>,
    /// The library generation the rows are of.
    generation: Option<u64>,
    /// Placings from the paths alone, worked out once (the paths do not change).
    from_paths: Vec<Placing>,
    /// The placings `slots` were put in order by, and in which order: when summaries arrive,
    /// only the slots whose placing changed are moved.
    placings: Vec<Placing>,
    sorted_in: Option<Order>,
}

impl IssueRows {
    /// The rows of `library` in `order`.
    pub fn new(library: &Library, order: Order) -> IssueRows {
        let mut rows = IssueRows {
            order,
            ..IssueRows::default()
        };
        rows.refresh(library);
        rows
    }

    /// Rebuilds the rows if the library has changed since (summaries arrived: dates and papers
    /// read from the text replace those from the path). True when rebuilt.
    pub fn refresh(&mut self, library: &Library) -> bool {
        if self.generation == Some(library.generation()) && self.slots.len() == library.len() {
            return false;
        }
        self.rebuild(library);
        true
    }

    /// Turns to `order` and rebuilds.
    pub fn set_order(&mut self, library: &Library, order: Order) {
        self.order = order;
        self.rebuild(library);
    }

    fn rebuild(&mut self, library: &Library) {
        if self.from_paths.len() != library.len() {
            self.from_paths =
                Placing::from_paths(library.slots().iter().map(|s| s.source.as_str()));
        }
        let placings: Vec<Placing> = library
            .slots()
            .iter()
            .zip(&self.from_paths)
            .map(|(slot, from_path)| {
                slot.summary()
                    .map_or_else(|| from_path.clone(), Placing::from_summary)
            })
            .collect();
        let n = placings.len();
        // A few placings changed (the issues on screen summarised): those slots are moved,
        // not thousands sorted again.
        let changed: Option<Vec<usize>> = (self.sorted_in == Some(self.order)
            && self.placings.len() == n
            && self.slots.len() == n
            && library.is_in_path_order())
        .then(|| {
            (0..n)
                .filter(|&i| placings[i] != self.placings[i])
                .collect()
        })
        .filter(|changed: &Vec<usize>| changed.len() <= (n / 16).max(64));
        self.slots = match changed {
            Some(changed) => order::resorted(
                std::mem::take(&mut self.slots),
                &placings,
                &changed,
                self.order,
            ),
            None => order::sorted_from(library.by_path(), &placings, self.order),
        };
        self.ranks = vec![0; self.slots.len()];
        for (rank, &slot) in self.slots.iter().enumerate() {
            self.ranks[slot] = rank;
        }
        self.rows = with_headers(&self.slots, &placings, self.order);
        self.row_of = vec![0; self.slots.len()];
        for (row, item) in self.rows.iter().enumerate() {
            if let Row::Issue(slot) = item {
                self.row_of[*slot] = row;
            }
        }
        self.generation = Some(library.generation());
        self.placings = placings;
        self.sorted_in = Some(self.order);
    }

    /// The slot at `rank` (clamped to the last issue); None with no issues.
    pub fn slot_at(&self, rank: usize) -> Option<usize> {
        self.slots
            .get(rank.min(self.slots.len().checked_sub(1)?))
            .copied()
    }

    /// The first issue in order (slot 0 with no rows yet).
    pub fn first(&self) -> usize {
        self.slots.first().copied().unwrap_or(0)
    }

    /// The rank of `slot` in the order.
    pub fn rank(&self, slot: usize) -> usize {
        self.ranks.get(slot).copied().unwrap_or(slot)
    }

    /// The row `slot` is drawn on.
    pub fn row(&self, slot: usize) -> usize {
        self.row_of.get(slot).copied().unwrap_or(slot)
    }

    /// The slot drawn on `row`, if that row is an issue.
    pub fn slot_on_row(&self, row: usize) -> Option<usize> {
        match self.rows.get(row)? {
            Row::Issue(slot) => Some(*slot),
            _ => None,
        }
    }
}

/// The issues of `slots` (in order) with a header row where the paper (in paper order) or the
/// month changes. Headers only say something: with no paper known anywhere there are no paper
/// headers, and "no date" heads the undated only after dated ones of the same run.
fn with_headers(slots: &[usize], placings: &[Placing], order: Order) -> Vec<Row> {
    // `YYYY-MM` of the date, borrowed.
    let month = |slot: usize| {
        placings[slot]
            .date
            .as_deref()
            .map(|d| d.get(..7).unwrap_or(d))
    };
    let papers = order == Order::Paper && placings.iter().any(|p| p.paper.is_some());
    let months = order != Order::Path && placings.iter().any(|p| p.date.is_some());
    let mut rows = Vec::with_capacity(slots.len() * 11 / 10 + 2);
    let mut last_paper: Option<Option<&String>> = None;
    let mut last_month: Option<Option<&str>> = None;
    for &slot in slots {
        let paper = placings[slot].paper.as_ref();
        if papers && last_paper != Some(paper) {
            rows.push(Row::Paper(paper.cloned()));
            last_paper = Some(paper);
            last_month = None;
        }
        let this_month = month(slot);
        if months && last_month != Some(this_month) {
            // The undated of a run with no dated issues need no "no date" line.
            if this_month.is_some() || last_month.is_some() {
                rows.push(Row::Month(this_month.map(str::to_string)));
            }
            last_month = Some(this_month);
        }
        rows.push(Row::Issue(slot));
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::order::placing;

    fn shown(rows: &[Row]) -> Vec<String> {
        rows.iter()
            .map(|row| match row {
                Row::Paper(p) => format!("# {}", p.as_deref().unwrap_or("-")),
                Row::Month(m) => format!("## {}", m.as_deref().unwrap_or("-")),
                Row::Issue(slot) => slot.to_string(),
            })
            .collect()
    }

    #[test]
    fn headers_name_each_paper_and_month_once_and_only_when_known() {
        let placings = [
            placing(Some("乙报"), Some("2020-01-02")),
            placing(None, None),
            placing(Some("甲报"), Some("2021-05-01")),
            placing(Some("乙报"), Some("2020-02-01")),
            placing(Some("甲报"), None),
            placing(Some("乙报"), Some("2020-01-09")),
        ];
        let slots = order::sorted(&placings, Order::Paper);
        assert_eq!(
            shown(&with_headers(&slots, &placings, Order::Paper)),
            [
                "# 甲报",
                "## 2021-05",
                "2",
                "## -",
                "4",
                "# 乙报",
                "## 2020-01",
                "0",
                "5",
                "## 2020-02",
                "3",
                "# -",
                "1"
            ]
        );
        let slots = order::sorted(&placings, Order::Date);
        assert_eq!(
            shown(&with_headers(&slots, &placings, Order::Date)),
            [
                "## 2020-01",
                "0",
                "5",
                "## 2020-02",
                "3",
                "## 2021-05",
                "2",
                "## -",
                "4",
                "1"
            ]
        );
        let slots = order::sorted(&placings, Order::Path);
        assert_eq!(
            shown(&with_headers(&slots, &placings, Order::Path)),
            ["0", "1", "2", "3", "4", "5"]
        );
    }

    #[test]
    fn an_archive_with_neither_papers_nor_dates_has_no_headers() {
        let placings = [placing(None, None), placing(None, None)];
        for order in [Order::Paper, Order::Date] {
            let slots = order::sorted(&placings, order);
            assert_eq!(shown(&with_headers(&slots, &placings, order)), ["0", "1"]);
        }
    }
}
