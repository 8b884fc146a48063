//! `servicepro`: the command line of the ServicePro server.

use anyhow::Context;

/// The process allocator. Every live call allocates and frees small buffers per 20 ms
/// frame on a few threads; mimalloc's thread-local free lists make that cheaper than
/// glibc's arenas (see BENCHMARKS.md, AI voice receptionist under load).
#[cfg(not(feature = "alloc-stats"))]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The same allocator with every allocation counted (`--features alloc-stats`), read
/// by `/metrics` through `servicepro::alloc_stats`.
#[cfg(feature = "alloc-stats")]
#[global_allocator]
static ALLOCATOR: stats_alloc::StatsAlloc<mimalloc::MiMalloc> =
    stats_alloc::StatsAlloc::new(mimalloc::MiMalloc);

#[cfg(feature = "alloc-stats")]
fn allocation_totals() -> servicepro::alloc_stats::AllocTotals {
    let stats = ALLOCATOR.stats();
    let wide = |v: usize| u64::try_from(v).unwrap_or(u64::MAX);
    servicepro::alloc_stats::AllocTotals {
        allocations: wide(stats.allocations),
        reallocations: wide(stats.reallocations),
        bytes_allocated: wide(stats.bytes_allocated),
    }
}

use clap::{Parser, Subcommand};
use servicepro::config::{Config, DEFAULT_DATABASE_URL};
use servicepro::ephemeral_pg::EphemeralPostgres;
use servicepro::postgres_check::{answers, require_postgres, DEFAULT_ADDRESS};
use servicepro::startup::{prepare_database, Application};

/// ServicePro: the telephony engine of a multi-tenant service-business OS.
///
/// Configuration comes from the environment (see README.md): DATABASE_URL,
/// SERVICEPRO_BIND, SERVICEPRO_PUBLIC_URL, SERVICEPRO_ROOT_TOKEN,
/// SERVICEPRO_SECRET_KEY, TWILIO_*, OPENAI_*, STRIPE_*.
#[derive(Debug, Parser)]
#[command(name = "servicepro", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the server: applies pending migrations, then answers Twilio and
    /// Stripe webhooks, the REST API and health checks until SIGTERM/Ctrl-C.
    Serve {
        /// Run on a private throwaway PostgreSQL cluster (deleted on exit)
        /// when DATABASE_URL is unset and nothing answers at the default address.
        #[arg(long)]
        ephemeral_db: bool,
    },
    /// Create the database if missing and apply pending migrations, then exit.
    Migrate,
    /// Load test of the AI voice receptionist: N simulated calls at real-time
    /// pace through the media-stream websocket of a server this command
    /// starts, against a loopback Realtime provider; reports the server's
    /// own CPU per call-second and memory per call. Only in a build with the
    /// `testkit` feature (the provider is a test double).
    #[cfg(feature = "testkit")]
    Loadtest {
        /// Concurrent calls.
        #[arg(long, default_value_t = 100)]
        calls: usize,
        /// Seconds per call.
        #[arg(long, default_value_t = 20)]
        seconds: u64,
        /// Transcode to PCM16 24 kHz instead of μ-law pass-through.
        #[arg(long)]
        transcode: bool,
        /// Port of the server this command starts (without `--url`).
        #[arg(long, default_value_t = 18099)]
        port: u16,
        /// Drive a bridge started separately at this media-stream websocket URL
        /// (e.g. `ws://127.0.0.1:5050/media-stream`) instead of starting the engine.
        #[arg(long, requires = "pid")]
        url: Option<String>,
        /// The process of the bridge at `--url`, for its CPU and memory.
        #[arg(long, requires = "url")]
        pid: Option<u32>,
        /// Do not sign the media-stream handshake (for bridges that do not check it).
        #[arg(long)]
        no_signature: bool,
        /// Port of the loopback Realtime provider (0: any); point a separately started
        /// bridge at `ws://127.0.0.1:PORT/v1/realtime`.
        #[arg(long, default_value_t = 0)]
        provider_port: u16,
        /// The provider talks as soon as the session is configured, for bridges that
        /// never ask for a greeting (the Node sample).
        #[arg(long)]
        provider_greets: bool,
        /// Pin the engine this command starts to these CPUs (`taskset -c` list);
        /// without it the engine inherits the generator's affinity.
        #[arg(long)]
        server_cpus: Option<String>,
        /// Count the bridge's system calls in the measuring window (needs `perf`
        /// and access to the kernel's tracepoints).
        #[arg(long)]
        syscalls: bool,
    },
    /// Export one tenant's data (the same zip as `POST /api/exports`: a CSV
    /// and a JSON file per table, recordings when asked) to FILE, with a
    /// progress bar; the file appears only when complete.
    Export {
        /// The tenant id.
        #[arg(long)]
        tenant: String,
        /// The zip to write (replaced if it exists).
        #[arg(long)]
        out: std::path::PathBuf,
        /// Include call recordings.
        #[arg(long)]
        recordings: bool,
    },
    /// Knowledge-base administration.
    Kb {
        #[command(subcommand)]
        command: KbCommand,
    },
    /// The tour on a fresh machine: migrate and seed a demo database (a
    /// private throwaway cluster when no PostgreSQL answers), serve, and play
    /// Twilio against the server — calls in every answering mode, an IVR
    /// choice that texts a booking link — printing what the server answered.
    Demo {
        /// Exit after the tour instead of serving until Ctrl-C.
        #[arg(long)]
        exit: bool,
    },
}

