//! The owner's shallow edits of their site ([`SiteOverrides`]: copy, button colour,
//! logo and hero image), kept apart from the template so they survive a switch, and
//! the change an owner sends ([`SitePatch`]: a template and/or edits, each edit set,
//! cleared with `null`, or left alone when absent).

use super::images::ImageId;
use super::template::{Rgb, TemplateId};
use super::WebsiteError;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Longest headline accepted (characters).
pub const MAX_HEADLINE: usize = 90;
/// Longest tagline accepted.
pub const MAX_TAGLINE: usize = 160;
/// Longest "about" text accepted.
pub const MAX_ABOUT: usize = 1_500;

/// The owner's edits; `None` fields use what the template builds from the tenant's data.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteOverrides {
    /// The hero's big line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub headline: Option<String>,
    /// One line under the business name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tagline: Option<String>,
    /// The "about us" paragraph(s).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub about: Option<String>,
    /// The button colour (`#rrggbb`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accent: Option<String>,
    /// An uploaded image shown as the logo.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logo_image: Option<ImageId>,
    /// An uploaded image shown in the hero.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hero_image: Option<ImageId>,
}

impl SiteOverrides {
    /// The button colour, when the owner set one (stored values were validated).
    pub fn accent(&self) -> Option<Rgb> {
        self.accent.as_deref().and_then(|a| Rgb::parse(a).ok())
    }

    /// The images these edits use.
    pub fn images(&self) -> impl Iterator<Item = &ImageId> {
        self.logo_image.iter().chain(self.hero_image.iter())
    }
}

/// One edit: keep (`None`), clear (`Some(None)`) or set (`Some(Some(v))`).
pub type Edit<T> = Option<Option<T>>;

/// What an owner changes in one call.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SitePatch {
    /// The template to switch to.
    pub template: Option<TemplateId>,
    /// Headline.
    pub headline: Edit<String>,
    /// Tagline.
    pub tagline: Edit<String>,
    /// About.
    pub about: Edit<String>,
    /// Button colour.
    pub accent: Edit<Rgb>,
    /// Logo image.
    pub logo_image: Edit<ImageId>,
    /// Hero image.
    pub hero_image: Edit<ImageId>,
}

const FIELDS: [&str; 2] = ["template", "overrides"];
const OVERRIDE_FIELDS: [&str; 6] = [
    "headline",
    "tagline",
    "about",
    "accent",
    "logo_image",
    "hero_image",
];

fn invalid(field: &str, reason: impl Into<String>) -> WebsiteError {
    WebsiteError::Invalid {
        field: field.to_owned(),
        reason: reason.into(),
    }
}

/// A copy field: trimmed, 1..=`max` characters, no control characters but newlines.
fn copy(field: &str, value: &str, max: usize) -> Result<String, WebsiteError> {
    let text = value.trim();
    if text.is_empty() {
        return Err(invalid(field, "must not be empty (send null to clear it)"));
    }
    if text.chars().count() > max {
        return Err(invalid(field, format!("at most {max} characters")));
    }
    if text.chars().any(|c| c.is_control() && c != '\n') {
        return Err(invalid(field, "control characters are not allowed"));
    }
    Ok(text.to_owned())
}

fn edit<T>(
    map: &Map<String, Value>,
    key: &str,
    parse: impl Fn(&str, &str) -> Result<T, WebsiteError>,
) -> Result<Edit<T>, WebsiteError> {
    let field = format!("overrides.{key}");
    match map.get(key) {
        None => Ok(None),
        Some(Value::Null) => Ok(Some(None)),
        Some(Value::String(s)) => Ok(Some(Some(parse(&field, s)?))),
        Some(_) => Err(invalid(&field, "expected a string or null")),
    }
}

