// SPDX-License-Identifier: GPL-3.0-or-later
// A PTQ method: how each reconstruction unit is quantized, on top of the
// shared machinery in recon/. Methods are chosen by string id from one
// registry (rtn, adaround, brecq, qdrop, geniem, metaaug).
#pragma once

#include "methodcatalog.h"

#include "common/field.h"
#include "common/result.h"
#include "recon/reconstruction.h"

#include <QtCore/QJsonObject>

namespace metaaug::methods {

struct UnitReport {
    QString unit;
    double firstLoss = 0, finalLoss = 0;  // mean rec. loss of the first / last 10 % of iterations
    double seconds = 0;
    std::map<QString, double> phaseSeconds;  // e.g. "meta", "reconstruction"
    std::map<QString, double> medianIterationMs;  // by phase, as above
    std::map<QString, double> metrics;            // method-specific, e.g. MetaAug's "t_change"
};

// The values a normalised image can take, per channel (one value: all
// channels): [(0 - mean)/std, (max - mean)/std], and std.
struct ValidRange {
    std::vector<double> low, high, std;
};

// The one context of a method's run: what every unit is reconstructed with
// (recon::RunContext: executor, units, quantized model, sink, start time)
// plus the calibration images, the run's settings and the method's outputs.
struct MethodContext : recon::RunContext {
    torch::Tensor calibImages;      // normalised [N, C, H, W]
    recon::ReconOptions recon;      // from the run spec (iterations, batch, lrs)
    QJsonObject options;            // the method's options, complete (resolveOptions())
    uint64_t seed = 0;              // the run's seed
    bool horizontalFlip = false;    // the model card allows mirrored images (augmentations)
    ValidRange validRange;          // of the normalised images (MetaAug's bounded T)
    // Outputs of the method beside the quantized model: a summary for the
    // run's result ("method_summary") and named binary artefacts stored with
    // the run (MetaAug's final T as "transform").
    QJsonObject summary;
    std::map<QString, QByteArray> artefacts;
};

// One run of a method, made by Method::start() before the first unit and
// destroyed with the run: it holds whatever the method carries from unit to
// unit (MetaAug's T, the FP logits), so no state hides in the context.
class MethodRun {
public:
    virtual ~MethodRun() = default;
    // Quantizes unit `b` (its cache built); must leave the unit fixed.
    virtual Result<UnitReport> quantizeUnit(MethodContext &ctx, int b, const recon::UnitCache &cache) = 0;
};

// What a method holds beyond the generic reconstruction iteration, for the
// memory plan (docs/performance.md, "The memory plan").
struct MethodWorkingSet {
    int64_t reconstructionBatch = 0;  // the largest batch a reconstruction iteration uses; 0: the run's
    int64_t bytes = 0;                // working memory of the method's own phase (MetaAug: a meta iteration)
    QString phase;                    // that phase, as the plan names it
};

class Method {
public:
    virtual ~Method() = default;
    virtual QString id() const = 0;
    virtual QString description() const = 0;
    // AdaRound is layer-wise; the others reconstruct blocks.
    virtual graph::PartitionRule partitionRule() const { return graph::PartitionRule::Auto; }
    // The method's options (its "method_options" keys) as a field table: the
    // CLI's flags, the GUI's form section and the schema come from it.
    // Default: none.
    virtual const FieldTable &options() const;
    // `options` checked against options() with defaults filled in, or an
    // error naming the offending key; checked before the run starts.
    virtual Result<QJsonObject> resolveOptions(const QJsonObject &options) const;
    // False for RTN: no cache, no optimisation.
    virtual bool reconstructs() const { return true; }
    // Copies of the calibration set the method's caches hold: MetaAug adds
    // T(x) beside every image (for the memory plan).
    virtual int calibrationCopies() const { return 1; }
    // Measured on `oneImage` (normalised [1, C, H, W]) with the complete
    // `options` and the run's reconstruction `batch`. Default: nothing beyond
    // the reconstruction iteration.
    virtual MethodWorkingSet workingSet(const QJsonObject &options, const graph::Executor &ex, const torch::Tensor &oneImage,
                                        int64_t batch) const
    {
        (void)options, (void)ex, (void)oneImage, (void)batch;
        return {};
    }
    // This method's run on `ctx`; an error stops the run before its first
    // unit. Default: a run that calls quantizeUnit() for every unit, for
    // methods that carry nothing from unit to unit.
    virtual Result<std::unique_ptr<MethodRun>> start(MethodContext &ctx) const;
    // Quantizes unit `b` for the default run; methods with their own
    // start() need not implement it (default: an Internal error).
    virtual Result<UnitReport> quantizeUnit(MethodContext &ctx, int b, const recon::UnitCache &cache) const;
};

// The registry (built-in methods, in the order shown to users).
const std::vector<const Method *> &allMethods();
const Method *findMethod(const QString &id);

// Genie-M's reconstruction pass (rounding, weight and activation steps,
// quantized activations) on top of the run's iterations, batch and lrs;
// geniem's only pass and MetaAug's phase A/B.
recon::ReconOptions geniemOptions(const recon::ReconOptions &base);

// Helper for methods that run one or more plain reconstruction passes.
Result<UnitReport> reconstructPasses(MethodContext &ctx, int b, const recon::UnitCache &cache,
                                     const std::vector<recon::ReconOptions> &passes);

// Registration by static object in each method's file.
struct MethodRegistration {
    explicit MethodRegistration(const Method *m);
};

}  // namespace metaaug::methods
