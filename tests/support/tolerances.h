// SPDX-License-Identifier: GPL-3.0-or-later
// Every numeric tolerance the tests use, named once.
#pragma once

namespace metaaug::test {

// A bundled model's measured top-1 vs the value on its card (percentage points).
constexpr double kCardTop1TolerancePt = 0.1;

}  // namespace metaaug::test

namespace metaaug::test {

// Engine vs TorchScript forward: max |diff| <= this * max(1, max |output|).
constexpr double kEngineRelTolerance = 1e-4;

}  // namespace metaaug::test

namespace metaaug::test {

// rtn W8A8 may lose at most this much test top-1 against FP (percentage points).
constexpr double kRtnW8A8MaxDropPt = 0.5;
// Reconstruction cache of 1024 images of torchvision resnet18's largest unit.
constexpr double kResnet18CacheLimitBytes = 4.0 * 1024 * 1024 * 1024;

}  // namespace metaaug::test

namespace metaaug::test {

// MetaAug hypergradient: autograd vs central finite differences (double), relative.
constexpr double kHypergradientRelTolerance = 1e-3;
// Step of those finite differences.
constexpr double kFiniteDifferenceStep = 1e-6;
// KL / margin / PKT vs the hand computation (double).
constexpr double kMetaLossAbsTolerance = 1e-10;

}  // namespace metaaug::test

namespace metaaug::test {

// Fused LSQ kernel vs the composite: step gradient (a sum over the tensor,
// summed in another order), relative.
constexpr double kFusedStepGradRelTolerance = 1e-4;

}  // namespace metaaug::test

namespace metaaug::test {

// ... and the input gradient (g * s / s in the composite), relative.
constexpr double kFusedInputGradRelTolerance = 1e-6;

}  // namespace metaaug::test

namespace metaaug::test {

// A layer's last probe SQNR sample vs its final output SQNR on the same
// images (same model state; float32 forwards in a different grouping), dB.
constexpr double kProbeSqnrToleranceDb = 1e-3;

}  // namespace metaaug::test

namespace metaaug::test {

// Exported TorchScript vs the engine with the same quantized state: max
// |logit diff| <= this * max(1, max |logit|) (same float32 ops, other grouping).
constexpr double kExportLogitTolerance = 1e-5;

// An ONNX QDQ export run in ONNX Runtime vs the engine with the same
// quantized state (relative to max(1, max |output|)); measured 1.5e-8 on
// tiny_modern W4A4 (float32 ops in another order), so 1e-4 leaves room for a
// value at a step boundary rounding the other way, not for a wrong op.
constexpr double kQdqRuntimeRelTolerance = 1e-4;

}  // namespace metaaug::test

namespace metaaug::test {

// Peak RSS growth while a 30000x30000 PNG header is refused: decoding it
// would take ~900 MiB, reading its header nothing measurable (KiB).
constexpr long kBombRefusalMaxRssGrowthKiB = 64 * 1024;

}  // namespace metaaug::test

namespace metaaug::test {

// T's warm-up stops once MSE(T(x), x) is within this share of eps (its own
// default stop criterion, WarmupOptions::tolerance).
constexpr double kWarmupEpsShare = 0.25;
// The random-augmentation control's per-image MSE vs its budget eps (relative;
// the noise is made orthogonal to the shift, so only float rounding remains).
constexpr double kRandomAugmentBudgetRel = 1e-3;
// Mean weight bits of one allocation computed twice (the GUI's bit editor and
// the engine's plan): the same sums in another order, so only double rounding.
constexpr double kBudgetFigureRelTolerance = 1e-9;

}  // namespace metaaug::test

namespace metaaug::test {

// Per-layer output SQNR measured in one pass vs summed over chunks of
// images (float32 sums in another grouping), dB.
constexpr double kChunkedSqnrToleranceDb = 1e-3;

}  // namespace metaaug::test

namespace metaaug::test {

// Peak RSS growth allowed for a preview, a 64-image sample or a streamed
// 2048-image evaluation of the built-in data at 3x224x224 (it was ~9 GB).
constexpr long long kDataMemoryMaxGrowthBytes = 1LL << 30;

}  // namespace metaaug::test

namespace metaaug::test {

// Fused activation-grid search vs the composite (torch ops, pow): where the
// chosen steps differ, the composite's error at the fused choice may exceed
// its own minimum by at most this much, relative (a near tie).
constexpr double kActivationSearchTieRelTolerance = 1e-5;

}  // namespace metaaug::test

namespace metaaug::test {

// A planted outlier channel (x50 before a ReLU, 1/50 after it) leaves the
// FP logits equal up to float rounding: max |diff| <= this * max(1, max |logit|).
constexpr double kPlantedFpRelTolerance = 1e-4;

}  // namespace metaaug::test
