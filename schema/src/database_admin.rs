//! Creating and dropping whole databases: the server creates its database
//! when missing, and tests clone fresh databases from a migrated template.
//! These statements run on the server's maintenance database (`postgres`).

use crate::error::{cause, cause_of, DbError};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl, SimpleAsyncConnection};

/// The database name in `database_url`, and the URL of the same server's
/// maintenance database.
pub fn split_database_url(database_url: &str) -> Result<(String, String), DbError> {
    let mut url = url::Url::parse(database_url).map_err(|e| DbError::Invalid(cause_of(e)))?;
    let name = url.path().trim_start_matches('/').to_owned();
    if name.is_empty() {
        return Err(DbError::Invalid(cause("DATABASE_URL names no database")));
    }
    url.set_path("/postgres");
    Ok((name, url.to_string()))
}

/// `database_url` with its database name replaced by `name`.
pub fn with_database(database_url: &str, name: &str) -> Result<String, DbError> {
    let mut url = url::Url::parse(database_url).map_err(|e| DbError::Invalid(cause_of(e)))?;
    url.set_path(&format!("/{name}"));
    Ok(url.to_string())
}

fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

#[derive(diesel::QueryableByName)]
struct Exists {
    #[diesel(sql_type = diesel::sql_types::Bool)]
    exists: bool,
}

async fn maintenance(database_url: &str) -> Result<(String, AsyncPgConnection), DbError> {
    let (name, admin_url) = split_database_url(database_url)?;
    let conn = AsyncPgConnection::establish(&admin_url)
        .await
        .map_err(|e| DbError::Unavailable(cause_of(e)))?;
    Ok((name, conn))
}

/// Creates the database named in `database_url` if it does not exist.
/// Returns whether it was created.
pub async fn ensure_database(database_url: &str) -> Result<bool, DbError> {
    let (name, mut conn) = maintenance(database_url).await?;
    let found: Exists =
        diesel::sql_query("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1) AS exists")
            .bind::<diesel::sql_types::Text, _>(&name)
            .get_result(&mut conn)
            .await?;
    if found.exists {
        return Ok(false);
    }
    match conn
        .batch_execute(&format!("CREATE DATABASE {}", quote_ident(&name)))
        .await
    {
        Ok(()) => Ok(true),
        Err(e) if e.to_string().contains("already exists") => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// Creates database `name` as a copy of `template` on the server of `database_url`.
pub async fn create_from_template(
    database_url: &str,
    name: &str,
    template: &str,
) -> Result<(), DbError> {
    let (_, mut conn) = maintenance(database_url).await?;
    conn.batch_execute(&format!(
        "CREATE DATABASE {} TEMPLATE {}",
        quote_ident(name),
        quote_ident(template)
    ))
    .await?;
    Ok(())
}

/// Drops database `name`, disconnecting its sessions.
pub async fn drop_database(database_url: &str, name: &str) -> Result<(), DbError> {
    let (_, mut conn) = maintenance(database_url).await?;
    conn.batch_execute(&format!(
        "DROP DATABASE IF EXISTS {} WITH (FORCE)",
        quote_ident(name)
    ))
    .await?;
    Ok(())
}
