//! Picking a few offers out of ranked slots so they give the customer a
//! real choice: different days, or at least a couple of hours apart.

use chrono::{Duration, NaiveDate};
use chrono_tz::Tz;

use super::calendar::local_time;
use super::slot::Slot;

/// Offers on the same day are at least this far apart when possible.
pub const MIN_SPREAD: Duration = Duration::hours(2);

/// Takes up to `count` slots from `tiers` (best tier first, each already
/// ranked). Within each tier it first takes slots on days not yet offered
/// (skipped when the customer wants the `earliest` times), then slots at
/// least [`MIN_SPREAD`] from every offer; only when that cannot fill the
/// list does it go back for closer slots, best tier first.
pub(super) fn spread(tiers: &[Vec<Slot>], count: usize, earliest: bool, tz: Tz) -> Vec<Slot> {
    let day = |slot: &Slot| -> NaiveDate { local_time(tz, slot.start).date() };
    let mut picked: Vec<Slot> = Vec::new();
    for tier in tiers {
        if !earliest {
            take(&mut picked, tier, count, |a, b| day(a) != day(b));
        }
        take(&mut picked, tier, count, |a, b| {
            (a.start - b.start).abs() >= MIN_SPREAD
        });
    }
    for tier in tiers {
        take(&mut picked, tier, count, |a, b| a.start != b.start);
    }
    picked
}

/// Appends, in order, each slot of `tier` that is `apart` from every slot
/// already picked, until `count` are picked.
fn take(picked: &mut Vec<Slot>, tier: &[Slot], count: usize, apart: impl Fn(&Slot, &Slot) -> bool) {
    for slot in tier {
        if picked.len() >= count {
            return;
        }
        if picked.iter().all(|chosen| apart(chosen, slot)) {
            picked.push(*slot);
        }
    }
}
