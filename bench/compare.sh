#!/usr/bin/env bash
# Before/after of the load benchmark, back to back on this machine:
#   bench/compare.sh BASE_REF [bench/load.py options]     (make bench-compare BASE=5854d1c)
# BASE_REF is checked out in a temporary git worktree (removed at the end); each side runs its
# own bench/load.py with this checkout's virtualenv, and `uptime` is printed beside each run so
# that a busy machine shows in the figures (docs/performance.md).
set -euo pipefail
base_ref=${1:?usage: bench/compare.sh BASE_REF [bench/load.py options]}
shift
root=$(cd "$(dirname "$0")/.." && pwd)
python="$root/.venv/bin/python"
work=$(mktemp -d)
cleanup() {
  git -C "$root" worktree remove --force "$work/base" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
git -C "$root" worktree add --quiet --detach "$work/base" "$base_ref"
"$root/.venv/bin/pybabel" -q compile -d "$work/base/translations"
"$root/.venv/bin/pybabel" -q compile -d "$root/translations"
run() {
  local label=$1 dir=$2
  shift 2
  echo "## $label $(git -C "$dir" rev-parse --short HEAD) | before: $(uptime)"
  (cd "$dir" && "$python" "$root/bench/save_cost.py")
  (cd "$dir" && "$python" bench/load.py "$@")
  echo "## $label | after: $(uptime)"
}
run "before" "$work/base" "$@"
run "after " "$root" "$@"
