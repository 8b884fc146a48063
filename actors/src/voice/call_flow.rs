//! How a tenant's number answers: the TwiML for an incoming call by tenant
//! status and `ivr_mode`, for each IVR choice, for the end of a forwarded
//! call and of a voicemail. Pure: it reads the tenant context and the
//! industry pack and returns documents (and, for "press 2", the booking link
//! to text); the HTTP edge stores and sends.
//!
//! Every path ends in something the caller hears — a person, a menu, a
//! recording prompt or a spoken goodbye — never silence.

use crate::booking::link::booking_link;
use crate::packs::{self, IvrScript};
use crate::tenant::context::TenantContext;
use crate::twilio::twiml::{
    Connect, Dial, Gather, Number, Record, RecordingEvent, Redirect, Response, Say, Sip,
    SpeechTimeout, Stream,
};
use crate::voice::callback_urls::CallbackUrls;
use servicepro_schema::policy::{self, CallAnswer};
use servicepro_schema::{Feature, IvrMode, E164};

/// How long a forwarded call rings before falling through to voicemail.
pub const DIAL_TIMEOUT_SECS: u32 = 20;
/// How long the menu waits for a key.
pub const MENU_TIMEOUT_SECS: u32 = 6;
/// The longest voicemail.
pub const VOICEMAIL_MAX_SECS: u32 = 120;
/// Menu attempts before the caller is sent to voicemail.
pub const MENU_ATTEMPTS: u32 = 2;

/// Said when the dialled number belongs to no tenant.
pub const UNKNOWN_NUMBER_LINE: &str =
    "Sorry, this number is not in service with us. Please check the number and try again. Goodbye.";
const FALLBACK_SORRY: &str =
    "Sorry, we can't take your call right now. Please leave a message after the tone.";

/// The incoming call being answered.
#[derive(Debug, Clone)]
pub struct IncomingCall {
    /// Twilio CallSid.
    pub call_sid: String,
    /// The caller as Twilio sent it: kept raw because it is not always a number
    /// (`anonymous`, `client:…`), and it is echoed back as the `<Dial callerId>`.
    pub from: String,
    /// The caller's number, parsed once from `from` (none when it is not E.164).
    pub caller: Option<E164>,
    /// The dialled number.
    pub to: String,
}

/// Which way a call was answered (stored on the call record).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    /// No tenant owns the number.
    UnknownNumber,
    /// Tenant suspended: paused message.
    Paused,
    /// Tenant suspended with forwarding to the owner.
    PausedForward,
    /// Tenant cancelled: closing message.
    Cancelled,
    /// `simple`: forwarded to the owner.
    Forward,
    /// `ivr`: the menu.
    Ivr,
    /// `ai-voice`: the AI receptionist's media stream.
    AiVoice,
    /// `ai-voice` configured but the tier lacks it: the menu instead.
    IvrFallback,
    /// `ai-voice` with no realtime provider configured: turn by turn with
    /// Twilio's speech recognition and the offline agent brain.
    AiVoiceTurns,
    /// A trialing tenant past today's call minutes: straight to voicemail.
    TrialLimit,
}

impl Route {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Route::UnknownNumber => "unknown-number",
            Route::Paused => "paused",
            Route::PausedForward => "paused-forward",
            Route::Cancelled => "cancelled",
            Route::Forward => "forward",
            Route::Ivr => "ivr",
            Route::AiVoice => "ai-voice",
            Route::IvrFallback => "ivr-fallback",
            Route::AiVoiceTurns => "ai-voice-turns",
            Route::TrialLimit => "trial-limit",
        }
    }
}

/// What the engine must do besides answering.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IvrAction {
    /// Text the caller the booking link, in the tenant's words
    /// ([`packs::booking_link_text`]).
    TextBookingLink {
        /// The tenant's booking page.
        url: String,
    },
}

/// The answer to an IVR step.
#[derive(Debug, Clone)]
pub struct IvrOutcome {
    /// The TwiML.
    pub twiml: Response,
    /// Side effect to carry out.
    pub action: Option<IvrAction>,
}

