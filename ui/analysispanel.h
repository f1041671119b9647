// SPDX-License-Identifier: GPL-3.0-or-later
// The Analysis tab (issue 20): a sensitivity analysis of the open model on
// its calibration data (core's runSensitivityJob, on the thread pool,
// recorded as a run of kind "sensitivity"), drawn as the per-layer
// sensitivity chart, the Pareto front of mean weight bits vs predicted KL
// with the measured top-1 of runs, and a per-layer bit editor with live
// budget figures. A front point clicked, or the editor's bits, go to the run
// setup as its layer_bits.
#pragma once

#include "jobs/sensitivityjob.h"
#include "run/runresult.h"

#include <QtWidgets/QWidget>

#include <atomic>
#include <memory>
#include <optional>

class QLabel;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace metaaug::ui {

class BitEditor;
class FrontChart;
class SensitivityChart;

class AnalysisPanel : public QWidget {
    Q_OBJECT
public:
    explicit AnalysisPanel(QWidget *parent = nullptr);
    ~AnalysisPanel() override;

    // Analyses the model, card, calibration data, seed, threads, method and
    // bits of `spec` (RunSpec JSON) on the thread pool; recorded in the run
    // database at `dbPath` unless it is empty.
    void analyse(const QJsonObject &spec, const QString &dbPath);
    // Stops the analysis in progress within one candidate's measurement.
    void cancel();
    bool isRunning() const { return bool(m_cancel); }
    // A study done earlier (a stored sensitivity run), shown as if just analysed.
    void showStudy(const SensitivityStudy &study);
    // A finished run: its measured top-1 on the front chart, when it ran the analysed model.
    void noteRun(const RunResult &result);

    const std::optional<SensitivityStudy> &study() const { return m_study; }
    SensitivityChart *sensitivityChart() const { return m_chart; }
    FrontChart *frontChart() const { return m_front; }
    BitEditor *bitEditor() const { return m_editor; }
    QSpinBox *imagesBox() const { return m_images; }
    QSpinBox *fitImagesBox() const { return m_fitImages; }
    QLabel *statusLabel() const { return m_status; }

Q_SIGNALS:
    // The Analyse button: the window answers with analyse(its run spec).
    void analyseRequested();
    // A front point clicked, or "Use in run setup": layer_bits text for the run setup.
    void bitsChosen(const QString &layerBits);
    void analysisFinished(bool ok, const QString &error);

private:
    void onProgress(int done, int total);
    void onDone(const Result<SensitivityStudy> &study);
    void chooseFrontPoint(int index);

    QPushButton *m_run, *m_stop, *m_use;
    QSpinBox *m_images, *m_fitImages;
    QProgressBar *m_progress;
    QLabel *m_status;
    SensitivityChart *m_chart;
    FrontChart *m_front;
    BitEditor *m_editor;
    std::optional<SensitivityStudy> m_study;
    std::shared_ptr<std::atomic<bool>> m_cancel;  // set while an analysis runs
};

}  // namespace metaaug::ui
