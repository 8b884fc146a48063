#!/usr/bin/env bash
# The engine, Twilio's Node sample and the lean tokio bridge (examples/lean_bridge.rs,
# the yardstick: what the message shape alone costs) under the same load generator,
# alternated twice: engine, sample, lean, engine, sample, lean. The generator (with the
# loopback provider) is pinned to CPU 1, the bridge under test to CPU 0. Each run
# reports the bridge's CPU per call-second, memory, latencies, barge-in, truncation and
# (perf tracepoints, `--syscalls`) its system calls per call-second.
#
#   cargo build --release --features testkit --bin servicepro --example lean_bridge
#   cp -r ../shared/anchors/twilio-node-sample /tmp/node-sample && (cd /tmp/node-sample && npm install)
#   bash benches/voice/side_by_side.sh /tmp/node-sample 200 20 [--transcode]
#
# Allocations per call-second: the same with a binary built with
# `--features testkit,alloc-stats` (engine rows only; ONLY=engine skips the others).
set -euo pipefail
NODE_DIR=${1:?path of the Node sample (npm installed)}
CALLS=${2:-200}
SECONDS_EACH=${3:-20}
EXTRA=${4:-}
BIN=${BIN:-target/release/servicepro}
LEAN=${LEAN:-target/release/examples/lean_bridge}
PROVIDER_PORT=${PROVIDER_PORT:-17070}
NODE_PORT=${NODE_PORT:-5050}
LEAN_PORT=${LEAN_PORT:-5060}
ONLY=${ONLY:-}

engine() {
  echo "== engine ($(date -u +%H:%M:%S), load: $(cut -d' ' -f1-3 /proc/loadavg))"
  taskset -c 1 "$BIN" loadtest --calls "$CALLS" --seconds "$SECONDS_EACH" --server-cpus 0 --syscalls $EXTRA 2>&1 | grep -v WARN
}

# other NAME PORT COMMAND...: a bridge started separately, pinned to CPU 0.
other() {
  local name=$1 port=$2
  shift 2
  echo "== $name ($(date -u +%H:%M:%S), load: $(cut -d' ' -f1-3 /proc/loadavg))"
  RT_URL="ws://127.0.0.1:$PROVIDER_PORT/v1/realtime" OPENAI_API_KEY=x PORT=$port \
    taskset -c 0 "$@" >/dev/null 2>&1 &
  local pid=$!
  sleep 2
  taskset -c 1 "$BIN" loadtest --calls "$CALLS" --seconds "$SECONDS_EACH" \
    --url "ws://127.0.0.1:$port/media-stream" --pid "$pid" --no-signature \
    --provider-port "$PROVIDER_PORT" --provider-greets --syscalls 2>&1 | grep -v WARN
  kill "$pid"
  wait "$pid" 2>/dev/null || true
}

sample() { (cd "$NODE_DIR" && other "node sample" "$NODE_PORT" node index.js); }
lean() { other "lean tokio bridge" "$LEAN_PORT" "$LEAN" "$LEAN_PORT"; }

for _ in 1 2; do
  engine
  if [ -z "$ONLY" ]; then sample; lean; fi
done
