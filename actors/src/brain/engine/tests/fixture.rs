//! The scripted-conversation file format (documented in
//! `fixtures/conversations/README.md`) and how one file is played.

use crate::brain::agent::Channel;
use servicepro_schema::AppointmentStatus;
use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde::Deserialize;

use crate::booking::availability::Busy;
use crate::brain::engine::{handle_turn, ConversationState};

use super::fake_tools::FakeTools;

/// The phone a fixture customer texts from unless it says otherwise.
pub(crate) const DEFAULT_PHONE: &str = "+19185550123";

/// One conversation file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Fixture {
    pub(crate) industry: String,
    pub(crate) now: DateTime<Utc>,
    pub(crate) description: String,
    #[serde(default)]
    pub(crate) phone: Option<String>,
    #[serde(default)]
    pub(crate) setup: Setup,
    #[serde(rename = "turn")]
    pub(crate) turns: Vec<Turn>,
    #[serde(default)]
    pub(crate) expect: Expect,
    /// A simulated customer who carries on after the scripted turns.
    #[serde(default)]
    pub(crate) customer: Option<super::simulator::Customer>,
}

/// The tenant's calendar and settings before the conversation.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Setup {
    #[serde(default)]
    pub(crate) service_area: Vec<String>,
    /// The stored service-area setting itself (radius, base, travel fee).
    #[serde(default)]
    pub(crate) area: Option<crate::area::ServiceArea>,
    #[serde(default)]
    pub(crate) busy: Vec<Busy>,
    #[serde(default)]
    pub(crate) take_next_slot: bool,
    #[serde(default)]
    pub(crate) appointments: Vec<ExistingAppointment>,
    #[serde(default)]
    pub(crate) failing: Vec<String>,
}

impl Setup {
    /// The service area: the `area` table, else the short list (five
    /// digits: a ZIP, anything else: a city).
    pub(crate) fn area(&self) -> crate::area::ServiceArea {
        if let Some(area) = &self.area {
            return area.clone();
        }
        let (zips, cities) = self
            .service_area
            .iter()
            .cloned()
            .partition(|a| a.len() == 5 && a.bytes().all(|b| b.is_ascii_digit()));
        crate::area::ServiceArea {
            cities,
            zips,
            ..crate::area::ServiceArea::default()
        }
    }
}

/// An appointment that exists before the conversation.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ExistingAppointment {
    pub(crate) service: String,
    pub(crate) start: DateTime<Utc>,
    #[serde(default)]
    pub(crate) phone: Option<String>,
}

/// One customer text and what the reply must (not) say.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Turn {
    pub(crate) say: String,
    #[serde(default)]
    pub(crate) reply_contains: Vec<String>,
    #[serde(default)]
    pub(crate) reply_lacks: Vec<String>,
}

/// Outcomes that must hold after the last turn.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Expect {
    #[serde(default)]
    pub(crate) appointment: Option<AppointmentExpect>,
    #[serde(default)]
    pub(crate) no_appointment: bool,
    #[serde(default)]
    pub(crate) handoff: bool,
    #[serde(default)]
    pub(crate) no_handoff: bool,
    #[serde(default)]
    pub(crate) cancelled: bool,
    #[serde(default)]
    pub(crate) rescheduled_to: Option<LocalTime>,
    #[serde(default)]
    pub(crate) message_taken: bool,
    #[serde(default)]
    pub(crate) appointment_kept: bool,
}

/// The new appointment's facts (tenant-local date and time).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AppointmentExpect {
    pub(crate) service: String,
    #[serde(default)]
    pub(crate) date: Option<NaiveDate>,
    #[serde(default)]
    pub(crate) time: Option<NaiveTime>,
    #[serde(default)]
    pub(crate) price_cents: Option<i32>,
    #[serde(default)]
    pub(crate) addons: Option<Vec<String>>,
    #[serde(default)]
    pub(crate) address_contains: Option<String>,
    #[serde(default)]
    pub(crate) customer_name: Option<String>,
    #[serde(default)]
    pub(crate) details: BTreeMap<String, String>,
}

