//! Moving and cancelling an existing appointment by text: find it, offer
//! new times or ask for a yes, then act.

use chrono::{Duration, NaiveDateTime};

use crate::brain::agent::NextAction;
use crate::brain::tools::{AppointmentInfo, BookOutcome};
use servicepro_schema::AppointmentStatus;

use super::confirm_text::{cancelled_text, moved_text};
use super::context::Ctx;
use super::handoff::trouble;
use super::offer::{offer_times, picked, present_alternatives, repeat_offer};
use super::reply::Reply;
use super::spoken::{confirm, when};
use super::state::{Awaiting, ConversationState, TargetAppointment, Task};
use super::text::{clock, day_label, local, with_article};
use super::when::{beyond_offered, merge};

/// What looking up the customer's appointments found.
pub(super) enum Lookup {
    /// The flow is under way (or a reply was given).
    Started,
    /// The customer has no upcoming appointment.
    NoneFound,
}

/// Starts moving (`Task::Rescheduling`) or cancelling an appointment.
pub(super) async fn start(
    state: &mut ConversationState,
    ctx: &Ctx<'_>,
    reply: &mut Reply,
    task: Task,
) -> Lookup {
    let Some(phone) = ctx.phone else {
        let business = ctx.business().to_owned();
        reply.main(format!(
            "I can't look up appointments from {}. {} and someone from {business} will help.",
            ctx.say.here(),
            ctx.say.yes()
        ));
        state.person_offered = true;
        return Lookup::Started;
    };
    let Some(targets) = upcoming(state, ctx, reply, phone).await else {
        return Lookup::Started;
    };
    state.when = ctx.u.when.is_specified().then_some(ctx.u.when);
    state.upsell_pending = false;
    match targets.as_slice() {
        [] => Lookup::NoneFound,
        [only] => {
            state.task = task;
            state.target = Some(only.clone());
            proceed(state, ctx, reply).await;
            Lookup::Started
        }
        _ => {
            state.task = task;
            state.appointment_choices = targets;
            // "cancel the 2nd one", "move the gutter one to sat": the
            // same text already says which.
            if !pick_appointment(state, ctx, reply).await {
                ask_which(state, ctx, reply);
            }
            Lookup::Started
        }
    }
}

/// The customer's upcoming booked appointments, soonest first; None when
/// the lookup failed (the reply says so).
async fn upcoming(
    state: &mut ConversationState,
    ctx: &Ctx<'_>,
    reply: &mut Reply,
    phone: &str,
) -> Option<Vec<TargetAppointment>> {
    let mut list: Vec<AppointmentInfo> = match ctx.tools.upcoming_appointments(phone).await {
        Ok(list) => list,
        Err(_) => {
            trouble(state, ctx, reply, "looking up your appointment");
            return None;
        }
    };
    list.retain(|a| a.status == AppointmentStatus::Booked && a.starts_at > ctx.now);
    list.sort_by_key(|a| a.starts_at);
    Some(list.into_iter().map(target_of).collect())
}

/// "whats my appt time", "when are you coming", "is my appt still on for
/// sat": tells the customer's upcoming appointments and changes nothing.
/// Lookup::NoneFound when there are none.
pub(super) async fn tell(
    state: &mut ConversationState,
    ctx: &Ctx<'_>,
    reply: &mut Reply,
) -> Lookup {
    let Some(phone) = ctx.phone else {
        return Lookup::NoneFound;
    };
    let Some(targets) = upcoming(state, ctx, reply, phone).await else {
        return Lookup::Started;
    };
    let tz = ctx.tz();
    let asked_day = ctx.u.when.date;
    let lines: Vec<String> = targets
        .iter()
        .map(|a| format!("{} on {}", a.service_name, describe(a, ctx)))
        .collect();
    let text = match lines.as_slice() {
        [] => return Lookup::NoneFound,
        [one] => {
            let day = targets.first().map(|a| local(a.starts_at, tz).date_naive());
            let still = ctx.u.normalized.split(' ').any(|w| w == "still");
            let asked_that_day = asked_day != crate::brain::nlu::DateSpec::Any
                && day.is_some_and(|d| asked_day.contains(d));
            if asked_that_day || (still && asked_day == crate::brain::nlu::DateSpec::Any) {
                format!("Yes, you're all set: your {one}.")
            } else {
                format!("Your upcoming appointment is your {one}.")
            }
        }
        many => format!("Your upcoming appointments:\n{}", many.join("\n")),
    };
    reply.main(format!(
        "{text} Let me know if you need to change anything."
    ));
    if state.task == Task::Idle {
        state.awaiting = Awaiting::Nothing;
    }
    Lookup::Started
}

/// Says there is nothing to move or cancel.
pub(super) fn none_found(state: &mut ConversationState, ctx: &Ctx<'_>, reply: &mut Reply) {
    let noun = ctx.job_noun().to_owned();
    state.task = Task::Idle;
    state.awaiting = Awaiting::Service;
    reply.main(format!(
        "I don't see an upcoming appointment for this number. Want to book {}?",
        with_article(&noun)
    ));
}

