#!/usr/bin/env bash
# Builds everything the local one-node Kubernetes cluster (infra/cluster/up.mjs)
# runs, from the Go module proxy and this folder's sources, into
# .tools/cluster (git-ignored):
#
#   bin/     etcd, kube-apiserver, kube-controller-manager, kube-scheduler,
#            kubelet, kube-proxy, kubectl, coredns, traefik, pause, gittix-echo
#   images/  OCI archives for containerd: pause (the pod sandbox), coredns, echo
#   crds/    the Gateway API standard-channel CRDs Traefik's provider speaks
#   logs/    one build log per component
#
#   scripts/cluster/build.sh [kubernetes|etcd|coredns|traefik|pause|echo|images|crds ...]
#
# With no argument it builds all of them. A binary is reused while its version
# stamp (bin/NAME.version) matches, so a second run takes seconds; change a pin
# below (or a source file here) and only that part is rebuilt. Only one Go build
# runs at a time: the machine is shared. Every failure ends with one line
# `gittix: <what is missing and how to get it>`.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
here="$root/scripts/cluster"
out="${GITTIX_CLUSTER_DIR:-$root/.tools/cluster}"
bin="$out/bin"
images="$out/images"
logs="$out/logs"
src="$out/src"
mkdir -p "$bin" "$images" "$logs" "$src" "$out/crds"

# The pins. Kubernetes' staging modules (k8s.io/api, client-go, …) are v0.X.Y for v1.X.Y.
KUBERNETES_VERSION=v1.34.2
ETCD_VERSION=v3.6.5
COREDNS_VERSION=v1.15.0
TRAEFIK_VERSION=v3.7.13
# The Gateway API release Traefik v3.7 is built against (its go.mod) and conformant with.
GATEWAY_API_VERSION=v1.6.1
# Bump when the way a component is built changes, to rebuild it without a version change.
RECIPE=1

# The node's CPU is shared with other work: one Go build at a time, two compile jobs.
export GOTOOLCHAIN=local GOFLAGS=-buildvcs=false CGO_ENABLED=0
[ -d /usr/local/go/bin ] && PATH="$PATH:/usr/local/go/bin"

fail() { echo "gittix: $*" >&2; exit 1; }

need() { # command hint
  command -v "$1" >/dev/null 2>&1 || fail "missing $1: $2"
}
need_go() {
  need go "install Go 1.24+ (https://go.dev/dl or 'apt-get install golang'; expected in /usr/local/go/bin) and re-run"
}

have() { [ -x "$bin/$1" ] && [ "$(cat "$bin/$1.version" 2>/dev/null)" = "$2" ]; }
stamp() { echo "$2" >"$bin/$1.version"; }
sum() { cat "$@" | cksum | cut -d" " -f1; }
took() { echo "gittix: $1 built in $(($(date +%s) - $2)) s"; }

module_dir() { # module@version -> its unpacked folder in the module cache
  go mod download -json "$1" 2>>"$logs/download.log" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p'
}

