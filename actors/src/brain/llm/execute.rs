//! Running a tool call from the model against [`AgentTools`].
//!
//! Every call answers the model with JSON; a bad call (unknown tool,
//! invalid arguments, a slot that was never offered, an appointment that
//! is not the customer's) answers `{"error": "..."}` so the model can
//! correct itself, and never fails the turn. The customer's phone always
//! comes from the channel, never from the model.

use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::booking::availability::Slot;
use crate::brain::agent::NextAction;
use crate::brain::tools::{AgentTools, AppointmentInfo, ToolError};

use super::args::{parse, required};
use super::state::OfferedSlot;
use super::{exec_booking, exec_lookup};

/// What a tool call changed in the world (as opposed to looked up).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ToolEffect {
    /// An appointment was booked.
    Booked(AppointmentInfo),
    /// An appointment was moved; the new times.
    Rescheduled(AppointmentInfo),
    /// An appointment was cancelled.
    Cancelled(AppointmentInfo),
    /// The owner was asked to take over.
    HandedOff {
        /// The summary sent.
        summary: String,
    },
    /// A message was passed to the owner.
    MessageTaken,
    /// The booking link was texted.
    LinkSent,
}

impl ToolEffect {
    /// The engine's record of it, for effects the engine tracks.
    pub fn next_action(&self) -> Option<NextAction> {
        match self {
            ToolEffect::Booked(a) => Some(NextAction::Book {
                appointment_id: a.id,
            }),
            ToolEffect::Rescheduled(a) => Some(NextAction::Reschedule {
                appointment_id: a.id,
            }),
            ToolEffect::Cancelled(a) => Some(NextAction::Cancel {
                appointment_id: a.id,
            }),
            ToolEffect::HandedOff { summary } => Some(NextAction::Handoff {
                summary: summary.clone(),
            }),
            ToolEffect::MessageTaken | ToolEffect::LinkSent => None,
        }
    }
}

/// What tool calls need beyond their arguments, and what they leave.
#[derive(Debug, Clone)]
pub struct ToolContext {
    /// The customer's phone, from the channel.
    pub customer_phone: Option<String>,
    /// The current instant.
    pub now: DateTime<Utc>,
    /// The conversation, stamped on bookings.
    pub conversation_id: Option<i64>,
    /// Slots offered so far; only these can be booked or moved to.
    pub offered: Vec<OfferedSlot>,
    /// Side effects done through this context, in order.
    pub effects: Vec<ToolEffect>,
}

impl ToolContext {
    /// A context with nothing offered yet.
    pub fn new(customer_phone: Option<&str>, now: DateTime<Utc>) -> Self {
        ToolContext {
            customer_phone: customer_phone.map(str::to_owned),
            now,
            conversation_id: None,
            offered: Vec::new(),
            effects: Vec::new(),
        }
    }

    /// Remembers offered slots (newest last, without duplicates).
    pub(super) fn remember(
        &mut self,
        slots: &[Slot],
        service_id: i64,
        addon_ids: &[i64],
        appointment_id: Option<i64>,
    ) {
        for slot in slots {
            let offered = OfferedSlot {
                slot: *slot,
                service_id,
                addon_ids: addon_ids.to_vec(),
                appointment_id,
            };
            self.offered.retain(|o| o != &offered);
            self.offered.push(offered);
        }
    }

    /// The customer's phone, needed by tools acting for the customer.
    pub(super) fn phone(&self) -> Result<&str, String> {
        self.customer_phone.as_deref().ok_or_else(|| {
            "the customer's phone number is unknown, so this cannot be done here; offer a person instead"
                .to_owned()
        })
    }
}

/// Runs the tool `name` with the model's `arguments` (a JSON text) and
/// returns the result to send back to the model.
pub async fn execute_tool(
    name: &str,
    arguments: &str,
    tools: &dyn AgentTools,
    ctx: &mut ToolContext,
) -> Value {
    let result = match name {
        "get_services" => exec_lookup::services(tools).await,
        "search_kb" => exec_lookup::search_kb(arguments, tools).await,
        "check_service_area" => exec_lookup::service_area(arguments, tools).await,
        "check_availability" => exec_lookup::availability(arguments, tools, ctx).await,
        "upcoming_appointments" => exec_lookup::appointments(tools, ctx).await,
        "book_appointment" => exec_booking::book(arguments, tools, ctx).await,
        "reschedule_appointment" => exec_booking::reschedule(arguments, tools, ctx).await,
        "cancel_appointment" => exec_booking::cancel(arguments, tools, ctx).await,
        "send_booking_link" => booking_link(tools, ctx).await,
        "handoff_to_human" => handoff(arguments, tools, ctx).await,
        "take_message" => message(arguments, tools, ctx).await,
        other => Err(format!("unknown tool {other:?}")),
    };
    result.unwrap_or_else(|error| json!({ "error": error }))
}

/// A tool failure, as the model should read it.
pub(super) fn tool_failure(error: ToolError) -> String {
    match error {
        ToolError::Unavailable(why) => format!(
            "temporarily unavailable ({why}); apologise and offer the booking link or a person"
        ),
        ToolError::Invalid(why) => format!("invalid request: {why}"),
        ToolError::State(why) => format!("internal error ({why}); apologise and offer a person"),
        ToolError::VerificationRequired => {
            "the customer must first confirm the phone number with a texted code".to_owned()
        }
    }
}

async fn booking_link(tools: &dyn AgentTools, ctx: &mut ToolContext) -> Result<Value, String> {
    if ctx.effects.contains(&ToolEffect::LinkSent) {
        return Ok(json!({"sent": true, "note": "already sent in this turn"}));
    }
    let url = tools.profile().booking_url.clone();
    let Some(phone) = ctx.customer_phone.clone() else {
        return Ok(json!({"sent": false, "booking_url": url}));
    };
    let sent = tools
        .send_booking_link(&phone)
        .await
        .map_err(tool_failure)?;
    if sent {
        ctx.effects.push(ToolEffect::LinkSent);
    }
    Ok(json!({"sent": sent, "booking_url": url}))
}

#[derive(Deserialize)]
struct SummaryArgs {
    summary: String,
}

async fn handoff(
    arguments: &str,
    tools: &dyn AgentTools,
    ctx: &mut ToolContext,
) -> Result<Value, String> {
    let args: SummaryArgs = parse("handoff_to_human", arguments)?;
    let summary = required(&args.summary, "summary")?.to_owned();
    if ctx
        .effects
        .iter()
        .any(|e| matches!(e, ToolEffect::HandedOff { .. }))
    {
        return Ok(json!({"handed_off": true, "note": "the owner was already told"}));
    }
    tools
        .handoff_to_human(ctx.customer_phone.as_deref(), &summary)
        .await
        .map_err(tool_failure)?;
    ctx.effects.push(ToolEffect::HandedOff { summary });
    Ok(json!({"handed_off": true}))
}

#[derive(Deserialize)]
struct MessageArgs {
    message: String,
}

async fn message(
    arguments: &str,
    tools: &dyn AgentTools,
    ctx: &mut ToolContext,
) -> Result<Value, String> {
    let args: MessageArgs = parse("take_message", arguments)?;
    let text = required(&args.message, "message")?;
    tools
        .take_message(ctx.customer_phone.as_deref(), text)
        .await
        .map_err(tool_failure)?;
    ctx.effects.push(ToolEffect::MessageTaken);
    Ok(json!({"taken": true}))
}
