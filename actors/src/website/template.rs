//! The ten site templates ([`TemplateId`]) and their colour palettes ([`Palette`]),
//! with the WCAG contrast arithmetic ([`Rgb::contrast`]) the palettes are tested
//! against: every text colour a template puts on a background reaches 4.5:1.

use serde::{Deserialize, Serialize};

/// One of the curated site templates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TemplateId {
    /// Light, champagne and serif: a concierge desk.
    LuminousConcierge,
    /// Dark with neon edges: a late-night garage.
    NightDriveNeon,
    /// Navy and white cards on a strict grid.
    PrestigeGrid,
    /// Warm, friendly and rounded: the neighbourhood pro.
    LocalHero,
    /// Black on white, big type, nothing else.
    StudioMinimal,
    /// Airy blues and soft waves.
    CoastalBreeze,
    /// Burgundy, cream and small caps: an old family firm.
    HeritageCraft,
    /// Orange and yellow, loud and cheerful.
    SunriseBold,
    /// Deep green and calm: the trusted choice.
    EvergreenTrust,
    /// A magazine page: columns, rules and monospace labels.
    MonoEditorial,
}

impl TemplateId {
    /// Every template, in the order the owner sees them.
    pub const ALL: [TemplateId; 10] = [
        TemplateId::LuminousConcierge,
        TemplateId::NightDriveNeon,
        TemplateId::PrestigeGrid,
        TemplateId::LocalHero,
        TemplateId::StudioMinimal,
        TemplateId::CoastalBreeze,
        TemplateId::HeritageCraft,
        TemplateId::SunriseBold,
        TemplateId::EvergreenTrust,
        TemplateId::MonoEditorial,
    ];

    /// The template a tenant gets until it chooses.
    pub const DEFAULT: TemplateId = TemplateId::LuminousConcierge;

