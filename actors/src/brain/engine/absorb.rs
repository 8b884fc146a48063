//! Reading every booking fact one text carries into the state: service
//! (including a change of mind), add-ons and the upsell answer, timing,
//! job details, address and name. Nothing here talks to the customer.

use chrono::Timelike;

use crate::brain::nlu::{
    Intent, SlotChoice, TermKind, TermMatch, TimeSpec, Understanding, WhenPreference,
};

use super::catalog::Catalog;
use super::context::Ctx;
use super::details;
use super::state::{Awaiting, ConversationState};
use super::when::{beyond_offered, merge};

/// What changed in the state this turn.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Changes {
    /// The main service was chosen or switched.
    pub(super) service: bool,
    /// An ambiguous service word needs a pick.
    pub(super) service_ambiguous: bool,
    /// The job length changed (service or add-ons).
    pub(super) duration: bool,
    /// The customer answered the upsell.
    pub(super) upsell_answered: bool,
    /// The timing preference changed.
    pub(super) when: bool,
    /// A job detail was filled or corrected.
    pub(super) details: bool,
    /// The address was given or completed.
    pub(super) address: bool,
    /// The customer gave their name.
    pub(super) name: bool,
    /// An add-on already on the job was asked for again ("ok add the
    /// screens" after saying yes to them).
    pub(super) addon_again: Option<i64>,
    /// An add-on the customer asked whether we do ("do u bag the
    /// clippings"): offered, not added.
    pub(super) addon_asked: Option<i64>,
    /// An exact time named after a window it falls outside ("after 3",
    /// then "can u do 2"): the window, so the reply says so.
    pub(super) outside_window: Option<TimeSpec>,
}

impl Changes {
    /// Whether the text carried any booking fact.
    pub(super) fn any(&self) -> bool {
        self.service
            || self.service_ambiguous
            || self.duration
            || self.upsell_answered
            || self.when
            || self.details
            || self.address
            || self.name
            || self.addon_again.is_some()
            || self.addon_asked.is_some()
    }

    /// Whether slots offered before no longer fit what was asked.
    pub(super) fn invalidates_offer(&self) -> bool {
        self.service || self.duration || self.when || self.address
    }
}

/// Absorbs every fact in the text.
pub(super) fn absorb(state: &mut ConversationState, ctx: &Ctx<'_>) -> Changes {
    let u = &ctx.u;
    let mut ch = Changes::default();
    let before = ctx.catalog.job_minutes(state);
    upsell_answer(state, ctx, &mut ch);
    service(state, ctx, &mut ch);
    if asks_whether_offered(u) {
        ch.addon_asked = offer_asked_addon(state, u);
        ch.addon_again = named_addons(u)
            .find(|a| state.addons.contains(&a.id))
            .map(|a| a.id)
            .filter(|_| ch.addon_asked.is_none());
    } else {
        ch.addon_again = addons(state, ctx);
    }
    ch.duration = ctx.catalog.job_minutes(state) != before && before.is_some();
    let when = without_house_number_time(u);
    if when.is_specified() {
        let merged = merge(state.when, when);
        ch.outside_window = state
            .when
            .map(|w| w.time)
            .filter(|old| matches!(old, TimeSpec::Window { .. }))
            .filter(|old| matches!(merged.time, TimeSpec::Exact(t) if !old.matches(t)));
        ch.when = state.when != Some(merged);
        state.when = Some(merged);
    } else if state.awaiting == Awaiting::Slot {
        if let Some(shifted) = beyond_offered(state.when, u, &state.offered, ctx.tz()) {
            ch.when = state.when != Some(shifted);
            state.when = Some(shifted);
        }
    }
    let pending = match &state.awaiting {
        Awaiting::Detail(key) => Some(key.clone()),
        _ => None,
    };
    ch.details = details::absorb(ctx.pack, state, u, pending.as_deref());
    ch.address = address(state, u);
    if let Some(name) = &u.name {
        let full = name.full();
        ch.name = state.customer_name.as_deref() != Some(full.as_str());
        state.customer_name = Some(full);
    }
    ch
}

/// Only asking about price or length, not choosing. (A change-of-mind
/// signal is not enough to choose: "paint correction" says "correction".)
pub(super) fn question_only(u: &Understanding) -> bool {
    (u.signals.has(Intent::PriceQuestion) || u.signals.has(Intent::DurationQuestion))
        && !u.signals.has(Intent::Book)
}

