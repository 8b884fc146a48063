//! Self-serve signup: a business signs itself up for a 14-day trial. The rules of
//! its fields (e-mail, area code, lengths), the tenant id made from the business
//! name, the owner's password hash, and the creation itself — through the same
//! [`super::admin`] insert as the root admin's, in one audited transaction with the
//! owner's account, the first API key and (for tiers with a platform number) the
//! provisioning intent. The number is then bought at once if Twilio can; if not,
//! the tenant exists anyway and the retry job keeps trying.

use super::admin::{insert_tenant, TRIAL_DAYS};
use crate::provisioning::{includes_number, ProvisionError, Provisioner};
use argon2::password_hash::{PasswordHasher, SaltString};
use chrono::{DateTime, Duration, Utc};
use diesel::ExpressionMethods;
use diesel_async::RunQueryDsl;
use rand::RngCore;
use servicepro_schema::models::{IssuedApiKey, NewTenant};
use servicepro_schema::root_db::AuditEntry;
use servicepro_schema::schema::{api_keys, number_provisioning, tenant_owners};
use servicepro_schema::{DbError, PlanTier, RootDb, SecretString, TenantId, TenantStatus, E164};

/// Longest owner name, business name or city accepted.
pub const MAX_NAME: usize = 200;
/// Longest e-mail address accepted (RFC 5321's path limit).
pub const MAX_EMAIL: usize = 254;
/// Shortest password accepted.
pub const MIN_PASSWORD: usize = 8;
/// Longest password accepted (hashing cost is bounded).
pub const MAX_PASSWORD: usize = 256;
/// Longest tenant id made from a business name (room for a suffix and for the
/// `sp:` tag Twilio's 64-character FriendlyName must hold).
const MAX_SLUG: usize = 40;
/// Tenant ids tried before giving up (the name's slug, then random suffixes).
const ID_TRIES: usize = 5;
/// The unique index that makes an e-mail address one account.
const EMAIL_INDEX: &str = "tenant_owners_email_key";

/// An e-mail address, checked for shape (one `@`, a dotted domain, no spaces).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    /// Checks `raw`; the address is kept as given (uniqueness ignores case).
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let raw = raw.trim();
        let (user, host) = raw
            .rsplit_once('@')
            .ok_or("expected an e-mail address like jody@example.com")?;
        let host_ok = host.contains('.')
            && !host.starts_with('.')
            && !host.ends_with('.')
            && !host.contains("..")
            && host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
        let ok = raw.len() <= MAX_EMAIL
            && !user.is_empty()
            && !user.contains('@')
            && !raw.chars().any(|c| c.is_whitespace() || c.is_control())
            && host_ok;
        if ok {
            Ok(Email(raw.to_owned()))
        } else {
            Err("expected an e-mail address like jody@example.com")
        }
    }

    /// The address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A North American area code (NXX: three digits, the first 2–9).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AreaCode(String);

impl AreaCode {
    /// Checks `raw`.
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let b = raw.trim().as_bytes();
        if b.len() == 3 && (b'2'..=b'9').contains(&b[0]) && b.iter().all(u8::is_ascii_digit) {
            Ok(AreaCode(raw.trim().to_owned()))
        } else {
            Err("expected a three-digit area code whose first digit is 2-9, e.g. 918")
        }
    }

    /// The three digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A name-like field: trimmed, 1 to [`MAX_NAME`] characters, no control characters.
pub fn parse_name(raw: &str) -> Result<String, &'static str> {
    let trimmed = raw.trim();
    if trimmed.is_empty() || trimmed.chars().count() > MAX_NAME {
        return Err("must be 1 to 200 characters");
    }
    if trimmed.chars().any(char::is_control) {
        return Err("must not contain control characters");
    }
    Ok(trimmed.to_owned())
}

/// A password: [`MIN_PASSWORD`] to [`MAX_PASSWORD`] characters.
pub fn parse_password(raw: &str) -> Result<SecretString, &'static str> {
    let n = raw.chars().count();
    if (MIN_PASSWORD..=MAX_PASSWORD).contains(&n) {
        Ok(SecretString::from(raw.to_owned()))
    } else {
        Err("must be 8 to 256 characters")
    }
}

/// A validated signup.
#[derive(Debug, Clone)]
pub struct Signup {
    /// The owner's name.
    pub owner_name: String,
    /// The owner's e-mail address (one account per address).
    pub email: Email,
    /// The business name (the tenant id is made from it).
    pub business_name: String,
    /// One of the industry packs.
    pub industry: String,
    /// Where the business is.
    pub city: String,
    /// Where its number should be.
    pub area_code: AreaCode,
    /// The plan tried (default pro).
    pub plan_tier: PlanTier,
    /// A password for signing in later (stored as an argon2id hash).
    pub password: Option<SecretString>,
}

