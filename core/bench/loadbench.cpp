// SPDX-License-Identifier: GPL-3.0-or-later
#include "loadbench.h"

#include "common/median.h"
#include "common/runtime.h"
#include "model/model.h"

#include <sys/resource.h>

#include <chrono>

namespace metaaug {

Result<LoadBenchResult> benchModelLoad(const QString &path, const std::optional<ModelCard> &card, int repetitions,
                                       std::optional<sandbox::LoadIsolation> only)
{
    using sandbox::LoadIsolation;
    std::vector<LoadIsolation> modes;
    if (only)
        modes = {*only};
    else
        modes = {LoadIsolation::Helper, LoadIsolation::InProcess};
    std::vector<double> helper, local;
    for (int i = 0; i < repetitions; ++i)
        for (LoadIsolation mode : modes) {
            ModelLoadOptions options;
            options.card = card;
            sandbox::setDefaultIsolation(mode);
            const auto start = std::chrono::steady_clock::now();
            auto model = Model::load(path, options);
            const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
            if (!model)
                return model.error();
            (mode == LoadIsolation::Helper ? helper : local).push_back(ms);
        }
    sandbox::setDefaultIsolation(LoadIsolation::Helper);
    LoadBenchResult r;
    r.helperMs = helper.empty() ? 0 : median(helper);
    r.inProcessMs = local.empty() ? 0 : median(local);
    r.repetitions = repetitions;
    r.peakBytes = peakResidentBytes();
    struct rusage children {};
    if (::getrusage(RUSAGE_CHILDREN, &children) == 0)
        r.helperPeakBytes = int64_t(children.ru_maxrss) * 1024;
    return r;
}

}  // namespace metaaug
