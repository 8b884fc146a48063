//! Loads the five embedded industry packs once and hands out shared
//! references to them.

use std::sync::OnceLock;

use super::model::IndustryPack;
use super::problem::PackError;
use super::validate::validate;

/// The industry ids with a built-in pack, as stored in `tenants.industry`.
pub const INDUSTRIES: [&str; 5] = [
    "mobile-detailing",
    "lawn-care",
    "house-cleaning",
    "window-washing",
    "pet-grooming",
];

/// The pack files by industry id, embedded so the binary carries them;
/// same order as [`INDUSTRIES`].
pub(super) const SOURCES: [(&str, &str); 5] = [
    (
        "mobile-detailing",
        include_str!("data/mobile-detailing.toml"),
    ),
    ("lawn-care", include_str!("data/lawn-care.toml")),
    ("house-cleaning", include_str!("data/house-cleaning.toml")),
    ("window-washing", include_str!("data/window-washing.toml")),
    ("pet-grooming", include_str!("data/pet-grooming.toml")),
];

/// The parsed packs, built on first use.
static PACKS: OnceLock<[Result<IndustryPack, PackError>; 5]> = OnceLock::new();

/// Parses and validates a pack from TOML text, as `industry`. The
/// built-in packs go through this; it also checks a pack file before it
/// ships.
pub fn parse_pack(industry: &str, toml_text: &str) -> Result<IndustryPack, PackError> {
    let pack: IndustryPack = toml::from_str(toml_text).map_err(|e| PackError::Parse {
        industry: industry.into(),
        message: e.to_string(),
    })?;
    let problems = validate(&pack, industry);
    if problems.is_empty() {
        Ok(pack)
    } else {
        Err(PackError::Invalid {
            industry: industry.into(),
            problems,
        })
    }
}

/// The built-in pack for `industry` (an id from [`INDUSTRIES`], any case).
/// Parsed and validated once per process.
pub fn pack(industry: &str) -> Result<&'static IndustryPack, PackError> {
    let wanted = industry.trim();
    let index = INDUSTRIES
        .iter()
        .position(|id| id.eq_ignore_ascii_case(wanted))
        .ok_or_else(|| PackError::UnknownIndustry {
            industry: industry.into(),
        })?;
    let packs = PACKS.get_or_init(|| SOURCES.map(|(id, source)| parse_pack(id, source)));
    match packs.get(index) {
        Some(Ok(pack)) => Ok(pack),
        Some(Err(error)) => Err(error.clone()),
        None => Err(PackError::UnknownIndustry {
            industry: industry.into(),
        }),
    }
}

/// Every built-in pack, in [`INDUSTRIES`] order; fails on the first pack
/// that does not load.
pub fn all_packs() -> Result<[&'static IndustryPack; 5], PackError> {
    let [a, b, c, d, e] = INDUSTRIES.map(pack);
    Ok([a?, b?, c?, d?, e?])
}
