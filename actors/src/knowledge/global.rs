//! The base knowledge every business shares: how texting the agent works,
//! opting out, reaching a person, booking and payment basics.
//!
//! Answers stay generic and true for any tenant, in plain ASCII so they
//! fit GSM-7 text messages. A pack or tenant entry on the same topic
//! replaces the global one (see [`super::layer`]).

use super::entry::{KbEntry, KbSource};

/// Question, answer, category and keywords of each built-in entry.
const GLOBAL: [(&str, &str, &str, &[&str]); 12] = [
    (
        "Am I texting a real person or a bot?",
        "You're texting our automated assistant. It can answer questions and book appointments any time, and a real person on our team can step in whenever you like. Just ask.",
        "texting",
        &["bot", "robot", "automated", "ai", "machine", "computer"],
    ),
    (
        "How do I stop getting texts?",
        "Reply STOP at any time and we'll stop texting you. Reply START if you change your mind, or HELP for help.",
        "texting",
        &["stop", "unsubscribe", "opt out", "no more texts", "stop texting"],
    ),
    (
        "Can I talk to a person?",
        "Of course. Reply with your question or the best time to call, and someone from our team will get back to you as soon as they can.",
        "contact",
        &["talk", "person", "human", "call me", "speak", "someone", "owner", "manager", "representative"],
    ),
    (
        "When will you get back to me?",
        "Our assistant replies right away. If you asked for a person, someone from our team will get back to you as soon as they can, usually the same business day.",
        "contact",
        &["reply", "respond", "response time", "hear back", "waiting"],
    ),
    (
        "Are you taking new customers?",
        "Yes! We're always happy to take on new customers. Just tell us what you need and when works for you.",
        "booking",
        &["new customer", "new customers", "new client", "new clients", "taking new", "accepting new"],
    ),
    (
        "How do I book an appointment?",
        "Just text us what you need and the days and times that work for you. We'll find an open time, confirm it by text and send a reminder before your appointment.",
        "booking",
        &["book", "appointment", "availability", "sign up"],
    ),
    (
        "Will I get a reminder before my appointment?",
        "Yes. We text you a confirmation when you book and a reminder before your appointment. Reply to the reminder if you need to make a change.",
        "booking",
        &["reminder", "remind", "confirmation", "notify", "heads up"],
    ),
    (
        "How do I pay?",
        "We'll tell you the total before any work starts, and you can pay by card. Ask us if you'd like to pay another way.",
        "payment",
        &["pay", "payment", "card", "how to pay"],
    ),
    (
        "Is it safe to text my card number?",
        "Please never text your full card number. When a payment is due, we'll send you a secure payment link instead.",
        "payment",
        &["secure", "fraud", "privacy", "full number"],
    ),
    (
        "Can I get a receipt?",
        "Yes. Just ask and we'll send you a receipt for any visit by text or email.",
        "payment",
        &["receipt", "copy", "proof of payment", "email receipt"],
    ),
    (
        "Can I send you photos?",
        "Yes! Text photos right here. They help us understand the job and give you an accurate quote.",
        "texting",
        &["photo", "picture", "pic", "image", "send"],
    ),
    (
        "How do I update my phone number or email?",
        "Just text us your new phone number or email and we'll update your details.",
        "account",
        &["update", "change my number", "new number", "new email", "contact info"],
    ),
];

/// The built-in entries every tenant's knowledge base starts from.
pub fn global_entries() -> Vec<KbEntry> {
    GLOBAL
        .iter()
        .map(|(question, answer, category, keywords)| {
            KbEntry::new(
                *question,
                *answer,
                category,
                keywords.iter().map(|k| (*k).to_owned()).collect(),
                KbSource::Global,
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn global_answers_are_plain_short_texts() {
        let entries = global_entries();
        assert!((8..=12).contains(&entries.len()));
        for entry in entries {
            let gsm = |c: char| (c.is_ascii_graphic() && c != '`') || c == ' ';
            assert!(entry.answer.chars().all(gsm), "{}", entry.question);
            assert!(entry.answer.chars().count() <= 306, "{}", entry.question);
            assert!(!entry.keywords.is_empty(), "{}", entry.question);
            assert_eq!(entry.source, KbSource::Global);
        }
    }
}
