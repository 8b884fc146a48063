//! The tools that change appointments: book, reschedule, cancel. A slot
//! must be one `check_availability` offered in this conversation, and an
//! appointment must be one of the customer's own upcoming ones.

use serde::Deserialize;
use serde_json::{json, Value};

use crate::brain::tools::{AgentTools, AppointmentInfo, BookOutcome, BookingRequest};

use super::args::{id, parse, parse_start, required};
use super::exec_lookup::upcoming;
use super::execute::{tool_failure, ToolContext, ToolEffect};
use super::render;
use super::state::OfferedSlot;

const NOT_OFFERED: &str =
    "that time was not offered by check_availability in this conversation; call check_availability and offer its times";

#[derive(Deserialize)]
struct BookArgs {
    #[serde(deserialize_with = "id")]
    service_id: Option<i64>,
    slot_start: String,
    #[serde(default)]
    address: Option<String>,
    #[serde(default)]
    customer_name: Option<String>,
    #[serde(default)]
    details: Option<Value>,
}

pub(super) async fn book(
    arguments: &str,
    tools: &dyn AgentTools,
    ctx: &mut ToolContext,
) -> Result<Value, String> {
    let args: BookArgs = parse("book_appointment", arguments)?;
    let service_id = args.service_id.ok_or("service_id is required")?;
    let start = parse_start(&args.slot_start, tools.profile().time_zone)
        .ok_or("slot_start must be the ISO-8601 start of an offered slot")?;
    let offered = ctx
        .offered
        .iter()
        .rev()
        .find(|o| o.slot.start == start && o.appointment_id.is_none())
        .cloned()
        .ok_or(NOT_OFFERED)?;
    if offered.service_id != service_id {
        return Err(format!(
            "that time was checked for service {}; call check_availability for service {service_id}",
            offered.service_id
        ));
    }
    let details = match args.details {
        None | Some(Value::Null) => json!({}),
        Some(Value::Object(map)) => Value::Object(map),
        Some(_) => return Err("details must be an object of key/value pairs".to_owned()),
    };
    let request = BookingRequest {
        customer_phone: ctx.customer_phone.clone(),
        customer_name: text(args.customer_name),
        service_id,
        addon_ids: offered.addon_ids.clone(),
        slot: offered.slot,
        address: text(args.address),
        details,
        conversation_id: ctx.conversation_id,
    };
    let outcome = tools
        .book_appointment(request)
        .await
        .map_err(tool_failure)?;
    Ok(settle(outcome, &offered, tools, ctx, ToolEffect::Booked))
}

#[derive(Deserialize)]
struct MoveArgs {
    #[serde(default, deserialize_with = "id")]
    appointment_id: Option<i64>,
    slot_start: String,
}

pub(super) async fn reschedule(
    arguments: &str,
    tools: &dyn AgentTools,
    ctx: &mut ToolContext,
) -> Result<Value, String> {
    let args: MoveArgs = parse("reschedule_appointment", arguments)?;
    let target = target(args.appointment_id, tools, ctx).await?;
    let start = parse_start(
        required(&args.slot_start, "slot_start")?,
        tools.profile().time_zone,
    )
    .ok_or("slot_start must be the ISO-8601 start of an offered slot")?;
    let offered = ctx
        .offered
        .iter()
        .rev()
        .find(|o| {
            o.slot.start == start
                && match o.appointment_id {
                    Some(id) => id == target.id,
                    None => o.service_id == target.service_id && o.addon_ids.is_empty(),
                }
        })
        .cloned()
        .ok_or(NOT_OFFERED)?;
    let moved = OfferedSlot {
        appointment_id: Some(target.id),
        ..offered
    };
    let outcome = tools
        .reschedule_appointment(target.id, moved.slot)
        .await
        .map_err(tool_failure)?;
    Ok(settle(outcome, &moved, tools, ctx, ToolEffect::Rescheduled))
}

#[derive(Deserialize)]
struct CancelArgs {
    #[serde(default, deserialize_with = "id")]
    appointment_id: Option<i64>,
}

pub(super) async fn cancel(
    arguments: &str,
    tools: &dyn AgentTools,
    ctx: &mut ToolContext,
) -> Result<Value, String> {
    let args: CancelArgs = parse("cancel_appointment", arguments)?;
    let target = target(args.appointment_id, tools, ctx).await?;
    let cancelled = tools
        .cancel_appointment(target.id)
        .await
        .map_err(tool_failure)?;
    let tz = tools.profile().time_zone;
    let shown = render::appointment(&cancelled, tz, ctx.now);
    ctx.effects.push(ToolEffect::Cancelled(cancelled));
    Ok(json!({"cancelled": true, "appointment": shown}))
}

/// The customer's appointment `id`, or their only one when none is given.
async fn target(
    id: Option<i64>,
    tools: &dyn AgentTools,
    ctx: &ToolContext,
) -> Result<AppointmentInfo, String> {
    let list = upcoming(tools, ctx).await?;
    match id {
        Some(id) => list
            .into_iter()
            .find(|a| a.id == id)
            .ok_or_else(|| format!("appointment {id} is not one of the customer's upcoming ones")),
        None if list.len() == 1 => list
            .into_iter()
            .next()
            .ok_or_else(|| "the customer has no upcoming appointments".to_owned()),
        None if list.is_empty() => Err("the customer has no upcoming appointments".to_owned()),
        None => Err("the customer has several appointments; call upcoming_appointments and pass appointment_id".to_owned()),
    }
}

/// The model's view of a booking outcome; records the effect or the
/// alternatives offered instead.
fn settle(
    outcome: BookOutcome,
    offered: &OfferedSlot,
    tools: &dyn AgentTools,
    ctx: &mut ToolContext,
    effect: fn(AppointmentInfo) -> ToolEffect,
) -> Value {
    let tz = tools.profile().time_zone;
    let (reason, alternatives) = match outcome {
        BookOutcome::Booked(info) => {
            ctx.offered.retain(|o| o.slot.start != offered.slot.start);
            let shown = render::appointment(&info, tz, ctx.now);
            ctx.effects.push(effect(info));
            return json!({"done": true, "appointment": shown});
        }
        BookOutcome::SlotTaken { alternatives } => {
            ("someone just took that time".to_owned(), alternatives)
        }
        BookOutcome::Rejected {
            reason,
            alternatives,
        } => (reason, alternatives),
    };
    ctx.offered.retain(|o| o.slot.start != offered.slot.start);
    ctx.remember(
        &alternatives,
        offered.service_id,
        &offered.addon_ids,
        offered.appointment_id,
    );
    json!({
        "done": false,
        "reason": reason,
        "alternatives": render::slots(&alternatives, tz, ctx.now),
    })
}

/// An optional text argument, blank read as absent.
fn text(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}
