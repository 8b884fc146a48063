//! `servicepro demo`: the main job on a fresh machine. It migrates and
//! seeds a database, serves, and then plays Twilio against the running
//! server — calls to tenants in each answering mode, an IVR choice that
//! texts a booking link — printing what the server answered. Twilio's REST
//! API is a loopback sink that prints the texts the engine sends. It ends
//! with the owner's and the operator's sign-in, each tried first
//! (`sign_in_check`).

mod caller;
mod sign_in_check;
mod trial;
mod twilio_sink;

use crate::config::Config;
use crate::startup::Application;
use anyhow::Context;
use caller::{pretty_twiml, DemoTwilio};
use diesel::{ExpressionMethods, QueryDsl};
use diesel_async::RunQueryDsl;
use servicepro_schema::root_db::AuditEntry;
use servicepro_schema::schema::{tenant_config, tenant_phone_config};
use servicepro_schema::{IvrMode, SecretString, TenantId};
use twilio_sink::TwilioSink;

const DEMO_ACCOUNT_SID: &str = "ACdemo0000000000000000000000000000";
const DEMO_AUTH_TOKEN: &str = "demo-auth-token-not-secret";
const DEMO_ROOT_TOKEN: &str = "demo-root-token-not-secret";
const CALLER: &str = "+14155550123";

struct DemoTenant {
    id: &'static str,
    name: &'static str,
    industry: &'static str,
    plan_tier: &'static str,
    status: &'static str,
    phone: &'static str,
    ivr_mode: &'static str,
}

const TENANTS: [DemoTenant; 3] = [
    DemoTenant {
        id: "green-acres",
        name: "Green Acres Lawn Care",
        industry: "lawn-care",
        plan_tier: "pro",
        status: "trialing",
        phone: "+19185550101",
        ivr_mode: "ivr",
    },
    DemoTenant {
        id: "sparkle-clean",
        name: "Sparkle Home Cleaning",
        industry: "house-cleaning",
        plan_tier: "elite",
        status: "active",
        phone: "+19185550102",
        ivr_mode: "ai-voice",
    },
    DemoTenant {
        id: "paws-spa",
        name: "Paws & Claws Grooming",
        industry: "pet-grooming",
        plan_tier: "pro",
        status: "suspended",
        phone: "+19185550103",
        ivr_mode: "ivr",
    },
];

/// Root's number and its owner's softphone.
const ROOT_NUMBER: &str = "+19185550100";
const ROOT_SIP: &str = "jody@cleanmachinetulsa.sip.twilio.com";

fn banner(title: &str) {
    println!("\n=== {title} ===");
}

