//! The one place an automated text gets its words: the tenant's own
//! `sms_templates` row first (seeded from its pack, then the owner's to
//! edit), else its industry pack's template, else the built-in default, each
//! filled with the same values. Every text the product sends from a template
//! (confirmations, booking links, owner notices, HELP and STOP replies) goes
//! through [`TenantTemplates::render`].

use std::collections::BTreeMap;
use std::sync::Arc;

use super::model::IndustryPack;
use super::sms::SmsTemplateKey;
use super::template::{placeholders, render_template};
use super::validate::check_sms_template;

/// A tenant's own wording for its automated texts: its `sms_templates`
/// rows that the product sends and that meet the rules the built-in packs
/// meet. Cheap to clone.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TenantTemplates {
    own: Arc<BTreeMap<SmsTemplateKey, String>>,
}

impl TenantTemplates {
    /// The tenant's `(template_key, body)` rows. A row for a key the
    /// product does not send is ignored; one that breaks a template rule
    /// ([`check_sms_template`]: an unknown or missing placeholder, no STOP
    /// in the HELP reply, too long) is left out and logged, so its pack's
    /// wording is sent instead of a broken text.
    pub fn from_rows(tenant: &str, rows: impl IntoIterator<Item = (String, String)>) -> Self {
        let mut own = BTreeMap::new();
        for (key, body) in rows {
            let Some(key) = SmsTemplateKey::from_key(&key) else {
                continue;
            };
            let problems = check_sms_template(key, &body);
            if problems.is_empty() {
                own.insert(key, body);
            } else {
                let problems: Vec<String> = problems.iter().map(ToString::to_string).collect();
                tracing::warn!(tenant_id = tenant, template = %key, problems = ?problems, "tenant's sms template not used; its pack's wording is sent");
            }
        }
        TenantTemplates { own: Arc::new(own) }
    }

    /// The tenant's own body for `key`, if it has a usable one.
    pub fn get(&self, key: SmsTemplateKey) -> Option<&str> {
        self.own.get(&key).map(String::as_str)
    }

    /// The text for `key` with its placeholders filled from `values`: the
    /// tenant's own template, else `pack`'s, else the built-in default; the
    /// first that every placeholder can be filled for. A caller leaves out
    /// a value it does not have (a cancellation with no booking link), and
    /// the templates that need it are passed over.
    pub fn render(
        &self,
        pack: Option<&IndustryPack>,
        key: SmsTemplateKey,
        values: &[(&str, &str)],
    ) -> String {
        let own = self.get(key);
        let packs = pack.map(|p| p.sms_templates.get(key));
        own.into_iter()
            .chain(packs)
            .find_map(|template| render_template(template, values).ok())
            .unwrap_or_else(|| builtin_text(key, values))
    }
}

/// The built-in default for `key`, filled from `values`; a placeholder with
/// no value is left empty (and logged) rather than sent as `{name}`.
fn builtin_text(key: SmsTemplateKey, values: &[(&str, &str)]) -> String {
    let template = builtin(key);
    let mut all = values.to_vec();
    for name in placeholders(template).unwrap_or_default() {
        if !values.iter().any(|(given, _)| *given == name) {
            tracing::error!(template = %key, placeholder = name, "no value for a built-in text's placeholder; left empty");
            all.push((name, ""));
        }
    }
    render_template(template, &all).unwrap_or_else(|_| template.to_owned())
}

/// The words sent when neither the tenant nor its pack has a usable
/// template (a tenant whose industry has no pack).
fn builtin(key: SmsTemplateKey) -> &'static str {
    match key {
        SmsTemplateKey::BookingConfirmation => "You're booked with {business_name} for {service} on {date} at {time} at {address}. Total: {price}.",
        SmsTemplateKey::Reminder => "Reminder: your {service} with {business_name} is {date} at {time}.",
        SmsTemplateKey::RescheduleConfirmation => "Done! Your {service} is now {date} at {time}.",
        SmsTemplateKey::CancellationConfirmation => "Your {service} on {date} is cancelled. Text us anytime to book again!",
        SmsTemplateKey::BookingLink => "{business_name}: book online here: {booking_url}",
        SmsTemplateKey::VoicemailNoticeOwner => "New voicemail from {caller} ({duration}): {recording_url}",
        SmsTemplateKey::MissedCallText => "{business_name}: sorry we missed your call! Text us here and we'll help.",
        SmsTemplateKey::HelpReply => "{business_name}: reply with your question, or call {owner_phone}. Reply STOP to opt out.",
        SmsTemplateKey::OptOutConfirmation => "{business_name}: you're unsubscribed and will get no more texts. Reply START to resubscribe.",
        SmsTemplateKey::HandoffNoticeOwner => "Customer {customer_phone} needs you: {summary}",
    }
}

