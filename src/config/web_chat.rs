//! The web chat's limits (`POST /api/agent/messages`): requests per client IP and
//! per visitor, new visitors per tenant per hour, how long a texted code lives and
//! how long an anonymous visitor is kept. Read with the rest of [`Config`]
//! (`super::Config`), each value checked once.

use super::{ConfigError, Source};
use std::num::NonZeroU32;
use std::time::Duration;

/// Default chat requests per minute from one client IP.
pub const DEFAULT_PER_IP_PER_MINUTE: u32 = 60;
/// Default chat requests per minute from one visitor.
pub const DEFAULT_PER_VISITOR_PER_MINUTE: u32 = 20;
/// Default new visitors a tenant accepts per hour.
pub const DEFAULT_NEW_VISITORS_PER_HOUR: u32 = 500;
/// Default life of a texted code, in seconds (10 minutes).
pub const DEFAULT_CODE_TTL_SECS: u32 = 10 * 60;
/// Default days an anonymous visitor who never booked is kept after their last message.
pub const DEFAULT_VISITOR_RETENTION_DAYS: u32 = 30;

/// The web chat's limits.
#[derive(Debug, Clone)]
pub struct WebChatConfig {
    /// Requests per minute from one client IP (`SERVICEPRO_CHAT_PER_IP_PER_MINUTE`).
    pub per_ip_per_minute: NonZeroU32,
    /// Requests per minute from one visitor (`SERVICEPRO_CHAT_PER_VISITOR_PER_MINUTE`).
    pub per_visitor_per_minute: NonZeroU32,
    /// New visitors a tenant accepts per hour (`SERVICEPRO_CHAT_NEW_VISITORS_PER_HOUR`).
    pub new_visitors_per_hour: u32,
    /// Life of a texted code (`SERVICEPRO_CHAT_CODE_TTL_SECS`).
    pub code_ttl: Duration,
    /// How long an anonymous visitor is kept (`SERVICEPRO_CHAT_VISITOR_RETENTION_DAYS`).
    pub visitor_retention: Duration,
}

fn positive(src: &Source, key: &'static str, default: u32) -> Result<NonZeroU32, ConfigError> {
    let Some(raw) = src.get(key) else {
        return NonZeroU32::new(default)
            .ok_or_else(|| super::invalid(key, "the default must be positive"));
    };
    raw.parse::<NonZeroU32>()
        .map_err(|_| super::invalid(key, format!("expected a positive integer, got {raw}")))
}

impl WebChatConfig {
    /// Reads and checks the web chat's variables.
    pub(super) fn read(src: &Source) -> Result<Self, ConfigError> {
        let ttl = positive(src, "SERVICEPRO_CHAT_CODE_TTL_SECS", DEFAULT_CODE_TTL_SECS)?;
        let retention_days = positive(
            src,
            "SERVICEPRO_CHAT_VISITOR_RETENTION_DAYS",
            DEFAULT_VISITOR_RETENTION_DAYS,
        )?;
        Ok(WebChatConfig {
            per_ip_per_minute: positive(
                src,
                "SERVICEPRO_CHAT_PER_IP_PER_MINUTE",
                DEFAULT_PER_IP_PER_MINUTE,
            )?,
            per_visitor_per_minute: positive(
                src,
                "SERVICEPRO_CHAT_PER_VISITOR_PER_MINUTE",
                DEFAULT_PER_VISITOR_PER_MINUTE,
            )?,
            new_visitors_per_hour: positive(
                src,
                "SERVICEPRO_CHAT_NEW_VISITORS_PER_HOUR",
                DEFAULT_NEW_VISITORS_PER_HOUR,
            )?
            .get(),
            code_ttl: Duration::from_secs(u64::from(ttl.get())),
            visitor_retention: Duration::from_secs(u64::from(retention_days.get()) * 86_400),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::Config;
    use super::*;

    #[test]
    fn defaults_overrides_and_bad_values() {
        let config = |pairs: &[(&str, &str)]| {
            Config::from_map(
                pairs
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
            )
        };
        let chat = config(&[]).unwrap().web_chat;
        assert_eq!(chat.per_ip_per_minute.get(), DEFAULT_PER_IP_PER_MINUTE);
        assert_eq!(chat.code_ttl, Duration::from_secs(600));
        assert_eq!(chat.visitor_retention, Duration::from_secs(30 * 86_400));
        let tuned = config(&[
            ("SERVICEPRO_CHAT_PER_VISITOR_PER_MINUTE", "3"),
            ("SERVICEPRO_CHAT_NEW_VISITORS_PER_HOUR", "7"),
            ("SERVICEPRO_CHAT_CODE_TTL_SECS", "120"),
            ("SERVICEPRO_CHAT_VISITOR_RETENTION_DAYS", "2"),
        ])
        .unwrap()
        .web_chat;
        assert_eq!(tuned.per_visitor_per_minute.get(), 3);
        assert_eq!(tuned.new_visitors_per_hour, 7);
        assert_eq!(tuned.code_ttl, Duration::from_secs(120));
        assert_eq!(tuned.visitor_retention, Duration::from_secs(2 * 86_400));
        for variable in [
            "SERVICEPRO_CHAT_PER_IP_PER_MINUTE",
            "SERVICEPRO_CHAT_NEW_VISITORS_PER_HOUR",
            "SERVICEPRO_CHAT_CODE_TTL_SECS",
        ] {
            assert_eq!(config(&[(variable, "0")]).unwrap_err().variable, variable);
        }
    }
}
