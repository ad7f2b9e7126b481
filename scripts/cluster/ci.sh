#!/usr/bin/env bash
# The cluster step of .ci/run: the one-node Kubernetes of infra/cluster brought up with
# GitTix deployed on it (`npm run cluster:up`), the cluster tests (`npm run cluster:test`),
# then `npm run cluster:down`, which runs whatever happened before (a failed step, Ctrl-C)
# and fails the step if anything of the cluster is left on the machine.
#
#   bash scripts/cluster/ci.sh
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
started=$SECONDS
phase() { echo; echo "── cluster: $* ($((SECONDS - started)) s)"; }

[ "$(id -u)" = 0 ] || { echo "gittix: the cluster tests need root (network interfaces, mounts, iptables): run .ci/run as root" >&2; exit 1; }

# What the cluster runs on, from Debian where it is missing.
declare -A packages=(
  [containerd]=containerd [runc]=runc [iptables]=iptables [conntrack]=conntrack [ip]=iproute2
  [openssl]=openssl [gcc]=gcc [unshare]=util-linux [debootstrap]=debootstrap
)
missing=()
for command in "${!packages[@]}"; do
  command -v "$command" >/dev/null 2>&1 || [ -x "/usr/sbin/$command" ] || missing+=("${packages[$command]}")
done
[ -x /usr/lib/cni/bridge ] || missing+=(containernetworking-plugins)
[ -e /usr/lib/x86_64-linux-gnu/libc.a ] || [ -e /usr/lib/aarch64-linux-gnu/libc.a ] || missing+=(libc6-dev)
if [ ${#missing[@]} -gt 0 ]; then
  command -v apt-get >/dev/null 2>&1 || { echo "gittix: missing ${missing[*]} (for the local cluster) and no apt-get to install them" >&2; exit 1; }
  echo "installing ${missing[*]} from Debian (for the local cluster)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
    { echo "gittix: could not install ${missing[*]} with apt-get" >&2; exit 1; }
fi

status=0
torn_down=0
teardown() {
  [ $torn_down = 1 ] && return
  torn_down=1
  phase "npm run cluster:down"
  if ! npm run --silent cluster:down; then
    echo "gittix: npm run cluster:down left parts of the cluster behind (listed above)" >&2
    status=1
  fi
}
trap 'teardown; exit 130' INT TERM

phase "npm run cluster:up"
if ! npm run --silent cluster:up; then
  echo "gittix: npm run cluster:up failed (above); tearing down what it started" >&2
  status=1
fi
if [ $status = 0 ]; then
  phase "npm run cluster:test"
  npm run --silent cluster:test || status=1
fi
teardown
phase "done (exit $status)"
exit $status
