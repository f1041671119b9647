// SPDX-License-Identifier: GPL-3.0-or-later
// The engine's run events as the GUI receives them: plain Qt values that
// travel through queued signals from the run's thread (never pointers into
// the engine).
#pragma once

#include "events/runstatus.h"
#include "run/runresult.h"

#include <QtCore/QJsonObject>
#include <QtCore/QMap>
#include <QtCore/QMetaType>
#include <QtCore/QString>
#include <QtCore/QStringList>
#include <QtGui/QImage>

namespace metaaug::ui {

struct ProgressUpdate {
    QString phase;            // runPhaseName(): "setup", "calibration", "meta", "reconstruction", ...
    int unit = -1;
    int unitCount = 0;
    QString unitName;
    int iteration = 0;        // 1-based within the phase of this unit
    int iterations = 0;
    double elapsedSeconds = 0;
    QMap<QString, double> values;  // "rec", "loss", "inner", "kl", "margin", "pkt", "outer", ...
    QString detail;           // ProgressEvent::detail: "reading 128 calibration images", "test set", ...
};

struct LayerSample {
    QString layer, key;  // key: "probe_mse", "probe_sqnr_db", "output_sqnr_db", ...
    double value = 0;
    int unit = -1;       // -1 with iteration -1: a final metric
    int iteration = -1;
};

struct ImagePair {
    int unit = -1;
    int iteration = 0;
    QImage originals, transformed;
};

struct RunFinished {
    qint64 runId = 0;     // 0: not recorded
    RunStatus status = RunStatus::Failed;  // succeeded, failed or cancelled
    std::optional<RunResult> result;       // when succeeded
    QString error;
    QStringList warnings;
};

}  // namespace metaaug::ui

Q_DECLARE_METATYPE(metaaug::ui::ProgressUpdate)
Q_DECLARE_METATYPE(metaaug::ui::LayerSample)
Q_DECLARE_METATYPE(metaaug::ui::ImagePair)
Q_DECLARE_METATYPE(metaaug::ui::RunFinished)
Q_DECLARE_METATYPE(metaaug::RunStatus)
