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
