//! What the customer is trying to do. Several things can be true at once
//! ("yes but make it interior only" affirms *and* changes its mind), so
//! detection returns every signal with a confidence, best first.

use serde::{Deserialize, Serialize};

mod phrases;

use phrases::{
    AFFIRM_ANYWHERE, AFFIRM_START, BOOKING_NOUNS, BOOK_STRONG, BOOK_WEAK, BOOK_WISH, DENY_ANYWHERE,
    DENY_START, DURATION, GREETINGS, JUST_ASKING, OPT_OUT_REQUESTS, PRICE, RESCHEDULE, THANKS,
};

use super::carrier::{carrier_keyword, CarrierKeyword};
use super::entities::SlotChoice;
use super::normalize::Normalized;

/// One thing a customer text can mean.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Intent {
    /// Wants to book a job.
    Book,
    /// Wants to move an existing booking.
    Reschedule,
    /// Wants to cancel an existing booking (not a carrier opt-out).
    Cancel,
    /// Asks what something costs.
    PriceQuestion,
    /// Asks how long something takes.
    DurationQuestion,
    /// Asks some other question, for the knowledge base.
    FaqQuestion,
    /// Wants a human: "talk to a person", "call me", "manager".
    Handoff,
    /// Wants no more texts (carrier keyword or a plain request).
    OptOut,
    /// Wants texts again (START/UNSTOP, or YES while opted out).
    OptIn,
    /// Carrier HELP/INFO keyword.
    Help,
    /// Says yes.
    Affirm,
    /// Says no.
    Deny,
    /// Says hello.
    Greeting,
    /// Says thanks.
    Thanks,
    /// Corrects something said before ("actually", "instead", "make it").
    ChangeOfMind,
    /// Picks one of the offered slots.
    SelectOption(SlotChoice),
    /// Nothing recognised.
    Unknown,
}

/// An intent with how sure detection is, from 0 to 1.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Scored {
    /// The intent.
    pub intent: Intent,
    /// Rule-based confidence: 1.0 for carrier keywords, ~0.9 for explicit
    /// phrases, ~0.5 for weak evidence.
    pub confidence: f32,
}

/// Every intent a text carries, best first, plus the carrier keyword.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Signals {
    /// Detected intents, highest confidence first; empty means Unknown.
    pub ranked: Vec<Scored>,
    /// Set when the whole message is a carrier keyword.
    pub carrier_keyword: Option<CarrierKeyword>,
}

impl Signals {
    /// The most likely intent, or [`Intent::Unknown`].
    pub fn best(&self) -> Intent {
        self.ranked.first().map_or(Intent::Unknown, |s| s.intent)
    }

    /// True when an intent of the same kind was detected (a
    /// [`Intent::SelectOption`] matches whatever its choice).
    pub fn has(&self, intent: Intent) -> bool {
        self.confidence(intent) > 0.0
    }

    /// The confidence of an intent kind, 0 when absent.
    pub fn confidence(&self, intent: Intent) -> f32 {
        let kind = std::mem::discriminant(&intent);
        self.ranked
            .iter()
            .find(|s| std::mem::discriminant(&s.intent) == kind)
            .map_or(0.0, |s| s.confidence)
    }

    fn add(&mut self, intent: Intent, confidence: f32) {
        let kind = std::mem::discriminant(&intent);
        match self
            .ranked
            .iter_mut()
            .find(|s| std::mem::discriminant(&s.intent) == kind)
        {
            Some(existing) if existing.confidence < confidence => {
                *existing = Scored { intent, confidence };
            }
            Some(_) => {}
            None => self.ranked.push(Scored { intent, confidence }),
        }
    }
}

/// What the other extractors found, which sharpens intent detection.
#[derive(Debug, Clone, Copy, Default)]
pub struct IntentHints {
    /// A service or add-on was named.
    pub service_mentioned: bool,
    /// A day or time was given.
    pub when_mentioned: bool,
    /// A slot pick was recognised.
    pub slot_choice: Option<SlotChoice>,
    /// The number is currently opted out, so a bare YES re-subscribes.
    pub opted_out: bool,
}

