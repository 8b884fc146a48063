//! What every request handler shares: the pool, the audited root path,
//! the secret box, configuration, metrics, and the process-wide actors.

use crate::chat_limits::ChatLimits;
use crate::config::Config;
use crate::signup_limit::SignupLimiter;
use actix::{Addr, Supervisor};
use servicepro_actors::billing::trials::TrialScheduler;
use servicepro_actors::billing::{
    BillingActor, BillingConfig, NumberProvisioner as UpgradeNumbers, StripeClient, StripeError,
};
use servicepro_actors::booking::BookingDesk;
use servicepro_actors::brain::llm::LlmBrain;
use servicepro_actors::call::CallMetrics;
use servicepro_actors::clock::{system_clock, Clock};
use servicepro_actors::conversation::actor::ConversationDeps;
use servicepro_actors::conversation::text_writer::{TextWriterHandle, DEFAULT_LANES};
use servicepro_actors::conversation::web_chat::cleanup::{sweep_anonymous_visitors, Swept};
use servicepro_actors::conversation::web_chat::code::CodePolicy;
use servicepro_actors::conversation::{Conversations, RecoverySweep, WebChatPolicy};
use servicepro_actors::export::{ExportSettings, Exports, LinkKey};
use servicepro_actors::messaging::{
    OutboxConfig, RateLimitActor, RateLimits, SmsOutbox, TwilioError, TwilioRest,
};
use servicepro_actors::metrics::{Metrics, Registry, TenantMetrics};
use servicepro_actors::provisioning::retry::NumberProvisioner;
use servicepro_actors::provisioning::Provisioner;
use servicepro_actors::realtime::provider::OpenAiRealtime;
use servicepro_actors::tenant::TenantRegistry;
use servicepro_actors::voice::callback_urls::CallbackUrls;
use servicepro_actors::voice::receptionist::Receptionist;
use servicepro_actors::voice::switchboard::Switchboard;
use servicepro_actors::website::partner::{GeneratorMode, PartnerClient, PartnerError};
use servicepro_schema::{DbPool, RootDb, SecretBox, TenantDb, TenantId};
use std::sync::Arc;

/// Texts one sending number may have waiting in the outbox.
pub const OUTBOX_QUEUE_PER_NUMBER: usize = 1_000;
/// Tries per text when Twilio is unreachable or busy.
pub const OUTBOX_SEND_ATTEMPTS: u32 = 3;
/// How often anonymous web visitors past their retention are removed (the first
/// sweep runs this long after start-up).
pub const VISITOR_SWEEP_EVERY: std::time::Duration = std::time::Duration::from_secs(3600);

