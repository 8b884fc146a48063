//! How the booking agent talks for an industry, and which job details it
//! must collect before it can book.

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// The agent's industry voice: what it calls the job and the thing being
/// serviced, how it sounds, and the details it collects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgentProfile {
    /// Industry nouns and trade terms the agent should use.
    pub vocabulary: Vocabulary,
    /// One or two sentences describing the voice to write in.
    pub tone: String,
    /// Industry-specific instructions added to the agent's prompt.
    pub instructions: Vec<String>,
    /// The job details to collect, in the order to ask them.
    pub booking_questions: Vec<BookingQuestion>,
}

impl AgentProfile {
    /// The booking question with `key`, if the pack asks it.
    pub fn question(&self, key: &str) -> Option<&BookingQuestion> {
        self.booking_questions.iter().find(|q| q.key == key)
    }
}

/// Words that make the agent sound like it knows the trade.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vocabulary {
    /// What one job is called ("detail", "mow", "cleaning", "groom").
    pub job_noun: String,
    /// What is being serviced ("vehicle", "yard", "home", "pet").
    pub asset_noun: String,
    /// Trade terms the agent may use and should understand.
    pub terms: Vec<String>,
}

/// One detail the agent must collect before booking, e.g. the vehicle or
/// the number of bedrooms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BookingQuestion {
    /// Stable key the answer is stored under (`vehicle`, `bedrooms`).
    pub key: String,
    /// How the agent asks, in the customer's language.
    pub question: String,
    /// What shape of answer is expected.
    pub answer: AnswerKind,
    /// Whether booking must wait for this answer.
    #[serde(default = "required_by_default")]
    pub required: bool,
    /// The services (by name) the question is about; empty means every service.
    /// Window count matters for window cleaning, not for gutters.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub services: Vec<String>,
    /// How the answer changes the price and length of the job, when it does
    /// (such questions are asked before times are offered).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effect: Option<super::effect::Effect>,
}

impl BookingQuestion {
    /// Whether the question is asked when booking `service`.
    pub fn applies_to(&self, service: &str) -> bool {
        self.services.is_empty()
            || self
                .services
                .iter()
                .any(|s| s.eq_ignore_ascii_case(service))
    }
}

/// Questions are required unless a pack says otherwise.
fn required_by_default() -> bool {
    true
}

/// The shape of an answer to a [`BookingQuestion`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AnswerKind {
    /// Any free text (year/make/model, breed, gate code).
    Text,
    /// One of a fixed list of lowercase single-word choices.
    Choice {
        /// The allowed answers.
        choices: Vec<String>,
    },
    /// A whole number within an inclusive range.
    Integer {
        /// Smallest accepted value.
        min: i64,
        /// Largest accepted value.
        max: i64,
    },
}

/// A customer's answer after it was checked against its [`AnswerKind`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// Free text, trimmed.
    Text(String),
    /// The matched choice, exactly as the pack spells it.
    Choice(String),
    /// The number found in the answer.
    Integer(i64),
}

/// Why a customer's reply does not answer the question, so the agent can
/// ask again helpfully.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AnswerError {
    /// The reply was blank.
    #[error("the answer is empty")]
    Empty,
    /// The reply named none of the choices, or more than one.
    #[error("expected one of: {}", .choices.join(", "))]
    NotAChoice {
        /// The allowed answers, to offer again.
        choices: Vec<String>,
    },
    /// The reply held no number.
    #[error("expected a number")]
    NotANumber,
    /// The number is outside the accepted range.
    #[error("expected a number from {min} to {max}")]
    OutOfRange {
        /// Smallest accepted value.
        min: i64,
        /// Largest accepted value.
        max: i64,
    },
}

/// Number words customers text instead of digits.
const NUMBER_WORDS: [&str; 13] = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve",
];

/// The reply's words, lowercased, with surrounding punctuation removed.
fn words(raw: &str) -> impl Iterator<Item = String> + '_ {
    raw.split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .filter(|w| !w.is_empty())
}

impl AnswerKind {
    /// Checks a customer's reply: "It's an SUV" answers a vehicle-type
    /// choice with `suv`, "we have 3 bedrooms" or "three" answers an
    /// integer question with 3.
    pub fn parse(&self, raw: &str) -> Result<Answer, AnswerError> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(AnswerError::Empty);
        }
        match self {
            Self::Text => Ok(Answer::Text(trimmed.to_owned())),
            Self::Choice { choices } => {
                let said: Vec<String> = words(trimmed).collect();
                let mut hits = choices.iter().filter(|c| said.iter().any(|w| w == *c));
                match (hits.next(), hits.next()) {
                    (Some(choice), None) => Ok(Answer::Choice(choice.clone())),
                    _ => Err(AnswerError::NotAChoice {
                        choices: choices.clone(),
                    }),
                }
            }
            Self::Integer { min, max } => {
                let value = words(trimmed)
                    .find_map(|w| {
                        w.parse::<i64>().ok().or_else(|| {
                            NUMBER_WORDS
                                .iter()
                                .position(|n| *n == w)
                                .and_then(|i| i64::try_from(i).ok())
                        })
                    })
                    .ok_or(AnswerError::NotANumber)?;
                if (*min..=*max).contains(&value) {
                    Ok(Answer::Integer(value))
                } else {
                    Err(AnswerError::OutOfRange {
                        min: *min,
                        max: *max,
                    })
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn choice(list: &[&str]) -> AnswerKind {
        AnswerKind::Choice {
            choices: list.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    #[test]
    fn choice_found_in_a_sentence() {
        let kind = choice(&["sedan", "suv", "truck", "van"]);
        assert_eq!(kind.parse("It's an SUV."), Ok(Answer::Choice("suv".into())));
        assert!(matches!(
            kind.parse("a boat"),
            Err(AnswerError::NotAChoice { .. })
        ));
        assert!(matches!(
            kind.parse("truck or van"),
            Err(AnswerError::NotAChoice { .. })
        ));
    }

    #[test]
    fn hyphenated_choice_matches() {
        let kind = choice(&["small", "medium", "large", "x-large"]);
        assert_eq!(kind.parse("X-Large!"), Ok(Answer::Choice("x-large".into())));
    }

    #[test]
    fn integers_from_digits_and_words() {
        let kind = AnswerKind::Integer { min: 0, max: 10 };
        assert_eq!(kind.parse("we have 3 bedrooms"), Ok(Answer::Integer(3)));
        assert_eq!(kind.parse("Two"), Ok(Answer::Integer(2)));
        assert_eq!(kind.parse("lots"), Err(AnswerError::NotANumber));
        assert_eq!(
            kind.parse("40"),
            Err(AnswerError::OutOfRange { min: 0, max: 10 })
        );
    }

    #[test]
    fn text_is_trimmed_and_blank_is_rejected() {
        assert_eq!(
            AnswerKind::Text.parse("  2019 Honda Pilot "),
            Ok(Answer::Text("2019 Honda Pilot".into()))
        );
        assert_eq!(AnswerKind::Text.parse("   "), Err(AnswerError::Empty));
    }
}
