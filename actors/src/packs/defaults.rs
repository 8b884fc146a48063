//! Scheduling defaults a new tenant starts with: hours, crews, buffers,
//! service area and time zone.

use chrono::{NaiveTime, Weekday};
use chrono_tz::Tz;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The booking rules a pack seeds into `tenant_config`, so a new business
/// can take bookings before it changes a single setting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackDefaults {
    /// The business's time zone (an IANA name such as `America/Chicago`).
    #[serde(serialize_with = "tz_name", deserialize_with = "tz_from_name")]
    pub time_zone: Tz,
    /// When the business takes jobs, per weekday.
    pub hours: BusinessHours,
    /// Minutes kept free between jobs for driving.
    pub travel_buffer_minutes: u32,
    /// How many crews can work jobs at the same time.
    pub crews: u8,
    /// The earliest a job can be booked, in hours from now.
    pub lead_time_hours: u32,
    /// How far from the business's base it travels, in miles.
    pub service_radius_miles: u32,
    /// How many hours before a job the reminder text goes out.
    pub reminder_hours_before: u32,
}

/// Writes a time zone as its IANA name.
fn tz_name<S: Serializer>(tz: &Tz, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(tz.name())
}

/// Reads a time zone from its IANA name.
fn tz_from_name<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Tz, D::Error> {
    let name = String::deserialize(deserializer)?;
    name.parse::<Tz>()
        .map_err(|_| serde::de::Error::custom(format!("unknown time zone {name:?}")))
}

/// Opening hours for one day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OpenHours {
    /// When the first job may start (local time, "08:00").
    pub open: NaiveTime,
    /// When the last job must be finished (local time, "18:00").
    pub close: NaiveTime,
}

impl OpenHours {
    /// Whether a job may be running at `time` (open inclusive, close exclusive).
    pub fn contains(&self, time: NaiveTime) -> bool {
        self.open <= time && time < self.close
    }
}

/// Weekly opening hours; a day left out is a closed day.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BusinessHours {
    /// Monday.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mon: Option<OpenHours>,
    /// Tuesday.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tue: Option<OpenHours>,
    /// Wednesday.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wed: Option<OpenHours>,
    /// Thursday.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thu: Option<OpenHours>,
    /// Friday.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fri: Option<OpenHours>,
    /// Saturday.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sat: Option<OpenHours>,
    /// Sunday.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sun: Option<OpenHours>,
}

impl BusinessHours {
    /// The hours for `day`, or `None` when closed.
    pub fn on(&self, day: Weekday) -> Option<OpenHours> {
        match day {
            Weekday::Mon => self.mon,
            Weekday::Tue => self.tue,
            Weekday::Wed => self.wed,
            Weekday::Thu => self.thu,
            Weekday::Fri => self.fri,
            Weekday::Sat => self.sat,
            Weekday::Sun => self.sun,
        }
    }

    /// Whether the business is open at local `time` on `day`.
    pub fn is_open(&self, day: Weekday, time: NaiveTime) -> bool {
        self.on(day).is_some_and(|hours| hours.contains(time))
    }

    /// Each weekday, Monday first, with its hours.
    pub fn week(&self) -> [(Weekday, Option<OpenHours>); 7] {
        [
            Weekday::Mon,
            Weekday::Tue,
            Weekday::Wed,
            Weekday::Thu,
            Weekday::Fri,
            Weekday::Sat,
            Weekday::Sun,
        ]
        .map(|day| (day, self.on(day)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_parse_and_answer_open_questions() {
        let hours: BusinessHours = toml::from_str(
            "mon = { open = \"08:00\", close = \"18:00\" }\nsat = { open = \"09:00\", close = \"14:30\" }",
        )
        .unwrap();
        let at = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap();
        assert!(hours.is_open(Weekday::Mon, at(8, 0)));
        assert!(!hours.is_open(Weekday::Mon, at(18, 0)));
        assert!(hours.is_open(Weekday::Sat, at(14, 29)));
        assert!(!hours.is_open(Weekday::Sun, at(12, 0)));
        assert_eq!(hours.week().iter().filter(|(_, h)| h.is_some()).count(), 2);
    }

    #[test]
    fn unknown_day_and_time_zone_are_rejected() {
        assert!(toml::from_str::<BusinessHours>(
            "monday = { open = \"08:00\", close = \"18:00\" }"
        )
        .is_err());
        let bad_tz = "time_zone = \"America/Tulsa\"\ntravel_buffer_minutes = 1\ncrews = 1\nlead_time_hours = 1\nservice_radius_miles = 1\nreminder_hours_before = 1\n[hours]\n";
        assert!(toml::from_str::<PackDefaults>(bad_tz)
            .unwrap_err()
            .to_string()
            .contains("unknown time zone"));
    }
}
