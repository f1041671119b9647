// SPDX-License-Identifier: GPL-3.0-or-later
// Anchors the plugins' precompiled header (see CMakeLists.txt).
