// SPDX-License-Identifier: GPL-3.0-or-later
// The error-propagation table and the diagnosis as a run stores them
// (propagation.h computes them); no LibTorch here, so the GUI reads them.
#pragma once

#include <QtCore/QJsonArray>
#include <QtCore/QString>

#include <optional>
#include <vector>

namespace metaaug::analysis {

struct LayerPropagation {
    QString layer;
    // SQNR in dB (nullopt: exact, +inf); MSE; cosine of the flattened outputs.
    std::optional<double> localDb, localWeightDb, localActivationDb, inputDb, outputDb;
    // dropDb: input − output SQNR, how much SQNR falls across the layer
    // (none where the input is exact). injectedDb: the noise the layer adds,
    // relative to the signal, 10 log10(N_out/S_out − N_in/S_in): comparable
    // between a layer on a clean input and one deep in the network, so the
    // table ranks by it (none when the layer adds none).
    std::optional<double> dropDb, injectedDb;
    double localMse = 0, outputMse = 0, outputCosine = 1;
};

// A finding of the diagnosis: the check, the layer it names, what was seen,
// and the experiment it suggests (the fallback ledger carries it out).
struct Finding {
    QString check;       // "outlier_channel", "scale_mismatch", "signed_into_unsigned", "dead_channels", "low_bit_end", "calibration_mismatch"
    QString layer;       // the layer at fault (for an outlier channel: the producing layer)
    int channel = -1;    // the channel at fault, where one is
    double value = 0;    // the figure that tripped it (a ratio, a share)
    QString detail;      // one sentence for people
    QString experiment;  // the one-click experiment, as words
};

struct Propagation {
    std::vector<LayerPropagation> layers;  // in execution order
    std::vector<Finding> findings;
};

// The rows by injected dB, largest first; rows without a figure last, in
// execution order: how the CLI, the report and the GUI rank the table.
std::vector<LayerPropagation> rankedByInjected(std::vector<LayerPropagation> rows);

// The table and findings as stored with a run ("propagation" / "diagnosis").
QJsonArray propagationJson(const std::vector<LayerPropagation> &layers);
std::vector<LayerPropagation> propagationFromJson(const QJsonArray &json);
QJsonArray findingsJson(const std::vector<Finding> &findings);
std::vector<Finding> findingsFromJson(const QJsonArray &json);

}  // namespace metaaug::analysis
