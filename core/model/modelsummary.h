// SPDX-License-Identifier: GPL-3.0-or-later
// A model described for display (the GUI's model panel): its units and
// layers with shapes and parameter counts. No LibTorch in this header.
#pragma once

#include "common/result.h"

#include <QtCore/QStringList>

#include <vector>

namespace metaaug {

struct LayerSummary {
    QString name;         // "layer1.0.conv1"
    QString op;           // "conv2d", "linear"
    QString weightShape;  // "16x16x3x3"
    QString outputShape;  // per image: "16x28x28"
    int64_t parameters = 0;  // weight + bias
};

struct UnitSummary {
    QString name;
    QString inputShape, outputShape;  // per image
    std::vector<LayerSummary> layers;
};

struct ModelSummary {
    QString path, sha256, cardName;
    QString inputShape;        // per image, "1x28x28"
    QStringList classNames;    // from the card; may be empty
    int classes = 0;           // the logits' width, from the model
    double fpTestTop1 = -1;    // from the card, percent; -1 when unknown
    int nodes = 0;
    int64_t parameters = 0;    // of all conv/linear layers
    QString partitionRule;
    QString softmaxHead;       // "softmax"/"log_softmax" when the file ends in one (logits are read before it)
    std::vector<UnitSummary> units;
};

// Loads the model as a run would (card beside it, BN folded) and runs one
// zero image through it for the shapes. Errors name the file, and for an
// unsupported graph the op and module; library exceptions are caught.
// `cardPath`: a card file to use instead of the one beside the model.
Result<ModelSummary> summarizeModel(const QString &path, const QString &cardPath = {});

// Reads the model file through the sandboxed loader before anything asks
// for its card: the error names the file when it is no model the engine can
// read (a text file named .onnx, a truncated file). On success, the input
// shape [C, H, W] the file declares (an ONNX input with fixed dimensions),
// for a card dialog to start from; empty when it declares none.
Result<std::vector<int64_t>> checkModelFile(const QString &path);

}  // namespace metaaug
