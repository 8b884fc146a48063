//! The customer simulator: after a fixture's scripted texts, a customer
//! with a goal keeps the conversation going the way a person would. It
//! objects when the agent has the wrong service ("no, not the Full Detail,
//! the Exterior Detail"), picks an offered time that fits its wish by
//! number, says what it prefers in its own words when none fits, says yes
//! to a proposed time that fits, and answers the agent's questions from
//! what it knows. It reads the engine's state for the offered times (what
//! the customer sees as the numbered list), so it is deterministic.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveTime};
use chrono_tz::Tz;
use serde::Deserialize;

use crate::booking::availability::Slot;
use crate::brain::engine::ConversationState;

use super::fake_tools::FakeTools;

/// The simulated customer's goal (`[customer]` in a fixture).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Customer {
    /// The service they want, by the pack's name.
    pub(crate) service: String,
    /// The local day a time must be on, if they care.
    #[serde(default)]
    pub(crate) day: Option<NaiveDate>,
    /// A time must start at or after this (local), if they care.
    #[serde(default)]
    pub(crate) after: Option<NaiveTime>,
    /// A time must start before this (local), if they care.
    #[serde(default)]
    pub(crate) before: Option<NaiveTime>,
    /// What they text when the offered times do not fit.
    pub(crate) prefers: String,
    /// Answers to the agent's questions: a word of the question -> the reply.
    #[serde(default)]
    pub(crate) answers: BTreeMap<String, String>,
}

/// At most this many simulated texts.
pub(crate) const MAX_SIMULATED_TURNS: usize = 8;

impl Customer {
    /// Whether `slot` is a time this customer can take.
    fn fits(&self, slot: &Slot, tz: Tz) -> bool {
        let local = slot.start.with_timezone(&tz).naive_local();
        self.day.is_none_or(|d| local.date() == d)
            && self.after.is_none_or(|t| local.time() >= t)
            && self.before.is_none_or(|t| local.time() < t)
    }

    /// The next text, or `None` when the conversation is done (booked) or
    /// the customer has nothing to say to `reply`.
    pub(crate) fn next(
        &self,
        reply: &str,
        state: &ConversationState,
        tools: &FakeTools,
        tz: Tz,
    ) -> Option<String> {
        let lower = reply.to_lowercase();
        if lower.contains("booked") {
            return None;
        }
        let chosen = state.service_id.and_then(|id| tools.service(id));
        if let Some(wrong) = chosen.filter(|s| !s.name.eq_ignore_ascii_case(&self.service)) {
            if lower.contains(&wrong.name.to_lowercase()) {
                return Some(format!(
                    "no, not the {}, i want the {}",
                    wrong.name.to_lowercase(),
                    self.service.to_lowercase()
                ));
            }
        }
        if let Some(slot) = &state.proposed {
            return Some(if self.fits(slot, tz) {
                "yes".to_owned()
            } else {
                format!("no, {}", self.prefers)
            });
        }
        if !state.offered.is_empty() && lower.contains("1)") {
            return Some(match state.offered.iter().position(|s| self.fits(s, tz)) {
                Some(i) => (i + 1).to_string(),
                None => format!("none of those work. {}", self.prefers),
            });
        }
        self.answers
            .iter()
            .find(|(cue, _)| lower.contains(&cue.to_lowercase()))
            .map(|(_, answer)| answer.clone())
    }
}
