#!/usr/bin/env bash
# Installs the Debian packages ServicePro builds and tests need, skipping
# those already present. Safe to run repeatedly; needs root (or sudo).
set -euo pipefail

packages=(
  pkg-config        # finds libopus for audiopus
  libopus-dev       # Opus codec (media crate)
  opus-tools        # opusinfo: the media tests check recordings with it
  postgresql        # server binaries: tests, and the demo's private cluster
  postgresql-contrib
  libpq-dev         # diesel CLI (schema check in CI)
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
