#!/bin/bash
# Writes N (default 10,000) unit files shaped like the JMH benchmark's systems (each service
# has 0-10 relations, 5 on average, to lower-numbered services: requires 50%, wants 30%, after
# 20%; default.target wants every tenth service; rescue.target may be isolated to) and times
# `./svcmgr verify --units DIR` as a whole process, three runs. See docs/benchmarks.md.
#   bench/verify-10k.sh [N]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd -P)
n=${1:-10000}
dir=$(mktemp -d "${TMPDIR:-/tmp}/svcmgr-verify-XXXXXX")
trap 'rm -rf "$dir"' EXIT
awk -v n="$n" -v dir="$dir" 'BEGIN {
    srand(42)
    for (i = 0; i < n; i++) {
        f = sprintf("%s/svc%05d.service.yaml", dir, i)
        printf "description: generated service %d\nexec: [\"/bin/sleep\", \"infinity\"]\n", i > f
        k = (i == 0) ? 0 : int(rand() * 11)
        req = ""; wan = ""; aft = ""; delete seen
        for (d = 0; d < k; d++) {
            p = int(rand() * 100); j = int(rand() * i)
            if (j in seen) continue
            seen[j] = 1
            t = sprintf("svc%05d.service", j)
            if (p < 50) req = req (req == "" ? "" : ", ") t
            else if (p < 80) wan = wan (wan == "" ? "" : ", ") t
            else aft = aft (aft == "" ? "" : ", ") t
        }
        if (req != "") print "requires: [" req "]" > f
        if (wan != "") print "wants: [" wan "]" > f
        if (aft != "") print "after: [" aft "]" > f
        close(f)
    }
    f = dir "/default.target.yaml"
    print "description: generated default target" > f
    w = ""
    for (i = 0; i < n; i += 10) w = w (w == "" ? "" : ", ") sprintf("svc%05d.service", i)
    print "wants: [" w "]" > f
    close(f)
    f = dir "/rescue.target.yaml"
    print "description: generated rescue target\nallow-isolate: true\nrequires: [rescue-shell.service]" > f
    close(f)
    f = dir "/rescue-shell.service.yaml"
    print "description: rescue shell\nexec: [\"/bin/sh\"]" > f
    close(f)
}'
count=$(ls "$dir" | wc -l)
"$here/svcmgr" --version >/dev/null   # build the jar first if it is stale, outside the timing
for run in 1 2 3; do
    start=$(date +%s%N)
    set +e
    "$here/svcmgr" verify --units "$dir" >"$dir.out" 2>"$dir.err"
    code=$?
    set -e
    end=$(date +%s%N)
    echo "run $run: svcmgr verify over $count unit files: $(( (end - start) / 1000000 )) ms, exit $code, $(cat "$dir.out")"
done
rm -f "$dir.out" "$dir.err"