/// Runs the demo against the database at `database_url`.
pub async fn run(mut config: Config, database_url: &str, exit_after: bool) -> anyhow::Result<()> {
    let sink = TwilioSink::start().context("starting the demo Twilio sink")?;
    config.twilio.api_base = url::Url::parse(&sink.base)?;
    config.twilio.account_sid = Some(DEMO_ACCOUNT_SID.to_owned());
    config.twilio.auth_token = Some(SecretString::from(DEMO_AUTH_TOKEN));
    // Billing on, with the demo's own webhook secret and prices: the trial tour signs
    // Stripe's events itself (nothing calls Stripe's API; its base is the sink).
    config.stripe.secret_key = Some(SecretString::from("sk_demo_not_secret"));
    config.stripe.webhook_secret = Some(SecretString::from(trial::WEBHOOK_SECRET));
    config.stripe.prices = Some(trial::prices());
    config.stripe.api_base = url::Url::parse(&sink.base)?;
    // The demo prints the root token on purpose: the tour ends with a curl to try.
    let root_token = config
        .root_token
        .get_or_insert_with(|| SecretString::from(DEMO_ROOT_TOKEN))
        .expose_secret()
        .to_owned();
    let bind = config.bind;
    let app = Application::build(config.clone(), database_url)
        .await
        .context("starting the server")?;
    let server = format!("http://127.0.0.1:{}", app.port());
    let state = app.state().clone();
    let handle = app.handle();
    let serving = actix_web::rt::spawn(app.run_until_stopped());
    println!(
        "ServicePro is serving on http://{bind} (public URL {})",
        config.public_url
    );

    banner("Seeding tenants");
    attach_root_number(&state).await?;
    println!("  root          Clean Machine (mobile-detailing, elite/active)   {ROOT_NUMBER}  simple → sip:{ROOT_SIP}");
    let http = reqwest::Client::new();
    for t in &TENANTS {
        let res = http
            .post(format!("{server}/api/admin/tenants"))
            .bearer_auth(&root_token)
            .json(&serde_json::json!({
                "id": t.id, "name": t.name, "industry": t.industry, "plan_tier": t.plan_tier,
                "status": t.status, "phone_number": t.phone, "ivr_mode": t.ivr_mode,
                "forward_to": "+19185550199",
            }))
            .send()
            .await?;
        let status = res.status();
        if status.as_u16() != 201 && status.as_u16() != 409 {
            anyhow::bail!("creating {}: {status} {}", t.id, res.text().await?);
        }
        set_booking_url(&state, t.id).await?;
        println!(
            "  {:<13} {} ({}, {}/{})   {}  {}",
            t.id, t.name, t.industry, t.plan_tier, t.status, t.phone, t.ivr_mode
        );
    }

    let twilio = DemoTwilio::new(
        server.clone(),
        config.public_url.to_string(),
        DEMO_AUTH_TOKEN.to_owned(),
    );
    let calls = [
        (
            "Clean Machine (simple: forward to the owner's SIP softphone)",
            ROOT_NUMBER,
        ),
        ("Green Acres (ivr: the DTMF menu)", TENANTS[0].phone),
        (
            "Sparkle (ai-voice: the AI receptionist's media stream)",
            TENANTS[1].phone,
        ),
        ("Paws & Claws (suspended: paused message)", TENANTS[2].phone),
        ("A number no tenant owns", "+19185559999"),
    ];
    for (i, (title, to)) in calls.iter().enumerate() {
        banner(&format!("Inbound call: {title}"));
        let sid = format!("CAdemo{i:028}");
        let (status, doc) = twilio
            .post(
                "/twilio/voice/incoming",
                &[
                    ("CallSid", &sid),
                    ("From", CALLER),
                    ("To", to),
                    ("CallStatus", "ringing"),
                    ("Direction", "inbound"),
                ],
            )
            .await?;
        println!(
            "  POST /twilio/voice/incoming → {status}\n{}",
            pretty_twiml(&doc)
        );
    }

    banner("Green Acres caller presses 2 (booking link by text)");
    let ivr_path = format!("/twilio/voice/ivr?tenant_id={}&attempt=1", TENANTS[0].id);
    let (status, doc) = twilio
        .post(
            &ivr_path,
            &[
                ("CallSid", "CAdemo-ivr"),
                ("From", CALLER),
                ("To", TENANTS[0].phone),
                ("Digits", "2"),
            ],
        )
        .await?;
    println!("  POST {ivr_path} → {status}\n{}", pretty_twiml(&doc));
    wait_for_texts(&sink, 1).await;

    banner("Green Acres caller presses 7 (the easter egg)");
    let (status, doc) = twilio
        .post(
            &ivr_path,
            &[
                ("CallSid", "CAdemo-ivr"),
                ("From", CALLER),
                ("To", TENANTS[0].phone),
                ("Digits", "7"),
            ],
        )
        .await?;
    println!("  POST {ivr_path} → {status}\n{}", pretty_twiml(&doc));

    banner("AI voice call to Sparkle (no API key: Twilio speech recognition + the agent brain)");
    let voice_path = format!("/twilio/voice/agent?tenant_id={}&turn=1", TENANTS[1].id);
    for (i, heard) in [
        "hi I need a deep cleaning next tuesday afternoon for a 3 bedroom 2 bath house at 55 Oak Street Tulsa",
        "the first one",
    ]
    .iter()
    .enumerate()
    {
        let (status, doc) = twilio
            .post(
                &voice_path,
                &[("CallSid", "CAdemo-voice"), ("From", CALLER), ("To", TENANTS[1].phone), ("SpeechResult", heard), ("Confidence", "0.93")],
            )
            .await?;
        println!("  caller says: {heard}");
        println!("  POST {voice_path} → {status} (turn {})\n{}", i + 1, pretty_twiml(&doc));
    }
    wait_for_texts(&sink, 2).await;

    banner("SMS booking with Clean Machine (the offline agent brain)");
    let texter = "+14155550188";
    let lines = [
        "hi can i get a full detial saturday morning for my 2019 f150 at 123 main st tulsa",
        "1",
    ];
    for (i, line) in lines.iter().enumerate() {
        let sid = format!("SMdemo{i:028}");
        let (status, doc) = twilio
            .post(
                "/twilio/sms/incoming",
                &[
                    ("MessageSid", &sid),
                    ("From", texter),
                    ("To", ROOT_NUMBER),
                    ("Body", line),
                ],
            )
            .await?;
        println!("  customer: {line}");
        println!("  agent ({status}): {}", inline_reply(&doc));
    }
    let res = http
        .get(format!("{server}/api/admin/tenants/root/appointments"))
        .bearer_auth(&root_token)
        .send()
        .await?;
    let booked: serde_json::Value = res.json().await?;
    match booked["appointments"].as_array().and_then(|a| a.last()) {
        Some(a) => println!(
            "  booked: appointment #{} {} at {} for {} (${:.2})",
            a["id"],
            a["service"],
            a["starts_at"],
            a["customer_phone"],
            a["price_cents"].as_f64().unwrap_or_default() / 100.0
        ),
        None => println!("  (no appointment was booked)"),
    }

    banner("Forged webhook (wrong signature)");
    let forged = DemoTwilio::new(
        server.clone(),
        config.public_url.to_string(),
        "wrong-token".to_owned(),
    );
    let (status, body) = forged
        .post(
            "/twilio/voice/incoming",
            &[
                ("CallSid", "CAforged"),
                ("From", CALLER),
                ("To", ROOT_NUMBER),
            ],
        )
        .await?;
    println!("  POST /twilio/voice/incoming → {status} {body}");

    banner("A trial: signup, its number, a text, an upgrade, a failed and a paid invoice");
    trial::tour(&server, &twilio).await?;

    banner("Done");
    println!(
        "  {} text(s) went out through the Twilio sink.",
        sink.texts().len()
    );
    // Each printed sign-in is tried first, exactly as printed.
    sign_in_check::signs_in(
        &server,
        "/app/sign-in",
        "/app",
        &[
            ("email", trial::OWNER_EMAIL),
            ("password", trial::OWNER_PASSWORD),
        ],
    )
    .await
    .context("the demo owner's sign-in")?;
    sign_in_check::signs_in(&server, "/root/sign-in", "/root", &[("token", &root_token)])
        .await
        .context("the operator's sign-in")?;
    println!(
        "  Owner app:  http://{bind}/app/sign-in  ({} / {})  (signed in: checked)",
        trial::OWNER_EMAIL,
        trial::OWNER_PASSWORD
    );
    println!(
        "  Operator:   http://{bind}/root/sign-in  (root token {root_token})  (signed in: checked)"
    );
    if exit_after {
        handle.stop(true).await;
        return Ok(());
    }
    println!("  The server keeps running on http://{bind}; Ctrl-C stops it.");
    println!(
        "  Try: curl -s -H 'Authorization: Bearer {root_token}' http://{bind}/api/admin/tenants"
    );
    serving.await??;
    Ok(())
}

