"""Polls tinymetrics' node and pod lists and compares each answer with the simulator's expected.json.

Nodes are in name order; the first FAULTY ones must never be served, every other one must be in every answer
with its exact memory and its CPU within 1m, and so must every pod on them. Prints one summary line (missing items,
items that must not be served and wrong values counted apart), and on stderr each answer that lost healthy
nodes; exits 1 on any wrong answer.
usage: mass-outage-check.py DIR PORT FAULTY WINDOW_SECONDS
"""
import json, ssl, sys, time, urllib.request

directory, port, faulty, window = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
expected = json.load(open(f"{directory}/expected.json"))
healthy = {n["name"]: n for n in expected["nodes"][faulty:]}
pods = {(p["namespace"], p["name"]): p for p in expected["pods"] if p["nodeName"] in healthy}
context = ssl.create_default_context()
context.check_hostname = False
context.verify_mode = ssl.CERT_NONE
context.load_cert_chain(f"{directory}/front-proxy-client.crt", f"{directory}/front-proxy-client.key")


def get(path):
    request = urllib.request.Request(f"https://127.0.0.1:{port}{path}", headers={"X-Remote-User": "outage-check"})
    with urllib.request.urlopen(request, context=context, timeout=30) as response:
        return json.load(response)


def cpu(text):
    units = {"n": 1, "u": 1_000, "m": 1_000_000}
    return int(text[:-1]) * units[text[-1]] if text[-1] in units else int(float(text) * 1e9)


def memory(text):
    units = {"Ki": 1024, "Mi": 1024**2, "Gi": 1024**3}
    return int(text[:-2]) * units[text[-2:]] if text[-2:] in units else int(text)


def wrong_usage(usage, want):
    return memory(usage["memory"]) != want["memoryBytes"] or abs(cpu(usage["cpu"]) - want["cpuNanoCores"]) > 1_000_000


polls = 0
missing_nodes = missing_pods = unexpected = wrong_values = 0
lost = []  # (seconds since the first poll, healthy nodes missing from that answer)
served_min, served_max = len(healthy), 0
start = time.monotonic()
until = start + window
while time.monotonic() < until:
    at = time.monotonic() - start
    items = get("/apis/metrics.k8s.io/v1beta1/nodes")["items"]
    names = {i["metadata"]["name"] for i in items}
    served_min, served_max = min(served_min, len(names)), max(served_max, len(names))
    missing = sorted(healthy.keys() - names)
    if missing:
        lost.append((at, missing))
    missing_nodes += len(missing)
    unexpected += len(names - healthy.keys())
    wrong_values += sum(wrong_usage(i["usage"], healthy[i["metadata"]["name"]]) for i in items if i["metadata"]["name"] in healthy)
    pod_items = get("/apis/metrics.k8s.io/v1beta1/pods")["items"]
    keys = {(i["metadata"]["namespace"], i["metadata"]["name"]) for i in pod_items}
    missing_pods += len(pods.keys() - keys)
    unexpected += len(keys - pods.keys())
    for item in pod_items:
        want = pods.get((item["metadata"]["namespace"], item["metadata"]["name"]))
        if want is not None:
            by_name = {c["name"]: c for c in want["containers"]}
            wrong_values += sum(wrong_usage(c["usage"], by_name[c["name"]]) for c in item["containers"])
    polls += 1
    time.sleep(2)
wrong = missing_nodes + missing_pods + unexpected + wrong_values
# Which answers lost healthy nodes, and which nodes: the server log (KEEP=DIR) says why each one failed.
for at, missing in lost:
    print(f"poll_at_s={at:.0f} missing={len(missing)} first={','.join(missing[:5])}", file=sys.stderr)

metrics = urllib.request.urlopen(urllib.request.Request(f"https://127.0.0.1:{port}/metrics", headers={"X-Remote-User": "outage-check"}),
                                 context=context, timeout=30).read().decode()
ticks = {line.split()[0]: float(line.split()[1]) for line in metrics.splitlines()
         if line.startswith("metrics_server_manager_tick_duration_seconds")}
count = ticks.get("metrics_server_manager_tick_duration_seconds_count", 0)
within = ticks.get('metrics_server_manager_tick_duration_seconds_bucket{le="15"}', 0)
average = ticks.get("metrics_server_manager_tick_duration_seconds_sum", 0) / count if count else 0
print(f"healthy_nodes={len(healthy)} healthy_pods={len(pods)} polls={polls} served_min={served_min} served_max={served_max} "
      f"wrong_answers={wrong} missing_nodes={missing_nodes} missing_pods={missing_pods} unexpected={unexpected} wrong_values={wrong_values} "
      f"cycles={int(count)} cycles_within_resolution={int(within)} cycle_avg_s={average:.2f}")
sys.exit(1 if wrong or within != count else 0)
