// Every numeric tolerance the tests use, named once.
#pragma once

namespace metaaug::test {

// A bundled model's measured top-1 vs the value on its card (percentage points).
constexpr double kCardTop1TolerancePt = 0.1;

}  // namespace metaaug::test
