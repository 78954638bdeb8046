#!/usr/bin/env bash
# Install the Debian packages Juara needs, only those that are missing.
set -euo pipefail
packages=(chromium fonts-dejavu-core fonts-liberation2 fonts-urw-base35 poppler-utils zbar-tools libpango-1.0-0 libpangoft2-1.0-0 postgresql-client)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Installing Debian packages: ${missing[*]}"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
