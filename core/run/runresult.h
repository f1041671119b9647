// SPDX-License-Identifier: GPL-3.0-or-later
// The outcome of a succeeded run, typed: what the engine computes, what the
// store keeps (as toJson()) and what every front end shows. The headline
// metrics are also described once as a table (resultMetrics()) that the
// store's columns, the CLI's summaries, the runs browser, the compare view
// and the results panel read for their labels, units and precision.
// No LibTorch in this header.
#pragma once

#include "analysis/propagationrecord.h"

#include "common/result.h"

#include <QtCore/QJsonObject>
#include <QtCore/QStringList>

#include <map>
#include <optional>
#include <vector>

namespace metaaug {

struct UnitResult {
    QString name;
    double firstLoss = 0, finalLoss = 0;       // mean reconstruction loss of the first / last 10 % of iterations
    double seconds = 0;
    std::map<QString, double> medianIterationMs;  // by phase ("reconstruction", "meta")
    std::map<QString, double> metrics;            // the method's own (MetaAug: t_change, t_mse, class_kept)
};

struct LayerResult {
    QString name;
    int wbits = 0, abits = 0;                    // abits 0: the input stays FP
    std::optional<double> weightSqnrDb, outputSqnrDb;  // nullopt when not finite (an exact layer)
    double outputMse = 0;
};

struct RunResult {
    QString method;
    int wbits = 0, abits = 0;
    double fpTop1 = 0, qTop1 = 0;                        // % on the evaluation data
    std::optional<double> fpCalibTop1, qCalibTop1, gap;  // % on the calibration images; none when unlabelled
    double agreement = 0;                                // % of images where Q and FP agree
    double kl = 0;                                       // KL(FP || Q), mean per image
    // What the bit plan costs (analysis/budget.h); none in runs stored before them.
    std::optional<double> weightBitsAvg, weightBytes, bops;
    int64_t evalImages = 0;
    QString seed;                                        // decimal (64-bit)
    QString calibHash, modelSha256, qweightsSha256;
    double wallSeconds = 0;
    std::map<QString, double> phaseSeconds;              // setup, calibration, reconstruction, evaluation
    std::vector<UnitResult> units;
    std::vector<LayerResult> layers;
    // The error-propagation table and the diagnosis (docs/inspector.md);
    // empty in runs stored before them.
    std::vector<analysis::LayerPropagation> propagation;
    std::vector<analysis::Finding> findings;
    QJsonObject spec;                                    // the spec as run: complete method options, the model's path
    QJsonObject methodSummary;                           // the method's summary (MetaAug: warm-up, T's hash)
    int64_t runId = 0;                                   // when recorded

    // The stored form: method, wbits, abits, fp_top1, q_top1, fp_calib_top1,
    // q_calib_top1, gap, agreement, kl, weight_bits_avg, weight_bytes, bops, eval_n, seed, calib_hash,
    // model_sha256, qweights_sha256, wall_s, phases, units, layers, spec,
    // propagation and diagnosis (when not empty), method_summary (when not
    // empty), run_id (when recorded).
    QJsonObject toJson() const;
    // Missing keys keep their defaults (runs stored by older versions); a
    // key of the wrong type is an error naming it.
    static Result<RunResult> fromJson(const QJsonObject &json);

    // The one reader of a stored unit index (scalar, image and layer-metric
    // rows carry one): -1 is "T's warm-up" (MetaAug's events before the
    // first unit), an index of `units` its name, any other value "unit N"
    // counted from 1 as the workbench counts units. Never indexes out of range.
    QString unitLabel(int unit) const;
};

// What a change of a headline metric means: better or worse by the metric's
// direction, the same when it rounds to zero at the metric's precision, or
// unranked when the metric has no better direction (a size, the FP reference).
enum class Verdict { Better, Worse, Same, Unranked };
// "better", "worse", "same", "" (unranked).
QString verdictName(Verdict v);

// A headline metric: key in toJson(), label, unit and precision for display.
struct ResultMetric {
    QString key;
    QString label;      // "quantized test top-1"
    QString unit;       // "%", "pt", "s" or empty
    int decimals = 2;
    std::optional<double> (*get)(const RunResult &) = nullptr;
    int better = 0;     // +1: higher is better, -1: lower is better, 0: neither (a size, the FP reference)
    // "93.52 %", or "–" when the run has no value.
    QString format(const RunResult &r) const;
    // The meaning of a change `delta` = other - reference (by `better`).
    // Every delta shown to people (compare view, runs compare, reports) is
    // judged here, never by its sign alone.
    Verdict verdict(double delta) const;
    // "+0.40", "-40.5", "0.00": a delta at the metric's precision.
    QString formatDelta(double delta) const;
    // The unit of a delta: "pt" for a "%" metric (a difference of
    // percentages is in percentage points), else the metric's unit.
    QString deltaUnit() const;
};

// fp_top1, q_top1, fp_calib_top1, q_calib_top1, gap, agreement, kl,
// weight_bits_avg, weight_bytes, bops, wall_s.
const std::vector<ResultMetric> &resultMetrics();
const ResultMetric *findResultMetric(const QString &key);
// The ones the run store keeps as columns for listing and sorting (q_top1, gap).
QStringList storedResultColumns();

}  // namespace metaaug
