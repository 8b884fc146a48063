#!/usr/bin/env bash
# The engine and Twilio's Node sample under the same load generator, alternated:
# engine, sample, engine, sample. The generator (with the loopback provider) is pinned
# to CPU 1, the bridge under test to CPU 0.
#
#   cargo build --release --features testkit
#   cp -r ../shared/anchors/twilio-node-sample /tmp/node-sample && (cd /tmp/node-sample && npm install)
#   bash benches/voice/side_by_side.sh /tmp/node-sample 200 20 [--transcode]
set -euo pipefail
NODE_DIR=${1:?path of the Node sample (npm installed)}
CALLS=${2:-200}
SECONDS_EACH=${3:-20}
EXTRA=${4:-}
BIN=${BIN:-target/release/servicepro}
PROVIDER_PORT=${PROVIDER_PORT:-17070}
NODE_PORT=${NODE_PORT:-5050}

engine() {
  echo "== engine ($(date -u +%H:%M:%S), load: $(cut -d' ' -f1-3 /proc/loadavg))"
  taskset -c 1 "$BIN" loadtest --calls "$CALLS" --seconds "$SECONDS_EACH" --server-cpus 0 $EXTRA 2>&1 | grep -v WARN
}

sample() {
  echo "== node sample ($(date -u +%H:%M:%S), load: $(cut -d' ' -f1-3 /proc/loadavg))"
  (cd "$NODE_DIR" && RT_URL="ws://127.0.0.1:$PROVIDER_PORT/v1/realtime" OPENAI_API_KEY=x PORT=$NODE_PORT \
     exec taskset -c 0 node index.js >/dev/null 2>&1) &
  local pid=$!
  sleep 2
  taskset -c 1 "$BIN" loadtest --calls "$CALLS" --seconds "$SECONDS_EACH" \
    --url "ws://127.0.0.1:$NODE_PORT/media-stream" --pid "$pid" --no-signature \
    --provider-port "$PROVIDER_PORT" --provider-greets 2>&1 | grep -v WARN
  kill "$pid"
  wait "$pid" 2>/dev/null || true
}

engine; sample; engine; sample
