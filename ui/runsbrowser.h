// SPDX-License-Identifier: GPL-3.0-or-later
// The stored runs as a sortable, filterable table (model, method, bits,
// status); open one run, or compare two or more.
#pragma once

#include <QtWidgets/QWidget>

#include <vector>

class QComboBox;
class QLineEdit;
class QStandardItemModel;
class QTableView;

namespace metaaug::store {
struct RunRow;
}

namespace metaaug::ui {

class RunFilterModel;
class StoreClient;

class RunsBrowser : public QWidget {
    Q_OBJECT
public:
    explicit RunsBrowser(QWidget *parent = nullptr);

    // The store to list (not owned); reloads.
    void setStore(StoreClient *store);
    // Re-reads the run list on the store's thread; reloaded() when it is
    // shown, errorOccurred() (and lastError()) when the database fails.
    void reload();
    const QString &lastError() const { return m_error; }

    QTableView *table() const { return m_table; }
    int visibleRuns() const;
    QList<qint64> selectedRunIds() const;
    void selectRuns(const QList<qint64> &ids);
    // Filters: empty = any.
    void setFilters(const QString &model, const QString &method, const QString &bits, const QString &status);

Q_SIGNALS:
    void openRequested(qint64 runId);
    void rerunRequested(qint64 runId);
    void compareRequested(const QList<qint64> &runIds);
    void errorOccurred(const QString &message);
    void reloaded();

private:
    void deleteSelected();
    void showRuns(const std::vector<store::RunRow> &runs);
    void refillFilterChoices();

    StoreClient *m_store = nullptr;
    QString m_error;
    QStandardItemModel *m_model;
    RunFilterModel *m_filter;
    QTableView *m_table;
    QLineEdit *m_modelFilter;
    QComboBox *m_methodFilter, *m_bitsFilter, *m_statusFilter;
};

}  // namespace metaaug::ui
