#!/bin/bash
# Writes cli/cds/classes.lst, the classes the launcher's static class-data-sharing archive holds:
# those a daemon loads booting examples/units, and those the common client verbs load; and
# cli/cds/daemon.lst, the daemon's own (the launcher gives `svcmgr daemon` an archive of only those:
# ~4.5 MiB less PSS, since a mapped archive is resident nearly whole). The launcher
# dumps the archive from this list after each build (java -Xshare:dump), so a stale list only
# means fewer classes shared. Run it after changes that move many classes (docs/benchmarks.md).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
"$here/svcmgr" --version >/dev/null
jar="$here/cli/target/svcmgr.jar"
work=$(mktemp -d /tmp/svcmgr-cds.XXXXXX)
trap 'kill $(cat "$work/pid" 2>/dev/null) 2>/dev/null || true; rm -rf "$work"' EXIT
J=(java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Djnr.ffi.asm.enabled=false)
# a daemon's own list first (cli/cds/daemon.lst, the daemon's smaller archive: it is not charged with the clients'
# classes): booting examples/units, then serving the verbs below
"${J[@]}" -XX:DumpLoadedClassList="$work/daemon.lst" -jar "$jar" daemon --units "$here/examples/units" \
    --runtime-dir "$work/run" --log-dir "$work/log" --state-dir "$work/state" >/dev/null 2>"$work/daemon.err" &
echo $! >"$work/pid"
# and one with the status page (daemon --http), for the page's classes in the clients' archive
"${J[@]}" -XX:DumpLoadedClassList="$work/http.lst" -jar "$jar" daemon --units "$here/examples/units" --no-boot \
    --runtime-dir "$work/run-http" --log-dir "$work/log-http" --state-dir "$work/state-http" --http 127.0.0.1:0 \
    >/dev/null 2>"$work/http.err" &
echo $! >"$work/pid-http"
for _ in $(seq 1 300); do
    "${J[@]}" -jar "$jar" is-system-running --runtime-dir "$work/run" >/dev/null 2>&1 \
        && grep -q "status page on" "$work/http.err" && break
    sleep 0.1
done
# the status page's classes: the page, /metrics, /api, a moment of /events
port=$(sed -n 's|.*status page on http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$work/http.err")
python3 - "$port" <<'PY' || true
import sys, urllib.request, socket
base = "http://127.0.0.1:" + sys.argv[1]
for path in ["/", "/?unit=web.service", "/metrics", "/api/units", "/api/units/web.service", "/api/system", "/chart.svg", "/graph.svg?unit=web.service", "/app.js"]:
    try:
        urllib.request.urlopen(base + path).read()
    except OSError:  # /chart.svg is a 404 before any transaction (this daemon has --no-boot)
        pass
try:
    urllib.request.urlopen(base + "/events", timeout=1).read(100)
except (socket.timeout, OSError):
    pass
PY
n=0
for verb in "status" "is-active web" "list-units" "status web" "is-system-running" "is-enabled web" \
            "list-units --json" "show web" "why web" "plan restart web" "start web" "stop web" "restart api" \
            "logs web -n 5" "events --since 0" "list-dependencies web" "cat web" "--help" "status --help" \
            "top -n 1" "list-unit-files" "list-jobs" "get-default" "is-active -q web"; do
    n=$((n + 1))
    # shellcheck disable=SC2086
    timeout 10 "${J[@]}" -XX:DumpLoadedClassList="$work/client$n.lst" -jar "$jar" $verb --runtime-dir "$work/run" >/dev/null 2>&1 || true
done
"${J[@]}" -XX:DumpLoadedClassList="$work/verify.lst" -jar "$jar" verify --units "$here/examples/units" >/dev/null 2>&1 || true
kill "$(cat "$work/pid")" "$(cat "$work/pid-http")"; wait 2>/dev/null || true
# one list, in first-seen order; lambda-proxy lines are kept (they name their own classes)
awk '!seen[$0]++' "$work/daemon.lst" "$work/http.lst" "$work"/client*.lst "$work/verify.lst" | grep -v '^#' >"$here/cli/cds/classes.lst"
awk '!seen[$0]++' "$work/daemon.lst" | grep -v '^#' >"$here/cli/cds/daemon.lst"
echo "cli/cds/classes.lst: $(wc -l <"$here/cli/cds/classes.lst") classes; cli/cds/daemon.lst: $(wc -l <"$here/cli/cds/daemon.lst")"
