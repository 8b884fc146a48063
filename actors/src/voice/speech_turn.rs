//! [`speech_turn`]: one turn of the speech receptionist (`ai-voice` tenants
//! when no realtime provider is configured). Twilio's speech recognition
//! heard the caller; the same agent brain as SMS answers on the voice
//! channel (so it asks "Say one, two or three", never "Reply ..."), the
//! turn goes on the call's transcript, a booking is also texted, and the
//! outcome tells the edge what to render: another `<Gather>`, a person, or
//! voicemail.

use super::call_flow::{IncomingCall, SILENT_TURNS};
use super::call_records::append_transcript;
use crate::brain::agent::{AgentRequest, AgentResponse, Channel, NextAction, UserRole};
use crate::conversation::Conversations;
use servicepro_schema::TenantId;
use std::time::Duration;

/// How long a turn may think before the caller is offered a message instead
/// (Twilio gives up on a webhook at 15 s).
pub const TURN_DEADLINE: Duration = Duration::from_secs(10);

/// What is said when nothing was heard.
pub const NOT_HEARD: &str = "Sorry, I didn't catch that. How can I help you?";

/// One caller turn, parsed at the edge.
#[derive(Debug, Clone)]
pub struct SpeechTurn {
    /// The tenant answering.
    pub tenant: TenantId,
    /// The call.
    pub call: IncomingCall,
    /// What Twilio heard (`SpeechResult`, trimmed; empty on silence).
    pub heard: String,
    /// Silent turns so far, counting this one if it is silent (`turn` in the callback URL).
    pub silent_turns: u32,
}

/// What the edge renders after a turn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SpeechOutcome {
    /// Say this and listen again; `turn` is the next callback's silent-turn count.
    Listen {
        /// The line to say.
        line: String,
        /// The silent-turn count the next callback carries.
        turn: u32,
    },
    /// Say this and connect the caller to a person.
    Handoff(String),
    /// Take a message (silence twice, or the agent could not answer).
    Voicemail,
}

/// Runs one turn of the speech receptionist.
pub async fn speech_turn(conversations: &Conversations, turn: SpeechTurn) -> SpeechOutcome {
    let SpeechTurn {
        tenant,
        call,
        heard,
        silent_turns,
    } = turn;
    if heard.is_empty() {
        if silent_turns >= SILENT_TURNS {
            return SpeechOutcome::Voicemail;
        }
        return SpeechOutcome::Listen {
            line: NOT_HEARD.to_owned(),
            turn: silent_turns + 1,
        };
    }
    let phone = call.caller.clone();
    let request = AgentRequest {
        tenant_id: tenant.clone(),
        channel: Channel::Voice,
        role: UserRole::Customer,
        text: heard.clone(),
        conversation_id: None,
        phone: phone.clone(),
        context: serde_json::json!({ "visitor_id": call.call_sid }),
    };
    let answered =
        tokio::time::timeout(TURN_DEADLINE, conversations.handle_agent_message(request)).await;
    let response = match answered {
        Ok(Ok(response)) if !response.reply.is_empty() => response,
        other => {
            tracing::warn!(call_sid = %call.call_sid, outcome = ?other.map(|r| r.map(|_| ())), "voice turn failed; taking a message");
            return SpeechOutcome::Voicemail;
        }
    };
    let db = conversations.tenant_db(&tenant);
    let said = [
        ("caller", heard.as_str()),
        ("agent", response.reply.as_str()),
    ];
    if let Err(e) = append_transcript(&db, &call.call_sid, &said).await {
        tracing::warn!(error = %e, "transcript not stored");
    }
    tracing::info!(call_sid = %call.call_sid, actions = ?response.next_actions, "voice turn");
    if has(&response, |a| matches!(a, NextAction::Handoff { .. })) {
        return SpeechOutcome::Handoff(response.reply);
    }
    if has(&response, |a| {
        matches!(a, NextAction::Book { .. } | NextAction::Reschedule { .. })
    }) {
        if let Some(to) = phone {
            // The engine's written confirmation (the LLM brain speaks its own).
            let written = response
                .confirmation
                .clone()
                .unwrap_or_else(|| response.reply.clone());
            conversations
                .notices()
                .text(&tenant, to, written, "booking_confirmation")
                .await;
        }
        let line = format!(
            "{} I've also texted you the details. Is there anything else I can help with?",
            response.reply
        );
        return SpeechOutcome::Listen { line, turn: 1 };
    }
    SpeechOutcome::Listen {
        line: response.reply,
        turn: 1,
    }
}

fn has(response: &AgentResponse, which: impl Fn(&NextAction) -> bool) -> bool {
    response.next_actions.iter().any(which)
}