/// Shared application state (cheap to clone).
#[derive(Clone)]
pub struct AppState {
    /// Validated configuration.
    pub config: Arc<Config>,
    /// Role-restricted connection pool.
    pub pool: DbPool,
    /// The audited cross-tenant path.
    pub root_db: RootDb,
    /// Seals per-tenant secrets.
    pub secrets: SecretBox,
    /// Process metrics.
    pub metrics: Arc<Metrics>,
    /// Every metric `/metrics` renders (process, calls, per-tenant families).
    pub registry: Arc<Registry>,
    /// Callback URLs handed to Twilio.
    pub urls: CallbackUrls,
    /// Twilio's REST API.
    pub twilio: TwilioRest,
    /// Every outbound text goes through it.
    pub outbox: Addr<SmsOutbox>,
    /// The process-wide rate limiter.
    pub rate_limiter: Addr<RateLimitActor>,
    /// Per-tenant booking actors.
    pub desk: BookingDesk,
    /// Conversation actors: the agent brain's single entry point.
    pub conversations: Conversations,
    /// The recovery sweep (texts a crash left unanswered or `pending`).
    pub recovery: Addr<RecoverySweep>,
    /// The SMS pipeline's group-commit writer (stored texts, turns with their replies).
    pub text_writer: TextWriterHandle,
    /// The engine's clock (fixed in tests).
    pub clock: Clock,
    /// Tenant actors: every channel's tenant context and brain snapshot, and the one
    /// place a tenant's status, tier and settings change.
    pub tenants: TenantRegistry,
    /// The AI voice receptionist, when `OPENAI_API_KEY` sets up its realtime provider.
    pub receptionist: Option<Receptionist>,
    /// The voice webhooks' engine.
    pub switchboard: Switchboard,
    /// Live-call metrics of the AI receptionist.
    pub call_metrics: Arc<CallMetrics>,
    /// The web chat's per-IP and per-visitor request limits.
    pub chat_limits: Arc<ChatLimits>,
    /// Stripe webhooks and plan changes; `None` when billing is off (no `STRIPE_SECRET_KEY`).
    pub billing: Option<Addr<BillingActor>>,
    /// Moves expired trials to `past_due`, then `suspended`.
    pub trial_scheduler: Addr<TrialScheduler>,
    /// Buys tenants' platform numbers (signup, upgrades, the retry job).
    pub provisioner: Provisioner,
    /// The supervised job retrying pending number purchases.
    pub number_provisioner: Addr<NumberProvisioner>,
    /// Signups per client address.
    pub signup_limiter: SignupLimiter,
    /// Owner sign-in attempts per client address and per e-mail.
    pub sign_in_limiter: crate::sign_in_limit::SignInLimiter,
    /// Signs the owner app's recording links.
    pub recording_links: crate::web::recording_link::RecordingLinks,
    /// Tenant sites' rendered pages.
    pub sites: Arc<crate::sites::cache::SiteCache>,
    /// Sends website seeds to the partner, in `partner` generator mode.
    pub website_partner: Option<servicepro_actors::website::partner::PartnerClient>,
    /// CSRF tokens of every HTML form.
    pub csrf: crate::web::csrf::Csrf,
    /// Booking-page posts per client address.
    pub book_limiter: crate::book_limit::BookLimiter,
    /// The data export engine.
    pub exports: Exports,
    /// The operator's tenant purge, under the retention window.
    pub purger: servicepro_actors::retention::Purger,
}

