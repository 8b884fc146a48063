//! The fresh-machine default: a private throwaway PostgreSQL cluster made
//! with the machine's own `initdb`/`pg_ctl`, reachable over a unix socket,
//! migrated and served from, then stopped and deleted.

use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use servicepro::ephemeral_pg::EphemeralPostgres;
use servicepro::startup::prepare_database;
use servicepro_schema::{DbPool, PoolSettings};

#[derive(diesel::QueryableByName)]
struct DataDirectory {
    #[diesel(sql_type = diesel::sql_types::Text)]
    data_directory: String,
}

#[actix_web::test]
async fn a_private_cluster_starts_migrates_and_is_removed() {
    let pg = tokio::task::spawn_blocking(EphemeralPostgres::start)
        .await
        .unwrap()
        .unwrap();
    let url = pg.url().to_owned();
    let applied = prepare_database(&url).await.unwrap();
    assert!(!applied.is_empty(), "migrations ran on the private cluster");
    let mut conn = AsyncPgConnection::establish(&url).await.unwrap();
    let dir: DataDirectory =
        diesel::sql_query("SELECT current_setting('data_directory') AS data_directory")
            .get_result(&mut conn)
            .await
            .unwrap();
    let cluster_dir = std::path::PathBuf::from(&dir.data_directory)
        .parent()
        .unwrap()
        .to_owned();
    assert!(
        cluster_dir.starts_with(std::env::temp_dir())
            && cluster_dir.to_string_lossy().contains("servicepro-pg-"),
        "connected to the private cluster, not another server: {}",
        dir.data_directory
    );
    drop(conn);
    let pool = DbPool::new(&PoolSettings::new(url.as_str())).unwrap();
    pool.ping().await.unwrap();
    drop(pool);
    tokio::task::spawn_blocking(move || drop(pg)).await.unwrap();
    assert!(!cluster_dir.exists(), "the cluster's directory is removed");
}
