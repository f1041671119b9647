// SPDX-License-Identifier: GPL-3.0-or-later
// One described value of a contract (a run-spec field or a method option):
// its JSON key, CLI flag, label, help, type, range or choices and default.
// Front ends build their flags, forms and help from tables of these, and
// core validates JSON with the same entries, so a range or default is
// written once. The published JSON Schema comes from schema().
#pragma once

#include "common/result.h"

#include <QtCore/QJsonObject>
#include <QtCore/QJsonValue>
#include <QtCore/QStringList>

#include <vector>

namespace metaaug {

enum class FieldType {
    Integer,  // whole number in [minimum, maximum]; with bigInteger also as a decimal string (64-bit seeds)
    Number,   // real number in [minimum, maximum]
    Boolean,
    Choice,   // one of choices
    Text,     // free text; with pattern, matching it (patternHelp says what it wants)
};

struct Field {
    QString key;            // JSON key
    QString flag;           // CLI flag without "--"; empty when the CLI has no flag of its own for it
    QString label;          // form label
    QString help;           // what it does; describe() adds the default and range
    FieldType type = FieldType::Integer;
    QJsonValue defaultValue;
    double minimum = 0, maximum = 0;  // Integer, Number
    QStringList choices;              // Choice
    QString pattern;                  // Text: a regular expression the whole text must match
    QString patternHelp;              // Text: "warmup, none or file:PATH"
    bool bigInteger = false;          // Integer: 64-bit, written as a decimal string in JSON
    bool negatedFlag = false;         // Boolean defaulting to true: the CLI flag is "--no-<flag>" and sets false
    bool inForm = true;               // the GUI's run-setup form shows it (model and data come from their panels)

    // Why `v` is not acceptable ("must be a whole number from 2 to 8"), or
    // an empty string when it is.
    QString problem(const QJsonValue &v) const;
    // A CLI or form text as this field's JSON value; the error is the reason,
    // for the caller to prefix with the flag or key.
    Result<QJsonValue> parse(const QString &text) const;
    // The help with the default and the accepted values, for --help and tooltips.
    QString describe() const;
    // This field as a JSON Schema (draft 2020-12) property.
    QJsonObject schema() const;
    // The default as display text ("1e-3", "sgd", "off").
    QString defaultText() const;
};

using FieldTable = std::vector<Field>;

const Field *findField(const FieldTable &table, const QString &key);

// Checks `json` against `table`: an unknown key or a bad value is an
// InvalidArgument error "<what> <key> must ..." (e.g. what = "metaaug option").
Result<void> checkFields(const FieldTable &table, const QJsonObject &json, const QString &what);

// The table's defaults with `json`'s values over them.
QJsonObject withDefaults(const FieldTable &table, const QJsonObject &json);

}  // namespace metaaug
