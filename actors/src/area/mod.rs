//! Where a tenant works, and whether an address is inside it.
//!
//! * [`ServiceArea`] — the stored setting (`tenant_config.service_area`):
//!   cities, ZIP codes, a radius in miles around a base, an optional travel
//!   fee past the radius. [`ServiceArea::parse`] and
//!   [`ServiceArea::validate`] are the one rule for what a valid area is
//!   (the settings API and the snapshot both use them).
//! * [`ServiceArea::check`] / [`ServiceArea::check_place`] — the verdict
//!   for a street address or a place named in a question.
//! * `locate` — reading a ZIP or city out of an address or a question.
//! * `zips` — the vendored US ZIP centroid table and distances.

mod locate;
pub mod zips;

use serde::{Deserialize, Serialize};

use crate::brain::nlu::entities::street_suffix;
use crate::brain::tools::AreaCheck;
use zips::{Place, Point};

/// Longest city name accepted in a service area.
pub const MAX_CITY: usize = 100;
/// The largest travel fee accepted, in cents.
pub const MAX_TRAVEL_FEE_CENTS: u32 = 100_000;
/// The widest radius accepted, in miles.
pub const MAX_RADIUS_MILES: u32 = 250;

/// A fee charged for jobs a little past the radius, instead of refusing them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TravelFee {
    /// The fee, in cents.
    pub fee_cents: u32,
    /// How far from the base the fee still applies (past it: not served).
    pub up_to_miles: u32,
}

/// Where a tenant works: any mix of cities, ZIP codes and a radius around
/// a base; nothing at all means everywhere. An address is served when any
/// part admits it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceArea {
    /// Cities served.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cities: Vec<String>,
    /// ZIP codes served.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub zips: Vec<String>,
    /// Miles around `base` (the pack's default radius is seeded).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub radius_miles: Option<u32>,
    /// Where the radius is measured from: a ZIP or "City, ST" (signup's city
    /// or the owner's answer in setup). A radius without a base applies to
    /// nothing until a base is set.
    #[serde(
        default,
        alias = "base_address",
        skip_serializing_if = "Option::is_none"
    )]
    pub base: Option<String>,
    /// A fee for jobs past the radius, when the tenant takes them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub travel_fee: Option<TravelFee>,
}

/// Why a service area is not valid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AreaError {
    /// Not the stored shape at all.
    #[error("not a service area: {0}")]
    Malformed(String),
    /// A city name is empty or too long.
    #[error("a city name is empty or longer than {MAX_CITY} characters")]
    City,
    /// A ZIP code is not five digits.
    #[error("ZIP codes have five digits")]
    Zip,
    /// The radius is zero or too wide.
    #[error("the radius must be between 1 and {MAX_RADIUS_MILES} miles")]
    Radius,
    /// The base is not a US ZIP or city the map knows.
    #[error("the base {0:?} is not a US ZIP code or \"City, ST\" we can find")]
    Base(String),
    /// The travel fee reaches no further than the radius, or is too large.
    #[error("the travel fee must reach past the radius and be at most $1,000")]
    TravelFee,
}

impl ServiceArea {
    /// The stored JSON, read and validated.
    pub fn parse(value: &serde_json::Value) -> Result<Self, AreaError> {
        let area: ServiceArea = serde_json::from_value(value.clone())
            .map_err(|e| AreaError::Malformed(e.to_string()))?;
        area.validate()?;
        Ok(area)
    }

    /// Checks every part: cities named, ZIPs of five digits, a radius in
    /// range, a base the map can place, a travel fee past the radius.
    pub fn validate(&self) -> Result<(), AreaError> {
        if self
            .cities
            .iter()
            .any(|c| c.trim().is_empty() || c.len() > MAX_CITY)
        {
            return Err(AreaError::City);
        }
        if self.zips.iter().any(|z| !locate::is_zip(z)) {
            return Err(AreaError::Zip);
        }
        if self
            .radius_miles
            .is_some_and(|r| r == 0 || r > MAX_RADIUS_MILES)
        {
            return Err(AreaError::Radius);
        }
        if let Some(base) = &self.base {
            if self.base_place().is_none() {
                return Err(AreaError::Base(base.clone()));
            }
        }
        if let Some(fee) = self.travel_fee {
            if fee.up_to_miles <= self.radius_miles.unwrap_or(0)
                || fee.fee_cents > MAX_TRAVEL_FEE_CENTS
            {
                return Err(AreaError::TravelFee);
            }
        }
        Ok(())
    }

    /// The same area measured from `base` (signup's city, the setup answer).
    pub fn with_base(mut self, base: &str) -> Result<Self, AreaError> {
        self.base = Some(base.trim().to_owned());
        self.validate()?;
        Ok(self)
    }

