// SPDX-License-Identifier: GPL-3.0-or-later
// The Analysis tab's sensitivity chart: per layer (or activation point), one
// horizontal bar per candidate bit-width, on a log KL axis. Layers run down
// the chart one row each with their full names, in a scroll area, so that a
// 50+ layer network stays readable; the first layer is at the top.
#pragma once

#include "analysis/sensitivityrecord.h"

#include <QtWidgets/QWidget>

class QComboBox;
class QCustomPlot;
class QScrollArea;

namespace metaaug::ui {

class SensitivityChart : public QWidget {
    Q_OBJECT
public:
    explicit SensitivityChart(QWidget *parent = nullptr);

    void setRecords(const std::vector<analysis::SensitivityRecord> &records);
    void clear();

    // What the chart shows: weight or activation records.
    void showKind(analysis::SensitivityKind kind);
    analysis::SensitivityKind kind() const;

    QCustomPlot *plot() const { return m_plot; }
    // The rows drawn (layers or points), top to bottom.
    const QStringList &rows() const { return m_rows; }
    // The candidate bit-widths drawn, one bar series each.
    const std::vector<int> &bitWidths() const { return m_bits; }

    // The smallest KL drawn: an exact (zero) effect sits at this floor of the log axis.
    static constexpr double kKlFloor = 1e-7;

private:
    void redraw();

    QComboBox *m_kind;
    QScrollArea *m_scroll;
    QCustomPlot *m_plot;
    std::vector<analysis::SensitivityRecord> m_records;
    QStringList m_rows;
    std::vector<int> m_bits;
};

}  // namespace metaaug::ui
