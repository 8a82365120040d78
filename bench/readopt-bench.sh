#!/bin/bash
# Crash recovery figure (docs/benchmarks.md, "Never losing a service"): boot N services (default 1000),
# SIGKILL the manager, start a new one on the same runtime dir, and time from the SIGKILL until the new
# manager answers `svcmgr status`; then check that every service was re-adopted with its main PID and
# that none was restarted. Usage: bench/readopt-bench.sh [N]
set -euo pipefail
N=${1:-1000}
here=$(cd "$(dirname "$0")/.." && pwd)
SV="$here/svcmgr"
work=$(mktemp -d /tmp/svcmgr-readopt.XXXXXX)
cleanup() {
  kill -TERM $(cat "$work/pid" 2>/dev/null) 2>/dev/null || true
  for i in $(seq 300); do kill -0 $(cat "$work/pid" 2>/dev/null) 2>/dev/null || break; sleep 0.1; done
  rm -rf "$work"
}
trap cleanup EXIT
U=$work/units
mkdir -p "$U"
"$SV" --version >/dev/null
for ((i = 0; i < N; i++)); do
  printf "exec: [/bin/sleep, '2147483647']\nrestart: always\n" >"$U/s$i.service.yaml"
done
{ printf 'wants: ['; for ((i = 0; i < N; i++)); do [ $i -gt 0 ] && printf ', '; printf 's%d.service' $i; done; echo ']'; } >"$U/multi-user.target.yaml"
start_daemon() {
  "$SV" daemon --units "$U" --runtime-dir "$work/run" --log-dir "$work/log" --state-dir "$work/state" \
      --target multi-user.target >>"$work/out" 2>>"$work/err" &
  echo $! >"$work/pid"
}
pids() {  # unit -> main PID and restart count, from the daemon's view
  "$SV" status --json --runtime-dir "$work/run" >/dev/null
  python3 - "$work/run/services" <<'PY'
import json, os, sys
d = sys.argv[1]
for f in sorted(os.listdir(d)):
    if f.endswith(".json") and not f.startswith("."):
        r = json.load(open(os.path.join(d, f)))
        print(r["unit"], r["main-pid"], r["restarts"], r["state"])
PY
}
now() { date +%s%N; }
start_daemon
until "$SV" is-system-running --wait --runtime-dir "$work/run" >/dev/null 2>&1; do sleep 0.1; done
sleep 1   # let the records settle
pids >"$work/before"
up=$(grep -c ' RUNNING$' "$work/before" || true)
echo "booted: $up of $N services running"
t0=$(now)
kill -KILL "$(cat "$work/pid")"
wait "$(cat "$work/pid")" 2>/dev/null || true
start_daemon
# poll with a light client (a JVM client in a tight loop would take the CPU the starting manager needs)
python3 - "$work/run/control.sock" <<'PY'
import json, socket, sys, time
while True:
    try:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(sys.argv[1])
        s.sendall(b'{"v":1,"verb":"ping"}\n')
        if json.loads(s.makefile().readline()).get("ok"):
            break
    except (OSError, ValueError):
        time.sleep(0.005)
PY
t1=$(now)
"$SV" status --runtime-dir "$work/run" >/dev/null
t2=$(now)
echo "SIGKILL of the manager -> the new manager answers: $(((t1 - t0) / 1000000)) ms; -> 'svcmgr status' returned: $(((t2 - t0) / 1000000)) ms"
sleep 1
pids >"$work/after"
same=$(join "$work/before" "$work/after" | awk '$2 == $5 && $6 == $3 && $7 == "RUNNING"' | wc -l)
echo "re-adopted with the same main PID, restart count unchanged and running: $same of $up"
alive=0; while read -r u p r s; do kill -0 "$p" 2>/dev/null && alive=$((alive + 1)); done <"$work/before"
echo "main PIDs from before still alive: $alive of $up"
grep -m1 're-adopted' "$work/err" || true
pid=$(cat "$work/pid")
echo "new manager RSS: $(awk '/VmRSS/{print $2" "$3}' /proc/$pid/status), threads: $(awk '/Threads/{print $2}' /proc/$pid/status), fds: $(ls /proc/$pid/fd | wc -l)"
