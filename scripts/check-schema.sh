#!/usr/bin/env bash
# Re-generates schema/src/schema.rs with `diesel print-schema` from a
# freshly migrated scratch database and fails if it differs from the
# checked-in file. Installs the diesel CLI (postgres only) when missing;
# building it needs libpq (Debian: libpq-dev, in scripts/install-system-deps.sh)
# and `psql` — the one check that needs more than Rust and PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v diesel >/dev/null 2>&1; then
  if ! command -v pg_config >/dev/null 2>&1 && ! pkg-config --exists libpq 2>/dev/null; then
    echo "schema check: the diesel CLI links libpq; install libpq-dev (scripts/install-system-deps.sh)" >&2
    exit 1
  fi
  cargo install diesel_cli --version "^2.3" --no-default-features --features postgres --locked --quiet
fi

db="servicepro_schema_check_$$"
base="${SCHEMA_CHECK_SERVER:-postgres://postgres@127.0.0.1:5432}"
trap 'psql "$base/postgres" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true' EXIT
psql "$base/postgres" -qc "CREATE DATABASE $db"
# `migration run` rewrites the configured schema file itself: compare against a copy.
checked_in=$(mktemp)
cp schema/src/schema.rs "$checked_in"
diesel migration run --database-url "$base/$db" --migration-dir schema/migrations >/dev/null
generated=$(mktemp)
diesel print-schema --database-url "$base/$db" > "$generated"
cp "$checked_in" schema/src/schema.rs
if ! diff -u "$checked_in" "$generated"; then
  echo "schema/src/schema.rs is stale: run 'diesel print-schema > schema/src/schema.rs' against a migrated database" >&2
  exit 1
fi
echo "schema.rs is up to date"
