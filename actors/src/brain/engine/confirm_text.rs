//! The texts that confirm what was done (booked, moved, cancelled), in the
//! tenant's words ([`TenantTemplates::render`](crate::packs::TenantTemplates::render):
//! its own template, its pack's, or a plain sentence). The booking
//! confirmation is also what a call's booking texts the caller
//! ([`booking_confirmation`]).

use chrono::{DateTime, Utc};

use crate::brain::tools::{AppointmentInfo, TenantProfile};
use crate::packs::{pack, IndustryPack, SmsTemplateKey};

use super::context::Ctx;
use super::state::{ConversationState, TargetAppointment};
use super::text::{clock, day_label, local, usd};

/// The values of a booking confirmation.
pub(super) struct Confirmation {
    pub(super) name: Option<String>,
    pub(super) service: String,
    pub(super) starts_at: DateTime<Utc>,
    pub(super) address: Option<String>,
    pub(super) price: String,
}

impl Confirmation {
    /// The confirmation text, in the tenant's words.
    pub(super) fn render(&self, ctx: &Ctx<'_>) -> String {
        self.text(ctx.profile(), ctx.pack)
    }

    fn text(&self, profile: &TenantProfile, pack: Option<&IndustryPack>) -> String {
        let at = When::of(self.starts_at, profile, self.name.as_deref());
        let mut values = at.values(&self.service);
        values.extend([
            (
                "address",
                self.address.as_deref().unwrap_or("the address you gave"),
            ),
            ("business_name", profile.business_name.as_str()),
            ("price", self.price.as_str()),
        ]);
        profile
            .templates
            .render(pack, SmsTemplateKey::BookingConfirmation, &values)
    }
}

/// The booking confirmation of `appointment`, in the tenant's words: the
/// text an SMS booking gets, for a booking made elsewhere (during a call).
pub fn booking_confirmation(profile: &TenantProfile, appointment: &AppointmentInfo) -> String {
    Confirmation {
        name: None,
        service: appointment.service_name.clone(),
        starts_at: appointment.starts_at,
        address: appointment.address.clone(),
        price: usd(appointment.price_cents),
    }
    .text(profile, pack(&profile.industry).ok())
}

/// An appointment's local day and time and whom the text greets.
struct When<'a> {
    date: String,
    time: String,
    name: &'a str,
}

impl<'a> When<'a> {
    /// The values every appointment text fills: whom it greets, the
    /// service, the local day and time.
    fn values<'v>(&'v self, service: &'v str) -> Vec<(&'static str, &'v str)> {
        vec![
            ("customer_name", self.name),
            ("service", service),
            ("date", self.date.as_str()),
            ("time", self.time.as_str()),
        ]
    }

    /// A booked appointment's, greeting the customer of `state`.
    fn of_booked(state: &'a ConversationState, ctx: &Ctx<'_>, info: &AppointmentInfo) -> Self {
        When::of(
            info.starts_at,
            ctx.profile(),
            state.customer_name.as_deref(),
        )
    }

    fn of(at: DateTime<Utc>, profile: &TenantProfile, name: Option<&'a str>) -> Self {
        let tz = profile.time_zone;
        When {
            date: day_label(local(at, tz).date_naive()),
            time: clock(at, tz),
            name: name.unwrap_or("there"),
        }
    }
}

/// The reschedule confirmation, in the tenant's words.
pub(super) fn moved_text(
    state: &ConversationState,
    ctx: &Ctx<'_>,
    info: &AppointmentInfo,
    target: &TargetAppointment,
) -> String {
    let at = When::of_booked(state, ctx, info);
    let address = info
        .address
        .as_deref()
        .or(target.address.as_deref())
        .unwrap_or("the same address");
    let mut values = at.values(&info.service_name);
    values.extend([("address", address), ("business_name", ctx.business())]);
    ctx.profile()
        .templates
        .render(ctx.pack, SmsTemplateKey::RescheduleConfirmation, &values)
}

/// The cancellation confirmation, in the tenant's words; the templates
/// that invite a new booking need the tenant's booking link.
pub(super) fn cancelled_text(
    state: &ConversationState,
    ctx: &Ctx<'_>,
    info: &AppointmentInfo,
) -> String {
    let at = When::of_booked(state, ctx, info);
    let mut values = at.values(&info.service_name);
    values.push(("business_name", ctx.business()));
    if let Some(url) = ctx.profile().booking_url.as_deref() {
        values.push(("booking_url", url));
    }
    ctx.profile()
        .templates
        .render(ctx.pack, SmsTemplateKey::CancellationConfirmation, &values)
}
