//! Typed configuration, read from the environment (and an optional
//! `KEY=value` file named by `SERVICEPRO_CONFIG`) and validated once at
//! start-up, so a bad value stops the server with a message naming the
//! variable instead of failing later on a call.

use servicepro_actors::brain::llm::{
    ChatClient, ChatError, DEFAULT_BASE_URL, DEFAULT_MODEL, DEFAULT_TIMEOUT,
};
use servicepro_actors::messaging::TwilioCredentials;
use servicepro_schema::{SecretString, VoiceAudio};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;
use url::Url;

pub mod billing;
pub mod edge;
pub mod recovery;
pub mod web_chat;
pub use billing::StripeConfig;
pub use edge::EdgeConfig;
pub use web_chat::WebChatConfig;
pub mod signup;
pub use signup::SignupConfig;

/// The default database on a developer machine.
pub const DEFAULT_DATABASE_URL: &str = "postgres://postgres@127.0.0.1:5432/servicepro";

/// Where call recordings go by default, relative to the working directory.
pub const DEFAULT_RECORDINGS_DIR: &str = "recordings";

/// A configuration value that cannot be used.
#[derive(Debug, thiserror::Error)]
#[error("{variable}: {reason}")]
pub struct ConfigError {
    /// The environment variable at fault.
    pub variable: &'static str,
    /// What is wrong with it.
    pub reason: String,
}

fn invalid(variable: &'static str, reason: impl Into<String>) -> ConfigError {
    ConfigError {
        variable,
        reason: reason.into(),
    }
}

/// Platform Twilio account.
#[derive(Debug, Clone)]
pub struct TwilioConfig {
    /// Account SID (`AC…`), when the platform account is configured.
    pub account_sid: Option<String>,
    /// Auth token: signs webhooks and authenticates REST calls.
    pub auth_token: Option<SecretString>,
    /// REST API base (a loopback fake in tests).
    pub api_base: Url,
}

impl TwilioConfig {
    /// The platform account's REST credentials, when both SID and token are set.
    pub fn platform_credentials(&self) -> Option<TwilioCredentials> {
        Some(TwilioCredentials {
            account_sid: self.account_sid.clone()?,
            auth_token: self.auth_token.clone()?,
        })
    }
}

/// OpenAI access for the AI voice and text brains.
#[derive(Debug, Clone)]
pub struct OpenAiConfig {
    /// API key; none means the offline brain.
    pub api_key: Option<SecretString>,
    /// Realtime websocket URL.
    pub realtime_url: Url,
    /// Chat Completions API base of the SMS/web-chat LLM brain (`OPENAI_BASE_URL`).
    pub chat_base_url: Url,
    /// The chat model (`OPENAI_CHAT_MODEL`).
    pub chat_model: String,
    /// Bound on one chat request (`OPENAI_CHAT_TIMEOUT_MS`).
    pub chat_timeout: Duration,
}

impl OpenAiConfig {
    /// The Chat Completions client of the LLM brain; `None` without an API key.
    pub fn chat_client(&self) -> Option<Result<ChatClient, ChatError>> {
        let key = self.api_key.clone()?;
        Some(
            ChatClient::new(self.chat_base_url.as_str(), key).map(|client| {
                client
                    .with_model(self.chat_model.clone())
                    .with_timeout(self.chat_timeout)
            }),
        )
    }
}

