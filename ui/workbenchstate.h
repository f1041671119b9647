// SPDX-License-Identifier: GPL-3.0-or-later
// What the workbench has open and whether it can run: the model, the
// calibration and the evaluation data (each loaded and summarised on the
// thread pool, a newer choice replacing an older one still loading), the
// recent files, and the choices remembered in QSettings. MainWindow shows
// it and reacts to its signals; nothing here draws.
#pragma once

#include "common/result.h"
#include "model/datasummary.h"
#include "model/modelsummary.h"

#include <QtCore/QObject>
#include <QtCore/QStringList>

class QSettings;

namespace metaaug::ui {

struct WorkbenchOptions {
    QString dbPath;        // run database; empty: RunStore::defaultPath()
    QString modelPath;     // empty: the last one used, else the bundled default
    QString calibSource;   // empty: the last one used, else fashion-mnist:train
    QString evalSource;    // empty: the last one used, else fashion-mnist:test
    bool useSettings = true;  // read the remembered layout, files and settings
};

class WorkbenchState : public QObject {
    Q_OBJECT
public:
    explicit WorkbenchState(bool useSettings, QObject *parent = nullptr);

    const QString &modelPath() const { return m_modelPath; }
    // A card file used instead of the one beside the model (empty: none).
    const QString &cardPath() const { return m_cardPath; }
    const QString &calibSource() const { return m_calibSource; }
    const QString &evalSource() const { return m_evalSource; }
    bool modelReady() const { return m_modelReady; }
    bool calibReady() const { return m_calibReady; }
    bool isLoading() const { return m_pendingLoads > 0; }
    bool useSettings() const { return m_useSettings; }
    // Model and calibration data loaded, nothing loading.
    bool canRun() const { return m_modelReady && m_calibReady && m_pendingLoads == 0; }
    // Why a run cannot start now (empty when it can).
    QString notReadyReason() const;

    // A model without a card beside it and without `cardPath` is not opened:
    // cardNeeded() asks for one. A model that fails to open leaves the
    // previous one open (modelLoaded() carries the error).
    void openModel(const QString &path, const QString &cardPath = {});
    // The data's preprocessing follows the model's card: reloaded once the model is.
    void openCalibration(const QString &source);
    void openEvaluation(const QString &source);
    // Opens the given files, else the remembered ones, else the defaults.
    void openInitial(const WorkbenchOptions &options);
    // The last files, for the next start (with useSettings).
    void save(QSettings &settings) const;
    // Recent models ("models") or calibration data ("data"), newest first.
    QStringList recent(const QString &kind) const;

Q_SIGNALS:
    void changed();  // a source, readiness or the loading count changed
    void modelLoaded(const QString &path, const metaaug::Result<metaaug::ModelSummary> &summary);
    void cardNeeded(const QString &path);
    void calibrationLoaded(const QString &source, const metaaug::Result<metaaug::DataSummary> &summary);
    void evaluationLoaded(const QString &source, const metaaug::Result<metaaug::DataSummary> &summary);
    void recentChanged();

private:
    void addRecent(const QString &kind, const QString &value);

    QString m_modelPath, m_cardPath, m_calibSource, m_evalSource;
    int m_modelGeneration = 0;  // the latest openModel(); older loads are dropped
    bool m_modelReady = false, m_calibReady = false, m_useSettings = true;
    int m_pendingLoads = 0;
};

}  // namespace metaaug::ui
