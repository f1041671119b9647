// SPDX-License-Identifier: GPL-3.0-or-later
// What a bit plan costs (issue 20): the figures a budget is given in and a
// run reports. Weights only (biases stay FP and are not counted).
//  - weight_bits_avg: parameter-weighted mean weight bits over the quantized
//    layers, the first and last included;
//  - weight_bytes: the weights packed at their bits, each layer rounded up to
//    whole bytes;
//  - bops: bit-operations per image, MACs x weight bits x input bits, an FP
//    input (the image) counted at kFpBits.
// No LibTorch in this header: the GUI's bit editor computes the same figures
// live (budget.h has the executor's side).
#pragma once

#include <QtCore/QString>

#include <vector>

namespace metaaug::analysis {

constexpr int kFpBits = 32;

struct LayerCost {
    int node = -1;
    QString name;
    int64_t parameters = 0;  // weights
    int64_t macs = 0;        // per image
};

// One layer with the bits a plan gives it.
struct PlannedLayer {
    LayerCost cost;
    int weightBits = 0;
    int inputBits = 0;  // 0: the input stays FP (counted at kFpBits)
    int inputPoint = -1;  // the activation point it reads (layers reading one point share its bits); -1: none
};

struct BudgetFigures {
    double weightBitsAvg = 0;
    int64_t weightBytes = 0;
    double bops = 0;
};

// Packed bytes of `parameters` weights at `bits`.
int64_t packedBytes(int64_t parameters, int bits);
BudgetFigures budgetFigures(const std::vector<PlannedLayer> &layers);

}  // namespace metaaug::analysis
