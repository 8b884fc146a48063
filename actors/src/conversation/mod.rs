//! Conversations: one supervised `ConversationActor` per (tenant, customer,
//! channel) runs the agent brain turn by turn — one turn at a time, with
//! its state persisted in `conversations.state` so a restart loses nothing.
//! [`Conversations::handle_agent_message`] is the single entry point every
//! channel's turn goes through.
//!
//! * channels: [`inbound_text`] (SMS: store, carrier [`keywords`], tier gate,
//!   owner notice, the turn with its inline-reply deadline) and [`web_chat`]
//!   (visitors, one-time codes, the guarded turn, retention);
//!   the voice channel's is `voice::speech_turn`.
//! * actors: [`actor`] (the `ConversationActor` and the [`Conversations`]
//!   front), found through the sharded [`registry`]; what a turn stores is
//!   [`saved_state`].
//! * recovery: [`recovery`], the sweep that answers texts a crash left unanswered
//!   and re-sends texts left `pending`.
//! * storage: [`store`] (single statements), [`batch_store`] and the
//!   group-commit [`text_writer`].

pub mod actor;
pub mod batch_store;
pub mod inbound;
pub mod keywords;
pub mod recovery;
pub mod registry;
pub mod saved_state;
pub mod store;
pub mod text_writer;
pub mod web_chat;

pub use actor::{ConversationActor, Conversations, Prepared, Turn};
pub use inbound::{
    clip_body, inbound_text, InboundOutcome, InboundText, NoReply, MAX_SMS_BODY_CHARS,
    REPLY_DEADLINE,
};
pub use recovery::{sweep_once, RecoveryConfig, RecoverySweep, SweepReport};
pub use web_chat::{web_chat, ChatError, ChatMessage, WebChatPolicy};