/// The tenant's voice script, with its business name filled in; falls
/// back to plain lines should a pack line fail to render.
struct Script<'a> {
    ivr: Option<&'a IvrScript>,
    business: &'a str,
}

impl<'a> Script<'a> {
    fn of(ctx: &'a TenantContext) -> Self {
        let pack = packs::pack(&ctx.tenant.industry).ok();
        if pack.is_none() {
            tracing::error!(industry = %ctx.tenant.industry, "no industry pack; using plain lines");
        }
        Script {
            ivr: pack.map(|p| &p.ivr),
            business: &ctx.tenant.name,
        }
    }

    fn line(
        &self,
        pick: impl Fn(&IvrScript, &str) -> Result<String, packs::TemplateError>,
        fallback: &str,
    ) -> String {
        self.ivr
            .and_then(|ivr| pick(ivr, self.business).ok())
            .unwrap_or_else(|| fallback.replace("{business_name}", self.business))
    }

    fn greeting(&self) -> String {
        self.line(IvrScript::greeting, "Thanks for calling {business_name}!")
    }
    fn menu(&self) -> String {
        self.line(
            IvrScript::menu,
            "Press 1 to talk to a person, 2 to get our booking link by text, or 3 to leave a voicemail.",
        )
    }
    fn voicemail_prompt(&self) -> String {
        self.line(
            IvrScript::voicemail_prompt,
            "Please leave a message after the tone.",
        )
    }
    fn connecting(&self) -> String {
        self.line(IvrScript::connecting, "Connecting you now.")
    }
    fn invalid_choice(&self) -> String {
        self.line(IvrScript::invalid_choice, "Sorry, I didn't catch that.")
    }
    fn booking_link_said(&self) -> String {
        self.line(
            IvrScript::booking_link_said,
            "I've texted you our booking link. Thanks for calling!",
        )
    }
    fn paused(&self) -> String {
        self.line(
            IvrScript::paused_message,
            "Thanks for calling {business_name}. This line is paused right now; please try again later.",
        )
    }
    fn joke(&self, pick: usize) -> String {
        self.ivr
            .and_then(|ivr| ivr.joke(pick))
            .unwrap_or("Why did the scarecrow win an award? He was outstanding in his field.")
            .to_owned()
    }
}

fn say(text: impl Into<String>) -> Say {
    Say::new(text)
}

/// `<Dial>` to the tenant's SIP address or forwarding number, falling
/// through to voicemail via `dial_complete` when nobody answers.
fn forward(ctx: &TenantContext, call: &IncomingCall, urls: &CallbackUrls) -> Option<Dial> {
    let phone = ctx.phone.as_ref()?;
    let dial = Dial::new()
        .caller_id(call.from.clone())
        .timeout(DIAL_TIMEOUT_SECS)
        .answer_on_bridge(true)
        .action(urls.dial_complete(ctx.tenant.id.as_str()));
    match (&phone.sip_uri, &phone.forward_to) {
        (Some(sip), _) => Some(dial.sip(Sip::new(format!("sip:{sip}")))),
        (None, Some(number)) => Some(dial.number(Number::new(number.clone()))),
        (None, None) => None,
    }
}

fn menu_gather(
    script: &Script<'_>,
    tenant: &str,
    attempt: u32,
    urls: &CallbackUrls,
    lead: Option<String>,
) -> Response {
    let mut gather = Gather::dtmf()
        .num_digits(1)
        .timeout(MENU_TIMEOUT_SECS)
        .action(urls.ivr(tenant, attempt));
    if let Some(lead) = lead {
        gather = gather.say(say(lead));
    }
    Response::new()
        .gather(gather.say(say(script.menu())))
        .redirect(Redirect::new(urls.ivr(tenant, attempt)))
}

/// How long Twilio listens for the caller to start speaking.
pub const SPEECH_TIMEOUT_SECS: u32 = 6;
/// Silent turns in a row before the caller is offered voicemail.
pub const SILENT_TURNS: u32 = 2;

