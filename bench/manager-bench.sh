#!/bin/bash
# Whole-command figures for the manager (docs/benchmarks.md, "Manager"):
#  1. boot a generated layered system of N services (default 1000) until
#     `svcmgr is-system-running` says running;
#  2. isolate from it to rescue.target (stops every service);
#  3. CLI round trip of `svcmgr is-active x` (median and p90 of R runs).
# Usage: bench/manager-bench.sh [N] [R]
set -euo pipefail
N=${1:-1000}
R=${2:-30}
here=$(cd "$(dirname "$0")/.." && pwd)
SV="$here/svcmgr"
work=$(mktemp -d /tmp/svcmgr-mbench.XXXXXX)
trap 'kill $(cat "$work/pid" 2>/dev/null) 2>/dev/null || true; rm -rf "$work"' EXIT
U=$work/units
mkdir -p "$U"
"$SV" --version >/dev/null   # build the jar and CDS archive first
# 10 layers; each service of layer L>0 requires 3 services of layer L-1 (average about 3 deps + 2 implied orderings)
per=$((N / 10))
for ((l = 0; l < 10; l++)); do
  for ((i = 0; i < per; i++)); do
    f="$U/s$l-$i.service.yaml"
    echo "exec: [/bin/sleep, '2147483647']" >"$f"
    if [ $l -gt 0 ]; then
      p=$((l - 1))
      echo "requires: [s$p-$i.service, s$p-$(((i + 1) % per)).service, s$p-$(((i + 7) % per)).service]" >>"$f"
    fi
  done
done
{ echo "allow-isolate: true"; printf 'wants: ['; for ((i = 0; i < per; i++)); do [ $i -gt 0 ] && printf ', '; printf 's9-%d.service' $i; done; echo ']'; } >"$U/multi-user.target.yaml"
printf 'allow-isolate: true\ndescription: rescue\n' >"$U/rescue.target.yaml"
now() { date +%s%N; }
t0=$(now)
"$SV" daemon --units "$U" --runtime-dir "$work/run" --log-dir "$work/log" --state-dir "$work/state" \
    --target multi-user.target >"$work/out" 2>"$work/err" &
echo $! >"$work/pid"
until "$SV" is-system-running --wait --runtime-dir "$work/run" >/dev/null 2>&1; do
  st=$("$SV" is-system-running --runtime-dir "$work/run" 2>/dev/null || true)
  [ "$st" = degraded ] && { echo "boot degraded"; cat "$work/err"; exit 1; }
  sleep 0.05
done
t1=$(now)
running=$("$SV" list-units --json --runtime-dir "$work/run" | python3 -c 'import json,sys; print(sum(1 for u in json.load(sys.stdin) if u["unit"].endswith(".service") and u["active"]=="active"))')
echo "boot: $N services ($running active) running after $(((t1 - t0) / 1000000)) ms (daemon start included)"
pid=$(cat "$work/pid")
echo "manager RSS: $(awk '/VmRSS/{print $2" "$3}' /proc/$pid/status), threads: $(awk '/Threads/{print $2}' /proc/$pid/status)"
t2=$(now)
"$SV" isolate rescue.target --runtime-dir "$work/run" >/dev/null
t3=$(now)
echo "isolate rescue.target (stop $N services): $(((t3 - t2) / 1000000)) ms"
times=()
for ((r = 0; r < R; r++)); do
  a=$(now); "$SV" is-active rescue.target --runtime-dir "$work/run" >/dev/null; b=$(now)
  times+=($(((b - a) / 1000000)))
done
printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "is-active round trip over %d runs: median %d ms, p90 %d ms\n", NR, a[int((NR+1)/2)], a[int(NR*0.9)]}'
kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
