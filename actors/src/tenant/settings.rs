//! What an owner may change about their tenant (the `tenant_config` and
//! `tenant_phone_config` fields, and the time zone on `tenants`): a typed, validated [`SettingsUpdate`], and the one
//! statement pair that writes it. Only the tenant's [`super::actor::TenantActor`]
//! calls [`write`], so its cache learns of the change at once.

use super::admin::ForwardTarget;
use crate::brain::db_tools::ServiceArea;
use crate::packs::BusinessHours;
use chrono::{DateTime, Utc};
use diesel::{AsChangeset, ExpressionMethods};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use servicepro_schema::schema::{tenant_config, tenant_phone_config, tenants};
use servicepro_schema::{DbError, IvrMode, TenantId, VoiceAudio, E164};

/// Longest booking link or e-mail address accepted.
const MAX_TEXT: usize = 2_000;

/// What a suspended tenant's callers get.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SuspendedCallBehavior {
    /// A paused message.
    Message,
    /// The call is forwarded to the owner.
    Forward,
}

impl SuspendedCallBehavior {
    /// The stored text form.
    pub fn as_str(self) -> &'static str {
        match self {
            SuspendedCallBehavior::Message => "message",
            SuspendedCallBehavior::Forward => "forward",
        }
    }
}

impl std::str::FromStr for SuspendedCallBehavior {
    type Err = &'static str;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        match raw {
            "message" => Ok(SuspendedCallBehavior::Message),
            "forward" => Ok(SuspendedCallBehavior::Forward),
            _ => Err("expected message or forward"),
        }
    }
}

/// A change to a tenant's settings: each `Some` field is set, each `None` kept.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SettingsUpdate {
    /// Cities and ZIP codes served (empty: everywhere).
    pub service_area: Option<ServiceArea>,
    /// Opening hours per weekday.
    pub business_hours: Option<BusinessHours>,
    /// The online booking page texted to callers (`http(s)://…`).
    pub booking_url: Option<String>,
    /// Where owner notices are texted.
    pub owner_phone: Option<E164>,
    /// The owner's e-mail address.
    pub owner_email: Option<String>,
    /// What callers get while the tenant is suspended.
    pub suspended_call_behavior: Option<SuspendedCallBehavior>,
    /// How the tenant's numbers answer calls.
    pub ivr_mode: Option<IvrMode>,
    /// Where calls are forwarded.
    pub forward: Option<ForwardTarget>,
    /// Whether AI receptionist calls are recorded.
    pub record_calls: Option<bool>,
    /// The AI receptionist's audio to the provider.
    pub voice_audio: Option<VoiceAudio>,
    /// The business's time zone (hours and bookings are read in it).
    pub time_zone: Option<chrono_tz::Tz>,
}

/// A call setting was changed for a tenant whose number is not set up yet.
#[derive(Debug, Clone, Copy, thiserror::Error)]
#[error("no phone number is set up yet; call settings can be changed once it is")]
pub struct NoNumberYet;

/// A settings change that cannot be accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {reason}")]
pub struct SettingsError {
    /// The field at fault.
    pub field: &'static str,
    /// Why.
    pub reason: String,
}

fn invalid(field: &'static str, reason: impl Into<String>) -> SettingsError {
    SettingsError {
        field,
        reason: reason.into(),
    }
}

impl SettingsUpdate {
    /// Checks every field that is set; an update that sets nothing is refused too.
    pub fn validate(&self) -> Result<(), SettingsError> {
        if *self == SettingsUpdate::default() {
            return Err(invalid("settings", "nothing to change"));
        }
        if let Some(url) = &self.booking_url {
            let parsed = url::Url::parse(url).map_err(|e| invalid("booking_url", e.to_string()))?;
            if !matches!(parsed.scheme(), "http" | "https") || url.len() > MAX_TEXT {
                return Err(invalid("booking_url", "expected an http(s) URL"));
            }
        }
        if let Some(email) = &self.owner_email {
            let ok = email.len() <= MAX_TEXT
                && !email.chars().any(char::is_whitespace)
                && email
                    .split_once('@')
                    .is_some_and(|(user, host)| !user.is_empty() && host.contains('.'));
            if !ok {
                return Err(invalid("owner_email", "expected an e-mail address"));
            }
        }
        if let Some(hours) = &self.business_hours {
            if let Some((day, _)) = hours
                .week()
                .into_iter()
                .find(|(_, open)| open.is_some_and(|h| h.open >= h.close))
            {
                return Err(invalid(
                    "business_hours",
                    format!("{day}: opening time must be before closing time"),
                ));
            }
        }
        if let Some(area) = &self.service_area {
            area.validate()
                .map_err(|e| invalid("service_area", e.to_string()))?;
            if area.radius_miles.is_some() && area.base.is_none() {
                // The engine keeps a pack's radius until a base is set; an owner who
                // sets a radius says where it is measured from.
                return Err(invalid(
                    "service_area",
                    "radius_miles needs a base (a ZIP or \"City, ST\") to measure from",
                ));
            }
        }
        Ok(())
    }