/// Everything the server needs to run.
#[derive(Debug, Clone)]
pub struct Config {
    /// PostgreSQL URL; `None` when unset (the default is tried, then an ephemeral cluster for `demo`).
    pub database_url: Option<String>,
    /// Listen address.
    pub bind: SocketAddr,
    /// The public URL Twilio and Stripe call: used for signatures and stream URLs.
    pub public_url: Url,
    /// Bearer token of the root admin; `None` turns the admin API off.
    pub root_token: Option<SecretString>,
    /// Key for secrets at rest and signed links.
    pub secret_key: SecretString,
    /// Whether the secret key was generated for this run (development only).
    pub secret_key_generated: bool,
    /// Platform Twilio.
    pub twilio: TwilioConfig,
    /// OpenAI.
    pub openai: OpenAiConfig,
    /// Stripe.
    pub stripe: StripeConfig,
    /// `production` refuses development conveniences.
    pub production: bool,
    /// Texts per second one sending number may carry (carrier pacing).
    pub sms_per_number_per_second: std::num::NonZeroU32,
    /// A tenant actor with no message for this long stops
    /// (`SERVICEPRO_TENANT_IDLE_STOP_SECS`, default 10 minutes).
    pub tenant_idle_stop: std::time::Duration,
    /// The AI receptionist's audio to the provider for new tenants: μ-law
    /// pass-through (`pcmu`, default) or PCM16 24 kHz transcoded by the media
    /// crate (`pcm16`).
    pub voice_audio: VoiceAudio,
    /// Where recordings of AI receptionist calls are written (tenants with
    /// `record_calls`), one file per call: `{dir}/{tenant_id}/{call_sid}.opus`.
    /// Absolute (a relative value is resolved against the working directory).
    pub recordings_dir: PathBuf,
    /// Whether `SERVICEPRO_RECORDINGS_DIR` was set: then the directory is created and
    /// checked at start-up. The default is created by the first recording.
    pub recordings_dir_configured: bool,
    /// Limits and deadlines at the edge (frame sizes, read timeouts).
    pub edge: EdgeConfig,
    /// The recovery sweep: period and grace (`SERVICEPRO_RECOVERY_SWEEP_SECS`,
    /// `SERVICEPRO_RECOVERY_GRACE_SECS`).
    pub recovery: servicepro_actors::conversation::RecoveryConfig,
    /// The web chat's rate limits, visitor cap, code life and visitor retention.
    pub web_chat: WebChatConfig,
    /// The trial scheduler (`SERVICEPRO_TRIAL_GRACE_DAYS`, `SERVICEPRO_TRIAL_SWEEP_SECS`).
    pub trials: servicepro_actors::billing::trials::TrialSchedule,
    /// Self-serve signup, trial limits, number provisioning retries.
    pub signup: SignupConfig,
    /// Who renders tenants' sites (`SERVICEPRO_WEBSITE_GENERATOR`: `built-in`, the
    /// default, or `partner` with `SERVICEPRO_WEBSITE_PARTNER_URL` and
    /// `SERVICEPRO_WEBSITE_PARTNER_SECRET`).
    pub website_generator: servicepro_actors::website::partner::GeneratorMode,
    /// Data exports: `SERVICEPRO_EXPORTS_DIR` (default `exports`),
    /// `SERVICEPRO_EXPORT_KEEP_HOURS` (default 168: a week, then removed),
    /// `SERVICEPRO_EXPORT_LINK_TTL_SECS` (default 3600).
    pub exports: ExportsConfig,
    /// Retention of closed tenants: `SERVICEPRO_RETENTION_MONTHS` (default 12)
    /// and `SERVICEPRO_ARCHIVE_DIR` (default `archive`), where a purge writes
    /// the tenant's archive.
    pub retention: RetentionConfig,
    /// Distinct tenants given their own `tenant` label on `/metrics`
    /// (`SERVICEPRO_METRICS_TENANT_CAP`, default 500); later ones fold into `_other`.
    pub metrics_tenant_cap: std::num::NonZeroUsize,
}

/// `websiteGeneratorMode` from the environment.
fn website_generator(
    src: &Source,
) -> Result<servicepro_actors::website::partner::GeneratorMode, ConfigError> {
    use servicepro_actors::website::partner::{GeneratorMode, PartnerEndpoint};
    const MODE: &str = "SERVICEPRO_WEBSITE_GENERATOR";
    match src.get(MODE).as_deref() {
        None | Some("built-in") => Ok(GeneratorMode::BuiltIn),
        Some("partner") => {
            let url = src.http_url("SERVICEPRO_WEBSITE_PARTNER_URL", "")?;
            let secret = src
                .secret("SERVICEPRO_WEBSITE_PARTNER_SECRET")
                .filter(|s| s.expose_secret().len() >= 16)
                .ok_or_else(|| {
                    invalid(
                        "SERVICEPRO_WEBSITE_PARTNER_SECRET",
                        "partner mode needs a signing secret of at least 16 characters",
                    )
                })?;
            Ok(GeneratorMode::Partner(PartnerEndpoint { url, secret }))
        }
        Some(other) => Err(invalid(
            MODE,
            format!("expected built-in or partner, got {other}"),
        )),
    }
}

