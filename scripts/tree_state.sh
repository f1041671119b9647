#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The source tree's state around the test suite (the CTest fixture pair
# tree_snapshot / tree_unchanged in tests/CMakeLists.txt):
#   scripts/tree_state.sh snapshot SRC FILE   records `git status` and the SHA-256 of every changed or untracked file
#   scripts/tree_state.sh check SRC FILE      fails, naming them, when a file was added, changed or removed since
# Compared with the snapshot, not with a clean tree, so a contributor's own
# edits do not fail it; files git ignores (build folders) are not looked at.
# Exit 77 (CTest's skip code here) outside a git checkout.
set -euo pipefail
mode=${1:-} src=${2:-} file=${3:-}
if [[ $mode != snapshot && $mode != check ]] || [ -z "$src" ] || [ -z "$file" ]; then
  echo "usage: $0 snapshot|check SOURCE_DIR SNAPSHOT_FILE" >&2
  exit 2
fi
if ! root=$(git -C "$src" rev-parse --show-toplevel 2> /dev/null); then
  echo "$src is not in a git checkout: the source tree is not checked"
  exit 77
fi
export GIT_OPTIONAL_LOCKS=0  # read only: no index refresh racing a commit

# One line per changed or untracked path: git's two status letters, the
# content's SHA-256 ("-" when the path is gone) and the path.
state() {
  git -C "$root" status --porcelain=v1 -z --untracked-files=all --no-renames | while IFS= read -r -d '' entry; do
    path=${entry:3}
    if [ -f "$root/$path" ] || [ -L "$root/$path" ]; then
      hash=$(sha256sum < "$root/$path" | cut -d' ' -f1)
    else
      hash=-
    fi
    printf '%s %s %s\n' "${entry:0:2}" "$hash" "$path"
  done | LC_ALL=C sort
}

if [ "$mode" = snapshot ]; then
  state > "$file"
  echo "source tree $root: $(wc -l < "$file") changed or untracked files recorded in $file"
  exit 0
fi
if [ ! -f "$file" ]; then
  echo "no snapshot $file: run the tree_snapshot test first (ctest runs it before any test that requires the fixture)" >&2
  exit 1
fi
now=$(mktemp)
trap 'rm -f "$now"' EXIT
state > "$now"
if cmp -s "$file" "$now"; then
  echo "source tree $root: unchanged since the snapshot"
  exit 0
fi
echo "the tests changed the source tree $root (status, sha256, path; < before the suite, > after):" >&2
diff "$file" "$now" | grep '^[<>]' >&2 || true
echo "a test must write only under temporary folders or the build folder (files edited by hand while the tests ran show here too)" >&2
exit 1
