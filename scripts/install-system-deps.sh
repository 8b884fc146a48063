#!/usr/bin/env bash
# Installs the Debian packages that make ServicePro's build faster and its
# development checks complete, skipping those already present. Safe to run
# repeatedly; needs root (or sudo).
#
# None of them is needed to build or test (the browser tests skip, saying so): a machine with only the Rust
# toolchain and PostgreSQL runs `cargo run -- demo` and `cargo test --workspace`
# (libopus is compiled from the vendored source in opus/vendor/libopus, and the
# tests check Ogg Opus files in-process). What each package adds:
set -euo pipefail

packages=(
  pkg-config        # speed-up: lets servicepro-opus find the system libopus ...
  libopus-dev       # ... instead of compiling the vendored copy (~15 s of CPU)
  postgresql        # server binaries: tests, and the demo's private cluster
  postgresql-contrib
  libpq-dev         # required by scripts/check-schema.sh: the diesel CLI links libpq
  chromium          # the browser tests (dashboards, booking page, sites): without it they
                    # say so and pass, except in CI (SERVICEPRO_REQUIRE_BROWSER=1)
)

missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "system packages: all present"
  exit 0
fi

echo "system packages: installing ${missing[*]}"
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
"${sudo_cmd[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
