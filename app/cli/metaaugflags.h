// `metaaug quantize --method metaaug` flags: each maps to a key of the run
// spec's method options; core validates the values (MetaAugOptions).
#pragma once

#include <QtCore/QCommandLineParser>
#include <QtCore/QJsonObject>

namespace metaaug::cli {

void addMetaAugFlags(QCommandLineParser &parser);

// The method options from the flags given; `anySet` tells whether any was.
QJsonObject metaAugOptionsFromFlags(const QCommandLineParser &parser, bool *anySet);

// Rewrites core's "metaaug option <key>" in an error into "--<flag>".
QString withFlagNames(QString message);

}  // namespace metaaug::cli
