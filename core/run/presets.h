// SPDX-License-Identifier: GPL-3.0-or-later
// Run presets: named recipes (in Brevitas's sense) for the CLI's `--preset`
// and the workbench's Run setup panel. A preset is a partial run spec in
// RunSpec::toJson()'s keys plus, per method, the options it changes; what
// it leaves out keeps the field tables' defaults, so choosing a preset after
// another resets what the other set.
#pragma once

#include <QtCore/QJsonObject>
#include <QtCore/QStringList>

#include <map>
#include <vector>

namespace metaaug {

struct RunPreset {
    QString id;           // quick | default | paper
    QString label;        // for a combo box
    QString description;  // what it sets and what it costs
    QJsonObject spec;     // run-spec keys (calib_size, iters, eval_limit)
    std::map<QString, QJsonObject> methodOptions;  // method id -> the options the preset changes
};

const std::vector<RunPreset> &runPresets();
const RunPreset *findRunPreset(const QString &id);
QStringList runPresetIds();

// The method and preset the workbench opens on: the product's method with a
// run that takes minutes. (The CLI's default method is the spec table's.)
QString workbenchDefaultMethod();
QString workbenchDefaultPreset();

// The spec a front end runs: the field defaults, then the preset's keys
// (with the chosen method's preset options), then `given` (what the user set,
// its "method_options" merged over the preset's). The method is given's, else
// the default. No validation: RunSpec::fromJson does that.
QJsonObject applyPreset(const RunPreset *preset, const QJsonObject &given);

}  // namespace metaaug
