#!/bin/bash
# Time from launching the daemon to its first and to all N services running (polling pgrep), for
# start-up work (docs/benchmarks.md, issue 13). The services run `sleep` under a name of their own.
# Usage: bench/boot-curve.sh [N] [extra java options for SVCMGR_JAVA_OPTS...]
set -euo pipefail
N=${1:-100}; shift || true
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/svcmgr-boot.XXXXXX)
trap 'kill $(cat "$work/pid" 2>/dev/null) 2>/dev/null || true; sleep 0.5; rm -rf "$work"' EXIT
"$here/svcmgr" --version >/dev/null
mkdir -p "$work/units"
tag="svcmgrbc$$"
ln -s "$(command -v sleep)" "$work/$tag"
for ((i = 1; i <= N; i++)); do
    printf 'exec: ["%s", "2147483647"]\n' "$work/$tag" >"$work/units/s$i.service.yaml"
done
{ printf 'wants: ['; for ((i = 1; i <= N; i++)); do [ $i -gt 1 ] && printf ', '; printf 's%d.service' $i; done; echo ']'; } \
    >"$work/units/all.target.yaml"
t0=$(date +%s%N)
SVCMGR_JAVA_OPTS="$*" "$here/svcmgr" daemon --units "$work/units" --runtime-dir "$work/run" --log-dir "$work/log" \
    --state-dir "$work/state" --target all.target >/dev/null 2>&1 &
echo $! >"$work/pid"
first=""
for _ in $(seq 1 6000); do
    n=$(pgrep -c -x "$tag" || true)
    [ -z "$first" ] && [ "$n" -ge 1 ] && first=$(( ($(date +%s%N) - t0) / 1000000 ))
    [ "$n" -ge "$N" ] && break
    sleep 0.01
done
echo "first service up after ${first} ms, all $N after $(( ($(date +%s%N) - t0) / 1000000 )) ms ${*:+[$*]}"