    /// The id stored and used in URLs (`luminous-concierge`).
    pub fn slug(self) -> &'static str {
        match self {
            TemplateId::LuminousConcierge => "luminous-concierge",
            TemplateId::NightDriveNeon => "night-drive-neon",
            TemplateId::PrestigeGrid => "prestige-grid",
            TemplateId::LocalHero => "local-hero",
            TemplateId::StudioMinimal => "studio-minimal",
            TemplateId::CoastalBreeze => "coastal-breeze",
            TemplateId::HeritageCraft => "heritage-craft",
            TemplateId::SunriseBold => "sunrise-bold",
            TemplateId::EvergreenTrust => "evergreen-trust",
            TemplateId::MonoEditorial => "mono-editorial",
        }
    }

    /// The name shown to the owner.
    pub fn name(self) -> &'static str {
        match self {
            TemplateId::LuminousConcierge => "Luminous Concierge",
            TemplateId::NightDriveNeon => "Night Drive Neon",
            TemplateId::PrestigeGrid => "Prestige Grid",
            TemplateId::LocalHero => "Local Hero",
            TemplateId::StudioMinimal => "Studio Minimal",
            TemplateId::CoastalBreeze => "Coastal Breeze",
            TemplateId::HeritageCraft => "Heritage Craft",
            TemplateId::SunriseBold => "Sunrise Bold",
            TemplateId::EvergreenTrust => "Evergreen Trust",
            TemplateId::MonoEditorial => "Mono Editorial",
        }
    }

    /// The template with this slug.
    pub fn parse(slug: &str) -> Result<TemplateId, UnknownTemplate> {
        TemplateId::ALL
            .into_iter()
            .find(|t| t.slug() == slug)
            .ok_or_else(|| UnknownTemplate(slug.chars().take(64).collect()))
    }

    /// The template's colours.
    pub fn palette(self) -> Palette {
        let p = |bg, surface, text, muted, link, accent, hero_bg, hero_text, border| Palette {
            bg: Rgb(bg),
            surface: Rgb(surface),
            text: Rgb(text),
            muted: Rgb(muted),
            link: Rgb(link),
            accent: Rgb(accent),
            hero_bg: Rgb(hero_bg),
            hero_text: Rgb(hero_text),
            border: Rgb(border),
        };
        match self {
            TemplateId::LuminousConcierge => p(
                0xFBF8F2, 0xFFFFFF, 0x1F1B16, 0x5C5346, 0x7A5A12, 0xB8892B, 0x1F1B16, 0xFBF3E2,
                0xE6DCC8,
            ),
            TemplateId::NightDriveNeon => p(
                0x0B0D17, 0x151828, 0xF2F4FF, 0xAAB0D0, 0x5CE1E6, 0xFF3EA5, 0x0B0D17, 0xF2F4FF,
                0x2A2F4A,
            ),
            TemplateId::PrestigeGrid => p(
                0xF4F6FA, 0xFFFFFF, 0x0E1A33, 0x4A5670, 0x1D4ED8, 0x0E1A33, 0x0E1A33, 0xFFFFFF,
                0xD5DCE8,
            ),
            TemplateId::LocalHero => p(
                0xFFF9EF, 0xFFFFFF, 0x2B2118, 0x5E4E3E, 0x2E6B34, 0x2E7D32, 0x2E6B34, 0xFFFFFF,
                0xEADBC4,
            ),
            TemplateId::StudioMinimal => p(
                0xFFFFFF, 0xF5F5F5, 0x111111, 0x555555, 0x111111, 0x111111, 0xFFFFFF, 0x111111,
                0xDDDDDD,
            ),
            TemplateId::CoastalBreeze => p(
                0xF3F9FC, 0xFFFFFF, 0x0F2A3A, 0x41606F, 0x0B6E99, 0x0A6E99, 0xDDEFF7, 0x0F2A3A,
                0xCFE4EE,
            ),
            TemplateId::HeritageCraft => p(
                0xF7F1E6, 0xFFFBF3, 0x2A1A14, 0x5E4A3F, 0x7B1E2B, 0x7B1E2B, 0x3A1016, 0xF7EBD9,
                0xE2D3BC,
            ),
            TemplateId::SunriseBold => p(
                0xFFFBF2, 0xFFFFFF, 0x231400, 0x5A4630, 0xA63A00, 0xF25C05, 0xFFB020, 0x231400,
                0xF6DFC0,
            ),
            TemplateId::EvergreenTrust => p(
                0xF4F7F4, 0xFFFFFF, 0x12261C, 0x4A5E53, 0x1E6B47, 0x1E6B47, 0x12261C, 0xEAF4EE,
                0xD3E0D7,
            ),
            TemplateId::MonoEditorial => p(
                0xFAFAF7, 0xFFFFFF, 0x161616, 0x4F4F4F, 0xB3261E, 0xB3261E, 0xFAFAF7, 0x161616,
                0x161616,
            ),
        }
    }
}

impl Default for TemplateId {
    fn default() -> Self {
        TemplateId::DEFAULT
    }
}

impl std::fmt::Display for TemplateId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.slug())
    }
}

/// A template slug that names no template.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown template {0:?}; expected one of luminous-concierge, night-drive-neon, prestige-grid, local-hero, studio-minimal, coastal-breeze, heritage-craft, sunrise-bold, evergreen-trust, mono-editorial")]
pub struct UnknownTemplate(pub String);

/// An sRGB colour (`0xRRGGBB`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u32);

/// A colour that is not `#rrggbb`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("expected a colour as #rrggbb")]
pub struct BadColour;

impl Rgb {
    /// Parses `#rrggbb` (either case).
    pub fn parse(raw: &str) -> Result<Rgb, BadColour> {
        let hex = raw.strip_prefix('#').ok_or(BadColour)?;
        if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(BadColour);
        }
        u32::from_str_radix(hex, 16).map(Rgb).map_err(|_| BadColour)
    }

    /// `#rrggbb`.
    pub fn hex(self) -> String {
        format!("#{:06x}", self.0 & 0x00FF_FFFF)
    }

    /// WCAG relative luminance (0 black … 1 white).
    pub fn luminance(self) -> f64 {
        let channel = |shift: u32| {
            let c = f64::from((self.0 >> shift) & 0xFF) / 255.0;
            if c <= 0.039_28 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(16) + 0.7152 * channel(8) + 0.0722 * channel(0)
    }

    /// WCAG contrast ratio with `other` (1 … 21).
    pub fn contrast(self, other: Rgb) -> f64 {
        let (a, b) = (self.luminance(), other.luminance());
        let (hi, lo) = if a > b { (a, b) } else { (b, a) };
        (hi + 0.05) / (lo + 0.05)
    }

    /// Black or white, whichever reads better on this colour (always ≥ 4.5:1).
    pub fn readable_on(self) -> Rgb {
        let (black, white) = (Rgb(0x000000), Rgb(0xFFFFFF));
        if self.contrast(black) >= self.contrast(white) {
            black
        } else {
            white
        }
    }
}

