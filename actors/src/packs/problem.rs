//! What can be wrong with an industry pack, and the error the loader returns.

use chrono::{NaiveTime, Weekday};
use thiserror::Error;

use super::model::FaqCategory;
use super::template::TemplateError;

/// Why an industry pack could not be used.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PackError {
    /// No pack exists for the requested industry id.
    #[error("no industry pack named {industry:?} (known: {})", super::INDUSTRIES.join(", "))]
    UnknownIndustry {
        /// The id that was asked for.
        industry: String,
    },
    /// The pack file is not valid TOML for the pack schema.
    #[error("industry pack {industry} does not parse: {message}")]
    Parse {
        /// The pack being loaded.
        industry: String,
        /// The parser's message, with line and column.
        message: String,
    },
    /// The pack parsed but breaks one or more content rules.
    #[error("industry pack {industry} is invalid: {}", join(.problems))]
    Invalid {
        /// The pack being loaded.
        industry: String,
        /// Every rule the pack breaks.
        problems: Vec<PackProblem>,
    },
}

/// Joins problems into one readable line.
fn join(problems: &[PackProblem]) -> String {
    problems
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// One content rule an industry pack breaks. Validation reports all of
/// them at once so a pack author can fix a file in one pass.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PackProblem {
    /// The file's `industry` differs from the id it is loaded as.
    #[error("file declares industry {found:?}, expected {expected:?}")]
    WrongIndustry {
        /// The id the file is loaded as.
        expected: String,
        /// The id the file declares.
        found: String,
    },
    /// A text, list or name that must have content is empty.
    #[error("{what} is empty")]
    Empty {
        /// Which field.
        what: String,
    },
    /// A list has too few or too many entries.
    #[error("{what}: has {found}, expected {min} to {max}")]
    Count {
        /// Which list.
        what: &'static str,
        /// How many it has.
        found: usize,
        /// Fewest allowed.
        min: usize,
        /// Most allowed.
        max: usize,
    },
    /// A service or add-on costs nothing.
    #[error("{item}: price must be more than $0")]
    ZeroPrice {
        /// The service or add-on name.
        item: String,
    },
    /// A service or add-on takes no time.
    #[error("{item}: duration must be more than 0 minutes")]
    ZeroDuration {
        /// The service or add-on name.
        item: String,
    },
    /// A name or alias would map a customer's words to two offerings.
    #[error("term {term:?} is used by both {first:?} and {second:?}")]
    DuplicateTerm {
        /// The normalized term.
        term: String,
        /// The offering that claimed it first.
        first: String,
        /// The offering that claimed it again.
        second: String,
    },
    /// An add-on pairs with a service the pack does not have.
    #[error("add-on {addon:?} pairs with unknown service {service:?}")]
    UnknownPairing {
        /// The add-on.
        addon: String,
        /// The missing service name.
        service: String,
    },
    /// The same FAQ question appears twice.
    #[error("duplicate FAQ {question:?}")]
    DuplicateFaq {
        /// The repeated question.
        question: String,
    },
    /// No FAQ answers a category every pack must cover.
    #[error("no FAQ in category {category:?}")]
    MissingFaqCategory {
        /// The uncovered category.
        category: FaqCategory,
    },
    /// A template is malformed.
    #[error("{what}: {error}")]
    Template {
        /// Which template.
        what: String,
        /// What is wrong with it.
        error: TemplateError,
    },
    /// A template uses a placeholder the engine does not supply there.
    #[error("{what}: placeholder {{{name}}} is not available here")]
    PlaceholderNotAllowed {
        /// Which template.
        what: String,
        /// The placeholder.
        name: String,
    },
    /// A template leaves out a placeholder it needs.
    #[error("{what}: must use placeholder {{{name}}}")]
    PlaceholderMissing {
        /// Which template.
        what: String,
        /// The placeholder.
        name: String,
    },
    /// A carrier-required keyword is missing.
    #[error("{what}: must mention {word}")]
    MissingWord {
        /// Which template.
        what: String,
        /// The keyword (STOP, START).
        word: &'static str,
    },
    /// Text bound for SMS has a character outside plain ASCII, which would
    /// switch the whole message to UCS-2 and triple its segment count.
    #[error("{what}: use plain ASCII so it sends as standard SMS, found {found:?}")]
    NotPlainText {
        /// Which text.
        what: String,
        /// The first offending character.
        found: char,
    },
    /// Text is longer than its channel allows.
    #[error("{what}: {len} characters, at most {max}")]
    TooLong {
        /// Which text.
        what: String,
        /// Its length in characters.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// The phone menu does not announce 1, 2 and 3, or gives away the 7.
    #[error("ivr.menu must announce options 1, 2 and 3 and keep 7 a secret")]
    MenuOptions,
    /// A booking question key is repeated or not `snake_case`.
    #[error("booking question key {key:?} is repeated or not snake_case")]
    BadQuestionKey {
        /// The key.
        key: String,
    },
    /// A booking question's answer kind cannot be answered.
    #[error("booking question {key:?}: {reason}")]
    BadAnswerKind {
        /// The question key.
        key: String,
        /// What is wrong.
        reason: &'static str,
    },
    /// A day closes before it opens.
    #[error("{day}: opens at {open} but closes at {close}")]
    BadHours {
        /// The day.
        day: Weekday,
        /// Opening time.
        open: NaiveTime,
        /// Closing time.
        close: NaiveTime,
    },
    /// Every day is closed, so nothing could ever be booked.
    #[error("the business is closed every day")]
    NeverOpen,
    /// A scheduling default is outside what makes sense.
    #[error("{what} is {found}, expected {min} to {max}")]
    OutOfRange {
        /// Which default.
        what: &'static str,
        /// Its value.
        found: u64,
        /// Smallest sensible value.
        min: u64,
        /// Largest sensible value.
        max: u64,
    },
}
