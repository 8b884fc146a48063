//! Content rules every industry pack must meet before a tenant is seeded
//! from it. Validation collects every problem rather than stopping at the
//! first.

use std::collections::HashMap;
use std::ops::RangeInclusive;

use super::agent::AnswerKind;
use super::ivr::IvrLine;
use super::model::{normalize_term, FaqCategory, IndustryPack};
use super::problem::PackProblem;
use super::sms::SmsTemplateKey;
use super::template::placeholders;

/// Longest SMS template body: two concatenated GSM-7 segments.
const MAX_SMS: usize = 306;
/// Longest FAQ answer: three concatenated GSM-7 segments.
const MAX_FAQ_ANSWER: usize = 459;
/// Longest service or add-on description.
const MAX_DESCRIPTION: usize = 200;
/// Longest upsell line.
const MAX_UPSELL: usize = 160;

/// Collects problems while walking a pack.
struct Checker {
    problems: Vec<PackProblem>,
}

impl Checker {
    fn push(&mut self, problem: PackProblem) {
        self.problems.push(problem);
    }

    /// Text must not be blank.
    fn filled(&mut self, what: &str, text: &str) -> bool {
        let ok = !text.trim().is_empty();
        if !ok {
            self.push(PackProblem::Empty { what: what.into() });
        }
        ok
    }

    /// Text that customers get by SMS: filled, plain ASCII, within `max`.
    fn sms_text(&mut self, what: &str, text: &str, max: usize) {
        if !self.filled(what, text) {
            return;
        }
        // GSM-7 carries printable ASCII except the backtick.
        let gsm = |c: &char| (c.is_ascii_graphic() && *c != '`') || *c == ' ' || *c == '\n';
        if let Some(found) = text.chars().find(|c| !gsm(c)) {
            self.push(PackProblem::NotPlainText {
                what: what.into(),
                found,
            });
        }
        let len = text.chars().count();
        if len > max {
            self.push(PackProblem::TooLong {
                what: what.into(),
                len,
                max,
            });
        }
    }

    fn count(&mut self, what: &'static str, found: usize, range: RangeInclusive<usize>) {
        if !range.contains(&found) {
            self.push(PackProblem::Count {
                what,
                found,
                min: *range.start(),
                max: *range.end(),
            });
        }
    }

    fn in_range(&mut self, what: &'static str, found: u64, range: RangeInclusive<u64>) {
        if !range.contains(&found) {
            self.push(PackProblem::OutOfRange {
                what,
                found,
                min: *range.start(),
                max: *range.end(),
            });
        }
    }

    /// A template's placeholders must parse, come from `allowed`, and
    /// include all of `required`.
    fn template(&mut self, what: &str, text: &str, allowed: &[&str], required: &[&str]) {
        match placeholders(text) {
            Err(error) => self.push(PackProblem::Template {
                what: what.into(),
                error,
            }),
            Ok(used) => {
                for name in used.iter().filter(|n| !allowed.contains(n)) {
                    self.push(PackProblem::PlaceholderNotAllowed {
                        what: what.into(),
                        name: (*name).into(),
                    });
                }
                for name in required.iter().filter(|n| !used.contains(n)) {
                    self.push(PackProblem::PlaceholderMissing {
                        what: what.into(),
                        name: (*name).into(),
                    });
                }
            }
        }
    }
}

/// Every rule `pack` breaks when loaded as `industry`; empty when it is
/// fit to seed a tenant.
pub fn validate(pack: &IndustryPack, industry: &str) -> Vec<PackProblem> {
    let mut c = Checker {
        problems: Vec::new(),
    };
    if pack.industry != industry {
        c.push(PackProblem::WrongIndustry {
            expected: industry.into(),
            found: pack.industry.clone(),
        });
    }
    c.filled("display_name", &pack.display_name);
    check_offerings(&mut c, pack);
    check_faqs(&mut c, pack);
    check_sms(&mut c, pack);
    check_ivr(&mut c, pack);
    check_agent(&mut c, pack);
    check_defaults(&mut c, pack);
    c.problems
}