# --- Kubernetes: all seven binaries in one `go build`, so shared packages compile once.
KUBE_BINS=(kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kubectl)
build_kubernetes() {
  local s="$KUBERNETES_VERSION-r$RECIPE" b missing=0
  for b in "${KUBE_BINS[@]}"; do have "$b" "$s" || missing=1; done
  [ $missing = 1 ] || return 0
  need_go
  echo "gittix: building Kubernetes $KUBERNETES_VERSION (${KUBE_BINS[*]}) into $bin (first time ~10 min)…"
  local t0 log="$logs/kubernetes-build.log" w="$src/kubernetes" staging
  t0=$(date +%s)
  rm -rf "$w" && mkdir -p "$w"
  (
    set -e
    cd "$w"
    # `go install k8s.io/kubernetes/cmd/…@v` is refused: k8s.io/kubernetes' go.mod
    # replaces every staging module with ./staging/src/…, so a wrapper module
    # pins each of them to the matching published v0.X.Y instead.
    go mod init gittix.local/tools/kubernetes
    go mod edit -require="k8s.io/kubernetes@$KUBERNETES_VERSION"
    gomod="$(go mod download -json "k8s.io/kubernetes@$KUBERNETES_VERSION" | sed -n 's/^\t"GoMod": "\(.*\)",$/\1/p')"
    staging="$(sed -n 's#^\s*\(k8s.io/[a-z0-9-]*\) => ./staging/.*#\1#p' "$gomod")"
    [ -n "$staging" ] || { echo "no ./staging replace entries found in $gomod"; exit 1; }
    for m in $staging; do go mod edit -replace="$m=$m@v0.${KUBERNETES_VERSION#v1.}"; done
    {
      echo '//go:build tools'
      echo
      echo '// Package tools pins the Kubernetes commands this module builds.'
      echo 'package tools'
      echo
      echo 'import ('
      for b in "${KUBE_BINS[@]}"; do echo "	_ \"k8s.io/kubernetes/cmd/$b\""; done
      echo ')'
    } >tools.go
    go mod tidy
    local_v="${KUBERNETES_VERSION#v}"
    ldflags="-s -w"
    for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
      ldflags+=" -X $p.gitVersion=$KUBERNETES_VERSION -X $p.gitMajor=${local_v%%.*}"
      ldflags+=" -X $p.gitMinor=$(echo "$local_v" | cut -d. -f2) -X $p.gitTreeState=clean"
      ldflags+=" -X $p.buildDate=1970-01-01T00:00:00Z"
    done
    mkdir -p out
    pkgs=()
    for b in "${KUBE_BINS[@]}"; do pkgs+=("k8s.io/kubernetes/cmd/$b"); done
    go build -p 2 -trimpath -ldflags "$ldflags" -o out/ "${pkgs[@]}"
  ) >"$log" 2>&1 ||
    fail "could not build Kubernetes $KUBERNETES_VERSION (see $log): check that the Go module proxy is reachable (GOPROXY) and that Go is 1.24+"
  for b in "${KUBE_BINS[@]}"; do mv -f "$w/out/$b" "$bin/$b" && stamp "$b" "$s"; done
  took "Kubernetes $KUBERNETES_VERSION" "$t0"
}

# --- etcd through a wrapper main (etcd's own go.mod has replace directives).
build_etcd() {
  local s="$ETCD_VERSION-$(sum "$here/etcd/main.go")"
  have etcd "$s" && return 0
  need_go
  echo "gittix: building etcd $ETCD_VERSION into $bin…"
  local t0 log="$logs/etcd-build.log" w="$src/etcd"
  t0=$(date +%s)
  rm -rf "$w" && mkdir -p "$w" && cp "$here/etcd/main.go" "$w/"
  (
    set -e
    cd "$w"
    go mod init gittix.local/tools/etcd
    go get "go.etcd.io/etcd/server/v3@$ETCD_VERSION"
    go mod tidy
    go build -p 2 -trimpath -ldflags "-s -w" -o "$bin/etcd.new" .
  ) >"$log" 2>&1 || fail "could not build etcd $ETCD_VERSION (see $log): check that the Go module proxy is reachable (GOPROXY)"
  mv -f "$bin/etcd.new" "$bin/etcd" && stamp etcd "$s"
  took "etcd $ETCD_VERSION" "$t0"
}

