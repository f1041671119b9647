// The stored runs as a sortable, filterable table (model, method, bits,
// status); open one run, or compare two or more.
#pragma once

#include <QtWidgets/QWidget>

class QComboBox;
class QLineEdit;
class QStandardItemModel;
class QTableView;

namespace metaaug::ui {

class RunFilterModel;

class RunsBrowser : public QWidget {
    Q_OBJECT
public:
    explicit RunsBrowser(QWidget *parent = nullptr);

    void setDatabase(const QString &path);
    const QString &database() const { return m_db; }
    // Re-reads the run list; false (and lastError()) when the database fails.
    bool reload();
    const QString &lastError() const { return m_error; }

    QTableView *table() const { return m_table; }
    int visibleRuns() const;
    QList<qint64> selectedRunIds() const;
    void selectRuns(const QList<qint64> &ids);
    // Filters: empty = any.
    void setFilters(const QString &model, const QString &method, const QString &bits, const QString &status);

Q_SIGNALS:
    void openRequested(qint64 runId);
    void compareRequested(const QList<qint64> &runIds);
    void errorOccurred(const QString &message);

private:
    void deleteSelected();
    void refillFilterChoices();

    QString m_db, m_error;
    QStandardItemModel *m_model;
    RunFilterModel *m_filter;
    QTableView *m_table;
    QLineEdit *m_modelFilter;
    QComboBox *m_methodFilter, *m_bitsFilter, *m_statusFilter;
};

}  // namespace metaaug::ui
