//! Vehicles: "my 2019 f150", "black tesla model y", "an suv and a sedan".

use serde::{Deserialize, Serialize};

use super::vehicle_catalog::{type_word, Make, Model, COLORS, MAKES, MODELS};
use crate::brain::nlu::fuzzy::similarity;
use crate::brain::nlu::normalize::Normalized;

/// The body type, which detailers price by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum VehicleType {
    /// A car of unstated type.
    Car,
    /// Sedan or hatchback.
    Sedan,
    /// Coupe, convertible, sports car.
    Coupe,
    /// SUV or crossover.
    Suv,
    /// Pickup truck.
    Truck,
    /// Van or minivan.
    Van,
    /// Motorcycle.
    Motorcycle,
    /// Boat.
    Boat,
    /// RV, camper, motorhome.
    Rv,
}

/// A vehicle the customer described; any part may be missing.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Vehicle {
    /// Model year, 1980 to next year.
    pub year: Option<u16>,
    /// Canonical make ("Ford").
    pub make: Option<String>,
    /// Canonical model ("F-150").
    pub model: Option<String>,
    /// Body type, stated or implied by the model.
    pub kind: Option<VehicleType>,
    /// Colour, when said right before it.
    pub color: Option<String>,
}

/// What one position of the text is, vehicle-wise.
#[derive(Clone, Copy)]
enum Label {
    Year(u16),
    ShortYear(u16),
    Color(&'static str),
    Make(&'static Make),
    Model(&'static Model),
    Type(VehicleType),
}

/// Every vehicle in `text`. `max_year` is the newest plausible model year
/// (next calendar year, since dealers sell next year's models early).
pub fn vehicles(text: &Normalized, max_year: u16) -> Vec<Vehicle> {
    let labels = label(text, max_year);
    group(&labels)
}

fn label(text: &Normalized, max_year: u16) -> Vec<(usize, Label)> {
    let words: Vec<String> = text
        .tokens
        .iter()
        .map(|t| t.word.replace('-', ""))
        .collect();
    let at = |k: usize| words.get(k).map_or("", String::as_str);
    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let pair = format!("{} {}", at(i), at(i + 1));
        let joined = format!("{}{}", at(i), at(i + 1));
        let (label, used) = if let Some(model) = find_model(&pair).or_else(|| find_model(&joined)) {
            (Some(Label::Model(model)), 2)
        } else if let Some(make) = find_make(&pair) {
            (Some(Label::Make(make)), 2)
        } else if let Some(kind) = type_word(&pair) {
            (Some(Label::Type(kind)), 2)
        } else {
            (single(at(i), max_year), 1)
        };
        if let Some(label) = label {
            out.push((i, label));
        }
        i += used;
    }
    out
}

fn single(word: &str, max_year: u16) -> Option<Label> {
    if let Some(model) = find_model(word).or_else(|| fuzzy_model(word)) {
        return Some(Label::Model(model));
    }
    if let Some(make) = find_make(word).or_else(|| fuzzy_make(word)) {
        return Some(Label::Make(make));
    }
    if let Some(kind) = type_word(word) {
        return Some(Label::Type(kind));
    }
    if let Some(color) = COLORS.iter().find(|c| **c == word) {
        return Some(Label::Color(color));
    }
    if word.len() == 4 && word.bytes().all(|b| b.is_ascii_digit()) {
        let year: u16 = word.parse().ok()?;
        return (1980..=max_year)
            .contains(&year)
            .then_some(Label::Year(year));
    }
    if word.len() == 2 && word.bytes().all(|b| b.is_ascii_digit()) {
        let yy: u16 = word.parse().ok()?;
        let year = if yy >= 80 { 1900 + yy } else { 2000 + yy };
        return (year <= max_year).then_some(Label::ShortYear(year));
    }
    None
}

fn find_model(key: &str) -> Option<&'static Model> {
    MODELS.iter().find(|m| m.keys.contains(&key))
}

fn find_make(key: &str) -> Option<&'static Make> {
    MAKES.iter().find(|m| m.keys.contains(&key))
}

fn fuzzy_model(word: &str) -> Option<&'static Model> {
    MODELS.iter().find(|m| {
        !m.needs_context
            && m.keys
                .iter()
                .any(|k| !k.contains(' ') && k.len() >= 5 && similarity(word, k).is_some())
    })
}

