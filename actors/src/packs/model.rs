//! The typed shape of an industry pack: services, add-ons, FAQs, texts,
//! phone script, agent profile and scheduling defaults.

use serde::{Deserialize, Serialize};

use super::agent::AgentProfile;
use super::defaults::PackDefaults;
use super::ivr::IvrScript;
use super::sms::{SmsTemplateKey, SmsTemplates};
use super::template::TemplateError;

/// Everything a new tenant of one industry starts with, so no one sets up
/// a business from scratch. Loaded from an embedded TOML file and
/// validated before use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndustryPack {
    /// The industry id stored in `tenants.industry` (`mobile-detailing`).
    pub industry: String,
    /// The industry as shown to people ("Mobile Auto Detailing").
    pub display_name: String,
    /// The main services, seeded into `services`.
    pub services: Vec<PackService>,
    /// Add-ons and upsells, seeded into `services` with `is_addon`.
    pub addons: Vec<PackAddon>,
    /// Answers the agent gives to common questions.
    pub faqs: Vec<Faq>,
    /// The text messages the product sends.
    pub sms_templates: SmsTemplates,
    /// The phone-menu script.
    pub ivr: IvrScript,
    /// How the booking agent talks and what it asks.
    pub agent: AgentProfile,
    /// Hours, crews and booking rules.
    pub defaults: PackDefaults,
}

/// A main service a customer can book.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackService {
    /// The service's name, unique within the tenant.
    pub name: String,
    /// One or two customer-facing sentences.
    pub description: String,
    /// Price in US cents.
    pub price_cents: u32,
    /// Whether the price is a "starting at" price that grows with the job's size.
    #[serde(default)]
    pub starting_at: bool,
    /// How long the job takes on site.
    pub duration_minutes: u32,
    /// Words customers text for this service ("inside and out").
    pub aliases: Vec<String>,
}

/// An optional extra offered alongside a service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackAddon {
    /// The add-on's name, unique within the tenant (services included).
    pub name: String,
    /// One or two customer-facing sentences.
    pub description: String,
    /// Price in US cents.
    pub price_cents: u32,
    /// Extra minutes it adds to the job.
    pub duration_minutes: u32,
    /// Words customers text for this add-on.
    pub aliases: Vec<String>,
    /// One friendly sentence the agent uses to offer it.
    pub upsell_line: String,
    /// Service names it is offered with; empty means every service.
    #[serde(default)]
    pub pairs_with: Vec<String>,
}

impl PackAddon {
    /// Whether the agent should offer this add-on with `service`.
    pub fn pairs_with(&self, service: &str) -> bool {
        self.pairs_with.is_empty() || self.pairs_with.iter().any(|s| s == service)
    }
}

/// What an FAQ is about, so the agent can find answers by topic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaqCategory {
    /// What things cost and why.
    Pricing,
    /// What a service or product is and whether it is worth it.
    Services,
    /// Rain, heat and cold.
    Weather,
    /// Cancelling and rescheduling.
    Cancellation,
    /// Deposits and holds.
    Deposits,
    /// How customers pay.
    Payment,
    /// What the customer must provide (water, power, access).
    Requirements,
    /// Where the business travels.
    ServiceArea,
    /// How long jobs take.
    Duration,
    /// How to get ready for the visit.
    Prep,
    /// Pets at the job site, or pets as the customer.
    Pets,
    /// Safety, products, insurance.
    Safety,
    /// What happens if the customer is not happy.
    Guarantee,
    /// Booking, scheduling and recurring plans.
    Booking,
}

impl FaqCategory {
    /// The categories every pack must answer at least once.
    pub const REQUIRED: [FaqCategory; 7] = [
        Self::Pricing,
        Self::Weather,
        Self::Cancellation,
        Self::Payment,
        Self::ServiceArea,
        Self::Duration,
        Self::Guarantee,
    ];
}

/// One question customers ask and the answer the business gives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Faq {
    /// The topic.
    pub category: FaqCategory,
    /// The question as a customer would ask it.
    pub question: String,
    /// The answer, ready to text.
    pub answer: String,
    /// Words that suggest a customer is asking this.
    pub keywords: Vec<String>,
}

/// A service or add-on found by name or alias.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Offering<'a> {
    /// A main service.
    Service(&'a PackService),
    /// An add-on.
    Addon(&'a PackAddon),
}

impl Offering<'_> {
    /// The offering's name.
    pub fn name(&self) -> &str {
        match self {
            Self::Service(s) => &s.name,
            Self::Addon(a) => &a.name,
        }
    }
}