/// A template's colours: page, cards, text, secondary text, links, the call-to-action
/// fill (its text is [`Rgb::readable_on`] it), the hero band and borders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Palette {
    /// Page background.
    pub bg: Rgb,
    /// Cards and bands.
    pub surface: Rgb,
    /// Body text.
    pub text: Rgb,
    /// Secondary text.
    pub muted: Rgb,
    /// Links and prices (on `bg` and `surface`).
    pub link: Rgb,
    /// Button fill (the owner may override it).
    pub accent: Rgb,
    /// The hero band's background.
    pub hero_bg: Rgb,
    /// The hero band's text.
    pub hero_text: Rgb,
    /// Rules and card borders (decorative: no contrast demand).
    pub border: Rgb,
}

impl Palette {
    /// The palette with the owner's button colour, when set.
    pub fn with_accent(mut self, accent: Option<Rgb>) -> Palette {
        if let Some(accent) = accent {
            self.accent = accent;
        }
        self
    }

    /// Text on the button fill.
    pub fn on_accent(&self) -> Rgb {
        self.accent.readable_on()
    }

    /// Every (foreground, background, what) pair text is drawn with.
    pub fn text_pairs(&self) -> Vec<(Rgb, Rgb, &'static str)> {
        let mut pairs = Vec::new();
        for (bg, on) in [(self.bg, "bg"), (self.surface, "surface")] {
            pairs.push((self.text, bg, on));
            pairs.push((self.muted, bg, on));
            pairs.push((self.link, bg, on));
        }
        pairs.push((self.hero_text, self.hero_bg, "hero"));
        pairs.push((self.on_accent(), self.accent, "button"));
        pairs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_palette_text_reaches_4_5_to_1() {
        for template in TemplateId::ALL {
            for (fg, bg, on) in template.palette().text_pairs() {
                let ratio = fg.contrast(bg);
                assert!(
                    ratio >= 4.5,
                    "{template}: {} on {} ({on}) is {ratio:.2}:1",
                    fg.hex(),
                    bg.hex()
                );
            }
        }
    }

    #[test]
    fn any_owner_accent_gets_readable_button_text() {
        // Every 8th step of each channel: 32^3 colours.
        for r in (0..=255u32).step_by(8) {
            for g in (0..=255u32).step_by(8) {
                for b in (0..=255u32).step_by(8) {
                    let accent = Rgb((r << 16) | (g << 8) | b);
                    let ratio = accent.readable_on().contrast(accent);
                    assert!(ratio >= 4.5, "{} gets {ratio:.2}:1", accent.hex());
                }
            }
        }
    }

    #[test]
    fn contrast_matches_wcag_reference_values() {
        assert!((Rgb(0x000000).contrast(Rgb(0xFFFFFF)) - 21.0).abs() < 0.01);
        assert!((Rgb(0x777777).contrast(Rgb(0xFFFFFF)) - 4.48).abs() < 0.01);
        assert!((Rgb(0xFFFFFF).contrast(Rgb(0xFFFFFF)) - 1.0).abs() < 1e-9);
    }

    #[test]
    fn slugs_round_trip_and_unknown_is_refused() {
        for t in TemplateId::ALL {
            assert_eq!(TemplateId::parse(t.slug()), Ok(t));
        }
        assert!(TemplateId::parse("geocities").is_err());
    }

    #[test]
    fn colours_parse_strictly() {
        assert_eq!(Rgb::parse("#1a2B3c"), Ok(Rgb(0x1A2B3C)));
        for bad in ["1a2b3c", "#1a2b3", "#1a2b3cc", "#gg0000", "red", "#12345;"] {
            assert_eq!(Rgb::parse(bad), Err(BadColour), "{bad}");
        }
        assert_eq!(Rgb(0x0A0B0C).hex(), "#0a0b0c");
    }
}
