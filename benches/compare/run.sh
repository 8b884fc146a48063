#!/usr/bin/env bash
# Side by side: servicepro-media's duplex call path vs the common Python path
# (pipecat's Twilio serializer: audioop + soxr VHQ stream resamplers), on the same
# fixture and 20 ms frames. Prints, for each: calls one core sustains in real time,
# instructions per duplex frame under callgrind, 1 kHz tone SNR (8k->24k->8k, PCM16,
# delay aligned, gain error counted), and algorithmic delay.
#
# Needs: cargo, python3 (<= 3.12, for audioop), valgrind. The Python side creates
# benches/compare/.venv (soxr, numpy from PyPI) on first use.
# Env: RUSTFLAGS is passed through (e.g. RUSTFLAGS="-C target-cpu=x86-64-v3").
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target-media}"
N_RUST="${N_RUST:-2000}"
N_PY="${N_PY:-2000}"

echo "== building servicepro-media duplex_frames (release) ${RUSTFLAGS:+with RUSTFLAGS=$RUSTFLAGS}" >&2
(cd "$root" && cargo build --quiet --release -p servicepro-media --example duplex_frames)
rust_bin="$CARGO_TARGET_DIR/release/examples/duplex_frames"

echo "== preparing the Python venv" >&2
python3 "$here/python_path.py" --frames 0 >/dev/null
py="$here/.venv/bin/python"

# Instructions of N frames minus instructions of 0 frames, per frame.
per_frame_ir() { # n cmd...
  local n="$1"; shift
  local zero full
  zero=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 0 2>&1 | awk '/Collected/ {print $4}')
  full=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" "$n" 2>&1 | awk '/Collected/ {print $4}')
  echo $(( (full - zero) / n ))
}
# Heap allocations per frame (memcheck's "total heap usage"), N frames minus 0 frames.
per_frame_allocs() { # n cmd...
  local n="$1"; shift
  local zero full
  zero=$(valgrind --tool=memcheck "$@" 0 2>&1 | awk '/total heap usage/ {gsub(",","",$5); print $5}')
  full=$(valgrind --tool=memcheck "$@" "$n" 2>&1 | awk '/total heap usage/ {gsub(",","",$5); print $5}')
  awk -v a="$zero" -v b="$full" -v n="$n" 'BEGIN {printf "%.2f", (b - a) / n}'
}

echo "== timing and tone test" >&2
rust_json="$("$rust_bin" --measure)"
py_json="$(PYTHONWARNINGS=ignore "$py" "$here/python_path.py" --measure)"
echo "== callgrind (instructions per duplex frame)" >&2
rust_ir="$(per_frame_ir "$N_RUST" "$rust_bin")"
py_ir="$(PYTHONWARNINGS=ignore per_frame_ir "$N_PY" "$py" "$here/python_path.py" --frames)"
echo "== memcheck (heap allocations per duplex frame, Rust side)" >&2
rust_allocs="$(per_frame_allocs 200 "$rust_bin")"

RUST_JSON="$rust_json" PY_JSON="$py_json" RUST_IR="$rust_ir" PY_IR="$py_ir" RUST_ALLOCS="$rust_allocs" python3 - <<'PYEOF'
import json, os, platform, subprocess
r = json.loads(os.environ["RUST_JSON"]); p = json.loads(os.environ["PY_JSON"])
r["ir"] = int(os.environ["RUST_IR"]); p["ir"] = int(os.environ["PY_IR"])
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
print(f"machine: {os.cpu_count()} cores, {cpu}")
print(f"{'':40} {'calls/core':>10} {'us/frame':>9} {'instr/frame':>12} {'SNR dB':>7} {'delay up/down ms':>17} {'worst lag ms':>13}")
for d in (r, p):
    print(f"{d['impl'][:40]:40} {d['calls_per_core']:10.0f} {d['us_per_duplex_frame']:9.2f} {d['ir']:12,d} {d['tone_snr_db']:7.1f} "
          f"{d['delay_up_ms']:8.1f}/{d['delay_down_ms']:<8.1f} {d['lag_up_max_ms']:6.1f}/{d['lag_down_max_ms']:<6.1f}")
print(f"ratio: {r['calls_per_core'] / p['calls_per_core']:.2f}x calls per core, "
      f"{p['ir'] / r['ir']:.2f}x fewer instructions per frame")
print(f"rust heap allocations per duplex frame: {os.environ['RUST_ALLOCS']}")
PYEOF
