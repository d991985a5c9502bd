#!/usr/bin/env bash
# Makes a Docker engine and the debian:trixie-slim base image (or BASE_IMAGE) available on a
# machine that has neither and no container registry: engine from Debian's
# packages, Compose v2 from Debian trixie's package (see install_compose_v2),
# base image from debootstrap; and a kernel ARP table big enough for 50
# gossiping containers (see size_neighbour_table). Does nothing when all is
# already there, so it is safe to run before every build or test run.
set -euo pipefail

base_image="${BASE_IMAGE:-debian:trixie-slim}"

log() { printf '[docker-engine] %s\n' "$*" >&2; }

have_engine() { docker info >/dev/null 2>&1; }
have_base() { docker image inspect "$base_image" >/dev/null 2>&1; }
# Compose v2 only: v1 (Debian 12's docker-compose, end of life) reports 1.x,
# also through the CLI-plugin shim earlier versions of this script installed.
have_compose() {
  local version
  version=$(docker compose version --short 2>/dev/null) || return 1
  version=${version#v}
  [[ ${version%%.*} =~ ^[0-9]+$ ]] && [ "${version%%.*}" -ge 2 ]
}

# Every webapp's Serf agent gossips with every other one, so the containers'
# ARP entries together grow as the square of their number: 50 backends hold
# about 2,500. Linux counts them against one table for all network namespaces,
# 1,024 entries by default (gc_thresh3); past it no new neighbour is resolved
# ("neighbor table overflow!" in dmesg), joins fail with "no route to host"
# and the agents declare each other failed. Raised here, never lowered.
size_neighbour_table() {
  local level file value want changed=()
  for level in 1:4096 2:8192 3:16384; do
    file=/proc/sys/net/ipv4/neigh/default/gc_thresh${level%%:*}
    want=${level#*:}
    value=$(cat "$file")
    if [ "$value" -lt "$want" ]; then
      echo "$want" >"$file"
      changed+=("gc_thresh${level%%:*} $value -> $want")
    fi
  done
  [ ${#changed[@]} -eq 0 ] || log "ARP table sized for many containers: ${changed[*]}"
}
size_neighbour_table

if have_engine && have_base && have_compose; then
  exit 0
fi

# Directories removed on exit, however the script ends.
scratch=()
trap 'rm -rf "${scratch[@]}"' EXIT

compose_plugin_dir=/usr/local/lib/docker/cli-plugins
trixie_mirror="${TRIXIE_MIRROR:-http://deb.debian.org/debian}"

# Debian 12 packages only Compose v1; Debian trixie's docker-compose package
# holds the v2 CLI plugin (a Go binary needing glibc >= 2.34, which Debian 12
# has). It is downloaded through a private apt configuration that knows only
# trixie, so this host's own sources and packages are never touched, then
# unpacked into the CLI's plugin folder, replacing a v1 shim there.
install_compose_v2() {
  local work
  work=$(mktemp -d /tmp/compose-v2.XXXXXX)
  scratch+=("$work")
  # apt downloads as the unprivileged _apt user where it exists.
  if id _apt >/dev/null 2>&1; then chown _apt "$work"; fi
  mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$work/sources.list.d" "$work/preferences.d" "$work/unpacked"
  printf 'deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] %s trixie main\n' "$trixie_mirror" >"$work/sources.list"
  local apt=(apt-get -qq
    -o "Dir::Etc::SourceList=$work/sources.list" -o "Dir::Etc::SourceParts=$work/sources.list.d"
    -o "Dir::Etc::Preferences=$work/preferences" -o "Dir::Etc::PreferencesParts=$work/preferences.d"
    -o "Dir::State::Lists=$work/lists" -o "Dir::Cache=$work/cache")
  log "downloading Compose v2 (Debian trixie's docker-compose) from $trixie_mirror"
  "${apt[@]}" update || { log "apt could not read trixie from $trixie_mirror (debian-archive-keyring needs the trixie key: 2023.3+deb12u2 or later)"; exit 1; }
  (cd "$work" && "${apt[@]}" download docker-compose)
  dpkg-deb -x "$work"/docker-compose_*.deb "$work/unpacked"
  mkdir -p "$compose_plugin_dir"
  # Beside the old plugin, then renamed over it: the CLI never sees half a file.
  install -m 755 "$work/unpacked/usr/libexec/docker/cli-plugins/docker-compose" "$compose_plugin_dir/.docker-compose.new"
  mv -f "$compose_plugin_dir/.docker-compose.new" "$compose_plugin_dir/docker-compose"
}

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
    # Published ports through the kernel's NAT rather than docker-proxy, a
    # process that relays every connection: at 400 new connections/s on 2
    # cores, with 48 webapps starting, it alone turned a load that lost no
    # request into thousands of timeouts. An engine already running is left
    # as it is.
    log "starting dockerd --userland-proxy=false (log: /var/log/dockerd.log)"
    nohup dockerd --userland-proxy=false >/var/log/dockerd.log 2>&1 &
  fi
  for _ in $(seq 1 60); do have_engine && break; sleep 0.5; done
  have_engine || { log "dockerd did not come up; see /var/log/dockerd.log"; exit 1; }
fi

if ! have_compose; then
  install_compose_v2
  have_compose || {
    log "docker compose is still not v2 ($(docker compose version --short 2>&1 | head -n 1)); a plugin earlier in the CLI's search path (~/.docker/cli-plugins first) shadows $compose_plugin_dir"
    exit 1
  }
  log "docker compose $(docker compose version --short) installed at $compose_plugin_dir/docker-compose"
fi

if ! have_base; then
  apt_install debootstrap
  rootfs=$(mktemp -d /tmp/trixie-rootfs.XXXXXX)
  scratch+=("$rootfs")
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