/// Words that size a job; a weak one-word service match on them ("1
/// story" for Storefront Window Cleaning) is not a service.
const SIZE_WORDS: &[&str] = &[
    "story",
    "stories",
    "storey",
    "floor",
    "floors",
    "level",
    "bed",
    "beds",
    "bedroom",
    "bedrooms",
    "bath",
    "baths",
    "bathroom",
    "bathrooms",
    "window",
    "windows",
    "acre",
    "acres",
    "yard",
    "lot",
];

/// The services named in the text, without weak matches on size words.
pub(super) fn named_services(u: &Understanding) -> impl Iterator<Item = &TermMatch> {
    u.services
        .iter()
        .filter(|s| s.score >= 0.6 || !SIZE_WORDS.contains(&s.text.as_str()))
}

/// Add-ons named by a whole name or alias; a one-word partial match
/// ("week" for "every 6 weeks") is too weak to add anything.
fn named_addons(u: &Understanding) -> impl Iterator<Item = &TermMatch> {
    u.addons.iter().filter(|a| a.score >= 0.6)
}

/// The timing in the text, minus a clock time that is really the house
/// number ("at 12 oak st" is not noon).
fn without_house_number_time(u: &Understanding) -> WhenPreference {
    let mut when = u.when;
    let (Some(address), TimeSpec::Exact(time)) = (&u.address, when.time) else {
        return when;
    };
    let number = address.street.split(' ').next().unwrap_or_default();
    let Ok(n) = number.parse::<u32>() else {
        return when;
    };
    let mentions = u
        .normalized
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| *w == number)
        .count();
    let same_hour = if n >= 13 {
        n == time.hour()
    } else {
        n % 12 == time.hour() % 12
    };
    if mentions == 1 && time.minute() == 0 && same_hour {
        when.time = TimeSpec::Any;
    }
    when
}

/// A yes/no (or naming the add-on) right after the upsell was offered.
fn upsell_answer(state: &mut ConversationState, ctx: &Ctx<'_>, ch: &mut Changes) {
    if !std::mem::take(&mut state.upsell_pending) {
        return;
    }
    let Some(id) = state.upsell_offered else {
        return;
    };
    let u = &ctx.u;
    if asks_whether_offered(u) {
        return;
    }
    let named = named_addons(u).find(|a| a.id == id);
    // "sure the 1st one": the yes goes with the pick, not with the add-on.
    let picking = state.awaiting == Awaiting::Slot
        && u.slot_choice.is_some()
        && named.is_none()
        && !u.normalized.split(' ').any(|w| w == "add");
    if picking {
        return;
    }
    let yes = u.signals.has(Intent::Affirm) || named.is_some_and(|a| !a.negated);
    let no = u.signals.has(Intent::Deny) || named.is_some_and(|a| a.negated);
    if yes && !no {
        if !state.addons.contains(&id) {
            state.addons.push(id);
        }
        ch.upsell_answered = true;
    } else if no {
        state.declined_addons.push(id);
        ch.upsell_answered = true;
    }
}

/// The main service: picked from a list, named, switched, or still
/// ambiguous.
fn service(state: &mut ConversationState, ctx: &Ctx<'_>, ch: &mut Changes) {
    let u = &ctx.u;
    let picked = match (&state.awaiting, u.slot_choice) {
        (Awaiting::Service, Some(SlotChoice::Index(n))) => usize::try_from(n)
            .ok()
            .and_then(|n| n.checked_sub(1))
            .and_then(|i| state.service_choices.get(i).copied()),
        _ => None,
    };
    let choice_named = named_services(u)
        .filter(|s| !s.negated && state.service_choices.contains(&s.id))
        .map(|s| s.id)
        .last();
    let named = preferred(u).map(|s| s.id);
    if question_only(u) && picked.is_none() {
        if state.service_id.is_none() && named.is_some() {
            state.suggested_service = named;
        }
        return;
    }
    let suggested = state
        .suggested_service
        .filter(|_| u.signals.has(Intent::Affirm) && state.service_id.is_none());
    if let Some(id) = picked.or(choice_named).or(named).or(suggested) {
        set_service(state, &ctx.catalog, id, ch);
        return;
    }
    let changing = state.service_id.is_none() || u.signals.has(Intent::ChangeOfMind);
    let candidates: Vec<i64> = u
        .ambiguous
        .iter()
        .flat_map(|a| a.candidates.iter())
        .filter(|c| c.kind == TermKind::Service)
        .map(|c| c.id)
        .collect();
    if changing && candidates.len() >= 2 {
        state.service_choices = candidates;
        ch.service_ambiguous = true;
    }
}

