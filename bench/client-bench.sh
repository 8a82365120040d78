#!/bin/bash
# Client start-up against a Java hello world, in the same run (issue 13's goal: is-active <= 1.5x
# hello, every other read verb <= 2x). Boots examples/units under a private runtime dir, then times
# R runs of each command (wall clock of the whole process, launcher included) and prints medians:
# through the source tree's launcher (which checks the sources are not newer than the jar), and
# through an installed copy (the distribution's bin/svcmgr and lib/: no check, the native client first).
# Usage: bench/client-bench.sh [R]   (default 21)
set -euo pipefail
R=${1:-21}
here=$(cd "$(dirname "$0")/.." && pwd)
SV="$here/svcmgr"
work=$(mktemp -d /tmp/svcmgr-cbench.XXXXXX)
cleanup() {
    local p; p=$(cat "$work/pid" 2>/dev/null) || true
    if [ -n "$p" ]; then
        kill "$p" 2>/dev/null || true
        for _ in $(seq 1 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    fi
    rm -rf "$work"
}
trap cleanup EXIT
"$SV" --version >/dev/null
mkdir -p "$work/hello"
printf 'public class Hello { public static void main(String[] a) { System.out.println("hello"); } }\n' >"$work/hello/Hello.java"
javac -d "$work/hello" "$work/hello/Hello.java"
"$SV" daemon --units "$here/examples/units" --runtime-dir "$work/run" --log-dir "$work/log" \
    --state-dir "$work/state" >/dev/null 2>&1 &
echo $! >"$work/pid"
for _ in $(seq 1 300); do "$SV" is-system-running --runtime-dir "$work/run" >/dev/null 2>&1 && break; sleep 0.1; done
median() { # command...: median wall ms of R runs
    local t=()
    for ((i = 0; i < R; i++)); do
        local a b
        a=$(date +%s%N); "$@" >/dev/null 2>&1 || true; b=$(date +%s%N)
        t+=($(( (b - a) / 1000000 )))
    done
    printf '%s\n' "${t[@]}" | sort -n | awk -v n="$R" 'NR == int((n + 1) / 2)'
}
hello=$(median java -cp "$work/hello" Hello)
printf '%-34s %6s ms\n' "java Hello (hello world)" "$hello"
# the distribution 'mvn package' makes (bin/svcmgr, lib/): the layout install.sh installs, copied so that its
# archives are made here
inst="$work/installed"
dist=$(ls -d "$here"/cli/target/svcmgr-*/ | head -1)
cp -r "$dist" "$inst"
"$inst/bin/svcmgr" --version >/dev/null   # dumps its class-data archive once
for verb in "is-active web" "is-failed web" "is-system-running" "status" "status web" "list-units" "show web" "why web" "list-dependencies web"; do
    # shellcheck disable=SC2086
    m=$(median "$SV" $verb --runtime-dir "$work/run")
    # shellcheck disable=SC2086
    i=$(median "$inst/bin/svcmgr" $verb --runtime-dir "$work/run")
    printf '%-34s %6s ms  %sx hello   installed: %6s ms  %sx hello\n' "svcmgr $verb" "$m" \
        "$(awk -v a="$m" -v b="$hello" 'BEGIN { printf "%.2f", a / b }')" "$i" \
        "$(awk -v a="$i" -v b="$hello" 'BEGIN { printf "%.2f", a / b }')"
done