/// One turn of the speech receptionist: say `line`, listen, post what was
/// heard to the agent route (also on silence, so the agent can re-prompt).
pub fn speech_gather(urls: &CallbackUrls, tenant: &str, turn: u32, line: &str) -> Response {
    let action = urls.voice_agent(tenant, turn);
    Response::new()
        .gather(
            Gather::speech()
                .action(action.clone())
                .timeout(SPEECH_TIMEOUT_SECS)
                .speech_timeout(SpeechTimeout::Auto)
                .action_on_empty_result(true)
                .say(say(line)),
        )
        .redirect(Redirect::new(action))
}

/// The voicemail prompt and recording.
pub fn voicemail(ctx: &TenantContext, call: &IncomingCall, urls: &CallbackUrls) -> Response {
    voicemail_with(ctx, call, urls, Script::of(ctx).voicemail_prompt())
}

fn voicemail_with(
    ctx: &TenantContext,
    call: &IncomingCall,
    urls: &CallbackUrls,
    prompt: String,
) -> Response {
    let tenant = ctx.tenant.id.as_str();
    Response::new().say(say(prompt)).record(
        Record::new()
            .max_length(VOICEMAIL_MAX_SECS)
            .play_beep(true)
            .action(urls.voicemail_done(tenant))
            .recording_status_callback(urls.recording(tenant, &call.from))
            .recording_status_callback_event(vec![RecordingEvent::Completed]),
    )
}

/// The answer for a number no tenant owns.
pub fn answer_unknown_number() -> Response {
    Response::new().say(say(UNKNOWN_NUMBER_LINE)).hangup()
}

/// The answer for a call to a trialing tenant that used up today's call minutes:
/// the caller leaves a message (recorded and texted to the owner as usual).
pub fn answer_over_trial_limit(
    ctx: &TenantContext,
    call: &IncomingCall,
    urls: &CallbackUrls,
) -> (Route, Response) {
    let line = format!(
        "Thanks for calling {}. We can't take your call right now; please leave a message after the tone.",
        Script::of(ctx).business
    );
    (Route::TrialLimit, voicemail_with(ctx, call, urls, line))
}

/// The answer for an incoming call: by status first, then by `ivr_mode`.
pub fn answer_incoming(
    ctx: &TenantContext,
    call: &IncomingCall,
    urls: &CallbackUrls,
    realtime: bool,
) -> (Route, Response) {
    let script = Script::of(ctx);
    let tenant = ctx.tenant.id.as_str();
    match policy::call_answer(ctx.tenant.status) {
        CallAnswer::Paused => {
            let forward_when_paused = ctx
                .config
                .as_ref()
                .is_some_and(|c| c.suspended_call_behavior == "forward");
            if forward_when_paused {
                if let Some(dial) = forward(ctx, call, urls) {
                    return (Route::PausedForward, Response::new().dial(dial));
                }
            }
            return (
                Route::Paused,
                Response::new().say(say(script.paused())).hangup(),
            );
        }
        CallAnswer::Closed => {
            let line = format!(
                "{} is no longer taking calls at this number. Thank you for calling. Goodbye.",
                script.business
            );
            return (Route::Cancelled, Response::new().say(say(line)).hangup());
        }
        CallAnswer::Normal => {}
    }
    let mode = ctx
        .phone
        .as_ref()
        .map(|p| p.ivr_mode)
        .unwrap_or(IvrMode::Ivr);
    match mode {
        IvrMode::Simple => match forward(ctx, call, urls) {
            Some(dial) => (Route::Forward, Response::new().dial(dial)),
            None => (
                Route::Forward,
                voicemail_with(ctx, call, urls, FALLBACK_SORRY.to_owned()),
            ),
        },
        IvrMode::AiVoice if ctx.tenant.has_feature(Feature::AiVoiceAgent) && !realtime => (
            Route::AiVoiceTurns,
            speech_gather(
                urls,
                tenant,
                1,
                &format!("{} How can I help you today?", script.greeting()),
            ),
        ),
        IvrMode::AiVoice if ctx.tenant.has_feature(Feature::AiVoiceAgent) => {
            let stream = Stream::new(urls.media_stream(tenant))
                .parameter("tenant_id", tenant)
                .parameter("call_sid", call.call_sid.clone())
                .parameter("from", call.from.clone());
            let twiml = Response::new()
                .connect(Connect::stream(stream))
                .redirect(Redirect::new(urls.ivr(tenant, 0)));
            (Route::AiVoice, twiml)
        }
        IvrMode::AiVoice => (
            Route::IvrFallback,
            menu_gather(&script, tenant, 1, urls, Some(script.greeting())),
        ),
        IvrMode::Ivr => (
            Route::Ivr,
            menu_gather(&script, tenant, 1, urls, Some(script.greeting())),
        ),
    }
}

