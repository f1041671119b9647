// SPDX-License-Identifier: GPL-3.0-or-later
// The four live charts of a run: reconstruction loss per unit (log scale,
// current unit highlighted), the current unit's per-layer error against FP
// on the probe batch, MetaAug's inner loss and outer terms, and per-layer
// output SQNR as bars that fill in unit by unit. refresh() redraws from a
// RunData; the caller calls it at 10-20 Hz, never per event.
#pragma once

#include <QtWidgets/QWidget>

class QCustomPlot;
class QComboBox;

namespace metaaug::ui {

struct RunData;

class RunCharts : public QWidget {
    Q_OBJECT
public:
    explicit RunCharts(QWidget *parent = nullptr);

    void refresh(const RunData &data);
    void clear();

    QCustomPlot *lossPlot() const { return m_loss; }
    QCustomPlot *probePlot() const { return m_probe; }
    QCustomPlot *metaPlot() const { return m_meta; }
    QCustomPlot *sqnrPlot() const { return m_sqnr; }

Q_SIGNALS:
    void refreshRequested();  // the user chose another unit

private:
    void refreshLoss(const RunData &d, int current);
    void refreshProbe(const RunData &d, int unit);
    void refreshMeta(const RunData &d);
    void refreshSqnr(const RunData &d);

    QCustomPlot *m_loss, *m_probe, *m_meta, *m_sqnr;
    QComboBox *m_probeUnit;   // "current unit" or a chosen one
    int m_lastProbeUnits = -1;
    // What each chart last drew, so that a refresh replots only what changed
    // (a replot of the 11-unit loss chart costs ~10 ms on this machine).
    qint64 m_lossKey = -1, m_probeKey = -1, m_metaKey = -1;
    QVector<QPair<QString, double>> m_bars;
};

}  // namespace metaaug::ui
