#!/usr/bin/env bash
# One cold run: a fresh, empty Jenkins stand-in (separate process, state on tmpfs), then
# `jobsmith sync` creating every branch job of DIR/defs (make-repos.sh). The sync alone is timed
# with /usr/bin/time (line "sync: <wall> s <cpu> s cpu <rss> KB").
# Usage: bench/branches/cold-create.sh [DIR] [PORT]
set -euo pipefail
DIR=${1:-/dev/shm/jobsmith-bench-branches}
PORT=${2:-18932}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HOME_DIR="$DIR/home-cold-$$"
rm -rf "$HOME_DIR" && mkdir -p "$HOME_DIR"
node "$ROOT/dist/cli/main.js" standin --home "$HOME_DIR" --port "$PORT" >"$DIR/standin-cold.log" 2>&1 &
SPID=$!
trap 'kill $SPID 2>/dev/null || true; wait $SPID 2>/dev/null || true; rm -rf "$HOME_DIR"' EXIT
for _ in $(seq 1 100); do
  curl -fs -o /dev/null "http://127.0.0.1:$PORT/api/json" && break
  sleep 0.1
done
cd "$DIR/defs"
/usr/bin/time -f "sync: %e s %U+%S s cpu %M KB" node "$ROOT/dist/cli/main.js" sync --jenkins-url "http://127.0.0.1:$PORT" >"$DIR/sync-cold.out" 2>&1
tail -1 "$DIR/sync-cold.out" >&2
