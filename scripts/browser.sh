#!/usr/bin/env bash
# Makes a headless browser available for `npm run lab`'s screenshots:
# Debian's chromium package, nothing downloaded from elsewhere. Does nothing
# when /usr/bin/chromium is already there, so it is safe to run every time.
set -euo pipefail

log() { printf '[browser] %s\n' "$*" >&2; }

if [ -x /usr/bin/chromium ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  log "chromium is missing and installing it needs root: run 'sudo bash scripts/browser.sh'"
  exit 1
fi

# fonts-dejavu-core: the stats page's text needs a font; without recommends
# the package pulls none.
log "installing chromium from Debian's packages"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
[ -x /usr/bin/chromium ] || { log "apt-get finished but /usr/bin/chromium is still missing"; exit 1; }
log "$(/usr/bin/chromium --version 2>/dev/null || echo 'chromium installed')"
