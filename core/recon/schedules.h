// SPDX-License-Identifier: GPL-3.0-or-later
// Schedules of the reconstruction loss and learning rates.
#pragma once

#include <optional>

namespace metaaug::recon {

// AdaRound's beta: none during the warm-up fraction of `total` iterations
// (no rounding term), then linear from `start` to `end`.
std::optional<double> roundingBeta(int iteration, int total, double warmup = 0.2, double start = 20.0, double end = 2.0);

// Cosine annealing from lr0 at iteration 0 to 0 at `total`.
double cosineLr(double lr0, int iteration, int total);

}  // namespace metaaug::recon
