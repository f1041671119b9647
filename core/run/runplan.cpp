// SPDX-License-Identifier: GPL-3.0-or-later
#include "runplan.h"

#include "memoryplan.h"
#include "methods/method.h"
#include "model/model.h"
#include "recon/unitcache.h"
#include "runspec.h"

#include <QtCore/QDir>

namespace metaaug {

Result<int64_t> plannedPeakBytes(const RunSpec &spec, int64_t evalImages)
{
    try {
        const methods::Method *method = methods::findMethod(spec.method);
        if (!method)
            return makeError(ErrorCode::InvalidArgument, QStringLiteral("unknown method '%1'").arg(spec.method));
        auto model = loadSpecModel(spec);
        if (!model)
            return model.error();
        const PreprocessSpec &pre = model->card().preprocess;
        MemoryPlanInput in;
        in.executor = &model->executor();
        in.units = &model->partition().units;
        in.oneImage = torch::zeros({1, pre.channels, pre.height, pre.width});
        in.calibSize = spec.calibSize;
        in.evalImages = (spec.evalLimit > 0 ? spec.evalLimit : evalImages) + spec.calibSize;
        in.iterations = spec.iterations;
        in.batch = spec.batch;
        in.cacheCopies = method->calibrationCopies();
        in.reconstructs = method->reconstructs();
        in.cacheDtype = recon::cacheDtypeFromName(spec.cacheDtype);
        auto options = spec.validate();
        if (!options)
            return options.error();
        addMethodWorkingSet(in, *method, *options);
        // No availability limit: the caller compares the estimate with the machine.
        auto plan = planMemory(in, -1, QDir::tempPath());
        if (!plan)
            return plan.error();
        return plan->peakBytes;
    } catch (const std::exception &e) {
        return makeError(ErrorCode::Internal, QStringLiteral("planning a run of %1 failed: %2").arg(spec.modelPath, QString::fromUtf8(e.what())));
    }
}

}  // namespace metaaug
