//! Offering concrete times and booking the one the customer picks.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use chrono_tz::Tz;

use crate::booking::availability::{DayFilter, OfferNote, Slot, TimeWindow};
use crate::brain::agent::NextAction;
use crate::brain::nlu::SlotChoice;
use crate::brain::timing::slot_preference;
use crate::brain::tools::{BookOutcome, BookingRequest};

use super::confirm_text::Confirmation;
use super::context::Ctx;
use super::handoff::trouble;
use super::reply::Reply;
use super::spoken::{confirm, when};
use super::state::{Awaiting, ConversationState, Task};
use super::text::{clock, day_label, local, slot_label, slot_list, usd, with_article};
use super::upsell;

/// How many times are offered at once.
pub(super) const OFFER_COUNT: usize = 3;

/// Looks up times for a job of `minutes` and puts them to the customer.
/// `intro` names the job ("your Full Detail at 123 Main St").
pub(super) async fn offer_times(
    state: &mut ConversationState,
    ctx: &Ctx<'_>,
    reply: &mut Reply,
    minutes: i32,
    intro: &str,
) {
    let mut preference = slot_preference(&state.when.unwrap_or_default(), false);
    let moving = state
        .target
        .as_ref()
        .filter(|_| state.task == Task::Rescheduling);
    preference.moving = moving.map(|t| t.id);
    let wanted = OFFER_COUNT + usize::from(moving.is_some());
    let mut offer = match ctx
        .tools
        .check_availability(minutes, &preference, wanted)
        .await
    {
        Ok(offer) => offer,
        Err(_) => return trouble(state, ctx, reply, "checking the schedule"),
    };
    if let Some(target) = moving {
        // The appointment's own time is free to it, but not a new time to offer
        // (unless it is exactly what the customer asked for).
        let asked_first = offer.matched_preference;
        let mut index = 0;
        offer.slots.retain(|slot| {
            let keep = slot.start != target.starts_at || (index == 0 && asked_first);
            index += 1;
            keep
        });
        offer.slots.truncate(OFFER_COUNT);
    }
    state.proposed = None;
    if offer.slots.is_empty() {
        state.offered.clear();
        state.awaiting = Awaiting::Nothing;
        reply.lead("Sorry, we're fully booked for the next couple of weeks.");
        return trouble_free_fallback(state, ctx, reply);
    }
    let tz = ctx.tz();
    let in_range = |slot: &Slot| match preference.window {
        TimeWindow::Between(from, to) => (from..to).contains(&local(slot.start, tz).time()),
        _ => false,
    };
    let none_in_range = match preference.window {
        TimeWindow::Between(from, to) if !offer.slots.iter().any(in_range) => {
            // The engine offers every free time in the window first, so
            // none offered means none within the booking horizon.
            reply.lead(format!(
                "Sorry, I don't have anything {} in the next couple of weeks.",
                window_phrase(from, to)
            ));
            true
        }
        TimeWindow::Between(from, to)
            if matches!(
                offer.note,
                Some(OfferNote::TimeTaken | OfferNote::OutsideHours)
            ) =>
        {
            let day = match preference.days {
                DayFilter::Date(d) => format!("on {}", day_label(d)),
                _ => String::from("then"),
            };
            reply.lead(format!(
                "Sorry, I don't have anything {} {day}.",
                window_phrase(from, to)
            ));
            false
        }
        _ => {
            if let Some(note) = offer.note {
                reply.lead(note_text(note, state.when.is_some()));
            }
            false
        }
    };
    state.offered = offer.slots.clone();
    state.awaiting = Awaiting::Slot;
    let exact = matches!(preference.window, TimeWindow::Exact(_));
    if offer.matched_preference && exact {
        if let Some(first) = offer.slots.first() {
            state.proposed = Some(*first);
            propose(state, ctx, reply, *first, intro);
            return;
        }
    }
    if state.task == Task::Booking {
        upsell::maybe_offer(state, ctx, reply, upsell::Place::AfterList);
    }
    let n = state.offered.len();
    let what = if none_in_range {
        "Here are the closest times I have"
    } else {
        "Here's what I have"
    };
    reply.main(format!(
        "{what} for {intro}:\n{}\n{}",
        slot_list(&state.offered, ctx.tz()),
        ctx.say.pick_time(n)
    ));
    reply.action(NextAction::CollectInfo {
        field: String::from("slot"),
    });
}

