// SPDX-License-Identifier: GPL-3.0-or-later
// The Compare page's table: spec fields, every headline metric of core's
// resultMetrics() and each method option and summary key, one column per
// run and a delta column against the first run (judged by the metric's
// direction, in words and colour). Also its CSV form.
#pragma once

#include "rundata.h"

class QTableWidget;

namespace metaaug::ui {

// "#3 metaaug W2A4": a run's name in headers, legends and tabs.
QString runLabel(const RunData &run);
// Fills `table` with the rows for `runs` (field | first run | each later run and its delta).
void fillCompareTable(QTableWidget *table, const QVector<RunData> &runs);
// The table as CSV (RFC 4180 quoting), header row first.
QString tableCsv(const QTableWidget *table);

}  // namespace metaaug::ui
