#!/bin/bash
# Path event to restart latency (docs/benchmarks.md, issue 14): a path unit with action: restart
# watches a configuration file; each round replaces the file by rename (as an editor saves) and
# measures until the restarted service has run its first command (it records the time).
# The 100 ms coalescing window is part of the figure. Usage: bench/path-latency.sh [ROUNDS]
set -euo pipefail
N=${1:-20}
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/svcmgr-pathlat.XXXXXX)
trap 'kill $(cat "$work/pid" 2>/dev/null) 2>/dev/null || true; sleep 0.5; rm -rf "$work"' EXIT
"$here/svcmgr" --version >/dev/null
mkdir -p "$work/units" "$work/etc"
echo 0 >"$work/etc/app.conf"
printf 'exec: [/bin/sh, -c, "date +%%s.%%N >> %s/up; exec sleep 100000"]\nstart-limit: {burst: 1000, interval: 1s}\n' "$work" \
    >"$work/units/app.service.yaml"
printf 'path-changed: %s/etc/app.conf\naction: restart\n' "$work" >"$work/units/app.path.yaml"
printf 'wants: [app.service, app.path]\n' >"$work/units/default.target.yaml"
"$here/svcmgr" daemon --units "$work/units" --runtime-dir "$work/run" --log-dir "$work/log" --state-dir "$work/state" \
    >"$work/out" 2>&1 &
echo $! >"$work/pid"
export SVCMGR_RUNTIME_DIR="$work/run"
until "$here/svcmgr" is-system-running --wait >/dev/null 2>&1; do sleep 0.1; done
for ((i = 1; i <= N; i++)); do
    before=$(wc -l <"$work/up")
    echo "$i" >"$work/etc/app.conf.new"
    date +%s.%N >>"$work/sent"
    mv "$work/etc/app.conf.new" "$work/etc/app.conf"
    until [ "$(wc -l <"$work/up")" -gt "$before" ]; do sleep 0.01; done
    sleep 0.3   # the service settles before the next change
done
tail -n "$N" "$work/up" | paste "$work/sent" - | python3 -c '
import sys
lat = sorted((float(b) - float(a)) * 1000 for a, b in (l.split() for l in sys.stdin))
n = len(lat)
print("path event to restarted service over %d renames (100 ms coalescing included): median %.0f ms, p90 %.0f ms, max %.0f ms" % (
    n, lat[n // 2], lat[int(n * 0.9)], lat[-1]))'
