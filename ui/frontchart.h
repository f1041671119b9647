// SPDX-License-Identifier: GPL-3.0-or-later
// The Analysis tab's Pareto chart: the front of mean weight bits (x) against
// the predicted KL (left y, log: a sum of per-layer effects), and the top-1
// that runs measured (right y): runs of a front point's allocation on the
// front's own marker, other runs of the same model (uniform bits, other
// allocations) as a second series, so that prediction and measurement can be
// read together. Clicking a front point chooses it.
#pragma once

#include <QtWidgets/QWidget>

#include <map>

class QCustomPlot;
class QCPGraph;

namespace metaaug::ui {

class FrontChart : public QWidget {
    Q_OBJECT
public:
    explicit FrontChart(QWidget *parent = nullptr);

    // Points cheapest first: (mean weight bits, predicted KL).
    void setFront(const std::vector<std::pair<double, double>> &points);
    // A run's measured top-1: on front point `index`, or (index -1) off the front at `avgBits`.
    void addMeasured(int index, double avgBits, double top1);
    void clear();

    QCustomPlot *plot() const { return m_plot; }
    int frontSize() const;
    int measuredOnFront() const { return int(m_onFront.size()); }
    // The front point drawn nearest to plot pixel `pos` (-1: none).
    int pointAt(const QPointF &pos) const;

Q_SIGNALS:
    void pointClicked(int index);

private:
    void redrawMeasured();

    QCustomPlot *m_plot;
    QCPGraph *m_front, *m_chosen, *m_measuredFront, *m_measuredOther;
    std::vector<std::pair<double, double>> m_points;
    std::map<int, double> m_onFront;                   // front index -> top-1 (the latest run)
    std::vector<std::pair<double, double>> m_offFront;  // (avg bits, top-1)
};

}  // namespace metaaug::ui
