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
// Labels are rotated; the chart grows downwards (and its frame rightwards)
// by the room the longest of them needs.
QString svgBarChart(const QString &title, const QStringList &labels, const std::vector<SvgSeries> &series, const QString &yLabel,
                    int width = 720, int height = 320);

// Axis ticks as the workbench's charts place them: a step of 1, 2 or 5 x
// 10^k giving about `target` ticks over [lo, hi], ticks at its multiples
// inside [lo, hi] (a tick within 1e-9 of a step of an end counts as inside).
double niceStep(double lo, double hi, int target = 5);
std::vector<double> niceTicks(double lo, double hi, int target = 5);
// A log axis: its decades (every k-th when there are more than 8); over
// less than two decades, nice linear ticks instead (so the axis is labelled).
std::vector<double> logTicks(double lo, double hi);
// A tick's label with as many decimals as `step` needs ("0.2", "1500", "1e-05").
QString tickLabel(double value, double step);
// The room (px) below a chart's frame that labels of `chars` characters
// need when rotated as the bar chart rotates them.
int rotatedLabelRoom(int chars);

}  // namespace metaaug::report
