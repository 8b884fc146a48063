//! Tool definitions and running tool calls against the double.

use chrono::{NaiveDate, NaiveTime};
use serde_json::{json, Value};

use super::double::{now, slot, MemTools, PHONE};
use crate::booking::availability::{DayFilter, TimeWindow};
use crate::brain::agent::NextAction;
use crate::brain::llm::{
    execute_tool, realtime_tool_definitions, tool_definitions, ToolContext, ToolEffect, TOOL_NAMES,
};

fn ctx() -> ToolContext {
    ToolContext::new(Some(PHONE), now())
}

/// A slot's start as the model is shown it (Chicago offset).
pub(crate) fn start_text(index: usize) -> String {
    slot(index)
        .start
        .with_timezone(&chrono_tz::America::Chicago)
        .to_rfc3339()
}

async fn run(name: &str, args: Value, tools: &MemTools, ctx: &mut ToolContext) -> Value {
    execute_tool(name, &args.to_string(), tools, ctx).await
}

fn time(h: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, 0, 0).expect("time")
}

#[test]
fn definitions_are_named_and_shaped_for_both_apis() {
    let chat = tool_definitions();
    let names: Vec<&str> = chat
        .iter()
        .filter_map(|t| t["function"]["name"].as_str())
        .collect();
    assert_eq!(names, TOOL_NAMES);
    assert!(chat.iter().all(|t| t["type"] == "function"
        && t["function"]["parameters"]["type"] == "object"
        && t["function"]["description"].is_string()));
    let realtime = realtime_tool_definitions();
    let flat: Vec<&str> = realtime.iter().filter_map(|t| t["name"].as_str()).collect();
    assert_eq!(flat, TOOL_NAMES);
    let book = &chat[4]["function"]["parameters"];
    assert_eq!(book["required"], json!(["service_id", "slot_start"]));
}

#[tokio::test]
async fn availability_reads_iso_day_and_window_and_remembers_offers() {
    let tools = MemTools::new();
    let mut ctx = ctx();
    let args = json!({"service": "full detail", "addons": ["Pet Hair Removal"], "day": "2026-03-14", "time": "09:00-12:00"});
    let result = run("check_availability", args, &tools, &mut ctx).await;
    assert_eq!(
        result["slots"].as_array().map(Vec::len),
        Some(3),
        "{result}"
    );
    assert_eq!(result["slots"][1]["start"], start_text(1));
    assert_eq!(result["slots"][1]["when"], "Sat Mar 14 at 10:00 AM");
    assert_eq!(result["duration_minutes"], 210);
    let (minutes, preference, count) = tools.log().availability[0].clone();
    assert_eq!((minutes, count), (210, 3));
    let day = NaiveDate::from_ymd_opt(2026, 3, 14).expect("date");
    assert_eq!(preference.days, DayFilter::Date(day));
    assert_eq!(preference.window, TimeWindow::Between(time(9), time(12)));
    assert_eq!(ctx.offered.len(), 3);
    assert!(ctx
        .offered
        .iter()
        .all(|o| o.service_id == 1 && o.addon_ids == [101]));
}

#[tokio::test]
async fn availability_reads_plain_words() {
    let tools = MemTools::new();
    let mut ctx = ctx();
    let args = json!({"service": "2", "day": "saturday", "time": "morning"});
    let result = run("check_availability", args, &tools, &mut ctx).await;
    assert_eq!(result["service"], "Interior Detail", "{result}");
    let preference = tools.log().availability[0].1.clone();
    let saturday = NaiveDate::from_ymd_opt(2026, 3, 14).expect("date");
    assert_eq!(preference.days, DayFilter::Date(saturday));
    assert!(matches!(preference.window, TimeWindow::Between(..)));
    let bad = run(
        "check_availability",
        json!({"service": "1", "day": "purple"}),
        &tools,
        &mut ctx,
    )
    .await;
    assert!(
        bad["error"].as_str().is_some_and(|e| e.contains("day")),
        "{bad}"
    );
}

