// SPDX-License-Identifier: GPL-3.0-or-later
// The Sweeps tab (issue 21): a sweep of the run store as its matrix (core's
// sweep/sweepmatrix: rows x columns of chosen axes, mean ± std over seeds,
// n, each column's best in bold) for a chosen metric. Clicking a cell opens
// its runs in the compare view. While the sweep runs, the matrix reloads
// every two seconds, so points fill in as they finish. Store reads go
// through StoreClient (off the GUI thread).
#pragma once

#include "sweep/sweepmatrix.h"

#include <QtWidgets/QWidget>

class QComboBox;
class QLabel;
class QTableWidget;
class QTimer;

namespace metaaug::ui {

class StoreClient;

class SweepsView : public QWidget {
    Q_OBJECT
public:
    explicit SweepsView(QWidget *parent = nullptr);

    // The store to read (not owned); lists its sweeps.
    void setStore(StoreClient *store);
    // Re-reads the sweep list, then the chosen sweep's matrix.
    void reload();
    // Shows sweep `id` (once the list has it).
    void showSweep(qint64 id);

    QComboBox *sweepBox() const { return m_sweep; }
    QComboBox *rowsBox() const { return m_rows; }
    QComboBox *columnsBox() const { return m_columns; }
    QComboBox *metricBox() const { return m_metric; }
    QTableWidget *table() const { return m_table; }
    const std::optional<sweep::SweepMatrix> &matrix() const { return m_matrix; }

Q_SIGNALS:
    void compareRequested(const QList<qint64> &runIds);
    void errorOccurred(const QString &message);
    void matrixShown();

private:
    void loadMatrix();
    void draw();

    StoreClient *m_store = nullptr;
    QComboBox *m_sweep, *m_rows, *m_columns, *m_metric;
    QLabel *m_status;
    QTableWidget *m_table;
    QTimer *m_live;
    std::vector<sweep::MatrixRun> m_runs;
    QStringList m_axes;  // the axes that vary in the shown sweep
    std::optional<sweep::SweepMatrix> m_matrix;
    qint64 m_wanted = 0;
};

}  // namespace metaaug::ui
