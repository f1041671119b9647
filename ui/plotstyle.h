// SPDX-License-Identifier: GPL-3.0-or-later
// Shared look of the workbench's QCustomPlot charts (colours, axes, legends).
#pragma once

#include <QtGui/QColor>
#include <QtCore/QString>

class QCustomPlot;
class QCPAxis;
class QWidget;

namespace metaaug::ui {

// A distinct colour for series i (tab10-like palette).
QColor seriesColor(int i);

// Title, axis labels, interactions (drag/zoom) and a compact legend.
void stylePlot(QCustomPlot *plot, const QString &title, const QString &xLabel, const QString &yLabel);

// A new styled plot named `objectName`.
QCustomPlot *makePlot(QWidget *parent, const char *objectName, const QString &title, const QString &xLabel,
                      const QString &yLabel);

// Names (layers, runs) as rotated x tick labels at 0..n-1. When they would
// overlap (a 50-layer network on a narrow chart) only every k-th is written;
// the plot's tool tip names the category under the mouse, and the labels
// are thinned again whenever the plot is resized.
void setCategoryTicks(QCustomPlot *plot, const QStringList &names);

// Logarithmic y axis with a log ticker.
void setLogAxis(QCPAxis *axis);

}  // namespace metaaug::ui
