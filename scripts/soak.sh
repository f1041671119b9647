#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The soak (docs/hardening.md, "Soak"): 50 short runs in one process against one
# database, some cancelled, some killed; checks integrity, final statuses and
# leaks, prints RSS per run. Extra arguments go to `metaaug soak`.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x build/bin/metaaug ] || scripts/build.sh
db=${SOAK_DB:-$(mktemp -d)/soak.sqlite}
exec build/bin/metaaug soak --runs 50 --db "$db" "$@"