/// A reply while the customer picks among their appointments.
pub(super) async fn pick_appointment(
    state: &mut ConversationState,
    ctx: &Ctx<'_>,
    reply: &mut Reply,
) -> bool {
    let tz = ctx.tz();
    let starts: Vec<NaiveDateTime> = state
        .appointment_choices
        .iter()
        .map(|a| local(a.starts_at, tz).naive_local())
        .collect();
    let index = ctx
        .u
        .slot_choice
        .and_then(|c| c.pick(&starts))
        .or_else(|| named_choice(state, ctx));
    let Some(chosen) = index
        .and_then(|i| state.appointment_choices.get(i))
        .cloned()
    else {
        return false;
    };
    state.appointment_choices.clear();
    state.target = Some(chosen);
    proceed(state, ctx, reply).await;
    true
}

/// The one appointment whose service the text names ("the gutter one").
fn named_choice(state: &ConversationState, ctx: &Ctx<'_>) -> Option<usize> {
    let names: Vec<String> = super::absorb::named_services(&ctx.u)
        .filter(|t| !t.negated)
        .filter_map(|t| ctx.catalog.get(t.id))
        .map(|s| s.name.to_lowercase())
        .collect();
    let hits: Vec<usize> = state
        .appointment_choices
        .iter()
        .enumerate()
        .filter(|(_, a)| names.contains(&a.service_name.to_lowercase()))
        .map(|(i, _)| i)
        .collect();
    match hits.as_slice() {
        [only] => Some(*only),
        _ => None,
    }
}

/// With the target known: offer new times, or ask to confirm the cancel.
/// Moves `target` instead of booking a new job (a returning customer who
/// meant the appointment they have): offers its new times.
pub(super) async fn move_instead(
    state: &mut ConversationState,
    ctx: &Ctx<'_>,
    reply: &mut Reply,
    target: TargetAppointment,
) {
    let asked = ctx.u.when.is_specified().then_some(ctx.u.when);
    let when = asked.or(state.when.take());
    state.reset_booking();
    state.when = when;
    state.task = Task::Rescheduling;
    state.target = Some(target);
    proceed(state, ctx, reply).await;
}

async fn proceed(state: &mut ConversationState, ctx: &Ctx<'_>, reply: &mut Reply) {
    let Some(target) = state.target.clone() else {
        return;
    };
    let when = describe(&target, ctx);
    if state.task == Task::Cancelling {
        state.awaiting = Awaiting::ConfirmCancel;
        let summary = format!("Cancel {} on {when}", target.service_name);
        reply.main(format!(
            "Just to confirm: cancel your {} on {when}? {}",
            target.service_name,
            ctx.say.yes_to_cancel()
        ));
        reply.action(NextAction::Confirm { summary });
        return;
    }
    // "can we push it an hour", "move it up 30 minutes": the same day,
    // that much later (or earlier).
    if let Some(minutes) = shift_minutes(&ctx.u.normalized) {
        let moved = local(target.starts_at, ctx.tz()).naive_local() + Duration::minutes(minutes);
        state.when = Some(crate::brain::nlu::WhenPreference {
            date: crate::brain::nlu::DateSpec::ExactDate(moved.date()),
            time: crate::brain::nlu::TimeSpec::Exact(moved.time()),
        });
    }
    // "move it to the afternoon", "can you come at 11 instead": a time
    // with no day keeps the appointment's day.
    if let Some(w) = state.when.as_mut() {
        if w.date == crate::brain::nlu::DateSpec::Any && w.time != crate::brain::nlu::TimeSpec::Any
        {
            w.date = crate::brain::nlu::DateSpec::ExactDate(
                local(target.starts_at, ctx.tz()).date_naive(),
            );
        }
    }
    reply.lead(format!("Sure! Your {} is {when}.", target.service_name));
    let intro = String::from("the new time");
    offer_times(state, ctx, reply, target.duration_minutes, &intro).await;
}

