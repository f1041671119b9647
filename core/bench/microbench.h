// SPDX-License-Identifier: GPL-3.0-or-later
// Micro-benchmark of the two kernels whose speed depends on machine-level
// settings (BLAS choice, malloc thresholds): see docs/performance.md,
// "Two machine-level settings".
#pragma once

#include <QtCore/QString>

namespace metaaug {

struct MicroBenchResult {
    double convForwardMs = 0;     // median, 3x3 conv 16->16, 28x28, batch 32
    double convForwardBackwardMs = 0;
    double matmulMs = 0;          // median, 512x512 float matmul
    int threads = 1;
    bool mallocTuned = false;
    QString blas;                 // the libblas.so.3 LibTorch resolved
};

MicroBenchResult runMicroBench(int repetitions = 30);

}  // namespace metaaug