fn fuzzy_make(word: &str) -> Option<&'static Make> {
    MAKES.iter().find(|m| {
        !m.needs_context
            && m.keys
                .iter()
                .any(|k| !k.contains(' ') && k.len() >= 5 && similarity(word, k).is_some())
    })
}

/// Groups adjacent labels into vehicles.
fn group(labels: &[(usize, Label)]) -> Vec<Vehicle> {
    let mut out: Vec<Vehicle> = Vec::new();
    let mut current: Option<(Vehicle, usize)> = None;
    let mut pending_year: Option<(u16, usize)> = None;
    let mut pending_color: Option<(&str, usize)> = None;
    for (n, &(pos, label)) in labels.iter().enumerate() {
        let next = labels.get(n + 1).copied();
        let year_near = pending_year.is_some_and(|(_, at)| pos.saturating_sub(at) <= 2);
        let part = match label {
            Label::Year(y) => {
                // "jeep wrangler 2020": a year right after the vehicle, not
                // before another one, is its model year.
                let vehicle_next = next.is_some_and(|(p, l)| {
                    p == pos + 1 && matches!(l, Label::Make(_) | Label::Model(_))
                });
                if let Some((v, at)) = current.as_mut() {
                    if pos == *at + 1 && v.year.is_none() && !vehicle_next {
                        v.year = Some(y);
                        continue;
                    }
                }
                pending_year = Some((y, pos));
                continue;
            }
            Label::ShortYear(y) => {
                if next.is_some_and(|(p, l)| {
                    p == pos + 1 && matches!(l, Label::Make(_) | Label::Model(_))
                }) {
                    pending_year = Some((y, pos));
                }
                continue;
            }
            Label::Color(c) => {
                pending_color = Some((c, pos));
                continue;
            }
            Label::Make(make) => {
                let model_next = next.is_some_and(|(p, l)| {
                    p <= pos + 2 && matches!(l, Label::Model(m) if m.make == make.name)
                });
                if make.needs_context && !year_near && !model_next {
                    continue;
                }
                Vehicle {
                    make: Some(make.name.to_owned()),
                    ..Vehicle::default()
                }
            }
            Label::Model(model) => {
                let make_before = current.as_ref().is_some_and(|(v, at)| {
                    pos.saturating_sub(*at) <= 2 && v.make.as_deref() == Some(model.make)
                });
                if model.needs_context && !year_near && !make_before {
                    continue;
                }
                Vehicle {
                    make: Some(model.make.to_owned()),
                    model: Some(model.name.to_owned()),
                    kind: Some(model.kind),
                    ..Vehicle::default()
                }
            }
            Label::Type(kind) => Vehicle {
                kind: Some(kind),
                ..Vehicle::default()
            },
        };
        if let Some((v, at)) = current.as_mut() {
            if pos.saturating_sub(*at) <= 2 && compatible(v, &part) {
                merge(v, part, matches!(label, Label::Type(_)));
                *at = pos;
                continue;
            }
        }
        if let Some((v, _)) = current.take() {
            out.push(v);
        }
        let mut v = part;
        if let Some((y, at)) = pending_year.take() {
            if pos.saturating_sub(at) <= 3 {
                v.year = Some(y);
            }
        }
        if let Some((c, at)) = pending_color.take() {
            if pos.saturating_sub(at) <= 2 {
                v.color = Some(c.to_owned());
            }
        }
        current = Some((v, pos));
    }
    if let Some((v, _)) = current {
        out.push(v);
    }
    out
}

fn compatible(v: &Vehicle, part: &Vehicle) -> bool {
    let same = |a: &Option<String>, b: &Option<String>| a.is_none() || b.is_none() || a == b;
    same(&v.make, &part.make) && (v.model.is_none() || part.model.is_none())
}

/// Adds `part` to `v`; an explicit body type overrides the model's.
fn merge(v: &mut Vehicle, part: Vehicle, explicit_type: bool) {
    v.make = v.make.take().or(part.make);
    v.model = v.model.take().or(part.model);
    v.kind = match (v.kind, part.kind) {
        (_, Some(k)) if explicit_type && k != VehicleType::Car => Some(k),
        (Some(k), _) => Some(k),
        (None, k) => k,
    };
}
