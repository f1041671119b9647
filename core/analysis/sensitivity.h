// Per-layer sensitivity (issue 20): how much the model's output moves when
// one layer's weight, or one activation point, alone is quantized with RTN
// at a candidate bit-width while everything else stays FP. Plus the two
// whole-model views (all weights at b, activations FP; all activations at b,
// weights FP). The records feed the bit allocation (allocation.h) and the
// GUI's sensitivity chart.
#pragma once

#include "common/result.h"
#include "graph/executor.h"

#include <QtCore/QJsonObject>

#include <functional>
#include <memory>

namespace metaaug::analysis {

enum class SensitivityKind {
    Weight,          // one layer's weight at `bits`
    Activation,      // one activation point (a conv/linear input) at `bits`
    ModelWeights,    // every layer's weight at `bits`, activations FP
    ModelActivations // every activation point at `bits`, weights FP
};
const char *sensitivityKindName(SensitivityKind k);

struct SensitivityRecord {
    SensitivityKind kind = SensitivityKind::Weight;
    QString target;         // layer (Weight), point = its first consumer (Activation), "model"
    int bits = 0;
    double kl = 0;          // mean KL(softmax FP || softmax quantized) over the measured images, nats
    double agreement = 0;   // percent of measured images whose top-1 class is unchanged
    double sqnrDb = 0;      // the target layer's output (the point's first consumer; the logits for model views); +inf: exact
    int64_t parameters = 0; // Weight: the layer's weights; Activation: the point's consumers' weights
    int64_t macs = 0;       // per image, of the layer (Weight) or the point's consumers (Activation)

    QJsonObject toJson() const;
};

struct SensitivityOptions {
    std::vector<int> weightBits{2, 3, 4, 8};
    std::vector<int> activationBits{2, 4, 8};
    int64_t batch = 64;                               // images per forward pass
    std::function<bool(int done, int total)> progress; // false: stop (cancel)
};

// `fit`: images the activation grids are fitted on (one batch); `measure`:
// the held-out images the effects are measured on. Each candidate runs from
// its layer's unit onwards on FP unit inputs computed once, unit by unit.
// Records come unit by unit in graph order, then the model views.
Result<std::vector<SensitivityRecord>> analyzeSensitivity(const std::shared_ptr<const graph::Executor> &executor,
                                                          const std::vector<graph::Unit> &units,
                                                          const torch::Tensor &fit, const torch::Tensor &measure,
                                                          const SensitivityOptions &options = {});

}  // namespace metaaug::analysis
