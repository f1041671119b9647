// SPDX-License-Identifier: GPL-3.0-or-later
// Stored runs shown in the window, read on the store's thread (events and
// images can be large): a run opened by its kind (a quantization run in the
// stored-run view, a sensitivity analysis in the Analysis tab), runs side by
// side in the Compare tab, and the measured top-1 of every stored run on the
// Analysis tab's front.
#pragma once

#include <QtCore/QList>
#include <QtCore/QObject>

class QTabWidget;

namespace metaaug::ui {

class AnalysisPanel;
class CompareView;
class RunView;
class StoreClient;

class StoredRuns : public QObject {
    Q_OBJECT
public:
    struct Views {
        QTabWidget *tabs;
        RunView *stored;
        AnalysisPanel *analysis;
        CompareView *compare;
    };
    StoredRuns(StoreClient *store, const Views &views, QObject *parent = nullptr);

    // Shows run runId in the tab for its kind; runShown() once it is there.
    void open(qint64 runId);
    // Shows the runs in the Compare tab; comparisonShown() once they are there.
    void compare(const QList<qint64> &runIds);
    // Every stored run's measured result onto the Analysis tab's front.
    void noteStoredResults();

Q_SIGNALS:
    void runShown(qint64 runId);
    void comparisonShown(int runs);
    void errorOccurred(const QString &title, const QString &message);

private:
    void openQuantization(qint64 runId);

    StoreClient *m_store;
    Views m_views;
};

}  // namespace metaaug::ui
