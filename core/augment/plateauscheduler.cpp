// SPDX-License-Identifier: GPL-3.0-or-later
#include "plateauscheduler.h"

#include <torch/optim/adam.h>

namespace metaaug::augment {

PlateauScheduler::PlateauScheduler(torch::optim::Optimizer &optimizer, int patience, double factor, double threshold,
                                   double minLr)
    : m_opt(optimizer), m_patience(patience), m_factor(factor), m_threshold(threshold), m_minLr(minLr)
{
}

void PlateauScheduler::step(double value)
{
    if (value < m_best * (1.0 - m_threshold)) {
        m_best = value;
        m_bad = 0;
        return;
    }
    if (++m_bad <= m_patience)
        return;
    for (auto &group : m_opt.param_groups())
        group.options().set_lr(std::max(m_minLr, group.options().get_lr() * m_factor));
    m_bad = 0;
}

double PlateauScheduler::lr() const
{
    return m_opt.param_groups().empty() ? 0.0 : m_opt.param_groups().front().options().get_lr();
}

}  // namespace metaaug::augment