/// Where the new tenant's number stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Provisioning {
    /// The number is attached (or none is part of the plan).
    Done,
    /// Not yet: the retry job keeps trying.
    Pending,
}

/// A tenant just signed up.
#[derive(Debug)]
pub struct SignedUp {
    /// Its id.
    pub tenant: TenantId,
    /// Its first API key, shown once.
    pub api_key: SecretString,
    /// Its plan.
    pub plan_tier: PlanTier,
    /// When the trial ends.
    pub trial_ends_at: DateTime<Utc>,
    /// Its number, when attached.
    pub phone_number: Option<E164>,
    /// Where the number stands.
    pub provisioning: Provisioning,
    /// What the owner is told about the number, when something is not done.
    pub message: Option<&'static str>,
}

/// Why a signup was refused.
#[derive(Debug, thiserror::Error)]
pub enum SignupError {
    /// An account with this e-mail address exists.
    #[error("an account with this e-mail address already exists")]
    EmailTaken,
    /// The password could not be hashed.
    #[error("password could not be hashed: {0}")]
    Password(String),
    /// The industry has no pack.
    #[error(transparent)]
    Pack(#[from] crate::packs::PackError),
    /// The database failed.
    #[error(transparent)]
    Db(#[from] DbError),
}

/// The tenant id made from a business name: lower-case letters and digits, other
/// runs as one `-`, at most [`MAX_SLUG`] characters; `tenant` if nothing is left.
pub fn slug(business_name: &str) -> String {
    let mut out = String::new();
    for c in business_name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.truncate(MAX_SLUG);
    let trimmed = out.trim_end_matches('-');
    if trimmed.len() < 2 || trimmed == TenantId::ROOT {
        "tenant".to_owned()
    } else {
        trimmed.to_owned()
    }
}

fn with_suffix(base: &str) -> String {
    format!("{base}-{:04x}", rand::rng().next_u32() & 0xffff)
}

/// The argon2id hash (PHC string) of `password`, computed off the async threads.
pub(crate) async fn hash_password(password: SecretString) -> Result<String, SignupError> {
    let work = move || {
        let mut salt = [0u8; 16];
        rand::rng().fill_bytes(&mut salt);
        let salt =
            SaltString::encode_b64(&salt).map_err(|e| SignupError::Password(e.to_string()))?;
        argon2::Argon2::default()
            .hash_password(password.expose_secret().as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| SignupError::Password(e.to_string()))
    };
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| SignupError::Password(e.to_string()))?
}

/// Whether `password` matches the stored argon2id `hash` (for signing in).
pub fn verify_password(password: &str, hash: &str) -> bool {
    use argon2::password_hash::{PasswordHash, PasswordVerifier};
    PasswordHash::new(hash).is_ok_and(|parsed| {
        argon2::Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// Creates the tenant, trialing for [`TRIAL_DAYS`] from `now`, then tries to attach
/// its number (pro and elite).
pub async fn sign_up(
    root: &RootDb,
    provisioner: &Provisioner,
    req: Signup,
    now: DateTime<Utc>,
) -> Result<SignedUp, SignupError> {
    let pack = crate::packs::pack(&req.industry)?;
    let password_hash = match req.password.clone() {
        Some(p) => Some(hash_password(p).await?),
        None => None,
    };
    let trial_ends_at = now + Duration::days(TRIAL_DAYS);
    let base = slug(&req.business_name);
    let mut candidate = base.clone();
    let mut tries = 0;
    let (tenant, api_key) = loop {
        tries += 1;
        let id = TenantId::parse(&candidate)
            .map_err(|e| DbError::Invalid(servicepro_schema::error::cause_of(e)))?;
        match insert(root, &req, &id, password_hash.clone(), trial_ends_at, pack).await {
            Ok(key) => break (id, key),
            Err(DbError::Conflict { constraint, .. }) if constraint == EMAIL_INDEX => {
                return Err(SignupError::EmailTaken)
            }
            Err(DbError::Conflict { constraint, .. })
                if constraint == "tenants_pkey" && tries < ID_TRIES =>
            {
                candidate = with_suffix(&base);
            }
            Err(e) => return Err(e.into()),
        }
    };
    tracing::info!(tenant_id = %tenant, plan_tier = %req.plan_tier, "tenant signed up");
    let (phone_number, provisioning, message) = if includes_number(req.plan_tier) {
        match provisioner.ensure_number(&tenant).await {
            Ok(number) => (Some(number), Provisioning::Done, None),
            Err(e) => (None, Provisioning::Pending, Some(e.owner_message())),
        }
    } else {
        let note = ProvisionError::NotIncluded(req.plan_tier).owner_message();
        (None, Provisioning::Done, Some(note))
    };
    Ok(SignedUp {
        tenant,
        api_key,
        plan_tier: req.plan_tier,
        trial_ends_at,
        phone_number,
        provisioning,
        message,
    })
}

/// The signup's one transaction: tenant (seeded), owner, first key, provisioning intent.
async fn insert(
    root: &RootDb,
    req: &Signup,
    id: &TenantId,
    password_hash: Option<String>,
    trial_ends_at: DateTime<Utc>,
    pack: &'static crate::packs::IndustryPack,
) -> Result<SecretString, DbError> {
    let tenant = NewTenant {
        id: id.clone(),
        name: req.business_name.clone(),
        industry: req.industry.clone(),
        plan_tier: req.plan_tier,
        status: TenantStatus::Trialing,
        trial_ends_at: Some(trial_ends_at),
        time_zone: pack.defaults.time_zone.name().to_owned(),
    };
    let issued = IssuedApiKey::generate(id, "default");
    let key_row = issued.row.clone();
    let owner = (
        tenant_owners::tenant_id.eq(id.as_str().to_owned()),
        tenant_owners::owner_name.eq(req.owner_name.clone()),
        tenant_owners::email.eq(req.email.as_str().to_owned()),
        tenant_owners::password_hash.eq(password_hash),
        tenant_owners::city.eq(req.city.clone()),
        tenant_owners::area_code.eq(req.area_code.as_str().to_owned()),
    );
    // The signup tries at once itself; the retry job steps in only if that try
    // never reports back (its lease's length later).
    let first_retry = Utc::now() + Duration::seconds(i64::from(crate::provisioning::LEASE_SECS));
    let provision = includes_number(req.plan_tier).then(|| {
        (
            number_provisioning::tenant_id.eq(id.as_str().to_owned()),
            number_provisioning::area_code.eq(req.area_code.as_str().to_owned()),
            number_provisioning::next_attempt_at.eq(first_retry),
        )
    });
    let mut audit = AuditEntry::new("signup", "tenant.signup", Some(id));
    audit.detail = serde_json::json!({
        "plan_tier": req.plan_tier, "industry": req.industry, "area_code": req.area_code.as_str(),
    });
    let tid = id.as_str().to_owned();
    root.transaction(audit, move |tx| {
        Box::pin(async move {
            insert_tenant(tx, tenant, None, pack).await?;
            diesel::insert_into(tenant_owners::table)
                .values(owner)
                .execute(tx.conn())
                .await?;
            diesel::insert_into(api_keys::table)
                .values((api_keys::tenant_id.eq(tid), key_row))
                .execute(tx.conn())
                .await?;
            if let Some(row) = provision {
                diesel::insert_into(number_provisioning::table)
                    .values(row)
                    .execute(tx.conn())
                    .await?;
            }
            Ok(())
        })
    })
    .await?;
    Ok(issued.plaintext)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_valid_tenant_ids() {
        assert_eq!(slug("Jody's Lawn & Garden, LLC"), "jody-s-lawn-garden-llc");
        assert_eq!(slug("  ÉCLAT  "), "clat");
        assert_eq!(slug("!!"), "tenant");
        assert_eq!(slug("Root"), "tenant");
        let long = slug(&"a".repeat(100));
        assert_eq!(long.len(), MAX_SLUG);
        for name in ["Jody's Lawn", "9 Lives Pest Control", "a-", "---x---y"] {
            let s = slug(name);
            assert!(TenantId::parse(&s).is_ok(), "{name} -> {s}");
            assert!(TenantId::parse(&with_suffix(&s)).is_ok());
        }
    }

    #[test]
    fn emails_and_area_codes() {
        assert!(Email::parse("jody@example.com").is_ok());
        assert!(Email::parse("Jody.Smith+x@mail.example.co").is_ok());
        for bad in [
            "jody",
            "jody@",
            "@example.com",
            "jody@example",
            "jo dy@example.com",
            "a@b@c.com",
            "jody@.com",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
        assert!(AreaCode::parse("918").is_ok());
        for bad in ["018", "118", "91", "9180", "9a8", ""] {
            assert!(AreaCode::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn password_hashes_verify() {
        let salt = SaltString::encode_b64(&[7u8; 16]).unwrap();
        let hash = argon2::Argon2::default()
            .hash_password(b"correct horse", &salt)
            .unwrap()
            .to_string();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse", &hash));
        assert!(!verify_password("wrong horse", &hash));
        assert!(!verify_password("correct horse", "not a hash"));
    }
}