/// Services and add-ons: counts, prices, durations, texts, and one owner
/// per name or alias.
fn check_offerings(c: &mut Checker, pack: &IndustryPack) {
    c.count("services", pack.services.len(), 4..=7);
    c.count("addons", pack.addons.len(), 3..=5);
    let items = pack
        .services
        .iter()
        .map(|s| {
            (
                &s.name,
                &s.description,
                s.price_cents,
                s.duration_minutes,
                &s.aliases,
            )
        })
        .chain(pack.addons.iter().map(|a| {
            (
                &a.name,
                &a.description,
                a.price_cents,
                a.duration_minutes,
                &a.aliases,
            )
        }));
    let mut owners: HashMap<String, &str> = HashMap::new();
    for (name, description, price, duration, aliases) in items {
        c.filled("service name", name);
        c.sms_text(
            &format!("{name}: description"),
            description,
            MAX_DESCRIPTION,
        );
        if price == 0 {
            c.push(PackProblem::ZeroPrice { item: name.clone() });
        }
        if duration == 0 {
            c.push(PackProblem::ZeroDuration { item: name.clone() });
        }
        if aliases.is_empty() {
            c.push(PackProblem::Empty {
                what: format!("{name}: aliases"),
            });
        }
        for term in std::iter::once(name).chain(aliases) {
            let folded = normalize_term(term);
            if folded.is_empty() {
                c.push(PackProblem::Empty {
                    what: format!("{name}: alias"),
                });
                continue;
            }
            match owners.get(&folded) {
                Some(owner) if *owner != name.as_str() => c.push(PackProblem::DuplicateTerm {
                    term: folded,
                    first: (*owner).into(),
                    second: name.clone(),
                }),
                Some(_) => {}
                None => {
                    owners.insert(folded, name);
                }
            }
        }
    }
    for addon in &pack.addons {
        c.sms_text(
            &format!("{}: upsell_line", addon.name),
            &addon.upsell_line,
            MAX_UPSELL,
        );
        for service in addon
            .pairs_with
            .iter()
            .filter(|s| pack.service(s).is_none())
        {
            c.push(PackProblem::UnknownPairing {
                addon: addon.name.clone(),
                service: service.clone(),
            });
        }
    }
}

/// FAQs: count, texts, keywords, no repeats, required topics covered.
fn check_faqs(c: &mut Checker, pack: &IndustryPack) {
    c.count("faqs", pack.faqs.len(), 12..=20);
    let mut seen: Vec<String> = Vec::new();
    for faq in &pack.faqs {
        c.filled("faq question", &faq.question);
        c.sms_text(
            &format!("faq {:?}", faq.question),
            &faq.answer,
            MAX_FAQ_ANSWER,
        );
        if faq.keywords.iter().all(|k| k.trim().is_empty()) {
            c.push(PackProblem::Empty {
                what: format!("faq {:?}: keywords", faq.question),
            });
        }
        let folded = normalize_term(&faq.question);
        if seen.contains(&folded) {
            c.push(PackProblem::DuplicateFaq {
                question: faq.question.clone(),
            });
        }
        seen.push(folded);
    }
    for category in FaqCategory::REQUIRED {
        if pack.faqs_in(category).next().is_none() {
            c.push(PackProblem::MissingFaqCategory { category });
        }
    }
}

/// SMS templates: every key meets [`check_sms_template`].
fn check_sms(c: &mut Checker, pack: &IndustryPack) {
    for (key, body) in pack.sms_templates.iter() {
        sms_template_rules(c, key, body);
    }
}

/// One SMS template's rules: placeholders allowed and required for its
/// key, carrier keywords, plain text, length.
fn sms_template_rules(c: &mut Checker, key: SmsTemplateKey, body: &str) {
    let what = format!("sms_templates.{key}");
    c.sms_text(&what, body, MAX_SMS);
    c.template(
        &what,
        body,
        key.allowed_placeholders(),
        key.required_placeholders(),
    );
    if let Some(word) = key.required_keyword() {
        if !body.contains(word) {
            c.push(PackProblem::MissingWord { what, word });
        }
    }
}

/// Every rule a tenant's own text for `key` breaks; empty when it is safe
/// to save. The same rules the built-in packs meet, so a tenant edit can
/// never make the engine send a half-filled message.
pub fn check_sms_template(key: SmsTemplateKey, body: &str) -> Vec<PackProblem> {
    let mut c = Checker {
        problems: Vec::new(),
    };
    sms_template_rules(&mut c, key, body);
    c.problems
}

/// Phone script: every line's placeholders, jokes, and the menu's options.
fn check_ivr(c: &mut Checker, pack: &IndustryPack) {
    for line in IvrLine::ALL {
        let what = format!("ivr.{line}");
        let text = pack.ivr.raw(line);
        if c.filled(&what, text) {
            c.template(
                &what,
                text,
                line.allowed_placeholders(),
                line.required_placeholders(),
            );
        }
    }
    c.count("ivr.jokes", pack.ivr.jokes().len(), 3..=5);
    for joke in pack.ivr.jokes() {
        if c.filled("ivr joke", joke) {
            c.template("ivr joke", joke, &[], &[]);
        }
    }
    let menu = pack.ivr.raw(IvrLine::Menu);
    if !['1', '2', '3'].iter().all(|d| menu.contains(*d)) || menu.contains('7') {
        c.push(PackProblem::MenuOptions);
    }
}

