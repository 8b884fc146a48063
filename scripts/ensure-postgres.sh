#!/usr/bin/env bash
# Makes sure a PostgreSQL server answers on 127.0.0.1:5432 (trust auth for
# user postgres, as on the development machines), starting the Debian
# cluster if it is installed but down.
set -euo pipefail

if pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  echo "postgres: up"
  exit 0
fi

version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$version" ]; then
  echo "postgres: no cluster configured under /etc/postgresql" >&2
  exit 1
fi
echo "postgres: starting cluster $version/main"
pg_ctlcluster --skip-systemctl-redirect "$version" main start
for _ in $(seq 1 30); do
  pg_isready -h 127.0.0.1 -p 5432 -q && { echo "postgres: up"; exit 0; }
  sleep 1
done
echo "postgres: did not come up" >&2
exit 1
