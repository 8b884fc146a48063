//! What a customer asked for ("Saturday morning", "Tuesday at 2",
//! "as soon as possible"), as the booking agent understood it.

use chrono::{Datelike, NaiveDate, NaiveTime, Weekday};
use serde::{Deserialize, Serialize};

/// The customer's wish, used by [`offer`](super::offer) to rank slots.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlotPreference {
    /// Which days.
    pub days: DayFilter,
    /// Which time of day.
    pub window: TimeWindow,
    /// The customer wants the soonest times ("first available"): offers
    /// stay in time order and may share a day, rather than being spread
    /// over several days.
    pub earliest: bool,
    /// The appointment being moved, if any: its own time counts as free, so "push it
    /// an hour" can overlap where it is now.
    #[serde(default)]
    pub moving: Option<i64>,
}

/// Which local days the customer asked for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum DayFilter {
    /// No day preference.
    #[default]
    Any,
    /// One date ("Friday the 12th", "tomorrow").
    Date(NaiveDate),
    /// Any such weekday in the horizon ("a Tuesday").
    Weekday(Weekday),
    /// Saturdays and Sundays.
    Weekend,
    /// Several dates ("Tuesday or Thursday"). An empty list is no day
    /// preference at all, like `Any`.
    Dates(Vec<NaiveDate>),
}

/// Which local time of day the customer asked for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum TimeWindow {
    /// No time preference.
    #[default]
    Any,
    /// A start at exactly this time ("at 10").
    Exact(NaiveTime),
    /// A start from the first time up to, not including, the second
    /// ("between 9 and noon"); a window that ends before it starts
    /// matches nothing.
    Between(NaiveTime, NaiveTime),
}

impl DayFilter {
    /// Whether the customer would take a job on `date`.
    pub fn matches(&self, date: NaiveDate) -> bool {
        match self {
            DayFilter::Any => true,
            DayFilter::Date(wanted) => *wanted == date,
            DayFilter::Weekday(day) => date.weekday() == *day,
            DayFilter::Weekend => matches!(date.weekday(), Weekday::Sat | Weekday::Sun),
            DayFilter::Dates(wanted) => wanted.is_empty() || wanted.contains(&date),
        }
    }

    /// The dates asked for, sorted: the listed ones for `Date` and
    /// `Dates` (even when not bookable), otherwise those of the bookable
    /// dates `all` that match.
    pub(super) fn asked_dates(&self, all: &[NaiveDate]) -> Vec<NaiveDate> {
        let mut asked = match self {
            DayFilter::Date(date) => vec![*date],
            DayFilter::Dates(dates) if !dates.is_empty() => dates.clone(),
            DayFilter::Any | DayFilter::Dates(_) | DayFilter::Weekday(_) | DayFilter::Weekend => {
                all.iter()
                    .copied()
                    .filter(|date| self.matches(*date))
                    .collect()
            }
        };
        asked.sort_unstable();
        asked.dedup();
        asked
    }
}

impl TimeWindow {
    /// Whether a job starting at local `time` is what was asked for.
    pub fn matches(&self, time: NaiveTime) -> bool {
        match *self {
            TimeWindow::Any => true,
            TimeWindow::Exact(wanted) => wanted == time,
            TimeWindow::Between(from, to) => from <= time && time < to,
        }
    }

    /// How far, in minutes, a start at `time` is from what was asked for;
    /// zero inside the window. Ranks fallback offers.
    pub(super) fn distance_minutes(&self, time: NaiveTime) -> i64 {
        let gap = |a: NaiveTime, b: NaiveTime| (a - b).num_minutes().abs();
        match *self {
            TimeWindow::Any => 0,
            TimeWindow::Exact(wanted) => gap(wanted, time),
            TimeWindow::Between(from, _) if time < from => gap(from, time),
            TimeWindow::Between(_, to) if time >= to => gap(time, to),
            TimeWindow::Between(..) => 0,
        }
    }
}
