//! A private, throwaway PostgreSQL cluster for a fresh machine: when no
//! database is configured and nothing answers at the default address,
//! `servicepro demo` (and `serve --ephemeral-db`) runs one with the
//! machine's own `initdb`/`pg_ctl`, listening only on a unix socket in a
//! temporary directory that is removed when the server exits.

use std::io;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A running private cluster; stopped and deleted on drop.
#[derive(Debug)]
pub struct EphemeralPostgres {
    dir: PathBuf,
    bin: PathBuf,
    run_as: Option<(u32, u32)>,
    url: String,
}

/// Where PostgreSQL's server binaries may be: every `PATH` directory, then Debian's
/// versioned `/usr/lib/postgresql/*/bin`, newest first.
pub fn server_bin_candidates() -> Vec<PathBuf> {
    let mut candidates: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect())
        .unwrap_or_default();
    if let Ok(entries) = std::fs::read_dir("/usr/lib/postgresql") {
        let mut versions: Vec<PathBuf> = entries.flatten().map(|e| e.path().join("bin")).collect();
        versions.sort();
        candidates.extend(versions.into_iter().rev());
    }
    candidates
}

/// The first of `candidates` holding both `initdb` and `pg_ctl`.
pub fn find_server_binaries(candidates: &[PathBuf]) -> io::Result<PathBuf> {
    candidates
        .iter()
        .find(|dir| dir.join("initdb").is_file() && dir.join("pg_ctl").is_file())
        .cloned()
        .ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::NotFound,
                "PostgreSQL's initdb/pg_ctl not found (install the postgresql package)",
            )
        })
}

/// `initdb` refuses to run as root: use the `postgres` system user then.
fn unprivileged_user() -> io::Result<Option<(u32, u32)>> {
    let uid = std::fs::metadata("/proc/self").map(|m| std::os::unix::fs::MetadataExt::uid(&m))?;
    if uid != 0 {
        return Ok(None);
    }
    let passwd = std::fs::read_to_string("/etc/passwd")?;
    passwd
        .lines()
        .map(|l| l.split(':').collect::<Vec<_>>())
        .find(|f| f.first() == Some(&"postgres") && f.len() > 3)
        .and_then(|f| Some((f[2].parse().ok()?, f[3].parse().ok()?)))
        .map(Some)
        .ok_or_else(|| io::Error::other("running as root and no 'postgres' user exists for initdb"))
}

impl EphemeralPostgres {
    /// Creates and starts a cluster; returns once it accepts connections.
    pub fn start() -> io::Result<Self> {
        let bin = find_server_binaries(&server_bin_candidates())?;
        let run_as = unprivileged_user()?;
        let dir = std::env::temp_dir().join(format!("servicepro-pg-{}", std::process::id()));
        if dir.exists() {
            std::fs::remove_dir_all(&dir)?;
        }
        std::fs::create_dir_all(&dir)?;
        if let Some((uid, gid)) = run_as {
            std::os::unix::fs::chown(&dir, Some(uid), Some(gid))?;
        }
        // The socket directory is the URL's host, percent-encoded: a
        // `?host=` parameter would be tried *after* the URL's own host, and
        // a server on localhost would win.
        let host: String =
            url::form_urlencoded::byte_serialize(path_str(&dir)?.as_bytes()).collect();
        let cluster = EphemeralPostgres {
            url: format!("postgres://postgres@{host}/servicepro"),
            dir,
            bin,
            run_as,
        };
        let data = cluster.dir.join("data");
        cluster.run(
            "initdb",
            &[
                "-D",
                path_str(&data)?,
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--no-sync",
            ],
        )?;
        let options = format!(
            "-c listen_addresses='' -k {} -c fsync=off",
            cluster.dir.display()
        );
        cluster.run(
            "pg_ctl",
            &[
                "-D",
                path_str(&data)?,
                "-o",
                &options,
                "-l",
                path_str(&cluster.dir.join("log"))?,
                "-w",
                "start",
            ],
        )?;
        tracing::info!(dir = %cluster.dir.display(), "started ephemeral PostgreSQL");
        Ok(cluster)
    }

    /// The URL of its `servicepro` database (created by the server on start).
    pub fn url(&self) -> &str {
        &self.url
    }

    fn run(&self, tool: &str, args: &[&str]) -> io::Result<()> {
        let mut cmd = Command::new(self.bin.join(tool));
        cmd.args(args).current_dir(&self.dir);
        if let Some((uid, gid)) = self.run_as {
            cmd.uid(uid).gid(gid);
        }
        let out = cmd.output()?;
        if out.status.success() {
            Ok(())
        } else {
            Err(io::Error::other(format!(
                "{tool} failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            )))
        }
    }
}

fn path_str(p: &Path) -> io::Result<&str> {
    p.to_str()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "non-UTF-8 temp path"))
}

impl Drop for EphemeralPostgres {
    fn drop(&mut self) {
        let data = self.dir.join("data");
        if let Ok(data) = path_str(&data) {
            if let Err(e) = self.run("pg_ctl", &["-D", data, "-m", "fast", "-w", "stop"]) {
                tracing::warn!(error = %e, "could not stop ephemeral PostgreSQL");
            }
        }
        if let Err(e) = std::fs::remove_dir_all(&self.dir) {
            tracing::warn!(error = %e, dir = %self.dir.display(), "could not remove ephemeral PostgreSQL");
        }
    }
}
