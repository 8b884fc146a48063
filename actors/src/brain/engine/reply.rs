//! Putting one SMS reply together: acknowledgements and answers first,
//! then the one thing asked, kept short and plain.

use crate::brain::agent::{AgentResponse, NextAction};

use super::text::{ascii, clip};

/// The hard ceiling for a reply; longer parts are trimmed to fit.
pub(super) const MAX_REPLY: usize = 460;

/// The longest a knowledge-base answer may be inside a reply.
pub(super) const MAX_ANSWER: usize = 220;

/// A reply being built during a turn.
#[derive(Debug, Default)]
pub(super) struct Reply {
    /// Acknowledgements and answers, said first.
    lead: Vec<String>,
    /// A side offer (the upsell), said before the question; dropped first
    /// when the reply is too long.
    aside: Option<String>,
    /// The question or statement that moves the conversation on.
    main: Option<String>,
    /// A side offer said after the main part (after a list of times);
    /// dropped first when the reply is too long.
    tail: Option<String>,
    /// What happened or is awaited.
    pub(super) actions: Vec<NextAction>,
    /// On a spoken channel, the written confirmation to text the customer.
    confirmation: Option<String>,
}

impl Reply {
    /// Adds a sentence said before the main part.
    pub(super) fn lead(&mut self, text: impl Into<String>) {
        let text = text.into();
        if !text.trim().is_empty() && !self.lead.contains(&text) {
            self.lead.push(text);
        }
    }

    /// Whether a sentence said so far mentions `text` (a service's name
    /// and price are said once).
    pub(super) fn mentions(&self, text: &str) -> bool {
        self.lead.iter().any(|l| l.contains(text))
    }

    /// Sets the side offer.
    pub(super) fn aside(&mut self, text: impl Into<String>) {
        self.aside = Some(text.into());
    }

    /// Sets the side offer said last.
    pub(super) fn tail(&mut self, text: impl Into<String>) {
        self.tail = Some(text.into());
    }

    /// Sets the written confirmation a spoken channel texts.
    pub(super) fn confirmation(&mut self, text: String) {
        self.confirmation = Some(ascii(&text));
    }

    /// Sets the main part, replacing any earlier one.
    pub(super) fn main(&mut self, text: impl Into<String>) {
        self.main = Some(text.into());
    }

    /// Whether a main part was set.
    pub(super) fn has_main(&self) -> bool {
        self.main.is_some()
    }

    /// Whether anything at all will be said.
    pub(super) fn is_empty(&self) -> bool {
        self.main.is_none() && self.lead.is_empty() && self.aside.is_none() && self.tail.is_none()
    }

    /// Records an action.
    pub(super) fn action(&mut self, action: NextAction) {
        self.actions.push(action);
    }

    /// The finished text: ASCII, within [`MAX_REPLY`].
    pub(super) fn text(&self) -> String {
        let join = |parts: Vec<&str>| {
            parts
                .into_iter()
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        };
        let mut parts: Vec<&str> = self.lead.iter().map(String::as_str).collect();
        parts.extend(self.aside.as_deref());
        parts.extend(self.main.as_deref());
        parts.extend(self.tail.as_deref());
        let full = ascii(&join(parts));
        if full.len() <= MAX_REPLY {
            return full;
        }
        let main = ascii(self.main.as_deref().unwrap_or_default());
        let room = MAX_REPLY.saturating_sub(main.len() + 1);
        let lead = ascii(&join(self.lead.iter().map(String::as_str).collect()));
        let short = if room >= 40 {
            join(vec![&clip(&lead, room), &main])
        } else {
            main
        };
        clip(&short, MAX_REPLY)
    }

    /// The response for the channel.
    pub(super) fn into_response(self) -> AgentResponse {
        AgentResponse {
            reply: self.text(),
            next_actions: self.actions,
            conversation_id: None,
            confirmation: self.confirmation,
        }
    }
}
