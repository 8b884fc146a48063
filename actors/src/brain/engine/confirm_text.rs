//! The texts that confirm what was done (booked, moved, cancelled): the
//! pack's SMS templates filled with the real values, or a plain sentence
//! when a template cannot be rendered.

use crate::booking::availability::Slot;
use crate::brain::tools::AppointmentInfo;
use crate::packs::SmsTemplateKey;

use super::context::Ctx;
use super::state::{ConversationState, TargetAppointment};
use super::text::{clock, day_label, local};

/// The values of a booking confirmation.
pub(super) struct Confirmation {
    pub(super) name: Option<String>,
    pub(super) service: String,
    pub(super) slot: Slot,
    pub(super) address: Option<String>,
    pub(super) price: String,
}

impl Confirmation {
    /// The pack's confirmation text, or a plain one.
    pub(super) fn render(&self, ctx: &Ctx<'_>) -> String {
        let tz = ctx.tz();
        let date = day_label(local(self.slot.start, tz).date_naive());
        let time = clock(self.slot.start, tz);
        let name = self.name.clone().unwrap_or_else(|| String::from("there"));
        let address = self
            .address
            .clone()
            .unwrap_or_else(|| String::from("the address you gave"));
        let values = [
            ("customer_name", name.as_str()),
            ("service", self.service.as_str()),
            ("date", date.as_str()),
            ("time", time.as_str()),
            ("address", address.as_str()),
            ("business_name", ctx.business()),
            ("price", self.price.as_str()),
        ];
        ctx.pack
            .and_then(|p| {
                p.render_sms(SmsTemplateKey::BookingConfirmation, &values)
                    .ok()
            })
            .unwrap_or_else(|| {
                format!(
                    "You're booked with {} for {} on {date} at {time} at {address}. Total: {}.",
                    ctx.business(),
                    self.service,
                    self.price
                )
            })
    }
}

/// The pack's reschedule confirmation, or a plain one.
pub(super) fn moved_text(
    state: &ConversationState,
    ctx: &Ctx<'_>,
    info: &AppointmentInfo,
    target: &TargetAppointment,
) -> String {
    let tz = ctx.tz();
    let date = day_label(local(info.starts_at, tz).date_naive());
    let time = clock(info.starts_at, tz);
    let name = state
        .customer_name
        .clone()
        .unwrap_or_else(|| "there".into());
    let address = info
        .address
        .clone()
        .or_else(|| target.address.clone())
        .unwrap_or_else(|| "the same address".into());
    let values = [
        ("customer_name", name.as_str()),
        ("service", info.service_name.as_str()),
        ("date", date.as_str()),
        ("time", time.as_str()),
        ("address", address.as_str()),
        ("business_name", ctx.business()),
    ];
    ctx.pack
        .and_then(|p| {
            p.render_sms(SmsTemplateKey::RescheduleConfirmation, &values)
                .ok()
        })
        .unwrap_or_else(|| format!("Done! Your {} is now {date} at {time}.", info.service_name))
}

/// The pack's cancellation confirmation, or a plain one.
pub(super) fn cancelled_text(
    state: &ConversationState,
    ctx: &Ctx<'_>,
    info: &AppointmentInfo,
) -> String {
    let tz = ctx.tz();
    let date = day_label(local(info.starts_at, tz).date_naive());
    let time = clock(info.starts_at, tz);
    let name = state
        .customer_name
        .clone()
        .unwrap_or_else(|| "there".into());
    let plain = format!(
        "Your {} on {date} is cancelled. Text us anytime to book again!",
        info.service_name
    );
    let Some(url) = ctx.profile().booking_url.clone() else {
        return plain;
    };
    let values = [
        ("customer_name", name.as_str()),
        ("service", info.service_name.as_str()),
        ("date", date.as_str()),
        ("time", time.as_str()),
        ("business_name", ctx.business()),
        ("booking_url", url.as_str()),
    ];
    ctx.pack
        .and_then(|p| {
            p.render_sms(SmsTemplateKey::CancellationConfirmation, &values)
                .ok()
        })
        .unwrap_or(plain)
}
