#!/usr/bin/env bash
# Measures tinymetrics' idle RSS and CPU on a simulated cluster: starts the simulator and the
# published binary, waits, samples /proc, and stops both.
#   measure-idle.sh NODES PODS_PER_NODE SECONDS [extra tinymetrics flags...]
set -euo pipefail
nodes=$1 pods=$2 seconds=$3; shift 3
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$root/artifacts/bin/tinymetrics sim=$root/artifacts/simulator/tinymetrics-simulator.dll
dir=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
dotnet "$sim" --nodes="$nodes" --pods-per-node="$pods" --dir="$dir" --first-address=${FIRST_ADDRESS:-127.90.0.1} \
  --metrics-server="https://127.0.0.1:$port" --ready-file="$dir/ready" >"$dir/sim.log" 2>&1 &
simpid=$!
trap 'kill $simpid ${tmpid:-} 2>/dev/null || true; rm -rf "$dir"' EXIT
for _ in $(seq 1 600); do [ -f "$dir/ready" ] && break; sleep 0.2; done
"$bin" --kubeconfig="$dir/tinymetrics.kubeconfig" --bind-address=127.0.0.1 --secure-port="$port" --cert-dir="$dir/certs" \
  --kubelet-preferred-address-types=InternalIP --requestheader-client-ca-file="$dir/front-proxy-ca.crt" "$@" >"$dir/tm.log" 2>&1 &
tmpid=$!
sleep "$seconds"
ticks=$(awk '{print $14+$15}' /proc/$tmpid/stat)
rss=$(awk '/VmRSS/{print $2}' /proc/$tmpid/status)
hwm=$(awk '/VmHWM/{print $2}' /proc/$tmpid/status)
served=$(KUBECONFIG=$dir/kubectl.kubeconfig kubectl get --raw /apis/metrics.k8s.io/v1beta1/nodes | grep -o '"usage"' | wc -l)
echo "nodes=$nodes pods/node=$pods after=${seconds}s rss_kib=$rss hwm_kib=$hwm cpu_seconds=$(echo "scale=2; $ticks/$(getconf CLK_TCK)" | bc) nodes_served=$served"
