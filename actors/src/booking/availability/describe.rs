//! Saying a slot the way a text message or a voice agent would:
//! "Sat Dec 5 at 10:00 AM", "tomorrow at 2:30 PM".

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::calendar::local_time;
use super::slot::Slot;

/// The slot's local start as "Sat Dec 5 at 10:00 AM".
pub fn describe(slot: &Slot, tz: Tz) -> String {
    local_time(tz, slot.start)
        .format("%a %b %-d at %-I:%M %p")
        .to_string()
}

/// Like [`describe`], but "today at 2:30 PM" or "tomorrow at 9:00 AM"
/// when the slot is on the local day of `now` or the next one.
pub fn describe_relative(slot: &Slot, now: DateTime<Utc>, tz: Tz) -> String {
    let start = local_time(tz, slot.start);
    let today = local_time(tz, now).date();
    let day = start.date();
    let time = start.format("%-I:%M %p");
    if day == today {
        format!("today at {time}")
    } else if today.succ_opt() == Some(day) {
        format!("tomorrow at {time}")
    } else {
        describe(slot, tz)
    }
}

/// A numbered list, one slot a line: "1) Sat Dec 5 at 10:00 AM".
pub fn describe_list(slots: &[Slot], tz: Tz) -> String {
    numbered(slots.iter().map(|slot| describe(slot, tz)))
}

/// A numbered list using [`describe_relative`] for each slot.
pub fn describe_list_relative(slots: &[Slot], now: DateTime<Utc>, tz: Tz) -> String {
    numbered(slots.iter().map(|slot| describe_relative(slot, now, tz)))
}

/// Joins lines as "1) first\n2) second".
fn numbered(lines: impl Iterator<Item = String>) -> String {
    lines
        .enumerate()
        .map(|(index, line)| format!("{}) {line}", index + 1))
        .collect::<Vec<_>>()
        .join("\n")
}
