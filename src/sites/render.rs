//! The ten templates rendered with askama (`templates/sites/<slug>/page.html`, the
//! shared parts in `templates/sites/_parts/`) to one static HTML page each, the
//! template's CSS (`templates/sites/base.css` + `<slug>/site.css`) inlined: a site is
//! one page, so one request, and both together stay far under the page budget
//! (BENCHMARKS.md). Every tenant value goes through askama's HTML escaping; the only
//! unescaped text is the CSS compiled into the binary.

use askama::Template;
use servicepro_actors::website::seed::WebsiteSeed;
use servicepro_actors::website::template::{Palette, TemplateId};

const BASE_CSS: &str = include_str!("../../templates/sites/base.css");

/// The chat widget's script (inline; allowed by its hash in the page's CSP).
pub const CHAT_JS: &str = include_str!("../../templates/sites/chat.js");

/// The `Content-Security-Policy` of every site page: nothing but its own inline
/// style, the chat script by hash, images and the chat API of this origin.
pub fn content_security_policy() -> &'static str {
    static CSP: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    CSP.get_or_init(|| {
        use base64::Engine;
        use sha2::Digest;
        let hash = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(CHAT_JS));
        format!(
            "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; \
             script-src 'sha256-{hash}'; connect-src 'self'; form-action 'self'; \
             base-uri 'none'; frame-ancestors 'none'"
        )
    })
}

/// A template's own CSS.
fn theme_css(template: TemplateId) -> &'static str {
    match template {
        TemplateId::LuminousConcierge => {
            include_str!("../../templates/sites/luminous-concierge/site.css")
        }
        TemplateId::NightDriveNeon => {
            include_str!("../../templates/sites/night-drive-neon/site.css")
        }
        TemplateId::PrestigeGrid => include_str!("../../templates/sites/prestige-grid/site.css"),
        TemplateId::LocalHero => include_str!("../../templates/sites/local-hero/site.css"),
        TemplateId::StudioMinimal => include_str!("../../templates/sites/studio-minimal/site.css"),
        TemplateId::CoastalBreeze => include_str!("../../templates/sites/coastal-breeze/site.css"),
        TemplateId::HeritageCraft => include_str!("../../templates/sites/heritage-craft/site.css"),
        TemplateId::SunriseBold => include_str!("../../templates/sites/sunrise-bold/site.css"),
        TemplateId::EvergreenTrust => {
            include_str!("../../templates/sites/evergreen-trust/site.css")
        }
        TemplateId::MonoEditorial => include_str!("../../templates/sites/mono-editorial/site.css"),
    }
}

/// The palette as CSS colour values (`#rrggbb`, from [`servicepro_actors::website::template::Rgb::hex`]).
pub struct Colours {
    bg: String,
    surface: String,
    text: String,
    muted: String,
    link: String,
    accent: String,
    on_accent: String,
    hero_bg: String,
    hero_text: String,
    border: String,
}

impl Colours {
    fn of(p: &Palette) -> Self {
        Colours {
            bg: p.bg.hex(),
            surface: p.surface.hex(),
            text: p.text.hex(),
            muted: p.muted.hex(),
            link: p.link.hex(),
            accent: p.accent.hex(),
            on_accent: p.on_accent().hex(),
            hero_bg: p.hero_bg.hex(),
            hero_text: p.hero_text.hex(),
            border: p.border.hex(),
        }
    }
}

/// What every template is given.
pub struct View<'a> {
    seed: &'a WebsiteSeed,
    c: Colours,
    base_css: &'static str,
    css: &'static str,
    chat_js: &'static str,
    /// Rendered for the owner's preview (a banner says so).
    preview: bool,
    template_name: &'static str,
    /// Services three to a row on wide screens.
    three_up: bool,
    has_addons: bool,
}

macro_rules! pages {
    ($($name:ident),+ $(,)?) => {$(
        impl<'a> std::ops::Deref for $name<'a> {
            type Target = View<'a>;
            fn deref(&self) -> &View<'a> {
                self.v
            }
        }
    )+};
}

#[derive(Template)]
#[template(path = "sites/luminous-concierge/page.html")]
struct LuminousConcierge<'a> {
    v: &'a View<'a>,
}
#[derive(Template)]
#[template(path = "sites/night-drive-neon/page.html")]
struct NightDriveNeon<'a> {
    v: &'a View<'a>,
}
#[derive(Template)]
#[template(path = "sites/prestige-grid/page.html")]
struct PrestigeGrid<'a> {
    v: &'a View<'a>,
}
#[derive(Template)]
#[template(path = "sites/local-hero/page.html")]
struct LocalHero<'a> {
    v: &'a View<'a>,
}
#[derive(Template)]
#[template(path = "sites/studio-minimal/page.html")]
struct StudioMinimal<'a> {
    v: &'a View<'a>,
}
#[derive(Template)]
#[template(path = "sites/coastal-breeze/page.html")]
struct CoastalBreeze<'a> {
    v: &'a View<'a>,
}
#[derive(Template)]
#[template(path = "sites/heritage-craft/page.html")]
struct HeritageCraft<'a> {
    v: &'a View<'a>,
}
#[derive(Template)]
#[template(path = "sites/sunrise-bold/page.html")]
struct SunriseBold<'a> {
    v: &'a View<'a>,
}
#[derive(Template)]
#[template(path = "sites/evergreen-trust/page.html")]
struct EvergreenTrust<'a> {
    v: &'a View<'a>,
}
#[derive(Template)]
#[template(path = "sites/mono-editorial/page.html")]
struct MonoEditorial<'a> {
    v: &'a View<'a>,
}

pages!(
    LuminousConcierge,
    NightDriveNeon,
    PrestigeGrid,
    LocalHero,
    StudioMinimal,
    CoastalBreeze,
    HeritageCraft,
    SunriseBold,
    EvergreenTrust,
    MonoEditorial,
);

/// Renders `seed` in `template` with `palette`; `preview` adds the owner's banner.
pub fn render(
    template: TemplateId,
    seed: &WebsiteSeed,
    palette: &Palette,
    preview: bool,
) -> Result<String, askama::Error> {
    let v = View {
        seed,
        c: Colours::of(palette),
        base_css: BASE_CSS,
        css: theme_css(template),
        chat_js: CHAT_JS,
        preview,
        template_name: template.name(),
        three_up: matches!(template, TemplateId::PrestigeGrid | TemplateId::SunriseBold),
        has_addons: seed.services.iter().any(|s| s.is_addon),
    };
    let v = &v;
    match template {
        TemplateId::LuminousConcierge => LuminousConcierge { v }.render(),
        TemplateId::NightDriveNeon => NightDriveNeon { v }.render(),
        TemplateId::PrestigeGrid => PrestigeGrid { v }.render(),
        TemplateId::LocalHero => LocalHero { v }.render(),
        TemplateId::StudioMinimal => StudioMinimal { v }.render(),
        TemplateId::CoastalBreeze => CoastalBreeze { v }.render(),
        TemplateId::HeritageCraft => HeritageCraft { v }.render(),
        TemplateId::SunriseBold => SunriseBold { v }.render(),
        TemplateId::EvergreenTrust => EvergreenTrust { v }.render(),
        TemplateId::MonoEditorial => MonoEditorial { v }.render(),
    }
}
