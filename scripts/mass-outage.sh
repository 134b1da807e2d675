#!/usr/bin/env bash
# Mass kubelet outage on a simulated cluster: NODES kubelets of which the first HUNG accept TLS and never
# answer, the next REFUSED refuse connections and the next SLOW answer one byte per second; the rest are
# healthy. tinymetrics runs at 15 s resolution with upstream's 10 s kubelet timeout (extra flags override).
# After WARMUP seconds it polls the node and pod lists every 2 s for WINDOW seconds and checks every answer
# against the simulator's expected.json: exactly the healthy nodes and their pods, memory exact, CPU within 1m.
#   mass-outage.sh NODES HUNG REFUSED SLOW [extra tinymetrics flags...]   (WARMUP=45 WINDOW=60 PODS=10)
set -euo pipefail
nodes=$1 hung=$2 refused=$3 slow=$4; shift 4
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${TINYMETRICS_BIN:-$root/artifacts/bin/tinymetrics} sim=$root/artifacts/simulator/tinymetrics-simulator.dll
dir=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
faults="hang:0:$hung,refuse:$hung:$refused,slow:$((hung + refused)):$slow"
dotnet "$sim" --nodes="$nodes" --pods-per-node="${PODS:-10}" --dir="$dir" --first-address="${FIRST_ADDRESS:-127.91.128.1}" \
  --kubelet-faults="$faults" --metrics-server="https://127.0.0.1:$port" --ready-file="$dir/ready" >"$dir/sim.log" 2>&1 &
simpid=$!
trap 'kill $simpid ${tmpid:-} 2>/dev/null || true; [ -n "${KEEP:-}" ] && cp -r "$dir" "$KEEP"; rm -rf "$dir"' EXIT
for _ in $(seq 1 1500); do [ -f "$dir/ready" ] && break; sleep 0.2; done
"$bin" --kubeconfig="$dir/tinymetrics.kubeconfig" --bind-address=127.0.0.1 --secure-port="$port" --cert-dir="$dir/certs" \
  --kubelet-preferred-address-types=InternalIP --requestheader-client-ca-file="$dir/front-proxy-ca.crt" \
  --metric-resolution=15s --kubelet-request-timeout=10s "$@" >"$dir/tm.log" 2>&1 &
tmpid=$!
sleep "${WARMUP:-45}"
ticks0=$(awk '{print $14+$15}' /proc/$tmpid/stat)
rc=0
python3 "$root/scripts/mass-outage-check.py" "$dir" "$port" "$((hung + refused + slow))" "${WINDOW:-60}" || rc=$?
ticks1=$(awk '{print $14+$15}' /proc/$tmpid/stat)
hz=$(getconf CLK_TCK)
echo "nodes=$nodes hung=$hung refused=$refused slow=$slow rss_kib=$(awk '/VmRSS/{print $2}' /proc/$tmpid/status)" \
  "hwm_kib=$(awk '/VmHWM/{print $2}' /proc/$tmpid/status) threads=$(awk '/Threads/{print $2}' /proc/$tmpid/status)" \
  "fds=$(ls /proc/$tmpid/fd | wc -l) cpu_millicores=$(echo "scale=1; ($ticks1-$ticks0)*1000/$hz/${WINDOW:-60}" | bc)"
exit $rc
