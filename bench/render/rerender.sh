#!/bin/sh
# Re-rendering after one definition changes rewrites only that project's two files.
#   sh bench/render/rerender.sh [N]   (default 5000 projects = 10,000 jobs)
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
JS="$ROOT/dist/cli/main.js"
N=${1:-5000}
DIR=$(mktemp -d)
OUT=/dev/shm/jobsmith-rerender
rm -rf "$OUT"
node "$ROOT/bench/render/gen-jobsmith.mjs" "$N" "$DIR"
cd "$DIR"
node "$JS" render --out "$OUT"
sed -i 's/clean install/clean verify/' jobs/svc00042.yaml
/usr/bin/time -f '%e s wall, %M KB max RSS' node "$JS" render --out "$OUT"
rm jobs/svc00043.yaml
node "$JS" render --out "$OUT"
rm -rf "$DIR" "$OUT"