/// Detects every intent in a normalised text.
pub fn detect(text: &Normalized, hints: &IntentHints) -> Signals {
    let mut s = Signals {
        carrier_keyword: carrier_keyword(text),
        ..Signals::default()
    };
    match s.carrier_keyword {
        Some(CarrierKeyword::OptOut) => s.add(Intent::OptOut, 1.0),
        Some(CarrierKeyword::OptIn) => s.add(Intent::OptIn, 1.0),
        Some(CarrierKeyword::Help) => s.add(Intent::Help, 1.0),
        Some(CarrierKeyword::Yes) if hints.opted_out => s.add(Intent::OptIn, 1.0),
        _ => {}
    }
    if s.carrier_keyword.is_none() || s.carrier_keyword == Some(CarrierKeyword::Yes) {
        conversational(text, hints, &mut s);
    }
    s.ranked
        .sort_by(|a, b| b.confidence.total_cmp(&a.confidence));
    s
}

fn conversational(t: &Normalized, hints: &IntentHints, s: &mut Signals) {
    let any = |phrases: &[&str]| phrases.iter().any(|p| t.has_phrase(p));
    let starts = |phrases: &[&str]| phrases.iter().any(|p| t.starts_with_phrase(p));
    let short = t.tokens.len() <= 4;

    if any(OPT_OUT_REQUESTS) {
        s.add(Intent::OptOut, 0.9);
    }
    if wants_human(t) {
        s.add(Intent::Handoff, 0.95);
    }
    let cancel_that = any(&["cancel that", "scratch that"]) && !any(BOOKING_NOUNS);
    if t.has_phrase("cancel") && !cancel_that || any(&["call it off", "cancellation of my"]) {
        s.add(Intent::Cancel, 0.9);
    }
    let cant_make_it = any(&[
        "cant make it",
        "cannot make it",
        "wont make it",
        "cant do it anymore",
    ]);
    if cant_make_it {
        s.add(Intent::Reschedule, 0.55);
        s.add(Intent::Cancel, 0.5);
    }
    if any(RESCHEDULE) {
        s.add(Intent::Reschedule, 0.9);
    }
    if any(PRICE) || t.text.contains('$') {
        s.add(Intent::PriceQuestion, 0.9);
    }
    if any(DURATION) {
        s.add(Intent::DurationQuestion, 0.9);
    }
    let moving = s.has(Intent::Reschedule) || s.has(Intent::Cancel);
    let just_asking = any(JUST_ASKING);
    if just_asking {
        // Nothing below is a booking.
    } else if !moving && any(BOOK_STRONG) {
        s.add(Intent::Book, 0.85);
    } else if !moving && (any(BOOK_WEAK) || (any(BOOK_WISH) && !is_question(t))) {
        s.add(Intent::Book, 0.6);
    }
    // "how often should i mow": advice about a service, not a request for it.
    let advice = t.starts_with_phrase("how often");
    // "is the weed killer you use safe for cats?": a question about a
    // service (with no day or time) is not a request for it.
    // "can you mow my yard?" asks for the job, not about it.
    let request = asks_for_job(t);
    let asks_about_service = is_question(t) && !hints.when_mentioned && !request;
    if !moving
        && !advice
        && !just_asking
        && !asks_about_service
        && hints.service_mentioned
        && !s.has(Intent::PriceQuestion)
        && !s.has(Intent::DurationQuestion)
    {
        s.add(Intent::Book, 0.55);
    }
    if is_question(t) {
        let specific = [
            Intent::PriceQuestion,
            Intent::DurationQuestion,
            Intent::Handoff,
        ];
        let confidence = if specific.iter().any(|i| s.has(*i)) {
            0.2
        } else if s.has(Intent::Book) || moving {
            0.35
        } else {
            0.6
        };
        s.add(Intent::FaqQuestion, confidence);
    }
    affirm_or_deny(t, short, s);
    if just_asking {
        // "ok thanks, i'll think about it": no yes to anything.
        s.ranked.retain(|r| r.intent != Intent::Affirm);
    }
    if starts(GREETINGS) {
        s.add(Intent::Greeting, 0.8);
    }
    if any(THANKS) {
        s.add(Intent::Thanks, 0.85);
    }
    if changes_mind(t) || cancel_that {
        s.add(Intent::ChangeOfMind, 0.85);
    }
    if let Some(choice) = hints.slot_choice {
        s.add(Intent::SelectOption(choice), if short { 0.9 } else { 0.7 });
    }
    if hints.when_mentioned && s.ranked.is_empty() && !just_asking {
        s.add(Intent::Book, 0.4);
    }
}

/// Whether a question asks for the job itself ("can you mow my yard?",
/// "could i get a wash"), rather than about it.
pub fn asks_for_job(t: &Normalized) -> bool {
    REQUEST_STARTS.iter().any(|p| t.starts_with_phrase(p))
}