/// Where exports are written and how long they and their links live.
#[derive(Debug, Clone)]
pub struct ExportsConfig {
    /// Absolute directory of `{id}.zip` files.
    pub dir: PathBuf,
    /// How long a finished export is kept.
    pub keep: chrono::Duration,
    /// How long a download link is valid.
    pub link_ttl: chrono::Duration,
}

impl ExportsConfig {
    fn read(src: &Source) -> Result<Self, ConfigError> {
        let dir = absolute_dir(
            "SERVICEPRO_EXPORTS_DIR",
            src.get("SERVICEPRO_EXPORTS_DIR")
                .as_deref()
                .unwrap_or("exports"),
        )?;
        let keep = positive(src, "SERVICEPRO_EXPORT_KEEP_HOURS", 168)?;
        let link_ttl = positive(src, "SERVICEPRO_EXPORT_LINK_TTL_SECS", 3600)?;
        Ok(ExportsConfig {
            dir,
            keep: chrono::Duration::hours(keep),
            link_ttl: chrono::Duration::seconds(link_ttl),
        })
    }
}

/// How long closed tenants are kept and where a purge archives them.
#[derive(Debug, Clone)]
pub struct RetentionConfig {
    /// Nothing of a suspended or cancelled tenant is deleted for this long.
    pub window: servicepro_actors::retention::RetentionWindow,
    /// Absolute directory of the purged tenants' archives.
    pub archive_dir: PathBuf,
}

impl RetentionConfig {
    fn read(src: &Source) -> Result<Self, ConfigError> {
        const MONTHS: &str = "SERVICEPRO_RETENTION_MONTHS";
        let months = positive(src, MONTHS, 12)?;
        let window = u32::try_from(months)
            .ok()
            .filter(|m| *m <= 1200)
            .and_then(servicepro_actors::retention::RetentionWindow::months)
            .ok_or_else(|| invalid(MONTHS, format!("expected 1 to 1200 months, got {months}")))?;
        let archive_dir = absolute_dir(
            "SERVICEPRO_ARCHIVE_DIR",
            src.get("SERVICEPRO_ARCHIVE_DIR")
                .as_deref()
                .unwrap_or("archive"),
        )?;
        Ok(RetentionConfig {
            window,
            archive_dir,
        })
    }
}

/// A positive integer variable, or `default` when unset.
fn positive(src: &Source, variable: &'static str, default: i64) -> Result<i64, ConfigError> {
    match src.get(variable) {
        None => Ok(default),
        Some(raw) => match raw.parse::<i64>() {
            Ok(n) if n > 0 => Ok(n),
            _ => Err(invalid(
                variable,
                format!("expected a positive integer, got {raw}"),
            )),
        },
    }
}

/// Reads variables from a map (the environment merged over the optional file).
struct Source(HashMap<String, String>);

impl Source {
    fn get(&self, key: &str) -> Option<String> {
        self.0
            .get(key)
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    }

    fn secret(&self, key: &str) -> Option<SecretString> {
        self.get(key).map(SecretString::from)
    }

    fn url(&self, key: &'static str, default: &str) -> Result<Url, ConfigError> {
        let raw = self.get(key).unwrap_or_else(|| default.to_owned());
        let url = Url::parse(&raw).map_err(|e| invalid(key, format!("not a URL ({e}): {raw}")))?;
        if url.host_str().is_none() {
            return Err(invalid(key, format!("URL has no host: {raw}")));
        }
        Ok(url)
    }

    /// [`Source::url`] that must be `http://` or `https://`.
    fn http_url(&self, key: &'static str, default: &str) -> Result<Url, ConfigError> {
        let url = self.url(key, default)?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(invalid(key, "expected http:// or https://"));
        }
        Ok(url)
    }

    /// A positive number of milliseconds.
    fn millis(&self, key: &'static str, default: Duration) -> Result<Duration, ConfigError> {
        let Some(raw) = self.get(key) else {
            return Ok(default);
        };
        match raw.parse::<u64>() {
            Ok(ms) if ms > 0 => Ok(Duration::from_millis(ms)),
            _ => Err(invalid(
                key,
                format!("expected a positive number of milliseconds, got {raw}"),
            )),
        }
    }
}

