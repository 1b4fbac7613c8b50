#!/usr/bin/env bash
# `sync --verify` on 2N jobs (N projects × 2 templates, bench/sync/gen-defs.mjs) against the same
# number of plain config GETs through the client (bench/verify/get-configs.mjs), both whole processes
# against one stand-in in its own process, after a cold sync made the jobs.
# The target (issue 15): sync --verify within 1.2x of the plain GETs.
# Usage: bench/verify/run.sh [N=5000] [RUNS=5]   (needs `npm run build`; writes under /dev/shm or $BENCH_DIR)
# With hyperfine on the PATH the two commands are timed in turns (-r RUNS); otherwise each is run
# RUNS times under /usr/bin/time. Every --verify run must report no drift (it exits 1 otherwise).
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${1:-5000}
RUNS=${2:-5}
BASE=${BENCH_DIR:-$( [ -d /dev/shm ] && echo /dev/shm || echo /tmp )/jobsmith-bench-verify}
TOKEN=11benchbenchbenchbenchbenchbench00
rm -rf "$BASE" && mkdir -p "$BASE"
node bench/sync/gen-defs.mjs "$N" "$BASE/defs" >/dev/null
node bench/standin/run-standin.mjs "$BASE/home" bench "$TOKEN" >"$BASE/standin.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do grep -q 'listening on' "$BASE/standin.log" 2>/dev/null && break; sleep 0.1; done
URL=$(sed -n 's/^listening on //p' "$BASE/standin.log" | head -1)
[ -n "$URL" ] || { echo "the stand-in did not start" >&2; exit 1; }
export JENKINS_URL=$URL JENKINS_USER=bench JENKINS_API_TOKEN=$TOKEN CI=1
SYNC=(node dist/cli/main.js sync --no-branches --templates "$BASE/defs/job-templates" --jobs "$BASE/defs/jobs")
echo "== cold sync of $((2 * N)) jobs"
"${SYNC[@]}" >/dev/null
# --verify must find no drift: a plan with changes would make the comparison meaningless
check=$(node dist/cli/main.js plan --verify --detailed-exitcode --no-label-check --no-branches --templates "$BASE/defs/job-templates" --jobs "$BASE/defs/jobs" --json) || {
  echo "plan --verify found changes right after the sync:" >&2; echo "$check" | head -40 >&2; exit 1; }
VERIFY="${SYNC[*]} --verify"
NOOP="${SYNC[*]}"
GETS="node bench/verify/get-configs.mjs $URL bench $TOKEN $N 8"
# the no-op sync is what --verify runs on top of (start-up, load, render, one listing, plan): shown
# beside the two so that the part of --verify's time that is not the GETs can be read off
echo "== sync --verify vs $((2 * N)) plain config GETs (concurrency 8), and the no-op sync under --verify"
if command -v hyperfine >/dev/null; then
  hyperfine -r "$RUNS" -N "$VERIFY" "$GETS" "$NOOP"
else
  for r in $(seq 1 "$RUNS"); do
    /usr/bin/time -f "sync --verify #$r wall=%e s cpu=%U+%S s maxrss=%M KB" $VERIFY >/dev/null
    /usr/bin/time -f "config GETs    #$r wall=%e s cpu=%U+%S s maxrss=%M KB" $GETS >/dev/null
    /usr/bin/time -f "no-op sync     #$r wall=%e s cpu=%U+%S s maxrss=%M KB" $NOOP >/dev/null
  done
fi
curl -s "$URL/__standin/counts" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const c=JSON.parse(s).counts;console.log("stand-in requests by route:",JSON.stringify(c))})'
