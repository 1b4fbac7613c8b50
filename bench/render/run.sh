#!/bin/sh
# Whole-process timings: jobsmith render vs Jenkins Job Builder (jenkins-jobs test -o) on the same
# job set (N seed-style projects x 2 templates), output on tmpfs and on disk, side by side.
#   sh bench/render/run.sh [N ...]      (default: 1000 5000 -> 2,000 and 10,000 jobs)
# Needs: hyperfine, jenkins-jobs (Debian jenkins-job-builder), a built jobsmith (npm run build).
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
JS="$ROOT/dist/cli/main.js"
WORK=${WORK:-/tmp/jobsmith-bench}
SHM=${SHM:-/dev/shm/jobsmith-bench}
mkdir -p "$WORK" "$SHM"
for N in ${@:-1000 5000}; do
  [ -d "$WORK/js$N" ] || node "$ROOT/bench/render/gen-jobsmith.mjs" "$N" "$WORK/js$N"
  [ -d "$WORK/jjb$N" ] || python3 "$ROOT/../shared/bench/gen-jjb.py" "$N" "$WORK/jjb$N"
  for OUT in "$SHM" "$WORK"; do
    hyperfine -r 3 --export-markdown "$WORK/result-$N-$(basename "$OUT").md" \
      --prepare "rm -rf $OUT/out-js $OUT/out-jjb" \
      -n "jobsmith $((N * 2)) jobs -> $OUT" "node $JS render --templates $WORK/js$N/job-templates --jobs $WORK/js$N/jobs --out $OUT/out-js" \
      -n "JJB $((N * 2)) jobs -> $OUT" "jenkins-jobs test -o $OUT/out-jjb $WORK/jjb$N"
  done
  # peak memory of one jobsmith run
  rm -rf "$SHM/out-js"
  /usr/bin/time -v node "$JS" render --templates "$WORK/js$N/job-templates" --jobs "$WORK/js$N/jobs" --out "$SHM/out-js" 2>&1 | grep -E 'rendered|Maximum resident'
done
