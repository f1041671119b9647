#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Install test of the Debian package on a clean system: debootstrap a
# minimal Debian 12 root, install the .deb there with apt (which must pull
# every dependency by itself), then run `metaaug --help`, `metaaug eval` on
# the bundled model, a short `metaaug quantize` with an export, list the
# plugins, and start the workbench under xvfb-run for a few seconds.
# Prints each step's duration. Needs root (debootstrap, chroot) and the
# package sources this machine's apt is configured with: the repository
# names no package host. debootstrap fetches from the machine's bookworm
# main repository, and the new root gets the machine's own apt sources and
# apt settings (proxies, authentication), so the test runs behind any mirror
# or proxy the machine uses.
# Usage: packaging/install-test.sh [package.deb]
set -euo pipefail
cd "$(dirname "$0")/.."
DEB=$(readlink -f "${1:-$(ls -t build/metaaug-workbench_*_amd64.deb | head -1)}")
ROOT=${ROOT:-/var/tmp/metaaug-install-test}
# The machine's bookworm main repository, as its apt configuration names it.
MIRROR=$(apt-get indextargets --format '$(REPO_URI) $(RELEASE) $(COMPONENT)' | awk '$2 == "bookworm" && $3 == "main" { print $1; exit }')
[ -n "$MIRROR" ] || { echo "install-test: this machine's apt sources have no bookworm main repository (apt-get indextargets)" >&2; exit 1; }
command -v debootstrap >/dev/null || apt-get install -y -qq --no-install-recommends debootstrap

t0=$(date +%s)
step() { echo "=== $1 ($(( $(date +%s) - t0 )) s)"; }
cleanup() { umount "$ROOT/proc" 2>/dev/null || true; umount "$ROOT/dev/pts" 2>/dev/null || true; umount "$ROOT/dev" 2>/dev/null || true; }
trap cleanup EXIT

step "debootstrap bookworm into $ROOT"
cleanup
rm -rf "$ROOT"
debootstrap --variant=minbase bookworm "$ROOT" "$MIRROR" >/tmp/metaaug-debootstrap.log
mount -t proc proc "$ROOT/proc"
mount --bind /dev "$ROOT/dev"
# The machine's own sources and apt settings (one-line and deb822 forms,
# keyrings they refer to, proxy and auth settings), in place of debootstrap's.
rm -f "$ROOT/etc/apt/sources.list"
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources /etc/apt/apt.conf.d/* /etc/apt/auth.conf.d/*; do
  [ -f "$f" ] && install -D -m 0644 "$f" "$ROOT$f"
done
for d in /etc/apt/keyrings /etc/apt/trusted.gpg.d /usr/share/keyrings; do
  [ -d "$d" ] && mkdir -p "$ROOT$d" && cp -a "$d/." "$ROOT$d/"
done
cp "$DEB" "$ROOT/tmp/"
in_root() { chroot "$ROOT" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 "$@"; }

step "apt install ./$(basename "$DEB") (and xvfb for the GUI check)"
in_root apt-get update -qq
in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "/tmp/$(basename "$DEB")" xvfb xauth >/tmp/metaaug-apt.log
grep -E "^(Setting up|Unpacking) metaaug" /tmp/metaaug-apt.log || true
in_root dpkg -s metaaug-workbench | grep -E "^(Status|Version|Installed-Size)"

step "the sandboxed model loader is installed and filters system calls"
in_root /usr/libexec/metaaug-workbench/metaaug-loader --list-syscalls | head -3

step "metaaug --help"
in_root metaaug --help | head -12

step "metaaug eval (bundled ResNet-20, fashion-mnist:test)"
in_root metaaug eval

step "metaaug quantize (rtn, 128 images, 1000 test images) with an ONNX export"
in_root metaaug quantize --method rtn --calib-size 128 --eval-limit 1000 --db /tmp/runs.sqlite --export onnx-qdq:/tmp/m.onnx | head -6
in_root ls -l /tmp/m.onnx

step "plugins found where installed"
in_root metaaug export --list

step "metaaug-workbench under xvfb-run for 10 s"
set +e
in_root timeout 10 xvfb-run -a metaaug-workbench --no-settings >/tmp/metaaug-gui.log 2>&1
rc=$?
set -e
cat /tmp/metaaug-gui.log | grep -v XDG_RUNTIME_DIR || true
if [ $rc -ne 124 ]; then
  echo "FAIL: the workbench exited with $rc before the 10 s were up"
  exit 1
fi
echo "workbench ran for 10 s (stopped by timeout, as intended)"
step "done: every check passed"
