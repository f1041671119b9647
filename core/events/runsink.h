// SPDX-License-Identifier: GPL-3.0-or-later
// How a running quantization reports: progress, scalar series, layer
// metrics, images and log lines go to a RunSink; the engine polls
// shouldAbort() between iterations. Events carry values, never pointers
// into the engine, so a GUI can queue them across threads.
#pragma once

#include <QtCore/QJsonObject>
#include <QtCore/QString>

#include <opencv2/core.hpp>

#include <map>
#include <optional>

namespace metaaug {

enum class RunPhase { Setup, Calibration, Warmup, MetaLearning, Reconstruction, Evaluation, Done };
const char *runPhaseName(RunPhase p);
// The inverse of runPhaseName() (front ends that carry the phase as text).
std::optional<RunPhase> runPhaseFromName(const QString &name);

struct ProgressEvent {
    RunPhase phase = RunPhase::Setup;
    int unit = -1;                // index of the unit being worked on
    int unitCount = 0;
    QString unitName;
    int iteration = 0;            // 1-based within the phase of this unit; 0: the step starts
    int iterations = 0;           // 0: the step has no count (a whole-set pass)
    // What the step does where the phase alone does not say it: a setup
    // step ("reading 128 calibration images"), the evaluated set ("test
    // set", counted in images). Events of one phase and unit with another
    // detail are another step (runprogress.h).
    QString detail;
    double elapsedSeconds = 0;    // since the run started
    // Scalars of this iteration, e.g. "loss", "rec", "round", "inner", "kl".
    // In the method's own phases (warmup, meta) every value is a series of
    // the method's chart, and a key starting with "ref." (kRefPrefix) is a
    // constant reference line (MetaAug's "ref.eps"): front ends draw what
    // the events declare without knowing the method.
    std::map<QString, double> values;
    static constexpr const char *kRefPrefix = "ref.";
};

struct LayerMetricEvent {
    QString layer;
    QString key;    // "weight_sqnr_db", "output_sqnr_db", "output_mse", ...
    double value = 0;
    int unit = -1;
    int iteration = -1;  // -1: final
};

struct ImageEvent {
    int unit = -1;
    int iteration = 0;
    cv::Mat originals;    // 8-bit grid
    cv::Mat transformed;  // 8-bit grid, same layout
};

class RunSink {
public:
    virtual ~RunSink() = default;
    virtual void progress(const ProgressEvent &) {}
    virtual void layerMetric(const LayerMetricEvent &) {}
    virtual void image(const ImageEvent &) {}
    virtual void log(const QString &) {}
    // The run's plan (memory and time per phase), once before the first unit.
    virtual void plan(const QStringList &lines)
    {
        for (const QString &l : lines)
            log(l);
    }
    // Once the model and calibration set are loaded: model_sha256,
    // calib_hash, calib_size, engine and library versions.
    virtual void identity(const QJsonObject &) {}
    // Polled between iterations; true stops the run with ErrorCode::Aborted.
    virtual bool shouldAbort() { return false; }
};

}  // namespace metaaug