/// The text that sends `booking_url`, in the tenant's words.
pub fn booking_link_text(
    own: &TenantTemplates,
    pack: Option<&IndustryPack>,
    business_name: &str,
    booking_url: &str,
) -> String {
    own.render(
        pack,
        SmsTemplateKey::BookingLink,
        &[
            ("business_name", business_name),
            ("booking_url", booking_url),
        ],
    )
}

/// The reply to a carrier keyword that is answered from a template (HELP,
/// STOP), in the tenant's words.
pub fn carrier_reply(
    own: &TenantTemplates,
    pack: Option<&IndustryPack>,
    key: SmsTemplateKey,
    business_name: &str,
    owner_phone: Option<&str>,
) -> String {
    own.render(
        pack,
        key,
        &[
            ("business_name", business_name),
            ("owner_phone", owner_phone.unwrap_or_default()),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::packs::pack;

    const HELP: &str = "{business_name} help: call {owner_phone}. STOP to quit.";

    fn values() -> [(&'static str, &'static str); 2] {
        [("business_name", "Shine"), ("owner_phone", "+19185550100")]
    }

    #[test]
    fn the_tenants_own_template_comes_first() {
        let own = TenantTemplates::from_rows("t", [("help_reply".to_owned(), HELP.to_owned())]);
        let text = own.render(pack("lawn-care").ok(), SmsTemplateKey::HelpReply, &values());
        assert_eq!(text, "Shine help: call +19185550100. STOP to quit.");
    }

    #[test]
    fn without_a_tenant_template_the_pack_speaks_then_the_default() {
        let lawn = pack("lawn-care").unwrap();
        let none = TenantTemplates::default();
        let packed = none.render(Some(lawn), SmsTemplateKey::HelpReply, &values());
        assert_eq!(
            packed,
            lawn.render_sms(SmsTemplateKey::HelpReply, &values())
                .unwrap()
        );
        let plain = none.render(None, SmsTemplateKey::HelpReply, &values());
        assert_eq!(
            plain,
            "Shine: reply with your question, or call +19185550100. Reply STOP to opt out."
        );
    }

    #[test]
    fn a_template_needing_a_value_not_given_is_passed_over() {
        let own = TenantTemplates::from_rows(
            "t",
            [(
                "cancellation_confirmation".to_owned(),
                "{service} on {date} cancelled. Rebook: {booking_url}".to_owned(),
            )],
        );
        let text = own.render(
            pack("lawn-care").ok(),
            SmsTemplateKey::CancellationConfirmation,
            &[("service", "Mowing"), ("date", "Friday Dec 4")],
        );
        assert_eq!(
            text,
            "Your Mowing on Friday Dec 4 is cancelled. Text us anytime to book again!"
        );
    }

    #[test]
    fn broken_or_unknown_rows_are_left_out() {
        let own = TenantTemplates::from_rows(
            "t",
            [
                ("help_reply".to_owned(), "Call {owner_phone}".to_owned()),
                ("booking_link".to_owned(), "Book: {booking_link}".to_owned()),
                ("birthday".to_owned(), "Happy birthday!".to_owned()),
            ],
        );
        assert_eq!(own, TenantTemplates::default());
    }

    #[test]
    fn every_built_in_text_meets_the_template_rules() {
        for key in SmsTemplateKey::ALL {
            assert_eq!(check_sms_template(key, builtin(key)), vec![], "{key}");
        }
    }
}
