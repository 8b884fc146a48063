//! Before a command that can run on a private cluster (`demo`, `serve
//! --ephemeral-db`) starts: is there any PostgreSQL to use? Either a server
//! answers at `DATABASE_URL` (or the default address), or the machine has the
//! server binaries for [`crate::ephemeral_pg`]. When neither, [`NoPostgres`]
//! is one line saying what to install, instead of a connection error later.

use std::path::PathBuf;
use std::time::Duration;

use thiserror::Error;

use crate::ephemeral_pg::{find_server_binaries, server_bin_candidates};

/// The address tried when `DATABASE_URL` is unset: the server of
/// [`crate::config::DEFAULT_DATABASE_URL`].
pub const DEFAULT_ADDRESS: &str = "127.0.0.1:5432";

/// How long a server gets to accept a TCP connection before it counts as absent.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);

/// No PostgreSQL at all: nothing answers and no server binaries are installed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("servicepro {command} needs PostgreSQL: install the server (Debian/Ubuntu: apt-get install postgresql) or point DATABASE_URL at a running one (nothing answers at {address} and initdb/pg_ctl are not installed)")]
pub struct NoPostgres {
    /// The command that needed it (`demo`, `serve`).
    pub command: &'static str,
    /// The server address that did not answer.
    pub address: String,
}

/// Whether something accepts TCP connections at `address` (`host:port`) within two
/// seconds.
pub async fn answers(address: &str) -> bool {
    tokio::time::timeout(CONNECT_TIMEOUT, tokio::net::TcpStream::connect(address))
        .await
        .is_ok_and(|r| r.is_ok())
}

/// The TCP `host:port` of a `postgres://` URL (port 5432 when absent); `None` for a
/// URL that reaches its server over a unix socket (a percent-encoded path as host),
/// or one that does not parse (connecting reports that better).
pub fn tcp_address(database_url: &str) -> Option<String> {
    let url = url::Url::parse(database_url).ok()?;
    let host = url
        .host_str()
        .filter(|h| !h.is_empty() && !h.starts_with('%'))?;
    Some(format!("{host}:{}", url.port().unwrap_or(5432)))
}

/// Succeeds when `command` has a PostgreSQL to use: a server answering at
/// `database_url` (or [`DEFAULT_ADDRESS`] when unset) or server binaries among
/// `bin_candidates` (see [`server_bin_candidates`]).
pub async fn require_postgres_in(
    command: &'static str,
    database_url: Option<&str>,
    bin_candidates: &[PathBuf],
) -> Result<(), NoPostgres> {
    let address = match database_url {
        Some(url) => match tcp_address(url) {
            Some(address) => address,
            None => return Ok(()),
        },
        None => DEFAULT_ADDRESS.to_owned(),
    };
    if answers(&address).await || find_server_binaries(bin_candidates).is_ok() {
        return Ok(());
    }
    Err(NoPostgres { command, address })
}

/// [`require_postgres_in`] with this machine's `PATH` and PostgreSQL directories.
pub async fn require_postgres(
    command: &'static str,
    database_url: Option<&str>,
) -> Result<(), NoPostgres> {
    require_postgres_in(command, database_url, &server_bin_candidates()).await
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A port on which nothing listens (bound, then released).
    fn closed_port() -> u16 {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    }

    fn scratch_bin(name: &str, tools: &[&str]) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("servicepro-pgbin-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        for tool in tools {
            std::fs::write(dir.join(tool), b"#!/bin/sh\n").unwrap();
        }
        dir
    }

    #[actix_web::test]
    async fn nothing_answering_and_no_binaries_is_one_line_saying_what_to_install() {
        let port = closed_port();
        let url = format!("postgres://postgres@127.0.0.1:{port}/servicepro");
        let half = scratch_bin("half", &["initdb"]);
        let err = require_postgres_in("demo", Some(&url), std::slice::from_ref(&half))
            .await
            .unwrap_err();
        assert_eq!(err.address, format!("127.0.0.1:{port}"));
        let line = err.to_string();
        assert!(!line.contains('\n'), "{line}");
        assert!(line.starts_with("servicepro demo needs PostgreSQL: install the server (Debian/Ubuntu: apt-get install postgresql) or point DATABASE_URL at a running one"), "{line}");
        assert!(line.contains(&err.address), "{line}");
        let _ = std::fs::remove_dir_all(half);
    }

    #[actix_web::test]
    async fn a_server_or_the_binaries_is_enough() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let open = format!(
            "postgres://postgres@{}/servicepro",
            listener.local_addr().unwrap()
        );
        assert_eq!(require_postgres_in("demo", Some(&open), &[]).await, Ok(()));

        let closed = format!("postgres://postgres@127.0.0.1:{}/x", closed_port());
        let bin = scratch_bin("full", &["initdb", "pg_ctl"]);
        assert_eq!(
            require_postgres_in(
                "serve",
                Some(&closed),
                &[PathBuf::from("/nonexistent"), bin.clone()]
            )
            .await,
            Ok(())
        );
        let _ = std::fs::remove_dir_all(bin);

        // A unix-socket URL is left to the connection to judge.
        let socket = "postgres://postgres@%2Ftmp%2Fpg/servicepro";
        assert_eq!(require_postgres_in("demo", Some(socket), &[]).await, Ok(()));
    }

    #[test]
    fn urls_name_their_tcp_server() {
        assert_eq!(
            tcp_address("postgres://postgres@127.0.0.1:5433/db").as_deref(),
            Some("127.0.0.1:5433")
        );
        assert_eq!(
            tcp_address("postgres://u:p@db.internal/db").as_deref(),
            Some("db.internal:5432")
        );
        assert_eq!(tcp_address("postgres://postgres@%2Ftmp%2Fpg/db"), None);
        assert_eq!(tcp_address("not a url"), None);
        assert_eq!(
            tcp_address(crate::config::DEFAULT_DATABASE_URL).as_deref(),
            Some(DEFAULT_ADDRESS)
        );
    }
}