    /// The update as an audit detail (none of the fields is secret).
    pub fn audit_detail(&self) -> Result<serde_json::Value, SettingsError> {
        let (config, phone, tenant) = self.changes()?;
        Ok(serde_json::json!({
            "config": config.map(|c| c.fields()),
            "phone": phone.map(|p| p.fields()),
            "tenant": tenant.map(|t| t.time_zone),
        }))
    }

    fn changes(&self) -> Result<Changes, SettingsError> {
        let config = ConfigChanges {
            service_area: to_json("service_area", self.service_area.as_ref())?,
            business_hours: to_json("business_hours", self.business_hours.as_ref())?,
            booking_url: self.booking_url.clone(),
            owner_phone: self.owner_phone.as_ref().map(|p| p.as_str().to_owned()),
            owner_email: self.owner_email.clone(),
            suspended_call_behavior: self.suspended_call_behavior.map(|b| b.as_str().to_owned()),
            updated_at: Utc::now(),
        };
        let (sip_uri, forward_to) = match &self.forward {
            Some(ForwardTarget::Sip(uri)) => (Some(Some(uri.clone())), Some(None)),
            Some(ForwardTarget::Number(n)) => (Some(None), Some(Some(n.as_str().to_owned()))),
            None => (None, None),
        };
        let phone = PhoneChanges {
            ivr_mode: self.ivr_mode,
            sip_uri,
            forward_to,
            record_calls: self.record_calls,
            voice_audio: self.voice_audio,
            updated_at: Utc::now(),
        };
        let tenant = self.time_zone.map(|tz| TenantChanges {
            time_zone: tz.name().to_owned(),
            updated_at: Utc::now(),
        });
        Ok((
            config.any().then_some(config),
            phone.any().then_some(phone),
            tenant,
        ))
    }
}

/// The columns to set in each table, when any.
type Changes = (
    Option<ConfigChanges>,
    Option<PhoneChanges>,
    Option<TenantChanges>,
);

#[derive(Debug, AsChangeset)]
#[diesel(table_name = tenants)]
struct TenantChanges {
    time_zone: String,
    updated_at: DateTime<Utc>,
}

/// A JSON-valued setting as stored.
fn to_json<T: serde::Serialize>(
    field: &'static str,
    value: Option<&T>,
) -> Result<Option<serde_json::Value>, SettingsError> {
    value
        .map(serde_json::to_value)
        .transpose()
        .map_err(|e| invalid(field, e.to_string()))
}

#[derive(Debug, AsChangeset)]
#[diesel(table_name = tenant_config)]
struct ConfigChanges {
    service_area: Option<serde_json::Value>,
    business_hours: Option<serde_json::Value>,
    booking_url: Option<String>,
    owner_phone: Option<String>,
    owner_email: Option<String>,
    suspended_call_behavior: Option<String>,
    updated_at: DateTime<Utc>,
}

impl ConfigChanges {
    fn any(&self) -> bool {
        self.service_area.is_some()
            || self.business_hours.is_some()
            || self.booking_url.is_some()
            || self.owner_phone.is_some()
            || self.owner_email.is_some()
            || self.suspended_call_behavior.is_some()
    }

    fn fields(&self) -> serde_json::Value {
        serde_json::json!({
            "service_area": self.service_area, "business_hours": self.business_hours,
            "booking_url": self.booking_url, "owner_phone": self.owner_phone,
            "owner_email": self.owner_email,
            "suspended_call_behavior": self.suspended_call_behavior,
        })
    }
}

#[derive(Debug, AsChangeset)]
#[diesel(table_name = tenant_phone_config)]
struct PhoneChanges {
    ivr_mode: Option<IvrMode>,
    sip_uri: Option<Option<String>>,
    forward_to: Option<Option<String>>,
    record_calls: Option<bool>,
    voice_audio: Option<VoiceAudio>,
    updated_at: DateTime<Utc>,
}

