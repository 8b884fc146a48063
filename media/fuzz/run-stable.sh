#!/usr/bin/env bash
# Coverage-guided fuzzing of the media crate on a stable toolchain (no cargo-fuzz or
# nightly needed; no AddressSanitizer, which needs nightly, but the crate has no unsafe
# code). Usage: media/fuzz/run-stable.sh [SECONDS]   (default 60)
set -euo pipefail
cd "$(dirname "$0")"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-../../target-media-fuzz}"
# --target keeps these flags off build scripts.
RUSTFLAGS="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
-Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
-Cllvm-args=-sanitizer-coverage-trace-compares --cfg fuzzing -Cdebug-assertions -Coverflow-checks" \
  cargo build --release --target x86_64-unknown-linux-gnu
mkdir -p corpus/media_inputs
"$CARGO_TARGET_DIR/x86_64-unknown-linux-gnu/release/media_inputs" corpus/media_inputs \
  -max_total_time="${1:-60}" -max_len=4096
