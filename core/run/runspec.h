// A run is data: the immutable specification of one quantization run, and
// its outcome.
#pragma once

#include "model/modelcard.h"
#include "quant/bitpolicy.h"

#include <QtCore/QJsonObject>

#include <optional>

namespace metaaug {

struct RunSpec {
    QString modelPath;                     // TorchScript file
    std::optional<ModelCard> card;         // overrides the card beside the model
    QString method = QStringLiteral("geniem");
    int wbits = 2;                         // 2..8
    int abits = 4;                         // 2..8
    quant::BitSetting setting = quant::BitSetting::QDrop;
    bool foldBatchNorm = true;
    QString calibSource = QStringLiteral("fashion-mnist:train");
    int64_t calibSize = 1024;
    QString evalSource = QStringLiteral("fashion-mnist:test");
    int64_t evalLimit = 0;                 // 0 = the whole evaluation set
    int iterations = 500;                  // R per unit
    int batch = 32;
    uint64_t seed = 0;
    int threads = 1;
    int probeEvery = 25;                   // per-layer probe samples every N iterations (0: off), see recon::LayerProbe
    QJsonObject methodOptions;             // method-specific (e.g. MetaAug's)

    // Every field, for the run store and --json (plus hashes added by the run);
    // "card" holds the override card's path when there is one.
    QJsonObject toJson() const;
    // The inverse of toJson(): missing keys keep their defaults; a value of
    // the wrong type or range is an error naming the key. The card override
    // is read from "card" (a path) when present.
    static Result<RunSpec> fromJson(const QJsonObject &json);
};

// Default R of `metaaug quantize`: keeps the default ResNet-20 run within a
// few minutes on a 2-core machine.
constexpr int kDefaultIterations = 500;

}  // namespace metaaug
