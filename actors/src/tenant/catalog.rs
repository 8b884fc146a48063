//! The owner's changes to what the tenant sells and what it texts: add, edit
//! or remove a service (name, price, duration) and reword an automated text.
//! One entry point, [`change_catalog`], for the owner's web app and the API.
//!
//! Rules, each here once: a service name is 1–80 characters and unique among
//! the tenant's services; a price is $0–$100,000 (typed as `45`, `45.50` or
//! `$1,200`); a duration is 5–1,440 minutes. A template must meet the rules the
//! built-in packs meet ([`packs::check_sms_template`]: only the placeholders
//! the product fills for that text, the ones it needs, STOP/START where
//! carriers ask, plain text, two segments at most).
//!
//! The status policy is asked first, in the same transaction
//! (`policy::check(status, Action::DashboardWrite)`): a suspended or cancelled
//! tenant changes nothing, from the page or the API.
//!
//! Writes go through the tenant's [`TenantDb`] (its row-level scope). No
//! message to the `TenantActor` is needed: the `services` and `sms_templates`
//! triggers move the tenant's version, so every cache sees the change on its
//! next read. A service is removed by marking it inactive: past appointments
//! still name it, and adding the name again brings it back.

use diesel::{ExpressionMethods, OptionalExtension, QueryDsl};
use diesel_async::RunQueryDsl;
use servicepro_schema::models::NewSmsTemplate;
use servicepro_schema::policy::{self, Action, Refused};
use servicepro_schema::schema::{services, sms_templates, tenants};
use servicepro_schema::{DbError, TenantDb, TenantStatus};

use crate::packs::{self, SmsTemplateKey};

/// Longest service name.
const MAX_NAME: usize = 80;
/// Highest price, in cents ($100,000).
const MAX_PRICE_CENTS: i64 = 10_000_000;
/// Shortest and longest job, in minutes.
const MINUTES: std::ops::RangeInclusive<i64> = 5..=1440;

/// A service's fields, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceDraft {
    name: String,
    price_cents: i32,
    duration_minutes: i32,
}

impl ServiceDraft {
    /// A service from numbers (the API's JSON).
    pub fn new(name: &str, price_cents: i64, duration_minutes: i64) -> Result<Self, CatalogError> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > MAX_NAME {
            return Err(CatalogError::invalid(
                Field::Name,
                format!("a name of 1 to {MAX_NAME} characters"),
            ));
        }
        if !(0..=MAX_PRICE_CENTS).contains(&price_cents) {
            return Err(CatalogError::invalid(
                Field::Price,
                "a price from $0 to $100,000",
            ));
        }
        if !MINUTES.contains(&duration_minutes) {
            return Err(CatalogError::invalid(
                Field::Minutes,
                format!(
                    "a whole number of minutes from {} to {}",
                    MINUTES.start(),
                    MINUTES.end()
                ),
            ));
        }
        Ok(Self {
            name: name.to_owned(),
            // Both are in range, checked above.
            price_cents: i32::try_from(price_cents)
                .map_err(|_| CatalogError::invalid(Field::Price, "a price from $0 to $100,000"))?,
            duration_minutes: i32::try_from(duration_minutes)
                .map_err(|_| CatalogError::invalid(Field::Minutes, "a whole number of minutes"))?,
        })
    }

    /// A service from what a person typed: a price such as `45`, `45.50` or
    /// `$1,200`, and whole minutes.
    pub fn from_text(name: &str, price: &str, minutes: &str) -> Result<Self, CatalogError> {
        let cents = parse_price(price)?;
        let minutes: i64 = minutes.trim().parse().map_err(|_| {
            CatalogError::invalid(Field::Minutes, "a whole number of minutes, e.g. 90")
        })?;
        Self::new(name, cents, minutes)
    }

    /// The name, trimmed.
    pub fn name(&self) -> &str {
        &self.name
    }
}

