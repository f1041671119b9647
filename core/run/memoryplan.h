// SPDX-License-Identifier: GPL-3.0-or-later
// What a run will hold in memory and on disk, and roughly how long each
// phase takes: decided and printed before the run (docs/algorithms.md,
// "Memory"). Activation caches larger than the cache budget go to unlinked
// files in the temporary folder; whole-set passes (cache building, the
// activation fit, evaluation) run in batches sized from the input, not a
// fixed 256.
#pragma once

#include "common/result.h"
#include "graph/executor.h"
#include "recon/rowstore.h"

#include <QtCore/QStringList>

namespace metaaug {
namespace methods {
class Method;
}

// Caches may hold this much memory unless $METAAUG_CACHE_BUDGET_MB says
// otherwise: a laptop's share, so 224x224 runs do not crowd out the rest.
constexpr int64_t kDefaultCacheBudgetMb = 2048;
// Working memory of one batch of a whole-set pass: its largest activation
// times the batch stays under this (28x28 models keep their batch of 256).
constexpr int64_t kWholeSetBatchBytes = 128ll << 20;
constexpr int64_t kMaxWholeSetBatch = 256;

struct MemoryPlanInput {
    const graph::Executor *executor = nullptr;
    const std::vector<graph::Unit> *units = nullptr;
    torch::Tensor oneImage;         // [1, C, H, W], normalised
    int64_t calibSize = 0;
    int64_t evalImages = 0;
    int64_t iterations = 0, batch = 32;  // per unit
    int cacheCopies = 1;            // 2 when a method adds an augmented copy of every image (MetaAug)
    bool reconstructs = true;
    torch::ScalarType cacheDtype = torch::kFloat;
    // The method's own phase (Method::workingSet): its working memory and
    // name, and the largest batch its reconstruction uses (0: `batch`).
    int64_t methodBytes = 0;
    QString methodPhase;
    int64_t reconstructionBatch = 0;
};

struct MemoryPlan {
    int64_t residentBytes = 0;      // this process when the plan is made: libraries, model, data, the images read
    int64_t imagesBytes = 0;        // calibration images, float32, held once
    int64_t cacheBytes = 0;         // largest unit cache (both copies), at the cache dtype
    int64_t cacheBudgetBytes = 0;
    bool cacheOnDisk = false;
    int64_t diskBytes = 0;          // peak disk use: this unit's cache and the previous unit's
    int64_t wholeSetBatch = kMaxWholeSetBatch;
    int64_t batchBytes = 0;         // working memory of a whole-set batch (estimate)
    int64_t iterationBytes = 0;     // working memory of a reconstruction iteration (estimate)
    int64_t methodBytes = 0;        // working memory of the method's own phase (MetaAug's meta iteration)
    QString methodPhase;
    int64_t peakBytes = 0;          // resident estimate: images + caches in memory + the larger working set
    double forwardMsPerImage = 0;   // measured FP forward of one image
    double cacheSeconds = 0, reconSeconds = 0, evalSeconds = 0;  // rough, from the forward time
    recon::CachePolicy policy;

    // The plan as printed before a run: one line per phase.
    QStringList lines() const;
};

// Fills in's method fields from method.workingSet(options, ...) (after
// executor, oneImage and batch are set).
void addMethodWorkingSet(MemoryPlanInput &in, const methods::Method &method, const QJsonObject &options);

// Plans a run; `available` is the memory the machine can give (bytes, -1
// unknown) and `cacheDir` where cache files go. Refuses, naming the figure
// and the fix, when even with caches on disk the run cannot fit, or the
// disk cannot take the caches.
Result<MemoryPlan> planMemory(const MemoryPlanInput &in, int64_t available, const QString &cacheDir);

}  // namespace metaaug
