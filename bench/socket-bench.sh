#!/bin/bash
# Socket activation (docs/benchmarks.md, issue 14): first connection to first byte of a service
# started by that connection, against the same service already running; then connections refused
# while the service is restarted R times under a steady stream of connections (goal: 0).
# Usage: bench/socket-bench.sh [ROUNDS] [RESTARTS]
set -euo pipefail
N=${1:-10}; R=${2:-100}
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/svcmgr-sockbench.XXXXXX)
trap 'kill $(cat "$work/pid" 2>/dev/null) 2>/dev/null || true; sleep 0.5; rm -rf "$work"' EXIT
S="$here/svcmgr"
"$S" --version >/dev/null
mkdir -p "$work/units"
cat >"$work/units/echo.service.yaml" <<'YAML'
exec: [/usr/bin/python3, -c, "import socket\ns=socket.socket(fileno=3)\nwhile True:\n  c,_=s.accept(); c.sendall(b'hello'); c.close()"]
start-limit: {burst: 10000, interval: 1s}
YAML
printf 'listen:\n  - tcp: "127.0.0.1:0"\n' >"$work/units/echo.socket.yaml"
printf 'wants: [echo.socket]\n' >"$work/units/default.target.yaml"
"$S" daemon --units "$work/units" --runtime-dir "$work/run" --log-dir "$work/log" --state-dir "$work/state" >"$work/out" 2>&1 &
echo $! >"$work/pid"
export SVCMGR_RUNTIME_DIR="$work/run"
until "$S" is-system-running --wait >/dev/null 2>&1; do sleep 0.1; done
port=$("$S" list-sockets --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["listen"].rsplit(":",1)[1])')
first() { python3 -c "
import socket,time
t=time.monotonic(); s=socket.create_connection(('127.0.0.1',$port)); d=s.recv(16); print('%.1f' % ((time.monotonic()-t)*1000))"; }
cold=(); warm=()
for ((i = 0; i < N; i++)); do
    "$S" stop echo.service >/dev/null
    cold+=("$(first)")
    warm+=("$(first)")
done
python3 - "${cold[*]}" "${warm[*]}" <<'PY'
import sys
c = sorted(float(x) for x in sys.argv[1].split()); w = sorted(float(x) for x in sys.argv[2].split())
print("first connection to first byte over %d rounds: on demand (starts the service) median %.1f ms, max %.1f ms;"
      " already running median %.1f ms, max %.1f ms" % (len(c), c[len(c)//2], c[-1], w[len(w)//2], w[-1]))
PY
python3 - "$port" "$R" "$S" <<'PY'
import socket, subprocess, sys, threading
port, restarts, svcmgr = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
stop = False; served = refused = cut = 0
def hammer():
    global served, refused, cut
    while not stop:
        try:
            s = socket.create_connection(('127.0.0.1', port), timeout=20); s.settimeout(20)
            d = s.recv(16); s.close()
            if d == b'hello': served += 1
            else: cut += 1
        except ConnectionRefusedError: refused += 1
        except (ConnectionResetError, socket.timeout): cut += 1
t = threading.Thread(target=hammer); t.start()
for _ in range(restarts): subprocess.run([svcmgr, 'restart', 'echo.service'], check=True, stdout=subprocess.DEVNULL)
stop = True; t.join()
print("connections across %d restarts: %d served, %d refused, %d cut (accepted by the stopped process)" % (restarts, served, refused, cut))
PY
