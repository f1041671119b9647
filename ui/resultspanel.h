// SPDX-License-Identifier: GPL-3.0-or-later
// A finished run's headline metrics (core's resultMetrics(): FP vs quantized
// top-1, calibration top-1, gap, agreement, KL, wall time) as a grid of
// label and value, and its per-layer table; sized so that neither wraps or
// cuts a column at the workbench's default window size.
#pragma once

#include "events/runstatus.h"
#include "run/runresult.h"

#include <QtWidgets/QWidget>

#include <map>
#include <optional>

class QLabel;
class QTableWidget;

namespace metaaug::ui {

class ResultsPanel : public QWidget {
    Q_OBJECT
public:
    explicit ResultsPanel(QWidget *parent = nullptr);

    // No result: a note with the status and error instead (or "No result
    // yet." without a status).
    void setResult(const std::optional<RunResult> &result, std::optional<RunStatus> status = std::nullopt,
                   const QString &error = {});
    // The note, or the run line above the metrics ("geniem W2A4, seed 0").
    QString headline() const;
    // A metric's shown text by its key ("q_top1" -> "93.52 %").
    QString metricText(const QString &key) const;
    QTableWidget *layerTable() const { return m_layers; }
    // The width the metrics and every layer column need without wrapping or cutting.
    int neededWidth() const;

Q_SIGNALS:
    // A result was shown that needs this width (RunView widens its side to it).
    void widthNeeded(int width);

private:
    QLabel *m_headline;
    QWidget *m_metrics;
    std::map<QString, QLabel *> m_values;  // metric key -> value label
    QTableWidget *m_layers;
};

}  // namespace metaaug::ui
