// SPDX-License-Identifier: GPL-3.0-or-later
// A run is data: the immutable specification of one quantization run, and
// its outcome.
#pragma once

#include "common/runtime.h"
#include "model/modelcard.h"
#include "quant/bitpolicy.h"

#include <QtCore/QJsonObject>

#include <optional>

namespace metaaug {

// Defaults, ranges and help of every field: run/specfields.cpp (one table).
struct RunSpec {
    QString modelPath;                     // TorchScript file
    std::optional<ModelCard> card;         // overrides the card beside the model
    QString method = QStringLiteral("geniem");
    int wbits = 2;                         // quant::kMinBits..kMaxBits
    int abits = 4;
    quant::BitSetting setting = quant::BitSetting::QDrop;
    QString layerBits;                     // per-layer overrides, quant/layerbits.h text (empty: none)
    QString bits = QStringLiteral("uniform");  // "auto": per-layer bits from a sensitivity analysis, within one budget
    int64_t weightBudget = 0;              // bytes of packed weights (auto; 0: not given)
    double avgWbits = 0;                   // parameter-weighted mean weight bits (auto; 0: not given)
    double bopsBudget = 0;                 // bit-operations per image (auto; 0: not given)
    bool foldBatchNorm = true;
    QString calibSource = QStringLiteral("fashion-mnist:train");
    int64_t calibSize = 1024;
    QString evalSource = QStringLiteral("fashion-mnist:test");
    int64_t evalLimit = 0;                 // 0 = the whole evaluation set
    int iterations = 500;                  // R per unit (kDefaultIterations)
    int batch = 32;
    uint64_t seed = 0;
    int threads = physicalCores();        // fixed per machine, recorded: results depend on it
    int probeEvery = 25;                   // per-layer probe samples every N iterations (0: off), see recon::LayerProbe
    QString cacheDtype = QStringLiteral("float32");  // activation caches: recon::cacheDtypeNames()
    QJsonObject methodOptions;             // method-specific (e.g. MetaAug's)

    // Every field of specFields(), "method_options" and "engine_version", for
    // the run store and --json; "card" holds the override card's path when
    // there is one.
    QJsonObject toJson() const;
    // The inverse of toJson(): missing keys keep their defaults; an unknown
    // key, or a value of the wrong type or range, is an error naming the key.
    // Then validate(). The card override is read from "card" (a path).
    static Result<RunSpec> fromJson(const QJsonObject &json);
    // The one check every entry point runs (fromJson, the engine, the
    // front ends): each field against its table entry, a known method, an
    // iteration count the method can use, and the method's options. Returns
    // those options complete (defaults filled in).
    Result<QJsonObject> validate() const;
};

class Model;
// The spec's model loaded as its run loads it: the spec's card (else the one
// beside the model), BatchNorm folding, the method's partition rule.
Result<Model> loadSpecModel(const RunSpec &spec);

// `base` with `patch`'s keys set over it; "method_options" are merged option
// by option (a sweep's arms and axes, flags over a spec file).
QJsonObject mergeSpecJson(QJsonObject base, const QJsonObject &patch);

// Default R of `metaaug quantize`: keeps the default ResNet-20 run within a
// few minutes on a 2-core machine.
constexpr int kDefaultIterations = 500;

}  // namespace metaaug
