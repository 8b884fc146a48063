//! The read-only tools: services, answers, service area, free times and
//! the customer's appointments.

use serde::Deserialize;
use serde_json::{json, Value};

use crate::brain::tools::{AgentTools, AppointmentInfo, AreaCheck};

use super::args::{find_service, id, parse, preference, required};
use super::execute::{tool_failure, ToolContext};
use super::render;

/// How many slots one check offers.
const SLOTS_PER_OFFER: usize = 3;

pub(super) async fn services(tools: &dyn AgentTools) -> Result<Value, String> {
    let list = tools.get_services().await.map_err(tool_failure)?;
    Ok(json!({"services": list.iter().map(render::service).collect::<Vec<_>>()}))
}

#[derive(Deserialize)]
struct QuestionArgs {
    question: String,
}

pub(super) async fn search_kb(arguments: &str, tools: &dyn AgentTools) -> Result<Value, String> {
    let args: QuestionArgs = parse("search_kb", arguments)?;
    let question = required(&args.question, "question")?;
    Ok(
        match tools.search_kb(question).await.map_err(tool_failure)? {
            Some(kb) => json!({"found": true, "question": kb.question, "answer": kb.answer}),
            None => {
                json!({"found": false, "note": "no stored answer; do not guess, offer a person"})
            }
        },
    )
}

#[derive(Deserialize)]
struct AddressArgs {
    address: String,
}

pub(super) async fn service_area(arguments: &str, tools: &dyn AgentTools) -> Result<Value, String> {
    let args: AddressArgs = parse("check_service_area", arguments)?;
    let address = required(&args.address, "address")?;
    Ok(
        match tools
            .check_service_area(address)
            .await
            .map_err(tool_failure)?
        {
            AreaCheck::Served => json!({"served": true}),
            AreaCheck::NotServed { reason } => json!({"served": false, "reason": reason}),
            AreaCheck::TravelFee { fee_cents, miles } => json!({
                "served": true,
                "travel_fee_cents": fee_cents,
                "miles": miles,
                "note": "past the usual area: tell the customer about the travel fee"
            }),
            AreaCheck::Unknown => {
                json!({"served": null, "note": "cannot tell; ask for the city or ZIP code"})
            }
        },
    )
}

#[derive(Deserialize)]
struct AvailabilityArgs {
    #[serde(default)]
    service: Option<Value>,
    #[serde(default)]
    addons: Vec<Value>,
    #[serde(default, deserialize_with = "id")]
    appointment_id: Option<i64>,
    #[serde(default)]
    day: Option<String>,
    #[serde(default)]
    time: Option<String>,
    #[serde(default)]
    earliest: Option<bool>,
    #[serde(default)]
    details: Option<Value>,
}

/// What the free times are checked for.
struct Job {
    service_id: i64,
    name: String,
    addon_ids: Vec<i64>,
    minutes: i32,
    appointment_id: Option<i64>,
    /// The sized price ("$135 for a large pet"), when details size the job.
    quote: Option<Value>,
}

pub(super) async fn availability(
    arguments: &str,
    tools: &dyn AgentTools,
    ctx: &mut ToolContext,
) -> Result<Value, String> {
    let args: AvailabilityArgs = parse("check_availability", arguments)?;
    let tz = tools.profile().time_zone;
    let mut wanted = preference(
        args.day.as_deref(),
        args.time.as_deref(),
        args.earliest.unwrap_or(false),
        ctx.now,
        tz,
    )?;
    let job = match args.appointment_id {
        Some(appointment) => moving(appointment, tools, ctx).await?,
        None => new_job(&args, tools).await?,
    };
    // A reschedule's own slot is free to it (as in the offline brain).
    wanted.moving = job.appointment_id;
    let offer = tools
        .check_availability(job.minutes, &wanted, SLOTS_PER_OFFER)
        .await
        .map_err(tool_failure)?;
    ctx.remember(
        &offer.slots,
        job.service_id,
        &job.addon_ids,
        job.appointment_id,
    );
    let mut result = json!({
        "service": job.name,
        "service_id": job.service_id,
        "duration_minutes": job.minutes,
        "slots": render::slots(&offer.slots, tz, ctx.now),
        "matched_preference": offer.matched_preference,
    });
    if let Some(note) = offer.note {
        result["note"] = json!(render::note(note));
    }
    if let Some(quote) = job.quote {
        result["quote"] = quote;
    }
    Ok(result)
}

/// A new booking's service and add-ons.
async fn new_job(args: &AvailabilityArgs, tools: &dyn AgentTools) -> Result<Job, String> {
    let services = tools.get_services().await.map_err(tool_failure)?;
    let term = args
        .service
        .as_ref()
        .map(term_text)
        .ok_or("give the service (name or id) or the appointment_id being moved")?;
    let main = find_service(&services, &term, false)
        .ok_or_else(|| format!("no service matches {term:?}; see get_services"))?;
    let mut minutes = main.duration_minutes;
    let mut addon_ids = Vec::new();
    for addon in args.addons.iter().map(term_text) {
        let found = find_service(&services, &addon, true)
            .ok_or_else(|| format!("no add-on matches {addon:?}; see get_services"))?;
        minutes = minutes.saturating_add(found.duration_minutes);
        addon_ids.push(found.id);
    }
    // The pack's rule for what the details add, as the offline brain and
    // the booking store apply it.
    let details = args.details.clone().unwrap_or(Value::Null);
    let sized = crate::packs::pack(&tools.profile().industry)
        .map(|p| p.job_adjustment_json(&main.name, &details))
        .unwrap_or_default();
    let quote = (!sized.labels.is_empty()).then(|| {
        json!({
            "price_cents": main.price_cents.saturating_add(sized.total.price_cents),
            "for": sized.labels.join(" and "),
        })
    });
    Ok(Job {
        service_id: main.id,
        name: main.name.clone(),
        addon_ids,
        minutes: minutes.saturating_add(sized.total.minutes.max(0)),
        appointment_id: None,
        quote,
    })
}

/// An existing appointment's service and length.
async fn moving(id: i64, tools: &dyn AgentTools, ctx: &ToolContext) -> Result<Job, String> {
    let list = upcoming(tools, ctx).await?;
    let appointment = list
        .iter()
        .find(|a| a.id == id)
        .ok_or_else(|| format!("appointment {id} is not one of the customer's upcoming ones"))?;
    let minutes = (appointment.ends_at - appointment.starts_at).num_minutes();
    Ok(Job {
        service_id: appointment.service_id,
        name: appointment.service_name.clone(),
        addon_ids: Vec::new(),
        minutes: i32::try_from(minutes).map_err(|_| "that appointment is too long".to_owned())?,
        appointment_id: Some(id),
        quote: None,
    })
}

/// A service term given as a string or a number.
fn term_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

pub(super) async fn appointments(
    tools: &dyn AgentTools,
    ctx: &ToolContext,
) -> Result<Value, String> {
    let tz = tools.profile().time_zone;
    let list = upcoming(tools, ctx).await?;
    Ok(json!({
        "appointments": list.iter().map(|a| render::appointment(a, tz, ctx.now)).collect::<Vec<_>>(),
    }))
}

/// The customer's upcoming appointments.
pub(super) async fn upcoming(
    tools: &dyn AgentTools,
    ctx: &ToolContext,
) -> Result<Vec<AppointmentInfo>, String> {
    let phone = ctx.phone()?;
    tools
        .upcoming_appointments(phone)
        .await
        .map_err(tool_failure)
}
