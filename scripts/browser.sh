#!/usr/bin/env bash
# Makes a headless browser available for `npm run lab`'s screenshots and the
# HTTPS test: Debian's chromium package, and libnss3-tools' certutil, which
# trusts the generated CA in the browser's NSS database; nothing downloaded
# from elsewhere. Does nothing when both are there, so it is safe to run
# every time.
set -euo pipefail

log() { printf '[browser] %s\n' "$*" >&2; }

if [ -x /usr/bin/chromium ] && [ -x /usr/bin/certutil ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  log "chromium or certutil is missing and installing them needs root: run 'sudo bash scripts/browser.sh'"
  exit 1
fi

# fonts-dejavu-core: the stats page's text needs a font; without recommends
# the package pulls none.
log "installing chromium and libnss3-tools from Debian's packages"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core libnss3-tools >/dev/null
[ -x /usr/bin/chromium ] || { log "apt-get finished but /usr/bin/chromium is still missing"; exit 1; }
[ -x /usr/bin/certutil ] || { log "apt-get finished but /usr/bin/certutil is still missing"; exit 1; }
log "$(/usr/bin/chromium --version 2>/dev/null || echo 'chromium installed')"