/// A tenant-local date and time.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct LocalTime {
    pub(crate) date: NaiveDate,
    pub(crate) time: NaiveTime,
}

/// The longest reply a fixture accepts.
pub(crate) const MAX_FIXTURE_REPLY: usize = 480;

/// Plays a fixture; returns the transcript and every failed expectation.
pub(crate) async fn play(fx: &Fixture) -> (String, Vec<String>) {
    let (transcript, failures, _) = play_with(fx).await;
    (transcript, failures)
}

/// The fake tools with the fixture's setup, before any turn.
pub(crate) fn tools_for(fx: &Fixture) -> FakeTools {
    let tools = FakeTools::new(&fx.industry, fx.now);
    tools.set_area(fx.setup.area());
    tools.set_failing(fx.setup.failing.clone());
    for busy in &fx.setup.busy {
        tools.add_busy(*busy);
    }
    for a in &fx.setup.appointments {
        tools.add_appointment(&a.service, a.start, a.phone.as_deref());
    }
    if fx.setup.take_next_slot {
        tools.take_next_slot();
    }
    tools
}

/// Plays `fx` and hands back the tools, for comparing what was done.
pub(crate) async fn play_with(fx: &Fixture) -> (String, Vec<String>, FakeTools) {
    let tools = tools_for(fx);
    let phone = fx.phone.clone().unwrap_or_else(|| DEFAULT_PHONE.to_owned());
    let phone = Some(phone.as_str()).filter(|p| !p.is_empty());
    let mut stored = ConversationState::default()
        .to_json()
        .expect("state serialises");
    let mut transcript = String::new();
    let mut failures = Vec::new();
    let mut last_reply = String::new();
    for (i, turn) in fx.turns.iter().enumerate() {
        let mut state = ConversationState::from_json(&stored);
        let response =
            handle_turn(&mut state, &turn.say, phone, Channel::Sms, &tools, fx.now).await;
        stored = state.to_json().expect("state serialises");
        let reply = response.reply;
        last_reply.clone_from(&reply);
        transcript.push_str(&format!(
            "  > {}\n  < {}\n",
            turn.say,
            reply.replace('\n', "\n    ")
        ));
        let n = i + 1;
        if reply.trim().is_empty() {
            failures.push(format!("turn {n}: empty reply"));
        }
        if reply.len() > MAX_FIXTURE_REPLY {
            failures.push(format!("turn {n}: reply is {} chars", reply.len()));
        }
        if !reply.is_ascii() {
            failures.push(format!("turn {n}: reply is not ASCII"));
        }
        let lower = reply.to_lowercase();
        for want in &turn.reply_contains {
            if !lower.contains(&want.to_lowercase()) {
                failures.push(format!("turn {n}: reply lacks {want:?}"));
            }
        }
        for unwanted in &turn.reply_lacks {
            if lower.contains(&unwanted.to_lowercase()) {
                failures.push(format!("turn {n}: reply has {unwanted:?}"));
            }
        }
    }
    if let Some(customer) = &fx.customer {
        let tz = tools_tz(&tools);
        let mut simulated = 0;
        let mut state = ConversationState::from_json(&stored);
        while let Some(say) = customer.next(&last_reply, &state, &tools, tz) {
            simulated += 1;
            if simulated > super::simulator::MAX_SIMULATED_TURNS {
                failures.push(String::from("the simulated customer never got booked"));
                break;
            }
            let response = handle_turn(&mut state, &say, phone, Channel::Sms, &tools, fx.now).await;
            state = ConversationState::from_json(&state.to_json().expect("state serialises"));
            last_reply = response.reply;
            transcript.push_str(&format!(
                "  > {say}   (simulated)\n  < {}\n",
                last_reply.replace('\n', "\n    ")
            ));
        }
    }
    check_outcome(fx, &tools, &mut failures);
    (transcript, failures, tools)
}

