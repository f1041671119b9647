// SPDX-License-Identifier: GPL-3.0-or-later
// The registered quantization methods by id, for front ends (the CLI's
// --method list, the GUI's method box). No LibTorch in this header.
#pragma once

#include "common/field.h"

#include <QtCore/QStringList>

#include <cstdint>

namespace metaaug::methods {

// Registered ids in registry order: rtn, adaround, brecq, qdrop, geniem, metaaug.
QStringList methodIds();
// One line saying what the method does; empty for an unknown id.
QString methodDescription(const QString &id);
// The method's option table (Method::options()); empty for an unknown id
// and for methods without options.
const FieldTable &methodOptionFields(const QString &id);
// A method that reconstructs (all but rtn) learns by gradient steps; a run
// of 0 iterations would store their untrained initialisation under their
// name: the reason to refuse ("needs at least 1 iteration: ..."), naming the
// method, or empty when fine.
QString iterationsProblem(const QString &id, int64_t iterations);

}  // namespace metaaug::methods
