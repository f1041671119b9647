// SPDX-License-Identifier: GPL-3.0-or-later
// Empty translation unit: metaaug_test_pch exists to build the shared
// precompiled header the tests reuse.
