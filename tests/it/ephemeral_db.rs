//! The fresh-machine default: a private throwaway PostgreSQL cluster made
//! with the machine's own `initdb`/`pg_ctl`, reachable over a unix socket,
//! migrated and served from, then stopped and deleted.

use servicepro::ephemeral_pg::EphemeralPostgres;
use servicepro::startup::prepare_database;
use servicepro_schema::{DbPool, PoolSettings};

#[actix_web::test]
async fn a_private_cluster_starts_migrates_and_is_removed() {
    let pg = tokio::task::spawn_blocking(EphemeralPostgres::start)
        .await
        .unwrap()
        .unwrap();
    let url = pg.url().to_owned();
    let dir = url.split("host=").nth(1).unwrap().to_owned();
    assert!(std::path::Path::new(&dir).exists());
    let applied = prepare_database(&url).await.unwrap();
    assert!(!applied.is_empty(), "migrations ran on the private cluster");
    let pool = DbPool::new(&PoolSettings::new(url.as_str())).unwrap();
    pool.ping().await.unwrap();
    drop(pool);
    tokio::task::spawn_blocking(move || drop(pg)).await.unwrap();
    assert!(
        !std::path::Path::new(&dir).exists(),
        "the cluster's directory is removed"
    );
}