    /// Where the radius is measured from, when a base is set and placed.
    pub fn base_place(&self) -> Option<&'static Place> {
        let base = self.base.as_deref()?;
        locate::mention(base, None).or_else(|| locate::address(base, None))
    }

    fn base_point(&self) -> Option<Point> {
        self.base_place().map(|p| p.point)
    }

    /// Whether the radius is in force (a radius and a base the map knows).
    fn radius(&self) -> Option<(Point, u32)> {
        Some((self.base_point()?, self.radius_miles?))
    }

    /// Whether nothing restricts where the tenant works.
    pub fn is_everywhere(&self) -> bool {
        self.cities.is_empty() && self.zips.is_empty() && self.radius().is_none()
    }

    /// Whether a street address, or a place named in a question, is
    /// served, not served, served for a travel fee, or cannot be told (no
    /// ZIP and no city the map knows: ask for the ZIP).
    pub fn check(&self, address: &str) -> AreaCheck {
        if self.is_everywhere() {
            return AreaCheck::Served;
        }
        if !has_street(address) {
            if let Some((_, verdict)) = self.check_place(address) {
                return verdict;
            }
        }
        let place = locate::address(address, self.base_point());
        if self.listed(address, place) {
            return AreaCheck::Served;
        }
        if self.radius().is_some() {
            return match place {
                Some(place) => self.by_distance(place),
                None => AreaCheck::Unknown,
            };
        }
        if place.is_some() || names_a_place(address) {
            self.not_served()
        } else {
            AreaCheck::Unknown
        }
    }

    /// The verdict for a place named in a question ("do you come out to
    /// Jenks?", a bare ZIP); `None` when the text names no place.
    pub fn check_place(&self, text: &str) -> Option<(String, AreaCheck)> {
        let place = locate::mention(text, self.base_point())?;
        let label = place.city.to_owned();
        if self.is_everywhere() || self.listed(text, Some(place)) {
            return Some((label, AreaCheck::Served));
        }
        if self.radius().is_some() {
            return Some((label, self.by_distance(place)));
        }
        Some((label, self.not_served()))
    }

    /// Whether a listed city or ZIP admits the text or its place.
    fn listed(&self, text: &str, place: Option<&Place>) -> bool {
        let words = locate::words(text);
        let city_named = self.cities.iter().any(|c| {
            let parts: Vec<String> = c.split_whitespace().map(str::to_lowercase).collect();
            words
                .windows(parts.len().max(1))
                .any(|w| w == parts.as_slice())
                || place.is_some_and(|p| p.city.eq_ignore_ascii_case(c.trim()))
        });
        let zip_listed = words
            .iter()
            .filter(|w| locate::is_zip(w))
            .any(|w| self.zips.iter().any(|z| z == w));
        city_named || zip_listed
    }

    fn by_distance(&self, place: &Place) -> AreaCheck {
        let Some((base, radius)) = self.radius() else {
            return self.not_served();
        };
        let miles = base.miles_to(place.point);
        if miles <= f64::from(radius) {
            return AreaCheck::Served;
        }
        match self.travel_fee {
            Some(fee) if miles <= f64::from(fee.up_to_miles) => AreaCheck::TravelFee {
                fee_cents: fee.fee_cents,
                // Whole miles are what a customer is told.
                miles: miles.round() as u32,
            },
            _ => self.not_served(),
        }
    }

    fn not_served(&self) -> AreaCheck {
        AreaCheck::NotServed {
            reason: self.describe(),
        }
    }

    /// Where the business works, for a customer: "we work within 20 miles
    /// of Tulsa, OK", "we serve Tulsa and Broken Arrow", or both.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let (Some(radius), Some(base)) = (self.radius_miles, self.base_place()) {
            parts.push(format!("within {radius} miles of {}", base.label()));
        }
        let places: Vec<&str> = if self.cities.is_empty() {
            self.zips.iter().map(String::as_str).collect()
        } else {
            self.cities.iter().map(String::as_str).collect()
        };
        match places.as_slice() {
            [] => {}
            [one] => parts.push(one.to_string()),
            [rest @ .., last] => parts.push(format!("{} and {last}", rest.join(", "))),
        }
        match parts.as_slice() {
            [] => "we don't serve that area".to_owned(),
            [radius, places] if self.radius().is_some() => {
                format!("we work {radius} and in {places}")
            }
            [one] if self.radius().is_some() => format!("we work {one}"),
            [one, ..] => format!("we serve {one}"),
        }
    }
}

impl ServiceArea {
    /// The answer to "what areas do you serve?" for a knowledge-base entry
    /// of the service-area category: where the business really works, or
    /// the entry's own answer when the area is everywhere.
    pub fn faq_answer(&self, category: &str, answer: &str) -> String {
        if category != "service_area" || self.is_everywhere() {
            return answer.to_owned();
        }
        let mut where_ = self.describe();
        if let Some(first) = where_.get(..1) {
            where_ = format!(
                "{}{}",
                first.to_uppercase(),
                where_.get(1..).unwrap_or_default()
            );
        }
        format!("{where_}. Send us your address or ZIP and we'll confirm.")
    }
}

/// Whether the text has a street (a street suffix word).
fn has_street(text: &str) -> bool {
    locate::words(text)
        .iter()
        .any(|w| street_suffix(w).is_some())
}

/// The city a question or reply names ("can you come out to jenks?" →
/// "Jenks"), for telling the customer; a name several states share is
/// given as such.
pub fn place_name(text: &str) -> Option<&'static str> {
    locate::mention(text, Some(zips::US_CENTER)).map(|p| p.city)
}

/// Whether an address names a place past its street (a word after the suffix).
fn names_a_place(address: &str) -> bool {
    let words = locate::words(address);
    words
        .iter()
        .position(|w| street_suffix(w).is_some())
        .is_some_and(|i| i + 1 < words.len())
        || words.iter().any(|w| locate::is_zip(w))
}

#[cfg(test)]
mod tests;
