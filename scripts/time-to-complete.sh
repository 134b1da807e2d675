#!/usr/bin/env bash
# Time from tinymetrics' start to its first complete answer: every simulated node in the node list and
# every pod in the pod list, each with usage. One line per run, then the median per resolution.
#   time-to-complete.sh NODES PODS_PER_NODE RUNS RESOLUTION... [-- extra tinymetrics flags...]
# e.g. time-to-complete.sh 50 30 3 15s 60s. FIRST_ADDRESS picks the simulator's loopback range (default 127.95.0.1).
# A run that is not complete within LIMIT seconds (default 150) counts as LIMIT and is flagged.
set -euo pipefail
nodes=$1 pods=$2 runs=$3; shift 3
resolutions=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do resolutions+=("$1"); shift; done
[ $# -gt 0 ] && shift
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${TINYMETRICS_BIN:-$root/artifacts/bin/tinymetrics} sim=$root/artifacts/simulator/tinymetrics-simulator.dll
limit=${LIMIT:-150}
dir=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
dotnet "$sim" --nodes="$nodes" --pods-per-node="$pods" --dir="$dir" --first-address="${FIRST_ADDRESS:-127.95.0.1}" \
  --metrics-server="https://127.0.0.1:$port" --ready-file="$dir/ready" >"$dir/sim.log" 2>&1 &
simpid=$!
trap 'kill $simpid ${tmpid:-} 2>/dev/null || true; rm -rf "$dir"' EXIT
for _ in $(seq 1 1500); do [ -f "$dir/ready" ] && break; sleep 0.2; done
[ -f "$dir/ready" ] || { echo "simulator did not start"; cat "$dir/sim.log"; exit 1; }
want_pods=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["pods"]))' "$dir/expected.json")

# Counts the items with usage (nodes) or with at least one container (pods) in a list read straight from tinymetrics.
served() {
  curl -sk --max-time 5 --cert "$dir/front-proxy-client.crt" --key "$dir/front-proxy-client.key" -H "X-Remote-User: measure" \
    "https://127.0.0.1:$port/apis/metrics.k8s.io/v1beta1/$1" 2>/dev/null |
    python3 -c 'import json,sys
try: items=json.load(sys.stdin)["items"]
except Exception: items=[]
print(sum(1 for i in items if i.get("usage") or i.get("containers")))'
}

for resolution in "${resolutions[@]}"; do
  times=()
  for run in $(seq 1 "$runs"); do
    rm -rf "$dir/certs"
    started=$(date +%s.%N)
    "$bin" --kubeconfig="$dir/tinymetrics.kubeconfig" --bind-address=127.0.0.1 --secure-port="$port" --cert-dir="$dir/certs" \
      --kubelet-preferred-address-types=InternalIP --requestheader-client-ca-file="$dir/front-proxy-ca.crt" \
      --metric-resolution="$resolution" "$@" >"$dir/tm.log" 2>&1 &
    tmpid=$!
    took=$limit flag=" (not complete)"
    while :; do
      now=$(date +%s.%N)
      if (( $(echo "$now - $started >= $limit" | bc) )); then break; fi
      if [ "$(served nodes)" = "$nodes" ] && [ "$(served pods)" = "$want_pods" ]; then
        took=$(echo "$now - $started" | bc) flag=""
        break
      fi
      sleep 0.2
    done
    kill "$tmpid" 2>/dev/null || true
    wait "$tmpid" 2>/dev/null || true
    tmpid=
    printf 'resolution=%s run=%d nodes=%d pods=%d time_to_complete_s=%.1f%s\n' "$resolution" "$run" "$nodes" "$want_pods" "$took" "$flag"
    times+=("$took")
  done
  median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END{print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}')
  printf 'resolution=%s runs=%d median_time_to_complete_s=%.1f\n' "$resolution" "$runs" "$median"
done
