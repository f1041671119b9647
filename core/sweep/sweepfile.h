// SPDX-License-Identifier: GPL-3.0-or-later
// A sweep file (issue 21): a grid of runs over the run contract's fields.
//   {"name": "...", "base": {spec keys},
//    "axes": {"wbits": [2, 3, 4], "seed": [0, 1, 2], "method_options.inner": [5, 10]},
//    "arms": [{"label": "rtn", "method": "rtn"}, {"label": "metaaug", "method": "metaaug", ...}]}
// Every point is base, then one arm (a partial spec: how a study compares
// methods that take different options), then one value of every axis, with
// method_options merged key by key. Each point is validated as the engine
// would (RunSpec::fromJson): an invalid point is refused at expansion,
// naming the point and the field. No LibTorch in this header.
#pragma once

#include "common/result.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonObject>

#include <vector>

namespace metaaug::sweep {

struct SweepAxis {
    QString key;        // a spec field, or "method_options.<option>"
    QJsonArray values;  // at least one
};

struct SweepArm {
    QString label;      // shown in matrices; default "arm N"
    QJsonObject spec;   // a partial spec
};

struct SweepFile {
    QString name;
    QJsonObject base;
    std::vector<SweepAxis> axes;  // in key order
    std::vector<SweepArm> arms;   // none: one implicit arm, the base

    // Errors name the key at fault ("axes.wbits: must be a non-empty list").
    static Result<SweepFile> fromJson(const QJsonObject &json);
    // From a file; "model", "card", "calib" and "eval" paths relative to the
    // file's folder (that exist there) are made absolute.
    static Result<SweepFile> load(const QString &path);
    QJsonObject toJson() const;
};

struct SweepPoint {
    int index = 0;
    QJsonObject spec;    // complete: RunSpec::toJson() of the point
    QJsonObject coords;  // axis key -> value; "arm" -> label when the file has arms
};

// The most points one sweep may have.
constexpr int kMaxSweepPoints = 10000;

// Every point, arms outermost, then the axes in key order (the last fastest).
// A base without "model" runs the bundled default model, as quantize does.
Result<std::vector<SweepPoint>> expandSweep(const SweepFile &file);

}  // namespace metaaug::sweep