#[tokio::test]
async fn booking_needs_an_offered_slot_of_the_same_service() {
    let tools = MemTools::new();
    let mut ctx = ctx();
    let book = json!({"service_id": 1, "slot_start": start_text(1), "address": "1 Main St, Tulsa"});
    let refused = run("book_appointment", book.clone(), &tools, &mut ctx).await;
    assert!(
        refused["error"]
            .as_str()
            .is_some_and(|e| e.contains("not offered")),
        "{refused}"
    );
    run(
        "check_availability",
        json!({"service": "Interior Detail"}),
        &tools,
        &mut ctx,
    )
    .await;
    let wrong = run("book_appointment", book.clone(), &tools, &mut ctx).await;
    assert!(
        wrong["error"]
            .as_str()
            .is_some_and(|e| e.contains("service 2")),
        "{wrong}"
    );
    assert!(tools.log().bookings.is_empty());
    assert!(ctx.effects.is_empty());
}

#[tokio::test]
async fn booking_an_offered_slot_uses_the_channel_phone() {
    let tools = MemTools::new();
    let mut ctx = ctx();
    run(
        "check_availability",
        json!({"service": "Full Detail", "addons": ["101"]}),
        &tools,
        &mut ctx,
    )
    .await;
    let args = json!({"service_id": "1", "slot_start": start_text(0), "customer_name": "Ann",
                      "details": {"vehicle": "Civic"}, "customer_phone": "+15550000000"});
    let result = run("book_appointment", args, &tools, &mut ctx).await;
    assert_eq!(result["done"], true, "{result}");
    let request = tools.log().bookings[0].clone();
    assert_eq!(request.customer_phone.as_deref(), Some(PHONE));
    assert_eq!((request.slot, request.addon_ids), (slot(0), vec![101]));
    assert_eq!(request.details, json!({"vehicle": "Civic"}));
    assert_eq!(
        ctx.effects[0].next_action(),
        Some(NextAction::Book {
            appointment_id: 500
        })
    );
    let again = run(
        "book_appointment",
        json!({"service_id": 1, "slot_start": start_text(0)}),
        &tools,
        &mut ctx,
    )
    .await;
    assert!(
        again.get("error").is_some(),
        "a booked slot is no longer offered: {again}"
    );
}

#[tokio::test]
async fn a_taken_slot_offers_alternatives_that_can_be_booked() {
    let tools = MemTools::new();
    let mut ctx = ctx();
    run(
        "check_availability",
        json!({"service": "Full Detail"}),
        &tools,
        &mut ctx,
    )
    .await;
    ctx.offered.retain(|o| o.slot != slot(2));
    tools.log().take_next = true;
    let taken = run(
        "book_appointment",
        json!({"service_id": 1, "slot_start": start_text(0)}),
        &tools,
        &mut ctx,
    )
    .await;
    assert_eq!(taken["done"], false);
    assert_eq!(taken["alternatives"][0]["start"], start_text(2));
    let booked = run(
        "book_appointment",
        json!({"service_id": 1, "slot_start": start_text(2)}),
        &tools,
        &mut ctx,
    )
    .await;
    assert_eq!(booked["done"], true, "{booked}");
}

/// The LLM brain's `check_service_area` gives the same verdicts as the
/// offline brain (the real `ServiceArea`): inside, the travel fee past the
/// radius, a refusal naming the area, and "ask for the ZIP".
#[tokio::test]
async fn the_service_area_tool_reports_fee_refusal_and_unknown() {
    assert_eq!(
        area("9 Elm St, Broken Arrow OK 74012").await["served"],
        true
    );
    let fee = area("1200 N Lynn Riggs Blvd, Claremore OK 74017").await;
    assert_eq!(
        (fee["served"].clone(), fee["travel_fee_cents"].clone()),
        (json!(true), json!(2500)),
        "{fee}"
    );
    let far = area("815 W Okmulgee Ave, Muskogee OK 74401").await;
    assert_eq!(far["served"], false, "{far}");
    assert_eq!(far["reason"], "we work within 20 miles of Tulsa, OK");
    let unknown = area("123 main st").await;
    assert!(unknown["served"].is_null(), "{unknown}");
}

async fn area(address: &str) -> Value {
    let args = json!({ "address": address });
    run("check_service_area", args, &MemTools::new(), &mut ctx()).await
}

