# Sourced by the load scripts: starts a release server on a scratch
# database with an `elite` detailing tenant on +19185550100, and stops and
# drops everything on exit. Expects `port`, `ivr_mode` set by the caller.
token=load-test-auth-token
root=load-test-root-token-0123456789
db=servicepro_load_$$
cargo build --release --bin servicepro 2>/dev/null
psql -qh 127.0.0.1 -U postgres -c "CREATE DATABASE $db"
DATABASE_URL=postgres://postgres@127.0.0.1:5432/$db SERVICEPRO_BIND=127.0.0.1:$port \
  SERVICEPRO_PUBLIC_URL=http://127.0.0.1:$port TWILIO_AUTH_TOKEN=$token SERVICEPRO_ROOT_TOKEN=$root RUST_LOG=warn \
  "${CARGO_TARGET_DIR:-target}/release/servicepro" serve & server=$!
trap 'kill $server 2>/dev/null || true; sleep 1; psql -qh 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)"' EXIT
for _ in $(seq 1 50); do curl -sf localhost:$port/readyz >/dev/null && break; sleep 0.2; done
curl -sf -XPOST localhost:$port/api/admin/tenants -H "Authorization: Bearer $root" \
  -d "{\"id\":\"load\",\"name\":\"Load Detailing\",\"industry\":\"mobile-detailing\",\"plan_tier\":\"elite\",\"status\":\"active\",\"phone_number\":\"+19185550100\",\"ivr_mode\":\"$ivr_mode\",\"forward_to\":\"+19185550199\"}" >/dev/null
