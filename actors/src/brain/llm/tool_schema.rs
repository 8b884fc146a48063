//! The agent's tools as JSON-schema function definitions, shared by the
//! SMS brain (Chat Completions) and the voice receptionist (Realtime).

use serde_json::{json, Value};

/// Every tool's name, in the order they are defined.
pub const TOOL_NAMES: [&str; 11] = [
    "get_services",
    "search_kb",
    "check_service_area",
    "check_availability",
    "book_appointment",
    "upcoming_appointments",
    "reschedule_appointment",
    "cancel_appointment",
    "send_booking_link",
    "handoff_to_human",
    "take_message",
];

/// The tools in the Chat Completions shape:
/// `{"type": "function", "function": {name, description, parameters}}`.
pub fn tool_definitions() -> Vec<Value> {
    specs()
        .into_iter()
        .map(|(name, description, parameters)| {
            json!({
                "type": "function",
                "function": {"name": name, "description": description, "parameters": parameters},
            })
        })
        .collect()
}

/// The same tools in the Realtime API's flat shape:
/// `{"type": "function", name, description, parameters}`.
pub fn realtime_tool_definitions() -> Vec<Value> {
    specs()
        .into_iter()
        .map(|(name, description, parameters)| {
            json!({"type": "function", "name": name, "description": description, "parameters": parameters})
        })
        .collect()
}

/// An object schema with `properties` and `required`.
fn object(properties: Value, required: &[&str]) -> Value {
    json!({"type": "object", "properties": properties, "required": required})
}

fn string(description: &str) -> Value {
    json!({"type": "string", "description": description})
}

fn integer(description: &str) -> Value {
    json!({"type": "integer", "description": description})
}

const SLOT_START: &str = "The exact `start` of a slot returned by check_availability in this conversation (ISO-8601 with offset).";

fn specs() -> [(&'static str, &'static str, Value); 11] {
    [
        (
            "get_services",
            "List the services and add-ons with ids, prices and job lengths.",
            object(json!({}), &[]),
        ),
        (
            "search_kb",
            "Look up the business's answer to a customer question (policies, payment, what is included, ...).",
            object(json!({"question": string("The customer's question.")}), &["question"]),
        ),
        (
            "check_service_area",
            "Check whether an address, city or ZIP is inside the service area.",
            object(json!({"address": string("Street address, city or ZIP.")}), &["address"]),
        ),
        (
            "check_availability",
            "Find real free start times for a job. Offer only times this returns.",
            object(
                json!({
                    "service": string("The service name or id (for a new booking)."),
                    "addons": {"type": "array", "items": {"type": "string"}, "description": "Add-on names or ids the customer wants; they lengthen the job."},
                    "appointment_id": integer("When moving an existing appointment: its id (instead of service)."),
                    "day": string("Which day: plain words ('tomorrow', 'saturday', 'next week', 'this weekend', 'any') or an ISO date YYYY-MM-DD."),
                    "time": string("Time of day: 'morning', 'afternoon', 'evening', 'any', an exact time like '10:00' or '2pm', or a range '13:00-16:00'."),
                    "earliest": {"type": "boolean", "description": "The customer wants the soonest possible times."},
                    "details": {"type": "object", "additionalProperties": {"type": "string"}, "description": "Job details collected, by key (e.g. pet_size, vehicle_type, lot_size, bedrooms, windows); those that size the job lengthen it and change the quote."},
                }),
                &[],
            ),
        ),
        (
            "book_appointment",
            "Book a slot the customer has explicitly confirmed. Add-ons are those given to check_availability.",
            object(
                json!({
                    "service_id": integer("The service id the slot was checked for."),
                    "slot_start": string(SLOT_START),
                    "address": string("Where the job is."),
                    "customer_name": string("The customer's name."),
                    "details": {"type": "object", "additionalProperties": {"type": "string"}, "description": "Job details collected, by key (e.g. vehicle, bedrooms, pet)."},
                }),
                &["service_id", "slot_start"],
            ),
        ),
        (
            "upcoming_appointments",
            "List the customer's upcoming appointments (ids, services, times).",
            object(json!({}), &[]),
        ),
        (
            "reschedule_appointment",
            "Move one of the customer's appointments to a slot from check_availability, once they confirm.",
            object(
                json!({
                    "appointment_id": integer("The appointment; may be left out when the customer has only one."),
                    "slot_start": string(SLOT_START),
                }),
                &["slot_start"],
            ),
        ),
        (
            "cancel_appointment",
            "Cancel one of the customer's appointments, once they confirm.",
            object(
                json!({"appointment_id": integer("The appointment; may be left out when the customer has only one.")}),
                &[],
            ),
        ),
        (
            "send_booking_link",
            "Text the customer the online booking link.",
            object(json!({}), &[]),
        ),
        (
            "handoff_to_human",
            "Ask the owner to take over the conversation.",
            object(json!({"summary": string("Why, and what the customer wants.")}), &["summary"]),
        ),
        (
            "take_message",
            "Pass a message from the customer to the owner.",
            object(json!({"message": string("The message, in the customer's words.")}), &["message"]),
        ),
    ]
}
