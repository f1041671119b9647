#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# One-stop set-up on a bare Debian 12 machine: installs the Debian packages the
# project needs (when missing) and configures + builds it in ./build.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-deps.sh
bash scripts/build.sh
bash scripts/setup-node.sh