/// Folds a name or alias to a comparable form: lowercase words separated
/// by single spaces, punctuation dropped, `&` read as "and". "Move-Out" and
/// "move out" are the same term.
pub fn normalize_term(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_alphanumeric() {
            folded.extend(c.to_lowercase());
        } else if c == '&' {
            folded.push_str(" and ");
        } else if c == '\'' {
            continue;
        } else {
            folded.push(' ');
        }
    }
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Formats US cents the way customers read prices: `$275` or `$27.50`.
pub fn format_usd(cents: u32) -> String {
    let (dollars, rest) = (cents / 100, cents % 100);
    let mut whole = dollars.to_string();
    let mut i = whole.len();
    while i > 3 {
        i -= 3;
        whole.insert(i, ',');
    }
    if rest == 0 {
        format!("${whole}")
    } else {
        format!("${whole}.{rest:02}")
    }
}

impl IndustryPack {
    /// Every offering with the terms (name and aliases) it answers to.
    pub fn offerings(&self) -> impl Iterator<Item = (Offering<'_>, Vec<&str>)> + '_ {
        let services = self.services.iter().map(|s| {
            let mut terms = vec![s.name.as_str()];
            terms.extend(s.aliases.iter().map(String::as_str));
            (Offering::Service(s), terms)
        });
        let addons = self.addons.iter().map(|a| {
            let mut terms = vec![a.name.as_str()];
            terms.extend(a.aliases.iter().map(String::as_str));
            (Offering::Addon(a), terms)
        });
        services.chain(addons)
    }

    /// The service or add-on a customer means by exactly `term` (a name or
    /// alias, any case or punctuation).
    pub fn lookup(&self, term: &str) -> Option<Offering<'_>> {
        let wanted = normalize_term(term);
        self.offerings()
            .find(|(_, terms)| terms.iter().any(|t| normalize_term(t) == wanted))
            .map(|(offering, _)| offering)
    }

    /// Every service or add-on whose name or alias appears as whole words
    /// in a customer's message ("can I get a full detail on my truck?"),
    /// in order of appearance. A term inside a longer term of another
    /// offering does not count: "inside and out" means the full detail,
    /// not the interior one.
    pub fn mentioned_in(&self, message: &str) -> Vec<Offering<'_>> {
        let folded = normalize_term(message);
        let words: Vec<&str> = folded.split_whitespace().collect();
        let mut found: Vec<(usize, usize, Offering<'_>)> = Vec::new();
        for (offering, terms) in self.offerings() {
            for term in terms {
                let term = normalize_term(term);
                let needle: Vec<&str> = term.split_whitespace().collect();
                if needle.is_empty() || needle.len() > words.len() {
                    continue;
                }
                for (start, window) in words.windows(needle.len()).enumerate() {
                    if window == needle.as_slice() {
                        found.push((start, start + needle.len(), offering));
                    }
                }
            }
        }
        found.sort_by_key(|(start, end, _)| (*start, *end));
        let mut mentioned: Vec<Offering<'_>> = Vec::new();
        for (start, end, offering) in &found {
            let inside_longer = found.iter().any(|(s, e, other)| {
                other.name() != offering.name() && s <= start && end <= e && e - s > end - start
            });
            if !inside_longer && !mentioned.iter().any(|m| m.name() == offering.name()) {
                mentioned.push(*offering);
            }
        }
        mentioned
    }

    /// The main service named `name`.
    pub fn service(&self, name: &str) -> Option<&PackService> {
        self.services.iter().find(|s| s.name == name)
    }

    /// The add-on named `name`.
    pub fn addon(&self, name: &str) -> Option<&PackAddon> {
        self.addons.iter().find(|a| a.name == name)
    }

    /// The add-ons worth offering with `service`, in pack order.
    pub fn upsells_for<'a>(&'a self, service: &'a str) -> impl Iterator<Item = &'a PackAddon> + 'a {
        self.addons.iter().filter(move |a| a.pairs_with(service))
    }

    /// The FAQs in `category`.
    pub fn faqs_in(&self, category: FaqCategory) -> impl Iterator<Item = &Faq> + '_ {
        self.faqs.iter().filter(move |f| f.category == category)
    }

    /// This pack's text message `key` with its placeholders filled from
    /// `values`. Texts that are sent go through
    /// [`TenantTemplates::render`](super::TenantTemplates::render), which
    /// prefers the tenant's own wording.
    pub fn render_sms(
        &self,
        key: SmsTemplateKey,
        values: &[(&str, &str)],
    ) -> Result<String, TemplateError> {
        self.sms_templates.render(key, values)
    }
}
