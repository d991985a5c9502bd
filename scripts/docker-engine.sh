#!/usr/bin/env bash
# Makes a Docker engine and the debian:trixie-slim base image (or BASE_IMAGE) available on a
# machine that has neither and no container registry: engine and Compose from
# Debian's packages, base image from debootstrap. Does nothing when both are
# already there, so it is safe to run before every build or test run.
set -euo pipefail

base_image="${BASE_IMAGE:-debian:trixie-slim}"

log() { printf '[docker-engine] %s\n' "$*" >&2; }

have_engine() { docker info >/dev/null 2>&1; }
have_base() { docker image inspect "$base_image" >/dev/null 2>&1; }
have_compose() { docker compose version >/dev/null 2>&1; }

if have_engine && have_base && have_compose; then
  exit 0
fi

apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

if ! have_engine; then
  apt_install docker.io iptables ca-certificates
  if ! pgrep -x dockerd >/dev/null; then
    log "starting dockerd (log: /var/log/dockerd.log)"
    nohup dockerd >/var/log/dockerd.log 2>&1 &
  fi
  for _ in $(seq 1 60); do have_engine && break; sleep 0.5; done
  have_engine || { log "dockerd did not come up; see /var/log/dockerd.log"; exit 1; }
fi

if ! have_compose; then
  # Debian 12 packages Compose v1 only (`docker-compose`); a CLI plugin shim
  # lets the README's `docker compose ...` work unchanged on such a machine.
  apt_install docker-compose
  plugin_dir=/usr/local/lib/docker/cli-plugins
  mkdir -p "$plugin_dir"
  cat >"$plugin_dir/docker-compose" <<'SHIM'
#!/bin/sh
if [ "$1" = docker-cli-plugin-metadata ]; then
  printf '{"SchemaVersion":"0.1.0","Vendor":"Debian","Version":"v1","ShortDescription":"Compose v1 via docker-compose"}\n'
  exit 0
fi
shift # the CLI passes the plugin name first
exec docker-compose "$@"
SHIM
  chmod +x "$plugin_dir/docker-compose"
  have_compose || { log "docker compose still unavailable"; exit 1; }
fi

if ! have_base; then
  apt_install debootstrap
  rootfs=$(mktemp -d /tmp/trixie-rootfs.XXXXXX)
  trap 'rm -rf "$rootfs"' EXIT
  log "debootstrapping Debian trixie (minbase) into $rootfs"
  debootstrap --variant=minbase trixie "$rootfs" >/tmp/debootstrap.log 2>&1 || {
    tail -20 /tmp/debootstrap.log >&2; exit 1; }
  # What the published slim image leaves out too: downloaded packages, apt
  # lists, and (for every later apt-get install as well) docs, man pages and
  # translations.
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* \
    "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/locale/*
  cat >"$rootfs/etc/dpkg/dpkg.cfg.d/docker-slim" <<'SLIM'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/info/*
SLIM
  tar -C "$rootfs" -c . | docker import - "$base_image" >/dev/null
  log "imported $base_image"
fi
