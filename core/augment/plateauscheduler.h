// SPDX-License-Identifier: GPL-3.0-or-later
// ReduceLROnPlateau as PyTorch defines it (mode "min", relative threshold
// 1e-4, no cooldown): LibTorch 1.13 has no such scheduler.
#pragma once

#include <torch/optim/optimizer.h>

namespace metaaug::augment {

class PlateauScheduler {
public:
    PlateauScheduler(torch::optim::Optimizer &optimizer, int patience, double factor, double threshold = 1e-4,
                     double minLr = 0.0);
    // Records a value of the monitored loss; multiplies every group's lr by
    // `factor` after more than `patience` steps without improvement.
    void step(double value);
    double lr() const;  // the first group's

private:
    torch::optim::Optimizer &m_opt;
    int m_patience;
    double m_factor, m_threshold, m_minLr;
    double m_best = std::numeric_limits<double>::infinity();
    int m_bad = 0;
};

}  // namespace metaaug::augment
