#!/bin/bash
# Soak (docs/benchmarks.md, "Never losing a service"): N services (default 1000, `restart: always`,
# `restart-delay: 0`) under one manager for D seconds (default 3600); every second a random service's
# main process gets SIGKILL. Each service writes a line when it starts, so its log file is open from the start. Every S seconds (default 60) it prints one line of the curve: elapsed time,
# the manager's heap after a full GC (jcmd), RSS, threads, descriptors, zombies under the manager, kills,
# and kills not followed by a restart within 10 s. Usage: bench/soak.sh [N] [D] [S]
set -euo pipefail
N=${1:-1000}; D=${2:-3600}; S=${3:-60}
here=$(cd "$(dirname "$0")/.." && pwd)
SV="$here/svcmgr"
work=$(mktemp -d /tmp/svcmgr-soak.XXXXXX)
cleanup() {
  kill -TERM $(cat "$work/pid" 2>/dev/null) 2>/dev/null || true
  for i in $(seq 600); do kill -0 $(cat "$work/pid" 2>/dev/null) 2>/dev/null || break; sleep 0.1; done
  rm -rf "$work"
}
trap cleanup EXIT
U=$work/units; mkdir -p "$U"
"$SV" --version >/dev/null
for ((i = 0; i < N; i++)); do
  printf "exec: [/bin/sh, -c, 'echo started; exec sleep 2147483647']\nrestart: always\nrestart-delay: 0\nstart-limit: {burst: 100000, interval: 1s}\n" >"$U/s$i.service.yaml"
done
{ printf 'wants: ['; for ((i = 0; i < N; i++)); do [ $i -gt 0 ] && printf ', '; printf 's%d.service' $i; done; echo ']'; } >"$U/multi-user.target.yaml"
"$SV" daemon --units "$U" --runtime-dir "$work/run" --log-dir "$work/log" --state-dir "$work/state" \
    --target multi-user.target >"$work/out" 2>"$work/err" &
echo $! >"$work/pid"
pid=$(cat "$work/pid")
until "$SV" is-system-running --wait --runtime-dir "$work/run" >/dev/null 2>&1; do sleep 0.2; done
sleep 2
mainpid() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["main-pid"] or 0)' "$work/run/services/$1.json" 2>/dev/null || echo 0; }
# live heap after a full GC: young + old generation "used" (SerialGC's lines; metaspace not counted)
heap() { jcmd "$pid" GC.run >/dev/null 2>&1; jcmd "$pid" GC.heap_info 2>/dev/null | awk '/(new|tenured) generation/ {for (i=1;i<=NF;i++) if ($i=="used") {v=$(i+1); sub(/K,?/,"",v); t+=v}} END {printf "%dK", t}'; }
zombies() { awk -v p="$pid" '$4 == p && $3 == "Z"' /proc/[0-9]*/stat 2>/dev/null | wc -l; }
kills=0; lost=0
declare -A pending
echo "elapsed_s heap_used rss_kb threads fds zombies kills not_restarted"
t0=$(date +%s)
next=$((t0 + S))
sample() {
  printf '%d %s %s %s %s %s %d %d\n' $(( $(date +%s) - t0 )) "$(heap)" "$(awk '/VmRSS/{print $2}' /proc/$pid/status)" \
      "$(awk '/Threads/{print $2}' /proc/$pid/status)" "$(ls /proc/$pid/fd | wc -l)" "$(zombies)" "$kills" "$lost"
}
sample
while [ $(( $(date +%s) - t0 )) -lt "$D" ]; do
  u="s$((RANDOM % N)).service"
  p=$(mainpid "$u")
  if [ "$p" -gt 0 ] && kill -KILL "$p" 2>/dev/null; then kills=$((kills + 1)); pending[$u]="$p $(date +%s)"; fi
  # every kill must be followed by a new main PID within 10 s
  for k in "${!pending[@]}"; do
    read -r old at <<<"${pending[$k]}"
    np=$(mainpid "$k")
    if [ "$np" -gt 0 ] && [ "$np" != "$old" ] && kill -0 "$np" 2>/dev/null; then unset "pending[$k]"
    elif [ $(( $(date +%s) - at )) -gt 10 ]; then lost=$((lost + 1)); unset "pending[$k]"; echo "not restarted: $k" >&2; fi
  done
  if [ "$(date +%s)" -ge "$next" ]; then sample; next=$((next + S)); fi
  sleep 1
done
sample
echo "kills: $kills, not restarted within 10 s: $lost; manager alive: $(kill -0 "$pid" 2>/dev/null && echo yes || echo no)"
