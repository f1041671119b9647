// The registered quantization methods by id, for front ends (the CLI's
// --method list, the GUI's method box). No LibTorch in this header.
#pragma once

#include <QtCore/QStringList>

namespace metaaug::methods {

// Registered ids in registry order: rtn, adaround, brecq, qdrop, geniem, metaaug.
QStringList methodIds();
// One line saying what the method does; empty for an unknown id.
QString methodDescription(const QString &id);

}  // namespace metaaug::methods
