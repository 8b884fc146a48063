//! [`WebsiteSeed`]: everything a site is made of, built from the tenant's own data
//! (its row, number and settings, the brain's snapshot: pack, hours, area, services)
//! plus the owner's edits. The built-in templates render it; in `partner` mode it is
//! what the partner receives. Texts are ready to show (prices, hours, phone), so a
//! template only lays them out.

use super::store::SiteRow;
use super::template::{Palette, TemplateId};
use crate::brain::db_tools::TenantSnapshot;
use crate::tenant::context::TenantContext;
use chrono::{NaiveTime, Weekday};
use serde::Serialize;

/// A tenant's site content.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WebsiteSeed {
    /// The tenant's public id (its URL path segment).
    pub tenant_id: String,
    /// The template chosen.
    pub template: TemplateId,
    /// Business name.
    pub business_name: String,
    /// The hero's big line.
    pub headline: String,
    /// One line under the name.
    pub tagline: String,
    /// How the business talks (its pack's voice).
    pub tone: String,
    /// The industry as people say it ("Mobile Auto Detailing").
    pub industry_name: String,
    /// The industry pack id.
    pub industry: String,
    /// What one job is called ("detail").
    pub job_noun: String,
    /// The colours (`#rrggbb`).
    pub colours: SeedColours,
    /// The logo image's path, when the owner uploaded one.
    pub logo_url: Option<String>,
    /// The hero image's path, when the owner uploaded one.
    pub hero_image_url: Option<String>,
    /// Main services, then add-ons.
    pub services: Vec<SeedService>,
    /// The "about us" text.
    pub about: String,
    /// The business's city, when known.
    pub city: Option<String>,
    /// Where it works.
    pub service_area: SeedArea,
    /// The phone to call, when the tenant has one.
    pub phone: Option<SeedPhone>,
    /// Opening hours, Monday first.
    pub hours: Vec<SeedHours>,
    /// Reviews: a placeholder until reviews are collected.
    pub reviews: ReviewsPlaceholder,
    /// The booking page (`/{tenant}/book`), the main call to action.
    pub booking_path: String,
    /// The booking page's absolute URL (for a partner's site).
    pub booking_url: String,
}

/// The site's colours.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SeedColours {
    /// Page background.
    pub background: String,
    /// Body text.
    pub text: String,
    /// Button fill.
    pub accent: String,
    /// Text on the button fill.
    pub on_accent: String,
}

/// A service as the site shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SeedService {
    /// Name.
    pub name: String,
    /// Description.
    pub description: String,
    /// Price in cents.
    pub price_cents: i32,
    /// "$275" or "from $275".
    pub price: String,
    /// Duration in minutes.
    pub duration_minutes: i32,
    /// "4 hr", "45 min", "2 hr 30 min".
    pub duration: String,
    /// An add-on.
    pub is_addon: bool,
}

/// The service area in words and as data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SeedArea {
    /// One sentence ("Serving Tulsa, Jenks and Bixby").
    pub summary: String,
    /// Cities listed.
    pub cities: Vec<String>,
    /// ZIP codes listed.
    pub zips: Vec<String>,
    /// Radius, when set.
    pub radius_miles: Option<u32>,
    /// Where the radius is measured from.
    pub base: Option<String>,
}

/// A phone number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SeedPhone {
    /// `+19185550100`, for `tel:`.
    pub e164: String,
    /// `(918) 555-0100`.
    pub display: String,
}

/// One day's hours.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SeedHours {
    /// "Monday".
    pub day: &'static str,
    /// "8:00 AM – 6:00 PM" or "Closed".
    pub hours: String,
}

/// The reviews section until real reviews exist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReviewsPlaceholder {
    /// Always true for now: no reviews are collected yet.
    pub placeholder: bool,
    /// What the section says.
    pub note: String,
}

/// Where the seed's URLs point.
#[derive(Debug, Clone)]
pub struct SeedUrls<'a> {
    /// The server's public base URL (no trailing slash), for absolute links.
    pub public_base: &'a str,
}

fn money(cents: i32) -> String {
    let dollars = cents / 100;
    let rest = cents % 100;
    let mut digits = dollars.to_string();
    let mut grouped = String::new();
    while digits.len() > 3 {
        let tail = digits.split_off(digits.len() - 3);
        grouped = format!(",{tail}{grouped}");
    }
    if rest == 0 {
        format!("${digits}{grouped}")
    } else {
        format!("${digits}{grouped}.{rest:02}")
    }
}

fn duration(minutes: i32) -> String {
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} hr"),
        (h, m) => format!("{h} hr {m} min"),
    }
}

fn clock(t: NaiveTime) -> String {
    t.format("%-I:%M %p").to_string()
}

fn day_name(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
}

/// `+1NXXNXXXXXX` as `(NXX) NXX-XXXX`; other numbers as stored.
pub fn display_phone(e164: &str) -> String {
    match e164.strip_prefix("+1") {
        Some(n) if n.len() == 10 && n.bytes().all(|b| b.is_ascii_digit()) => {
            format!("({}) {}-{}", &n[..3], &n[3..6], &n[6..])
        }
        _ => e164.to_owned(),
    }
}

