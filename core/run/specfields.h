// SPDX-License-Identifier: GPL-3.0-or-later
// The run spec's fields, described once (common/field.h): RunSpec's JSON,
// validation, the CLI's quantize flags and --help, the GUI's run-setup form
// and the published schema (run/specschema.h) all come from this table.
// "method_options" is not a field of its own: each method's table
// (Method::options()) describes it.
#pragma once

#include "common/field.h"

namespace metaaug {

struct RunSpec;

struct SpecField {
    Field field;
    QStringList methods;  // the methods it applies to; empty: every method
    QJsonValue (*get)(const RunSpec &) = nullptr;
    void (*set)(RunSpec &, const QJsonValue &) = nullptr;  // with a value field.problem() accepted
};

const std::vector<SpecField> &specFields();
const SpecField *findSpecField(const QString &key);
// The fields alone, for checkFields() and front ends.
const FieldTable &specFieldTable();

// Keys the run adds to the stored spec beside the fields (hashes, version):
// accepted when a stored spec is read back, never set by a user.
const QStringList &specRecordKeys();

}  // namespace metaaug
