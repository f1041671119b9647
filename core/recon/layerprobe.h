// SPDX-License-Identifier: GPL-3.0-or-later
// Per-layer error curves during a unit's reconstruction: on a fixed probe
// batch (the first images of the unit's cache) each layer of the unit is
// compared with FP (output MSE and SQNR), so a user sees which layer's error
// falls and which stalls. Sampling draws no random numbers and switches
// QDrop off for its forward, so a run gives the same model with or without it.
#pragma once

#include "reconstruction.h"

namespace metaaug::recon {

class LayerProbe {
public:
    // every <= 0 or batch <= 0: sample() does nothing.
    LayerProbe(const RunContext &ctx, int unit, const UnitCache &cache, int every, int batch);

    bool enabled() const { return m_every > 0 && !m_names.empty(); }
    bool due(int iteration) const { return enabled() && iteration % m_every == 0; }

    // Emits "probe_mse" and "probe_sqnr_db" per layer as LayerMetricEvents
    // with the unit and `iteration` (0 = before the first step).
    void sample(const RunContext &ctx, int iteration) const;

private:
    int m_every = 0;
    int m_unit = 0;
    std::vector<std::string> m_names;
    torch::Tensor m_xq;                          // quantized-prefix input of the probe images
    std::map<std::string, torch::Tensor> m_fp;   // FP outputs per layer on the FP input
};

}  // namespace metaaug::recon