/// "A", "A and B", "A, B and C".
fn listing(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

fn area(snapshot: &TenantSnapshot, city: Option<&str>) -> SeedArea {
    let a = snapshot.area();
    let summary = if !a.cities.is_empty() {
        format!("Serving {}", listing(&a.cities))
    } else if let (Some(miles), Some(base)) = (a.radius_miles, a.base.as_deref()) {
        format!("Serving everywhere within {miles} miles of {base}")
    } else if !a.zips.is_empty() {
        format!("Serving ZIP codes {}", listing(&a.zips))
    } else if let Some(city) = city {
        format!("Serving {city} and the surrounding area")
    } else {
        "We come to you".to_owned()
    };
    SeedArea {
        summary,
        cities: a.cities.clone(),
        zips: a.zips.clone(),
        radius_miles: a.radius_miles,
        base: a.base.clone(),
    }
}

/// Builds the seed of `ctx`'s tenant from its snapshot and site settings.
pub fn build(
    ctx: &TenantContext,
    snapshot: &TenantSnapshot,
    site: &SiteRow,
    urls: &SeedUrls<'_>,
) -> WebsiteSeed {
    let pack = snapshot.pack();
    let edits = &site.settings.overrides;
    let tenant_id = ctx.tenant.id.as_str().to_owned();
    let name = ctx.tenant.name.clone();
    let city = site.owner_city.clone().or_else(|| {
        snapshot
            .area()
            .base_place()
            .map(|p| format!("{}, {}", p.city, p.state))
    });
    let palette: Palette = site.settings.template.palette().with_accent(edits.accent());
    let job_noun = pack.agent.vocabulary.job_noun.clone();
    let industry_name = pack.display_name.clone();
    let tagline = edits.tagline.clone().unwrap_or_else(|| match &city {
        Some(city) => format!("{industry_name} in {city}"),
        None => format!("{industry_name}, done right"),
    });
    let headline = edits
        .headline
        .clone()
        .unwrap_or_else(|| format!("Book your {job_noun} in under a minute"));
    let about = edits.about.clone().unwrap_or_else(|| {
        format!(
            "{name} is a locally owned {} business{}. We show up on time, quote honest prices \
             up front and treat every job like our own. Pick a time that suits you online, \
             or call and we'll take care of the rest.",
            industry_name.to_lowercase(),
            city.as_deref()
                .map(|c| format!(" based in {c}"))
                .unwrap_or_default(),
        )
    });
    let mut services: Vec<SeedService> = snapshot
        .services()
        .iter()
        .map(|s| SeedService {
            name: s.name.clone(),
            description: s.description.clone(),
            price_cents: s.price_cents,
            price: if s.starting_at {
                format!("from {}", money(s.price_cents))
            } else {
                money(s.price_cents)
            },
            duration_minutes: s.duration_minutes,
            duration: duration(s.duration_minutes),
            is_addon: s.is_addon,
        })
        .collect();
    services.sort_by_key(|s| s.is_addon);
    let hours = snapshot
        .rules()
        .hours
        .week()
        .into_iter()
        .map(|(day, open)| SeedHours {
            day: day_name(day),
            hours: open.map_or_else(
                || "Closed".to_owned(),
                |h| format!("{} – {}", clock(h.open), clock(h.close)),
            ),
        })
        .collect();
    let phone = ctx
        .phone_number()
        .map(str::to_owned)
        .or_else(|| ctx.config.as_ref().and_then(|c| c.owner_phone.clone()))
        .map(|e164| SeedPhone {
            display: display_phone(&e164),
            e164,
        });
    let image = |id: &Option<super::images::ImageId>| {
        id.as_ref().map(|i| format!("/{tenant_id}/images/{i}"))
    };
    let booking_path = format!("/{tenant_id}/book");
    WebsiteSeed {
        template: site.settings.template,
        business_name: name,
        headline,
        tagline,
        tone: pack.agent.tone.clone(),
        industry: pack.industry.clone(),
        industry_name,
        job_noun,
        colours: SeedColours {
            background: palette.bg.hex(),
            text: palette.text.hex(),
            accent: palette.accent.hex(),
            on_accent: palette.on_accent().hex(),
        },
        logo_url: image(&edits.logo_image),
        hero_image_url: image(&edits.hero_image),
        services,
        about,
        service_area: area(snapshot, city.as_deref()),
        city,
        phone,
        hours,
        reviews: ReviewsPlaceholder {
            placeholder: true,
            note: "Reviews from our customers will appear here soon.".to_owned(),
        },
        booking_url: format!("{}{booking_path}", urls.public_base.trim_end_matches('/')),
        booking_path,
        tenant_id,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_durations_and_phones_read_naturally() {
        assert_eq!(money(27500), "$275");
        assert_eq!(money(64900), "$649");
        assert_eq!(money(123456), "$1,234.56");
        assert_eq!(money(100000000), "$1,000,000");
        assert_eq!(duration(45), "45 min");
        assert_eq!(duration(240), "4 hr");
        assert_eq!(duration(150), "2 hr 30 min");
        assert_eq!(display_phone("+19185550100"), "(918) 555-0100");
        assert_eq!(display_phone("+442071838750"), "+442071838750");
        assert_eq!(listing(&["A".into(), "B".into(), "C".into()]), "A, B and C");
    }
}
