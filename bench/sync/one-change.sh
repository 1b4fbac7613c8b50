#!/usr/bin/env bash
# Flips one project's SCM path (svc00000: its 2 jobs change), then runs one tool once. For timing
# "one changed project" repeatedly: every run sees exactly one change.
# Usage: bench/sync/one-change.sh jobsmith|jjb DIR   (DIR as written by run.sh)
set -euo pipefail
cd "$(dirname "$0")/../.."
tool=$1 W=$2
flip() { if grep -q "flip-a" "$1"; then sed -i "s#flip-a#flip-b#" "$1"; elif grep -q "flip-b" "$1"; then sed -i "s#flip-b#flip-a#" "$1"; else sed -i "$2" "$1"; fi; }
if [ "$tool" = jobsmith ]; then
  flip "$W/defs/jobs/svc00000.yaml" "s#^  SCM.PATH: .*#  SCM.PATH: https://svn.example.com/repos/flip-a#"
  exec node dist/cli/main.js sync --no-branches --templates "$W/defs/job-templates" --jobs "$W/defs/jobs"
else
  flip "$W/jjb/projects.yaml" "0,/^    scm_path: .*/s##    scm_path: https://svn.example.com/repos/flip-a#"
  exec jenkins-jobs --conf "$W/jjb.ini" update --workers 8 "$W/jjb"
fi