/// The service the customer wants now, as
/// [`Understanding::preferred_service`] but without weak size-word matches.
fn preferred(u: &Understanding) -> Option<&TermMatch> {
    let wanted = named_services(u).filter(|s| !s.negated && s.kind == TermKind::Service);
    if u.signals.has(Intent::ChangeOfMind) {
        wanted.max_by_key(|s| s.position)
    } else {
        wanted.max_by(|a, b| {
            a.score
                .total_cmp(&b.score)
                .then(b.position.cmp(&a.position))
        })
    }
}

/// Chooses the service; keeps the details, drops add-ons that do not go
/// with it.
fn set_service(state: &mut ConversationState, catalog: &Catalog, id: i64, ch: &mut Changes) {
    state.service_choices.clear();
    state.suggested_service = None;
    if state.service_id == Some(id) {
        return;
    }
    state.service_id = Some(id);
    ch.service = true;
    if let Some(service) = catalog.get(id) {
        state
            .addons
            .retain(|a| catalog.get(*a).is_some_and(|a| Catalog::pairs(a, service)));
    }
}

/// Add-ons named: taken, or removed when said with "no"/"without".
/// Returns an add-on asked for that was already on the job.
fn addons(state: &mut ConversationState, ctx: &Ctx<'_>) -> Option<i64> {
    let u = &ctx.u;
    if question_only(u) {
        return None;
    }
    let mut again = None;
    for addon in named_addons(u) {
        if !addon.negated && state.addons.contains(&addon.id) {
            again = Some(addon.id);
        }
        if addon.negated {
            state.addons.retain(|a| *a != addon.id);
            if !state.declined_addons.contains(&addon.id) {
                state.declined_addons.push(addon.id);
            }
        } else if !state.addons.contains(&addon.id) {
            state.addons.push(addon.id);
            state.declined_addons.retain(|a| *a != addon.id);
        }
    }
    again
}

/// "do u bag the clippings", "do you do screens?": asking whether an add-on
/// is offered, not ordering it ("can you also bag them" orders it).
fn asks_whether_offered(u: &Understanding) -> bool {
    let n = &u.normalized;
    let asks = ["do you ", "does ", "is there ", "are there ", "do your "]
        .iter()
        .any(|p| n.starts_with(p));
    let orders = ["add", "also", "too", "want", "please", "need", "like"];
    asks && !n.split(' ').any(|w| orders.contains(&w)) && !u.addons.is_empty()
}

/// Puts the add-on asked about up as the pending offer (a "yes" next adds
/// it); returns it, unless it is already on the job.
fn offer_asked_addon(state: &mut ConversationState, u: &Understanding) -> Option<i64> {
    let addon = named_addons(u).find(|a| !a.negated)?;
    if state.addons.contains(&addon.id) {
        return None;
    }
    state.upsell_offered = Some(addon.id);
    state.upsell_pending = true;
    Some(addon.id)
}

/// The job address, completed with a ZIP or city given separately.
fn address(state: &mut ConversationState, u: &Understanding) -> bool {
    let new_line = if let Some(a) = &u.address {
        let mut line = a.one_line();
        if a.zip.is_none() && a.city.is_none() {
            if let Some(zip) = &state.zip {
                line = format!("{line} {zip}");
            }
        }
        Some(line)
    } else if let Some(zip) = &u.zip {
        state.zip = Some(zip.clone());
        state
            .address
            .as_ref()
            .filter(|a| !a.contains(zip.as_str()))
            .map(|a| format!("{a} {zip}"))
    } else if state.awaiting == Awaiting::AreaZip {
        city_reply(u).and_then(|city| state.address.as_ref().map(|a| format!("{a}, {city}")))
    } else {
        None
    };
    match new_line {
        Some(line) if state.address.as_ref() != Some(&line) => {
            state.address = Some(line);
            state.area = None;
            true
        }
        _ => false,
    }
}

/// A short all-letters reply read as a city name ("tulsa", "broken arrow").
fn city_reply(u: &Understanding) -> Option<String> {
    let words: Vec<&str> = u.raw.split_whitespace().collect();
    let letters = |w: &&str| w.chars().all(|c| c.is_ascii_alphabetic() || c == '.');
    if words.is_empty() || words.len() > 3 || !words.iter().all(letters) {
        return None;
    }
    if !u.signals.ranked.is_empty() {
        return None;
    }
    let title: Vec<String> = words
        .iter()
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + &c.as_str().to_ascii_lowercase())
                .unwrap_or_default()
        })
        .collect();
    Some(title.join(" "))
}
