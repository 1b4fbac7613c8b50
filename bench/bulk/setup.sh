#!/bin/sh
# Prepares the bulk/backup benchmark: 10,000 seed-style jobs (5,000 projects x CI-build-trunk and
# RC-build-branch, the same set as bench/sync) synced once into a stand-in home, then a stand-in
# server on PORT serving that home in the background.
# Usage: sh bench/bulk/setup.sh WORKDIR PORT [N_PROJECTS]   (WORKDIR: use tmpfs, e.g. /dev/shm/jsb)
set -eu
WORK=$1; PORT=$2; N=${3:-5000}
REPO=$(cd "$(dirname "$0")/../.." && pwd)
rm -rf "$WORK"; mkdir -p "$WORK"
node "$REPO/bench/sync/gen-defs.mjs" "$N" "$WORK/defs" >/dev/null
cd "$WORK/defs"
node "$REPO/dist/cli/main.js" sync --embedded "$WORK/home" --no-branches --json >/dev/null
cd "$WORK"
rm -f "$WORK"/counter-*
node "$REPO/dist/cli/main.js" standin --port "$PORT" --home "$WORK/home" --user bench --token 11benchbenchbenchbenchbenchbench00 >"$WORK/standin.log" 2>&1 &
echo $! > "$WORK/standin.pid"
i=0; until grep -q 'listening on' "$WORK/standin.log"; do i=$((i+1)); [ $i -gt 600 ] && { echo 'stand-in did not start' >&2; exit 1; }; sleep 0.1; done
echo "stand-in pid $(cat "$WORK/standin.pid") on 127.0.0.1:$PORT, $(find "$WORK/home/jobs" -name config.xml | wc -l) configs"
