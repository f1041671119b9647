// SPDX-License-Identifier: GPL-3.0-or-later
// One measured effect of the sensitivity analysis (issue 20): what quantizing
// one layer's weight, one activation point, or the whole model's weights or
// activations at a bit-width does to the output. No LibTorch in this header:
// the GUI's Analysis tab and the run store read records too.
#pragma once

#include "common/result.h"

#include <QtCore/QJsonObject>

#include <optional>
#include <vector>

namespace metaaug::analysis {

enum class SensitivityKind {
    Weight,          // one layer's weight at `bits`
    Activation,      // one activation point (a conv/linear input) at `bits`
    ModelWeights,    // every layer's weight at `bits`, activations FP
    ModelActivations // every activation point at `bits`, weights FP
};
const char *sensitivityKindName(SensitivityKind k);
std::optional<SensitivityKind> sensitivityKindFromName(const QString &name);

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

// The inverse of toJson(); errors name the record's key at fault.
Result<SensitivityRecord> sensitivityRecordFromJson(const QJsonObject &json);

}  // namespace metaaug::analysis
