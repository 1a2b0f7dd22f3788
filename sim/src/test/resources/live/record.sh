#!/usr/bin/env bash
# Records one live consolidation pair for `jettison sim replay`: the server's remote-fault trace
# (faults-*.csv in its state dir) and the desktop's power curve (GET /energy), for the idle test
# guest at 30x time. Run from the repository root; writes under ${1:-/tmp/jettison-live}.
# The pair in this directory came from exactly these steps (README.md here says when and how).
set -euo pipefail
R="${1:-/tmp/jettison-live}"
SCALE=30
rm -rf "$R" /dev/shm/jettison-live-desk-1; mkdir -p "$R/server"
./jettison server --listen 127.0.0.1:7800 --state-dir "$R/server" --http 127.0.0.1:7801 > "$R/server.log" 2>&1 &
server=$!
./jettison desktop --vm-id desk-1 --mem 1G --cmdline "prog=idle idle.speed=$SCALE" --state-dir /dev/shm/jettison-live-desk-1 \
  --control 127.0.0.1:7700 --power emulated --profile table1 --time-scale $SCALE --console-log "$R/console.log" > "$R/desktop.log" 2>&1 &
desktop=$!
trap 'kill $desktop $server 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do curl -sf http://127.0.0.1:7700/status > /dev/null && break; sleep 1; done
sleep 60                                   # 30 desktop-minutes at home: the guest warms up
curl -sf -X POST "http://127.0.0.1:7700/consolidate?server=127.0.0.1:7800"
sleep 20                                   # warm-up stay: 10 desktop-minutes
curl -sf http://127.0.0.1:7700/energy > "$R/power-warmup.csv"
curl -sf -X POST http://127.0.0.1:7700/reintegrate
sleep 20
curl -sf -X POST "http://127.0.0.1:7700/consolidate?server=127.0.0.1:7800"
sleep 120                                  # the measured stay: 60 desktop-minutes
curl -sf http://127.0.0.1:7700/energy > "$R/power-hour.csv"
curl -sf -X POST http://127.0.0.1:7700/reintegrate
sleep 5   # the server closes the trace once the VM is confirmed home: killing it at once cut the last row
ls "$R"/server/desk-1/faults-*.csv         # oldest: the warm-up stay, newest: the hour
