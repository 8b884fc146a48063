//! Conversations: one supervised `ConversationActor` per (tenant, customer,
//! channel) runs the agent brain turn by turn — one turn at a time, with
//! its state persisted in `conversations.state` so a restart loses nothing.
//! [`Conversations::handle_agent_message`] is the single entry point every
//! channel calls.

pub mod actor;
pub mod batch_store;
pub mod registry;
pub mod store;
pub mod text_writer;

pub use actor::{ConversationActor, Conversations, Prepared, Turn};
