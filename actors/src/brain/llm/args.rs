//! Reading the model's tool arguments: JSON objects whose ids may come as
//! numbers or numeric strings, days and times in plain words or ISO form,
//! and slot starts in ISO-8601.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};

use crate::booking::availability::SlotPreference;
use crate::brain::nlu::{normalize, resolve_when, DateSpec, TimeSpec, WhenPreference};
use crate::brain::timing::slot_preference;
use crate::brain::tools::ServiceInfo;

/// Parses a tool's arguments; an empty text is an empty object.
pub(super) fn parse<T: DeserializeOwned>(tool: &str, arguments: &str) -> Result<T, String> {
    let text = if arguments.trim().is_empty() {
        "{}"
    } else {
        arguments
    };
    serde_json::from_str(text).map_err(|e| format!("invalid arguments for {tool}: {e}"))
}

/// A required, non-blank text argument.
pub(super) fn required<'a>(value: &'a str, field: &str) -> Result<&'a str, String> {
    let value = value.trim();
    if value.is_empty() {
        Err(format!("{field} must not be empty"))
    } else {
        Ok(value)
    }
}

/// An id given as a number or a numeric string.
pub(super) fn id<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<i64>, D::Error> {
    use serde::de::Error;
    match serde_json::Value::deserialize(deserializer)? {
        serde_json::Value::Null => Ok(None),
        serde_json::Value::Number(n) => n
            .as_i64()
            .map(Some)
            .ok_or_else(|| D::Error::custom("id must be a whole number")),
        serde_json::Value::String(s) => s
            .trim()
            .parse()
            .map(Some)
            .map_err(|_| D::Error::custom(format!("id {s:?} is not a number"))),
        other => Err(D::Error::custom(format!(
            "id must be a number, not {other}"
        ))),
    }
}

/// The service named by `term`: its id, exact name, an alias, or a name
/// containing it (only when that is unambiguous).
pub(super) fn find_service<'a>(
    services: &'a [ServiceInfo],
    term: &str,
    addon: bool,
) -> Option<&'a ServiceInfo> {
    let term = term.trim().to_lowercase();
    let pool: Vec<&ServiceInfo> = services.iter().filter(|s| s.is_addon == addon).collect();
    if let Ok(id) = term.parse::<i64>() {
        return pool.into_iter().find(|s| s.id == id);
    }
    let exact = pool.iter().find(|s| {
        s.name.to_lowercase() == term || s.aliases.iter().any(|a| a.to_lowercase() == term)
    });
    if let Some(found) = exact {
        return Some(found);
    }
    let mut partial = pool
        .into_iter()
        .filter(|s| s.name.to_lowercase().contains(&term));
    match (partial.next(), partial.next()) {
        (Some(only), None) => Some(only),
        _ => None,
    }
}

/// A slot start as the model quotes it: ISO-8601 with an offset, or a
/// local date and time in the tenant's zone.
pub(super) fn parse_start(text: &str, tz: Tz) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Some(at.with_timezone(&Utc));
    }
    ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
        .and_then(|local| tz.from_local_datetime(&local).earliest())
        .map(|at| at.with_timezone(&Utc))
}

/// The availability preference for a day and a time of day, each in
/// plain words or ISO form.
pub(super) fn preference(
    day: Option<&str>,
    time: Option<&str>,
    earliest: bool,
    now: DateTime<Utc>,
    tz: Tz,
) -> Result<SlotPreference, String> {
    let when = WhenPreference {
        date: date_spec(day, now, tz)?,
        time: time_spec(time, now, tz)?,
    };
    Ok(slot_preference(&when, earliest))
}

fn blank(value: Option<&str>) -> Option<&str> {
    value
        .map(str::trim)
        .filter(|v| !v.is_empty() && !matches!(v.to_lowercase().as_str(), "any" | "anytime"))
}

fn date_spec(day: Option<&str>, now: DateTime<Utc>, tz: Tz) -> Result<DateSpec, String> {
    let Some(day) = blank(day) else {
        return Ok(DateSpec::Any);
    };
    if let Ok(date) = NaiveDate::parse_from_str(day, "%Y-%m-%d") {
        return Ok(DateSpec::ExactDate(date));
    }
    match resolve_when(&normalize(day), now, tz).date {
        DateSpec::Any => Err(format!(
            "could not read the day {day:?}; use a weekday, 'tomorrow' or YYYY-MM-DD"
        )),
        spec => Ok(spec),
    }
}

fn time_spec(time: Option<&str>, now: DateTime<Utc>, tz: Tz) -> Result<TimeSpec, String> {
    let Some(time) = blank(time) else {
        return Ok(TimeSpec::Any);
    };
    let clock = |t: &str| NaiveTime::parse_from_str(t.trim(), "%H:%M").ok();
    if let Some(exact) = clock(time) {
        return Ok(TimeSpec::Exact(exact));
    }
    if let Some((from, to)) = time.split_once('-') {
        if let (Some(start), Some(end)) = (clock(from), clock(to)) {
            return Ok(TimeSpec::Window { start, end });
        }
    }
    match resolve_when(&normalize(time), now, tz).time {
        TimeSpec::Any => Err(format!(
            "could not read the time {time:?}; use 'morning', 'afternoon', 'evening', HH:MM or HH:MM-HH:MM"
        )),
        spec => Ok(spec),
    }
}
