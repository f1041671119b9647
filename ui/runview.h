// SPDX-License-Identifier: GPL-3.0-or-later
// One run on screen: progress (the step in core's words, its ETA, elapsed),
// the charts, the image pairs, the log and, once finished, the results.
// Live: feed it RunController's signals; it buffers them in its RunData and
// redraws on a 15 Hz timer. Stored: give it a RunData read from the store.
#pragma once

#include "rundata.h"

#include <QtCore/QElapsedTimer>
#include <QtWidgets/QWidget>

class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QTimer;

namespace metaaug::ui {

class RunCharts;
class ImageGrid;
class ResultsPanel;
class PropagationPanel;

class RunView : public QWidget {
    Q_OBJECT
public:
    explicit RunView(QWidget *parent = nullptr);

    const RunData &data() const { return m_data; }
    RunCharts *charts() const { return m_charts; }
    ImageGrid *images() const { return m_images; }
    ResultsPanel *results() const { return m_results; }
    QProgressBar *progressBar() const { return m_progress; }
    QString progressText() const;
    int redraws() const { return m_redraws; }

    // A new live run of `spec`.
    void startLive(const QJsonObject &spec);
    // A stored run, drawn once.
    void showStored(RunData data);

public Q_SLOTS:
    void onProgress(const metaaug::ui::ProgressUpdate &u);
    void onLayerSample(const metaaug::ui::LayerSample &s);
    void onImage(const metaaug::ui::ImagePair &p);
    void onLog(const QString &line);
    void onFinished(const metaaug::ui::RunFinished &f);

private:
    void redraw();
    void updateProgress();

    RunData m_data;
    bool m_dirty = false;
    int m_redraws = 0;
    int m_imagesShown = -1;
    QTimer *m_timer;
    QTimer *m_clock;               // ticks the elapsed time and ETA between events
    QElapsedTimer m_sinceEvent;    // wall time since the latest progress event
    QProgressBar *m_progress;
    QLabel *m_progressLabel;
    RunCharts *m_charts;
    ImageGrid *m_images;
    ResultsPanel *m_results;
    PropagationPanel *m_propagation;
    QPlainTextEdit *m_log;
};

// "1:05" / "1:02:03"
QString durationText(double seconds);

}  // namespace metaaug::ui
