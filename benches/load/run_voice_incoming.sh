#!/usr/bin/env bash
# Load figure for POST /twilio/voice/incoming: signed requests per second and
# latency percentiles with wrk on loopback, against a release build and the
# local PostgreSQL. Usage: benches/load/run_voice_incoming.sh [duration] [connections]
set -euo pipefail
cd "$(dirname "$0")/../.."
duration=${1:-20s}
connections=${2:-32}
port=18090
ivr_mode=ivr
source benches/load/server.sh
requests=$(mktemp)
python3 benches/load/make_signed_calls.py $token "http://127.0.0.1:$port/twilio/voice/incoming" +19185550100 50000 "$requests"
wrk -t2 -c"$connections" -d"$duration" --latency -s benches/load/signed_requests.lua "http://127.0.0.1:$port" -- "$requests" /twilio/voice/incoming
echo "calls rows written: $(psql -qtAh 127.0.0.1 -U postgres -d $db -c 'SELECT count(*) FROM calls')"