/// A reply while new times for the target are on offer.
pub(super) async fn reschedule_turn(
    state: &mut ConversationState,
    ctx: &Ctx<'_>,
    reply: &mut Reply,
) -> bool {
    let Some(target) = state.target.clone() else {
        return false;
    };
    let slot = picked(state, ctx).or(state.proposed.filter(|_| ctx.yes()));
    if let Some(slot) = slot {
        let slot = crate::booking::availability::Slot {
            end: slot.start + Duration::minutes(i64::from(target.duration_minutes)),
            ..slot
        };
        match ctx.tools.reschedule_appointment(target.id, slot).await {
            Ok(BookOutcome::Booked(info)) => {
                confirm(ctx, reply, moved_text(state, ctx, &info, &target), |say| {
                    let (date, time) = when(info.starts_at, ctx);
                    say.moved(&info.service_name, &date, &time)
                });
                reply.action(NextAction::Reschedule {
                    appointment_id: info.id,
                });
                finish(state);
            }
            Ok(BookOutcome::SlotTaken { alternatives }) => {
                reply.lead("Sorry, that time was just taken!");
                present_alternatives(state, ctx, reply, alternatives);
            }
            Ok(BookOutcome::Rejected {
                reason,
                alternatives,
            }) => {
                reply.lead(format!("Sorry, I can't move it to that time ({reason})."));
                present_alternatives(state, ctx, reply, alternatives);
            }
            Err(_) => trouble(state, ctx, reply, "moving your appointment"),
        }
        return true;
    }
    let shifted = beyond_offered(state.when, &ctx.u, &state.offered, ctx.tz());
    if ctx.u.when.is_specified() || shifted.is_some() {
        state.when = Some(shifted.unwrap_or_else(|| merge(state.when, ctx.u.when)));
        let intro = String::from("the new time");
        offer_times(state, ctx, reply, target.duration_minutes, &intro).await;
        return true;
    }
    if ctx.no() {
        reply.main(
            "No problem. What day or time would work better? Or say keep it to leave it as is.",
        );
        return true;
    }
    if ctx.u.normalized.contains("keep") {
        reply.main(format!("OK, your {} stays as it is.", target.service_name));
        finish(state);
        return true;
    }
    if ctx.yes() {
        repeat_offer(state, ctx, reply);
        return true;
    }
    // "how long does it take?" while new times are on offer: answer, then
    // show the times again.
    if super::questions::answer_questions(state, ctx, reply, false, false).await {
        repeat_offer(state, ctx, reply);
        return true;
    }
    false
}

/// A reply to "cancel your ...? YES/NO".
pub(super) async fn confirm_cancel(
    state: &mut ConversationState,
    ctx: &Ctx<'_>,
    reply: &mut Reply,
) -> bool {
    let Some(target) = state.target.clone() else {
        return false;
    };
    if ctx.no() {
        reply.main(format!(
            "OK, I'll keep your {} on {}.",
            target.service_name,
            describe(&target, ctx)
        ));
        finish(state);
        return true;
    }
    if !ctx.yes() && !ctx.has(crate::brain::nlu::Intent::Cancel) {
        return false;
    }
    match ctx.tools.cancel_appointment(target.id).await {
        Ok(info) => {
            reply.main(cancelled_text(state, ctx, &info));
            reply.action(NextAction::Cancel {
                appointment_id: info.id,
            });
            finish(state);
        }
        Err(_) => trouble(state, ctx, reply, "cancelling that"),
    }
    true
}

/// Asks which of several appointments.
fn ask_which(state: &mut ConversationState, ctx: &Ctx<'_>, reply: &mut Reply) {
    state.awaiting = Awaiting::PickAppointment;
    let lines: Vec<String> = state
        .appointment_choices
        .iter()
        .enumerate()
        .map(|(i, a)| format!("{}) {} {}", i + 1, a.service_name, describe(a, ctx)))
        .collect();
    reply.main(format!(
        "Which appointment?\n{}\n{}",
        lines.join("\n"),
        ctx.say.pick_one(lines.len())
    ));
}

/// The flow is over; the conversation goes back to idle.
fn finish(state: &mut ConversationState) {
    state.task = Task::Idle;
    state.awaiting = Awaiting::Nothing;
    state.target = None;
    state.offered.clear();
    state.proposed = None;
    state.when = None;
}

/// How far "push it an hour", "back 2 hours", "up 30 minutes", "half an
/// hour earlier" moves an appointment, in minutes (negative for earlier).
fn shift_minutes(text: &str) -> Option<i64> {
    let words: Vec<&str> = text.split(' ').collect();
    let mut total = None;
    for (i, w) in words.iter().enumerate() {
        let unit = match *w {
            "hour" | "hours" => 60,
            "minutes" | "minute" => 1,
            _ => continue,
        };
        let before = i.checked_sub(1).and_then(|j| words.get(j)).copied();
        let half = i >= 2 && words.get(i - 2) == Some(&"half");
        let count: i64 = match before {
            Some("an") if half => 30,
            Some("a" | "an" | "one") => unit,
            Some(n) => n.parse::<i64>().ok().filter(|n| (1..=600).contains(n))? * unit,
            None => return None,
        };
        total = Some(count);
        break;
    }
    let total = total.filter(|t| *t < 24 * 60)?;
    let earlier = words
        .iter()
        .any(|w| matches!(*w, "earlier" | "sooner" | "up"));
    Some(if earlier { -total } else { total })
}

/// "Saturday Dec 5 at 8:00 AM".
pub(super) fn describe(target: &TargetAppointment, ctx: &Ctx<'_>) -> String {
    let tz = ctx.tz();
    format!(
        "{} at {}",
        day_label(local(target.starts_at, tz).date_naive()),
        clock(target.starts_at, tz)
    )
}

pub(super) fn target_of(a: AppointmentInfo) -> TargetAppointment {
    let minutes = (a.ends_at - a.starts_at).num_minutes();
    TargetAppointment {
        id: a.id,
        service_name: a.service_name,
        starts_at: a.starts_at,
        duration_minutes: i32::try_from(minutes).unwrap_or(60).max(1),
        address: a.address,
    }
}
