//! How a job detail changes the price and the length of a job: a large dog
//! takes longer than a toy breed, a van longer than a coupe, four bedrooms
//! longer than two. A booking question may carry an [`Effect`]; the
//! [`IndustryPack::job_adjustment`] of a job is the sum over the pack's
//! questions of what the customer's answers add. This is the one place the
//! rule lives: the offline agent quotes and sizes with it, and the booking
//! tools price and store the job with it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::agent::BookingQuestion;
use super::model::IndustryPack;

/// What one answer adds to a service's price and length.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Adjustment {
    /// Cents added to the price.
    #[serde(default)]
    pub price_cents: i32,
    /// Minutes added to the job.
    #[serde(default)]
    pub minutes: i32,
}

impl Adjustment {
    /// Whether it changes nothing.
    pub fn is_zero(&self) -> bool {
        self.price_cents == 0 && self.minutes == 0
    }

    fn plus(self, other: Adjustment) -> Adjustment {
        Adjustment {
            price_cents: self.price_cents.saturating_add(other.price_cents),
            minutes: self.minutes.saturating_add(other.minutes),
        }
    }

    fn times(self, n: i64) -> Adjustment {
        let n = i32::try_from(n).unwrap_or(i32::MAX);
        Adjustment {
            price_cents: self.price_cents.saturating_mul(n),
            minutes: self.minutes.saturating_mul(n),
        }
    }
}

/// Each unit above `included` adds `price_cents` and `minutes` (a number
/// answer: bedrooms, windows, stories).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PerUnit {
    /// Units the base price covers.
    pub included: i64,
    /// Cents each further unit adds.
    #[serde(default)]
    pub price_cents: i32,
    /// Minutes each further unit adds.
    #[serde(default)]
    pub minutes: i32,
}

/// How a booking question's answer changes the job.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Effect {
    /// The services (by name) it changes; empty means every service the
    /// question applies to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub services: Vec<String>,
    /// For a choice answer: what each choice adds (a choice not listed adds nothing).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub choices: BTreeMap<String, Adjustment>,
    /// For a number answer: what each unit above the included ones adds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_unit: Option<PerUnit>,
    /// How the quote names the answer: "a {answer} pet", "{answer} bedrooms".
    pub label: String,
}

impl Effect {
    /// What `answer` adds.
    pub fn adjustment(&self, answer: &str) -> Adjustment {
        let answer = answer.trim();
        if let Some(per) = &self.per_unit {
            let n = answer.parse::<i64>().unwrap_or(0);
            let extra = n.saturating_sub(per.included).max(0);
            return Adjustment {
                price_cents: per.price_cents,
                minutes: per.minutes,
            }
            .times(extra);
        }
        self.choices
            .get(&answer.to_lowercase())
            .copied()
            .unwrap_or_default()
    }
}

impl BookingQuestion {
    /// Whether the answer to this question changes `service`'s price or length.
    pub fn sizes(&self, service: &str) -> bool {
        self.effect.as_ref().is_some_and(|e| {
            self.applies_to(service)
                && (e.services.is_empty()
                    || e.services.iter().any(|s| s.eq_ignore_ascii_case(service)))
        })
    }
}

/// A job's price and length after its details, and the words for the quote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JobAdjustment {
    /// What the details add together.
    pub total: Adjustment,
    /// "a large pet", "4 bedrooms": the answers that size the job, in the pack's order.
    pub labels: Vec<String>,
}

impl IndustryPack {
    /// What the answers in `answer` (by question key) add to `service`.
    pub fn job_adjustment(
        &self,
        service: &str,
        answer: impl Fn(&str) -> Option<String>,
    ) -> JobAdjustment {
        let mut out = JobAdjustment::default();
        for q in &self.agent.booking_questions {
            let (Some(effect), true) = (&q.effect, q.sizes(service)) else {
                continue;
            };
            let Some(given) = answer(&q.key) else {
                continue;
            };
            out.total = out.total.plus(effect.adjustment(&given));
            out.labels
                .push(effect.label.replace("{answer}", given.trim()));
        }
        out
    }

    /// [`Self::job_adjustment`] over a details JSON object (strings or numbers).
    pub fn job_adjustment_json(&self, service: &str, details: &serde_json::Value) -> JobAdjustment {
        self.job_adjustment(service, |key| match details.get(key)? {
            serde_json::Value::String(s) => Some(s.clone()),
            serde_json::Value::Number(n) => Some(n.to_string()),
            _ => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::packs::pack;

    fn details(pairs: &[(&str, &str)]) -> serde_json::Value {
        serde_json::Value::Object(
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), serde_json::Value::String((*v).to_owned())))
                .collect(),
        )
    }

    #[test]
    fn a_large_dog_costs_more_and_takes_longer_than_a_small_one() {
        let p = pack("pet-grooming").expect("pack");
        let small = p.job_adjustment_json("Full Groom", &details(&[("pet_size", "small")]));
        let large = p.job_adjustment_json("Full Groom", &details(&[("pet_size", "large")]));
        assert!(small.total.is_zero());
        assert!(large.total.price_cents > 0 && large.total.minutes > 0);
        assert_eq!(large.labels, vec!["a large pet".to_owned()]);
        // A nail trim is the same for every size.
        let nails = p.job_adjustment_json("Nail Trim", &details(&[("pet_size", "giant")]));
        assert!(nails.total.is_zero());
    }

    #[test]
    fn every_pack_sizes_its_main_service() {
        let cases = [
            (
                "mobile-detailing",
                "Full Detail",
                vec![("vehicle_type", "van")],
            ),
            ("lawn-care", "Lawn Mowing", vec![("lot_size", "large")]),
            (
                "house-cleaning",
                "Standard Cleaning",
                vec![("bedrooms", "4"), ("bathrooms", "3")],
            ),
            (
                "window-washing",
                "Exterior Window Cleaning",
                vec![("windows", "30"), ("stories", "2")],
            ),
            ("pet-grooming", "Bath & Brush", vec![("pet_size", "giant")]),
        ];
        for (industry, service, answers) in cases {
            let p = pack(industry).expect("pack");
            let adj = p.job_adjustment_json(service, &details(&answers));
            assert!(adj.total.price_cents > 0, "{industry}: {adj:?}");
            assert!(adj.total.minutes > 0, "{industry}: {adj:?}");
            assert_eq!(adj.labels.len(), answers.len(), "{industry}");
        }
    }

    #[test]
    fn numbers_count_only_above_the_included_units() {
        let p = pack("house-cleaning").expect("pack");
        let two = p.job_adjustment_json("Standard Cleaning", &details(&[("bedrooms", "2")]));
        let four = p.job_adjustment_json("Standard Cleaning", &serde_json::json!({"bedrooms": 4}));
        assert!(two.total.is_zero());
        let q = p.agent.question("bedrooms").expect("bedrooms");
        let per = q
            .effect
            .as_ref()
            .and_then(|e| e.per_unit)
            .expect("per unit");
        assert_eq!(four.total.price_cents, per.price_cents * 2);
    }
}
