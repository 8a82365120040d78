#!/bin/bash
# The status page's cost (issue 16): page load and /metrics times, event -> server-sent event latency,
# and the daemon's PSS with and without --http, N sleeping services each, in one run.
#   bench/status-page.sh [N]        (default 100)
set -euo pipefail
N=${1:-100}
here=$(cd "$(dirname "$0")/.." && pwd)
S="$here/svcmgr"
work=$(mktemp -d /tmp/svcmgr-statusbench-XXXX)
cleanup() {
    kill $plain $withhttp 2>/dev/null || true
    for p in $plain $withhttp; do while kill -0 "$p" 2>/dev/null; do sleep 0.1; done; done
    rm -rf "$work"
}
trap cleanup EXIT
plain=; withhttp=
# two unit sets with their own names (p*, s*): two managers on one host must not share cgroup names
for set in p s; do
    mkdir -p "$work/units-$set"
    for i in $(seq 1 "$N"); do printf 'exec: [/bin/sleep, "100000"]\nrestart: always\nrestart-delay: 100ms\nrestart-max-delay: 100ms\nstart-limit: {burst: 1000}\n' > "$work/units-$set/$set$i.service.yaml"; done
    printf 'wants: [%s]\n' "$(seq -s, -f "$set%g.service" 1 "$N")" > "$work/units-$set/multi-user.target.yaml"
done
pss() { awk '/^Pss:/ {s += $2} END {printf "%.1f", s / 1024}' "/proc/$1/smaps_rollup"; }
run() { # name unit-set extra-args...
    local name=$1 set=$2; shift 2
    "$S" daemon --units "$work/units-$set" --runtime-dir "$work/run-$name" --log-dir "$work/log-$name" --state-dir "$work/state-$name" \
        --target multi-user.target "$@" > "$work/$name.out" 2> "$work/$name.err" &
    local pid=$!
    until "$S" is-system-running --wait --runtime-dir "$work/run-$name" >/dev/null 2>&1; do sleep 0.1; done
    echo "$pid"
}
plain=$(run plain p)
withhttp=$(run http s --http 127.0.0.1:0)
sleep 2
echo "daemon PSS after boot, before any request: without --http $(pss "$plain") MiB, with --http $(pss "$withhttp") MiB"
port=$(sed -n 's/.*status page on http:\/\/127.0.0.1:\([0-9]*\)\/.*/\1/p' "$work/http.err")
python3 - "$port" "$N" "$S" "$work/run-http" <<'PY'
import sys, time, urllib.request, statistics, subprocess, threading, json
sys.stdout.reconfigure(line_buffering=True)
port, n, svcmgr, rt = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
base = f"http://127.0.0.1:{port}"
def timed(path, k):
    ts = []
    for _ in range(k):
        t = time.perf_counter(); urllib.request.urlopen(base + path).read(); ts.append((time.perf_counter() - t) * 1000)
    return statistics.median(ts)
timed("/", 3)
print(f"units: {n}")
print(f"GET / (the page), median of 30: {timed('/', 30):.1f} ms")
print(f"GET /metrics, median of 30: {timed('/metrics', 30):.1f} ms")
print(f"GET /api/units, median of 30: {timed('/api/units', 30):.1f} ms")
lat = []
for i in range(10):
    seen = threading.Event(); box = {}
    def listen():
        r = urllib.request.urlopen(base + "/events")
        box['ready'] = True
        for line in r:
            if line.startswith(b"data: ") and b'"s1.service"' in line and b'"active":"active"' not in line:
                box['t'] = time.perf_counter(); seen.set(); return
    th = threading.Thread(target=listen, daemon=True); th.start()
    while 'ready' not in box: time.sleep(0.01)
    time.sleep(0.05)
    t0 = time.perf_counter()
    pid = None
    while pid is None:  # s1 back from its last restart (the restart delay grows with each one)
        st = subprocess.run([svcmgr, "status", "s1", "--json", "--runtime-dir", rt], capture_output=True, text=True)
        try:
            u = json.loads(st.stdout)
            pid = u["main-pid"] if u["active"] == "active" else None
        except ValueError:
            pid = None
        if pid is None: time.sleep(0.1)
    t0 = time.perf_counter(); subprocess.run(["kill", "-9", str(pid)])
    seen.wait(10); lat.append((box['t'] - t0) * 1000)
    time.sleep(0.5)
print(f"kill -9 -> its event on /events, median of 10: {statistics.median(lat):.1f} ms (min {min(lat):.1f}, max {max(lat):.1f})")
for _ in range(50): urllib.request.urlopen(base + "/").read()
PY
echo "daemon PSS after the requests above (the page 140 times, /metrics 30, /api 30, 10 event streams): without --http $(pss "$plain") MiB, with --http $(pss "$withhttp") MiB"