/// Parses a `KEY=value` file: blank lines and `#` comments ignored, optional quotes stripped.
fn parse_env_file(text: &str) -> Result<HashMap<String, String>, String> {
    let mut out = HashMap::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let line = line.strip_prefix("export ").unwrap_or(line);
        let (k, v) = line
            .split_once('=')
            .ok_or_else(|| format!("line {}: expected KEY=value", n + 1))?;
        let v = v.trim();
        let v = v
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .unwrap_or(v);
        out.insert(k.trim().to_owned(), v.to_owned());
    }
    Ok(out)
}

impl Config {
    /// Reads the process environment (and `SERVICEPRO_CONFIG` file, if set).
    pub fn from_env() -> Result<Self, ConfigError> {
        let env: HashMap<String, String> = std::env::vars().collect();
        let mut merged = match env.get("SERVICEPRO_CONFIG") {
            Some(path) if !path.is_empty() => {
                let text = std::fs::read_to_string(path)
                    .map_err(|e| invalid("SERVICEPRO_CONFIG", format!("{path}: {e}")))?;
                parse_env_file(&text)
                    .map_err(|e| invalid("SERVICEPRO_CONFIG", format!("{path}: {e}")))?
            }
            _ => HashMap::new(),
        };
        merged.extend(env);
        Self::from_map(merged)
    }

