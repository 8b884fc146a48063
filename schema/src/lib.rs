//! PostgreSQL schema, migrations, pool and tenant-scoped access.
