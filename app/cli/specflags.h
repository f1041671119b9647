// SPDX-License-Identifier: GPL-3.0-or-later
// `metaaug quantize`'s run flags, built from core's tables: one flag per
// run-spec field (run/specfields.h) and per method option
// (Method::options()), with help, value names and defaults from the same
// entries core validates with.
#pragma once

#include "common/result.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QJsonObject>

namespace metaaug::cli {

void addSpecFlags(QCommandLineParser &parser);

// The spec keys the user gave as flags (method options under
// "method_options"), each checked against its field; an error names the
// flag and its value, or the method a method's flag needs.
Result<QJsonObject> specFromFlags(const QCommandLineParser &parser);

// Rewrites core's key names in an error ("run spec: \"wbits\"",
// "metaaug option inner") into the flags ("--wbits", "--inner").
QString withFlagNames(QString message);

}  // namespace metaaug::cli