/// The answer to a menu choice (`digits` absent when the menu timed out).
/// Attempt 0 with no digits presents the menu afresh (where a call lands
/// when the AI receptionist's stream ends without a goodbye).
pub fn answer_ivr(
    ctx: &TenantContext,
    call: &IncomingCall,
    digits: Option<&str>,
    attempt: u32,
    urls: &CallbackUrls,
    joke_pick: usize,
) -> IvrOutcome {
    let script = Script::of(ctx);
    let tenant = ctx.tenant.id.as_str();
    let plain = |twiml| IvrOutcome {
        twiml,
        action: None,
    };
    match digits.map(str::trim) {
        Some("1") => match forward(ctx, call, urls) {
            Some(dial) => plain(Response::new().say(say(script.connecting())).dial(dial)),
            None => plain(voicemail(ctx, call, urls)),
        },
        Some("2") => IvrOutcome {
            twiml: Response::new()
                .say(say(script.booking_link_said()))
                .hangup(),
            action: Some(IvrAction::TextBookingLink {
                url: booking_link(
                    ctx.config.as_ref().and_then(|c| c.booking_url.as_deref()),
                    &urls.public_base(),
                    &ctx.tenant.id,
                ),
            }),
        },
        Some("3") => plain(voicemail(ctx, call, urls)),
        Some("7") => plain(menu_gather(
            &script,
            tenant,
            attempt,
            urls,
            Some(script.joke(joke_pick)),
        )),
        None if attempt == 0 => plain(menu_gather(
            &script,
            tenant,
            1,
            urls,
            Some(script.greeting()),
        )),
        _ if attempt < MENU_ATTEMPTS => plain(menu_gather(
            &script,
            tenant,
            attempt + 1,
            urls,
            Some(script.invalid_choice()),
        )),
        _ => plain(voicemail(ctx, call, urls)),
    }
}

/// Says `lead`, then puts the caller through to a person (or to voicemail
/// when the tenant has no forwarding target).
pub fn connect_to_person(
    ctx: &TenantContext,
    call: &IncomingCall,
    urls: &CallbackUrls,
    lead: &str,
) -> Response {
    let script = Script::of(ctx);
    match forward(ctx, call, urls) {
        Some(dial) => Response::new()
            .say(say(lead))
            .say(say(script.connecting()))
            .dial(dial),
        None => voicemail_with(
            ctx,
            call,
            urls,
            format!("{lead} {}", script.voicemail_prompt()),
        ),
    }
}

/// After a forwarded call: done if it was answered, else voicemail.
pub fn after_dial(
    ctx: &TenantContext,
    call: &IncomingCall,
    dial_status: &str,
    urls: &CallbackUrls,
) -> Response {
    if dial_status == "completed" || dial_status == "answered" {
        Response::new().hangup()
    } else {
        voicemail(ctx, call, urls)
    }
}

/// After a voicemail: thanks and goodbye.
pub fn after_voicemail(ctx: &TenantContext) -> Response {
    Response::new()
        .say(say(format!(
            "Thanks for your message. {} will get back to you soon. Goodbye.",
            ctx.tenant.name
        )))
        .hangup()
}