# --- CoreDNS: its go.mod has no replace directives, so plain `go install` works.
build_coredns() {
  local s="$COREDNS_VERSION-r$RECIPE"
  have coredns "$s" && return 0
  need_go
  echo "gittix: building CoreDNS $COREDNS_VERSION into $bin…"
  local t0 log="$logs/coredns-build.log"
  t0=$(date +%s)
  GOBIN="$src/coredns-bin" go install -p 2 -trimpath -ldflags "-s -w" "github.com/coredns/coredns@$COREDNS_VERSION" >"$log" 2>&1 ||
    fail "could not build CoreDNS $COREDNS_VERSION (see $log): check that the Go module proxy is reachable (GOPROXY)"
  mv -f "$src/coredns-bin/coredns" "$bin/coredns" && stamp coredns "$s"
  took "CoreDNS $COREDNS_VERSION" "$t0"
}

# --- Traefik through a wrapper module. Three things keep `go install` from working:
#  1. its go.mod replaces github.com/traefik/traefik/dynamic/ext with a nested module
#     that the proxy's zip lacks: traefik-ext/ is our stand-in (see ext.go);
#  2. it replaces github.com/abbot/go-http-auth with a fork at a pseudo-version the
#     proxy refuses (403): we take the fork's older version, which the proxy serves
#     and which has every function Traefik calls (only its basic/digest auth
#     middlewares use it; GitTix uses neither);
#  3. lego's registry of ACME DNS providers imports SDK modules the proxy refuses:
#     a copy of lego's module gets our registry (traefik-lego-dns/) instead.
# Its own excludes apply only in its main module, so they are copied.
HTTP_AUTH_FORK=github.com/containous/go-http-auth@v0.4.1-0.20200324110947-a37a7636d23e
build_traefik() {
  local s="$TRAEFIK_VERSION-$(sum "$here"/traefik-ext/* "$here"/traefik-lego-dns/*)-r$RECIPE"
  have traefik "$s" && return 0
  need_go
  echo "gittix: building Traefik $TRAEFIK_VERSION into $bin (first time a few minutes)…"
  local t0 log="$logs/traefik-build.log" w="$src/traefik"
  t0=$(date +%s)
  rm -rf "$w" && mkdir -p "$w" && cp -r "$here/traefik-ext" "$w/ext"
  (
    set -e
    cd "$w"
    go mod init gittix.local/tools/traefik
    printf '//go:build tools\n\n// Package tools pins the Traefik command this module builds.\npackage tools\n\nimport _ "github.com/traefik/traefik/v3/cmd/traefik"\n' >tools.go
    gomod="$(go mod download -json "github.com/traefik/traefik/v3@$TRAEFIK_VERSION" | sed -n 's/^\t"GoMod": "\(.*\)",$/\1/p')"
    lego="$(sed -n 's#^\s*github.com/go-acme/lego/v5 \(v[^ ]*\).*#\1#p' "$gomod" | head -1)"
    legodir="$(go mod download -json "github.com/go-acme/lego/v5@$lego" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')"
    [ -d "$legodir/providers/dns" ] || { echo "lego $lego has no providers/dns"; exit 1; }
    cp -r "$legodir" lego && chmod -R u+w lego
    find lego/providers/dns -mindepth 1 -maxdepth 1 -type d -exec rm -rf {} +
    rm -f lego/providers/dns/*.go
    cp "$here/traefik-lego-dns/zz_gen_dns_providers.go" lego/providers/dns/
    go mod edit -require="github.com/traefik/traefik/v3@$TRAEFIK_VERSION" \
      -require=github.com/traefik/traefik/dynamic/ext@v0.0.0-00010101000000-000000000000 \
      -replace=github.com/traefik/traefik/dynamic/ext=./ext \
      -replace=github.com/go-acme/lego/v5=./lego \
      -replace="github.com/abbot/go-http-auth=$HTTP_AUTH_FORK"
    sed -n 's#^\s*\(github.com/[^ ]*\) => \(github.com/[^ ]*\) \(v[^ ]*\)$#\1=\2@\3#p' "$gomod" |
      grep -v '^github.com/abbot/go-http-auth=' | while read -r r; do go mod edit -replace="$r"; done
    sed -n 's#^exclude \([^ ]*\) \(v[^ ]*\)$#\1@\2#p' "$gomod" | while read -r e; do go mod edit -exclude="$e"; done
    go mod tidy
    go build -p 2 -trimpath -ldflags "-s -w -X github.com/traefik/traefik/v3/pkg/version.Version=$TRAEFIK_VERSION" \
      -o "$bin/traefik.new" github.com/traefik/traefik/v3/cmd/traefik
  ) >"$log" 2>&1 || fail "could not build Traefik $TRAEFIK_VERSION (see $log): check that the Go module proxy is reachable (GOPROXY)"
  mv -f "$bin/traefik.new" "$bin/traefik" && stamp traefik "$s"
  took "Traefik $TRAEFIK_VERSION" "$t0"
}

# --- The pod sandbox: a static C program (no image registry can be reached here).
build_pause() {
  local s="$(sum "$here/pause/pause.c")"
  have pause "$s" && return 0
  need gcc "install it with 'apt-get install gcc libc6-dev'"
  local t0 log="$logs/pause-build.log"
  t0=$(date +%s)
  gcc -static -Os -Wall -Wextra -o "$bin/pause.new" "$here/pause/pause.c" >"$log" 2>&1 ||
    fail "could not build the static pause binary (see $log): install 'libc6-dev' (static libc) with apt-get"
  strip "$bin/pause.new" 2>/dev/null || true
  mv -f "$bin/pause.new" "$bin/pause" && stamp pause "$s"
  took pause "$t0"
}

# --- The smoke test's HTTP server/client.
build_echo() {
  local s="$(sum "$here/echo/main.go")"
  have gittix-echo "$s" && return 0
  need_go
  local t0 log="$logs/echo-build.log" w="$src/echo"
  t0=$(date +%s)
  rm -rf "$w" && mkdir -p "$w" && cp "$here/echo/main.go" "$w/"
  (cd "$w" && go mod init gittix.local/tools/echo && go build -trimpath -ldflags "-s -w" -o "$bin/gittix-echo.new" .) >"$log" 2>&1 ||
    fail "could not build gittix-echo (see $log): install Go 1.22+"
  mv -f "$bin/gittix-echo.new" "$bin/gittix-echo" && stamp gittix-echo "$s"
  took gittix-echo "$t0"
}

# --- OCI image archives, written by hand: one uncompressed layer holding one static
# binary. `ctr -n k8s.io images import` names the image from io.containerd.image.name.
sha() { sha256sum "$1" | cut -d" " -f1; }
oci_image() { # name ref user entrypoint-binary
  local name="$1" ref="$2" user="$3" exe="$4"
  local s="$ref-$(sha "$bin/$exe")-r$RECIPE" archive="$images/$name.oci.tar"
  [ -f "$archive" ] && [ "$(cat "$archive.version" 2>/dev/null)" = "$s" ] && return 0
  local t0 t
  t0=$(date +%s)
  t="$(mktemp -d)"
  mkdir -p "$t/rootfs" "$t/oci/blobs/sha256"
  cp "$bin/$exe" "$t/rootfs/$exe"
  chmod 0755 "$t/rootfs/$exe"
  tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -C "$t/rootfs" -cf "$t/layer.tar" .
  local layer layer_size config config_size manifest manifest_size
  layer="$(sha "$t/layer.tar")" layer_size=$(stat -c %s "$t/layer.tar")
  mv "$t/layer.tar" "$t/oci/blobs/sha256/$layer"
  printf '{"architecture":"amd64","os":"linux","config":{"User":"%s","Entrypoint":["/%s"],"Env":["PATH=/"]},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' \
    "$user" "$exe" "$layer" >"$t/config.json"
  config="$(sha "$t/config.json")" config_size=$(stat -c %s "$t/config.json")
  mv "$t/config.json" "$t/oci/blobs/sha256/$config"
  printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%d},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"sha256:%s","size":%d}]}' \
    "$config" "$config_size" "$layer" "$layer_size" >"$t/manifest.json"
  manifest="$(sha "$t/manifest.json")" manifest_size=$(stat -c %s "$t/manifest.json")
  mv "$t/manifest.json" "$t/oci/blobs/sha256/$manifest"
  printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%d,"platform":{"architecture":"amd64","os":"linux"},"annotations":{"io.containerd.image.name":"%s","org.opencontainers.image.ref.name":"%s"}}]}' \
    "$manifest" "$manifest_size" "$ref" "${ref##*:}" >"$t/oci/index.json"
  echo '{"imageLayoutVersion":"1.0.0"}' >"$t/oci/oci-layout"
  tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -C "$t/oci" -cf "$archive.new" .
  rm -rf "$t"
  mv -f "$archive.new" "$archive" && echo "$s" >"$archive.version"
  echo "$ref" >"$images/$name.ref"
  took "image $ref" "$t0"
}
build_images() {
  build_pause && build_coredns && build_echo
  oci_image pause gittix.local/pause:1 0 pause
  oci_image coredns "gittix.local/coredns:$COREDNS_VERSION" 65532 coredns
  oci_image echo gittix.local/echo:1 1000 gittix-echo
}

# --- Gateway API CRDs (standard channel), shipped in the module zip under config/crd.
build_crds() {
  local dest="$out/crds/gateway-api" s="$GATEWAY_API_VERSION"
  [ "$(cat "$dest.version" 2>/dev/null)" = "$s" ] && return 0
  need_go
  local dir
  dir="$(module_dir "sigs.k8s.io/gateway-api@$GATEWAY_API_VERSION")"
  [ -n "$dir" ] && [ -f "$dir/config/crd/kustomization.yaml" ] ||
    fail "could not fetch sigs.k8s.io/gateway-api@$GATEWAY_API_VERSION (see $logs/download.log): check that the Go module proxy is reachable (GOPROXY)"
  rm -rf "$dest" && mkdir -p "$dest"
  # kustomization.yaml lists the standard channel's files in apply order.
  sed -n 's#^\s*- \(standard/.*\.yaml\)$#\1#p' "$dir/config/crd/kustomization.yaml" |
    while read -r f; do cp "$dir/config/crd/$f" "$dest/"; basename "$f"; done >"$dest/ORDER"
  [ -s "$dest/ORDER" ] || fail "no standard-channel CRDs listed in $dir/config/crd/kustomization.yaml"
  echo "$s" >"$dest.version"
  echo "gittix: Gateway API $GATEWAY_API_VERSION CRDs ($(wc -l <"$dest/ORDER") files) in $dest"
}

write_versions() {
  cat >"$out/versions.env" <<EOF
KUBERNETES_VERSION=$KUBERNETES_VERSION
ETCD_VERSION=$ETCD_VERSION
COREDNS_VERSION=$COREDNS_VERSION
TRAEFIK_VERSION=$TRAEFIK_VERSION
GATEWAY_API_VERSION=$GATEWAY_API_VERSION
PAUSE_IMAGE=gittix.local/pause:1
COREDNS_IMAGE=gittix.local/coredns:$COREDNS_VERSION
ECHO_IMAGE=gittix.local/echo:1
EOF
}

targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(pause echo etcd coredns traefik kubernetes images crds)
t_all=$(date +%s)
for t in "${targets[@]}"; do
  case "$t" in
    kubernetes) build_kubernetes ;;
    etcd) build_etcd ;;
    coredns) build_coredns ;;
    traefik) build_traefik ;;
    pause) build_pause ;;
    echo) build_echo ;;
    images) build_images ;;
    crds) build_crds ;;
    *) fail "unknown target '$t' (known: kubernetes etcd coredns traefik pause echo images crds)" ;;
  esac
done
write_versions
echo "gittix: cluster tools ready in $bin ($(($(date +%s) - t_all)) s)"
