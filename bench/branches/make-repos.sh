#!/usr/bin/env bash
# Creates REPOS bare git repositories with BRANCHES branches each (default 50 x 200) under DIR
# (default /dev/shm/jobsmith-bench-branches), plus a definitions directory using them:
#   DIR/repos/rNN.git, DIR/defs/job-templates/CI-build-branch*, DIR/defs/jobs/pNN.yaml
# Branches are written with one `git update-ref --stdin` per repository (no work tree, no pushes).
# Usage: bench/branches/make-repos.sh [DIR] [REPOS] [BRANCHES]
set -euo pipefail
DIR=${1:-/dev/shm/jobsmith-bench-branches}
REPOS=${2:-50}
BRANCHES=${3:-200}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
rm -rf "$DIR"
mkdir -p "$DIR/repos" "$DIR/defs/job-templates" "$DIR/defs/jobs"
cp "$ROOT/job-templates/CI-build-branch-config.xml" "$ROOT/job-templates/CI-build-branch.yaml" "$DIR/defs/job-templates/"
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.invalid GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.invalid
for r in $(seq -w 1 "$REPOS"); do
  repo="$DIR/repos/r$r.git"
  git init -q --bare "$repo"
  tree=$(git --git-dir="$repo" hash-object -w -t tree /dev/null)
  commit=$(echo "r$r" | git --git-dir="$repo" commit-tree "$tree")
  for b in $(seq -w 1 "$BRANCHES"); do
    case $((10#$b % 4)) in
      0) name="feature/PAY-$b-work" ;;
      1) name="release/$r.$b" ;;
      2) name="bugfix/issue_$b" ;;
      *) name="dev-$b" ;;
    esac
    echo "create refs/heads/$name $commit"
  done | git --git-dir="$repo" update-ref --stdin
  cat > "$DIR/defs/jobs/p$r.yaml" <<YAML
project: p$r
branches:
  repo: file://$repo
  templates: [CI-build-branch]
  keep_days: 3
  max: 1000
YAML
done
echo "$REPOS repositories x $BRANCHES branches in $DIR/repos; definitions in $DIR/defs"