/// The text of a TwiML `<Message>` reply, unescaped for reading.
fn inline_reply(doc: &str) -> String {
    doc.split("<Message>")
        .nth(1)
        .and_then(|r| r.split("</Message>").next())
        .unwrap_or("(no inline reply)")
        .replace("&apos;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

async fn wait_for_texts(sink: &TwilioSink, n: usize) {
    for _ in 0..100 {
        if sink.texts().len() >= n {
            return;
        }
        actix_web::rt::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

async fn attach_root_number(state: &crate::state::AppState) -> anyhow::Result<()> {
    let root = TenantId::root();
    state
        .root_db
        .transaction(
            AuditEntry::new("demo", "tenant.attach_number", Some(&root)),
            |tx| {
                Box::pin(async move {
                    diesel::insert_into(tenant_phone_config::table)
                        .values((
                            tenant_phone_config::tenant_id.eq(TenantId::ROOT),
                            tenant_phone_config::phone_number.eq(ROOT_NUMBER),
                            tenant_phone_config::ivr_mode.eq(IvrMode::Simple),
                            tenant_phone_config::sip_uri.eq(ROOT_SIP),
                        ))
                        .on_conflict(tenant_phone_config::phone_number)
                        .do_nothing()
                        .execute(tx.conn())
                        .await?;
                    diesel::update(
                        tenant_config::table.filter(tenant_config::tenant_id.eq(TenantId::ROOT)),
                    )
                    .set((
                        tenant_config::owner_phone.eq("+19185550199"),
                        tenant_config::booking_url.eq("https://cleanmachinetulsa.com/book"),
                    ))
                    .execute(tx.conn())
                    .await?;
                    Ok(())
                })
            },
        )
        .await?;
    Ok(())
}

async fn set_booking_url(
    state: &crate::state::AppState,
    tenant: &'static str,
) -> anyhow::Result<()> {
    let id = TenantId::parse(tenant)?;
    state
        .root_db
        .transaction(
            AuditEntry::new("demo", "tenant.configure", Some(&id)),
            move |tx| {
                Box::pin(async move {
                    diesel::update(
                        tenant_config::table.filter(tenant_config::tenant_id.eq(tenant)),
                    )
                    .set((
                        tenant_config::owner_phone.eq("+19185550199"),
                        tenant_config::booking_url.eq(format!("https://{tenant}.example.com/book")),
                    ))
                    .execute(tx.conn())
                    .await?;
                    Ok(())
                })
            },
        )
        .await?;
    Ok(())
}
