#!/usr/bin/env bash
# make bench-scale: the AOT binary against the simulator's realistic shape at several cluster sizes, 15 s resolution.
# For each N in SCALE_NODES (default "1000 5000 10000"), SCALE_PODS pods per node (30): starts the simulator (two
# processes when one would pass `ulimit -n`) and tinymetrics, waits until every node is served, lets SCALE_SETTLE
# seconds pass (30), then over SCALE_WINDOW seconds (120) samples tinymetrics' and the simulators' CPU from
# /proc/PID/stat, RSS and its anonymous/file split from smaps_rollup, the GC gauges, cycle time and kubelet requests
# from /metrics. After the window (so the client does not load the CPU figures), the Benchmarks project's
# --scale-latency mode sends SCALE_HPA HPA-shaped requests (2000) and SCALE_FULL full pod and node lists (50), one at
# a time over one kept-alive connection. Prints a markdown table and writes it to artifacts/bench-scale.md.
# SCALE_ENV adds environment to tinymetrics alone (e.g. SCALE_ENV="MALLOC_ARENA_MAX=2" for an A/B run), SCALE_FLAGS flags.
# A size whose every node is not served within SCALE_SERVE_TIMEOUT seconds (600) gets a row saying so and the last cycle.
# Size i uses the loopback network 127.(102+i).0.0/16: kubelets from 127.(102+i).0.1, tinymetrics on 127.(102+i).250.1.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${TINYMETRICS_BIN:-$root/artifacts/bin/tinymetrics}
sim=${TINYMETRICS_SIMULATOR:-$root/artifacts/simulator/tinymetrics-simulator.dll}
bench=$root/tests/TinyMetrics.Benchmarks/bin/Release/net10.0/TinyMetrics.Benchmarks.dll
sizes=${SCALE_NODES:-1000 5000 10000} pods=${SCALE_PODS:-30} window=${SCALE_WINDOW:-120} settle=${SCALE_SETTLE:-30}
serve_timeout=${SCALE_SERVE_TIMEOUT:-600} hpa_calls=${SCALE_HPA:-2000} full_calls=${SCALE_FULL:-50} out=${SCALE_OUT:-$root/artifacts/bench-scale.md}
for f in "$bin" "$sim" "$bench"; do [ -f "$f" ] || { echo "bench-scale needs $f (make publish simulator; dotnet build tests/TinyMetrics.Benchmarks -c Release)"; exit 1; }; done
# Each kubelet costs the simulator a listener and an accepted connection; raise the soft limit as far as allowed.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
fds=$(ulimit -n)
hz=$(getconf CLK_TCK)
pids=() dir=""
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  pids=()
  if [ -n "$dir" ]; then [ -n "${KEEP:-}" ] && cp -r "$dir" "$KEEP-$(basename "$dir")"; rm -rf "$dir"; fi
  dir=""
}
trap cleanup EXIT
ticks() { local t=0; for p in "$@"; do t=$((t + $(awk '{print $14+$15}' "/proc/$p/stat"))); done; echo "$t"; }
millicores() { echo "scale=1; $1*1000/$hz/$window" | bc; }
# wait_for SECONDS WHAT COMMAND...: polls every second; fails the size when the bound passes.
wait_for() {
  local limit=$1 what=$2; shift 2
  local until=$((SECONDS + limit))
  until "$@"; do
    [ $SECONDS -lt $until ] || { echo "bench-scale: no $what within ${limit}s" >&2; return 1; }
    for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null || { echo "bench-scale: process $p exited while waiting for $what" >&2; return 1; }; done
    sleep 1
  done
}
rows=() prev_nodes="" prev_rss=""
i=0
for n in $sizes; do
  [ $i -le 9 ] || { echo "bench-scale: at most 10 sizes (127.102-111.0.0/16)"; exit 1; }
  net=127.$((102 + i)); i=$((i + 1))
  dir=$(mktemp -d /tmp/bench-scale.XXXXXX)
  port=$(python3 -c 'import socket,sys; s=socket.socket(); s.bind((sys.argv[1],0)); print(s.getsockname()[1])' "$net.250.1")
  half=$n
  [ $((2 * n + 1000)) -gt "$fds" ] && half=$((n / 2))
  start=$SECONDS
  dotnet "$sim" --nodes="$n" --pods-per-node="$pods" --dir="$dir" --first-address="$net.0.1" --kubelets="0:$half" \
    --metrics-server="https://$net.250.1:$port" --ready-file="$dir/ready" >"$dir/sim.log" 2>&1 &
  pids+=($!); simpids=($!)
  kubelet_ca=()
  if [ "$half" != "$n" ]; then
    dotnet "$sim" --nodes="$n" --pods-per-node="$pods" --dir="$dir/second" --first-address="$net.0.1" --kubelets="$half:-1" \
      --ready-file="$dir/second/ready" >"$dir/sim2.log" 2>&1 &
    pids+=($!); simpids+=($!)
  fi
  wait_for 900 "simulator ready" bash -c "[ -f '$dir/ready' ] && { [ '$half' = '$n' ] || [ -f '$dir/second/ready' ]; }"
  if [ "$half" != "$n" ]; then
    { cat "$dir/ca.crt"; echo; cat "$dir/second/ca.crt"; } >"$dir/kubelet-cas.crt"
    kubelet_ca=(--kubelet-certificate-authority="$dir/kubelet-cas.crt")
  fi
  sim_ready=$((SECONDS - start))
  start=$SECONDS
  env ${SCALE_ENV:-} "$bin" --kubeconfig="$dir/tinymetrics.kubeconfig" --bind-address="$net.250.1" --secure-port="$port" --cert-dir="$dir/certs" \
    --kubelet-preferred-address-types=InternalIP --requestheader-client-ca-file="$dir/front-proxy-ca.crt" --metric-resolution=15s \
    "${kubelet_ca[@]}" ${SCALE_FLAGS:-} >"$dir/tm.log" 2>&1 &
  tm=$!; pids+=($tm)
  get() { curl -sk --max-time 60 --cert "$dir/front-proxy-client.crt" --key "$dir/front-proxy-client.key" -H "X-Remote-User: bench-scale" "https://$net.250.1:$port$1"; }
  served() { [ "$(get /apis/metrics.k8s.io/v1beta1/nodes | grep -o '"usage"' | wc -l)" -ge "$n" ]; }
  if ! wait_for "$serve_timeout" "answer with all $n nodes" served; then
    last=$(grep '"Scrape cycle finished"' "$dir/tm.log" | tail -1 | grep -o 'failedCount=[0-9]* .*servableNodes=[0-9]*' || true)
    echo "nodes=$n not_served_within_s=$serve_timeout load='$(cut -d' ' -f1-3 /proc/loadavg)' last_cycle: $last"
    rows+=("| $n × $pods | not every node served within ${serve_timeout} s; last cycle: ${last:-none} | | | | | | | | | | | $(cut -d' ' -f1-3 /proc/loadavg) |")
    cleanup
    continue
  fi
  all_served=$((SECONDS - start))
  sleep "$settle"
  get /metrics >"$dir/metrics0.txt"
  t0=$(ticks "$tm"); s0=$(ticks "${simpids[@]}")
  sleep "$window"
  t1=$(ticks "$tm"); s1=$(ticks "${simpids[@]}")
  get /metrics >"$dir/metrics1.txt"
  load=$(cut -d' ' -f1-3 /proc/loadavg)
  rss=$(awk '/^Rss:/{print $2}' "/proc/$tm/smaps_rollup")
  anon=$(awk '/^Anonymous:/{print $2}' "/proc/$tm/smaps_rollup")
  hwm=$(awk '/VmHWM/{print $2}' "/proc/$tm/status")
  sim_rss=0; for p in "${simpids[@]}"; do sim_rss=$((sim_rss + $(awk '/VmRSS/{print $2}' "/proc/$p/status"))); done
  read -r cycles cycle_avg ok failed gc_heap gc_committed < <(awk 'FNR==1{file++} {sign = file==1 ? -1 : 1}
    /^metrics_server_manager_tick_duration_seconds_sum/{sum+=sign*$2} /^metrics_server_manager_tick_duration_seconds_count/{c+=sign*$2}
    /^metrics_server_kubelet_request_total\{success="false"\}/{bad+=sign*$2} /^metrics_server_kubelet_request_total\{success="true"\}/{good+=sign*$2}
    file==2 && /^dotnet_gc_heap_size_bytes /{heap=$2} file==2 && /^dotnet_gc_committed_bytes /{committed=$2}
    END{printf "%d %.2f %d %d %d %d\n", c, (c ? sum/c : 0), good, bad, heap/1024, committed/1024}' "$dir/metrics0.txt" "$dir/metrics1.txt")
  latency=$(dotnet "$bench" --scale-latency --url "https://$net.250.1:$port" --dir "$dir" --hpa "$hpa_calls" --full "$full_calls" || true)
  kv() { sed -n "s/.*\b$1=\([^ ]*\).*/\1/p" <<<"$latency"; }
  tm_mc=$(millicores $((t1 - t0))); sim_mc=$(millicores $((s1 - s0)))
  per_node_mc=$(printf '%.4f' "$(bc <<<"scale=6; $tm_mc/$n")")
  growth="—"
  [ -n "$prev_nodes" ] && growth="$(( (rss - prev_rss) / (n - prev_nodes) )) KiB"
  prev_nodes=$n prev_rss=$rss
  raw="nodes=$n pods/node=$pods simulators=${#simpids[@]} sim_ready_s=$sim_ready all_served_s=$all_served rss_kib=$rss anon_kib=$anon hwm_kib=$hwm"
  raw+=" gc_heap_kib=$gc_heap gc_committed_kib=$gc_committed cpu_millicores=$tm_mc sim_cpu_millicores=$sim_mc sim_rss_kib=$sim_rss"
  raw+=" window_cycles=$cycles cycle_avg_s=$cycle_avg kubelet_ok=$ok kubelet_failed=$failed load='$load' $latency"
  echo "$raw"
  rows+=("$(printf '| %s × %s | %.1f MiB (%.1f anon / %.1f file) | %.1f / %.1f MiB | %d KiB | %s | %s (%s/node) | %s s (%d) | %s / %s ms | %s / %s ms | %s / %s ms | %s millicores, %.0f MiB | %d / %d | %s |' \
    "$n" "$pods" "$(bc <<<"scale=1; $rss/1024")" "$(bc <<<"scale=1; $anon/1024")" "$(bc <<<"scale=1; ($rss-$anon)/1024")" \
    "$(bc <<<"scale=1; $gc_heap/1024")" "$(bc <<<"scale=1; $gc_committed/1024")" $((rss / n)) "$growth" "$tm_mc" "$per_node_mc" \
    "$cycle_avg" "$cycles" "$(kv hpa_p50_ms)" "$(kv hpa_p99_ms)" "$(kv pods_p50_ms)" "$(kv pods_p99_ms)" "$(kv nodes_p50_ms)" "$(kv nodes_p99_ms)" \
    "$sim_mc" "$(bc <<<"scale=1; $sim_rss/1024")" "$ok" "$failed" "$load")")
  cleanup
done
{
  echo "bench-scale $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, ulimit -n $fds, realistic shape, ${pods} pods/node, --metric-resolution=15s, window ${window} s, $hpa_calls HPA / $full_calls full-list requests"
  echo
  echo "| nodes × pods | tinymetrics RSS (smaps) | GC heap / committed | RSS per node | RSS growth per added node | CPU millicores | cycle avg (cycles) | HPA p50 / p99 | pod list p50 / p99 | node list p50 / p99 | simulator CPU, RSS | kubelet requests ok / failed | load average |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
  printf '%s\n' "${rows[@]}"
} | tee "$out"