/// Why the state could not be built.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    /// The Twilio client could not be built.
    #[error(transparent)]
    Twilio(#[from] TwilioError),
    /// The Stripe client could not be built.
    #[error(transparent)]
    Stripe(#[from] StripeError),
    /// The website partner's client could not be built.
    #[error(transparent)]
    Partner(#[from] PartnerError),
}

/// The billing actor when Stripe is configured (key, webhook secret and prices).
fn billing_actor(
    config: &Config,
    pool: &DbPool,
    tenants: &TenantRegistry,
    clock: &Clock,
    provisioner: &Provisioner,
) -> Result<Option<Addr<BillingActor>>, StripeError> {
    let stripe = &config.stripe;
    let (Some(key), Some(webhook_secret), Some(prices)) = (
        stripe.secret_key.clone(),
        stripe.webhook_secret.clone(),
        stripe.prices.clone(),
    ) else {
        return Ok(None);
    };
    let billing = BillingConfig {
        webhook_secret,
        prices,
        client: StripeClient::new(stripe.api_base.clone(), key)?,
    };
    let (pool, tenants, clock) = (pool.clone(), tenants.clone(), clock.clone());
    let provisioner: Arc<dyn UpgradeNumbers> = Arc::new(provisioner.clone());
    Ok(Some(Supervisor::start(move |_| {
        BillingActor::new(
            pool.clone(),
            tenants.clone(),
            billing.clone(),
            clock.clone(),
            Some(provisioner.clone()),
        )
    })))
}

/// The LLM brain when `OPENAI_API_KEY` is set (with the chat settings of
/// [`OpenAiConfig`](crate::config::OpenAiConfig)); the offline brain answers
/// whenever it fails, and alone when no key is set.
fn llm_brain(config: &Config) -> Option<Arc<LlmBrain>> {
    match config.openai.chat_client()? {
        Ok(client) => Some(Arc::new(LlmBrain::new(client))),
        Err(e) => {
            tracing::error!(error = %e, "LLM client cannot be built; the offline brain answers alone");
            None
        }
    }
}

impl AppState {
    /// Builds the state and starts the process-wide actors under their
    /// supervisors. Must run inside the actix system.
    pub fn start(config: Config, pool: DbPool) -> Result<Self, StateError> {
        Self::start_with_clock(config, pool, system_clock())
    }

    /// [`AppState::start`] with an explicit clock.
    pub fn start_with_clock(
        config: Config,
        pool: DbPool,
        clock: Clock,
    ) -> Result<Self, StateError> {
        let secrets = SecretBox::new(&config.secret_key);
        let metrics = Arc::new(Metrics::new(Arc::new(TenantMetrics::new(
            config.metrics_tenant_cap,
            clock.clone(),
        ))));
        let urls = CallbackUrls::new(&config.public_url);
        let twilio = TwilioRest::new(config.twilio.api_base.clone())?;
        let limits = RateLimits {
            per_number_per_second: config.sms_per_number_per_second,
            ..RateLimits::default()
        };
        let rate_limiter = Supervisor::start(move |_| RateLimitActor::new(limits.clone()));
        let platform_credentials = config.twilio.platform_credentials();
        let outbox_config = OutboxConfig {
            urls: urls.clone(),
            platform_credentials: platform_credentials.clone(),
            queue_per_number: OUTBOX_QUEUE_PER_NUMBER,
            max_send_attempts: OUTBOX_SEND_ATTEMPTS,
            claim_lease: config.recovery.grace,
            trial_limits: config.signup.trial_limits,
        };
        let outbox = {
            let (pool, twilio, limiter, secrets, metrics) = (
                pool.clone(),
                twilio.clone(),
                rate_limiter.clone(),
                secrets.clone(),
                metrics.clone(),
            );
            Supervisor::start(move |_| {
                SmsOutbox::new(
                    pool.clone(),
                    twilio.clone(),
                    limiter.clone(),
                    secrets.clone(),
                    outbox_config.clone(),
                    metrics.clone(),
                )
            })
        };
        let desk = BookingDesk::new(pool.clone(), metrics.tenants.clone());
        let tenants =
            TenantRegistry::new(pool.clone(), config.tenant_idle_stop, urls.public_base());
        let text_writer = TextWriterHandle::start(pool.clone(), DEFAULT_LANES, metrics.clone());
        let conversations = Conversations::new(ConversationDeps {
            pool: pool.clone(),
            desk: desk.clone(),
            outbox: outbox.clone(),
            clock: clock.clone(),
            tenants: tenants.clone(),
            llm: llm_brain(&config),
            writer: text_writer.clone(),
            metrics: metrics.tenants.clone(),
        });
        let recovery = {
            let (conversations, sweep, metrics) =
                (conversations.clone(), config.recovery, metrics.clone());
            Supervisor::start(move |_| {
                RecoverySweep::new(conversations.clone(), sweep, metrics.clone())
            })
        };
        let call_metrics = Arc::new(CallMetrics::new(metrics.tenants.clone()));
        let registry = {
            let mut registry = Registry::default();
            metrics.register(&mut registry);
            call_metrics.register(&mut registry);
            Arc::new(registry)
        };
        let receptionist = config.openai.api_key.clone().map(|key| Receptionist {
            connector: Arc::new(OpenAiRealtime::new(config.openai.realtime_url.clone(), key)),
            pool: pool.clone(),
            desk: desk.clone(),
            outbox: outbox.clone(),
            clock: clock.clone(),
            twilio: twilio.clone(),
            secrets: secrets.clone(),
            platform: platform_credentials.clone(),
            urls: urls.clone(),
            metrics: call_metrics.clone(),
            default_audio: config.voice_audio,
            recordings_dir: config.recordings_dir.clone(),
            caller_idle_timeout: config.edge.stream_idle_timeout,
        });
        let switchboard = Switchboard::new(
            pool.clone(),
            urls.clone(),
            outbox.clone(),
            tenants.clone(),
            config.openai.api_key.is_some(),
        )
        .with_trial_limits(config.signup.trial_limits);
        let chat_limits = Arc::new(ChatLimits::new(&config.web_chat));
        ChatLimits::forget_idle_periodically(&chat_limits);
        let root_db = RootDb::new(pool.clone());
        sweep_visitors_periodically(root_db.clone(), config.web_chat.visitor_retention);
        let provisioner = Provisioner {
            pool: pool.clone(),
            twilio: twilio.clone(),
            platform: platform_credentials.clone(),
            hooks: urls.number_webhooks(),
            backoff: config.signup.provision_backoff,
            voice_audio: config.voice_audio,
        };
        let number_provisioner = {
            let (provisioner, poll) = (provisioner.clone(), config.signup.provision_poll);
            Supervisor::start(move |_| NumberProvisioner::new(provisioner.clone(), poll))
        };
        let signup_limiter = SignupLimiter::new(config.signup.per_ip_per_hour);
        let billing = billing_actor(&config, &pool, &tenants, &clock, &provisioner)?;
        let trial_scheduler = {
            let (pool, tenants, clock) = (pool.clone(), tenants.clone(), clock.clone());
            let schedule = config.trials;
            Supervisor::start(move |_| {
                TrialScheduler::new(pool.clone(), tenants.clone(), clock.clone(), schedule)
            })
        };
        let website_partner = match &config.website_generator {
            GeneratorMode::BuiltIn => None,
            GeneratorMode::Partner(endpoint) => Some(PartnerClient::new(
                endpoint.clone(),
                std::time::Duration::from_secs(1),
            )?),
        };
        let exports = Exports::new(
            pool.clone(),
            ExportSettings {
                dir: config.exports.dir.clone(),
                keep: config.exports.keep,
                link_ttl: config.exports.link_ttl,
                key: LinkKey::derive(config.secret_key.expose_secret()),
            },
        );
        sweep_exports_periodically(exports.clone());
        let purger = servicepro_actors::retention::Purger::new(
            pool.clone(),
            config.retention.archive_dir.clone(),
            config.retention.window,
        );
        Ok(AppState {
            purger,
            sites: Arc::default(),
            website_partner,
            csrf: crate::web::csrf::Csrf::new(&config.secret_key),
            sign_in_limiter: crate::sign_in_limit::SignInLimiter::default(),
            recording_links: crate::web::recording_link::RecordingLinks::new(&config.secret_key),
            book_limiter: crate::book_limit::BookLimiter::default(),
            exports,
            chat_limits,
            billing,
            trial_scheduler,
            provisioner,
            number_provisioner,
            signup_limiter,
            tenants,
            receptionist,
            switchboard,
            call_metrics,
            desk,
            conversations,
            recovery,
            text_writer,
            clock,
            root_db,
            config: Arc::new(config),
            pool,
            secrets,
            metrics,
            registry,
            urls,
            twilio,
            outbox,
            rate_limiter,
        })
    }

    /// The web chat's engine limits, from the configuration.
    pub fn web_chat_policy(&self) -> WebChatPolicy {
        WebChatPolicy {
            new_visitors_per_hour: self.config.web_chat.new_visitors_per_hour,
            code: CodePolicy {
                ttl: self.config.web_chat.code_ttl,
            },
        }
    }

    /// Tenant-scoped access for `tenant`.
    pub fn tenant_db(&self, tenant: TenantId) -> TenantDb {
        TenantDb::new(self.pool.clone(), tenant)
    }
}

/// Removes anonymous web visitors past `retention` every [`VISITOR_SWEEP_EVERY`]
/// (safe with several processes: the sweep takes an advisory lock). Must run
/// inside the actix system; ends with it.
fn sweep_visitors_periodically(root: RootDb, retention: std::time::Duration) {
    actix::spawn(async move {
        let mut tick = tokio::time::interval(VISITOR_SWEEP_EVERY);
        tick.tick().await;
        loop {
            tick.tick().await;
            match sweep_anonymous_visitors(&root, retention).await {
                Ok(Swept::Deleted(n)) => {
                    tracing::info!(deleted = n, "anonymous web visitors swept")
                }
                Ok(Swept::Busy) => tracing::debug!("another process is sweeping web visitors"),
                Err(e) => tracing::error!(error = %e, "web visitor sweep failed"),
            }
        }
    });
}

/// Removes expired export archives every hour (and once at start).
fn sweep_exports_periodically(exports: Exports) {
    actix::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            tick.tick().await;
            match exports.sweep() {
                Ok(0) => {}
                Ok(removed) => tracing::info!(removed, "expired exports removed"),
                Err(e) => tracing::error!(error = %e, "export sweep failed"),
            }
        }
    });
}
