//! The AI receptionist's instructions for one call, built from the tenant's own data
//! (its services and prices with every override, hours, service area and policies)
//! plus the pack's tone, so the voice AI says what the SMS agent would say.

use std::fmt::Write as _;

use servicepro_schema::E164;

use crate::brain::db_tools::TenantSnapshot;
use crate::brain::tools::ServiceInfo;
use crate::packs::format_usd;

/// Knowledge-base topics read to the model up front: what callers ask about most and
/// what must never be improvised.
const POLICY_TOPICS: [&str; 5] = [
    "cancellation",
    "deposits",
    "weather",
    "payment",
    "guarantee",
];

/// The system prompt of the receptionist for a call from `caller`, over the tenant's
/// `services` (its active rows, add-ons included) and `snapshot`.
pub fn call_instructions(
    snapshot: &TenantSnapshot,
    services: &[ServiceInfo],
    caller: Option<&E164>,
) -> String {
    let profile = snapshot.profile();
    let mut text = format!(
        "You are the friendly phone receptionist of {}. {}",
        profile.business_name,
        snapshot.pack().agent.tone.trim()
    );
    let main: Vec<String> = services
        .iter()
        .filter(|s| !s.is_addon)
        .map(describe_service)
        .collect();
    let addons: Vec<String> = services
        .iter()
        .filter(|s| s.is_addon)
        .map(describe_service)
        .collect();
    if !main.is_empty() {
        let _ = write!(text, " Services and prices: {}.", main.join("; "));
    }
    if !addons.is_empty() {
        let _ = write!(text, " Add-ons: {}.", addons.join("; "));
    }
    let _ = write!(
        text,
        " Hours ({}): {}.",
        snapshot.rules().time_zone.name(),
        hours(snapshot)
    );
    let area = snapshot.area();
    let places: Vec<&str> = area
        .cities
        .iter()
        .chain(area.zips.iter())
        .map(String::as_str)
        .collect();
    if !places.is_empty() {
        let _ = write!(text, " Service area: {}.", places.join(", "));
    }
    for topic in POLICY_TOPICS {
        if let Some(entry) = snapshot.kb().entries().iter().find(|e| e.category == topic) {
            let _ = write!(text, " Policy ({topic}): {}", entry.answer.trim());
        }
    }
    text.push_str(
        " Answer other questions with search_kb and get_services; never invent prices, \
         policies or times. To book: learn the service, the job details, the address \
         (check_service_area), offer only times from check_availability, confirm, then \
         book_appointment. If the caller asks for a person, use handoff_to_human; if they \
         want to leave a message, take_message. Keep every answer short and natural for the \
         phone. Greet the caller first.",
    );
    if let Some(caller) = caller {
        let _ = write!(
            text,
            " The caller is calling from {caller}; booking confirmations are texted to that number."
        );
    }
    text
}

fn describe_service(s: &ServiceInfo) -> String {
    format!(
        "{} ({}{}, about {} min)",
        s.name,
        if s.starting_at { "from " } else { "" },
        format_usd(u32::try_from(s.price_cents).unwrap_or(0)),
        s.duration_minutes
    )
}

fn hours(snapshot: &TenantSnapshot) -> String {
    snapshot
        .rules()
        .hours
        .week()
        .iter()
        .map(|(day, open)| match open {
            Some(h) => format!(
                "{day} {}–{}",
                h.open.format("%-I:%M %p"),
                h.close.format("%-I:%M %p")
            ),
            None => format!("{day} closed"),
        })
        .collect::<Vec<_>>()
        .join(", ")
}
