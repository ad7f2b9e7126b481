#!/usr/bin/env bash
# `npm run cluster:up`: everything the one-node cluster needs, built once into .tools/
# (seconds when nothing changed), then the cluster started and GitTix deployed on it:
#
#   1. scripts/install-tools.sh ferretdb nats-streaming-server   the stand-ins' programs
#   2. scripts/cluster/build.sh       Kubernetes, etcd, CoreDNS, Traefik, pause (Go, C)
#   3. infra/cluster/images.mjs       GitTix's runtime images, the stand-ins, one archive
#   4. infra/cluster/up.mjs           the cluster (a previous one is torn down first)
#   5. infra/cluster/deploy.mjs       images, secrets, kubectl apply, every pod Ready
#
# It ends with the line `GitTix is up at https://127.0.0.1:8443` (docs/cluster.md says
# why https). `npm run cluster:down` removes it all; as root, like the cluster itself.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
[ "$(id -u)" = 0 ] || { echo "gittix: npm run cluster:up must run as root (the cluster makes network interfaces, mounts and iptables rules)" >&2; exit 1; }
[ -d /usr/local/go/bin ] && PATH="$PATH:/usr/local/go/bin"
export GITTIX_CLUSTER_UP_STARTED="$(date +%s%3N)"
t0=$SECONDS
bash scripts/install-tools.sh ferretdb nats-streaming-server
bash scripts/cluster/build.sh
export GITTIX_CLUSTER_BUILD_SECONDS=$((SECONDS - t0))
t1=$SECONDS
node infra/cluster/images.mjs
export GITTIX_CLUSTER_IMAGES_SECONDS=$((SECONDS - t1))
node infra/cluster/up.mjs
node infra/cluster/deploy.mjs
