#!/usr/bin/env bash
# Installs the system packages the build and tests need, only when they are missing, so repeat runs are fast.
# Needs root (or passwordless sudo) the first time on a fresh machine.
set -euo pipefail

packages=(
  # Real MQTT broker for the agent and fleet tests; the fixture starts its own instance on a loopback port.
  mosquitto mosquitto-clients
  # Real PostgreSQL server for the fleet store tests; the fixture runs initdb and pg_ctl into a temp folder (as the postgres user under root).
  postgresql
  # Native AOT publishing of edge-agent (the agent benchmarks publish it): the ILCompiler links with clang and zlib.
  clang zlib1g-dev
  # The agent's inference endpoint is called from outside .NET in its end-to-end test.
  curl
  # The optimizer's report plots draw their text with a TrueType font; SkiaSharp's bundled natives find no system fonts.
  fonts-dejavu-core
  # The dashboard tests drive a real headless browser through Playwright, which is pointed at /usr/bin/chromium.
  chromium
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
  sudo_cmd=""
  if [ "$(id -u)" -ne 0 ]; then sudo_cmd="sudo"; fi
  echo "Installing: ${missing[*]}"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