/// Puts one slot up for a yes, with the other offers as numbers.
fn propose(
    state: &mut ConversationState,
    ctx: &Ctx<'_>,
    reply: &mut Reply,
    slot: Slot,
    intro: &str,
) {
    let tz = ctx.tz();
    let others: Vec<String> = state
        .offered
        .iter()
        .enumerate()
        .skip(1)
        .map(|(i, s)| format!("{}) {}", i + 1, slot_label(s, tz)))
        .collect();
    let label = slot_label(&slot, tz);
    let mut text = format!(
        "Good news, {label} is open for {intro}! {}",
        ctx.say.yes_to_book()
    );
    if others.is_empty() {
        text.push('.');
    } else {
        text.push_str(&format!(", or pick another:\n{}", others.join("\n")));
    }
    reply.main(text);
    reply.action(NextAction::Confirm {
        summary: format!("{intro} on {label}"),
    });
}

/// Re-shows the current offer (after an answer or a "no" to the upsell).
pub(super) fn repeat_offer(state: &ConversationState, ctx: &Ctx<'_>, reply: &mut Reply) {
    let n = state.offered.len();
    reply.main(format!(
        "Which time works?\n{}\n{}",
        slot_list(&state.offered, ctx.tz()),
        ctx.say.pick_time(n)
    ));
}

/// Shows fresh alternatives after a lost race or a rejected time.
pub(super) fn present_alternatives(
    state: &mut ConversationState,
    ctx: &Ctx<'_>,
    reply: &mut Reply,
    alternatives: Vec<Slot>,
) {
    state.offered = alternatives.into_iter().take(OFFER_COUNT).collect();
    state.proposed = None;
    state.awaiting = Awaiting::Slot;
    repeat_offer(state, ctx, reply);
}

/// The offered slot the text picks, if exactly one fits.
pub(super) fn picked(state: &ConversationState, ctx: &Ctx<'_>) -> Option<Slot> {
    let choice = ctx.u.slot_choice?;
    let starts = offered_starts(state, ctx.tz());
    if let Some(i) = choice.pick(&starts) {
        return state.offered.get(i).copied();
    }
    // "the 5pm one" with 5 PM offered on several days: the one on the day
    // the customer asked for, if exactly one is.
    let SlotChoice::ByTime(time) = choice else {
        return None;
    };
    let days = slot_preference(&state.when.unwrap_or_default(), false).days;
    if days == DayFilter::Any {
        return None;
    }
    let mut hits = state
        .offered
        .iter()
        .zip(&starts)
        .filter(|(_, start)| start.time() == time && days.matches(start.date()));
    match (hits.next(), hits.next()) {
        (Some((slot, _)), None) => Some(*slot),
        _ => None,
    }
}

/// The offered slots' starts on the tenant's wall clock, in offer order.
fn offered_starts(state: &ConversationState, tz: Tz) -> Vec<NaiveDateTime> {
    state
        .offered
        .iter()
        .map(|s| local(s.start, tz).naive_local())
        .collect()
}

/// "the friday one" when several offered times are on Friday: asks which
/// of them, by number ("Which of the Friday times works best: 1, 2 or 3?").
pub(super) fn which_on_day(state: &ConversationState, ctx: &Ctx<'_>) -> Option<String> {
    let tz = ctx.tz();
    let days: Vec<NaiveDate> = offered_starts(state, tz)
        .iter()
        .map(NaiveDateTime::date)
        .collect();
    let on = |fits: &dyn Fn(&NaiveDate) -> bool| -> Vec<usize> {
        days.iter()
            .enumerate()
            .filter(|(_, d)| fits(d))
            .map(|(i, _)| i)
            .collect()
    };
    let (hits, label): (Vec<usize>, String) = match ctx.u.slot_choice? {
        SlotChoice::ByDay(w) => (
            on(&|d| d.weekday() == w),
            days.iter()
                .find(|d| d.weekday() == w)?
                .format("%A")
                .to_string(),
        ),
        SlotChoice::ByDate(date) => (on(&|d| *d == date), day_label(date)),
        _ => return None,
    };
    if hits.len() < 2 {
        return None;
    }
    let numbers: Vec<String> = hits
        .iter()
        .filter_map(|i| {
            let slot = state.offered.get(*i)?;
            Some(format!("{}) {}", i + 1, clock(slot.start, tz)))
        })
        .collect();
    let numbers = match numbers.split_last() {
        Some((last, head)) if !head.is_empty() => format!("{} or {last}", head.join(", ")),
        _ => numbers.join(""),
    };
    Some(format!("Which of the {label} times works best: {numbers}?"))
}

