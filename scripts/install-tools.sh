#!/usr/bin/env bash
# Installs the infrastructure binaries GitTix runs against into .tools/bin:
# FerretDB v1 (MongoDB wire protocol over SQLite), NATS Streaming Server and
# stripe-mock, all built from the Go module proxy. Already-built binaries are
# reused. redis-server is taken from PATH (Debian package `redis-server`).
# `podman` (asked for by the image builds, never by default) installs podman
# from Debian where no Docker engine answers, and writes the settings it needs
# on machines like this one into .tools/containers/containers.conf.
#
#   scripts/install-tools.sh [ferretdb|nats-streaming-server|stripe-mock|redis-server|podman ...]
#
# Every failure ends with one line: what is missing and how to get it.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="${GITTIX_TOOLS_DIR:-$root/.tools}"
bin="$tools/bin"
mkdir -p "$bin"

FERRETDB_VERSION=v1.24.2
NATS_STREAMING_VERSION=v0.25.6
STRIPE_MOCK_VERSION=v0.197.0

fail() { echo "gittix: $*" >&2; exit 1; }

need_go() {
  command -v go >/dev/null 2>&1 ||
    fail "missing Go toolchain (needed to build $1): install Go 1.22+ (https://go.dev/dl or 'apt-get install golang') and re-run"
}

# The version stamp lets a later pin change rebuild the binary instead of reusing a stale one.
have() { [ -x "$bin/$1" ] && [ "$(cat "$bin/$1.version" 2>/dev/null)" = "$2" ]; }
# FerretDB is stamped with the wrapper too, so editing scripts/ferretdb/main.go rebuilds it.

install_ferretdb() {
  local patches="$root/scripts/ferretdb/patches"
  local stamp="$FERRETDB_VERSION-$(cat "$root/scripts/ferretdb/main.go" "$patches"/*.patch | cksum | cut -d" " -f1)"
  have ferretdb "$stamp" && return 0
  need_go ferretdb
  command -v patch >/dev/null 2>&1 || fail "missing patch (needed to build FerretDB with the project's patches): 'apt-get install patch'"
  echo "gittix: building FerretDB $FERRETDB_VERSION into $bin (first time only, a few minutes)…"
  local t0=$SECONDS src="$tools/src/ferretdb"
  # `go install …/cmd/ferretdb@version` yields a binary that panics at start
  # (FerretDB issue #2982: its version file is not in the module zip), so we
  # build a small wrapper module around FerretDB's embeddable package instead,
  # on a copy of the module with the project's patches applied (scripts/ferretdb/patches).
  rm -rf "$src" && mkdir -p "$src"
  cp "$root/scripts/ferretdb/main.go" "$src/main.go"
  (
    cd "$src"
    go mod init gittix.local/tools/ferretdb
    go get "github.com/FerretDB/FerretDB@$FERRETDB_VERSION"
    module_dir=$(go list -m -f '{{.Dir}}' "github.com/FerretDB/FerretDB")
    cp -R "$module_dir" module && chmod -R u+w module
    for p in "$patches"/*.patch; do patch -p1 -d module --forward --no-backup-if-mismatch <"$p"; done
    go mod edit -replace "github.com/FerretDB/FerretDB=./module"
    go mod tidy
    CGO_ENABLED=0 go build -o "$bin/ferretdb" .
  ) >"$tools/ferretdb-build.log" 2>&1 ||
    fail "could not build FerretDB $FERRETDB_VERSION (see $tools/ferretdb-build.log): check that the Go module proxy is reachable (GOPROXY), or set MONGO_URL to an existing MongoDB"
  echo "$stamp" >"$bin/ferretdb.version"
  echo "gittix: FerretDB ready in $((SECONDS - t0)) s"
}

install_go_tool() { # name module version
  have "$1" "$3" && return 0
  need_go "$1"
  echo "gittix: building $1 $3 into $bin (first time only)…"
  local t0=$SECONDS
  GOBIN="$bin" CGO_ENABLED=0 go install "$2@$3" >"$tools/$1-build.log" 2>&1 ||
    fail "could not build $1 $3 (see $tools/$1-build.log): check that the Go module proxy is reachable (GOPROXY)"
  echo "$3" >"$bin/$1.version"
  echo "gittix: $1 ready in $((SECONDS - t0)) s"
}

check_redis() {
  command -v redis-server >/dev/null 2>&1 ||
    fail "missing redis-server: install it with 'apt-get install redis-server' (or set REDIS_URL to an existing Redis)"
}

# Debian packages, installed only when missing and only where apt-get can run as root.
apt_install() { # reason package...
  local reason=$1
  shift
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    fail "missing $* (needed for $reason): install them with 'sudo apt-get install $*'"
  fi
  echo "gittix: installing $* from Debian (for $reason)…"
  {
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" ||
      { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"; }
  } >"$tools/apt.log" 2>&1 || fail "could not install $* with apt-get (see $tools/apt.log)"
}

# A Docker engine that answers is used as it is. Otherwise podman, with runc
# (crun fails here with "cgroups in hybrid mode not supported"), no default
# ulimits (podman cannot raise RLIMIT_NOFILE here) and debootstrap for the
# local stand-in of a base image no registry can serve.
setup_podman() {
  if docker info >/dev/null 2>&1; then return 0; fi
  local want=()
  command -v podman >/dev/null 2>&1 || want+=(podman)
  command -v runc >/dev/null 2>&1 || [ -x /usr/sbin/runc ] || want+=(runc)
  command -v debootstrap >/dev/null 2>&1 || [ -x /usr/sbin/debootstrap ] || want+=(debootstrap)
  [ -d /usr/lib/cni ] || want+=(containernetworking-plugins)
  [ ${#want[@]} -eq 0 ] || apt_install "building and running the images" "${want[@]}"
  mkdir -p "$tools/containers"
  cat >"$tools/containers/containers.conf" <<'CONF'
# Written by scripts/install-tools.sh podman; podman reads it through CONTAINERS_CONF.
[containers]
default_ulimits = []

[engine]
runtime = "runc"
CONF
}

targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(ferretdb nats-streaming-server stripe-mock redis-server)
for t in "${targets[@]}"; do
  case "$t" in
    ferretdb) install_ferretdb ;;
    nats-streaming-server) install_go_tool nats-streaming-server github.com/nats-io/nats-streaming-server "$NATS_STREAMING_VERSION" ;;
    stripe-mock) install_go_tool stripe-mock github.com/stripe/stripe-mock "$STRIPE_MOCK_VERSION" ;;
    redis-server) check_redis ;;
    podman) setup_podman ;;
    *) fail "unknown tool '$t' (known: ferretdb nats-streaming-server stripe-mock redis-server podman)" ;;
  esac
done
