// SPDX-License-Identifier: GPL-3.0-or-later
// Block reconstruction (docs/algorithms.md, "Reconstruction"): R iterations of the unit's loss
// (channel-summed squared error to the FP output + annealed rounding
// regulariser) with Adam parameter groups, then the unit is fixed.
#pragma once

#include "common/result.h"
#include "events/runsink.h"
#include "unitcache.h"

#include <chrono>

namespace metaaug::recon {

struct ReconOptions {
    int iterations = 1000;        // R (the public code uses 20 000)
    int batch = 32;
    double lrRounding = 1e-3;     // V, constant
    double lrWeightStep = 1e-4;   // weight steps, cosine to 0
    double lrActStep = 4e-5;      // activation steps, cosine to 0
    double roundingWeight = 1.0;  // lambda of the rounding term (code: 1.0; papers: 0.01)
    double warmup = 0.2;
    double betaStart = 20.0, betaEnd = 2.0;
    bool learnRounding = true;    // AdaRound logits V
    bool learnWeightStep = false; // Genie-M
    bool learnActStep = true;     // LSQ
    bool quantizeActivations = true;  // inside the unit during reconstruction
    double qdropProb = 0.5;       // 0: input is x_q and no drop inside (BRECQ)
    int probeEvery = 25;          // per-layer error on a probe batch every N iterations (0: off), see LayerProbe
    int probeBatch = 32;
};

struct ReconStats {
    int iterations = 0;
    double firstLoss = 0;   // mean reconstruction loss over the first 10 % of iterations
    double lastLoss = 0;    // ... and over the last 10 %
    double seconds = 0;
    double medianIterationMs = 0;  // one forward + backward + Adam step
};

// What every unit of a run is reconstructed with: the model's executor
// and units, the quantized model being fitted, the sink and the run's
// start (for elapsed times). methods::MethodContext extends it.
struct RunContext {
    const graph::Executor &executor;
    const std::vector<graph::Unit> &units;
    quant::QuantizedModel &qmodel;
    RunSink &sink;
    std::chrono::steady_clock::time_point runStart;
    CachePolicy cachePolicy = {};  // where and at what precision activation caches are kept
    int64_t wholeSetBatch = 256;   // images per batch of a pass over the whole calibration set
};

// Runs the loop on the cache; leaves the unit's layers hard-rounded (or
// RTN) and its steps fixed. NaN/Inf loss: ErrorCode::Internal naming the
// unit and iteration, and the unit is left at its initial quantization.
// sink.shouldAbort(): ErrorCode::Aborted.
Result<ReconStats> reconstructUnit(const RunContext &ctx, int unit, const UnitCache &cache, const ReconOptions &options,
                                   RunPhase phase = RunPhase::Reconstruction);

// Prepares the unit's quantizers for training with `options` (AdaRound
// logits, learnable steps) and returns them grouped as Adam wants them:
// {rounding logits, weight steps, activation steps}.
struct UnitParameters {
    std::vector<torch::Tensor> rounding, weightSteps, actSteps;
};
UnitParameters prepareUnit(quant::QuantizedModel &qmodel, const graph::Unit &unit, const ReconOptions &options);

// Fixes the unit: hard rounding, steps detached, activation quantizers on.
void fixUnit(quant::QuantizedModel &qmodel, const graph::Unit &unit);

// sum of the rounding regularisers of the unit's layers at beta
torch::Tensor unitRoundingLoss(const quant::QuantizedModel &qmodel, const graph::Unit &unit, double beta);

// mean over batch of sum over dim 1 of (out - target)^2
torch::Tensor reconstructionLoss(const torch::Tensor &out, const torch::Tensor &target);

}  // namespace metaaug::recon
