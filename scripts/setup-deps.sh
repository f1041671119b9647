#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs every Debian package MetaAug Workbench needs, when missing.
# Idempotent; apt-get as root, sudo otherwise; nothing is downloaded from anywhere else.
set -euo pipefail

PACKAGES=(
  # toolchain
  cmake ninja-build clang-14 ccache pkg-config
  # the stack
  qt6-base-dev libqt6sql6-sqlite qt6-tools-dev libqcustomplot-dev libqcustomplot2.1-qt6
  libtorch-dev libopencv-dev libsqlite3-dev zlib1g-dev
  # ONNX protobuf schema and checker (onnx-qdq exporter)
  libonnx-dev libprotobuf-dev
  # the model loader helper's system-call filter (app/loader)
  libseccomp-dev
  # fast BLAS for LibTorch (takes over the libblas.so.3 alternative)
  libopenblas0-openmp
  # data
  dataset-fashion-mnist
  # GUI tests and screenshots
  xvfb xauth
  # scripts: fixtures, model training, export checks
  python3-torch python3-torchvision
  # ONNX fixtures: the opset-18 respelling and the copy without node names
  python3-onnx
  # the published run-spec schema is checked with it (tests/cli)
  python3-jsonschema
  # sweeps on Slurm: sbatch/squeue for the executor, and the one-node cluster
  # the round-trip test starts (tests/support/slurm-cluster.sh, own config)
  slurm-wlm munge
  # HTML reports are rendered in headless Chromium by their test
  chromium
)

# Node and npm for ONNX Runtime (scripts/setup-node.sh); a machine that
# already has a node (e.g. from nodesource) keeps it.
if ! command -v npm >/dev/null 2>&1; then
  PACKAGES+=(nodejs npm)
fi

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "setup-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
