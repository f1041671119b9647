#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds the Debian package (CPack DEB) from ./build and checks it with
# lintian. Installs the packaging tools when missing (help2man for the man
# pages, dpkg-dev for dpkg-shlibdeps, lintian, appstream for the metainfo).
# Usage: packaging/build-deb.sh   -> build/metaaug-workbench_<version>_amd64.deb
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
for p in help2man dpkg-dev lintian appstream; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
appstreamcli validate --no-net packaging/org.metaaug.Workbench.metainfo.xml
bash scripts/build.sh
(cd build && cmake . >/dev/null && cmake --build . && cmake --build . --target metaaug_manpages && cpack -G DEB)
deb=$(ls -t build/metaaug-workbench_*_amd64.deb | head -1)
echo "built $deb ($(du -h "$deb" | cut -f1))"
dpkg-deb --info "$deb" | sed -n '/Depends/,/Section/p'
echo "--- lintian"
lintian --tag-display-limit 0 --info "$deb" || true