/// Dollars as typed (`45`, `45.5`, `45.50`, `$1,200.00`) to cents.
fn parse_price(raw: &str) -> Result<i64, CatalogError> {
    let refused = || CatalogError::invalid(Field::Price, "an amount in dollars, e.g. 45 or 45.50");
    let cleaned: String = raw
        .trim()
        .trim_start_matches('$')
        .chars()
        .filter(|c| *c != ',')
        .collect();
    let (whole, frac) = cleaned.split_once('.').unwrap_or((&cleaned, ""));
    let digits = |s: &str| !s.is_empty() && s.len() <= 9 && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || !(frac.is_empty() || (frac.len() <= 2 && digits(frac))) {
        return Err(refused());
    }
    let dollars: i64 = whole.parse().map_err(|_| refused())?;
    let cents: i64 = match frac.len() {
        0 => 0,
        1 => frac.parse::<i64>().map_err(|_| refused())? * 10,
        _ => frac.parse().map_err(|_| refused())?,
    };
    Ok(dollars * 100 + cents)
}

/// One change the owner makes.
#[derive(Debug, Clone)]
pub enum CatalogChange {
    /// A new service (or a removed one with this name, back with these values).
    AddService(ServiceDraft),
    /// New values for the tenant's service `id`.
    EditService(i64, ServiceDraft),
    /// The tenant's service `id` is no longer offered.
    RemoveService(i64),
    /// The tenant's wording for one automated text.
    SetTemplate(SmsTemplateKey, String),
}

/// The field a refusal is about, as the forms and the API name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// The service's name.
    Name,
    /// The service's price.
    Price,
    /// The service's duration.
    Minutes,
    /// The text of the template for this key.
    Template(SmsTemplateKey),
}

impl Field {
    /// The field's name: `name`, `price`, `duration_minutes`, or the template's key.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::Price => "price",
            Self::Minutes => "duration_minutes",
            Self::Template(key) => key.as_str(),
        }
    }
}