#[derive(Debug, Subcommand)]
enum KbCommand {
    /// Import a tenant's knowledge base from a spreadsheet (.csv or .xlsx)
    /// with question / answer / category / keywords columns; entries with
    /// the same question are replaced, skipped rows are listed.
    Import {
        /// The tenant id.
        #[arg(long)]
        tenant: String,
        /// The spreadsheet.
        file: std::path::PathBuf,
    },
}

/// Where the database is, possibly starting a private cluster.
async fn resolve_database(
    config: &Config,
    allow_ephemeral: bool,
) -> anyhow::Result<(String, Option<EphemeralPostgres>)> {
    if let Some(url) = &config.database_url {
        return Ok((url.clone(), None));
    }
    if !allow_ephemeral || answers(DEFAULT_ADDRESS).await {
        return Ok((DEFAULT_DATABASE_URL.to_owned(), None));
    }
    tracing::info!("no PostgreSQL at 127.0.0.1:5432; starting a private throwaway cluster");
    let pg = tokio::task::spawn_blocking(EphemeralPostgres::start)
        .await?
        .context("starting an ephemeral PostgreSQL")?;
    Ok((pg.url().to_owned(), Some(pg)))
}

/// `servicepro export`: the engine's export to `out`, its progress drawn as a bar
/// (on a terminal; nothing otherwise).
async fn export_with_bar(
    pool: &servicepro_schema::DbPool,
    tenant: &servicepro_schema::TenantId,
    recordings: bool,
    out: &std::path::Path,
) -> anyhow::Result<u64> {
    use servicepro_actors::export::file::export_to_file;
    const STEPS: u64 = 1000;
    let bar = indicatif::ProgressBar::new(STEPS).with_style(
        indicatif::ProgressStyle::with_template(
            "{elapsed_precise} [{bar:40}] {percent:>3}% {msg}",
        )?
        .progress_chars("=> "),
    );
    let written = export_to_file(pool, tenant, recordings, out, |p| {
        bar.set_position((f64::from(p.fraction) * STEPS as f64) as u64);
        bar.set_message(format!("{}: {}/{} rows", p.entry, p.rows, p.of));
        async { Ok(()) }
    })
    .await;
    bar.finish_and_clear();
    written.with_context(|| format!("exporting {tenant} to {}", out.display()))
}

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    #[cfg(feature = "alloc-stats")]
    servicepro::alloc_stats::install(allocation_totals);
    let cli = Cli::parse();
    let quiet = matches!(cli.command, Command::Demo { .. });
    servicepro::telemetry::init(if quiet { "warn" } else { "info" });
    let config = Config::from_env().context("invalid configuration")?;
    // The commands that can run on a private cluster say in one line what is missing
    // when there is no PostgreSQL at all, before anything else is printed.
    let may_run_private_cluster = match cli.command {
        Command::Demo { .. } => Some("demo"),
        Command::Serve { ephemeral_db: true } => Some("serve"),
        _ => None,
    };
    if let Some(command) = may_run_private_cluster {
        require_postgres(command, config.database_url.as_deref()).await?;
    }
    if config.secret_key_generated {
        tracing::warn!("SERVICEPRO_SECRET_KEY is not set; using a key generated for this run (secrets stored now cannot be read after a restart)");
    }
    match cli.command {
        Command::Migrate => {
            let (url, _pg) = resolve_database(&config, false).await?;
            let applied = prepare_database(&url).await.context("migrating")?;
            println!("applied {} migration(s)", applied.len());
        }
        Command::Export {
            tenant,
            out,
            recordings,
        } => {
            let tenant = servicepro_schema::TenantId::parse(&tenant)?;
            let (url, _pg) = resolve_database(&config, false).await?;
            prepare_database(&url).await.context("migrating")?;
            let pool = servicepro_schema::DbPool::new(&servicepro_schema::PoolSettings::new(
                url.as_str(),
            ))?;
            let bytes = export_with_bar(&pool, &tenant, recordings, &out).await?;
            println!("exported {tenant} to {} ({bytes} bytes)", out.display());
        }
        Command::Kb {
            command: KbCommand::Import { tenant, file },
        } => {
            let tenant = servicepro_schema::TenantId::parse(&tenant)?;
            let bytes =
                std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
            let report =
                servicepro_actors::kb_admin::parse_spreadsheet(&file.to_string_lossy(), &bytes)?;
            let (url, _pg) = resolve_database(&config, false).await?;
            prepare_database(&url).await.context("migrating")?;
            let pool = servicepro_schema::DbPool::new(&servicepro_schema::PoolSettings::new(
                url.as_str(),
            ))?;
            let root = servicepro_schema::RootDb::new(pool);
            let written =
                servicepro_actors::kb_admin::store_entries(&root, "cli", &tenant, &report).await?;
            println!("imported {written} entr(ies) into {tenant}'s knowledge base");
            for skipped in &report.skipped {
                println!("  skipped row {}: {}", skipped.row, skipped.reason);
            }
        }
        #[cfg(feature = "testkit")]
        Command::Loadtest {
            calls,
            seconds,
            transcode,
            port,
            url,
            pid,
            no_signature,
            provider_port,
            provider_greets,
            server_cpus,
            syscalls,
        } => {
            let database_url = config.database_url_or_default().to_owned();
            let external = url
                .zip(pid)
                .map(|(url, pid)| servicepro::loadtest::External { url, pid });
            servicepro::loadtest::run(servicepro::loadtest::LoadTest {
                calls,
                seconds,
                transcode,
                database_url,
                port,
                external,
                signed: !no_signature,
                provider_port,
                provider_greets,
                server_cpus,
                syscalls,
            })
            .await?;
        }
        Command::Demo { exit } => {
            let (url, _pg) = resolve_database(&config, true).await?;
            let url = if config.database_url.is_none() && _pg.is_none() {
                let demo =
                    servicepro_schema::database_admin::with_database(&url, "servicepro_demo")?;
                servicepro_schema::database_admin::drop_database(&demo, "servicepro_demo").await?;
                demo
            } else {
                url
            };
            servicepro::demo::run(config, &url, exit).await?;
        }
        Command::Serve { ephemeral_db } => {
            let (url, _pg) = resolve_database(&config, ephemeral_db).await?;
            let app = Application::build(config.clone(), &url)
                .await
                .context("starting the server")?;
            tracing::info!(bind = %config.bind, public_url = %config.public_url, "serving");
            app.run_until_stopped().await?;
            tracing::info!("stopped");
        }
    }
    Ok(())
}
