// SPDX-License-Identifier: GPL-3.0-or-later
// Charts as inline SVG text for the HTML reports (issue 21): self-contained,
// no scripts, crisp when printed. Lines (loss curves, optionally on a log
// axis) and bars (per-layer SQNR), with axes, ticks and a legend.
#pragma once

#include <QtCore/QStringList>

#include <vector>

namespace metaaug::report {

struct SvgSeries {
    QString name;
    std::vector<std::pair<double, double>> points;  // (x, y); non-finite y and y <= 0 on a log axis are left out
};

QString svgLineChart(const QString &title, const std::vector<SvgSeries> &series, const QString &xLabel, const QString &yLabel,
                     bool logY, int width = 720, int height = 320);
// One bar per label; groups of values (one per series) share a label.
QString svgBarChart(const QString &title, const QStringList &labels, const std::vector<SvgSeries> &series, const QString &yLabel,
                    int width = 720, int height = 320);

}  // namespace metaaug::report
