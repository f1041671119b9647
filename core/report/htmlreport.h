// SPDX-License-Identifier: GPL-3.0-or-later
// Reports people can share (issue 21): one self-contained HTML file (no
// network, no scripts; charts as inline SVG, images as data URIs) for a
// run, a comparison of runs, or a sweep, readable when printed. A run's
// report: the spec, the identity (model and calibration hashes, versions),
// the headline metrics, per-unit loss curves, per-layer SQNR and MetaAug's
// image strips; a sweep's: its matrix and points. No LibTorch in this header.
#pragma once

#include "store/runstore.h"

namespace metaaug::report {

Result<QString> runReport(store::RunStore &db, int64_t run);
Result<QString> compareReport(store::RunStore &db, const std::vector<int64_t> &runs);
Result<QString> sweepReport(store::RunStore &db, int64_t sweep);

// Writes `html` to `path` through a temporary file (nothing half-written).
Result<void> writeReport(const QString &html, const QString &path);

}  // namespace metaaug::report