/// Why a change was refused.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    /// A field breaks its rule; the reason starts with the field's name.
    #[error("{reason}")]
    Invalid {
        /// Which field.
        field: Field,
        /// What it must be.
        reason: String,
    },
    /// Another of the tenant's services has this name.
    #[error("name: another service is already called {0:?}")]
    NameTaken(String),
    /// The tenant has no such service (another tenant's id included).
    #[error("no such service")]
    NotFound,
    /// The status policy refuses changes now (suspended, cancelled).
    #[error(transparent)]
    Refused(#[from] Refused),
    /// The database failed.
    #[error(transparent)]
    Db(#[from] DbError),
}

impl CatalogError {
    /// `field` refused: "`field`: `reason`".
    fn invalid(field: Field, reason: impl Into<String>) -> Self {
        Self::Invalid {
            field,
            reason: format!("{}: {}", field.as_str(), reason.into()),
        }
    }
}

/// What a write found, decided inside its transaction.
enum Found {
    /// Written: the row's id.
    Done(i64),
    NameTaken,
    Missing,
    Refused(Refused),
}

/// Applies `change` to `db`'s tenant; the id of the service or template row
/// written.
pub async fn change_catalog(db: &TenantDb, change: CatalogChange) -> Result<i64, CatalogError> {
    let name = match &change {
        CatalogChange::AddService(d) | CatalogChange::EditService(_, d) => d.name.clone(),
        CatalogChange::RemoveService(_) => String::new(),
        CatalogChange::SetTemplate(key, body) => {
            let problems = packs::check_sms_template(*key, body);
            if !problems.is_empty() {
                // Each problem already names the template ("sms_templates.reminder: …").
                let reasons: Vec<String> = problems.iter().map(ToString::to_string).collect();
                return Err(CatalogError::Invalid {
                    field: Field::Template(*key),
                    reason: reasons.join("; "),
                });
            }
            String::new()
        }
    };
    let found = db
        .transaction(move |tx| {
            Box::pin(async move {
                let status: TenantStatus = tx
                    .scope(tenants::table)
                    .select(tenants::status)
                    .first(tx.conn())
                    .await?;
                if let Err(refused) = policy::check(status, Action::DashboardWrite) {
                    return Ok(Found::Refused(refused));
                }
                match change {
                    CatalogChange::AddService(d) => {
                        let existing: Option<(i64, bool)> = tx
                            .scope(services::table)
                            .filter(services::name.eq(&d.name))
                            .select((services::id, services::active))
                            .first(tx.conn())
                            .await
                            .optional()?;
                        let id = match existing {
                            Some((_, true)) => return Ok(Found::NameTaken),
                            Some((id, false)) => {
                                diesel::update(
                                    tx.scope(services::table).filter(services::id.eq(id)),
                                )
                                .set((
                                    services::price_cents.eq(d.price_cents),
                                    services::duration_minutes.eq(d.duration_minutes),
                                    services::active.eq(true),
                                ))
                                .execute(tx.conn())
                                .await?;
                                id
                            }
                            None => {
                                tx.insert(
                                    services::table,
                                    (
                                        services::name.eq(&d.name),
                                        services::price_cents.eq(d.price_cents),
                                        services::duration_minutes.eq(d.duration_minutes),
                                    ),
                                )
                                .returning(services::id)
                                .get_result(tx.conn())
                                .await?
                            }
                        };
                        Ok(Found::Done(id))
                    }
                    CatalogChange::EditService(id, d) => {
                        let other: Option<i64> = tx
                            .scope(services::table)
                            .filter(services::name.eq(&d.name))
                            .filter(services::id.ne(id))
                            .select(services::id)
                            .first(tx.conn())
                            .await
                            .optional()?;
                        if other.is_some() {
                            return Ok(Found::NameTaken);
                        }
                        let n = diesel::update(
                            tx.scope(services::table)
                                .filter(services::id.eq(id))
                                .filter(services::active.eq(true)),
                        )
                        .set((
                            services::name.eq(&d.name),
                            services::price_cents.eq(d.price_cents),
                            services::duration_minutes.eq(d.duration_minutes),
                        ))
                        .execute(tx.conn())
                        .await?;
                        Ok(if n == 1 {
                            Found::Done(id)
                        } else {
                            Found::Missing
                        })
                    }
                    CatalogChange::RemoveService(id) => {
                        let n = diesel::update(
                            tx.scope(services::table)
                                .filter(services::id.eq(id))
                                .filter(services::active.eq(true)),
                        )
                        .set(services::active.eq(false))
                        .execute(tx.conn())
                        .await?;
                        Ok(if n == 1 {
                            Found::Done(id)
                        } else {
                            Found::Missing
                        })
                    }
                    CatalogChange::SetTemplate(key, body) => {
                        let row = NewSmsTemplate {
                            template_key: key.as_str().to_owned(),
                            body,
                        };
                        let id: i64 = tx
                            .insert(sms_templates::table, &row)
                            .on_conflict((sms_templates::tenant_id, sms_templates::template_key))
                            .do_update()
                            .set((
                                sms_templates::body.eq(&row.body),
                                sms_templates::updated_at.eq(diesel::dsl::now),
                            ))
                            .returning(sms_templates::id)
                            .get_result(tx.conn())
                            .await?;
                        Ok(Found::Done(id))
                    }
                }
            })
        })
        .await
        .map_err(|e| match e {
            DbError::Conflict { .. } => CatalogError::NameTaken(name.clone()),
            e => CatalogError::Db(e),
        })?;
    match found {
        Found::Done(id) => Ok(id),
        Found::NameTaken => Err(CatalogError::NameTaken(name)),
        Found::Missing => Err(CatalogError::NotFound),
        Found::Refused(refused) => Err(CatalogError::Refused(refused)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_read_as_dollars() {
        assert_eq!(parse_price("45").ok(), Some(4500));
        assert_eq!(parse_price(" $1,200.5 ").ok(), Some(120_050));
        assert_eq!(parse_price("0.05").ok(), Some(5));
        for bad in ["", "-5", "12.345", "abc", "1e3", "$", "4.5.6"] {
            assert!(
                matches!(
                    parse_price(bad),
                    Err(CatalogError::Invalid {
                        field: Field::Price,
                        ..
                    })
                ),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn a_draft_names_the_field_it_refuses() {
        let field = |r: Result<ServiceDraft, CatalogError>| match r {
            Err(CatalogError::Invalid { field, .. }) => Some(field),
            _ => None,
        };
        assert_eq!(
            field(ServiceDraft::from_text(" ", "10", "60")),
            Some(Field::Name)
        );
        assert_eq!(
            field(ServiceDraft::from_text("Wash", "100001", "60")),
            Some(Field::Price)
        );
        assert_eq!(
            field(ServiceDraft::from_text("Wash", "10", "4")),
            Some(Field::Minutes)
        );
        assert_eq!(
            field(ServiceDraft::from_text("Wash", "10", "1h")),
            Some(Field::Minutes)
        );
        assert!(ServiceDraft::from_text(" Wash ", "10", "60").is_ok_and(|d| d.name() == "Wash"));
    }
}