fn check_outcome(fx: &Fixture, tools: &FakeTools, failures: &mut Vec<String>) {
    let tz = tools_tz(tools);
    let all = tools.appointments();
    let new: Vec<_> = all.iter().filter(|a| !a.preexisting).collect();
    let e = &fx.expect;
    if e.no_appointment && !new.is_empty() {
        failures.push(format!(
            "expected no appointment, got {:?}",
            new.first().map(|a| &a.info)
        ));
    }
    if let Some(want) = &e.appointment {
        match new
            .iter()
            .find(|a| a.info.status == AppointmentStatus::Booked)
        {
            None => failures.push(String::from("expected an appointment, none booked")),
            Some(got) => {
                let local = got.info.starts_at.with_timezone(&tz);
                if !got.info.service_name.eq_ignore_ascii_case(&want.service) {
                    failures.push(format!(
                        "service {} != {}",
                        got.info.service_name, want.service
                    ));
                }
                if want.date.is_some_and(|d| d != local.date_naive()) {
                    failures.push(format!("date {} != {:?}", local.date_naive(), want.date));
                }
                if want.time.is_some_and(|t| t != local.time()) {
                    failures.push(format!("time {} != {:?}", local.time(), want.time));
                }
                if want.price_cents.is_some_and(|p| p != got.info.price_cents) {
                    failures.push(format!(
                        "price {} != {:?}",
                        got.info.price_cents, want.price_cents
                    ));
                }
                if let Some(addons) = &want.addons {
                    let names: Vec<String> = got
                        .addon_ids
                        .iter()
                        .filter_map(|id| tools.service(*id).map(|s| s.name.clone()))
                        .collect();
                    if &names != addons {
                        failures.push(format!("addons {names:?} != {addons:?}"));
                    }
                }
                if let Some(part) = &want.address_contains {
                    let address = got.info.address.clone().unwrap_or_default();
                    if !address.to_lowercase().contains(&part.to_lowercase()) {
                        failures.push(format!("address {address:?} lacks {part:?}"));
                    }
                }
                if let Some(name) = &want.customer_name {
                    if got.customer_name.as_deref() != Some(name.as_str()) {
                        failures.push(format!("name {:?} != {name:?}", got.customer_name));
                    }
                }
                for (key, value) in &want.details {
                    let got_value = got.details.get(key).and_then(|v| v.as_str());
                    if got_value != Some(value.as_str()) {
                        failures.push(format!("detail {key} = {got_value:?}, wanted {value:?}"));
                    }
                }
            }
        }
    }
    let handed = !tools.handoffs().is_empty();
    if e.handoff && !handed {
        failures.push(String::from("expected a handoff"));
    }
    if e.no_handoff && handed {
        failures.push(String::from("expected no handoff"));
    }
    if e.message_taken && tools.messages().is_empty() && !handed {
        failures.push(String::from("expected a message for the owner"));
    }
    if e.cancelled
        && !all
            .iter()
            .any(|a| a.preexisting && a.info.status == AppointmentStatus::Cancelled)
    {
        failures.push(String::from("expected the appointment cancelled"));
    }
    if e.appointment_kept {
        let before = &fx.setup.appointments;
        let kept = all.iter().filter(|a| a.preexisting).all(|a| {
            a.info.status == AppointmentStatus::Booked
                && before.iter().any(|b| b.start == a.info.starts_at)
        });
        if !kept {
            failures.push(String::from("expected existing appointments untouched"));
        }
    }
    if let Some(want) = &e.rescheduled_to {
        let moved = all.iter().filter(|a| a.preexisting).any(|a| {
            let local = a.info.starts_at.with_timezone(&tz);
            local.date_naive() == want.date
                && local.time() == want.time
                && a.info.status == AppointmentStatus::Booked
        });
        if !moved {
            failures.push(format!("expected a move to {} {}", want.date, want.time));
        }
    }
}

fn tools_tz(tools: &FakeTools) -> chrono_tz::Tz {
    use crate::brain::tools::AgentTools;
    tools.profile().time_zone
}
