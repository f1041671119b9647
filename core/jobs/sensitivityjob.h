// SPDX-License-Identifier: GPL-3.0-or-later
// A sensitivity analysis as one recorded run (issue 20), shared by
// `metaaug sensitivity` and the workbench's Analysis tab: loads the spec's
// model and calibration images, measures every layer's and point's RTN
// sensitivity (analysis/sensitivity.h), and works out what the GUI draws
// from it: each layer's cost at the spec's uniform bits and the Pareto front
// of mean weight bits vs predicted KL. Recorded in the run store as a run of
// kind "sensitivity" (spec, identity, records). No LibTorch in this header.
#pragma once

#include "analysis/costs.h"
#include "analysis/sensitivityrecord.h"
#include "common/result.h"
#include "quant/layerbitsmap.h"
#include "store/runstore.h"

#include <functional>
#include <set>

namespace metaaug {

struct RunSpec;

// What the analysis measures, beside the spec.
// The measured images when SensitivitySettings::images is 0: as many as
// fit a compute budget, between 32 and 256. Each candidate runs the model
// from its layer's unit to the logits, on average half of it, so the cost
// per image is macsPerImage x (candidates / 2 + the whole-model views). The
// bundled 28x28 models get 256; ResNet-50 at 224 (4.1 GMAC, 376
// candidates) gets 32 instead of 256, which did not finish in 28 min here.
constexpr int64_t kSensitivityImagesMin = 32;
constexpr int64_t kSensitivityImagesMax = 256;
constexpr double kSensitivityMacBudget = 2e12;
int64_t autoSensitivityImages(double macsPerImage, int candidates);

struct SensitivitySettings {
    int64_t images = 0;       // held-out calibration images the effects are measured on; 0: autoSensitivityImages
    int64_t fitImages = 64;   // calibration images the activation grids are fitted on
    int64_t batch = 64;       // images per forward pass
    std::vector<int> weightBits{2, 3, 4, 8};
    std::vector<int> activationBits{2, 4, 8};

    QJsonObject toJson() const;  // the stored spec's "analysis"
};

// One allocation on the Pareto front (weight bits only; activations at the spec's abits).
struct FrontPoint {
    analysis::BudgetFigures figures;
    double predictedKl = 0;  // the sum of the chosen bits' per-layer effects
    quant::LayerBitsMap bits;  // every layer's weight bits (input bits 0: the spec's)
};

struct SensitivityStudy {
    int64_t runId = 0;  // 0: not recorded
    std::vector<analysis::SensitivityRecord> records;
    // Every layer at the spec's uniform bits with the policy applied (first
    // and last layers at 8 bits, the image FP), in graph order.
    std::vector<analysis::PlannedLayer> layers;
    std::set<QString> pinned;       // layers whose bits the policy fixes
    std::vector<FrontPoint> front;  // cheapest first
    QString modelSha256, calibHash;
    int64_t images = 0;  // the images measured on (the settings' count, or the automatic one)
    double seconds = 0;
    QStringList warnings;  // recording problems; the analysis itself went on
};

// `progress(done, total)` returning false cancels (ErrorCode::Aborted).
// `store` may be null; it must belong to the calling thread. The spec's
// method and bits give the policy and the plan the front starts from.
Result<SensitivityStudy> runSensitivityJob(const RunSpec &spec, const SensitivitySettings &settings, store::RunStore *store,
                                           const std::function<bool(int done, int total)> &progress = {});
// The stored form (a sensitivity run's result) and back; runId and warnings are not stored.
QJsonObject sensitivityResultJson(const SensitivityStudy &study);
Result<SensitivityStudy> sensitivityStudyFromJson(const QJsonObject &json);

// The same from a spec in RunSpec::toJson()'s form.
Result<SensitivityStudy> runSensitivityJob(const QJsonObject &spec, const SensitivitySettings &settings, store::RunStore *store,
                                           const std::function<bool(int done, int total)> &progress = {});

}  // namespace metaaug
