// What a bit plan costs (issue 20): the figures a budget is given in and a
// run reports. Weights only (biases stay FP and are not counted).
//  - weight_bits_avg: parameter-weighted mean weight bits over the quantized
//    layers, the first and last included;
//  - weight_bytes: the weights packed at their bits, each layer rounded up to
//    whole bytes;
//  - bops: bit-operations per image, MACs x weight bits x input bits, an FP
//    input (the image) counted at kFpBits.
#pragma once

#include "graph/executor.h"
#include "quant/bitpolicy.h"

#include <QtCore/QString>

namespace metaaug::analysis {

constexpr int kFpBits = 32;

struct LayerCost {
    int node = -1;
    QString name;
    int64_t parameters = 0;  // weights
    int64_t macs = 0;        // per image
};

// Every conv/linear layer in graph order, its MACs from one run of `oneImage`.
std::vector<LayerCost> layerCosts(const graph::Executor &executor, const torch::Tensor &oneImage);

struct BudgetFigures {
    double weightBitsAvg = 0;
    int64_t weightBytes = 0;
    double bops = 0;
};

// Packed bytes of `parameters` weights at `bits`.
int64_t packedBytes(int64_t parameters, int bits);
BudgetFigures budgetFigures(const graph::Executor &executor, const std::vector<LayerCost> &costs, const quant::BitPlan &plan);

}  // namespace metaaug::analysis
