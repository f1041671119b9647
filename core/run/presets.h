// Run presets, described once for the CLI (`--preset`) and the workbench's
// Run setup panel: a partial run spec in RunSpec::toJson()'s keys. Method
// options of a preset are complete (MetaAug's defaults with the preset's
// changes), so choosing a preset after another resets what the other set.
#pragma once

#include <QtCore/QJsonObject>
#include <QtCore/QString>

#include <vector>

namespace metaaug {

struct RunPreset {
    QString id;           // quick | default | paper
    QString label;        // for a combo box
    QString description;  // what it sets and what it costs
    QJsonObject spec;     // calib_size, iters, eval_limit, method_options
};

const std::vector<RunPreset> &runPresets();
const RunPreset *findRunPreset(const QString &id);

}  // namespace metaaug