#[tokio::test]
async fn invalid_calls_answer_errors() {
    let tools = MemTools::new();
    let mut ctx = ctx();
    for (name, args) in [
        ("search_kb", "{not json"),
        ("search_kb", "{}"),
        ("check_service_area", r#"{"address": "  "}"#),
        (
            "book_appointment",
            r#"{"service_id": "x", "slot_start": "soon"}"#,
        ),
        (
            "book_appointment",
            r#"{"service_id": 1, "slot_start": "soon"}"#,
        ),
        ("make_coffee", "{}"),
    ] {
        let result = execute_tool(name, args, &tools, &mut ctx).await;
        assert!(result["error"].is_string(), "{name} {args}: {result}");
    }
    let kb = execute_tool(
        "search_kb",
        r#"{"question": "how do I pay"}"#,
        &tools,
        &mut ctx,
    )
    .await;
    assert_eq!(kb["answer"], "Card or cash after the job.");
}

#[tokio::test]
async fn only_the_customers_own_appointments_change() {
    let tools = MemTools::new()
        .with_appointment("+19185559999", 7, slot(0))
        .with_appointment(PHONE, 8, slot(1));
    let mut ctx = ctx();
    let other = run(
        "cancel_appointment",
        json!({"appointment_id": 7}),
        &tools,
        &mut ctx,
    )
    .await;
    assert!(other["error"].is_string(), "{other}");
    let listed = run("upcoming_appointments", json!({}), &tools, &mut ctx).await;
    assert_eq!(listed["appointments"][0]["id"], 8);
    run(
        "check_availability",
        json!({"appointment_id": 8}),
        &tools,
        &mut ctx,
    )
    .await;
    let moved = run(
        "reschedule_appointment",
        json!({"slot_start": start_text(2)}),
        &tools,
        &mut ctx,
    )
    .await;
    assert_eq!(moved["done"], true, "{moved}");
    assert_eq!(tools.log().rescheduled, vec![(8, slot(2))]);
    let cancelled = run("cancel_appointment", json!({}), &tools, &mut ctx).await;
    assert_eq!(cancelled["cancelled"], true);
    assert_eq!(tools.log().cancelled, vec![8]);
    let actions: Vec<_> = ctx
        .effects
        .iter()
        .filter_map(ToolEffect::next_action)
        .collect();
    assert_eq!(
        actions,
        [
            NextAction::Reschedule { appointment_id: 8 },
            NextAction::Cancel { appointment_id: 8 }
        ]
    );
}

#[tokio::test]
async fn contact_tools_need_no_repeat() {
    let tools = MemTools::new();
    let mut anonymous = ToolContext::new(None, now());
    let link = run("send_booking_link", json!({}), &tools, &mut anonymous).await;
    assert_eq!(
        link,
        json!({"sent": false, "booking_url": "https://book.example/clean"})
    );
    let mut ctx = ctx();
    for _ in 0..2 {
        run("send_booking_link", json!({}), &tools, &mut ctx).await;
        run(
            "handoff_to_human",
            json!({"summary": "wants a person"}),
            &tools,
            &mut ctx,
        )
        .await;
    }
    run(
        "take_message",
        json!({"message": "call me"}),
        &tools,
        &mut ctx,
    )
    .await;
    let log = tools.log();
    assert_eq!(
        (log.links.len(), log.handoffs.len(), log.messages.len()),
        (1, 1, 1)
    );
    assert_eq!(ctx.effects.len(), 3);
}

#[tokio::test]
async fn a_move_checks_availability_with_its_own_slot_free() {
    let tools = MemTools::new().with_appointment(PHONE, 8, slot(1));
    let mut ctx = ctx();
    run("upcoming_appointments", json!({}), &tools, &mut ctx).await;
    run(
        "check_availability",
        json!({"appointment_id": 8}),
        &tools,
        &mut ctx,
    )
    .await;
    run(
        "check_availability",
        json!({"service": "full detail"}),
        &tools,
        &mut ctx,
    )
    .await;
    let log = tools.log();
    assert_eq!(log.availability[0].1.moving, Some(8));
    assert_eq!(log.availability[1].1.moving, None);
}

#[tokio::test]
async fn details_that_size_the_job_lengthen_it_and_are_quoted() {
    let tools = MemTools::new();
    let mut ctx = ctx();
    let plain = run(
        "check_availability",
        json!({"service": "full detail"}),
        &tools,
        &mut ctx,
    )
    .await;
    let van = run(
        "check_availability",
        json!({"service": "full detail", "details": {"vehicle_type": "van"}}),
        &tools,
        &mut ctx,
    )
    .await;
    let base = plain["duration_minutes"].as_i64().expect("minutes");
    let sized = van["duration_minutes"].as_i64().expect("minutes");
    assert!(sized > base, "{plain} {van}");
    assert!(plain.get("quote").is_none(), "{plain}");
    assert_eq!(van["quote"]["for"], "your van", "{van}");
    assert!(van["quote"]["price_cents"].as_i64() > Some(0));
}
