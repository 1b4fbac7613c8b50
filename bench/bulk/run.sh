#!/bin/sh
# One benchmark step against the stand-in started by setup.sh. Every run changes the same jobs
# the same way (a value that alternates between runs), so repeated runs do equal work.
# Usage: sh bench/bulk/run.sh WORKDIR PORT STEP
#   bulk-dry     jobsmith bulk --set assignedNode=... --force --no-diff           (10,000 GETs, no POST)
#   bulk-apply   the same with --apply --backup-dir (fresh dir on WORKDIR)       (10,000 GETs, backups, POSTs)
#   backup       jobsmith backup --out (fresh dir on WORKDIR)                     (10,000 GETs + writes)
#   backup-noop  jobsmith backup --out (same dir again: nothing written)
#   sync-change  yardstick: jobsmith sync after MVN.VERSION changed in _defaults (10,000 POSTs)
#   sync-verify  yardstick: jobsmith sync --verify with nothing to change       (10,000 GETs)
set -eu
WORK=$1; PORT=$2; STEP=$3
REPO=$(cd "$(dirname "$0")/../.." && pwd)
export JENKINS_URL="http://127.0.0.1:$PORT/" JENKINS_USER=bench JENKINS_API_TOKEN=11benchbenchbenchbenchbenchbench00
C="$WORK/counter-$STEP"; N=$(($(cat "$C" 2>/dev/null || echo 0) + 1)); echo $N > "$C"
V=farm-$((N % 2))
JS="node $REPO/dist/cli/main.js"
case $STEP in
  bulk-dry) $JS bulk --force --set "assignedNode=$V" --no-diff ;;
  bulk-apply) rm -rf "$WORK/bk"; $JS bulk --force --set "assignedNode=$V" --no-diff --apply --backup-dir "$WORK/bk" ;;
  backup) rm -rf "$WORK/backup"; $JS backup --out "$WORK/backup" ;;
  backup-noop) $JS backup --out "$WORK/backup-noop" ;;
  sync-change) cd "$WORK/defs"; sed -i "s/MVN.VERSION: .*/MVN.VERSION: maven-3.9.$((N % 2))/" jobs/_defaults.yaml; $JS sync --no-branches ;;
  sync-verify) cd "$WORK/defs"; $JS sync --no-branches --verify ;;
  *) echo "unknown step $STEP" >&2; exit 2 ;;
esac
