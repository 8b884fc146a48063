//! The knowledge base: what the agent knows about a tenant and how it finds answers.
