#!/usr/bin/env bash
# Sync benchmark: jobsmith vs Jenkins Job Builder (`jenkins-jobs update --workers 8`) against the
# same stand-in, 10,000 seed-style jobs (N=5000 projects x 2 templates). Whole-process timings with
# /usr/bin/time -v (wall, user+sys, max RSS); request counts from the stand-in's control endpoint.
# Usage: bench/sync/run.sh [N] [RUNS] [COLD_RUNS]   (needs `npm run build`; writes under /dev/shm)
# Cold creates restart both stand-ins with empty homes; JJB's cold create takes minutes, so COLD_RUNS defaults to 1.
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${1:-5000}
RUNS=${2:-3}
COLD_RUNS=${3:-1}
W=${BENCH_DIR:-/dev/shm/jobsmith-bench-sync}
TOKEN=11benchbenchbenchbenchbenchbench00
JS_PORT=18081
JJB_PORT=18082
rm -rf "$W" && mkdir -p "$W"
node bench/sync/gen-defs.mjs "$N" "$W/defs" >/dev/null
python3 ../shared/bench/gen-jjb.py "$N" "$W/jjb"
sed -e "s#@URL@#http://127.0.0.1:$JJB_PORT#" -e "s#@TOKEN@#$TOKEN#" bench/sync/jjb.ini.in > "$W/jjb.ini"
export BENCH_TOKEN=$TOKEN JENKINS_USER=bench JENKINS_API_TOKEN=$TOKEN CI=1
JS=(node dist/cli/main.js sync --no-branches --templates "$W/defs/job-templates" --jobs "$W/defs/jobs")
JJB=(jenkins-jobs --conf "$W/jjb.ini" update --workers 8 "$W/jjb")

measure() { # label, command...
  local label=$1; shift
  /usr/bin/time -f "$label wall=%e s cpu=%U+%S s maxrss=%M KB exit=%x" "$@" >/dev/null 2>"$W/last.err" || true
  tail -1 "$W/last.err"
}
counts() { curl -s "http://127.0.0.1:$1/__standin/counts" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const c=JSON.parse(s).counts;const t=Object.values(c).reduce((a,b)=>a+b,0);console.log("  requests:",t,JSON.stringify(c))})'; }
reset() { curl -s -X DELETE "http://127.0.0.1:$1/__standin/counts" >/dev/null; }
start_standin() { # port, home
  rm -rf "$2"
  node dist/cli/main.js standin --port "$1" --home "$2" --user bench --token "$TOKEN" >"$W/standin-$1.log" 2>&1 &
  echo $! >"$W/standin-$1.pid"
  for _ in $(seq 1 300); do grep -q 'listening on' "$W/standin-$1.log" 2>/dev/null && return 0; sleep 0.1; done
  echo "stand-in on $1 did not start" >&2; return 1
}
stop_standin() { kill "$(cat "$W/standin-$1.pid")" 2>/dev/null || true; sleep 0.5; }
trap 'stop_standin $JS_PORT; stop_standin $JJB_PORT' EXIT

echo "== cold create of $((2 * N)) jobs (fresh stand-in each run)"
for r in $(seq 1 "$COLD_RUNS"); do
  start_standin $JS_PORT "$W/home-js"; reset $JS_PORT
  JENKINS_URL=http://127.0.0.1:$JS_PORT measure "jobsmith cold #$r" "${JS[@]}"; counts $JS_PORT
  [ "$r" -lt "$COLD_RUNS" ] && stop_standin $JS_PORT
  start_standin $JJB_PORT "$W/home-jjb"; reset $JJB_PORT; rm -rf "$W/cache"
  XDG_CACHE_HOME="$W/cache" measure "JJB cold #$r" "${JJB[@]}"; counts $JJB_PORT
  [ "$r" -lt "$COLD_RUNS" ] && stop_standin $JJB_PORT
done

echo "== no-op re-sync"
for r in $(seq 1 "$RUNS"); do
  reset $JS_PORT; JENKINS_URL=http://127.0.0.1:$JS_PORT measure "jobsmith no-op #$r" "${JS[@]}"; counts $JS_PORT
  reset $JJB_PORT; XDG_CACHE_HOME="$W/cache" measure "JJB no-op, warm cache #$r" "${JJB[@]}"; counts $JJB_PORT
  reset $JJB_PORT; rm -rf "$W/cache-fresh"; XDG_CACHE_HOME="$W/cache-fresh" measure "JJB no-op, fresh agent #$r" "${JJB[@]}"; counts $JJB_PORT
done

echo "== one changed project (its 2 jobs: SCM path of svc00000)"
for r in $(seq 1 "$RUNS"); do
  sed -i "s#^  SCM.PATH: .*#  SCM.PATH: https://svn.example.com/repos/changed$r#" "$W/defs/jobs/svc00000.yaml"
  sed -i "0,/^    scm_path: .*/s##    scm_path: https://svn.example.com/repos/changed$r#" "$W/jjb/projects.yaml"
  reset $JS_PORT; JENKINS_URL=http://127.0.0.1:$JS_PORT measure "jobsmith one change #$r" "${JS[@]}"; counts $JS_PORT
  reset $JJB_PORT; XDG_CACHE_HOME="$W/cache" measure "JJB one change, warm cache #$r" "${JJB[@]}"; counts $JJB_PORT
done