/// Agent profile: vocabulary, tone, and answerable booking questions.
fn check_agent(c: &mut Checker, pack: &IndustryPack) {
    let agent = &pack.agent;
    c.filled("agent.vocabulary.job_noun", &agent.vocabulary.job_noun);
    c.filled("agent.vocabulary.asset_noun", &agent.vocabulary.asset_noun);
    c.filled("agent.tone", &agent.tone);
    if agent.booking_questions.is_empty() {
        c.push(PackProblem::Empty {
            what: "agent.booking_questions".into(),
        });
    }
    let mut keys: Vec<&str> = Vec::new();
    for q in &agent.booking_questions {
        let snake =
            !q.key.is_empty() && q.key.chars().all(|ch| ch.is_ascii_lowercase() || ch == '_');
        if !snake || keys.contains(&q.key.as_str()) {
            c.push(PackProblem::BadQuestionKey { key: q.key.clone() });
        }
        keys.push(&q.key);
        c.sms_text(&format!("booking question {}", q.key), &q.question, MAX_SMS);
        let reason = match &q.answer {
            AnswerKind::Text => None,
            AnswerKind::Choice { choices } if choices.len() < 2 => {
                Some("needs at least two choices")
            }
            AnswerKind::Choice { choices } => {
                let tidy = choices.iter().all(|ch| {
                    !ch.is_empty()
                        && ch
                            .chars()
                            .all(|x| x.is_ascii_lowercase() || x.is_ascii_digit() || x == '-')
                });
                let unique = choices
                    .iter()
                    .enumerate()
                    .all(|(i, ch)| !choices.iter().skip(i + 1).any(|other| other == ch));
                if !tidy {
                    Some("choices must be single lowercase words")
                } else if !unique {
                    Some("choices repeat")
                } else {
                    None
                }
            }
            AnswerKind::Integer { min, max } if min > max => Some("min is above max"),
            AnswerKind::Integer { .. } => None,
        };
        if let Some(reason) = reason.or_else(|| effect_problem(pack, q)) {
            c.push(PackProblem::BadAnswerKind {
                key: q.key.clone(),
                reason,
            });
        }
    }
}

/// What is wrong with a question's price/length effect, if anything.
fn effect_problem(pack: &IndustryPack, q: &crate::packs::BookingQuestion) -> Option<&'static str> {
    let effect = q.effect.as_ref()?;
    let known = |name: &String| pack.services.iter().any(|s| &s.name == name);
    let adjustments = effect
        .choices
        .values()
        .copied()
        .chain(effect.per_unit.map(|p| crate::packs::Adjustment {
            price_cents: p.price_cents,
            minutes: p.minutes,
        }));
    if !effect.services.iter().all(known) {
        Some("effect names an unknown service")
    } else if !effect.label.contains("{answer}") {
        Some("effect label must hold {answer}")
    } else if adjustments
        .into_iter()
        .any(|a| a.price_cents < 0 || a.minutes < 0)
    {
        Some("effect adds a negative price or length")
    } else {
        match (&q.answer, effect.per_unit) {
            (AnswerKind::Choice { choices }, None) if !effect.choices.is_empty() => effect
                .choices
                .keys()
                .any(|k| !choices.contains(k))
                .then_some("effect names a choice the question does not offer"),
            (AnswerKind::Integer { .. }, Some(_)) if effect.choices.is_empty() => None,
            _ => Some("effect must be choices for a choice answer or per_unit for a number"),
        }
    }
}

/// Scheduling defaults: sane hours and numbers.
fn check_defaults(c: &mut Checker, pack: &IndustryPack) {
    let d = &pack.defaults;
    let week = d.hours.week();
    if week.iter().all(|(_, hours)| hours.is_none()) {
        c.push(PackProblem::NeverOpen);
    }
    for (day, hours) in week {
        if let Some(h) = hours.filter(|h| h.open >= h.close) {
            c.push(PackProblem::BadHours {
                day,
                open: h.open,
                close: h.close,
            });
        }
    }
    c.in_range("defaults.crews", u64::from(d.crews), 1..=4);
    c.in_range(
        "defaults.travel_buffer_minutes",
        u64::from(d.travel_buffer_minutes),
        0..=120,
    );
    c.in_range(
        "defaults.lead_time_hours",
        u64::from(d.lead_time_hours),
        0..=168,
    );
    c.in_range(
        "defaults.service_radius_miles",
        u64::from(d.service_radius_miles),
        1..=100,
    );
    c.in_range(
        "defaults.reminder_hours_before",
        u64::from(d.reminder_hours_before),
        1..=72,
    );
}