    /// Builds and validates a configuration from explicit variables.
    pub fn from_map(vars: HashMap<String, String>) -> Result<Self, ConfigError> {
        let src = Source(vars);
        let production = match src.get("SERVICEPRO_ENV").as_deref() {
            None | Some("development") | Some("test") => false,
            Some("production") => true,
            Some(other) => {
                return Err(invalid(
                    "SERVICEPRO_ENV",
                    format!("expected development, test or production, got {other}"),
                ))
            }
        };
        let database_url = match src.get("DATABASE_URL") {
            Some(raw) => {
                let url = Url::parse(&raw).map_err(|e| invalid("DATABASE_URL", e.to_string()))?;
                if !matches!(url.scheme(), "postgres" | "postgresql") {
                    return Err(invalid("DATABASE_URL", "expected a postgres:// URL"));
                }
                if url.path().trim_start_matches('/').is_empty() {
                    return Err(invalid("DATABASE_URL", "names no database"));
                }
                Some(raw)
            }
            None => None,
        };
        let bind_raw = src
            .get("SERVICEPRO_BIND")
            .unwrap_or_else(|| "127.0.0.1:8080".to_owned());
        let bind = bind_raw.parse().map_err(|_| {
            invalid(
                "SERVICEPRO_BIND",
                format!("expected host:port, got {bind_raw}"),
            )
        })?;
        let public_url = src.http_url("SERVICEPRO_PUBLIC_URL", "http://127.0.0.1:8080")?;
        let root_token = src.secret("SERVICEPRO_ROOT_TOKEN");
        if let Some(token) = &root_token {
            if token.expose_secret().len() < 16 {
                return Err(invalid(
                    "SERVICEPRO_ROOT_TOKEN",
                    "must be at least 16 characters",
                ));
            }
        }
        let (secret_key, secret_key_generated) = match src.get("SERVICEPRO_SECRET_KEY") {
            Some(k) if k.len() >= 32 => (SecretString::from(k), false),
            Some(_) => {
                return Err(invalid(
                    "SERVICEPRO_SECRET_KEY",
                    "must be at least 32 characters",
                ))
            }
            None if production => {
                return Err(invalid("SERVICEPRO_SECRET_KEY", "required in production"))
            }
            None => (SecretString::from(generate_dev_key()), true),
        };
        let twilio = TwilioConfig {
            account_sid: src.get("TWILIO_ACCOUNT_SID"),
            auth_token: src.secret("TWILIO_AUTH_TOKEN"),
            api_base: src.url("TWILIO_API_BASE", "https://api.twilio.com")?,
        };
        if production && twilio.auth_token.is_none() {
            return Err(invalid(
                "TWILIO_AUTH_TOKEN",
                "required in production (webhooks are verified with it)",
            ));
        }
        let openai = OpenAiConfig {
            api_key: src.secret("OPENAI_API_KEY"),
            realtime_url: src.url(
                "OPENAI_REALTIME_URL",
                "wss://api.openai.com/v1/realtime?model=gpt-realtime",
            )?,
            chat_base_url: src.http_url("OPENAI_BASE_URL", DEFAULT_BASE_URL)?,
            chat_model: src
                .get("OPENAI_CHAT_MODEL")
                .unwrap_or_else(|| DEFAULT_MODEL.to_owned()),
            chat_timeout: src.millis("OPENAI_CHAT_TIMEOUT_MS", DEFAULT_TIMEOUT)?,
        };
        let stripe = StripeConfig::read(&src)?;
        let trials = billing::read_trials(&src)?;
        let sms_rate_raw = src
            .get("SERVICEPRO_SMS_PER_NUMBER_PER_SECOND")
            .unwrap_or_else(|| "1".to_owned());
        let sms_per_number_per_second = sms_rate_raw.parse().map_err(|_| {
            invalid(
                "SERVICEPRO_SMS_PER_NUMBER_PER_SECOND",
                format!("expected a positive integer, got {sms_rate_raw}"),
            )
        })?;
        let tenant_idle_stop = match src.get("SERVICEPRO_TENANT_IDLE_STOP_SECS") {
            None => servicepro_actors::tenant::DEFAULT_IDLE_STOP,
            Some(raw) => match raw.parse::<u64>() {
                Ok(secs) if secs > 0 => std::time::Duration::from_secs(secs),
                _ => {
                    return Err(invalid(
                        "SERVICEPRO_TENANT_IDLE_STOP_SECS",
                        format!("expected a positive number of seconds, got {raw}"),
                    ))
                }
            },
        };
        let voice_audio = match src.get("SERVICEPRO_VOICE_AUDIO") {
            None => VoiceAudio::Pcmu,
            Some(raw) => raw.parse().map_err(|_| {
                invalid(
                    "SERVICEPRO_VOICE_AUDIO",
                    format!("expected pcmu or pcm16, got {raw}"),
                )
            })?,
        };
        let recordings_raw = src.get("SERVICEPRO_RECORDINGS_DIR");
        let recordings_dir_configured = recordings_raw.is_some();
        let recordings_dir = absolute_dir(
            "SERVICEPRO_RECORDINGS_DIR",
            recordings_raw.as_deref().unwrap_or(DEFAULT_RECORDINGS_DIR),
        )?;
        let edge = EdgeConfig::read(&src)?;
        let recovery = recovery::read(&src)?;
        let web_chat = WebChatConfig::read(&src)?;
        let signup = SignupConfig::read(&src)?;
        let website_generator = website_generator(&src)?;
        let exports = ExportsConfig::read(&src)?;
        let retention = RetentionConfig::read(&src)?;
        let metrics_tenant_cap = match src.get("SERVICEPRO_METRICS_TENANT_CAP") {
            None => servicepro_actors::metrics::tenant_labels::DEFAULT_CAP,
            Some(raw) => raw.parse().map_err(|_| {
                invalid(
                    "SERVICEPRO_METRICS_TENANT_CAP",
                    format!("expected a positive whole number of tenants, got {raw}"),
                )
            })?,
        };
        Ok(Config {
            metrics_tenant_cap,
            website_generator,
            exports,
            retention,
            trials,
            edge,
            recovery,
            web_chat,
            signup,
            recordings_dir,
            recordings_dir_configured,
            voice_audio,
            sms_per_number_per_second,
            tenant_idle_stop,
            database_url,
            bind,
            public_url,
            root_token,
            secret_key,
            secret_key_generated,
            twilio,
            openai,
            stripe,
            production,
        })
    }

    /// The database URL to use: configured, or the developer default.
    pub fn database_url_or_default(&self) -> &str {
        self.database_url.as_deref().unwrap_or(DEFAULT_DATABASE_URL)
    }

    /// With `SERVICEPRO_RECORDINGS_DIR` set: creates the directory if missing and
    /// checks that a file can be written there, or fails naming the variable. The
    /// default directory is left alone (no directory appears in the working directory
    /// of a server that records nothing); the first recording creates it, and if it
    /// cannot, that recording fails, logged, and the call goes on.
    pub fn prepare_recordings_dir(&self) -> Result<(), ConfigError> {
        if !self.recordings_dir_configured {
            return Ok(());
        }
        check_writable_dir(&self.recordings_dir)
            .map_err(|reason| invalid("SERVICEPRO_RECORDINGS_DIR", reason))
    }
}