impl SitePatch {
    /// Reads `{"template"?, "overrides"?: {...}}`; unknown fields are refused by name.
    pub fn parse(body: &Map<String, Value>) -> Result<SitePatch, WebsiteError> {
        if let Some(unknown) = body.keys().find(|k| !FIELDS.contains(&k.as_str())) {
            return Err(invalid(unknown, "unknown field"));
        }
        let template = match body.get("template") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => {
                Some(TemplateId::parse(s).map_err(|e| invalid("template", e.to_string()))?)
            }
            Some(_) => return Err(invalid("template", "expected a template id")),
        };
        let empty = Map::new();
        let overrides = match body.get("overrides") {
            None | Some(Value::Null) => &empty,
            Some(Value::Object(map)) => map,
            Some(_) => return Err(invalid("overrides", "expected an object")),
        };
        if let Some(unknown) = overrides
            .keys()
            .find(|k| !OVERRIDE_FIELDS.contains(&k.as_str()))
        {
            return Err(invalid(&format!("overrides.{unknown}"), "unknown field"));
        }
        let patch = SitePatch {
            template,
            headline: edit(overrides, "headline", |f, v| copy(f, v, MAX_HEADLINE))?,
            tagline: edit(overrides, "tagline", |f, v| copy(f, v, MAX_TAGLINE))?,
            about: edit(overrides, "about", |f, v| copy(f, v, MAX_ABOUT))?,
            accent: edit(overrides, "accent", |f, v| {
                Rgb::parse(v).map_err(|e| invalid(f, e.to_string()))
            })?,
            logo_image: edit(overrides, "logo_image", |f, v| {
                ImageId::parse(v).map_err(|e| invalid(f, e.to_string()))
            })?,
            hero_image: edit(overrides, "hero_image", |f, v| {
                ImageId::parse(v).map_err(|e| invalid(f, e.to_string()))
            })?,
        };
        if patch == SitePatch::default() {
            return Err(invalid("template", "nothing to change"));
        }
        Ok(patch)
    }

    /// `overrides` with this patch's edits applied.
    pub fn apply(&self, mut overrides: SiteOverrides) -> SiteOverrides {
        fn put<T>(slot: &mut Option<T>, edit: &Edit<T>)
        where
            T: Clone,
        {
            if let Some(value) = edit {
                *slot = value.clone();
            }
        }
        put(&mut overrides.headline, &self.headline);
        put(&mut overrides.tagline, &self.tagline);
        put(&mut overrides.about, &self.about);
        if let Some(accent) = &self.accent {
            overrides.accent = accent.map(Rgb::hex);
        }
        put(&mut overrides.logo_image, &self.logo_image);
        put(&mut overrides.hero_image, &self.hero_image);
        overrides
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse(v: Value) -> Result<SitePatch, WebsiteError> {
        match v {
            Value::Object(map) => SitePatch::parse(&map),
            _ => unreachable!("tests pass objects"),
        }
    }

    fn field_of(err: WebsiteError) -> String {
        match err {
            WebsiteError::Invalid { field, .. } => field,
            other => panic!("expected Invalid, got {other:?}"),
        }
    }

    #[test]
    fn edits_set_clear_and_keep() {
        let start = SiteOverrides {
            headline: Some("Old".into()),
            tagline: Some("Keep me".into()),
            ..SiteOverrides::default()
        };
        let patch = parse(
            json!({"overrides": {"headline": null, "about": "  Hello  ", "accent": "#AA0000"}}),
        )
        .unwrap();
        let out = patch.apply(start);
        assert_eq!(out.headline, None);
        assert_eq!(out.tagline.as_deref(), Some("Keep me"));
        assert_eq!(out.about.as_deref(), Some("Hello"));
        assert_eq!(out.accent.as_deref(), Some("#aa0000"));
    }

    #[test]
    fn bad_input_names_the_field() {
        let cases = [
            (json!({"template": "nope"}), "template"),
            (json!({"colour": "#000000"}), "colour"),
            (json!({"overrides": {"accent": "red"}}), "overrides.accent"),
            (json!({"overrides": {"font": "x"}}), "overrides.font"),
            (json!({"overrides": {"headline": ""}}), "overrides.headline"),
            (
                json!({"overrides": {"tagline": "x".repeat(MAX_TAGLINE + 1)}}),
                "overrides.tagline",
            ),
            (
                json!({"overrides": {"hero_image": "../etc/passwd"}}),
                "overrides.hero_image",
            ),
            (json!({"overrides": {"about": 5}}), "overrides.about"),
            (json!({}), "template"),
        ];
        for (body, field) in cases {
            assert_eq!(field_of(parse(body.clone()).unwrap_err()), field, "{body}");
        }
    }
}
