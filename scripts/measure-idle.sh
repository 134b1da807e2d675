#!/usr/bin/env bash
# Measures tinymetrics' RSS and CPU on a simulated cluster: starts the simulator and the published
# binary, lets it warm up for SECONDS, then samples /proc over WINDOW seconds more (default 60),
# and stops both.
#   measure-idle.sh NODES PODS_PER_NODE SECONDS [extra tinymetrics flags...]   (WINDOW=60 in the environment)
# SPLIT=1 serves the kubelets from two simulator processes (the first's API lists every node), for clusters
# whose kubelet listeners and connections would pass one process's `ulimit -n` (about 9,000 nodes and up).
set -euo pipefail
nodes=$1 pods=$2 seconds=$3; shift 3
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${TINYMETRICS_BIN:-$root/artifacts/bin/tinymetrics} sim=$root/artifacts/simulator/tinymetrics-simulator.dll
dir=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
first=${FIRST_ADDRESS:-127.90.0.1}
half=$nodes kubelet_ca=()
[ "${SPLIT:-0}" = 1 ] && half=$((nodes / 2))
dotnet "$sim" --nodes="$nodes" --pods-per-node="$pods" --dir="$dir" --first-address="$first" --kubelets="0:$half" \
  --metrics-server="https://127.0.0.1:$port" --ready-file="$dir/ready" >"$dir/sim.log" 2>&1 &
simpid=$!
trap 'kill $simpid ${sim2pid:-} ${tmpid:-} 2>/dev/null || true; [ -n "${KEEP:-}" ] && cp -r "$dir" "$KEEP"; rm -rf "$dir"' EXIT
if [ "$half" != "$nodes" ]; then
  dotnet "$sim" --nodes="$nodes" --pods-per-node="$pods" --dir="$dir/second" --first-address="$first" --kubelets="$half:-1" \
    --ready-file="$dir/second/ready" >"$dir/sim2.log" 2>&1 &
  sim2pid=$!
fi
for _ in $(seq 1 1500); do [ -f "$dir/ready" ] && { [ -z "${sim2pid:-}" ] || [ -f "$dir/second/ready" ]; } && break; sleep 0.2; done
if [ -n "${sim2pid:-}" ]; then
  { cat "$dir/ca.crt"; echo; cat "$dir/second/ca.crt"; } >"$dir/kubelet-cas.crt"
  kubelet_ca=(--kubelet-certificate-authority="$dir/kubelet-cas.crt")
fi
"$bin" --kubeconfig="$dir/tinymetrics.kubeconfig" --bind-address=127.0.0.1 --secure-port="$port" --cert-dir="$dir/certs" \
  --kubelet-preferred-address-types=InternalIP --requestheader-client-ca-file="$dir/front-proxy-ca.crt" "${kubelet_ca[@]}" "$@" >"$dir/tm.log" 2>&1 &
tmpid=$!
window=${WINDOW:-60}
scrape_metrics() {
  curl -sk --cert "$dir/front-proxy-client.crt" --key "$dir/front-proxy-client.key" -H "X-Remote-User: measure" \
    "https://127.0.0.1:$port/metrics"
}
sleep "$seconds"
ticks0=$(awk '{print $14+$15}' /proc/$tmpid/stat)
scrape_metrics >"$dir/metrics0.txt"
sleep "$window"
ticks1=$(awk '{print $14+$15}' /proc/$tmpid/stat)
rss=$(awk '/VmRSS/{print $2}' /proc/$tmpid/status)
hwm=$(awk '/VmHWM/{print $2}' /proc/$tmpid/status)
served=$(KUBECONFIG=$dir/kubectl.kubeconfig kubectl get --raw /apis/metrics.k8s.io/v1beta1/nodes | grep -o '"usage"' | wc -l)
scrape_metrics >"$dir/metrics.txt"
# Cycle time and kubelet requests are counted over the window only (the first cycle's handshakes are warm-up).
gc=$(awk 'FNR==1{file++} {sign = file==1 ? -1 : 1}
  /^metrics_server_manager_tick_duration_seconds_sum/{sum+=sign*$2} /^metrics_server_manager_tick_duration_seconds_count/{n+=sign*$2}
  /^metrics_server_kubelet_request_total\{success="false"\}/{bad+=sign*$2} /^metrics_server_kubelet_request_total\{success="true"\}/{good+=sign*$2}
  file==2 && /^dotnet_gc_(heap_size|committed)_bytes/{printf "%s_kib=%d ", $1, $2/1024}
  END{printf "window_cycles=%d cycle_avg_s=%.2f kubelet_requests_ok=%d failed=%d", n, (n ? sum/n : 0), good, bad}' "$dir/metrics0.txt" "$dir/metrics.txt")
hz=$(getconf CLK_TCK)
millicores=$(echo "scale=3; ($ticks1-$ticks0)*1000/$hz/$window" | bc)
echo "nodes=$nodes pods/node=$pods warmup=${seconds}s window=${window}s rss_kib=$rss hwm_kib=$hwm cpu_millicores=$millicores nodes_served=$served $gc"
