#!/usr/bin/env bash
# Starts the simulated cluster and tinymetrics behind its aggregation proxy, waits until
# `kubectl top` has numbers, prints them, and leaves both running for the user.
#   demo.sh TINYMETRICS_BIN SIMULATOR_DLL DIR NODES PODS_PER_NODE
#   demo.sh --stop DIR
set -euo pipefail

stop() {
  local dir=$1
  for name in tinymetrics simulator; do
    if [ -f "$dir/$name.pid" ]; then
      kill "$(cat "$dir/$name.pid")" 2>/dev/null || true
      rm -f "$dir/$name.pid"
    fi
  done
}

if [ "${1:-}" = "--stop" ]; then
  stop "$2"
  echo "demo stopped"
  exit 0
fi

bin=$1 sim=$2 dir=$3 nodes=$4 pods=$5
stop "$dir"
rm -rf "$dir" && mkdir -p "$dir"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

nohup dotnet "$sim" --nodes="$nodes" --pods-per-node="$pods" --dir="$dir" \
  --metrics-server="https://127.0.0.1:$port" --ready-file="$dir/simulator.ready" >"$dir/simulator.log" 2>&1 &
echo $! >"$dir/simulator.pid"
for _ in $(seq 1 300); do [ -f "$dir/simulator.ready" ] && break; sleep 0.2; done
[ -f "$dir/simulator.ready" ] || { echo "simulator did not start:"; tail -20 "$dir/simulator.log"; stop "$dir"; exit 1; }

nohup "$bin" --kubeconfig="$dir/tinymetrics.kubeconfig" --bind-address=127.0.0.1 --secure-port="$port" \
  --cert-dir="$dir/certs" --metric-resolution=10s --kubelet-request-timeout=5s --kubelet-preferred-address-types=InternalIP \
  --requestheader-client-ca-file="$dir/front-proxy-ca.crt" --requestheader-allowed-names=front-proxy-client \
  >"$dir/tinymetrics.log" 2>&1 &
echo $! >"$dir/tinymetrics.pid"

export KUBECONFIG="$dir/kubectl.kubeconfig"
echo "waiting for the first two scrapes (10s resolution)..."
for _ in $(seq 1 60); do
  if kubectl top nodes >/dev/null 2>&1; then break; fi
  sleep 1
done
echo
echo "\$ kubectl top nodes"
kubectl top nodes
echo
echo "\$ kubectl top pods -A"
kubectl top pods -A
echo
echo "TinyMetrics is running (pid $(cat "$dir/tinymetrics.pid")) on https://127.0.0.1:$port behind the simulator's API."
echo "Try:   export KUBECONFIG=$dir/kubectl.kubeconfig; kubectl top nodes"
echo "Logs:  $dir/tinymetrics.log  $dir/simulator.log"
echo "Stop:  make demo-stop"