impl PhoneChanges {
    fn any(&self) -> bool {
        self.ivr_mode.is_some()
            || self.sip_uri.is_some()
            || self.forward_to.is_some()
            || self.record_calls.is_some()
            || self.voice_audio.is_some()
    }

    fn fields(&self) -> serde_json::Value {
        serde_json::json!({
            "ivr_mode": self.ivr_mode, "sip_uri": self.sip_uri,
            "forward_to": self.forward_to, "record_calls": self.record_calls,
            "voice_audio": self.voice_audio,
        })
    }
}

/// A validated update, ready to be written: the columns to set per table.
#[derive(Debug)]
pub(super) struct Prepared(Changes);

impl SettingsUpdate {
    /// Validates the update and prepares its statements.
    pub(super) fn prepare(&self) -> Result<Prepared, SettingsError> {
        self.validate()?;
        Ok(Prepared(self.changes()?))
    }
}

/// Writes a prepared update for `tenant` on `conn`, inside the caller's transaction
/// (tenant-scoped or root). Every number of the tenant gets the phone settings.
pub(super) async fn write(
    conn: &mut AsyncPgConnection,
    tenant: &TenantId,
    update: Prepared,
) -> Result<(), DbError> {
    let Prepared((config, phone, tenant_row)) = update;
    if let Some(changes) = tenant_row {
        let n = diesel::update(tenants::table)
            .filter(tenants::id.eq(tenant.as_str()))
            .set(&changes)
            .execute(conn)
            .await?;
        super::changes::found(n)?;
    }
    if let Some(config) = config {
        let n = diesel::update(tenant_config::table)
            .filter(tenant_config::tenant_id.eq(tenant.as_str()))
            .set(&config)
            .execute(conn)
            .await?;
        super::changes::found(n)?;
    }
    if let Some(phone) = phone {
        let n = diesel::update(tenant_phone_config::table)
            .filter(tenant_phone_config::tenant_id.eq(tenant.as_str()))
            .set(&phone)
            .execute(conn)
            .await?;
        if n == 0 {
            return Err(DbError::Invalid(servicepro_schema::error::cause_of(
                NoNumberYet,
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_update_is_refused() {
        assert_eq!(
            SettingsUpdate::default().validate().map_err(|e| e.field),
            Err("settings")
        );
    }

    #[test]
    fn fields_are_validated() {
        let bad_url = SettingsUpdate {
            booking_url: Some("ftp://book.example".to_owned()),
            ..SettingsUpdate::default()
        };
        assert_eq!(bad_url.validate().map_err(|e| e.field), Err("booking_url"));
        let bad_email = SettingsUpdate {
            owner_email: Some("jody at example.com".to_owned()),
            ..SettingsUpdate::default()
        };
        assert_eq!(
            bad_email.validate().map_err(|e| e.field),
            Err("owner_email")
        );
        let bad_zip = SettingsUpdate {
            service_area: Some(ServiceArea {
                cities: vec!["Tulsa".to_owned()],
                zips: vec!["7410".to_owned()],
                ..ServiceArea::default()
            }),
            ..SettingsUpdate::default()
        };
        assert_eq!(bad_zip.validate().map_err(|e| e.field), Err("service_area"));
        let hours: BusinessHours =
            serde_json::from_value(serde_json::json!({"mon": {"open": "18:00", "close": "08:00"}}))
                .unwrap();
        let bad_hours = SettingsUpdate {
            business_hours: Some(hours),
            ..SettingsUpdate::default()
        };
        assert_eq!(
            bad_hours.validate().map_err(|e| e.field),
            Err("business_hours")
        );
        let good = SettingsUpdate {
            booking_url: Some("https://book.example/acme".to_owned()),
            owner_email: Some("jody@example.com".to_owned()),
            ivr_mode: Some(IvrMode::Simple),
            ..SettingsUpdate::default()
        };
        assert_eq!(good.validate(), Ok(()));
    }

    #[test]
    fn a_forward_target_sets_one_column_and_clears_the_other() {
        let update = SettingsUpdate {
            forward: Some(ForwardTarget::Number(E164::parse("+19185550199").unwrap())),
            ..SettingsUpdate::default()
        };
        let (config, phone, _) = update.changes().unwrap();
        assert!(config.is_none());
        let phone = phone.unwrap();
        assert_eq!(phone.sip_uri, Some(None));
        assert_eq!(phone.forward_to, Some(Some("+19185550199".to_owned())));
    }
}