/// How a question asking for the job itself starts.
const REQUEST_STARTS: &[&str] = &[
    "can you",
    "can u",
    "could you",
    "could u",
    "can i",
    "could i",
    "can we",
    "would you",
    "will you",
    "can yall",
    "can someone",
];

/// Words people put before a yes or no ("lol ok", "oh yes", "um no").
const INTERJECTIONS: &[&str] = &[
    "lol", "haha", "lmao", "oh", "um", "uh", "well", "hmm", "ah", "omg", "oops",
];

/// True when the text starts with `phrase` once leading interjections are skipped.
fn starts_after_interjections(t: &Normalized, phrase: &str) -> bool {
    let words = t.words();
    let skip = words
        .iter()
        .take_while(|w| INTERJECTIONS.contains(w))
        .count();
    let wanted: Vec<&str> = phrase.split(' ').collect();
    words
        .get(skip..skip + wanted.len())
        .is_some_and(|got| got == wanted.as_slice())
}

fn affirm_or_deny(t: &Normalized, short: bool, s: &mut Signals) {
    let any = |phrases: &[&str]| phrases.iter().any(|p| t.has_phrase(p));
    let starts = |phrases: &[&str]| phrases.iter().any(|p| starts_after_interjections(t, p));
    let neutral_no = any(&[
        "no problem",
        "no worries",
        "no rush",
        "no biggie",
        "no hurry",
    ]);
    let unsure = any(&[
        "not sure",
        "are you sure",
        "unsure",
        "if thats ok",
        "is that ok",
        "is that okay",
    ]);
    let strength = if short { 0.9 } else { 0.7 };
    let good = t.is_exactly("good") || t.is_exactly("very good");
    if !unsure && (starts(AFFIRM_START) || any(AFFIRM_ANYWHERE) || good) {
        s.add(Intent::Affirm, strength);
    }
    if neutral_no {
        s.add(Intent::Thanks, 0.5);
    } else if starts(DENY_START) || any(DENY_ANYWHERE) {
        s.add(Intent::Deny, strength);
    }
}

fn wants_human(t: &Normalized) -> bool {
    let any = |phrases: &[&str]| phrases.iter().any(|p| t.has_phrase(p));
    let who = [
        "person",
        "human",
        "someone",
        "somebody",
        "manager",
        "owner",
        "agent",
        "representative",
        "rep",
        "operator",
        "anyone",
        "staff",
        "boss",
        "employee",
    ];
    let verbs = ["talk", "speak", "chat", "connect", "transfer"];
    let asks = verbs.iter().any(|v| t.has_phrase(v)) && who.iter().any(|w| t.has_phrase(w));
    let negated = any(&["dont call", "do not call", "no calls", "dont need to talk"]);
    !negated
        && (asks
            || any(&[
                "call me",
                "give me a call",
                "can someone call",
                "have someone call",
                "real person",
                "live person",
                "actual person",
                "a human",
                "are you a bot",
                "is this a bot",
                "are you a robot",
                "is this a robot",
                "is this automated",
                "are you real",
                "are you ai",
                "is this ai",
                "can i call you",
                "phone call",
                "call you",
                "ring me",
            ]))
}

fn changes_mind(t: &Normalized) -> bool {
    let any = |phrases: &[&str]| phrases.iter().any(|p| t.has_phrase(p));
    let make_it = any(&["make it", "make that"])
        && !any(&[
            "cant make it",
            "can make it",
            "cannot make it",
            "wont make it",
            "could make it",
            "couldnt make it",
            "will make it",
            "to make it",
            "you make it",
        ]);
    let wait =
        t.has_phrase("wait") && !any(&["cant wait", "cannot wait", "wait list", "waiting list"]);
    make_it
        || wait
        || any(&[
            "actually",
            "instead",
            "change it to",
            "change that to",
            "switch to",
            "switch it",
            "rather",
            "on second thought",
            "scratch that",
            "i meant",
            "correction",
            "change to",
            "changed my mind",
            "not that one",
        ])
}

fn is_question(t: &Normalized) -> bool {
    const STARTERS: &[&str] = &[
        "what",
        "where",
        "do you",
        "does",
        "are you",
        "can you",
        "can i",
        "is there",
        "is it",
        "which",
        "why",
        "how",
        "who",
        "when",
        "will you",
        "would you",
        "could you",
        "should i",
        "do i",
        "is your",
        "are there",
        "any chance",
    ];
    t.original.contains('?') || STARTERS.iter().any(|p| t.starts_with_phrase(p))
}
