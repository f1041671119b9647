// SPDX-License-Identifier: GPL-3.0-or-later
#include "runworker.h"

#include "jobs/runjob.h"
#include "store/runstore.h"

#include <opencv2/imgproc.hpp>

namespace metaaug::ui {

namespace {

QImage toQImage(const cv::Mat &m)
{
    if (m.empty())
        return {};
    cv::Mat rgb;
    if (m.channels() == 1)
        cv::cvtColor(m, rgb, cv::COLOR_GRAY2RGB);
    else
        rgb = m;  // the engine's grids are RGB
    return QImage(rgb.data, rgb.cols, rgb.rows, int(rgb.step), QImage::Format_RGB888).copy();
}

// Forwards the engine's events as the worker's signals (queued to the GUI).
class SignalSink : public RunSink {
public:
    SignalSink(RunWorker &w, const std::atomic<bool> &cancel) : m_w(w), m_cancel(cancel) {}
    void progress(const ProgressEvent &e) override
    {
        ProgressUpdate u{QLatin1String(runPhaseName(e.phase)), e.unit, e.unitCount, e.unitName,
                         e.iteration, e.iterations, e.elapsedSeconds, {}};
        for (const auto &[k, v] : e.values)
            u.values.insert(k, v);
        u.detail = e.detail;
        Q_EMIT m_w.progress(u);
    }
    void layerMetric(const LayerMetricEvent &e) override
    {
        Q_EMIT m_w.layerSample(LayerSample{e.layer, e.key, e.value, e.unit, e.iteration});
    }
    void image(const ImageEvent &e) override
    {
        Q_EMIT m_w.image(ImagePair{e.unit, e.iteration, toQImage(e.originals), toQImage(e.transformed)});
    }
    void log(const QString &line) override { Q_EMIT m_w.logLine(line); }
    bool shouldAbort() override { return m_cancel.load(); }

private:
    RunWorker &m_w;
    const std::atomic<bool> &m_cancel;
};

}  // namespace

void RunWorker::run(const QJsonObject &spec, const QString &dbPath)
{
    RunFinished done;
    // The one store connection of ui/ outside StoreClient (with the analysis
    // job's, analysispanel.cpp): the recorder writes the run's events as they
    // come, on this thread. Through StoreClient they would queue behind the
    // browser's reads (and hold its thread for the whole run).
    std::unique_ptr<store::RunStore> db;
    if (!dbPath.isEmpty()) {
        auto opened = store::RunStore::open(dbPath);
        if (!opened) {
            done.status = RunStatus::Failed;
            done.error = opened.error().message;
            Q_EMIT finished(done);
            return;
        }
        db = std::move(*opened);
    }
    SignalSink sink(*this, *m_cancel);
    Q_EMIT logLine(QStringLiteral("run started: %1, W%2A%3, %4 calibration images, %5 iterations per unit")
                       .arg(spec.value(QLatin1String("method")).toString())
                       .arg(spec.value(QLatin1String("wbits")).toInt()).arg(spec.value(QLatin1String("abits")).toInt())
                       .arg(spec.value(QLatin1String("calib_size")).toInteger()).arg(spec.value(QLatin1String("iters")).toInt()));
    const JobOutcome job = runJob(spec, db.get(), sink);
    done.runId = job.runId;
    done.status = job.status;
    if (job.status == RunStatus::Succeeded)
        done.result = job.result;
    done.error = job.error ? job.error->message : QString();
    done.warnings = job.warnings;
    Q_EMIT finished(done);
}

}  // namespace metaaug::ui