/// `raw` as an absolute path (relative to the working directory); no NUL bytes.
fn absolute_dir(variable: &'static str, raw: &str) -> Result<PathBuf, ConfigError> {
    if raw.contains('\0') {
        return Err(invalid(variable, "contains a NUL byte"));
    }
    let path = Path::new(raw);
    if path.is_absolute() {
        return Ok(path.to_owned());
    }
    let cwd = std::env::current_dir()
        .map_err(|e| invalid(variable, format!("cannot resolve {raw}: {e}")))?;
    Ok(cwd.join(path))
}

/// Creates `dir` (and parents) and writes and removes a probe file in it.
fn check_writable_dir(dir: &Path) -> Result<(), String> {
    let shown = dir.display();
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {shown}: {e}"))?;
    let probe = dir.join(format!(".write-check-{}", std::process::id()));
    std::fs::write(&probe, b"ok").map_err(|e| format!("cannot write in {shown}: {e}"))?;
    let _ = std::fs::remove_file(&probe);
    Ok(())
}

fn generate_dev_key() -> String {
    let mut key = [0u8; 32];
    rand::RngCore::fill_bytes(&mut rand::rng(), &mut key);
    hex::encode(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn defaults_work_on_a_developer_machine() {
        let c = Config::from_map(vars(&[])).unwrap();
        assert_eq!(c.bind.to_string(), "127.0.0.1:8080");
        assert_eq!(c.public_url.as_str(), "http://127.0.0.1:8080/");
        assert!(c.root_token.is_none() && c.secret_key_generated);
        assert_eq!(c.database_url_or_default(), DEFAULT_DATABASE_URL);
        assert_eq!(c.twilio.api_base.as_str(), "https://api.twilio.com/");
        assert!(c.recordings_dir.is_absolute() && c.recordings_dir.ends_with("recordings"));
        assert!(!c.recordings_dir_configured);
        assert_eq!(c.signup.per_ip_per_hour.get(), 5);
        assert_eq!(c.signup.trial_limits.texts_per_day, 50);
        assert_eq!(c.signup.trial_limits.call_minutes_per_day, 60);
        assert_eq!(c.signup.provision_backoff.base, Duration::from_secs(30));
        assert_eq!(c.signup.provision_poll, Duration::from_secs(10));
    }

    #[test]
    fn the_recovery_sweep_is_configured_and_its_grace_outlasts_the_reply_deadline() {
        let d = Config::from_map(vars(&[])).unwrap().recovery;
        assert_eq!((d.period.as_secs(), d.grace.as_secs()), (30, 60));
        let c = Config::from_map(vars(&[
            ("SERVICEPRO_RECOVERY_SWEEP_SECS", "5"),
            ("SERVICEPRO_RECOVERY_GRACE_SECS", "12"),
        ]))
        .unwrap()
        .recovery;
        assert_eq!((c.period.as_secs(), c.grace.as_secs()), (5, 12));
        for (var, bad) in [
            ("SERVICEPRO_RECOVERY_GRACE_SECS", "5"),
            ("SERVICEPRO_RECOVERY_SWEEP_SECS", "0"),
            ("SERVICEPRO_RECOVERY_SWEEP_SECS", "soon"),
        ] {
            let err = Config::from_map(vars(&[(var, bad)])).unwrap_err();
            assert_eq!(err.variable, var, "{bad}");
        }
    }

    #[test]
    fn a_configured_recordings_dir_must_be_writable_at_start_up() {
        let base = std::env::temp_dir().join(format!("servicepro-config-{}", std::process::id()));
        let dir = base.join("nested").join("recordings");
        let ok = Config::from_map(vars(&[(
            "SERVICEPRO_RECORDINGS_DIR",
            dir.to_str().unwrap(),
        )]))
        .unwrap();
        assert!(ok.recordings_dir_configured);
        ok.prepare_recordings_dir().unwrap();
        assert!(dir.is_dir(), "created with its parents");
        // A file where the directory should be: refused, naming the variable.
        let blocked = base.join("a-file");
        std::fs::write(&blocked, b"x").unwrap();
        let bad = Config::from_map(vars(&[(
            "SERVICEPRO_RECORDINGS_DIR",
            blocked.to_str().unwrap(),
        )]))
        .unwrap();
        let err = bad.prepare_recordings_dir().unwrap_err();
        assert_eq!(err.variable, "SERVICEPRO_RECORDINGS_DIR");
        let relative = Config::from_map(vars(&[("SERVICEPRO_RECORDINGS_DIR", "rec/x")])).unwrap();
        assert!(relative.recordings_dir.is_absolute());
        let _ = std::fs::remove_dir_all(&base);
    }

    #[test]
    fn the_retention_window_defaults_to_a_year_and_refuses_nonsense() {
        let default = Config::from_map(vars(&[])).unwrap();
        assert_eq!(default.retention.window.as_months(), 12);
        assert!(default.retention.archive_dir.is_absolute());
        assert!(default.retention.archive_dir.ends_with("archive"));
        let six = Config::from_map(vars(&[("SERVICEPRO_RETENTION_MONTHS", "6")])).unwrap();
        assert_eq!(six.retention.window.as_months(), 6);
        for bad in ["0", "-1", "1201", "a year"] {
            let err = Config::from_map(vars(&[("SERVICEPRO_RETENTION_MONTHS", bad)])).unwrap_err();
            assert_eq!(err.variable, "SERVICEPRO_RETENTION_MONTHS", "{bad}");
        }
    }

    #[test]
    fn bad_values_name_the_variable() {
        for (pairs, variable) in [
            (vec![("SERVICEPRO_BIND", "localhost")], "SERVICEPRO_BIND"),
            (
                vec![("SERVICEPRO_PUBLIC_URL", "not a url")],
                "SERVICEPRO_PUBLIC_URL",
            ),
            (vec![("DATABASE_URL", "mysql://x/y")], "DATABASE_URL"),
            (
                vec![("SERVICEPRO_SIGNUPS_PER_IP_PER_HOUR", "0")],
                "SERVICEPRO_SIGNUPS_PER_IP_PER_HOUR",
            ),
            (
                vec![("SERVICEPRO_TRIAL_TEXTS_PER_DAY", "-1")],
                "SERVICEPRO_TRIAL_TEXTS_PER_DAY",
            ),
            (
                vec![
                    ("SERVICEPRO_PROVISION_RETRY_MS", "5000"),
                    ("SERVICEPRO_PROVISION_RETRY_MAX_MS", "1000"),
                ],
                "SERVICEPRO_PROVISION_RETRY_MAX_MS",
            ),
            (
                vec![("SERVICEPRO_ROOT_TOKEN", "short")],
                "SERVICEPRO_ROOT_TOKEN",
            ),
            (
                vec![("SERVICEPRO_ENV", "production")],
                "SERVICEPRO_SECRET_KEY",
            ),
            (vec![("SERVICEPRO_ENV", "staging")], "SERVICEPRO_ENV"),
            (
                vec![("SERVICEPRO_RECORDINGS_DIR", "bad\0dir")],
                "SERVICEPRO_RECORDINGS_DIR",
            ),
            (
                vec![("STRIPE_SECRET_KEY", "sk_test_x")],
                "STRIPE_WEBHOOK_SECRET",
            ),
            (
                vec![
                    ("STRIPE_SECRET_KEY", "sk_test_x"),
                    ("STRIPE_WEBHOOK_SECRET", "whsec_x"),
                ],
                "STRIPE_PRICE_STARTER",
            ),
            (
                vec![("STRIPE_PRICE_PRO", "price_p")],
                "STRIPE_PRICE_STARTER",
            ),
            (
                vec![PRICES[0], PRICES[1], ("STRIPE_PRICE_ELITE", "price_p")],
                "STRIPE_PRICE_ELITE",
            ),
            (
                vec![("SERVICEPRO_TRIAL_GRACE_DAYS", "-1")],
                "SERVICEPRO_TRIAL_GRACE_DAYS",
            ),
            (
                vec![("SERVICEPRO_TRIAL_SWEEP_SECS", "0")],
                "SERVICEPRO_TRIAL_SWEEP_SECS",
            ),
        ] {
            let err = Config::from_map(vars(&pairs)).unwrap_err();
            assert_eq!(err.variable, variable, "{pairs:?}");
        }
        for (variable, value) in [
            ("OPENAI_BASE_URL", "ftp://x.example"),
            ("OPENAI_BASE_URL", "api.openai.com"),
            ("OPENAI_CHAT_TIMEOUT_MS", "soon"),
            ("OPENAI_CHAT_TIMEOUT_MS", "0"),
        ] {
            let err = Config::from_map(vars(&[(variable, value)])).unwrap_err();
            assert_eq!(err.variable, variable, "{value}");
        }
    }

    #[test]
    fn the_chat_settings_reach_the_llm_client() {
        let off = Config::from_map(vars(&[("OPENAI_CHAT_MODEL", "gpt-x")])).unwrap();
        assert!(off.openai.chat_client().is_none(), "no key, no LLM brain");
        assert_eq!(off.openai.chat_timeout, DEFAULT_TIMEOUT);
        let default = Config::from_map(vars(&[("OPENAI_API_KEY", "sk-1")])).unwrap();
        let client = default.openai.chat_client().unwrap().unwrap();
        assert_eq!(
            (client.endpoint(), client.model()),
            ("https://api.openai.com/v1/chat/completions", DEFAULT_MODEL)
        );
        let tuned = Config::from_map(vars(&[
            ("OPENAI_API_KEY", "sk-1"),
            ("OPENAI_BASE_URL", "http://127.0.0.1:1/v1"),
            ("OPENAI_CHAT_MODEL", "gpt-x"),
            ("OPENAI_CHAT_TIMEOUT_MS", "1500"),
        ]))
        .unwrap();
        assert_eq!(tuned.openai.chat_timeout, Duration::from_millis(1500));
        let client = tuned.openai.chat_client().unwrap().unwrap();
        assert_eq!(
            (client.endpoint(), client.model()),
            ("http://127.0.0.1:1/v1/chat/completions", "gpt-x")
        );
    }

    const PRICES: [(&str, &str); 3] = [
        ("STRIPE_PRICE_STARTER", "price_s"),
        ("STRIPE_PRICE_PRO", "price_p"),
        ("STRIPE_PRICE_ELITE", "price_e"),
    ];

    #[test]
    fn billing_settings_are_read() {
        let config = Config::from_map(vars(&PRICES)).unwrap();
        let prices = config.stripe.prices.unwrap();
        assert_eq!(
            (prices.starter.as_str(), prices.elite.as_str()),
            ("price_s", "price_e")
        );
        assert_eq!(config.trials.grace_days, billing::DEFAULT_TRIAL_GRACE_DAYS);
        let tuned = Config::from_map(vars(&[
            ("SERVICEPRO_TRIAL_GRACE_DAYS", "3"),
            ("SERVICEPRO_TRIAL_SWEEP_SECS", "60"),
        ]))
        .unwrap();
        assert_eq!(tuned.trials.grace_days, 3);
        assert_eq!(tuned.trials.every, std::time::Duration::from_secs(60));
    }

    #[test]
    fn secrets_never_print() {
        let secrets = [
            ("SERVICEPRO_ROOT_TOKEN", "root-token-0123456789-secret"),
            (
                "SERVICEPRO_SECRET_KEY",
                "secret-key-0123456789abcdef0123456789",
            ),
            ("TWILIO_AUTH_TOKEN", "twilio-auth-token-secret"),
            ("OPENAI_API_KEY", "sk-openai-secret"),
            ("STRIPE_SECRET_KEY", "sk_live_stripe_secret"),
            ("STRIPE_WEBHOOK_SECRET", "whsec_stripe_secret"),
        ];
        let mut pairs = secrets.to_vec();
        pairs.push(("TWILIO_ACCOUNT_SID", "AC0123"));
        pairs.extend(PRICES);
        let config = Config::from_map(vars(&pairs)).unwrap();
        let credentials = config.twilio.platform_credentials().unwrap();
        assert_eq!(
            credentials.auth_token.expose_secret(),
            "twilio-auth-token-secret"
        );
        let client = config.openai.chat_client().unwrap().unwrap();
        for shown in [
            format!("{config:?}"),
            format!("{config:#?}"),
            format!("{credentials:?}"),
            format!("{client:?}"),
        ] {
            for (variable, value) in secrets {
                assert!(!shown.contains(value), "{variable} printed in {shown}");
            }
        }
        assert!(format!("{credentials:?}").contains("AC0123"));
    }

    #[test]
    fn env_file_parses() {
        let parsed = parse_env_file("# comment\nexport A=1\nB=\"two words\"\n\n").unwrap();
        assert_eq!(parsed.get("A").map(String::as_str), Some("1"));
        assert_eq!(parsed.get("B").map(String::as_str), Some("two words"));
        assert!(parse_env_file("nonsense").is_err());
    }
}
