//! The brain's own words for what tools did, used when the model fails
//! after a tool changed something: the customer hears what happened and
//! the offline brain never runs (it would repeat or contradict it).

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use crate::booking::availability::{describe_relative, Slot};
use crate::brain::tools::AppointmentInfo;

use super::execute::ToolEffect;
use super::text::sms_text;

/// One reply confirming every effect, in order.
pub(super) fn effects_reply(effects: &[ToolEffect], tz: Tz, now: DateTime<Utc>) -> String {
    let when = |a: &AppointmentInfo| {
        let slot = Slot {
            start: a.starts_at,
            end: a.ends_at,
            crew: 0,
        };
        describe_relative(&slot, now, tz)
    };
    let lines: Vec<String> = effects
        .iter()
        .map(|effect| match effect {
            ToolEffect::Booked(a) => format!("You're booked: {} {}.", a.service_name, when(a)),
            ToolEffect::Rescheduled(a) => {
                format!("Done - your {} is moved to {}.", a.service_name, when(a))
            }
            ToolEffect::Cancelled(a) => {
                format!("Your {} {} is cancelled.", a.service_name, when(a))
            }
            ToolEffect::HandedOff { .. } => {
                "I've asked the team to take it from here; they'll text you shortly.".to_owned()
            }
            ToolEffect::MessageTaken => "I passed your message on to the team.".to_owned(),
            ToolEffect::LinkSent => "I just texted you our booking link.".to_owned(),
        })
        .collect();
    sms_text(&lines.join(" "))
}
