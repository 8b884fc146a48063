#!/usr/bin/env bash
# Load figure for POST /twilio/voice/incoming: signed requests per second and
# latency percentiles with wrk on loopback, against a release build and the
# local PostgreSQL. Usage: benches/load/run_voice_incoming.sh [duration] [connections]
set -euo pipefail
cd "$(dirname "$0")/../.."
duration=${1:-20s}
connections=${2:-32}
port=18090
db=servicepro_load_$$
token=load-test-auth-token
root=load-test-root-token-0123456789
cargo build --release --bin servicepro 2>/dev/null
psql -qh 127.0.0.1 -U postgres -c "CREATE DATABASE $db"
trap 'kill $server 2>/dev/null || true; sleep 1; psql -qh 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)"' EXIT
DATABASE_URL=postgres://postgres@127.0.0.1:5432/$db SERVICEPRO_BIND=127.0.0.1:$port \
  SERVICEPRO_PUBLIC_URL=http://127.0.0.1:$port TWILIO_AUTH_TOKEN=$token SERVICEPRO_ROOT_TOKEN=$root RUST_LOG=warn \
  "${CARGO_TARGET_DIR:-target}/release/servicepro" serve & server=$!
for _ in $(seq 1 50); do curl -sf localhost:$port/readyz >/dev/null && break; sleep 0.2; done
curl -sf -XPOST localhost:$port/api/admin/tenants -H "Authorization: Bearer $root" -d '{"id":"load","name":"Load Detailing","industry":"mobile-detailing","plan_tier":"elite","status":"active","phone_number":"+19185550100","ivr_mode":"ivr","forward_to":"+19185550199"}' >/dev/null
requests=$(mktemp)
python3 benches/load/make_signed_calls.py $token "http://127.0.0.1:$port/twilio/voice/incoming" +19185550100 50000 "$requests"
wrk -t2 -c"$connections" -d"$duration" --latency -s benches/load/signed_calls.lua "http://127.0.0.1:$port" -- "$requests"
echo "calls rows written: $(psql -qtAh 127.0.0.1 -U postgres -d $db -c 'SELECT count(*) FROM calls')"
