// SPDX-License-Identifier: GPL-3.0-or-later
// Two or more stored runs side by side: spec and metrics with deltas
// against the first, overlaid reconstruction loss per unit, grouped
// per-layer SQNR bars, each run's gap, the method's series overlaid (MetaAug:
// MSE(T(x), x) with its eps) and each run's image strips, as the run view
// shows them. The Compare tab's page: its own toolbar exports the table as
// CSV and the charts as PNG (errors go out as errorOccurred()).
#pragma once

#include "rundata.h"

#include <QtWidgets/QWidget>

class QComboBox;
class QTabWidget;
class QCustomPlot;
class QTableWidget;

namespace metaaug::ui {

class CompareView : public QWidget {
    Q_OBJECT
public:
    explicit CompareView(QWidget *parent = nullptr);

    void setRuns(QVector<RunData> runs);

    QTableWidget *table() const { return m_table; }
    QCustomPlot *lossPlot() const { return m_loss; }
    QCustomPlot *sqnrPlot() const { return m_sqnr; }
    QCustomPlot *gapPlot() const { return m_gap; }
    QCustomPlot *methodPlot() const { return m_method; }
    QTabWidget *imageTabs() const { return m_images; }
    const QVector<RunData> &runs() const { return m_runs; }

    // The table as CSV (RFC 4180 quoting).
    QString csv() const;
    bool exportCsv(const QString &file, QString *error) const;
    // The charts as <base>-loss.png, <base>-sqnr.png, <base>-gap.png, <base>-method.png.
    bool exportPngs(const QString &base, QString *error) const;

Q_SIGNALS:
    void errorOccurred(const QString &title, const QString &message);

private:
    // The toolbar's buttons: a file dialog, then the export.
    void askExportCsv();
    void askExportPngs();
    void fillLoss();
    void fillSqnr();
    void fillGap();
    void fillMethod();

    QVector<RunData> m_runs;
    QTableWidget *m_table;
    QComboBox *m_unit, *m_methodKey;
    QCustomPlot *m_loss, *m_sqnr, *m_gap, *m_method;
    QTabWidget *m_images;
};

}  // namespace metaaug::ui