/// Books `slot` for the job in the state and confirms it.
pub(super) async fn book(
    state: &mut ConversationState,
    ctx: &Ctx<'_>,
    reply: &mut Reply,
    slot: Slot,
) {
    let (Some(service_id), Some(minutes)) = (state.service_id, ctx.job_minutes(state)) else {
        return;
    };
    let slot = Slot {
        end: slot.start + Duration::minutes(i64::from(minutes)),
        ..slot
    };
    let details = serde_json::to_value(&state.details).unwrap_or_default();
    let request = BookingRequest {
        customer_phone: ctx.phone.map(str::to_owned),
        customer_name: state.customer_name.clone(),
        service_id,
        addon_ids: state.addons.clone(),
        slot,
        address: state.address.clone(),
        details,
        conversation_id: None,
    };
    match ctx.tools.book_appointment(request).await {
        Ok(BookOutcome::Booked(info)) => {
            let names = service_names(state, ctx);
            let values = Confirmation {
                name: state.customer_name.clone(),
                service: names,
                starts_at: slot.start,
                address: info.address.clone().or_else(|| state.address.clone()),
                price: usd(info.price_cents),
            };
            confirm(ctx, reply, values.render(ctx), |say| {
                let (date, time) = when(slot.start, ctx);
                say.booked(&with_article(&values.service), &date, &time)
            });
            reply.action(NextAction::Book {
                appointment_id: info.id,
            });
            state.last_booking = Some(info.id);
            state.reset_booking();
        }
        Ok(BookOutcome::SlotTaken { alternatives }) => {
            reply.lead("Sorry, that time was just taken!");
            retry(state, ctx, reply, alternatives, minutes).await;
        }
        Ok(BookOutcome::Rejected {
            reason,
            alternatives,
        }) => {
            reply.lead(format!("Sorry, I can't book that time ({reason})."));
            retry(state, ctx, reply, alternatives, minutes).await;
        }
        Err(_) => trouble(state, ctx, reply, "booking that"),
    }
}

/// Offers the alternatives a failed booking came back with, or fresh times.
async fn retry(
    state: &mut ConversationState,
    ctx: &Ctx<'_>,
    reply: &mut Reply,
    alternatives: Vec<Slot>,
    minutes: i32,
) {
    if alternatives.is_empty() {
        let intro = String::from("you");
        offer_times(state, ctx, reply, minutes, &intro).await;
    } else {
        present_alternatives(state, ctx, reply, alternatives);
    }
}

/// "Full Detail + Leather Protectant".
fn service_names(state: &ConversationState, ctx: &Ctx<'_>) -> String {
    let mut names: Vec<String> = state
        .service_id
        .into_iter()
        .chain(state.addons.iter().copied())
        .filter_map(|id| ctx.catalog.get(id))
        .map(|s| s.name.clone())
        .collect();
    if names.is_empty() {
        names.push(ctx.job_noun().to_owned());
    }
    names.join(" + ")
}

/// What to say when nothing is free at all.
fn trouble_free_fallback(state: &mut ConversationState, ctx: &Ctx<'_>, reply: &mut Reply) {
    let business = ctx.business().to_owned();
    reply.main(format!(
        "{} and someone from {business} will reach out to find a time, or try again in a few days.",
        ctx.say.yes()
    ));
    state.person_offered = true;
}

/// Why the offer is not exactly what was asked.
fn note_text(note: OfferNote, asked: bool) -> String {
    match note {
        OfferNote::NoAvailability => String::from("We're fully booked right now."),
        OfferNote::DayClosed(d) => format!("Sorry, we're closed {}.", day_label(d)),
        OfferNote::TooSoon(d) => {
            format!("{} is too soon for us to schedule, sorry.", day_label(d))
        }
        OfferNote::BeyondHorizon(d) => {
            format!("{} is further out than we book right now.", day_label(d))
        }
        OfferNote::OutsideHours => String::from("That time is outside our hours."),
        OfferNote::DayFull(d) => format!("Sorry, {} is fully booked.", day_label(d)),
        OfferNote::TimeTaken if asked => String::from("That exact time is taken."),
        OfferNote::TimeTaken => String::new(),
    }
}

/// A time range as a customer would say it: "after 3 PM", "before noon",
/// "in the morning", "between 11 AM and 1 PM".
fn window_phrase(from: NaiveTime, to: NaiveTime) -> String {
    let hm = |h: u32| NaiveTime::from_hms_opt(h, 0, 0).unwrap_or(NaiveTime::MIN);
    if to >= hm(23) {
        return format!("after {}", hour_words(from));
    }
    if from == NaiveTime::MIN {
        return format!("before {}", hour_words(to));
    }
    if (hm(7)..=hm(8)).contains(&from) && to == hm(12) {
        return String::from("in the morning");
    }
    if from == hm(12) && to == hm(17) {
        return String::from("in the afternoon");
    }
    if from == hm(17) && to == hm(20) {
        return String::from("in the evening");
    }
    format!("between {} and {}", hour_words(from), hour_words(to))
}

/// "3 PM", "3:30 PM", "noon".
fn hour_words(t: NaiveTime) -> String {
    if t.hour() == 12 && t.minute() == 0 {
        return String::from("noon");
    }
    if t.minute() == 0 {
        t.format("%-I %p").to_string()
    } else {
        t.format("%-I:%M %p").to_string()
    }
}
