// SPDX-License-Identifier: GPL-3.0-or-later
// The run contract published as JSON Schema (draft 2020-12), from the same
// tables the engine validates with (specFields(), each Method::options(),
// runPresets()): for scripts and sweep files (`metaaug spec --json-schema`).
#pragma once

#include <QtCore/QJsonObject>

namespace metaaug {

// A run spec as RunSpec::fromJson accepts it: every field, "card",
// "method_options" constrained per method, and the keys a stored spec adds.
QJsonObject runSpecSchema();

}  // namespace metaaug
