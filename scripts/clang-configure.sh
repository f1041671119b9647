# SPDX-License-Identifier: GPL-3.0-or-later
# Sourced by build-sanitize.sh and build-fuzz.sh: the hardening builds'
# toolchain (clang-14 with its sanitizer runtimes, ccache, RelWithDebInfo).
#   clang_configure DIR [CMAKE_OPTION...]
clang_configure() {
  local dir=$1
  shift
  dpkg -s libclang-rt-14-dev >/dev/null 2>&1 || apt-get install -y --no-install-recommends libclang-rt-14-dev
  export CCACHE_SLOPPINESS=${CCACHE_SLOPPINESS:-pch_defines,time_macros,include_file_mtime,include_file_ctime}
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 \
    -DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache \
    "$@" >/dev/null
}
