#!/bin/bash
# Timer jitter (docs/benchmarks.md, issue 14): a timer elapsing every second (on-calendar "*:*:*")
# starts a oneshot that records the wall-clock time it runs; the lateness of each run after its whole
# second is the elapse's jitter plus one process spawn. Usage: bench/timer-jitter.sh [ELAPSES]
set -euo pipefail
N=${1:-100}
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/svcmgr-jitter.XXXXXX)
trap 'kill $(cat "$work/pid" 2>/dev/null) 2>/dev/null || true; sleep 0.5; rm -rf "$work"' EXIT
"$here/svcmgr" --version >/dev/null
mkdir -p "$work/units"
# a start every second is more than the default start limit (5 in 10 s, as systemd's) allows
printf 'type: oneshot\nexec: [/bin/sh, -c, "date +%%s.%%N >> %s/ran"]\nstart-limit: {burst: 1000, interval: 1s}\n' "$work" \
    >"$work/units/tick.service.yaml"
printf 'on-calendar: "*:*:*"\n' >"$work/units/tick.timer.yaml"
printf 'wants: [tick.timer]\n' >"$work/units/default.target.yaml"
"$here/svcmgr" daemon --units "$work/units" --runtime-dir "$work/run" --log-dir "$work/log" --state-dir "$work/state" \
    >"$work/out" 2>&1 &
echo $! >"$work/pid"
until [ -f "$work/ran" ] && [ "$(wc -l <"$work/ran")" -ge $((N + 2)) ]; do sleep 0.5; done
# the first two runs fall in the daemon's start-up (JIT); the next N are measured
tail -n +3 "$work/ran" | head -n "$N" | python3 -c '
import sys
late = sorted((float(l) - int(float(l))) * 1000 for l in sys.stdin)
n = len(late)
print("timer jitter over %d elapses (lateness after the whole second, spawn included): median %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms" % (
    n, late[n // 2], late[int(n * 0.9)], late[min(n - 1, int(n * 0.99))], late[-1]))'
